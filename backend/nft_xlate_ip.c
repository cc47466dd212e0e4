/*
 * IP header and routing matchers: addresses, address lists, address types,
 * protocol, fragment, dscp, ttl, packet-size, source MAC.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>

#include "nft_xlate.h"
#include "nft_sets.h"
#include "../grammar/types.h"

#define NH NFT_PAYLOAD_NETWORK_HEADER

static uint32_t cmp_op(bool neg)
{
	return neg ? NFT_CMP_NEQ : NFT_CMP_EQ;
}

/* cmp eq/neq -> "" or "!"; false for other operators */
static bool eq_neg(uint32_t op, bool *neg)
{
	*neg = op == NFT_CMP_NEQ;
	return op == NFT_CMP_EQ || op == NFT_CMP_NEQ;
}

static void put_neg(struct nfd *d, unsigned prop, bool neg, const char *text)
{
	sb_reset(&d->sb);
	sb_printf(&d->sb, "%s%s", neg ? "!" : "", text);
	d_put(d, prop, sb_str(&d->sb));
}

/* ---- src-address / dst-address ----------------------------------------- */

static uint32_t addr_off(unsigned prop)
{
	return prop == FWP_SRC_ADDRESS || prop == FWP_SRC_ADDRESS_LIST ||
	       prop == FWP_SRC_ADDRESS_TYPE ? 12 : 16;
}

int xe_addr(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	uint32_t lo, hi;
	unsigned plen;
	bool range;

	if (!v_ip4_net(val, &lo, &hi, &plen, &range))
		return x_fail(x, "invalid address %s", val);
	uint32_t nlo = htonl(lo), nhi = htonl(hi);
	x_payload(x, NH, addr_off(prop), 4, RK);
	if (range) {
		x_range(x, RK, neg ? NFT_RANGE_NEQ : NFT_RANGE_EQ, &nlo, &nhi, 4);
	} else if (plen < 32) {
		uint32_t mask = htonl(plen ? ~0u << (32 - plen) : 0);
		x_bitwise(x, RK, 4, &mask, NULL);
		x_cmp(x, RK, cmp_op(neg), &nlo, 4);
	} else {
		x_cmp(x, RK, cmp_op(neg), &nlo, 4);
	}
	return 0;
}

static uint32_t be32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

int xd_addr(struct nfd *d, unsigned prop)
{
	struct dval v;
	bool neg;

	if (!d_payload(d_at(d, 0), NH, addr_off(prop), 4) || !d_value(d, &v) ||
	    v.len != 4)
		return 0;
	struct strbuf t = STRBUF_INIT;
	if (v.kind == DV_RANGE && (v.op == NFT_RANGE_EQ || v.op == NFT_RANGE_NEQ)) {
		neg = v.op == NFT_RANGE_NEQ;
		f_ip4(&t, be32(v.a));
		sb_addc(&t, '-');
		f_ip4(&t, be32(v.b));
	} else if (v.kind == DV_CMP && eq_neg(v.op, &neg)) {
		f_ip4(&t, be32(v.a));
	} else if (v.kind == DV_MASK && eq_neg(v.op, &neg)) {
		uint32_t m = be32(v.mask);
		int len = ip4_prefix_len(0, ~m);
		if (len < 0 || len == 32 || (be32(v.a) & ~m)) {
			sb_free(&t);
			return 0;
		}
		f_ip4(&t, be32(v.a));
		sb_printf(&t, "/%d", len);
	} else {
		sb_free(&t);
		return 0;
	}
	put_neg(d, prop, neg, sb_str(&t));
	sb_free(&t);
	d->pos += v.n;
	return 1;
}

/* ---- src-address-list / dst-address-list -------------------------------- */

/*
 * [payload addr -> r1] [lookup r1 @alr_X -> rA] [lookup r1 @alh_X -> rB]
 * [cmp rA.rB != 0]: the list's range map and host map both hold 1 for
 * members and 0 in their catch-all element, so either one matching gives a
 * non-zero 8-byte value (negated: == 0).
 */
