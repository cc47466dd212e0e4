/* Arguments of a command, statements, blocks and scripts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"
#include "match.h"
#include "parse.h"
#include "parse_int.h"
#include "strbuf.h"

static int parse_stmts(struct pstate *ps, const struct gr_menu **cwd,
		       struct gr_stmt ***v, size_t *n, enum tok_kind until);

static struct gr_arg *arg_new(struct gr_stmt *st, enum gr_arg_kind kind,
			      int idx, const struct tok *t)
{
	st->args = xrealloc(st->args, (st->nargs + 1) * sizeof(*st->args));
	struct gr_arg *a = &st->args[st->nargs++];
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->idx = idx;
	a->line = t->line;
	a->col = t->col;
	return a;
}

/* [ command ] inside a value: one statement run in the enclosing menu. */
static int parse_sub(struct pstate *ps, const struct gr_menu *m,
		     struct gr_value *v)
{
	struct gr_stmt **body = NULL;
	size_t n = 0;
	const struct gr_menu *cwd = m;
	struct tok *open = ps_next(ps);

	if (parse_stmts(ps, &cwd, &body, &n, TK_RBRACK) < 0)
		goto fail;
	if (ps_peek(ps)->kind != TK_RBRACK || n != 1 || body[0]->kind != ST_CMD) {
		ps_error(ps, n == 1 ? ps_peek(ps) : open, true, "syntax error");
		goto fail;
	}
	ps_next(ps);
	v->sub = body[0];
	free(body);
	return 0;
fail:
	for (size_t i = 0; i < n; i++)
		gr_stmt_free(body[i]);
	free(body);
	return -1;
}

/* A value after '=' or a positional: word, "string", !word, [cmd], $var. */
static int parse_value(struct pstate *ps, const struct gr_menu *m,
		       struct gr_value *v)
{
	struct tok *t = ps_peek(ps);

	v->line = t->line;
	v->col = t->col;
	if (t->kind == TK_BANG && !ps_peek2(ps)->space_before &&
	    (ps_peek2(ps)->kind == TK_WORD || ps_peek2(ps)->kind == TK_STRING)) {
		v->negated = true;
		ps_next(ps);
		t = ps_peek(ps);
	}
	switch (t->kind) {
	case TK_WORD:
	case TK_STRING:
		ps_next(ps);
		v->text = xstrdup(t->text);
		return 0;
	case TK_LBRACK:
		return parse_sub(ps, m, v);
	case TK_VAR:	/* :global and friends are not supported */
		return ps_error(ps, t, true, "syntax error (script variable "
				"$%s: scripting is not supported)", t->text);
	default:
		return ps_error(ps, t, true, "syntax error");
	}
}

static bool at_glued_value(struct pstate *ps)
{
	struct tok *t = ps_peek(ps);

	return !t->space_before && !ps_at_end(ps) &&
	       (t->kind == TK_WORD || t->kind == TK_STRING ||
		t->kind == TK_LBRACK || t->kind == TK_BANG || t->kind == TK_VAR);
}

/* name=value: an option or a property of the menu. */
static int parse_named(struct pstate *ps, struct gr_stmt *st,
		       const struct cmd_spec *cs)
{
	struct tok *t = ps_next(ps);
	const struct gr_menu *m = st->menu;
	const char *names[O__COUNT];
	size_t idx;
	struct tok *eq = ps_next(ps);
	for (int o = 0; o < O__COUNT; o++)
		names[o] = (cs->opts & B(o)) && o != O_WHERE ? gr_opt_names[o] : NULL;
	enum gr_match_rc orc = gr_match(t->text, strlen(t->text), names, O__COUNT, &idx);
	struct gr_arg *a;
	if (orc == GR_M_OK && (!cs->props || gr_prop_index(m, t->text) < 0)) {
		/* a flag takes no value: `export show-sensitive=yes` */
		if (!((gr_valued_opts | cs->valued) & B(idx)))
			return ps_error(ps, eq, true, "expected end of command");
		a = arg_new(st, GA_OPT, (int)idx, t);
	} else if (st->cmd == GC_COMMENT && t->text[0] &&
		   !strncmp("comment", t->text, strlen(t->text))) {
		/* comment <ids> comment="text" is the documented form */
		a = arg_new(st, GA_PROP, gr_prop_index(m, "comment"), t);
	} else if (cs->props) {
		int p = ps_prop(ps, m, t, st->cmd == GC_PRINT);
		if (p < 0)
			return -1;
		a = arg_new(st, GA_PROP, p, t);
	} else {
		return ps_error(ps, t, true, "%s",
				orc == GR_M_AMBIGUOUS ? "ambiguous argument name"
						     : "expected end of command");
	}
	a->has_value = true;
	if (!at_glued_value(ps)) {
		/* `name=` then more arguments: RouterOS wants name="" */
		if (!ps_at_end(ps))
			return ps_error(ps, ps_peek(ps), true, "syntax error");
		a->val.text = xstrdup("");
		a->val.line = t->line;
		a->val.col = t->col;
		return 0;
	}
	return parse_value(ps, m, &a->val);
}

