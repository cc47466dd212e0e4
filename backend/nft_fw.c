/* /ip firewall filter and nat: the item operations over the model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nft_fw.h"
#include "nft_xlate.h"

#define DUMMY_ID 0xffffffffu	/* the dynamic fasttrack counters rule */

/* ---- items ------------------------------------------------------------- */

struct fw_item {
	struct bk_item it;
	const struct nft_rule *r;
	bool dummy;
	char num[2][24];
	const char *v[FWP__COUNT];	/* r->props indexed, on first get */
	bool indexed;
};

static void index_props(struct fw_item *f)
{
	memset(f->v, 0, sizeof(f->v));
	for (const char *s = f->r->props; s && *s; s += strlen(s) + 1)
		if ((unsigned char)s[0] - 1u < FWP__COUNT)
			f->v[(unsigned char)s[0] - 1u] = s + 1;
	f->indexed = true;
}

static const char *fw_get(struct bk_item *it, unsigned prop)
{
	struct fw_item *f = (struct fw_item *)it;
	const struct nft_rule *r = f->r;

	switch (prop) {
	case FWP_BYTES:
		snprintf(f->num[0], sizeof(f->num[0]), "%llu",
			 (unsigned long long)r->bytes);
		return f->num[0];
	case FWP_PACKETS:
		snprintf(f->num[1], sizeof(f->num[1]), "%llu",
			 (unsigned long long)r->packets);
		return f->num[1];
	case FWP_INVALID:
		return r->flags & NR_INVALID && !f->dummy ? "yes" : NULL;
	case FWP_DYNAMIC:
		return f->dummy ? "yes" : NULL;
	}
	if (f->dummy) {
		switch (prop) {
		case FWP_CHAIN: return "forward";
		case FWP_ACTION: return "passthrough";
		case FWP_COMMENT: return "special dummy rule to show fasttrack counters";
		default: return NULL;
		}
	}
	if (!f->indexed)
		index_props(f);
	return prop < FWP__COUNT ? f->v[prop] : NULL;
}

/* The fast path rule of hook_filter_forward, when a fasttrack rule is on. */
static const struct nft_rule *fasttrack_dummy(enum nfm_menu menu)
{
	const struct nft_rule *fp = NULL;
	bool on = false;

	if (menu != NFM_FILTER)
		return NULL;
	for (size_t i = 0; i < nfm.nrules; i++) {
		const struct nft_rule *r = &nfm.rules[i];
		const char *a = rp_packed_get(r->props, FWP_ACTION);
		if ((r->flags & NR_FASTPATH) && !fp)
			fp = r;
		else if (!(r->flags & (NR_SYS | NR_DISABLED | NR_GONE)) && a &&
			 !strcmp(a, "fasttrack-connection") &&
			 nfm.chains[r->chain].menu == NFM_FILTER)
			on = true;
	}
	return on ? fp : NULL;
}

int nft_fw_iterate(const struct gr_menu *m, const struct bk_cond *hints,
		   size_t nhints, bk_item_cb cb, void *arg, struct bk_err *e)
{
	enum nfm_menu menu = nfm_menu_of(m);
	struct fw_item f = { .it.get = fw_get };
	uint32_t *v;
	int rc = 0;

	if (nfm_load(true, e) < 0)
		return -1;
	const struct nft_rule *dummy = fasttrack_dummy(menu);
	if (dummy) {
		f.r = dummy;
		f.dummy = true;
		snprintf(f.it.id, sizeof(f.it.id), "*%X", DUMMY_ID);
		rc = cb(&f.it, arg);
		f.dummy = false;
	}
	size_t n = nfm_menu_rules(menu, &v);
	for (size_t i = 0; i < n && rc == 0; i++) {
		f.r = &nfm.rules[v[i]];
		f.indexed = false;
		snprintf(f.it.id, sizeof(f.it.id), "*%X", f.r->id);
		rc = cb(&f.it, arg);
	}
	free(v);
	return rc < 0 ? -1 : 0;
}

int nft_fw_count(const struct gr_menu *m, uint64_t *n, struct bk_err *e)
{
	uint32_t *v;

	if (nfm_load(true, e) < 0)
		return -1;
	*n = nfm_menu_rules(nfm_menu_of(m), &v) +
	     (fasttrack_dummy(nfm_menu_of(m)) ? 1 : 0);
	free(v);
	return 0;
}

