/* print and export layouts (shell/render*.c) over small test menus. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../shell/render.h"
#include "tap.h"

static const struct gr_type t_str = { .name = "string", .kind = GK_STRING };
static const struct gr_type t_name = { .name = "name", .kind = GK_NAME };
static const struct gr_type t_bool = { .name = "bool", .kind = GK_BOOL };
static const struct gr_type t_int = { .name = "integer", .kind = GK_INT };
static const struct gr_type t_dur = { .name = "time", .kind = GK_DURATION };
static const struct gr_type t_dt = { .name = "date", .kind = GK_DATETIME };

/* A rule menu: flags in groups "XI;D", a comment, a hole, a counter. */
enum { R_DISABLED, R_INVALID, R_DYNAMIC, R_COMMENT, R_CHAIN, R_ACTION,
	R_SRC, R_DPORT, R_LOG_PREFIX, R_SECRET, R_HOLE, R_BYTES, R_PLACE, R__N };

static const struct gr_prop rule_props[R__N + 1] = {
	[R_DISABLED] = { "disabled", &t_bool, GP_FLAG, "no", 'X', "" },
	[R_INVALID] = { "invalid", &t_bool, GP_RO | GP_FLAG | GP_NOEXPORT, NULL, 'I', "" },
	[R_DYNAMIC] = { "dynamic", &t_bool, GP_RO | GP_FLAG | GP_NOEXPORT, NULL, 'D', "" },
	[R_COMMENT] = { "comment", &t_str, GP_TEXT, NULL, 0, "" },
	[R_CHAIN] = { "chain", &t_name, GP_REQ, NULL, 0, "" },
	[R_ACTION] = { "action", &t_name, 0, "accept", 0, "" },
	[R_SRC] = { "src-address", &t_name, GP_NEG, NULL, 0, "" },
	[R_DPORT] = { "dst-port", &t_int, 0, NULL, 0, "" },
	[R_LOG_PREFIX] = { "log-prefix", &t_str, GP_TEXT, "", 0, "" },
	[R_SECRET] = { "secret", &t_str, GP_HIDDEN, NULL, 0, "" },
	[R_BYTES] = { "bytes", &t_int, GP_RO | GP_STAT | GP_NOEXPORT, NULL, 0, "" },
	[R_PLACE] = { "place-before", &t_name, GP_ARG, NULL, 0, "" },
};

static const struct gr_menu rule_menu = {
	"/ip/firewall/filter", GM_LIST, GMI_FILTER, "rules",
	.props = rule_props, .nprops = R__N,
	.columns = "chain,action,src-address,dst-port,bytes",
	.flag_groups = "XI;D",
};

/* An address-list like menu: groups "X;D", a date-time column. */
enum { L_DISABLED, L_DYNAMIC, L_LIST, L_ADDRESS, L_CREATED, L_TIMEOUT,
	L_COMMENT, L__N };

static const struct gr_prop list_props[L__N + 1] = {
	[L_DISABLED] = { "disabled", &t_bool, GP_FLAG, "no", 'X', "" },
	[L_DYNAMIC] = { "dynamic", &t_bool, GP_FLAG | GP_NOEXPORT, "no", 'D', "" },
	[L_LIST] = { "list", &t_name, GP_REQ, NULL, 0, "" },
	[L_ADDRESS] = { "address", &t_name, GP_REQ, NULL, 0, "" },
	[L_CREATED] = { "creation-time", &t_dt, GP_RO | GP_NOEXPORT, NULL, 0, "" },
	[L_TIMEOUT] = { "timeout", &t_dur, GP_NOEXPORT, NULL, 0, "" },
	[L_COMMENT] = { "comment", &t_str, GP_TEXT, NULL, 0, "" },
};

static const struct gr_menu list_menu = {
	"/ip/firewall/address-list", GM_LIST, GMI_ADDRESS_LIST, "lists",
	.props = list_props, .nprops = L__N,
	.columns = "list,address,creation-time,timeout", .flag_groups = "X;D",
};

