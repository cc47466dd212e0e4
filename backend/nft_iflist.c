/*
 * /interface list and /interface list member. List X is the map "ifl_X"
 * (ifname -> 1 member, 0 not) of table ip rosh; rules match with
 * `iifname map @ifl_X == 1`. Its elements:
 *   key ""      the list itself: userdata holds id, comment, include,
 *               exclude (an interface name is never empty)
 *   catch-all   what names not listed map to: 1 for all/static, else 0
 *   key <if>    effective membership of <if>; when <if> is a direct member
 *               the userdata holds the member id, comment, disabled flag
 * Effective membership is (included lists - excluded lists) + enabled
 * direct members, computed by rosh and rewritten whenever a list or member
 * changes, so the kernel match stays a single lookup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/udata.h>

#include "nft_ifl.h"
#include "nft_expr.h"

#define PFX "ifl_"

static const struct { const char *name; uint32_t id; bool all; } builtins[] = {
	{ "all", 0x2000010, true }, { "none", 0x2000011, false },
	{ "dynamic", 0x2000012, false }, { "static", 0x2000013, true },
};
#define N_BUILTIN 4

struct ifl_model ifl;

void nfs_ifl_name(const char *list, struct strbuf *out)
{
	sb_printf(out, PFX "%s", list);
}

const char *nfs_ifl_list_of(const char *set)
{
	return set && !strncmp(set, PFX, 4) ? set + 4 : NULL;
}

static int builtin_idx(const char *name)
{
	for (int i = 0; i < N_BUILTIN; i++)
		if (!strcmp(builtins[i].name, name))
			return i;
	return -1;
}

/* ---- userdata ------------------------------------------------------------- */

enum { IU_ID = 0xe0, IU_INCLUDE, IU_EXCLUDE, IU_FLAGS, IU_KIND };
enum { IU_LIST = 1, IU_MEMBER = 2 };

struct iud {
	uint32_t id, flags, kind;
	const char *comment, *include, *exclude;
};

static void iud_parse(const void *ud, uint32_t len, struct iud *u)
{
	const struct nftnl_udata *a;

	memset(u, 0, sizeof(*u));
	if (!ud)
		return;
	nftnl_udata_for_each_data(ud, len, a) {
		const char *v = nftnl_udata_get(a);
		uint8_t n = nftnl_udata_len(a);
		bool strz = n && v[n - 1] == '\0';
		switch (nftnl_udata_type(a)) {
		case NFTNL_UDATA_SET_ELEM_COMMENT: if (strz) u->comment = v; break;
		case IU_INCLUDE: if (strz) u->include = v; break;
		case IU_EXCLUDE: if (strz) u->exclude = v; break;
		case IU_ID: if (n == 4) u->id = nftnl_udata_get_u32(a); break;
		case IU_FLAGS: if (n == 4) u->flags = nftnl_udata_get_u32(a); break;
		case IU_KIND: if (n == 4) u->kind = nftnl_udata_get_u32(a); break;
		}
	}
}

/* ---- loading --------------------------------------------------------- */

static struct ifl_list *list_add(const char *name)
{
	ifl.v = xrealloc(ifl.v, (ifl.n + 1) * sizeof(*ifl.v));
	struct ifl_list *l = memset(&ifl.v[ifl.n++], 0, sizeof(*l));
	l->name = xstrdup(name);
	l->builtin = builtin_idx(name) >= 0;
	if (l->builtin)
		l->id = builtins[builtin_idx(name)].id;
	return l;
}

struct ifl_list *ifl_find(const char *name)
{
	for (size_t i = 0; i < ifl.n; i++)
		if (!ifl.v[i].removed && !strcmp(ifl.v[i].name, name))
			return &ifl.v[i];
	return NULL;
}

