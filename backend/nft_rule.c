/*
 * One RouterOS rule <-> one nft rule. Expression layout, in this order:
 *   [meta cpu & 0 == 1]      only when disabled: never true, see x_disabled
 *   matchers                 in enum fw_prop order, one shape each
 *   counter                  bytes/packets of the rule
 *   [log prefix "..."]       log=yes
 *   action                   nft_xlate_act.c
 * Userdata: the comment (NFTNL_UDATA_RULE_COMMENT) and rosh TLVs (id, order
 * key, log-prefix when no log expression carries it, flags, and the text of
 * list values entered in another order than the kernel keeps them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/udata.h>

#include "nft_xlate.h"

enum {
	UD_ID = 0xe0, UD_ORDER, UD_LOGPFX, UD_FLAGS, UD_OVR,
};

#define ROW(e, dfn, c) { xe_##e, xd_##dfn, c, NULL }
#define NOSUP { NULL, NULL, NULL, "" }

const struct nfr_row nfr_table[FWP__COUNT] = {
	[FWP_CONNECTION_STATE] = ROW(cstate, cstate, xc_cstate),
	[FWP_CONNECTION_NAT_STATE] = ROW(natstate, natstate, xc_natstate),
	[FWP_CONNECTION_LIMIT] = ROW(connlimit, connlimit, NULL),
	[FWP_LAYER7_PROTOCOL] = NOSUP,
	[FWP_PROTOCOL] = ROW(proto, proto, NULL),
	[FWP_SRC_ADDRESS] = ROW(addr, addr, NULL),
	[FWP_DST_ADDRESS] = ROW(addr, addr, NULL),
	[FWP_FRAGMENT] = ROW(fragment, fragment, NULL),
	[FWP_PSD] = NOSUP,
	[FWP_IPV4_OPTIONS] = NOSUP,
	[FWP_SRC_ADDRESS_TYPE] = ROW(addrtype, addrtype, xc_addrtype),
	[FWP_DST_ADDRESS_TYPE] = ROW(addrtype, addrtype, xc_addrtype),
	[FWP_SRC_ADDRESS_LIST] = ROW(addrlist, addrlist, NULL),
	[FWP_DST_ADDRESS_LIST] = ROW(addrlist, addrlist, NULL),
	[FWP_HOTSPOT] = NOSUP,
	[FWP_TTL] = ROW(ttl, ttl, NULL),
	[FWP_CONNECTION_MARK] = ROW(mark, mark, NULL),
	[FWP_CONNECTION_TYPE] = ROW(ctype, ctype, NULL),
	[FWP_CONNECTION_BYTES] = ROW(cbytes, cbytes, NULL),
	[FWP_CONNECTION_RATE] = NOSUP,
	[FWP_ROUTING_MARK] = NOSUP,
	[FWP_IN_INTERFACE] = ROW(iface, iface, NULL),
	[FWP_OUT_INTERFACE] = ROW(iface, iface, NULL),
	[FWP_IN_INTERFACE_LIST] = ROW(iflist, iflist, NULL),
	[FWP_OUT_INTERFACE_LIST] = ROW(iflist, iflist, NULL),
	[FWP_IN_BRIDGE_PORT] = NOSUP,
	[FWP_OUT_BRIDGE_PORT] = NOSUP,
	[FWP_PACKET_MARK] = ROW(mark, mark, NULL),
	[FWP_SRC_PORT] = ROW(port, port, xc_ports),
	[FWP_DST_PORT] = ROW(port, port, xc_ports),
	[FWP_PORT] = ROW(anyport, anyport, xc_ports),
	[FWP_TCP_FLAGS] = ROW(tcpflags, tcpflags, NULL),
	[FWP_ICMP_OPTIONS] = ROW(icmp, icmp, NULL),
	[FWP_SRC_MAC_ADDRESS] = ROW(mac, mac, NULL),
	[FWP_CONTENT] = ROW(content, content, NULL),
	[FWP_DSCP] = ROW(dscp, dscp, NULL),
	[FWP_LIMIT] = ROW(limit, limit, NULL),
	[FWP_DST_LIMIT] = ROW(dstlimit, dstlimit, NULL),
	[FWP_TIME] = ROW(time, time, NULL),
	[FWP_RANDOM] = ROW(random, random, NULL),
	[FWP_NTH] = ROW(nth, nth, NULL),
	[FWP_TCP_MSS] = ROW(mss, mss, NULL),
	[FWP_PER_CONNECTION_CLASSIFIER] = NOSUP,
	[FWP_PACKET_SIZE] = ROW(psize, psize, NULL),
	[FWP_TLS_HOST] = NOSUP,
	[FWP_P2P] = NOSUP,
	[FWP_IPSEC_POLICY] = ROW(ipsec, ipsec, NULL),
	[FWP_REALM] = NOSUP,
	[FWP_IN_BRIDGE_PORT_LIST] = NOSUP,
	[FWP_OUT_BRIDGE_PORT_LIST] = NOSUP,
	[FWP_INGRESS_PRIORITY] = NOSUP,
	[FWP_PRIORITY] = NOSUP,
	[FWP_TOS] = NOSUP,
	[FWP_RANDOMISE_PORTS] = NOSUP,
	/* mangle-only properties: not served by this backend (yet) */
	[FWP_NEW_CONNECTION_MARK] = NOSUP,
	[FWP_NEW_PACKET_MARK] = NOSUP,
	[FWP_NEW_ROUTING_MARK] = NOSUP,
	[FWP_NEW_MSS] = NOSUP,
	[FWP_PASSTHROUGH] = NOSUP,
};

