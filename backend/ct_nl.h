/*
 * The conntrack table over raw ctnetlink (libmnl): filtered dumps, deletes,
 * the entry count and the event groups. Entries are never copied: a dump
 * hands out the kernel's message, and its attributes are decoded only when
 * a property is asked for (ct_item.c).
 */
#ifndef ROSH_CT_NL_H
#define ROSH_CT_NL_H
#include <stdbool.h>
#include <stdint.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink_conntrack.h>

#include "backend.h"

/*
 * CTA_FILTER_ORIG_FLAGS / CTA_FILTER_REPLY_FLAGS bits. The kernel defines
 * them in nf_conntrack_netlink.c, not in the uapi headers: one bit per
 * tuple attribute (CTA_FILTER_FLAG(CTA_IP_SRC) == 1 << 0, ...).
 */
enum {
	CT_FF_IP_SRC = 1u << 0,
	CT_FF_IP_DST = 1u << 1,
	CT_FF_TUPLE_ZONE = 1u << 2,
	CT_FF_PROTO_NUM = 1u << 3,
	CT_FF_PROTO_SRC_PORT = 1u << 4,
	CT_FF_PROTO_DST_PORT = 1u << 5,
};

/* One direction of a connection (a conntrack tuple), host byte order. */
struct ct_tuple {
	uint8_t src[16], dst[16];	/* IPv4 uses the first 4 bytes */
	uint16_t sport, dport;		/* ports, or ICMP id in sport */
	uint8_t proto;
	uint8_t icmp_type, icmp_code;
	bool has_ports, has_icmp;
};

/* What the kernel filters in a dump request (built from where hints). */
struct ct_filter {
	uint8_t family;			/* AF_INET / AF_INET6 */
	uint32_t status, status_mask;	/* IPS_* bits that must be (un)set */
	uint32_t mark, mark_mask;
	uint16_t zone;			/* 0: no zone filter (see ct_nl.c) */
	uint32_t orig_flags, reply_flags;	/* CT_FF_* */
	struct ct_tuple orig, reply;
};

/* A dumped (or event) entry: the raw message and its decoded pieces. */
struct ct_entry {
	const struct nlmsghdr *nlh;
	uint8_t family;
	bool destroyed;			/* an IPCTNL_MSG_CT_DELETE event */
	const struct nlattr *tb[CTA_MAX + 1];
	unsigned decoded;		/* CT_DEC_* parts already decoded */
	struct ct_tuple orig, reply;
	uint32_t status, id, mark, timeout;
	uint16_t zone;
	uint8_t tcp_state;		/* TCP_CONNTRACK_* when has_tcp */
	bool has_tcp;
};

enum { CT_DEC_ORIG = 1u << 0, CT_DEC_REPLY = 1u << 1, CT_DEC_TCP = 1u << 2 };

/*
 * Attribute access, inline: libmnl's accessors are out-of-line calls and a
 * dump runs them a dozen times per entry. Same checks as mnl_attr_ok().
 */
static inline uint16_t ct_attr_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}

static inline int ct_attr_len(const struct nlattr *a)
{
	return (int)a->nla_len - NLA_HDRLEN;
}

static inline const void *ct_attr_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

static inline bool ct_attr_ok(const struct nlattr *a, int rem)
{
	return rem >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) &&
	       (int)a->nla_len <= rem;
}

static inline const struct nlattr *ct_attr_next(const struct nlattr *a,
						int *rem)
{
	*rem -= NLA_ALIGN(a->nla_len);
	return (const struct nlattr *)((const char *)a + NLA_ALIGN(a->nla_len));
}

/* for each attribute nested in `nest`; rem is an int the loop uses */
#define ct_nested_for_each(a, nest, rem)				\
	for ((rem) = ct_attr_len(nest), (a) = ct_attr_data(nest);	\
	     ct_attr_ok((a), (rem)); (a) = ct_attr_next((a), &(rem)))

/* Called per entry; same return convention as bk_item_cb. */
typedef int (*ct_entry_cb)(struct ct_entry *ce, void *arg);

/* Stream the table (filtered by f) through cb. */
int ct_nl_dump(const struct ct_filter *f, ct_entry_cb cb, void *arg,
	       struct bk_err *e);

/*
 * Queue a delete of ce (by original tuple, zone and id, so a reused tuple
 * is never hit). Deletes go out in batches on a second socket while a dump
 * runs on the first; ct_nl_del_flush sends the rest and collects errors.
 * An entry that vanished meanwhile (ENOENT) is not an error.
 */
int ct_nl_del_queue(const struct ct_entry *ce, struct bk_err *e);
int ct_nl_del_flush(uint64_t *removed, struct bk_err *e);

/* Entries of the current network namespace (all families). */
int ct_nl_count(uint64_t *n, struct bk_err *e);

/* Listen to NEW and DESTROY events of `family` until *stop or cb != 0. */
int ct_nl_follow(uint8_t family, ct_entry_cb cb, void *arg,
		 volatile int *stop, struct bk_err *e);

/* Decode the parts of ce that `need` (CT_DEC_*) lacks. */
void ct_entry_decode(struct ct_entry *ce, unsigned need);

void ct_nl_close(void);

/* Shared by the ct_*.c files only. */
struct mnl_socket *ct_nl_open(struct bk_err *e);
/* Fill ce from a ctnetlink message: top-level attributes and scalars. */
void ct_entry_init(struct ct_entry *ce, const struct nlmsghdr *nlh);

#endif
