/* Statements: path, command, arguments; keep-going parsing line by line. */
#include "parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "parse_int.h"
#include "strbuf.h"

const char *const gr_opt_names[O__COUNT] = {
	[O_DETAIL] = "detail", [O_TERSE] = "terse", [O_VALUE_LIST] = "value-list",
	[O_COUNT_ONLY] = "count-only", [O_AS_VALUE] = "as-value",
	[O_WITHOUT_PAGING] = "without-paging", [O_PROPLIST] = "proplist",
	[O_FILE] = "file", [O_APPEND] = "append", [O_SHOW_IDS] = "show-ids",
	[O_STATS] = "stats", [O_ALL] = "all", [O_STATIC] = "static",
	[O_DYNAMIC] = "dynamic", [O_BRIEF] = "brief", [O_FOLLOW] = "follow",
	[O_FOLLOW_ONLY] = "follow-only", [O_INTERVAL] = "interval",
	[O_FROM] = "from", [O_WHERE] = "where", [O_VERBOSE] = "verbose",
	[O_COMPACT] = "compact", [O_SHOW_SENSITIVE] = "show-sensitive",
	[O_HIDE_SENSITIVE] = "hide-sensitive", [O_NUMBERS] = "numbers",
	[O_NUMBER] = "number", [O_VALUE_NAME] = "value-name",
	[O_DESTINATION] = "destination", [O_FILE_NAME] = "file-name",
	[O_DRY_RUN] = "dry-run", [O_COPY_FROM] = "copy-from",
};

/* Options that take a value (the rest are flags). */
const unsigned long long gr_valued_opts = B(O_PROPLIST) | B(O_FILE) |
	B(O_INTERVAL) | B(O_FROM) | B(O_NUMBERS) | B(O_NUMBER) |
	B(O_VALUE_NAME) | B(O_DESTINATION) | B(O_FILE_NAME) | B(O_COPY_FROM);


#define PRINT_OPTS (B(O_DETAIL) | B(O_TERSE) | B(O_VALUE_LIST) | \
	B(O_COUNT_ONLY) | B(O_AS_VALUE) | B(O_WITHOUT_PAGING) | B(O_PROPLIST) | \
	B(O_FILE) | B(O_APPEND) | B(O_SHOW_IDS) | B(O_STATS) | B(O_ALL) | \
	B(O_STATIC) | B(O_DYNAMIC) | B(O_BRIEF) | B(O_FOLLOW) | \
	B(O_FOLLOW_ONLY) | B(O_INTERVAL) | B(O_FROM) | B(O_WHERE))

const struct cmd_spec gr_cmd_specs[GC__COUNT] = {
	[GC_PRINT] = { PRINT_OPTS, true, { -1, -1 } },
	[GC_FIND] = { B(O_WHERE), false, { -1, -1 } },
	[GC_GET] = { B(O_NUMBER) | B(O_VALUE_NAME), false, { O_NUMBER, O_VALUE_NAME } },
	[GC_SET] = { B(O_NUMBERS), true, { O_NUMBERS, -1 } },
	[GC_UNSET] = { B(O_NUMBERS) | B(O_VALUE_NAME), false, { O_NUMBERS, O_VALUE_NAME } },
	[GC_ADD] = { B(O_COPY_FROM), true, { -1, -1 } },
	[GC_REMOVE] = { B(O_NUMBERS), false, { O_NUMBERS, -1 } },
	[GC_ENABLE] = { B(O_NUMBERS), false, { O_NUMBERS, -1 } },
	[GC_DISABLE] = { B(O_NUMBERS), false, { O_NUMBERS, -1 } },
	[GC_COMMENT] = { B(O_NUMBERS), false, { O_NUMBERS, POS_COMMENT } },
	[GC_MOVE] = { B(O_NUMBERS) | B(O_DESTINATION), false, { O_NUMBERS, O_DESTINATION } },
	[GC_RESET_COUNTERS] = { B(O_NUMBERS), false, { O_NUMBERS, -1 } },
	[GC_RESET_COUNTERS_ALL] = { 0, false, { -1, -1 } },
	[GC_EXPORT] = { B(O_VERBOSE) | B(O_COMPACT) | B(O_TERSE) | B(O_FILE) |
			B(O_SHOW_SENSITIVE) | B(O_HIDE_SENSITIVE) | B(O_WHERE),
			false, { -1, -1 } },
	[GC_IMPORT] = { B(O_FILE_NAME) | B(O_VERBOSE) | B(O_DRY_RUN), false,
			{ O_FILE_NAME, -1 }, B(O_VERBOSE) },
};

