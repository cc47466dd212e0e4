/*
 * Packet metadata matchers: interfaces and interface lists, random, nth,
 * limit, time.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>

#include "nft_xlate.h"
#include "nft_sets.h"
#include "../grammar/types.h"

static void put_neg(struct nfd *d, unsigned prop, bool neg, const char *t)
{
	sb_reset(&d->sb);
	sb_printf(&d->sb, "%s%s", neg ? "!" : "", t);
	d_put(d, prop, sb_str(&d->sb));
}

/* ---- in-interface / out-interface: iifname / oifname, 16 bytes ---------- */

static uint32_t if_key(unsigned prop)
{
	return prop == FWP_IN_INTERFACE || prop == FWP_IN_INTERFACE_LIST ?
	       NFT_META_IIFNAME : NFT_META_OIFNAME;
}

int xe_iface(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	char name[16] = { 0 };

	if (!strncmp(val, "all-", 4))
		return x_fail(x, "%s=%s is not supported on Linux (use an "
			      "interface list)", prop == FWP_IN_INTERFACE ?
			      "in-interface" : "out-interface", val);
	if (strlen(val) > 15)
		return x_fail(x, "interface name %s is not valid on Linux "
			      "(1 to 15 characters)", val);
	strcpy(name, val);
	x_meta(x, if_key(prop), RK);
	x_cmp(x, RK, neg ? NFT_CMP_NEQ : NFT_CMP_EQ, name, 16);
	return 0;
}

int xd_iface(struct nfd *d, unsigned prop)
{
	struct dval v;

	if (!d_meta(d_at(d, 0), if_key(prop)) || !d_value(d, &v) ||
	    v.kind != DV_CMP || v.len != 16 || v.a[15] ||
	    (v.op != NFT_CMP_EQ && v.op != NFT_CMP_NEQ) || !v.a[0])
		return 0;
	put_neg(d, prop, v.op == NFT_CMP_NEQ, (const char *)v.a);
	d->pos += v.n;
	return 1;
}

/* ---- interface lists: [ifname][lookup @ifl_X -> rA][cmp rA == 1] -------- */

int xe_iflist(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	struct strbuf set = STRBUF_INIT;
	uint32_t one = MAP_ON;

	if (nfs_ifl_check(val, x->e) < 0)
		return -1;
	nfs_ifl_name(val, &set);
	x_meta(x, if_key(prop), RK);
	x_lookup(x, RK, sb_str(&set), 0, RA, false);
	x_cmp(x, RA, neg ? NFT_CMP_NEQ : NFT_CMP_EQ, &one, 4);
	sb_free(&set);
	return 0;
}

int xd_iflist(struct nfd *d, unsigned prop)
{
	const struct nftnl_expr *l = d_at(d, 1), *c = d_at(d, 2);
	uint32_t len, op, v;

	if (!d_meta(d_at(d, 0), if_key(prop)) || !d_is(l, "lookup") ||
	    d_reg(l, NFTNL_EXPR_LOOKUP_SREG) != reg32(RK) ||
	    d_reg(l, NFTNL_EXPR_LOOKUP_DREG) != reg32(RA) ||
	    d_u32(l, NFTNL_EXPR_LOOKUP_FLAGS) || !d_is(c, "cmp") ||
	    d_reg(c, NFTNL_EXPR_CMP_SREG) != reg32(RA))
		return 0;
	op = d_u32(c, NFTNL_EXPR_CMP_OP);
	const void *p = d_data(c, NFTNL_EXPR_CMP_DATA, &len);
	if (len != 4 || (op != NFT_CMP_EQ && op != NFT_CMP_NEQ))
		return 0;
	memcpy(&v, p, 4);
	const char *list = nfs_ifl_list_of(
		nftnl_expr_get_str(l, NFTNL_EXPR_LOOKUP_SET));
	if (v != MAP_ON || !list)
		return 0;
	put_neg(d, prop, op == NFT_CMP_NEQ, list);
	d->pos += 3;
	return 1;
}

