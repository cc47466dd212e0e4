/*
 * Completion engine (grammar/complete.c): menus, commands, argument names,
 * enum values, and item names through a fake name source (the engine is
 * pure; the shell's real source reads the backend).
 */
#include <stdlib.h>
#include <string.h>

#include "../../grammar/complete.h"
#include "tap.h"

/* Fake items: per menu path and property, a NULL-terminated name list. */
static const struct fake {
	const char *menu, *prop;
	const char *names[5];
} fakes[] = {
	{ "/interface/list", "name", { "all", "none", "LAN", "WAN", NULL } },
	{ "/ip/firewall/address-list", "list", { "bogons", "blocked", "bogons", "my list", NULL } },
	{ "/ip/firewall/filter", "chain", { "input", "forward", "my-chain", NULL } },
};
static int fake_calls;

static void fake_names(void *arg, const struct gr_menu *m, int prop,
		       struct gr_namelist *out)
{
	(void)arg;
	fake_calls++;
	for (size_t i = 0; i < sizeof(fakes) / sizeof(fakes[0]); i++)
		if (strcmp(fakes[i].menu, m->path) == 0 &&
		    strcmp(fakes[i].prop, m->props[prop].name) == 0)
			for (size_t k = 0; fakes[i].names[k]; k++)
				gr_namelist_add(out, fakes[i].names[k]);
}

static const struct gr_namesrc src = { fake_names, NULL };

/* Candidates of line (typed in cwd) joined by ' ', e.g. "LAN WAN". */
static char *cands(const char *line, const char *cwd, size_t *word_start)
{
	static char buf[2048];
	struct gr_cands c;

	gr_complete_ex(line, gr_menu_by_path(cwd), &src, &c);
	buf[0] = '\0';
	for (size_t i = 0; i < c.n; i++) {
		if (i)
			strncat(buf, " ", sizeof(buf) - strlen(buf) - 1);
		strncat(buf, c.v[i].word, sizeof(buf) - strlen(buf) - 1);
	}
	if (word_start)
		*word_start = c.word_start;
	gr_cands_free(&c);
	return buf;
}

/* Whether the candidate list of line holds word. */
static bool has(const char *line, const char *cwd, const char *word)
{
	struct gr_cands c;
	bool found = false;

	gr_complete_ex(line, gr_menu_by_path(cwd), &src, &c);
	for (size_t i = 0; i < c.n; i++)
		found = found || strcmp(c.v[i].word, word) == 0;
	gr_cands_free(&c);
	return found;
}

static void menus_and_commands(void)
{
	size_t ws;

	is_str(cands("/ip fi", "/", &ws), "firewall", "menu word");
	is_int((long long)ws, 4, "word_start of the menu word");
	is_str(cands("/ip/fi", "/", &ws), "firewall", "slash path");
	is_int((long long)ws, 4, "word_start after the last slash");
	is_str(cands("/ip firewall connection tr", "/", NULL), "tracking",
	       "submenu of a list menu");
	is_str(cands("/ip firewall filter res", "/", NULL),
	       "reset-counters reset-counters-all", "commands by prefix");
	is_str(cands("pr", "/ip/firewall/filter", NULL), "print",
	       "relative to the current menu");
	ok(has("", "/ip/firewall", "filter") && has("", "/ip/firewall", "export"),
	   "empty line: submenus and commands");
	is_str(cands("/nosuch pr", "/", NULL), "", "bad path: nothing");
	is_str(cands("/ip fire filt ad", "/", NULL), "add", "abbreviated path");
}

static void arguments(void)
{
	is_str(cands("/ip firewall connection tracking set udp-t", "/", NULL),
	       "udp-timeout=", "property name with '='");
	is_str(cands("/ip firewall filter print cou", "/", NULL), "count-only",
	       "flag option, no '='");
	is_str(cands("/ip firewall filter print propl", "/", NULL), "proplist=",
	       "valued option with '='");
	ok(!has("/ip firewall connection tracking set tot", "/", "total-entries="),
	   "read-only property not offered to set");
	ok(has("/ip firewall filter print where ch", "/", "chain"),
	   "where: property name without '='");
	ok(has("/ip firewall filter find ch", "/", "chain"),
	   "find: property names");
	struct gr_cands c;
	gr_complete_ex("/ip firewall filter add jump-t", gr_menus, &src, &c);
	ok(c.n == 1 && c.v[0].partial && c.v[0].help &&
	   strstr(c.v[0].help, "Chain"), "candidate is partial and has help");
	gr_cands_free(&c);
}

