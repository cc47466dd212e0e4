/*
 * ctnetlink with libmnl. libnetfilter_conntrack is not used on the hot path:
 * it copies every entry into a malloc'ed nf_conntrack and parses every
 * attribute, and its dump filter cannot carry CTA_FILTER. Here a dump
 * message is parsed one level deep (a pointer per top-level attribute);
 * nested parts are decoded only when a property needs them.
 */
#include "ct_nl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_conntrack_common.h>

/* The kernel fills dump messages up to 32 KiB; twice that never truncates. */
#define CT_BUF_SIZE 65536
/* Requests and error reports; MNL_SOCKET_BUFFER_SIZE is not a constant. */
#define CT_REQ_SIZE 8192
/* Deletes per sendmsg: a batch of about 180 messages. */
#define CT_DEL_BATCH 16384

static struct mnl_socket *dump_sk, *del_sk;
static uint32_t seq_next;
static char del_buf[CT_DEL_BATCH + CT_REQ_SIZE] __attribute__((aligned(8)));
static size_t del_len;
static uint64_t del_sent, del_vanished;
static unsigned del_failed;	/* failed deletes other than ENOENT */
static int del_err;		/* the first one's errno */

struct mnl_socket *ct_nl_open(struct bk_err *e)
{
	struct mnl_socket *sk = mnl_socket_open2(NETLINK_NETFILTER,
						 SOCK_CLOEXEC);

	if (!sk) {
		bk_fail(e, "cannot open netlink socket: %s",
			strerror(errno));
		return NULL;
	}
	if (mnl_socket_bind(sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		bk_fail(e, "cannot bind netlink socket: %s",
			strerror(errno));
		mnl_socket_close(sk);
		return NULL;
	}
	return sk;
}

static void ct_close(struct mnl_socket **sk)
{
	if (*sk)
		mnl_socket_close(*sk);
	*sk = NULL;
}

void ct_nl_close(void)
{
	ct_close(&dump_sk);
	ct_close(&del_sk);
}

static struct nlmsghdr *ct_msg(char *buf, uint16_t type, uint16_t flags,
			       uint8_t family)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++seq_next;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
	return nlh;
}

/* ---- request building ---- */

static void put_tuple(struct nlmsghdr *nlh, uint16_t type, uint8_t family,
		      const struct ct_tuple *t, uint32_t flags)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);
	size_t alen = family == AF_INET6 ? 16 : 4;

	if (flags & (CT_FF_IP_SRC | CT_FF_IP_DST)) {
		struct nlattr *ip = mnl_attr_nest_start(nlh, CTA_TUPLE_IP);
		bool v6 = family == AF_INET6;

		if (flags & CT_FF_IP_SRC)
			mnl_attr_put(nlh, v6 ? CTA_IP_V6_SRC : CTA_IP_V4_SRC,
				     alen, t->src);
		if (flags & CT_FF_IP_DST)
			mnl_attr_put(nlh, v6 ? CTA_IP_V6_DST : CTA_IP_V4_DST,
				     alen, t->dst);
		mnl_attr_nest_end(nlh, ip);
	}
	if (flags & CT_FF_PROTO_NUM) {
		struct nlattr *pr = mnl_attr_nest_start(nlh, CTA_TUPLE_PROTO);

		mnl_attr_put_u8(nlh, CTA_PROTO_NUM, t->proto);
		if (flags & CT_FF_PROTO_SRC_PORT)
			mnl_attr_put_u16(nlh, CTA_PROTO_SRC_PORT,
					 htons(t->sport));
		if (flags & CT_FF_PROTO_DST_PORT)
			mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT,
					 htons(t->dport));
		mnl_attr_nest_end(nlh, pr);
	}
	mnl_attr_nest_end(nlh, nest);
}

/*
 * The kernel applies CTA_MARK/MASK, CTA_STATUS/MASK and the family to every
 * dump; CTA_FILTER adds exact tuple fields (ctnetlink_filter_match). A zone
 * filter (CTA_ZONE) is only honoured for a non-default zone, so zone 0 is
 * never pushed.
 */