/* ---- packed properties --------------------------------------------------- */

void rp_clear(struct rprops *p)
{
	for (size_t i = 0; i < FWP__COUNT; i++) {
		free(p->v[i]);
		p->v[i] = NULL;
	}
}

void rp_setn(struct rprops *p, unsigned prop, const char *val, size_t n)
{
	free(p->v[prop]);
	p->v[prop] = val ? xstrndup(val, n) : NULL;
}

void rp_set(struct rprops *p, unsigned prop, const char *val)
{
	rp_setn(p, prop, val, val ? strlen(val) : 0);
}

char *rp_pack(const struct rprops *p)
{
	struct strbuf sb = STRBUF_INIT;

	for (unsigned i = 0; i < FWP__COUNT; i++) {
		if (!p->v[i])
			continue;
		sb_addc(&sb, (char)(i + 1));
		sb_adds(&sb, p->v[i]);
		sb_addc(&sb, '\0');
	}
	sb_addc(&sb, '\0');
	return sb_steal(&sb);
}

void rp_unpack(const char *packed, struct rprops *p)
{
	rp_clear(p);
	for (const char *s = packed; s && *s; s += strlen(s) + 1)
		rp_set(p, (unsigned char)s[0] - 1u, s + 1);
}

static size_t packed_len(const char *s)
{
	const char *p = s;

	while (p && *p)
		p += strlen(p) + 1;
	return p ? (size_t)(p - s) : 0;
}

bool rp_packed_eq(const char *a, const char *b)
{
	size_t n = packed_len(a);

	return n == packed_len(b) && (!n || !memcmp(a, b, n));
}

const char *rp_packed_get(const char *packed, unsigned prop)
{
	for (const char *s = packed; s && *s; s += strlen(s) + 1)
		if ((unsigned char)s[0] - 1u == prop)
			return s + 1;
	return NULL;
}

/* ---- userdata ---------------------------------------------------------- */

static void ud_put_u64(struct nftnl_udata_buf *u, uint8_t type, uint64_t v)
{
	unsigned char b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (56 - 8 * i));
	nftnl_udata_put(u, type, 8, b);
}

