/*
 * Switching connection tracking on and off for real, with rosh's own
 * nftables table `table inet rosh_ct`; the kernel's ruleset is the only
 * record of the setting (no file, no daemon).
 *
 *  enabled=no   base chains at raw priority (-300, before conntrack's -200)
 *               on prerouting and output with the single rule `notrack`:
 *               every packet entering the stack is untracked, whatever
 *               other rules want, so no entry is ever created.
 *  enabled=yes  an unhooked chain `track` holding `ct state new`. Loading a
 *               ct expression makes the kernel register conntrack's hooks
 *               for the table's family (nf_ct_netns_get; inet = IPv4 and
 *               IPv6) for as long as the rule exists. No packet runs
 *               through an unhooked chain, so it costs nothing per packet.
 *  enabled=auto the table is absent: conntrack runs when some rule needs it.
 *
 * Only this table is ever written; other tables are read (active-ipv4/6)
 * and never changed.
 */
#include "ct_enable.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>

#define NFT_BUF 8192		/* requests and batches */
#define NFT_DUMP_BUF 65536	/* replies: a large rule fits whole */
#define PRIO_RAW (-300)		/* NF_IP_PRI_RAW: before conntrack (-200) */

/* The chains of each mode. hook < 0: a regular (unhooked) chain. */
struct ct_chain_spec {
	const char *name;
	int hook;
	bool notrack;		/* rule `notrack`, else `ct state new` */
};

static const struct ct_chain_spec mode_no[] = {
	{ "notrack-prerouting", NF_INET_PRE_ROUTING, true },
	{ "notrack-output", NF_INET_LOCAL_OUT, true },
	{ NULL, 0, false },
};
static const struct ct_chain_spec mode_yes[] = {
	{ "track", -1, false },
	{ NULL, 0, false },
};

static struct mnl_socket *nft_open(struct bk_err *e)
{
	struct mnl_socket *sk = mnl_socket_open2(NETLINK_NETFILTER,
						 SOCK_CLOEXEC);

	if (sk && mnl_socket_bind(sk, 0, MNL_SOCKET_AUTOPID) == 0)
		return sk;
	bk_fail(e, "nftables: %s", strerror(errno));
	if (sk)
		mnl_socket_close(sk);
	return NULL;
}

/* Run a dump; ENOENT (no such table) is an empty answer. */
static int nft_dump(struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
		    struct bk_err *e)
{
	static char buf[NFT_DUMP_BUF] __attribute__((aligned(8)));
	struct mnl_socket *sk = nft_open(e);
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t n;
	int rc = MNL_CB_OK;

	if (!sk)
		return -1;
	if (mnl_socket_sendto(sk, nlh, nlh->nlmsg_len) < 0)
		rc = MNL_CB_ERROR;
	while (rc > MNL_CB_STOP) {
		n = mnl_socket_recvfrom(sk, buf, sizeof(buf));
		rc = n < 0 ? MNL_CB_ERROR
			   : mnl_cb_run(buf, (size_t)n, seq,
					mnl_socket_get_portid(sk), cb, data);
	}
	if (rc < 0 && errno == ENOENT)
		rc = 0;
	if (rc < 0)
		bk_fail(e, "nftables: %s", strerror(errno));
	mnl_socket_close(sk);
	return rc < 0 ? -1 : 0;
}

/* ---- enabled: read ---- */

static int chain_cb(const struct nlmsghdr *nlh, void *data)
{
	const char **mode = data;
	struct nftnl_chain *c = nftnl_chain_alloc();
	const char *name, *table;

	if (c && nftnl_chain_nlmsg_parse(nlh, c) == 0) {
		name = nftnl_chain_get_str(c, NFTNL_CHAIN_NAME);
		table = nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE);
		/* notrack wins: with both present nothing is tracked */
		if (table && name && !strcmp(table, CT_ENABLE_TABLE)) {
			if (!strcmp(name, mode_no[0].name))
				*mode = "no";
			else if (!strcmp(name, mode_yes[0].name) &&
				 strcmp(*mode, "no"))
				*mode = "yes";
		}
	}
	nftnl_chain_free(c);
	return MNL_CB_OK;
}

int ct_enable_get(const char **mode, struct bk_err *e)
{
	char buf[NFT_BUF] __attribute__((aligned(8)));
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *nlh;

	*mode = "auto";
	nlh = nftnl_chain_nlmsg_build_hdr(buf, NFT_MSG_GETCHAIN, NFPROTO_INET,
					  NLM_F_DUMP, 1);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, CT_ENABLE_TABLE);
	nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_chain_free(c);
	return nft_dump(nlh, chain_cb, mode, e);
}

/* ---- enabled: write ---- */

