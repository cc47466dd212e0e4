/* `where` expressions: parsed against a menu's schema, then evaluated per item. */
#ifndef ROSH_WHERE_H
#define ROSH_WHERE_H
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "schema.h"

enum wh_kind { WH_AND, WH_OR, WH_NOT, WH_CMP, WH_BARE };
enum wh_op { WO_EQ, WO_NE, WO_LT, WO_GT, WO_LE, WO_GE, WO_RE, WO_IN };

#define WH_PROP_ID (-1)		/* the ".id" pseudo property */

struct gr_where {
	enum wh_kind kind;
	struct gr_where *a, *b;		/* AND/OR: both; NOT: a */
	int prop;			/* CMP/BARE: index or WH_PROP_ID */
	const struct gr_prop *p;	/* NULL for .id */
	enum wh_op op;
	char *value;			/* canonical text if it parsed, else raw */
	bool has_num;			/* num holds the value's ordering number */
	double num;
	bool has_re;
	regex_t re;
};

/* Getter the evaluator calls: text of property `prop` of the item or NULL. */
typedef const char *(*gr_where_get)(void *item, int prop);

bool gr_where_eval(const struct gr_where *w, gr_where_get get, void *item);
void gr_where_free(struct gr_where *w);

/* A conjunct every accepted item satisfies (for kernel-side filtering). */
struct gr_where_hint {
	int prop;
	enum wh_op op;
	const char *value;
	bool negated;
};
/* Fill up to max hints from the top-level AND chain; returns the count. */
size_t gr_where_hints(const struct gr_where *w, struct gr_where_hint *out,
		      size_t max);

#endif
