/*
 * The parser: tokens -> statements resolved against the schema (menus,
 * commands, options, properties, typed values). Pure: no I/O, no kernel.
 * A whole script is parsed and validated before anything runs, so a bad
 * line 50 never leaves lines 1-49 applied.
 */
#ifndef ROSH_PARSE_H
#define ROSH_PARSE_H
#include <stdbool.h>
#include <stddef.h>

#include "schema.h"
#include "where.h"

struct gr_diag {
	int line, col;
	bool with_pos;		/* RouterOS appends "(line L column C)" */
	char msg[256];
};

/* Options of generic commands (print detail, export verbose, ...). */
enum gr_opt_id {
	O_DETAIL, O_TERSE, O_VALUE_LIST, O_COUNT_ONLY, O_AS_VALUE,
	O_WITHOUT_PAGING, O_PROPLIST, O_FILE, O_APPEND, O_SHOW_IDS, O_STATS,
	O_ALL, O_STATIC, O_DYNAMIC, O_BRIEF, O_FOLLOW, O_FOLLOW_ONLY,
	O_INTERVAL, O_FROM, O_WHERE, O_VERBOSE, O_COMPACT, O_SHOW_SENSITIVE,
	O_HIDE_SENSITIVE, O_NUMBERS, O_NUMBER, O_VALUE_NAME, O_DESTINATION,
	O_FILE_NAME, O_DRY_RUN, O_COPY_FROM, O__COUNT
};

struct gr_stmt;

struct gr_value {
	char *text;		/* unescaped text; NULL when sub is set */
	struct gr_stmt *sub;	/* [ ... ] command substitution */
	bool negated;		/* a whole-value '!' (stripped from text) */
	int line, col;
};

enum gr_arg_kind { GA_PROP, GA_OPT, GA_UNNAMED };

struct gr_arg {
	enum gr_arg_kind kind;
	int idx;		/* property index or enum gr_opt_id */
	bool unset;		/* "!name" */
	bool has_value;
	struct gr_value val;
	char *canon;		/* GA_PROP with a text value: canonical text,
				 * '!' prefix included when negated */
	int line, col;
};

enum gr_stmt_kind { ST_CD, ST_CMD, ST_BLOCK };

struct gr_stmt {
	enum gr_stmt_kind kind;
	int line, col;
	const struct gr_menu *menu;	/* where the command runs / cd target */
	enum gr_cmd_id cmd;
	struct gr_arg *args;
	size_t nargs;
	struct gr_where *where;		/* print/find/export/... where */
	struct gr_stmt **body;		/* ST_BLOCK */
	size_t nbody;
};

struct gr_script {
	struct gr_stmt **v;
	size_t n;
	const struct gr_menu *cwd;	/* current menu after the script */
};

/* Option names, indexed by enum gr_opt_id. */
extern const char *const gr_opt_names[O__COUNT];

int gr_parse(const char *src, int first_line, const struct gr_menu *cwd,
	     struct gr_script *out, struct gr_diag *d);
void gr_script_free(struct gr_script *s);

/*
 * A script parsed statement by statement, for runs that go on after an
 * error (rosh --keep-going): a statement that fails to parse is skipped up
 * to the end of its line (brackets and braces included) and the next one
 * is parsed. Each top-level statement is one gr_line, in order.
 */
struct gr_line {
	struct gr_stmt *st;	/* NULL: it failed to parse (d says why) */
	struct gr_diag d;
	char *menu;		/* the menu it belongs to, "/ip firewall filter";
				 * "(scripting)" for :do, :global, ... */
	bool known;		/* menu is one of rosh's */
	bool cd;		/* it only changes the current menu */
};
struct gr_lines {
	struct gr_line *v;
	size_t n;
};
void gr_parse_lines(const char *src, int first_line,
		    const struct gr_menu *cwd, struct gr_lines *out);
void gr_lines_free(struct gr_lines *l);
void gr_stmt_free(struct gr_stmt *st);

/* The first argument of kind/idx, or NULL. */
const struct gr_arg *gr_stmt_arg(const struct gr_stmt *st,
				 enum gr_arg_kind kind, int idx);

/* "/ip firewall filter" form of a path; into buf. */
void gr_path_spaced(const struct gr_menu *m, char *buf, size_t len);

/*
 * Completion and help: what may come at the end of `line` (typed in menu
 * cwd). Candidates are full words; `help` may be NULL.
 */
struct gr_cand {
	char *word;
	const char *help;
	bool partial;		/* a prefix: no space after it ("name=") */
};
struct gr_cands {
	struct gr_cand *v;
	size_t n, cap;
	size_t word_start;	/* offset in line where the completed word starts */
};
void gr_complete(const char *line, const struct gr_menu *cwd,
		 struct gr_cands *out);
void gr_cands_free(struct gr_cands *c);

#endif