int ps_error(struct pstate *ps, const struct tok *t, bool with_pos,
	     const char *fmt, ...)
{
	va_list ap;

	if (ps->d->msg[0])
		return -1;
	va_start(ap, fmt);
	vsnprintf(ps->d->msg, sizeof(ps->d->msg), fmt, ap);
	va_end(ap);
	ps->d->line = t->line;
	ps->d->col = t->col;
	ps->d->with_pos = with_pos;
	return -1;
}

static int match_rc_error(struct pstate *ps, const struct tok *t,
			  enum gr_match_rc rc, const char *what)
{
	if (rc == GR_M_AMBIGUOUS)
		return ps_error(ps, t, true, "ambiguous %s %s", what, t->text);
	return ps_error(ps, t, true, "expected end of command");
}

int ps_prop(struct pstate *ps, const struct gr_menu *m, const struct tok *t,
	    bool allow_ro)
{
	size_t idx;
	enum gr_match_rc rc = gr_match_struct(t->text, strlen(t->text),
					      m->props, m->nprops,
					      sizeof(*m->props), &idx);
	if (rc != GR_M_OK)
		return match_rc_error(ps, t, rc, "argument name");
	if (!allow_ro && (m->props[idx].flags & GP_RO))
		return ps_error(ps, t, true, "cannot set read-only property %s",
				m->props[idx].name);
	return (int)idx;
}

/*
 * A '!' a property cannot take: it is not negatable as a whole (chain,
 * jump-target, address-list...) and its value's own syntax has no '!'
 * (tcp-flags, lists of !x elements) and is not free text. Without this
 * `chain=!forward` would make a chain named "!forward".
 */
static bool bang_refused(const struct gr_prop *p, const char *text,
			 bool negated)
{
	return (negated || text[0] == '!') && !(p->flags & GP_NEG) &&
	       !p->type->elem_neg && p->type->kind != GK_STRING;
}

/*
 * The one place an empty value is judged: free text takes "", a type
 * whose "" means none was handled by the caller (parse_stmt.c), and for
 * every other type "" is not a value. It must never turn into "absent":
 * `src-address=""` dropping the matcher would make the rule match all.
 */
static enum gr_perr canon_value(const struct gr_prop *p, const char *text,
				bool negated, struct strbuf *sb)
{
	enum gr_perr rc;

	if (bang_refused(p, text, negated))
		return GR_PE_INVALID;
	if (!*text && p->type->kind != GK_STRING)
		return GR_PE_INVALID;
	if (negated && (p->flags & GP_NEG)) {
		sb_addc(sb, '!');
		return gr_value_parse(p->type, text, sb);
	}
	if (negated) {		/* e.g. tcp-flags=!syn */
		struct strbuf in = STRBUF_INIT;
		sb_addc(&in, '!');
		sb_adds(&in, text);
		rc = gr_value_parse(p->type, sb_str(&in), sb);
		sb_free(&in);
		return rc;
	}
	return gr_value_parse(p->type, text, sb);
}

int ps_value_error(struct pstate *ps, const struct tok *at, bool with_pos,
		   enum gr_perr rc, const char *name)
{
	if (rc == GR_PE_NOMATCH)
		return ps_error(ps, at, with_pos,
				"input does not match any value of %s", name);
	if (rc == GR_PE_AMBIG)
		return ps_error(ps, at, with_pos, "ambiguous value of %s, more "
				"than one possible value matches input", name);
	return ps_error(ps, at, with_pos, "invalid value for argument %s", name);
}

char *ps_canon(struct pstate *ps, const struct gr_menu *m, int idx,
	       const char *text, bool negated, const struct tok *at)
{
	const struct gr_prop *p = &m->props[idx];
	struct strbuf sb = STRBUF_INIT;
	enum gr_perr rc = canon_value(p, text, negated, &sb);

	if (rc == GR_PE_OK)
		return sb_steal(&sb);
	sb_free(&sb);
	ps_value_error(ps, at, false, rc, p->name);
	return NULL;
}

/* ---- paths ---- */