static void put_filter(struct nlmsghdr *nlh, const struct ct_filter *f)
{
	if (f->mark_mask) {
		mnl_attr_put_u32(nlh, CTA_MARK, htonl(f->mark));
		mnl_attr_put_u32(nlh, CTA_MARK_MASK, htonl(f->mark_mask));
	}
	if (f->status_mask) {
		mnl_attr_put_u32(nlh, CTA_STATUS, htonl(f->status));
		mnl_attr_put_u32(nlh, CTA_STATUS_MASK, htonl(f->status_mask));
	}
	if (f->zone)
		mnl_attr_put_u16(nlh, CTA_ZONE, htons(f->zone));
	if (!f->orig_flags && !f->reply_flags && !f->zone)
		return;
	if (f->orig_flags)
		put_tuple(nlh, CTA_TUPLE_ORIG, f->family, &f->orig,
			  f->orig_flags);
	if (f->reply_flags)
		put_tuple(nlh, CTA_TUPLE_REPLY, f->family, &f->reply,
			  f->reply_flags);
	struct nlattr *nest = mnl_attr_nest_start(nlh, CTA_FILTER);
	mnl_attr_put_u32(nlh, CTA_FILTER_ORIG_FLAGS, f->orig_flags);
	mnl_attr_put_u32(nlh, CTA_FILTER_REPLY_FLAGS, f->reply_flags);
	mnl_attr_nest_end(nlh, nest);
}

/* ---- entry decoding ---- */

static uint32_t get_be32(const struct nlattr *a)
{
	uint32_t v;

	if (!a || ct_attr_len(a) < 4)
		return 0;
	memcpy(&v, ct_attr_data(a), 4);
	return ntohl(v);
}

static uint16_t get_be16(const struct nlattr *a)
{
	uint16_t v;

	if (ct_attr_len(a) < 2)
		return 0;
	memcpy(&v, ct_attr_data(a), 2);
	return ntohs(v);
}

static uint8_t get_u8(const struct nlattr *a)
{
	return ct_attr_len(a) >= 1 ? *(const uint8_t *)ct_attr_data(a) : 0;
}

static void get_addr(const struct nlattr *a, uint8_t *to, int len)
{
	if (ct_attr_len(a) >= len)
		memcpy(to, ct_attr_data(a), (size_t)len);
}

static void decode_ip(const struct nlattr *nest, struct ct_tuple *t)
{
	const struct nlattr *a;
	int rem;

	ct_nested_for_each(a, nest, rem) {
		switch (ct_attr_type(a)) {
		case CTA_IP_V4_SRC: get_addr(a, t->src, 4); break;
		case CTA_IP_V4_DST: get_addr(a, t->dst, 4); break;
		case CTA_IP_V6_SRC: get_addr(a, t->src, 16); break;
		case CTA_IP_V6_DST: get_addr(a, t->dst, 16); break;
		}
	}
}

static void decode_proto(const struct nlattr *nest, struct ct_tuple *t)
{
	const struct nlattr *a;
	int rem;

	ct_nested_for_each(a, nest, rem) {
		switch (ct_attr_type(a)) {
		case CTA_PROTO_NUM: t->proto = get_u8(a); break;
		case CTA_PROTO_SRC_PORT:
			t->sport = get_be16(a);
			t->has_ports = true;
			break;
		case CTA_PROTO_DST_PORT: t->dport = get_be16(a); break;
		case CTA_PROTO_ICMP_ID: case CTA_PROTO_ICMPV6_ID:
			t->sport = get_be16(a);
			t->has_icmp = true;
			break;
		case CTA_PROTO_ICMP_TYPE: case CTA_PROTO_ICMPV6_TYPE:
			t->icmp_type = get_u8(a);
			t->has_icmp = true;
			break;
		case CTA_PROTO_ICMP_CODE: case CTA_PROTO_ICMPV6_CODE:
			t->icmp_code = get_u8(a);
			break;
		}
	}
}

