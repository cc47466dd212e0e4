/*
 * /ip firewall connection and /ipv6 firewall connection: the live conntrack
 * table of the current network namespace, streamed entry by entry.
 *
 * A where-expression reaches us as hints (conjuncts every accepted entry
 * satisfies). Those the kernel can test exactly go into the dump request
 * (family, status bits, mark, zone, exact tuple fields); simple regexes are
 * pre-checked here with a cheap literal matcher. Both only drop entries the
 * shell would reject anyway; the shell still evaluates the whole expression.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/netfilter/nf_conntrack_common.h>

#include "ct_item.h"
#include "ct_nl.h"

#define CT_MAX_RE 4
#define CT_RE_MAX 48

/* A regex made only of literal characters and '.' wildcards. */
struct ct_relit {
	unsigned prop;
	bool anchor_start, anchor_end;
	size_t len;
	char pat[CT_RE_MAX];		/* 0 = any character */
};

struct ct_query {
	struct ct_filter f;
	bool empty;			/* no entry can satisfy the hints */
	int tcp_state;			/* wanted TCP_CONNTRACK_*, or -1 */
	int port[2][2];			/* [orig/reply][src/dst], -1 = none */
	size_t nre;
	struct ct_relit re[CT_MAX_RE];
};

/* Status bit pushed for each flag property. fasttrack is IPS_OFFLOAD or
 * the fast-path label (ct_item.h): fasttrack=no still implies the bit is
 * clear, fasttrack=yes implies nothing the kernel can test. */
static const uint32_t flag_status[] = {
	[CTP_EXPECTED] = IPS_EXPECTED, [CTP_SEEN_REPLY] = IPS_SEEN_REPLY,
	[CTP_ASSURED] = IPS_ASSURED, [CTP_CONFIRMED] = IPS_CONFIRMED,
	[CTP_DYING] = IPS_DYING,
	[CTP_FASTTRACK] = IPS_OFFLOAD,
	[CTP_HW_OFFLOAD] = IPS_HW_OFFLOAD, [CTP_SRCNAT] = IPS_SRC_NAT,
	[CTP_DSTNAT] = IPS_DST_NAT,
};

static uint8_t menu_family(const struct gr_menu *m)
{
	return m->id == GMI_CONNECTION6 ? AF_INET6 : AF_INET;
}

/* ---- hints -> kernel filter ---- */

static void want_status(struct ct_query *q, uint32_t bit, bool set)
{
	if ((q->f.status_mask & bit) && !!(q->f.status & bit) != set)
		q->empty = true;
	q->f.status_mask |= bit;
	q->f.status = set ? q->f.status | bit : q->f.status & ~bit;
}

static void want_proto(struct ct_query *q, int proto)
{
	if (proto < 0)
		return;
	if ((q->f.orig_flags & CT_FF_PROTO_NUM) && q->f.orig.proto != proto)
		q->empty = true;
	q->f.orig_flags |= CT_FF_PROTO_NUM;
	q->f.orig.proto = (uint8_t)proto;
}

static bool parse_u(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	*v = strtoul(s, &end, 10);
	return !*end && *v <= max;
}

/* "ip", "ip:port", "[ip6]:port" or a bare IPv6 address. */
static bool parse_addr(uint8_t family, const char *s, uint8_t *a, int *port)
{
	char tmp[64];
	const char *colon = NULL;
	unsigned long p;

	*port = -1;
	if (strlen(s) >= sizeof(tmp))
		return false;
	if (family == AF_INET6 && *s == '[') {
		const char *rb = strchr(s, ']');
		if (!rb || rb[1] != ':')
			return false;
		snprintf(tmp, sizeof(tmp), "%.*s", (int)(rb - s - 1), s + 1);
		colon = rb + 1;
	} else if (family == AF_INET && (colon = strchr(s, ':'))) {
		snprintf(tmp, sizeof(tmp), "%.*s", (int)(colon - s), s);
	} else {
		snprintf(tmp, sizeof(tmp), "%s", s);
	}
	if (inet_pton(family, tmp, a) != 1)
		return false;
	if (colon) {
		if (!parse_u(colon + 1, 65535, &p))
			return false;
		*port = (int)p;
	}
	return true;
}

static void want_addr(struct ct_query *q, unsigned prop, const char *v)
{
	bool reply = prop == CTP_REPLY_SRC_ADDRESS ||
		     prop == CTP_REPLY_DST_ADDRESS;
	bool src = prop == CTP_SRC_ADDRESS || prop == CTP_REPLY_SRC_ADDRESS;
	struct ct_tuple *t = reply ? &q->f.reply : &q->f.orig;
	uint32_t *flags = reply ? &q->f.reply_flags : &q->f.orig_flags;
	uint32_t bit = src ? CT_FF_IP_SRC : CT_FF_IP_DST;
	int port;

	if (!parse_addr(q->f.family, v, src ? t->src : t->dst, &port))
		return;
	/* Linux (checked on 6.18) inverts the IPv6 address comparison of
	 * ctnetlink_filter_match_tuple: it would return exactly the other
	 * entries. Only IPv4 addresses go to the kernel. */
	if (q->f.family == AF_INET)
		*flags |= bit;
	if (port >= 0)
		q->port[reply][!src] = port;
}