/* A settings menu. */
enum { S_ENABLED, S_SYN, S_UDP, S_MAX, S_TOTAL, S__N };

static const struct gr_prop set_props[S__N + 1] = {
	[S_ENABLED] = { "enabled", &t_name, 0, "auto", 0, "" },
	[S_SYN] = { "tcp-syn-sent-timeout", &t_dur, 0, "2m", 0, "" },
	[S_UDP] = { "udp-timeout", &t_dur, 0, "30s", 0, "" },
	[S_MAX] = { "max-neighbors", &t_int, 0, NULL, 0, "" },
	[S_TOTAL] = { "total-entries", &t_int, GP_RO | GP_NOEXPORT, NULL, 0, "" },
};

static const struct gr_menu set_menu = {
	"/ip/firewall/connection/tracking", GM_SINGLE, GMI_CONN_TRACKING, "s",
	.props = set_props, .nprops = S__N,
};

/*
 * An in-memory item. get() copies into one buffer per item, as a backend
 * formatting lazily may: the renderer must not hold two values at once.
 */
struct titem {
	struct bk_item it;
	const char *v[R__N];
	char buf[512];
};

static const char *tget(struct bk_item *it, unsigned prop)
{
	struct titem *t = (struct titem *)it;

	if (prop >= R__N || !t->v[prop])
		return NULL;
	snprintf(t->buf, sizeof(t->buf), "%s", t->v[prop]);
	return t->buf;
}

static void prep(struct titem *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		t[i].it.get = tget;
		if (!t[i].it.id[0])
			snprintf(t[i].it.id, sizeof(t[i].it.id), "*%zX", i + 1);
	}
}

static char *render(const struct gr_menu *m, enum out_mode mode,
		    const unsigned *props, size_t np, unsigned opts, int width,
		    struct titem *items, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct out_print *p = out_print_new(fp, m, mode, props, np, opts, width);

	prep(items, n);
	for (size_t i = 0; i < n; i++)
		out_print_item(p, (long)i, &items[i].it);
	out_print_end(p);
	fclose(fp);
	return buf;
}

static void check(char *got, const char *want, const char *name)
{
	is_str(got, want, name);
	free(got);
}

static char *export(const struct gr_menu *m, unsigned opts,
		    struct titem *items, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	prep(items, n);
	for (size_t i = 0; i < n; i++)
		out_export_item(fp, m, &items[i].it, opts);
	fclose(fp);
	return buf;
}

/* ---- table --------------------------------------------------------------- */

static void test_table_plain(void)
{
	struct titem it[2] = {
		{ .v = { [R_COMMENT] = "web servers", [R_CHAIN] = "input",
			 [R_ACTION] = "accept", [R_SRC] = "10.0.0.0/8",
			 [R_BYTES] = "1234" } },
		{ .v = { [R_CHAIN] = "forward", [R_ACTION] = "drop",
			 [R_DPORT] = "22", [R_BYTES] = "5" } },
	};
	check(render(&rule_menu, OM_TABLE, NULL, 0, 0, 80, it, 2),
	      "Columns: CHAIN, ACTION, SRC-ADDRESS, DST-PORT, BYTES\n"
	      "# CHAIN    ACTION  SRC-ADDRESS  DST-PORT  BYTES\n"
	      ";;; web servers\n"
	      "0 input    accept  10.0.0.0/8              1234\n"
	      "1 forward  drop                       22      5\n",
	      "table: no flags, comment line, widths, numbers right");
}

