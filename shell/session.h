/* Long-lived console state and the command executor's entry points. */
#ifndef ROSH_SESSION_H
#define ROSH_SESSION_H
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "../backend/backend.h"
#include "../grammar/parse.h"

/* Item numbers from the last print of a menu: number -> id. */
struct nummap {
	bool valid;
	size_t n, cap;
	struct numid { long num; char id[24]; } *v;
	FILE *spill;		/* pairs before v[0], once memory filled up */
	size_t spilled;		/* pairs in spill */
};

struct session {
	const struct gr_menu *cwd;
	bool json;		/* -j: print emits JSON */
	bool interactive;
	int width;		/* terminal width for wrapping */
	const char *source;	/* file name for batch errors, NULL: none */
	struct nummap maps[GMI__COUNT];
	int depth;		/* /import nesting */
};

extern volatile sig_atomic_t sh_interrupted;

/* An error of a command: message plus position of the statement. */
struct sh_err {
	int line, col;
	bool with_pos;
	char msg[300];
};

int sh_errorf(struct sh_err *e, const struct gr_stmt *st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Print e the way the session reports errors (stderr). */
void sh_report(const struct session *s, const struct sh_err *e);

int sh_run_stmt(struct session *s, const struct gr_stmt *st, struct sh_err *e);

/* Ids a selector names: "0,2", "*1A", "name", or [find ...]. */
struct idlist {
	char (*v)[24];
	size_t n, cap;
	const char **argv;	/* idlist_argv(): pointers into v */
};
/* The ids as the array of strings backends take (owned by the list). */
const char *const *idlist_argv(struct idlist *l);
void idlist_add(struct idlist *l, const char *id);
void idlist_free(struct idlist *l);
int sh_select(struct session *s, const struct gr_menu *m,
	      const struct gr_value *v, const struct gr_stmt *st,
	      struct idlist *out, struct sh_err *e);
/* Run a find statement into ids. */
int sh_find(struct session *s, const struct gr_stmt *st, struct idlist *out,
	    struct sh_err *e);

const struct bk_ops *sh_ops(const struct gr_menu *m, const struct gr_stmt *st,
			    struct sh_err *e);
void nummap_reset(struct nummap *m);
void nummap_add(struct nummap *m, long num, const char *id);
void sh_session_free(struct session *s);

/* Commands in their own files. */
int sh_cmd_print(struct session *s, const struct gr_stmt *st, struct sh_err *e);
int sh_cmd_export(struct session *s, const struct gr_stmt *st, struct sh_err *e);
int sh_cmd_import(struct session *s, const struct gr_stmt *st, struct sh_err *e);
/* Runs a script (batch or /import): its nft changes in one transaction. */
int sh_run_script(struct session *s, const char *src, int first_line,
		  struct sh_err *e);
int sh_cmd_get(struct session *s, const struct gr_stmt *st, struct sh_err *e);

/* Where evaluation over a backend item. */
const char *sh_item_get(void *item, int prop);
size_t sh_hints(const struct gr_where *w, struct bk_cond *out, size_t max);

#endif
