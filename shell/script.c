#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../backend/nft_txn.h"
#include "session.h"

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
 *
 * Another program may commit to the ruleset (any table) while a script
 * runs; the kernel then refuses rosh's batch, which was planned on the
 * older ruleset. As nft does, rosh plans again: the outermost script runs
 * again the statements of the refused transaction on a fresh model (their
 * output silenced, it was printed the first time) and commits again, up to
 * 8 times. Only statements that made no other change can be run again:
 * a transaction that began inside an /import after that import had
 * committed something is not retried.
 */

#define TXN_TRIES 8
#define NO_REPLAY ((size_t)-1)

static struct {
	int depth;		/* nested runs: only the outermost commits */
	bool open;		/* an nft transaction is pending */
	int line, col;		/* the first command in it */
	/* the outermost script, to run a refused transaction again */
	struct session *s;
	const struct gr_script *sc;
	size_t cur;		/* its statement running now */
	unsigned commits;	/* commits made since cur began */
	size_t start;		/* statement the transaction began in */
	const struct gr_menu *start_cwd;
	bool replayable;
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

static int script_stmt(struct session *s, const struct gr_stmt *st,
		       struct sh_err *e);

/* Run statements start..end-1 of the outermost script again, into a new
 * transaction, with stdout silenced. */
static int replay(size_t end, struct sh_err *e)
{
	size_t cur = txn.cur;
	int rc = 0;

	txn.s->cwd = txn.start_cwd;
	fflush(stdout);
	/* (fopen, not open: <fcntl.h> clashes with the O_ option names) */
	int saved = dup(STDOUT_FILENO);
	FILE *null = fopen("/dev/null", "w");
	if (saved >= 0 && null)
		dup2(fileno(null), STDOUT_FILENO);
	if (null)
		fclose(null);
	for (size_t i = txn.start; i < end && rc == 0; i++) {
		txn.cur = i;
		rc = script_stmt(txn.s, txn.sc->v[i], e);
	}
	fflush(stdout);
	if (saved >= 0) {
		dup2(saved, STDOUT_FILENO);
		close(saved);
	}
	txn.cur = cur;
	return rc;
}

/* Send the pending nft changes; statements start..end-1 may be run again
 * when another writer got in first (end: NO_REPLAY when they can not). */
static int txn_commit(size_t end, struct sh_err *e)
{
	struct bk_err be = { { 0 } };

	for (int tries = 1; txn.open; tries++) {
		txn.open = false;
		int rc = bk_nft_txn_commit(&be);
		if (rc == 0) {
			txn.commits++;
			return 0;
		}
		if (rc != 1 || end == NO_REPLAY || !txn.replayable ||
		    tries == TXN_TRIES)
			break;
		if (replay(end, e) < 0)
			return -1;
	}
	if (!be.msg[0])
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
	txn.start = txn.cur;
	txn.start_cwd = txn.s->cwd;
	txn.replayable = txn.commits == 0;
	return 0;
}

/* One statement of a script, inside or outside the transaction. */
static int script_stmt(struct session *s, const struct gr_stmt *st,
		       struct sh_err *e)
{
	unsigned t = touches(st);

	if ((t & T_OTHER) &&
	    txn_commit(txn.depth == 1 ? txn.cur : NO_REPLAY, e) < 0)
		return -1;
	if (t == T_NFT && txn_begin(st, e) < 0)
		return -1;
	int rc = sh_run_stmt(s, st, e);
	if (st->kind == ST_CD)
		s->cwd = st->menu;
	return rc;
}

int sh_run_script(struct session *s, const char *src, int first_line,
		  struct sh_err *e)
{
	struct gr_script sc;
	struct gr_diag d;
	int rc = 0;

	memset(e, 0, sizeof(*e));
	if (gr_parse(src, first_line, s->cwd, &sc, &d) < 0) {
		snprintf(e->msg, sizeof(e->msg), "%s", d.msg);
		e->line = d.line;
		e->col = d.col;
		e->with_pos = d.with_pos;
		return -1;
	}
	bool outer = txn.depth++ == 0;
	if (outer) {
		txn.s = s;
		txn.sc = &sc;
	}
	for (size_t i = 0; i < sc.n && rc == 0; i++) {
		if (outer) {
			txn.cur = i;
			txn.commits = 0;
		}
		rc = script_stmt(s, sc.v[i], e);
	}
	if (outer && rc == 0)
		rc = txn_commit(sc.n, e);
	txn.depth--;
	if (outer) {
		if (txn.open)
			bk_nft_txn_abort();
		txn.open = false;
		txn.s = NULL;
		txn.sc = NULL;
	}
	gr_script_free(&sc);
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
