/* Exact-or-unique-prefix matching: the only abbreviation logic in rosh. */
#ifndef ROSH_MATCH_H
#define ROSH_MATCH_H
#include <stddef.h>

enum gr_match_rc { GR_M_OK, GR_M_NONE, GR_M_AMBIGUOUS };

/*
 * Look `word` (len bytes) up in names[0..n-1] (entries may be NULL: skipped).
 * An exact match wins; otherwise exactly one name starting with word; else
 * NONE or AMBIGUOUS. Table order never changes the result. *idx gets the hit.
 */
enum gr_match_rc gr_match(const char *word, size_t len,
			  const char *const *names, size_t n, size_t *idx);

/* The same over an array of structs whose first member is `const char *name`. */
enum gr_match_rc gr_match_struct(const char *word, size_t len,
				 const void *base, size_t n, size_t stride,
				 size_t *idx);
#endif