static void batch_table(struct mnl_nlmsg_batch *b, uint16_t type,
			uint32_t *seq)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;

	nftnl_table_set_str(t, NFTNL_TABLE_NAME, CT_ENABLE_TABLE);
	nlh = nftnl_table_nlmsg_build_hdr(mnl_nlmsg_batch_current(b), type,
		NFPROTO_INET, type == NFT_MSG_NEWTABLE ? NLM_F_CREATE : 0,
		(*seq)++);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	mnl_nlmsg_batch_next(b);
}

static void batch_chain(struct mnl_nlmsg_batch *b,
			const struct ct_chain_spec *s, uint32_t *seq)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *nlh;

	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, CT_ENABLE_TABLE);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, s->name);
	if (s->hook >= 0) {
		nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
		nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, (uint32_t)s->hook);
		nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, PRIO_RAW);
	}
	nlh = nftnl_chain_nlmsg_build_hdr(mnl_nlmsg_batch_current(b),
		NFT_MSG_NEWCHAIN, NFPROTO_INET, NLM_F_CREATE, (*seq)++);
	nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_chain_free(c);
	mnl_nlmsg_batch_next(b);
}

/* `ct state new`, as nft(8) encodes it (so `nft list` shows it so). */
static void rule_ct_state_new(struct nftnl_rule *r)
{
	struct nftnl_expr *ct = nftnl_expr_alloc("ct");
	struct nftnl_expr *bw = nftnl_expr_alloc("bitwise");
	struct nftnl_expr *cmp = nftnl_expr_alloc("cmp");
	uint32_t mask = NF_CT_STATE_BIT(IP_CT_NEW), zero = 0;

	nftnl_expr_set_u32(ct, NFTNL_EXPR_CT_KEY, NFT_CT_STATE);
	nftnl_expr_set_u32(ct, NFTNL_EXPR_CT_DREG, NFT_REG_1);
	nftnl_expr_set_u32(bw, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(bw, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
	nftnl_expr_set_u32(bw, NFTNL_EXPR_BITWISE_LEN, sizeof(mask));
	nftnl_expr_set(bw, NFTNL_EXPR_BITWISE_MASK, &mask, sizeof(mask));
	nftnl_expr_set(bw, NFTNL_EXPR_BITWISE_XOR, &zero, sizeof(zero));
	nftnl_expr_set_u32(cmp, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(cmp, NFTNL_EXPR_CMP_OP, NFT_CMP_NEQ);
	nftnl_expr_set(cmp, NFTNL_EXPR_CMP_DATA, &zero, sizeof(zero));
	nftnl_rule_add_expr(r, ct);
	nftnl_rule_add_expr(r, bw);
	nftnl_rule_add_expr(r, cmp);
}

static void batch_rule(struct mnl_nlmsg_batch *b,
		       const struct ct_chain_spec *s, const char *mode,
		       uint32_t *seq)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nftnl_udata_buf *ud = nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN);
	char comment[96];
	struct nlmsghdr *nlh;

	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, CT_ENABLE_TABLE);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, s->name);
	if (s->notrack)
		nftnl_rule_add_expr(r, nftnl_expr_alloc("notrack"));
	else
		rule_ct_state_new(r);
	snprintf(comment, sizeof(comment),
		 "rosh: /ip firewall connection tracking enabled=%s", mode);
	nftnl_udata_put_strz(ud, NFTNL_UDATA_RULE_COMMENT, comment);
	nftnl_rule_set_data(r, NFTNL_RULE_USERDATA, nftnl_udata_buf_data(ud),
			    nftnl_udata_buf_len(ud));
	nlh = nftnl_rule_nlmsg_build_hdr(mnl_nlmsg_batch_current(b),
		NFT_MSG_NEWRULE, NFPROTO_INET, NLM_F_CREATE | NLM_F_APPEND,
		(*seq)++);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_udata_buf_free(ud);
	nftnl_rule_free(r);
	mnl_nlmsg_batch_next(b);
}

/*
 * nf_tables handles a batch inside sendmsg: by the time it returns, an
 * error report for any refused message is queued, and nothing of the
 * batch was applied.
 */
static int batch_send(struct mnl_nlmsg_batch *b, struct bk_err *e)
{
	char buf[NFT_BUF] __attribute__((aligned(8)));
	struct mnl_socket *sk = nft_open(e);
	int err = 0;
	ssize_t n;

	if (!sk)
		return -1;
	if (mnl_socket_sendto(sk, mnl_nlmsg_batch_head(b),
			      mnl_nlmsg_batch_size(b)) < 0)
		err = errno;
	while (!err && (n = recv(mnl_socket_get_fd(sk), buf, sizeof(buf),
				 MSG_DONTWAIT)) > 0) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		int len = (int)n;

		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len))
			if (nlh->nlmsg_type == NLMSG_ERROR && !err) {
				const struct nlmsgerr *ne =
					mnl_nlmsg_get_payload(nlh);
				err = -ne->error;
			}
	}
	mnl_socket_close(sk);
	if (err)
		return bk_fail(e, "connection tracking: %s",
			       strerror(err));
	return 0;
}