static const char *last_component(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static bool is_child(const struct gr_menu *parent, const struct gr_menu *m)
{
	return m != parent && gr_menu_parent(m) == parent;
}

/* Names of m's submenus and commands, for matching and completion. */
struct names {
	const char *v[64];
	const struct gr_menu *menu[64];
	int cmd[64];
	size_t n;
};

static void collect_names(const struct gr_menu *m, struct names *nm)
{
	nm->n = 0;
	for (const struct gr_menu *c = gr_menus; c->path; c++)
		if (is_child(m, c) && nm->n < 64) {
			nm->v[nm->n] = last_component(c->path);
			nm->menu[nm->n] = c;
			nm->cmd[nm->n++] = -1;
		}
	for (int c = 0; c < GC__COUNT; c++)
		if ((m->cmds & GC_BIT(c)) && nm->n < 64) {
			nm->v[nm->n] = gr_cmd_names[c];
			nm->menu[nm->n] = NULL;
			nm->cmd[nm->n++] = c;
		}
}

/* One path component; returns 1 = menu changed, 2 = command found, -1. */
static int path_component(struct pstate *ps, const struct tok *t,
			  const char *c, size_t len, int col,
			  const struct gr_menu **menu, int *cmd)
{
	struct names nm;
	size_t idx;
	struct tok at = *t;

	at.col = col;
	if (len == 2 && strncmp(c, "..", 2) == 0) {
		const struct gr_menu *p = gr_menu_parent(*menu);
		*menu = p ? p : *menu;
		return 1;
	}
	collect_names(*menu, &nm);
	enum gr_match_rc rc = gr_match(c, len, nm.v, nm.n, &idx);
	if (rc != GR_M_OK) {
		char word[128];
		snprintf(word, sizeof(word), "%.*s", (int)len, c);
		return ps_error(ps, &at, true, "%s command name %s",
				rc == GR_M_AMBIGUOUS ? "ambiguous" : "bad", word);
	}
	if (nm.menu[idx]) {
		*menu = nm.menu[idx];
		return 1;
	}
	*cmd = nm.cmd[idx];
	return 2;
}

static bool word_is_named_arg(struct pstate *ps)
{
	struct tok *n = ps_peek2(ps);
	return n->kind == TK_EQ && !n->space_before;
}

/* Walks path words; sets *menu and *cmd (-1 when the line only changes menu). */
int ps_path(struct pstate *ps, const struct gr_menu **menu, int *cmd)
{
	*cmd = -1;
	while (ps_peek(ps)->kind == TK_WORD && !word_is_named_arg(ps)) {
		struct tok *t = ps_next(ps);
		const char *s = t->text;
		if (*s == '/')
			*menu = gr_menus;
		while (*s) {
			while (*s == '/')
				s++;
			size_t len = strcspn(s, "/");
			if (!len)
				break;
			int rc = path_component(ps, t, s, len,
						t->col + (int)(s - t->text), menu, cmd);
			if (rc < 0)
				return -1;
			s += len;
			if (rc == 2) {
				if (*s)
					return ps_error(ps, t, true, "expected end of command");
				return 0;
			}
		}
	}
	return 0;
}

void gr_path_spaced(const struct gr_menu *m, char *buf, size_t len)
{
	snprintf(buf, len, "%s", m->path);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/')
			*p = ' ';
}

/* A path component of a menu rosh does not have, onto out. */
static void add_unknown(struct strbuf *out, const char *s, size_t len)
{
	sb_printf(out, "%s%.*s", out->len ? " " : "/", (int)len, s);
}

static bool is_cmd_name(const char *s, size_t len)
{
	for (int c = 0; c < GC__COUNT; c++)
		if (strlen(gr_cmd_names[c]) == len &&
		    strncmp(s, gr_cmd_names[c], len) == 0)
			return true;
	return false;
}

/*
 * One path component from *m; false once the path left rosh's menus
 * (out then holds the unknown path). *stop: a command name ends the path.
 */
static bool walk_component(const struct gr_menu **m, const char *s,
			   size_t len, bool lost, struct strbuf *out,
			   bool *stop)
{
	struct names nm;
	size_t idx;

	if (len == 2 && strncmp(s, "..", 2) == 0 && !lost) {
		const struct gr_menu *p = gr_menu_parent(*m);
		*m = p ? p : *m;
		return true;
	}
	if (lost) {
		if (!(*stop = is_cmd_name(s, len)))
			add_unknown(out, s, len);
		return false;
	}
	collect_names(*m, &nm);
	if (gr_match(s, len, nm.v, nm.n, &idx) == GR_M_OK) {
		if (nm.menu[idx])
			*m = nm.menu[idx];
		else
			*stop = true;
		return true;
	}
	if (strcmp((*m)->path, "/") != 0) {
		char buf[128];
		gr_path_spaced(*m, buf, sizeof(buf));
		sb_adds(out, buf);
	}
	add_unknown(out, s, len);
	return false;
}

/*
 * --keep-going: the menu a statement (starting at token ps->i) names, so
 * a line that fails still counts for its menu. Walks the leading path
 * words from cwd, or from `unk`: the path of a menu rosh does not have
 * that an earlier line changed to. Words after the first unknown one are
 * part of the unknown path until a command name or an argument.
 * *known: every word named one of rosh's menus. *cd_only: nothing but a
 * path (the line changes menu).
 */
void ps_attribute(struct pstate *ps, const struct gr_menu *cwd,
		  const char *unk, struct strbuf *out, bool *known,
		  bool *cd_only)
{
	const struct gr_menu *m = cwd;
	struct tok *t = ps_peek(ps);
	bool lost = unk && unk[0] && !(t->kind == TK_WORD && t->text[0] == '/');
	bool stop = false;

	sb_reset(out);
	*known = *cd_only = false;
	if (t->kind != TK_WORD || t->text[0] == ':') {
		sb_adds(out, "(scripting)");
		return;
	}
	if (lost)
		sb_adds(out, unk);
	for (size_t i = ps->i; !stop && ps->toks.v[i].kind == TK_WORD; i++) {
		const char *s = ps->toks.v[i].text;
		enum tok_kind next = ps->toks.v[i + 1].kind;
		if (next == TK_EQ || strchr(s, '='))
			break;
		if (*s == '/' && !lost)
			m = gr_menus;
		for (size_t len; *s && !stop; s += len) {
			while (*s == '/')
				s++;
			if (!(len = strcspn(s, "/")))
				break;
			if (!walk_component(&m, s, len, lost, out, &stop))
				lost = true;
		}
		if (!stop && (next == TK_EOL || next == TK_EOF))
			*cd_only = true;
	}
	if (!lost) {
		char buf[128];
		gr_path_spaced(m, buf, sizeof(buf));
		sb_adds(out, buf);
		*known = true;
	}
}

/* ---- keep-going: statement by statement ---- */

struct lines_st {
	struct pstate ps;
	struct gr_diag d;
	const char *base;	/* source the tokens were lexed from */
	int base_line;
	const struct gr_menu *cwd;
	char *unk;		/* current menu when it is one rosh lacks */
	char unk_msg[256];	/* the error its menu line gave */
	struct strbuf menu;
	bool known, cd_only;
	const struct gr_menu *outer[16];	/* cwd around each open block */
	char *outer_unk[16];			/* and its unk */
	int nblk;
};

static void line_add(struct gr_lines *out, struct lines_st *ls,
		     struct gr_stmt *st)
{
	out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
	struct gr_line *l = &out->v[out->n++];
	memset(l, 0, sizeof(*l));
	l->st = st;
	l->d = ls->d;
	l->menu = xstrdup(sb_str(&ls->menu));
	l->known = ls->known;
	l->cd = ls->cd_only || (st && st->kind == ST_CD);
}

/*
 * After a failed statement starting at token `start`: skip to the end of
 * its line (nested brackets and braces included). A lexical error ends
 * the tokens early: lex again from the line after it. Returns false at
 * the end of the source.
 */
static bool skip_stmt(struct lines_st *ls, size_t start)
{
	int depth = 0;

	for (size_t i = start;; i++) {
		struct tok *t = &ls->ps.toks.v[i];
		switch (t->kind) {
		case TK_LBRACK: case TK_LBRACE: depth++; break;
		case TK_RBRACK: case TK_RBRACE:
			if (!depth && i > start) {	/* ends an open block */
				ls->ps.i = i;
				return true;
			}
			depth -= depth > 0;
			break;
		case TK_EOL:
			if (depth)
				break;
			/* fall through */
		case TK_EOF:
			ls->ps.i = i;
			return t->kind != TK_EOF;
		case TK_ERROR: {
			const char *p = ls->base;
			for (int l = ls->base_line; l <= t->line && *p; l++)
				p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != 0);
			ls->base_line = t->line + 1;
			ls->base = p;
			tok_list_free(&ls->ps.toks);
			lex_all(p, ls->base_line, &ls->ps.toks);
			ls->ps.i = 0;
			return *p != 0;
		}
		default: break;
		}
	}
}