/* `address in 10.0.0.50/32`: one host is an exact tuple field; a wider
 * prefix is not (the kernel filter has no mask). */
static void want_host_in(struct ct_query *q, unsigned prop, const char *v)
{
	char host[48];
	const char *slash = strchr(v, '/');
	size_t n = slash ? (size_t)(slash - v) : strlen(v);

	if (q->f.family != AF_INET || n >= sizeof(host) ||
	    (slash && strcmp(slash, "/32")) || strchr(v, '-'))
		return;
	if (prop != CTP_SRC_ADDRESS && prop != CTP_DST_ADDRESS &&
	    prop != CTP_REPLY_SRC_ADDRESS && prop != CTP_REPLY_DST_ADDRESS)
		return;
	memcpy(host, v, n);
	host[n] = '\0';
	if (!strchr(host, ':'))
		want_addr(q, prop, host);
}

static void want_conn_state(struct ct_query *q, const char *v)
{
	if (strcmp(v, "established") == 0) {
		want_status(q, IPS_SEEN_REPLY, true);
	} else if (strcmp(v, "related") == 0 || strcmp(v, "new") == 0) {
		want_status(q, IPS_SEEN_REPLY, false);
		want_status(q, IPS_EXPECTED, v[0] == 'r');
	} else {
		q->empty = true;	/* invalid, untracked: never listed */
	}
}

/*
 * The kernel cannot filter on the TCP state, only on the protocol. The
 * state is checked here before the shell sees the entry: most of a large
 * table is TCP, and this skips handing out all the other states.
 */
static void want_tcp_state(struct ct_query *q, const char *v)
{
	int st = ct_tcp_state_parse(v);

	want_proto(q, IPPROTO_TCP);
	if (st < 0 || (q->tcp_state >= 0 && q->tcp_state != st))
		q->empty = true;
	q->tcp_state = st;
}

/* Is the regex v only literals and '.'? Then keep it for ct_relit_match. */
static void want_relit(struct ct_query *q, unsigned prop, const char *v)
{
	struct ct_relit *r = &q->re[q->nre];
	size_t n = strlen(v);

	if (q->nre == CT_MAX_RE)
		return;
	memset(r, 0, sizeof(*r));
	r->prop = prop;
	if (*v == '^') {
		r->anchor_start = true;
		v++, n--;
	}
	if (n && v[n - 1] == '$' && (n < 2 || v[n - 2] != '\\')) {
		r->anchor_end = true;
		n--;
	}
	for (size_t i = 0; i < n; i++) {
		char c = v[i];

		if (r->len == CT_RE_MAX)
			return;
		if (c == '\\' && i + 1 < n && v[i + 1] == '.')
			c = v[++i];
		else if (c == '.')
			c = 0;
		else if (!isalnum((unsigned char)c) && !strchr(":_/,-", c))
			return;
		r->pat[r->len++] = (char)tolower((unsigned char)c);
	}
	q->nre++;
}

