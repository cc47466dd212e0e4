/*
 * Model changes -> one batch. Per chain, the rules still wanted are compared
 * with the kernel's order: rules that keep their relative order (a longest
 * increasing subsequence of kernel positions) stay where they are and are
 * replaced in place when changed; the others are deleted and inserted after
 * their predecessor (by handle, or by batch rule id when the predecessor is
 * new too). So an edit, enable or disable of one rule is one message,
 * whatever the size of the chain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/udata.h>

#include "nft_expr.h"
#include "nft_sets.h"
#include "nft_ports.h"
#include "nft_table.h"
#include "nft_rids.h"

/* ---- rules of one chain ------------------------------------------------------ */

/* Longest strictly increasing subsequence of kp[0..n); keep[i] marks it. */
static void lis(const uint32_t *kp, size_t n, bool *keep)
{
	size_t *tail = xcalloc(n + 1, sizeof(size_t));
	size_t *prev = xcalloc(n + 1, sizeof(size_t));
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		size_t lo = 0, hi = len;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (kp[tail[mid]] < kp[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		prev[i] = lo ? tail[lo - 1] : (size_t)-1;
		tail[lo] = i;
		if (lo == len)
			len++;
	}
	memset(keep, 0, n * sizeof(bool));
	for (size_t i = len ? tail[len - 1] : (size_t)-1; i != (size_t)-1; i = prev[i])
		keep[i] = true;
	free(tail);
	free(prev);
}

static char *rule_label(const struct nft_rule *r)
{
	struct strbuf sb = STRBUF_INIT;

	sb_printf(&sb, "rule *%X", r->id);
	return sb_steal(&sb);
}

static int counters_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nft_rule *r = arg;
	struct nftnl_rule *nr = nftnl_rule_alloc();

	if (nftnl_rule_nlmsg_parse(nlh, nr) == 0) {
		struct nftnl_expr_iter *it = nftnl_expr_iter_create(nr);
		struct nftnl_expr *ex;
		while ((ex = nftnl_expr_iter_next(it)))
			if (!strcmp(nftnl_expr_get_str(ex, NFTNL_EXPR_NAME), "counter")) {
				r->bytes = nftnl_expr_get_u64(ex, NFTNL_EXPR_CTR_BYTES);
				r->packets = nftnl_expr_get_u64(ex, NFTNL_EXPR_CTR_PACKETS);
			}
		nftnl_expr_iter_destroy(it);
	}
	nftnl_rule_free(nr);
	return 0;
}

/* The counters the kernel has now: a rewritten rule carries them over.
 * (The model's may be old: it is kept while the generation holds.) */
void nfc_refresh_counters(struct nft_rule *r)
{
	struct bk_err e;

	if (r->handle && !(r->flags & NR_ZERO))
		nftb_get_rule(nfm.chains[r->chain].name, r->handle, counters_cb,
			      r, &e);
}

/* Insert (before the kept rule `next`, or at the end of the chain when
 * there is none: consecutive inserts keep their order either way, and no
 * rule needs to refer to one of the same batch), or replace in place. */
static int emit_rule(struct nftb *b, struct nft_rule *r, bool replace,
		     const struct nft_rule *next, struct bk_err *e)
{
	struct rprops p = { { 0 } };
	char *label = rule_label(r);
	uint16_t flags = NLM_F_ECHO;

	rp_unpack(r->props, &p);
	struct nftnl_rule *nr = nfr_encode(r, &p, b, e);
	rp_clear(&p);
	if (!nr) {
		free(label);
		return -1;
	}
	if (replace) {
		flags |= NLM_F_REPLACE;
		nftnl_rule_set_u64(nr, NFTNL_RULE_HANDLE, r->handle);
	} else if (next) {
		flags |= NLM_F_CREATE;
		nftnl_rule_set_u64(nr, NFTNL_RULE_POSITION, next->handle);
	} else {
		flags |= NLM_F_CREATE | NLM_F_APPEND;
	}
	nft_rule_msg(b, nr, NFT_MSG_NEWRULE, flags, label);
	nftnl_rule_free(nr);
	free(label);
	nfm.echo_q = xrealloc(nfm.echo_q, (nfm.echo_n + 1) * sizeof(uint32_t));
	nfm.echo_q[nfm.echo_n++] = (uint32_t)(r - nfm.rules);
	return 0;
}

