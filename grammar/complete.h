/*
 * Completion of item names. The completion engine (complete.c) is pure: it
 * learns the names of live items (interface lists, address lists, chains)
 * only through a callback the shell provides, which reads the backend.
 * The candidates themselves are declared in parse.h (gr_complete).
 */
#ifndef ROSH_COMPLETE_H
#define ROSH_COMPLETE_H
#include "parse.h"

/* Distinct names, in the order first added. */
struct gr_namelist {
	char **v;
	size_t n, cap;
};
void gr_namelist_add(struct gr_namelist *l, const char *name);
void gr_namelist_free(struct gr_namelist *l);

/*
 * Add to `out` the values of property `prop` (an index into m->props) of
 * every item of menu m. Called only while completing, only for list menus.
 */
typedef void (*gr_names_fn)(void *arg, const struct gr_menu *m, int prop,
			    struct gr_namelist *out);
struct gr_namesrc {
	gr_names_fn fn;
	void *arg;
};

/* gr_complete with item names from `names` (NULL: none). */
void gr_complete_ex(const char *line, const struct gr_menu *cwd,
		    const struct gr_namesrc *names, struct gr_cands *out);

/* The source gr_complete() uses (a process-wide default; NULL: none). */
void gr_complete_set_names(const struct gr_namesrc *names);

#endif
