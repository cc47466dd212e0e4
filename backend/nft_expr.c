/* Expression builders and recognisers shared by the translators. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>

#include "nft_expr.h"

/* ---- encoding ------------------------------------------------------------ */

void x_add(struct nfx *x, struct nftnl_expr *ex)
{
	nftnl_rule_add_expr(x->r, ex);
}

int x_fail(struct nfx *x, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->e->msg, sizeof(x->e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void x_payload(struct nfx *x, uint32_t base, uint32_t off, uint32_t len,
	       uint32_t dreg)
{
	struct nftnl_expr *ex = nftnl_expr_alloc("payload");

	nftnl_expr_set_u32(ex, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(ex, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(ex, NFTNL_EXPR_PAYLOAD_LEN, len);
	nftnl_expr_set_u32(ex, NFTNL_EXPR_PAYLOAD_DREG, dreg);
	x_add(x, ex);
}

void x_meta(struct nfx *x, uint32_t key, uint32_t dreg)
{
	struct nftnl_expr *ex = nftnl_expr_alloc("meta");

	nftnl_expr_set_u32(ex, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(ex, NFTNL_EXPR_META_DREG, dreg);
	x_add(x, ex);
}

void x_ct(struct nfx *x, uint32_t key, uint32_t dreg)
{
	struct nftnl_expr *ex = nftnl_expr_alloc("ct");

	nftnl_expr_set_u32(ex, NFTNL_EXPR_CT_KEY, key);
	nftnl_expr_set_u32(ex, NFTNL_EXPR_CT_DREG, dreg);
	x_add(x, ex);
}

void x_cmp(struct nfx *x, uint32_t sreg, uint32_t op, const void *data,
	   uint32_t len)
{
	struct nftnl_expr *ex = nftnl_expr_alloc("cmp");

	nftnl_expr_set_u32(ex, NFTNL_EXPR_CMP_SREG, sreg);
	nftnl_expr_set_u32(ex, NFTNL_EXPR_CMP_OP, op);
	nftnl_expr_set(ex, NFTNL_EXPR_CMP_DATA, data, len);
	x_add(x, ex);
}

void x_bitwise(struct nfx *x, uint32_t reg, uint32_t len, const void *mask,
	       const void *xor_)
{
	struct nftnl_expr *ex = nftnl_expr_alloc("bitwise");
	static const unsigned char zero[16];

	nftnl_expr_set_u32(ex, NFTNL_EXPR_BITWISE_SREG, reg);
	nftnl_expr_set_u32(ex, NFTNL_EXPR_BITWISE_DREG, reg);
	nftnl_expr_set_u32(ex, NFTNL_EXPR_BITWISE_LEN, len);
	nftnl_expr_set(ex, NFTNL_EXPR_BITWISE_MASK, mask, len);
	nftnl_expr_set(ex, NFTNL_EXPR_BITWISE_XOR, xor_ ? xor_ : zero, len);
	x_add(x, ex);
}

void x_range(struct nfx *x, uint32_t sreg, uint32_t op, const void *lo,
	     const void *hi, uint32_t len)
{
	struct nftnl_expr *ex = nftnl_expr_alloc("range");

	nftnl_expr_set_u32(ex, NFTNL_EXPR_RANGE_SREG, sreg);
	nftnl_expr_set_u32(ex, NFTNL_EXPR_RANGE_OP, op);
	nftnl_expr_set(ex, NFTNL_EXPR_RANGE_FROM_DATA, lo, len);
	nftnl_expr_set(ex, NFTNL_EXPR_RANGE_TO_DATA, hi, len);
	x_add(x, ex);
}

void x_lookup(struct nfx *x, uint32_t sreg, const char *set, uint32_t set_id,
	      int dreg, bool inv)
{
	struct nftnl_expr *ex = nftnl_expr_alloc("lookup");

	nftnl_expr_set_u32(ex, NFTNL_EXPR_LOOKUP_SREG, sreg);
	nftnl_expr_set_str(ex, NFTNL_EXPR_LOOKUP_SET, set);
	if (set_id)
		nftnl_expr_set_u32(ex, NFTNL_EXPR_LOOKUP_SET_ID, set_id);
	if (dreg >= 0)
		nftnl_expr_set_u32(ex, NFTNL_EXPR_LOOKUP_DREG, (uint32_t)dreg);
	if (inv)
		nftnl_expr_set_u32(ex, NFTNL_EXPR_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
	x_add(x, ex);
}

void x_imm(struct nfx *x, uint32_t dreg, const void *data, uint32_t len)
{
	struct nftnl_expr *ex = nftnl_expr_alloc("immediate");

	nftnl_expr_set_u32(ex, NFTNL_EXPR_IMM_DREG, dreg);
	nftnl_expr_set(ex, NFTNL_EXPR_IMM_DATA, data, len);
	x_add(x, ex);
}

void x_verdict(struct nfx *x, int verdict, const char *chain)
{
	struct nftnl_expr *ex = nftnl_expr_alloc("immediate");

	nftnl_expr_set_u32(ex, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(ex, NFTNL_EXPR_IMM_VERDICT, (uint32_t)verdict);
	if (chain)
		nftnl_expr_set_str(ex, NFTNL_EXPR_IMM_CHAIN, chain);
	x_add(x, ex);
}

void x_hton(struct nfx *x, uint32_t reg, uint32_t len)
{
	struct nftnl_expr *bo = nftnl_expr_alloc("byteorder");

	nftnl_expr_set_u32(bo, NFTNL_EXPR_BYTEORDER_SREG, reg);
	nftnl_expr_set_u32(bo, NFTNL_EXPR_BYTEORDER_DREG, reg);
	nftnl_expr_set_u32(bo, NFTNL_EXPR_BYTEORDER_OP, NFT_BYTEORDER_HTON);
	nftnl_expr_set_u32(bo, NFTNL_EXPR_BYTEORDER_LEN, len);
	nftnl_expr_set_u32(bo, NFTNL_EXPR_BYTEORDER_SIZE, len);
	x_add(x, bo);
}

bool d_hton(const struct nftnl_expr *ex, uint32_t reg, uint32_t len)
{
	reg = reg32(reg);
	return d_is(ex, "byteorder") &&
	       d_reg(ex, NFTNL_EXPR_BYTEORDER_SREG) == reg &&
	       d_reg(ex, NFTNL_EXPR_BYTEORDER_DREG) == reg &&
	       d_u32(ex, NFTNL_EXPR_BYTEORDER_OP) == NFT_BYTEORDER_HTON &&
	       d_u32(ex, NFTNL_EXPR_BYTEORDER_LEN) == len &&
	       d_u32(ex, NFTNL_EXPR_BYTEORDER_SIZE) == len;
}

void be_put(unsigned char *out, uint64_t v, uint32_t len)
{
	for (uint32_t i = 0; i < len; i++)
		out[i] = (unsigned char)(v >> (8 * (len - 1 - i)));
}

uint64_t be_get(const unsigned char *in, uint32_t len)
{
	uint64_t v = 0;

	for (uint32_t i = 0; i < len; i++)
		v = v << 8 | in[i];
	return v;
}

void x_counter(struct nfx *x, uint64_t bytes, uint64_t packets)
{
	struct nftnl_expr *ex = nftnl_expr_alloc("counter");

	nftnl_expr_set_u64(ex, NFTNL_EXPR_CTR_BYTES, bytes);
	nftnl_expr_set_u64(ex, NFTNL_EXPR_CTR_PACKETS, packets);
	x_add(x, ex);
}

void x_log(struct nfx *x, const char *prefix)
{
	struct nftnl_expr *ex = nftnl_expr_alloc("log");

	if (prefix && *prefix)
		nftnl_expr_set_str(ex, NFTNL_EXPR_LOG_PREFIX, prefix);
	x_add(x, ex);
}

static void anon_elem(struct nftnl_set *s, const void *key, uint32_t len,
		      uint32_t flags, const uint32_t *data)
{
	struct nftnl_set_elem *el = nftnl_set_elem_alloc();

	if (key)
		nftnl_set_elem_set(el, NFTNL_SET_ELEM_KEY, key, len);
	if (flags)
		nftnl_set_elem_set_u32(el, NFTNL_SET_ELEM_FLAGS, flags);
	if (data)
		nftnl_set_elem_set(el, NFTNL_SET_ELEM_DATA, data, 4);
	nftnl_set_elem_add(s, el);
}

/* big-endian increment of a len-byte value; false on overflow */
static bool be_inc(unsigned char *v, uint32_t len)
{
	for (uint32_t i = len; i-- > 0;) {
		if (++v[i])
			return true;
	}
	return false;
}

static void anon_fill(struct nftnl_set *s, uint32_t len, bool interval,
		      bool map, const struct xelem *el, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const uint32_t *data = map ? &el[i].data : NULL;

		if (el[i].catchall) {
			anon_elem(s, NULL, 0, NFT_SET_ELEM_CATCHALL, data);
			continue;
		}
		anon_elem(s, el[i].a, len, 0, data);
		if (!interval)
			continue;
		unsigned char end[16];
		memcpy(end, el[i].b, len);
		if (be_inc(end, len))
			anon_elem(s, end, len, NFT_SET_ELEM_INTERVAL_END, NULL);
	}
}

uint32_t x_anon_set(struct nfx *x, uint32_t key_type, uint32_t len,
		    bool interval, bool map, const struct xelem *el, size_t n,
		    const char **name)
{
	uint32_t id = nfm_set_id();

	*name = "__set%d";
	if (!x->b)
		return id;
	struct nftnl_set *s = nftnl_set_alloc();
	uint32_t flags = NFT_SET_ANONYMOUS | NFT_SET_CONSTANT;

	if (interval)
		flags |= NFT_SET_INTERVAL;
	if (map)
		flags |= NFT_SET_MAP;
	nftnl_set_set_str(s, NFTNL_SET_TABLE, NFT_TABLE_NAME);
	nftnl_set_set_str(s, NFTNL_SET_NAME, "__set%d");
	nftnl_set_set_u32(s, NFTNL_SET_ID, id);
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, NFT_FAMILY);
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, flags);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, key_type);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, len);
	if (map) {
		nftnl_set_set_u32(s, NFTNL_SET_DATA_TYPE, 19 /* mark */);
		nftnl_set_set_u32(s, NFTNL_SET_DATA_LEN, 4);
	}
	struct nlmsghdr *nlh = nftb_msg(x->b, NFT_MSG_NEWSET,
					NLM_F_CREATE | NLM_F_ACK, NULL);
	nftnl_set_nlmsg_build_payload(nlh, s);
	nftb_end(x->b);
	anon_fill(s, len, interval, map, el, n);
	nlh = nftb_msg(x->b, NFT_MSG_NEWSETELEM, NLM_F_CREATE | NLM_F_ACK,
		       NULL);
	nftnl_set_elems_nlmsg_build_payload(nlh, s);
	nftb_end(x->b);
	nftnl_set_free(s);
	return id;
}

void x_override(struct nfx *x, unsigned prop, const char *text)
{
	sb_addc(&x->ov, (char)(prop + 1));
	sb_adds(&x->ov, text);
	sb_addc(&x->ov, '\0');
}

/* ---- decoding ------------------------------------------------------------ */

const struct nftnl_expr *d_at(const struct nfd *d, size_t k)
{
	return d->pos + k < d->n ? d->ex[d->pos + k] : NULL;
}

bool d_is(const struct nftnl_expr *ex, const char *name)
{
	return ex && strcmp(nftnl_expr_get_str(ex, NFTNL_EXPR_NAME), name) == 0;
}

bool d_has(const struct nftnl_expr *ex, uint16_t attr)
{
	return nftnl_expr_is_set(ex, attr);
}

uint32_t d_u32(const struct nftnl_expr *ex, uint16_t attr)
{
	return nftnl_expr_is_set(ex, attr) ? nftnl_expr_get_u32(ex, attr) : 0;
}

/* registers as 32-bit slots: the kernel dumps a 16-byte aligned 32-bit
 * register as its NFT_REG_n alias */
uint32_t reg32(uint32_t r)
{
	return r >= 8 ? r - 8 : r ? (r - 1) * 4 : 0xffff;
}

uint32_t d_reg(const struct nftnl_expr *ex, uint16_t attr)
{
	return nftnl_expr_is_set(ex, attr) ? reg32(nftnl_expr_get_u32(ex, attr)) :
	       0xfffe;
}

uint64_t d_u64(const struct nftnl_expr *ex, uint16_t attr)
{
	return nftnl_expr_is_set(ex, attr) ? nftnl_expr_get_u64(ex, attr) : 0;
}

const void *d_data(const struct nftnl_expr *ex, uint16_t attr, uint32_t *len)
{
	*len = 0;
	if (!nftnl_expr_is_set(ex, attr))
		return NULL;
	return nftnl_expr_get(ex, attr, len);
}

bool d_payload(const struct nftnl_expr *ex, uint32_t base, uint32_t off,
	       uint32_t len)
{
	return d_is(ex, "payload") && !d_has(ex, NFTNL_EXPR_PAYLOAD_SREG) &&
	       d_u32(ex, NFTNL_EXPR_PAYLOAD_BASE) == base &&
	       d_u32(ex, NFTNL_EXPR_PAYLOAD_OFFSET) == off &&
	       d_u32(ex, NFTNL_EXPR_PAYLOAD_LEN) == len;
}

bool d_meta(const struct nftnl_expr *ex, uint32_t key)
{
	return d_is(ex, "meta") && d_has(ex, NFTNL_EXPR_META_DREG) &&
	       d_u32(ex, NFTNL_EXPR_META_KEY) == key;
}

bool d_ct(const struct nftnl_expr *ex, uint32_t key)
{
	return d_is(ex, "ct") && d_has(ex, NFTNL_EXPR_CT_DREG) &&
	       !d_has(ex, NFTNL_EXPR_CT_DIR) &&
	       d_u32(ex, NFTNL_EXPR_CT_KEY) == key;
}

static uint32_t load_dreg(const struct nftnl_expr *ex)	/* 32-bit slot */
{
	static const struct { const char *name; uint16_t attr; } t[] = {
		{ "payload", NFTNL_EXPR_PAYLOAD_DREG },
		{ "meta", NFTNL_EXPR_META_DREG },
		{ "ct", NFTNL_EXPR_CT_DREG },
		{ "fib", NFTNL_EXPR_FIB_DREG },
		{ "exthdr", NFTNL_EXPR_EXTHDR_DREG },
		{ "numgen", NFTNL_EXPR_NG_DREG },
		{ "byteorder", NFTNL_EXPR_BYTEORDER_DREG },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (d_is(ex, t[i].name))
			return d_reg(ex, t[i].attr);
	return 0xfffe;
}

static bool copy_data(const struct nftnl_expr *ex, uint16_t attr,
		      unsigned char *out, uint32_t *len)
{
	uint32_t n;
	const void *p = d_data(ex, attr, &n);

	if (!p || n > 16)
		return false;
	memcpy(out, p, n);
	if (len)
		*len = n;
	return true;
}

static bool value_cmp(const struct nftnl_expr *c, uint32_t reg,
		      struct dval *v)
{
	if (!d_is(c, "cmp") || d_reg(c, NFTNL_EXPR_CMP_SREG) != reg)
		return false;
	v->op = d_u32(c, NFTNL_EXPR_CMP_OP);
	return copy_data(c, NFTNL_EXPR_CMP_DATA, v->a, &v->len);
}

bool d_value(const struct nfd *d, struct dval *v)
{
	const struct nftnl_expr *ld = d_at(d, 0), *n1 = d_at(d, 1);
	uint32_t reg = ld ? load_dreg(ld) : 0xfffe;

	memset(v, 0, sizeof(*v));
	if (reg >= 0xfffe || !n1)
		return false;
	if (d_is(n1, "cmp")) {
		v->kind = DV_CMP;
		v->n = 2;
		return value_cmp(n1, reg, v);
	}
	if (d_is(n1, "bitwise")) {
		if (d_reg(n1, NFTNL_EXPR_BITWISE_SREG) != reg ||
		    d_reg(n1, NFTNL_EXPR_BITWISE_DREG) != reg ||
		    d_u32(n1, NFTNL_EXPR_BITWISE_OP) != 0 ||
		    !copy_data(n1, NFTNL_EXPR_BITWISE_MASK, v->mask, NULL))
			return false;
		v->kind = DV_MASK;
		v->n = 3;
		return value_cmp(d_at(d, 2), reg, v);
	}
	if (d_is(n1, "range")) {
		if (d_reg(n1, NFTNL_EXPR_RANGE_SREG) != reg)
			return false;
		v->kind = DV_RANGE;
		v->n = 2;
		v->op = d_u32(n1, NFTNL_EXPR_RANGE_OP);
		return copy_data(n1, NFTNL_EXPR_RANGE_FROM_DATA, v->a, &v->len) &&
		       copy_data(n1, NFTNL_EXPR_RANGE_TO_DATA, v->b, NULL);
	}
	if (d_is(n1, "lookup") && !d_has(n1, NFTNL_EXPR_LOOKUP_DREG) &&
	    d_reg(n1, NFTNL_EXPR_LOOKUP_SREG) == reg) {
		v->kind = DV_SET;
		v->n = 2;
		v->op = d_u32(n1, NFTNL_EXPR_LOOKUP_FLAGS) & NFT_LOOKUP_F_INV;
		v->set = d_set(n1);
		return v->set != NULL;
	}
	return false;
}

const struct nft_set *d_set(const struct nftnl_expr *lookup)
{
	const char *name = nftnl_expr_get_str(lookup, NFTNL_EXPR_LOOKUP_SET);

	return name ? nfm_set_find(name) : NULL;
}

void d_put(struct nfd *d, unsigned prop, const char *text)
{
	rp_set(d->p, prop, text);
}

/* ---- values ------------------------------------------------------------ */

bool v_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!*s || *s < '0' || *s > '9')
		return false;
	*out = strtoull(s, &end, 10);
	return *end == '\0';
}

bool v_u32(const char *s, uint32_t max, uint32_t *out)
{
	uint64_t v;

	if (!v_u64(s, &v) || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

bool v_range(const char *s, uint32_t max, uint32_t *a, uint32_t *b)
{
	const char *dash = strchr(s, '-');
	char buf[32];

	if (!dash)
		return v_u32(s, max, a) && (*b = *a, true);
	if ((size_t)(dash - s) >= sizeof(buf))
		return false;
	memcpy(buf, s, (size_t)(dash - s));
	buf[dash - s] = '\0';
	return v_u32(buf, max, a) && v_u32(dash + 1, max, b) && *a <= *b;
}

bool v_ip4(const char *s, uint32_t *host)
{
	struct in_addr in;

	if (inet_pton(AF_INET, s, &in) != 1)
		return false;
	*host = ntohl(in.s_addr);
	return true;
}

bool v_ip4_net(const char *s, uint32_t *lo, uint32_t *hi, unsigned *plen,
	       bool *is_range)
{
	char buf[64];
	const char *sep = strpbrk(s, "/-");
	uint32_t len = 32;

	*is_range = false;
	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	if (!sep)
		return v_ip4(buf, lo) && (*hi = *lo, *plen = 32, true);
	buf[sep - s] = '\0';
	if (!v_ip4(buf, lo))
		return false;
	if (*sep == '-') {
		*is_range = true;
		*plen = 0;
		return v_ip4(buf + (sep - s) + 1, hi) && *lo <= *hi;
	}
	if (!v_u32(sep + 1, 32, &len))
		return false;
	uint32_t mask = len ? ~0u << (32 - len) : 0;
	*lo &= mask;
	*hi = *lo | ~mask;
	*plen = len;
	return true;
}

void f_ip4(struct strbuf *sb, uint32_t host)
{
	sb_printf(sb, "%u.%u.%u.%u", host >> 24, (host >> 16) & 255,
		  (host >> 8) & 255, host & 255);
}

int ip4_prefix_len(uint32_t lo, uint32_t hi)
{
	uint32_t span = lo ^ hi;

	if ((span & (span + 1)) != 0 || (lo & span) != 0 ||
	    (hi & span) != span)
		return -1;
	int len = 32;
	while (span) {
		span >>= 1;
		len--;
	}
	return len;
}

int v_word(const char *s, size_t n, const char *const *words)
{
	for (int i = 0; words[i]; i++)
		if (strlen(words[i]) == n && strncmp(words[i], s, n) == 0)
			return i;
	return -1;
}