static void del_rule(struct nftb *b, const struct nft_rule *r)
{
	struct nftnl_rule *nr = nftnl_rule_alloc();
	char *label = rule_label(r);

	nftnl_rule_set_u32(nr, NFTNL_RULE_FAMILY, NFT_FAMILY);
	nftnl_rule_set_str(nr, NFTNL_RULE_TABLE, NFT_TABLE_NAME);
	nftnl_rule_set_str(nr, NFTNL_RULE_CHAIN, nfm.chains[r->chain].name);
	nftnl_rule_set_u64(nr, NFTNL_RULE_HANDLE, r->handle);
	nft_rule_msg(b, nr, NFT_MSG_DELRULE, 0, label);
	nftnl_rule_free(nr);
	free(label);
}

static int idx_order_cmp(const void *a, const void *b)
{
	const struct nft_rule *x = &nfm.rules[*(const uint32_t *)a];
	const struct nft_rule *y = &nfm.rules[*(const uint32_t *)b];

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return x->kpos < y->kpos ? -1 : x->kpos > y->kpos;
}

static int commit_chain(struct nftb *b, uint32_t c, struct bk_err *e)
{
	uint32_t *want = xcalloc(nfm.nrules + 1, sizeof(*want));
	size_t n = 0, nold = 0;
	int rc = 0;

	for (size_t i = 0; i < nfm.nrules; i++) {
		const struct nft_rule *r = &nfm.rules[i];
		if (r->chain == c && !(r->flags & (NR_GONE | NR_SYS)))
			want[n++] = (uint32_t)i;
	}
	/* want is in model order: sort by order key (then kernel position) */
	qsort(want, n, sizeof(*want), idx_order_cmp);
	uint32_t *kp = xcalloc(n + 1, sizeof(*kp));
	size_t *oldi = xcalloc(n + 1, sizeof(*oldi));
	bool *keep = xcalloc(n + 1, sizeof(*keep)), *kept = xcalloc(n + 1, 1);
	for (size_t i = 0; i < n; i++)
		if (!(nfm.rules[want[i]].flags & NR_NEW)) {
			kp[nold] = nfm.rules[want[i]].kpos;
			oldi[nold++] = i;
		}
	lis(kp, nold, keep);
	for (size_t k = 0; k < nold; k++)
		kept[oldi[k]] = keep[k];
	for (size_t i = 0; i < nfm.nrules; i++) {	/* deletions */
		struct nft_rule *r = &nfm.rules[i];
		if (r->chain == c && (r->flags & NR_GONE) && r->handle &&
		    !(r->flags & NR_NEW))
			del_rule(b, r);
	}
	for (size_t i = 0; i < n; i++) {		/* moved: delete */
		struct nft_rule *r = &nfm.rules[want[i]];
		if (!(r->flags & NR_NEW) && !kept[i]) {
			nfc_refresh_counters(r);
			del_rule(b, r);
			r->flags |= NR_NEW;
		}
	}
	size_t *nk = xcalloc(n + 1, sizeof(*nk));	/* next kept rule */
	nk[n] = n;
	for (size_t i = n; i-- > 0;)
		nk[i] = kept[i] ? i : nk[i + 1];
	for (size_t i = 0; i < n && rc == 0; i++) {	/* replace, insert */
		struct nft_rule *r = &nfm.rules[want[i]];
		const struct nft_rule *next = nk[i] < n ?
			&nfm.rules[want[nk[i]]] : NULL;
		if (r->flags & NR_NEW)
			rc = emit_rule(b, r, false, next, e);
		else if (r->flags & NR_DIRTY) {
			nfc_refresh_counters(r);
			rc = emit_rule(b, r, true, NULL, e);
		}
	}
	free(nk);
	free(kp);
	free(oldi);
	free(keep);
	free(kept);
	free(want);
	return rc;
}