static void kelem_add(struct ifl_list *l, const struct nfs_elem_view *v)
{
	l->k = xrealloc(l->k, (l->nk + 1) * sizeof(*l->k));
	struct ifl_kelem *k = memset(&l->k[l->nk++], 0, sizeof(*k));
	k->catchall = v->catchall;
	memcpy(k->key, v->key, v->len > 16 ? 16 : v->len);
	k->data = v->data;
	if (v->udata_len) {
		k->ud = xmalloc(v->udata_len);
		memcpy(k->ud, v->udata, v->udata_len);
		k->udlen = v->udata_len;
	}
}

static int load_cb(const struct nfs_elem_view *v, void *arg)
{
	struct ifl_list *l = arg;
	struct iud u;

	kelem_add(l, v);
	if (v->catchall)
		return 0;
	iud_parse(v->udata, v->udata_len, &u);
	if (!v->key[0] && u.kind == IU_LIST) {
		if (!l->builtin)
			l->id = u.id;
		l->comment = u.comment ? xstrdup(u.comment) : NULL;
		l->include = u.include ? xstrdup(u.include) : NULL;
		l->exclude = u.exclude ? xstrdup(u.exclude) : NULL;
	} else if (u.kind == IU_MEMBER) {
		l->m = xrealloc(l->m, (l->nm + 1) * sizeof(*l->m));
		struct ifl_member *m = memset(&l->m[l->nm++], 0, sizeof(*m));
		memcpy(m->ifname, v->key, 16);
		m->ifname[15] = '\0';
		m->id = u.id;
		m->disabled = u.flags & 1;
		m->comment = u.comment ? xstrdup(u.comment) : NULL;
	}
	return 0;
}

void ifl_clear(void)
{
	for (size_t i = 0; i < ifl.n; i++) {
		struct ifl_list *l = &ifl.v[i];
		for (size_t j = 0; j < l->nm; j++)
			free(l->m[j].comment);
		for (size_t j = 0; j < l->nk; j++)
			free(l->k[j].ud);
		free(l->m);
		free(l->k);
		free(l->name);
		free(l->comment);
		free(l->include);
		free(l->exclude);
	}
	free(ifl.v);
	memset(&ifl, 0, sizeof(ifl));
}

int ifl_load(struct bk_err *e)
{
	ifl_clear();
	for (size_t i = 0; i < nfm.nsets; i++) {
		const char *name = nfm.sets[i].name;
		if (strncmp(name, PFX, 4))
			continue;
		struct ifl_list *l = list_add(name + 4);
		l->in_kernel = true;
		if (nfs_dump_elems(name, load_cb, l, e) < 0)
			return -1;
	}
	ifl.loaded = true;
	return 0;
}

/* Rules may name a list: it must exist (built-ins are made on demand). */
int nfs_ifl_check(const char *list, struct bk_err *e)
{
	struct strbuf s = STRBUF_INIT;

	nfs_ifl_name(list, &s);
	bool have = nfm_set_find(sb_str(&s)) != NULL;
	sb_free(&s);
	if (have)
		return 0;
	if (builtin_idx(list) < 0)
		return bk_fail(e, "input does not match any value of interface-list");
	if (!ifl.loaded && ifl_load(e) < 0)
		return -1;
	if (!ifl_find(list))
		list_add(list);
	return ifl_sync(e);
}

/* ---- effective membership ----------------------------------------------- */

static int eff(const struct ifl_list *l, const char *ifname, int depth);

static int eff_names(const char *names, const char *ifname, int depth)
{
	char buf[256];
	int any = 0;

	for (const char *p = names; p && *p;) {
		size_t n = strcspn(p, ",");
		if (n < sizeof(buf)) {
			memcpy(buf, p, n);
			buf[n] = '\0';
			const struct ifl_list *o = ifl_find(buf);
			int bi = builtin_idx(buf);
			int r = bi >= 0 ? builtins[bi].all :
				o ? eff(o, ifname, depth + 1) : 0;
			if (r < 0)
				return -1;
			any |= r;
		}
		p += n + (p[n] == ',');
	}
	return any;
}

