/* Named sets of table ip rosh: creation, element messages, element dumps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/set.h>
#include <libnftnl/udata.h>

#include "nft_sets.h"

static void plan(const char *name, uint32_t flags, uint32_t key_type,
		 uint32_t key_len, bool map, const void *udata,
		 uint32_t udata_len, const uint8_t *fields);

void nfs_plan_set(const char *name, uint32_t flags, uint32_t key_type,
		  uint32_t key_len, bool map, const void *udata,
		  uint32_t udata_len)
{
	plan(name, flags, key_type, key_len, map, udata, udata_len, NULL);
}

void nfs_plan_set_concat(const char *name, uint32_t flags, uint32_t key_type,
			 uint32_t key_len, const uint8_t *fields)
{
	plan(name, flags | NFT_SET_CONCAT, key_type, key_len, false, NULL, 0,
	     fields);
}

static void plan(const char *name, uint32_t flags, uint32_t key_type,
		 uint32_t key_len, bool map, const void *udata,
		 uint32_t udata_len, const uint8_t *fields)
{
	struct nftnl_set *s = nftnl_set_alloc();
	struct nftb *b = nfm_batch();

	nftnl_set_set_str(s, NFTNL_SET_TABLE, NFT_TABLE_NAME);
	nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, NFT_FAMILY);
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, flags | (map ? NFT_SET_MAP : 0));
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, key_type);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, key_len);
	nftnl_set_set_u32(s, NFTNL_SET_ID, nfm_set_id());
	if (map) {
		nftnl_set_set_u32(s, NFTNL_SET_DATA_TYPE, 19 /* mark */);
		nftnl_set_set_u32(s, NFTNL_SET_DATA_LEN, 4);
	}
	if (fields) {
		size_t nf = strlen((const char *)fields);
		nftnl_set_set_data(s, NFTNL_SET_DESC_CONCAT, fields,
				   (uint32_t)nf + 1);
	}
	struct nftnl_udata_buf *u = NULL;
	if (!udata) {	/* byte orders, so that nft prints keys and data right */
		u = nftnl_udata_buf_alloc(32);
		nftnl_udata_put_u32(u, NFTNL_UDATA_SET_KEYBYTEORDER,
				    key_type == 7 || key_type == (7 << 6 | 7) ||
				    key_type == (19 << 6 | 13) ? 2 : 1);
		if (map)
			nftnl_udata_put_u32(u, NFTNL_UDATA_SET_DATABYTEORDER, 2);
		udata = nftnl_udata_buf_data(u);
		udata_len = nftnl_udata_buf_len(u);
	}
	if (udata && udata_len)
		nftnl_set_set_data(s, NFTNL_SET_USERDATA, udata, udata_len);
	struct nlmsghdr *nlh = nftb_msg(b, NFT_MSG_NEWSET, NLM_F_CREATE,
					name);
	nftnl_set_nlmsg_build_payload(nlh, s);
	nftb_end(b);
	nftnl_set_free(s);
	if (u)
		nftnl_udata_buf_free(u);

	struct nft_set *ms = nfm_set_add(name);
	ms->flags = flags | (map ? NFT_SET_MAP : 0);
	ms->key_type = key_type;
	ms->key_len = key_len;
	ms->data_len = map ? 4 : 0;
}

static bool be_inc(unsigned char *v, uint32_t len)
{
	for (uint32_t i = len; i-- > 0;)
		if (++v[i])
			return true;
	return false;
}

static void add_one(struct nftnl_set *s, const struct nfs_elem *e, bool del,
		    bool interval)
{
	struct nftnl_set_elem *el = nftnl_set_elem_alloc();

	if (e->catchall)
		nftnl_set_elem_set_u32(el, NFTNL_SET_ELEM_FLAGS,
				       NFT_SET_ELEM_CATCHALL);
	else
		nftnl_set_elem_set(el, NFTNL_SET_ELEM_KEY, e->key, e->len);
	if (e->concat_interval)
		nftnl_set_elem_set(el, NFTNL_SET_ELEM_KEY_END, e->key_end, e->len);
	if (!del && e->has_data)
		nftnl_set_elem_set(el, NFTNL_SET_ELEM_DATA, &e->data, 4);
	if (!del && e->timeout_ms)
		nftnl_set_elem_set_u64(el, NFTNL_SET_ELEM_TIMEOUT, e->timeout_ms);
	if (!del && e->udata && e->udata_len)
		nftnl_set_elem_set(el, NFTNL_SET_ELEM_USERDATA, e->udata,
				   e->udata_len);
	nftnl_set_elem_add(s, el);
	if (!interval || e->catchall)
		return;
	unsigned char end[16];
	memcpy(end, e->key_end ? e->key_end : e->key, e->len);
	if (!be_inc(end, e->len))
		return;		/* open to the top of the key space */
	el = nftnl_set_elem_alloc();
	nftnl_set_elem_set(el, NFTNL_SET_ELEM_KEY, end, e->len);
	nftnl_set_elem_set_u32(el, NFTNL_SET_ELEM_FLAGS,
			       NFT_SET_ELEM_INTERVAL_END);
	nftnl_set_elem_add(s, el);
}

