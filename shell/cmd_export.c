/* export (a menu or a whole subtree) and /import of .rsc files. */
#include <stdlib.h>
#include <string.h>

#include "../backend/nft_txn.h"
#include "render.h"
#include "session.h"

struct export_ctx {
	const struct gr_where *w;
	FILE *fp;
	unsigned opts;
	const struct gr_menu *m;
};

static int export_cb(struct bk_item *it, void *arg)
{
	struct export_ctx *xc = arg;

	if (gr_where_eval(xc->w, sh_item_get, it))
		out_export_item(xc->fp, xc->m, it, xc->opts);
	return 0;
}

/* One menu's section; printed only when it has lines. */
static int export_menu(const struct gr_menu *m, const struct gr_where *w,
		       unsigned opts, FILE *fp, const struct gr_stmt *st,
		       struct sh_err *e)
{
	const struct bk_ops *ops = bk_ops_for(m->id);
	char *buf = NULL;
	size_t len = 0;
	struct bk_err be = { { 0 } };

	if (!ops || !(m->cmds & GC_BIT(GC_EXPORT)))
		return 0;
	FILE *mem = open_memstream(&buf, &len);
	struct export_ctx xc = { w, mem, opts, m };
	int rc = ops->iterate(m, NULL, 0, export_cb, &xc, &be);
	fclose(mem);
	if (rc < 0) {
		free(buf);
		return sh_errorf(e, st, "failure: %s", be.msg);
	}
	if (len) {
		if (!(opts & OX_TERSE))
			out_export_menu(fp, m);
		fwrite(buf, 1, len, fp);
	}
	free(buf);
	return 0;
}

static bool in_subtree(const struct gr_menu *root, const struct gr_menu *m)
{
	size_t n = strlen(root->path);

	if (strcmp(root->path, "/") == 0)
		return true;
	return strncmp(m->path, root->path, n) == 0 &&
	       (m->path[n] == '\0' || m->path[n] == '/');
}

int sh_cmd_export(struct session *s, const struct gr_stmt *st, struct sh_err *e)
{
	const struct gr_arg *file = gr_stmt_arg(st, GA_OPT, O_FILE);
	unsigned opts = 0;
	FILE *fp = stdout;
	int rc = 0;

	if (gr_stmt_arg(st, GA_OPT, O_VERBOSE))
		opts |= OX_VERBOSE;
	if (gr_stmt_arg(st, GA_OPT, O_TERSE))
		opts |= OX_TERSE;
	if (file && file->val.text) {
		char name[4096];
		size_t n = strlen(file->val.text);
		snprintf(name, sizeof(name), "%s%s", file->val.text,
			 n > 4 && strcmp(file->val.text + n - 4, ".rsc") == 0 ? "" : ".rsc");
		if (!(fp = fopen(name, "w")))
			return sh_errorf(e, st, "failure: cannot open %s", name);
	}
	out_export_header(fp);
	for (const struct gr_menu *m = gr_menus; m->path && rc == 0; m++)
		if (m->kind != GM_DIR && in_subtree(st->menu, m))
			rc = export_menu(m, m == st->menu ? st->where : NULL,
					 opts, fp, st, e);
	if (fp != stdout)
		fclose(fp);
	return rc;
}

/*
 * Scripts: rosh -f FILE, -c, a script on stdin and /import all run here.
 *
 * Transactions. The whole script is parsed and type-checked first. Then
 * the commands on the nft menus (firewall filter/nat, address lists,
 * interface lists) go into one nft transaction (backend/nft_txn.h): the
 * kernel gets them as one batch at the end, so a command that fails at
 * run time, or a kernel refusal, leaves the ruleset as it was. A command
 * that writes another backend (connection tracking, /ip settings,
 * removing connections) cannot be in that batch: the pending nft changes
 * are committed before it runs, and a new transaction starts after it.
 * So every change happens in script order (a script that adds a drop rule
 * and then flushes connections gets the rule in the kernel first), and a
 * failure undoes everything since the last such command. Nested /imports
 * join the transaction of the outermost script. (rosh --keep-going runs
 * its top-level commands one by one instead, each atomic: shell/main.c.)
 */

static struct {
	int depth;		/* nested runs: only the outermost commits */
	bool open;		/* an nft transaction is pending */
	int line, col;		/* the first command in it */
} txn;

enum { T_NFT = 1, T_OTHER = 2 };	/* what a statement touches */

static bool writes(enum gr_cmd_id c)
{
	return c != GC_PRINT && c != GC_FIND && c != GC_GET &&
	       c != GC_EXPORT && c != GC_IMPORT;
}