/* 1 when ifname (NULL: any other name) is in l, -1 on an include loop */
static int eff(const struct ifl_list *l, const char *ifname, int depth)
{
	if (depth > 16)
		return -1;
	for (size_t i = 0; ifname && i < l->nm; i++)
		if (!l->m[i].disabled && !strcmp(l->m[i].ifname, ifname))
			return 1;
	int bi = builtin_idx(l->name);
	if (l->builtin && bi >= 0)
		return builtins[bi].all;
	int inc = eff_names(l->include, ifname, depth);
	int exc = eff_names(l->exclude, ifname, depth);
	if (inc < 0 || exc < 0)
		return -1;
	return inc && !exc;
}

bool ifl_is_builtin(const char *name)
{
	return builtin_idx(name) >= 0;
}

struct ifl_list *ifl_new(const char *name)
{
	return list_add(name);
}

/* ---- writing ------------------------------------------------------------ */

struct want {
	struct ifl_kelem *v;
	size_t n;
};

static bool want_put(struct want *w, const char *key, bool catchall,
		     uint32_t data, struct nftnl_udata_buf *u)
{
	w->v = xrealloc(w->v, (w->n + 1) * sizeof(*w->v));
	struct ifl_kelem *k = memset(&w->v[w->n++], 0, sizeof(*k));
	k->catchall = catchall;
	if (key)
		strncpy((char *)k->key, key, 15);
	k->data = data;
	if (u && nftnl_udata_buf_len(u)) {
		k->udlen = nftnl_udata_buf_len(u);
		k->ud = xmalloc(k->udlen);
		memcpy(k->ud, nftnl_udata_buf_data(u), k->udlen);
	}
	return true;
}

static int list_udata(const struct ifl_list *l, struct nftnl_udata_buf *u,
		      struct bk_err *e)
{
	bool ok = nftnl_udata_put_u32(u, IU_KIND, IU_LIST) &&
		  nftnl_udata_put_u32(u, IU_ID, l->id);

	if (l->comment)
		ok = ok && nftnl_udata_put_strz(u, NFTNL_UDATA_SET_ELEM_COMMENT,
						l->comment);
	if (l->include)
		ok = ok && nftnl_udata_put_strz(u, IU_INCLUDE, l->include);
	if (l->exclude)
		ok = ok && nftnl_udata_put_strz(u, IU_EXCLUDE, l->exclude);
	return ok ? 0 : bk_fail(e, "comment, include and exclude are too long");
}

static int member_udata(const struct ifl_member *m, struct nftnl_udata_buf *u,
			struct bk_err *e)
{
	bool ok = nftnl_udata_put_u32(u, IU_KIND, IU_MEMBER) &&
		  nftnl_udata_put_u32(u, IU_ID, m->id);

	if (m->disabled)
		ok = ok && nftnl_udata_put_u32(u, IU_FLAGS, 1);
	if (m->comment)
		ok = ok && nftnl_udata_put_strz(u, NFTNL_UDATA_SET_ELEM_COMMENT,
						m->comment);
	return ok ? 0 : bk_fail(e, "comment too long");
}

/* the names any list has a direct member for */
static size_t universe(const char ***out)
{
	const char **v = NULL;
	size_t n = 0;

	for (size_t i = 0; i < ifl.n; i++)
		for (size_t j = 0; !ifl.v[i].removed && j < ifl.v[i].nm; j++) {
			size_t k;
			for (k = 0; k < n && strcmp(v[k], ifl.v[i].m[j].ifname); k++)
				;
			if (k == n) {
				v = xrealloc(v, (n + 1) * sizeof(*v));
				v[n++] = ifl.v[i].m[j].ifname;
			}
		}
	*out = v;
	return n;
}

