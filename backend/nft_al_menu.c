/* /ip firewall address-list: the item operations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/netfilter/nf_tables.h>

#include "nft_al.h"
#include "nft_expr.h"
#include "../grammar/types.h"

#define IDS_SET "ids"
#define IDS_KEY_AL 1u

/* ---- the id counter ----------------------------------------------------- */

static int ids_cb(const struct nfs_elem_view *v, void *arg)
{
	uint32_t key;

	if (v->catchall || v->len != 4 || !v->has_data)
		return 0;
	memcpy(&key, v->key, 4);
	if (key == IDS_KEY_AL) {
		nfm.al_next = (uint32_t)be_get((const unsigned char *)&v->data, 4);
		nfm.al_next_in_kernel = true;
	}
	return 0;
}

static int next_id(uint32_t *id, struct bk_err *e)
{
	if (!nfm.al_next_known) {
		nfm.al_next = 0;
		if (nfm_set_find(IDS_SET) &&
		    nfs_dump_elems(IDS_SET, ids_cb, NULL, e) < 0)
			return -1;
		if (!nfm.al_next) {	/* no counter yet: after the largest id */
			if (al_model_need(e) < 0)
				return -1;
			nfm.al_next = 1;
			for (size_t i = 0; i < alm.l.n; i++)
				if (alm.l.v[i].has_id && alm.l.v[i].id >= nfm.al_next)
					nfm.al_next = (uint32_t)alm.l.v[i].id + 1;
		}
		nfm.al_next_known = true;
	}
	*id = nfm.al_next++;
	nfm.al_next_dirty = true;
	return 0;
}

void nfs_ids_flush(struct nftb *b)
{
	uint32_t key = IDS_KEY_AL, data;
	be_put((unsigned char *)&data, nfm.al_next, 4);
	struct nfs_elem el = { .key = &key, .len = 4, .has_data = true,
			       .data = data };

	if (!nfm.al_next_dirty)
		return;
	if (!nfm_set_find(IDS_SET))
		nfs_plan_set(IDS_SET, 0, 19 /* mark */, 4, true, NULL, 0);
	if (nfm.al_next_in_kernel)
		nfs_elems(b, IDS_SET, true, false, &el, 1);
	nfs_elems(b, IDS_SET, false, false, &el, 1);
}

/* ---- items ------------------------------------------------------------- */

struct al_item {
	struct bk_item it;
	const struct al_entry *en;
	struct strbuf addr, ctime, timeout;
};

static const char *al_get(struct bk_item *it, unsigned prop)
{
	struct al_item *a = (struct al_item *)it;
	const struct al_entry *en = a->en;

	switch (prop) {
	case ALP_DISABLED: return en->disabled ? "yes" : NULL;
	case ALP_DYNAMIC: return en->dynamic ? "yes" : NULL;
	case ALP_LIST: return en->list;
	case ALP_COMMENT: return en->comment;
	case ALP_ADDRESS:
		sb_reset(&a->addr);
		al_format_addr(en, &a->addr);
		return sb_str(&a->addr);
	case ALP_TIMEOUT:
		if (!en->timeout_ms)
			return NULL;
		sb_reset(&a->timeout);
		gr_duration_format(en->expires_ms / 1000 * 1000, &a->timeout);
		return sb_str(&a->timeout);
	case ALP_CREATION_TIME: {
		time_t t = en->ctime;
		struct tm tm;
		if (!t)
			t = time(NULL) - (time_t)((en->timeout_ms - en->expires_ms) / 1000);
		localtime_r(&t, &tm);
		sb_reset(&a->ctime);
		sb_printf(&a->ctime, "%04d-%02d-%02d %02d:%02d:%02d",
			  tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			  tm.tm_hour, tm.tm_min, tm.tm_sec);
		return sb_str(&a->ctime);
	}
	}
	return NULL;
}

static void set_item_id(struct bk_item *it, const struct al_entry *en)
{
	snprintf(it->id, sizeof(it->id), "*%llX", (unsigned long long)en->id);
}

