/* print and get: streaming items from a backend through where to a renderer. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../grammar/match.h"
#include "render.h"
#include "session.h"

#define MAX_PROPS 64

struct print_ctx {
	struct session *s;
	const struct gr_stmt *st;
	struct out_print *out;	/* NULL: count only */
	struct nummap *map;	/* NULL: do not number (follow events) */
	long num;		/* running item number (all items) */
	uint64_t count;
	bool live;		/* flush each row (follow) */
	const struct idlist *from;	/* from=: only these items */
	int dyn_prop;		/* the menu's "dynamic" flag, or -1 */
	int want_dyn;		/* print static: 0, dynamic: 1, else -1 */
};

/* from=, static and dynamic narrow what is printed, like where. */
static bool print_narrow_match(const struct print_ctx *pc, struct bk_item *it)
{
	if (pc->want_dyn >= 0) {
		const char *d = pc->dyn_prop >= 0 ?
			bk_get(it, (unsigned)pc->dyn_prop) : NULL;
		if (out_flag_set(d) != (pc->want_dyn == 1))
			return false;
	}
	if (!pc->from)
		return true;
	for (size_t i = 0; i < pc->from->n; i++)
		if (strcmp(pc->from->v[i], it->id) == 0)
			return true;
	return false;
}

static bool print_args_match(const struct gr_stmt *st, struct bk_item *it)
{
	for (size_t i = 0; i < st->nargs; i++) {
		const struct gr_arg *a = &st->args[i];
		if (a->kind != GA_PROP || !a->canon)
			continue;
		const char *v = bk_get(it, (unsigned)a->idx);
		if (strcmp(v ? v : "", a->canon) != 0)
			return false;
	}
	return true;
}

static int print_cb(struct bk_item *it, void *arg)
{
	struct print_ctx *pc = arg;
	long num = pc->num++;

	if (sh_interrupted)
		return -1;
	if (!print_args_match(pc->st, it) || !print_narrow_match(pc, it) ||
	    !gr_where_eval(pc->st->where, sh_item_get, it))
		return 0;
	pc->count++;
	if (pc->out) {
		out_print_item(pc->out, num, it);
		if (pc->map)
			nummap_add(pc->map, num, it->id);
		if (pc->live)
			fflush(stdout);
	}
	return 0;
}

/*
 * Live views (follow, interval=) end with Ctrl-C or SIGINT, cleanly and
 * with success, in batch runs too (where no handler is installed
 * otherwise, and SIGINT would kill rosh with the output unflushed): the
 * handler only sets sh_interrupted, which the loops check; the caller's
 * handler is put back afterwards.
 */
static void live_sigint(int sig)
{
	(void)sig;
	sh_interrupted = 1;
}

static void live_begin(struct sigaction *old)
{
	struct sigaction sa = { .sa_handler = live_sigint };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, old);
}

static void live_end(const struct sigaction *old)
{
	sigaction(SIGINT, old, NULL);
	sh_interrupted = 0;
}

/* proplist=a,b,c -> property indices (abbreviations allowed). */
static int proplist(const struct gr_stmt *st, const char *text, unsigned *out,
		    size_t *n, struct sh_err *e)
{
	const struct gr_menu *m = st->menu;
	char *copy = xstrdup(text), *save = NULL;
	int rc = 0;

	*n = 0;
	for (char *w = strtok_r(copy, ",", &save); w && *n < MAX_PROPS;
	     w = strtok_r(NULL, ",", &save)) {
		size_t idx;
		if (gr_match_struct(w, strlen(w), m->props, m->nprops,
				    sizeof(*m->props), &idx) != GR_M_OK) {
			rc = sh_errorf(e, st, "input does not match any value of proplist");
			break;
		}
		out[(*n)++] = (unsigned)idx;
	}
	free(copy);
	return rc;
}

static bool has_opt(const struct gr_stmt *st, int o)
{
	return gr_stmt_arg(st, GA_OPT, o) != NULL;
}

static enum out_mode print_mode(const struct session *s,
				const struct gr_stmt *st, unsigned *opts)
{
	const struct gr_menu *m = st->menu;

	if (has_opt(st, O_SHOW_IDS))
		*opts |= OO_SHOW_IDS;
	if (s->json)
		return OM_JSON;
	if (has_opt(st, O_AS_VALUE))
		return OM_AS_VALUE;
	if (m->kind == GM_SINGLE)
		return OM_SETTINGS;
	if (has_opt(st, O_TERSE))
		return OM_TERSE;
	if (has_opt(st, O_VALUE_LIST))
		return OM_VALUE_LIST;
	if (has_opt(st, O_DETAIL)) {
		*opts |= OO_DETAIL;
		return OM_KV;
	}
	if (has_opt(st, O_STATS))
		return OM_TABLE;
	return m->columns ? OM_TABLE : OM_KV;
}

