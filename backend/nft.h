/*
 * Internal interface of the nftables backend (backend/nft*.c). The design is
 * described at the top of nft.c. Layers, bottom up:
 *   nft_batch.c   netlink socket, generation id, dumps, one batch per commit
 *   nft_model.c   the in-memory view of `table ip rosh` (chains, rules, sets)
 *   nft_ids.c     rules of the model by id and in RouterOS order
 *   nft_rids.c, nft_sparse.c   the rule index; commands on rules by id
 *   nft_run.c     running a command: its batch, retries, transactions
 *   nft_commit.c  model changes -> one batch (rules diffed per chain)
 *   nft_table.c   base chains and rosh's own rules in them
 *   nft_rule.c    RouterOS properties <-> nft expressions (table driven;
 *                 the families live in nft_xlate_*.c)
 *   nft_fw.c, nft_addrlist.c, nft_iflist.c   the menus
 */
#ifndef ROSH_NFT_H
#define ROSH_NFT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "../grammar/menus.h"
#include "../grammar/strbuf.h"

struct nlmsghdr;
struct nftnl_rule;
struct nftnl_set;
struct nftnl_expr;

#define NFT_TABLE_NAME "rosh"
#define NFT_FAMILY 2 /* NFPROTO_IPV4 */

/* Conntrack label bit that marks a fasttracked connection (see nft.c). */
#define ROSH_FT_LABEL_BIT 127

/* ---- nft_batch.c: transport -------------------------------------------- */

typedef int (*nftb_cb)(const struct nlmsghdr *nlh, void *arg);

int nftb_genid(uint32_t *genid, struct bk_err *e);
int nftb_table_exists(bool *exists, struct bk_err *e);
/* Dump request of msg type (NFT_MSG_GET*), filtered to our table and, when
 * given, to one set (GETSETELEM) or one chain (GETRULE). cb per message; 1 = genid changed during the
 * dump (retry), 0 ok, -1 error. */
int nftb_dump(uint16_t type, const char *set, nftb_cb cb, void *arg,
	      struct bk_err *e);
void nftb_close(void);
/* One rule (non-dump GETRULE); cb gets the reply. */
int nftb_get_rule(const char *chain, uint64_t handle, nftb_cb cb, void *arg,
		  struct bk_err *e);
/* One element of a set by key (non-dump GETSETELEM). */
int nftb_get_elem(const char *set, const void *key, uint32_t len, nftb_cb cb,
		  void *arg, struct bk_err *e);

struct nftb;		/* a batch being built */
struct nftb *nftb_new(uint32_t genid);
void nftb_free(struct nftb *b);
/* Start a message: header with table family; caller fills the payload with
 * nftnl_*_nlmsg_build_payload, then calls nftb_end(). label names the object
 * in error messages ("rule *5"), copied. */
struct nlmsghdr *nftb_msg(struct nftb *b, uint16_t type, uint16_t flags,
			  const char *label);
void nftb_end(struct nftb *b);
size_t nftb_count(const struct nftb *b);
/* Send; echo_cb sees every echoed object. *new_genid gets the generation
 * after the commit. Returns 0, 1 when the generation changed under us
 * (ERESTART: retry), -1 with e filled. */
int nftb_commit(struct nftb *b, nftb_cb echo_cb, void *arg,
		uint32_t *new_genid, struct bk_err *e);

/* ---- rule properties: packed canonical texts ------------------------- */

/* A rule's properties as canonical text, indexed by enum fw_prop. */
struct rprops {
	char *v[FWP__COUNT];
};
void rp_clear(struct rprops *p);
void rp_set(struct rprops *p, unsigned prop, const char *val);
void rp_setn(struct rprops *p, unsigned prop, const char *val, size_t n);
/* Packed form kept in the model: [prop byte][text]\0 ... \0 */
char *rp_pack(const struct rprops *p);
void rp_unpack(const char *packed, struct rprops *p);
const char *rp_packed_get(const char *packed, unsigned prop);
bool rp_packed_eq(const char *a, const char *b);

