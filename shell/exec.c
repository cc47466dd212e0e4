/* Running parsed statements: the generic commands over the item interface. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

volatile sig_atomic_t sh_interrupted;

int sh_errorf(struct sh_err *e, const struct gr_stmt *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	e->line = st ? st->line : 1;
	e->col = st ? st->col : 1;
	e->with_pos = false;
	return -1;
}

/* A backend's refusal; "no such item" is RouterOS's own text, unprefixed. */
static int bk_error(struct sh_err *e, const struct gr_stmt *st,
		    const struct bk_err *be)
{
	if (strcmp(be->msg, "no such item") == 0)
		return sh_errorf(e, st, "no such item");
	return sh_errorf(e, st, "failure: %s", be->msg[0] ? be->msg : "kernel refused");
}

const struct bk_ops *sh_ops(const struct gr_menu *m, const struct gr_stmt *st,
			    struct sh_err *e)
{
	const struct bk_ops *ops = bk_ops_for(m->id);

	if (!ops)
		sh_errorf(e, st, "failure: %s is not available on this system",
			  m->path);
	return ops;
}

/* Property arguments of a statement as backend set-arguments. */
static size_t setargs(const struct gr_stmt *st, struct bk_setarg *out,
		      size_t max, const struct gr_value **place_before)
{
	size_t n = 0;

	for (size_t i = 0; i < st->nargs && n < max; i++) {
		const struct gr_arg *a = &st->args[i];
		if (a->kind != GA_PROP)
			continue;
		if (st->menu->props[a->idx].flags & GP_ARG) {
			if (place_before)	/* a number, id or [find ...] */
				*place_before = &a->val;
			continue;
		}
		out[n++] = (struct bk_setarg){ (unsigned)a->idx,
					       a->unset ? NULL : a->canon };
	}
	return n;
}

/* The ids of the numbers= / first positional argument. */
static int stmt_ids(struct session *s, const struct gr_stmt *st, int opt,
		    struct idlist *ids, struct sh_err *e)
{
	const struct gr_arg *a = gr_stmt_arg(st, GA_OPT, opt);

	if (!a)
		return sh_errorf(e, st, "missing value(s) of argument(s) %s",
				 gr_opt_names[opt]);
	if (sh_select(s, st->menu, &a->val, st, ids, e) < 0) {
		idlist_free(ids);	/* ids found before the bad one */
		return -1;
	}
	return 0;
}

static int do_set(struct session *s, const struct gr_stmt *st,
		  const struct bk_setarg *sa, size_t n, struct sh_err *e)
{
	const struct bk_ops *ops = sh_ops(st->menu, st, e);
	struct idlist ids = { 0 };
	struct bk_err be = { { 0 } };
	int rc = 0;

	if (!ops)
		return -1;
	if (!ops->set)
		return sh_errorf(e, st, "failure: items of %s cannot be changed",
				 st->menu->path);
	if (st->menu->kind != GM_SINGLE &&
	    stmt_ids(s, st, st->cmd == GC_GET ? O_NUMBER : O_NUMBERS, &ids, e) < 0)
		return -1;
	if ((st->menu->kind == GM_SINGLE || ids.n) &&
	    ops->set(st->menu, idlist_argv(&ids), ids.n, sa, n, &be) < 0)
		rc = bk_error(e, st, &be);
	idlist_free(&ids);
	return rc;
}

static int cmd_set(struct session *s, const struct gr_stmt *st, struct sh_err *e)
{
	struct bk_setarg sa[64];
	size_t n = setargs(st, sa, 64, NULL);

	if (!n)
		return 0;
	return do_set(s, st, sa, n, e);
}

static int cmd_flag(struct session *s, const struct gr_stmt *st,
		    const char *prop, const char *value, struct sh_err *e)
{
	int idx = gr_prop_index(st->menu, prop);

	if (idx < 0)
		return sh_errorf(e, st, "bad command name");
	struct bk_setarg sa = { (unsigned)idx, value };
	return do_set(s, st, &sa, 1, e);
}

