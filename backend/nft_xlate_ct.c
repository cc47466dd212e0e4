/*
 * Connection tracking matchers: connection-state, connection-nat-state,
 * connection-mark / packet-mark, connection-type, connection-bytes, and the
 * ipsec-policy matcher (secpath / xfrm route).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>

#include "nft_xlate.h"
#include "nft_sets.h"

static void put_neg(struct nfd *d, unsigned prop, bool neg, const char *t)
{
	sb_reset(&d->sb);
	sb_printf(&d->sb, "%s%s", neg ? "!" : "", t);
	d_put(d, prop, sb_str(&d->sb));
}

/* ---- bit sets: ct state, ct status ---------------------------------------- */

struct bitname {
	const char *name;
	uint32_t bit;
};

/* In decode (print) order. */
static const struct bitname cstates[] = {
	{ "established", 1u << 1 }, { "related", 1u << 2 }, { "new", 1u << 3 },
	{ "invalid", 1u << 0 }, { "untracked", 1u << 6 }, { NULL, 0 },
};
static const struct bitname natstates[] = {
	{ "srcnat", 1u << 4 }, { "dstnat", 1u << 5 }, { NULL, 0 },
};

static uint32_t bits_of(const struct bitname *t, const char *val, bool *ok)
{
	uint32_t m = 0;

	*ok = *val != '\0';
	for (const char *p = val; *p;) {
		size_t n = strcspn(p, ",");
		size_t i;
		for (i = 0; t[i].name; i++)
			if (strlen(t[i].name) == n && !strncmp(t[i].name, p, n))
				break;
		if (!t[i].name)
			*ok = false;
		else
			m |= t[i].bit;
		p += n + (p[n] == ',');
	}
	return m;
}

static bool bits_text(const struct bitname *t, uint32_t m, struct strbuf *out)
{
	for (size_t i = 0; t[i].name; i++) {
		if (m & t[i].bit) {
			sb_printf(out, "%s%s", out->len ? "," : "", t[i].name);
			m &= ~t[i].bit;
		}
	}
	return m == 0;
}

void xc_cstate(const char *val, struct strbuf *out)
{
	bool ok;

	bits_text(cstates, bits_of(cstates, val, &ok), out);
}

void xc_natstate(const char *val, struct strbuf *out)
{
	bool ok;

	bits_text(natstates, bits_of(natstates, val, &ok), out);
}

/* [ct key][bitwise & bits][cmp != 0] (negated: == 0) */
static int enc_bits(struct nfx *x, const struct bitname *t, uint32_t key,
		    const char *val, bool neg)
{
	bool ok;
	uint32_t m = bits_of(t, val, &ok), zero = 0;

	if (!ok)
		return x_fail(x, "invalid value %s", val);
	x_ct(x, key, RK);
	x_bitwise(x, RK, 4, &m, NULL);
	x_cmp(x, RK, neg ? NFT_CMP_EQ : NFT_CMP_NEQ, &zero, 4);
	return 0;
}

static int dec_bits(struct nfd *d, unsigned prop, const struct bitname *t,
		    uint32_t key)
{
	struct dval v;
	uint32_t m, val;
	struct strbuf s = STRBUF_INIT;

	if (!d_ct(d_at(d, 0), key) || !d_value(d, &v) || v.kind != DV_MASK ||
	    v.len != 4 || (v.op != NFT_CMP_EQ && v.op != NFT_CMP_NEQ))
		return 0;
	memcpy(&m, v.mask, 4);
	memcpy(&val, v.a, 4);
	if (val || !m || !bits_text(t, m, &s)) {
		sb_free(&s);
		return 0;
	}
	put_neg(d, prop, v.op == NFT_CMP_EQ, sb_str(&s));
	sb_free(&s);
	d->pos += v.n;
	return 1;
}

int xe_cstate(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	return enc_bits(x, cstates, NFT_CT_STATE, val, neg);
}

int xd_cstate(struct nfd *d, unsigned prop)
{
	return dec_bits(d, prop, cstates, NFT_CT_STATE);
}

