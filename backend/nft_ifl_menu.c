/* /interface list and /interface list member: the item operations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nft_ifl.h"

static const char *const builtin_names[] = { "all", "none", "dynamic", "static" };
static const uint32_t builtin_ids[] = { 0x2000010, 0x2000011, 0x2000012, 0x2000013 };

static int need(struct bk_err *e)
{
	return ifl.loaded ? 0 : ifl_load(e);
}

/* ---- items ----------------------------------------------------------------- */

struct ifl_item {
	struct bk_item it;
	const char *name, *comment, *include, *exclude;
	bool builtin;
	const struct ifl_member *m;
	const char *list;
	bool member;
};

static const char *ifl_get(struct bk_item *it, unsigned prop)
{
	struct ifl_item *x = (struct ifl_item *)it;

	if (x->member) {
		switch (prop) {
		case IFMP_DISABLED: return x->m->disabled ? "yes" : NULL;
		case IFMP_LIST: return x->list;
		case IFMP_INTERFACE: return x->m->ifname;
		case IFMP_COMMENT: return x->m->comment;
		}
		return NULL;
	}
	switch (prop) {
	case IFLP_BUILTIN: return x->builtin ? "yes" : NULL;
	case IFLP_NAME: return x->name;
	case IFLP_INCLUDE: return x->include;
	case IFLP_EXCLUDE: return x->exclude;
	case IFLP_COMMENT: return x->comment;
	}
	return NULL;
}

static int iter_lists(bk_item_cb cb, void *arg)
{
	struct ifl_item x = { .it.get = ifl_get };
	int rc = 0;

	for (int b = 0; b < 4 && rc == 0; b++) {
		const struct ifl_list *l = ifl_find(builtin_names[b]);
		x.name = builtin_names[b];
		x.builtin = true;
		x.comment = l ? l->comment : NULL;
		snprintf(x.it.id, sizeof(x.it.id), "*%X", builtin_ids[b]);
		rc = cb(&x.it, arg);
	}
	x.builtin = false;
	uint32_t last = 0;
	for (;;) {		/* user lists by id */
		const struct ifl_list *best = NULL;
		for (size_t i = 0; i < ifl.n; i++) {
			const struct ifl_list *l = &ifl.v[i];
			if (!l->builtin && !l->removed && l->id > last &&
			    (!best || l->id < best->id))
				best = l;
		}
		if (!best || rc)
			break;
		last = best->id;
		x.name = best->name;
		x.comment = best->comment;
		x.include = best->include;
		x.exclude = best->exclude;
		snprintf(x.it.id, sizeof(x.it.id), "*%X", best->id);
		rc = cb(&x.it, arg);
	}
	return rc;
}

static int iter_members(bk_item_cb cb, void *arg)
{
	struct ifl_item x = { .it.get = ifl_get, .member = true };
	uint32_t last = 0;
	int rc = 0;

	for (;;) {
		const struct ifl_member *best = NULL;
		const char *list = NULL;
		for (size_t i = 0; i < ifl.n; i++)
			for (size_t j = 0; !ifl.v[i].removed && j < ifl.v[i].nm; j++) {
				const struct ifl_member *m = &ifl.v[i].m[j];
				if (m->id > last && (!best || m->id < best->id)) {
					best = m;
					list = ifl.v[i].name;
				}
			}
		if (!best || rc)
			return rc;
		last = best->id;
		x.m = best;
		x.list = list;
		snprintf(x.it.id, sizeof(x.it.id), "*%X", best->id);
		rc = cb(&x.it, arg);
	}
}

int nft_ifl_iterate(const struct gr_menu *m, const struct bk_cond *hints,
		    size_t nhints, bk_item_cb cb, void *arg, struct bk_err *e)
{
	if (nfm_load(false, e) < 0 || need(e) < 0)
		return -1;
	int rc = m->id == GMI_IFLIST ? iter_lists(cb, arg) : iter_members(cb, arg);
	return rc < 0 ? -1 : 0;
}

