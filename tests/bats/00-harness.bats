#!/usr/bin/env bats
# The test harness itself: namespaces, topology, traffic, cleanup, the pty
# driver. Needs no rosh feature (ROSH may be unset).

load helpers/load

setup_file() {
	ruleset_snapshot - >"$BATS_FILE_TMPDIR/root-ruleset.before"
	sysctl -n net.ipv4.ip_forward >"$BATS_FILE_TMPDIR/root-forward.before"
	ip -o link show | awk -F': ' '{ print $2 }' | sort >"$BATS_FILE_TMPDIR/root-links.before"
	topo_up
}

teardown_file() {
	cleanup_all
}

teardown() {
	pty_stop
}

@test "topology: namespaces, interface names and addresses as in the lab" {
	for ns in "$NS_LAN" "$NS_ROUTER" "$NS_WAN"; do
		assert ns_exists "$ns"
	done
	run ip -n "$NS_ROUTER" -br -4 addr show
	assert_line --regexp '^bridge@[^ ]+ +UP +192\.168\.88\.1/24'
	assert_line --regexp '^ether1@[^ ]+ +UP +10\.0\.0\.1/24'
	run ip -n "$NS_LAN" -br -4 addr show dev eth0
	assert_output --regexp '192\.168\.88\.50/24'
	run ip -n "$NS_WAN" -br -4 addr show dev eth0
	assert_output --regexp '10\.0\.0\.50/24'
	run ip netns exec "$NS_ROUTER" sysctl -n net.ipv4.ip_forward
	assert_output 1
}

@test "topology: the LAN client pings the WAN server through the router" {
	ping_once
	ping_once -f "$NS_WAN" "$CLIENT_IP"
	run ip netns exec "$NS_LAN" ping -n -c 1 -W 2 "$SERVER_IP"
	assert_success
	assert_output --partial "1 received"
}

@test "topology: the root namespace is not part of it" {
	run ip -o link show
	refute_output --regexp '(^| )(bridge|ether1)@'
	run ip netns exec "$NS_WAN" ip route get "$CLIENT_IP"
	assert_output --partial "via $ROUTER_WAN_IP"
}

@test "conntrack: the router tracks flows once a ct rule exists" {
	track_on "$NS_ROUTER"
	tcp_hold
	[[ $TCP_HOLD_SPORT =~ ^[0-9]+$ ]]
	wait_for conntrack_list -p tcp --dport 5001 --sport "$TCP_HOLD_SPORT"
	run conntrack_list -p tcp --dport 5001 --sport "$TCP_HOLD_SPORT"
	assert_output --regexp "ESTABLISHED src=$CLIENT_IP dst=$SERVER_IP sport=$TCP_HOLD_SPORT dport=5001 .*\[ASSURED\]"
	# the LAN and WAN ends track nothing: no rule uses conntrack there
	run ip netns exec "$NS_LAN" conntrack -C
	assert_output 0
}

@test "conntrack: udp_send gets its echo and the flow is tracked" {
	track_on "$NS_ROUTER" # (on already since the test above: a no-op)
	run ip netns exec "$NS_ROUTER" nft list table inet rosh_harness
	assert_equal "$(grep -c 'ct state new' <<<"$output")" 2
	run udp_send -p 40001 "$SERVER_IP" 5353 hello
	assert_success
	assert_output hello
	run udp_send -p 40001 "$SERVER_IP" 5353 again
	assert_output again
	run conntrack_list -p udp --sport 40001
	assert_output --regexp "src=$CLIENT_IP dst=$SERVER_IP sport=40001 dport=5353 src=$SERVER_IP dst=$CLIENT_IP sport=5353 dport=40001"
	run udp_send -n "$SERVER_IP" 5999 one-way
	assert_success
	wait_for conntrack_list -p udp --dport 5999
	run conntrack_list -p udp --dport 5999
	assert_output --partial "[UNREPLIED]"
}

