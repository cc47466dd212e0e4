#!/usr/bin/env bats
# /ip settings: the router namespace's net.ipv4 sysctls, with traffic where
# a setting has a visible effect (ip-forward, rp-filter).

load helpers/load

setup_file() {
	require_rosh
	topo_up
}

teardown_file() {
	cleanup_all
}

S=/ip/settings

sc() { ip netns exec "$NS_ROUTER" sysctl -n "net.ipv4.$1"; }
scw() { ip netns exec "$NS_ROUTER" sysctl -qw "net.ipv4.$1=$2"; }

# every sysctl /ip settings may write, and the ruleset
settings_snapshot() {
	ip netns exec "$NS_ROUTER" nft list ruleset
	ip netns exec "$NS_ROUTER" sysctl net.ipv4.conf net.ipv4.neigh \
		net.ipv4.ip_forward net.ipv4.tcp_syncookies net.ipv4.tcp_timestamps \
		net.ipv4.icmp_ratelimit net.ipv4.icmp_ratemask 2>/dev/null | sort
}

# rp_filter of all, default and every interface, one line
rp_all() {
	local d out=
	for d in all default lo bridge ether1; do
		out+="$d=$(sc "conf.$d.rp_filter") "
	done
	echo "${out% }"
}

# the router's count of packets dropped by reverse path filtering
rpf_drops() {
	ip netns exec "$NS_ROUTER" nstat -az TcpExtIPReversePathFilter |
		awk '$1 == "TcpExtIPReversePathFilter" { print $2 }'
}

# From the LAN, a ping to the router from 10.0.0.77, an address whose
# route on the router points out of ether1, not the bridge it arrives on.
# The router's MAC is pinned on the client: with rp-filter on, the router
# would not even answer an ARP request from that address.
spoofed_ping() {
	local mac
	mac=$(ip -n "$NS_ROUTER" -br link show bridge | awk '{ print $3 }')
	ip -n "$NS_LAN" neigh replace "$ROUTER_LAN_IP" lladdr "$mac" dev eth0 nud permanent
	ip -n "$NS_LAN" addr replace 10.0.0.77/32 dev eth0
	ip netns exec "$NS_LAN" ping -n -q -c 1 -W 1 -I 10.0.0.77 "$ROUTER_LAN_IP" >/dev/null 2>&1 || true
}

@test "print shows the namespace's sysctls" {
	run -0 rosh_router -c "$S print"
	assert_line '            ip-forward: yes'     # the topology forwards
	assert_line '             rp-filter: no'
	assert_line "        tcp-syncookies: yes"
	assert_line "       icmp-rate-limit: $(sc icmp_ratelimit)"
	assert_line '        icmp-rate-mask: 0x1818'
	assert_line "           arp-timeout: $(($(sc neigh.ether1.base_reachable_time_ms) / 1000))s"
	# forwarding makes the kernel turn conf/all/accept_redirects off
	assert_equal "$(sc conf.all.accept_redirects)" 0
	assert_line '      accept-redirects: no'
	# accept_source_route is all && interface: all=0 wins
	assert_equal "$(sc conf.ether1.accept_source_route)" 1
	assert_line '   accept-source-route: no'
	assert_line '       allow-fast-path: no'
}

@test "rp-filter=loose/strict/no write all, default and every interface" {
	run -0 rosh_router -c "$S set rp-filter=loose"
	assert_equal "$(rp_all)" "all=2 default=2 lo=2 bridge=2 ether1=2"
	run -0 rosh_router -c "$S get rp-filter"
	assert_output loose
	run -0 rosh_router -c "$S set rp-filter=strict"
	assert_equal "$(rp_all)" "all=1 default=1 lo=1 bridge=1 ether1=1"
	run -0 rosh_router -c "$S print"
	assert_line '             rp-filter: strict'
	run -0 rosh_router -c "$S set rp-filter=no"
	assert_equal "$(rp_all)" "all=0 default=0 lo=0 bridge=0 ether1=0"
	run -0 rosh_router -c "$S print"
	assert_line '             rp-filter: no'
}

@test "rp-filter print shows what is in force: max(all, interface)" {
	scw conf.ether1.rp_filter 1          # one interface strict, all=0
	run -0 rosh_router -c "$S get rp-filter"
	assert_output strict
	scw conf.all.rp_filter 2             # all=loose overrides it
	run -0 rosh_router -c "$S get rp-filter"
	assert_output loose
	run -0 rosh_router -c "$S set rp-filter=no"
	assert_equal "$(rp_all)" "all=0 default=0 lo=0 bridge=0 ether1=0"
}

@test "rp-filter with traffic: strict drops a spoofed source, loose and no do not" {
	run -0 rosh_router -c "$S set rp-filter=strict"
	local before
	before=$(rpf_drops)
	spoofed_ping
	assert [ "$(rpf_drops)" -gt "$before" ]
	run -0 rosh_router -c "$S set rp-filter=loose"
	before=$(rpf_drops)
	spoofed_ping
	assert_equal "$(rpf_drops)" "$before"
	run -0 rosh_router -c "$S set rp-filter=no"
	spoofed_ping
	assert_equal "$(rpf_drops)" "$before"
	ping_once                              # normal traffic unaffected
}

@test "ip-forward=no stops forwarding, yes restores it" {
	ping_once
	run -0 rosh_router -c "$S set ip-forward=no"
	assert_equal "$(sc ip_forward)" 0
	run ! ping_once
	run -0 rosh_router -c "$S print"
	assert_line '            ip-forward: no'
	# not forwarding: the kernel turned accept_redirects back on
	assert_line '      accept-redirects: yes'
	run -0 rosh_router -c "$S set ip-forward=yes"
	assert_equal "$(sc ip_forward)" 1
	ping_once
}

