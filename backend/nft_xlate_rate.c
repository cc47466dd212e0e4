/*
 * Per-address meters: dst-limit and connection-limit. Each rule using one
 * gets its own dynamic set, named after the rule's menu, id and key shape
 * ("dlf5_1" = filter rule *5, mode 1), filled by the packet path:
 *   dst-limit         [key loads][dynset update @dl.. timeout <expire>
 *                                 { limit rate R/U burst B }]
 *   connection-limit  [ip saddr][& mask][dynset add @cl.. { ct count over N }]
 * The commit deletes meters no rule uses any more (nfs_meters_gc).
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
#define TH NFT_PAYLOAD_TRANSPORT_HEADER

/* dst-limit modes: which fields key the meter (network header offsets;
 * 0xff = transport destination port) */
static const struct dlmode {
	const char *name;
	uint8_t f[3];
	uint8_t n;
} dlmodes[] = {
	{ "addresses-and-dst-port", { 12, 16, 0xff }, 3 },
	{ "dst-address", { 16 }, 1 },
	{ "dst-address-and-port", { 16, 0xff }, 2 },
	{ "src-address", { 12 }, 1 },
	{ "src-and-dst-addresses", { 12, 16 }, 2 },
};
#define N_DLMODES (sizeof(dlmodes) / sizeof(dlmodes[0]))
#define DL_DEFAULT_EXPIRE 600000	/* 10m, RouterOS's default */

static char menu_letter(enum nfm_menu menu)
{
	return menu == NFM_NAT ? 'n' : 'f';
}

static void meter_name(struct strbuf *sb, const char *kind, enum nfm_menu m,
		       uint32_t id, unsigned variant)
{
	sb_printf(sb, "%s%c%X_%u", kind, menu_letter(m), id, variant);
}

/* the set, created in this command's batch when missing */
static void meter_ensure(const char *name, uint32_t key_type, uint32_t len,
			 bool timeout)
{
	if (nfm_set_find(name))
		return;
	nfs_plan_set(name, NFT_SET_EVAL | (timeout ? NFT_SET_TIMEOUT : 0),
		     key_type, len, false, NULL, 0);
}

static void load_field(struct nfx *x, uint8_t f, uint32_t reg)
{
	if (f == 0xff)
		x_payload(x, TH, 2, 2, reg);
	else
		x_payload(x, NH, f, 4, reg);
}

static bool is_field(const struct nftnl_expr *ex, uint8_t f, uint32_t reg)
{
	return (f == 0xff ? d_payload(ex, TH, 2, 2) : d_payload(ex, NH, f, 4)) &&
	       d_reg(ex, NFTNL_EXPR_PAYLOAD_DREG) == reg32(reg);
}

/* ---- dst-limit ---------------------------------------------------------- */

struct dl {
	struct lim lim;
	unsigned mode;
	uint64_t expire_ms;
	bool has_expire;
};