int xe_addrlist(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	static const unsigned char zero[8];
	struct strbuf r = STRBUF_INIT, h = STRBUF_INIT;

	if (x->b && nfs_al_ensure(val, x->e) < 0)
		return -1;
	nfs_al_names(val, &r, &h);
	x_payload(x, NH, addr_off(prop), 4, RK);
	x_lookup(x, RK, sb_str(&r), 0, RA, false);
	x_lookup(x, RK, sb_str(&h), 0, RB, false);
	x_cmp(x, RA, neg ? NFT_CMP_EQ : NFT_CMP_NEQ, zero, 8);
	sb_free(&r);
	sb_free(&h);
	return 0;
}

static bool is_dlookup(const struct nftnl_expr *e, uint32_t dreg)
{
	return d_is(e, "lookup") && d_reg(e, NFTNL_EXPR_LOOKUP_SREG) == reg32(RK) &&
	       d_has(e, NFTNL_EXPR_LOOKUP_DREG) &&
	       d_reg(e, NFTNL_EXPR_LOOKUP_DREG) == reg32(dreg) &&
	       !d_u32(e, NFTNL_EXPR_LOOKUP_FLAGS);
}

int xd_addrlist(struct nfd *d, unsigned prop)
{
	const struct nftnl_expr *l1 = d_at(d, 1), *l2 = d_at(d, 2),
				*c = d_at(d, 3);
	uint32_t len;
	bool neg;

	if (!d_payload(d_at(d, 0), NH, addr_off(prop), 4) ||
	    !is_dlookup(l1, RA) || !is_dlookup(l2, RB) || !d_is(c, "cmp") ||
	    d_reg(c, NFTNL_EXPR_CMP_SREG) != reg32(RA) ||
	    !eq_neg(d_u32(c, NFTNL_EXPR_CMP_OP), &neg))
		return 0;
	const unsigned char *z = d_data(c, NFTNL_EXPR_CMP_DATA, &len);
	if (len != 8 || memcmp(z, "\0\0\0\0\0\0\0\0", 8) != 0)
		return 0;
	const char *list = nfs_al_list_of(
		nftnl_expr_get_str(l1, NFTNL_EXPR_LOOKUP_SET),
		nftnl_expr_get_str(l2, NFTNL_EXPR_LOOKUP_SET));
	if (!list)
		return 0;
	put_neg(d, prop, !neg, list);	/* != 0 means "in the list" */
	d->pos += 4;
	return 1;
}

/* ---- src-address-type / dst-address-type --------------------------------- */

/* RTN_* values in kernel order; names as RouterOS spells them. */
static const struct { const char *name; uint32_t rtn; } addr_types[] = {
	{ "unicast", 1 }, { "local", 2 }, { "broadcast", 3 },
	{ "multicast", 5 }, { "blackhole", 6 }, { "unreachable", 7 },
	{ "prohibit", 8 },
};
#define N_ATYPES (sizeof(addr_types) / sizeof(addr_types[0]))

static unsigned atype_mask(const char *val, bool *ok)
{
	unsigned m = 0;

	*ok = true;
	for (const char *p = val; *p;) {
		size_t n = strcspn(p, ",");
		size_t i;
		for (i = 0; i < N_ATYPES; i++)
			if (strlen(addr_types[i].name) == n &&
			    strncmp(addr_types[i].name, p, n) == 0)
				break;
		if (i == N_ATYPES)
			*ok = false;
		else
			m |= 1u << i;
		p += n + (p[n] == ',');
	}
	return m;
}

static void atype_text(unsigned m, struct strbuf *out)
{
	for (size_t i = 0; i < N_ATYPES; i++)
		if (m & 1u << i)
			sb_printf(out, "%s%s", out->len ? "," : "",
				  addr_types[i].name);
}

void xc_addrtype(const char *val, struct strbuf *out)
{
	bool ok;

	atype_text(atype_mask(val, &ok), out);
}