int nft_al_iterate(const struct gr_menu *m, const struct bk_cond *hints,
		   size_t nhints, bk_item_cb cb, void *arg, struct bk_err *e)
{
	struct al_item a = { .it.get = al_get };
	struct al_list l;
	const char *only = NULL;
	int rc = 0;

	for (size_t i = 0; i < nhints; i++)	/* list=X: read that list only */
		if (hints[i].prop == ALP_LIST && hints[i].op == BK_EQ &&
		    !hints[i].negated)
			only = hints[i].value;
	if (nfm_load(false, e) < 0)
		return -1;
	if (nfm.txn) {		/* inside an import: the pending state */
		if (al_model_need(e) < 0)
			return -1;
		memset(&l, 0, sizeof(l));
	} else if (al_read(&l, only, e) < 0) {
		return -1;
	}
	const struct al_list *src = nfm.txn ? &alm.l : &l;
	for (size_t i = 0; i < src->n && rc == 0; i++) {
		a.en = &src->v[i];
		if (a.en->gone || (only && strcmp(a.en->list, only)))
			continue;
		set_item_id(&a.it, a.en);
		rc = cb(&a.it, arg);
	}
	sb_free(&a.addr);
	sb_free(&a.ctime);
	sb_free(&a.timeout);
	al_free(&l);
	return rc < 0 ? -1 : 0;
}

/* ---- add / set / remove ----------------------------------------------------- */

struct al_args {
	const struct bk_setarg *a;
	size_t n;
	char *new_id;
	const char *const *ids;
	size_t nids;
};

/* Apply arguments to en; *list gets a new list name when given. */
static int apply(struct al_entry *en, const struct bk_setarg *a, size_t n,
		 const char **list, struct bk_err *e)
{
	for (size_t i = 0; i < n; i++) {
		const char *v = a[i].value;
		unsigned plen;
		bool range;
		switch (a[i].prop) {
		case ALP_LIST:
			if (!v)
				return bk_fail(e, "list can not be unset");
			*list = v;
			break;
		case ALP_ADDRESS:
			if (!v || !v_ip4_net(v, &en->lo, &en->hi, &plen, &range))
				return bk_fail(e, "invalid address %s (DNS names "
					       "are not supported on Linux)",
					       v ? v : "");
			break;
		case ALP_TIMEOUT:
			en->timeout_ms = 0;
			if (v && (!gr_duration_parse(v, &en->timeout_ms)))
				return bk_fail(e, "invalid timeout %s", v);
			en->expires_ms = en->timeout_ms;
			break;
		case ALP_COMMENT:
			free(en->comment);
			en->comment = v && *v ? xstrdup(v) : NULL;
			break;
		case ALP_DISABLED:
			en->uflags &= ~(uint32_t)AF_DISABLED;
			if (v && !strcmp(v, "yes"))
				en->uflags |= AF_DISABLED;
			break;
		case ALP_DYNAMIC:
			en->uflags &= ~(uint32_t)AF_DYNAMIC;
			if (v && !strcmp(v, "yes"))
				en->uflags |= AF_DYNAMIC;
			break;
		default:
			return bk_fail(e, "property can not be set");
		}
	}
	en->disabled = en->uflags & AF_DISABLED;
	/* as nft_addrlist.c decodes it, so a print in the same script
	 * (the transaction still pending) shows what the kernel will hold */
	en->dynamic = !en->has_id || en->timeout_ms ||
		      (en->uflags & AF_DYNAMIC);
	return 0;
}

/* The model's name of list (a stable string), creating its sets. */
static const char *list_name(const char *list, struct bk_err *e)
{
	struct strbuf h = STRBUF_INIT, r = STRBUF_INIT;
	const struct nft_set *s;

	if (nfs_al_ensure(list, e) < 0)
		return NULL;
	nfs_al_names(list, &r, &h);
	s = nfm_set_find(sb_str(&h));
	sb_free(&h);
	sb_free(&r);
	return s ? s->name + 4 : NULL;
}

static bool duplicate(const struct al_entry *en, const struct al_entry *skip)
{
	for (size_t i = 0; i < alm.l.n; i++) {
		const struct al_entry *o = &alm.l.v[i];
		if (o != skip && !o->gone && o->lo == en->lo && o->hi == en->hi &&
		    !strcmp(o->list, en->list))
			return true;
	}
	return false;
}

/* Put en (a new or changed entry) into the kernel and the model. */
static int put(struct al_entry *en, const struct al_entry *old,
	       struct bk_err *e)
{
	if (duplicate(en, en))
		return bk_fail(e, "already have such entry");
	if (old && al_elem(nfm_batch(), old, true, e) < 0)
		return -1;
	if (al_elem(nfm_batch(), en, false, e) < 0)
		return -1;
	if (old && old->lo != old->hi && al_sync_ranges(old->list, e) < 0)
		return -1;
	if (en->lo != en->hi && (!old || old->lo == old->hi ||
				 strcmp(old->list, en->list)))
		return al_sync_ranges(en->list, e);
	return 0;
}

static struct al_entry *model_push(void)
{
	struct al_list *l = &alm.l;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	return memset(&l->v[l->n++], 0, sizeof(struct al_entry));
}