/* ---- lookups ------------------------------------------------------------- */

static int parse_id(const char *s, uint32_t *id, struct bk_err *e)
{
	if (nfm_parse_id(s, id) < 0)
		return bk_fail(e, "no such item");
	return 0;
}

static struct ifl_list *list_by_id(uint32_t id)
{
	for (size_t i = 0; i < ifl.n; i++)
		if (!ifl.v[i].removed && ifl.v[i].id == id)
			return &ifl.v[i];
	return NULL;
}

static struct ifl_member *member_by_id(uint32_t id, struct ifl_list **lp)
{
	for (size_t i = 0; i < ifl.n; i++)
		for (size_t j = 0; !ifl.v[i].removed && j < ifl.v[i].nm; j++)
			if (ifl.v[i].m[j].id == id) {
				*lp = &ifl.v[i];
				return &ifl.v[i].m[j];
			}
	return NULL;
}

static uint32_t next_list_id(void)
{
	uint32_t max = 0;

	for (size_t i = 0; i < ifl.n; i++)
		if (!ifl.v[i].builtin && ifl.v[i].id > max)
			max = ifl.v[i].id;
	return max + 1;
}

static uint32_t next_member_id(void)
{
	uint32_t max = 0;

	for (size_t i = 0; i < ifl.n; i++)
		for (size_t j = 0; j < ifl.v[i].nm; j++)
			if (ifl.v[i].m[j].id > max)
				max = ifl.v[i].m[j].id;
	return max + 1;
}

/* every name of a comma list is an existing list */
static int check_names(const char *names, const char *prop, struct bk_err *e)
{
	char buf[256];

	for (const char *p = names; p && *p;) {
		size_t n = strcspn(p, ",");
		if (n >= sizeof(buf))
			return bk_fail(e, "invalid value for argument %s", prop);
		memcpy(buf, p, n);
		buf[n] = '\0';
		if (!ifl_find(buf) && !ifl_is_builtin(buf))
			return bk_fail(e, "input does not match any value of %s",
				       prop);
		p += n + (p[n] == ',');
	}
	return 0;
}

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = v && *v ? xstrdup(v) : NULL;
}

/* ---- lists ------------------------------------------------------------------- */

struct ifl_args {
	const struct gr_menu *m;
	const struct bk_setarg *a;
	size_t n;
	char *new_id;
	const char *const *ids;
	size_t nids;
};

/* "a,OLD,b" with OLD renamed to NEW; NULL when OLD is not named */
static char *renamed_in(const char *names, const char *old, const char *new)
{
	struct strbuf sb = STRBUF_INIT;
	bool hit = false;

	for (const char *p = names; p && *p;) {
		size_t k = strcspn(p, ",");
		bool is = k == strlen(old) && !strncmp(p, old, k);
		hit |= is;
		sb_printf(&sb, "%s%.*s", sb.len ? "," : "", is ? (int)strlen(new) :
			  (int)k, is ? new : p);
		p += k + (p[k] == ',');
	}
	if (hit)
		return sb_steal(&sb);
	sb_free(&sb);
	return NULL;
}