static unsigned touches(const struct gr_stmt *st)
{
	unsigned t = 0;

	if (!st)
		return 0;
	for (size_t i = 0; i < st->nbody; i++)
		t |= touches(st->body[i]);
	if (st->kind != ST_CMD)
		return t;
	for (size_t i = 0; i < st->nargs; i++)
		t |= touches(st->args[i].val.sub);
	if (st->cmd == GC_IMPORT)	/* its own commands decide */
		return t;
	/* a live view must see the kernel change: outside the transaction */
	if (st->cmd == GC_PRINT && (gr_stmt_arg(st, GA_OPT, O_INTERVAL) ||
				    gr_stmt_arg(st, GA_OPT, O_FOLLOW) ||
				    gr_stmt_arg(st, GA_OPT, O_FOLLOW_ONLY)))
		return t | T_OTHER;
	if (st->cmd == GC_EXPORT || bk_ops_for(st->menu->id) == &bk_nft_ops)
		return t | T_NFT;	/* (export reads the pending rules) */
	return t | (writes(st->cmd) ? T_OTHER : 0);
}

/* Send the pending nft changes. */
static int txn_commit(struct sh_err *e)
{
	struct bk_err be = { { 0 } };

	if (!txn.open)
		return 0;
	txn.open = false;
	if (bk_nft_txn_commit(&be) == 0)
		return 0;
	struct gr_stmt at = { .line = txn.line, .col = txn.col };
	return sh_errorf(e, &at, "failure: %s (nothing from this line on "
			 "was applied)", be.msg);
}

static int txn_begin(const struct gr_stmt *st, struct sh_err *e)
{
	struct bk_err be = { { 0 } };

	if (txn.open)
		return 0;
	if (bk_nft_txn_begin(&be) < 0)
		return sh_errorf(e, st, "failure: %s", be.msg);
	txn.open = true;
	txn.line = st->line;
	txn.col = st->col;
	return 0;
}

/* One statement of a script, inside or outside the transaction. */
static int script_stmt(struct session *s, const struct gr_stmt *st,
		       struct sh_err *e)
{
	unsigned t = touches(st);

	if ((t & T_OTHER) && txn_commit(e) < 0)
		return -1;
	if (t == T_NFT && txn_begin(st, e) < 0)
		return -1;
	int rc = sh_run_stmt(s, st, e);
	if (st->kind == ST_CD)
		s->cwd = st->menu;
	return rc;
}

static int run_all(struct session *s, const char *src, int first_line,
		   struct sh_err *e)
{
	struct gr_script sc;
	struct gr_diag d;
	int rc = 0;

	if (gr_parse(src, first_line, s->cwd, &sc, &d) < 0) {
		snprintf(e->msg, sizeof(e->msg), "%s", d.msg);
		e->line = d.line;
		e->col = d.col;
		e->with_pos = d.with_pos;
		return -1;
	}
	for (size_t i = 0; i < sc.n && rc == 0; i++)
		rc = script_stmt(s, sc.v[i], e);
	gr_script_free(&sc);
	return rc;
}

int sh_run_script(struct session *s, const char *src, int first_line,
		  struct sh_err *e)
{
	memset(e, 0, sizeof(*e));
	txn.depth++;
	int rc = run_all(s, src, first_line, e);
	if (--txn.depth > 0)
		return rc;
	if (rc == 0)
		return txn_commit(e);
	if (txn.open)
		bk_nft_txn_abort();
	txn.open = false;
	return rc;
}

static char *read_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	struct strbuf sb = STRBUF_INIT;
	char buf[8192];
	size_t n;

	if (!fp)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		sb_addn(&sb, buf, n);
	fclose(fp);
	return sb_steal(&sb);
}

int sh_cmd_import(struct session *s, const struct gr_stmt *st, struct sh_err *e)
{
	const struct gr_arg *f = gr_stmt_arg(st, GA_OPT, O_FILE_NAME);

	if (!f || !f->val.text)
		return sh_errorf(e, st, "missing value(s) of argument(s) file-name");
	if (s->depth > 8)
		return sh_errorf(e, st, "failure: /import nested too deeply");
	char *src = read_file(f->val.text);
	if (!src)
		return sh_errorf(e, st, "Cannot open import file, file does not exist");
	struct session sub = *s;
	struct sh_err ie;
	memset(sub.maps, 0, sizeof(sub.maps));
	sub.source = f->val.text;
	sub.depth++;
	int rc = sh_run_script(&sub, src, 1, &ie);
	sh_session_free(&sub);
	free(src);
	if (rc < 0)
		return sh_errorf(e, st, "%s:%d:%d: %s", f->val.text, ie.line,
				 ie.col, ie.msg);
	if (s->interactive)
		printf("Script file loaded and executed successfully\n");
	return 0;
}