static bool ud_build(struct nfx *x, const struct nft_rule *r)
{
	const struct rprops *p = x->p;
	struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN);
	uint32_t fl = x->udf;
	bool ok = true;

	if (p->v[FWP_COMMENT] && *p->v[FWP_COMMENT])
		ok &= nftnl_udata_put_strz(u, NFTNL_UDATA_RULE_COMMENT,
					   p->v[FWP_COMMENT]);
	ok &= nftnl_udata_put_u32(u, UD_ID, r->id);
	ud_put_u64(u, UD_ORDER, r->order);
	if (!x->log_done && p->v[FWP_LOG_PREFIX] && *p->v[FWP_LOG_PREFIX])
		ok &= nftnl_udata_put_strz(u, UD_LOGPFX, p->v[FWP_LOG_PREFIX]);
	if (r->flags & NR_SYS)
		fl |= XF_SYS;
	if (p->v[FWP_HW_OFFLOAD])
		fl |= strcmp(p->v[FWP_HW_OFFLOAD], "yes") == 0 ?
		      XF_HWOFF_YES : XF_HWOFF_NO;
	if (fl)
		ok &= nftnl_udata_put_u32(u, UD_FLAGS, fl);
	size_t room = NFT_USERDATA_MAXLEN - nftnl_udata_buf_len(u);
	if (ok && x->ov.len && x->ov.len + 2 <= room)	/* else: sorted */
		nftnl_udata_put(u, UD_OVR, (uint32_t)x->ov.len, x->ov.buf);
	if (ok)
		nftnl_rule_set_data(x->r, NFTNL_RULE_USERDATA,
				    nftnl_udata_buf_data(u),
				    nftnl_udata_buf_len(u));
	nftnl_udata_buf_free(u);
	return ok;
}

struct ud_parsed {
	const char *comment, *logpfx;
	const char *ovr;
	uint32_t ovr_len;
	uint32_t id, flags;
	uint64_t order;
	bool has_id;
};

static int ud_cb(const struct nftnl_udata *a, void *arg)
{
	struct ud_parsed *u = arg;
	const char *v = nftnl_udata_get(a);
	uint8_t len = nftnl_udata_len(a);
	bool strz = len && v[len - 1] == '\0';

	switch (nftnl_udata_type(a)) {
	case NFTNL_UDATA_RULE_COMMENT:
		u->comment = strz ? v : NULL;
		break;
	case UD_ID:
		if (len == 4) {
			u->id = nftnl_udata_get_u32(a);
			u->has_id = true;
		}
		break;
	case UD_ORDER:
		for (int i = 0; len == 8 && i < 8; i++)
			u->order = u->order << 8 | (unsigned char)v[i];
		break;
	case UD_LOGPFX:
		u->logpfx = strz ? v : NULL;
		break;
	case UD_FLAGS:
		if (len == 4)
			u->flags = nftnl_udata_get_u32(a);
		break;
	case UD_OVR:
		u->ovr = v;
		u->ovr_len = len;
		break;
	}
	return 0;
}

/* ---- encoding ------------------------------------------------------------ */

static const struct gr_prop *menu_props(enum nfm_menu menu)
{
	return gr_menu_by_id(menu == NFM_NAT ? GMI_NAT : GMI_FILTER)->props;
}

/*
 * The disabled marker `meta cpu & 0 == 1`: never true, and unlike the
 * `meta nfproto ipv6` of rosh before it, it sets no protocol context, so
 * nft prints the payload matches after it as IPv4 (nft 1.0.6 aborts
 * listing an IPv6 context followed by IPv4 header fields). nft prints it
 * as written and reads it back unchanged; `meta mark & 0 == 1` would not
 * do: nft prints it `meta mark 0x00000001/0`, which it reads back as an
 * always-true match. fastpath_msg (nft_table.c) emits the same shape.
 */
static const uint32_t never_val = 1;	/* host order, as meta cpu */
static const unsigned char never_mask[4];

static void x_disabled(struct nfx *x)
{
	x_meta(x, NFT_META_CPU, RK);
	x_bitwise(x, RK, sizeof(never_mask), never_mask, NULL);
	x_cmp(x, RK, NFT_CMP_EQ, &never_val, sizeof(never_val));
}