int xe_natstate(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	return enc_bits(x, natstates, NFT_CT_STATUS, val, neg);
}

int xd_natstate(struct nfd *d, unsigned prop)
{
	return dec_bits(d, prop, natstates, NFT_CT_STATUS);
}

/* ---- connection-mark (ct mark), packet-mark (meta mark) ----------------- */

static void mark_load(struct nfx *x, unsigned prop)
{
	if (prop == FWP_CONNECTION_MARK)
		x_ct(x, NFT_CT_MARK, RK);
	else
		x_meta(x, NFT_META_MARK, RK);
}

int xe_mark(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	uint32_t v;

	if (nfs_mark_value(val, x->b != NULL, &v, x->e) < 0)
		return -1;
	mark_load(x, prop);
	x_cmp(x, RK, neg ? NFT_CMP_NEQ : NFT_CMP_EQ, &v, 4);
	return 0;
}

int xd_mark(struct nfd *d, unsigned prop)
{
	const struct nftnl_expr *ld = d_at(d, 0);
	struct dval v;
	uint32_t m;
	char buf[16];

	if (!(prop == FWP_CONNECTION_MARK ? d_ct(ld, NFT_CT_MARK) :
	      d_meta(ld, NFT_META_MARK)) || !d_value(d, &v) ||
	    v.kind != DV_CMP || v.len != 4 ||
	    (v.op != NFT_CMP_EQ && v.op != NFT_CMP_NEQ))
		return 0;
	memcpy(&m, v.a, 4);
	put_neg(d, prop, v.op == NFT_CMP_NEQ, nfs_mark_name(m, buf));
	d->pos += v.n;
	return 1;
}

/* ---- connection-type: ct helper "<name>" ---------------------------------- */

static const struct { const char *ros, *helper; } helpers[] = {
	{ "ftp", "ftp" }, { "irc", "irc" }, { "pptp", "pptp" },
	{ "sip", "sip" }, { "tftp", "tftp" }, { "h323", "RAS" },
};
#define N_HELPERS (sizeof(helpers) / sizeof(helpers[0]))

int xe_ctype(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	for (size_t i = 0; i < N_HELPERS; i++) {
		if (strcmp(helpers[i].ros, val) != 0)
			continue;
		x_ct(x, NFT_CT_HELPER, RK);
		x_cmp(x, RK, neg ? NFT_CMP_NEQ : NFT_CMP_EQ, helpers[i].helper,
		      (uint32_t)strlen(helpers[i].helper) + 1);
		return 0;
	}
	return x_fail(x, "connection-type=%s is not supported on Linux", val);
}

int xd_ctype(struct nfd *d, unsigned prop)
{
	struct dval v;

	if (!d_ct(d_at(d, 0), NFT_CT_HELPER) || !d_value(d, &v) ||
	    v.kind != DV_CMP || (v.op != NFT_CMP_EQ && v.op != NFT_CMP_NEQ))
		return 0;
	for (size_t i = 0; i < N_HELPERS; i++) {
		if (v.len != strlen(helpers[i].helper) + 1 ||
		    memcmp(v.a, helpers[i].helper, v.len) != 0)
			continue;
		put_neg(d, prop, v.op == NFT_CMP_NEQ, helpers[i].ros);
		d->pos += v.n;
		return 1;
	}
	return 0;
}

/* ---- connection-bytes: ct bytes (both directions), "a-0" means >= a ------ */

int xe_cbytes(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	const char *dash = strchr(val, '-');
	char buf[32];
	uint64_t a, b;
	unsigned char lo[8], hi[8];

	if (!dash || (size_t)(dash - val) >= sizeof(buf))
		return x_fail(x, "invalid connection-bytes %s", val);
	memcpy(buf, val, (size_t)(dash - val));
	buf[dash - val] = '\0';
	if (!v_u64(buf, &a) || !v_u64(dash + 1, &b))
		return x_fail(x, "invalid connection-bytes %s", val);
	be_put(lo, a, 8);
	be_put(hi, b, 8);
	x_ct(x, NFT_CT_BYTES, RK);
	x_hton(x, RK, 8);	/* cmp >= and range compare big-endian data */
	if (b == 0)
		x_cmp(x, RK, NFT_CMP_GTE, lo, 8);
	else
		x_range(x, RK, NFT_RANGE_EQ, lo, hi, 8);
	return 0;
}