/* ---- unused user chains --------------------------------------------------- */

static bool chain_used(uint32_t c)
{
	const struct nft_chain *ch = &nfm.chains[c];
	const char *ros = nfm_ros_chain(ch);

	for (size_t i = 0; i < nfm.nrules; i++) {
		const struct nft_rule *r = &nfm.rules[i];
		if (r->flags & NR_GONE)
			continue;
		if (r->chain == c || ((r->flags & NR_INVALID) &&
				      nfm.chains[r->chain].menu == ch->menu))
			return true;	/* (an unknown rule may jump to it) */
		const char *t = rp_packed_get(r->props, FWP_JUMP_TARGET);
		if (t && nfm.chains[r->chain].menu == ch->menu && !strcmp(t, ros))
			return true;
	}
	return false;
}

/* Delete user chains left without rules and without jumps to them. */
static void gc_chains(struct nftb *b)
{
	for (uint32_t c = 0; c < nfm.nchains; c++) {
		struct nft_chain *ch = &nfm.chains[c];
		if (ch->menu == NFM_NONE || ch->base || !ch->in_kernel ||
		    nft_is_builtin(ch->name) || chain_used(c))
			continue;
		struct nftnl_chain *nc = nftnl_chain_alloc();
		nftnl_chain_set_str(nc, NFTNL_CHAIN_TABLE, NFT_TABLE_NAME);
		nftnl_chain_set_str(nc, NFTNL_CHAIN_NAME, ch->name);
		struct nlmsghdr *nlh = nftb_msg(b, NFT_MSG_DELCHAIN, 0, ch->name);
		nftnl_chain_nlmsg_build_payload(nlh, nc);
		nftb_end(b);
		nftnl_chain_free(nc);
		ch->del = true;
	}
}

/* ---- order keys ---------------------------------------------------------- */

bool nfc_order_between(uint64_t a, uint64_t b, size_t n, uint64_t *keys)
{
	uint64_t span = b - a;

	if (b <= a || span <= n)
		return false;
	uint64_t step = span / (n + 1);
	if (step > NFC_ORDER_STEP)
		step = NFC_ORDER_STEP;
	for (size_t i = 0; i < n; i++)
		keys[i] = a + step * (i + 1);
	return true;
}

void nfc_renumber(enum nfm_menu menu)
{
	uint32_t *v;
	size_t n = nfm_menu_rules(menu, &v);

	for (size_t i = 0; i < n; i++) {
		struct nft_rule *r = &nfm.rules[v[i]];
		uint64_t k = (i + 1) * NFC_ORDER_STEP;
		if (r->order != k && !(r->flags & NR_FOREIGN)) {
			r->order = k;
			r->flags |= NR_DIRTY;
		}
	}
	free(v);
	nfm.max_order[menu] = 0;	/* recompute */
}

/* ---- keeping the model after a commit ---------------------------------- */

/* The kernel's copy of each rule we added or replaced: learn its handle. */
static int echo_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct nftnl_rule *nr;
	uint32_t ulen = 0, id = 0;

	if ((nlh->nlmsg_type & 0xff) != NFT_MSG_NEWRULE)
		return 0;
	nr = nftnl_rule_alloc();
	if (nftnl_rule_nlmsg_parse(nlh, nr) < 0 ||
	    !nftnl_rule_is_set(nr, NFTNL_RULE_USERDATA))
		goto out;
	const void *ud = nftnl_rule_get_data(nr, NFTNL_RULE_USERDATA, &ulen);
	const struct nftnl_udata *a;
	nftnl_udata_for_each_data(ud, ulen, a)
		if (nftnl_udata_type(a) == 0xe0 && nftnl_udata_len(a) == 4)
			id = nftnl_udata_get_u32(a);
	int c = nfm_chain_find(nftnl_rule_get_str(nr, NFTNL_RULE_CHAIN));
	/* echoes come in the order the rules were sent */
	if (nfm.echo_pos < nfm.echo_n) {
		struct nft_rule *r = &nfm.rules[nfm.echo_q[nfm.echo_pos]];
		if (r->id == id && r->chain == (uint32_t)c) {
			r->handle = nftnl_rule_get_u64(nr, NFTNL_RULE_HANDLE);
			nfm.echo_pos++;
			goto out;
		}
	}
	for (size_t i = 0; c >= 0 && id && i < nfm.nrules; i++) {
		struct nft_rule *r = &nfm.rules[i];
		if (r->id == id && r->chain == (uint32_t)c &&
		    !(r->flags & NR_GONE) && (r->flags & (NR_NEW | NR_DIRTY)))
			r->handle = nftnl_rule_get_u64(nr, NFTNL_RULE_HANDLE);
	}