static int stats_props(const struct gr_menu *m, unsigned *out, size_t *n)
{
	static const char *const names[] = { "chain", "action", "bytes", "packets" };

	*n = 0;
	for (size_t i = 0; i < 4; i++) {
		int idx = gr_prop_index(m, names[i]);
		if (idx >= 0)
			out[(*n)++] = (unsigned)idx;
	}
	return 0;
}

/* Resolve from= (numbers of the previous print, before this print
 * renumbers) and static/dynamic; 1 when anything narrows the print. */
static int print_narrow_init(struct print_ctx *pc, struct idlist *ids,
			     struct sh_err *e)
{
	const struct gr_stmt *st = pc->st;
	const struct gr_arg *from = gr_stmt_arg(st, GA_OPT, O_FROM);

	pc->dyn_prop = gr_prop_index(st->menu, "dynamic");
	pc->want_dyn = has_opt(st, O_STATIC) ? 0 : has_opt(st, O_DYNAMIC) ? 1 : -1;
	if (from) {
		if (sh_select(pc->s, st->menu, &from->val, st, ids, e) < 0)
			return -1;
		pc->from = ids;
	}
	return pc->from || pc->want_dyn >= 0;
}

static int print_once(struct session *s, const struct gr_stmt *st, FILE *fp,
		      struct sh_err *e)
{
	const struct bk_ops *ops = sh_ops(st->menu, st, e);
	unsigned props[MAX_PROPS], opts = 0;
	size_t nprops = 0;
	struct bk_cond hints[16];
	struct bk_err be = { { 0 } };
	const struct gr_arg *pl = gr_stmt_arg(st, GA_OPT, O_PROPLIST);
	bool count_only = has_opt(st, O_COUNT_ONLY);

	if (!ops)
		return -1;
	if (pl && pl->val.text && proplist(st, pl->val.text, props, &nprops, e) < 0)
		return -1;
	/* JSON always carries every property, flags and counters included */
	if (!pl && has_opt(st, O_STATS) && !s->json)
		stats_props(st->menu, props, &nprops);
	struct print_ctx pc = { s, st, NULL, &s->maps[st->menu->id], 0, 0,
				false, NULL, -1, -1 };
	struct idlist ids = { 0 };
	int narrow = print_narrow_init(&pc, &ids, e);
	if (narrow < 0)
		return -1;
	bool plain = !st->where && !gr_stmt_arg(st, GA_PROP, -1) && !narrow;
	for (size_t i = 0; i < st->nargs; i++)
		plain = plain && st->args[i].kind != GA_PROP;
	if (count_only && plain && ops->count) {
		uint64_t n = 0;
		if (ops->count(st->menu, &n, &be) < 0)
			return sh_errorf(e, st, "failure: %s", be.msg);
		fprintf(fp, "%llu\n", (unsigned long long)n);
		return 0;
	}
	enum out_mode mode = print_mode(s, st, &opts);
	if (!count_only) {
		pc.out = out_print_new(fp, st->menu, mode, nprops ? props : NULL,
				       nprops, opts, s->width);
		nummap_reset(pc.map);
	}
	/*
	 * In ordered menus an item's number is its position in the whole
	 * list, so a filtered print still walks every item to count them:
	 * kernel-side hints are only for conntrack, whose order means nothing
	 * and whose size makes filtering in the kernel worth it.
	 */
	size_t nh = 0;
	if (count_only || st->menu->id == GMI_CONNECTION ||
	    st->menu->id == GMI_CONNECTION6)
		nh = sh_hints(st->where, hints, 16);
	int rc = ops->iterate(st->menu, hints, nh, print_cb, &pc, &be);
	idlist_free(&ids);
	if (pc.out)
		out_print_end(pc.out);
	if (rc < 0)
		return sh_errorf(e, st, "%s", sh_interrupted ? "interrupted"
					      : be.msg[0] ? be.msg : "failure");
	if (count_only)
		fprintf(fp, "%llu\n", (unsigned long long)pc.count);
	return 0;
}

static int print_follow(struct session *s, const struct gr_stmt *st,
			struct sh_err *e)
{
	const struct bk_ops *ops = sh_ops(st->menu, st, e);
	struct bk_err be = { { 0 } };
	unsigned opts = 0;

