/*
 * The rule index, map "rids": (menu . id) -> (chain handle . rule handle).
 * With it a command on one rule given by id (enable, disable, comment,
 * reset-counters *ID) fetches that rule alone instead of dumping every rule
 * (the sparse path, nft_sparse.c), so its cost does not grow with the
 * table. It is a cache, never the truth: every hit is checked (the rule at
 * that handle must carry that id; handles are never reused in a table), a
 * miss or a stale entry falls back to the full load. It is written after a
 * commit that gave rules new handles (the kernel assigns them while it
 * applies the batch, so they can not be in the batch itself), as a small
 * batch of its own; if that batch is refused (another writer, a kernel
 * without DESTROYSETELEM) the index only goes stale. A replace keeps the
 * handle, and removed rules' entries are left to go stale.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>

#include "nft_rids.h"

#define RIX_SET "rids"
#define NFT_TYPE_MARK 19u		/* nft's datatype ids, for nft list */
#define RIX_KEY_TYPE ((NFT_TYPE_MARK << 6) | NFT_TYPE_MARK)
#define RIX_DATA_TYPE ((RIX_KEY_TYPE << 12) | RIX_KEY_TYPE)
#ifndef NFT_MSG_DESTROYSETELEM
#define NFT_MSG_DESTROYSETELEM 30	/* Linux 6.3 */
#endif
#define RIX_CHUNK 200			/* elements per message */

struct rix_key { uint32_t menu, id; };
struct rix_data { uint64_t chain, rule; };

static void rix_set_msg(struct nftb *b)
{
	struct nftnl_set *s = nftnl_set_alloc();

	nftnl_set_set_str(s, NFTNL_SET_TABLE, NFT_TABLE_NAME);
	nftnl_set_set_str(s, NFTNL_SET_NAME, RIX_SET);
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, NFT_FAMILY);
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, NFT_SET_MAP);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, RIX_KEY_TYPE);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, sizeof(struct rix_key));
	nftnl_set_set_u32(s, NFTNL_SET_DATA_TYPE, RIX_DATA_TYPE);
	nftnl_set_set_u32(s, NFTNL_SET_DATA_LEN, sizeof(struct rix_data));
	nftnl_set_set_u32(s, NFTNL_SET_ID, nfm_set_id());
	struct nlmsghdr *nlh = nftb_msg(b, NFT_MSG_NEWSET, NLM_F_CREATE,
					"rule index");
	nftnl_set_nlmsg_build_payload(nlh, s);
	nftb_end(b);
	nftnl_set_free(s);
}

static struct rix_key rix_key(const struct nft_rule *r)
{
	return (struct rix_key){ nfm.chains[r->chain].menu, r->id };
}

/* One message for rules v[0..n): destroy (no data) or add. */
static void rix_elems_msg(struct nftb *b, uint16_t type, const uint32_t *v,
			  size_t n)
{
	struct nftnl_set *s = nftnl_set_alloc();

	nftnl_set_set_str(s, NFTNL_SET_TABLE, NFT_TABLE_NAME);
	nftnl_set_set_str(s, NFTNL_SET_NAME, RIX_SET);
	for (size_t i = 0; i < n; i++) {
		const struct nft_rule *r = &nfm.rules[v[i]];
		struct nftnl_set_elem *el = nftnl_set_elem_alloc();
		struct rix_key k = rix_key(r);
		struct rix_data d = { nfm.chains[r->chain].handle, r->handle };
		nftnl_set_elem_set(el, NFTNL_SET_ELEM_KEY, &k, sizeof(k));
		if (type == NFT_MSG_NEWSETELEM)
			nftnl_set_elem_set(el, NFTNL_SET_ELEM_DATA, &d, sizeof(d));
		nftnl_set_elem_add(s, el);
	}
	struct nlmsghdr *nlh = nftb_msg(b, type, type == NFT_MSG_NEWSETELEM ?
					NLM_F_CREATE : 0, "rule index");
	nftnl_set_elems_nlmsg_build_payload(nlh, s);
	nftb_end(b);
	nftnl_set_free(s);
}

static bool rix_indexable(const struct nft_rule *r)
{
	return !(r->flags & (NR_SYS | NR_FOREIGN | NR_GONE)) && r->handle &&
	       nfm.chains[r->chain].menu != NFM_NONE &&
	       nfm.chains[r->chain].handle;
}