/* ---- lookups ---------------------------------------------------------- */

static struct nft_rule *find(enum nfm_menu menu, const char *id,
			     struct bk_err *e)
{
	uint32_t v;
	struct nft_rule *r;

	if (nfm_parse_id(id, &v) < 0) {
		bk_fail(e, "no such item");
		return NULL;
	}
	if (v == DUMMY_ID) {
		bk_fail(e, "can not change dynamic rule");
		return NULL;
	}
	r = nfm_rule_by_id(menu, v);
	if (!r)
		bk_fail(e, "no such item");
	return r;
}

/* Keys for n rules placed before `before` (or at the end): between the
 * largest key below it and its own. 1 when there is no room. */
static int place_keys(enum nfm_menu menu, const struct nft_rule *before,
		      size_t n, uint64_t *keys)
{
	uint64_t lo = 0, hi;

	for (size_t i = 0; before && i < nfm.nrules; i++) {
		const struct nft_rule *r = &nfm.rules[i];
		if ((r->flags & (NR_GONE | NR_SYS)) ||
		    nfm.chains[r->chain].menu != menu)
			continue;
		if (r->order < before->order && r->order > lo)
			lo = r->order;
	}
	if (!before)
		lo = nfm_max_order(menu);
	hi = before ? before->order : lo + (n + 1) * NFC_ORDER_STEP;
	return nfc_order_between(lo, hi, n, keys) ? 0 : 1;
}

static void get_keys(enum nfm_menu menu, uint32_t before_id, size_t n,
		     uint64_t *keys)
{
	for (int pass = 0; pass < 2; pass++) {
		const struct nft_rule *b = before_id ?
			nfm_rule_by_id(menu, before_id) : NULL;
		if (place_keys(menu, b, n, keys) == 0)
			return;
		nfc_renumber(menu);
	}
}

/* ---- add ---------------------------------------------------------------- */

struct fw_args {
	const struct gr_menu *m;
	const struct bk_setarg *a;
	size_t n;
	const char *before;
	char *new_id;
	const char *const *ids;
	size_t nids;
};

static int apply_args(struct rprops *p, const struct gr_menu *m,
		      const struct bk_setarg *a, size_t n, struct bk_err *e)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i].prop >= FWP__COUNT || !m->props[a[i].prop].name)
			return bk_fail(e, "unknown property");
		if (m->props[a[i].prop].flags & GP_RO)
			return bk_fail(e, "%s is read-only",
				       m->props[a[i].prop].name);
		const char *v = a[i].value;
		if (v && !*v)		/* x="" in an export: not set */
			v = NULL;
		if ((a[i].prop == FWP_DISABLED || a[i].prop == FWP_LOG) &&
		    v && !strcmp(v, "no"))
			v = NULL;	/* the default: not stored */
		rp_set(p, a[i].prop, v);
	}
	return 0;
}

/* Defaults a decode of the kernel rule gives back: the model outlives a
 * commit, so what it holds must read as a fresh load of the rule would. */
static void fill_defaults(struct rprops *p)
{
	if (!p->v[FWP_ACTION])
		rp_set(p, FWP_ACTION, "accept");
}

static int add_op(void *arg, struct bk_err *e)
{
	struct fw_args *fa = arg;
	enum nfm_menu menu = nfm_menu_of(fa->m);
	struct rprops p = { { 0 } };
	struct strbuf cname = STRBUF_INIT;
	uint32_t before = 0;
	uint64_t key;
	int rc = -1;

	if (apply_args(&p, fa->m, fa->a, fa->n, e) < 0)
		goto out;
	fill_defaults(&p);
	if (!p.v[FWP_CHAIN]) {
		bk_fail(e, "missing value(s) of argument(s) chain");
		goto out;
	}
	if (fa->before && (!find(menu, fa->before, e) ||
			   nfm_parse_id(fa->before, &before) < 0))
		goto out;
	if (nfr_validate(menu, &p, e) < 0)
		goto out;
	nfm_chain_name(menu, p.v[FWP_CHAIN], &cname);
	int c = nfm_chain_want(sb_str(&cname), e);
	if (c < 0)
		goto out;
	get_keys(menu, before, 1, &key);
	uint32_t id = nfm_next_rule_id(menu);
	struct nft_rule *r = nfm_rule_new();
	r->id = id;
	r->chain = (uint32_t)c;
	r->order = key;
	r->flags = NR_NEW;
	r->props = rp_pack(&p);
	nfm_note_rule(r);
	snprintf(fa->new_id, 24, "*%X", id);
	rc = 0;
out:
	rp_clear(&p);
	sb_free(&cname);
	return rc;
}