static void test_table_flags(void)
{
	struct titem it[3] = {
		{ .v = { [R_CHAIN] = "input", [R_ACTION] = "accept" } },
		{ .v = { [R_DISABLED] = "yes", [R_DYNAMIC] = "yes",
			 [R_CHAIN] = "forward", [R_ACTION] = "drop" } },
		{ .v = { [R_DYNAMIC] = "yes", [R_CHAIN] = "output" } },
	};
	check(render(&rule_menu, OM_TABLE, NULL, 0, 0, 80, it, 3),
	      "Flags: X - DISABLED; D - DYNAMIC\n"
	      "Columns: CHAIN, ACTION\n"
	      "#    CHAIN    ACTION\n"
	      "0    input    accept\n"
	      "1 XD forward  drop\n"
	      "2  D output\n",
	      "table: legend of present flags, empty columns left out");
	it[1].v[R_DYNAMIC] = NULL;
	it[2].v[R_DYNAMIC] = NULL;
	check(render(&rule_menu, OM_TABLE, NULL, 0, 0, 80, it, 3),
	      "Flags: X - DISABLED\n"
	      "Columns: CHAIN, ACTION\n"
	      "#   CHAIN    ACTION\n"
	      "0   input    accept\n"
	      "1 X forward  drop\n"
	      "2   output\n",
	      "table: one flag group present, one flag column");
	it[1].v[R_INVALID] = "yes";
	check(render(&rule_menu, OM_TABLE, NULL, 0, OO_NO_LEGEND, 80, it, 2),
	      "Columns: CHAIN, ACTION\n"
	      "#   CHAIN    ACTION\n"
	      "0   input    accept\n"
	      "1 X forward  drop\n",
	      "table: no legend; X before I in the same column");
}

static void test_table_list(void)
{
	struct titem it[2] = {
		{ .v = { [L_LIST] = "servers", [L_ADDRESS] = "203.0.113.10",
			 [L_CREATED] = "2025-03-01 10:00:00",
			 [L_COMMENT] = "web servers" } },
		{ .v = { [L_DYNAMIC] = "yes", [L_LIST] = "scan",
			 [L_ADDRESS] = "198.51.100.23",
			 [L_CREATED] = "2025-03-04 09:12:44",
			 [L_TIMEOUT] = "23h59m41s" } },
	};
	check(render(&list_menu, OM_TABLE, NULL, 0, 0, 80, it, 2),
	      "Flags: D - DYNAMIC\n"
	      "Columns: LIST, ADDRESS, CREATION-TIME, TIMEOUT\n"
	      "#   LIST     ADDRESS        CREATION-TIME        TIMEOUT\n"
	      ";;; web servers\n"
	      "0   servers  203.0.113.10   2025-03-01 10:00:00\n"
	      "1 D scan     198.51.100.23  2025-03-04 09:12:44  23h59m41s\n",
	      "table: the reference's address-list example");
	check(render(&list_menu, OM_TABLE, NULL, 0, 0, 80, it, 0),
	      "Columns: LIST, ADDRESS, CREATION-TIME, TIMEOUT\n",
	      "table: no rows prints the Columns: line only");
	static const unsigned pl[] = { L_ADDRESS, L_COMMENT, L_LIST };
	check(render(&list_menu, OM_TABLE, pl, 3, OO_SHOW_IDS, 80, it, 2),
	      "Flags: D - DYNAMIC\n"
	      "Columns: ADDRESS, LIST\n"
	      " #   ADDRESS        LIST\n"
	      ";;; web servers\n"
	      "*1   203.0.113.10   servers\n"
	      "*2 D 198.51.100.23  scan\n",
	      "table: proplist order, comment never a column, show-ids");
}

