/*
 * Named sets of table ip rosh: address lists (nft_addrlist.c), interface
 * lists (nft_iflist.c), the mark-name registry (nft_marks.c), and per-rule
 * meters (nft_xlate_rate.c). Element helpers shared by them live in
 * nft_sets.c.
 */
#ifndef ROSH_NFT_SETS_H
#define ROSH_NFT_SETS_H
#include <stdbool.h>
#include <stdint.h>

#include "nft.h"

struct nftnl_set;
struct nftnl_set_elem;

/* Address list X: "alr_X" (interval map: prefixes and ranges) and "alh_X"
 * (hash map: single addresses, also filled by add-*-to-address-list). */
void nfs_al_names(const char *list, struct strbuf *r, struct strbuf *h);
const char *nfs_al_list_of(const char *rname, const char *hname);
int nfs_al_ensure(const char *list, struct bk_err *e);
/* Data of an alh_X element that a rule with address-list-timeout=none-static
 * adds (the packet path can not attach userdata): it matches like MAP_ON
 * (any non-zero value does) and reads back as a static entry. */
#define AL_MAP_STATIC (MAP_ON << 1)

/* Interface list X: "ifl_X" (map ifname -> 1 member / 0 not). */
void nfs_ifl_name(const char *list, struct strbuf *out);
const char *nfs_ifl_list_of(const char *set);
int nfs_ifl_check(const char *list, struct bk_err *e);

/* Mark names <-> values ("marks" set; see nft_marks.c). */
int nfs_mark_value(const char *name, bool plan, uint32_t *v, struct bk_err *e);
const char *nfs_mark_name(uint32_t v, char buf[16]);
void nfs_marks_reset(void);
int nfs_marks_load(struct bk_err *e);	/* before decoding rules */

/* Per-rule meter sets ("dlim_<id>", "clim_<id>"): garbage collection of
 * meters whose rule is gone or no longer uses them (called by the commit). */
void nfs_meters_gc(struct nftb *b);
/* Write the address-list id counter when it moved (called by the commit). */
void nfs_ids_flush(struct nftb *b);

/* ---- element helpers (nft_sets.c) -------------------------------------- */

/* A named set/map of our table with the given properties. */
void nfs_plan_set(const char *name, uint32_t flags, uint32_t key_type,
		  uint32_t key_len, bool map, const void *udata,
		  uint32_t udata_len);
/* A concatenated interval set; fields: lengths, 0-terminated. */
void nfs_plan_set_concat(const char *name, uint32_t flags, uint32_t key_type,
			 uint32_t key_len, const uint8_t *fields);
/* One element message (add or delete) of set `name`. */
struct nfs_elem {
	const void *key;
	const void *key_end;	/* interval maps: last key (inclusive) */
	uint32_t len;
	bool catchall;
	bool has_data;
	uint32_t data;
	uint64_t timeout_ms;
	const void *udata;
	uint32_t udata_len;
	bool concat_interval;	/* key..key_end in one element (pipapo) */
};
void nfs_elems(struct nftb *b, const char *set, bool del, bool interval,
	       const struct nfs_elem *el, size_t n);
void nfs_del_set(struct nftb *b, const char *name);

/* Stream the elements of set `name`: cb per element (interval sets: merged
 * into one call per [start, end] range). */
struct nfs_elem_view {
	const unsigned char *key;
	unsigned char key_end[16];
	uint32_t len;
	bool catchall, interval;
	uint32_t data;
	bool has_data;
	uint64_t timeout_ms, expires_ms;
	const void *udata;
	uint32_t udata_len;
};
typedef int (*nfs_elem_cb)(const struct nfs_elem_view *v, void *arg);
int nfs_dump_elems(const char *set, nfs_elem_cb cb, void *arg,
		   struct bk_err *e);

#endif
