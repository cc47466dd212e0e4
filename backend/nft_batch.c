/*
 * Transport of the nft backend: one netlink socket, the ruleset generation
 * id, dumps of our table, and batches. A batch begins with the generation
 * id rosh based its decisions on (NFTA_GEN_ID in the batch-begin message):
 * the kernel refuses the whole batch with ERESTART when another writer
 * committed meanwhile, and the caller re-reads and retries. After the batch
 * a GETGEN request is sent: its reply comes after every error or echo of
 * the batch, so reading up to it collects all of them and the new genid.
 */
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/batch.h>
#include <libnftnl/common.h>
#include <libnftnl/gen.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/chain.h>
#include <libnftnl/flowtable.h>

#include "nft.h"

static struct mnl_socket *nl;
static uint32_t nl_portid;
static uint32_t nl_seq;
static int nl_sndbuf, nl_rcvbuf;

static int sock_open(struct bk_err *e)
{
	if (nl)
		return 0;
	nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl)
		return bk_fail(e, "cannot open netfilter socket: %s",
			       strerror(errno));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int err = errno;

		mnl_socket_close(nl);
		nl = NULL;
		return bk_fail(e, "cannot bind netfilter socket: %s",
			       strerror(err));
	}
	int one = 1;
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	nl_portid = mnl_socket_get_portid(nl);
	nl_seq = (uint32_t)time(NULL);
	return 0;
}

void nftb_close(void)
{
	if (nl)
		mnl_socket_close(nl);
	nl = NULL;
	nl_sndbuf = nl_rcvbuf = 0;
}

static void grow_buf(int opt, int *have, size_t want)
{
	int v = (int)(want > (1u << 30) ? (1u << 30) : want);

	if (v <= *have)
		return;
	/* FORCE needs CAP_NET_ADMIN, which we have when we can write nft */
	if (setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, opt, &v,
		       sizeof(v)) == 0)
		*have = v;
}

/* ---- requests ------------------------------------------------------------ */

struct genid_ctx {
	uint32_t genid;
	bool got;
};

static int genid_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct genid_ctx *g = arg;
	struct nftnl_gen *gen = nftnl_gen_alloc();

	if (nftnl_gen_nlmsg_parse(nlh, gen) == 0) {
		g->genid = nftnl_gen_get_u32(gen, NFTNL_GEN_ID);
		g->got = true;
	}
	nftnl_gen_free(gen);
	return MNL_CB_OK;
}

static int recv_until(uint32_t seq, mnl_cb_t cb, void *arg, int *err)
{
	static char buf[65536];
	static int debug_recv = -1;

	if (debug_recv < 0)
		debug_recv = getenv("ROSH_NFT_DEBUG") != NULL;

	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0) {
			*err = errno;
			return -1;
		}
		/* tests/bats/42-fw-ids.bats counts the bytes read this way */
		if (debug_recv)
			fprintf(stderr, "recv %zd for seq %u: type %x seq %u\n", n, seq,
				((struct nlmsghdr *)buf)->nlmsg_type,
				((struct nlmsghdr *)buf)->nlmsg_seq);
		int rc = mnl_cb_run(buf, (size_t)n, seq, nl_portid, cb, arg);
		if (rc < 0) {
			*err = errno;
			/* An interrupted dump (the ruleset changed meanwhile)
			 * stops here with the rest of it still queued: the
			 * next request would read that. Start over on a new
			 * socket. (An error reply ends its request cleanly.) */
			if (*err == EINTR || *err == EPROTO || *err == ESRCH)
				nftb_close();
			return -1;
		}
		if (rc == MNL_CB_STOP)
			return 0;
	}
}

int nftb_genid(uint32_t *genid, struct bk_err *e)
{
	char buf[8192];
	struct genid_ctx g = { 0, false };
	int err = 0;

	if (sock_open(e) < 0)
		return -1;
	uint32_t seq = ++nl_seq;
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETGEN,
						     AF_UNSPEC, NLM_F_ACK, seq);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0 ||
	    recv_until(seq, genid_cb, &g, &err) < 0 || !g.got)
		return bk_fail(e, "cannot read the ruleset generation: %s",
			       strerror(err ? err : EPROTO));
	*genid = g.genid;
	return 0;
}

static int table_cb(const struct nlmsghdr *nlh, void *arg)
{
	*(bool *)arg = true;
	return MNL_CB_OK;
}