static int cmd_unset(struct session *s, const struct gr_stmt *st, struct sh_err *e)
{
	const struct gr_arg *vn = gr_stmt_arg(st, GA_OPT, O_VALUE_NAME);

	if (!vn || !vn->val.text)
		return sh_errorf(e, st, "missing value(s) of argument(s) value-name");
	int idx = gr_prop_index(st->menu, vn->val.text);
	if (idx < 0 || (st->menu->props[idx].flags & (GP_RO | GP_REQ)))
		return sh_errorf(e, st, "input does not match any value of value-name");
	struct bk_setarg sa = { (unsigned)idx, NULL };
	return do_set(s, st, &sa, 1, e);
}

static int cmd_comment(struct session *s, const struct gr_stmt *st, struct sh_err *e)
{
	int idx = gr_prop_index(st->menu, "comment");
	const struct gr_arg *a = gr_stmt_arg(st, GA_PROP, idx);

	return cmd_flag(s, st, "comment", a ? a->canon : "", e);
}

static int cmd_add(struct session *s, const struct gr_stmt *st, struct sh_err *e)
{
	const struct bk_ops *ops = sh_ops(st->menu, st, e);
	struct bk_setarg sa[64];
	const struct gr_value *pb = NULL;
	const char *before = NULL;
	struct idlist ids = { 0 };
	struct bk_err be = { { 0 } };
	char new_id[24] = "";
	int rc = 0;

	if (!ops)
		return -1;
	size_t n = setargs(st, sa, 64, &pb);
	if (pb) {
		if (sh_select(s, st->menu, pb, st, &ids, e) < 0) {
			idlist_free(&ids);
			return -1;
		}
		if (!ids.n)	/* [find ...] that matched nothing */
			return sh_errorf(e, st, "no such item");
		before = ids.v[0];
	}
	if (ops->add(st->menu, sa, n, before, new_id, &be) < 0)
		rc = bk_error(e, st, &be);
	idlist_free(&ids);
	return rc;
}

struct rm_ctx {
	const struct gr_where *w;
};

static int rm_pred(struct bk_item *it, void *arg)
{
	struct rm_ctx *rc = arg;

	if (sh_interrupted)
		return -1;
	return gr_where_eval(rc->w, sh_item_get, it) ? 1 : 0;
}

static int cmd_remove(struct session *s, const struct gr_stmt *st, struct sh_err *e)
{
	const struct bk_ops *ops = sh_ops(st->menu, st, e);
	const struct gr_arg *a = gr_stmt_arg(st, GA_OPT, O_NUMBERS);
	struct bk_err be = { { 0 } };
	struct idlist ids = { 0 };
	int rc = 0;

	if (!ops)
		return -1;
	if (a && a->val.sub && a->val.sub->cmd == GC_FIND && ops->remove_matching &&
	    a->val.sub->menu == st->menu) {
		/* one streaming pass instead of find + remove */
		struct bk_cond hints[16];
		size_t nh = sh_hints(a->val.sub->where, hints, 16);
		struct rm_ctx rc_ = { a->val.sub->where };
		uint64_t removed = 0;
		if (ops->remove_matching(st->menu, hints, nh, rm_pred, &rc_,
					 &removed, &be) < 0)
			return bk_error(e, st, &be);
		s->maps[st->menu->id].valid = false;
		return 0;
	}
	if (stmt_ids(s, st, O_NUMBERS, &ids, e) < 0)
		return -1;
	if (ids.n && ops->remove(st->menu, idlist_argv(&ids), ids.n, &be) < 0)
		rc = bk_error(e, st, &be);
	idlist_free(&ids);
	return rc;
}