/* Rows after the probe stream with the probe's layout. */
static void test_table_probe(void)
{
	size_t n = OUT_TABLE_PROBE + 100;
	struct titem *it = calloc(n, sizeof(*it));

	for (size_t i = 0; i < n; i++) {
		it[i].v[R_CHAIN] = "input";
		it[i].v[R_ACTION] = "accept";
		it[i].v[R_BYTES] = "7";
	}
	it[3].v[R_COMMENT] = "early";
	it[n - 2].v[R_CHAIN] = "a-much-longer-chain";
	it[n - 2].v[R_DYNAMIC] = "yes";	/* group without a column */
	it[n - 2].v[R_DISABLED] = "yes";
	it[n - 2].v[R_BYTES] = "123456";
	it[n - 1].v[R_COMMENT] = "late";
	it[n - 1].v[R_DPORT] = "80";	/* column left out by the probe */
	it[10].v[R_DISABLED] = "yes";
	char *out = render(&rule_menu, OM_TABLE, NULL, 0, 0, 80, it, n);
	static const char head[] =
		"Flags: X - DISABLED\nColumns: CHAIN, ACTION, BYTES\n"
		"  #   CHAIN  ACTION  BYTES\n"
		"  0   input  accept      7\n";
	ok(strncmp(out, head, strlen(head)) == 0,
	   "probe: header from the first rows");
	ok(strstr(out, ";;; early\n  3   input  accept      7\n") != NULL,
	   "probe: buffered comment");
	ok(strstr(out, "\n 10 X input  accept      7\n") != NULL,
	   "probe: flag in a buffered row");
	ok(strstr(out, "\n610 X a-much-longer-chain  accept  123456\n") != NULL,
	   "probe: later wider value pushes the line, D has no column");
	ok(strstr(out, "\n;;; late\n611   input  accept      7\n") != NULL,
	   "probe: later comment; dropped column stays out");
	int lines = 0;
	for (char *s = out; *s; s++)
		lines += *s == '\n';
	is_int(lines, 3 + (int)n + 2, "probe: every row printed once");
	free(out);
	free(it);
}

/* ---- key=value, terse ---------------------------------------------------- */

static struct titem kv_items[4] = {
	{ .v = { [R_COMMENT] = "defconf: accept established",
		 [R_CHAIN] = "input", [R_ACTION] = "accept",
		 [R_SRC] = "10.0.0.0/8", [R_BYTES] = "1234" } },
	{ .v = { [R_DISABLED] = "yes", [R_CHAIN] = "forward",
		 [R_ACTION] = "drop", [R_DPORT] = "22", [R_LOG_PREFIX] = "",
		 [R_SECRET] = "hidden" } },
	{ .v = { [R_CHAIN] = "input", [R_ACTION] = "accept",
		 [R_SRC] = "192.168.100.0/24", [R_DPORT] = "8291",
		 [R_LOG_PREFIX] = "a long prefix" } },
	{ .v = { [R_INVALID] = "yes", [R_DYNAMIC] = "yes",
		 [R_COMMENT] = "x", [R_CHAIN] = "input",
		 [R_SRC] = "192.168.100.0/24", [R_DPORT] = "8291",
		 [R_LOG_PREFIX] = "abcdefgh" } },
};

static void test_kv(void)
{
	check(render(&rule_menu, OM_KV, NULL, 0, 0, 80, kv_items, 4),
	      "Flags: X - disabled, I - invalid; D - dynamic\n"
	      " 0    ;;; defconf: accept established\n"
	      "      chain=input action=accept src-address=10.0.0.0/8\n"
	      "\n"
	      " 1 X  chain=forward action=drop dst-port=22 log-prefix=\"\"\n"
	      "\n"
	      " 2    chain=input action=accept src-address=192.168.100.0/24 dst-port=8291\n"
	      "      log-prefix=\"a long prefix\"\n"
	      "\n"
	      " 3 ID ;;; x\n"
	      "      chain=input src-address=192.168.100.0/24 dst-port=8291 log-prefix=abcdefgh\n",
	      "kv: legend, comment, wrap at 80 (a line may be exactly 80)");
	check(render(&rule_menu, OM_KV, NULL, 0, 0, 80, kv_items, 0),
	      "Flags: X - disabled, I - invalid; D - dynamic\n",
	      "kv: no items prints the legend");
	check(render(&rule_menu, OM_KV, NULL, 0, OO_DETAIL | OO_NO_LEGEND, 40,
		     kv_items, 2),
	      " 0    ;;; defconf: accept established\n"
	      "      chain=input action=accept\n"
	      "      src-address=10.0.0.0/8 bytes=1234\n"
	      "\n"
	      " 1 X  chain=forward action=drop\n"
	      "      dst-port=22 log-prefix=\"\"\n",
	      "detail: read-only shown, width 40");
	kv_items[1].v[R_LOG_PREFIX] = "ssh";	/* its id is *2 from above */
	check(render(&rule_menu, OM_KV, NULL, 0, OO_DETAIL | OO_SHOW_IDS, 80,
		     kv_items + 1, 1),
	      "Flags: X - disabled, I - invalid; D - dynamic\n"
	      "*2 X  chain=forward action=drop dst-port=22 log-prefix=\"ssh\"\n",
	      "detail: text quoted always, show-ids");
	check(render(&rule_menu, OM_KV, NULL, 0, 0, 80, kv_items + 1, 1),
	      "Flags: X - disabled, I - invalid; D - dynamic\n"
	      " 0 X  chain=forward action=drop dst-port=22 log-prefix=ssh\n",
	      "kv: text quoted only when needed");
	kv_items[1].v[R_LOG_PREFIX] = "";
	struct titem one[1] = { { .v = { [R_CHAIN] = "input" } } };
	check(render(&rule_menu, OM_KV, NULL, 0, OO_NO_LEGEND, 80, one, 1),
	      " 0    chain=input\n", "kv: lone item, no trailing spaces");
	one[0].v[R_COMMENT] = "c";
	/* item numbers of 3 digits move the properties right */
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct out_print *p;

	p = out_print_new(fp, &rule_menu, OM_KV, NULL, 0, OO_NO_LEGEND, 80);
	out_print_item(p, 123, &one[0].it);
	out_print_end(p);
	fclose(fp);
	check(buf, "123    ;;; c\n       chain=input\n", "kv: wide number");
}

