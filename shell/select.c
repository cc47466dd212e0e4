/* Item selection: numbers from the last print, ids, names, [find ...]. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "session.h"

void idlist_add(struct idlist *l, const char *id)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	snprintf(l->v[l->n++], sizeof(l->v[0]), "%s", id);
}

const char *const *idlist_argv(struct idlist *l)
{
	free(l->argv);
	l->argv = xcalloc(l->n + 1, sizeof(*l->argv));
	for (size_t i = 0; i < l->n; i++)
		l->argv[i] = l->v[i];
	return l->argv;
}

void idlist_free(struct idlist *l)
{
	free(l->argv);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/*
 * Item numbers of the last print. `remove 3` must mean the row shown as 3
 * even when the table changed since, so every printed (number, id) pair is
 * kept; but printing a million conntrack entries must not grow memory by
 * 32 bytes a row. The map therefore keeps at most NUM_MEM pairs in memory
 * (m->v): when that fills up, the pairs go, NUM_MEM at a time, to an
 * unlinked temporary file (tmpfile(3), in /tmp), and a lookup searches the
 * file by binary search (numbers only grow). Memory stays under 128 KB
 * whatever the size of the table; an interactive print of a few hundred
 * rows never touches the file. If no file can be made, the map simply
 * grows in memory.
 *
 * The file is reused by later prints of the menu and closed with the
 * session (sh_session_free).
 */
#define NUM_MEM 4096

/* Move the pairs in memory to the file; false: keep them in memory. */
static bool spill_out(struct nummap *m)
{
	size_t len = m->n * sizeof(*m->v);

	/* fcntl.h's O_ names clash with parse.h's options: tmpfile() it is */
	if (!m->spill && !(m->spill = tmpfile()))
		return false;
	if (pwrite(fileno(m->spill), m->v, len,
		   (off_t)(m->spilled * sizeof(*m->v))) != (ssize_t)len)
		return false;
	m->spilled += m->n;
	m->n = 0;
	return true;
}

void nummap_reset(struct nummap *m)
{
	if (m->spill) {
		m->spilled = 0;
		/* only frees disk space (bytes past spilled are never read):
		 * a failure does not matter */
		(void)!ftruncate(fileno(m->spill), 0);
	}
	m->n = 0;
	m->valid = true;
}

void nummap_add(struct nummap *m, long num, const char *id)
{
	if (m->n == m->cap && !(m->cap >= NUM_MEM && spill_out(m))) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->v = xrealloc(m->v, m->cap * sizeof(*m->v));
	}
	m->v[m->n].num = num;
	snprintf(m->v[m->n].id, sizeof(m->v[0].id), "%s", id);
	m->n++;
}

/* The id numbered num, or NULL. Pairs are sorted by number. */
static const char *nummap_find(const struct nummap *m, long num,
			       struct numid *buf)
{
	size_t lo = 0, hi = m->spilled;

	if (m->n && num >= m->v[0].num) {
		lo = 0, hi = m->n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (m->v[mid].num < num)
				lo = mid + 1;
			else
				hi = mid;
		}
		return lo < m->n && m->v[lo].num == num ? m->v[lo].id : NULL;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (pread(fileno(m->spill), buf, sizeof(*buf),
			  (off_t)(mid * sizeof(*buf))) != (ssize_t)sizeof(*buf))
			return NULL;
		if (buf->num == num)
			return buf->id;
		if (buf->num < num)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *sh_item_get(void *item, int prop)
{
	struct bk_item *it = item;

	return prop < 0 ? it->id : bk_get(it, (unsigned)prop);
}

size_t sh_hints(const struct gr_where *w, struct bk_cond *out, size_t max)
{
	struct gr_where_hint h[16];
	size_t n = gr_where_hints(w, h, max < 16 ? max : 16);

	for (size_t i = 0; i < n; i++)
		out[i] = (struct bk_cond){ (unsigned)h[i].prop,
					   (enum bk_op)h[i].op, h[i].value,
					   h[i].negated };
	return n;
}

struct find_ctx {
	const struct gr_where *w;
	struct idlist *out;
	const char *name;	/* match by name_key */
	int name_prop;
	long num;		/* numbering pass */
	struct nummap *map;
};

static int find_cb(struct bk_item *it, void *arg)
{
	struct find_ctx *fc = arg;

	if (sh_interrupted)
		return -1;
	if (fc->map) {
		nummap_add(fc->map, fc->num++, it->id);
		return 0;
	}
	if (fc->name) {
		const char *v = bk_get(it, (unsigned)fc->name_prop);
		if (v && strcmp(v, fc->name) == 0)
			idlist_add(fc->out, it->id);
		return 0;
	}
	if (gr_where_eval(fc->w, sh_item_get, it))
		idlist_add(fc->out, it->id);
	return 0;
}

static int iterate(const struct bk_ops *ops, const struct gr_menu *m,
		   const struct gr_where *w, struct find_ctx *fc,
		   const struct gr_stmt *st, struct sh_err *e)
{
	struct bk_cond hints[16];
	size_t nh = sh_hints(w, hints, 16);
	struct bk_err be = { { 0 } };

	if (ops->iterate(m, hints, nh, find_cb, fc, &be) < 0)
		return sh_errorf(e, st, "%s", be.msg[0] ? be.msg : "interrupted");
	return 0;
}

int sh_find(struct session *s, const struct gr_stmt *st, struct idlist *out,
	    struct sh_err *e)
{
	const struct bk_ops *ops = sh_ops(st->menu, st, e);
	struct find_ctx fc = { .w = st->where, .out = out };

