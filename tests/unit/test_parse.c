/* Parser: paths, abbreviation, arguments, values, errors with positions. */
#include <string.h>

#include "../../grammar/parse.h"
#include "tap.h"

static struct gr_script S;
static struct gr_diag D;

static int parse(const char *src, const char *cwd)
{
	gr_script_free(&S);
	return gr_parse(src, 1, gr_menu_by_path(cwd), &S, &D);
}

static const char *canon(const struct gr_stmt *st, const char *prop)
{
	int idx = gr_prop_index(st->menu, prop);
	const struct gr_arg *a = gr_stmt_arg(st, GA_PROP, idx);
	return a ? a->canon : NULL;
}

static void paths(void)
{
	ok(parse("/ip firewall filter", "/") == 0 && S.n == 1 && S.v[0]->kind == ST_CD &&
	   strcmp(S.cwd->path, "/ip/firewall/filter") == 0, "path alone changes menu");
	ok(parse("/ip/firewall/filter", "/") == 0 &&
	   strcmp(S.cwd->path, "/ip/firewall/filter") == 0, "slash form");
	ok(parse("..", "/ip/firewall/filter") == 0 &&
	   strcmp(S.cwd->path, "/ip/firewall") == 0, ".. goes up");
	ok(parse("/", "/ip/firewall") == 0 && strcmp(S.cwd->path, "/") == 0, "/ goes to root");
	ok(parse("/ip fi con pr count", "/") == 0 && S.v[0]->cmd == GC_PRINT &&
	   S.v[0]->menu->id == GMI_CONNECTION &&
	   gr_stmt_arg(S.v[0], GA_OPT, O_COUNT_ONLY), "abbreviated path, command, option");
	ok(parse("/ipv6/firewall/connection/print", "/") == 0 &&
	   S.v[0]->menu->id == GMI_CONNECTION6, "command inside a slash path");
	ok(parse("filter print", "/ip/firewall") == 0 && S.v[0]->menu->id == GMI_FILTER &&
	   strcmp(S.cwd->path, "/ip/firewall") == 0, "relative path + command keeps menu");
	ok(parse("/ip firewall filter\nadd chain=input\n", "/") == 0 && S.n == 2 &&
	   S.v[1]->menu->id == GMI_FILTER, "path line then add (export style)");
	ok(parse("/ip firewall address-list { add list=a address=1.2.3.4; add list=a address=1.2.3.5 }",
		 "/") == 0 && S.v[0]->kind == ST_BLOCK && S.v[0]->nbody == 2, "block under a menu");
	ok(parse("/ip foo", "/") < 0 && strcmp(D.msg, "bad command name foo") == 0 &&
	   D.col == 5 && D.with_pos, "bad command name with column");
	ok(parse("/ip/firewall/fxx", "/") < 0 && D.col == 14, "column inside a slash path");
	ok(parse("/i", "/") < 0 && strncmp(D.msg, "ambiguous", 9) == 0, "ambiguous menu");
}

