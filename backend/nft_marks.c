/*
 * RouterOS marks are names; the kernel's are 32-bit numbers. The set
 * "marks" (type mark) of table ip rosh keeps the mapping: one element per
 * name, the number as key and the name as the element comment (so
 * `nft list set ip rosh marks` shows it). A number is chosen as: the name
 * itself when it is a number (12, 0x1f), else the FNV-1a hash of the name,
 * moved on past any number already taken; "no-mark" is 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/udata.h>

#include "nft_sets.h"

#define MARKS_SET "marks"

struct mark {
	uint32_t v;
	char *name;
};
static struct mark *marks;
static size_t nmarks;
static bool loaded;

void nfs_marks_reset(void)
{
	for (size_t i = 0; i < nmarks; i++)
		free(marks[i].name);
	free(marks);
	marks = NULL;
	nmarks = 0;
	loaded = false;
}

static void push(uint32_t v, const char *name)
{
	marks = xrealloc(marks, (nmarks + 1) * sizeof(*marks));
	marks[nmarks].v = v;
	marks[nmarks++].name = xstrdup(name);
}

static int name_cb(const struct nftnl_udata *a, void *arg)
{
	const char *v = nftnl_udata_get(a);
	uint8_t len = nftnl_udata_len(a);

	if (nftnl_udata_type(a) == NFTNL_UDATA_SET_ELEM_COMMENT && len &&
	    v[len - 1] == '\0')
		*(const char **)arg = v;
	return 0;
}

static int elem_cb(const struct nfs_elem_view *v, void *arg)
{
	const char *name = NULL;
	uint32_t val;

	if (v->catchall || v->len != 4 || !v->udata)
		return 0;
	nftnl_udata_parse(v->udata, v->udata_len, name_cb, &name);
	memcpy(&val, v->key, 4);
	if (name)
		push(val, name);
	return 0;
}

int nfs_marks_load(struct bk_err *e)
{
	nfs_marks_reset();
	loaded = true;
	if (!nfm_set_find(MARKS_SET))
		return 0;
	return nfs_dump_elems(MARKS_SET, elem_cb, NULL, e);
}

static bool numeric(const char *s, uint32_t *v)
{
	char *end;
	unsigned long long n;

	if (!*s || *s == '-' || *s == '+')
		return false;
	n = strtoull(s, &end, 0);
	if (*end || n > 0xffffffffULL)
		return false;
	*v = (uint32_t)n;
	return true;
}

static const struct mark *by_value(uint32_t v)
{
	for (size_t i = 0; i < nmarks; i++)
		if (marks[i].v == v)
			return &marks[i];
	return NULL;
}

int nfs_mark_value(const char *name, bool plan, uint32_t *v, struct bk_err *e)
{
	if (!strcmp(name, "no-mark")) {
		*v = 0;
		return 0;
	}
	for (size_t i = 0; i < nmarks; i++)
		if (!strcmp(marks[i].name, name)) {
			*v = marks[i].v;
			return 0;
		}
	if (!numeric(name, v)) {
		uint32_t h = 2166136261u;
		for (const char *p = name; *p; p++)
			h = (h ^ (unsigned char)*p) * 16777619u;
		while (!h || by_value(h))
			h++;
		*v = h;
	} else if (!*v) {
		return bk_fail(e, "mark 0 is no-mark");
	} else if (by_value(*v)) {
		return bk_fail(e, "mark %s has the number of mark %s", name,
			       by_value(*v)->name);
	}
	if (!plan)
		return 0;
	struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN);
	if (!nftnl_udata_put_strz(u, NFTNL_UDATA_SET_ELEM_COMMENT, name)) {
		nftnl_udata_buf_free(u);
		return bk_fail(e, "mark name too long");
	}
	if (!nfm_set_find(MARKS_SET))
		nfs_plan_set(MARKS_SET, 0, 19 /* mark */, 4, false, NULL, 0);
	struct nfs_elem el = { .key = v, .len = 4,
			       .udata = nftnl_udata_buf_data(u),
			       .udata_len = nftnl_udata_buf_len(u) };
	nfs_elems(nfm_batch(), MARKS_SET, false, false, &el, 1);
	nftnl_udata_buf_free(u);
	push(*v, name);
	return 0;
}

const char *nfs_mark_name(uint32_t v, char buf[16])
{
	const struct mark *m = by_value(v);

	if (!v)
		return "no-mark";
	if (m)
		return m->name;
	snprintf(buf, 16, "0x%x", v);
	return buf;
}
