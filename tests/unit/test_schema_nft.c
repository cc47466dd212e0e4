/*
 * Schema lint against the nft backend: every matcher of /ip firewall
 * filter and nat has a row in nfr_table that encodes it or refuses it
 * ("not supported on Linux"). enc_matchers skips a property with a value
 * but neither, so a new schema row without one would silently drop the
 * match and leave a rule that matches everything. Links lib_backend.
 */
#include <string.h>

#include "../../backend/nft.h"
#include "../../grammar/schema.h"
#include "tap.h"

/*
 * Not matchers: rule attributes and action parameters, which the action
 * encoder (nft_xlate_act.c) or the rule userdata carry. Anything else of
 * filter or nat is a matcher. A new action parameter must be added here
 * on purpose, after checking its encoder uses it.
 */
static const char *const not_matchers[] = {
	"disabled", "comment", "chain", "action", "jump-target", "reject-with",
	"hw-offload", "to-addresses", "to-ports", "address-list",
	"address-list-timeout", "log", "log-prefix", NULL
};

static bool is_matcher(const struct gr_prop *p)
{
	if (!p->name || (p->flags & (GP_RO | GP_ARG)))
		return false;
	for (size_t i = 0; not_matchers[i]; i++)
		if (strcmp(p->name, not_matchers[i]) == 0)
			return false;
	return true;
}

static void lint(enum gr_menu_id id)
{
	const struct gr_menu *m = gr_menu_by_id(id);
	size_t n = 0;

	ok(m && m->nprops == FWP__COUNT, "%s: one row per enum fw_prop",
	   m ? m->path : "?");
	for (size_t i = 0; m && i < m->nprops; i++) {
		const struct gr_prop *p = &m->props[i];
		const struct nfr_row *row = &nfr_table[i];
		if (!is_matcher(p))
			continue;
		n++;
		if (!ok(row->enc || row->unsupported,
			"%s %s: encoded or refused as not supported", m->path,
			p->name))
			continue;
		if (row->enc)
			ok(row->dec != NULL, "%s %s: an encoder has a decoder",
			   m->path, p->name);
	}
	ok(n > 40, "%s: %zu matchers checked", m ? m->path : "?", n);
}

int main(void)
{
	const struct gr_menu *f = gr_menu_by_id(GMI_FILTER);
	const struct gr_menu *nat = gr_menu_by_id(GMI_NAT);

	lint(GMI_FILTER);
	lint(GMI_NAT);
	/* each exemption names a property, so a rename cannot hide a matcher */
	for (size_t i = 0; not_matchers[i]; i++)
		ok(gr_prop_index(f, not_matchers[i]) >= 0 ||
		   gr_prop_index(nat, not_matchers[i]) >= 0,
		   "non-matcher %s is a filter or nat property", not_matchers[i]);
	return done_testing();
}
