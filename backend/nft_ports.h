/* The shared set of port lists (nft_ports.c). */
#ifndef ROSH_NFT_PORTS_H
#define ROSH_NFT_PORTS_H
#include "nft.h"

#define NFP_MAX 512
struct prange_v {
	uint32_t a, b;
};

int nfp_load(struct bk_err *e);		/* before decoding rules */
void nfp_clear(void);
uint32_t nfp_key(enum nfm_menu menu, unsigned prop, uint32_t id);
/* "22,80,8000-8100" of a key, as the kernel holds it (sorted) */
bool nfp_text(uint32_t key, struct strbuf *out);
/* Sort r[0..k-1] by start and merge overlapping or adjacent ranges;
 * returns the new count. Shared by the set and the rule translators. */
size_t nfp_sort_merge(struct prange_v *r, size_t k);
int nfp_range_cmp(const void *a, const void *b);	/* qsort by start */
/* sorted, merged ranges; 0 when invalid */
size_t nfp_parse(const char *val, struct prange_v *r);
/* called by the commit before the rules: elements follow the rules */
void nfp_sync(struct nftb *b);

#endif
