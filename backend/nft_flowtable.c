/*
 * The flowtable of the FastTrack fast path (nft.c, FastTrack), where the
 * kernel has flowtables (CONFIG_NF_FLOW_TABLE, nft_flow_offload).
 *
 * There the fast path rule also offloads the connections it accepts
 * (`ct label 127 counter flow add @ft accept` in hook_filter_forward) into
 * `flowtable ft { hook ingress priority filter; devices = { ... }; counter }`
 * of table ip rosh. Packets of an offloaded connection then go from the
 * ingress of one interface straight to the egress of the other, past
 * routing and every netfilter hook, as RouterOS's FastTrack bypasses the
 * firewall. The user's fasttrack-connection rule is the same everywhere
 * (it only sets the label): the offload is the fast path rule's job, so a
 * connection labelled while the fast path was off is offloaded by its next
 * packet once it is on again, and fasttrack in any chain stays valid
 * (`flow add` is only allowed under the forward hook).
 *
 * Detection at run time, when a command turns the fast path on (while it
 * stays on, it keeps its mode: the check costs ~10 ms, the RCU grace
 * period of an aborted batch), at most once per process: a dry-run batch
 * (no batch-end message, so the kernel checks every message and then
 * aborts: nothing changes) makes a scratch table with a forward chain, a
 * flowtable and a `flow add` rule. Every message acknowledged = the kernel
 * can offload. ROSH_NFT_FLOWTABLE=0 in the environment turns it off.
 *
 * Devices: the kernel hooks a flowtable onto named, existing devices. The
 * flowtable gets every interface of the namespace but lo when it is made,
 * and every later full commit while it exists adds interfaces that appeared
 * since; the kernel drops interfaces that go away. A connection whose
 * interfaces are not both hooked keeps the label fast path.
 *
 * The flowtable exists exactly while the fast path is on and offloading:
 * turning the fast path off deletes it in the same batch, which ends every
 * offload, so all packets go through the rules again.
 */
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/batch.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/flowtable.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>

#include "nft_expr.h"
#include "nft_table.h"

#define FT_NAME "ft"
#define FT_MAX_DEVS 256		/* the kernel's NFT_NETDEVICE_MAX per message */
#define PROBE_TABLE "rosh_ft_probe"

/* ---- detection ------------------------------------------------------------ */

static struct nlmsghdr *probe_hdr(struct mnl_nlmsg_batch *bt, uint16_t type,
				  uint16_t flags, uint32_t seq)
{
	return nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(bt), type,
				     NFT_FAMILY, flags | NLM_F_ACK, seq);
}

/* A new flowtable gets the counter flag (connection accounting goes on
 * while offloaded); an update must not name flags: they cannot change. */
static struct nftnl_flowtable *ft_alloc(const char *table, bool create)
{
	struct nftnl_flowtable *ft = nftnl_flowtable_alloc();

	nftnl_flowtable_set_str(ft, NFTNL_FLOWTABLE_TABLE, table);
	nftnl_flowtable_set_str(ft, NFTNL_FLOWTABLE_NAME, FT_NAME);
	nftnl_flowtable_set_u32(ft, NFTNL_FLOWTABLE_HOOKNUM, NF_NETDEV_INGRESS);
	nftnl_flowtable_set_s32(ft, NFTNL_FLOWTABLE_PRIO, 0);
	if (create)
		nftnl_flowtable_set_u32(ft, NFTNL_FLOWTABLE_FLAGS,
					NFT_FLOWTABLE_COUNTER);
	return ft;
}

static struct nftnl_expr *flow_expr(void)
{
	struct nftnl_expr *ex = nftnl_expr_alloc("flow_offload");

	nftnl_expr_set_str(ex, NFTNL_EXPR_FLOW_TABLE_NAME, FT_NAME);
	return ex;
}