/* Rename list l: a new set, the rules and lists naming it follow. */
static int list_rename(struct ifl_list *l, const char *name, struct bk_err *e)
{
	static const unsigned props[] = { FWP_IN_INTERFACE_LIST,
					  FWP_OUT_INTERFACE_LIST };
	struct strbuf s = STRBUF_INIT;

	if (ifl_is_builtin(name) || ifl_find(name))
		return bk_fail(e, "already have interface list with such name");
	if (!*name || strlen(name) > 200)
		return bk_fail(e, "invalid value for argument name");
	for (size_t i = 0; i < nfm.nrules; i++) {
		struct nft_rule *r = &nfm.rules[i];
		if (r->flags & (NR_GONE | NR_SYS | NR_INVALID))
			continue;
		struct rprops p = { { 0 } };
		bool hit = false;
		rp_unpack(r->props, &p);
		for (size_t k = 0; k < 2; k++) {
			const char *v = p.v[props[k]];
			bool neg = v && v[0] == '!';
			if (!v || strcmp(v + neg, l->name))
				continue;
			sb_reset(&s);
			sb_printf(&s, "%s%s", neg ? "!" : "", name);
			rp_set(&p, props[k], sb_str(&s));
			hit = true;
		}
		if (hit) {
			free(r->props);
			r->props = rp_pack(&p);
			r->flags |= NR_DIRTY;
		}
		rp_clear(&p);
	}
	for (size_t i = 0; i < ifl.n; i++) {
		char **f[2] = { &ifl.v[i].include, &ifl.v[i].exclude };
		for (int k = 0; k < 2; k++) {
			char *nv = renamed_in(*f[k], l->name, name);
			if (nv) {
				free(*f[k]);
				*f[k] = nv;
			}
		}
	}
	if (l->in_kernel) {
		sb_reset(&s);
		nfs_ifl_name(l->name, &s);
		nfm_del_set_later(sb_str(&s));
	}
	for (size_t j = 0; j < l->nk; j++)
		free(l->k[j].ud);
	free(l->k);
	l->k = NULL;
	l->nk = 0;
	l->in_kernel = false;
	free(l->name);
	l->name = xstrdup(name);
	sb_free(&s);
	return 0;
}

static int list_apply(struct ifl_list *l, const struct bk_setarg *a, size_t n,
		      struct bk_err *e)
{
	for (size_t i = 0; i < n; i++) {
		const char *v = a[i].value;
		if (l->builtin && !(a[i].prop == IFLP_COMMENT ||
				    (a[i].prop == IFLP_NAME && v &&
				     !strcmp(v, l->name)) ||
				    ((a[i].prop == IFLP_INCLUDE ||
				      a[i].prop == IFLP_EXCLUDE) && (!v || !*v))))
			return bk_fail(e, "can not change builtin list");
		switch (a[i].prop) {
		case IFLP_NAME:
			if (!v)
				return bk_fail(e, "name can not be unset");
			if (strcmp(v, l->name) && list_rename(l, v, e) < 0)
				return -1;
			break;
		case IFLP_INCLUDE:
			if (check_names(v, "include", e) < 0)
				return -1;
			set_str(&l->include, v);
			break;
		case IFLP_EXCLUDE:
			if (check_names(v, "exclude", e) < 0)
				return -1;
			set_str(&l->exclude, v);
			break;
		case IFLP_COMMENT:
			set_str(&l->comment, v);
			break;
		default:
			return bk_fail(e, "property can not be set");
		}
	}
	return 0;
}

static int list_add_op(void *arg, struct bk_err *e)
{
	struct ifl_args *ia = arg;
	const char *name = NULL;

	if (need(e) < 0)
		return -1;
	for (size_t i = 0; i < ia->n; i++)
		if (ia->a[i].prop == IFLP_NAME)
			name = ia->a[i].value;
	if (!name || !*name)
		return bk_fail(e, "missing value(s) of argument(s) name");
	if (ifl_is_builtin(name) || ifl_find(name))
		return bk_fail(e, "already have interface list with such name");
	if (strlen(name) > 200)
		return bk_fail(e, "name too long");
	struct ifl_list *l = ifl_new(name);
	l->id = next_list_id();
	uint32_t id = l->id;
	if (list_apply(l, ia->a, ia->n, e) < 0)
		return -1;
	snprintf(ia->new_id, 24, "*%X", id);
	return ifl_sync(e);
}

