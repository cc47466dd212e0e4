/* The IPv4 neighbour (ARP) table's limits over rtnetlink: what
 * /ip settings max-neighbor-entries shows where /proc/sys has no
 * neigh/default (inside a network namespace). */
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "neigh.h"

static int ntbl_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *a, *name = NULL, *val = NULL;

	mnl_attr_for_each(a, nlh, sizeof(struct ndtmsg)) {
		if (mnl_attr_get_type(a) == NDTA_NAME)
			name = a;
		else if (mnl_attr_get_type(a) == NDTA_THRESH3)
			val = a;
	}
	if (name && val && mnl_attr_validate(name, MNL_TYPE_NUL_STRING) == 0 &&
	    mnl_attr_validate(val, MNL_TYPE_U32) == 0 &&
	    !strcmp(mnl_attr_get_str(name), "arp_cache"))
		*(long *)data = mnl_attr_get_u32(val);
	return MNL_CB_OK;
}

/* RTM_GETNEIGHTBL reports the (global) table's gc_thresh3 in any
 * namespace, as `ip ntable show` does. */
bool ntbl_thresh3(long *v)
{
	static char buf[32768];
	struct mnl_socket *sk = mnl_socket_open(NETLINK_ROUTE);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ndtmsg *ndt;
	int n;

	*v = -1;
	if (!sk)
		return false;
	nlh->nlmsg_type = RTM_GETNEIGHTBL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = 1;
	ndt = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndt));
	ndt->ndtm_family = AF_INET;
	if (mnl_socket_bind(sk, 0, MNL_SOCKET_AUTOPID) == 0 &&
	    mnl_socket_sendto(sk, nlh, nlh->nlmsg_len) >= 0)
		while ((n = (int)mnl_socket_recvfrom(sk, buf, sizeof(buf))) > 0 &&
		       mnl_cb_run(buf, (size_t)n, 1, mnl_socket_get_portid(sk),
				  ntbl_cb, v) > 0)
			;
	mnl_socket_close(sk);
	return *v >= 0;
}
