/*
 * OM_TABLE, the v7 table print. The first OUT_TABLE_PROBE rows are kept to
 * size the columns, choose the flag columns and the legend, and drop
 * columns that are empty everywhere; later rows stream with that layout,
 * so memory stays bounded however many rows follow. A later value wider
 * than its column pushes the rest of its line right; a later flag of a
 * group that got no column, or a value of a dropped column, is not shown
 * (the layout is already printed by then).
 */
#include <stdlib.h>
#include <string.h>

#include "render_int.h"

struct trow {
	char num[32];
	uint32_t mask;
	char *comment;
	char **cells;		/* one per p->props entry, NULL: empty */
};

struct out_table {
	struct trow *rows;
	size_t nrows, cap;
	bool streaming;		/* layout chosen and printed */
	uint32_t groups;	/* flag groups that got a column */
	size_t numw;		/* width of the number column */
	size_t *w;		/* per column; 0: left out */
};

static void add_aligned(struct strbuf *sb, const char *s, size_t w,
			bool right)
{
	size_t n = strlen(s);

	if (right && n < w)
		out_pad(sb, w - n);
	sb_adds(sb, s);
	if (!right && n < w)
		out_pad(sb, w - n);
}

/* "0 XD " : number right-aligned, one char per flag column with a column. */
static void row_begin(const struct out_print *p, struct strbuf *sb,
		      const char *num, uint32_t mask)
{
	add_aligned(sb, num, p->tab->numw, true);
	sb_addc(sb, ' ');
	out_flag_cols(p, mask, p->tab->groups, sb);
}

/* Cells are separated by two spaces; numbers are right-aligned. */
static void row_cell(const struct out_print *p, struct strbuf *sb,
		     size_t col, const char *v, bool *first)
{
	const struct gr_prop *pr = &p->m->props[p->props[col]];

	if (!p->tab->w[col])
		return;
	if (!*first)
		sb_adds(sb, "  ");
	*first = false;
	add_aligned(sb, v ? v : "", p->tab->w[col], out_numeric_prop(pr));
}

static void print_comment(FILE *fp, const char *c)
{
	if (c)
		fprintf(fp, ";;; %s\n", c);
}

static void print_header(struct out_print *p, uint32_t flags_present)
{
	struct out_table *t = p->tab;
	struct strbuf sb = STRBUF_INIT, name = STRBUF_INIT;
	bool first = true;

	if (!(p->opts & OO_NO_LEGEND))
		out_legend(p, flags_present, true);
	for (size_t c = 0; c < p->nprops; c++) {
		if (!t->w[c])
			continue;
		sb_adds(&sb, sb.len ? ", " : "Columns: ");
		out_add_upper(&sb, p->m->props[p->props[c]].name);
	}
	if (sb.len)
		out_line(p->fp, &sb);
	if (t->nrows) {
		row_begin(p, &sb, "#", 0);
		for (size_t c = 0; c < p->nprops; c++) {
			sb_reset(&name);
			out_add_upper(&name, p->m->props[p->props[c]].name);
			row_cell(p, &sb, c, name.buf, &first);
		}
		out_line(p->fp, &sb);
	}
	sb_free(&sb);
	sb_free(&name);
}

/* Widths, flag columns and kept columns from the buffered rows. */
static uint32_t layout(struct out_print *p)
{
	struct out_table *t = p->tab;
	uint32_t present = 0;

	t->numw = 1;
	for (size_t r = 0; r < t->nrows; r++) {
		present |= t->rows[r].mask;
		if (strlen(t->rows[r].num) > t->numw)
			t->numw = strlen(t->rows[r].num);
	}
	for (size_t i = 0; i < p->nflags; i++)
		if (present & (1u << i))
			t->groups |= 1u << p->flags[i].group;
	t->w = xcalloc(p->nprops + 1, sizeof(*t->w));
	for (size_t c = 0; c < p->nprops; c++) {
		size_t w = 0;
		for (size_t r = 0; r < t->nrows; r++) {
			const char *v = t->rows[r].cells[c];
			if (v && strlen(v) > w)
				w = strlen(v);
		}
		/* no rows at all: keep every column for the Columns: line */
		if (w || !t->nrows) {
			size_t hw = strlen(p->m->props[p->props[c]].name);
			t->w[c] = w > hw ? w : hw;
		}
	}
	return present;
}

static void free_row(const struct out_print *p, struct trow *r)
{
	for (size_t c = 0; c < p->nprops; c++)
		free(r->cells[c]);
	free(r->cells);
	free(r->comment);
}

/* Choose the layout, print the header and the buffered rows, free them. */
static void flush(struct out_print *p)
{
	struct out_table *t = p->tab;
	struct strbuf sb = STRBUF_INIT;

	print_header(p, layout(p));
	for (size_t r = 0; r < t->nrows; r++) {
		struct trow *row = &t->rows[r];
		bool first = true;

		print_comment(p->fp, row->comment);
		row_begin(p, &sb, row->num, row->mask);
		for (size_t c = 0; c < p->nprops; c++)
			row_cell(p, &sb, c, row->cells[c], &first);
		out_line(p->fp, &sb);
		free_row(p, row);
	}
	free(t->rows);
	t->rows = NULL;
	t->nrows = t->cap = 0;
	t->streaming = true;
	sb_free(&sb);
}

static const char *get_comment(const struct out_print *p, struct bk_item *it)
{
	return p->comment >= 0 ? bk_get(it, (unsigned)p->comment) : NULL;
}

static void buffer_row(struct out_print *p, long number, struct bk_item *it)
{
	struct out_table *t = p->tab;

	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		if (t->cap > OUT_TABLE_PROBE)
			t->cap = OUT_TABLE_PROBE;
		t->rows = xrealloc(t->rows, t->cap * sizeof(*t->rows));
	}
	struct trow *r = &t->rows[t->nrows++];
	const char *c = get_comment(p, it);

	out_number(p, number, it, r->num);
	r->mask = out_flag_mask(p, it);
	r->comment = c ? xstrdup(c) : NULL;
	r->cells = xcalloc(p->nprops + 1, sizeof(*r->cells));
	for (size_t i = 0; i < p->nprops; i++) {
		const char *v = bk_get(it, p->props[i]);
		r->cells[i] = v && *v ? xstrdup(v) : NULL;
	}
}

/* After the probe: format straight from the item, one get() at a time. */
static void stream_row(struct out_print *p, long number, struct bk_item *it)
{
	struct strbuf sb = STRBUF_INIT;
	char num[32];
	bool first = true;

	print_comment(p->fp, get_comment(p, it));
	out_number(p, number, it, num);
	row_begin(p, &sb, num, out_flag_mask(p, it));
	for (size_t c = 0; c < p->nprops; c++)
		row_cell(p, &sb, c, bk_get(it, p->props[c]), &first);
	out_line(p->fp, &sb);
	sb_free(&sb);
}

void out_table_item(struct out_print *p, long number, struct bk_item *it)
{
	if (!p->tab)
		p->tab = xcalloc(1, sizeof(*p->tab));
	if (p->tab->streaming) {
		stream_row(p, number, it);
		return;
	}
	buffer_row(p, number, it);
	if (p->tab->nrows == OUT_TABLE_PROBE)
		flush(p);
}

/* With no rows at all only the Columns: line is printed. */
void out_table_end(struct out_print *p)
{
	if (!p->tab)
		p->tab = xcalloc(1, sizeof(*p->tab));
	if (!p->tab->streaming)
		flush(p);
	free(p->tab->w);
	free(p->tab);
	p->tab = NULL;
}
