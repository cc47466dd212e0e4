/*
 * /ip firewall address-list. List X is two maps of table ip rosh:
 *   alr_X  interval map ipv4_addr -> 1: prefixes and ranges
 *   alh_X  hash map ipv4_addr -> 1: single addresses; rules with
 *          add-src/dst-to-address-list add to it from the packet path (the
 *          kernel cannot add to interval sets from there)
 * Both have a catch-all element mapping to 0, so a rule can look an address
 * up in both and test "either is 1" (nft_xlate_ip.c). A disabled entry maps
 * to 0. Entries rosh adds carry element userdata: the comment (shown by
 * nft), the item id, creation time and flags. Entries added by rules carry
 * none: they are dynamic, and their id is derived from list and address.
 * Static ids come from the "ids" map (key 1 -> next id), so adding an entry
 * needs no scan of the lists.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/udata.h>

#include "nft_al.h"
#include "nft_expr.h"

#define PFX_R "alr_"
#define PFX_H "alh_"

/* ---- names -------------------------------------------------------------- */

void nfs_al_names(const char *list, struct strbuf *r, struct strbuf *h)
{
	sb_printf(r, PFX_R "%s", list);
	sb_printf(h, PFX_H "%s", list);
}

const char *nfs_al_list_of(const char *rname, const char *hname)
{
	if (!hname || strncmp(hname, PFX_H, 4))
		return NULL;
	if (rname && (strncmp(rname, PFX_R, 4) || strcmp(rname + 4, hname + 4)))
		return NULL;
	return hname + 4;
}

int nfs_al_ensure(const char *list, struct bk_err *e)
{
	struct strbuf r = STRBUF_INIT, h = STRBUF_INIT;
	uint32_t zero = 0;

	if (!*list || strlen(list) > 200)
		return bk_fail(e, "invalid address list name");
	nfs_al_names(list, &r, &h);
	if (!nfm_set_find(sb_str(&h))) {
		struct nfs_elem ca = { .catchall = true, .has_data = true,
				       .data = zero };
		nfs_plan_set(sb_str(&r), NFT_SET_INTERVAL | NFT_SET_TIMEOUT,
			     7 /* ipv4_addr */, 4, true, NULL, 0);
		nfs_plan_set(sb_str(&h), NFT_SET_TIMEOUT, 7, 4, true, NULL, 0);
		nfs_elems(nfm_batch(), sb_str(&r), false, false, &ca, 1);
		nfs_elems(nfm_batch(), sb_str(&h), false, false, &ca, 1);
	}
	sb_free(&r);
	sb_free(&h);
	return 0;
}

/* ---- element userdata ----------------------------------------------------- */

enum { AU_ID = 0xe0, AU_CTIME, AU_FLAGS };

void al_udata_parse(const void *ud, uint32_t len, struct al_entry *en)
{
	const struct nftnl_udata *a;

	if (!ud)
		return;
	nftnl_udata_for_each_data(ud, len, a) {
		const char *v = nftnl_udata_get(a);
		uint8_t n = nftnl_udata_len(a);
		switch (nftnl_udata_type(a)) {
		case NFTNL_UDATA_SET_ELEM_COMMENT:
			if (n && v[n - 1] == '\0' && !en->comment)
				en->comment = xstrdup(v);
			break;
		case AU_ID:
			if (n == 4)
				en->id = nftnl_udata_get_u32(a), en->has_id = true;
			break;
		case AU_CTIME:
			if (n == 4)
				en->ctime = nftnl_udata_get_u32(a);
			break;
		case AU_FLAGS:
			if (n == 4)
				en->uflags = nftnl_udata_get_u32(a);
			break;
		}
	}
}