/* A lexical error in the failed statement is its real error. */
static void lex_error_first(struct lines_st *ls, const struct tok *first)
{
	for (const struct tok *t = first; t->kind != TK_EOF; t++) {
		if (t->kind == TK_EOL && t->line > ls->d.line)
			return;
		if (t->kind == TK_ERROR) {
			snprintf(ls->d.msg, sizeof(ls->d.msg), "%s", t->text);
			ls->d.line = t->line;
			ls->d.col = t->col;
			ls->d.with_pos = true;
			return;
		}
	}
}

/* One top-level statement at ls->ps.i, parsed or with its error. */
static struct gr_stmt *line_stmt(struct lines_st *ls)
{
	struct tok *first = ps_peek(&ls->ps);
	bool relative = !(first->kind == TK_WORD && first->text[0] == '/');
	struct gr_stmt *st = NULL;

	ps_attribute(&ls->ps, ls->cwd, ls->unk, &ls->menu, &ls->known,
		     &ls->cd_only);
	if (ls->unk && relative && strcmp(sb_str(&ls->menu), "(scripting)")) {
		ps_error(&ls->ps, first, true, "%s", ls->unk_msg);
		return NULL;
	}
	st = ps_stmt(&ls->ps, &ls->cwd);
	enum tok_kind k = ps_peek(&ls->ps)->kind;
	if (st && k != TK_EOL && k != TK_EOF && !(k == TK_RBRACE && ls->nblk)) {
		ps_error(&ls->ps, ps_peek(&ls->ps), true, "expected end of command");
		gr_stmt_free(st);
		st = NULL;
	}
	if (!st)
		lex_error_first(ls, first);
	if (st && st->kind == ST_CD) {
		free(ls->unk);
		ls->unk = NULL;
	}
	if (!st && ls->cd_only && !ls->known) {
		free(ls->unk);
		ls->unk = xstrdup(sb_str(&ls->menu));
		snprintf(ls->unk_msg, sizeof(ls->unk_msg), "%s", ls->d.msg);
	}
	return st;
}