/* A bare word: a flag option, `where`, or a positional argument. */
static int parse_bare(struct pstate *ps, struct gr_stmt *st,
		      const struct cmd_spec *cs, int *npos)
{
	struct tok *t = ps_peek(ps);
	const char *names[O__COUNT];
	size_t idx;

	if (t->kind == TK_WORD) {
		for (int o = 0; o < O__COUNT; o++)
			names[o] = (cs->opts & B(o)) && !(gr_valued_opts & B(o))
				   ? gr_opt_names[o] : NULL;
		enum gr_match_rc rc = gr_match(t->text, strlen(t->text), names,
					       O__COUNT, &idx);
		if (rc == GR_M_OK) {
			ps_next(ps);
			if ((int)idx == O_WHERE) {
				st->where = ps_where(ps, st->menu);
				return st->where ? 0 : -1;
			}
			arg_new(st, GA_OPT, (int)idx, t);
			return 0;
		}
		if (rc == GR_M_AMBIGUOUS && (*npos >= 2 || cs->pos[*npos] == -1))
			return ps_error(ps, t, true, "ambiguous argument name %s", t->text);
	}
	if (*npos >= 2 || cs->pos[*npos] == -1 ||
	    (cs->pos[*npos] == O_NUMBERS && st->menu->kind == GM_SINGLE))
		return ps_error(ps, t, true, "expected end of command");
	int pos = cs->pos[(*npos)++];
	struct gr_arg *a = pos == POS_COMMENT
		? arg_new(st, GA_PROP, gr_prop_index(st->menu, "comment"), t)
		: arg_new(st, GA_OPT, pos, t);
	if (a->idx < 0)
		return ps_error(ps, t, true, "expected end of command");
	a->has_value = true;
	return parse_value(ps, st->menu, &a->val);
}

/*
 * `!name` on set: unset that property. On add (export verbose writes
 * one for every property not set, including ones of newer RouterOS
 * versions) it says the property stays unset, which it does: nothing to
 * do, whatever the name.
 */
static int parse_unset(struct pstate *ps, struct gr_stmt *st)
{
	struct tok *bang = ps_next(ps);
	struct tok *t = ps_next(ps);

	if (st->cmd == GC_ADD)	/* even a property rosh lacks is unset */
		return 0;
	int p = ps_prop(ps, st->menu, t, false);
	if (p < 0)
		return -1;
	struct gr_arg *a = arg_new(st, GA_PROP, p, bang);
	a->unset = true;
	return 0;
}

/*
 * name="" for an optional property whose type says "" is none (exports
 * write include="" exclude="" for lists of lists): no value. On set it
 * unsets the property; on add it is the default, so the argument goes.
 * For any other type ps_canon judges "" (free text takes it, the rest
 * refuse it): an empty value never silently drops a matcher.
 */
static bool empty_is_unset(struct gr_stmt *st, struct gr_arg *a)
{
	const struct gr_prop *p = &st->menu->props[a->idx];

	if (a->val.text[0] || a->val.negated || (p->flags & GP_REQ) ||
	    !p->type->empty_none || (st->cmd != GC_ADD && st->cmd != GC_SET))
		return false;
	if (st->cmd == GC_SET) {
		a->unset = true;
		return true;
	}
	free(a->val.text);
	size_t i = (size_t)(a - st->args);
	memmove(a, a + 1, (st->nargs - i - 1) * sizeof(*a));
	st->nargs--;
	return true;
}