/* table, forward chain, flowtable, `flow add` rule: 4 messages, all ACKed */
static uint32_t probe_build(struct mnl_nlmsg_batch *bt, uint32_t seq)
{
	struct nftnl_table *t = nftnl_table_alloc();
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, PROBE_TABLE);
	/* dormant: its base chain registers no hook, which the abort would
	 * have to unregister (measured here: ~14 ms -> ~9 ms per probe) */
	nftnl_table_set_u32(t, NFTNL_TABLE_FLAGS, NFT_TABLE_F_DORMANT);
	nftnl_table_nlmsg_build_payload(probe_hdr(bt, NFT_MSG_NEWTABLE,
						  NLM_F_CREATE, seq++), t);
	nftnl_table_free(t);
	mnl_nlmsg_batch_next(bt);

	struct nftnl_chain *c = nftnl_chain_alloc();
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, PROBE_TABLE);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, "c");
	nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
	nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, NF_INET_FORWARD);
	nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, 0);
	nftnl_chain_nlmsg_build_payload(probe_hdr(bt, NFT_MSG_NEWCHAIN,
						  NLM_F_CREATE, seq++), c);
	nftnl_chain_free(c);
	mnl_nlmsg_batch_next(bt);

	struct nftnl_flowtable *ft = ft_alloc(PROBE_TABLE, true);
	nftnl_flowtable_nlmsg_build_payload(probe_hdr(bt, NFT_MSG_NEWFLOWTABLE,
						      NLM_F_CREATE, seq++), ft);
	nftnl_flowtable_free(ft);
	mnl_nlmsg_batch_next(bt);

	struct nftnl_rule *r = nftnl_rule_alloc();
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, NFT_FAMILY);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, PROBE_TABLE);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, "c");
	nftnl_rule_add_expr(r, flow_expr());
	nftnl_rule_nlmsg_build_payload(probe_hdr(bt, NFT_MSG_NEWRULE,
						 NLM_F_CREATE | NLM_F_APPEND, seq++), r);
	nftnl_rule_free(r);
	mnl_nlmsg_batch_next(bt);
	return seq;
}

struct probe_ctx {
	uint32_t first, last, gen_seq;
	unsigned acked;
	bool failed, done;
};

static void probe_msg(const struct nlmsghdr *nlh, struct probe_ctx *p)
{
	if (nlh->nlmsg_seq == p->gen_seq) {
		p->done = true;
		return;
	}
	if (nlh->nlmsg_type != NLMSG_ERROR || nlh->nlmsg_seq < p->first ||
	    nlh->nlmsg_seq >= p->last)
		return;
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	if (err->error)
		p->failed = true;
	else
		p->acked++;
}

static bool probe_recv(struct mnl_socket *nl, struct probe_ctx *p)
{
	static char buf[16384] __attribute__((aligned(8)));

	while (!p->done) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return false;
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		int len = (int)n;
		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
			probe_msg(nlh, p);
	}
	return true;
}

static bool probe(void)
{
	static char buf[8192] __attribute__((aligned(8)));
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	struct probe_ctx p = { 0 };
	bool ok = false;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto out;
	struct mnl_nlmsg_batch *bt = mnl_nlmsg_batch_start(buf, sizeof(buf));
	uint32_t seq = (uint32_t)time(NULL) ^ 0x5a5a0000u;
	nftnl_batch_begin(mnl_nlmsg_batch_current(bt), seq++);
	mnl_nlmsg_batch_next(bt);
	p.first = seq;
	p.last = probe_build(bt, seq);
	/* no batch end: the kernel validates, then aborts */
	bool sent = mnl_socket_sendto(nl, mnl_nlmsg_batch_head(bt),
				      mnl_nlmsg_batch_size(bt)) >= 0;
	mnl_nlmsg_batch_stop(bt);
	p.gen_seq = p.last + 1;
	struct nlmsghdr *g = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETGEN,
						   AF_UNSPEC, 0, p.gen_seq);
	if (sent && mnl_socket_sendto(nl, g, g->nlmsg_len) >= 0 &&
	    probe_recv(nl, &p))
		ok = !p.failed && p.acked == p.last - p.first;
out:
	if (nl)
		mnl_socket_close(nl);
	return ok;
}

bool nft_ft_off(void)
{
	const char *env = getenv("ROSH_NFT_FLOWTABLE");

	return env && !strcmp(env, "0");
}

bool nft_ft_supported(void)
{
	static int known = -1;

	if (known < 0)
		known = probe();
	return known;
}

