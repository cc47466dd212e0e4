/*
 * Fill the current network namespace's conntrack table with N synthetic
 * entries through ctnetlink (IPCTNL_MSG_CT_NEW), hundreds per sendmsg.
 * Entries made this way stay until their timeout even without rules.
 *
 * The mix, by i % 100:
 *   0..59  tcp established (seen-reply, assured), 20% with mark 1..3
 *         (rosh shows unnamed marks in hex: connection-mark=0x2)
 *  60..69  tcp syn-sent (unreplied)
 *  70..74  tcp time-wait
 *  75..89  udp, half of them replied
 *  90..94  icmp echo
 *  95..99  tcp established, reply to 203.0.113.1 (a source-NAT'ed flow)
 * Every 50th entry comes from 10.0.0.50 (the address the benchmark
 * filters on); the others from 10.16.0.0/12.
 *
 * usage: ct_fill N [timeout-seconds]    (run inside `ip netns exec NS`)
 * build: cc -O2 -o ct_fill ct_fill.c -lmnl
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <netinet/in.h>

#define BATCH 32768

struct flow {
	uint32_t src, dst, rsrc, rdst;	/* host order */
	uint16_t sport, dport, rsport, rdport;
	uint8_t proto, tcp_state;
	uint32_t status, mark;
};

static void make_flow(uint32_t i, struct flow *f)
{
	uint32_t kind = i % 100;

	memset(f, 0, sizeof(*f));
	f->src = i % 50 == 0 ? 0x0a000032 : 0x0a100000 + i;	/* 10.0.0.50 */
	f->dst = 0xc6336400 + (i % 200);			/* 198.51.100.x */
	f->sport = (uint16_t)(1024 + (i / 50) % 60000);
	f->dport = kind < 60 ? 443 : 80;
	f->proto = IPPROTO_TCP;
	f->status = IPS_CONFIRMED;
	if (kind < 60 || kind >= 95) {
		f->tcp_state = TCP_CONNTRACK_ESTABLISHED;
		f->status |= IPS_SEEN_REPLY | IPS_ASSURED;
		if (kind % 5 == 0)
			f->mark = 1 + kind % 3;
	} else if (kind < 70) {
		f->tcp_state = TCP_CONNTRACK_SYN_SENT;
	} else if (kind < 75) {
		f->tcp_state = TCP_CONNTRACK_TIME_WAIT;
		f->status |= IPS_SEEN_REPLY | IPS_ASSURED;
	} else if (kind < 90) {
		f->proto = IPPROTO_UDP;
		f->dport = 53;
		if (kind % 2)
			f->status |= IPS_SEEN_REPLY;
	} else {
		f->proto = IPPROTO_ICMP;
		f->sport = (uint16_t)i;		/* echo id */
	}
	f->rsrc = f->dst, f->rdst = f->src;
	f->rsport = f->dport, f->rdport = f->sport;
	if (kind >= 95) {			/* replies go to the NAT address */
		f->rdst = 0xcb007101;		/* 203.0.113.1 */
		f->rdport = (uint16_t)(1024 + (i / 200) % 64000);
	}
}

static void put_tuple(struct nlmsghdr *nlh, uint16_t type, uint32_t s,
		      uint32_t d, uint16_t sp, uint16_t dp, uint8_t proto,
		      bool reply)
{
	struct nlattr *t = mnl_attr_nest_start(nlh, type), *n;

	n = mnl_attr_nest_start(nlh, CTA_TUPLE_IP);
	mnl_attr_put_u32(nlh, CTA_IP_V4_SRC, htonl(s));
	mnl_attr_put_u32(nlh, CTA_IP_V4_DST, htonl(d));
	mnl_attr_nest_end(nlh, n);
	n = mnl_attr_nest_start(nlh, CTA_TUPLE_PROTO);
	mnl_attr_put_u8(nlh, CTA_PROTO_NUM, proto);
	if (proto == IPPROTO_ICMP) {
		mnl_attr_put_u16(nlh, CTA_PROTO_ICMP_ID, htons(sp));
		mnl_attr_put_u8(nlh, CTA_PROTO_ICMP_TYPE, reply ? 0 : 8);
		mnl_attr_put_u8(nlh, CTA_PROTO_ICMP_CODE, 0);
	} else {
		mnl_attr_put_u16(nlh, CTA_PROTO_SRC_PORT, htons(sp));
		mnl_attr_put_u16(nlh, CTA_PROTO_DST_PORT, htons(dp));
	}
	mnl_attr_nest_end(nlh, n);
	mnl_attr_nest_end(nlh, t);
}