void nft_rix_write(const uint32_t *v, size_t n)
{
	struct bk_err e;
	uint32_t gen = 0;
	size_t k = 0;

	if (!n || nfm_chain_handles(&e) < 0)
		return;
	uint32_t *w = xcalloc(n, sizeof(*w));
	for (size_t i = 0; i < n; i++)
		if (rix_indexable(&nfm.rules[v[i]]))
			w[k++] = v[i];
	struct nftb *b = nftb_new(nfm.genid);
	rix_set_msg(b);
	for (size_t i = 0; i < k; i += RIX_CHUNK)
		rix_elems_msg(b, NFT_MSG_DESTROYSETELEM, w + i,
			      k - i < RIX_CHUNK ? k - i : RIX_CHUNK);
	for (size_t i = 0; i < k; i += RIX_CHUNK)
		rix_elems_msg(b, NFT_MSG_NEWSETELEM, w + i,
			      k - i < RIX_CHUNK ? k - i : RIX_CHUNK);
	int crc = k ? nftb_commit(b, NULL, NULL, &gen, &e) : -1;
	if (crc == 0 && gen == nfm.genid + 1) {
		nfm.genid = gen;	/* only the index changed: model holds */
		nfm_set_add(RIX_SET);
	}
	nftb_free(b);
	free(w);
}

void nft_rix_write_all(void)
{
	uint32_t *v = xcalloc(nfm.nrules + 1, sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < nfm.nrules; i++)
		if (rix_indexable(&nfm.rules[i]))
			v[n++] = (uint32_t)i;
	nft_rix_write(v, n);
	free(v);
}

/* ---- looking a rule up by id ---------------------------------------------- */

struct rix_get {
	struct rix_data d;
	bool found;
};

static int rix_elem_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct rix_get *g = arg;
	struct nftnl_set *s = nftnl_set_alloc();

	if (nftnl_set_elems_nlmsg_parse(nlh, s) == 0) {
		struct nftnl_set_elems_iter *it = nftnl_set_elems_iter_create(s);
		struct nftnl_set_elem *el;
		while (it && (el = nftnl_set_elems_iter_next(it))) {
			uint32_t len = 0;
			const void *p = nftnl_set_elem_get(el, NFTNL_SET_ELEM_DATA, &len);
			if (p && len == sizeof(g->d)) {
				memcpy(&g->d, p, sizeof(g->d));
				g->found = true;
			}
		}
		nftnl_set_elems_iter_destroy(it);
	}
	nftnl_set_free(s);
	return 0;
}

struct rix_rule {
	uint32_t chain, id;
	enum nfm_menu menu;
	struct nft_rule *out;
};

static int rix_rule_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct rix_rule *q = arg;
	struct nftnl_rule *nr = nftnl_rule_alloc();

	if (nftnl_rule_nlmsg_parse(nlh, nr) == 0) {
		struct nft_rule r = { .chain = q->chain, .kpos = 0 };
		r.handle = nftnl_rule_get_u64(nr, NFTNL_RULE_HANDLE);
		nfr_decode(nr, &r);
		if (r.id == q->id && !(r.flags & (NR_SYS | NR_FOREIGN))) {
			q->out = nfm_rule_new();
			*q->out = r;
		} else {
			free(r.props);
		}
	}
	nftnl_rule_free(nr);
	return 0;
}

struct nft_rule *nft_rix_fetch(enum nfm_menu menu, uint32_t id)
{
	struct rix_key k = { menu, id };
	struct rix_get g = { .found = false };
	struct bk_err e;

	if (!nfm_set_find(RIX_SET) ||
	    nftb_get_elem(RIX_SET, &k, sizeof(k), rix_elem_cb, &g, &e) != 0 ||
	    !g.found)
		return NULL;
	for (size_t c = 0; c < nfm.nchains; c++) {
		if (nfm.chains[c].handle != g.d.chain ||
		    nfm.chains[c].menu != menu)
			continue;
		struct rix_rule q = { (uint32_t)c, id, menu, NULL };
		if (nftb_get_rule(nfm.chains[c].name, g.d.rule, rix_rule_cb, &q,
				  &e) != 0)
			return NULL;
		return q.out;
	}
	return NULL;
}