static void query_hint(struct ct_query *q, const struct bk_cond *c)
{
	unsigned long v;

	if (c->prop <= CTP_DSTNAT) {
		bool yes = strcmp(c->value, "yes") == 0;
		bool set = yes != c->negated;

		/* !(flag=yes) is flag=no: a flag has no third value. */
		if (c->op != BK_EQ || (!yes && strcmp(c->value, "no")) ||
		    (c->prop == CTP_FASTTRACK && set))
			return;
		want_status(q, flag_status[c->prop], set);
		return;
	}
	if (c->negated)
		return;
	if (c->op == BK_RE) {
		want_relit(q, c->prop, c->value);
		return;
	}
	if (c->op == BK_IN) {
		want_host_in(q, c->prop, c->value);
		return;
	}
	if (c->op != BK_EQ || !*c->value)
		return;
	switch (c->prop) {
	case CTP_PROTOCOL:
		want_proto(q, ct_proto_parse(c->value));
		break;
	case CTP_TCP_STATE:
		want_tcp_state(q, c->value);
		break;
	case CTP_ICMP_TYPE: case CTP_ICMP_CODE: case CTP_ICMP_ID:
		want_proto(q, q->f.family == AF_INET6 ? IPPROTO_ICMPV6
						      : IPPROTO_ICMP);
		break;
	case CTP_SRC_ADDRESS: case CTP_DST_ADDRESS:
	case CTP_REPLY_SRC_ADDRESS: case CTP_REPLY_DST_ADDRESS:
		want_addr(q, c->prop, c->value);
		break;
	case CTP_SRC_PORT: case CTP_DST_PORT:
	case CTP_REPLY_SRC_PORT: case CTP_REPLY_DST_PORT:
		if (parse_u(c->value, 65535, &v))
			q->port[c->prop >= CTP_REPLY_SRC_PORT]
			       [c->prop == CTP_DST_PORT ||
				c->prop == CTP_REPLY_DST_PORT] = (int)v;
		break;
	case CTP_CONNECTION_STATE:
		want_conn_state(q, c->value);
		break;
	case CTP_CONNECTION_MARK: {
		uint32_t mark;
		/* an unmarked entry has no connection-mark: 0 matches none */
		if (ct_mark_value(c->value, &mark) == 0 && mark) {
			q->f.mark = mark;
			q->f.mark_mask = UINT32_MAX;
		}
		break;
	}
	case CTP_ZONE:
		/* zone 0 stays 0 here, "no zone filter": the kernel cannot
		 * select the default zone (ct_nl.c), the shell does */
		if (parse_u(c->value, UINT16_MAX, &v))
			q->f.zone = (uint16_t)v;
		break;
	}
}

/*
 * The kernel compares ports only for TCP and UDP and only together with
 * the protocol number; the reply tuple has the same protocol.
 */
static void query_ports(struct ct_query *q)
{
	uint8_t p = q->f.orig.proto;

	if (!(q->f.orig_flags & CT_FF_PROTO_NUM) ||
	    (p != IPPROTO_TCP && p != IPPROTO_UDP))
		return;
	for (int d = 0; d < 2; d++) {
		struct ct_tuple *t = d ? &q->f.reply : &q->f.orig;
		uint32_t *fl = d ? &q->f.reply_flags : &q->f.orig_flags;

		t->proto = p;
		if (q->port[d][0] >= 0) {
			t->sport = (uint16_t)q->port[d][0];
			*fl |= CT_FF_PROTO_NUM | CT_FF_PROTO_SRC_PORT;
		}
		if (q->port[d][1] >= 0) {
			t->dport = (uint16_t)q->port[d][1];
			*fl |= CT_FF_PROTO_NUM | CT_FF_PROTO_DST_PORT;
		}
	}
}

static void query_init(struct ct_query *q, const struct gr_menu *m,
		       const struct bk_cond *hints, size_t n)
{
	memset(q, 0, sizeof(*q));
	memset(q->port, 0xff, sizeof(q->port));
	ct_marks_forget();
	q->tcp_state = -1;
	q->f.family = menu_family(m);
	for (size_t i = 0; i < n; i++)
		if (hints[i].prop < CTP__COUNT && hints[i].value)
			query_hint(q, &hints[i]);
	query_ports(q);
}

/* ---- userspace pre-checks ---- */

static bool relit_at(const struct ct_relit *r, const char *s)
{
	for (size_t i = 0; i < r->len; i++)
		if (!s[i] || (r->pat[i] &&
			      r->pat[i] != tolower((unsigned char)s[i])))
			return false;
	return true;
}

/* A necessary condition of regexec: case is ignored, so it never rejects
 * what a case-sensitive or case-insensitive regex would accept. */
static bool relit_match(const struct ct_relit *r, const char *s)
{
	size_t n = strlen(s);

	if (r->len > n)
		return false;
	if (r->anchor_start)
		return relit_at(r, s) && (!r->anchor_end || r->len == n);
	if (r->anchor_end)
		return relit_at(r, s + n - r->len);
	for (size_t i = 0; i + r->len <= n; i++)
		if (relit_at(r, s + i))
			return true;
	return false;
}

static bool query_accepts(const struct ct_query *q, struct ct_item *ci)
{
	if (q->tcp_state >= 0 && ct_tcp_state(ci) != q->tcp_state)
		return false;
	for (size_t i = 0; i < q->nre; i++) {
		const char *v = bk_get(&ci->it, q->re[i].prop);

		if (!v)	/* the shell matches an unset value as "" / "no" */
			v = q->re[i].prop <= CTP_DSTNAT ? "no" : "";
		if (!relit_match(&q->re[i], v))
			return false;
	}
	return true;
}

/* ---- ops ---- */

