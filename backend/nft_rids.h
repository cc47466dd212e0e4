/*
 * The rule index (map "rids", nft_rids.c) and the sparse path that uses it
 * (nft_sparse.c): commands on rules named by id without reading every rule.
 */
#ifndef ROSH_NFT_RIDS_H
#define ROSH_NFT_RIDS_H
#include "nft.h"

/* nft_rids.c: write entries for rules v[0..n) (indexes into nfm.rules) or
 * all rules, after a commit; fetch one rule by id into the model (NULL: not
 * indexed, stale, or gone). */
void nft_rix_write(const uint32_t *v, size_t n);
void nft_rix_write_all(void);
struct nft_rule *nft_rix_fetch(enum nfm_menu menu, uint32_t id);

/* nft_sparse.c: nfm_rule_by_id on a sparse model: fetch and remember the
 * rule. */
struct nft_rule *nft_rix_lookup(enum nfm_menu menu, uint32_t id);
void nft_rix_clear(void);
/* Run op on a sparse model and commit when all it did is safe without the
 * other rules; 2: use the full model instead (*missed: the index lacked an
 * id op asked for). */
int nft_sparse_run(nfm_op op, void *arg, bool *missed, struct bk_err *e);
/* Pieces of the same for transactions (nft_run.c): is the sparse model
 * still good; how many lookups so far; the changes made on a sparse model,
 * to carry over to the full one. */
bool nft_sparse_ok(void);
unsigned nft_rix_lookups(void);
struct rix_snap;
struct rix_snap *nft_rix_snap(void);
void nft_rix_snap_free(struct rix_snap *s);
int nft_rix_transplant(const struct rix_snap *s, struct bk_err *e);

#endif
