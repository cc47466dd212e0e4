/* Statements: path, command, arguments; resolved and type-checked. */
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
			{ O_FILE_NAME, -1 } },
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

char *ps_canon(struct pstate *ps, const struct gr_menu *m, int idx,
	       const char *text, bool negated, const struct tok *at)
{
	const struct gr_prop *p = &m->props[idx];
	struct strbuf sb = STRBUF_INIT;
	enum gr_perr rc;

	if (negated && (p->flags & GP_NEG)) {
		sb_addc(&sb, '!');
		rc = gr_value_parse(p->type, text, &sb);
	} else if (negated) {
		char *t = xstrdup(text);	/* e.g. tcp-flags=!syn */
		struct strbuf in = STRBUF_INIT;
		sb_addc(&in, '!');
		sb_adds(&in, t);
		rc = gr_value_parse(p->type, sb_str(&in), &sb);
		sb_free(&in);
		free(t);
	} else {
		rc = gr_value_parse(p->type, text, &sb);
	}
	if (rc == GR_PE_OK)
		return sb_steal(&sb);
	sb_free(&sb);
	if (rc == GR_PE_NOMATCH)
		ps_error(ps, at, false, "input does not match any value of %s", p->name);
	else if (rc == GR_PE_AMBIG)
		ps_error(ps, at, false, "ambiguous value of %s, more than one "
			 "possible value matches input", p->name);
	else
		ps_error(ps, at, false, "invalid value for argument %s", p->name);
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
