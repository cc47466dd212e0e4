/*
 * Single-item settings menus: connection tracking and /ip settings.
 * Defaults (`def`) are what a fresh Linux network namespace has, not
 * RouterOS's: `export` then lists exactly what differs from an untouched
 * kernel, and re-importing it reproduces the state.
 */
#include "menus.h"
#include "schema.h"

static const char *const trk_enabled_syms[] = { "yes", "no", "auto", NULL };
static const struct gr_type t_trk_enabled = {
	.name = "enabled", .kind = GK_ENUM, .syms = trk_enabled_syms
};

#define TRK_TIME(idx, nm, def, hlp) [idx] = { nm, &gr_t_duration, 0, def, 0, hlp }

const struct gr_prop gr_tracking_props[TRK__COUNT + 1] = {
	[TRK_ENABLED] = { "enabled", &t_trk_enabled, 0, "auto", 0,
		"yes: always track; no: never; auto: when rules need it" },
	[TRK_ACTIVE_IPV4] = { "active-ipv4", &gr_t_bool, GP_RO | GP_NOEXPORT, NULL, 0,
		"Whether IPv4 connections are being tracked" },
	[TRK_ACTIVE_IPV6] = { "active-ipv6", &gr_t_bool, GP_RO | GP_NOEXPORT, NULL, 0,
		"Whether IPv6 connections are being tracked" },
	TRK_TIME(TRK_TCP_SYN_SENT_TIMEOUT, "tcp-syn-sent-timeout", "2m", "TCP SYN sent, no answer yet"),
	TRK_TIME(TRK_TCP_SYN_RECEIVED_TIMEOUT, "tcp-syn-received-timeout", "1m", "TCP SYN received"),
	TRK_TIME(TRK_TCP_ESTABLISHED_TIMEOUT, "tcp-established-timeout", "5d", "TCP established"),
	TRK_TIME(TRK_TCP_FIN_WAIT_TIMEOUT, "tcp-fin-wait-timeout", "2m", "TCP FIN wait"),
	TRK_TIME(TRK_TCP_CLOSE_WAIT_TIMEOUT, "tcp-close-wait-timeout", "1m", "TCP close wait"),
	TRK_TIME(TRK_TCP_LAST_ACK_TIMEOUT, "tcp-last-ack-timeout", "30s", "TCP last ACK"),
	TRK_TIME(TRK_TCP_TIME_WAIT_TIMEOUT, "tcp-time-wait-timeout", "2m", "TCP time wait"),
	TRK_TIME(TRK_TCP_CLOSE_TIMEOUT, "tcp-close-timeout", "10s", "TCP closed"),
	TRK_TIME(TRK_TCP_MAX_RETRANS_TIMEOUT, "tcp-max-retrans-timeout", "5m", "TCP after the maximum of retransmissions"),
	TRK_TIME(TRK_TCP_UNACKED_TIMEOUT, "tcp-unacked-timeout", "5m", "TCP with unacknowledged data"),
	[TRK_LOOSE_TCP_TRACKING] = { "loose-tcp-tracking", &gr_t_bool, 0, "yes", 0,
		"Pick up established TCP connections seen mid-stream" },
	[TRK_LIBERAL_TCP_TRACKING] = { "liberal-tcp-tracking", &gr_t_bool, 0, "no", 0,
		"Only mark out-of-window TCP packets invalid when they are RST" },
	TRK_TIME(TRK_UDP_TIMEOUT, "udp-timeout", "30s", "UDP, one direction seen"),
	TRK_TIME(TRK_UDP_STREAM_TIMEOUT, "udp-stream-timeout", "2m", "UDP, both directions seen"),
	TRK_TIME(TRK_ICMP_TIMEOUT, "icmp-timeout", "30s", "ICMP"),
	TRK_TIME(TRK_GENERIC_TIMEOUT, "generic-timeout", "10m", "Other protocols"),
	/* rosh extension (RouterOS counts always; Linux only when asked) */
	[TRK_ACCOUNTING] = { "accounting", &gr_t_bool, 0, "no", 0,
		"Count packets and bytes of connections created from now on" },
	[TRK_MAX_ENTRIES] = { "max-entries", &gr_t_u32, GP_NOEXPORT, NULL, 0,
		"Maximum number of entries (global: initial namespace only)" },
	[TRK_TOTAL_ENTRIES] = { "total-entries", &gr_t_u32, GP_RO | GP_NOEXPORT, NULL, 0,
		"Current number of entries" },
	[TRK__COUNT] = { 0 },
};

static const char *const rp_filter_syms[] = { "no", "strict", "loose", NULL };
static const struct gr_type t_rp_filter = {
	.name = "rp-filter", .kind = GK_ENUM, .syms = rp_filter_syms
};
static const char *const tcp_ts_syms[] = {
	"disabled", "enabled", "random-offset", NULL
};
static const struct gr_type t_tcp_ts = {
	.name = "tcp-timestamps", .kind = GK_ENUM, .syms = tcp_ts_syms
};

#define IPS_BOOL(idx, nm, def, hlp) [idx] = { nm, &gr_t_bool, 0, def, 0, hlp }

const struct gr_prop gr_ip_settings_props[IPS__COUNT + 1] = {
	IPS_BOOL(IPS_IP_FORWARD, "ip-forward", "no", "Forward packets between interfaces"),
	IPS_BOOL(IPS_SEND_REDIRECTS, "send-redirects", "yes", "Send ICMP redirects"),
	IPS_BOOL(IPS_ACCEPT_SOURCE_ROUTE, "accept-source-route", "no", "Accept source-routed packets"),
	IPS_BOOL(IPS_ACCEPT_REDIRECTS, "accept-redirects", "yes", "Accept ICMP redirects"),
	IPS_BOOL(IPS_SECURE_REDIRECTS, "secure-redirects", "yes", "Accept redirects only from gateways"),
	[IPS_RP_FILTER] = { "rp-filter", &t_rp_filter, 0, "no", 0,
		"Reverse path filtering (strongest of all/interface is in force)" },
	IPS_BOOL(IPS_TCP_SYNCOOKIES, "tcp-syncookies", "yes", "Send SYN cookies when the SYN queue overflows"),
	[IPS_TCP_TIMESTAMPS] = { "tcp-timestamps", &t_tcp_ts, 0, "random-offset", 0,
		"TCP timestamps (RFC 1323)" },
	[IPS_ICMP_RATE_LIMIT] = { "icmp-rate-limit", &gr_t_u32, 0, "1000", 0,
		"Minimum gap between ICMP messages of the rate mask, in ms" },
	[IPS_ICMP_RATE_MASK] = { "icmp-rate-mask", &gr_t_hex, 0, "0x1818", 0,
		"ICMP types that are rate limited" },
	[IPS_ARP_TIMEOUT] = { "arp-timeout", &gr_t_duration, 0, "30s", 0,
		"How long a neighbour entry stays reachable" },
	[IPS_MAX_NEIGHBOR_ENTRIES] = { "max-neighbor-entries", &gr_t_u32, 0, NULL, 0,
		"Hard limit of neighbour entries" },
	/* Linux has no fast path: never in force, so no is what a fresh
	 * kernel has (and what print shows) */
	IPS_BOOL(IPS_ALLOW_FAST_PATH, "allow-fast-path", "no", "RouterOS fast path; Linux has none: accepted, always no"),
	[IPS__COUNT] = { 0 },
};
