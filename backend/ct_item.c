/*
 * Lazy formatting of conntrack entries into the canonical texts of
 * /ip firewall connection (grammar/menu_connection.c).
 */
#include "ct_item.h"

#include <endian.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>

#include "../grammar/types.h"
#include "nft_sets.h"

/* RouterOS protocol names (reference §5.3); other numbers print as digits. */
static const char *const proto_names[256] = {
	[1] = "icmp", [2] = "igmp", [3] = "ggp", [4] = "ipencap", [5] = "st",
	[6] = "tcp", [8] = "egp", [12] = "pup", [17] = "udp", [20] = "hmp",
	[22] = "xns-idp", [27] = "rdp", [29] = "iso-tp4", [33] = "dccp",
	[36] = "xtp", [37] = "ddp", [38] = "idpr-cmtp", [41] = "ipv6-encap",
	[43] = "ipv6-route", [44] = "ipv6-frag", [46] = "rsvp", [47] = "gre",
	[50] = "ipsec-esp", [51] = "ipsec-ah", [58] = "icmpv6",
	[59] = "ipv6-nonxt", [60] = "ipv6-opts", [73] = "rspf", [81] = "vmtp",
	[89] = "ospf", [94] = "ipip", [97] = "etherip", [98] = "encap",
	[103] = "pim", [112] = "vrrp", [115] = "l2tp", [132] = "sctp",
	[136] = "udp-lite",
};

/* Kernel TCP_CONNTRACK_* order; 9 is SYN_SENT2 (simultaneous open), which
 * the kernel still calls LISTEN in its enum and RouterOS shows as listen. */
static const char *const tcp_state_names[] = {
	"none", "syn-sent", "syn-received", "established", "fin-wait",
	"close-wait", "last-ack", "time-wait", "close", "listen",
};

/* Status bit of each flag property. */
static const uint32_t flag_bits[CTP__COUNT] = {
	[CTP_EXPECTED] = IPS_EXPECTED, [CTP_SEEN_REPLY] = IPS_SEEN_REPLY,
	[CTP_ASSURED] = IPS_ASSURED, [CTP_CONFIRMED] = IPS_CONFIRMED,
	[CTP_DYING] = IPS_DYING, [CTP_FASTTRACK] = IPS_OFFLOAD,
	[CTP_HW_OFFLOAD] = IPS_HW_OFFLOAD, [CTP_SRCNAT] = IPS_SRC_NAT,
	[CTP_DSTNAT] = IPS_DST_NAT,
};

int ct_proto_parse(const char *s)
{
	char *end;
	unsigned long n;

	for (int i = 0; i < 256; i++)
		if (proto_names[i] && strcmp(proto_names[i], s) == 0)
			return i;
	if (*s < '0' || *s > '9')
		return -1;
	n = strtoul(s, &end, 10);
	return *end || n > 255 ? -1 : (int)n;
}

bool ct_proto_has_ports(uint8_t proto)
{
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP ||
	       proto == IPPROTO_UDPLITE || proto == IPPROTO_SCTP ||
	       proto == IPPROTO_DCCP;
}

/* ---- small formatters (no stdio on the hot path) ---- */

static char *put_u(char *p, uint64_t v)
{
	char tmp[24];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	while (n)
		*p++ = tmp[--n];
	*p = 0;
	return p;
}

static char *put_addr(char *p, uint8_t family, const uint8_t *a)
{
	if (family == AF_INET6) {
		inet_ntop(AF_INET6, a, p, INET6_ADDRSTRLEN);
		return p + strlen(p);
	}
	for (int i = 0; i < 4; i++) {
		p = put_u(p, a[i]);
		if (i < 3)
			*p++ = '.';
	}
	*p = 0;
	return p;
}

/* ip, ip:port, [ip6]:port, as RouterOS prints connection addresses. */
static const char *fmt_addr(struct ct_item *ci, char *buf,
			    const struct ct_tuple *t, bool src)
{
	struct ct_entry *ce = ci->ce;
	bool ports = ct_proto_has_ports(t->proto);
	bool br = ports && ce->family == AF_INET6;
	char *p = buf;

	if (br)
		*p++ = '[';
	p = put_addr(p, ce->family, src ? t->src : t->dst);
	if (br)
		*p++ = ']';
	if (ports) {
		*p++ = ':';
		put_u(p, src ? t->sport : t->dport);
	}
	return buf;
}

static const struct ct_tuple *tuple(struct ct_item *ci, bool reply)
{
	ct_entry_decode(ci->ce, reply ? CT_DEC_REPLY : CT_DEC_ORIG);
	return reply ? &ci->ce->reply : &ci->ce->orig;
}

