/*
 * print follow / follow-only: conntrack's NEW and DESTROY event groups.
 * A destroyed entry arrives with IPS_DYING set, so it shows the D flag.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netfilter/nfnetlink.h>

#include "ct_nl.h"

/* Event messages are single entries; a burst is read 64 KiB at a time. */
#define CT_EVENT_BUF 65536

struct follow_ctx {
	struct ct_entry ce;
	uint8_t family;
	ct_entry_cb cb;
	void *arg;
	int rc;
};

static int event_cb(const struct nlmsghdr *nlh, void *data)
{
	struct follow_ctx *c = data;
	const struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);

	if ((nlh->nlmsg_type >> 8) != NFNL_SUBSYS_CTNETLINK ||
	    (c->family && nfg->nfgen_family != c->family))
		return MNL_CB_OK;
	ct_entry_init(&c->ce, nlh);
	c->rc = c->cb(&c->ce, c->arg);
	return c->rc ? MNL_CB_STOP : MNL_CB_OK;
}

static struct mnl_socket *event_open(struct bk_err *e)
{
	static const int groups[] = {
		NFNLGRP_CONNTRACK_NEW, NFNLGRP_CONNTRACK_DESTROY
	};
	struct mnl_socket *sk = ct_nl_open(e);
	int big = 4 << 20;

	if (!sk)
		return NULL;
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		if (mnl_socket_setsockopt(sk, NETLINK_ADD_MEMBERSHIP,
					  (void *)&groups[i], sizeof(int)) < 0) {
			bk_fail(e, "conntrack events: %s",
				strerror(errno));
			mnl_socket_close(sk);
			return NULL;
		}
	}
	/* Bursts of events must not overflow (root may exceed rmem_max). */
	if (setsockopt(mnl_socket_get_fd(sk), SOL_SOCKET, SO_RCVBUFFORCE,
		       &big, sizeof(big)) < 0)
		setsockopt(mnl_socket_get_fd(sk), SOL_SOCKET, SO_RCVBUF,
			   &big, sizeof(big));
	return sk;
}

/*
 * Events come only for entries that carry the event extension: with
 * net.netfilter.nf_conntrack_events=2 (the default) that is entries created
 * while someone listened. Lost events (ENOBUFS) are skipped, not fatal: a
 * live view goes on.
 */
int ct_nl_follow(uint8_t family, ct_entry_cb cb, void *arg,
		 volatile int *stop, struct bk_err *e)
{
	static char buf[CT_EVENT_BUF] __attribute__((aligned(8)));
	struct mnl_socket *sk = event_open(e);
	struct follow_ctx *c;
	int rc = 0;

	if (!sk)
		return -1;
	c = xcalloc(1, sizeof(*c));
	c->family = family;
	c->cb = cb;
	c->arg = arg;
	while (!*stop && !c->rc) {
		struct pollfd pfd = { mnl_socket_get_fd(sk), POLLIN, 0 };
		ssize_t n;

		if (poll(&pfd, 1, 200) <= 0)
			continue;
		n = recv(pfd.fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN ||
			      errno == ENOBUFS))
			continue;
		if (n < 0) {
			rc = bk_fail(e, "conntrack events: %s",
				     strerror(errno));
			break;
		}
		mnl_cb_run(buf, (size_t)n, 0, 0, event_cb, c);
	}
	if (c->rc < 0)
		rc = c->rc;
	free(c);
	mnl_socket_close(sk);
	return rc;
}