/* Type-check property values now, so a script fails before it runs. */
static int canon_props(struct pstate *ps, struct gr_stmt *st)
{
	for (size_t i = st->nargs; i-- > 0;) {	/* backwards: args may go */
		struct gr_arg *a = &st->args[i];
		if (a->kind == GA_PROP && !a->unset && a->val.text &&
		    !(st->menu->props[a->idx].flags & GP_ARG))
			empty_is_unset(st, a);
	}
	for (size_t i = 0; i < st->nargs; i++) {
		struct gr_arg *a = &st->args[i];
		if (a->kind != GA_PROP || a->unset || !a->val.text)
			continue;
		if (st->menu->props[a->idx].flags & GP_ARG) {
			a->canon = xstrdup(a->val.text);
			continue;
		}
		struct tok at = { .line = a->val.line, .col = a->val.col };
		a->canon = ps_canon(ps, st->menu, a->idx, a->val.text,
				    a->val.negated, &at);
		if (!a->canon)
			return -1;
	}
	return 0;
}

static int check_required(struct pstate *ps, struct gr_stmt *st,
			  const struct tok *cmdtok)
{
	const struct gr_menu *m = st->menu;

	if (st->cmd != GC_ADD || gr_stmt_arg(st, GA_OPT, O_COPY_FROM))
		return 0;
	for (size_t i = 0; i < m->nprops; i++) {
		if (!m->props[i].name || !(m->props[i].flags & GP_REQ))
			continue;
		if (!gr_stmt_arg(st, GA_PROP, (int)i))
			return ps_error(ps, cmdtok, false,
					"missing value(s) of argument(s) %s",
					m->props[i].name);
	}
	return 0;
}

static int parse_args(struct pstate *ps, struct gr_stmt *st,
		      const struct tok *cmdtok)
{
	const struct cmd_spec *cs = &gr_cmd_specs[st->cmd];
	int npos = 0;

	if (st->cmd == GC_FIND) {
		if (ps_peek(ps)->kind == TK_WORD &&
		    strcmp(ps_peek(ps)->text, "where") == 0)
			ps_next(ps);
		if (!ps_at_end(ps) && !(st->where = ps_where(ps, st->menu)))
			return -1;
		return 0;
	}
	while (!ps_at_end(ps)) {
		struct tok *t = ps_peek(ps);
		int rc;
		if (t->kind == TK_WORD && ps_peek2(ps)->kind == TK_EQ &&
		    !ps_peek2(ps)->space_before)
			rc = parse_named(ps, st, cs);
		else if (t->kind == TK_BANG && cs->props &&
			 (st->cmd == GC_SET || st->cmd == GC_ADD) &&
			 ps_peek2(ps)->kind == TK_WORD && !ps_peek2(ps)->space_before)
			rc = parse_unset(ps, st);
		else
			rc = parse_bare(ps, st, cs, &npos);
		if (rc < 0)
			return -1;
	}
	if (canon_props(ps, st) < 0)
		return -1;
	return check_required(ps, st, cmdtok);
}

static struct gr_stmt *stmt_new(const struct tok *t, enum gr_stmt_kind k,
				const struct gr_menu *m)
{
	struct gr_stmt *st = xcalloc(1, sizeof(*st));

	st->kind = k;
	st->line = t->line;
	st->col = t->col;
	st->menu = m;
	return st;
}

/* One statement; *cwd follows menu changes. NULL with no error = empty. */
struct gr_stmt *ps_stmt(struct pstate *ps, const struct gr_menu **cwd)
{
	struct tok *first = ps_peek(ps);
	const struct gr_menu *m = *cwd;
	int cmd;

