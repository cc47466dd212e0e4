/*
 * print output: choosing the shown properties, flag columns and legends,
 * and every mode except the table (render_table.c). Items are formatted
 * as they arrive, so memory does not grow with the number of items.
 *
 * A backend's get() may reuse one buffer for every call, so a value is
 * used (quoted, written or copied) before the next get() of the same item.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "render_int.h"

/* ---- shared helpers ---------------------------------------------------- */

bool out_flag_set(const char *v)
{
	return v && strcmp(v, "no") != 0;
}

bool out_numeric_prop(const struct gr_prop *pr)
{
	if (pr->flags & GP_STAT)
		return true;
	return pr->type && (pr->type->kind == GK_INT ||
			    pr->type->kind == GK_INT_RANGE);
}

uint32_t out_flag_mask(const struct out_print *p, struct bk_item *it)
{
	uint32_t mask = 0;

	for (size_t i = 0; i < p->nflags; i++)
		if (out_flag_set(bk_get(it, p->flags[i].prop)))
			mask |= 1u << i;
	return mask;
}

char out_group_letter(const struct out_print *p, uint32_t mask, unsigned g)
{
	for (size_t i = 0; i < p->nflags; i++)
		if (p->flags[i].group == g && (mask & (1u << i)))
			return p->flags[i].letter;
	return ' ';
}

uint32_t out_all_groups(const struct out_print *p)
{
	return p->ngroups >= 32 ? UINT32_MAX : (1u << p->ngroups) - 1;
}

void out_flag_cols(const struct out_print *p, uint32_t mask, uint32_t groups,
		   struct strbuf *sb)
{
	for (unsigned g = 0; g < p->ngroups; g++)
		if (groups & (1u << g))
			sb_addc(sb, out_group_letter(p, mask, g));
	if (groups)
		sb_addc(sb, ' ');
}

void out_add_upper(struct strbuf *sb, const char *s)
{
	for (; *s; s++)
		sb_addc(sb, (char)toupper((unsigned char)*s));
}

void out_legend(const struct out_print *p, uint32_t mask, bool upper)
{
	struct strbuf sb = STRBUF_INIT;
	int last_group = -1;

	for (size_t i = 0; i < p->nflags; i++) {
		if (!(mask & (1u << i)))
			continue;
		const struct out_flag *f = &p->flags[i];
		sb_adds(&sb, last_group < 0 ? "Flags: " :
			     (unsigned)last_group == f->group ? ", " : "; ");
		sb_printf(&sb, "%c - ", f->letter);
		if (upper)
			out_add_upper(&sb, p->m->props[f->prop].name);
		else
			sb_adds(&sb, p->m->props[f->prop].name);
		last_group = (int)f->group;
	}
	if (sb.len)
		out_line(p->fp, &sb);
	sb_free(&sb);
}

void out_number(const struct out_print *p, long number, struct bk_item *it,
		char buf[32])
{
	if (p->opts & OO_SHOW_IDS)
		snprintf(buf, 32, "%s", it->id);
	else
		snprintf(buf, 32, "%ld", number);
}

void out_line(FILE *fp, struct strbuf *sb)
{
	size_t n = sb->len;

	while (n && sb->buf[n - 1] == ' ')
		n--;
	if (n)
		fwrite(sb->buf, 1, n, fp);
	fputc('\n', fp);
	sb_reset(sb);
}

/*
 * Name lookup without grammar/schema.c, so the renderer links with only
 * the value types (its unit test uses menus of its own).
 */
