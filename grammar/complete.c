/*
 * Completion and '?' help: what may come at the end of a partial line.
 * Deliberately lenient (a half-typed line does not parse): it splits on
 * blanks, walks path words with the same matcher as the parser, then offers
 * options, property names or enum values from the schema, and names of live
 * items (lists, chains) through the caller's gr_namesrc (complete.h).
 */
#include <stdlib.h>
#include <string.h>

#include "complete.h"
#include "match.h"
#include "parse.h"
#include "parse_int.h"
#include "strbuf.h"

static void cand_add(struct gr_cands *c, const char *word, size_t wlen,
		     const char *suffix, const char *help, bool partial)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->v = xrealloc(c->v, c->cap * sizeof(*c->v));
	}
	struct strbuf sb = STRBUF_INIT;
	sb_addn(&sb, word, wlen);
	sb_adds(&sb, suffix);
	c->v[c->n++] = (struct gr_cand){ sb_steal(&sb), help, partial };
}

void gr_cands_free(struct gr_cands *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].word);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char *menu_name(const struct gr_menu *m)
{
	const char *s = strrchr(m->path, '/');
	return s ? s + 1 : m->path;
}

/* Submenus and commands of m starting with prefix. */
static void offer_path(const struct gr_menu *m, const char *prefix,
		       struct gr_cands *c)
{
	for (const struct gr_menu *sub = gr_menus; sub->path; sub++)
		if (sub != m && gr_menu_parent(sub) == m &&
		    starts(menu_name(sub), prefix))
			cand_add(c, menu_name(sub), strlen(menu_name(sub)), "",
				 sub->help, false);
	for (int k = 0; k < GC__COUNT; k++)
		if ((m->cmds & GC_BIT(k)) && starts(gr_cmd_names[k], prefix))
			cand_add(c, gr_cmd_names[k], strlen(gr_cmd_names[k]), "",
				 gr_cmd_help[k], false);
}

static void offer_args(const struct gr_menu *m, int cmd, bool in_where,
		       const char *prefix, struct gr_cands *c)
{
	const struct cmd_spec *cs = &gr_cmd_specs[cmd];
	bool props = cs->props || in_where || cmd == GC_FIND;

	for (int o = 0; o < O__COUNT && !in_where; o++)
		if ((cs->opts & B(o)) && starts(gr_opt_names[o], prefix))
			cand_add(c, gr_opt_names[o], strlen(gr_opt_names[o]),
				 (gr_valued_opts & B(o)) ? "=" : "", NULL,
				 (gr_valued_opts & B(o)) != 0);
	for (size_t i = 0; props && i < m->nprops; i++) {
		const struct gr_prop *p = &m->props[i];
		if (!p->name || !starts(p->name, prefix))
			continue;
		if (!in_where && cmd != GC_FIND && (p->flags & GP_RO) && cmd != GC_PRINT)
			continue;
		cand_add(c, p->name, strlen(p->name), in_where ? "" : "=",
			 p->help, !in_where);
	}
}

void gr_namelist_add(struct gr_namelist *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], name) == 0)
			return;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = xstrdup(name);
}