int nftb_table_exists(bool *exists, struct bk_err *e)
{
	char buf[8192];
	int err = 0;

	*exists = false;
	if (sock_open(e) < 0)
		return -1;
	uint32_t seq = ++nl_seq;
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETTABLE,
						     NFT_FAMILY, NLM_F_ACK, seq);
	mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, NFT_TABLE_NAME);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return bk_fail(e, "netlink send: %s", strerror(errno));
	if (recv_until(seq, table_cb, exists, &err) < 0 && err != ENOENT)
		return bk_fail(e, "reading the ruleset: %s", strerror(err));
	return 0;
}

struct dump_ctx {
	nftb_cb cb;
	void *arg;
	int rc;
	bool intr;
};

static int dump_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct dump_ctx *d = arg;

	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		d->intr = true;
	if (d->rc == 0 && d->cb(nlh, d->arg) < 0)
		d->rc = -1;
	return MNL_CB_OK;
}

int nftb_get_rule(const char *chain, uint64_t handle, nftb_cb cb, void *arg,
		  struct bk_err *e)
{
	char buf[8192];
	int err = 0;

	if (sock_open(e) < 0)
		return -1;
	uint32_t seq = ++nl_seq;
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETRULE,
						     NFT_FAMILY, NLM_F_ACK, seq);
	struct nftnl_rule *r = nftnl_rule_alloc();
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, NFT_TABLE_NAME);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	nftnl_rule_set_u64(r, NFTNL_RULE_HANDLE, handle);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return bk_fail(e, "netlink send: %s", strerror(errno));
	struct dump_ctx d = { cb, arg, 0, false };
	if (recv_until(seq, dump_cb, &d, &err) < 0)
		return bk_fail(e, "reading a rule: %s", strerror(err));
	return d.rc;
}

/* One element of set `set` by key (non-dump GETSETELEM); cb gets the reply.
 * ENOENT (no such element or set) is an error like any other here. */
int nftb_get_elem(const char *set, const void *key, uint32_t len, nftb_cb cb,
		  void *arg, struct bk_err *e)
{
	char buf[8192];
	int err = 0;

	if (sock_open(e) < 0)
		return -1;
	uint32_t seq = ++nl_seq;
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETSETELEM,
						     NFT_FAMILY, NLM_F_ACK, seq);
	struct nftnl_set *s = nftnl_set_alloc();
	struct nftnl_set_elem *el = nftnl_set_elem_alloc();
	nftnl_set_set_str(s, NFTNL_SET_TABLE, NFT_TABLE_NAME);
	nftnl_set_set_str(s, NFTNL_SET_NAME, set);
	nftnl_set_elem_set(el, NFTNL_SET_ELEM_KEY, key, len);
	nftnl_set_elem_add(s, el);
	nftnl_set_elems_nlmsg_build_payload(nlh, s);
	nftnl_set_free(s);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return bk_fail(e, "netlink send: %s", strerror(errno));
	struct dump_ctx d = { cb, arg, 0, false };
	if (recv_until(seq, dump_cb, &d, &err) < 0)
		return bk_fail(e, "reading an element: %s", strerror(err));
	return d.rc;
}

static void build_filter(struct nlmsghdr *nlh, uint16_t type, const char *set)
{
	if (type == NFT_MSG_GETSETELEM) {
		struct nftnl_set *s = nftnl_set_alloc();
		nftnl_set_set_str(s, NFTNL_SET_TABLE, NFT_TABLE_NAME);
		nftnl_set_set_str(s, NFTNL_SET_NAME, set);
		nftnl_set_elems_nlmsg_build_payload(nlh, s);
		nftnl_set_free(s);
	} else if (type == NFT_MSG_GETSET) {
		struct nftnl_set *s = nftnl_set_alloc();
		nftnl_set_set_str(s, NFTNL_SET_TABLE, NFT_TABLE_NAME);
		nftnl_set_nlmsg_build_payload(nlh, s);
		nftnl_set_free(s);
	} else if (type == NFT_MSG_GETRULE) {
		struct nftnl_rule *r = nftnl_rule_alloc();
		nftnl_rule_set_str(r, NFTNL_RULE_TABLE, NFT_TABLE_NAME);
		if (set)
			nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, set);
		nftnl_rule_nlmsg_build_payload(nlh, r);
		nftnl_rule_free(r);
	} else if (type == NFT_MSG_GETFLOWTABLE) {
		struct nftnl_flowtable *f = nftnl_flowtable_alloc();
		nftnl_flowtable_set_str(f, NFTNL_FLOWTABLE_TABLE, NFT_TABLE_NAME);
		nftnl_flowtable_nlmsg_build_payload(nlh, f);
		nftnl_flowtable_free(f);
	} else if (type == NFT_MSG_GETCHAIN) {
		struct nftnl_chain *c = nftnl_chain_alloc();
		nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, NFT_TABLE_NAME);
		nftnl_chain_nlmsg_build_payload(nlh, c);
		nftnl_chain_free(c);
	}
}