void nft_ft_expr(struct nfx *x)
{
	x_add(x, flow_expr());
}

/* ---- the flowtable in table ip rosh ----------------------------------------- */

struct ft_state {
	bool exists;
	char **devs;
	size_t ndevs;
};

static int ft_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct ft_state *s = arg;
	struct nftnl_flowtable *ft = nftnl_flowtable_alloc();

	if (nftnl_flowtable_nlmsg_parse(nlh, ft) == 0 &&
	    !strcmp(nftnl_flowtable_get_str(ft, NFTNL_FLOWTABLE_TABLE), NFT_TABLE_NAME) &&
	    !strcmp(nftnl_flowtable_get_str(ft, NFTNL_FLOWTABLE_NAME), FT_NAME)) {
		s->exists = true;
		const char *const *d = nftnl_flowtable_is_set(ft, NFTNL_FLOWTABLE_DEVICES) ?
			nftnl_flowtable_get_array(ft, NFTNL_FLOWTABLE_DEVICES) : NULL;
		for (; d && *d; d++) {
			s->devs = xrealloc(s->devs, (s->ndevs + 1) * sizeof(char *));
			s->devs[s->ndevs++] = xstrdup(*d);
		}
	}
	nftnl_flowtable_free(ft);
	return 0;
}

static void ft_state_free(struct ft_state *s)
{
	for (size_t i = 0; i < s->ndevs; i++)
		free(s->devs[i]);
	free(s->devs);
}

static bool ft_has(const struct ft_state *s, const char *dev)
{
	for (size_t i = 0; i < s->ndevs; i++)
		if (!strcmp(s->devs[i], dev))
			return true;
	return false;
}

/* The names in ifs but lo (NULL-terminated, pointing into ifs); false
 * when one is not hooked yet. */
static bool want_devs(const struct ft_state *s, const struct if_nameindex *ifs,
		      const char **out)
{
	bool same = true;
	size_t n = 0;

	for (const struct if_nameindex *i = ifs; i && i->if_index; i++) {
		if (!strcmp(i->if_name, "lo") || n == FT_MAX_DEVS)
			continue;
		out[n++] = i->if_name;
		same &= ft_has(s, i->if_name);
	}
	out[n] = NULL;
	return same;
}

int nft_ft_prepare(struct nftb *b, struct bk_err *e)
{
	struct ft_state s = { 0 };
	const char *devs[FT_MAX_DEVS + 1];

	if (nftb_dump(NFT_MSG_GETFLOWTABLE, NULL, ft_cb, &s, e) < 0) {
		ft_state_free(&s);
		return -1;
	}
	struct if_nameindex *ifs = if_nameindex();
	bool same = want_devs(&s, ifs, devs);
	if (!s.exists || !same) {
		struct nftnl_flowtable *ft = ft_alloc(NFT_TABLE_NAME, !s.exists);
		if (devs[0])	/* copied by libnftnl */
			nftnl_flowtable_set_array(ft, NFTNL_FLOWTABLE_DEVICES, devs);
		struct nlmsghdr *nlh = nftb_msg(b, NFT_MSG_NEWFLOWTABLE,
						NLM_F_CREATE, "fasttrack flowtable");
		nftnl_flowtable_nlmsg_build_payload(nlh, ft);
		nftb_end(b);
		nftnl_flowtable_free(ft);
	}
	if (ifs)
		if_freenameindex(ifs);
	ft_state_free(&s);
	return 0;
}

void nft_ft_delete(struct nftb *b)
{
	struct nftnl_flowtable *ft = nftnl_flowtable_alloc();

	nftnl_flowtable_set_str(ft, NFTNL_FLOWTABLE_TABLE, NFT_TABLE_NAME);
	nftnl_flowtable_set_str(ft, NFTNL_FLOWTABLE_NAME, FT_NAME);
	struct nlmsghdr *nlh = nftb_msg(b, NFT_MSG_DELFLOWTABLE, 0,
					"fasttrack flowtable");
	nftnl_flowtable_nlmsg_build_payload(nlh, ft);
	nftb_end(b);
	nftnl_flowtable_free(ft);
}