/* ---- nft_model.c: the view of table ip rosh ------------------------------ */

enum nfm_menu { NFM_NONE, NFM_FILTER, NFM_NAT, NFM__COUNT };

struct nft_chain {
	char *name;		/* kernel name: filter_forward, hook_filter_input */
	uint64_t handle;
	uint8_t menu;		/* enum nfm_menu; NFM_NONE for hook chains */
	bool base;
	bool in_kernel;
	bool create;		/* to create in the next commit */
	bool del;		/* to delete in the next commit */
	bool dirty;		/* has rule changes (computed by the commit) */
};

enum nfr_flags {
	NR_NEW = 1u << 0,	/* not in the kernel: insert */
	NR_DIRTY = 1u << 1,	/* in the kernel, changed: replace */
	NR_GONE = 1u << 2,	/* delete */
	NR_INVALID = 1u << 3,	/* no decoder recognised it */
	NR_SYS = 1u << 4,	/* rosh infrastructure (jump, fast path) */
	NR_DISABLED = 1u << 5,
	NR_ZERO = 1u << 6,	/* counters reset on rewrite */
	NR_FOREIGN = 1u << 7,	/* no rosh id: added by someone else */
	NR_FASTPATH = 1u << 8,	/* the sys rule accepting fasttracked flows */
	NR_FLOW = 1u << 9,	/* the fast path rule offloads (flow add) */
};

struct nft_rule {
	uint32_t id;		/* stable item id (userdata) */
	uint32_t chain;		/* index into model chains */
	uint64_t order;		/* global order key within the menu */
	uint64_t handle;	/* kernel handle, 0 when NR_NEW */
	uint64_t bytes, packets;
	uint32_t flags;		/* enum nfr_flags */
	uint32_t kpos;		/* position in its chain as dumped */
	char *props;		/* packed canonical properties */
};

/* A named set of our table, as listed (elements are loaded by their menu). */
struct nft_set {
	char *name;
	uint32_t flags, key_type, key_len, data_type, data_len;
	bool anon;
	char *udata;		/* set userdata copy */
	uint32_t udata_len;
	/* anonymous sets: their elements, as (key,end) pairs, for decoding */
	struct nft_anon_elem *elems;
	size_t nelems;
};

struct nft_anon_elem {
	unsigned char key[16], end[16];	/* end valid for intervals */
	uint32_t len;
	uint32_t flags;			/* NFT_SET_ELEM_* */
	uint32_t data;			/* map data (first 4 bytes) */
};

struct nft_model {
	bool loaded;
	uint32_t genid;
	bool table_exists;
	struct nft_chain *chains;
	size_t nchains;
	struct nft_rule *rules;
	size_t nrules;
	struct nft_set *sets;
	size_t nsets;
	struct nftb *batch;	/* the batch being built for this command */
	char **del_sets;	/* sets to delete after the rules */
	size_t ndel_sets;
	uint32_t next_set_id;
	bool txn, txn_failed;	/* inside bk_nft_txn_begin/commit */
	/* per menu, cached: largest rule id and order key (0: not known) */
	uint32_t max_id[NFM__COUNT];
	uint64_t max_order[NFM__COUNT];
	/* rules sent with NLM_F_ECHO, in order, to match the echoes */
	uint32_t *echo_q;
	size_t echo_n, echo_pos;
	/* sparse: only chains, sets, hook_filter_forward and the rules fetched
	 * by id (through the rule index, nft_rids.c) are loaded;
	 * sparse_miss: an id the index could not give (see nfm_run) */
	bool sparse, sparse_miss;
	/* address-list id counter ("ids" map) */
	uint32_t al_next;
	bool al_next_known, al_next_dirty, al_next_in_kernel;
};

/* The process-wide model; loaded and validated by nfm_run. */
extern struct nft_model nfm;

/* Load (or reuse while the generation is unchanged) the model. fresh: re-read
 * rules even when the generation did not change (print: counters). */
