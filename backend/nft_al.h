/* Address-list entries as read from / written to the list maps. */
#ifndef ROSH_NFT_AL_H
#define ROSH_NFT_AL_H
#include <arpa/inet.h>

#include "nft_sets.h"
#include "nft_fw.h"

struct al_entry {
	const char *list;	/* points into the model's set names */
	uint32_t lo, hi;	/* host order; lo == hi: a single address */
	uint64_t id;
	bool has_id;		/* added by rosh (else: by a rule) */
	uint32_t ctime, uflags;
	uint64_t timeout_ms, expires_ms;
	char *comment;		/* owned, NULL when none */
	bool disabled, dynamic;
	bool gone;		/* being removed (al_sync_ranges skips it) */
};

struct al_list {
	struct al_entry *v;
	size_t n, cap;
};

void al_udata_parse(const void *ud, uint32_t len, struct al_entry *en);
uint64_t al_dyn_id(const char *list, uint32_t addr);
void al_format_addr(const struct al_entry *en, struct strbuf *out);
int al_elem(struct nftb *b, const struct al_entry *en, bool del,
	    struct bk_err *e);
/* Entries as the command (or transaction) has made them so far. */
struct al_model {
	bool loaded;
	struct al_list l;	/* removed entries stay, marked gone */
};
extern struct al_model alm;
int al_model_need(struct bk_err *e);
void al_model_clear(void);
/* Rewrite alr_<list> as the union of the list's enabled range entries in
 * the model. */
int al_sync_ranges(const char *list, struct bk_err *e);
/* All entries (of list `only` when given), sorted by id. */
int al_read(struct al_list *out, const char *only, struct bk_err *e);
void al_free(struct al_list *l);

enum { AF_DISABLED = 1, AF_DYNAMIC = 2 };

#endif
