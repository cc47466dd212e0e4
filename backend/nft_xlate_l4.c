/* Transport header matchers: ports, port, tcp-flags, icmp-options, tcp-mss. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>

#include "nft_xlate.h"
#include "nft_ports.h"

#define TH NFT_PAYLOAD_TRANSPORT_HEADER

static const char need_l4[] =
	"%s can be used only with protocol tcp, udp, udp-lite, dccp or sctp";

static void put_neg(struct nfd *d, unsigned prop, bool neg, const char *t)
{
	sb_reset(&d->sb);
	sb_printf(&d->sb, "%s%s", neg ? "!" : "", t);
	d_put(d, prop, sb_str(&d->sb));
}

static bool is_proto(const struct rprops *p, const char *name)
{
	return p->v[FWP_PROTOCOL] && !strcmp(p->v[FWP_PROTOCOL], name);
}

/* ---- port lists -------------------------------------------------------- */


/* Parse "22,80,8000-8100" into sorted, merged ranges; n = count. */
static bool ports_parse(const char *val, struct prange_v *r, size_t max,
			size_t *n, size_t *given)
{
	char buf[32];
	size_t k = 0;

	for (const char *p = val; *p;) {
		size_t len = strcspn(p, ",");
		if (!len || len >= sizeof(buf) || k == max)
			return false;
		memcpy(buf, p, len);
		buf[len] = '\0';
		if (!v_range(buf, 65535, &r[k].a, &r[k].b))
			return false;
		k++;
		p += len + (p[len] == ',');
	}
	*given = k;
	*n = nfp_sort_merge(r, k);
	return k > 0;
}

static void ports_text(const struct prange_v *r, size_t n, struct strbuf *out)
{
	for (size_t i = 0; i < n; i++) {
		sb_printf(out, "%s%u", i ? "," : "", r[i].a);
		if (r[i].b != r[i].a)
			sb_printf(out, "-%u", r[i].b);
	}
}

#define MAXP 512

void xc_ports(const char *val, struct strbuf *out)
{
	static struct prange_v r[MAXP];
	size_t n, given;

	if (ports_parse(val, r, MAXP, &n, &given))
		ports_text(r, n, out);
	else
		sb_adds(out, val);
}

static size_t ports_elems(const struct prange_v *r, size_t n, struct xelem *el,
			  bool *interval)
{
	*interval = false;
	for (size_t i = 0; i < n; i++) {
		uint16_t a = htons((uint16_t)r[i].a), b = htons((uint16_t)r[i].b);

		memset(&el[i], 0, sizeof(el[i]));
		memcpy(el[i].a, &a, 2);
		memcpy(el[i].b, &b, 2);
		el[i].data = MAP_ON;
		if (r[i].a != r[i].b)
			*interval = true;
	}
	return n;
}

/* port matcher on offset off: cmp, range, or an anonymous set */
static void port_match(struct nfx *x, uint32_t off, const struct prange_v *r,
		       size_t n, bool neg)
{
	if (n == 1) {
		x_payload(x, TH, off, 2, RK);
		uint16_t a = htons((uint16_t)r[0].a), b = htons((uint16_t)r[0].b);
		if (r[0].a == r[0].b)
			x_cmp(x, RK, neg ? NFT_CMP_NEQ : NFT_CMP_EQ, &a, 2);
		else
			x_range(x, RK, neg ? NFT_RANGE_NEQ : NFT_RANGE_EQ, &a,
				&b, 2);
		return;
	}
	/* more than one: the shared set "ports" (nft_ports.c), which the
	 * commit fills from this rule's property */
	uint32_t key = htonl(nfp_key(x->menu, off ? FWP_DST_PORT : FWP_SRC_PORT,
				     x->rule->id));
	x_imm(x, RK32, &key, 4);
	x_payload(x, TH, off, 2, RK32 + 1);
	x_lookup(x, RK32, "ports", 0, -1, neg);
}