static void decode_tuple(const struct nlattr *nest, struct ct_tuple *t)
{
	const struct nlattr *a;
	int rem;

	memset(t, 0, sizeof(*t));
	if (!nest)
		return;
	ct_nested_for_each(a, nest, rem) {
		if (ct_attr_type(a) == CTA_TUPLE_IP)
			decode_ip(a, t);
		else if (ct_attr_type(a) == CTA_TUPLE_PROTO)
			decode_proto(a, t);
	}
}

static void decode_tcp(struct ct_entry *ce)
{
	const struct nlattr *pi = ce->tb[CTA_PROTOINFO], *a, *b;
	int rem, rem2;

	if (!pi)
		return;
	ct_nested_for_each(a, pi, rem) {
		if (ct_attr_type(a) != CTA_PROTOINFO_TCP)
			continue;
		ct_nested_for_each(b, a, rem2) {
			if (ct_attr_type(b) == CTA_PROTOINFO_TCP_STATE) {
				ce->tcp_state = get_u8(b);
				ce->has_tcp = true;
			}
		}
	}
}

void ct_entry_decode(struct ct_entry *ce, unsigned need)
{
	need &= ~ce->decoded;
	if (need & CT_DEC_ORIG)
		decode_tuple(ce->tb[CTA_TUPLE_ORIG], &ce->orig);
	if (need & CT_DEC_REPLY)
		decode_tuple(ce->tb[CTA_TUPLE_REPLY], &ce->reply);
	if (need & CT_DEC_TCP)
		decode_tcp(ce);
	ce->decoded |= need;
}

/* One pointer per top-level attribute (a later duplicate wins). */
static void parse_top(const struct nlmsghdr *nlh, const struct nlattr **tb,
		      uint16_t max)
{
	const struct nlattr *a = (const struct nlattr *)
		((const char *)mnl_nlmsg_get_payload(nlh) +
		 NLMSG_ALIGN(sizeof(struct nfgenmsg)));
	int rem = (int)nlh->nlmsg_len - NLMSG_HDRLEN -
		  NLMSG_ALIGN(sizeof(struct nfgenmsg));

	for (; ct_attr_ok(a, rem); a = ct_attr_next(a, &rem))
		if (ct_attr_type(a) <= max)
			tb[ct_attr_type(a)] = a;
}

void ct_entry_init(struct ct_entry *ce, const struct nlmsghdr *nlh)
{
	const struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);

	memset(ce->tb, 0, sizeof(ce->tb));
	ce->nlh = nlh;
	ce->family = nfg->nfgen_family;
	ce->destroyed = (nlh->nlmsg_type & 0xff) == IPCTNL_MSG_CT_DELETE;
	ce->decoded = 0;
	ce->has_tcp = false;
	parse_top(nlh, ce->tb, CTA_MAX);
	ce->status = get_be32(ce->tb[CTA_STATUS]);
	ce->id = get_be32(ce->tb[CTA_ID]);
	ce->mark = get_be32(ce->tb[CTA_MARK]);
	ce->timeout = get_be32(ce->tb[CTA_TIMEOUT]);
	ce->zone = ce->tb[CTA_ZONE] ? get_be16(ce->tb[CTA_ZONE]) : 0;
}

/* ---- dump ---- */

struct dump_ctx {
	struct ct_entry ce;
	ct_entry_cb cb;
	void *arg;
	int rc;			/* the callback's last non-zero return */
};

static int dump_msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump_ctx *c = data;

	if ((nlh->nlmsg_type >> 8) != NFNL_SUBSYS_CTNETLINK)
		return MNL_CB_OK;
	ct_entry_init(&c->ce, nlh);
	c->rc = c->cb(&c->ce, c->arg);
	return c->rc ? MNL_CB_STOP : MNL_CB_OK;
}

