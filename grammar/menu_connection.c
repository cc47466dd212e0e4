/* /ip firewall connection and /ipv6 firewall connection: the conntrack table. */
#include "menus.h"
#include "schema.h"

static const char *const tcp_state_syms[] = {
	"none", "syn-sent", "syn-received", "established", "fin-wait",
	"close-wait", "last-ack", "time-wait", "close", "listen", NULL
};
static const struct gr_type t_tcp_state = {
	.name = "tcp-state", .kind = GK_ENUM, .syms = tcp_state_syms
};

static const char *const conn_state_syms[] = {
	"established", "invalid", "new", "related", "untracked", NULL
};
static const struct gr_type t_conn_state = {
	.name = "connection-state", .kind = GK_ENUM, .syms = conn_state_syms
};

#define CT_FLAG(idx, nm, letter, hlp) \
	[idx] = { nm, &gr_t_bool, GP_RO | GP_FLAG | GP_NOEXPORT, NULL, letter, hlp }
#define CT_RO(idx, nm, type, extra, hlp) \
	[idx] = { nm, type, GP_RO | GP_NOEXPORT | (extra), NULL, 0, hlp }

const struct gr_prop gr_connection_props[CTP__COUNT + 1] = {
	CT_FLAG(CTP_EXPECTED, "expected", 'E', "Created by a helper as an expected connection"),
	CT_FLAG(CTP_SEEN_REPLY, "seen-reply", 'S', "Traffic was seen in the reply direction"),
	CT_FLAG(CTP_ASSURED, "assured", 'A', "Not evicted when the table is full"),
	CT_FLAG(CTP_CONFIRMED, "confirmed", 'C', "The first packet left the box"),
	CT_FLAG(CTP_DYING, "dying", 'D', "Timed out, being removed"),
	CT_FLAG(CTP_FASTTRACK, "fasttrack", 'F', "Handled by the FastTrack fast path"),
	CT_FLAG(CTP_HW_OFFLOAD, "hw-offload", 'H', "Offloaded to hardware"),
	CT_FLAG(CTP_SRCNAT, "srcnat", 's', "Source address or port translated"),
	CT_FLAG(CTP_DSTNAT, "dstnat", 'd', "Destination address or port translated"),
	CT_RO(CTP_PROTOCOL, "protocol", &gr_t_protocol, GP_COL, "IP protocol"),
	CT_RO(CTP_SRC_ADDRESS, "src-address", &gr_t_addr_port, GP_COL, "Original source address[:port]"),
	CT_RO(CTP_DST_ADDRESS, "dst-address", &gr_t_addr_port, GP_COL, "Original destination address[:port]"),
	CT_RO(CTP_REPLY_SRC_ADDRESS, "reply-src-address", &gr_t_addr_port, 0, "Reply source address[:port] (after NAT)"),
	CT_RO(CTP_REPLY_DST_ADDRESS, "reply-dst-address", &gr_t_addr_port, 0, "Reply destination address[:port] (after NAT)"),
	CT_RO(CTP_SRC_PORT, "src-port", &gr_t_u32, GP_HIDDEN, "Original source port"),
	CT_RO(CTP_DST_PORT, "dst-port", &gr_t_u32, GP_HIDDEN, "Original destination port"),
	CT_RO(CTP_REPLY_SRC_PORT, "reply-src-port", &gr_t_u32, GP_HIDDEN, "Reply source port"),
	CT_RO(CTP_REPLY_DST_PORT, "reply-dst-port", &gr_t_u32, GP_HIDDEN, "Reply destination port"),
	CT_RO(CTP_TCP_STATE, "tcp-state", &t_tcp_state, GP_COL, "TCP connection state"),
	CT_RO(CTP_CONNECTION_STATE, "connection-state", &t_conn_state, 0, "Connection state as firewall rules see it"),
	CT_RO(CTP_TIMEOUT, "timeout", &gr_t_duration, GP_COL, "Time left until the entry is removed"),
	CT_RO(CTP_CONNECTION_MARK, "connection-mark", &gr_t_mark, 0, "Connection mark"),
	CT_RO(CTP_CONNECTION_TYPE, "connection-type", &gr_t_name, 0, "Helper handling the connection"),
	CT_RO(CTP_ZONE, "zone", &gr_t_u32, GP_HIDDEN, "Conntrack zone"),
	CT_RO(CTP_ORIG_PACKETS, "orig-packets", &gr_t_u64, GP_COL | GP_STAT, "Packets in the original direction"),
	CT_RO(CTP_ORIG_BYTES, "orig-bytes", &gr_t_u64, GP_COL | GP_STAT, "Bytes in the original direction"),
	CT_RO(CTP_REPL_PACKETS, "repl-packets", &gr_t_u64, GP_COL | GP_STAT, "Packets in the reply direction"),
	CT_RO(CTP_REPL_BYTES, "repl-bytes", &gr_t_u64, GP_COL | GP_STAT, "Bytes in the reply direction"),
	CT_RO(CTP_ORIG_RATE, "orig-rate", &gr_t_rate, 0, "Rate in the original direction"),
	CT_RO(CTP_REPL_RATE, "repl-rate", &gr_t_rate, 0, "Rate in the reply direction"),
	CT_RO(CTP_ICMP_TYPE, "icmp-type", &gr_t_u32, 0, "ICMP type"),
	CT_RO(CTP_ICMP_CODE, "icmp-code", &gr_t_u32, 0, "ICMP code"),
	CT_RO(CTP_ICMP_ID, "icmp-id", &gr_t_u32, 0, "ICMP identifier"),
	[CTP__COUNT] = { 0 },
};