static const char *fmt_port(char *buf, const struct ct_tuple *t, bool src)
{
	if (!ct_proto_has_ports(t->proto))
		return NULL;
	put_u(buf, src ? t->sport : t->dport);
	return buf;
}

static bool label_bit(const struct ct_entry *ce, int bit)
{
	const struct nlattr *a = ce->tb[CTA_LABELS];
	const unsigned long *w;
	size_t bpw = 8 * sizeof(*w);

	if (bit < 0 || !a || ct_attr_len(a) * 8 <= bit)
		return false;
	w = ct_attr_data(a);
	return (w[bit / bpw] >> (bit % bpw)) & 1;
}

static const char *fmt_flag(struct ct_item *ci, unsigned prop)
{
	uint32_t st = ci->ce->status;

	if (prop == CTP_FASTTRACK && label_bit(ci->ce, CT_FASTTRACK_LABEL))
		return "yes";
	/* a destroy event: the kernel sets IPS_DYING first, but be sure */
	if (prop == CTP_DYING && ci->ce->destroyed)
		return "yes";
	return st & flag_bits[prop] ? "yes" : NULL;
}

/*
 * What a firewall rule sees for the next packet of the original direction
 * (the kernel's resolve_normal_ct): established once a reply was seen,
 * related for a connection a helper expected, new otherwise. Untracked
 * packets never get an entry and invalid ones are not in the table, so
 * those two states never show here.
 */
static const char *fmt_conn_state(const struct ct_entry *ce)
{
	if (ce->status & IPS_SEEN_REPLY)
		return "established";
	return ce->status & IPS_EXPECTED ? "related" : "new";
}

static const char *fmt_tcp_state(struct ct_item *ci)
{
	int st = ct_tcp_state(ci);

	if (st >= 0 && st < (int)(sizeof(tcp_state_names) / sizeof(char *)))
		return tcp_state_names[st];
	return NULL;
}

static const char *fmt_helper(struct ct_item *ci, char *buf)
{
	const struct nlattr *help = ci->ce->tb[CTA_HELP], *a;
	int rem;

	if (!help)
		return NULL;
	ct_nested_for_each(a, help, rem) {
		if (ct_attr_type(a) != CTA_HELP_NAME)
			continue;
		snprintf(buf, CT_VAL_MAX, "%.*s", ct_attr_len(a),
			 (const char *)ct_attr_data(a));
		return *buf ? buf : NULL;
	}
	return NULL;
}

/* Counters exist only when accounting (nf_conntrack_acct) was on when the
 * entry was created. */
static const char *fmt_counter(struct ct_item *ci, char *buf, bool reply,
			       bool bytes)
{
	const struct nlattr *c = ci->ce->tb[reply ? CTA_COUNTERS_REPLY
					       : CTA_COUNTERS_ORIG], *a;
	uint16_t want = bytes ? CTA_COUNTERS_BYTES : CTA_COUNTERS_PACKETS;
	int rem;

	if (!c)
		return NULL;
	ct_nested_for_each(a, c, rem) {
		if (ct_attr_type(a) == want && ct_attr_len(a) >= 8) {
			uint64_t v;

			memcpy(&v, ct_attr_data(a), 8);
			put_u(buf, be64toh(v));
			return buf;
		}
	}
	return NULL;
}

/*
 * Mark names belong to the nft backend (nft_marks.c keeps them in the
 * "marks" set of table ip rosh): a connection shows the name its mangle
 * rule gave, a number nobody named shows as 0x1f. Loaded once per dump,
 * on first use; without them the hex form shows.
 */
static bool marks_ready;

void ct_marks_forget(void)
{
	marks_ready = false;
}

static void marks_load(void)
{
	struct bk_err e;

	if (marks_ready)
		return;
	marks_ready = true;
	if (nfm_load(false, &e) == 0)
		nfs_marks_load(&e);
}

int ct_mark_value(const char *name, uint32_t *v)
{
	struct bk_err e;

	marks_load();
	return nfs_mark_value(name, false, v, &e);
}

static const char *fmt_mark(char *buf, uint32_t mark)
{
	char tmp[16];

	if (!mark)
		return NULL;	/* unmarked: no connection-mark, as RouterOS */
	marks_load();
	snprintf(buf, CT_VAL_MAX, "%s", nfs_mark_name(mark, tmp));
	return buf;
}

static const char *fmt_num(char *buf, bool has, uint64_t v)
{
	if (!has)
		return NULL;
	put_u(buf, v);
	return buf;
}

