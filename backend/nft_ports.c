/*
 * Port lists (src-port / dst-port with more than one port or range) live
 * in one shared set of table ip rosh, "ports": an interval set of
 * (rule key . port) with rule key = menu, property and rule id. A rule
 * matches with
 *   [immediate key -> r8][th port -> r9][lookup r8 @ports]
 * One set instead of one anonymous set per rule keeps `print` to a single
 * element dump however many rules have port lists. The commit keeps the
 * set's elements in step with the rules (nfp_sync).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/set.h>

#include "nft_ports.h"
#include "nft_sets.h"

#define PORTS_SET "ports"

struct pe {
	uint32_t key;
	uint16_t lo, hi;
	bool dead;		/* deleted by the sync in progress */
};
static struct pe *pv;
static size_t pn, pcap, psorted;	/* pv[0..psorted) is sorted by key */
static bool loaded;

void nfp_clear(void)
{
	free(pv);
	pv = NULL;
	pn = pcap = 0;
	loaded = false;
}

static void push(uint32_t key, uint16_t lo, uint16_t hi)
{
	if (pn == pcap) {
		pcap = pcap ? pcap * 2 : 256;
		pv = xrealloc(pv, pcap * sizeof(*pv));
	}
	pv[pn++] = (struct pe){ key, lo, hi, false };
}

