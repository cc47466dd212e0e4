/*
 * /ip firewall address-list. List X is three sets of table ip rosh:
 *   alh_X  hash map ipv4_addr -> 1: single addresses, with the entry's
 *          userdata; rules with add-src/dst-to-address-list add to it from
 *          the packet path (the kernel cannot add to interval sets there)
 *   alx_X  hash set ipv4_addr . ipv4_addr: the prefix and range entries
 *          (first . last address) with their userdata; never matched, so
 *          entries may overlap as RouterOS allows
 *   alr_X  interval map ipv4_addr -> 1: the union of the enabled alx_X
 *          entries, merged, which rules match
 * alh_X and alr_X have a catch-all element mapping to 0, so a rule can look
 * an address up in both and test "either is 1" (nft_xlate_ip.c). A disabled
 * host maps to 0. Entries rosh adds carry userdata: the comment (shown by
 * nft), the item id, creation time and flags. Entries added by rules carry
 * none: they are dynamic, and their id is derived from list and address;
 * but one a rule with address-list-timeout=none-static added maps to
 * AL_MAP_STATIC and is static (exported; a `set` gives it an id and
 * userdata).
 * Static ids come from the "ids" map (key 1 -> next id), so adding an entry
 * needs no scan of the lists. A range with a timeout is kept as its own
 * interval (it expires on its own), so it must not overlap other ranges.
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
#define PFX_X "alx_"

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
	struct strbuf r = STRBUF_INIT, h = STRBUF_INIT, x = STRBUF_INIT;
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
		sb_printf(&x, PFX_X "%s", list);
		nfs_plan_set(sb_str(&x), NFT_SET_TIMEOUT, 7 << 6 | 7, 8, false,
			     NULL, 0);
		nfs_elems(nfm_batch(), sb_str(&r), false, false, &ca, 1);
		nfs_elems(nfm_batch(), sb_str(&h), false, false, &ca, 1);
	}
	sb_free(&r);
	sb_free(&h);
	sb_free(&x);
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

/* Add (or delete) the element of entry en: alh_X, or its record in alx_X. */
int al_elem(struct nftb *b, const struct al_entry *en, bool del,
	    struct bk_err *e)
{
	struct strbuf name = STRBUF_INIT;
	struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN);
	uint32_t key[2] = { htonl(en->lo), htonl(en->hi) };
	bool host = en->lo == en->hi;
	int rc = 0;

	sb_printf(&name, "%s%s", host ? PFX_H : PFX_X, en->list);
	struct nfs_elem el = {
		.key = key, .len = host ? 4 : 8, .has_data = host,
		.data = (en->uflags & AF_DISABLED) ? 0 : MAP_ON,
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
	nfs_elems(b, sb_str(&name), del, false, &el, 1);
out:
	nftnl_udata_buf_free(u);
	sb_free(&name);
	return rc;
}

/* ---- the matched union of the ranges ------------------------------------- */

struct ival {
	uint32_t lo, hi;
	uint64_t timeout;	/* ms; 0 = none */
};