static const char *fmt_timeout(char *buf, uint32_t sec)
{
	struct strbuf sb = STRBUF_INIT;

	gr_duration_format((uint64_t)sec * 1000, &sb);
	snprintf(buf, CT_VAL_MAX, "%s", sb_str(&sb));
	sb_free(&sb);
	return buf;
}

static const char *fmt_prop(struct ct_item *ci, unsigned prop, char *buf)
{
	struct ct_entry *ce = ci->ce;
	const struct ct_tuple *t;

	if (prop <= CTP_DSTNAT)
		return fmt_flag(ci, prop);
	switch (prop) {
	case CTP_PROTOCOL: {
		uint8_t p = tuple(ci, false)->proto;
		if (proto_names[p])
			return proto_names[p];
		return fmt_num(buf, true, p);
	}
	case CTP_SRC_ADDRESS: case CTP_DST_ADDRESS:
		return fmt_addr(ci, buf, tuple(ci, false),
				prop == CTP_SRC_ADDRESS);
	case CTP_REPLY_SRC_ADDRESS: case CTP_REPLY_DST_ADDRESS:
		return fmt_addr(ci, buf, tuple(ci, true),
				prop == CTP_REPLY_SRC_ADDRESS);
	case CTP_SRC_PORT: case CTP_DST_PORT:
		return fmt_port(buf, tuple(ci, false), prop == CTP_SRC_PORT);
	case CTP_REPLY_SRC_PORT: case CTP_REPLY_DST_PORT:
		return fmt_port(buf, tuple(ci, true),
				prop == CTP_REPLY_SRC_PORT);
	case CTP_TCP_STATE: return fmt_tcp_state(ci);
	case CTP_CONNECTION_STATE: return fmt_conn_state(ce);
	case CTP_TIMEOUT:
		return ce->tb[CTA_TIMEOUT] ? fmt_timeout(buf, ce->timeout)
					   : NULL;
	case CTP_CONNECTION_MARK: return fmt_mark(buf, ce->mark);
	case CTP_CONNECTION_TYPE: return fmt_helper(ci, buf);
	/* The kernel sends CTA_ZONE only for a non-default zone: every
	 * entry is in some zone, 0 when it has none, so where zone=0 works. */
	case CTP_ZONE: return fmt_num(buf, true, ce->zone);
	case CTP_ORIG_PACKETS: return fmt_counter(ci, buf, false, false);
	case CTP_ORIG_BYTES: return fmt_counter(ci, buf, false, true);
	case CTP_REPL_PACKETS: return fmt_counter(ci, buf, true, false);
	case CTP_REPL_BYTES: return fmt_counter(ci, buf, true, true);
	case CTP_ICMP_TYPE: case CTP_ICMP_CODE: case CTP_ICMP_ID:
		t = tuple(ci, false);
		return fmt_num(buf, t->has_icmp,
			       prop == CTP_ICMP_TYPE ? t->icmp_type
			       : prop == CTP_ICMP_CODE ? t->icmp_code
			       : t->sport);
	default:
		/* orig-rate / repl-rate: the kernel keeps no rate; RouterOS
		 * computes it from its own samples. Not set. */
		return NULL;
	}
}

static const char *ct_item_get(struct bk_item *it, unsigned prop)
{
	struct ct_item *ci = (struct ct_item *)it;

	if (prop >= CTP__COUNT)
		return NULL;
	if (!(ci->done & (1ull << prop))) {
		ci->val[prop] = fmt_prop(ci, prop, ci->buf[prop]);
		ci->done |= 1ull << prop;
	}
	return ci->val[prop];
}

int ct_tcp_state_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(tcp_state_names) / sizeof(char *); i++)
		if (!strcmp(tcp_state_names[i], s))
			return (int)i;
	return -1;
}

int ct_tcp_state(struct ct_item *ci)
{
	if (tuple(ci, false)->proto != IPPROTO_TCP)
		return -1;
	ct_entry_decode(ci->ce, CT_DEC_TCP);
	return ci->ce->has_tcp ? ci->ce->tcp_state : -1;
}

void ct_item_reset(struct ct_item *ci, struct ct_entry *ce)
{
	ci->ce = ce;
	ci->done = 0;
	ci->it.get = ct_item_get;
	ci->it.priv = ci;
}

void ct_item_set_id(struct ct_item *ci)
{
	static const char hex[] = "0123456789ABCDEF";
	const struct ct_entry *ce = ci->ce;
	char *p = ci->it.id;
	int shift = 28;

	*p++ = '*';
	while (shift > 0 && !((ce->id >> shift) & 0xf))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		*p++ = hex[(ce->id >> shift) & 0xf];
	*p = 0;
}
