/*
 * The in-memory view of `table ip rosh`: chains, rules (decoded into
 * canonical properties) and sets. It is re-read whenever the ruleset
 * generation changed (and always for print: counters and dynamic entries
 * change without a new generation). A command changes the model
 * (nft_run.c runs it), and nft_commit.c turns the changes into one batch.
 * Finding rules by id and in order: nft_ids.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>

#include "nft.h"
#include "nft_sets.h"
#include "nft_ifl.h"
#include "nft_al.h"
#include "nft_txn.h"
#include "nft_ports.h"
#include "nft_rids.h"

struct nft_model nfm;

/* ---- chains ------------------------------------------------------------- */

static const char *const menu_prefix[NFM__COUNT] = {
	[NFM_FILTER] = "filter_", [NFM_NAT] = "nat_",
};

static void chain_classify(struct nft_chain *c)
{
	c->menu = NFM_NONE;
	for (int m = NFM_FILTER; m < NFM__COUNT; m++)
		if (!strncmp(c->name, menu_prefix[m], strlen(menu_prefix[m])))
			c->menu = (uint8_t)m;
}

const char *nfm_ros_chain(const struct nft_chain *c)
{
	return c->menu ? c->name + strlen(menu_prefix[c->menu]) : c->name;
}

void nfm_chain_name(enum nfm_menu menu, const char *ros, struct strbuf *out)
{
	sb_adds(out, menu_prefix[menu]);
	sb_adds(out, ros);
}

int nfm_chain_find(const char *name)
{
	for (size_t i = 0; i < nfm.nchains; i++)
		if (!strcmp(nfm.chains[i].name, name))
			return (int)i;
	return -1;
}

static struct nft_chain *chain_push(const char *name)
{
	nfm.chains = xrealloc(nfm.chains, (nfm.nchains + 1) * sizeof(*nfm.chains));
	struct nft_chain *c = memset(&nfm.chains[nfm.nchains++], 0, sizeof(*c));
	c->name = xstrdup(name);
	chain_classify(c);
	return c;
}

int nfm_chain_want(const char *name, struct bk_err *e)
{
	int i = nfm_chain_find(name);

	if (i >= 0) {
		nfm.chains[i].del = false;
		if (!nfm.chains[i].in_kernel)
			nfm.chains[i].create = true;
		return i;
	}
	if (strlen(name) >= NFT_CHAIN_MAXNAMELEN)
		return bk_fail(e, "chain name too long");
	struct nft_chain *c = chain_push(name);
	c->create = true;
	return (int)nfm.nchains - 1;
}

static int chain_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nftnl_chain *nc = nftnl_chain_alloc();

	if (nftnl_chain_nlmsg_parse(nlh, nc) == 0 &&
	    !strcmp(nftnl_chain_get_str(nc, NFTNL_CHAIN_TABLE), NFT_TABLE_NAME)) {
		struct nft_chain *c = chain_push(nftnl_chain_get_str(nc, NFTNL_CHAIN_NAME));
		c->handle = nftnl_chain_get_u64(nc, NFTNL_CHAIN_HANDLE);
		c->base = nftnl_chain_is_set(nc, NFTNL_CHAIN_HOOKNUM);
		c->in_kernel = true;
	}
	nftnl_chain_free(nc);
	return 0;
}

/* ---- sets ------------------------------------------------------------- */

/* set names -> index + 1, open addressing; tables hold thousands of
 * anonymous sets, and every decoded lookup asks for one */
static uint32_t *set_ix;
static size_t set_ixcap;