int xd_cbytes(struct nfd *d, unsigned prop)
{
	const struct nftnl_expr *c = d_at(d, 2);
	uint32_t len, len2;
	char buf[48];

	if (!d_ct(d_at(d, 0), NFT_CT_BYTES) || !d_hton(d_at(d, 1), RK, 8))
		return 0;
	if (d_is(c, "cmp") && d_u32(c, NFTNL_EXPR_CMP_OP) == NFT_CMP_GTE) {
		const unsigned char *p = d_data(c, NFTNL_EXPR_CMP_DATA, &len);
		if (len != 8)
			return 0;
		snprintf(buf, sizeof(buf), "%llu-0",
			 (unsigned long long)be_get(p, 8));
	} else if (d_is(c, "range") &&
		   d_u32(c, NFTNL_EXPR_RANGE_OP) == NFT_RANGE_EQ) {
		const unsigned char *lo = d_data(c, NFTNL_EXPR_RANGE_FROM_DATA, &len);
		const unsigned char *hi = d_data(c, NFTNL_EXPR_RANGE_TO_DATA, &len2);
		if (len != 8 || len2 != 8 || !be_get(hi, 8))
			return 0;
		snprintf(buf, sizeof(buf), "%llu-%llu",
			 (unsigned long long)be_get(lo, 8),
			 (unsigned long long)be_get(hi, 8));
	} else {
		return 0;
	}
	d_put(d, prop, buf);
	d->pos += 3;
	return 1;
}

/* ---- ipsec-policy: in -> meta secpath; out -> rt xfrm ------------------- */

int xe_ipsec(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	uint32_t one;

	if (!strcmp(val, "in,ipsec") || !strcmp(val, "in,none"))
		x_meta(x, NFT_META_SECPATH, RK);
	else if (!strcmp(val, "out,ipsec") || !strcmp(val, "out,none")) {
		struct nftnl_expr *rt = nftnl_expr_alloc("rt");
		nftnl_expr_set_u32(rt, NFTNL_EXPR_RT_KEY, NFT_RT_XFRM);
		nftnl_expr_set_u32(rt, NFTNL_EXPR_RT_DREG, RK);
		x_add(x, rt);
	} else {
		return x_fail(x, "invalid ipsec-policy %s", val);
	}
	one = strstr(val, ",ipsec") ? 1 : 0;
	x_cmp(x, RK, NFT_CMP_EQ, &one, 4);
	return 0;
}

int xd_ipsec(struct nfd *d, unsigned prop)
{
	const struct nftnl_expr *ld = d_at(d, 0), *c = d_at(d, 1);
	const char *dir;
	uint32_t len, v;

	if (d_meta(ld, NFT_META_SECPATH))
		dir = "in";
	else if (d_is(ld, "rt") && d_u32(ld, NFTNL_EXPR_RT_KEY) == NFT_RT_XFRM &&
		 d_reg(ld, NFTNL_EXPR_RT_DREG) == reg32(RK))
		dir = "out";
	else
		return 0;
	if (!d_is(c, "cmp") || d_u32(c, NFTNL_EXPR_CMP_OP) != NFT_CMP_EQ)
		return 0;
	const void *p = d_data(c, NFTNL_EXPR_CMP_DATA, &len);
	if (len != 4)
		return 0;
	memcpy(&v, p, 4);
	if (v > 1)
		return 0;
	char buf[16];
	snprintf(buf, sizeof(buf), "%s,%s", dir, v ? "ipsec" : "none");
	d_put(d, prop, buf);
	d->pos += 2;
	return 1;
}