static void test_terse(void)
{
	check(render(&rule_menu, OM_TERSE, NULL, 0, 0, 80, kv_items, 2),
	      " 0    comment=\"defconf: accept established\" chain=input "
	      "action=accept src-address=10.0.0.0/8 bytes=1234\n"
	      " 1 X  chain=forward action=drop dst-port=22 log-prefix=\"\"\n",
	      "terse: one line, comment as a property, no legend");
	struct titem it[1] = {
		{ .v = { [L_DYNAMIC] = "yes", [L_LIST] = "scan",
			 [L_ADDRESS] = "198.51.100.23",
			 [L_CREATED] = "2025-03-04 09:12:44",
			 [L_TIMEOUT] = "23h59m41s" } },
	};
	check(render(&list_menu, OM_TERSE, NULL, 0, OO_SHOW_IDS, 80, it, 1),
	      "*1  D list=scan address=198.51.100.23 "
	      "creation-time=2025-03-04 09:12:44 timeout=23h59m41s\n",
	      "terse: date-time bare, show-ids");
}

/* ---- value-list, settings, as-value -------------------------------------- */

static void test_colons(void)
{
	struct titem it[2] = {
		{ .v = { [L_LIST] = "servers", [L_ADDRESS] = "203.0.113.10",
			 [L_CREATED] = "2025-03-01 10:00:00",
			 [L_COMMENT] = "web servers" } },
		{ .v = { [L_DISABLED] = "yes", [L_LIST] = "a",
			 [L_ADDRESS] = "10.0.0.1" } },
	};
	check(render(&list_menu, OM_VALUE_LIST, NULL, 0, 0, 80, it, 2),
	      "           list: servers\n"
	      "        address: 203.0.113.10\n"
	      "  creation-time: 2025-03-01 10:00:00\n"
	      "        comment: web servers\n"
	      "\n"
	      "     list: a\n"
	      "  address: 10.0.0.1\n",
	      "value-list: keys right-aligned per item, blank line between");
	struct titem s[1] = {
		{ .v = { [S_ENABLED] = "auto", [S_SYN] = "2m", [S_UDP] = "10s",
			 [S_MAX] = "16384", [S_TOTAL] = "42" } },
	};
	check(render(&set_menu, OM_SETTINGS, NULL, 0, 0, 80, s, 1),
	      "               enabled: auto\n"
	      "  tcp-syn-sent-timeout: 2m\n"
	      "           udp-timeout: 10s\n"
	      "         max-neighbors: 16384\n"
	      "         total-entries: 42\n",
	      "settings: colons aligned, longest key indented 2");
	static const unsigned pl[] = { S_UDP, S_ENABLED };
	check(render(&set_menu, OM_SETTINGS, pl, 2, 0, 80, s, 1),
	      "  udp-timeout: 10s\n"
	      "      enabled: auto\n",
	      "settings: proplist");
}

