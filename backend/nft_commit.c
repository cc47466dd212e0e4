/*
 * Model changes -> one batch. Per chain, the rules still wanted are compared
 * with the kernel's order: rules that keep their relative order (a longest
 * increasing subsequence of kernel positions) stay where they are and are
 * replaced in place when changed; the others are deleted and inserted after
 * their predecessor (by handle, or by batch rule id when the predecessor is
 * new too). So an edit, enable or disable of one rule is one message,
 * whatever the size of the chain.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/udata.h>

#include "nft_expr.h"
#include "nft_sets.h"

/* Base chains: the hooks, each jumping to the chain holding the rules of a
 * RouterOS built-in chain. Created with their target. */
static const struct hookdef {
	const char *name, *type;
	uint32_t hook;
	int prio;
	const char *target;
	bool fastpath;		/* accept fasttracked connections first */
} hooks[] = {
	{ "hook_filter_input", "filter", NF_INET_LOCAL_IN, 0, "filter_input", false },
	{ "hook_filter_forward", "filter", NF_INET_FORWARD, 0, "filter_forward", true },
	{ "hook_filter_output", "filter", NF_INET_LOCAL_OUT, 0, "filter_output", false },
	{ "hook_nat_prerouting", "nat", NF_INET_PRE_ROUTING, -100, "nat_dstnat", false },
	{ "hook_nat_output", "nat", NF_INET_LOCAL_OUT, -100, "nat_dstnat", false },
	{ "hook_nat_postrouting", "nat", NF_INET_POST_ROUTING, 100, "nat_srcnat", false },
};
#define N_HOOKS (sizeof(hooks) / sizeof(hooks[0]))

static bool is_builtin(const char *chain)
{
	for (size_t i = 0; i < N_HOOKS; i++)
		if (!strcmp(hooks[i].target, chain))
			return true;
	return false;
}

static void chain_msg(struct nftb *b, const char *name, const struct hookdef *h)
{
	struct nftnl_chain *c = nftnl_chain_alloc();

	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, NFT_TABLE_NAME);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name);
	if (h) {
		nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, h->type);
		nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, h->hook);
		nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, h->prio);
		nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	}
	struct nlmsghdr *nlh = nftb_msg(b, NFT_MSG_NEWCHAIN, NLM_F_CREATE, name);
	nftnl_chain_nlmsg_build_payload(nlh, c);
	nftb_end(b);
	nftnl_chain_free(c);
}

static void rule_msg(struct nftb *b, struct nftnl_rule *r, uint16_t type,
		     uint16_t flags, const char *label)
{
	struct nlmsghdr *nlh = nftb_msg(b, type, flags, label);

	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftb_end(b);
}

/* A rosh infrastructure rule: userdata says so; never decoded as an item. */
static struct nftnl_rule *sys_rule(const char *chain)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(64);

	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFT_FAMILY);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, NFT_TABLE_NAME);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	nftnl_udata_put_u32(u, 0xe3 /* flags */, XF_SYS);
	nftnl_rule_set_data(r, NFTNL_RULE_USERDATA, nftnl_udata_buf_data(u),
			    nftnl_udata_buf_len(u));
	nftnl_udata_buf_free(u);
	return r;
}

/* ct label <ROSH_FT_LABEL_BIT> counter accept */
static void fastpath_rule(struct nftb *b, const char *chain)
{
	struct nfx x = { .b = b };
	uint32_t bits[4] = { 0 }, zero[4] = { 0 };

	x.r = sys_rule(chain);
	bits[ROSH_FT_LABEL_BIT / 32] = 1u << (ROSH_FT_LABEL_BIT % 32);
	x_ct(&x, NFT_CT_LABELS, RK);
	x_bitwise(&x, RK, 16, bits, NULL);
	x_cmp(&x, RK, NFT_CMP_NEQ, zero, 16);
	x_counter(&x, 0, 0);
	x_verdict(&x, NF_ACCEPT, NULL);
	rule_msg(b, x.r, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND, chain);
	nftnl_rule_free(x.r);
}

static void jump_rule(struct nftb *b, const char *chain, const char *target)
{
	struct nfx x = { .b = b };

	x.r = sys_rule(chain);
	x_verdict(&x, NFT_JUMP, target);
	rule_msg(b, x.r, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND, chain);
	nftnl_rule_free(x.r);
}

static void create_chains(struct nftb *b)
{
	for (size_t i = 0; i < nfm.nchains; i++) {
		struct nft_chain *c = &nfm.chains[i];
		if (!c->create || c->in_kernel)
			continue;
		chain_msg(b, c->name, NULL);
	}
	for (size_t i = 0; i < nfm.nchains; i++) {
		struct nft_chain *c = &nfm.chains[i];
		if (!c->create || c->in_kernel || !is_builtin(c->name))
			continue;
		for (size_t h = 0; h < N_HOOKS; h++) {
			if (strcmp(hooks[h].target, c->name) ||
			    nfm_chain_find(hooks[h].name) >= 0)
				continue;
			chain_msg(b, hooks[h].name, &hooks[h]);
			if (hooks[h].fastpath)
				fastpath_rule(b, hooks[h].name);
			jump_rule(b, hooks[h].name, c->name);
		}
	}
}