static int desired(const struct ifl_list *l, struct want *w, struct bk_err *e)
{
	struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN);
	const char **names;
	size_t nn = universe(&names);
	int any = eff(l, NULL, 0), rc = 0;

	if (any < 0 || list_udata(l, u, e) < 0) {
		rc = any < 0 ? bk_fail(e, "include/exclude loop at list %s",
				       l->name) : -1;
		goto out;
	}
	want_put(w, "", false, 0, u);
	want_put(w, NULL, true, any ? MAP_ON : 0, NULL);
	for (size_t i = 0; i < nn && rc == 0; i++) {
		const struct ifl_member *m = NULL;
		for (size_t j = 0; j < l->nm; j++)
			if (!strcmp(l->m[j].ifname, names[i]))
				m = &l->m[j];
		int in = eff(l, names[i], 0);
		if (in < 0) {
			rc = bk_fail(e, "include/exclude loop at list %s", l->name);
			break;
		}
		nftnl_udata_buf_free(u);
		u = nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN);
		if (m && member_udata(m, u, e) < 0)
			rc = -1;
		else if (m || in != any)
			want_put(w, names[i], false, in ? MAP_ON : 0, m ? u : NULL);
	}
out:
	nftnl_udata_buf_free(u);
	free(names);
	return rc;
}

static bool kelem_eq(const struct ifl_kelem *a, const struct ifl_kelem *b)
{
	return a->catchall == b->catchall && !memcmp(a->key, b->key, 16) &&
	       a->data == b->data && a->udlen == b->udlen &&
	       (!a->udlen || !memcmp(a->ud, b->ud, a->udlen));
}

static bool kelem_same_key(const struct ifl_kelem *a, const struct ifl_kelem *b)
{
	return a->catchall == b->catchall && !memcmp(a->key, b->key, 16);
}

static void emit(const char *set, const struct ifl_kelem *k, bool del)
{
	struct nfs_elem el = { .key = k->key, .len = 16,
			       .catchall = k->catchall, .has_data = true,
			       .data = k->data, .udata = k->ud,
			       .udata_len = k->udlen };

	nfs_elems(nfm_batch(), set, del, false, &el, 1);
}

static void sync_list(struct ifl_list *l, struct want *w)
{
	struct strbuf s = STRBUF_INIT;

	nfs_ifl_name(l->name, &s);
	if (!l->in_kernel && !nfm_set_find(sb_str(&s)))
		nfs_plan_set(sb_str(&s), 0, 41 /* ifname */, 16, true, NULL, 0);
	for (size_t i = 0; i < l->nk; i++) {	/* deletions first */
		size_t j;
		for (j = 0; j < w->n && !kelem_eq(&l->k[i], &w->v[j]); j++)
			;
		if (j == w->n)
			emit(sb_str(&s), &l->k[i], true);
	}
	for (size_t j = 0; j < w->n; j++) {
		size_t i;
		for (i = 0; i < l->nk && !kelem_eq(&l->k[i], &w->v[j]); i++)
			;
		if (i == l->nk)
			emit(sb_str(&s), &w->v[j], false);
	}
	for (size_t i = 0; i < l->nk; i++)
		free(l->k[i].ud);
	free(l->k);
	l->k = w->v;
	l->nk = w->n;
	l->in_kernel = true;
	sb_free(&s);
	(void)kelem_same_key;
}

int ifl_sync(struct bk_err *e)
{
	for (size_t i = 0; i < ifl.n; i++) {
		struct ifl_list *l = &ifl.v[i];
		struct want w = { NULL, 0 };
		if (l->removed) {
			if (l->in_kernel) {
				struct strbuf s = STRBUF_INIT;
				nfs_ifl_name(l->name, &s);
				nfm_del_set_later(sb_str(&s));
				sb_free(&s);
				l->in_kernel = false;
			}
			continue;
		}
		if (desired(l, &w, e) < 0) {
			for (size_t j = 0; j < w.n; j++)
				free(w.v[j].ud);
			free(w.v);
			return -1;
		}
		sync_list(l, &w);
	}
	return 0;
}