static int add_op(void *arg, struct bk_err *e)
{
	struct al_args *aa = arg;
	struct al_entry en = { 0 };
	const char *list = NULL;
	bool have_addr = false;
	uint32_t id;

	for (size_t i = 0; i < aa->n; i++)
		have_addr |= aa->a[i].prop == ALP_ADDRESS;
	if (apply(&en, aa->a, aa->n, &list, e) < 0 || !list || !have_addr) {
		free(en.comment);
		return e->msg[0] ? -1 : bk_fail(e, "missing value(s) of "
						"argument(s) %s", list ? "address" : "list");
	}
	if (al_model_need(e) < 0 || !(en.list = list_name(list, e)) ||
	    next_id(&id, e) < 0) {
		free(en.comment);
		return -1;
	}
	en.id = id;
	en.has_id = true;
	en.dynamic = en.timeout_ms || (en.uflags & AF_DYNAMIC);
	en.ctime = (uint32_t)time(NULL);
	struct al_entry *m = model_push();
	*m = en;
	if (put(m, NULL, e) < 0) {
		m->gone = true;
		return -1;
	}
	snprintf(aa->new_id, 24, "*%X", id);
	return 0;
}

int nft_al_add(const struct gr_menu *m, const struct bk_setarg *a, size_t n,
	       const char *before_id, char new_id[24], struct bk_err *e)
{
	struct al_args aa = { .a = a, .n = n, .new_id = new_id };

	return nfm_run(add_op, &aa, e);
}

static struct al_entry *find(const char *id, struct bk_err *e)
{
	char *end;
	unsigned long long v;

	if (id && id[0] == '*') {
		v = strtoull(id + 1, &end, 16);
		for (size_t i = 0; !*end && i < alm.l.n; i++)
			if (alm.l.v[i].id == v && !alm.l.v[i].gone)
				return &alm.l.v[i];
	}
	bk_fail(e, "no such item");
	return NULL;
}

static int set_one(const struct al_args *aa, const char *id, struct bk_err *e)
{
	struct al_entry *cur = find(id, e);

	if (!cur)
		return -1;
	if (!cur->has_id && cur->dynamic)
		return bk_fail(e, "can not change dynamic entry");
	struct al_entry en = *cur;
	const char *list = en.list;
	uint32_t nid;
	int rc;
	if (!en.has_id) {	/* static, added by a rule: now it is ours */
		if (next_id(&nid, e) < 0)
			return -1;
		cur = find(id, e);
		en.id = nid;
		en.has_id = true;
		en.ctime = (uint32_t)time(NULL);
	}
	en.comment = cur->comment ? xstrdup(cur->comment) : NULL;
	if (en.timeout_ms)	/* keep what is left */
		en.timeout_ms = en.expires_ms ? en.expires_ms : 1;
	if (apply(&en, aa->a, aa->n, &list, e) < 0 ||
	    !(en.list = list_name(list, e))) {
		free(en.comment);
		return -1;
	}
	struct al_entry *m = model_push();	/* may move cur */
	cur = find(id, e);
	*m = en;
	cur->gone = true;
	struct al_entry old = *cur;
	rc = put(m, &old, e);
	if (rc < 0) {
		m->gone = true;
		cur->gone = false;
	}
	return rc;
}

static int set_op(void *arg, struct bk_err *e)
{
	struct al_args *aa = arg;

	if (al_model_need(e) < 0)
		return -1;
	for (size_t i = 0; i < aa->nids; i++)
		if (set_one(aa, aa->ids[i], e) < 0)
			return -1;
	return 0;
}

int nft_al_set(const struct gr_menu *m, const char *const *ids, size_t nids,
	       const struct bk_setarg *a, size_t n, struct bk_err *e)
{
	struct al_args aa = { .a = a, .n = n, .ids = ids, .nids = nids };

	return nfm_run(set_op, &aa, e);
}

static int remove_op(void *arg, struct bk_err *e)
{
	struct al_args *aa = arg;

	if (al_model_need(e) < 0)
		return -1;
	for (size_t i = 0; i < aa->nids; i++) {
		struct al_entry *en = find(aa->ids[i], e);
		if (!en || al_elem(nfm_batch(), en, true, e) < 0)
			return -1;
		en->gone = true;
		if (en->lo != en->hi && al_sync_ranges(en->list, e) < 0)
			return -1;
	}
	return 0;
}

int nft_al_remove(const struct gr_menu *m, const char *const *ids,
		  size_t nids, struct bk_err *e)
{
	struct al_args aa = { .ids = ids, .nids = nids };

	return nfm_run(remove_op, &aa, e);
}