@test "conntrack: a ping is tracked as icmp" {
	ping_once
	run conntrack_list -p icmp
	assert_output --regexp "src=$CLIENT_IP dst=$SERVER_IP type=8"
}

@test "tcp_hold: the connection stays open" {
	tcp_hold "$SERVER_IP" 5002
	local sport=$TCP_HOLD_SPORT
	sleep 1
	run tcp_established "$NS_LAN" "$SERVER_IP" 5002
	assert_output "$sport"
	run tcp_hold -t "$NS_ROUTER" "$ROUTER_LAN_IP" 8291
	assert_success
}

@test "wait_for: succeeds at once, or fails after its timeout" {
	wait_for true
	local t0=$SECONDS
	run wait_for -t 1 false
	assert_failure
	assert_output --partial "gave up after 1s"
	((SECONDS - t0 <= 3))
	run wait_for -t 0.3 -i 0.05 false
	assert_failure
}

@test "ns_new / ns_del: a namespace and its processes go away" {
	ns_new extra
	assert_equal "$NS" "$ROSH_NS_PREFIX-extra"
	run ip -n "$NS" -br link show lo
	assert_output --regexp 'UNKNOWN|UP'
	bg_in "$NS" /dev/null sleep 1000
	local pid=$BG_PID
	_has_procs() { [[ -n $(ip netns pids "$NS") ]]; }
	wait_for _has_procs
	ns_del
	refute ns_exists "$ROSH_NS_PREFIX-extra"
	run kill -0 "$pid"
	assert_failure
}

@test "topo_down: removes a whole topology and everything running in it" {
	topo_up second
	assert_equal "$NS_ROUTER" "$ROSH_NS_PREFIX-second-router"
	ping_once
	tcp_hold
	local pid=$TCP_HOLD_PID
	topo_down second
	for ns in "$NS_LAN" "$NS_ROUTER" "$NS_WAN"; do
		refute ns_exists "$ns"
	done
	run kill -0 "$pid"
	assert_failure
	run ip netns list
	refute_output --partial "$ROSH_NS_PREFIX-second-"
	topo_down second # twice is fine
}

@test "ruleset_snapshot: sees a change inside its namespace only" {
	ns_new snap
	local before root_before
	before=$(ruleset_snapshot)
	root_before=$(ruleset_snapshot -)
	ip netns exec "$NS" nft add table ip snaptest
	run ruleset_snapshot
	assert_output --partial "table ip snaptest"
	refute [ "$output" = "$before" ]
	assert_equal "$(ruleset_snapshot -)" "$root_before"
	ip netns exec "$NS" nft delete table ip snaptest
	assert_equal "$(ruleset_snapshot)" "$before"
	ns_del
}

@test "rosh wrappers: say so when ROSH is unset" {
	ROSH='' run -127 rosh -c /
	assert_failure 127
	assert_output --partial "ROSH is not set"
}

@test "pty: drives an interactive program under tmux" {
	pty_start -p '\[test@harness\] /> ?$' \
		env -i TERM=xterm PS1='[test@harness] /> ' bash --norc --noprofile -i
	pty_run -w 'hello-from-pty' 'echo hello-from-pty' Enter
	assert_line --index 1 'hello-from-pty'
	pty_run 'ech' Tab
	assert_line --regexp '^\[test@harness\] /> echo ?$'
	pty_run C-u 'exit 3' Enter
	pty_wait_exit
	assert_equal "$status" 3
}

@test "the root namespace's firewall, forwarding and links are unchanged" {
	run ruleset_snapshot -
	assert_output "$(cat "$BATS_FILE_TMPDIR/root-ruleset.before")"
	run sysctl -n net.ipv4.ip_forward
	assert_output "$(cat "$BATS_FILE_TMPDIR/root-forward.before")"
	run bash -c "ip -o link show | awk -F': ' '{ print \$2 }' | sort"
	assert_output "$(cat "$BATS_FILE_TMPDIR/root-links.before")"
}