int nft_fw_add(const struct gr_menu *m, const struct bk_setarg *a, size_t n,
	       const char *before_id, char new_id[24], struct bk_err *e)
{
	struct fw_args fa = { .m = m, .a = a, .n = n, .before = before_id,
			      .new_id = new_id };

	return nfm_run(add_op, &fa, e);
}

/* ---- set ---------------------------------------------------------------- */

static int set_one(enum nfm_menu menu, struct fw_args *fa, const char *id,
		   struct bk_err *e)
{
	struct nft_rule *r = find(menu, id, e);
	struct rprops p = { { 0 } };
	struct strbuf cname = STRBUF_INIT;
	int rc = -1;

	if (!r)
		return -1;
	if (r->flags & NR_INVALID)
		return bk_fail(e, "can not change invalid rule");
	rp_unpack(r->props, &p);
	const char *old_act = p.v[FWP_ACTION];
	char *act0 = old_act ? xstrdup(old_act) : NULL;
	if (apply_args(&p, fa->m, fa->a, fa->n, e) < 0)
		goto out;
	if (!p.v[FWP_CHAIN]) {
		bk_fail(e, "chain can not be unset");
		goto out;
	}
	if ((act0 == NULL) != (p.v[FWP_ACTION] == NULL) ||
	    (act0 && strcmp(act0, p.v[FWP_ACTION])))
		nfa_prune(&p);
	fill_defaults(&p);
	if (nfr_validate(menu, &p, e) < 0)
		goto out;
	char *packed = rp_pack(&p);
	nfm_chain_name(menu, p.v[FWP_CHAIN], &cname);
	int c = nfm_chain_want(sb_str(&cname), e);
	if (c < 0) {
		free(packed);
		goto out;
	}
	r = find(menu, id, e);	/* the chain table may have moved */
	if ((uint32_t)c != r->chain) {
		struct nft_rule old = *r;
		r->flags |= NR_GONE;
		r->props = NULL;
		free(old.props);
		struct nft_rule *nr = nfm_rule_new();
		*nr = old;
		nr->props = packed;
		nr->chain = (uint32_t)c;
		nr->handle = 0;
		nr->flags = (old.flags & NR_ZERO) | NR_NEW;
	} else if (!rp_packed_eq(packed, r->props)) {
		free(r->props);
		r->props = packed;
		r->flags |= NR_DIRTY;
	} else {
		free(packed);
	}
	rc = 0;
out:
	free(act0);
	rp_clear(&p);
	sb_free(&cname);
	return rc;
}

/* [find] also yields the dynamic fasttrack rule: among others, skip it */
static bool skip_dummy(const struct fw_args *fa, size_t i)
{
	uint32_t v;

	return fa->nids > 1 && !nfm_parse_id(fa->ids[i], &v) && v == DUMMY_ID;
}

static int set_op(void *arg, struct bk_err *e)
{
	struct fw_args *fa = arg;
	enum nfm_menu menu = nfm_menu_of(fa->m);

	for (size_t i = 0; i < fa->nids; i++)
		if (!skip_dummy(fa, i) && set_one(menu, fa, fa->ids[i], e) < 0)
			return -1;
	return 0;
}

int nft_fw_set(const struct gr_menu *m, const char *const *ids, size_t nids,
	       const struct bk_setarg *a, size_t n, struct bk_err *e)
{
	struct fw_args fa = { .m = m, .a = a, .n = n, .ids = ids, .nids = nids };

	return nfm_run(set_op, &fa, e);
}

/* ---- remove, move, reset-counters ------------------------------------------ */