static void test_as_value(void)
{
	check(render(&rule_menu, OM_AS_VALUE, NULL, 0, 0, 80, kv_items, 2),
	      ".id=*1;comment=defconf: accept established;chain=input;"
	      "action=accept;src-address=10.0.0.0/8;bytes=1234\n"
	      ".id=*2;chain=forward;action=drop;dst-port=22;log-prefix=;"
	      "secret=hidden\n",
	      "as-value: raw values, hidden ones too, no trailing ';'");
}

/* ---- JSON ------------------------------------------------------------------ */

static void test_json(void)
{
	struct titem it[2] = {
		{ .v = { [R_DISABLED] = "yes",
			 [R_COMMENT] = "a \"q\" \\ \n\t\x01 \xc3\xa9",
			 [R_CHAIN] = "input", [R_DPORT] = "22",
			 [R_BYTES] = "18446744073709551615" } },
		{ .v = { [R_CHAIN] = "x", [R_DPORT] = "1-2", [R_BYTES] = "012",
			 [R_SRC] = "-5" } },
	};
	check(render(&rule_menu, OM_JSON, NULL, 0, 0, 80, it, 2),
	      "[{\".id\":\"*1\",\"disabled\":true,\"invalid\":false,"
	      "\"dynamic\":false,\"comment\":\"a \\\"q\\\" \\\\ \\n\\t\\u0001 "
	      "\xc3\xa9\",\"chain\":\"input\",\"dst-port\":22,"
	      "\"bytes\":18446744073709551615},"
	      "{\".id\":\"*2\",\"disabled\":false,\"invalid\":false,"
	      "\"dynamic\":false,\"chain\":\"x\",\"src-address\":\"-5\","
	      "\"dst-port\":\"1-2\",\"bytes\":\"012\"}]\n",
	      "json: flags booleans, numbers, escapes, table order");
	check(render(&rule_menu, OM_JSON, NULL, 0, 0, 80, it, 0), "[]\n",
	      "json: empty array");
	static const unsigned pl[] = { R_BYTES, R_DYNAMIC };
	check(render(&rule_menu, OM_JSON, pl, 2, OO_SHOW_IDS, 80, it, 1),
	      "[{\".id\":\"*1\",\"bytes\":18446744073709551615,"
	      "\"dynamic\":false}]\n",
	      "json: proplist order after .id");
}

/* ---- export -------------------------------------------------------------- */

#ifndef ROSH_VERSION
#define ROSH_VERSION "0.1.0"
#endif

static struct titem x_items[5] = {
	{ .v = { [R_COMMENT] = "defconf: drop invalid", [R_CHAIN] = "input",
		 [R_ACTION] = "drop", [R_LOG_PREFIX] = "", [R_BYTES] = "5",
		 [R_PLACE] = "*3" } },
	{ .v = { [R_DISABLED] = "yes", [R_INVALID] = "yes",
		 [R_CHAIN] = "forward", [R_ACTION] = "accept",
		 [R_DPORT] = "22" } },
	{ .v = { [R_DYNAMIC] = "yes", [R_CHAIN] = "input" } },
	{ .v = { [R_COMMENT] = "defconf: accept established,related,untracked",
		 [R_CHAIN] = "input", [R_ACTION] = "accept",
		 [R_SRC] = "established,related,untracked" } },
	{ .v = { [R_COMMENT] = "0123456789012345678901234567890123456789"
			       "0123456789012345678901234567890123456789 x",
		 [R_CHAIN] = "input", [R_ACTION] = "accept",
		 [R_DPORT] = "22" } },
};