static int list_set_op(void *arg, struct bk_err *e)
{
	struct ifl_args *ia = arg;
	uint32_t id;

	if (need(e) < 0)
		return -1;
	for (size_t i = 0; i < ia->nids; i++) {
		if (parse_id(ia->ids[i], &id, e) < 0)
			return -1;
		struct ifl_list *l = list_by_id(id);
		for (int b = 0; !l && b < 4; b++)
			if (builtin_ids[b] == id)
				l = ifl_find(builtin_names[b]) ?
				    ifl_find(builtin_names[b]) :
				    ifl_new(builtin_names[b]);
		if (!l)
			return bk_fail(e, "no such item");
		if (list_apply(l, ia->a, ia->n, e) < 0)
			return -1;
	}
	return ifl_sync(e);
}

static bool named_in(const char *names, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = names; p && *p;) {
		size_t k = strcspn(p, ",");
		if (k == n && !strncmp(p, name, n))
			return true;
		p += k + (p[k] == ',');
	}
	return false;
}

/* A rule naming list l (possibly negated) stops its removal: the kernel
 * would refuse to delete the set with a message naming ifl_X instead. */
static int check_rules(const struct ifl_list *l, struct bk_err *e)
{
	static const unsigned props[] = { FWP_IN_INTERFACE_LIST,
					  FWP_OUT_INTERFACE_LIST };

	for (size_t i = 0; i < nfm.nrules; i++) {
		const struct nft_rule *r = &nfm.rules[i];
		if (r->flags & (NR_GONE | NR_SYS | NR_INVALID))
			continue;
		for (size_t k = 0; k < 2; k++) {
			const char *v = rp_packed_get(r->props, props[k]);
			if (!v || strcmp(v + (v[0] == '!'), l->name))
				continue;
			return bk_fail(e, "interface list %s is used by %s rule *%X",
				       l->name, nfm.chains[r->chain].menu == NFM_NAT ?
				       "nat" : "filter", r->id);
		}
	}
	return 0;
}

static int list_remove_op(void *arg, struct bk_err *e)
{
	struct ifl_args *ia = arg;
	uint32_t id;

	if (need(e) < 0)
		return -1;
	for (size_t i = 0; i < ia->nids; i++) {
		if (parse_id(ia->ids[i], &id, e) < 0)
			return -1;
		struct ifl_list *l = list_by_id(id);
		if (!l) {
			for (int b = 0; b < 4; b++)
				if (builtin_ids[b] == id)
					return bk_fail(e, "can not remove builtin list");
			return bk_fail(e, "no such item");
		}
		l->removed = true;
		for (size_t j = 0; j < ifl.n; j++)
			if (!ifl.v[j].removed &&
			    (named_in(ifl.v[j].include, l->name) ||
			     named_in(ifl.v[j].exclude, l->name)))
				return bk_fail(e, "interface list %s is used by "
					       "list %s", l->name, ifl.v[j].name);
		if (check_rules(l, e) < 0)
			return -1;
	}
	return ifl_sync(e);
}

/* ---- members ----------------------------------------------------------------- */

static int member_apply(struct ifl_member *m, const char **list,
			const struct bk_setarg *a, size_t n, struct bk_err *e)
{
	for (size_t i = 0; i < n; i++) {
		const char *v = a[i].value;
		switch (a[i].prop) {
		case IFMP_LIST:
			if (!v || (!ifl_find(v) && !ifl_is_builtin(v)))
				return bk_fail(e, "input does not match any value of list");
			*list = v;
			break;
		case IFMP_INTERFACE:
			if (!v || !*v || strlen(v) > 15)
				return bk_fail(e, "interface name %s is not valid on "
					       "Linux (1 to 15 characters)", v ? v : "");
			memset(m->ifname, 0, sizeof(m->ifname));
			strcpy(m->ifname, v);
			break;
		case IFMP_COMMENT:
			set_str(&m->comment, v);
			break;
		case IFMP_DISABLED:
			m->disabled = v && !strcmp(v, "yes");
			break;
		default:
			return bk_fail(e, "property can not be set");
		}
	}
	return 0;
}