static size_t name_hash(const char *s)
{
	size_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void set_ix_put(size_t i)
{
	size_t m = set_ixcap - 1, h = name_hash(nfm.sets[i].name) & m;

	while (set_ix[h])
		h = (h + 1) & m;
	set_ix[h] = (uint32_t)i + 1;
}

static void set_ix_grow(void)
{
	free(set_ix);
	set_ixcap = set_ixcap ? set_ixcap * 2 : 256;
	set_ix = xcalloc(set_ixcap, sizeof(*set_ix));
	for (size_t i = 0; i < nfm.nsets; i++)
		set_ix_put(i);
}

static void set_ix_clear(void)
{
	free(set_ix);
	set_ix = NULL;
	set_ixcap = 0;
}

struct nft_set *nfm_set_find(const char *name)
{
	if (!set_ixcap)
		return NULL;
	size_t m = set_ixcap - 1, h = name_hash(name) & m;
	for (; set_ix[h]; h = (h + 1) & m)
		if (!strcmp(nfm.sets[set_ix[h] - 1].name, name))
			return &nfm.sets[set_ix[h] - 1];
	return NULL;
}

struct nft_set *nfm_set_add(const char *name)
{
	struct nft_set *s = nfm_set_find(name);

	if (s)
		return s;
	nfm.sets = xrealloc(nfm.sets, (nfm.nsets + 1) * sizeof(*nfm.sets));
	s = memset(&nfm.sets[nfm.nsets++], 0, sizeof(*s));
	s->name = xstrdup(name);
	if (nfm.nsets * 2 > set_ixcap)
		set_ix_grow();
	else
		set_ix_put(nfm.nsets - 1);
	return s;
}

static int set_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nftnl_set *ns = nftnl_set_alloc();

	if (nftnl_set_nlmsg_parse(nlh, ns) == 0 &&
	    !strcmp(nftnl_set_get_str(ns, NFTNL_SET_TABLE), NFT_TABLE_NAME)) {
		struct nft_set *s = nfm_set_add(nftnl_set_get_str(ns, NFTNL_SET_NAME));
		s->flags = nftnl_set_get_u32(ns, NFTNL_SET_FLAGS);
		s->key_type = nftnl_set_get_u32(ns, NFTNL_SET_KEY_TYPE);
		s->key_len = nftnl_set_get_u32(ns, NFTNL_SET_KEY_LEN);
		if (nftnl_set_is_set(ns, NFTNL_SET_DATA_LEN))
			s->data_len = nftnl_set_get_u32(ns, NFTNL_SET_DATA_LEN);
		s->anon = s->flags & NFT_SET_ANONYMOUS;
		if (nftnl_set_is_set(ns, NFTNL_SET_USERDATA)) {
			uint32_t len;
			const void *p = nftnl_set_get_data(ns, NFTNL_SET_USERDATA, &len);
			s->udata = xmalloc(len ? len : 1);
			memcpy(s->udata, p, len);
			s->udata_len = len;
		}
	}
	nftnl_set_free(ns);
	return 0;
}

static int anon_elem_cb(const struct nfs_elem_view *v, void *arg)
{
	struct nft_set *s = arg;

	s->elems = xrealloc(s->elems, (s->nelems + 1) * sizeof(*s->elems));
	struct nft_anon_elem *a = memset(&s->elems[s->nelems++], 0, sizeof(*a));
	memcpy(a->key, v->key, v->len);
	memcpy(a->end, v->key_end, v->len);
	a->len = v->len;
	a->flags = v->catchall ? NFT_SET_ELEM_CATCHALL : 0;
	a->data = v->data;
	return 0;
}

static int load_anon(struct bk_err *e)
{
	for (size_t i = 0; i < nfm.nsets; i++) {
		struct nft_set *s = &nfm.sets[i];
		if (s->anon && nfs_dump_elems(s->name, anon_elem_cb, s, e) < 0)
			return -1;
	}
	return 0;
}

/* ---- rules -------------------------------------------------------------- */

struct nft_rule *nfm_rule_new(void)
{
	nfm.rules = xrealloc(nfm.rules, (nfm.nrules + 1) * sizeof(*nfm.rules));
	return memset(&nfm.rules[nfm.nrules++], 0, sizeof(struct nft_rule));
}

static int rule_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nftnl_rule *nr = nftnl_rule_alloc();
	uint32_t *kpos = arg;

	if (nftnl_rule_nlmsg_parse(nlh, nr) == 0 &&
	    !strcmp(nftnl_rule_get_str(nr, NFTNL_RULE_TABLE), NFT_TABLE_NAME)) {
		int c = nfm_chain_find(nftnl_rule_get_str(nr, NFTNL_RULE_CHAIN));
		if (c >= 0) {
			struct nft_rule *r = nfm_rule_new();
			r->chain = (uint32_t)c;
			r->handle = nftnl_rule_get_u64(nr, NFTNL_RULE_HANDLE);
			r->kpos = kpos[c]++;
			nfr_decode(nr, r);
		}
	}
	nftnl_rule_free(nr);
	return 0;
}

/* Rules without rosh metadata get an id from their handle and sort right
 * after their predecessor in the chain. */
static void fix_foreign(void)
{
	for (size_t i = 0; i < nfm.nrules; i++) {
		struct nft_rule *r = &nfm.rules[i];
		if (r->id)
			continue;
		r->flags |= NR_FOREIGN | NR_INVALID;
		r->id = 0x80000000u | (uint32_t)(r->handle & 0x7fffffff);
		if (i && nfm.rules[i - 1].chain == r->chain)
			r->order = nfm.rules[i - 1].order + 1;
	}
}

/* ---- loading ------------------------------------------------------------ */

