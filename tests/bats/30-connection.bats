#!/usr/bin/env bats
# /ip firewall connection against the live conntrack table of the router,
# with real traffic through it and conntrack(8) as the reference.

load helpers/load

setup_file() {
	require_rosh
	topo_up
	track_on "$NS_ROUTER"
	tcp_hold "$SERVER_IP" 5001                     # established TCP
	udp_send "$SERVER_IP" 5353 hello >/dev/null    # replied UDP
	udp_send -n "$SERVER_IP" 5999 lonely           # unreplied UDP
	ping_once
	# a SYN to a silent address keeps a syn-sent entry
	ip netns exec "$NS_LAN" bash -c "timeout 1 bash -c '</dev/tcp/10.0.0.99/81' 2>/dev/null; true" &
	wait_for -t 5 bash -c "ip netns exec $NS_ROUTER conntrack -L -p tcp --state SYN_SENT 2>/dev/null | grep -q 10.0.0.99"
}

teardown_file() {
	cleanup_all
}

# count of conntrack -L lines matching the filter arguments
ct_count() {
	conntrack_list "$NS_ROUTER" "$@" | grep -c . || true
}

@test "print count-only agrees with conntrack -L" {
	run -0 rosh_router -c '/ip firewall connection print count-only'
	assert_output "$(ct_count)"
}

@test "print where protocol=tcp lists exactly the TCP entries" {
	run -0 rosh_router -c '/ip firewall connection print count-only where protocol=tcp'
	assert_output "$(ct_count -p tcp)"
	run -0 rosh_router -c '/ip firewall connection print where protocol=tcp'
	assert_line --regexp "tcp +$CLIENT_IP:[0-9]+ +$SERVER_IP:5001 +established"
	refute_line --regexp ' udp '
}

@test "print where src-address~ and dst-address~ (regex on ip:port)" {
	run -0 rosh_router -c '/ip firewall connection print count-only where src-address~"192.168.88.50"'
	assert_output "$(ct_count -s 192.168.88.50)"
	run -0 rosh_router -c '/ip firewall connection print count-only where dst-address~"10.0.0."'
	assert_output "$(conntrack_list "$NS_ROUTER" | grep -c ' dst=10\.0\.0\.' )"
}

@test "seen-reply=no finds the unreplied UDP flow" {
	run -0 rosh_router -c '/ip firewall connection print where seen-reply=no'
	assert_line --regexp "udp +$CLIENT_IP:[0-9]+ +$SERVER_IP:5999"
	run -0 rosh_router -c '/ip firewall connection print count-only where seen-reply=no'
	assert_output "$(conntrack_list "$NS_ROUTER" | grep -c UNREPLIED)"
}

@test "tcp-state=syn-sent and count-only" {
	run -0 rosh_router -c '/ip firewall connection print count-only where tcp-state=syn-sent'
	assert_output "$(ct_count -p tcp --state SYN_SENT)"
	run -0 rosh_router -c '/ip firewall connection print where tcp-state=syn-sent'
	assert_line --regexp '10\.0\.0\.99:81 +syn-sent'
}

@test "print detail shows reply tuples and flags" {
	run -0 rosh_router -c '/ip firewall connection print detail where protocol=tcp and dst-address~":5001"'
	assert_output --regexp "reply-src-address=$SERVER_IP:5001"
	assert_output --regexp 'tcp-state=established'
	assert_line --regexp '^ +0 +.*S.*A.*C|^ +0 .*SAC'
}

@test "get and JSON agree" {
	run -0 rosh_router -j -c '/ip firewall connection print where protocol=icmp'
	assert_output --regexp '"protocol":"icmp"'
}

@test "remove [find ...] deletes what matched, nothing else" {
	udp_send -n "$SERVER_IP" 6001 x
	udp_send -n "$SERVER_IP" 6002 x
	before=$(ct_count)
	run -0 rosh_router -c '/ip firewall connection remove [find dst-address~":600[12]$"]'
	assert_equal "$(ct_count)" "$((before - 2))"
	run -0 rosh_router -c '/ip firewall connection print count-only where dst-address~":600"'
	assert_output 0
}

@test "remove by number from the last print" {
	udp_send -n "$SERVER_IP" 6003 x
	run -0 rosh_router -c '/ip firewall connection; print where dst-address~":6003"; remove 0'
	run -0 rosh_router -c '/ip firewall connection print count-only where dst-address~":6003"'
	assert_output 0
}

@test "bad input: unknown property, bad regex, no such item; table untouched" {
	before=$(ct_count)
	run -1 --separate-stderr rosh_router -c '/ip firewall connection print where bogus=1'
	assert_equal "$stderr" "-c:1:37: expected end of command"
	run -1 --separate-stderr rosh_router -c '/ip firewall connection remove [find src-address~"("]'
	assert_regex "$stderr" 'invalid regular expression'
	run -1 --separate-stderr rosh_router -c '/ip firewall connection remove 99999'
	assert_equal "$stderr" "-c:1:1: no such item"
	assert_equal "$(ct_count)" "$before"
}