static int dump_recv(struct dump_ctx *c, uint32_t seq, struct bk_err *e)
{
	static char buf[CT_BUF_SIZE] __attribute__((aligned(8)));
	uint32_t portid = mnl_socket_get_portid(dump_sk);

	for (;;) {
		ssize_t n = mnl_socket_recvfrom(dump_sk, buf, sizeof(buf));
		int rc;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return bk_fail(e, "conntrack dump: %s",
				       strerror(errno));
		rc = mnl_cb_run(buf, (size_t)n, seq, portid, dump_msg_cb, c);
		if (rc == MNL_CB_ERROR && !c->rc)
			return bk_fail(e, "conntrack dump: %s",
				       strerror(errno));
		if (rc <= MNL_CB_STOP)
			return 0;
	}
}

int ct_nl_dump(const struct ct_filter *f, ct_entry_cb cb, void *arg,
	       struct bk_err *e)
{
	char req[CT_REQ_SIZE] __attribute__((aligned(8)));
	struct dump_ctx *c;
	struct nlmsghdr *nlh;
	int rc;

	if (!dump_sk && !(dump_sk = ct_nl_open(e)))
		return -1;
	nlh = ct_msg(req, IPCTNL_MSG_CT_GET, NLM_F_DUMP, f->family);
	put_filter(nlh, f);
	if (mnl_socket_sendto(dump_sk, nlh, nlh->nlmsg_len) < 0)
		return bk_fail(e, "conntrack dump: %s",
			       strerror(errno));
	c = xcalloc(1, sizeof(*c));
	c->cb = cb;
	c->arg = arg;
	rc = dump_recv(c, nlh->nlmsg_seq, e);
	/* Stopped early (or failed): the rest of the dump is still queued
	 * on the socket; a fresh socket is cheaper than draining it. */
	if (rc < 0 || c->rc)
		ct_close(&dump_sk);
	if (rc == 0)
		rc = c->rc < 0 ? c->rc : 0;
	free(c);
	return rc;
}

/* ---- delete ---- */

/*
 * Failed deletes answer with an error each; with NETLINK_CAP_ACK they do
 * not echo the request, and a large receive buffer holds a whole batch's
 * worth of them (a batch is processed inside sendmsg).
 */
static struct mnl_socket *del_open(struct bk_err *e)
{
	struct mnl_socket *sk = ct_nl_open(e);
	int one = 1, big = 4 << 20;

	if (!sk)
		return NULL;
	mnl_socket_setsockopt(sk, NETLINK_CAP_ACK, &one, sizeof(one));
	if (setsockopt(mnl_socket_get_fd(sk), SOL_SOCKET, SO_RCVBUFFORCE,
		       &big, sizeof(big)) < 0)
		setsockopt(mnl_socket_get_fd(sk), SOL_SOCKET, SO_RCVBUF,
			   &big, sizeof(big));
	return sk;
}

/*
 * Read the error reports of queued deletes (no ACKs are requested, so only
 * failures answer). With `until` set, block until the reply to that
 * sequence number arrived: everything sent before it was answered too.
 */
static void del_drain(uint32_t until)
{
	char buf[CT_REQ_SIZE] __attribute__((aligned(8)));
	int flags = until ? 0 : MSG_DONTWAIT;
	ssize_t n;

	while ((n = recv(mnl_socket_get_fd(del_sk), buf, sizeof(buf),
			 flags)) > 0 || (n < 0 && errno == EINTR)) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		int len = (int)n;

		for (; n > 0 && mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			const struct nlmsgerr *err;

			if (nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			err = mnl_nlmsg_get_payload(nlh);
			if (until && nlh->nlmsg_seq == until)
				return;
			if (err->error == -ENOENT)
				del_vanished++;
			else if (err->error && !del_failed++)
				del_err = -err->error;
		}
	}
}

static int del_send(struct bk_err *e)
{
	if (!del_len)
		return 0;
	if (mnl_socket_sendto(del_sk, del_buf, del_len) < 0)
		return bk_fail(e, "conntrack delete: %s",
			       strerror(errno));
	del_len = 0;
	del_drain(0);
	return 0;
}