static int cmd_move(struct session *s, const struct gr_stmt *st, struct sh_err *e)
{
	const struct bk_ops *ops = sh_ops(st->menu, st, e);
	const struct gr_arg *d = gr_stmt_arg(st, GA_OPT, O_DESTINATION);
	struct idlist ids = { 0 }, dest = { 0 };
	struct bk_err be = { { 0 } };
	int rc = -1;

	if (!ops || stmt_ids(s, st, O_NUMBERS, &ids, e) < 0)
		goto out;
	if (d && sh_select(s, st->menu, &d->val, st, &dest, e) < 0)
		goto out;
	rc = 0;
	if (ids.n && ops->move(st->menu, idlist_argv(&ids), ids.n,
			       dest.n ? dest.v[0] : NULL, &be) < 0)
		rc = bk_error(e, st, &be);
out:
	idlist_free(&ids);
	idlist_free(&dest);
	return rc;
}

static int cmd_reset_counters(struct session *s, const struct gr_stmt *st,
			      bool all, struct sh_err *e)
{
	const struct bk_ops *ops = sh_ops(st->menu, st, e);
	struct idlist ids = { 0 };
	struct bk_err be = { { 0 } };
	int rc = 0;

	if (!ops || (!all && stmt_ids(s, st, O_NUMBERS, &ids, e) < 0))
		return -1;
	if ((all || ids.n) &&
	    ops->reset_counters(st->menu, all ? NULL : idlist_argv(&ids),
				ids.n, &be) < 0)
		rc = bk_error(e, st, &be);
	idlist_free(&ids);
	return rc;
}

static int run_cmd(struct session *s, const struct gr_stmt *st, struct sh_err *e)
{
	switch (st->cmd) {
	case GC_PRINT: return sh_cmd_print(s, st, e);
	case GC_FIND: {
		struct idlist ids = { 0 };
		int rc = sh_find(s, st, &ids, e);
		idlist_free(&ids);
		return rc;
	}
	case GC_GET: return sh_cmd_get(s, st, e);
	case GC_SET: return cmd_set(s, st, e);
	case GC_UNSET: return cmd_unset(s, st, e);
	case GC_ADD: return cmd_add(s, st, e);
	case GC_REMOVE: return cmd_remove(s, st, e);
	case GC_ENABLE: return cmd_flag(s, st, "disabled", "no", e);
	case GC_DISABLE: return cmd_flag(s, st, "disabled", "yes", e);
	case GC_COMMENT: return cmd_comment(s, st, e);
	case GC_MOVE: return cmd_move(s, st, e);
	case GC_RESET_COUNTERS: return cmd_reset_counters(s, st, false, e);
	case GC_RESET_COUNTERS_ALL: return cmd_reset_counters(s, st, true, e);
	case GC_EXPORT: return sh_cmd_export(s, st, e);
	case GC_IMPORT: return sh_cmd_import(s, st, e);
	case GC__COUNT: break;
	}
	return sh_errorf(e, st, "bad command name");
}

int sh_run_stmt(struct session *s, const struct gr_stmt *st, struct sh_err *e)
{
	switch (st->kind) {
	case ST_CD:
		s->cwd = st->menu;
		return 0;
	case ST_BLOCK:
		for (size_t i = 0; i < st->nbody; i++)
			if (sh_run_stmt(s, st->body[i], e) < 0)
				return -1;
		return 0;
	case ST_CMD:
		return run_cmd(s, st, e);
	}
	return 0;
}

void sh_report(const struct session *s, const struct sh_err *e)
{
	if (s->source)
		fprintf(stderr, "%s:%d:%d: %s\n", s->source, e->line, e->col, e->msg);
	else if (e->with_pos)
		fprintf(stderr, "%s (line %d column %d)\n", e->msg, e->line, e->col);
	else
		fprintf(stderr, "%s\n", e->msg);
}

void sh_session_free(struct session *s)
{
	for (size_t i = 0; i < GMI__COUNT; i++) {
		free(s->maps[i].v);
		if (s->maps[i].spill)
			fclose(s->maps[i].spill);
	}
}