static int pe_cmp(const void *a, const void *b)
{
	const struct pe *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static int elem_cb(const struct nfs_elem_view *v, void *arg)
{
	uint32_t k, ke;

	if (v->catchall || v->len != 8)
		return 0;
	memcpy(&k, v->key, 4);
	memcpy(&ke, v->key_end, 4);
	if (k != ke)
		return 0;
	push(ntohl(k), (uint16_t)(v->key[4] << 8 | v->key[5]),
	     (uint16_t)(v->key_end[4] << 8 | v->key_end[5]));
	return 0;
}

int nfp_load(struct bk_err *e)
{
	nfp_clear();
	loaded = true;
	if (nfm_set_find(PORTS_SET) &&
	    nfs_dump_elems(PORTS_SET, elem_cb, NULL, e) < 0)
		return -1;
	if (pn)
		qsort(pv, pn, sizeof(*pv), pe_cmp);
	psorted = pn;
	return 0;
}

uint32_t nfp_key(enum nfm_menu menu, unsigned prop, uint32_t id)
{
	return (menu == NFM_NAT ? 0x80000000u : 0) |
	       (prop == FWP_DST_PORT ? 0x40000000u : 0) | (id & 0x3fffffffu);
}

/* first entry of key in the sorted part, or psorted */
static size_t first_of(uint32_t key)
{
	size_t lo = 0, hi = psorted;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (pv[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool nfp_text(uint32_t key, struct strbuf *out)
{
	size_t i = first_of(key), n = 0;

	for (; i < psorted && pv[i].key == key; i++) {
		if (pv[i].dead)
			continue;
		sb_printf(out, "%s%u", n++ ? "," : "", pv[i].lo);
		if (pv[i].hi != pv[i].lo)
			sb_printf(out, "-%u", pv[i].hi);
	}
	return n > 0;
}

/* ---- keeping the set in step with the rules -------------------------------- */

static void elem(struct nftb *b, uint32_t key, uint16_t lo, uint16_t hi,
		 bool del)
{
	unsigned char k[8] = { 0 }, ke[8] = { 0 };
	uint32_t be = htonl(key);	/* big-endian: nft prints it as is */

	memcpy(k, &be, 4);
	memcpy(ke, &be, 4);
	k[4] = (unsigned char)(lo >> 8);
	k[5] = (unsigned char)lo;
	ke[4] = (unsigned char)(hi >> 8);
	ke[5] = (unsigned char)hi;
	struct nfs_elem el = { .key = k, .key_end = ke, .len = 8,
			       .concat_interval = true };
	nfs_elems(b, PORTS_SET, del, false, &el, 1);
}

static void ensure_set(void)
{
	static const uint8_t fields[] = { 4, 2, 0 };

	if (nfm_set_find(PORTS_SET))
		return;
	nfs_plan_set_concat(PORTS_SET, NFT_SET_INTERVAL,
			    19 << 6 | 13 /* mark . inet_service */, 8, fields);
}

/* Make the set hold want[0..nw) for key (nw < 2: nothing). */
static void sync_key(struct nftb *b, uint32_t key, const struct prange_v *want,
		     size_t nw)
{
	size_t i = first_of(key), end = i, k;

	while (end < psorted && pv[end].key == key)
		end++;
	if (nw < 2)
		nw = 0;		/* one port or range: the rule compares itself */
	bool same = end - i == nw;
	for (k = 0; same && k < nw; k++)
		same = pv[i + k].lo == want[k].a && pv[i + k].hi == want[k].b;
	if (same)
		return;
	if (nw)
		ensure_set();
	for (k = i; k < end; k++) {
		elem(b, key, pv[k].lo, pv[k].hi, true);
		pv[k].dead = true;
	}
	for (k = 0; k < nw; k++) {
		elem(b, key, (uint16_t)want[k].a, (uint16_t)want[k].b, false);
		push(key, (uint16_t)want[k].a, (uint16_t)want[k].b);
	}
}

struct touched {
	uint32_t key;
	int32_t rule;		/* live rule giving the list, -1: none */
};

static int t_cmp(const void *a, const void *b)
{
	const struct touched *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (y->rule >= 0) - (x->rule >= 0);		/* live first */
}

void nfp_sync(struct nftb *b)
{
	struct touched *t = xcalloc(2 * nfm.nrules + 1, sizeof(*t));
	static const unsigned props[] = { FWP_SRC_PORT, FWP_DST_PORT };
	size_t nt = 0;

	for (size_t i = 0; i < nfm.nrules; i++) {
		const struct nft_rule *r = &nfm.rules[i];
		enum nfm_menu menu = nfm.chains[r->chain].menu;
		if (!(r->flags & (NR_NEW | NR_DIRTY | NR_GONE)) || !menu ||
		    (r->flags & (NR_SYS | NR_FOREIGN)))
			continue;
		for (int k = 0; k < 2; k++)
			t[nt++] = (struct touched){ nfp_key(menu, props[k], r->id),
				r->flags & NR_GONE ? -1 : (int32_t)i };
	}
	if (nt)
		qsort(t, nt, sizeof(*t), t_cmp);
	for (size_t i = 0; i < nt; i++) {
		if (i && t[i].key == t[i - 1].key)
			continue;
		struct prange_v want[NFP_MAX];
		size_t nw = 0;
		if (t[i].rule >= 0) {
			const char *v = rp_packed_get(nfm.rules[t[i].rule].props,
						      t[i].key & 0x40000000u ?
						      FWP_DST_PORT : FWP_SRC_PORT);
			if (v)
				nw = nfp_parse(v + (v[0] == '!'), want);
		}
		sync_key(b, t[i].key, want, nw);
	}
	free(t);
	size_t n = 0;			/* compact and sort once */
	for (size_t i = 0; i < pn; i++)
		if (!pv[i].dead)
			pv[n++] = pv[i];
	pn = n;
	if (pn)
		qsort(pv, pn, sizeof(*pv), pe_cmp);
	psorted = pn;
}

/* ---- parsing ------------------------------------------------------------ */

int nfp_range_cmp(const void *a, const void *b)
{
	const struct prange_v *x = a, *y = b;

	return x->a < y->a ? -1 : x->a > y->a;
}

size_t nfp_sort_merge(struct prange_v *r, size_t k)
{
	size_t m = 0;

	if (k)
		qsort(r, k, sizeof(*r), nfp_range_cmp);
	for (size_t i = 0; i < k; i++) {
		if (m && r[i].a <= r[m - 1].b + 1) {
			if (r[i].b > r[m - 1].b)
				r[m - 1].b = r[i].b;
			continue;
		}
		r[m++] = r[i];
	}
	return m;
}

size_t nfp_parse(const char *val, struct prange_v *r)
{
	size_t k = 0;

	for (const char *p = val; *p && k < NFP_MAX;) {
		char *end;
		unsigned long a = strtoul(p, &end, 10), b = a;
		if (end == p || a > 65535)
			return 0;
		if (*end == '-') {
			p = end + 1;
			b = strtoul(p, &end, 10);
			if (end == p || b > 65535 || b < a)
				return 0;
		}
		if (*end && *end != ',')
			return 0;
		r[k++] = (struct prange_v){ (uint32_t)a, (uint32_t)b };
		p = *end ? end + 1 : end;
	}
	return nfp_sort_merge(r, k);
}