int nftb_dump(uint16_t type, const char *set, nftb_cb cb, void *arg,
	      struct bk_err *e)
{
	char buf[8192];
	struct dump_ctx d = { cb, arg, 0, false };
	int err = 0;

	if (sock_open(e) < 0)
		return -1;
	uint32_t seq = ++nl_seq;
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(buf, type, NFT_FAMILY,
						     NLM_F_DUMP, seq);
	build_filter(nlh, type, set);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return bk_fail(e, "netlink send: %s", strerror(errno));
	if (recv_until(seq, dump_cb, &d, &err) < 0) {
		if (err == EINTR)
			return 1;
		if (err == ENOENT)	/* no table (yet), or set gone */
			return 0;
		return bk_fail(e, "reading the ruleset: %s", strerror(err));
	}
	if (d.rc < 0)
		return bk_fail(e, "cannot decode the kernel's reply");
	return d.intr ? 1 : 0;
}

/* ---- batches ----------------------------------------------------------- */

struct nftb {
	struct nftnl_batch *nb;
	uint32_t first_seq;
	uint32_t seq;
	char **labels;		/* per message, index seq - first_seq */
	size_t nlabels, cap;
	size_t bytes;
};

struct nftb *nftb_new(uint32_t genid)
{
	struct nftb *b = xcalloc(1, sizeof(*b));

	b->nb = nftnl_batch_alloc(32768,
				  32768);
	/* a range of sequence numbers of its own: requests made while the
	 * batch is built (dumps) must not reuse them */
	b->first_seq = b->seq = ++nl_seq;
	nl_seq += 1u << 22;
	struct nlmsghdr *nlh = nftnl_batch_begin(nftnl_batch_buffer(b->nb),
						 b->seq++);
	mnl_attr_put_u32(nlh, NFTA_GEN_ID, htonl(genid));
	nftnl_batch_update(b->nb);
	b->bytes = nlh->nlmsg_len;
	b->labels = NULL;
	return b;
}

void nftb_free(struct nftb *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->nlabels; i++)
		free(b->labels[i]);
	free(b->labels);
	nftnl_batch_free(b->nb);
	free(b);
}

size_t nftb_count(const struct nftb *b)
{
	return b ? b->seq - b->first_seq - 1 : 0;
}

struct nlmsghdr *nftb_msg(struct nftb *b, uint16_t type, uint16_t flags,
			  const char *label)
{
	size_t idx = b->seq - b->first_seq;

	if (idx >= b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->labels = xrealloc(b->labels, b->cap * sizeof(char *));
	}
	while (b->nlabels <= idx)
		b->labels[b->nlabels++] = NULL;
	b->labels[idx] = label ? xstrdup(label) : NULL;
	return nftnl_nlmsg_build_hdr(nftnl_batch_buffer(b->nb), type,
				     NFT_FAMILY, flags, b->seq++);
}

void nftb_end(struct nftb *b)
{
	struct nlmsghdr *nlh = nftnl_batch_buffer(b->nb);

	b->bytes += nlh->nlmsg_len;
	nftnl_batch_update(b->nb);
}

struct commit_ctx {
	struct nftb *b;
	uint32_t gen_seq;
	int err;		/* first error */
	uint32_t err_seq;
	char ext[128];		/* extack message of the first error */
	nftb_cb echo;
	void *arg;
	uint32_t genid;
	bool got_gen;
	bool done;
};

static void extack_msg(const struct nlmsghdr *nlh, char *out, size_t n)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	size_t off = sizeof(*err);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - sizeof(struct nlmsghdr);
	mnl_attr_for_each(a, nlh, off) {
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG)
			snprintf(out, n, "%s", mnl_attr_get_str(a));
	}
}

