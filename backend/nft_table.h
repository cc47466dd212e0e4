/* Base chains and rosh's own rules in them (nft_table.c). */
#ifndef ROSH_NFT_TABLE_H
#define ROSH_NFT_TABLE_H
#include "nft.h"

struct nftnl_rule;
void nft_rule_msg(struct nftb *b, struct nftnl_rule *r, uint16_t type,
		  uint16_t flags, const char *label);
/* Is chain (kernel name) the rule chain of a RouterOS built-in chain? */
bool nft_is_builtin(const char *chain);
/* NEWCHAIN for planned chains, and the hooks of new built-in chains. */
void nft_create_chains(struct nftb *b);
/* Fast path rule: insert it, or turn it on/off with the fasttrack rules,
 * with the flowtable where the kernel has one. */
int nft_sync_fastpath(struct nftb *b, struct bk_err *e);

/* nft_flowtable.c: the fast path's flowtable (see there). */
struct nfx;
/* Can the kernel offload? (a dry-run batch, once per process; callers
 * check nft_ft_off first) */
bool nft_ft_supported(void);
/* ROSH_NFT_FLOWTABLE=0: never offload */
bool nft_ft_off(void);
/* `flow add @ft` */
void nft_ft_expr(struct nfx *x);
/* Create the flowtable, or hook interfaces that appeared since. */
int nft_ft_prepare(struct nftb *b, struct bk_err *e);
void nft_ft_delete(struct nftb *b);

#endif
