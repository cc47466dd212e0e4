/* Unit tests: value types (types.c, types_common.c). TAP output. */
#include <stdint.h>
#include <string.h>

#include "../../grammar/strbuf.h"
#include "../../grammar/types.h"
#include "tap.h"

/* in parses to want; parsing want again gives want (canonical is stable). */
static void good(const struct gr_type *t, const char *in, const char *want)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	enum gr_perr rc = gr_value_parse(t, in, &a);
	char name[300];

	snprintf(name, sizeof(name), "%s: '%s' -> '%s'", t->name, in, want);
	if (!ok(rc == GR_PE_OK, "%s parses", name))
		printf("#   rc %d\n", rc);
	is_str(sb_str(&a), want, name);
	rc = gr_value_parse(t, sb_str(&a), &b);
	ok(rc == GR_PE_OK && strcmp(sb_str(&a), sb_str(&b)) == 0,
	   "%s: round trip of '%s' ('%s')", t->name, sb_str(&a), sb_str(&b));
	sb_free(&a);
	sb_free(&b);
}

/* in fails with want and leaves the output buffer as it was. */
static void bad(const struct gr_type *t, const char *in, enum gr_perr want)
{
	struct strbuf a = STRBUF_INIT;
	char name[300];

	sb_adds(&a, "keep");
	snprintf(name, sizeof(name), "%s: '%s' rejected (%d)", t->name, in,
		 want);
	is_int(gr_value_parse(t, in, &a), want, name);
	is_str(sb_str(&a), "keep", "  output untouched");
	sb_free(&a);
}

static double num(const struct gr_type *t, const char *s)
{
	double d = -1;

	if (!gr_value_num(t, s, &d))
		return -1;
	return d;
}