out:
	nftnl_rule_free(nr);
	return 0;
}

static int order_cmp(const void *a, const void *b)
{
	const struct nft_rule *x = *(struct nft_rule *const *)a;
	const struct nft_rule *y = *(struct nft_rule *const *)b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return x->kpos < y->kpos ? -1 : x->kpos > y->kpos;
}

/* kernel positions of the rules of a changed chain: their order now */
static void renumber_kpos(uint32_t c)
{
	struct nft_rule **v = xcalloc(nfm.nrules + 1, sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < nfm.nrules; i++)
		if (nfm.rules[i].chain == c && !(nfm.rules[i].flags & NR_SYS))
			v[n++] = &nfm.rules[i];
	qsort(v, n, sizeof(*v), order_cmp);
	for (size_t i = 0; i < n; i++)
		v[i]->kpos = (uint32_t)i + 1;	/* after the sys rules (0) */
	free(v);
}

/* Rules given a new handle by the last commit (indexes into nfm.rules),
 * for the rule index (nft_rids.c). */
static uint32_t *fresh;
static size_t nfresh;

/* Make the model what the kernel now holds; false: re-read instead. */
static bool after_commit(uint32_t gen)
{
	size_t n = 0;

	free(fresh);
	fresh = xcalloc(nfm.nrules + 1, sizeof(*fresh));
	nfresh = 0;

	for (size_t i = 0; i < nfm.nrules; i++) {
		struct nft_rule *r = &nfm.rules[i];
		if (r->flags & NR_GONE) {
			free(r->props);
			continue;
		}
		if ((r->flags & (NR_NEW | NR_DIRTY)) && !r->handle) {
			nfm.rules[n++] = *r;	/* no echo: give up */
			nfm.nrules = n;
			return false;
		}
		if ((r->flags & NR_NEW) && !(r->flags & NR_SYS))
			fresh[nfresh++] = (uint32_t)n;
		if (r->flags & NR_ZERO)
			r->bytes = r->packets = 0;
		r->flags &= ~(uint32_t)(NR_NEW | NR_DIRTY | NR_ZERO);
		nfm.rules[n++] = *r;
	}
	nfm.nrules = n;
	for (uint32_t c = 0; c < nfm.nchains; c++)
		if (nfm.chains[c].dirty)
			renumber_kpos(c);
	for (size_t i = 0; i < nfm.nchains; i++) {
		struct nft_chain *c = &nfm.chains[i];
		if (c->create)
			c->in_kernel = true;
		if (c->del)
			c->in_kernel = false;
		c->create = c->del = false;
	}
	for (size_t i = 0; i < nfm.ndel_sets; i++) {
		struct nft_set *s = nfm_set_find(nfm.del_sets[i]);
		if (s)
			s->name[0] = '\0';	/* gone; never matches a name */
		free(nfm.del_sets[i]);
	}
	nfm.ndel_sets = 0;
	if (nfm.al_next_dirty)
		nfm.al_next_in_kernel = true;
	nfm.al_next_dirty = false;
	nfm.table_exists = true;
	nfm.genid = gen;
	return true;
}

/* ---- the commit ---------------------------------------------------------- */