static void test_export_lines(void)
{
	check(export(&rule_menu, 0, x_items, 5),
	      "add action=drop chain=input comment=\"defconf: drop invalid\" "
	      "log-prefix=\"\"\n"
	      "add action=accept chain=forward disabled=yes dst-port=22\n"
	      "add action=accept chain=input \\\n"
	      "    comment=\"defconf: accept established,related,untracked\" \\\n"
	      "    src-address=established,related,untracked\n"
	      "add action=accept chain=input comment=\\\n"
	      "    \"0123456789012345678901234567890123456789"
	      "0123456789012345678901234567890123456789 x\" \\\n"
	      "    dst-port=22\n",
	      "export: sorted, quoted when needed, wrapped, dynamic skipped");
	check(export(&rule_menu, OX_VERBOSE, x_items, 2),
	      "add action=drop chain=input comment=\"defconf: drop invalid\" "
	      "disabled=no \\\n    log-prefix=\"\"\n"
	      "add action=accept chain=forward disabled=yes dst-port=22 "
	      "log-prefix=\"\"\n",
	      "export verbose: disabled=no and defaults");
	check(export(&rule_menu, OX_TERSE, x_items + 3, 1),
	      "/ip firewall filter add action=accept chain=input comment="
	      "\"defconf: accept established,related,untracked\" "
	      "src-address=established,related,untracked\n",
	      "export terse: full path, no wrapping");
	struct titem bare[1] = { { .v = { [R_CHAIN] = "x" } } };
	check(export(&list_menu, 0, bare, 0), "", "export: nothing");
	struct titem dyn[1] = { { .v = { [L_DYNAMIC] = "yes", [L_LIST] = "a",
					 [L_ADDRESS] = "1.2.3.4" } } };
	check(export(&list_menu, 0, dyn, 1), "", "export: dynamic entry skipped");
	dyn[0].v[L_DYNAMIC] = NULL;
	dyn[0].v[L_TIMEOUT] = "1d";
	dyn[0].v[L_CREATED] = "2025-03-04 09:12:44";
	check(export(&list_menu, 0, dyn, 1), "add address=1.2.3.4 list=a\n",
	      "export: read-only and noexport left out");
}

static void test_export_settings(void)
{
	struct titem s[1] = {
		{ .v = { [S_ENABLED] = "auto", [S_SYN] = "2m", [S_UDP] = "10s",
			 [S_MAX] = "16384", [S_TOTAL] = "42" } },
	};
	check(export(&set_menu, 0, s, 1), "set udp-timeout=10s\n",
	      "export settings: what differs from the default");
	check(export(&set_menu, OX_VERBOSE | OX_TERSE, s, 1),
	      "/ip firewall connection tracking set enabled=auto "
	      "max-neighbors=16384 tcp-syn-sent-timeout=2m udp-timeout=10s\n",
	      "export settings verbose terse");
	s[0].v[S_UDP] = "30s";
	check(export(&set_menu, 0, s, 1), "", "export settings: all default");
	s[0].v[S_ENABLED] = NULL;
	check(export(&set_menu, OX_VERBOSE, s, 1),
	      "set enabled=auto max-neighbors=16384 tcp-syn-sent-timeout=2m "
	      "udp-timeout=30s\n",
	      "export settings verbose: an unset one uses its default");
}

static void test_export_header(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	int y, mo, d, h, mi, sec, n = 0;
	char tail[64] = "";

	out_export_header(fp);
	out_export_menu(fp, &rule_menu);
	out_export_menu(fp, &set_menu);
	fclose(fp);
	ok(sscanf(buf, "# %4d-%2d-%2d %2d:%2d:%2d by rosh %63s\n%n", &y, &mo,
		  &d, &h, &mi, &sec, tail, &n) == 7 && buf[12] == ' ' && buf[21] == ' ',
	   "export header date");
	is_str(tail, ROSH_VERSION, "export header version");
	is_str(strchr(buf, '\n') + 1,
	       "/ip firewall filter\n/ip firewall connection tracking\n",
	       "export section headers");
	free(buf);
}

static void test_export(void)
{
	test_export_lines();
	test_export_settings();
	test_export_header();
}

int main(void)
{
	test_table_plain();
	test_table_flags();
	test_table_list();
	test_table_probe();
	test_kv();
	test_terse();
	test_colons();
	test_as_value();
	test_json();
	test_export();
	return done_testing();
}
