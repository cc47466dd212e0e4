/*
 * The item interface between the generic commands (shell/) and the kernel
 * adapters (backend/). Values cross it as canonical display text (see
 * grammar/types.h); properties are named by their index in the menu's
 * table (grammar/menus.h). backend/ never parses console syntax.
 */
#ifndef ROSH_BACKEND_H
#define ROSH_BACKEND_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../grammar/schema.h"

/* "failure: ..." text of a kernel refusal or a semantic error. */
struct bk_err {
	char msg[256];
};

/* printf into e->msg; returns -1 so callers can `return bk_fail(...)`. */
int bk_fail(struct bk_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * One item as a backend hands it to a callback. `get` returns the canonical
 * text of property `prop` (an index into the menu's props), or NULL when the
 * item does not have it set; for GP_FLAG properties "yes" / NULL. The string
 * stays valid until the callback returns. Backends format lazily: a
 * property nobody asks for is never formatted.
 */
struct bk_item {
	char id[24];		/* ".id": "*1A" */
	const char *(*get)(struct bk_item *it, unsigned prop);
	void *priv;		/* backend's own */
};

static inline const char *bk_get(struct bk_item *it, unsigned prop)
{
	return it->get(it, prop);
}

/* Callback per item: 0 = go on, 1 = stop (ok), <0 = stop (error). */
typedef int (*bk_item_cb)(struct bk_item *it, void *arg);

/*
 * A condition the shell's where-expression implies for every item it will
 * accept (a conjunct of the expression). A backend MAY use hints to let the
 * kernel filter; the shell still evaluates the full expression on every item
 * it receives, so a backend that ignores hints is correct, only slower.
 */
enum bk_op { BK_EQ, BK_NE, BK_LT, BK_GT, BK_LE, BK_GE, BK_RE, BK_IN, BK_SET };
struct bk_cond {
	unsigned prop;
	enum bk_op op;
	const char *value;	/* canonical text (BK_RE: the regex) */
	bool negated;		/* the conjunct was !(prop op value) */
};

/* A property to write: value NULL means unset it. */
struct bk_setarg {
	unsigned prop;
	const char *value;
};

struct bk_ops {
	/* Stream all items (GM_SINGLE menus: exactly one, id "*0"). */
	int (*iterate)(const struct gr_menu *m, const struct bk_cond *hints,
		       size_t nhints, bk_item_cb cb, void *arg,
		       struct bk_err *e);
	/* Cheap total count (print count-only without where); optional. */
	int (*count)(const struct gr_menu *m, uint64_t *n, struct bk_err *e);
	/* List menus. new_id receives the new item's id ("*1F"). */
	int (*add)(const struct gr_menu *m, const struct bk_setarg *a,
		   size_t n, const char *before_id, char new_id[24],
		   struct bk_err *e);
	/* Set on every id atomically; GM_SINGLE menus get nids == 0. */
	int (*set)(const struct gr_menu *m, const char *const *ids,
		   size_t nids, const struct bk_setarg *a, size_t n,
		   struct bk_err *e);
	int (*remove)(const struct gr_menu *m, const char *const *ids,
		      size_t nids, struct bk_err *e);
	/*
	 * Stream items and delete those for which pred returns 1, in one pass
	 * (remove [find ...] on a large table). Optional. *removed counts.
	 */
	int (*remove_matching)(const struct gr_menu *m,
			       const struct bk_cond *hints, size_t nhints,
			       bk_item_cb pred, void *arg, uint64_t *removed,
			       struct bk_err *e);
	/* Move ids (in the given order) before dest_id, or to the end. */
	int (*move)(const struct gr_menu *m, const char *const *ids,
		    size_t nids, const char *dest_id, struct bk_err *e);
	/* ids == NULL: all items of the menu. */
	int (*reset_counters)(const struct gr_menu *m, const char *const *ids,
			      size_t nids, struct bk_err *e);
	/*
	 * Live events (print follow / follow-only): call cb for each new item
	 * (and for destroyed ones, with `destroyed`) until *stop is set or cb
	 * returns nonzero. Optional.
	 */
	int (*follow)(const struct gr_menu *m, bk_item_cb cb, void *arg,
		      volatile int *stop, struct bk_err *e);
};

/* Enter netns (NULL: stay) and open what backends need lazily later. */
int bk_init(const char *netns, struct bk_err *e);
void bk_fini(void);

/* The ops serving a menu id, or NULL when nothing serves it yet. */
const struct bk_ops *bk_ops_for(enum gr_menu_id id);

/* Per-backend ops tables (each defined by its backend file). */
extern const struct bk_ops bk_conntrack_ops;	/* backend/ct.c */
extern const struct bk_ops bk_sysctl_ops;	/* backend/sysctl.c */
extern const struct bk_ops bk_nft_ops;		/* backend/nft*.c */

#endif