static size_t put_flow(char *buf, const struct flow *f, uint32_t seq,
		       uint32_t timeout)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL;
	nlh->nlmsg_seq = seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_INET;
	put_tuple(nlh, CTA_TUPLE_ORIG, f->src, f->dst, f->sport, f->dport,
		  f->proto, false);
	put_tuple(nlh, CTA_TUPLE_REPLY, f->rsrc, f->rdst, f->rsport,
		  f->rdport, f->proto, true);
	mnl_attr_put_u32(nlh, CTA_TIMEOUT, htonl(timeout));
	if (f->status)
		mnl_attr_put_u32(nlh, CTA_STATUS, htonl(f->status));
	if (f->mark)
		mnl_attr_put_u32(nlh, CTA_MARK, htonl(f->mark));
	if (f->proto == IPPROTO_TCP) {
		struct nlattr *pi = mnl_attr_nest_start(nlh, CTA_PROTOINFO);
		struct nlattr *tcp = mnl_attr_nest_start(nlh, CTA_PROTOINFO_TCP);
		mnl_attr_put_u8(nlh, CTA_PROTOINFO_TCP_STATE, f->tcp_state);
		mnl_attr_nest_end(nlh, tcp);
		mnl_attr_nest_end(nlh, pi);
	}
	return NLMSG_ALIGN(nlh->nlmsg_len);
}

/* Only failures answer (no ACK requested). */
static unsigned long drain(struct mnl_socket *sk, int *first_err)
{
	char buf[8192] __attribute__((aligned(8)));
	unsigned long errs = 0;
	ssize_t n;

	while ((n = recv(mnl_socket_get_fd(sk), buf, sizeof(buf),
			 MSG_DONTWAIT)) > 0) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		int len = (int)n;

		for (; mnl_nlmsg_ok(nlh, len); nlh = mnl_nlmsg_next(nlh, &len)) {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
			if (nlh->nlmsg_type == NLMSG_ERROR && e->error) {
				errs++;
				if (!*first_err)
					*first_err = -e->error;
			}
		}
	}
	return errs;
}

int main(int argc, char **argv)
{
	static char buf[BATCH + 1024] __attribute__((aligned(8)));
	uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 1000;
	uint32_t timeout = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10)
				    : 3600;
	struct mnl_socket *sk = mnl_socket_open(NETLINK_NETFILTER);
	unsigned long errs = 0;
	int first_err = 0, big = 8 << 20, one = 1;
	size_t len = 0;
	struct flow f;

	if (!sk || mnl_socket_bind(sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("netlink");
		return 1;
	}
	mnl_socket_setsockopt(sk, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(sk), SOL_SOCKET, SO_RCVBUFFORCE, &big,
		   sizeof(big));
	for (uint32_t i = 0; i < n; i++) {
		make_flow(i, &f);
		len += put_flow(buf + len, &f, i + 1, timeout + i % 600);
		if (len >= BATCH || i + 1 == n) {
			if (mnl_socket_sendto(sk, buf, len) < 0) {
				perror("sendto");
				return 1;
			}
			len = 0;
			errs += drain(sk, &first_err);
		}
	}
	if (errs)
		fprintf(stderr, "ct_fill: %lu of %u failed (first: %s)\n",
			errs, n, strerror(first_err));
	mnl_socket_close(sk);
	return errs ? 1 : 0;
}