static void args(void)
{
	ok(parse("/ip firewall filter add chain=forward connection-state=est,rel "
		 "action=drop in-interface-list=!LAN comment=\"x y\"", "/") == 0, "add parses");
	is_str(canon(S.v[0], "connection-state"), "established,related", "enum list abbreviated");
	is_str(canon(S.v[0], "in-interface-list"), "!LAN", "negated value");
	is_str(canon(S.v[0], "comment"), "x y", "quoted value");
	ok(parse("/ip firewall filter add chain=input action=acept", "/") < 0 &&
	   strcmp(D.msg, "input does not match any value of action") == 0, "bad enum value");
	ok(parse("/ip firewall filter add chain=input action=re", "/") < 0 &&
	   strcmp(D.msg, "ambiguous value of action, more than one possible value matches input") == 0,
	   "ambiguous enum value");
	ok(parse("/ip firewall filter add chain=input actionn=drop", "/") < 0 &&
	   strcmp(D.msg, "expected end of command") == 0 && D.col == 37, "unknown argument");
	ok(parse("/ip firewall filter add action=drop", "/") < 0 &&
	   strcmp(D.msg, "missing value(s) of argument(s) chain") == 0, "required property");
	ok(parse("/ip firewall connection tracking set udp-timeout=1x", "/") < 0 &&
	   strcmp(D.msg, "invalid value for argument udp-timeout") == 0, "bad duration");
	ok(parse("/ip firewall connection tracking set total-entries=5", "/") < 0 &&
	   strstr(D.msg, "read-only") != NULL, "read-only property");
	ok(parse("/ip firewall connection tracking set udp-timeout=10s", "/") == 0 &&
	   strcmp(canon(S.v[0], "udp-timeout"), "10s") == 0, "settings set");
	ok(parse("/ip firewall filter set 0,1 !log-prefix disabled=yes", "/") == 0 &&
	   gr_stmt_arg(S.v[0], GA_OPT, O_NUMBERS) &&
	   gr_stmt_arg(S.v[0], GA_PROP, gr_prop_index(S.v[0]->menu, "log-prefix"))->unset,
	   "numbers and !prop");
	ok(parse("/ip firewall filter remove [find where chain=input]", "/") == 0 &&
	   gr_stmt_arg(S.v[0], GA_OPT, O_NUMBERS)->val.sub->cmd == GC_FIND,
	   "[find] substitution inherits the menu");
	ok(parse("/ip firewall filter set [ find comment=\"defconf: fasttrack\" ] connection-mark=!x;",
		 "/") == 0, "spaces inside [ find ] and trailing ;");
	ok(parse("/ip firewall filter print detail where chain=input", "/") == 0 &&
	   S.v[0]->where && gr_stmt_arg(S.v[0], GA_OPT, O_DETAIL), "print detail where");
	ok(parse("/ip firewall filter print detaill", "/") < 0, "unknown flag");
	ok(parse("/export verbose", "/") == 0 && S.v[0]->cmd == GC_EXPORT, "root export");
	ok(parse("/import file-name=x.rsc", "/") == 0 && S.v[0]->cmd == GC_IMPORT, "import");
	ok(parse("/import x.rsc", "/") == 0 &&
	   gr_stmt_arg(S.v[0], GA_OPT, O_FILE_NAME), "import positional file");
	ok(parse("/ip firewall filter add chain=input place-before=0", "/") == 0, "place-before");
	ok(parse("/ip settings set rp-filter=loose", "/") == 0 &&
	   strcmp(canon(S.v[0], "rp-filter"), "loose") == 0, "ip settings enum");
	ok(parse("/ip firewall connection print where\n", "/") < 0, "where without expression");
	ok(parse("/ip firewall filter\nadd chain=input; add chain=x junk", "/") < 0 &&
	   D.line == 2 && D.col == 30, "error in the second command of a line");
	ok(parse("/ip firewall filter add chain=input; add chain=x", "/") < 0 &&
	   strcmp(D.msg, "bad command name add") == 0,
	   "a command after ; runs in the current menu, not the previous command's");
	ok(parse("/interface list add name=LAN\n/interface list member add list=LAN interface=bridge",
		 "/") == 0 && S.n == 2, "interface lists");
	ok(parse("/ip firewall filter add chain=input comment=", "/") == 0 &&
	   strcmp(canon(S.v[0], "comment"), "") == 0, "trailing name= is empty");
}

static void exports(void)
{
	const struct gr_menu *fl = gr_menu_by_path("/ip/firewall/filter");
	const struct gr_menu *il = gr_menu_by_path("/interface/list");

	ok(parse("/ip firewall filter add chain=input action=drop !psd !no-such-prop "
		 "!dst-port", "/") == 0 && S.v[0]->nargs == 2,
	   "add !name (export verbose): nothing set, even for unknown names");
	ok(parse("/interface list add name=WAN include=\"\" exclude=\"\"", "/") == 0 &&
	   S.v[0]->nargs == 1 && S.v[0]->args[0].idx == gr_prop_index(il, "name"),
	   "add include=\"\": left at its default");
	ok(parse("/interface list set WAN exclude=\"\" comment=x", "/") == 0 &&
	   gr_stmt_arg(S.v[0], GA_PROP, gr_prop_index(il, "exclude"))->unset &&
	   strcmp(canon(S.v[0], "comment"), "x") == 0, "set exclude=\"\" unsets it");
	ok(parse("/ip firewall filter add chain=input log-prefix=~~~x comment=a#b", "/") == 0 &&
	   strcmp(canon(S.v[0], "log-prefix"), "~~~x") == 0 &&
	   strcmp(canon(S.v[0], "comment"), "a#b") == 0, "~ and # in unquoted values");
	ok(parse("/ip firewall filter add chain=$C", "/") < 0 && D.col == 31 &&
	   strstr(D.msg, "$C") && strstr(D.msg, "scripting is not supported"),
	   "a script variable: clear error at its column");
	(void)fl;
}