static uint32_t fib_flag(unsigned prop)
{
	return prop == FWP_SRC_ADDRESS_TYPE ? NFTA_FIB_F_SADDR : NFTA_FIB_F_DADDR;
}

int xe_addrtype(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	struct xelem el[N_ATYPES];
	size_t n = 0;
	bool ok;
	unsigned m = atype_mask(val, &ok);

	if (!ok || !m)
		return x_fail(x, "invalid address type %s", val);
	struct nftnl_expr *f = nftnl_expr_alloc("fib");
	nftnl_expr_set_u32(f, NFTNL_EXPR_FIB_FLAGS, fib_flag(prop));
	nftnl_expr_set_u32(f, NFTNL_EXPR_FIB_RESULT, NFT_FIB_RESULT_ADDRTYPE);
	nftnl_expr_set_u32(f, NFTNL_EXPR_FIB_DREG, RK);
	x_add(x, f);
	memset(el, 0, sizeof(el));
	for (size_t i = 0; i < N_ATYPES; i++)
		if (m & 1u << i)
			memcpy(el[n++].a, &addr_types[i].rtn, 4);
	if (n == 1) {
		x_cmp(x, RK, cmp_op(neg), el[0].a, 4);
		return 0;
	}
	const char *name;
	uint32_t id = x_anon_set(x, 38 /* fib_addrtype */, 4, false, false,
				 el, n, &name);
	x_lookup(x, RK, name, id, -1, neg);
	return 0;
}

static int atype_of(const unsigned char *v)
{
	uint32_t rtn;

	memcpy(&rtn, v, 4);
	for (size_t i = 0; i < N_ATYPES; i++)
		if (addr_types[i].rtn == rtn)
			return (int)i;
	return -1;
}

int xd_addrtype(struct nfd *d, unsigned prop)
{
	const struct nftnl_expr *f = d_at(d, 0);
	struct dval v;
	unsigned m = 0;
	bool neg = false;

	if (!d_is(f, "fib") || d_u32(f, NFTNL_EXPR_FIB_FLAGS) != fib_flag(prop) ||
	    d_u32(f, NFTNL_EXPR_FIB_RESULT) != NFT_FIB_RESULT_ADDRTYPE ||
	    !d_value(d, &v))
		return 0;
	if (v.kind == DV_CMP && eq_neg(v.op, &neg) && v.len == 4 &&
	    atype_of(v.a) >= 0) {
		m = 1u << atype_of(v.a);
	} else if (v.kind == DV_SET && v.set->nelems && v.set->key_len == 4) {
		neg = v.op;
		for (size_t i = 0; i < v.set->nelems; i++) {
			int t = atype_of(v.set->elems[i].key);
			if (t < 0)
				return 0;
			m |= 1u << t;
		}
	} else {
		return 0;
	}
	struct strbuf t = STRBUF_INIT;
	atype_text(m, &t);
	put_neg(d, prop, neg, sb_str(&t));
	sb_free(&t);
	d->pos += v.n;
	return 1;
}

/* ---- protocol ------------------------------------------------------------ */

/* Names come from the grammar's protocol type, so both agree. */
static const char *proto_name(unsigned num, char buf[8])
{
	static char *names[256];
	struct strbuf sb = STRBUF_INIT;

	if (!names[num]) {
		snprintf(buf, 8, "%u", num);
		if (gr_value_parse(&gr_t_protocol, buf, &sb) == GR_PE_OK)
			names[num] = sb_steal(&sb);
		sb_free(&sb);
	}
	return names[num] ? names[num] : (snprintf(buf, 8, "%u", num), buf);
}

static int proto_num(const char *val)
{
	char buf[8];
	uint32_t n;

	if (v_u32(val, 255, &n))
		return (int)n;
	for (unsigned i = 0; i < 256; i++)
		if (strcmp(proto_name(i, buf), val) == 0)
			return (int)i;
	return -1;
}

