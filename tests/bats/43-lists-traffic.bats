#!/usr/bin/env bats
# Address lists and interface lists proven with real traffic through the
# router of the lab topology:
#   client NS_LAN 192.168.88.50 -- bridge [router] ether1 -- NS_WAN 10.0.0.50
# The server also answers on 10.0.0.20, .30, .45, .70 and 10.0.1.5 (the
# router routes 10.0.1.0/24 to it), so one list can be tested against
# addresses inside and outside its host, range and prefix entries at once.
# Every test starts from an empty rosh table and an empty conntrack table.

load helpers/load

A='/ip firewall address-list'
F='/ip firewall filter'

setup_file() {
	require_rosh
	topo_up
	local a
	for a in 10.0.0.20 10.0.0.30 10.0.0.45 10.0.0.70 10.0.1.5; do
		ip -n "$NS_WAN" addr add "$a/24" dev eth0
	done
	ip -n "$NS_ROUTER" route add 10.0.1.0/24 via "$SERVER_IP"
}

teardown_file() {
	cleanup_all
}

setup() {
	require_rosh
	fw_reset
}

fw_reset() {
	ip netns exec "$NS_ROUTER" nft delete table ip rosh 2>/dev/null || true
	ip netns exec "$NS_ROUTER" conntrack -F >/dev/null 2>&1 || true
}

# reach SPEC...: one ping per SPEC, all at the same time, on a flushed
# conntrack table (every ping is a new connection); prints one digit per
# SPEC: 1 when the reply came back, 0 when not within 1 s. SPEC is
# l:ADDR (the LAN client pings ADDR) or w:SRC (the WAN server pings the
# client from its address SRC).
reach() {
	local s pids=() out=
	ip netns exec "$NS_ROUTER" conntrack -F >/dev/null 2>&1 || true
	for s in "$@"; do
		case $s in
		l:*) ip netns exec "$NS_LAN" ping -n -q -c 1 -W 1 "${s#l:}" ;;
		w:*) ip netns exec "$NS_WAN" ping -n -q -c 1 -W 1 -I "${s#w:}" "$CLIENT_IP" ;;
		esac >/dev/null 2>&1 &
		pids+=($!)
	done
	for s in "${pids[@]}"; do
		if wait "$s"; then out+=1; else out+=0; fi
	done
	echo "$out"
}

# The six WAN-side addresses: in L's host entry, outside, in its range,
# outside, in its prefix, in its range (the server's own address).
DST=(l:10.0.0.20 l:10.0.0.30 l:10.0.0.45 l:10.0.0.70 l:10.0.1.5 l:10.0.0.50)
SRC=(w:10.0.0.20 w:10.0.0.30 w:10.0.0.45 w:10.0.0.70 w:10.0.1.5 w:10.0.0.50)

LIST_L="$A
add list=L address=10.0.0.20 comment=host
add list=L address=10.0.1.0/24 comment=pfx
add list=L address=10.0.0.40-10.0.0.60 comment=rng"

# udp_knock FROM ADDR PORT: one UDP datagram, no answer expected
udp_knock() {
	echo knock | ip netns exec "$1" socat -u - "UDP-SENDTO:$2:$3"
}

# dur_s TEXT: a RouterOS duration (1h2m3s, 59s, 2d) in seconds
dur_s() {
	local t=$1 n=0 v u
	while [[ $t =~ ^([0-9]+)([wdhms])(.*)$ ]]; do
		v=${BASH_REMATCH[1]} u=${BASH_REMATCH[2]} t=${BASH_REMATCH[3]}
		case $u in
		w) n=$((n + v * 604800)) ;;
		d) n=$((n + v * 86400)) ;;
		h) n=$((n + v * 3600)) ;;
		m) n=$((n + v * 60)) ;;
		s) n=$((n + v)) ;;
		esac
	done
	[[ -z $t ]] || return 1
	echo "$n"
}

# al_json [FILTER]: jq FILTER (default .) over `address-list print` as JSON
al_json() { rosh_router -j -c "$A print" | jq -c "${1:-.}"; }

# in_kernel SET ADDR: the set/map of table ip rosh holds ADDR (read by nft)
in_kernel() {
	ip netns exec "$NS_ROUTER" nft list set ip rosh "$1" 2>/dev/null |
		grep -q -- "$2" ||
		ip netns exec "$NS_ROUTER" nft list map ip rosh "$1" 2>/dev/null |
		grep -q -- "$2"
}

