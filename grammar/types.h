/*
 * Value types of the console language. Every stored or printed value is kept
 * in its *canonical display text* (what RouterOS prints: "1d2h", "10.0.0.0/8",
 * "established,related"); a type turns user input into that text, and knows
 * how to order, compare and contain values of its kind for `where`.
 * No I/O here.
 */
#ifndef ROSH_TYPES_H
#define ROSH_TYPES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

enum gr_kind {
	GK_STRING,	/* free text, anything */
	GK_NAME,	/* a name: chain, list, interface, mark; non-empty */
	GK_BOOL,	/* yes/no (input also true/false) */
	GK_INT,		/* decimal integer in [min,max] */
	GK_INT_RANGE,	/* N or A-B, both in [min,max]: packet-size, to-ports */
	GK_DURATION,	/* "1d2h3m", "00:10:00", bare number = seconds */
	GK_IP4,		/* dotted quad; short forms 10.1 -> 10.0.0.1 */
	GK_IP6,
	GK_IP4_PREFIX,	/* a.b.c.d/len or /mask; host bits zeroed; /32 kept */
	GK_IP4_NET,	/* address, prefix or range a-b (firewall matchers);
			 * a /32 prints as the bare address; a range that is
			 * exactly one prefix stays a range as entered */
	GK_IP6_NET,	/* IPv6 address or prefix */
	GK_IP4_RANGE,	/* address or range a-b (nat to-addresses) */
	GK_ADDR_PORT,	/* ip or ip:port, IPv6 as [ip]:port (conntrack) */
	GK_PORTS,	/* 22,80,8000-8100 within [0,65535] */
	GK_ENUM,	/* one of syms, unique prefix accepted */
	GK_ENUM_LIST,	/* comma list of syms; prefixes accepted; duplicates
			 * rejected; with elem_neg each element may be !x */
	GK_ID,		/* *1A (upper-case hex) */
	GK_MAC,		/* AA:BB:CC:DD:EE:FF, printed upper-case */
	GK_DATETIME,	/* read-only display "2025-03-04 09:12:44" */
	GK_RATE,	/* read-only display "0bps", "13.2kbps"; input 100k */
	GK_HEX,		/* 0x1818 */
	GK_CUSTOM,	/* t->parse does the work */
};

/* Why a parse failed; the caller words the message with the property name. */
enum gr_perr {
	GR_PE_OK = 0,
	GR_PE_NOMATCH,	/* "input does not match any value of <prop>" */
	GR_PE_AMBIG,	/* "ambiguous value of <prop>, more than one possible value matches input" */
	GR_PE_INVALID,	/* "invalid value for argument <prop>" */
};

struct gr_type;
typedef enum gr_perr (*gr_parse_fn)(const struct gr_type *t, const char *in,
				    struct strbuf *out);

struct gr_type {
	const char *name;		/* shown by '?' and in docs */
	enum gr_kind kind;
	const char *const *syms;	/* GK_ENUM/GK_ENUM_LIST, NULL-terminated */
	int64_t min, max;		/* GK_INT, GK_INT_RANGE, GK_PORTS;
					 * max > 0 also caps a GK_DURATION (ms)
					 * and the length of a GK_STRING */
	gr_parse_fn parse;		/* GK_CUSTOM; also extra alternatives
					 * for other kinds are not supported */
	unsigned elem_neg : 1;		/* the value's own syntax may hold a
					 * '!' (list elements, tcp-flags), so
					 * a '!' on a property that cannot be
					 * negated as a whole is not refused */
	unsigned num_alias : 1;		/* a name that may also be written as
					 * its number: a mark nobody named
					 * prints as 0x7, and 7 or 0x07 equal
					 * it (gr_value_eq) */
	unsigned empty_none : 1;	/* name="" means "none" (exports write
					 * include="" exclude=""): on set it
					 * unsets, on add it is the default.
					 * Without it an empty value of any
					 * type but free text is refused */
	const char *const *alt;		/* extra words accepted verbatim before
					 * the kind's own syntax ("none-dynamic"
					 * for a duration), NULL-terminated */
};

/*
 * Parse user text `in` (already unquoted, escapes resolved, the whole-value
 * '!' of a negatable property already stripped by the caller) into the
 * canonical display text appended to `out`. Returns GR_PE_OK or a reason.
 */
enum gr_perr gr_value_parse(const struct gr_type *t, const char *in,
			    struct strbuf *out);