static int remove_op(void *arg, struct bk_err *e)
{
	struct fw_args *fa = arg;
	enum nfm_menu menu = nfm_menu_of(fa->m);

	for (size_t i = 0; i < fa->nids; i++) {
		if (skip_dummy(fa, i))
			continue;
		struct nft_rule *r = find(menu, fa->ids[i], e);
		if (!r)
			return -1;
		r->flags |= NR_GONE;
	}
	return 0;
}

int nft_fw_remove(const struct gr_menu *m, const char *const *ids,
		  size_t nids, struct bk_err *e)
{
	struct fw_args fa = { .m = m, .ids = ids, .nids = nids };

	return nfm_run(remove_op, &fa, e);
}

static int move_op(void *arg, struct bk_err *e)
{
	struct fw_args *fa = arg;
	enum nfm_menu menu = nfm_menu_of(fa->m);
	uint32_t dest = 0, *ids = xcalloc(fa->nids + 1, sizeof(*ids));
	uint64_t *keys = xcalloc(fa->nids + 1, sizeof(*keys));
	int rc = -1;

	for (size_t i = 0; i < fa->nids; i++) {
		struct nft_rule *r = find(menu, fa->ids[i], e);
		if (!r)
			goto out;
		ids[i] = r->id;
		r->order = UINT64_MAX - fa->nids + i;	/* out of the way */
	}
	if (fa->before) {
		struct nft_rule *d = find(menu, fa->before, e);
		if (!d)
			goto out;
		dest = d->id;
		for (size_t i = 0; i < fa->nids; i++)
			if (ids[i] == dest)	/* before itself: stays */
				dest = 0;
	}
	/* place the moved rules as a block before dest (or at the end) */
	for (size_t i = 0; i < fa->nids; i++)
		nfm_rule_by_id(menu, ids[i])->flags |= NR_GONE;
	get_keys(menu, dest, fa->nids, keys);
	for (size_t i = 0; i < fa->nids; i++) {
		struct nft_rule *r = nfm_rule_by_id(menu, ids[i]);
		for (size_t k = 0; !r && k < nfm.nrules; k++)
			if (nfm.rules[k].id == ids[i] &&
			    nfm.chains[nfm.rules[k].chain].menu == menu &&
			    !(nfm.rules[k].flags & NR_SYS))
				r = &nfm.rules[k];
		r->flags &= ~(uint32_t)NR_GONE;
		r->order = keys[i];
		r->flags |= NR_DIRTY;
		nfm_note_rule(r);
	}
	rc = 0;
out:
	free(ids);
	free(keys);
	return rc;
}

int nft_fw_move(const struct gr_menu *m, const char *const *ids, size_t nids,
		const char *dest_id, struct bk_err *e)
{
	struct fw_args fa = { .m = m, .ids = ids, .nids = nids,
			      .before = dest_id };

	return nfm_run(move_op, &fa, e);
}

static int reset_op(void *arg, struct bk_err *e)
{
	struct fw_args *fa = arg;
	enum nfm_menu menu = nfm_menu_of(fa->m);

	if (!fa->ids) {
		for (size_t i = 0; i < nfm.nrules; i++) {
			struct nft_rule *r = &nfm.rules[i];
			bool fp = (r->flags & NR_FASTPATH) && menu == NFM_FILTER;
			/* all of them: the model's counters may be old */
			if (fp || (nfm.chains[r->chain].menu == menu &&
				   !(r->flags & (NR_SYS | NR_INVALID))))
				r->flags |= NR_ZERO | NR_DIRTY;
		}
		return 0;
	}
	for (size_t i = 0; i < fa->nids; i++) {
		uint32_t v;
		if (!nfm_parse_id(fa->ids[i], &v) && v == DUMMY_ID) {
			for (size_t k = 0; k < nfm.nrules; k++)
				if (nfm.rules[k].flags & NR_FASTPATH)
					nfm.rules[k].flags |= NR_ZERO | NR_DIRTY;
			continue;
		}
		struct nft_rule *r = find(menu, fa->ids[i], e);
		if (!r)
			return -1;
		if (!(r->flags & NR_INVALID))
			r->flags |= NR_ZERO | NR_DIRTY;
	}
	return 0;
}

int nft_fw_reset_counters(const struct gr_menu *m, const char *const *ids,
			  size_t nids, struct bk_err *e)
{
	struct fw_args fa = { .m = m, .ids = ids, .nids = nids };

	return nfm_run(reset_op, &fa, e);
}
