/*
 * Rules of the model by id and in RouterOS order: lookup by id (through the
 * rule index on a sparse model), the next id and order key of a menu, a
 * menu's rules sorted by order key, and parsing "*ID".
 */
#include <stdlib.h>

#include "nft_rids.h"

enum nfm_menu nfm_menu_of(const struct gr_menu *m)
{
	return m->id == GMI_NAT ? NFM_NAT : m->id == GMI_FILTER ? NFM_FILTER :
	       NFM_NONE;
}

static bool rule_live(const struct nft_rule *r, enum nfm_menu menu)
{
	return !(r->flags & (NR_GONE | NR_SYS)) &&
	       nfm.chains[r->chain].menu == menu;
}

struct nft_rule *nfm_rule_by_id(enum nfm_menu menu, uint32_t id)
{
	for (size_t i = 0; i < nfm.nrules; i++)
		if (nfm.rules[i].id == id && rule_live(&nfm.rules[i], menu))
			return &nfm.rules[i];
	return nfm.sparse ? nft_rix_lookup(menu, id) : NULL;
}

static void scan_max(enum nfm_menu menu)
{
	uint32_t max = 0;
	uint64_t ord = 0;

	for (size_t i = 0; i < nfm.nrules; i++) {
		const struct nft_rule *r = &nfm.rules[i];
		if (nfm.chains[r->chain].menu != menu || (r->flags & NR_SYS))
			continue;
		if (!(r->flags & NR_FOREIGN) && r->id > max && r->id < 0x80000000u)
			max = r->id;
		if (!(r->flags & NR_GONE) && r->order > ord)
			ord = r->order;
	}
	nfm.max_id[menu] = max ? max : 0xffffffffu;	/* 0 means unknown */
	nfm.max_order[menu] = ord ? ord : UINT64_MAX;
}

uint32_t nfm_next_rule_id(enum nfm_menu menu)
{
	if (!nfm.max_id[menu])
		scan_max(menu);
	return nfm.max_id[menu] == 0xffffffffu ? 1 : nfm.max_id[menu] + 1;
}

uint64_t nfm_max_order(enum nfm_menu menu)
{
	if (!nfm.max_order[menu])
		scan_max(menu);
	return nfm.max_order[menu] == UINT64_MAX ? 0 : nfm.max_order[menu];
}

void nfm_note_rule(const struct nft_rule *r)
{
	enum nfm_menu menu = nfm.chains[r->chain].menu;

	if (nfm.max_id[menu] && (nfm.max_id[menu] == 0xffffffffu ||
				 r->id > nfm.max_id[menu]))
		nfm.max_id[menu] = r->id;
	if (nfm.max_order[menu] && (nfm.max_order[menu] == UINT64_MAX ||
				    r->order > nfm.max_order[menu]))
		nfm.max_order[menu] = r->order;
}

static const struct nft_rule *sort_base;

static int order_cmp(const void *a, const void *b)
{
	const struct nft_rule *x = &sort_base[*(const uint32_t *)a];
	const struct nft_rule *y = &sort_base[*(const uint32_t *)b];

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	if (x->chain != y->chain)
		return x->chain < y->chain ? -1 : 1;
	return x->kpos < y->kpos ? -1 : x->kpos > y->kpos;
}

size_t nfm_menu_rules(enum nfm_menu menu, uint32_t **out)
{
	uint32_t *v = xcalloc(nfm.nrules + 1, sizeof(*v));
	size_t n = 0;

	for (size_t i = 0; i < nfm.nrules; i++)
		if (rule_live(&nfm.rules[i], menu))
			v[n++] = (uint32_t)i;
	sort_base = nfm.rules;
	qsort(v, n, sizeof(*v), order_cmp);
	*out = v;
	return n;
}

int nfm_parse_id(const char *s, uint32_t *id)
{
	char *end;
	unsigned long v;

	if (!s || s[0] != '*' || !s[1])
		return -1;
	v = strtoul(s + 1, &end, 16);
	if (*end || v > 0xffffffffUL)
		return -1;
	*id = (uint32_t)v;
	return 0;
}
