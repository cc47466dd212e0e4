/* Unit tests: firewall matcher value types (types_fw.c). TAP output. */
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

static void test_tcp_flags(void)
{
	const struct gr_type *t = &gr_t_tcp_flags;

	good(t, "syn", "syn");
	good(t, "!syn", "!syn");
	good(t, "syn,!ack", "syn,!ack");
	good(t, "ack,syn", "syn,ack");
	good(t, "!ack,fin", "fin,!ack");
	good(t, "fin,!syn,!rst,!psh,!ack,!urg", "fin,!syn,!rst,!psh,!ack,!urg");
	good(t, "fin,psh,urg,!syn,!rst,!ack", "fin,psh,urg,!syn,!rst,!ack");
	good(t, "!fin,!syn,!rst,!ack", "!fin,!syn,!rst,!ack");
	good(t, "fin,syn,rst,psh,ack,urg", "fin,syn,rst,psh,ack,urg");
	good(t, "sy", "syn");
	good(t, "cwr,ece", "ece,cwr");
	good(t, "!a,s", "syn,!ack");
	bad(t, "syn,syn", GR_PE_INVALID);
	bad(t, "syn,!syn", GR_PE_INVALID);
	bad(t, "foo", GR_PE_NOMATCH);
	bad(t, "SYN", GR_PE_NOMATCH);
	bad(t, "syn,!foo", GR_PE_NOMATCH);
	bad(t, "!", GR_PE_INVALID);
	bad(t, "syn,", GR_PE_INVALID);
	bad(t, "", GR_PE_INVALID);
	bad(t, "fin,syn,rst,psh,ack,urg,ece,cwr,fin", GR_PE_INVALID);
}

static void test_icmp_options(void)
{
	const struct gr_type *t = &gr_t_icmp_options;

	good(t, "8:0", "8:0");
	good(t, "3", "3");
	good(t, "3:0-255", "3:0-255");
	good(t, "11:0-255", "11:0-255");
	good(t, "136:0", "136:0");
	good(t, "08:00", "8:0");
	bad(t, "256", GR_PE_INVALID);
	bad(t, "3:256", GR_PE_INVALID);
	bad(t, "3:10-5", GR_PE_INVALID);
	bad(t, "3:", GR_PE_INVALID);
	bad(t, ":3", GR_PE_INVALID);
	bad(t, "3:1:2", GR_PE_INVALID);
	bad(t, "3:0-", GR_PE_INVALID);
	bad(t, "3:0-1-2", GR_PE_INVALID);
	bad(t, "echo", GR_PE_INVALID);
	bad(t, "", GR_PE_INVALID);
}

static void test_limits(void)
{
	const struct gr_type *l = &gr_t_limit, *d = &gr_t_dst_limit;

	good(l, "50/5s,2:packet", "50/5s,2:packet");
	good(l, "50/1s,5:packet", "50,5:packet");
	good(l, "50,5:packet", "50,5:packet");
	good(l, "50,5", "50,5:packet");
	good(l, "30/1m,0", "30/1m,0:packet");
	good(l, "1,5:bit", "1,5:bit");
	good(l, "10,20:p", "10,20:packet");
	good(l, "1k,5", "1000,5:packet");
	good(l, "5/00:01:00,5", "5/1m,5:packet");
	good(l, "5/60,5", "5/1m,5:packet");
	bad(l, "0,5", GR_PE_INVALID);
	bad(l, "50", GR_PE_INVALID);
	bad(l, "50/0s,5", GR_PE_INVALID);
	bad(l, "50/5x,5", GR_PE_INVALID);
	bad(l, "50/5s/1s,5", GR_PE_INVALID);
	bad(l, "50,5:foo", GR_PE_NOMATCH);
	bad(l, "50,5:packet,1", GR_PE_INVALID);
	bad(l, "50,5:packet:bit", GR_PE_INVALID);
	bad(l, "50,5:", GR_PE_INVALID);
	bad(l, "a,5", GR_PE_INVALID);
	bad(l, "50,-1", GR_PE_INVALID);
	bad(l, "", GR_PE_INVALID);

	good(d, "10/1m,5,src-address/1m", "10/1m,5,src-address/1m");
	good(d, "1/1m,9,dst-address/1m", "1/1m,9,dst-address/1m");
	good(d, "5,10,src-address/1m40s", "5,10,src-address/1m40s");
	good(d, "32,32,src-and-dst-addresses/10s",
	     "32,32,src-and-dst-addresses/10s");
	good(d, "32/1s,32,src-and-dst-addresses/10s",
	     "32,32,src-and-dst-addresses/10s");
	good(d, "5,10,dst-address", "5,10,dst-address");
	good(d, "5,10,dst-address-and", "5,10,dst-address-and-port");
	good(d, "5,10,addr", "5,10,addresses-and-dst-port");
	good(d, "5,10,dst-address/100", "5,10,dst-address/1m40s");
	bad(d, "5,10,dst", GR_PE_AMBIG);
	bad(d, "5,10,foo", GR_PE_NOMATCH);
	bad(d, "5,10", GR_PE_INVALID);
	bad(d, "5,10,src-address/x", GR_PE_INVALID);
	bad(d, "5,10,src-address,1", GR_PE_INVALID);
	bad(d, "0,10,src-address", GR_PE_INVALID);
}

