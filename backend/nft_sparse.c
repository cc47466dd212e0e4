/*
 * The sparse path: a command that only changes the state of rules named by
 * id (enable, disable, comment, reset-counters *ID) runs on a model holding
 * the chains and sets and just those rules, fetched through the rule index
 * (nft_rids.c), and commits only when that is provably what it would have
 * done on the full model; otherwise the full model decides. Transactions
 * (nft_run.c) carry changes made on a sparse model over to the full one.
 */
#include <stdlib.h>
#include <string.h>

#include "nft_rids.h"

/* Rules fetched by id on a sparse model, as they were in the kernel. */
static struct fetched {
	uint32_t menu, id, chain;
	uint64_t order;
	char *props;
} *fetched;
static size_t nfetched;
static unsigned lookups;	/* nft_rix_lookup calls */

unsigned nft_rix_lookups(void)
{
	return lookups;
}

/* A copy of packed properties ([prop][text]\0 ... \0). */
static char *packed_dup(const char *p)
{
	size_t n = 0;

	if (!p)
		return NULL;
	while (p[n])
		n += strlen(p + n) + 1;
	char *c = xmalloc(n + 1);
	memcpy(c, p, n + 1);
	return c;
}

void nft_rix_clear(void)
{
	for (size_t i = 0; i < nfetched; i++)
		free(fetched[i].props);
	free(fetched);
	fetched = NULL;
	nfetched = 0;
}

struct nft_rule *nft_rix_lookup(enum nfm_menu menu, uint32_t id)
{
	struct nft_rule *r = nft_rix_fetch(menu, id);

	lookups++;
	if (!r) {
		nfm.sparse_miss = true;
		return NULL;
	}
	fetched = xrealloc(fetched, (nfetched + 1) * sizeof(*fetched));
	fetched[nfetched++] = (struct fetched){ menu, id, r->chain, r->order,
		packed_dup(r->props) };
	return r;
}

static const struct fetched *fetched_of(const struct nft_rule *r)
{
	for (size_t i = 0; i < nfetched; i++)
		if (fetched[i].id == r->id &&
		    fetched[i].menu == nfm.chains[r->chain].menu)
			return &fetched[i];
	return NULL;
}

/* Only disabled and comment differ (the kinds of change that can not
 * touch anything outside the rule: not the fast path, chains, meters). */
static bool same_but_state(const char *a, const char *b)
{
	struct rprops x = { { 0 } }, y = { { 0 } };
	bool same = true;

	rp_unpack(a, &x);
	rp_unpack(b, &y);
	for (unsigned p = 0; p < FWP__COUNT && same; p++) {
		if (p == FWP_DISABLED || p == FWP_COMMENT)
			continue;
		same = (!x.v[p] && !y.v[p]) ||
		       (x.v[p] && y.v[p] && !strcmp(x.v[p], y.v[p]));
	}
	const char *act = x.v[FWP_ACTION];
	if (act && !strcmp(act, "fasttrack-connection"))
		same = false;	/* enabling it turns the fast path on */
	rp_clear(&x);
	rp_clear(&y);
	return same;
}

/*
 * Is what op did on the sparse model what it would have done on the full
 * one? Yes when it looked rules up only by id (all found in the index),
 * and changed nothing but disabled, comment or counters of those rules.
 * Anything else (adds, removes, moves, other properties, fasttrack rules,
 * sets, chains, the fast path) is redone on the full model.
 */
bool nft_sparse_ok(void)
{
	size_t nf = 0;

	if (nfm.sparse_miss || !nfetched || nftb_count(nfm.batch) ||
	    nfm.ndel_sets || nfm.al_next_dirty)
		return false;
	for (size_t i = 0; i < nfm.nchains; i++)
		if (nfm.chains[i].create || nfm.chains[i].del)
			return false;
	for (size_t i = 0; i < nfm.nrules; i++) {
		struct nft_rule *r = &nfm.rules[i];
		const struct fetched *f = fetched_of(r);
		if (!f && (r->flags & (NR_NEW | NR_DIRTY | NR_GONE | NR_ZERO)))
			return false;	/* the fast path rule */
		if (!f)
			continue;
		if ((r->flags & (NR_NEW | NR_GONE)) || r->chain != f->chain ||
		    r->order != f->order || !f->props || !r->props ||
		    !same_but_state(f->props, r->props))
			return false;
		nf++;
	}
	if (nf != nfetched)
		return false;
	/* kernel order within a chain is order-key order: kpos to match */
	for (size_t i = 0; i < nfm.nrules; i++) {
		struct nft_rule *r = &nfm.rules[i];
		r->kpos = 1;
		for (size_t k = 0; k < nfm.nrules; k++)
			if (nfm.rules[k].chain == r->chain &&
			    nfm.rules[k].order < r->order)
				r->kpos++;
	}
	return true;
}

/* ---- carrying sparse changes over to the full model (transactions) ---- */

struct rix_snap {
	size_t n;
	struct snap_rule {
		uint32_t menu, id, flags;
		char *orig, *props;
	} *v;
};

/* The fetched rules as they are now (and as fetched). */
struct rix_snap *nft_rix_snap(void)
{
	struct rix_snap *s = xcalloc(1, sizeof(*s));

	s->v = xcalloc(nfetched + 1, sizeof(*s->v));
	for (size_t i = 0; i < nfm.nrules; i++) {
		const struct nft_rule *r = &nfm.rules[i];
		const struct fetched *f = fetched_of(r);
		if (!f || (r->flags & NR_SYS))
			continue;
		s->v[s->n++] = (struct snap_rule){ f->menu, f->id, r->flags,
			packed_dup(f->props), packed_dup(r->props) };
	}
	return s;
}

void nft_rix_snap_free(struct rix_snap *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].orig);
		free(s->v[i].props);
	}
	free(s->v);
	free(s);
}

int nft_rix_transplant(const struct rix_snap *s, struct bk_err *e)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct snap_rule *x = &s->v[i];
		struct nft_rule *r = nfm_rule_by_id(x->menu, x->id);
		if (!r || !r->props || !x->orig ||
		    !rp_packed_eq(r->props, x->orig))
			return bk_fail(e, "the ruleset was changed by another "
				       "program meanwhile");
		if (!(x->flags & (NR_DIRTY | NR_ZERO)))
			continue;
		free(r->props);
		r->props = packed_dup(x->props);
		r->flags |= x->flags & (NR_DIRTY | NR_ZERO);
	}
	return 0;
}

int nft_sparse_run(nfm_op op, void *arg, bool *missed, struct bk_err *e)
{
	int rc = nfm_load_sparse(e);

	if (rc != 0)
		return rc < 0 ? -1 : 2;
	if (!nfm.table_exists) {
		nfm_invalidate();
		return 2;
	}
	unsigned before = lookups;
	rc = op(arg, e);
	*missed = nfm.sparse_miss;
	if (rc < 0 || !nfm.sparse || lookups == before || !nft_sparse_ok()) {
		nfm_invalidate();	/* the full model decides */
		return 2;
	}
	rc = nfc_commit(e);
	nfm_invalidate();		/* never keep a partial model */
	return rc == 1 ? 2 : rc;
}