int ct_enable_set(const char *mode, struct bk_err *e)
{
	char buf[NFT_BUF] __attribute__((aligned(8)));
	struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(buf, sizeof(buf));
	const struct ct_chain_spec *s = !strcmp(mode, "no") ? mode_no
				      : !strcmp(mode, "yes") ? mode_yes : NULL;
	uint32_t seq = 1;
	int rc;

	if (!s && strcmp(mode, "auto")) {
		mnl_nlmsg_batch_stop(b);
		return bk_fail(e, "input does not match any value of enabled");
	}
	nftnl_batch_begin(mnl_nlmsg_batch_current(b), seq++);
	mnl_nlmsg_batch_next(b);
	/* create-then-delete empties the table whether it existed or not */
	batch_table(b, NFT_MSG_NEWTABLE, &seq);
	batch_table(b, NFT_MSG_DELTABLE, &seq);
	if (s)
		batch_table(b, NFT_MSG_NEWTABLE, &seq);
	for (; s && s->name; s++) {
		batch_chain(b, s, &seq);
		batch_rule(b, s, mode, &seq);
	}
	nftnl_batch_end(mnl_nlmsg_batch_current(b), seq++);
	mnl_nlmsg_batch_next(b);
	rc = batch_send(b, e);
	mnl_nlmsg_batch_stop(b);
	return rc;
}

/* ---- active-ipv4 / active-ipv6 ---- */

/*
 * Expressions whose loading makes the kernel track the rule family's
 * connections (their init calls nf_ct_netns_get); iptables-nft rules show
 * up as xtables `match` / `target` extensions. Not visible here, so not
 * counted: iptables-legacy rules and ct objects (helpers, timeouts) that no
 * rule references. xt CT is left out: its common use is --notrack.
 */
static const char *const ct_exprs[] = {
	"ct", "nat", "masq", "redir", "connlimit", "flow_offload",
	"synproxy", NULL
};
static const char *const ct_xt_matches[] = {
	"conntrack", "state", "connmark", "connbytes", "connlimit",
	"connlabel", "helper", "cluster", NULL
};
static const char *const ct_xt_targets[] = {
	"CONNMARK", "MASQUERADE", "SNAT", "DNAT", "REDIRECT", "NETMAP",
	"CONNSECMARK", NULL
};

static bool in_list(const char *const *list, const char *s)
{
	for (; s && *list; list++)
		if (!strcmp(*list, s))
			return true;
	return false;
}

static int expr_tracks(struct nftnl_expr *x, void *data)
{
	const char *name = nftnl_expr_get_str(x, NFTNL_EXPR_NAME);
	bool *hit = data;

	if (in_list(ct_exprs, name) ||
	    (name && !strcmp(name, "match") &&
	     in_list(ct_xt_matches, nftnl_expr_get_str(x, NFTNL_EXPR_MT_NAME))) ||
	    (name && !strcmp(name, "target") &&
	     in_list(ct_xt_targets, nftnl_expr_get_str(x, NFTNL_EXPR_TG_NAME))))
		*hit = true;
	return 0;
}

struct active {
	bool v4, v6;
};

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct active *a = data;
	struct nftnl_rule *r = nftnl_rule_alloc();
	bool hit = false;

	if (r && nftnl_rule_nlmsg_parse(nlh, r) == 0) {
		nftnl_expr_foreach(r, expr_tracks, &hit);
		switch (hit ? nftnl_rule_get_u32(r, NFTNL_RULE_FAMILY) : 0) {
		case NFPROTO_IPV4: a->v4 = true; break;
		case NFPROTO_IPV6: a->v6 = true; break;
		case NFPROTO_INET: a->v4 = a->v6 = true; break;
		}
	}
	nftnl_rule_free(r);
	return MNL_CB_OK;
}

/*
 * The kernel has no per-namespace "conntrack hooks registered" flag to read
 * (nfnetlink_hook is not built on every kernel), so this follows the rules:
 * enabled=no tracks nothing, yes tracks both families, and auto tracks a
 * family when some rule of this namespace needs conntrack for it.
 */
int ct_active_get(bool *v4, bool *v6, struct bk_err *e)
{
	char buf[NFT_BUF] __attribute__((aligned(8)));
	struct active a = { false, false };
	const char *mode;
	struct nlmsghdr *nlh;

	if (ct_enable_get(&mode, e) < 0)
		return -1;
	*v4 = *v6 = strcmp(mode, "yes") == 0;
	if (strcmp(mode, "auto"))
		return 0;
	nlh = nftnl_rule_nlmsg_build_hdr(buf, NFT_MSG_GETRULE, NFPROTO_UNSPEC,
					 NLM_F_DUMP, 1);
	if (nft_dump(nlh, rule_cb, &a, e) < 0)
		return -1;
	*v4 = a.v4;
	*v6 = a.v6;
	return 0;
}