void nfs_elems(struct nftb *b, const char *set, bool del, bool interval,
	       const struct nfs_elem *el, size_t n)
{
	/* one message per element keeps each under the netlink size limit
	 * whatever the userdata; the kernel applies them in one commit */
	for (size_t i = 0; i < n; i++) {
		struct nftnl_set *s = nftnl_set_alloc();
		nftnl_set_set_str(s, NFTNL_SET_TABLE, NFT_TABLE_NAME);
		nftnl_set_set_str(s, NFTNL_SET_NAME, set);
		add_one(s, &el[i], del, interval);
		struct nlmsghdr *nlh = nftb_msg(b, del ? NFT_MSG_DELSETELEM :
						NFT_MSG_NEWSETELEM,
						del ? 0 : NLM_F_CREATE | NLM_F_EXCL,
						NULL);
		nftnl_set_elems_nlmsg_build_payload(nlh, s);
		nftb_end(b);
		nftnl_set_free(s);
	}
}

/* What a kernel refusal to delete set `name` is about, in console terms
 * ("interface list WAN: object is in use", not "ifl_WAN: ..."). */
static void set_label(const char *name, struct strbuf *out)
{
	static const char *const al_pfx[] = { "alh_", "alr_", "alx_" };
	const char *l = nfs_ifl_list_of(name);

	if (l) {
		sb_printf(out, "interface list %s", l);
		return;
	}
	for (size_t i = 0; i < 3; i++)
		if (!strncmp(name, al_pfx[i], 4)) {
			sb_printf(out, "address list %s", name + 4);
			return;
		}
	sb_printf(out, "set %s", name);
}

void nfs_del_set(struct nftb *b, const char *name)
{
	struct nftnl_set *s = nftnl_set_alloc();
	struct strbuf label = STRBUF_INIT;

	set_label(name, &label);
	nftnl_set_set_str(s, NFTNL_SET_TABLE, NFT_TABLE_NAME);
	nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	struct nlmsghdr *nlh = nftb_msg(b, NFT_MSG_DELSET, 0, sb_str(&label));
	sb_free(&label);
	nftnl_set_nlmsg_build_payload(nlh, s);
	nftb_end(b);
	nftnl_set_free(s);
}

/* ---- element dumps --------------------------------------------------------- */

struct raw_elem {
	unsigned char key[16], key_end[16];
	bool has_end;
	uint32_t len, flags, data;
	bool has_data;
	uint64_t timeout, expires;
	void *udata;
	uint32_t udata_len;
};

struct dump_elems {
	struct raw_elem *v;
	size_t n, cap;
};

static void take_elem(struct dump_elems *d, struct nftnl_set_elem *el)
{
	struct raw_elem *r;
	uint32_t len = 0;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	r = memset(&d->v[d->n++], 0, sizeof(*r));
	if (nftnl_set_elem_is_set(el, NFTNL_SET_ELEM_KEY)) {
		const void *k = nftnl_set_elem_get(el, NFTNL_SET_ELEM_KEY, &len);
		r->len = len > 16 ? 16 : len;
		memcpy(r->key, k, r->len);
	}
	if (nftnl_set_elem_is_set(el, NFTNL_SET_ELEM_KEY_END)) {
		const void *k = nftnl_set_elem_get(el, NFTNL_SET_ELEM_KEY_END, &len);
		memcpy(r->key_end, k, len > 16 ? 16 : len);
		r->has_end = true;
	}
	if (nftnl_set_elem_is_set(el, NFTNL_SET_ELEM_FLAGS))
		r->flags = nftnl_set_elem_get_u32(el, NFTNL_SET_ELEM_FLAGS);
	if (nftnl_set_elem_is_set(el, NFTNL_SET_ELEM_DATA)) {
		const void *p = nftnl_set_elem_get(el, NFTNL_SET_ELEM_DATA, &len);
		if (len >= 4)
			memcpy(&r->data, p, 4);
		r->has_data = true;
	}
	if (nftnl_set_elem_is_set(el, NFTNL_SET_ELEM_TIMEOUT))
		r->timeout = nftnl_set_elem_get_u64(el, NFTNL_SET_ELEM_TIMEOUT);
	if (nftnl_set_elem_is_set(el, NFTNL_SET_ELEM_EXPIRATION))
		r->expires = nftnl_set_elem_get_u64(el, NFTNL_SET_ELEM_EXPIRATION);
	if (nftnl_set_elem_is_set(el, NFTNL_SET_ELEM_USERDATA)) {
		const void *p = nftnl_set_elem_get(el, NFTNL_SET_ELEM_USERDATA, &len);
		r->udata = xmalloc(len ? len : 1);
		memcpy(r->udata, p, len);
		r->udata_len = len;
	}
}