static void test_quote(void)
{
	static const struct {
		const char *in, *want;
		bool force;
	} cases[] = {
		{ "abc", "abc", false },
		{ "10.0.0.0/8", "10.0.0.0/8", false },
		{ "established,related", "established,related", false },
		{ "!LAN", "!LAN", false },
		{ "*1A", "*1A", false },
		{ "a_b-c.d:e@f+g", "a_b-c.d:e@f+g", false },
		{ "abc", "\"abc\"", true },
		{ "", "\"\"", false },
		{ "", "\"\"", true },
		{ "a b", "\"a b\"", false },
		{ "a=b", "\"a=b\"", false },
		{ "a;b", "\"a;b\"", false },
		{ "say \"hi\"", "\"say \\\"hi\\\"\"", false },
		{ "a\\b", "\"a\\\\b\"", false },
		{ "$x", "\"\\$x\"", false },
		{ "a\nb", "\"a\\nb\"", false },
		{ "\r\t", "\"\\r\\t\"", false },
		{ "\x01", "\"\\01\"", false },
		{ "x\x1fy", "\"x\\1Fy\"", false },
		{ "\x7f", "\"\\7F\"", false },
		{ "\x1b[0m", "\"\\1B[0m\"", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf sb = STRBUF_INIT;
		char name[100];

		gr_quote(&sb, cases[i].in, cases[i].force);
		snprintf(name, sizeof(name), "gr_quote case %zu", i);
		is_str(sb_str(&sb), cases[i].want, name);
		sb_free(&sb);
	}
}

static void test_duration(void)
{
	static const struct {
		uint64_t ms;
		const char *want;
	} fmt[] = {
		{ 0, "0s" }, { 1000, "1s" }, { 500, "500ms" },
		{ 1500, "1s500ms" }, { 90000, "1m30s" }, { 3600000, "1h" },
		{ 604800000, "1w" }, { (9 * 86400 - 2) * 1000ULL, "1w1d23h59m58s" },
		{ 21474836000ULL, "35w3d13h13m56s" },
		{ ((((7 + 2) * 24 + 3) * 60 + 4) * 60 + 5) * 1000ULL,
		  "1w2d3h4m5s" },
	};
	uint64_t ms;

	for (size_t i = 0; i < sizeof(fmt) / sizeof(fmt[0]); i++) {
		struct strbuf sb = STRBUF_INIT;

		gr_duration_format(fmt[i].ms, &sb);
		is_str(sb_str(&sb), fmt[i].want, "gr_duration_format");
		sb_free(&sb);
	}
	ok(gr_duration_parse("1h", &ms) && ms == 3600000, "parse 1h");
	ok(gr_duration_parse("500ms", &ms) && ms == 500, "parse 500ms");
	ok(!gr_duration_parse("", &ms), "parse '' fails");

	good(&gr_t_duration, "10", "10s");
	good(&gr_t_duration, "10s", "10s");
	good(&gr_t_duration, "0", "0s");
	good(&gr_t_duration, "0s", "0s");
	good(&gr_t_duration, "1w2d3h4m5s", "1w2d3h4m5s");
	good(&gr_t_duration, "00:10:00", "10m");
	good(&gr_t_duration, "1d00:00:00", "1d");
	good(&gr_t_duration, "00:00:00.200", "200ms");
	good(&gr_t_duration, "00:00:05.003", "5s3ms");
	good(&gr_t_duration, "24:00:00", "1d");
	good(&gr_t_duration, "2735w1d21:41:43.481891543",
	     "2735w1d21h41m43s481ms");
	good(&gr_t_duration, "1s500ms", "1s500ms");
	good(&gr_t_duration, "500ms", "500ms");
	good(&gr_t_duration, "1.5s", "1s500ms");
	good(&gr_t_duration, "1.5", "1s500ms");
	good(&gr_t_duration, "90m", "1h30m");
	good(&gr_t_duration, "7d", "1w");
	good(&gr_t_duration, "1d5m", "1d5m");
	good(&gr_t_duration, "35w3d13h13m56s", "35w3d13h13m56s");
	good(&gr_t_duration, "36w", "36w");
	bad(&gr_t_duration, "", GR_PE_INVALID);
	bad(&gr_t_duration, "abc", GR_PE_INVALID);
	bad(&gr_t_duration, "10x", GR_PE_INVALID);
	bad(&gr_t_duration, "1h30", GR_PE_INVALID);
	bad(&gr_t_duration, "h", GR_PE_INVALID);
	bad(&gr_t_duration, "-1s", GR_PE_INVALID);
	bad(&gr_t_duration, "1.5m", GR_PE_INVALID);
	bad(&gr_t_duration, "10 s", GR_PE_INVALID);
	bad(&gr_t_duration, "00:60:00", GR_PE_INVALID);
	bad(&gr_t_duration, "00:00:60", GR_PE_INVALID);
	bad(&gr_t_duration, "1:2", GR_PE_INVALID);
	bad(&gr_t_duration, "00:10:00s", GR_PE_INVALID);
	bad(&gr_t_duration, "18446744073709551616", GR_PE_INVALID);
	bad(&gr_t_duration, "99999999999999999w", GR_PE_INVALID);
	bad(&gr_t_duration, "none-dynamic", GR_PE_INVALID);
}

static void test_bool_int(void)
{
	static const struct gr_type sint = { .name = "signed", .kind = GK_INT,
					     .min = -10, .max = 10 };

	good(&gr_t_bool, "yes", "yes");
	good(&gr_t_bool, "no", "no");
	good(&gr_t_bool, "true", "yes");
	good(&gr_t_bool, "false", "no");
	good(&gr_t_bool, "y", "yes");
	good(&gr_t_bool, "f", "no");
	bad(&gr_t_bool, "maybe", GR_PE_NOMATCH);
	bad(&gr_t_bool, "Yes", GR_PE_NOMATCH);
	bad(&gr_t_bool, "", GR_PE_NOMATCH);

	good(&gr_t_u32, "0", "0");
	good(&gr_t_u32, "4294967295", "4294967295");
	good(&gr_t_u32, "007", "7");
	good(&gr_t_u32, "0x10", "16");
	good(&gr_t_u64, "18446744073", "18446744073");
	bad(&gr_t_u32, "4294967296", GR_PE_INVALID);
	bad(&gr_t_u32, "-1", GR_PE_INVALID);
	bad(&gr_t_u32, "", GR_PE_INVALID);
	bad(&gr_t_u32, "1.5", GR_PE_INVALID);
	bad(&gr_t_u32, "12a", GR_PE_INVALID);
	bad(&gr_t_u32, " 1", GR_PE_INVALID);
	bad(&gr_t_u32, "+1", GR_PE_INVALID);
	bad(&gr_t_u64, "99999999999999999999", GR_PE_INVALID);
	good(&sint, "-5", "-5");
	good(&sint, "10", "10");
	bad(&sint, "-11", GR_PE_INVALID);
	bad(&sint, "11", GR_PE_INVALID);

	good(&gr_t_port_range, "80", "80");
	good(&gr_t_port_range, "1000-2000", "1000-2000");
	good(&gr_t_port_range, "08-010", "8-10");
	good(&gr_t_port_range, "5-5", "5-5");
	good(&gr_t_port_range, "0-65535", "0-65535");
	bad(&gr_t_port_range, "2000-1000", GR_PE_INVALID);
	bad(&gr_t_port_range, "65536", GR_PE_INVALID);
	bad(&gr_t_port_range, "1-", GR_PE_INVALID);
	bad(&gr_t_port_range, "-1", GR_PE_INVALID);
	bad(&gr_t_port_range, "1-2-3", GR_PE_INVALID);
	bad(&gr_t_port_range, "a-b", GR_PE_INVALID);

	good(&gr_t_ports, "22,80,443,8000-8100", "22,80,443,8000-8100");
	good(&gr_t_ports, "022,80", "22,80");
	good(&gr_t_ports, "0", "0");
	good(&gr_t_ports, "65535", "65535");
	good(&gr_t_ports, "443,80", "443,80");
	bad(&gr_t_ports, "65536", GR_PE_INVALID);
	bad(&gr_t_ports, "80,", GR_PE_INVALID);
	bad(&gr_t_ports, ",80", GR_PE_INVALID);
	bad(&gr_t_ports, "80,,443", GR_PE_INVALID);
	bad(&gr_t_ports, "100-50", GR_PE_INVALID);
	bad(&gr_t_ports, "80 443", GR_PE_INVALID);
	bad(&gr_t_ports, "", GR_PE_INVALID);
}

static void test_words(void)
{
	static const char *const actions[] = {
		"accept", "add-dst-to-address-list", "add-src-to-address-list",
		"drop", "drop-all", NULL
	};
	static const char *const states[] = {
		"established", "invalid", "new", "related", "untracked", NULL
	};
	static const char *const alt[] = { "none-dynamic", NULL };
	static const struct gr_type act = { .name = "action",
		.kind = GK_ENUM, .syms = actions };
	static const struct gr_type st = { .name = "connection-state",
		.kind = GK_ENUM_LIST, .syms = states };
	static const struct gr_type stn = { .name = "state-neg",
		.kind = GK_ENUM_LIST, .syms = states, .elem_neg = 1 };
	static const struct gr_type dalt = { .name = "timeout",
		.kind = GK_DURATION, .alt = alt };
	static const struct gr_type nocustom = { .name = "nocustom",
		.kind = GK_CUSTOM };

	good(&gr_t_string, "", "");
	good(&gr_t_string, "a b \"c\"", "a b \"c\"");
	good(&gr_t_name, "LAN", "LAN");
	good(&gr_t_name, "my list", "my list");
	bad(&gr_t_name, "", GR_PE_INVALID);

	good(&act, "accept", "accept");
	good(&act, "acc", "accept");
	good(&act, "add-s", "add-src-to-address-list");
	good(&act, "drop", "drop");
	bad(&act, "add", GR_PE_AMBIG);
	bad(&act, "dro", GR_PE_AMBIG);
	bad(&act, "foo", GR_PE_NOMATCH);
	bad(&act, "", GR_PE_NOMATCH);
	bad(&act, "Accept", GR_PE_NOMATCH);

	good(&st, "established,related", "established,related");
	good(&st, "est,rel,untr", "established,related,untracked");
	good(&st, "related,established", "related,established");
	good(&st, "new", "new");
	good(&st, "", "");
	bad(&st, "new,new", GR_PE_INVALID);
	bad(&st, "new,n", GR_PE_INVALID);
	bad(&st, "est,,rel", GR_PE_INVALID);
	bad(&st, "est,", GR_PE_INVALID);
	bad(&st, ",est", GR_PE_INVALID);
	bad(&st, "foo", GR_PE_NOMATCH);
	bad(&st, "new,foo", GR_PE_NOMATCH);
	bad(&st, "!new", GR_PE_NOMATCH);
	good(&stn, "!new,est", "!new,established");
	good(&stn, "inv,!unt", "invalid,!untracked");
	bad(&stn, "new,!new", GR_PE_INVALID);
	bad(&stn, "!", GR_PE_INVALID);

	good(&dalt, "none-dynamic", "none-dynamic");
	good(&dalt, "1d", "1d");
	bad(&dalt, "none-d", GR_PE_INVALID);
	bad(&nocustom, "x", GR_PE_INVALID);

	good(&gr_t_protocol, "tcp", "tcp");
	good(&gr_t_protocol, "6", "tcp");
	good(&gr_t_protocol, "006", "tcp");
	good(&gr_t_protocol, "17", "udp");
	good(&gr_t_protocol, "udp", "udp");
	good(&gr_t_protocol, "udp-l", "udp-lite");
	good(&gr_t_protocol, "ipsec-e", "ipsec-esp");
	good(&gr_t_protocol, "58", "icmpv6");
	good(&gr_t_protocol, "icmp", "icmp");
	good(&gr_t_protocol, "139", "139");
	good(&gr_t_protocol, "0", "0");
	good(&gr_t_protocol, "255", "255");
	bad(&gr_t_protocol, "TCP", GR_PE_NOMATCH);
	bad(&gr_t_protocol, "foo", GR_PE_NOMATCH);
	bad(&gr_t_protocol, "", GR_PE_NOMATCH);
	bad(&gr_t_protocol, "ic", GR_PE_AMBIG);
	bad(&gr_t_protocol, "ipv6", GR_PE_AMBIG);
	bad(&gr_t_protocol, "256", GR_PE_INVALID);
	bad(&gr_t_protocol, "6x", GR_PE_INVALID);
}

static void test_ip(void)
{
	static const struct gr_type ip6 = { .name = "ip6", .kind = GK_IP6 };

	good(&gr_t_ip4, "192.168.1.1", "192.168.1.1");
	good(&gr_t_ip4, "10.1", "10.0.0.1");
	good(&gr_t_ip4, "10.1.2", "10.1.0.2");
	good(&gr_t_ip4, "010.001.000.001", "10.1.0.1");
	good(&gr_t_ip4, "255.255.255.255", "255.255.255.255");
	bad(&gr_t_ip4, "10", GR_PE_INVALID);
	bad(&gr_t_ip4, "256.1.1.1", GR_PE_INVALID);
	bad(&gr_t_ip4, "1.2.3.4.5", GR_PE_INVALID);
	bad(&gr_t_ip4, "1.2.3.", GR_PE_INVALID);
	bad(&gr_t_ip4, "1.2.3.4.", GR_PE_INVALID);
	bad(&gr_t_ip4, ".1.2.3", GR_PE_INVALID);
	bad(&gr_t_ip4, "1..2", GR_PE_INVALID);
	bad(&gr_t_ip4, "a.b.c.d", GR_PE_INVALID);
	bad(&gr_t_ip4, "192.168.LL.YY", GR_PE_INVALID);
	bad(&gr_t_ip4, "", GR_PE_INVALID);
	bad(&gr_t_ip4, "1.2.3.4/24", GR_PE_INVALID);

	good(&ip6, "2001:DB8::1", "2001:db8::1");
	good(&ip6, "::", "::");
	good(&ip6, "::ffff:1.2.3.4", "::ffff:1.2.3.4");
	bad(&ip6, "1.2.3.4", GR_PE_INVALID);
	bad(&ip6, "2001:db8::g", GR_PE_INVALID);
	bad(&ip6, "", GR_PE_INVALID);

	good(&gr_t_ip4_prefix, "192.0.2.0/255.255.255.0", "192.0.2.0/24");
	good(&gr_t_ip4_prefix, "203.0.113.77/24", "203.0.113.0/24");
	good(&gr_t_ip4_prefix, "10.0.0.1/32", "10.0.0.1/32");
	good(&gr_t_ip4_prefix, "10.0.0.1", "10.0.0.1/32");
	good(&gr_t_ip4_prefix, "1.2.3.4/0", "0.0.0.0/0");
	good(&gr_t_ip4_prefix, "10.1/8", "10.0.0.0/8");
	bad(&gr_t_ip4_prefix, "10.0.0.0/33", GR_PE_INVALID);
	bad(&gr_t_ip4_prefix, "10.0.0.0/255.0.255.0", GR_PE_INVALID);
	bad(&gr_t_ip4_prefix, "10.0.0.0/", GR_PE_INVALID);
	bad(&gr_t_ip4_prefix, "10.0.0.0/x", GR_PE_INVALID);

	good(&gr_t_ip4_net, "10.0.0.1", "10.0.0.1");
	good(&gr_t_ip4_net, "10.0.0.1/32", "10.0.0.1");
	good(&gr_t_ip4_net, "10.0.0.0/255.0.0.0", "10.0.0.0/8");
	good(&gr_t_ip4_net, "203.0.113.77/24", "203.0.113.0/24");
	good(&gr_t_ip4_net, "192.0.2.10-192.0.2.20", "192.0.2.10-192.0.2.20");
	good(&gr_t_ip4_net, "192.0.2.0-192.0.2.255", "192.0.2.0-192.0.2.255");
	good(&gr_t_ip4_net, "10.5-10.9", "10.0.0.5-10.0.0.9");
	good(&gr_t_ip4_net, "10.0.0.5-10.0.0.5", "10.0.0.5-10.0.0.5");
	bad(&gr_t_ip4_net, "192.0.2.20-192.0.2.10", GR_PE_INVALID);
	bad(&gr_t_ip4_net, "1.2.3.4-", GR_PE_INVALID);
	bad(&gr_t_ip4_net, "203.0.113.1-254", GR_PE_INVALID);
	bad(&gr_t_ip4_net, "example.com", GR_PE_INVALID);

	good(&gr_t_ip6_net, "fe80::/10", "fe80::/10");
	good(&gr_t_ip6_net, "2001:db8::1", "2001:db8::1/128");
	good(&gr_t_ip6_net, "::1/128", "::1/128");
	good(&gr_t_ip6_net, "2001:db8::1/64", "2001:db8::/64");
	good(&gr_t_ip6_net, "2001:db8::1/0", "::/0");
	good(&gr_t_ip6_net, "ff02::1:ff00:0/104", "ff02::1:ff00:0/104");
	good(&gr_t_ip6_net, "::ffff:0.0.0.0/96", "::ffff:0.0.0.0/96");
	bad(&gr_t_ip6_net, "fe80::/129", GR_PE_INVALID);
	bad(&gr_t_ip6_net, "fe80::/", GR_PE_INVALID);
	bad(&gr_t_ip6_net, "10.0.0.0/8", GR_PE_INVALID);

	good(&gr_t_ip4_range, "1.2.3.4", "1.2.3.4");
	good(&gr_t_ip4_range, "1.2.3.4-1.2.3.10", "1.2.3.4-1.2.3.10");
	bad(&gr_t_ip4_range, "1.2.3.0/24", GR_PE_INVALID);
	bad(&gr_t_ip4_range, "1.2.3.10-1.2.3.4", GR_PE_INVALID);

	good(&gr_t_addr_port, "1.2.3.4", "1.2.3.4");
	good(&gr_t_addr_port, "1.2.3.4:80", "1.2.3.4:80");
	good(&gr_t_addr_port, "1.2.3.4:080", "1.2.3.4:80");
	good(&gr_t_addr_port, "2001:DB8::1", "2001:db8::1");
	good(&gr_t_addr_port, "[2001:DB8::1]:80", "[2001:db8::1]:80");
	good(&gr_t_addr_port, "[::1]", "::1");
	bad(&gr_t_addr_port, "1.2.3.4:65536", GR_PE_INVALID);
	bad(&gr_t_addr_port, "1.2.3.4:", GR_PE_INVALID);
	bad(&gr_t_addr_port, "[2001:db8::1", GR_PE_INVALID);
	bad(&gr_t_addr_port, "[1.2.3.4]:80", GR_PE_INVALID);
	bad(&gr_t_addr_port, "[::1]:", GR_PE_INVALID);
	bad(&gr_t_addr_port, "[::1]x", GR_PE_INVALID);
	bad(&gr_t_addr_port, "host:80", GR_PE_INVALID);
}

static void test_misc(void)
{
	good(&gr_t_id, "*1a", "*1A");
	good(&gr_t_id, "*01a", "*1A");
	good(&gr_t_id, "*0", "*0");
	good(&gr_t_id, "*FFFFFFFF", "*FFFFFFFF");
	bad(&gr_t_id, "1A", GR_PE_INVALID);
	bad(&gr_t_id, "*", GR_PE_INVALID);
	bad(&gr_t_id, "*g", GR_PE_INVALID);
	bad(&gr_t_id, "*12345678901234567", GR_PE_INVALID);

	good(&gr_t_mac, "aa:bb:cc:dd:ee:ff", "AA:BB:CC:DD:EE:FF");
	good(&gr_t_mac, "AA:BB:CC:EE:DD:FF", "AA:BB:CC:EE:DD:FF");
	good(&gr_t_mac, "a:b:c:d:e:f", "0A:0B:0C:0D:0E:0F");
	good(&gr_t_mac, "00-11-22-33-44-55", "00:11:22:33:44:55");
	bad(&gr_t_mac, "aa:bb:cc:dd:ee", GR_PE_INVALID);
	bad(&gr_t_mac, "aa:bb:cc:dd:ee:ff:00", GR_PE_INVALID);
	bad(&gr_t_mac, "aa:bb:cc:dd:ee:ff:", GR_PE_INVALID);
	bad(&gr_t_mac, "aaa:bb:cc:dd:ee:ff", GR_PE_INVALID);
	bad(&gr_t_mac, "gg:bb:cc:dd:ee:ff", GR_PE_INVALID);
	bad(&gr_t_mac, "", GR_PE_INVALID);

	good(&gr_t_hex, "0x1818", "0x1818");
	good(&gr_t_hex, "0X1818", "0x1818");
	good(&gr_t_hex, "0x00FF", "0xff");
	good(&gr_t_hex, "0x0", "0x0");
	good(&gr_t_hex, "6168", "0x1818");
	bad(&gr_t_hex, "0x", GR_PE_INVALID);
	bad(&gr_t_hex, "0xg", GR_PE_INVALID);
	bad(&gr_t_hex, "x12", GR_PE_INVALID);

	good(&gr_t_datetime, "2025-03-04 09:12:44", "2025-03-04 09:12:44");
	good(&gr_t_datetime, "mar/04/2025 09:12:44", "2025-03-04 09:12:44");
	good(&gr_t_datetime, "2024-02-29 23:59:59", "2024-02-29 23:59:59");
	bad(&gr_t_datetime, "2025-02-29 00:00:00", GR_PE_INVALID);
	bad(&gr_t_datetime, "2025-13-01 00:00:00", GR_PE_INVALID);
	bad(&gr_t_datetime, "2025-03-04 24:00:00", GR_PE_INVALID);
	bad(&gr_t_datetime, "2025-03-04", GR_PE_INVALID);
	bad(&gr_t_datetime, "foo/04/2025 09:12:44", GR_PE_INVALID);

	good(&gr_t_rate, "100k", "100kbps");
	good(&gr_t_rate, "10M", "10Mbps");
	good(&gr_t_rate, "13.2kbps", "13.2kbps");
	good(&gr_t_rate, "4.8Mbps", "4.8Mbps");
	good(&gr_t_rate, "1.2Gbps", "1.2Gbps");
	good(&gr_t_rate, "0", "0bps");
	good(&gr_t_rate, "0bps", "0bps");
	good(&gr_t_rate, "999", "999bps");
	good(&gr_t_rate, "1000", "1kbps");
	good(&gr_t_rate, "999999", "999.9kbps");
	good(&gr_t_rate, "1500000000", "1.5Gbps");
	bad(&gr_t_rate, "", GR_PE_INVALID);
	bad(&gr_t_rate, "k", GR_PE_INVALID);
	bad(&gr_t_rate, "1.k", GR_PE_INVALID);
	bad(&gr_t_rate, "10x", GR_PE_INVALID);
	bad(&gr_t_rate, "10 k", GR_PE_INVALID);
}

static void test_num_eq(void)
{
	static const struct gr_type ip6 = { .name = "ip6", .kind = GK_IP6 };
	double d;

	ok(num(&gr_t_duration, "1h") > num(&gr_t_duration, "59m"),
	   "num: 1h > 59m");
	is_int((long long)num(&gr_t_duration, "1h"), 3600000, "num: 1h in ms");
	ok(num(&gr_t_duration, "1d") > num(&gr_t_duration, "23h59m59s"),
	   "num: 1d > 23h59m59s");
	ok(num(&gr_t_u32, "10") > num(&gr_t_u32, "9"), "num: 10 > 9");
	is_int((long long)num(&gr_t_port_range, "1000-2000"), 1000,
	       "num: range = first number");
	is_int((long long)num(&gr_t_ports, "80,443"), 80, "num: ports");
	ok(num(&gr_t_ip4, "10.0.0.2") > num(&gr_t_ip4, "9.255.255.255"),
	   "num: 10.0.0.2 > 9.255.255.255");
	is_int((long long)num(&gr_t_addr_port, "10.0.0.5:80"), 0x0a000005,
	       "num: ip:port is the address");
	is_int((long long)num(&gr_t_ip4_net, "10.0.0.0/8"), 0x0a000000,
	       "num: prefix");
	is_int((long long)num(&gr_t_ip4_net, "10.0.0.3-10.0.0.9"), 0x0a000003,
	       "num: range");
	ok(!gr_value_num(&gr_t_addr_port, "[2001:db8::1]:80", &d),
	   "num: IPv6 has none");
	ok(!gr_value_num(&ip6, "::1", &d), "num: GK_IP6 has none");
	is_int((long long)num(&gr_t_rate, "13.2kbps"), 13200, "num: rate");
	is_int((long long)num(&gr_t_rate, "0bps"), 0, "num: 0bps");
	is_int((long long)num(&gr_t_datetime, "1970-01-02 00:00:00"), 86400,
	       "num: datetime epoch+1d");
	is_int((long long)num(&gr_t_datetime, "2025-03-04 09:12:44"),
	       1741079564, "num: datetime UTC");
	is_int((long long)num(&gr_t_id, "*1A"), 26, "num: id");
	is_int((long long)num(&gr_t_hex, "0x1818"), 6168, "num: hex");
	ok(!gr_value_num(&gr_t_bool, "yes", &d), "num: bool has none");
	ok(!gr_value_num(&gr_t_string, "12", &d), "num: string has none");
	ok(!gr_value_num(&gr_t_duration, "junk", &d), "num: bad duration");
	ok(!gr_value_num(&gr_t_u32, "", &d), "num: empty int");
	ok(!gr_value_num(&gr_t_id, "*", &d), "num: bare *");
	ok(!gr_value_num(&gr_t_hex, "0x", &d), "num: bare 0x");

	ok(gr_value_eq(&gr_t_string, "a", "a"), "eq: same");
	ok(!gr_value_eq(&gr_t_string, "a", "b"), "eq: differ");
	ok(!gr_value_eq(&gr_t_string, NULL, "a"), "eq: NULL");
}

static void test_in(void)
{
	static const struct {
		const char *have, *prefix;
		bool want;
	} cases[] = {
		{ "10.0.0.5:80", "10.0.0.0/8", true },
		{ "11.0.0.1", "10.0.0.0/8", false },
		{ "10.0.0.5", "10.0.0.5", true },
		{ "10.0.0.6", "10.0.0.5", false },
		{ "10.255.255.255", "10.0.0.0/8", true },
		{ "10.1.0.0/16", "10.0.0.0/8", true },
		{ "10.0.0.0/7", "10.0.0.0/8", false },
		{ "10.0.0.1-10.0.0.9", "10.0.0.0/24", true },
		{ "10.0.0.250-10.0.1.1", "10.0.0.0/24", false },
		{ "10.9.9.9", "10.0.0.0/255.0.0.0", true },
		{ "10.9.9.9", "10.1.2.3/8", true },
		{ "1.2.3.4", "0.0.0.0/0", true },
		{ "[2001:db8::1]:443", "2001:db8::/32", true },
		{ "2001:db8::1", "2001:db8::/32", true },
		{ "2001:db9::1", "2001:db8::/32", false },
		{ "fe80::1", "fe80::/10", true },
		{ "2001:db8:1::/48", "2001:db8::/32", true },
		{ "2001:db8::1", "::/0", true },
		{ "2001:db8::1", "10.0.0.0/8", false },
		{ "10.0.0.1", "::/0", false },
		{ "junk", "10.0.0.0/8", false },
		{ "10.0.0.1", "junk", false },
		{ "", "10.0.0.0/8", false },
		{ "10.0.0.1", "10.0.0.0/33", false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ok(gr_value_in(cases[i].have, cases[i].prefix) == cases[i].want,
		   "in: %s in %s is %s", cases[i].have, cases[i].prefix,
		   cases[i].want ? "yes" : "no");
	ok(!gr_value_in(NULL, "10.0.0.0/8"), "in: NULL");
}

static void test_rate_format(void)
{
	static const struct {
		uint64_t bps;
		const char *want;
	} cases[] = {
		{ 0, "0bps" }, { 999, "999bps" }, { 13200, "13.2kbps" },
		{ 4800000, "4.8Mbps" }, { 1200000000, "1.2Gbps" },
		{ 1000000, "1Mbps" }, { 999999, "999.9kbps" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct strbuf sb = STRBUF_INIT;

		gr_rate_format(cases[i].bps, &sb);
		is_str(sb_str(&sb), cases[i].want, "gr_rate_format");
		sb_free(&sb);
	}
}

int main(void)
{
	test_quote();
	test_duration();
	test_bool_int();
	test_words();
	test_ip();
	test_misc();
	test_num_eq();
	test_in();
	test_rate_format();
	return done_testing();
}