static void test_small(void)
{
	good(&gr_t_conn_limit, "100,32", "100,32");
	good(&gr_t_conn_limit, "100", "100,32");
	good(&gr_t_conn_limit, "30,24", "30,24");
	good(&gr_t_conn_limit, "10,64", "10,64");
	bad(&gr_t_conn_limit, "100,129", GR_PE_INVALID);
	bad(&gr_t_conn_limit, "a,32", GR_PE_INVALID);
	bad(&gr_t_conn_limit, "100,32,1", GR_PE_INVALID);
	bad(&gr_t_conn_limit, ",32", GR_PE_INVALID);

	good(&gr_t_nth, "2,1", "2,1");
	good(&gr_t_nth, "2", "2,1");
	good(&gr_t_nth, "3,3", "3,3");
	bad(&gr_t_nth, "2,3", GR_PE_INVALID);
	bad(&gr_t_nth, "0,1", GR_PE_INVALID);
	bad(&gr_t_nth, "2,0", GR_PE_INVALID);
	bad(&gr_t_nth, "x", GR_PE_INVALID);

	good(&gr_t_random, "1", "1");
	good(&gr_t_random, "99", "99");
	bad(&gr_t_random, "0", GR_PE_INVALID);
	bad(&gr_t_random, "100", GR_PE_INVALID);
	bad(&gr_t_random, "abc", GR_PE_INVALID);

	good(&gr_t_ttl, "equal:5", "equal:5");
	good(&gr_t_ttl, "not-equal:64", "not-equal:64");
	good(&gr_t_ttl, "less-than:0", "less-than:0");
	good(&gr_t_ttl, "greater-than:255", "greater-than:255");
	good(&gr_t_ttl, "eq:5", "equal:5");
	good(&gr_t_ttl, "l:1", "less-than:1");
	bad(&gr_t_ttl, "equal:256", GR_PE_INVALID);
	bad(&gr_t_ttl, "foo:1", GR_PE_NOMATCH);
	bad(&gr_t_ttl, "equal", GR_PE_INVALID);
	bad(&gr_t_ttl, "5", GR_PE_INVALID);
	bad(&gr_t_ttl, ":5", GR_PE_INVALID);

	good(&gr_t_ipsec_policy, "in,ipsec", "in,ipsec");
	good(&gr_t_ipsec_policy, "out,none", "out,none");
	good(&gr_t_ipsec_policy, "i,n", "in,none");
	bad(&gr_t_ipsec_policy, "in", GR_PE_INVALID);
	bad(&gr_t_ipsec_policy, "up,ipsec", GR_PE_NOMATCH);
	bad(&gr_t_ipsec_policy, "in,foo", GR_PE_NOMATCH);
	bad(&gr_t_ipsec_policy, "in,ipsec,x", GR_PE_INVALID);
	bad(&gr_t_ipsec_policy, "in,", GR_PE_INVALID);
	bad(&gr_t_ipsec_policy, ",ipsec", GR_PE_INVALID);

	good(&gr_t_psd, "21,3s,3,1", "21,3s,3,1");
	good(&gr_t_psd, "21,5m,3,1", "21,5m,3,1");
	good(&gr_t_psd, "9,3,3,2", "9,3s,3,2");
	bad(&gr_t_psd, "21,3s,3", GR_PE_INVALID);
	bad(&gr_t_psd, "21,x,3,1", GR_PE_INVALID);
	bad(&gr_t_psd, "21,3s,3,1,1", GR_PE_INVALID);

	good(&gr_t_pcc, "both-addresses:3/0", "both-addresses:3/0");
	good(&gr_t_pcc, "both-addresses-and-ports:2/1",
	     "both-addresses-and-ports:2/1");
	good(&gr_t_pcc, "both-addresses-and-ports:2/2",
	     "both-addresses-and-ports:2/2");
	good(&gr_t_pcc, "src-address:6/5", "src-address:6/5");
	good(&gr_t_pcc, "src-address-a:6/5", "src-address-and-port:6/5");
	bad(&gr_t_pcc, "both:2/0", GR_PE_AMBIG);
	bad(&gr_t_pcc, "foo:2/0", GR_PE_NOMATCH);
	bad(&gr_t_pcc, "both-addresses:0/0", GR_PE_INVALID);
	bad(&gr_t_pcc, "both-addresses:3", GR_PE_INVALID);
	bad(&gr_t_pcc, "both-addresses", GR_PE_INVALID);
	bad(&gr_t_pcc, "both-addresses:3/0/1", GR_PE_INVALID);
}