int xe_proto(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	int n = proto_num(val);

	if (n < 0)
		return x_fail(x, "invalid protocol %s", val);
	uint8_t b = (uint8_t)n;
	x_meta(x, NFT_META_L4PROTO, RK);
	x_cmp(x, RK, cmp_op(neg), &b, 1);
	return 0;
}

int xd_proto(struct nfd *d, unsigned prop)
{
	struct dval v;
	bool neg;
	char buf[8];

	if (!d_meta(d_at(d, 0), NFT_META_L4PROTO) || !d_value(d, &v) ||
	    v.kind != DV_CMP || v.len != 1 || !eq_neg(v.op, &neg))
		return 0;
	put_neg(d, prop, neg, proto_name(v.a[0], buf));
	d->pos += v.n;
	return 1;
}

const char *xl_proto_of(const struct rprops *p)
{
	return p->v[FWP_PROTOCOL];
}

bool xl_is_l4port_proto(const struct rprops *p)
{
	static const char *const ok[] = {
		"tcp", "udp", "udp-lite", "dccp", "sctp", NULL
	};
	const char *v = p->v[FWP_PROTOCOL];

	return v && v_word(v, strlen(v), ok) >= 0;
}

/* ---- fragment, dscp, ttl, packet-size, src-mac-address ------------------- */

int xe_fragment(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	uint16_t mask = htons(0x3fff), zero = 0;

	x_payload(x, NH, 6, 2, RK);
	x_bitwise(x, RK, 2, &mask, NULL);
	x_cmp(x, RK, strcmp(val, "yes") == 0 ? NFT_CMP_NEQ : NFT_CMP_EQ,
	      &zero, 2);
	return 0;
}

int xd_fragment(struct nfd *d, unsigned prop)
{
	struct dval v;

	if (!d_payload(d_at(d, 0), NH, 6, 2) || !d_value(d, &v) ||
	    v.kind != DV_MASK || v.len != 2 || v.mask[0] != 0x3f ||
	    v.mask[1] != 0xff || v.a[0] || v.a[1] ||
	    (v.op != NFT_CMP_EQ && v.op != NFT_CMP_NEQ))
		return 0;
	d_put(d, prop, v.op == NFT_CMP_NEQ ? "yes" : "no");
	d->pos += v.n;
	return 1;
}

int xe_dscp(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	uint32_t n;
	uint8_t mask = 0xfc, b;

	if (!v_u32(val, 63, &n))
		return x_fail(x, "invalid dscp %s", val);
	b = (uint8_t)(n << 2);
	x_payload(x, NH, 1, 1, RK);
	x_bitwise(x, RK, 1, &mask, NULL);
	x_cmp(x, RK, cmp_op(neg), &b, 1);
	return 0;
}

int xd_dscp(struct nfd *d, unsigned prop)
{
	struct dval v;
	bool neg;
	char buf[8];

	if (!d_payload(d_at(d, 0), NH, 1, 1) || !d_value(d, &v) ||
	    v.kind != DV_MASK || v.len != 1 || v.mask[0] != 0xfc ||
	    (v.a[0] & 3) || !eq_neg(v.op, &neg))
		return 0;
	snprintf(buf, sizeof(buf), "%u", v.a[0] >> 2);
	put_neg(d, prop, neg, buf);
	d->pos += v.n;
	return 1;
}

static const struct { const char *name; uint32_t op; } ttl_ops[] = {
	{ "equal", NFT_CMP_EQ }, { "not-equal", NFT_CMP_NEQ },
	{ "less-than", NFT_CMP_LT }, { "greater-than", NFT_CMP_GT },
};

int xe_ttl(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	const char *colon = strchr(val, ':');
	uint32_t n;

	for (size_t i = 0; colon && i < 4; i++) {
		if (strlen(ttl_ops[i].name) != (size_t)(colon - val) ||
		    strncmp(ttl_ops[i].name, val, (size_t)(colon - val)) ||
		    !v_u32(colon + 1, 255, &n))
			continue;
		uint8_t b = (uint8_t)n;
		x_payload(x, NH, 8, 1, RK);
		x_cmp(x, RK, ttl_ops[i].op, &b, 1);
		return 0;
	}
	return x_fail(x, "invalid ttl %s", val);
}