	if (!ops)
		return -1;
	return iterate(ops, st->menu, st->where, &fc, st, e);
}

/* Numbers work even before any print: number the items as print would. */
static struct nummap *ensure_map(struct session *s, const struct gr_menu *m,
				 const struct gr_stmt *st, struct sh_err *e)
{
	struct nummap *map = &s->maps[m->id];
	const struct bk_ops *ops;

	if (map->valid)
		return map;
	if (!(ops = sh_ops(m, st, e)))
		return NULL;
	nummap_reset(map);
	struct find_ctx fc = { .map = map };
	if (iterate(ops, m, NULL, &fc, st, e) < 0) {
		map->valid = false;
		return NULL;
	}
	return map;
}

static int select_number(struct session *s, const struct gr_menu *m,
			 long lo, long hi, const struct gr_stmt *st,
			 struct idlist *out, struct sh_err *e)
{
	struct nummap *map = ensure_map(s, m, st, e);

	if (!map)
		return -1;
	for (long n = lo; n <= hi; n++) {
		struct numid buf;
		const char *id = nummap_find(map, n, &buf);
		if (!id)
			return sh_errorf(e, st, "no such item");
		idlist_add(out, id);
	}
	return 0;
}

static int select_word(struct session *s, const struct gr_menu *m,
		       const char *w, const struct gr_stmt *st,
		       struct idlist *out, struct sh_err *e)
{
	char *end;

	if (w[0] == '*' && w[1]) {
		idlist_add(out, w);
		return 0;
	}
	if (isdigit((unsigned char)w[0])) {
		long lo = strtol(w, &end, 10), hi = lo;
		if (*end == '-')
			hi = strtol(end + 1, &end, 10);
		if (*end == '\0' && lo <= hi)
			return select_number(s, m, lo, hi, st, out, e);
	}
	if (!m->name_key)
		return sh_errorf(e, st, "no such item");
	const struct bk_ops *ops = sh_ops(m, st, e);
	if (!ops)
		return -1;
	size_t before = out->n;
	struct find_ctx fc = { .out = out, .name = w,
			       .name_prop = gr_prop_index(m, m->name_key) };
	if (iterate(ops, m, NULL, &fc, st, e) < 0)
		return -1;
	return out->n > before ? 0 : sh_errorf(e, st, "no such item");
}

int sh_select(struct session *s, const struct gr_menu *m,
	      const struct gr_value *v, const struct gr_stmt *st,
	      struct idlist *out, struct sh_err *e)
{
	if (v->sub) {
		if (v->sub->cmd != GC_FIND)
			return sh_errorf(e, st, "expected item id");
		return sh_find(s, v->sub, out, e);
	}
	char *copy = xstrdup(v->text), *save = NULL;
	int rc = 0;
	for (char *w = strtok_r(copy, ",", &save); w && rc == 0;
	     w = strtok_r(NULL, ",", &save))
		rc = select_word(s, m, w, st, out, e);
	free(copy);
	if (rc == 0 && out->n == 0 && !*v->text)
		rc = sh_errorf(e, st, "expected item id");
	return rc;
}