int out_prop_index(const struct gr_menu *m, const char *name)
{
	for (size_t i = 0; i < m->nprops; i++)
		if (m->props[i].name && strcmp(m->props[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int flag_index(const struct gr_menu *m, char letter)
{
	for (size_t i = 0; i < m->nprops; i++)
		if (m->props[i].name && (m->props[i].flags & GP_FLAG) &&
		    m->props[i].flag == letter)
			return (int)i;
	return -1;
}

void out_pad(struct strbuf *sb, size_t n)
{
	while (n--)
		sb_addc(sb, ' ');
}

/* ---- setup ------------------------------------------------------------- */

/*
 * Flag columns from menu->flag_groups ("XI;D"); a menu without groups gets
 * one column per flag property, in table order.
 */
static void setup_flags(struct out_print *p)
{
	const struct gr_menu *m = p->m;
	unsigned g = 0;

	if (m->flag_groups) {
		bool used = false;	/* empty groups get no column */

		for (const char *s = m->flag_groups; *s; s++) {
			int i = *s == ';' ? -1 : flag_index(m, *s);

			if (*s == ';' && used) {
				g++;
				used = false;
			}
			if (i < 0 || p->nflags == OUT_MAX_FLAGS)
				continue;
			p->flags[p->nflags++] = (struct out_flag){
				(unsigned)i, *s, g };
			used = true;
		}
		p->ngroups = used ? g + 1 : g;
		return;
	}
	for (size_t i = 0; i < m->nprops && p->nflags < OUT_MAX_FLAGS; i++)
		if (m->props[i].name && (m->props[i].flags & GP_FLAG))
			p->flags[p->nflags++] = (struct out_flag){
				(unsigned)i, m->props[i].flag, g++ };
	p->ngroups = g;
}

/* Whether the mode shows property i when the caller gave no proplist. */
static bool default_prop(const struct out_print *p, size_t i)
{
	const struct gr_prop *pr = &p->m->props[i];

	if (!pr->name || (pr->flags & GP_ARG))
		return false;
	if (p->mode == OM_JSON)
		return true;	/* flags too, as booleans; hidden ones too */
	if (pr->flags & GP_FLAG)
		return false;
	if (p->mode == OM_AS_VALUE)
		return true;	/* for scripts: hidden ones too */
	if (pr->flags & GP_HIDDEN)
		return false;
	if (p->mode == OM_TABLE || p->mode == OM_KV) {
		if ((int)i == p->comment)
			return false;	/* a ";;;" line, not a column */
		if (p->mode == OM_KV && (pr->flags & GP_RO))
			return (p->opts & OO_DETAIL) != 0;
	}
	return true;
}

static void add_prop(struct out_print *p, size_t i)
{
	if (i >= p->m->nprops || !p->m->props[i].name)
		return;
	if ((p->mode == OM_TABLE || p->mode == OM_KV) && (int)i == p->comment)
		return;
	p->props[p->nprops++] = (unsigned)i;
}

/* The menu's "a,b,c" table columns; unknown names are skipped. */
static void table_columns(struct out_print *p)
{
	char *copy = xstrdup(p->m->columns), *save = NULL;

	for (char *w = strtok_r(copy, ",", &save); w;
	     w = strtok_r(NULL, ",", &save)) {
		int i = out_prop_index(p->m, w);
		if (i >= 0 && p->nprops < p->m->nprops)
			add_prop(p, (size_t)i);
	}
	free(copy);
}

static void choose_props(struct out_print *p, const unsigned *props,
			 size_t nprops)
{
	p->props = xcalloc(p->m->nprops + nprops + 1, sizeof(*p->props));
	if (props) {
		for (size_t i = 0; i < nprops; i++)
			add_prop(p, props[i]);
	} else if (p->mode == OM_TABLE && p->m->columns) {
		table_columns(p);
	} else {
		for (size_t i = 0; i < p->m->nprops; i++)
			if (default_prop(p, i))
				p->props[p->nprops++] = (unsigned)i;
	}
}

struct out_print *out_print_new(FILE *fp, const struct gr_menu *m,
				enum out_mode mode, const unsigned *props,
				size_t nprops, unsigned opts, int width)
{
	struct out_print *p = xcalloc(1, sizeof(*p));

	p->fp = fp;
	p->m = m;
	p->mode = mode;
	p->opts = opts;
	p->width = width > 0 ? width : 80;
	p->comment = out_prop_index(m, "comment");
	setup_flags(p);
	choose_props(p, props, nprops);
	/* key=value prints the whole legend up front, even for no items. */
	if (mode == OM_KV && !(opts & OO_NO_LEGEND))
		out_legend(p, p->nflags ? (uint32_t)-1 : 0, false);
	return p;
}

/* ---- key=value, terse -------------------------------------------------- */

/*
 * Date-times stay bare although they hold a space: RouterOS prints
 * creation-time=2025-03-04 09:12:44 unquoted in detail and terse.
 */
static void add_value(struct strbuf *sb, const struct gr_prop *pr,
		      const char *v, bool force)
{
	if (pr->type && pr->type->kind == GK_DATETIME)
		sb_adds(sb, v);
	else
		gr_quote(sb, v, force);
}

/* " 0 XD " : number right-aligned in width 2, every flag column. */
static void item_prefix(const struct out_print *p, long number,
			struct bk_item *it, struct strbuf *sb)
{
	char num[32];

	out_number(p, number, it, num);
	sb_printf(sb, "%2s ", num);
	out_flag_cols(p, out_flag_mask(p, it), out_all_groups(p), sb);
}

static void kv_item(struct out_print *p, long number, struct bk_item *it)
{
	struct strbuf line = STRBUF_INIT, pair = STRBUF_INIT;
	bool detail = p->opts & OO_DETAIL, empty = true;
	const char *c;

	if (p->nitems)
		fputc('\n', p->fp);
	item_prefix(p, number, it, &line);
	size_t indent = line.len;
	c = p->comment >= 0 ? bk_get(it, (unsigned)p->comment) : NULL;
	if (c) {
		sb_printf(&line, ";;; %s", c);
		out_line(p->fp, &line);
		out_pad(&line, indent);
	}
	for (size_t i = 0; i < p->nprops; i++) {
		const struct gr_prop *pr = &p->m->props[p->props[i]];
		const char *v = bk_get(it, p->props[i]);
		if (!v)
			continue;
		sb_reset(&pair);
		sb_printf(&pair, "%s=", pr->name);
		add_value(&pair, pr, v, detail && (pr->flags & GP_TEXT));
		/* wrap before a pair that would cross the width */
		if (!empty && line.len + 1 + pair.len > (size_t)p->width) {
			out_line(p->fp, &line);
			out_pad(&line, indent);
			empty = true;
		}
		if (!empty)
			sb_addc(&line, ' ');
		sb_addn(&line, pair.buf, pair.len);
		empty = false;
	}
	if (!empty || !c)
		out_line(p->fp, &line);
	sb_free(&line);
	sb_free(&pair);
}

static void terse_item(struct out_print *p, long number, struct bk_item *it)
{
	struct strbuf line = STRBUF_INIT;
	size_t start;

	item_prefix(p, number, it, &line);
	start = line.len;
	for (size_t i = 0; i < p->nprops; i++) {
		const struct gr_prop *pr = &p->m->props[p->props[i]];
		const char *v = bk_get(it, p->props[i]);
		if (!v)
			continue;
		if (line.len > start)
			sb_addc(&line, ' ');
		sb_printf(&line, "%s=", pr->name);
		add_value(&line, pr, v, false);
	}
	out_line(p->fp, &line);
	sb_free(&line);
}

/* ---- "key: value" (value-list, settings) ------------------------------- */

/*
 * Keys right-aligned so the colons line up, the longest key indented two
 * spaces. The values are copied first: the width depends on which
 * properties are set, and get() may reuse its buffer.
 */
static void colon_item(struct out_print *p, struct bk_item *it)
{
	char **vals = xcalloc(p->nprops + 1, sizeof(*vals));
	size_t kw = 0;

	if (p->nitems)
		fputc('\n', p->fp);
	for (size_t i = 0; i < p->nprops; i++) {
		const char *v = bk_get(it, p->props[i]);
		const char *name = p->m->props[p->props[i]].name;
		if (!v)
			continue;
		vals[i] = xstrdup(v);
		if (strlen(name) > kw)
			kw = strlen(name);
	}
	for (size_t i = 0; i < p->nprops; i++) {
		if (!vals[i])
			continue;
		fprintf(p->fp, "%*s: %s\n", (int)kw + 2,
			p->m->props[p->props[i]].name, vals[i]);
		free(vals[i]);
	}
	free(vals);
}

/* ---- as-value, JSON ---------------------------------------------------- */

static void as_value_item(struct out_print *p, struct bk_item *it)
{
	fprintf(p->fp, ".id=%s", it->id);
	for (size_t i = 0; i < p->nprops; i++) {
		const char *v = bk_get(it, p->props[i]);
		if (v)
			fprintf(p->fp, ";%s=%s", p->m->props[p->props[i]].name, v);
	}
	fputc('\n', p->fp);
}

/* A canonical integer JSON can carry as a number: -?(0|[1-9][0-9]*). */
static bool json_int(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		return s[1] == '\0';
	if (*s < '1' || *s > '9')
		return false;
	while (*s >= '0' && *s <= '9')
		s++;
	return *s == '\0';
}

void out_json_string(FILE *fp, const char *s)
{
	static const char from[] = "\"\\\b\f\n\r\t", to[] = "\"\\bfnrt";

	fputc('"', fp);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		const unsigned char *q = c;

		while (*q >= 0x20 && *q != '"' && *q != '\\')
			q++;
		if (q > c) {	/* plain text in one write */
			fwrite(c, 1, (size_t)(q - c), fp);
			c = q - 1;
			continue;
		}
		const char *e = strchr(from, *c);	/* " \\ or a control */
		if (e) {
			fputc('\\', fp);
			fputc(to[e - from], fp);
		} else {
			fprintf(fp, "\\u%04x", *c);
		}
	}
	fputc('"', fp);
}

static void json_item(struct out_print *p, struct bk_item *it)
{
	FILE *fp = p->fp;

	fputs(p->nitems ? ",{\".id\":" : "[{\".id\":", fp);
	out_json_string(fp, it->id);
	for (size_t i = 0; i < p->nprops; i++) {
		const struct gr_prop *pr = &p->m->props[p->props[i]];
		const char *v = bk_get(it, p->props[i]);
		if (pr->flags & GP_FLAG) {
			fprintf(fp, ",\"%s\":%s", pr->name,
				out_flag_set(v) ? "true" : "false");
			continue;
		}
		if (!v)
			continue;
		fputc(',', fp);
		out_json_string(fp, pr->name);
		fputc(':', fp);
		bool num = (pr->flags & GP_STAT) ||
			   (pr->type && pr->type->kind == GK_INT);
		if (num && json_int(v))
			fputs(v, fp);
		else
			out_json_string(fp, v);
	}
	fputc('}', fp);
}

/* ---- dispatch ---------------------------------------------------------- */

void out_print_item(struct out_print *p, long number, struct bk_item *it)
{
	switch (p->mode) {
	case OM_TABLE:
		out_table_item(p, number, it);
		break;
	case OM_KV:
		kv_item(p, number, it);
		break;
	case OM_TERSE:
		terse_item(p, number, it);
		break;
	case OM_VALUE_LIST:
	case OM_SETTINGS:
		colon_item(p, it);
		break;
	case OM_AS_VALUE:
		as_value_item(p, it);
		break;
	case OM_JSON:
		json_item(p, it);
		break;
	}
	p->nitems++;
}

void out_print_end(struct out_print *p)
{
	if (!p)
		return;
	if (p->mode == OM_TABLE)
		out_table_end(p);
	else if (p->mode == OM_JSON)
		fputs(p->nitems ? "]\n" : "[]\n", p->fp);
	fflush(p->fp);
	free(p->props);
	free(p);
}