	if (!ops)
		return -1;
	if (!ops->follow)
		return sh_errorf(e, st, "failure: follow is not supported here");
	struct sigaction old;
	live_begin(&old);
	if (!has_opt(st, O_FOLLOW_ONLY) && print_once(s, st, stdout, e) < 0) {
		live_end(&old);
		return -1;
	}
	fflush(stdout);
	enum out_mode mode = print_mode(s, st, &opts);
	/* events are not numbered: the numbers stay those of the print */
	struct print_ctx pc = { s, st, NULL, NULL, 0, 0, true, NULL, -1, -1 };
	pc.out = out_print_new(stdout, st->menu, mode == OM_TABLE ? OM_TERSE : mode,
			       NULL, 0, opts | OO_NO_LEGEND, s->width);
	int rc = ops->follow(st->menu, print_cb, &pc, (volatile int *)&sh_interrupted, &be);
	out_print_end(pc.out);
	fflush(stdout);
	bool stopped = sh_interrupted;
	live_end(&old);
	if (rc < 0 && !stopped)
		return sh_errorf(e, st, "failure: %s", be.msg);
	return 0;
}

int sh_cmd_print(struct session *s, const struct gr_stmt *st, struct sh_err *e)
{
	const struct gr_arg *file = gr_stmt_arg(st, GA_OPT, O_FILE);
	const struct gr_arg *iv = gr_stmt_arg(st, GA_OPT, O_INTERVAL);

	if (has_opt(st, O_FOLLOW) || has_opt(st, O_FOLLOW_ONLY))
		return print_follow(s, st, e);
	if (file && file->val.text) {
		/* RouterOS writes print file=x to x.txt */
		char name[4096];
		size_t n = strlen(file->val.text);
		snprintf(name, sizeof(name), "%s%s", file->val.text,
			 n > 4 && !strcmp(file->val.text + n - 4, ".txt") ? "" : ".txt");
		FILE *fp = fopen(name, has_opt(st, O_APPEND) ? "a" : "w");
		if (!fp)
			return sh_errorf(e, st, "failure: cannot open %s", name);
		int rc = print_once(s, st, fp, e);
		fclose(fp);
		return rc;
	}
	if (!iv || !iv->val.text)
		return print_once(s, st, stdout, e);
	uint64_t ms = 0;
	if (!gr_duration_parse(iv->val.text, &ms) || ms < 200)
		return sh_errorf(e, st, "invalid value for argument interval");
	struct sigaction old;
	int rc = 0;
	live_begin(&old);
	while (!sh_interrupted) {
		if (isatty(STDOUT_FILENO))
			fputs("\033[H\033[2J", stdout);
		if ((rc = print_once(s, st, stdout, e)) < 0)
			break;
		fflush(stdout);
		usleep((useconds_t)(ms * 1000));
	}
	/* Ctrl-C during a refresh is the way out, not an error */
	if (rc < 0 && sh_interrupted)
		rc = 0;
	live_end(&old);
	return rc;
}

struct get_ctx {
	const char *id;
	int prop;
	bool found;
};

static int get_cb(struct bk_item *it, void *arg)
{
	struct get_ctx *gc = arg;

	if (gc->id && strcmp(it->id, gc->id) != 0)
		return 0;
	const char *v = gc->prop < 0 ? it->id : bk_get(it, (unsigned)gc->prop);
	printf("%s\n", v ? v : "");
	gc->found = true;
	return 1;
}

int sh_cmd_get(struct session *s, const struct gr_stmt *st, struct sh_err *e)
{
	const struct gr_menu *m = st->menu;
	const struct gr_arg *num = gr_stmt_arg(st, GA_OPT, O_NUMBER);
	const struct gr_arg *vn = gr_stmt_arg(st, GA_OPT, O_VALUE_NAME);
	struct idlist ids = { 0 };
	struct bk_err be = { { 0 } };
	const struct bk_ops *ops = sh_ops(m, st, e);

	if (!ops)
		return -1;
	if (m->kind == GM_SINGLE && !vn)
		vn = num;
	if (!vn || !vn->val.text)
		return sh_errorf(e, st, "missing value(s) of argument(s) value-name");
	size_t idx;
	int prop = -1;
	if (strcmp(vn->val.text, ".id") != 0) {
		if (gr_match_struct(vn->val.text, strlen(vn->val.text), m->props,
				    m->nprops, sizeof(*m->props), &idx) != GR_M_OK)
			return sh_errorf(e, st, "input does not match any value of value-name");
		prop = (int)idx;
	}
	if (m->kind != GM_SINGLE) {
		if (!num)
			return sh_errorf(e, st, "missing value(s) of argument(s) number");
		if (sh_select(s, m, &num->val, st, &ids, e) < 0)
			return -1;
	}
	struct get_ctx gc = { ids.n ? ids.v[0] : NULL, prop, false };
	int rc = ops->iterate(m, NULL, 0, get_cb, &gc, &be);
	idlist_free(&ids);
	if (rc < 0)
		return sh_errorf(e, st, "failure: %s", be.msg);
	return gc.found ? 0 : sh_errorf(e, st, "no such item");
}