/*
 * `/ip firewall filter {` opens a block: its lines are taken one by one
 * in that menu, until the matching `}`. False (nothing consumed) when
 * the statement is something else.
 */
static bool block_open(struct lines_st *ls)
{
	size_t start = ls->ps.i;
	const struct gr_menu *m = ls->cwd;
	int cmd;

	struct tok *t = ps_peek(&ls->ps);

	if (ls->nblk < 16 && t->kind == TK_WORD &&
	    (!ls->unk || t->text[0] == '/') &&
	    ps_path(&ls->ps, &m, &cmd) == 0 && cmd < 0 &&
	    ps_peek(&ls->ps)->kind == TK_LBRACE) {
		ps_next(&ls->ps);
		ls->outer_unk[ls->nblk] = ls->unk;
		ls->outer[ls->nblk++] = ls->cwd;
		ls->unk = NULL;
		ls->cwd = m;
		return true;
	}
	ls->ps.i = start;
	memset(&ls->d, 0, sizeof(ls->d));
	return false;
}

void gr_parse_lines(const char *src, int first_line,
		    const struct gr_menu *cwd, struct gr_lines *out)
{
	struct lines_st ls = { .base = src, .base_line = first_line, .cwd = cwd,
			       .menu = STRBUF_INIT };

	ls.ps.d = &ls.d;
	memset(out, 0, sizeof(*out));
	lex_all(src, first_line, &ls.ps.toks);
	for (;;) {
		while (ps_peek(&ls.ps)->kind == TK_EOL)
			ps_next(&ls.ps);
		if (ps_peek(&ls.ps)->kind == TK_EOF)
			break;
		if (ps_peek(&ls.ps)->kind == TK_RBRACE && ls.nblk) {
			ps_next(&ls.ps);
			ls.cwd = ls.outer[--ls.nblk];
			free(ls.unk);
			ls.unk = ls.outer_unk[ls.nblk];
			continue;
		}
		memset(&ls.d, 0, sizeof(ls.d));
		if (block_open(&ls))
			continue;
		size_t start = ls.ps.i;
		ls.ps.cwd = ls.cwd;
		struct gr_stmt *st = line_stmt(&ls);
		line_add(out, &ls, st);
		if (!st && !skip_stmt(&ls, start))
			break;
	}
	tok_list_free(&ls.ps.toks);
	sb_free(&ls.menu);
	free(ls.unk);
	while (ls.nblk)
		free(ls.outer_unk[--ls.nblk]);
}

void gr_lines_free(struct gr_lines *l)
{
	for (size_t i = 0; i < l->n; i++) {
		gr_stmt_free(l->v[i].st);
		free(l->v[i].menu);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
