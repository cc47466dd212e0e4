/* where: parse (RouterOS precedence ! > compare > and > or) and evaluate. */
#include "where.h"

#include <stdlib.h>
#include <string.h>

#include "parse_int.h"
#include "strbuf.h"

static struct gr_where *wh_new(enum wh_kind k)
{
	struct gr_where *w = xcalloc(1, sizeof(*w));

	w->kind = k;
	return w;
}

void gr_where_free(struct gr_where *w)
{
	if (!w)
		return;
	gr_where_free(w->a);
	gr_where_free(w->b);
	free(w->value);
	if (w->has_re)
		regfree(&w->re);
	free(w);
}

static struct gr_where *wh_or(struct pstate *ps, const struct gr_menu *m);

static bool is_kw(const struct tok *t, const char *a, const char *b)
{
	return t->kind == TK_WORD &&
	       (strcmp(t->text, a) == 0 || (b && strcmp(t->text, b) == 0));
}

static int wh_op_of(const struct tok *t, enum wh_op *op)
{
	static const enum tok_kind kinds[] = { TK_EQ, TK_NE, TK_LT, TK_GT,
					       TK_LE, TK_GE, TK_TILDE };
	static const enum wh_op ops[] = { WO_EQ, WO_NE, WO_LT, WO_GT,
					  WO_LE, WO_GE, WO_RE };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if (t->kind == kinds[i]) {
			*op = ops[i];
			return 0;
		}
	if (is_kw(t, "in", NULL)) {
		*op = WO_IN;
		return 0;
	}
	return -1;
}

/*
 * Types whose constant must parse: a typo there would make `=` match
 * nothing and `!=` everything. Free text, names, addresses (where a
 * partial text is compared as text, as RouterOS does) stay lenient.
 */
static bool strict_type(const struct gr_prop *p)
{
	switch (p->type->kind) {
	case GK_BOOL: case GK_INT: case GK_DURATION: case GK_ENUM:
	case GK_ENUM_LIST: case GK_HEX: case GK_RATE: case GK_CUSTOM:
	case GK_INT_RANGE: case GK_PORTS: case GK_MAC:
		return true;
	default:
		return false;
	}
}

/* The constant: parsed by the property's type when it can be. */
static int wh_value(struct pstate *ps, struct gr_where *w)
{
	struct tok *t = ps_next(ps);
	bool neg = false;
	struct strbuf sb = STRBUF_INIT;

	if (t->kind == TK_BANG && !ps_peek(ps)->space_before) {
		neg = true;
		t = ps_next(ps);
	}
	if (t->kind != TK_WORD && t->kind != TK_STRING)
		return ps_error(ps, t, true, "syntax error");
	if (neg)
		sb_addc(&sb, '!');
	if (w->op == WO_RE) {
		sb_adds(&sb, t->text);
		w->value = sb_steal(&sb);
		int rc = regcomp(&w->re, w->value, REG_EXTENDED | REG_NOSUB);
		if (rc) {
			char msg[128];
			regerror(rc, &w->re, msg, sizeof(msg));
			return ps_error(ps, t, true,
					"invalid regular expression: %s", msg);
		}
		w->has_re = true;
		return 0;
	}
	enum gr_perr rc = w->p ? gr_value_parse(w->p->type, t->text, &sb)
			       : GR_PE_INVALID;
	if (rc == GR_PE_OK) {
		w->value = sb_steal(&sb);
	} else if (w->p && w->op != WO_IN && *t->text && strict_type(w->p)) {
		/* `remove [find protocol!=tpc]` must not match everything */
		sb_free(&sb);
		return ps_value_error(ps, t, true, rc, w->p->name);
	} else {
		sb_reset(&sb);
		if (neg)
			sb_addc(&sb, '!');
		sb_adds(&sb, t->text);
		w->value = sb_steal(&sb);
	}
	if (w->p)
		w->has_num = gr_value_num(w->p->type, w->value, &w->num);
	return 0;
}

static struct gr_where *wh_cond(struct pstate *ps, const struct gr_menu *m)
{
	struct tok *t = ps_peek(ps);
	struct gr_where *w = wh_new(WH_BARE);

	if (t->kind != TK_WORD) {
		ps_error(ps, t, true, "syntax error");
		goto fail;
	}
	ps_next(ps);
	if (strcmp(t->text, ".id") == 0) {
		w->prop = WH_PROP_ID;
	} else {
		w->prop = ps_prop(ps, m, t, true);
		if (w->prop < 0)
			goto fail;
		w->p = &m->props[w->prop];
	}
	if (wh_op_of(ps_peek(ps), &w->op) == 0) {
		w->kind = WH_CMP;
		ps_next(ps);
		if (wh_value(ps, w) < 0)
			goto fail;
	}
	return w;
fail:
	gr_where_free(w);
	return NULL;
}

static struct gr_where *wh_unary(struct pstate *ps, const struct gr_menu *m)
{
	struct tok *t = ps_peek(ps);