/* ---- rules of one chain ------------------------------------------------------ */

/* Longest strictly increasing subsequence of kp[0..n); keep[i] marks it. */
static void lis(const uint32_t *kp, size_t n, bool *keep)
{
	size_t *tail = xcalloc(n + 1, sizeof(size_t));
	size_t *prev = xcalloc(n + 1, sizeof(size_t));
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		size_t lo = 0, hi = len;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (kp[tail[mid]] < kp[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		prev[i] = lo ? tail[lo - 1] : (size_t)-1;
		tail[lo] = i;
		if (lo == len)
			len++;
	}
	memset(keep, 0, n * sizeof(bool));
	for (size_t i = len ? tail[len - 1] : (size_t)-1; i != (size_t)-1; i = prev[i])
		keep[i] = true;
	free(tail);
	free(prev);
}

static char *rule_label(const struct nft_rule *r)
{
	struct strbuf sb = STRBUF_INIT;

	sb_printf(&sb, "rule *%X", r->id);
	return sb_steal(&sb);
}

static int emit_rule(struct nftb *b, struct nft_rule *r, uint16_t flags,
		     const struct nft_rule *anchor, struct bk_err *e)
{
	struct rprops p = { { 0 } };
	char *label = rule_label(r);

	rp_unpack(r->props, &p);
	struct nftnl_rule *nr = nfr_encode(r, &p, b, e);
	rp_clear(&p);
	if (!nr) {
		free(label);
		return -1;
	}
	if (flags & NLM_F_REPLACE) {
		nftnl_rule_set_u64(nr, NFTNL_RULE_HANDLE, r->handle);
	} else {
		r->batch_id = nfm_set_id();
		nftnl_rule_set_u32(nr, NFTNL_RULE_ID, r->batch_id);
		if (anchor && anchor->handle && !(anchor->flags & NR_NEW))
			nftnl_rule_set_u64(nr, NFTNL_RULE_POSITION, anchor->handle);
		else if (anchor)
			nftnl_rule_set_u32(nr, NFTNL_RULE_POSITION_ID, anchor->batch_id);
	}
	rule_msg(b, nr, NFT_MSG_NEWRULE, flags, label);
	nftnl_rule_free(nr);
	free(label);
	return 0;
}

static void del_rule(struct nftb *b, const struct nft_rule *r)
{
	struct nftnl_rule *nr = nftnl_rule_alloc();
	char *label = rule_label(r);

	nftnl_rule_set_u32(nr, NFTNL_RULE_FAMILY, NFT_FAMILY);
	nftnl_rule_set_str(nr, NFTNL_RULE_TABLE, NFT_TABLE_NAME);
	nftnl_rule_set_str(nr, NFTNL_RULE_CHAIN, nfm.chains[r->chain].name);
	nftnl_rule_set_u64(nr, NFTNL_RULE_HANDLE, r->handle);
	rule_msg(b, nr, NFT_MSG_DELRULE, 0, label);
	nftnl_rule_free(nr);
	free(label);
}

static bool chain_changed(uint32_t c, const uint32_t *want, size_t n)
{
	uint32_t last = 0;

	for (size_t i = 0; i < nfm.nrules; i++) {
		const struct nft_rule *r = &nfm.rules[i];
		if (r->chain == c && (r->flags & (NR_NEW | NR_DIRTY | NR_GONE)))
			return true;
	}
	for (size_t i = 0; i < n; i++) {	/* order still as in the kernel? */
		if (i && nfm.rules[want[i]].kpos <= last)
			return true;
		last = nfm.rules[want[i]].kpos;
	}
	return false;
}

static int commit_chain(struct nftb *b, uint32_t c, struct bk_err *e)
{
	uint32_t *want = xcalloc(nfm.nrules + 1, sizeof(*want));
	size_t n = 0, nold = 0;
	int rc = 0;

	for (size_t i = 0; i < nfm.nrules; i++) {
		const struct nft_rule *r = &nfm.rules[i];
		if (r->chain == c && !(r->flags & (NR_GONE | NR_SYS)))
			want[n++] = (uint32_t)i;
	}
	/* want is in model order: sort by order key (stable by kpos) */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0; j--) {
			const struct nft_rule *x = &nfm.rules[want[j - 1]],
					      *y = &nfm.rules[want[j]];
			if (x->order < y->order ||
			    (x->order == y->order && x->kpos <= y->kpos))
				break;
			uint32_t t = want[j - 1];
			want[j - 1] = want[j];
			want[j] = t;
		}
	if (!chain_changed(c, want, n)) {
		free(want);
		return 0;
	}
	uint32_t *kp = xcalloc(n + 1, sizeof(*kp));
	size_t *oldi = xcalloc(n + 1, sizeof(*oldi));
	bool *keep = xcalloc(n + 1, sizeof(*keep)), *kept = xcalloc(n + 1, 1);
	for (size_t i = 0; i < n; i++)
		if (!(nfm.rules[want[i]].flags & NR_NEW)) {
			kp[nold] = nfm.rules[want[i]].kpos;
			oldi[nold++] = i;
		}
	lis(kp, nold, keep);
	for (size_t k = 0; k < nold; k++)
		kept[oldi[k]] = keep[k];
	for (size_t i = 0; i < nfm.nrules; i++) {	/* deletions */
		struct nft_rule *r = &nfm.rules[i];
		if (r->chain == c && (r->flags & NR_GONE) && r->handle &&
		    !(r->flags & NR_NEW))
			del_rule(b, r);
	}
	for (size_t i = 0; i < n; i++) {		/* moved: delete */
		struct nft_rule *r = &nfm.rules[want[i]];
		if (!(r->flags & NR_NEW) && !kept[i]) {
			del_rule(b, r);
			r->flags |= NR_NEW;
		}
	}
	for (size_t i = 0; i < n && rc == 0; i++) {	/* replace, insert */
		struct nft_rule *r = &nfm.rules[want[i]];
		const struct nft_rule *prev = i ? &nfm.rules[want[i - 1]] : NULL;
		if (r->flags & NR_NEW)
			rc = emit_rule(b, r, NLM_F_CREATE |
				       (prev ? NLM_F_APPEND : 0), prev, e);
		else if (r->flags & NR_DIRTY)
			rc = emit_rule(b, r, NLM_F_REPLACE, NULL, e);
	}
	free(kp);
	free(oldi);
	free(keep);
	free(kept);
	free(want);
	return rc;
}

