/* where: precedence, operators, typed comparison, hints. */
#include <string.h>

#include "../../grammar/menus.h"
#include "../../grammar/parse.h"
#include "tap.h"

static const char *row[CTP__COUNT];

static const char *get(void *item, int prop)
{
	(void)item;
	return prop < 0 ? "*1A" : row[prop];
}

static int eval(const char *expr)
{
	struct gr_script s;
	struct gr_diag d;
	char line[512];

	snprintf(line, sizeof(line), "/ip firewall connection print where %s", expr);
	if (gr_parse(line, 1, gr_menus, &s, &d) < 0)
		return -1;
	int r = gr_where_eval(s.v[0]->where, get, NULL);
	gr_script_free(&s);
	return r;
}

int main(void)
{
	row[CTP_PROTOCOL] = "tcp";
	row[CTP_SRC_ADDRESS] = "192.168.88.50:40000";
	row[CTP_DST_ADDRESS] = "10.0.0.50:80";
	row[CTP_TCP_STATE] = "syn-sent";
	row[CTP_TIMEOUT] = "1m10s";
	row[CTP_ASSURED] = "yes";
	row[CTP_CONNECTION_MARK] = "0x7";

	is_int(eval("protocol=tcp"), 1, "equality");
	is_int(eval("protocol=udp"), 0, "inequality");
	is_int(eval("protocol!=udp"), 1, "!=");
	is_int(eval("src-address~\"192.168.88.50\""), 1, "regex substring");
	is_int(eval("dst-address~\"^10\\\\.0\\\\.0\\\\.5:\""), 0, "anchored regex");
	is_int(eval("seen-reply=no"), 1, "unset flag equals no");
	is_int(eval("!seen-reply"), 1, "!flag");
	is_int(eval("assured"), 1, "bare flag");
	is_int(eval("timeout<2m"), 1, "duration <");
	is_int(eval("timeout>70s"), 0, "duration > (equal)");
	is_int(eval("timeout>=1m10s"), 1, "duration >=");
	is_int(eval("src-address in 192.168.88.0/24"), 1, "in prefix (addr:port)");
	is_int(eval("dst-address in 192.168.0.0/16"), 0, "not in prefix");
	is_int(eval("protocol=udp or tcp-state=syn-sent"), 1, "or");
	is_int(eval("protocol=udp or protocol=tcp and assured"), 1, "and binds tighter");
	is_int(eval("(protocol=udp or protocol=tcp) and !assured"), 0, "parentheses");
	is_int(eval("protocol=tcp tcp-state=syn-s"), 1, "implicit and, enum abbreviation");
	is_int(eval("not protocol=tcp"), 0, "not");
	is_int(eval(".id=*1A"), 1, ".id");
	is_int(eval("proto=tcp"), 1, "property abbreviation");
	is_int(eval("src-address~\"(\""), -1, "bad regex is an error");
	is_int(eval("bogus=1"), -1, "unknown property is an error");
	is_int(eval("timeout<5x"), -1, "bad duration is an error");
	is_int(eval("protocol!=tpc"), -1, "a typo in != does not match everything");
	is_int(eval("tcp-state=bogus"), -1, "bad enum value is an error");
	is_int(eval("seen-reply=maybe"), -1, "bad bool is an error");
	is_int(eval("src-port=abc"), -1, "bad port is an error");
	is_int(eval("connection-mark=7"), 1, "an unnamed mark equals its number in decimal");
	is_int(eval("connection-mark=0x07"), 1, "... and in hex");
	is_int(eval("connection-mark!=8"), 1, "... and differs from another");
	is_int(eval("src-address=192.168.88"), 0, "a partial address is text: no match, no error");

	struct gr_script s;
	struct gr_diag d;
	struct gr_where_hint h[8];
	gr_parse("/ip firewall connection print where protocol=tcp and !assured and "
		 "(tcp-state=syn-sent or timeout<1s)", 1, gr_menus, &s, &d);
	size_t n = gr_where_hints(s.v[0]->where, h, 8);
	ok(n == 2 && h[0].prop == CTP_PROTOCOL && !h[0].negated &&
	   h[1].prop == CTP_ASSURED && h[1].negated, "hints: top-level conjuncts only");
	gr_script_free(&s);
	return done_testing();
}