/* chains that new or changed rules jump to must exist */
static int want_jump_targets(struct bk_err *e)
{
	struct strbuf name = STRBUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < nfm.nrules && rc == 0; i++) {
		const struct nft_rule *r = &nfm.rules[i];
		if (!(r->flags & (NR_NEW | NR_DIRTY)) || (r->flags & NR_GONE))
			continue;
		const char *a = rp_packed_get(r->props, FWP_ACTION);
		const char *t = rp_packed_get(r->props, FWP_JUMP_TARGET);
		if (!a || strcmp(a, "jump") || !t)
			continue;
		sb_reset(&name);
		nfm_chain_name(nfm.chains[r->chain].menu, t, &name);
		rc = nfm_chain_want(sb_str(&name), e) < 0 ? -1 : 0;
	}
	sb_free(&name);
	return rc;
}

static bool has_changes(void)
{
	if ((nfm.batch && nftb_count(nfm.batch)) || nfm.al_next_dirty)
		return true;
	for (size_t i = 0; i < nfm.nchains; i++)
		if (nfm.chains[i].create && !nfm.chains[i].in_kernel)
			return true;
	for (size_t i = 0; i < nfm.nrules; i++)
		if (nfm.rules[i].flags & (NR_NEW | NR_DIRTY | NR_GONE))
			return true;
	return nfm.ndel_sets > 0;
}

int nfc_commit(struct bk_err *e)
{
	if (!has_changes())
		return 0;
	if (want_jump_targets(e) < 0)
		return -1;
	struct nftb *b = nfm_batch();
	nft_create_chains(b);
	/* a sparse model changes one rule's state only (nft_sparse.c): the
	 * fast path, chains and meters stay as they are */
	if (!nfm.sparse && nft_sync_fastpath(b, e) < 0)
		return -1;
	nfp_sync(b);
	for (size_t i = 0; i < nfm.nchains; i++)
		nfm.chains[i].dirty = false;
	for (size_t i = 0; i < nfm.nrules; i++)
		if (nfm.rules[i].flags & (NR_NEW | NR_DIRTY | NR_GONE))
			nfm.chains[nfm.rules[i].chain].dirty = true;
	for (uint32_t c = 0; c < nfm.nchains; c++)
		if (nfm.chains[c].dirty && !nfm.chains[c].base &&
		    commit_chain(b, c, e) < 0)
			return -1;
	bool any_gone = false;
	for (size_t i = 0; i < nfm.nrules; i++)
		any_gone |= (nfm.rules[i].flags & (NR_GONE | NR_DIRTY)) != 0;
	if (any_gone && !nfm.sparse)
		gc_chains(b);
	if (!nfm.sparse)
		nfs_meters_gc(b);
	nfs_ids_flush(b);
	for (size_t i = 0; i < nfm.ndel_sets; i++)
		nfs_del_set(b, nfm.del_sets[i]);
	if (getenv("ROSH_NFT_INJECT_FAIL")) {
		/* test hook: a message the kernel refuses, at the end */
		struct nftnl_rule *nr = nftnl_rule_alloc();
		nftnl_rule_set_str(nr, NFTNL_RULE_TABLE, NFT_TABLE_NAME);
		nftnl_rule_set_str(nr, NFTNL_RULE_CHAIN, "rosh-no-such-chain");
		nftnl_rule_set_u64(nr, NFTNL_RULE_HANDLE, 1);
		nft_rule_msg(b, nr, NFT_MSG_DELRULE, 0, "injected failure");
		nftnl_rule_free(nr);
	}
	uint32_t gen = 0;
	nfm.echo_pos = 0;
	int rc = nftb_commit(b, echo_cb, NULL, &gen, e);
	nfm.echo_n = 0;
	nftb_free(nfm.batch);
	nfm.batch = NULL;
	if (rc == 0 && !(gen == nfm.genid + 1 && after_commit(gen)))
		nfm_invalidate();	/* someone else wrote too: re-read */
	else if (rc == 0)
		nft_rix_write(fresh, nfresh);
	free(fresh);
	fresh = NULL;
	nfresh = 0;
	return rc;
}
