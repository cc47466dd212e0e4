/*
 * export: the .rsc script that recreates the configuration. Arguments are
 * sorted alphabetically, values quoted only when needed, lines wrapped
 * near 80 columns with " \" and a 4-space indent, as RouterOS does.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render_int.h"

#ifndef ROSH_VERSION
#define ROSH_VERSION "0.1.0"
#endif

#define X_WIDTH 80	/* no wrapped line is longer, when avoidable */
#define X_INDENT 4	/* continuation lines */

void out_export_header(FILE *fp)
{
	time_t now = time(NULL);
	struct tm tm;
	char buf[32] = "";

	if (localtime_r(&now, &tm))
		strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(fp, "# %s by rosh %s\n", buf, ROSH_VERSION);
}

/* "/ip/firewall/filter" -> "/ip firewall filter" */
static void add_spaced_path(struct strbuf *sb, const char *path)
{
	for (const char *s = path; *s; s++)
		sb_addc(sb, s != path && *s == '/' ? ' ' : *s);
}

void out_export_menu(FILE *fp, const struct gr_menu *m)
{
	struct strbuf sb = STRBUF_INIT;

	add_spaced_path(&sb, m->path);
	fprintf(fp, "%s\n", sb_str(&sb));
	sb_free(&sb);
}

struct xarg {
	const char *name;
	char *val;		/* quoted as needed */
};

static int xarg_cmp(const void *a, const void *b)
{
	return strcmp(((const struct xarg *)a)->name,
		      ((const struct xarg *)b)->name);
}

/*
 * The value property i exports as, or NULL when it is left out. Settings
 * (GM_SINGLE) export only what differs from the default; a property
 * without a known default is left out there too, as nothing says whether
 * the user changed it. Verbose adds every default.
 */
static const char *export_value(const struct gr_menu *m, size_t i,
				struct bk_item *it, unsigned opts)
{
	const struct gr_prop *pr = &m->props[i];
	bool verbose = opts & OX_VERBOSE;

	if (!pr->name || (pr->flags & (GP_RO | GP_NOEXPORT | GP_ARG)))
		return NULL;
	const char *v = bk_get(it, (unsigned)i);
	if (pr->flags & GP_FLAG) {
		if (strcmp(pr->name, "disabled") != 0)
			return NULL;
		return out_flag_set(v) ? "yes" : verbose ? "no" : NULL;
	}
	if (m->kind == GM_SINGLE && !verbose &&
	    (!pr->def || (v && strcmp(v, pr->def) == 0)))
		return NULL;
	return v ? v : verbose ? pr->def : NULL;
}

/*
 * Items the system made are not exported, as RouterOS skips them: they
 * would be made again by the system (built-in interface lists, dynamic
 * rules and address-list entries). RouterOS marks them with the same
 * legend letters in every menu, D (dynamic) and * (built-in), so the
 * schema's flag properties say it for every menu. (I, invalid, is still
 * configuration and is exported.)
 */
static bool system_item(const struct gr_menu *m, struct bk_item *it)
{
	for (size_t i = 0; i < m->nprops; i++) {
		const struct gr_prop *pr = &m->props[i];
		if (pr->name && (pr->flags & GP_FLAG) && pr->flag &&
		    strchr("D*", pr->flag) && out_flag_set(bk_get(it, (unsigned)i)))
			return true;
	}
	return false;
}

/*
 * A pair that does not fit goes to a new line. Only when it does not fit
 * on a line of its own either does the line break right after "name=",
 * so the value starts the next line. Room for " \" is kept on every line
 * but the last.
 */
static void write_wrapped(FILE *fp, const char *cmd, const struct xarg *a,
			  size_t n, bool wrap)
{
	size_t col = strlen(cmd);

	fputs(cmd, fp);
	for (size_t i = 0; i < n; i++) {
		size_t nl = strlen(a[i].name) + 1, vl = strlen(a[i].val);
		size_t room = i + 1 < n ? 2 : 0;

		if (!wrap || col + 1 + nl + vl + room <= X_WIDTH) {
			fprintf(fp, " %s=%s", a[i].name, a[i].val);
			col += 1 + nl + vl;
		} else if (X_INDENT + nl + vl + room <= X_WIDTH) {
			fprintf(fp, " \\\n%*s%s=%s", X_INDENT, "", a[i].name,
				a[i].val);
			col = X_INDENT + nl + vl;
		} else {
			if (col + 1 + nl + 1 > X_WIDTH)
				fprintf(fp, " \\\n%*s", X_INDENT, "");
			else
				fputc(' ', fp);
			fprintf(fp, "%s=\\\n%*s%s", a[i].name, X_INDENT, "",
				a[i].val);
			col = X_INDENT + vl;
		}
	}
	fputc('\n', fp);
}

void out_export_item(FILE *fp, const struct gr_menu *m, struct bk_item *it,
		     unsigned opts)
{
	struct xarg *a;
	struct strbuf cmd = STRBUF_INIT, val = STRBUF_INIT;
	size_t n = 0;

	if (m->kind == GM_DIR || system_item(m, it))
		return;
	a = xcalloc(m->nprops + 1, sizeof(*a));
	for (size_t i = 0; i < m->nprops; i++) {
		const char *v = export_value(m, i, it, opts);
		if (!v)
			continue;
		sb_reset(&val);
		gr_quote(&val, v, false);
		a[n].name = m->props[i].name;
		a[n++].val = xstrdup(sb_str(&val));
	}
	qsort(a, n, sizeof(*a), xarg_cmp);
	if (opts & OX_TERSE) {
		add_spaced_path(&cmd, m->path);
		sb_addc(&cmd, ' ');
	}
	sb_adds(&cmd, m->kind == GM_SINGLE ? "set" : "add");
	if (n || m->kind == GM_LIST)
		write_wrapped(fp, sb_str(&cmd), a, n, !(opts & OX_TERSE));
	for (size_t i = 0; i < n; i++)
		free(a[i].val);
	free(a);
	sb_free(&cmd);
	sb_free(&val);
}