/* Emission order: protocol first, the matchers that depend on it later. */
static const uint8_t enc_order[] = {
	FWP_PROTOCOL, FWP_SRC_ADDRESS, FWP_DST_ADDRESS, FWP_SRC_ADDRESS_LIST,
	FWP_DST_ADDRESS_LIST, FWP_SRC_ADDRESS_TYPE, FWP_DST_ADDRESS_TYPE,
	FWP_IN_INTERFACE, FWP_OUT_INTERFACE, FWP_IN_INTERFACE_LIST,
	FWP_OUT_INTERFACE_LIST, FWP_SRC_PORT, FWP_DST_PORT, FWP_PORT,
	FWP_TCP_FLAGS, FWP_ICMP_OPTIONS, FWP_TCP_MSS, FWP_CONNECTION_STATE,
	FWP_CONNECTION_NAT_STATE, FWP_CONNECTION_MARK, FWP_PACKET_MARK,
	FWP_CONNECTION_TYPE, FWP_CONNECTION_BYTES, FWP_IPSEC_POLICY,
	FWP_FRAGMENT, FWP_DSCP, FWP_TTL, FWP_PACKET_SIZE, FWP_SRC_MAC_ADDRESS,
	FWP_TIME, FWP_RANDOM, FWP_NTH, FWP_CONNECTION_LIMIT, FWP_DST_LIMIT,
	FWP_CONTENT, FWP_LIMIT,
};

static int enc_matchers(struct nfx *x)
{
	const struct gr_prop *props = menu_props(x->menu);
	uint8_t done[FWP__COUNT] = { 0 };

	for (size_t k = 0; k < sizeof(enc_order) + FWP__COUNT; k++) {
		unsigned i = k < sizeof(enc_order) ? enc_order[k] :
			     (unsigned)(k - sizeof(enc_order));
		if (done[i]++)
			continue;
		const struct nfr_row *row = &nfr_table[i];
		const char *v = x->p->v[i];

		if (!v || (!row->enc && !row->unsupported))
			continue;
		if (row->unsupported || !props[i].name)
			return x_fail(x, "%s is not supported on Linux",
				      props[i].name ? props[i].name :
				      gr_menu_by_id(GMI_FILTER)->props[i].name);
		bool neg = (props[i].flags & GP_NEG) && v[0] == '!';
		if (row->enc(x, i, v + neg, neg) < 0)
			return -1;
		if (row->canon) {
			struct strbuf c = STRBUF_INIT;
			row->canon(v + neg, &c);
			if (strcmp(sb_str(&c), v + neg) != 0)
				x_override(x, i, v + neg);
			sb_free(&c);
		}
	}
	return 0;
}

static int encode_body(struct nfx *x, const struct nft_rule *r)
{
	const struct rprops *p = x->p;

	if (p->v[FWP_DISABLED] && strcmp(p->v[FWP_DISABLED], "yes") == 0)
		x_disabled(x);
	if (enc_matchers(x) < 0)
		return -1;
	if (r->flags & NR_ZERO)
		x_counter(x, 0, 0);
	else
		x_counter(x, r->bytes, r->packets);
	if (p->v[FWP_LOG] && strcmp(p->v[FWP_LOG], "yes") == 0) {
		x_log(x, p->v[FWP_LOG_PREFIX]);
		x->log_done = true;
	}
	return nfa_encode(x);
}

struct nftnl_rule *nfr_encode(const struct nft_rule *r,
			      const struct rprops *p, struct nftb *b,
			      struct bk_err *e)
{
	const struct nft_chain *c = &nfm.chains[r->chain];
	struct nfx x = { .b = b, .p = p, .rule = r, .menu = c->menu, .e = e };

	x.r = nftnl_rule_alloc();
	nftnl_rule_set_u32(x.r, NFTNL_RULE_FAMILY, NFT_FAMILY);
	nftnl_rule_set_str(x.r, NFTNL_RULE_TABLE, NFT_TABLE_NAME);
	nftnl_rule_set_str(x.r, NFTNL_RULE_CHAIN, c->name);
	if (encode_body(&x, r) < 0 || !ud_build(&x, r)) {
		if (!e->msg[0])
			bk_fail(e, "comment too long");
		nftnl_rule_free(x.r);
		sb_free(&x.ov);
		return NULL;
	}
	sb_free(&x.ov);
	return x.r;
}