static int ival_cmp(const void *a, const void *b)
{
	const struct ival *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

struct ivals {
	struct ival *v;
	size_t n;
};

static int kernel_ival_cb(const struct nfs_elem_view *v, void *arg)
{
	struct ivals *iv = arg;

	if (v->catchall || v->len != 4)
		return 0;
	iv->v = xrealloc(iv->v, (iv->n + 1) * sizeof(*iv->v));
	iv->v[iv->n++] = (struct ival){
		ntohl(*(const uint32_t *)(const void *)v->key),
		ntohl(*(const uint32_t *)(const void *)v->key_end),
		v->timeout_ms ? 1 : 0 };
	return 0;
}

/* Wanted intervals of list from its enabled range entries. */
static size_t wanted(const struct al_list *l, const char *list,
		     struct ival *w, struct bk_err *e, int *rc)
{
	size_t n = 0, m = 0;

	for (size_t i = 0; i < l->n; i++) {
		const struct al_entry *en = &l->v[i];
		if (strcmp(en->list, list) || en->lo == en->hi || en->gone ||
		    (en->uflags & AF_DISABLED))
			continue;
		w[n++] = (struct ival){ en->lo, en->hi,
			en->timeout_ms ? (en->expires_ms ? en->expires_ms :
					  en->timeout_ms) : 0 };
	}
	qsort(w, n, sizeof(*w), ival_cmp);
	for (size_t i = 0; i < n; i++) {	/* merge untimed, keep timed */
		bool touch = m && (uint64_t)w[i].lo <= (uint64_t)w[m - 1].hi + 1;
		if (touch && (w[i].timeout || w[m - 1].timeout) &&
		    w[i].lo <= w[m - 1].hi) {
			*rc = bk_fail(e, "a range with a timeout can not overlap "
				      "other ranges of the list on Linux");
			return 0;
		}
		if (touch && !w[i].timeout && !w[m - 1].timeout) {
			if (w[i].hi > w[m - 1].hi)
				w[m - 1].hi = w[i].hi;
		} else {
			w[m++] = w[i];
		}
	}
	return m;
}

static void ival_elem(struct nftb *b, const char *set, const struct ival *v,
		      bool del)
{
	uint32_t lo = htonl(v->lo), hi = htonl(v->hi);
	struct nfs_elem el = { .key = &lo, .key_end = &hi, .len = 4,
			       .has_data = true, .data = MAP_ON,
			       .timeout_ms = del ? 0 : v->timeout };

	nfs_elems(b, set, del, true, &el, 1);
}

/* ---- the model used by changes (a transaction sees its own changes) ---- */

struct alr_state {
	const char *list;
	struct ivals iv;
};

struct al_model alm;
static struct alr_state *alr;
static size_t nalr;

void al_model_clear(void)
{
	al_free(&alm.l);
	for (size_t i = 0; i < nalr; i++)
		free(alr[i].iv.v);
	free(alr);
	alr = NULL;
	nalr = 0;
	alm.loaded = false;
}

static struct alr_state *alr_of(const char *list)
{
	for (size_t i = 0; i < nalr; i++)
		if (!strcmp(alr[i].list, list))
			return &alr[i];
	alr = xrealloc(alr, (nalr + 1) * sizeof(*alr));
	alr[nalr] = (struct alr_state){ list, { NULL, 0 } };
	return &alr[nalr++];
}

int al_model_need(struct bk_err *e)
{
	if (alm.loaded)
		return 0;
	if (al_read(&alm.l, NULL, e) < 0)
		return -1;
	for (size_t i = 0; i < nfm.nsets; i++) {
		const char *name = nfm.sets[i].name;
		if (strncmp(name, PFX_R, 4))
			continue;
		struct alr_state *st = alr_of(name + 4);
		if (nfs_dump_elems(name, kernel_ival_cb, &st->iv, e) < 0)
			return -1;
	}
	alm.loaded = true;
	return 0;
}

int al_sync_ranges(const char *list, struct bk_err *e)
{
	struct strbuf name = STRBUF_INIT;
	struct alr_state *st = alr_of(list);
	struct ival *want = xcalloc(alm.l.n + 1, sizeof(*want));
	int rc = 0;

	sb_printf(&name, PFX_R "%s", list);
	size_t nw = wanted(&alm.l, list, want, e, &rc);
	for (size_t i = 0; rc == 0 && i < st->iv.n; i++) {
		const struct ival *h = &st->iv.v[i];
		size_t j;
		for (j = 0; j < nw && (want[j].lo != h->lo || want[j].hi != h->hi ||
				       !want[j].timeout != !h->timeout); j++)
			;
		if (j == nw)
			ival_elem(nfm_batch(), sb_str(&name), h, true);
	}
	for (size_t j = 0; rc == 0 && j < nw; j++) {
		size_t i;
		for (i = 0; i < st->iv.n && (want[j].lo != st->iv.v[i].lo ||
					      want[j].hi != st->iv.v[i].hi ||
					      !want[j].timeout != !st->iv.v[i].timeout); i++)
			;
		if (i == st->iv.n)
			ival_elem(nfm_batch(), sb_str(&name), &want[j], false);
	}
	if (rc == 0) {		/* the model now holds what was asked for */
		free(st->iv.v);
		st->iv.v = want;
		st->iv.n = nw;
		want = NULL;
	}
	free(want);
	sb_free(&name);
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

	if (v->catchall || v->len != (c->host ? 4u : 8u))
		return 0;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	struct al_entry *en = memset(&l->v[l->n++], 0, sizeof(*en));
	uint32_t k[2];
	memcpy(k, v->key, c->host ? 4 : 8);
	en->list = c->list;
	en->lo = ntohl(k[0]);
	en->hi = c->host ? en->lo : ntohl(k[1]);
	en->timeout_ms = v->timeout_ms;
	en->expires_ms = v->expires_ms;
	if (v->has_data && v->data == 0)
		en->uflags |= AF_DISABLED;
	al_udata_parse(v->udata, v->udata_len, en);
	en->disabled = en->uflags & AF_DISABLED;
	if (!en->has_id)
		en->id = al_dyn_id(c->list, en->lo);
	/* without userdata: added by a rule, static only when it said so */
	en->dynamic = (!en->has_id && !(v->has_data &&
					v->data == AL_MAP_STATIC)) ||
		      en->timeout_ms || (en->uflags & AF_DYNAMIC);
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
		if (!host && strncmp(name, PFX_X, 4))
			continue;
		if (only && strcmp(name + 4, only))
			continue;
		struct collect c = { out, name + 4, host };
		if (nfs_dump_elems(name, collect_cb, &c, e) < 0)
			return -1;
	}
	if (out->n)
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