static int elems_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nftnl_set *s = nftnl_set_alloc();
	struct nftnl_set_elems_iter *it;
	struct nftnl_set_elem *el;

	if (nftnl_set_elems_nlmsg_parse(nlh, s) < 0) {
		nftnl_set_free(s);
		return -1;
	}
	it = nftnl_set_elems_iter_create(s);
	while ((el = nftnl_set_elems_iter_next(it)))
		take_elem(arg, el);
	nftnl_set_elems_iter_destroy(it);
	nftnl_set_free(s);
	return 0;
}

static int raw_cmp(const void *a, const void *b)
{
	const struct raw_elem *x = a, *y = b;
	bool cx = x->flags & NFT_SET_ELEM_CATCHALL, cy = y->flags & NFT_SET_ELEM_CATCHALL;

	if (cx != cy)		/* the catch-all last, out of the pairing */
		return cx ? 1 : -1;
	int c = memcmp(x->key, y->key, 16);

	if (c)
		return c;
	/* an end element sorts before a start at the same key */
	return (int)(y->flags & NFT_SET_ELEM_INTERVAL_END) -
	       (int)(x->flags & NFT_SET_ELEM_INTERVAL_END);
}

static void view_of(const struct raw_elem *r, struct nfs_elem_view *v)
{
	memset(v, 0, sizeof(*v));
	v->key = r->key;
	v->len = r->len;
	memcpy(v->key_end, r->key, r->len);
	v->catchall = r->flags & NFT_SET_ELEM_CATCHALL;
	v->data = r->data;
	v->has_data = r->has_data;
	v->timeout_ms = r->timeout;
	v->expires_ms = r->expires;
	v->udata = r->udata;
	v->udata_len = r->udata_len;
}

static int walk(struct dump_elems *d, bool interval, nfs_elem_cb cb, void *arg)
{
	struct nfs_elem_view v;
	int rc = 0;

	if (interval && d->n)
		qsort(d->v, d->n, sizeof(*d->v), raw_cmp);
	for (size_t i = 0; i < d->n && rc == 0; i++) {
		const struct raw_elem *r = &d->v[i];
		if (r->flags & NFT_SET_ELEM_INTERVAL_END)
			continue;
		view_of(r, &v);
		if (r->has_end) {		/* concatenation: one element */
			memcpy(v.key_end, r->key_end, r->len);
			v.interval = true;
		} else if (interval && !v.catchall) {
			v.interval = true;
			const struct raw_elem *nx = i + 1 < d->n ? &d->v[i + 1] : NULL;
			if (nx && (nx->flags & NFT_SET_ELEM_INTERVAL_END) &&
			    !(nx->flags & NFT_SET_ELEM_CATCHALL)) {
				memcpy(v.key_end, nx->key, r->len);
				for (uint32_t k = r->len; k-- > 0;)	/* end - 1 */
					if (v.key_end[k]--)
						break;
			} else {
				memset(v.key_end, 0xff, r->len);
			}
		}
		rc = cb(&v, arg);
	}
	return rc;
}

int nfs_dump_elems(const char *set, nfs_elem_cb cb, void *arg,
		   struct bk_err *e)
{
	struct dump_elems d = { NULL, 0, 0 };
	const struct nft_set *s = nfm_set_find(set);
	bool interval = s && (s->flags & NFT_SET_INTERVAL);
	int rc;

	for (int tries = 0;; tries++) {
		rc = nftb_dump(NFT_MSG_GETSETELEM, set, elems_cb, &d, e);
		if (rc != 1 || tries == 5)
			break;
		for (size_t i = 0; i < d.n; i++)	/* interrupted: again */
			free(d.v[i].udata);
		d.n = 0;
	}
	if (rc == 0)
		rc = walk(&d, interval, cb, arg);
	else if (rc == 1)
		rc = bk_fail(e, "the ruleset keeps changing; try again");
	for (size_t i = 0; i < d.n; i++)
		free(d.v[i].udata);
	free(d.v);
	return rc;
}
