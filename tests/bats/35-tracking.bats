#!/usr/bin/env bats
# /ip firewall connection tracking: the router's net.netfilter sysctls, and
# enabled=yes/no/auto checked with real traffic and conntrack(8).

load helpers/load

setup_file() {
	require_rosh
	topo_up
}

teardown_file() {
	cleanup_all
}

T=/ip/firewall/connection/tracking

# sysctl NAME inside the router: its value
nf() {
	ip netns exec "$NS_ROUTER" sysctl -n "net.netfilter.nf_conntrack_$1"
}

# number of entries in the router's table (conntrack -L)
ct_entries() {
	conntrack_list "$NS_ROUTER" "$@" | grep -c . || true
}

flush() {
	ip netns exec "$NS_ROUTER" conntrack -F >/dev/null 2>&1 || true
}

# traffic through the router: one ping and one replied UDP datagram
traffic() {
	ping_once
	udp_send "$SERVER_IP" 5353 hi >/dev/null
}

@test "tracking print shows the namespace's sysctls" {
	run -0 rosh_router -c "$T print"
	assert_line "   tcp-established-timeout: $(($(nf tcp_timeout_established) / 86400))d"
	assert_line "               udp-timeout: $(nf udp_timeout)s"
	assert_line "        loose-tcp-tracking: $( (($(nf tcp_loose))) && echo yes || echo no)"
	assert_line "               max-entries: $(nf max)"
	assert_line --regexp '^ +total-entries: [0-9]+$'
	assert_line '                   enabled: auto'
	assert_equal "$(nf acct)" 0
	assert_line '                accounting: no'
}

@test "set tcp-established-timeout=1h writes 3600 and prints 1h" {
	run -0 rosh_router -c "$T set tcp-established-timeout=1h"
	assert_output ''
	assert_equal "$(nf tcp_timeout_established)" 3600
	run -0 rosh_router -c "$T print"
	assert_line '   tcp-established-timeout: 1h'
	run -0 rosh_router -c "$T get tcp-established-timeout"
	assert_output 1h
	run -0 rosh_router -c "$T set tcp-established-timeout=5d"
	assert_equal "$(nf tcp_timeout_established)" 432000
}

@test "the other timeouts and tracking switches reach their sysctls" {
	run -0 rosh_router -c "$T set tcp-syn-sent-timeout=5s tcp-syn-received-timeout=6s \
tcp-fin-wait-timeout=7s tcp-close-wait-timeout=8s tcp-last-ack-timeout=9s \
tcp-time-wait-timeout=11s tcp-close-timeout=12s tcp-max-retrans-timeout=13s \
tcp-unacked-timeout=14s udp-timeout=15s udp-stream-timeout=3m icmp-timeout=16s \
generic-timeout=1h1m loose-tcp-tracking=no liberal-tcp-tracking=yes"
	assert_equal "$(nf tcp_timeout_syn_sent)" 5
	assert_equal "$(nf tcp_timeout_syn_recv)" 6
	assert_equal "$(nf tcp_timeout_fin_wait)" 7
	assert_equal "$(nf tcp_timeout_close_wait)" 8
	assert_equal "$(nf tcp_timeout_last_ack)" 9
	assert_equal "$(nf tcp_timeout_time_wait)" 11
	assert_equal "$(nf tcp_timeout_close)" 12
	assert_equal "$(nf tcp_timeout_max_retrans)" 13
	assert_equal "$(nf tcp_timeout_unacknowledged)" 14
	assert_equal "$(nf udp_timeout)" 15
	assert_equal "$(nf udp_timeout_stream)" 180
	assert_equal "$(nf icmp_timeout)" 16
	assert_equal "$(nf icmpv6_timeout)" 16     # RouterOS's icmp-timeout covers v6
	assert_equal "$(nf generic_timeout)" 3660
	assert_equal "$(nf tcp_loose)" 0
	assert_equal "$(nf tcp_be_liberal)" 1
	run -0 rosh_router -c "$T print"
	assert_line '      tcp-syn-sent-timeout: 5s'
	assert_line '        udp-stream-timeout: 3m'
	assert_line '           generic-timeout: 1h1m'
	assert_line '        loose-tcp-tracking: no'
	assert_line '      liberal-tcp-tracking: yes'
	# and the new timeout is what a new entry gets
	run -0 rosh_router -c "$T set enabled=yes"
	flush
	udp_send -n "$SERVER_IP" 5998 x
	run -0 rosh_router -c '/ip firewall connection print where dst-address~":5998"'
	assert_line --regexp 'udp .*:5998 +1[45]s$'
	run -0 rosh_router -c "$T set enabled=auto udp-timeout=30s udp-stream-timeout=2m \
icmp-timeout=30s generic-timeout=10m loose-tcp-tracking=yes liberal-tcp-tracking=no"
}

@test "enabled=auto with no stateful rule: nothing is tracked" {
	run -0 rosh_router -c "$T set enabled=auto"
	run -0 ip netns exec "$NS_ROUTER" nft list ruleset
	refute_output --partial 'ct '
	flush
	traffic
	assert_equal "$(ct_entries)" 0
	run -0 rosh_router -c "$T print"
	assert_line '               active-ipv4: no'
}