static void model_clear(void)
{
	for (size_t i = 0; i < nfm.nchains; i++)
		free(nfm.chains[i].name);
	for (size_t i = 0; i < nfm.nrules; i++)
		free(nfm.rules[i].props);
	for (size_t i = 0; i < nfm.nsets; i++) {
		free(nfm.sets[i].name);
		free(nfm.sets[i].udata);
		free(nfm.sets[i].elems);
	}
	for (size_t i = 0; i < nfm.ndel_sets; i++)
		free(nfm.del_sets[i]);
	free(nfm.del_sets);
	free(nfm.chains);
	free(nfm.rules);
	free(nfm.echo_q);
	free(nfm.sets);
	nftb_free(nfm.batch);
	nfs_marks_reset();
	ifl_clear();
	al_model_clear();
	set_ix_clear();
	nfp_clear();
	nft_rix_clear();
	memset(&nfm, 0, sizeof(nfm));
}

void nfm_invalidate(void)
{
	model_clear();
}

void nfm_free(void)
{
	model_clear();
	nftb_close();
}

void bk_nft_fini(void)
{
	nfm_free();
}

/* Everything but the rules: chains, sets, what decoding needs. */
static int load_skeleton(struct bk_err *e)
{
	int rc;

	if (nftb_table_exists(&nfm.table_exists, e) < 0)
		return -1;
	if (!nfm.table_exists)
		return 0;
	if ((rc = nftb_dump(NFT_MSG_GETCHAIN, NULL, chain_cb, NULL, e)) != 0)
		return rc;
	if ((rc = nftb_dump(NFT_MSG_GETSET, NULL, set_cb, NULL, e)) != 0)
		return rc;
	if (load_anon(e) < 0 || nfs_marks_load(e) < 0 || nfp_load(e) < 0)
		return -1;
	return 0;
}

/* rules of one chain (all when chain is NULL) */
static int load_rules(const char *chain, struct bk_err *e)
{
	uint32_t *kpos = xcalloc(nfm.nchains + 1, sizeof(*kpos));
	int rc = nftb_dump(NFT_MSG_GETRULE, chain, rule_cb, kpos, e);

	free(kpos);
	fix_foreign();
	return rc;
}

static int load_once(struct bk_err *e)
{
	int rc = load_skeleton(e);

	if (rc != 0 || !nfm.table_exists)
		return rc;
	return load_rules(NULL, e);
}

/* The sparse model (see struct nft_model): 0, 1 when the ruleset changed
 * while reading (use the full load), -1. */
int nfm_load_sparse(struct bk_err *e)
{
	uint32_t g1, g2;
	int rc;

	if (nftb_genid(&g1, e) < 0)
		return -1;
	model_clear();
	rc = load_skeleton(e);
	if (rc == 0 && nfm.table_exists &&
	    nfm_chain_find("hook_filter_forward") >= 0)
		rc = load_rules("hook_filter_forward", e);
	if (rc == 0 && nftb_genid(&g2, e) < 0)
		rc = -1;
	if (rc != 0 || g1 != g2) {
		model_clear();
		return rc < 0 ? -1 : 1;
	}
	nfm.genid = g1;
	nfm.loaded = nfm.sparse = true;
	return 0;
}

static int handle_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nftnl_chain *nc = nftnl_chain_alloc();

	if (nftnl_chain_nlmsg_parse(nlh, nc) == 0) {
		int i = nfm_chain_find(nftnl_chain_get_str(nc, NFTNL_CHAIN_NAME));
		if (i >= 0)
			nfm.chains[i].handle =
				nftnl_chain_get_u64(nc, NFTNL_CHAIN_HANDLE);
	}
	nftnl_chain_free(nc);
	return 0;
}

int nfm_chain_handles(struct bk_err *e)
{
	for (size_t i = 0; i < nfm.nchains; i++)
		if (nfm.chains[i].in_kernel && !nfm.chains[i].handle)
			return nftb_dump(NFT_MSG_GETCHAIN, NULL, handle_cb, NULL,
					 e) == 0 ? 0 : -1;
	return 0;
}

int nfm_load(bool fresh, struct bk_err *e)
{
	uint32_t g1, g2;

	if (nfm.txn)	/* the pending state is the truth */
		return nfm_txn_load(e);
	if (nftb_genid(&g1, e) < 0)
		return -1;
	if (nfm.loaded && !fresh && g1 == nfm.genid)
		return 0;
	for (int tries = 0; tries < 10; tries++) {
		model_clear();
		int rc = load_once(e);
		if (rc < 0)
			return -1;
		if (nftb_genid(&g2, e) < 0)
			return -1;
		if (rc == 0 && g1 == g2) {
			nfm.genid = g1;
			nfm.loaded = true;
			return 0;
		}
		g1 = g2;
	}
	model_clear();
	return bk_fail(e, "the ruleset keeps changing; try again");
}
