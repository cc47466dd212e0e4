/*
 * The skeleton of table ip rosh: base chains (hooks) and the rosh rules in
 * them (jumps to the rule chains, the fasttrack fast path), created with
 * the first rule of their target chain; and the fast path's on/off state.
 */
#include <stdio.h>
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
#include "nft_table.h"


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

bool nft_is_builtin(const char *chain)
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

void nft_rule_msg(struct nftb *b, struct nftnl_rule *r, uint16_t type,
		  uint16_t flags, const char *label)
{
	struct nlmsghdr *nlh = nftb_msg(b, type, flags, label);

	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftb_end(b);
}

/* A rosh infrastructure rule: userdata says so; never decoded as an item. */
static struct nftnl_rule *sys_rule(const char *chain, uint32_t xf)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(64);

	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFT_FAMILY);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, NFT_TABLE_NAME);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	nftnl_udata_put_u32(u, 0xe3 /* flags */, XF_SYS | xf);
	nftnl_rule_set_data(r, NFTNL_RULE_USERDATA, nftnl_udata_buf_data(u),
			    nftnl_udata_buf_len(u));
	nftnl_udata_buf_free(u);
	return r;
}

/*
 * ct label <ROSH_FT_LABEL_BIT> counter [flow add @ft] accept: first in
 * hook_filter_forward (flow add where the kernel offloads, nft_flowtable.c);
 * while no enabled fasttrack-connection rule exists it is `meta cpu & 0 ==
 * 1 counter accept` (never true, see below), so that disabling fasttrack
 * sends every packet through the rules again.
 */
static void fastpath_msg(struct nftb *b, struct nft_rule *r, bool on,
			 bool flow)
{
	struct nfx x = { .b = b };
	uint32_t bits[4] = { 0 }, zero[4] = { 0 };
	static const uint32_t never_mask, never_val = 1; /* as nft_rule.c */
	const char *chain = nfm.chains[r->chain].name;
	uint16_t flags = NLM_F_ECHO;

	if (!(r->flags & NR_NEW))
		nfc_refresh_counters(r);
	x.r = sys_rule(chain, XF_FASTPATH);
	if (!on) {
		x_meta(&x, NFT_META_CPU, RK);	/* the disabled marker */
		x_bitwise(&x, RK, 4, &never_mask, NULL);
		x_cmp(&x, RK, NFT_CMP_EQ, &never_val, 4);
	}
	/* Off, it must not name ct at all: any ct expression in the ruleset
	 * makes the kernel track the namespace's connections, and with
	 * tracking enabled=auto and no stateful rule there should be none. */
	if (on) {
		bits[ROSH_FT_LABEL_BIT / 32] = 1u << (ROSH_FT_LABEL_BIT % 32);
		x_ct(&x, NFT_CT_LABELS, RK);
		x_bitwise(&x, RK, 16, bits, NULL);
		x_cmp(&x, RK, NFT_CMP_NEQ, zero, 16);
	}
	if (r->flags & NR_ZERO)
		x_counter(&x, 0, 0);
	else
		x_counter(&x, r->bytes, r->packets);
	if (flow)
		nft_ft_expr(&x);
	x_verdict(&x, NF_ACCEPT, NULL);
	if (r->flags & NR_NEW) {
		flags |= NLM_F_CREATE;	/* at the head of the chain */
	} else {
		flags |= NLM_F_REPLACE;
		nftnl_rule_set_u64(x.r, NFTNL_RULE_HANDLE, r->handle);
	}
	nft_rule_msg(b, x.r, NFT_MSG_NEWRULE, flags, "fasttrack fast path");
	nftnl_rule_free(x.r);
	nfm.echo_q = xrealloc(nfm.echo_q, (nfm.echo_n + 1) * sizeof(uint32_t));
	nfm.echo_q[nfm.echo_n++] = (uint32_t)(r - nfm.rules);
	r->flags &= ~(uint32_t)(NR_DISABLED | NR_FLOW);
	r->flags |= (on ? 0 : NR_DISABLED) | (flow ? NR_FLOW : 0);
}

static bool fasttrack_on(void)
{
	for (size_t i = 0; i < nfm.nrules; i++) {
		const struct nft_rule *r = &nfm.rules[i];
		if (r->flags & (NR_SYS | NR_GONE | NR_INVALID) ||
		    nfm.chains[r->chain].menu != NFM_FILTER)
			continue;
		const char *a = rp_packed_get(r->props, FWP_ACTION);
		if (a && !strcmp(a, "fasttrack-connection") &&
		    !rp_packed_get(r->props, FWP_DISABLED))
			return true;
	}
	return false;
}

/* Offload with the flowtable? Decided when the fast path is turned on (the
 * kernel check costs an aborted batch, ~10 ms): while it stays on, it
 * keeps its mode. */
static bool want_flow(const struct nft_rule *r, bool on)
{
	if (!on || nft_ft_off())
		return false;
	if (!(r->flags & (NR_NEW | NR_DISABLED)))
		return (r->flags & NR_FLOW) != 0;
	return nft_ft_supported();
}

/* The flowtable is made before the rule that names it and deleted after
 * the rule that named it no longer does (same batch). */
int nft_sync_fastpath(struct nftb *b, struct bk_err *e)
{
	bool on = fasttrack_on();

	for (size_t i = 0; i < nfm.nrules; i++) {
		struct nft_rule *r = &nfm.rules[i];
		if (!(r->flags & NR_FASTPATH) || (r->flags & NR_GONE))
			continue;
		bool flow = want_flow(r, on);
		bool had_flow = (r->flags & NR_FLOW) != 0;
		if (flow && nft_ft_prepare(b, e) < 0)
			return -1;
		if ((r->flags & (NR_NEW | NR_DIRTY)) ||
		    on != !(r->flags & NR_DISABLED) ||
		    flow != !!(r->flags & NR_FLOW))
			fastpath_msg(b, r, on, flow);
		if (had_flow && !flow)
			nft_ft_delete(b);
		return 0;
	}
	return 0;
}

static void jump_rule(struct nftb *b, const char *chain, const char *target)
{
	struct nfx x = { .b = b };

	x.r = sys_rule(chain, 0);
	x_verdict(&x, NFT_JUMP, target);
	nft_rule_msg(b, x.r, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND, chain);
	nftnl_rule_free(x.r);
}

void nft_create_chains(struct nftb *b)
{
	size_t n = nfm.nchains;

	for (size_t i = 0; i < n; i++) {
		const struct nft_chain *c = &nfm.chains[i];
		if (c->create && !c->in_kernel)
			chain_msg(b, c->name, NULL);
	}
	for (size_t i = 0; i < n; i++) {
		if (!nfm.chains[i].create || nfm.chains[i].in_kernel ||
		    !nft_is_builtin(nfm.chains[i].name))
			continue;
		for (size_t h = 0; h < N_HOOKS; h++) {
			if (strcmp(hooks[h].target, nfm.chains[i].name) ||
			    nfm_chain_find(hooks[h].name) >= 0)
				continue;
			chain_msg(b, hooks[h].name, &hooks[h]);
			jump_rule(b, hooks[h].name, hooks[h].target);
			int k = nfm_chain_want(hooks[h].name, NULL);
			if (k < 0)
				continue;
			nfm.chains[k].base = true;
			if (hooks[h].fastpath) {	/* sync_fastpath inserts it */
				struct nft_rule *r = nfm_rule_new();
				r->chain = (uint32_t)k;
				r->flags = NR_SYS | NR_FASTPATH | NR_NEW;
			}
		}
	}
}