struct ct_run {
	const struct ct_query *q;
	bk_item_cb cb;
	void *arg;
	bool removing;		/* cb is a predicate: 1 = delete the entry */
	const uint32_t *ids;	/* remove by id: sorted */
	size_t nids;
	struct bk_err *e;
	struct ct_item item;
};

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int run_entry(struct ct_entry *ce, void *arg)
{
	struct ct_run *r = arg;
	int rc;

	if (r->ids)
		return bsearch(&ce->id, r->ids, r->nids, sizeof(*r->ids),
			       cmp_u32) ? ct_nl_del_queue(ce, r->e) : 0;
	ct_item_reset(&r->item, ce);
	if (r->q && !query_accepts(r->q, &r->item))
		return 0;
	ct_item_set_id(&r->item);
	rc = r->cb(&r->item.it, r->arg);
	if (!r->removing || rc < 0)
		return rc;
	return rc == 1 ? ct_nl_del_queue(ce, r->e) : 0;
}

static int ct_run(const struct ct_filter *f, struct ct_run *r)
{
	struct ct_run *heap = xmalloc(sizeof(*heap));
	int rc;

	*heap = *r;
	rc = ct_nl_dump(f, run_entry, heap, r->e);
	free(heap);
	return rc;
}

static int ct_iterate(const struct gr_menu *m, const struct bk_cond *hints,
		      size_t nhints, bk_item_cb cb, void *arg,
		      struct bk_err *e)
{
	struct ct_query q;

	query_init(&q, m, hints, nhints);
	if (q.empty)
		return 0;
	return ct_run(&q.f, &(struct ct_run){ .q = &q, .cb = cb, .arg = arg,
					      .e = e });
}

static int ct_remove_matching(const struct gr_menu *m,
			      const struct bk_cond *hints, size_t nhints,
			      bk_item_cb pred, void *arg, uint64_t *removed,
			      struct bk_err *e)
{
	struct ct_query q;
	uint64_t dummy;
	int rc;

	*removed = 0;
	query_init(&q, m, hints, nhints);
	if (q.empty)
		return 0;
	rc = ct_run(&q.f, &(struct ct_run){ .q = &q, .cb = pred, .arg = arg,
					    .removing = true, .e = e });
	/* Always flush: what was deleted before an error stays counted. */
	if (ct_nl_del_flush(rc < 0 ? &dummy : removed, e) < 0 || rc < 0)
		return -1;
	return 0;
}

/* Ids are "*HEX" of CTA_ID; deleting needs the tuple, so one dump finds
 * them. An id no longer in the table is gone already: not an error. */
static int ct_remove(const struct gr_menu *m, const char *const *ids,
		     size_t nids, struct bk_err *e)
{
	struct ct_filter f = { .family = menu_family(m) };
	uint32_t *set = xcalloc(nids, sizeof(*set));
	size_t n = 0;
	uint64_t removed;
	int rc;

	for (size_t i = 0; i < nids; i++) {
		char *end;
		unsigned long v;

		if (ids[i][0] != '*' || !isxdigit((unsigned char)ids[i][1]))
			continue;
		v = strtoul(ids[i] + 1, &end, 16);
		if (!*end && v <= UINT32_MAX)
			set[n++] = (uint32_t)v;
	}
	qsort(set, n, sizeof(*set), cmp_u32);
	rc = n ? ct_run(&f, &(struct ct_run){ .ids = set, .nids = n, .e = e })
	       : 0;
	if (ct_nl_del_flush(&removed, e) < 0)
		rc = -1;
	free(set);
	return rc;
}

static int count_entry(struct ct_entry *ce, void *arg)
{
	(*(uint64_t *)arg)++;
	return 0;
}

/*
 * The kernel keeps one entry counter per namespace, for all families.
 * /ip: that counter, O(1), as `conntrack -C` (IPv6 entries included; an
 * exact IPv4 count would need a walk of the whole table). /ipv6: a dump
 * filtered to IPv6 in the kernel, exact (IPv6 entries are usually few,
 * but the walk costs as much as any filtered dump).
 */
static int ct_count(const struct gr_menu *m, uint64_t *n, struct bk_err *e)
{
	struct ct_filter f = { .family = AF_INET6 };

	*n = 0;
	if (m->id != GMI_CONNECTION6)
		return ct_nl_count(n, e);
	return ct_nl_dump(&f, count_entry, n, e);
}

static int ct_follow(const struct gr_menu *m, bk_item_cb cb, void *arg,
		     volatile int *stop, struct bk_err *e)
{
	struct ct_run *r = xcalloc(1, sizeof(*r));
	int rc;

	ct_marks_forget();
	r->cb = cb;
	r->arg = arg;
	r->e = e;
	rc = ct_nl_follow(menu_family(m), run_entry, r, stop, e);
	free(r);
	return rc;
}

const struct bk_ops bk_conntrack_ops = {
	.iterate = ct_iterate,
	.count = ct_count,
	.remove = ct_remove,
	.remove_matching = ct_remove_matching,
	.follow = ct_follow,
};