/* An empty value never drops a matcher; '!' only where RouterOS takes it. */
static void refusals(void)
{
	static const char *const empties[] = {
		"src-address", "connection-state", "protocol", "in-interface",
		"src-address-list", "dst-port", "log", "tcp-flags", "action",
		"address-list-timeout", "jump-target", NULL
	};
	char src[256], want[128];

	ok(parse("/ip firewall filter add chain=forward action=drop src-address= "
		 "comment=x", "/") < 0 && strcmp(D.msg, "syntax error") == 0 &&
	   D.with_pos && D.col == 64, "name= then more arguments: syntax error");
	ok(parse("/ip firewall filter add chain=forward action=drop src-address=",
		 "/") < 0 && strcmp(D.msg, "invalid value for argument src-address") == 0,
	   "a trailing src-address= is an empty address: refused");
	for (size_t i = 0; empties[i]; i++) {
		snprintf(want, sizeof(want), "invalid value for argument %s", empties[i]);
		snprintf(src, sizeof(src), "/ip firewall filter add chain=forward "
			 "action=drop %s=\"\" comment=x", empties[i]);
		ok(parse(src, "/") < 0 && strcmp(D.msg, want) == 0,
		   "add %s=\"\": %s", empties[i], want);
		snprintf(src, sizeof(src), "/ip firewall filter set 0 %s=\"\"", empties[i]);
		ok(parse(src, "/") < 0 && strcmp(D.msg, want) == 0,
		   "set %s=\"\": %s", empties[i], want);
	}
	ok(parse("/ip firewall nat add chain=srcnat action=masquerade to-ports=\"\"",
		 "/") < 0 && strcmp(D.msg, "invalid value for argument to-ports") == 0,
	   "nat to-ports=\"\" refused");
	ok(parse("/ip firewall address-list add list=\"\" address=1.2.3.4", "/") < 0 &&
	   strcmp(D.msg, "invalid value for argument list") == 0, "list=\"\" refused");
	ok(parse("/ip firewall filter add chain=forward comment=\"\" log-prefix=\"\"",
		 "/") == 0 && strcmp(canon(S.v[0], "comment"), "") == 0 &&
	   strcmp(canon(S.v[0], "log-prefix"), "") == 0, "free text takes \"\"");
	ok(parse("/ip firewall filter set 0 !src-address comment=\"\"", "/") == 0 &&
	   gr_stmt_arg(S.v[0], GA_PROP, gr_prop_index(S.v[0]->menu, "src-address"))->unset,
	   "!src-address still unsets");
	ok(parse("/ip firewall filter add chain=!forward", "/") < 0 &&
	   strcmp(D.msg, "invalid value for argument chain") == 0, "chain=!forward refused");
	ok(parse("/ip firewall filter add chain=\"!forward\"", "/") < 0 &&
	   strcmp(D.msg, "invalid value for argument chain") == 0, "chain=\"!forward\" refused");
	ok(parse("/ip firewall filter add chain=forward action=jump jump-target=!x", "/") < 0 &&
	   strcmp(D.msg, "invalid value for argument jump-target") == 0,
	   "jump-target=!x refused");
	ok(parse("/ip firewall nat add chain=!srcnat action=masquerade", "/") < 0 &&
	   strcmp(D.msg, "invalid value for argument chain") == 0, "nat chain=!srcnat refused");
	ok(parse("/ip firewall filter add chain=forward action=add-src-to-address-list "
		 "address-list=!x", "/") < 0 &&
	   strcmp(D.msg, "invalid value for argument address-list") == 0,
	   "address-list=!x refused");
	ok(parse("/ip firewall filter add chain=forward protocol=tcp tcp-flags=!syn "
		 "src-address-list=!a hotspot=!auth comment=!x", "/") == 0 &&
	   strcmp(canon(S.v[0], "tcp-flags"), "!syn") == 0 &&
	   strcmp(canon(S.v[0], "src-address-list"), "!a") == 0 &&
	   strcmp(canon(S.v[0], "comment"), "!x") == 0,
	   "'!' still taken by negatable matchers, tcp-flags, hotspot and text");
	ok(parse("/ip firewall filter add chain=forward action=add-src-to-address-list "
		 "address-list=a address-list-timeout=35w3d13h13m56s", "/") == 0 &&
	   strcmp(canon(S.v[0], "address-list-timeout"), "35w3d13h13m56s") == 0,
	   "address-list-timeout at RouterOS's maximum");
	ok(parse("/ip firewall filter add chain=forward action=add-src-to-address-list "
		 "address-list=a address-list-timeout=35w3d13h13m57s", "/") < 0 &&
	   strcmp(D.msg, "invalid value for argument address-list-timeout") == 0,
	   "address-list-timeout beyond it refused");
	ok(parse("/ip firewall address-list add list=a address=1.2.3.4 timeout=36w", "/") < 0 &&
	   strcmp(D.msg, "invalid value for argument timeout") == 0,
	   "address-list timeout=36w refused");
	ok(parse("/ip firewall address-list add list=a address=1.2.3.4 "
		 "timeout=35w3d13h13m56s", "/") == 0, "address-list timeout at the maximum");
	ok(parse("/ip firewall filter add chain=forward log=yes "
		 "log-prefix=0123456789012345678901234567890", "/") == 0,
	   "log-prefix of 31 characters");
	ok(parse("/ip firewall filter add chain=forward log=yes "
		 "log-prefix=01234567890123456789012345678901", "/") < 0 &&
	   strcmp(D.msg, "invalid value for argument log-prefix") == 0,
	   "log-prefix of 32 characters refused");
	ok(parse("/export show-sensitive=yes", "/") < 0 &&
	   strcmp(D.msg, "expected end of command") == 0 && D.col == 23,
	   "a flag given a value: expected end of command at the =");
	ok(parse("/ip firewall filter print detail=yes", "/") < 0 &&
	   strcmp(D.msg, "expected end of command") == 0, "print detail=yes refused");
	ok(parse("/export show-sensitive", "/") == 0, "show-sensitive as a flag");
	ok(parse("/import file-name=x.rsc verbose=yes", "/") == 0,
	   "import verbose=yes still takes a value");
}

