/* Menu operations of the nft backend (filter/nat, address lists, interface
 * lists); bk_nft_ops in nft.c dispatches on the menu id. */
#ifndef ROSH_NFT_FW_H
#define ROSH_NFT_FW_H
#include "nft.h"

int nft_fw_iterate(const struct gr_menu *m, const struct bk_cond *hints,
		   size_t nhints, bk_item_cb cb, void *arg, struct bk_err *e);
int nft_fw_count(const struct gr_menu *m, uint64_t *n, struct bk_err *e);
int nft_fw_add(const struct gr_menu *m, const struct bk_setarg *a, size_t n,
	       const char *before_id, char new_id[24], struct bk_err *e);
int nft_fw_set(const struct gr_menu *m, const char *const *ids, size_t nids,
	       const struct bk_setarg *a, size_t n, struct bk_err *e);
int nft_fw_remove(const struct gr_menu *m, const char *const *ids,
		  size_t nids, struct bk_err *e);
int nft_fw_move(const struct gr_menu *m, const char *const *ids, size_t nids,
		const char *dest_id, struct bk_err *e);
int nft_fw_reset_counters(const struct gr_menu *m, const char *const *ids,
			  size_t nids, struct bk_err *e);

int nft_al_iterate(const struct gr_menu *m, const struct bk_cond *hints,
		   size_t nhints, bk_item_cb cb, void *arg, struct bk_err *e);
int nft_al_add(const struct gr_menu *m, const struct bk_setarg *a, size_t n,
	       const char *before_id, char new_id[24], struct bk_err *e);
int nft_al_set(const struct gr_menu *m, const char *const *ids, size_t nids,
	       const struct bk_setarg *a, size_t n, struct bk_err *e);
int nft_al_remove(const struct gr_menu *m, const char *const *ids,
		  size_t nids, struct bk_err *e);

int nft_ifl_iterate(const struct gr_menu *m, const struct bk_cond *hints,
		    size_t nhints, bk_item_cb cb, void *arg, struct bk_err *e);
int nft_ifl_add(const struct gr_menu *m, const struct bk_setarg *a, size_t n,
		const char *before_id, char new_id[24], struct bk_err *e);
int nft_ifl_set(const struct gr_menu *m, const char *const *ids, size_t nids,
		const struct bk_setarg *a, size_t n, struct bk_err *e);
int nft_ifl_remove(const struct gr_menu *m, const char *const *ids,
		   size_t nids, struct bk_err *e);

#endif