/* ---- random: numgen random mod 100 < N; nth: numgen inc mod E == P-1 ---- */

static void numgen(struct nfx *x, uint32_t type, uint32_t mod)
{
	struct nftnl_expr *ng = nftnl_expr_alloc("numgen");

	nftnl_expr_set_u32(ng, NFTNL_EXPR_NG_DREG, RK);
	nftnl_expr_set_u32(ng, NFTNL_EXPR_NG_MODULUS, mod);
	nftnl_expr_set_u32(ng, NFTNL_EXPR_NG_TYPE, type);
	nftnl_expr_set_u32(ng, NFTNL_EXPR_NG_OFFSET, 0);
	x_add(x, ng);
}

static bool d_numgen(const struct nftnl_expr *ex, uint32_t type,
		     uint32_t *mod)
{
	if (!d_is(ex, "numgen") || d_u32(ex, NFTNL_EXPR_NG_TYPE) != type ||
	    d_u32(ex, NFTNL_EXPR_NG_OFFSET) != 0 ||
	    d_reg(ex, NFTNL_EXPR_NG_DREG) != reg32(RK))
		return false;
	*mod = d_u32(ex, NFTNL_EXPR_NG_MODULUS);
	return true;
}

int xe_random(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	uint32_t n;
	unsigned char be[4];

	if (!v_u32(val, 99, &n) || !n)
		return x_fail(x, "invalid random %s", val);
	numgen(x, NFT_NG_RANDOM, 100);
	x_hton(x, RK, 4);
	be_put(be, n, 4);
	x_cmp(x, RK, NFT_CMP_LT, be, 4);
	return 0;
}

int xd_random(struct nfd *d, unsigned prop)
{
	const struct nftnl_expr *c = d_at(d, 2);
	uint32_t mod, len;
	char buf[16];

	if (!d_numgen(d_at(d, 0), NFT_NG_RANDOM, &mod) || mod != 100 ||
	    !d_hton(d_at(d, 1), RK, 4) || !d_is(c, "cmp") ||
	    d_u32(c, NFTNL_EXPR_CMP_OP) != NFT_CMP_LT)
		return 0;
	const unsigned char *p = d_data(c, NFTNL_EXPR_CMP_DATA, &len);
	if (len != 4)
		return 0;
	snprintf(buf, sizeof(buf), "%u", (unsigned)be_get(p, 4));
	d_put(d, prop, buf);
	d->pos += 3;
	return 1;
}

int xe_nth(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	uint32_t every, pkt;

	if (sscanf(val, "%u,%u", &every, &pkt) != 2 || !every || !pkt ||
	    pkt > every)
		return x_fail(x, "invalid nth %s", val);
	pkt--;
	numgen(x, NFT_NG_INCREMENTAL, every);
	x_cmp(x, RK, neg ? NFT_CMP_NEQ : NFT_CMP_EQ, &pkt, 4);
	return 0;
}

int xd_nth(struct nfd *d, unsigned prop)
{
	struct dval v;
	uint32_t mod, pkt;
	char buf[32];

	if (!d_numgen(d_at(d, 0), NFT_NG_INCREMENTAL, &mod) || !d_value(d, &v) ||
	    v.kind != DV_CMP || v.len != 4 ||
	    (v.op != NFT_CMP_EQ && v.op != NFT_CMP_NEQ))
		return 0;
	memcpy(&pkt, v.a, 4);
	if (pkt >= mod)
		return 0;
	snprintf(buf, sizeof(buf), "%u,%u", mod, pkt + 1);
	put_neg(d, prop, v.op == NFT_CMP_NEQ, buf);
	d->pos += v.n;
	return 1;
}

/* ---- limit: "rate[/time],burst:packet|bit" -> limit expression ------------ */

