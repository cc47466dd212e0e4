/*
 * /ip firewall filter and nat. Both tables share enum fw_prop so the nft
 * backend has one index space; a property a menu lacks is a hole (NULL
 * name). Each row is written once in FW_ROWS with the menus that have it.
 */
#include "menus.h"
#include "schema.h"

enum { F = 1, N = 2 };	/* menus of a row: filter, nat */

static const char *const chain_filter_syms[] = { "forward", "input", "output", NULL };
static const char *const chain_nat_syms[] = { "dstnat", "srcnat", NULL };
static const struct gr_type t_chain_filter = {
	.name = "chain", .kind = GK_NAME, .syms = chain_filter_syms
};
static const struct gr_type t_chain_nat = {
	.name = "chain", .kind = GK_NAME, .syms = chain_nat_syms
};

static const char *const action_filter_syms[] = {
	"accept", "add-dst-to-address-list", "add-src-to-address-list", "drop",
	"fasttrack-connection", "jump", "log", "passthrough", "reject",
	"return", "tarpit", NULL
};
static const char *const action_nat_syms[] = {
	"accept", "add-dst-to-address-list", "add-src-to-address-list",
	"dst-nat", "endpoint-independent-nat", "jump", "log", "masquerade",
	"netmap", "passthrough", "redirect", "return", "same", "src-nat", NULL
};
static const struct gr_type t_action_filter = {
	.name = "action", .kind = GK_ENUM, .syms = action_filter_syms
};
static const struct gr_type t_action_nat = {
	.name = "action", .kind = GK_ENUM, .syms = action_nat_syms
};

static const char *const reject_syms[] = {
	"icmp-network-unreachable", "icmp-host-unreachable",
	"icmp-port-unreachable", "icmp-protocol-unreachable",
	"icmp-net-prohibited", "icmp-host-prohibited", "icmp-admin-prohibited",
	"tcp-reset", NULL
};
static const struct gr_type t_reject = {
	.name = "reject-with", .kind = GK_ENUM, .syms = reject_syms
};
static const char *const conn_state_syms[] = {
	"established", "invalid", "new", "related", "untracked", NULL
};
static const struct gr_type t_conn_state = {
	.name = "connection-state", .kind = GK_ENUM_LIST, .syms = conn_state_syms
};
static const char *const nat_state_syms[] = { "srcnat", "dstnat", NULL };
static const struct gr_type t_nat_state = {
	.name = "connection-nat-state", .kind = GK_ENUM_LIST, .syms = nat_state_syms
};
static const char *const addr_type_syms[] = {
	"unicast", "local", "broadcast", "multicast", "blackhole",
	"prohibit", "unreachable", NULL
};
static const struct gr_type t_addr_type = {
	.name = "address-type", .kind = GK_ENUM_LIST, .syms = addr_type_syms
};
static const char *const conn_type_syms[] = {
	"ftp", "h323", "irc", "pptp", "quake3", "sip", "tftp", NULL
};
static const struct gr_type t_conn_type = {
	.name = "connection-type", .kind = GK_ENUM, .syms = conn_type_syms
};
static const struct gr_type t_dscp = {
	.name = "dscp", .kind = GK_INT, .min = 0, .max = 63
};

/* hotspot=from-client,!auth: each item may be negated, not the whole */
static const struct gr_type t_hotspot = {
	.name = "hotspot", .kind = GK_NAME, .elem_neg = 1
};