static void values(void)
{
	size_t ws;

	is_str(cands("/ip settings set rp-filter=", "/", &ws), "no strict loose",
	       "enum values");
	is_int((long long)ws, 27, "word_start after '='");
	is_str(cands("/ip firewall filter add action=dr", "/", NULL), "drop",
	       "enum value by prefix");
	is_str(cands("/ip firewall filter add connection-state=established,rel",
		     "/", NULL), "established,related",
	       "list of enum: the last element");
	is_str(cands("/ip firewall connection tracking set enabled=y", "/", NULL),
	       "yes", "bool");
	is_str(cands("/ip firewall filter add protocol=!ic", "/", NULL), "!icmp !icmpv6",
	       "negated value keeps '!'");
}

static void item_names(void)
{
	fake_calls = 0;
	is_str(cands("/interface list remove ", "/", NULL),
	       "numbers= all none LAN WAN", "remove: item names of a named menu");
	is_str(cands("/interface list remove L", "/", NULL), "LAN",
	       "item name by prefix");
	is_str(cands("/interface list set LAN,W", "/", NULL), "LAN,WAN",
	       "comma list of names");
	ok(!has("/interface list remove LAN ", "/", "WAN"),
	   "only the first positional takes names");
	is_str(cands("/interface list set numbers=W", "/", NULL), "WAN",
	       "numbers= takes names");
	is_str(cands("/interface list member add list=", "/", NULL),
	       "all none LAN WAN", "member list= offers interface lists");
	is_str(cands("/ip firewall filter add in-interface-list=!L", "/", NULL),
	       "!LAN", "negated interface-list name");
	is_str(cands("/ip firewall filter add src-address-list=b", "/", NULL),
	       "bogons blocked", "address-list names, each once");
	is_str(cands("/ip firewall nat add dst-address-list=my", "/", NULL),
	       "\"my list\"", "a name with a blank is quoted");
	is_str(cands("/ip firewall filter add jump-target=", "/", NULL),
	       "input forward my-chain", "jump-target offers chains in use");
	is_str(cands("/ip firewall filter add chain=", "/", NULL),
	       "forward input output my-chain",
	       "chain: built-in chains, then user chains once");
	is_str(cands("/ip firewall filter get 0 ch", "/", NULL), "chain",
	       "get: second word is a property name");
	is_str(cands("/ip firewall filter unset 0 value-name=jump", "/", NULL),
	       "jump-target", "value-name= takes property names");
	ok(fake_calls > 0, "the name source was asked");
	fake_calls = 0;
	cands("/ip firewall filter remove ", "/", NULL);
	cands("/ip firewall connection tracking set udp-timeout=", "/", NULL);
	is_int(fake_calls, 0, "no names asked where none can come");
	struct gr_cands c;
	gr_complete_ex("/interface list remove ", gr_menus, NULL, &c);
	ok(c.n == 1 && strcmp(c.v[0].word, "numbers=") == 0,
	   "no name source: no names");
	gr_cands_free(&c);
	gr_complete_set_names(&src);
	gr_complete("/interface list remove W", gr_menus, &c);
	ok(c.n == 1 && strcmp(c.v[0].word, "WAN") == 0,
	   "gr_complete uses the registered source");
	gr_cands_free(&c);
	gr_complete_set_names(NULL);
}

static void namelist(void)
{
	struct gr_namelist l = { 0 };

	gr_namelist_add(&l, "a");
	gr_namelist_add(&l, "b");
	gr_namelist_add(&l, "a");
	ok(l.n == 2 && strcmp(l.v[0], "a") == 0 && strcmp(l.v[1], "b") == 0,
	   "namelist keeps first order, no duplicates");
	gr_namelist_free(&l);
	ok(l.n == 0 && l.v == NULL, "namelist freed");
}

int main(void)
{
	menus_and_commands();
	arguments();
	values();
	item_names();
	namelist();
	return done_testing();
}