bool xl_limit_parse(const char *val, struct lim *l)
{
	char rate[64], mode[16] = "packet";
	const char *slash, *comma = strchr(val, ',');
	uint64_t ms = 1000;

	if (!comma || (size_t)(comma - val) >= sizeof(rate))
		return false;
	memcpy(rate, val, (size_t)(comma - val));
	rate[comma - val] = '\0';
	slash = strchr(rate, '/');
	if (slash) {
		rate[slash - rate] = '\0';
		if (!gr_duration_parse(slash + 1, &ms) || !ms || ms % 1000)
			return false;
	}
	if (!v_u64(rate, &l->rate) || !l->rate ||
	    sscanf(comma + 1, "%" SCNu64 ":%15s", &l->burst, mode) < 1)
		return false;
	l->unit = ms / 1000;
	l->bits = strcmp(mode, "bit") == 0;
	return l->bits || strcmp(mode, "packet") == 0;
}

void xl_limit_text(const struct lim *l, struct strbuf *out)
{
	sb_printf(out, "%llu", (unsigned long long)l->rate);
	if (l->unit != 1) {
		sb_addc(out, '/');
		gr_duration_format(l->unit * 1000, out);
	}
	sb_printf(out, ",%llu:%s", (unsigned long long)l->burst,
		  l->bits ? "bit" : "packet");
}

/* Build a limit expression (also used inside dst-limit meters). */
struct nftnl_expr *xl_limit_expr(const struct lim *l, bool inv)
{
	struct nftnl_expr *ex = nftnl_expr_alloc("limit");

	nftnl_expr_set_u64(ex, NFTNL_EXPR_LIMIT_RATE,
			   l->bits ? l->rate / 8 : l->rate);
	nftnl_expr_set_u64(ex, NFTNL_EXPR_LIMIT_UNIT, l->unit);
	nftnl_expr_set_u32(ex, NFTNL_EXPR_LIMIT_BURST,
			   (uint32_t)(l->bits ? l->burst / 8 : l->burst));
	nftnl_expr_set_u32(ex, NFTNL_EXPR_LIMIT_TYPE,
			   l->bits ? NFT_LIMIT_PKT_BYTES : NFT_LIMIT_PKTS);
	nftnl_expr_set_u32(ex, NFTNL_EXPR_LIMIT_FLAGS, inv ? NFT_LIMIT_F_INV : 0);
	return ex;
}

bool xl_limit_of(const struct nftnl_expr *ex, struct lim *l, bool *inv)
{
	if (!d_is(ex, "limit"))
		return false;
	l->bits = d_u32(ex, NFTNL_EXPR_LIMIT_TYPE) == NFT_LIMIT_PKT_BYTES;
	l->rate = d_u64(ex, NFTNL_EXPR_LIMIT_RATE) * (l->bits ? 8 : 1);
	l->unit = d_u64(ex, NFTNL_EXPR_LIMIT_UNIT);
	l->burst = (uint64_t)d_u32(ex, NFTNL_EXPR_LIMIT_BURST) * (l->bits ? 8 : 1);
	*inv = d_u32(ex, NFTNL_EXPR_LIMIT_FLAGS) & NFT_LIMIT_F_INV;
	return l->rate && l->unit;
}

int xe_limit(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	struct lim l;

	if (!xl_limit_parse(val, &l))
		return x_fail(x, "invalid limit %s", val);
	if (l.bits && (l.rate % 8 || l.burst % 8))
		return x_fail(x, "limit in bits must be a multiple of 8 on Linux");
	x_add(x, xl_limit_expr(&l, neg));
	return 0;
}

int xd_limit(struct nfd *d, unsigned prop)
{
	struct lim l;
	bool inv;
	struct strbuf t = STRBUF_INIT;

	if (!xl_limit_of(d_at(d, 0), &l, &inv))
		return 0;
	xl_limit_text(&l, &t);
	put_neg(d, prop, inv, sb_str(&t));
	sb_free(&t);
	d->pos++;
	return 1;
}

/* ---- time: "8h-17h[,days]" local time; meta hour is seconds since UTC
 * midnight, meta day the UTC weekday, so the local offset (as of now) is
 * folded in; days are only exact when no UTC day boundary falls inside the
 * window, which holds for offset 0. */