@test "enabled=yes tracks with no stateful rule at all" {
	run -0 rosh_router -c "$T set enabled=yes"
	flush
	traffic
	assert_equal "$(ct_entries -p icmp -d "$SERVER_IP")" 1
	assert_equal "$(ct_entries -p udp --dport 5353)" 1
	run -0 rosh_router -c "$T print"
	assert_line '                   enabled: yes'
	assert_line '               active-ipv4: yes'
	run -0 rosh_router -c '/ip firewall connection print count-only where protocol=icmp'
	assert_output 1
}

@test "enabled=no stops tracking even with a stateful rule present" {
	track_on "$NS_ROUTER"
	run -0 rosh_router -c "$T set enabled=no"
	flush
	traffic
	assert_equal "$(ct_entries)" 0
	run -0 rosh_router -c "$T print"
	assert_line '                   enabled: no'
	# the harness's own table is untouched
	ip netns exec "$NS_ROUTER" nft list table inet rosh_harness >/dev/null
}

@test "enabled=auto leaves it to the rules: a ct rule tracks, none does not" {
	track_on "$NS_ROUTER"
	run -0 rosh_router -c "$T set enabled=auto"
	flush
	traffic
	assert_equal "$(ct_entries -p icmp -d "$SERVER_IP")" 1
	ip netns exec "$NS_ROUTER" nft delete table inet rosh_harness
	flush
	traffic
	assert_equal "$(ct_entries)" 0
}

# counters of the one conntrack -L entry matching the filter: "OP OB RP RB"
ct_counters() {
	conntrack_list "$NS_ROUTER" "$@" | grep -o -E '(packets|bytes)=[0-9]+' |
		cut -d= -f2 | paste -sd' '
}

@test "accounting=yes: new flows count packets and bytes, as conntrack -L shows" {
	run -0 rosh_router -c "$T set enabled=yes accounting=yes"
	assert_equal "$(nf acct)" 1
	run -0 rosh_router -c "$T get accounting"
	assert_output yes
	flush
	# one replied UDP connection of three datagrams each way, one ping
	local i
	for i in 1 2 3; do
		udp_send -p 46360 "$SERVER_IP" 5360 "hello $i" >/dev/null
	done
	ping_once
	local c
	c=$(ct_counters -p udp --dport 5360)
	read -r op ob rp rb <<<"$c"
	assert_equal "$op $rp" "3 3"
	run -0 rosh_router -c '/ip firewall connection print detail where dst-address~":5360$"'
	assert_output --regexp "orig-packets=$op[[:space:]]+orig-bytes=$ob[[:space:]]+repl-packets=$rp[[:space:]]+repl-bytes=$rb"
	run -0 rosh_router -j -c '/ip firewall connection print where dst-address~":5360$"'
	assert_output --partial "\"orig-packets\":$op,\"orig-bytes\":$ob,\"repl-packets\":$rp,\"repl-bytes\":$rb"
	read -r op ob rp rb <<<"$(ct_counters -p icmp -d "$SERVER_IP")"
	run -0 rosh_router -c '/ip firewall connection print as-value where protocol=icmp'
	assert_output --partial "orig-packets=$op;orig-bytes=$ob;repl-packets=$rp;repl-bytes=$rb"
	# off again: flows created from now on have no counters
	run -0 rosh_router -c "$T set accounting=no"
	assert_equal "$(nf acct)" 0
	udp_send -p 46361 "$SERVER_IP" 5360 x >/dev/null
	assert_equal "$(ct_counters -p udp --sport 46361)" ""
	run -0 rosh_router -c '/ip firewall connection print as-value where src-address~":46361$"'
	assert_output --partial 'protocol=udp'
	refute_output --partial 'orig-packets'
	run -0 rosh_router -c "$T set enabled=auto"
}

@test "bad input: clear error, exit 1, kernel unchanged" {
	local before
	before=$(kernel_snapshot "$NS_ROUTER")
	run -1 --separate-stderr rosh_router -c "$T set bogus-timeout=1s"
	assert_regex "$stderr" '^-c:1:[0-9]+: expected end of command$'
	run -1 --separate-stderr rosh_router -c "$T set tcp-established-timeout=1x"
	assert_regex "$stderr" '^-c:1:[0-9]+: invalid value for argument tcp-established-timeout$'
	# a good value next to a bad one: neither is written
	run -1 --separate-stderr rosh_router -c "$T set udp-timeout=5s tcp-close-timeout=banana"
	assert_regex "$stderr" 'invalid value for argument tcp-close-timeout'
	run -1 --separate-stderr rosh_router -c "$T set total-entries=5"
	assert_regex "$stderr" '^-c:1:[0-9]+: cannot set read-only property total-entries$'
	run -1 --separate-stderr rosh_router -c "$T set enabled=maybe"
	assert_regex "$stderr" 'input does not match any value of enabled'
	run -1 --separate-stderr rosh_router -c "$T print where enabled~\"(\""
	assert_regex "$stderr" 'invalid regular expression'
	# max-entries is global: refused inside a namespace, with the reason
	run -1 --separate-stderr rosh_router -c "$T set udp-timeout=5s max-entries=100"
	assert_regex "$stderr" 'max-entries can only be changed in the initial network namespace'
	run -1 --separate-stderr rosh_router -c "$T set accounting=maybe"
	assert_regex "$stderr" 'accounting'
	assert_equal "$(kernel_snapshot "$NS_ROUTER")" "$before"
}