static int commit_msg(const struct nlmsghdr *nlh, struct commit_ctx *c)
{
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);
		if (err->error && !c->err) {
			c->err = -err->error;
			c->err_seq = nlh->nlmsg_seq;
			extack_msg(nlh, c->ext, sizeof(c->ext));
		}
		if (nlh->nlmsg_seq == c->gen_seq && err->error)
			c->done = true;
		return 0;
	}
	if (nlh->nlmsg_seq == c->gen_seq &&
	    (nlh->nlmsg_type & 0xff) == NFT_MSG_NEWGEN) {
		struct genid_ctx g = { 0, false };
		genid_cb(nlh, &g);
		c->genid = g.genid;
		c->got_gen = g.got;
		c->done = true;
		return 0;
	}
	if (c->echo && (nlh->nlmsg_type >> 8) == NFNL_SUBSYS_NFTABLES)
		c->echo(nlh, c->arg);
	return 0;
}

static int commit_recv(struct commit_ctx *c)
{
	static char buf[1 << 16];

	while (!c->done) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return -errno;
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		int len = (int)n;
		while (mnl_nlmsg_ok(nlh, len)) {
			commit_msg(nlh, c);
			nlh = mnl_nlmsg_next(nlh, &len);
		}
	}
	return 0;
}

static const char *err_text(int err)
{
	switch (err) {
	case ELOOP: return "jump would create a loop";
	case EMLINK: return "jumps nested too deep, or a loop of jumps";
	case ERANGE: return "too long for the kernel (a rule's comment and "
			    "metadata must fit in 256 bytes)";
	case EBUSY: return "object is in use";
	case EEXIST: return "already have such entry";
	case ENOTEMPTY: return "overlaps an entry of the list (overlapping "
			       "entries are not supported on Linux)";
	case ENOENT: return "no such object in the kernel";
	case EOPNOTSUPP: return "not supported by the kernel here (in this chain)";
	case EMSGSIZE: return "too large for the kernel";
	default: return strerror(err);
	}
}

static int commit_fail(struct nftb *b, struct commit_ctx *c, struct bk_err *e)
{
	size_t idx = c->err_seq - b->first_seq;
	const char *label = idx < b->nlabels ? b->labels[idx] : NULL;

	if (c->ext[0])
		return bk_fail(e, "%s%s%s (%s)", label ? label : "",
			       label ? ": " : "", err_text(c->err), c->ext);
	return bk_fail(e, "%s%s%s", label ? label : "", label ? ": " : "",
		       err_text(c->err));
}

int nftb_commit(struct nftb *b, nftb_cb echo_cb, void *arg,
		uint32_t *new_genid, struct bk_err *e)
{
	char gbuf[8192];
	struct commit_ctx c = { .b = b, .echo = echo_cb, .arg = arg };

	if (sock_open(e) < 0)
		return -1;
	nftnl_batch_end(nftnl_batch_buffer(b->nb), b->seq++);
	nftnl_batch_update(b->nb);
	grow_buf(SO_SNDBUFFORCE, &nl_sndbuf, b->bytes + 65536);
	grow_buf(SO_RCVBUFFORCE, &nl_rcvbuf,
		 echo_cb ? b->bytes * 2 + 262144 : 262144);

	int iovlen = nftnl_batch_iovec_len(b->nb);
	struct iovec *iov = xcalloc((size_t)iovlen, sizeof(*iov));
	nftnl_batch_iovec(b->nb, iov, (uint32_t)iovlen);
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct msghdr msg = {
		.msg_name = &sa, .msg_namelen = sizeof(sa),
		.msg_iov = iov, .msg_iovlen = (size_t)iovlen,
	};
	ssize_t sent = sendmsg(mnl_socket_get_fd(nl), &msg, 0);
	free(iov);
	if (sent < 0)
		return bk_fail(e, "netlink send: %s", strerror(errno));

	c.gen_seq = ++nl_seq;
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(gbuf, NFT_MSG_GETGEN,
						     AF_UNSPEC, 0, c.gen_seq);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return bk_fail(e, "netlink send: %s", strerror(errno));
	int rc = commit_recv(&c);
	if (rc < 0) {
		nftb_close();	/* replies lost: start over with a new socket */
		return bk_fail(e, "netlink receive: %s", strerror(-rc));
	}
	if (c.err == ERESTART || c.err == EINTR)
		return 1;
	if (c.err)
		return commit_fail(b, &c, e);
	if (new_genid)
		*new_genid = c.got_gen ? c.genid : 0;
	return 0;
}
