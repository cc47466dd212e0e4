/* gr_match: exact wins, unique prefix, ambiguity, table order irrelevance. */
#include "../../grammar/match.h"
#include "tap.h"

int main(void)
{
	const char *names[] = { "in-interface", "in-interface-list", "input", NULL };
	const char *rev[] = { "input", "in-interface-list", "in-interface" };
	size_t idx = 99;

	ok(gr_match("in-interface", 12, names, 3, &idx) == GR_M_OK && idx == 0,
	   "exact match wins over a longer name");
	ok(gr_match("in-interface", 12, rev, 3, &idx) == GR_M_OK && idx == 2,
	   "exact match wins whatever the table order");
	ok(gr_match("inp", 3, names, 3, &idx) == GR_M_OK && idx == 2, "unique prefix");
	ok(gr_match("in", 2, names, 3, &idx) == GR_M_AMBIGUOUS, "ambiguous prefix");
	ok(gr_match("out", 3, names, 3, &idx) == GR_M_NONE, "no match");
	ok(gr_match("in-interface-l", 14, names, 4, &idx) == GR_M_OK && idx == 1,
	   "NULL entries are skipped");
	return done_testing();
}
