/* Parser internals shared by parse.c, where.c and complete.c. */
#ifndef ROSH_PARSE_INT_H
#define ROSH_PARSE_INT_H
#include "lex.h"
#include "parse.h"

struct cmd_spec {
	unsigned long long opts;	/* allowed options (1ull << O_x) */
	bool props;			/* takes property=value arguments */
	int pos[2];			/* positional arguments: option ids,
					 * POS_COMMENT, or -1 */
	unsigned long long valued;	/* options that take a value in this
					 * command only (import verbose=yes);
					 * gr_valued_opts are valued in all */
};
#define POS_COMMENT (-2)
extern const struct cmd_spec gr_cmd_specs[GC__COUNT];
extern const unsigned long long gr_valued_opts;
#define B(o) (1ull << (o))

struct pstate {
	struct tok_list toks;
	size_t i;
	struct gr_diag *d;
	const struct gr_menu *cwd;
};

static inline struct tok *ps_peek(struct pstate *ps)
{
	return &ps->toks.v[ps->i];
}

static inline struct tok *ps_peek2(struct pstate *ps)
{
	return ps->i + 1 < ps->toks.n ? &ps->toks.v[ps->i + 1] : ps_peek(ps);
}

static inline struct tok *ps_next(struct pstate *ps)
{
	struct tok *t = &ps->toks.v[ps->i];

	if (t->kind != TK_EOF)
		ps->i++;
	return t;
}

/* End of the current command: EOL, EOF, or a closing bracket. */
static inline bool ps_at_end(struct pstate *ps)
{
	enum tok_kind k = ps_peek(ps)->kind;

	return k == TK_EOL || k == TK_EOF || k == TK_RBRACK || k == TK_RBRACE;
}

/* Record the first error (later ones are consequences); returns -1. */
int ps_error(struct pstate *ps, const struct tok *t, bool with_pos,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The RouterOS error for a value of property `name` its type refused. */
int ps_value_error(struct pstate *ps, const struct tok *at, bool with_pos,
		   enum gr_perr rc, const char *name);

/* Resolve a property name (abbreviation allowed) of menu m; -1 + error. */
int ps_prop(struct pstate *ps, const struct gr_menu *m, const struct tok *t,
	    bool allow_ro);

/* Type-check text for property idx of m; canonical text or NULL + error. */
char *ps_canon(struct pstate *ps, const struct gr_menu *m, int idx,
	       const char *text, bool negated, const struct tok *at);

/* Path words at the start of a statement; *cmd = -1 when only a menu. */
int ps_path(struct pstate *ps, const struct gr_menu **menu, int *cmd);

struct gr_where *ps_where(struct pstate *ps, const struct gr_menu *m);

/* One statement at ps->i (parse_stmt.c); NULL with d set on error. */
struct gr_stmt *ps_stmt(struct pstate *ps, const struct gr_menu **cwd);

/* --keep-going: the menu the statement at ps->i names (see parse.c). */
struct strbuf;
void ps_attribute(struct pstate *ps, const struct gr_menu *cwd,
		  const char *unk, struct strbuf *out, bool *known,
		  bool *cd_only);

#endif
