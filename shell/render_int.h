/*
 * Internals shared by render.c (print modes), render_table.c (OM_TABLE)
 * and render_export.c (export). Not for the rest of the shell: use
 * render.h.
 */
#ifndef ROSH_RENDER_INT_H
#define ROSH_RENDER_INT_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../grammar/strbuf.h"
#include "render.h"

/* A flag letter of the menu and the legend group (one column) it sits in. */
struct out_flag {
	unsigned prop;
	char letter;
	unsigned group;
};

#define OUT_MAX_FLAGS 32	/* a flag mask is a uint32_t */

struct out_table;

struct out_print {
	FILE *fp;
	const struct gr_menu *m;
	enum out_mode mode;
	unsigned opts;
	int width;
	unsigned *props;	/* properties shown, resolved from the mode */
	size_t nprops;
	int comment;		/* index of "comment", -1 when none */
	struct out_flag flags[OUT_MAX_FLAGS];
	size_t nflags;
	unsigned ngroups;
	size_t nitems;
	struct out_table *tab;	/* OM_TABLE state */
};

void out_pad(struct strbuf *sb, size_t n);
/* Which of p->flags are set on the item, as a bit per p->flags entry. */
uint32_t out_flag_mask(const struct out_print *p, struct bk_item *it);
/* The letter shown for group g (first set flag of it), or ' '. */
char out_group_letter(const struct out_print *p, uint32_t mask, unsigned g);
/* Bit per group; all of the menu's groups. */
uint32_t out_all_groups(const struct out_print *p);
/* One letter per group in `groups`, then a space when there was any. */
void out_flag_cols(const struct out_print *p, uint32_t mask, uint32_t groups,
		   struct strbuf *sb);
void out_add_upper(struct strbuf *sb, const char *s);
/* "Flags: X - disabled, I - invalid; D - dynamic" for the flags in mask. */
void out_legend(const struct out_print *p, uint32_t mask, bool upper);
/* The item's number, or its id with OO_SHOW_IDS. */
void out_number(const struct out_print *p, long number, struct bk_item *it,
		char buf[32]);
/* Property index by exact name, -1 when the menu has none. */
int out_prop_index(const struct gr_menu *m, const char *name);
/* Write sb without trailing spaces, then a newline; reset sb. */
void out_line(FILE *fp, struct strbuf *sb);
/* Numbers are right-aligned in tables and JSON numbers. */
bool out_numeric_prop(const struct gr_prop *pr);

void out_table_item(struct out_print *p, long number, struct bk_item *it);
void out_table_end(struct out_print *p);

#endif