	if (first->kind == TK_ERROR) {
		ps_error(ps, first, true, "%s", first->text);
		return NULL;
	}
	if (first->kind != TK_WORD && first->kind != TK_LBRACE) {
		ps_error(ps, first, true, "syntax error");
		return NULL;
	}
	if (ps_path(ps, &m, &cmd) < 0)
		return NULL;
	if (cmd < 0 && ps_peek(ps)->kind == TK_LBRACE) {
		struct gr_stmt *st = stmt_new(first, ST_BLOCK, m);
		const struct gr_menu *inner = m;
		ps_next(ps);
		if (parse_stmts(ps, &inner, &st->body, &st->nbody, TK_RBRACE) < 0 ||
		    ps_peek(ps)->kind != TK_RBRACE) {
			ps_error(ps, ps_peek(ps), true, "syntax error");
			gr_stmt_free(st);
			return NULL;
		}
		ps_next(ps);
		return st;
	}
	if (cmd < 0) {
		if (!ps_at_end(ps)) {
			ps_error(ps, ps_peek(ps), true, "bad command name %s",
				 ps_peek(ps)->text ? ps_peek(ps)->text : "");
			return NULL;
		}
		*cwd = m;
		return stmt_new(first, ST_CD, m);
	}
	struct gr_stmt *st = stmt_new(first, ST_CMD, m);
	st->cmd = (enum gr_cmd_id)cmd;
	if (parse_args(ps, st, first) < 0) {
		gr_stmt_free(st);
		return NULL;
	}
	return st;
}

static int parse_stmts(struct pstate *ps, const struct gr_menu **cwd,
		       struct gr_stmt ***v, size_t *n, enum tok_kind until)
{
	for (;;) {
		while (ps_peek(ps)->kind == TK_EOL)
			ps_next(ps);
		enum tok_kind k = ps_peek(ps)->kind;
		if (k == TK_EOF || k == until)
			return 0;
		struct gr_stmt *st = ps_stmt(ps, cwd);
		if (!st)
			return -1;
		*v = xrealloc(*v, (*n + 1) * sizeof(**v));
		(*v)[(*n)++] = st;
		k = ps_peek(ps)->kind;
		if (k != TK_EOL && k != TK_EOF && k != until)
			return ps_error(ps, ps_peek(ps), true, "expected end of command");
	}
}

int gr_parse(const char *src, int first_line, const struct gr_menu *cwd,
	     struct gr_script *out, struct gr_diag *d)
{
	struct pstate ps = { .d = d, .cwd = cwd };
	int rc;

	memset(d, 0, sizeof(*d));
	memset(out, 0, sizeof(*out));
	out->cwd = cwd;
	lex_all(src, first_line, &ps.toks);
	for (size_t i = 0; i < ps.toks.n; i++)	/* lexical errors first */
		if (ps.toks.v[i].kind == TK_ERROR) {
			ps_error(&ps, &ps.toks.v[i], true, "%s", ps.toks.v[i].text);
			tok_list_free(&ps.toks);
			return -1;
		}
	rc = parse_stmts(&ps, &out->cwd, &out->v, &out->n, TK_EOF);
	if (rc == 0 && ps_peek(&ps)->kind != TK_EOF)
		rc = ps_error(&ps, ps_peek(&ps), true, "syntax error");
	tok_list_free(&ps.toks);
	if (rc < 0) {
		gr_script_free(out);
		out->cwd = cwd;
	}
	return rc;
}

void gr_stmt_free(struct gr_stmt *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->nargs; i++) {
		free(st->args[i].val.text);
		gr_stmt_free(st->args[i].val.sub);
		free(st->args[i].canon);
	}
	free(st->args);
	gr_where_free(st->where);
	for (size_t i = 0; i < st->nbody; i++)
		gr_stmt_free(st->body[i]);
	free(st->body);
	free(st);
}

void gr_script_free(struct gr_script *s)
{
	for (size_t i = 0; i < s->n; i++)
		gr_stmt_free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

const struct gr_arg *gr_stmt_arg(const struct gr_stmt *st,
				 enum gr_arg_kind kind, int idx)
{
	for (size_t i = 0; i < st->nargs; i++)
		if (st->args[i].kind == kind && st->args[i].idx == idx)
			return &st->args[i];
	return NULL;
}