int ct_nl_del_queue(const struct ct_entry *ce, struct bk_err *e)
{
	const struct nlattr *t = ce->tb[CTA_TUPLE_ORIG];
	struct nlmsghdr *nlh;

	/* Never send a delete without a tuple: the kernel reads that as a
	 * flush of the whole table. */
	if (!t)
		return 0;
	if (!del_sk) {
		if (!(del_sk = del_open(e)))
			return -1;
		del_sent = del_vanished = 0;
		del_failed = 0;
		del_err = 0;
	}
	if (del_len > CT_DEL_BATCH && del_send(e) < 0)
		return -1;
	nlh = ct_msg(del_buf + del_len, IPCTNL_MSG_CT_DELETE, 0, ce->family);
	mnl_attr_put(nlh, CTA_TUPLE_ORIG | NLA_F_NESTED,
		     (size_t)ct_attr_len(t), ct_attr_data(t));
	if (ce->tb[CTA_ZONE])
		mnl_attr_put_u16(nlh, CTA_ZONE, htons(ce->zone));
	if (ce->tb[CTA_ID])
		mnl_attr_put_u32(nlh, CTA_ID, htonl(ce->id));
	del_len += NLMSG_ALIGN(nlh->nlmsg_len);
	del_sent++;
	return 0;
}

/*
 * Errors come back only for failed deletes. After the last batch, a
 * request with an ACK marks the end: everything before it was answered.
 */
int ct_nl_del_flush(uint64_t *removed, struct bk_err *e)
{
	char buf[CT_REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	int rc = 0;

	*removed = 0;
	if (!del_sk)
		return 0;
	if (del_send(e) < 0) {
		rc = -1;
		goto out;
	}
	nlh = ct_msg(buf, IPCTNL_MSG_CT_GET_STATS, NLM_F_ACK, AF_UNSPEC);
	if (mnl_socket_sendto(del_sk, nlh, nlh->nlmsg_len) < 0) {
		rc = bk_fail(e, "conntrack delete: %s",
			     strerror(errno));
		goto out;
	}
	del_drain(nlh->nlmsg_seq);
	*removed = del_sent - del_vanished - del_failed;
	if (del_failed)
		rc = bk_fail(e, "conntrack delete: %s",
			     strerror(del_err));
out:
	ct_close(&del_sk);
	return rc;
}

/* ---- count ---- */

static int stats_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTA_STATS_GLOBAL_MAX + 1] = { 0 };

	parse_top(nlh, tb, CTA_STATS_GLOBAL_MAX);
	if (tb[CTA_STATS_GLOBAL_ENTRIES])
		*(uint64_t *)data = get_be32(tb[CTA_STATS_GLOBAL_ENTRIES]);
	return MNL_CB_OK;
}

/*
 * IPCTNL_MSG_CT_GET_STATS answers nf_conntrack_count(net): the entries of
 * this network namespace only (nf_conntrack_max, also in the answer, is
 * global). One small request, no table walk.
 */
int ct_nl_count(uint64_t *n, struct bk_err *e)
{
	char buf[CT_REQ_SIZE] __attribute__((aligned(8)));
	struct nlmsghdr *nlh;
	ssize_t len;
	uint32_t seq;

	if (!dump_sk && !(dump_sk = ct_nl_open(e)))
		return -1;
	*n = 0;
	nlh = ct_msg(buf, IPCTNL_MSG_CT_GET_STATS, NLM_F_ACK, AF_UNSPEC);
	seq = nlh->nlmsg_seq;
	if (mnl_socket_sendto(dump_sk, nlh, nlh->nlmsg_len) < 0)
		goto fail;
	do {
		len = mnl_socket_recvfrom(dump_sk, buf, sizeof(buf));
		if (len < 0)
			goto fail;
		len = mnl_cb_run(buf, (size_t)len, seq,
				 mnl_socket_get_portid(dump_sk), stats_cb, n);
	} while (len > MNL_CB_STOP);
	if (len < 0)
		goto fail;
	return 0;
fail:
	ct_close(&dump_sk);
	return bk_fail(e, "conntrack count: %s", strerror(errno));
}