@test "address list: host, prefix and range decide src/dst-address-list, with and without !" {
	run -0 rosh_router -c "$LIST_L
$F
add chain=forward connection-state=established,related action=accept
add chain=forward dst-address-list=L action=drop"
	# comments print, and are the kernel's element comments
	run -0 rosh_router -c "$A print"
	assert_line --index 2 ';;; host'
	assert_line --regexp '^0 +L +10\.0\.0\.20 '
	assert_line ';;; pfx'
	assert_line --regexp '^1 +L +10\.0\.1\.0/24 '
	assert_line ';;; rng'
	assert_line --regexp '^2 +L +10\.0\.0\.40-10\.0\.0\.60 '
	run -0 ip netns exec "$NS_ROUTER" nft list ruleset
	assert_output --partial '10.0.0.20 comment "host"'
	assert_output --partial '10.0.0.40 . 10.0.0.60 comment "rng"'

	run -0 reach "${DST[@]}"
	assert_output 010100
	run -0 rosh_router -c "$F set 1 dst-address-list=!L"
	run -0 reach "${DST[@]}"
	assert_output 101011
	run -0 rosh_router -c "$F set 1 !dst-address-list src-address-list=L"
	run -0 rosh_router -c "$F print"
	assert_line --regexp '^ *1 +chain=forward action=drop src-address-list=L$'
	run -0 reach "${SRC[@]}"
	assert_output 010100
	run -0 rosh_router -c "$F set 1 src-address-list=!L"
	run -0 reach "${SRC[@]}"
	assert_output 101011
	# the client's own address is not in L either: its new traffic drops
	run -0 reach l:10.0.0.30
	assert_output 0
}

@test "address list: disable an entry and traffic no longer matches it; enable, remove" {
	run -0 rosh_router -c "$LIST_L
$F add chain=forward dst-address-list=L action=drop"
	run -0 reach "${DST[@]}"
	assert_output 010100

	run -0 rosh_router -c "$A disable [find comment=rng]"
	run -0 rosh_router -c "$A print where comment=rng"
	assert_line --regexp '^2 X L +10\.0\.0\.40-10\.0\.0\.60 '
	run -0 reach "${DST[@]}"
	assert_output 011101
	run -0 rosh_router -c "$A disable [find comment=host]"
	run -0 reach "${DST[@]}"
	assert_output 111101

	run -0 rosh_router -c "$A enable [find]"
	run -0 reach "${DST[@]}"
	assert_output 010100

	run -0 rosh_router -c "$A remove [find comment=pfx]"
	run -0 reach "${DST[@]}"
	assert_output 010110
	run -0 rosh_router -c "$A print"
	refute_output --partial 10.0.1.0
	run in_kernel alr_L 10.0.1.0
	assert_failure
	run in_kernel alx_L 10.0.1.0
	assert_failure
	run -0 rosh_router -c "$A remove [find comment=host]"
	run -0 reach l:10.0.0.20
	assert_output 1
}