int xd_ttl(struct nfd *d, unsigned prop)
{
	struct dval v;
	char buf[32];

	if (!d_payload(d_at(d, 0), NH, 8, 1) || !d_value(d, &v) ||
	    v.kind != DV_CMP || v.len != 1)
		return 0;
	for (size_t i = 0; i < 4; i++) {
		if (ttl_ops[i].op != v.op)
			continue;
		snprintf(buf, sizeof(buf), "%s:%u", ttl_ops[i].name, v.a[0]);
		d_put(d, prop, buf);
		d->pos += v.n;
		return 1;
	}
	return 0;
}

/* meta len: "N" is a compare, "A-B" a big-endian range */
int xe_psize(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	uint32_t a, b;
	unsigned char lo[4], hi[4];

	if (!v_range(val, 65535, &a, &b))
		return x_fail(x, "invalid packet-size %s", val);
	x_meta(x, NFT_META_LEN, RK);
	if (!strchr(val, '-')) {
		x_cmp(x, RK, cmp_op(neg), &a, 4);
		return 0;
	}
	be_put(lo, a, 4);
	be_put(hi, b, 4);
	x_hton(x, RK, 4);
	x_range(x, RK, neg ? NFT_RANGE_NEQ : NFT_RANGE_EQ, lo, hi, 4);
	return 0;
}

int xd_psize(struct nfd *d, unsigned prop)
{
	struct dval v;
	uint32_t a;
	char buf[32];
	bool neg;

	if (!d_meta(d_at(d, 0), NFT_META_LEN))
		return 0;
	if (d_hton(d_at(d, 1), RK, 4)) {
		d->pos++;	/* d_value looks right after the load */
		bool ok = d_value(d, &v) && v.kind == DV_RANGE && v.len == 4 &&
			  v.op <= NFT_RANGE_NEQ;
		d->pos--;
		if (!ok)
			return 0;
		neg = v.op == NFT_RANGE_NEQ;
		snprintf(buf, sizeof(buf), "%u-%u", (unsigned)be_get(v.a, 4),
			 (unsigned)be_get(v.b, 4));
		v.n++;
	} else {
		if (!d_value(d, &v) || v.kind != DV_CMP || v.len != 4 ||
		    !eq_neg(v.op, &neg))
			return 0;
		memcpy(&a, v.a, 4);
		snprintf(buf, sizeof(buf), "%u", a);
	}
	put_neg(d, prop, neg, buf);
	d->pos += v.n;
	return 1;
}

int xe_mac(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	unsigned m[6];
	uint8_t b[6];
	char tail;

	if (sscanf(val, "%x:%x:%x:%x:%x:%x%c", &m[0], &m[1], &m[2], &m[3],
		   &m[4], &m[5], &tail) != 6)
		return x_fail(x, "invalid MAC address %s", val);
	for (int i = 0; i < 6; i++)
		b[i] = (uint8_t)m[i];
	x_payload(x, NFT_PAYLOAD_LL_HEADER, 6, 6, RK);
	x_cmp(x, RK, cmp_op(neg), b, 6);
	return 0;
}

int xd_mac(struct nfd *d, unsigned prop)
{
	struct dval v;
	char buf[24];
	bool neg;

	if (!d_payload(d_at(d, 0), NFT_PAYLOAD_LL_HEADER, 6, 6) ||
	    !d_value(d, &v) || v.kind != DV_CMP || v.len != 6 ||
	    !eq_neg(v.op, &neg))
		return 0;
	snprintf(buf, sizeof(buf), "%02X:%02X:%02X:%02X:%02X:%02X", v.a[0],
		 v.a[1], v.a[2], v.a[3], v.a[4], v.a[5]);
	put_neg(d, prop, neg, buf);
	d->pos += v.n;
	return 1;
}