/* --keep-going: statement by statement, each with its menu. */
static void lines(void)
{
	struct gr_lines L;

	gr_parse_lines("/ip firewall filter\nadd chain=x action=bad\n"
		       "add chain=input\n/ip firewall mangle\nadd chain=y\n"
		       "/ip firewall nat { add chain=srcnat action=masquerade\n"
		       "  add chain=dstnat bogus=1 }\n"
		       ":do { add } on-error={}\nadd chain=forward\n"
		       "/ipv6 firewall filter add chain=input\n"
		       "add comment=\"unterminated\nadd chain=output\n",
		       1, gr_menus, &L);
	is_int(L.n, 12, "one entry per statement");
	ok(L.v[0].cd && L.v[0].st && L.v[0].known, "menu line");
	ok(!L.v[1].st && L.v[1].d.line == 2 && L.v[1].known &&
	   strcmp(L.v[1].menu, "/ip firewall filter") == 0, "failed line keeps its menu");
	ok(L.v[2].st && L.v[2].st->menu->id == GMI_FILTER, "goes on after an error");
	ok(!L.v[3].st && L.v[3].cd && !L.v[3].known &&
	   strcmp(L.v[3].menu, "/ip firewall mangle") == 0, "menu rosh lacks");
	ok(!L.v[4].st && !L.v[4].known && L.v[4].d.line == 5 &&
	   strcmp(L.v[4].d.msg, "bad command name mangle") == 0 &&
	   strcmp(L.v[4].menu, "/ip firewall mangle") == 0,
	   "its lines count for it, with its error");
	ok(L.v[5].st && L.v[5].st->menu->id == GMI_NAT, "block lines one by one");
	ok(!L.v[6].st && L.v[6].d.line == 7 && L.v[6].known, "bad line inside a block");
	ok(!L.v[7].st && strcmp(L.v[7].menu, "(scripting)") == 0, ":do is scripting");
	ok(!L.v[8].st && !L.v[8].known && L.v[8].d.line == 9,
	   "after the block: back in the unknown menu");
	ok(!L.v[9].st && strcmp(L.v[9].menu, "/ipv6 firewall filter") == 0,
	   "one-line command in a menu rosh lacks");
	ok(!L.v[10].st && L.v[10].d.line == 11, "lexical error");
	ok(!L.v[11].st && L.v[11].d.line == 12 &&
	   strcmp(L.v[11].menu, "/ip firewall mangle") == 0,
	   "lexing resumes on the next line (still in the unknown menu)");
	gr_lines_free(&L);
	gr_parse_lines("/ip firewall filter\nadd comment=\"open\nadd chain=input\n",
		       1, gr_menus, &L);
	ok(L.n == 3 && !L.v[1].st && L.v[1].d.col == 13 &&
	   strcmp(L.v[1].d.msg, "expected end of command") != 0 &&
	   L.v[2].st && L.v[2].st->line == 3, "the lexer's message; next line parsed");
	gr_lines_free(&L);
}

int main(void)
{
	paths();
	args();
	exports();
	refusals();
	lines();
	gr_script_free(&S);
	return done_testing();
}