static int member_put(struct ifl_member *m, const char *list, struct bk_err *e)
{
	struct ifl_list *l = ifl_find(list) ? ifl_find(list) : ifl_new(list);

	if (l->builtin)
		return bk_fail(e, "can not add members to builtin list %s", list);
	for (size_t j = 0; j < l->nm; j++)
		if (!strcmp(l->m[j].ifname, m->ifname))
			return bk_fail(e, "already have such entry");
	l->m = xrealloc(l->m, (l->nm + 1) * sizeof(*l->m));
	l->m[l->nm++] = *m;
	return 0;
}

static int member_add_op(void *arg, struct bk_err *e)
{
	struct ifl_args *ia = arg;
	struct ifl_member m = { .id = 0 };
	const char *list = NULL;

	if (need(e) < 0)
		return -1;
	if (member_apply(&m, &list, ia->a, ia->n, e) < 0 || !list || !m.ifname[0]) {
		free(m.comment);
		return e->msg[0] ? -1 : bk_fail(e, "missing value(s) of "
						"argument(s) %s", list ? "interface" : "list");
	}
	m.id = next_member_id();
	if (member_put(&m, list, e) < 0) {
		free(m.comment);
		return -1;
	}
	snprintf(ia->new_id, 24, "*%X", m.id);
	return ifl_sync(e);
}

static int member_set_op(void *arg, struct bk_err *e)
{
	struct ifl_args *ia = arg;
	struct ifl_list *l;
	uint32_t id;

	if (need(e) < 0)
		return -1;
	for (size_t i = 0; i < ia->nids; i++) {
		if (parse_id(ia->ids[i], &id, e) < 0)
			return -1;
		struct ifl_member *old = member_by_id(id, &l);
		if (!old)
			return bk_fail(e, "no such item");
		struct ifl_member m = *old;
		const char *list = l->name;
		m.comment = old->comment ? xstrdup(old->comment) : NULL;
		if (member_apply(&m, &list, ia->a, ia->n, e) < 0) {
			free(m.comment);
			return -1;
		}
		free(old->comment);
		*old = l->m[--l->nm];		/* take it out, then put back */
		if (member_put(&m, list, e) < 0) {
			free(m.comment);
			return -1;
		}
	}
	return ifl_sync(e);
}

static int member_remove_op(void *arg, struct bk_err *e)
{
	struct ifl_args *ia = arg;
	struct ifl_list *l;
	uint32_t id;

	if (need(e) < 0)
		return -1;
	for (size_t i = 0; i < ia->nids; i++) {
		if (parse_id(ia->ids[i], &id, e) < 0)
			return -1;
		struct ifl_member *m = member_by_id(id, &l);
		if (!m)
			return bk_fail(e, "no such item");
		free(m->comment);
		*m = l->m[--l->nm];
	}
	return ifl_sync(e);
}

/* ---- entry points ------------------------------------------------------------ */

int nft_ifl_add(const struct gr_menu *m, const struct bk_setarg *a, size_t n,
		const char *before_id, char new_id[24], struct bk_err *e)
{
	struct ifl_args ia = { .m = m, .a = a, .n = n, .new_id = new_id };

	return nfm_run(m->id == GMI_IFLIST ? list_add_op : member_add_op, &ia, e);
}

int nft_ifl_set(const struct gr_menu *m, const char *const *ids, size_t nids,
		const struct bk_setarg *a, size_t n, struct bk_err *e)
{
	struct ifl_args ia = { .m = m, .a = a, .n = n, .ids = ids, .nids = nids };

	return nfm_run(m->id == GMI_IFLIST ? list_set_op : member_set_op, &ia, e);
}

int nft_ifl_remove(const struct gr_menu *m, const char *const *ids,
		   size_t nids, struct bk_err *e)
{
	struct ifl_args ia = { .m = m, .ids = ids, .nids = nids };

	return nfm_run(m->id == GMI_IFLIST ? list_remove_op : member_remove_op,
		       &ia, e);
}