int nfm_load(bool fresh, struct bk_err *e);
void nfm_invalidate(void);
/* Fill in the kernel handles of chains created by the last commit. */
int nfm_chain_handles(struct bk_err *e);
int nfm_load_sparse(struct bk_err *e);
void nfm_free(void);
/* nfm_load inside a transaction (nft_run.c). */
int nfm_txn_load(struct bk_err *e);

int nfm_chain_find(const char *name);
/* Find or plan a chain (creating it, with its hook, in the next commit). */
int nfm_chain_want(const char *name, struct bk_err *e);
/* RouterOS chain of a rule-holding chain ("filter_forward" -> "forward"). */
const char *nfm_ros_chain(const struct nft_chain *c);
void nfm_chain_name(enum nfm_menu menu, const char *ros, struct strbuf *out);
struct nft_rule *nfm_rule_new(void);
struct nft_set *nfm_set_find(const char *name);
struct nft_set *nfm_set_add(const char *name);

/* ---- nft_ids.c: rules by id and in order ---------------------------------- */

struct nft_rule *nfm_rule_by_id(enum nfm_menu menu, uint32_t id);
uint32_t nfm_next_rule_id(enum nfm_menu menu);
uint64_t nfm_max_order(enum nfm_menu menu);
void nfm_note_rule(const struct nft_rule *r);	/* update the caches */
/* Rules of a menu sorted by order key (array of indexes, caller frees). */
size_t nfm_menu_rules(enum nfm_menu menu, uint32_t **out);
enum nfm_menu nfm_menu_of(const struct gr_menu *m);
int nfm_parse_id(const char *s, uint32_t *id);

/* ---- nft_run.c: running a command ------------------------------------------ */

struct nftb *nfm_batch(void);		/* this command's batch */
void nfm_del_set_later(const char *name);
uint32_t nfm_set_id(void);

/* Run op on a loaded model and commit, retrying when another writer changed
 * the ruleset meanwhile. op returns 0 or -1 (e filled; nothing is sent). */
typedef int (*nfm_op)(void *arg, struct bk_err *e);
int nfm_run(nfm_op op, void *arg, struct bk_err *e);

/* ---- nft_commit.c -------------------------------------------------------- */

int nfc_commit(struct bk_err *e);
/* Keys between a and b (exclusive) for n rules; false when no room. */
bool nfc_order_between(uint64_t a, uint64_t b, size_t n, uint64_t *keys);
void nfc_renumber(enum nfm_menu menu);
/* Read a kernel rule's counters into r before rewriting it. */
void nfc_refresh_counters(struct nft_rule *r);
#define NFC_ORDER_STEP (1ULL << 24)

/* ---- nft_rule.c: encode / decode ---------------------------------------- */

struct nfx;		/* encoder state */
struct nfd;		/* decoder state */

/* Build the kernel rule for r (props decoded in p) into a new nftnl_rule
 * and the anonymous sets it needs (emitted into b before it). */
struct nftnl_rule *nfr_encode(const struct nft_rule *r,
			      const struct rprops *p, struct nftb *b,
			      struct bk_err *e);
/* Check that p can be encoded (all properties supported, required ones
 * present) without sending anything. */
int nfr_validate(enum nfm_menu menu, const struct rprops *p,
		 struct bk_err *e);
/* Decode a kernel rule into r (metadata) and *packed (properties). */
void nfr_decode(const struct nftnl_rule *nr, struct nft_rule *r);

/* Per-property translation (nft_xlate_*.c register rows in nfr_table). */
struct nfr_row {
	int (*enc)(struct nfx *x, unsigned prop, const char *val, bool neg);
	int (*dec)(struct nfd *d, unsigned prop);
	/* order-losing lists: canonical (decode) order, or NULL */
	void (*canon)(const char *val, struct strbuf *out);
	const char *unsupported;	/* non-NULL: "not supported on Linux" */
};
extern const struct nfr_row nfr_table[FWP__COUNT];

#endif