int nfr_validate(enum nfm_menu menu, const struct rprops *p,
		 struct bk_err *e)
{
	struct nft_rule r = { .id = 1, .order = 1 };
	struct nfx x = { .b = NULL, .p = p, .rule = &r, .menu = menu, .e = e };
	int rc;

	if (nfa_check(menu, p, e) < 0)
		return -1;
	x.r = nftnl_rule_alloc();
	rc = encode_body(&x, &r);
	if (rc == 0 && !ud_build(&x, &r))
		rc = bk_fail(e, "comment too long");
	nftnl_rule_free(x.r);
	sb_free(&x.ov);
	return rc;
}

/* ---- decoding ------------------------------------------------------------ */

/* x_disabled's marker: meta cpu, bitwise & 0 ^ 0, cmp eq 1. */
static bool d_marker(struct nfd *d)
{
	const struct nftnl_expr *bw = d_at(d, 1);
	struct dval v;
	uint32_t xlen = 0;
	const void *xr;

	if (!d_meta(d_at(d, 0), NFT_META_CPU) || !d_value(d, &v) ||
	    v.kind != DV_MASK || v.op != NFT_CMP_EQ ||
	    v.len != sizeof(never_val) ||
	    d_u32(bw, NFTNL_EXPR_BITWISE_LEN) != sizeof(never_mask) ||
	    memcmp(v.mask, never_mask, sizeof(never_mask)) ||
	    memcmp(v.a, &never_val, sizeof(never_val)))
		return false;
	xr = d_data(bw, NFTNL_EXPR_BITWISE_XOR, &xlen);
	if (!xr || xlen != sizeof(never_mask) ||
	    memcmp(xr, never_mask, sizeof(never_mask)))
		return false;	/* a xor could make it true */
	d->pos += 3;
	return true;
}

/* The marker of earlier rosh versions, `meta nfproto ipv6`: still read;
 * the rule gets the new marker when it is next written. */
static bool d_marker_v6(struct nfd *d)
{
	const struct nftnl_expr *m = d_at(d, 0), *c = d_at(d, 1);
	uint32_t len;

	if (!d_meta(m, NFT_META_NFPROTO) || !d_is(c, "cmp") ||
	    d_u32(c, NFTNL_EXPR_CMP_OP) != NFT_CMP_EQ)
		return false;
	const uint8_t *v = d_data(c, NFTNL_EXPR_CMP_DATA, &len);
	if (len != 1 || *v != NFPROTO_IPV6)
		return false;
	d->pos += 2;
	return true;
}

static bool d_disabled(struct nfd *d)
{
	return d_marker(d) || d_marker_v6(d);
}

static bool dec_matchers(struct nfd *d)
{
	while (d->pos < d->n && !d_is(d_at(d, 0), "counter")) {
		bool hit = false;

		for (unsigned i = 0; i < FWP__COUNT && !hit; i++) {
			if (!nfr_table[i].dec || d->p->v[i])
				continue;
			hit = nfr_table[i].dec(d, i) > 0;
		}
		if (!hit)
			return false;
	}
	return true;
}

static bool dec_body(struct nfd *d, struct nft_rule *r)
{
	if (d_disabled(d)) {
		r->flags |= NR_DISABLED;
		d_put(d, FWP_DISABLED, "yes");
	}
	if (!dec_matchers(d))
		return false;
	const struct nftnl_expr *c = d_at(d, 0);
	if (!d_is(c, "counter"))
		return false;
	r->bytes = d_u64(c, NFTNL_EXPR_CTR_BYTES);
	r->packets = d_u64(c, NFTNL_EXPR_CTR_PACKETS);
	d->pos++;
	const struct nftnl_expr *lg = d_at(d, 0);
	if (d_is(lg, "log") && d_at(d, 1)) {
		d_put(d, FWP_LOG, "yes");
		if (d_has(lg, NFTNL_EXPR_LOG_PREFIX))
			d_put(d, FWP_LOG_PREFIX,
			      nftnl_expr_get_str(lg, NFTNL_EXPR_LOG_PREFIX));
		d->pos++;
	}
	return nfa_decode(d) && d->pos == d->n;
}