static void test_time(void)
{
	const struct gr_type *t = &gr_t_time;

	good(t, "8h-17h,mon,tue", "8h-17h,mon,tue");
	good(t, "7h-21h,sun,mon,tue,wed,thu,fri,sat",
	     "7h-21h,sun,mon,tue,wed,thu,fri,sat");
	good(t, "08:00:00-17:00:00,tue,mon", "8h-17h,mon,tue");
	good(t, "0s-1d", "0s-1d");
	good(t, "8h-17h", "8h-17h");
	good(t, "22h-6h,fri", "22h-6h,fri");
	good(t, "8h30m-17h,sat", "8h30m-17h,sat");
	good(t, "8h-17h,m", "8h-17h,mon");
	bad(t, "8h-17h,t", GR_PE_AMBIG);
	bad(t, "8h-17h,foo", GR_PE_NOMATCH);
	bad(t, "8h-17h,mon,mon", GR_PE_INVALID);
	bad(t, "8h-25h", GR_PE_INVALID);
	bad(t, "8h", GR_PE_INVALID);
	bad(t, "8h-17h,", GR_PE_INVALID);
	bad(t, "8h-17h,,mon", GR_PE_INVALID);
	bad(t, "8h-17h-18h", GR_PE_INVALID);
	bad(t, "", GR_PE_INVALID);
}

static void test_conn(void)
{
	double d = -1;

	good(&gr_t_conn_bytes, "2000000-0", "2000000-0");
	good(&gr_t_conn_bytes, "0-1000", "0-1000");
	good(&gr_t_conn_bytes, "007-0", "7-0");
	bad(&gr_t_conn_bytes, "100-50", GR_PE_INVALID);
	bad(&gr_t_conn_bytes, "100", GR_PE_INVALID);
	bad(&gr_t_conn_bytes, "a-0", GR_PE_INVALID);
	bad(&gr_t_conn_bytes, "1-2-3", GR_PE_INVALID);

	good(&gr_t_conn_rate, "0-100k", "0-100k");
	good(&gr_t_conn_rate, "0-100000", "0-100k");
	good(&gr_t_conn_rate, "1M-2000k", "1M-2M");
	good(&gr_t_conn_rate, "1500-2500", "1500-2500");
	good(&gr_t_conn_rate, "1G-4G", "1G-4G");
	bad(&gr_t_conn_rate, "10k-5k", GR_PE_INVALID);
	bad(&gr_t_conn_rate, "0-", GR_PE_INVALID);
	bad(&gr_t_conn_rate, "1.5k-2k", GR_PE_INVALID);
	bad(&gr_t_conn_rate, "100k", GR_PE_INVALID);

	good(&gr_t_addrlist_timeout, "none-dynamic", "none-dynamic");
	good(&gr_t_addrlist_timeout, "none-static", "none-static");
	good(&gr_t_addrlist_timeout, "1d", "1d");
	good(&gr_t_addrlist_timeout, "7d", "1w");
	good(&gr_t_addrlist_timeout, "35w3d13h13m56s", "35w3d13h13m56s");
	good(&gr_t_addrlist_timeout, "0s", "0s");
	bad(&gr_t_addrlist_timeout, "none", GR_PE_INVALID);
	bad(&gr_t_addrlist_timeout, "forever", GR_PE_INVALID);
	ok(gr_value_num(&gr_t_addrlist_timeout, "1h", &d) && d == 3600000,
	   "addrlist timeout: 1h is 3600000 ms");
	ok(!gr_value_num(&gr_t_addrlist_timeout, "none-dynamic", &d),
	   "addrlist timeout: none-dynamic has no number");

	good(&gr_t_packet_size, "64-1500", "64-1500");
	good(&gr_t_packet_size, "100", "100");
	bad(&gr_t_packet_size, "1500-64", GR_PE_INVALID);
	bad(&gr_t_packet_size, "70000", GR_PE_INVALID);
	ok(gr_value_num(&gr_t_packet_size, "64-1500", &d) && d == 64,
	   "packet-size: number is the low end");
	good(&gr_t_tcp_mss, "1361-65535", "1361-65535");
	good(&gr_t_tcp_mss, "1453-65535", "1453-65535");
	bad(&gr_t_tcp_mss, "0-65536", GR_PE_INVALID);
}

int main(void)
{
	test_tcp_flags();
	test_icmp_options();
	test_limits();
	test_small();
	test_time();
	test_conn();
	return done_testing();
}