static bool dl_parse(const char *val, struct dl *d)
{
	char buf[128];
	const char *c1 = strchr(val, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;

	if (!c2 || strlen(val) >= sizeof(buf))
		return false;
	snprintf(buf, sizeof(buf), "%.*s:packet", (int)(c2 - val), val);
	if (!xl_limit_parse(buf, &d->lim))
		return false;
	const char *mode = c2 + 1, *slash = strchr(mode, '/');
	size_t n = slash ? (size_t)(slash - mode) : strlen(mode);
	d->has_expire = slash != NULL;
	d->expire_ms = DL_DEFAULT_EXPIRE;
	if (slash && (!gr_duration_parse(slash + 1, &d->expire_ms) ||
		      !d->expire_ms))
		return false;
	for (d->mode = 0; d->mode < N_DLMODES; d->mode++)
		if (strlen(dlmodes[d->mode].name) == n &&
		    !strncmp(dlmodes[d->mode].name, mode, n))
			return true;
	return false;
}

static uint32_t dl_key_type(const struct dlmode *m)
{
	uint32_t t = 0;

	for (unsigned i = 0; i < m->n; i++)
		t = t << 6 | (m->f[i] == 0xff ? 13 : 7);	/* port : ipv4 */
	return t;
}

int xe_dstlimit(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	struct dl d;
	struct strbuf name = STRBUF_INIT;

	if (!dl_parse(val, &d))
		return x_fail(x, "invalid dst-limit %s", val);
	const struct dlmode *m = &dlmodes[d.mode];
	meter_name(&name, "dl", x->menu, x->rule->id, d.mode);
	if (x->b)
		meter_ensure(sb_str(&name), dl_key_type(m), 4 * m->n, true);
	for (unsigned i = 0; i < m->n; i++)
		load_field(x, m->f[i], RK32 + i);
	struct nftnl_expr *ds = nftnl_expr_alloc("dynset");
	nftnl_expr_set_u32(ds, NFTNL_EXPR_DYNSET_SREG_KEY, RK32);
	nftnl_expr_set_u32(ds, NFTNL_EXPR_DYNSET_OP, NFT_DYNSET_OP_UPDATE);
	nftnl_expr_set_str(ds, NFTNL_EXPR_DYNSET_SET_NAME, sb_str(&name));
	nftnl_expr_set_u64(ds, NFTNL_EXPR_DYNSET_TIMEOUT, d.expire_ms);
	nftnl_expr_add_expr(ds, NFTNL_EXPR_DYNSET_EXPRESSIONS,
			    xl_limit_expr(&d.lim, false));
	x_add(x, ds);
	if (!d.has_expire)
		x->udf |= XF_DL_DEFEXP;
	sb_free(&name);
	return 0;
}

static int first_expr(struct nftnl_expr *e, void *data)
{
	if (!*(struct nftnl_expr **)data)
		*(struct nftnl_expr **)data = e;
	return 0;
}

static const struct nftnl_expr *inner(const struct nftnl_expr *ds)
{
	struct nftnl_expr *e = NULL;

	nftnl_expr_expr_foreach(ds, first_expr, &e);
	return e;
}

/* the meter set named by a dynset: its kind, menu, variant */
static bool meter_of(const struct nftnl_expr *ds, const char *kind,
		     enum nfm_menu menu, unsigned *variant)
{
	const char *s = nftnl_expr_get_str(ds, NFTNL_EXPR_DYNSET_SET_NAME);
	size_t k = strlen(kind);
	const char *us;

	if (!s || strncmp(s, kind, k) || s[k] != menu_letter(menu) ||
	    !(us = strchr(s + k, '_')))
		return false;
	*variant = (unsigned)strtoul(us + 1, NULL, 10);
	return true;
}

int xd_dstlimit(struct nfd *d, unsigned prop)
{
	unsigned mode;
	size_t k;

	for (k = 0; k < 4 && d_is(d_at(d, k), "payload"); k++)
		;
	const struct nftnl_expr *ds = d_at(d, k);
	if (!d_is(ds, "dynset") || !meter_of(ds, "dl", d->menu, &mode) ||
	    mode >= N_DLMODES || dlmodes[mode].n != k ||
	    d_u32(ds, NFTNL_EXPR_DYNSET_OP) != NFT_DYNSET_OP_UPDATE ||
	    d_reg(ds, NFTNL_EXPR_DYNSET_SREG_KEY) != reg32(RK32))
		return 0;
	for (unsigned i = 0; i < k; i++)
		if (!is_field(d_at(d, i), dlmodes[mode].f[i], RK32 + i))
			return 0;
	struct lim l;
	bool inv;
	if (!xl_limit_of(inner(ds), &l, &inv) || inv || l.bits)
		return 0;
	struct strbuf t = STRBUF_INIT;
	xl_limit_text(&l, &t);
	t.len -= strlen(":packet");	/* dst-limit has no mode suffix */
	t.buf[t.len] = '\0';
	sb_printf(&t, ",%s", dlmodes[mode].name);
	if (!(d->udf & XF_DL_DEFEXP)) {
		sb_addc(&t, '/');
		gr_duration_format(d_u64(ds, NFTNL_EXPR_DYNSET_TIMEOUT), &t);
	}
	d_put(d, prop, sb_str(&t));
	sb_free(&t);
	d->pos += k + 1;
	return 1;
}

/* ---- connection-limit ----------------------------------------------------- */

int xe_connlimit(struct nfx *x, unsigned prop, const char *val, bool neg)
{
	uint32_t count, mask;
	struct strbuf name = STRBUF_INIT;

	if (sscanf(val, "%u,%u", &count, &mask) != 2 || mask > 32)
		return x_fail(x, "invalid connection-limit %s", val);
	meter_name(&name, "cl", x->menu, x->rule->id, mask);
	if (x->b)
		meter_ensure(sb_str(&name), 7, 4, false);
	x_payload(x, NH, 12, 4, RK);
	if (mask < 32) {
		uint32_t m = htonl(mask ? ~0u << (32 - mask) : 0);
		x_bitwise(x, RK, 4, &m, NULL);
	}
	struct nftnl_expr *ds = nftnl_expr_alloc("dynset");
	nftnl_expr_set_u32(ds, NFTNL_EXPR_DYNSET_SREG_KEY, RK);
	nftnl_expr_set_u32(ds, NFTNL_EXPR_DYNSET_OP, NFT_DYNSET_OP_ADD);
	nftnl_expr_set_str(ds, NFTNL_EXPR_DYNSET_SET_NAME, sb_str(&name));
	struct nftnl_expr *cl = nftnl_expr_alloc("connlimit");
	nftnl_expr_set_u32(cl, NFTNL_EXPR_CONNLIMIT_COUNT, count);
	/* RouterOS matches connections above the limit: "ct count over" */
	nftnl_expr_set_u32(cl, NFTNL_EXPR_CONNLIMIT_FLAGS, neg ? 0 : NFT_CONNLIMIT_F_INV);
	nftnl_expr_add_expr(ds, NFTNL_EXPR_DYNSET_EXPRESSIONS, cl);
	x_add(x, ds);
	sb_free(&name);
	return 0;
}

int xd_connlimit(struct nfd *d, unsigned prop)
{
	unsigned mask;
	size_t k = d_is(d_at(d, 1), "bitwise") ? 2 : 1;

	if (!d_payload(d_at(d, 0), NH, 12, 4))
		return 0;
	const struct nftnl_expr *ds = d_at(d, k), *cl;
	if (!d_is(ds, "dynset") || !meter_of(ds, "cl", d->menu, &mask) ||
	    mask > 32 || (mask < 32) != (k == 2) ||
	    d_u32(ds, NFTNL_EXPR_DYNSET_OP) != NFT_DYNSET_OP_ADD ||
	    !(cl = inner(ds)) || !d_is(cl, "connlimit"))
		return 0;
	if (k == 2) {		/* the mask must be the one of the name */
		uint32_t len, want = htonl(mask ? ~0u << (32 - mask) : 0);
		const void *mk = d_data(d_at(d, 1), NFTNL_EXPR_BITWISE_MASK, &len);
		if (len != 4 || memcmp(mk, &want, 4))
			return 0;
	}
	char buf[48];
	uint32_t fl = d_u32(cl, NFTNL_EXPR_CONNLIMIT_FLAGS);
	snprintf(buf, sizeof(buf), "%s%u,%u", fl & NFT_CONNLIMIT_F_INV ? "" : "!",
		 d_u32(cl, NFTNL_EXPR_CONNLIMIT_COUNT), mask);
	d_put(d, prop, buf);
	d->pos += k + 1;
	return 1;
}

/* ---- garbage collection ----------------------------------------------------- */

/* Is meter set `name` used by a rule that stays? */
static bool meter_used(const char *name)
{
	struct strbuf want = STRBUF_INIT;
	bool used = false;

	for (size_t i = 0; i < nfm.nrules && !used; i++) {
		const struct nft_rule *r = &nfm.rules[i];
		enum nfm_menu m = nfm.chains[r->chain].menu;
		if (r->flags & (NR_GONE | NR_SYS) || !m)
			continue;
		struct dl d;
		const char *dl = rp_packed_get(r->props, FWP_DST_LIMIT);
		const char *cl = rp_packed_get(r->props, FWP_CONNECTION_LIMIT);
		unsigned mask;
		sb_reset(&want);
		if (dl && dl_parse(dl, &d))
			meter_name(&want, "dl", m, r->id, d.mode);
		used = want.len && !strcmp(sb_str(&want), name);
		sb_reset(&want);
		if (cl && sscanf(strchr(cl, ',') ? strchr(cl, ',') + 1 : "", "%u",
				 &mask) == 1)
			meter_name(&want, "cl", m, r->id, mask);
		used |= want.len && !strcmp(sb_str(&want), name);
	}
	sb_free(&want);
	return used;
}

void nfs_meters_gc(struct nftb *b)
{
	for (size_t i = 0; i < nfm.nsets; i++) {
		const char *n = nfm.sets[i].name;
		if ((strncmp(n, "dl", 2) && strncmp(n, "cl", 2)) ||
		    (n[2] != 'f' && n[2] != 'n') || !strchr(n, '_') ||
		    meter_used(n))
			continue;
		nfm_del_set_later(n);
	}
}