/*
 * A number that orders values of this type, for where <, >, <=, >=:
 * integers, durations (milliseconds), rates (bits/s), IPv4 addresses (the
 * address part of ip, ip:port or prefix), datetimes (seconds since epoch).
 * Returns false when `canon` cannot be read so (then the comparison is false).
 */
bool gr_value_num(const struct gr_type *t, const char *canon, double *out);

/*
 * where prop=value: `want` is the constant after gr_value_parse when that
 * succeeded, else the raw text. RouterOS compares displayed text, so this is
 * exact equality of canonical forms; a function so a type can refine it.
 */
bool gr_value_eq(const struct gr_type *t, const char *have, const char *want);

/*
 * where prop in PREFIX: is the address in `have` (ip, ip:port, [ip6]:port,
 * prefix or range) inside `prefix` (a.b.c.d/len, bare address = /32, or IPv6)?
 */
bool gr_value_in(const char *have, const char *prefix);

/* Durations, in milliseconds. RouterOS display: "1w2d3h4m5s", "500ms", "0s". */
bool gr_duration_parse(const char *s, uint64_t *ms);
void gr_duration_format(uint64_t ms, struct strbuf *out);

/* Rates in bits per second: "0bps", "13.2kbps", "4.8Mbps", "1.2Gbps". */
void gr_rate_format(uint64_t bps, struct strbuf *out);

/*
 * Append `s` as a console word: bare when it is made only of characters that
 * are safe unquoted ([A-Za-z0-9._-/:,!*@+] and it is non-empty), otherwise
 * quoted with RouterOS escapes (\" \\ \$ \n \r \t, \XX for other control
 * bytes). force=true always quotes (detail print of text properties).
 */
void gr_quote(struct strbuf *out, const char *s, bool force);

/* Ready-made types shared by several menus (defined in types_common.c). */
extern const struct gr_type gr_t_string, gr_t_name, gr_t_bool, gr_t_duration,
	gr_t_u32, gr_t_u64, gr_t_ip4, gr_t_ip4_prefix, gr_t_ip4_net,
	gr_t_ip6_net, gr_t_ip4_range, gr_t_addr_port, gr_t_ports, gr_t_id,
	gr_t_mac, gr_t_datetime, gr_t_rate, gr_t_port_range, gr_t_protocol,
	gr_t_hex;

/*
 * Defined in types.c: a comma list of names where "" is the empty list
 * (/interface list include, exclude), and RouterOS's longest time of an
 * address-list entry, 35w3d13h13m56s (2^31 - 1 hundredths of a second).
 */
extern const struct gr_type gr_t_name_list, gr_t_al_timeout, gr_t_mark;
#define GR_MAX_TIMEOUT_MS 21474836000LL

/*
 * Firewall matcher syntaxes (types_fw.c), canonical text as RouterOS prints:
 *  tcp-flags        syn,!ack           (list of fin syn rst psh ack urg ece cwr, each may be !x)
 *  icmp-options     8:0, 3, 3:0-255    (type[:code[-code]], 0..255)
 *  limit            50/5s,2:packet     (rate[/time],burst[:packet|bit]; /1s dropped when 1s)
 *  dst-limit        10/1m,5,src-address/1m   (rate[/time],burst,mode[/expire])
 *  connection-limit 100,32             (count,netmask)
 *  nth              2,1                (every,packet)
 *  random           1..99
 *  ttl              equal:5  (equal|not-equal|less-than|greater-than):0..255
 *  ipsec-policy     in,ipsec | in,none | out,ipsec | out,none
 *  time             8h-17h,mon,tue
 *  psd              21,3s,3,1
 *  per-connection-classifier  both-addresses:3/0
 *  address-list-timeout  duration (<= 35w3d13h13m56s) | none-dynamic | none-static
 *  log-prefix       text of at most 31 characters
 *  tos              16, 16/252         (value[/mask], 0..255)
 *  connection-bytes 2000000-0 ; connection-rate 0-100k
 *  packet-size, tcp-mss  N or A-B in 0..65535
 */
extern const struct gr_type gr_t_tcp_flags, gr_t_icmp_options, gr_t_limit,
	gr_t_dst_limit, gr_t_conn_limit, gr_t_nth, gr_t_random, gr_t_ttl,
	gr_t_ipsec_policy, gr_t_time, gr_t_psd, gr_t_pcc,
	gr_t_addrlist_timeout, gr_t_conn_bytes, gr_t_conn_rate,
	gr_t_packet_size, gr_t_tcp_mss, gr_t_log_prefix, gr_t_tos;

#endif