/* ---- order keys ---------------------------------------------------------- */

bool nfc_order_between(uint64_t a, uint64_t b, size_t n, uint64_t *keys)
{
	uint64_t span = b - a;

	if (b <= a || span <= n)
		return false;
	uint64_t step = span / (n + 1);
	if (step > NFC_ORDER_STEP)
		step = NFC_ORDER_STEP;
	for (size_t i = 0; i < n; i++)
		keys[i] = a + step * (i + 1);
	return true;
}

void nfc_renumber(enum nfm_menu menu)
{
	uint32_t *v;
	size_t n = nfm_menu_rules(menu, &v);

	for (size_t i = 0; i < n; i++) {
		struct nft_rule *r = &nfm.rules[v[i]];
		uint64_t k = (i + 1) * NFC_ORDER_STEP;
		if (r->order != k && !(r->flags & NR_FOREIGN)) {
			r->order = k;
			r->flags |= NR_DIRTY;
		}
	}
	free(v);
}

/* ---- the commit ---------------------------------------------------------- */

static bool has_changes(void)
{
	if (nfm.batch && nftb_count(nfm.batch))
		return true;
	for (size_t i = 0; i < nfm.nchains; i++)
		if (nfm.chains[i].create && !nfm.chains[i].in_kernel)
			return true;
	for (size_t i = 0; i < nfm.nrules; i++)
		if (nfm.rules[i].flags & (NR_NEW | NR_DIRTY | NR_GONE))
			return true;
	return nfm.ndel_sets > 0;
}

int nfc_commit(struct bk_err *e)
{
	if (!has_changes())
		return 0;
	struct nftb *b = nfm_batch();
	create_chains(b);
	for (uint32_t c = 0; c < nfm.nchains; c++)
		if (!nfm.chains[c].base && commit_chain(b, c, e) < 0)
			return -1;
	nfs_meters_gc(b);
	for (size_t i = 0; i < nfm.ndel_sets; i++)
		nfs_del_set(b, nfm.del_sets[i]);
	if (getenv("ROSH_NFT_INJECT_FAIL")) {
		/* test hook: a message the kernel refuses, at the end */
		struct nftnl_rule *nr = nftnl_rule_alloc();
		nftnl_rule_set_str(nr, NFTNL_RULE_TABLE, NFT_TABLE_NAME);
		nftnl_rule_set_str(nr, NFTNL_RULE_CHAIN, "rosh-no-such-chain");
		nftnl_rule_set_u64(nr, NFTNL_RULE_HANDLE, 1);
		rule_msg(b, nr, NFT_MSG_DELRULE, 0, "injected failure");
		nftnl_rule_free(nr);
	}
	uint32_t gen;
	int rc = nftb_commit(b, NULL, NULL, &gen, e);
	nftb_free(nfm.batch);
	nfm.batch = NULL;
	if (rc == 0)
		nfm_invalidate();	/* re-read next time */
	return rc;
}