/* userdata of an entry; false when the comment does not fit */
static bool al_udata(const struct al_entry *en, struct nftnl_udata_buf *u)
{
	bool ok = true;

	if (en->comment && en->comment[0])
		ok &= nftnl_udata_put_strz(u, NFTNL_UDATA_SET_ELEM_COMMENT,
					   en->comment);
	ok &= nftnl_udata_put_u32(u, AU_ID, (uint32_t)en->id);
	ok &= nftnl_udata_put_u32(u, AU_CTIME, en->ctime);
	if (en->uflags)
		ok &= nftnl_udata_put_u32(u, AU_FLAGS, en->uflags);
	return ok;
}

/* ---- entries <-> elements ---------------------------------------------- */

static uint32_t fnv(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

uint64_t al_dyn_id(const char *list, uint32_t addr)
{
	return (uint64_t)(fnv(list) | 1) << 32 | addr;
}

void al_format_addr(const struct al_entry *en, struct strbuf *out)
{
	f_ip4(out, en->lo);
	if (en->lo == en->hi)
		return;
	int len = ip4_prefix_len(en->lo, en->hi);
	if (len >= 0) {
		sb_printf(out, "/%d", len);
	} else {
		sb_addc(out, '-');
		f_ip4(out, en->hi);
	}
}

/* Add (or delete) the element of en in its list's map. */
int al_elem(struct nftb *b, const struct al_entry *en, bool del,
	    struct bk_err *e)
{
	struct strbuf r = STRBUF_INIT, h = STRBUF_INIT;
	struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN);
	uint32_t lo = htonl(en->lo), hi = htonl(en->hi);
	bool host = en->lo == en->hi;
	int rc = 0;

	nfs_al_names(en->list, &r, &h);
	struct nfs_elem el = {
		.key = &lo, .key_end = &hi, .len = 4, .has_data = true,
		.data = (en->uflags & AF_DISABLED) ? 0 : 1,
		.timeout_ms = en->timeout_ms,
	};
	if (!del && en->has_id) {
		if (!al_udata(en, u)) {
			rc = bk_fail(e, "comment too long");
			goto out;
		}
		el.udata = nftnl_udata_buf_data(u);
		el.udata_len = nftnl_udata_buf_len(u);
	}
	nfs_elems(b, sb_str(host ? &h : &r), del, !host, &el, 1);
out:
	nftnl_udata_buf_free(u);
	sb_free(&r);
	sb_free(&h);
	return rc;
}

/* ---- reading the lists ---------------------------------------------------- */

struct collect {
	struct al_list *out;
	const char *list;
	bool host;
};

static int collect_cb(const struct nfs_elem_view *v, void *arg)
{
	struct collect *c = arg;
	struct al_list *l = c->out;

	if (v->catchall || v->len != 4)
		return 0;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	struct al_entry *en = memset(&l->v[l->n++], 0, sizeof(*en));
	en->list = c->list;
	en->lo = ntohl(*(const uint32_t *)(const void *)v->key);
	en->hi = c->host ? en->lo : ntohl(*(const uint32_t *)(const void *)v->key_end);
	en->timeout_ms = v->timeout_ms;
	en->expires_ms = v->expires_ms;
	if (v->has_data && v->data == 0)
		en->uflags |= AF_DISABLED;
	al_udata_parse(v->udata, v->udata_len, en);
	en->disabled = v->has_data && v->data == 0;
	if (!en->has_id)
		en->id = al_dyn_id(c->list, en->lo);
	en->dynamic = !en->has_id || en->timeout_ms ||
		      (en->uflags & AF_DYNAMIC);
	return 0;
}

static int id_cmp(const void *a, const void *b)
{
	const struct al_entry *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

int al_read(struct al_list *out, const char *only, struct bk_err *e)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < nfm.nsets; i++) {
		const char *name = nfm.sets[i].name;
		bool host = !strncmp(name, PFX_H, 4);
		if (!host && strncmp(name, PFX_R, 4))
			continue;
		if (only && strcmp(name + 4, only))
			continue;
		struct collect c = { out, name + 4, host };
		if (nfs_dump_elems(name, collect_cb, &c, e) < 0)
			return -1;
	}
	qsort(out->v, out->n, sizeof(*out->v), id_cmp);
	return 0;
}

void al_free(struct al_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].comment);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