@test "timeout= entries: D and a countdown in print; they expire in the kernel on their own" {
	run -0 rosh_router -c "$A
add list=T address=10.0.0.20 timeout=5s comment=short
add list=T address=10.0.0.60-10.0.0.70 timeout=5s
add list=T address=10.0.1.0/24 timeout=1h
$F add chain=forward dst-address-list=T action=drop"
	run -0 rosh_router -c "$A print"
	assert_line --regexp '^0 D T +10\.0\.0\.20 +[-0-9]+ [:0-9]+ +[0-5]s$'
	assert_line --regexp '^1 D T +10\.0\.0\.60-10\.0\.0\.70 +[-0-9]+ [:0-9]+ +[0-5]s$'
	assert_line --regexp '^2 D T +10\.0\.1\.0/24 +[-0-9]+ [:0-9]+ +(1h|59m5[0-9]s)$'
	run -0 al_json '[.[] | .dynamic] | all'
	assert_output true
	# (by address: the 5s entries may be gone by the second read)
	t1=$(dur_s "$(al_json '.[] | select(.address == "10.0.1.0/24") | .timeout' | tr -d '"')")
	run -0 reach l:10.0.0.20 l:10.0.0.30 l:10.0.0.70 l:10.0.1.5
	assert_output 0100
	sleep 1
	t2=$(dur_s "$(al_json '.[] | select(.address == "10.0.1.0/24") | .timeout' | tr -d '"')")
	((t1 > t2 && t2 > 3500)) || fail "no countdown: $t1 then $t2"

	# the kernel drops them by itself: no rosh command runs meanwhile
	gone() { ! in_kernel alh_T 10.0.0.20 && ! in_kernel alr_T 10.0.0.60; }
	wait_for -t 10 gone
	run -0 reach l:10.0.0.20 l:10.0.0.30 l:10.0.0.70 l:10.0.1.5
	assert_output 1110
	run -0 rosh_router -c "$A print"
	refute_output --partial short
	refute_output --partial 10.0.0.20
	refute_output --partial 10.0.0.60
	assert_line --regexp '^0 D T +10\.0\.1\.0/24 '
}

@test "add-src/dst-to-address-list fed by traffic: dynamic entries with a timeout, matched later, expiring" {
	run -0 rosh_router -c "$F
add chain=forward connection-state=established,related action=accept
add chain=forward protocol=udp dst-port=7777 action=add-src-to-address-list address-list=knock address-list-timeout=3s
add chain=forward protocol=udp dst-port=7778 action=add-dst-to-address-list address-list=seen address-list-timeout=3s
add chain=forward src-address-list=knock action=accept
add chain=forward dst-address-list=seen action=accept
add chain=forward action=drop"
	run -0 reach l:10.0.0.50 w:10.0.0.50
	assert_output 00
	run -0 al_json length
	assert_output 0

	# the client knocks (dropped in the end, but its source is listed)
	udp_knock "$NS_LAN" "$SERVER_IP" 7777
	run -0 rosh_router -c "$A print"
	assert_line --regexp '^0 D knock +192\.168\.88\.50 +[-0-9]+ [:0-9]+ +[0-3]s$'
	run -0 al_json '.[0] | [.list, .address, .dynamic]'
	assert_output '["knock","192.168.88.50",true]'
	run -0 reach l:10.0.0.50 w:10.0.0.50
	assert_output 10

	# the server sends to the client's port 7778: the destination is listed
	udp_knock "$NS_WAN" "$CLIENT_IP" 7778
	run -0 al_json '[.[] | select(.list == "seen") | .address, .dynamic, (.timeout != null)]'
	assert_output '["192.168.88.50",true,true]'
	run -0 reach l:10.0.0.50 w:10.0.0.50
	assert_output 11
	run -0 rosh_router -c "$A export"
	refute_output --partial 192.168.88.50

	al_empty() { [[ $(al_json length) == 0 ]]; }
	wait_for -t 6 al_empty
	run -0 reach l:10.0.0.50 w:10.0.0.50
	assert_output 00
}

@test "address-list-timeout=none-dynamic: a dynamic entry without timeout, not exported" {
	run -0 rosh_router -c "$F
add chain=forward protocol=udp dst-port=7777 action=add-src-to-address-list address-list=nd address-list-timeout=none-dynamic
add chain=forward src-address-list=nd action=drop"
	run -0 reach l:10.0.0.50
	assert_output 1
	udp_knock "$NS_LAN" "$SERVER_IP" 7777
	run -0 al_json '.[0] | [.list, .address, .dynamic, .timeout]'
	assert_output '["nd","192.168.88.50",true,null]'
	run -0 rosh_router -c "$A print"
	assert_line --regexp '^0 D nd +192\.168\.88\.50 +[-0-9]+ [:0-9]+$'
	run -0 reach l:10.0.0.50
	assert_output 0
	run -0 rosh_router -c "$A export"
	refute_output --partial 192.168.88.50
	# no timeout: still there later, and removable
	sleep 1
	run -0 al_json length
	assert_output 1
	run -0 rosh_router -c "$A remove [find list=nd]"
	run -0 reach l:10.0.0.50
	assert_output 1
}

@test "address-list-timeout=none-static: a static entry, exported" {
	run -0 rosh_router -c "$F
add chain=forward protocol=udp dst-port=7777 action=add-src-to-address-list address-list=ns address-list-timeout=none-static
add chain=forward src-address-list=ns action=drop"
	udp_knock "$NS_LAN" "$SERVER_IP" 7777
	run -0 al_json '.[0] | [.list, .address, .dynamic, .timeout]'
	assert_output '["ns","192.168.88.50",false,null]'
	run -0 rosh_router -c "$A print"
	assert_line --regexp '^0 +ns +192\.168\.88\.50 '
	run -0 reach l:10.0.0.50
	assert_output 0
	run -0 rosh_router -c "$A export"
	assert_line 'add address=192.168.88.50 list=ns'
	run -0 rosh_router -c "$F print detail"
	assert_output --partial 'address-list-timeout=none-static'
	# static: it can be changed like one added by hand
	run -0 rosh_router -c "$A set [find list=ns] comment=kept"
	run -0 rosh_router -c "$A disable [find list=ns]"
	run -0 reach l:10.0.0.50
	assert_output 1
}

IFLISTS='/interface list
add name=LAN
add name=WAN
add name=NOTWAN include=all exclude=WAN
/interface list member
add list=LAN interface=bridge
add list=WAN interface=ether1'

@test "interface lists: in/out-interface-list on members, include/exclude, all, none; traffic shows the match" {
	run -0 rosh_router -c "$IFLISTS
$F
add chain=forward connection-state=established,related action=accept
add chain=forward action=drop in-interface-list=none"
	# each case: the rule's matcher, then LAN->WAN and WAN->LAN (1 = passes)
	local cases=(
		'in-interface-list=NOTWAN 01'
		'in-interface-list=!NOTWAN 10'
		'in-interface-list=WAN 10'
		'in-interface-list=!LAN 10'
		'in-interface-list=LAN 01'
		'out-interface-list=WAN 01'
		'out-interface-list=!WAN 10'
		'out-interface-list=NOTWAN 10'
		'in-interface-list=all 00'
		'in-interface-list=none 11'
		'in-interface-list=!none 00'
		'out-interface-list=!all 11'
		'in-interface-list=LAN out-interface-list=WAN 01'
		'in-interface-list=LAN out-interface-list=LAN 11'
	)
	local c want got bad=
	for c in "${cases[@]}"; do
		want=${c##* }
		run -0 rosh_router -c "$F set 1 !in-interface-list !out-interface-list ${c% *}"
		got=$(reach l:10.0.0.50 w:10.0.0.50)
		[[ $got == "$want" ]] || bad+="${c% *}: got $got, want $want; "
	done
	[[ -z $bad ]] || fail "$bad"
	run -0 rosh_router -c "$F print"
	assert_line --regexp '^ *1 +chain=forward action=drop in-interface-list=LAN out-interface-list=LAN$'

	# a member change moves the traffic: bridge leaves LAN
	run -0 rosh_router -c "$F set 1 !out-interface-list in-interface-list=LAN"
	run -0 reach l:10.0.0.50 w:10.0.0.50
	assert_output 01
	run -0 rosh_router -c "/interface list member disable [find interface=bridge]"
	run -0 reach l:10.0.0.50 w:10.0.0.50
	assert_output 11
	# exclude=LAN instead of WAN: NOTWAN now holds ether1, not bridge
	run -0 rosh_router -c "/interface list member enable [find interface=bridge]
$F set 1 in-interface-list=NOTWAN
/interface list set [find name=NOTWAN] exclude=LAN"
	run -0 reach l:10.0.0.50 w:10.0.0.50
	assert_output 10
}

@test "a member naming a missing interface is accepted; once it exists the rule matches it" {
	local ext=$ROSH_NS_PREFIX-ext
	run -0 rosh_router -c "$IFLISTS
/interface list add name=EXT
/interface list member add list=EXT interface=ether9 comment=later
$F add chain=forward action=drop out-interface-list=EXT"
	run -0 rosh_router -c '/interface list member print'
	assert_line --regexp '^2 +EXT +ether9$'
	# now the interface appears: a veth to a fourth namespace
	ns_create "$ext"
	ip -n "$NS_ROUTER" link add ether9 type veth peer name eth0 netns "$ext"
	ip -n "$NS_ROUTER" addr add 172.16.0.1/24 dev ether9
	ip -n "$ext" addr add 172.16.0.2/24 dev eth0
	ip -n "$NS_ROUTER" link set ether9 up
	ip -n "$ext" link set eth0 up
	ip -n "$ext" route add default via 172.16.0.1
	run -0 reach l:172.16.0.2 l:10.0.0.50
	assert_output 01
	run -0 rosh_router -c "/interface list member disable [find interface=ether9]"
	run -0 reach l:172.16.0.2 l:10.0.0.50
	assert_output 11
	# a list including EXT sees ether9 too
	run -0 rosh_router -c "/interface list member enable [find interface=ether9]
/interface list add name=OUTER include=EXT,WAN
$F set 0 out-interface-list=OUTER"
	run -0 reach l:172.16.0.2 l:10.0.0.50
	assert_output 00
	ns_destroy "$ext"
}

@test "removing an interface list in use: a RouterOS error naming the list, kernel unchanged" {
	run -0 rosh_router -c "$IFLISTS
$F add chain=forward action=accept in-interface-list=!LAN
/ip firewall nat add chain=srcnat action=masquerade out-interface-list=WAN"
	before=$(ruleset_snapshot "$NS_ROUTER")
	run -1 rosh_router -c '/interface list remove [find name=LAN]'
	assert_output --regexp '^-c:1:1: failure: interface list LAN is used by filter rule \*1'
	refute_output --partial ifl_
	run -1 rosh_router -c '/interface list remove [find name=WAN]'
	assert_output --partial 'failure: interface list WAN is used by list NOTWAN'
	run -1 rosh_router -c '/interface list remove [find name=NOTWAN]; /interface list remove [find name=WAN]'
	assert_output --partial 'failure: interface list WAN is used by nat rule *1'
	refute_output --partial ifl_
	assert_equal "$(ruleset_snapshot "$NS_ROUTER")" "$before"
	# a rule rosh can not read (written by hand) using the list: the
	# kernel refuses, and the message still names the list, not its set
	ip netns exec "$NS_ROUTER" nft add rule ip rosh filter_forward \
		meta mark set iifname map @ifl_LAN
	before=$(ruleset_snapshot "$NS_ROUTER")
	run -1 rosh_router -c "$F remove 0; /interface list remove [find name=LAN]"
	assert_output --partial 'failure: interface list LAN: object is in use'
	refute_output --partial ifl_
	assert_equal "$(ruleset_snapshot "$NS_ROUTER")" "$before"
	# once no rule names it, it goes, and its set with it
	run -0 rosh_router -c "$F remove [find]"
	run -0 rosh_router -c '/interface list remove [find name=LAN]'
	run -0 rosh_router -c '/interface list print'
	refute_line --regexp ' LAN( |$)'
	run ip netns exec "$NS_ROUTER" nft list map ip rosh ifl_LAN
	assert_failure
}

@test "export of address-list and interface list: round trip into a fresh namespace; dynamic entries left out" {
	run -0 rosh_router -c "$IFLISTS
/interface list set [find name=LAN] comment=\"the lan\"
/interface list add name=EXT comment=later
/interface list member add list=EXT interface=ether9 disabled=yes comment=\"not yet\"
$LIST_L
$A
add list=L address=10.0.0.80 disabled=yes
add list=M address=10.9.0.0/16 comment=\"a prefix\"
add list=M address=10.8.0.0/16 dynamic=yes
add list=M address=10.7.0.1 timeout=1h
$F add chain=forward protocol=udp dst-port=7777 action=add-src-to-address-list address-list=knock address-list-timeout=1m"
	udp_knock "$NS_LAN" "$SERVER_IP" 7777
	run -0 al_json '[.[] | select(.dynamic) | .address] | sort'
	assert_output '["10.7.0.1","10.8.0.0/16","192.168.88.50"]'

	rosh_router -c "$A export" >"$BATS_TEST_TMPDIR/al.rsc"
	rosh_router -c '/interface list export' >"$BATS_TEST_TMPDIR/ifl.rsc"
	run cat "$BATS_TEST_TMPDIR/al.rsc"
	assert_line 'add address=10.0.0.20 comment=host list=L'
	assert_line 'add address=10.0.0.40-10.0.0.60 comment=rng list=L'
	assert_line 'add address=10.0.0.80 disabled=yes list=L'
	assert_line 'add address=10.9.0.0/16 comment="a prefix" list=M'
	refute_output --partial 10.8.0.0
	refute_output --partial 10.7.0.1
	refute_output --partial 192.168.88.50
	run cat "$BATS_TEST_TMPDIR/ifl.rsc"
	assert_line 'add exclude=WAN include=all name=NOTWAN'
	assert_line 'add comment="not yet" disabled=yes interface=ether9 list=EXT'

	local fresh=$ROSH_NS_PREFIX-fresh
	ns_create "$fresh"
	run -0 "$ROSH" -n "$fresh" -f "$BATS_TEST_TMPDIR/ifl.rsc"
	run -0 "$ROSH" -n "$fresh" -f "$BATS_TEST_TMPDIR/al.rsc"
	run -0 "$ROSH" -n "$fresh" -c "$A export"
	assert_equal "$(tail -n +2 <<<"$output")" "$(tail -n +2 "$BATS_TEST_TMPDIR/al.rsc")"
	run -0 "$ROSH" -n "$fresh" -c '/interface list export'
	assert_equal "$(tail -n +2 <<<"$output")" "$(tail -n +2 "$BATS_TEST_TMPDIR/ifl.rsc")"
	ns_destroy "$fresh"
}