	if (t->kind == TK_BANG || is_kw(t, "not", NULL)) {
		ps_next(ps);
		struct gr_where *a = wh_unary(ps, m);
		if (!a)
			return NULL;
		struct gr_where *w = wh_new(WH_NOT);
		w->a = a;
		return w;
	}
	if (t->kind == TK_LPAREN) {
		ps_next(ps);
		struct gr_where *w = wh_or(ps, m);
		if (!w)
			return NULL;
		if (ps_peek(ps)->kind != TK_RPAREN) {
			ps_error(ps, ps_peek(ps), true, "syntax error");
			gr_where_free(w);
			return NULL;
		}
		ps_next(ps);
		return w;
	}
	return wh_cond(ps, m);
}

static bool wh_stop(struct pstate *ps)
{
	return ps_at_end(ps) || ps_peek(ps)->kind == TK_RPAREN ||
	       is_kw(ps_peek(ps), "or", "||");
}

static struct gr_where *wh_and(struct pstate *ps, const struct gr_menu *m)
{
	struct gr_where *w = wh_unary(ps, m);

	while (w && !wh_stop(ps)) {
		if (is_kw(ps_peek(ps), "and", "&&"))
			ps_next(ps);	/* explicit; juxtaposition also ANDs */
		struct gr_where *b = wh_unary(ps, m);
		if (!b) {
			gr_where_free(w);
			return NULL;
		}
		struct gr_where *n = wh_new(WH_AND);
		n->a = w;
		n->b = b;
		w = n;
	}
	return w;
}

static struct gr_where *wh_or(struct pstate *ps, const struct gr_menu *m)
{
	struct gr_where *w = wh_and(ps, m);

	while (w && is_kw(ps_peek(ps), "or", "||")) {
		ps_next(ps);
		struct gr_where *b = wh_and(ps, m);
		if (!b) {
			gr_where_free(w);
			return NULL;
		}
		struct gr_where *n = wh_new(WH_OR);
		n->a = w;
		n->b = b;
		w = n;
	}
	return w;
}

struct gr_where *ps_where(struct pstate *ps, const struct gr_menu *m)
{
	if (ps_at_end(ps)) {
		ps_error(ps, ps_peek(ps), true, "syntax error");
		return NULL;
	}
	struct gr_where *w = wh_or(ps, m);
	if (w && !ps_at_end(ps)) {
		ps_error(ps, ps_peek(ps), true, "syntax error");
		gr_where_free(w);
		return NULL;
	}
	return w;
}

/* ---- evaluation ---- */

static bool is_bool(const struct gr_where *w)
{
	return w->p && w->p->type->kind == GK_BOOL;
}

static const char *have_text(const struct gr_where *w, const char *have)
{
	if (have)
		return have;
	return is_bool(w) ? "no" : "";
}

static bool wh_cmp(const struct gr_where *w, const char *have)
{
	const char *h = have_text(w, have);
	double n;

	switch (w->op) {
	case WO_EQ:
		return w->p ? gr_value_eq(w->p->type, h, w->value)
			    : strcmp(h, w->value) == 0;
	case WO_NE:
		return !(w->p ? gr_value_eq(w->p->type, h, w->value)
			      : strcmp(h, w->value) == 0);
	case WO_RE:
		return regexec(&w->re, h, 0, NULL, 0) == 0;
	case WO_IN:
		return have && gr_value_in(h, w->value);
	case WO_LT: case WO_GT: case WO_LE: case WO_GE:
		if (!w->has_num || !have || !gr_value_num(w->p->type, h, &n))
			return false;
		return w->op == WO_LT ? n < w->num : w->op == WO_GT ? n > w->num
		     : w->op == WO_LE ? n <= w->num : n >= w->num;
	}
	return false;
}

bool gr_where_eval(const struct gr_where *w, gr_where_get get, void *item)
{
	if (!w)
		return true;
	switch (w->kind) {
	case WH_AND:
		return gr_where_eval(w->a, get, item) &&
		       gr_where_eval(w->b, get, item);
	case WH_OR:
		return gr_where_eval(w->a, get, item) ||
		       gr_where_eval(w->b, get, item);
	case WH_NOT:
		return !gr_where_eval(w->a, get, item);
	case WH_BARE: {
		const char *h = get(item, w->prop);
		if (is_bool(w))
			return h && strcmp(h, "yes") == 0;
		return h && *h;
	}
	case WH_CMP:
		return wh_cmp(w, get(item, w->prop));
	}
	return false;
}

static size_t hint_one(const struct gr_where *w, bool neg,
		       struct gr_where_hint *out)
{
	if (w->kind == WH_NOT)
		return hint_one(w->a, !neg, out);
	if (w->kind == WH_BARE && is_bool(w)) {
		*out = (struct gr_where_hint){ w->prop, WO_EQ, "yes", neg };
		return 1;
	}
	if (w->kind != WH_CMP || w->prop == WH_PROP_ID)
		return 0;
	*out = (struct gr_where_hint){ w->prop, w->op, w->value, neg };
	return 1;
}

size_t gr_where_hints(const struct gr_where *w, struct gr_where_hint *out,
		      size_t max)
{
	if (!w || !max)
		return 0;
	if (w->kind == WH_AND) {
		size_t n = gr_where_hints(w->a, out, max);
		return n + gr_where_hints(w->b, out + n, max - n);
	}
	return hint_one(w, false, out);
}