static const char *const wdays[] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL
};

static long tz_offset(void)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	return tm.tm_gmtoff;
}

int xe_time(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	char buf[64];
	const char *comma = strchr(val, ',');
	size_t n = comma ? (size_t)(comma - val) : strlen(val);
	uint64_t a, b;
	unsigned days = 0;

	if (n >= sizeof(buf) || neg)
		return x_fail(x, "time=%s is not supported on Linux", val);
	memcpy(buf, val, n);
	buf[n] = '\0';
	char *dash = strchr(buf, '-');
	if (!dash)
		return x_fail(x, "invalid time %s", val);
	*dash = '\0';
	if (!gr_duration_parse(buf, &a) || !gr_duration_parse(dash + 1, &b) ||
	    a > b || b > 86400000)
		return x_fail(x, "invalid time %s", val);
	for (const char *p = comma; p && *p;) {
		p++;
		size_t k = strcspn(p, ",");
		int i = v_word(p, k, wdays);
		if (i < 0)
			return x_fail(x, "invalid time %s", val);
		days |= 1u << i;
		p += k;
	}
	if (tz_offset() != 0)
		return x_fail(x, "time= needs the system clock in UTC on Linux");
	unsigned char lo[4], hi[4];
	be_put(lo, a / 1000, 4);
	be_put(hi, b / 1000 ? b / 1000 - (b == 86400000) : 0, 4);
	x_meta(x, NFT_META_TIME_HOUR, RK);
	x_hton(x, RK, 4);
	x_range(x, RK, NFT_RANGE_EQ, lo, hi, 4);
	if (!days)
		return 0;
	struct xelem el[7];
	size_t k = 0;
	memset(el, 0, sizeof(el));
	for (unsigned i = 0; i < 7; i++)
		if (days & 1u << i)
			el[k++].a[0] = (unsigned char)i;
	const char *name;
	uint32_t id = x_anon_set(x, 45 /* day */, 1, false, false, el, k, &name);
	x_meta(x, NFT_META_TIME_DAY, RK);
	x_lookup(x, RK, name, id, -1, false);
	return 0;
}

int xd_time(struct nfd *d, unsigned prop)
{
	const struct nftnl_expr *r = d_at(d, 2);
	struct strbuf t = STRBUF_INIT;
	uint32_t len, len2;

	if (!d_meta(d_at(d, 0), NFT_META_TIME_HOUR) || !d_hton(d_at(d, 1), RK, 4) ||
	    !d_is(r, "range") || d_u32(r, NFTNL_EXPR_RANGE_OP) != NFT_RANGE_EQ)
		return 0;
	const unsigned char *lo = d_data(r, NFTNL_EXPR_RANGE_FROM_DATA, &len);
	const unsigned char *hi = d_data(r, NFTNL_EXPR_RANGE_TO_DATA, &len2);
	if (len != 4 || len2 != 4)
		return 0;
	uint64_t a = be_get(lo, 4), b = be_get(hi, 4);
	gr_duration_format(a * 1000, &t);
	sb_addc(&t, '-');
	gr_duration_format(b == 86399 ? 86400000 : b * 1000, &t);
	size_t used = 3;
	const struct nftnl_expr *l = d_at(d, 4);
	if (d_meta(d_at(d, 3), NFT_META_TIME_DAY) && d_is(l, "lookup") &&
	    !d_has(l, NFTNL_EXPR_LOOKUP_DREG)) {
		const struct nft_set *s = d_set(l);
		unsigned days = 0;
		for (size_t i = 0; s && i < s->nelems; i++)
			if (s->elems[i].key[0] < 7)
				days |= 1u << s->elems[i].key[0];
		for (unsigned i = 0; i < 7; i++)
			if (days & 1u << i)
				sb_printf(&t, ",%s", wdays[i]);
		used = 5;
	}
	d_put(d, prop, sb_str(&t));
	sb_free(&t);
	d->pos += used;
	return 1;
}