#define NEG GP_NEG
#define UNSET NULL
/* X(index, name, type, flags, default, menus, help) */
#define FW_ROWS(X)							\
	X(FWP_DISABLED, "disabled", &gr_t_bool, GP_FLAG, "no", F | N, "Whether the rule is ignored") \
	X(FWP_INVALID, "invalid", &gr_t_bool, GP_RO | GP_FLAG | GP_NOEXPORT, UNSET, F | N, "The kernel holds something rosh cannot decode") \
	X(FWP_DYNAMIC, "dynamic", &gr_t_bool, GP_RO | GP_FLAG | GP_NOEXPORT, UNSET, F | N, "Created by the system") \
	X(FWP_COMMENT, "comment", &gr_t_string, GP_TEXT, UNSET, F | N, "Short description of the rule") \
	X(FWP_JUMP_TARGET, "jump-target", &gr_t_name, 0, UNSET, F | N, "Chain to jump to (action=jump)") \
	X(FWP_REJECT_WITH, "reject-with", &t_reject, 0, UNSET, F, "ICMP error or TCP reset sent by action=reject") \
	X(FWP_HW_OFFLOAD, "hw-offload", &gr_t_bool, 0, UNSET, F, "Offload fasttracked connections to hardware") \
	X(FWP_TO_ADDRESSES, "to-addresses", &gr_t_ip4_range, 0, UNSET, N, "Address or range to translate to") \
	X(FWP_TO_PORTS, "to-ports", &gr_t_port_range, 0, UNSET, N, "Port or range to translate to") \
	X(FWP_TCP_FLAGS, "tcp-flags", &gr_t_tcp_flags, 0, UNSET, F, "TCP flags (syn,!ack)") \
	X(FWP_CONNECTION_STATE, "connection-state", &t_conn_state, NEG, UNSET, F, "Connection tracking state") \
	X(FWP_CONNECTION_NAT_STATE, "connection-nat-state", &t_nat_state, NEG, UNSET, F, "NAT done to the connection") \
	X(FWP_CONNECTION_LIMIT, "connection-limit", &gr_t_conn_limit, NEG, UNSET, F | N, "Connections per address or subnet (count,netmask)") \
	X(FWP_LAYER7_PROTOCOL, "layer7-protocol", &gr_t_name, NEG, UNSET, F | N, "Layer 7 filter (not supported on Linux)") \
	X(FWP_PROTOCOL, "protocol", &gr_t_protocol, NEG, UNSET, F | N, "IP protocol") \
	X(FWP_SRC_ADDRESS, "src-address", &gr_t_ip4_net, NEG, UNSET, F | N, "Source address, prefix or range") \
	X(FWP_DST_ADDRESS, "dst-address", &gr_t_ip4_net, NEG, UNSET, F | N, "Destination address, prefix or range") \
	X(FWP_FRAGMENT, "fragment", &gr_t_bool, 0, UNSET, F | N, "Packet is a fragment") \
	X(FWP_PSD, "psd", &gr_t_psd, 0, UNSET, F | N, "Port scan detection (not supported on Linux)") \
	X(FWP_IPV4_OPTIONS, "ipv4-options", &gr_t_name, 0, UNSET, F | N, "IPv4 header options (not supported on Linux)") \
	X(FWP_SRC_ADDRESS_TYPE, "src-address-type", &t_addr_type, NEG, UNSET, F | N, "Source address type") \
	X(FWP_DST_ADDRESS_TYPE, "dst-address-type", &t_addr_type, NEG, UNSET, F | N, "Destination address type") \
	X(FWP_SRC_ADDRESS_LIST, "src-address-list", &gr_t_name, NEG, UNSET, F | N, "Source address is in this address list") \
	X(FWP_DST_ADDRESS_LIST, "dst-address-list", &gr_t_name, NEG, UNSET, F | N, "Destination address is in this address list") \
	X(FWP_HOTSPOT, "hotspot", &t_hotspot, 0, UNSET, F | N, "HotSpot matcher (not supported on Linux)") \
	X(FWP_ADDRESS_LIST, "address-list", &gr_t_name, 0, UNSET, F | N, "List filled by add-src/dst-to-address-list") \
	X(FWP_ADDRESS_LIST_TIMEOUT, "address-list-timeout", &gr_t_addrlist_timeout, 0, UNSET, F | N, "Lifetime of added address-list entries") \
	X(FWP_TTL, "ttl", &gr_t_ttl, 0, UNSET, F | N, "IP time to live (equal:N, less-than:N ...)") \
	X(FWP_CONNECTION_MARK, "connection-mark", &gr_t_mark, NEG, UNSET, F | N, "Connection mark (no-mark: unmarked)") \
	X(FWP_CONNECTION_TYPE, "connection-type", &t_conn_type, NEG, UNSET, F | N, "Connection helper") \
	X(FWP_CONNECTION_BYTES, "connection-bytes", &gr_t_conn_bytes, 0, UNSET, F | N, "Bytes transferred by the connection (from-to)") \
	X(FWP_CONNECTION_RATE, "connection-rate", &gr_t_conn_rate, NEG, UNSET, F | N, "Connection speed (not supported on Linux)") \
	X(FWP_ROUTING_MARK, "routing-mark", &gr_t_name, NEG, UNSET, F | N, "Routing mark") \
	X(FWP_IN_INTERFACE, "in-interface", &gr_t_name, NEG, UNSET, F | N, "Interface the packet came in") \
	X(FWP_OUT_INTERFACE, "out-interface", &gr_t_name, NEG, UNSET, F | N, "Interface the packet goes out") \
	X(FWP_IN_INTERFACE_LIST, "in-interface-list", &gr_t_name, NEG, UNSET, F | N, "Interface list the packet came in") \
	X(FWP_OUT_INTERFACE_LIST, "out-interface-list", &gr_t_name, NEG, UNSET, F | N, "Interface list the packet goes out") \
	X(FWP_IN_BRIDGE_PORT, "in-bridge-port", &gr_t_name, NEG, UNSET, F | N, "Bridge port the packet came in (not supported on Linux)") \
	X(FWP_OUT_BRIDGE_PORT, "out-bridge-port", &gr_t_name, NEG, UNSET, F | N, "Bridge port the packet goes out (not supported on Linux)") \
	X(FWP_PACKET_MARK, "packet-mark", &gr_t_mark, NEG, UNSET, F | N, "Packet mark (no-mark: unmarked)") \
	X(FWP_SRC_PORT, "src-port", &gr_t_ports, NEG, UNSET, F | N, "Source ports (22,80,8000-8100)") \
	X(FWP_DST_PORT, "dst-port", &gr_t_ports, NEG, UNSET, F | N, "Destination ports (22,80,8000-8100)") \
	X(FWP_PORT, "port", &gr_t_ports, NEG, UNSET, F | N, "Source or destination ports") \
	X(FWP_ICMP_OPTIONS, "icmp-options", &gr_t_icmp_options, NEG, UNSET, F | N, "ICMP type[:code]") \
	X(FWP_SRC_MAC_ADDRESS, "src-mac-address", &gr_t_mac, NEG, UNSET, F | N, "Source MAC address") \
	X(FWP_CONTENT, "content", &gr_t_string, NEG | GP_TEXT, UNSET, F | N, "Text in the packet (not supported on Linux)") \
	X(FWP_DSCP, "dscp", &t_dscp, NEG, UNSET, F | N, "DSCP field of the IP header") \
	X(FWP_LIMIT, "limit", &gr_t_limit, NEG, UNSET, F | N, "Rate limit (rate[/time],burst[:mode])") \
	X(FWP_DST_LIMIT, "dst-limit", &gr_t_dst_limit, 0, UNSET, F | N, "Rate limit per address (rate[/time],burst,mode[/expire])") \
	X(FWP_TIME, "time", &gr_t_time, NEG, UNSET, F | N, "Time of day and weekdays (8h-17h,mon,tue)") \
	X(FWP_RANDOM, "random", &gr_t_random, 0, UNSET, F | N, "Match this percentage of packets at random") \
	X(FWP_NTH, "nth", &gr_t_nth, NEG, UNSET, F | N, "Match every Nth packet (every,packet)") \
	X(FWP_TCP_MSS, "tcp-mss", &gr_t_tcp_mss, NEG, UNSET, F | N, "TCP MSS option (N or min-max)") \
	X(FWP_PER_CONNECTION_CLASSIFIER, "per-connection-classifier", &gr_t_pcc, NEG, UNSET, F | N, "Hash-based classifier (not supported on Linux)") \
	X(FWP_PACKET_SIZE, "packet-size", &gr_t_packet_size, NEG, UNSET, F | N, "IP packet size (N or min-max)") \
	X(FWP_TLS_HOST, "tls-host", &gr_t_string, NEG | GP_TEXT, UNSET, F, "TLS server name (not supported on Linux)") \
	X(FWP_P2P, "p2p", &gr_t_name, NEG, UNSET, F, "Peer-to-peer protocol (not supported on Linux)") \
	X(FWP_LOG, "log", &gr_t_bool, 0, "no", F | N, "Log matching packets") \
	X(FWP_LOG_PREFIX, "log-prefix", &gr_t_log_prefix, GP_TEXT, "", F | N, "Prefix of log lines") \
	X(FWP_IPSEC_POLICY, "ipsec-policy", &gr_t_ipsec_policy, 0, UNSET, F | N, "IPsec policy (in|out,ipsec|none)") \
	X(FWP_BYTES, "bytes", &gr_t_u64, GP_RO | GP_STAT | GP_NOEXPORT, UNSET, F | N, "Bytes matched") \
	X(FWP_PACKETS, "packets", &gr_t_u64, GP_RO | GP_STAT | GP_NOEXPORT, UNSET, F | N, "Packets matched") \
	X(FWP_PLACE_BEFORE, "place-before", &gr_t_name, GP_ARG, UNSET, F | N, "Add the new rule before this one") \
	X(FWP_REALM, "realm", &gr_t_u32, NEG, UNSET, F | N, "Routing realm (not supported on Linux)") \
	X(FWP_IN_BRIDGE_PORT_LIST, "in-bridge-port-list", &gr_t_name, NEG, UNSET, F | N, "Bridge port list the packet came in (not supported on Linux)") \
	X(FWP_OUT_BRIDGE_PORT_LIST, "out-bridge-port-list", &gr_t_name, NEG, UNSET, F | N, "Bridge port list the packet goes out (not supported on Linux)") \
	X(FWP_INGRESS_PRIORITY, "ingress-priority", &t_dscp, NEG, UNSET, F | N, "Priority the packet came in with (not supported on Linux)") \
	X(FWP_PRIORITY, "priority", &t_dscp, NEG, UNSET, F | N, "Packet priority (not supported on Linux)") \
	X(FWP_TOS, "tos", &gr_t_tos, NEG, UNSET, F | N, "TOS field of the IP header, value[/mask] (not supported on Linux)") \
	X(FWP_RANDOMISE_PORTS, "randomise-ports", &gr_t_bool, 0, UNSET, N, "Pick translated ports at random (not supported on Linux)")

#define ROW(menu) \
	[FWP_CHAIN] = { "chain", &t_chain_##menu, GP_REQ, NULL, 0, "Chain the rule belongs to" }, \
	[FWP_ACTION] = { "action", &t_action_##menu, 0, "accept", 0, "What to do with a matching packet" }, \
	FW_ROWS(ROW_##menu)

#define ROW_filter(idx, nm, ty, fl, df, mn, hl) \
	[idx] = { ((mn) & F) ? nm : NULL, ty, fl, df, (idx) == FWP_DISABLED ? 'X' : (idx) == FWP_INVALID ? 'I' : (idx) == FWP_DYNAMIC ? 'D' : 0, hl },
#define ROW_nat(idx, nm, ty, fl, df, mn, hl) \
	[idx] = { ((mn) & N) ? nm : NULL, ty, fl, df, (idx) == FWP_DISABLED ? 'X' : (idx) == FWP_INVALID ? 'I' : (idx) == FWP_DYNAMIC ? 'D' : 0, hl },

const struct gr_prop gr_filter_props[FWP__COUNT + 1] = { ROW(filter) };
const struct gr_prop gr_nat_props[FWP__COUNT + 1] = { ROW(nat) };