static void apply_overrides(struct nfd *d, const struct ud_parsed *u)
{
	const char *s = u->ovr, *end = u->ovr + u->ovr_len;

	while (s && s < end && *s) {
		unsigned prop = (unsigned char)*s - 1u;
		const char *text = s + 1;
		size_t n = strnlen(text, (size_t)(end - text));

		if (prop < FWP__COUNT && nfr_table[prop].canon && d->p->v[prop] &&
		    text + n < end) {
			const char *have = d->p->v[prop];
			bool neg = have[0] == '!';
			struct strbuf c = STRBUF_INIT;

			nfr_table[prop].canon(text, &c);
			if (strcmp(sb_str(&c), have + neg) == 0) {
				sb_reset(&c);
				sb_printf(&c, "%s%s", neg ? "!" : "", text);
				rp_set(d->p, prop, sb_str(&c));
			}
			sb_free(&c);
		}
		s = text + n + 1;
	}
}

static void dec_meta(struct nfd *d, struct nft_rule *r,
		     const struct ud_parsed *u)
{
	const struct nft_chain *c = &nfm.chains[r->chain];

	d_put(d, FWP_CHAIN, nfm_ros_chain(c));
	if (u->comment && *u->comment)
		d_put(d, FWP_COMMENT, u->comment);
	if (u->logpfx && !d->p->v[FWP_LOG_PREFIX])
		d_put(d, FWP_LOG_PREFIX, u->logpfx);
	if (u->flags & (XF_HWOFF_YES | XF_HWOFF_NO))
		d_put(d, FWP_HW_OFFLOAD,
		      u->flags & XF_HWOFF_YES ? "yes" : "no");
}

static void load_exprs(struct nfd *d, const struct nftnl_rule *nr)
{
	struct nftnl_expr_iter *it = nftnl_expr_iter_create(nr);
	struct nftnl_expr *ex;

	while ((ex = nftnl_expr_iter_next(it)) && d->n < NFD_MAX)
		d->ex[d->n++] = ex;
	if (ex)		/* too long to be ours */
		d->n = NFD_MAX + 1;
	nftnl_expr_iter_destroy(it);
}

void nfr_decode(const struct nftnl_rule *nr, struct nft_rule *r)
{
	struct rprops p = { { 0 } };
	struct ud_parsed u = { 0 };
	struct nfd d = { .p = &p, .menu = nfm.chains[r->chain].menu };
	uint32_t ulen = 0;
	const void *ud = nftnl_rule_is_set(nr, NFTNL_RULE_USERDATA) ?
		nftnl_rule_get_data(nr, NFTNL_RULE_USERDATA, &ulen) : NULL;

	if (ud)
		nftnl_udata_parse(ud, ulen, ud_cb, &u);
	r->id = u.id;
	r->order = u.order;
	if (u.flags & XF_SYS)
		r->flags |= NR_SYS;
	if ((u.flags & XF_SYS) && (u.flags & XF_FASTPATH))
		r->flags |= NR_FASTPATH;
	d.udf = u.flags;
	if (!u.has_id)
		r->flags |= NR_INVALID;
	load_exprs(&d, nr);
	for (size_t i = 0; (r->flags & NR_FASTPATH) && i < d.n && i < NFD_MAX; i++)
		if (d_is(d.ex[i], "flow_offload"))
			r->flags |= NR_FLOW;
	if (d.n > NFD_MAX || !dec_body(&d, r)) {
		r->flags |= NR_INVALID;
		rp_clear(&p);
		for (d.pos = 0; d.pos < d.n; d.pos++)	/* counters if any */
			if (d_is(d.ex[d.pos], "counter")) {
				r->bytes = d_u64(d.ex[d.pos], NFTNL_EXPR_CTR_BYTES);
				r->packets = d_u64(d.ex[d.pos], NFTNL_EXPR_CTR_PACKETS);
			}
	}
	apply_overrides(&d, &u);
	dec_meta(&d, r, &u);
	free(r->props);
	r->props = rp_pack(&p);
	rp_clear(&p);
	sb_free(&d.sb);
}