@test "redirect and source-route switches, syncookies, timestamps, ICMP, ARP" {
	run -0 rosh_router -c "$S set send-redirects=no secure-redirects=no \
accept-source-route=yes accept-redirects=yes tcp-syncookies=no tcp-timestamps=disabled \
icmp-rate-limit=100 icmp-rate-mask=0x1819 arp-timeout=1m"
	local d
	for d in all default lo bridge ether1; do
		assert_equal "$d $(sc conf.$d.send_redirects)" "$d 0"
		assert_equal "$d $(sc conf.$d.secure_redirects)" "$d 0"
		assert_equal "$d $(sc conf.$d.accept_source_route)" "$d 1"
		assert_equal "$d $(sc conf.$d.accept_redirects)" "$d 1"
	done
	for d in lo bridge ether1; do
		assert_equal "$d $(sc neigh.$d.base_reachable_time_ms)" "$d 60000"
	done
	assert_equal "$(sc tcp_syncookies)" 0
	assert_equal "$(sc tcp_timestamps)" 0
	assert_equal "$(sc icmp_ratelimit)" 100
	assert_equal "$(sc icmp_ratemask)" 6169
	run -0 rosh_router -c "$S print"
	assert_line '        send-redirects: no'
	assert_line '   accept-source-route: yes'
	assert_line '        tcp-syncookies: no'
	assert_line '        tcp-timestamps: disabled'
	assert_line '        icmp-rate-mask: 0x1819'
	assert_line '           arp-timeout: 1m'
	run -0 rosh_router -c "$S set tcp-timestamps=enabled tcp-syncookies=yes"
	assert_equal "$(sc tcp_timestamps)" 2
	assert_equal "$(sc tcp_syncookies)" 1
	run -0 rosh_router -c "$S set send-redirects=yes secure-redirects=yes \
accept-source-route=no tcp-timestamps=random-offset icmp-rate-limit=1000 \
icmp-rate-mask=0x1818 arp-timeout=30s"
	assert_equal "$(sc tcp_timestamps)" 1
}

# the ARP table's thresh3 as the kernel reports it (global, any namespace)
arp_thresh3() {
	ip netns exec "$NS_ROUTER" ip ntable show name arp_cache |
		awk '{ for (i = 1; i < NF; i++) if ($i == "thresh3") { print $(i + 1); exit } }'
}

@test "max-neighbor-entries shows the global limit in force, set is refused here" {
	local t3
	t3=$(arp_thresh3)
	[[ $t3 =~ ^[0-9]+$ ]]
	# the namespace has no neigh/default sysctls: the value comes from the table
	run -0 rosh_router -c "$S get max-neighbor-entries"
	assert_output "$t3"
	run -0 rosh_router -c "$S print"
	assert_line "  max-neighbor-entries: $t3"
	# setting the value already in force changes nothing and succeeds (import)
	run -0 rosh_router -c "$S set max-neighbor-entries=$t3"
	run -1 --separate-stderr rosh_router -c "$S set max-neighbor-entries=$((t3 + 1))"
	assert_regex "$stderr" 'failure: max-neighbor-entries can only be changed in the initial network namespace'
	assert_equal "$(arp_thresh3)" "$t3"
}

@test "allow-fast-path: accepted, prints no, changes nothing, not exported" {
	local before
	before=$(settings_snapshot)
	run -0 rosh_router -c "$S set allow-fast-path=yes"
	run -0 rosh_router -c "$S set allow-fast-path=no"
	assert_equal "$(settings_snapshot)" "$before"
	run -0 rosh_router -c "$S get allow-fast-path"
	assert_output no
	# an untouched namespace exports no /ip settings at all
	ns_new
	run -0 rosh -c '/export'
	refute_output --partial 'allow-fast-path'
	refute_output --partial '/ip settings'
	ns_del
}

@test "RouterOS export line imports: all of it or nothing" {
	run -0 rosh_router -c "$S set accept-redirects=no accept-source-route=no allow-fast-path=yes \
ip-forward=yes rp-filter=no secure-redirects=yes send-redirects=yes tcp-syncookies=yes \
tcp-timestamps=random-offset"
	assert_equal "$(sc conf.all.accept_redirects)" 0
	assert_equal "$(sc ip_forward)" 1
}

@test "bad input: clear error, exit 1, nothing changed" {
	local before
	before=$(settings_snapshot)
	run -1 --separate-stderr rosh_router -c "$S set rp-filter=sometimes"
	assert_regex "$stderr" '^-c:1:[0-9]+: input does not match any value of rp-filter$'
	run -1 --separate-stderr rosh_router -c "$S set ip-forward=no bogus=1"
	assert_regex "$stderr" '^-c:1:[0-9]+: expected end of command$'
	run -1 --separate-stderr rosh_router -c "$S set arp-timeout=soon"
	assert_regex "$stderr" 'invalid value for argument arp-timeout'
	run -1 --separate-stderr rosh_router -c "$S set icmp-rate-limit=-5"
	assert_regex "$stderr" 'icmp-rate-limit'
	# max-neighbor-entries is global: refused here, and ip-forward with it
	run -1 --separate-stderr rosh_router -c "$S set ip-forward=no max-neighbor-entries=100"
	assert_regex "$stderr" 'max-neighbor-entries can only be changed in the initial network namespace'
	assert_equal "$(settings_snapshot)" "$before"
}
