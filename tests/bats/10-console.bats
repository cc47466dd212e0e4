#!/usr/bin/env bats
# The console language and the shell, driven as a user would: -c, -f, stdin,
# --complete and the interactive shell under a pty. Uses the single-item
# settings menus (sysctl) of a namespace of its own.

load helpers/load

setup_file() {
	require_rosh
	ns_new console
}

teardown_file() {
	cleanup_all
}

teardown() {
	pty_stop
}

@test "-c runs commands; a path line changes the menu for the next command" {
	run -0 rosh -c '/ip firewall connection tracking; set udp-timeout=17s; print'
	assert_line --regexp '^ +udp-timeout: 17s$'
	run -0 ip netns exec "$NS" sysctl -n net.netfilter.nf_conntrack_udp_timeout
	assert_output 17
}

@test "abbreviations of menus, commands, properties and values" {
	run -0 rosh -c '/ip fi conn tr se udp-t=21s; /ip set set rp=lo'
	run -0 ip netns exec "$NS" sysctl -n net.netfilter.nf_conntrack_udp_timeout
	assert_output 21
	run -0 rosh -c '/ip/settings/get rp-filter'
	assert_output loose
}

@test "a script from a file and from stdin; # comments, continuation, blocks" {
	cat >"$BATS_TEST_TMPDIR/s.rsc" <<'RSC'
# set two timeouts
/ip firewall connection tracking
set udp-timeout=31s \
    icmp-timeout=12s   # trailing comment
/ip settings { set tcp-syncookies=no }
RSC
	run -0 rosh -f "$BATS_TEST_TMPDIR/s.rsc"
	run -0 ip netns exec "$NS" sysctl -n net.netfilter.nf_conntrack_icmp_timeout
	assert_output 12
	run -0 ip netns exec "$NS" sysctl -n net.ipv4.tcp_syncookies
	assert_output 0
	run -0 bash -c "echo '/ip firewall connection tracking set udp-timeout=32s' | '$ROSH' -n '$NS'"
	run -0 ip netns exec "$NS" sysctl -n net.netfilter.nf_conntrack_udp_timeout
	assert_output 32
}

@test "batch error: FILE:LINE:COLUMN, exit 1, nothing of the script applied" {
	run -0 rosh -c '/ip firewall connection tracking set udp-timeout=40s'
	before=$(kernel_snapshot)
	cat >"$BATS_TEST_TMPDIR/bad.rsc" <<'RSC'
/ip firewall connection tracking set udp-timeout=41s
/ip firewall connection tracking set icmp-timeout=1x
RSC
	run -1 --separate-stderr rosh -f "$BATS_TEST_TMPDIR/bad.rsc"
	assert_equal "$stderr" "$BATS_TEST_TMPDIR/bad.rsc:2:51: invalid value for argument icmp-timeout"
	assert_equal "$(kernel_snapshot)" "$before"
}

@test "bad input: RouterOS errors with positions, exit 1, kernel unchanged" {
	before=$(kernel_snapshot)
	run -1 --separate-stderr rosh -c '/ip foo print'
	assert_equal "$stderr" "-c:1:5: bad command name foo"
	run -1 --separate-stderr rosh -c '/ip settings set rp-filter=sometimes'
	assert_equal "$stderr" "-c:1:28: input does not match any value of rp-filter"
	run -1 --separate-stderr rosh -c '/ip settings set bogus=1'
	assert_equal "$stderr" "-c:1:18: expected end of command"
	run -1 --separate-stderr rosh -c '/ip firewall connection tracking set total-entries=5'
	assert_output --partial ""
	assert_equal "$stderr" "-c:1:38: cannot set read-only property total-entries"
	run -1 --separate-stderr rosh -c '/ip firewall connection print where src-address~"("'
	assert_regex "$stderr" '^-c:1:[0-9]+: invalid regular expression'
	run -1 --separate-stderr rosh -c '/ip settings set rp-filter="loose'
	assert_equal "$stderr" "-c:1:28: unterminated string"
	assert_equal "$(kernel_snapshot)" "$before"
}

@test "export of settings is re-importable and round-trips" {
	run -0 rosh -c '/ip firewall connection tracking set udp-timeout=45s tcp-established-timeout=1h'
	run -0 rosh -c '/ip firewall connection tracking export'
	assert_line --regexp '^set .*tcp-established-timeout=1h udp-timeout=45s$'
	assert_line '/ip firewall connection tracking'
	echo "$output" >"$BATS_TEST_TMPDIR/e.rsc"
	run -0 rosh -c '/ip firewall connection tracking set udp-timeout=30s tcp-established-timeout=5d'
	run -0 rosh -c "/import file-name=$BATS_TEST_TMPDIR/e.rsc"
	run -0 rosh -c '/ip firewall connection tracking get udp-timeout'
	assert_output 45s
}

@test "-j prints JSON keyed by RouterOS names" {
	run -0 rosh -j -c '/ip firewall connection tracking print'
	assert_output --regexp '^\[\{".id":"\*0",'
	assert_output --partial '"udp-timeout":"'
}

@test "--complete lists menus, commands, arguments and values" {
	run -0 "$ROSH" --complete '/ip fi'
	assert_output firewall
	run -0 "$ROSH" --complete '/ip firewall connection tracking set udp-t'
	assert_output 'udp-timeout='
	run -0 "$ROSH" --complete '/ip settings set rp-filter='
	assert_line no
	assert_line strict
	assert_line loose
	run -0 "$ROSH" --complete '/ip firewall filter add action=dr'
	assert_output drop
}

@test "interactive: prompt, menu change, Tab completion, ? help" {
	pty_start "$ROSH" -n "$NS"
	pty_wait '\[[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+\] > $'
	pty_type '/ip firewall connection tracking'
	pty_send Enter
	pty_wait '\] /ip/firewall/connection/tracking> $'
	pty_type 'set udp-ti'
	pty_send Tab
	pty_wait 'set udp-timeout=$'
	pty_type '50s'
	pty_send Enter
	pty_wait '\] /ip/firewall/connection/tracking> $'
	run -0 ip netns exec "$NS" sysctl -n net.netfilter.nf_conntrack_udp_timeout
	assert_output 50
	pty_type 'print '
	pty_send '?'
	pty_wait 'count-only'
	pty_send C-u
	pty_type '/quit'
	pty_send Enter
}

@test "--complete offers item names from the kernel (-n NS)" {
	run -0 rosh -c '/interface list add name=uplink; /ip firewall address-list add list=blocklist address=192.0.2.1; /ip firewall filter add chain=my-chain action=return'
	run -0 rosh --complete '/interface list remove up'
	assert_output uplink
	run -0 rosh --complete '/interface list member add list='
	assert_line uplink
	assert_line all
	run -0 rosh --complete '/ip firewall filter add src-address-list=bl'
	assert_output blocklist
	run -0 rosh --complete '/ip firewall filter add jump-target=my'
	assert_output my-chain
	# menus and commands need no namespace (and no root)
	run -0 "$ROSH" --complete '/interface list rem'
	assert_output remove
	ip netns exec "$NS" nft delete table ip rosh
}