void gr_namelist_free(struct gr_namelist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/*
 * Properties whose values name items of a menu: the property `prop` of
 * menu `in` (NULL: any menu) takes values of `from_prop` of the items of
 * menu `from` (NULL: the same menu).
 */
static const struct name_ref {
	const char *in, *prop, *from, *from_prop;
} name_refs[] = {
	{ "/interface/list/member", "list", "/interface/list", "name" },
	{ "/interface/list", "include", NULL, "name" },
	{ "/interface/list", "exclude", NULL, "name" },
	{ "/ip/firewall/address-list", "list", NULL, "list" },
	{ NULL, "in-interface-list", "/interface/list", "name" },
	{ NULL, "out-interface-list", "/interface/list", "name" },
	{ NULL, "src-address-list", "/ip/firewall/address-list", "list" },
	{ NULL, "dst-address-list", "/ip/firewall/address-list", "list" },
	{ NULL, "address-list", "/ip/firewall/address-list", "list" },
	{ NULL, "chain", NULL, "chain" },
	{ NULL, "jump-target", NULL, "chain" },
};

static const struct name_ref *name_ref(const struct gr_menu *m, const char *prop)
{
	for (size_t i = 0; i < sizeof(name_refs) / sizeof(name_refs[0]); i++)
		if ((!name_refs[i].in || strcmp(name_refs[i].in, m->path) == 0) &&
		    strcmp(name_refs[i].prop, prop) == 0)
			return &name_refs[i];
	return NULL;
}

/* Names of items of menu `from` (NULL: m), property `prop`, into l. */
static void item_names(const struct gr_namesrc *ns, const struct gr_menu *m,
		       const char *from, const char *prop,
		       struct gr_namelist *l)
{
	const struct gr_menu *src = from ? gr_menu_by_path(from) : m;
	int idx = src && prop ? gr_prop_index(src, prop) : -1;

	if (ns && ns->fn && idx >= 0 && src->kind == GM_LIST)
		ns->fn(ns->arg, src, idx, l);
}

/* A name as typed on the console: quoted unless it is one plain word. */
static void cand_name(struct gr_cands *c, const char *keep, size_t klen,
		      const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	bool plain = *name && strspn(name, "abcdefghijklmnopqrstuvwxyz"
				     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
				     "-_.:+*@%") == strlen(name);

	sb_addn(&sb, keep, klen);
	if (!plain)
		sb_addc(&sb, '"');
	for (const char *p = name; !plain && *p; p++) {
		if (*p == '"' || *p == '\\' || *p == '$')
			sb_addc(&sb, '\\');
		sb_addc(&sb, *p);
	}
	if (plain)
		sb_adds(&sb, name);
	else
		sb_addc(&sb, '"');
	cand_add(c, sb_str(&sb), sb.len, "", NULL, false);
	sb_free(&sb);
}

/*
 * Offer the names in l that start with the last element of `prefix`
 * (after its last ',' when `list`, after a leading '!' when `neg`).
 */
static void offer_names(const struct gr_namelist *l, const char *prefix,
			bool list, bool neg, struct gr_cands *c)
{
	const char *last = list ? strrchr(prefix, ',') : NULL;
	size_t keep = last ? (size_t)(last - prefix) + 1 : 0;

	if (!keep && neg && prefix[0] == '!')
		keep = 1;
	for (size_t i = 0; i < l->n; i++)
		if (starts(l->v[i], prefix + keep))
			cand_name(c, prefix, keep, l->v[i]);
}

/* Values of property `name` (an enum's symbols, yes/no, item names). */
static void offer_values(const struct gr_menu *m, const char *name,
			 const char *prefix, const struct gr_namesrc *ns,
			 struct gr_cands *c)
{
	size_t idx;
	static const char *const yesno[] = { "yes", "no", NULL };

	if (gr_match_struct(name, strlen(name), m->props, m->nprops,
			    sizeof(*m->props), &idx) != GR_M_OK)
		return;
	const struct gr_prop *p = &m->props[idx];
	const struct gr_type *t = p->type;
	const char *const *syms = t->kind == GK_BOOL ? yesno : t->syms;
	const char *last = strrchr(prefix, ',');	/* lists: last element */
	size_t keep = last && t->kind == GK_ENUM_LIST ? (size_t)(last - prefix) + 1 : 0;
	if (prefix[0] == '!' && keep == 0 && (p->flags & GP_NEG))
		keep = 1;
	struct gr_namelist l = { 0 };
	for (size_t i = 0; syms && syms[i]; i++)
		gr_namelist_add(&l, syms[i]);
	size_t nsyms = l.n;
	const struct name_ref *r = name_ref(m, p->name);
	if (r)
		item_names(ns, m, r->from, r->from_prop, &l);
	for (size_t i = 0; i < l.n; i++) {
		if (!starts(l.v[i], prefix + keep))
			continue;
		if (i >= nsyms) {
			cand_name(c, prefix, keep, l.v[i]);
			continue;
		}
		struct strbuf sb = STRBUF_INIT;
		sb_addn(&sb, prefix, keep);
		sb_adds(&sb, l.v[i]);
		cand_add(c, sb_str(&sb), sb.len, "", NULL, false);
		sb_free(&sb);
	}
	gr_namelist_free(&l);
}

/* Property names of m, no '=' (value-name=, the second word of get). */
static void offer_prop_names(const struct gr_menu *m, const char *prefix,
			     struct gr_cands *c)
{
	for (size_t i = 0; i < m->nprops; i++)
		if (m->props[i].name && starts(m->props[i].name, prefix))
			cand_add(c, m->props[i].name, strlen(m->props[i].name),
				 "", m->props[i].help, false);
}

/* What the positional or named argument `opt` of a command may be. */
static void offer_opt_value(const struct gr_menu *m, int opt, const char *prefix,
			    const struct gr_namesrc *ns, struct gr_cands *c)
{
	if (opt == O_VALUE_NAME) {
		offer_prop_names(m, prefix, c);
	} else if ((opt == O_NUMBERS || opt == O_NUMBER || opt == O_DESTINATION) &&
		   m->name_key) {
		struct gr_namelist l = { 0 };
		item_names(ns, m, NULL, m->name_key, &l);
		offer_names(&l, prefix, opt == O_NUMBERS, false, c);
		gr_namelist_free(&l);
	}
}

/* The positional slot the word after w[from..to) fills (-1: none). */
static int positional(const struct cmd_spec *cs, char **w, size_t from,
		      size_t to)
{
	const char *flags[O__COUNT];
	size_t npos = 0, idx;

	for (int o = 0; o < O__COUNT; o++)
		flags[o] = (cs->opts & B(o)) && !(gr_valued_opts & B(o))
			   ? gr_opt_names[o] : NULL;
	for (size_t i = from; i < to; i++) {
		if (strchr(w[i], '=') || w[i][0] == '!' ||
		    gr_match(w[i], strlen(w[i]), flags, O__COUNT, &idx) == GR_M_OK)
			continue;
		npos++;
	}
	return npos < 2 ? cs->pos[npos] : -1;
}

/* The valued option `name` abbreviates, unless it names a property. */
static int valued_opt(const struct gr_menu *m, const struct cmd_spec *cs,
		      const char *name)
{
	const char *names[O__COUNT];
	size_t idx;

	for (int o = 0; o < O__COUNT; o++)
		names[o] = (cs->opts & B(o)) && (gr_valued_opts & B(o))
			   ? gr_opt_names[o] : NULL;
	if (gr_match(name, strlen(name), names, O__COUNT, &idx) != GR_M_OK)
		return -1;
	return cs->props && gr_prop_index(m, name) >= 0 ? -1 : (int)idx;
}
/* Walk complete words: path, then command; returns the command or -1. */
static int walk(char **w, size_t nw, const struct gr_menu **m, size_t *argstart,
		bool *bad)
{
	struct names_ { const char *v[64]; } nm;
	for (size_t i = 0; i < nw; i++) {
		const char *s = w[i];
		if (*s == '/')
			*m = gr_menus;
		while (*s) {
			while (*s == '/')
				s++;
			size_t len = strcspn(s, "/"), idx, n = 0;
			const struct gr_menu *subs[64];
			int cmds[64];
			if (!len)
				break;
			if (len == 2 && strncmp(s, "..", 2) == 0) {
				const struct gr_menu *p = gr_menu_parent(*m);
				*m = p ? p : *m;
				s += len;
				continue;
			}
			for (const struct gr_menu *sub = gr_menus; sub->path && n < 64; sub++)
				if (sub != *m && gr_menu_parent(sub) == *m) {
					subs[n] = sub;
					cmds[n] = -1;
					nm.v[n++] = menu_name(sub);
				}
			for (int k = 0; k < GC__COUNT && n < 64; k++)
				if ((*m)->cmds & GC_BIT(k)) {
					subs[n] = NULL;
					cmds[n] = k;
					nm.v[n++] = gr_cmd_names[k];
				}
			if (gr_match(s, len, nm.v, n, &idx) != GR_M_OK) {
				*bad = true;
				return -1;
			}
			if (cmds[idx] >= 0) {
				*argstart = i + 1;
				return cmds[idx];
			}
			*m = subs[idx];
			s += len;
		}
	}
	return -1;
}

static const struct gr_namesrc *default_names;

void gr_complete_set_names(const struct gr_namesrc *names)
{
	default_names = names;
}

void gr_complete(const char *line, const struct gr_menu *cwd,
		 struct gr_cands *out)
{
	gr_complete_ex(line, cwd, default_names, out);
}

/* After the command: arguments, their values, item names. */
static void offer_after_cmd(const struct gr_menu *m, int cmd, char **w,
			    size_t argstart, size_t nw, const char *cur,
			    const struct gr_namesrc *ns, struct gr_cands *out)
{
	const struct cmd_spec *cs = &gr_cmd_specs[cmd];
	bool in_where = cmd == GC_FIND;

	for (size_t i = argstart; i < nw; i++)
		if (strcmp(w[i], "where") == 0)
			in_where = true;
	const char *eq = strchr(cur, '=');
	if (in_where) {
		if (!eq)
			offer_args(m, cmd, true, cur, out);
		return;
	}
	if (eq) {
		char *name = xstrndup(cur, (size_t)(eq - cur));
		int opt = valued_opt(m, cs, name);
		out->word_start += (size_t)(eq - cur) + 1;
		if (opt >= 0)
			offer_opt_value(m, opt, eq + 1, ns, out);
		else if (cs->props || cmd == GC_COMMENT)
			offer_values(m, name, eq + 1, ns, out);
		free(name);
		return;
	}
	offer_args(m, cmd, false, cur, out);
	int pos = positional(cs, w, argstart, nw);
	if (pos >= 0 && !(pos == O_NUMBERS && m->kind == GM_SINGLE))
		offer_opt_value(m, pos, cur, ns, out);
}

void gr_complete_ex(const char *line, const struct gr_menu *cwd,
		    const struct gr_namesrc *ns, struct gr_cands *out)
{
	char *copy = xstrdup(line), *save = NULL;
	char *w[256];
	size_t nw = 0, argstart = 0;
	const char *start = strrchr(line, ' ');
	const char *cur = start ? start + 1 : line;
	const struct gr_menu *m = cwd;
	bool bad = false;

	memset(out, 0, sizeof(*out));
	out->word_start = (size_t)(cur - line);
	for (char *t = strtok_r(copy, " \t", &save); t && nw < 256;
	     t = strtok_r(NULL, " \t", &save))
		w[nw++] = t;
	if (*cur && nw)
		nw--;		/* the last word is the one being typed */
	int cmd = walk(w, nw, &m, &argstart, &bad);
	if (bad)
		goto done;
	if (cmd >= 0) {
		offer_after_cmd(m, cmd, w, argstart, nw, cur, ns, out);
		goto done;
	}
	const char *slash = strrchr(cur, '/');
	if (slash) {	/* "/ip/fi": walk the part before the last '/' */
		char *head = xstrndup(cur, (size_t)(slash - cur) + 1);
		char *hw[1] = { head };
		if (*head == '/' && head[1] == '\0')
			m = gr_menus;
		else
			walk(hw, 1, &m, &argstart, &bad);
		free(head);
		out->word_start += (size_t)(slash - cur) + 1;
		cur = slash + 1;
	}
	if (!bad)
		offer_path(m, cur, out);
done:
	free(copy);
}
