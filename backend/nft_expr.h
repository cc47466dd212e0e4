/*
 * Expression building (encoder, struct nfx) and recognising (decoder,
 * struct nfd) for the translators in nft_xlate_*.c. Every translator emits a
 * fixed shape and its decoder accepts exactly that shape, so a rule decodes
 * back into the text it was built from.
 */
#ifndef ROSH_NFT_EXPR_H
#define ROSH_NFT_EXPR_H
#include <stdbool.h>
#include <stdint.h>

#include "nft.h"

/* Map data meaning "member" (big-endian, so nft prints 0x00000001). */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define MAP_ON 0x01000000u
#else
#define MAP_ON 1u
#endif

/* Registers: keys go to reg 1 (16 bytes, as nft does); the two-lookup
 * "either set" shape writes its results to 32-bit registers 8 and 9. */
#define RK 1		/* NFT_REG_1 */
#define RK32 8		/* NFT_REG32_00, aliases NFT_REG_1 */
#define RA 16		/* NFT_REG32_08 */
#define RB 17		/* NFT_REG32_09 */

/* Rule userdata flags the translators may set / read. */
enum {
	XF_SYS = 1u << 0,		/* rosh infrastructure rule */
	XF_HWOFF_YES = 1u << 1,
	XF_HWOFF_NO = 1u << 2,
	XF_REJ_DEFAULT = 1u << 3,	/* reject-with not given */
	XF_ALT_DYN = 1u << 4,		/* address-list-timeout=none-dynamic */
	XF_ALT_STATIC = 1u << 5,	/* address-list-timeout=none-static */
	XF_FASTPATH = 1u << 6,		/* with XF_SYS: the fast path rule */
	XF_DL_DEFEXP = 1u << 7,		/* dst-limit without /expire */
};

struct nfx {
	struct nftnl_rule *r;
	struct nftb *b;			/* anonymous sets go here; NULL: check only */
	const struct rprops *p;
	const struct nft_rule *rule;
	enum nfm_menu menu;
	struct bk_err *e;
	struct strbuf ov;		/* display overrides: [prop][text]\0 ... */
	bool log_done;			/* a log expression carries log-prefix */
	uint32_t udf;			/* XF_* for the userdata */
};

#define NFD_MAX 96
struct nfd {
	struct nftnl_expr *ex[NFD_MAX];
	size_t n, pos;
	struct rprops *p;
	enum nfm_menu menu;
	struct strbuf sb;		/* scratch for formatting */
	uint32_t udf;			/* XF_* from the userdata */
};

/* ---- encoding ------------------------------------------------------------ */

void x_payload(struct nfx *x, uint32_t base, uint32_t off, uint32_t len,
	       uint32_t dreg);
void x_meta(struct nfx *x, uint32_t key, uint32_t dreg);
void x_ct(struct nfx *x, uint32_t key, uint32_t dreg);
void x_cmp(struct nfx *x, uint32_t sreg, uint32_t op, const void *data,
	   uint32_t len);
void x_bitwise(struct nfx *x, uint32_t reg, uint32_t len, const void *mask,
	       const void *xor_);
void x_range(struct nfx *x, uint32_t sreg, uint32_t op, const void *lo,
	     const void *hi, uint32_t len);
void x_lookup(struct nfx *x, uint32_t sreg, const char *set, uint32_t set_id,
	      int dreg, bool inv);
void x_imm(struct nfx *x, uint32_t dreg, const void *data, uint32_t len);
void x_verdict(struct nfx *x, int verdict, const char *chain);
/* host order -> big endian in place, so that ranges and < > compare right */
void x_hton(struct nfx *x, uint32_t reg, uint32_t len);
void x_counter(struct nfx *x, uint64_t bytes, uint64_t packets);
void x_log(struct nfx *x, const char *prefix);
void x_add(struct nfx *x, struct nftnl_expr *ex);

/* An anonymous constant set (map when data != NULL) built from elems;
 * elems[i] holds (start, end) of len bytes; an interval set when interval.
 * Returns its batch set id, and the name to look it up by in *name. */
struct xelem {
	unsigned char a[16], b[16];
	uint32_t data;
	bool catchall;
};
uint32_t x_anon_set(struct nfx *x, uint32_t key_type, uint32_t len,
		    bool interval, bool map, const struct xelem *el, size_t n,
		    const char **name);
/* Remember that prop was entered in another order than decode prints. */
void x_override(struct nfx *x, unsigned prop, const char *text);
int x_fail(struct nfx *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- decoding ------------------------------------------------------------ */

const struct nftnl_expr *d_at(const struct nfd *d, size_t k);
bool d_is(const struct nftnl_expr *ex, const char *name);
uint32_t d_u32(const struct nftnl_expr *ex, uint16_t attr);
uint32_t reg32(uint32_t r);
uint32_t d_reg(const struct nftnl_expr *ex, uint16_t attr);
uint64_t d_u64(const struct nftnl_expr *ex, uint16_t attr);
const void *d_data(const struct nftnl_expr *ex, uint16_t attr, uint32_t *len);
bool d_has(const struct nftnl_expr *ex, uint16_t attr);
bool d_payload(const struct nftnl_expr *ex, uint32_t base, uint32_t off,
	       uint32_t len);
bool d_meta(const struct nftnl_expr *ex, uint32_t key);
bool d_ct(const struct nftnl_expr *ex, uint32_t key);
/* What follows a load at d->pos: a compare, masked compare, range or set. */
enum dv_kind { DV_CMP, DV_MASK, DV_RANGE, DV_SET };
struct dval {
	enum dv_kind kind;
	uint32_t op;		/* NFT_CMP_*, NFT_RANGE_EQ/NEQ, set: 1 = != */
	unsigned char a[16], b[16], mask[16];
	uint32_t len;
	const struct nft_set *set;
	size_t n;		/* expressions used, including the load */
};
bool d_value(const struct nfd *d, struct dval *v);
/* The anonymous set a lookup expression refers to (elements loaded). */
const struct nft_set *d_set(const struct nftnl_expr *lookup);
void d_put(struct nfd *d, unsigned prop, const char *text);
bool d_hton(const struct nftnl_expr *ex, uint32_t reg, uint32_t len);
void be_put(unsigned char *out, uint64_t v, uint32_t len);
uint64_t be_get(const unsigned char *in, uint32_t len);

/* ---- value helpers ----------------------------------------------------- */

bool v_u32(const char *s, uint32_t max, uint32_t *out);
bool v_u64(const char *s, uint64_t *out);
/* "a" or "a-b" */
bool v_range(const char *s, uint32_t max, uint32_t *a, uint32_t *b);
bool v_ip4(const char *s, uint32_t *host);
/* address, a.b.c.d/len or a-b (host order); *is_range for "a-b" */
bool v_ip4_net(const char *s, uint32_t *lo, uint32_t *hi, unsigned *plen,
	       bool *is_range);
void f_ip4(struct strbuf *sb, uint32_t host);
/* The prefix length of [lo,hi] when it is exactly one prefix, else -1. */
int ip4_prefix_len(uint32_t lo, uint32_t hi);
/* index of word in a NULL-terminated list, -1 if absent */
int v_word(const char *s, size_t n, const char *const *words);

#endif