static int ports_arg(struct nfx *x, unsigned prop, const char *val,
		     struct prange_v *r, size_t *n)
{
	size_t given;
	static const char *const names[] = {
		[FWP_SRC_PORT] = "src-port", [FWP_DST_PORT] = "dst-port",
		[FWP_PORT] = "port",
	};

	if (!xl_is_l4port_proto(x->p) || xl_proto_of(x->p)[0] == '!')
		return x_fail(x, need_l4, names[prop]);
	if (!ports_parse(val, r, MAXP, n, &given))
		return x_fail(x, "invalid port list %s", val);
	return 0;
}

int xe_port(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	struct prange_v *r = xcalloc(MAXP, sizeof(*r));
	size_t n;
	int rc = ports_arg(x, prop, val, r, &n);

	if (rc == 0)
		port_match(x, prop == FWP_SRC_PORT ? 0 : 2, r, n, neg);
	free(r);
	return rc;
}

static uint16_t be16(const unsigned char *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

/* The ranges of an anonymous port set (key len 2). */
static bool set_ranges(const struct nft_set *s, struct strbuf *out)
{
	if (s->key_len != 2 || !s->nelems)
		return false;
	struct prange_v *r = xcalloc(s->nelems, sizeof(*r));
	size_t n = 0;
	for (size_t i = 0; i < s->nelems; i++) {
		const struct nft_anon_elem *el = &s->elems[i];
		if (el->flags & NFT_SET_ELEM_CATCHALL)
			continue;
		r[n].a = be16(el->key);
		r[n].b = (s->flags & NFT_SET_INTERVAL) ? be16(el->end) : r[n].a;
		n++;
	}
	qsort(r, n, sizeof(*r), nfp_range_cmp);
	ports_text(r, n, out);
	free(r);
	return n > 0;
}

static bool port_value(const struct dval *v, struct strbuf *t, bool *neg)
{
	if (v->kind == DV_CMP && v->len == 2 &&
	    (v->op == NFT_CMP_EQ || v->op == NFT_CMP_NEQ)) {
		*neg = v->op == NFT_CMP_NEQ;
		sb_printf(t, "%u", be16(v->a));
		return true;
	}
	if (v->kind == DV_RANGE && v->len == 2 && v->op <= NFT_RANGE_NEQ) {
		*neg = v->op == NFT_RANGE_NEQ;
		sb_printf(t, "%u-%u", be16(v->a), be16(v->b));
		return true;
	}
	if (v->kind == DV_SET) {
		*neg = v->op;
		return !(v->set->flags & NFT_SET_MAP) && set_ranges(v->set, t);
	}
	return false;
}

/* [imm key -> r8][payload port -> r9][lookup r8 @ports] */
static int xd_port_shared(struct nfd *d, unsigned prop)
{
	const struct nftnl_expr *imm = d_at(d, 0), *l = d_at(d, 2);
	uint32_t len, key;
	struct strbuf t = STRBUF_INIT;

	if (!d_is(imm, "immediate") || d_reg(imm, NFTNL_EXPR_IMM_DREG) != reg32(RK32) ||
	    !d_payload(d_at(d, 1), TH, prop == FWP_SRC_PORT ? 0 : 2, 2) ||
	    d_reg(d_at(d, 1), NFTNL_EXPR_PAYLOAD_DREG) != reg32(RK32 + 1) ||
	    !d_is(l, "lookup") || d_has(l, NFTNL_EXPR_LOOKUP_DREG) ||
	    d_reg(l, NFTNL_EXPR_LOOKUP_SREG) != reg32(RK32) ||
	    strcmp(nftnl_expr_get_str(l, NFTNL_EXPR_LOOKUP_SET), "ports"))
		return 0;
	const void *p = d_data(imm, NFTNL_EXPR_IMM_DATA, &len);
	if (len != 4)
		return 0;
	memcpy(&key, p, 4);
	key = ntohl(key);
	if (key != nfp_key(d->menu, prop, key & 0x3fffffffu) ||
	    !nfp_text(key, &t)) {
		sb_free(&t);
		return 0;
	}
	put_neg(d, prop, d_u32(l, NFTNL_EXPR_LOOKUP_FLAGS) & NFT_LOOKUP_F_INV,
		sb_str(&t));
	sb_free(&t);
	d->pos += 3;
	return 1;
}

int xd_port(struct nfd *d, unsigned prop)
{
	if (xl_is_l4port_proto(d->p) && d_is(d_at(d, 0), "immediate"))
		return xd_port_shared(d, prop);
	struct dval v;
	struct strbuf t = STRBUF_INIT;
	bool neg;

	if (!xl_is_l4port_proto(d->p) ||
	    !d_payload(d_at(d, 0), TH, prop == FWP_SRC_PORT ? 0 : 2, 2) ||
	    !d_value(d, &v) || !port_value(&v, &t, &neg)) {
		sb_free(&t);
		return 0;
	}
	put_neg(d, prop, neg, sb_str(&t));
	sb_free(&t);
	d->pos += v.n;
	return 1;
}

/*
 * port=: source or destination port in the list. Two anonymous maps (an
 * anonymous set binds to one lookup only) give 1 for listed ports, 0 in
 * their catch-all; [sport map -> rA][dport map -> rB][cmp rA.rB != 0].
 */
int xe_anyport(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	static const unsigned char zero[8];
	struct prange_v *r = xcalloc(MAXP, sizeof(*r));
	size_t n;

	if (ports_arg(x, prop, val, r, &n) < 0) {
		free(r);
		return -1;
	}
	struct xelem *el = xcalloc(n + 1, sizeof(*el));
	bool interval;
	ports_elems(r, n, el, &interval);
	el[n].catchall = true;
	for (uint32_t off = 0; off <= 2; off += 2) {
		const char *name;
		uint32_t id = x_anon_set(x, 13, 2, interval, true, el, n + 1,
					 &name);
		x_payload(x, TH, off, 2, RK);
		x_lookup(x, RK, name, id, off ? RB : RA, false);
	}
	x_cmp(x, RA, neg ? NFT_CMP_EQ : NFT_CMP_NEQ, zero, 8);
	free(el);
	free(r);
	return 0;
}

static const struct nft_set *anyport_map(const struct nfd *d, size_t k,
					 uint32_t off, uint32_t dreg)
{
	const struct nftnl_expr *l = d_at(d, k + 1);

	if (!d_payload(d_at(d, k), TH, off, 2) || !d_is(l, "lookup") ||
	    d_reg(l, NFTNL_EXPR_LOOKUP_SREG) != reg32(RK) ||
	    d_reg(l, NFTNL_EXPR_LOOKUP_DREG) != reg32(dreg) ||
	    d_u32(l, NFTNL_EXPR_LOOKUP_FLAGS))
		return NULL;
	const struct nft_set *s = d_set(l);
	return s && (s->flags & NFT_SET_MAP) ? s : NULL;
}

int xd_anyport(struct nfd *d, unsigned prop)
{
	const struct nft_set *a = anyport_map(d, 0, 0, RA),
			     *b = anyport_map(d, 2, 2, RB);
	const struct nftnl_expr *c = d_at(d, 4);
	struct strbuf ta = STRBUF_INIT, tb = STRBUF_INIT;
	uint32_t len, op;
	int rc = 0;

	if (!xl_is_l4port_proto(d->p) || !a || !b || !d_is(c, "cmp") ||
	    d_reg(c, NFTNL_EXPR_CMP_SREG) != reg32(RA))
		return 0;
	op = d_u32(c, NFTNL_EXPR_CMP_OP);
	const unsigned char *z = d_data(c, NFTNL_EXPR_CMP_DATA, &len);
	if (len == 8 && !memcmp(z, "\0\0\0\0\0\0\0\0", 8) &&
	    (op == NFT_CMP_EQ || op == NFT_CMP_NEQ) && set_ranges(a, &ta) &&
	    set_ranges(b, &tb) && strcmp(sb_str(&ta), sb_str(&tb)) == 0) {
		put_neg(d, prop, op == NFT_CMP_EQ, sb_str(&ta));
		d->pos += 5;
		rc = 1;
	}
	sb_free(&ta);
	sb_free(&tb);
	return rc;
}

/* ---- tcp-flags: th[13] & mask == set ------------------------------------ */

static const char *const tcp_flags[] = {
	"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr", NULL
};

int xe_tcpflags(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	uint8_t set = 0, clr = 0;

	if (!xl_proto_of(x->p) || strcmp(xl_proto_of(x->p), "tcp") != 0)
		return x_fail(x, "tcp-flags can be used only with protocol tcp");
	for (const char *p = val; *p;) {
		size_t n = strcspn(p, ",");
		bool bang = *p == '!';
		int i = v_word(p + bang, n - bang, tcp_flags);
		if (i < 0)
			return x_fail(x, "invalid tcp flag in %s", val);
		*(bang ? &clr : &set) |= (uint8_t)(1u << i);
		p += n + (p[n] == ',');
	}
	uint8_t mask = set | clr;
	x_payload(x, TH, 13, 1, RK);
	x_bitwise(x, RK, 1, &mask, NULL);
	x_cmp(x, RK, neg ? NFT_CMP_NEQ : NFT_CMP_EQ, &set, 1);
	return 0;
}

int xd_tcpflags(struct nfd *d, unsigned prop)
{
	struct dval v;
	struct strbuf t = STRBUF_INIT;

	if (!is_proto(d->p, "tcp") ||
	    !d_payload(d_at(d, 0), TH, 13, 1) || !d_value(d, &v) ||
	    v.kind != DV_MASK || v.len != 1 || v.op != NFT_CMP_EQ ||
	    (v.a[0] & ~v.mask[0]) || !v.mask[0])
		return 0;
	for (int i = 0; i < 16; i++) {
		uint8_t bits = i < 8 ? v.a[0] : v.mask[0] & ~v.a[0];
		if (bits & (1u << (i % 8)))
			sb_printf(&t, "%s%s%s", t.len ? "," : "", i < 8 ? "" : "!",
				  tcp_flags[i % 8]);
	}
	d_put(d, prop, sb_str(&t));
	sb_free(&t);
	d->pos += v.n;
	return 1;
}

/* ---- icmp-options: "T" th[0]; "T:C" th[0..1]; "T:A-B" range th[0..1] ---- */

int xe_icmp(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	uint32_t t, a, b;
	char buf[16];
	const char *colon = strchr(val, ':');

	if (!xl_proto_of(x->p) || strcmp(xl_proto_of(x->p), "icmp") != 0)
		return x_fail(x, "icmp-options can be used only with protocol icmp");
	if (strlen(val) >= sizeof(buf))
		return x_fail(x, "invalid icmp-options %s", val);
	strcpy(buf, val);
	if (colon)
		buf[colon - val] = '\0';
	if (!v_u32(buf, 255, &t) || (colon && !v_range(colon + 1, 255, &a, &b)))
		return x_fail(x, "invalid icmp-options %s", val);
	if (!colon) {
		uint8_t v8 = (uint8_t)t;
		x_payload(x, TH, 0, 1, RK);
		x_cmp(x, RK, neg ? NFT_CMP_NEQ : NFT_CMP_EQ, &v8, 1);
		return 0;
	}
	uint16_t lo = htons((uint16_t)(t << 8 | a)), hi = htons((uint16_t)(t << 8 | b));
	x_payload(x, TH, 0, 2, RK);
	if (strchr(colon, '-'))
		x_range(x, RK, neg ? NFT_RANGE_NEQ : NFT_RANGE_EQ, &lo, &hi, 2);
	else
		x_cmp(x, RK, neg ? NFT_CMP_NEQ : NFT_CMP_EQ, &lo, 2);
	return 0;
}

int xd_icmp(struct nfd *d, unsigned prop)
{
	struct dval v;
	char buf[32];
	bool neg;

	if (!is_proto(d->p, "icmp"))
		return 0;
	if (d_payload(d_at(d, 0), TH, 0, 1)) {
		if (!d_value(d, &v) || v.kind != DV_CMP ||
		    (v.op != NFT_CMP_EQ && v.op != NFT_CMP_NEQ))
			return 0;
		neg = v.op == NFT_CMP_NEQ;
		snprintf(buf, sizeof(buf), "%u", v.a[0]);
	} else if (d_payload(d_at(d, 0), TH, 0, 2) && d_value(d, &v)) {
		if (v.kind == DV_CMP && (v.op == NFT_CMP_EQ || v.op == NFT_CMP_NEQ)) {
			neg = v.op == NFT_CMP_NEQ;
			snprintf(buf, sizeof(buf), "%u:%u", v.a[0], v.a[1]);
		} else if (v.kind == DV_RANGE && v.op <= NFT_RANGE_NEQ &&
			   v.a[0] == v.b[0]) {
			neg = v.op == NFT_RANGE_NEQ;
			snprintf(buf, sizeof(buf), "%u:%u-%u", v.a[0], v.a[1],
				 v.b[1]);
		} else {
			return 0;
		}
	} else {
		return 0;
	}
	put_neg(d, prop, neg, buf);
	d->pos += v.n;
	return 1;
}

/* ---- tcp-mss: tcp option maxseg size --------------------------------- */

static void mss_load(struct nfx *x)
{
	struct nftnl_expr *ex = nftnl_expr_alloc("exthdr");

	nftnl_expr_set_u32(ex, NFTNL_EXPR_EXTHDR_DREG, RK);
	nftnl_expr_set_u8(ex, NFTNL_EXPR_EXTHDR_TYPE, 2);
	nftnl_expr_set_u32(ex, NFTNL_EXPR_EXTHDR_OFFSET, 2);
	nftnl_expr_set_u32(ex, NFTNL_EXPR_EXTHDR_LEN, 2);
	nftnl_expr_set_u32(ex, NFTNL_EXPR_EXTHDR_OP, NFT_EXTHDR_OP_TCPOPT);
	x_add(x, ex);
}

int xe_mss(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	uint32_t a, b;

	if (!xl_proto_of(x->p) || strcmp(xl_proto_of(x->p), "tcp") != 0)
		return x_fail(x, "tcp-mss can be used only with protocol tcp");
	if (!v_range(val, 65535, &a, &b))
		return x_fail(x, "invalid tcp-mss %s", val);
	/* iptables' tcpmss (RouterOS) lets !N match packets that carry no
	 * MSS option at all; nft's exthdr can only skip them, and the rule
	 * would match less than the admin wrote (a drop would let them by). */
	if (neg)
		return x_fail(x, "tcp-mss=!%s is not supported on Linux (packets "
			      "without the MSS option would not match)", val);
	uint16_t lo = htons((uint16_t)a), hi = htons((uint16_t)b);
	mss_load(x);
	if (strchr(val, '-'))
		x_range(x, RK, neg ? NFT_RANGE_NEQ : NFT_RANGE_EQ, &lo, &hi, 2);
	else
		x_cmp(x, RK, neg ? NFT_CMP_NEQ : NFT_CMP_EQ, &lo, 2);
	return 0;
}

int xd_mss(struct nfd *d, unsigned prop)
{
	const struct nftnl_expr *ex = d_at(d, 0);
	struct dval v;
	struct strbuf t = STRBUF_INIT;
	bool neg;

	if (!is_proto(d->p, "tcp") || !d_is(ex, "exthdr") ||
	    d_u32(ex, NFTNL_EXPR_EXTHDR_OP) != NFT_EXTHDR_OP_TCPOPT ||
	    nftnl_expr_get_u8(ex, NFTNL_EXPR_EXTHDR_TYPE) != 2 ||
	    d_u32(ex, NFTNL_EXPR_EXTHDR_OFFSET) != 2 ||
	    d_u32(ex, NFTNL_EXPR_EXTHDR_LEN) != 2 || !d_value(d, &v) ||
	    v.kind == DV_SET || !port_value(&v, &t, &neg)) {
		sb_free(&t);
		return 0;
	}
	put_neg(d, prop, neg, sb_str(&t));
	sb_free(&t);
	d->pos += v.n;
	return 1;
}
