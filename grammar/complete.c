/*
 * Completion and '?' help: what may come at the end of a partial line.
 * Deliberately lenient (a half-typed line does not parse): it splits on
 * blanks, walks path words with the same matcher as the parser, then offers
 * options, property names or enum values from the schema.
 */
#include <stdlib.h>
#include <string.h>

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

/* Values of property `name` (an enum's symbols, yes/no). */
static void offer_values(const struct gr_menu *m, const char *name,
			 const char *prefix, struct gr_cands *c)
{
	size_t idx;
	static const char *const yesno[] = { "yes", "no", NULL };

	if (gr_match_struct(name, strlen(name), m->props, m->nprops,
			    sizeof(*m->props), &idx) != GR_M_OK)
		return;
	const struct gr_type *t = m->props[idx].type;
	const char *const *syms = t->kind == GK_BOOL ? yesno : t->syms;
	const char *last = strrchr(prefix, ',');	/* lists: last element */
	size_t keep = last && t->kind == GK_ENUM_LIST ? (size_t)(last - prefix) + 1 : 0;
	if (prefix[0] == '!' && keep == 0 && (m->props[idx].flags & GP_NEG))
		keep = 1;
	for (size_t i = 0; syms && syms[i]; i++)
		if (starts(syms[i], prefix + keep)) {
			struct strbuf sb = STRBUF_INIT;
			sb_addn(&sb, prefix, keep);
			sb_adds(&sb, syms[i]);
			cand_add(c, sb_str(&sb), sb.len, "", NULL, false);
			sb_free(&sb);
		}
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

void gr_complete(const char *line, const struct gr_menu *cwd,
		 struct gr_cands *out)
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
	if (cmd < 0) {
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
		goto done;
	}
	bool in_where = cmd == GC_FIND;
	for (size_t i = argstart; i < nw; i++)
		if (strcmp(w[i], "where") == 0)
			in_where = true;
	const char *eq = strchr(cur, '=');
	if (eq && !in_where) {
		char *name = xstrndup(cur, (size_t)(eq - cur));
		out->word_start += (size_t)(eq - cur) + 1;
		offer_values(m, name, eq + 1, out);
		free(name);
	} else if (!eq) {
		offer_args(m, cmd, in_where, cur, out);
	}
done:
	free(copy);
}
