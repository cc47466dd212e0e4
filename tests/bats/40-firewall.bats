#!/usr/bin/env bats
# /ip firewall filter and nat on nftables, proven with real traffic through
# the router of the lab topology:
#   client NS_LAN 192.168.88.50 -- bridge [router] ether1 -- NS_WAN 10.0.0.50
# Every test starts from an empty rosh table and an empty conntrack table.

load helpers/load

setup_file() {
	require_rosh
	topo_up
	local log=$BATS_FILE_TMPDIR/servers.log
	# WAN servers: TCP echo, TCP "who are you" (prints the peer address),
	# UDP echo; LAN server on port 80: who are you
	bg_in "$NS_WAN" "$log" socat TCP-LISTEN:5001,reuseaddr,fork EXEC:cat
	# shellcheck disable=SC2016 # $SOCAT_PEERADDR is for the server's shell
	bg_in "$NS_WAN" "$log" socat TCP-LISTEN:5002,reuseaddr,fork \
		SYSTEM:'echo $SOCAT_PEERADDR'
	bg_in "$NS_WAN" "$log" socat UDP-RECVFROM:5353,reuseaddr,fork EXEC:cat
	# shellcheck disable=SC2016
	bg_in "$NS_LAN" "$log" socat TCP-LISTEN:80,reuseaddr,fork \
		SYSTEM:'echo lan-server $SOCAT_PEERADDR'
	wait_for -t 5 tcp_listening "$NS_WAN" 5001
	wait_for -t 5 tcp_listening "$NS_WAN" 5002
	wait_for -t 5 udp_bound "$NS_WAN" 5353
	wait_for -t 5 tcp_listening "$NS_LAN" 80
}

teardown_file() {
	cleanup_all
}

setup() {
	require_rosh
	fw_reset
}

# An empty firewall: rosh's table gone, conntrack flushed.
fw_reset() {
	ip netns exec "$NS_ROUTER" nft delete table ip rosh 2>/dev/null || true
	ip netns exec "$NS_ROUTER" nft delete table inet filter 2>/dev/null || true
	ip netns exec "$NS_ROUTER" nft delete table ip nat 2>/dev/null || true
	ip netns exec "$NS_ROUTER" conntrack -F >/dev/null 2>&1 || true
}

# The seed baseline, exactly as the issue writes it, plus a final drop.
SEED='/interface list
add name=LAN
add name=WAN
/interface list member
add list=LAN interface=bridge
add list=WAN interface=ether1
/ip firewall filter
add chain=forward action=accept connection-state=established,related,untracked
add chain=forward action=drop connection-state=invalid
add chain=forward action=accept connection-state=new in-interface-list=LAN out-interface-list=WAN
add chain=forward action=drop'

seed() {
	printf '%s\n' "$SEED" >"$BATS_TEST_TMPDIR/seed.rsc"
	rosh_router -f "$BATS_TEST_TMPDIR/seed.rsc"
}

# stats MENU: "ID PACKETS BYTES" per rule of `print stats`, from the JSON
# print; also checks that the plain `print stats` table shows the same
# numbers in the same order.
stats() {
	local menu=${1:-filter} json plain
	json=$(rosh_router -j -c "/ip firewall $menu print stats") || return
	plain=$(rosh_router -c "/ip firewall $menu print stats") || return
	local a b
	a=$(jq -r '.[] | "\(.bytes) \(.packets)"' <<<"$json")
	b=$(grep -E '^ *[0-9]+ ' <<<"$plain" | awk '{ print $(NF-1), $NF }')
	if [[ $a != "$b" ]]; then
		echo "print stats and -j print stats disagree:" >&2
		echo "$plain" >&2
		echo "$json" >&2
		return 1
	fi
	jq -r '.[] | "\(.[".id"]) \(.packets) \(.bytes)"' <<<"$json"
}

# pk STATS ID / by STATS ID: packets / bytes of rule ID in a stats output
pk() { awk -v id="$2" '$1 == id { print $2 }' <<<"$1"; }
by() { awk -v id="$2" '$1 == id { print $3 }' <<<"$1"; }

ping_n() { ip netns exec "$1" ping -n -q -c "$3" -i 0.2 -W 1 "$2" >/dev/null; }

# tcp_say FROM ADDR PORT: send a line, print what comes back
tcp_say() {
	echo hello | ip netns exec "$1" timeout 3 socat -T 2 -t 2 - "TCP:$2:$3"
}

# tcp_read FROM ADDR PORT: print what the server says (send nothing: a
# server that closes with unread data would reset the connection)
tcp_read() {
	ip netns exec "$1" timeout "${TCP_TIMEOUT:-3}" socat -T 2 -u "TCP:$2:$3" -
}

@test "seed baseline: LAN->WAN passes with its replies, WAN->LAN new is dropped, counters exact" {
	run -0 seed
	run -0 rosh_router -c '/ip firewall filter print'
	assert_line --regexp '^ *0 +chain=forward action=accept connection-state=established,related,untracked$'
	assert_line --regexp '^ *3 +chain=forward action=drop$'
	run -0 stats
	assert_output $'*1 0 0\n*2 0 0\n*3 0 0\n*4 0 0'

	# 5 pings LAN -> WAN: one new packet, 9 established (84 bytes each)
	ping_n "$NS_LAN" "$SERVER_IP" 5
	run -0 stats
	s=$output
	assert_equal "$(pk "$s" '*3') $(by "$s" '*3')" "1 84"
	assert_equal "$(pk "$s" '*1') $(by "$s" '*1')" "9 756"
	assert_equal "$(pk "$s" '*2') $(pk "$s" '*4')" "0 0"

	# 3 pings WAN -> LAN: each one new and dropped by the final drop
	run ! ping_n "$NS_WAN" "$CLIENT_IP" 3
	run -0 stats
	s=$output
	assert_equal "$(pk "$s" '*4') $(by "$s" '*4')" "3 252"
	assert_equal "$(pk "$s" '*3') $(pk "$s" '*1')" "1 9"

	# TCP LAN -> WAN: passes, the echo comes back; exactly one new packet
	run -0 tcp_say "$NS_LAN" "$SERVER_IP" 5001
	assert_output hello
	run -0 stats
	t=$output
	assert_equal "$(pk "$t" '*3')" 2
	(($(pk "$t" '*1') >= 9 + 4))
	assert_equal "$(pk "$t" '*4')" 3

	# TCP WAN -> LAN: refused by the drop rule
	TCP_TIMEOUT=1 run ! tcp_read "$NS_WAN" "$CLIENT_IP" 80
	run -0 stats
	(($(pk "$output" '*4') >= 4))
	assert_equal "$(pk "$output" '*3')" 2
}

@test "reset-counters and reset-counters-all zero the counters" {
	seed
	ping_n "$NS_LAN" "$SERVER_IP" 2
	run -0 rosh_router -c '/ip firewall filter reset-counters [find connection-state~"new"]'
	run -0 stats
	assert_equal "$(pk "$output" '*3') $(pk "$output" '*1')" "0 3"
	run -0 rosh_router -c '/ip firewall filter reset-counters-all'
	run -0 stats
	assert_output $'*1 0 0\n*2 0 0\n*3 0 0\n*4 0 0'
}

@test "NAT: masquerade and a dst-nat port forward translate real traffic" {
	seed
	run -0 rosh_router -c '/ip firewall filter add chain=forward action=accept connection-nat-state=dstnat place-before=3
/ip firewall nat add chain=srcnat action=masquerade out-interface-list=WAN
/ip firewall nat add chain=dstnat action=dst-nat protocol=tcp dst-port=8080 in-interface=ether1 to-addresses=192.168.88.50 to-ports=80'
	# the server sees the router's WAN address
	run -0 tcp_read "$NS_LAN" "$SERVER_IP" 5002
	assert_output "$ROUTER_WAN_IP"
	# a WAN client reaches the LAN server through router:8080 (no masquerade
	# towards the LAN: it sees the real client)
	run -0 tcp_read "$NS_WAN" "$ROUTER_WAN_IP" 8080
	assert_output "lan-server $SERVER_IP"
	# and without the port forward it cannot
	TCP_TIMEOUT=1 run ! tcp_read "$NS_WAN" "$CLIENT_IP" 80

	run -0 stats nat
	assert_equal "$(pk "$output" '*1') $(pk "$output" '*2')" "1 1"

	# a held masqueraded flow: rosh shows the translated reply tuple, as
	# conntrack -L does
	tcp_hold "$SERVER_IP" 5001
	local ct rport
	ct=$(conntrack_list "$NS_ROUTER" -p tcp --orig-port-src "$TCP_HOLD_SPORT" --orig-port-dst 5001)
	rport=$(grep -oP 'src=10\.0\.0\.50 dst=10\.0\.0\.1 sport=5001 dport=\K[0-9]+' <<<"$ct")
	[[ -n $rport ]]
	run -0 rosh_router -c "/ip firewall connection print detail where dst-address=\"$SERVER_IP:5001\" and src-address=\"$CLIENT_IP:$TCP_HOLD_SPORT\""
	assert_output --regexp "reply-src-address=$SERVER_IP:5001"
	assert_output --regexp "reply-dst-address=$ROUTER_WAN_IP:$rport"
	assert_line --regexp '^ *[0-9]+ +S?A?C? *s '
	# the port-forwarded flow: reply from the LAN server, d flag
	run -0 rosh_router -c "/ip firewall connection print detail where dst-address~\":8080\$\""
	assert_output --regexp "dst-address=$ROUTER_WAN_IP:8080"
	assert_output --regexp "reply-src-address=$CLIENT_IP:80"
	assert_line --regexp '^ *[0-9]+ .* d +protocol=tcp'
	run -0 conntrack_list "$NS_ROUTER" -p tcp --orig-port-dst 8080
	assert_output --regexp "src=$CLIENT_IP dst=$SERVER_IP sport=80"
	kill "$TCP_HOLD_PID" 2>/dev/null || true
}

# udp_flow N [SPORT]: N request/reply exchanges on one UDP connection
# (source port SPORT, default 40000), from one socket, each request sent
# only once the previous reply is back (so every packet after the first
# request finds the connection established); all N replies must come back.
udp_flow() {
	local n=$1 sport=${2:-40000}
	ip netns exec "$NS_LAN" python3 -c '
import socket, sys
n, sport, dst = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("", sport))
s.settimeout(3)
for i in range(n):
    s.sendto(b"x%d\n" % i, (dst, 5353))
    try:
        s.recvfrom(100)
    except socket.timeout:
        sys.exit("udp_flow: no reply to request %d of %d" % (i + 1, n))
' "$n" "$sport" "$SERVER_IP"
}

# The conntrack-label fast path, on any kernel: ROSH_NFT_FLOWTABLE=0 keeps
# a kernel with flowtables from offloading these flows past the counters
# (the offload is tested in a VM: tests/vm/).
@test "FastTrack: fasttracked flows skip the rules; disable/enable switches the fast path" {
	export ROSH_NFT_FLOWTABLE=0
	seed
	run -0 rosh_router -c '/ip firewall filter add chain=forward action=fasttrack-connection connection-state=established,related place-before=0'
	run -0 rosh_router -c '/ip firewall filter print'
	assert_line --regexp '^ *0 +D +;;; special dummy rule to show fasttrack counters$'
	# ids: *5 fasttrack, *1 established, *3 new, the dummy *FFFFFFFF
	udp_flow 1
	run -0 stats
	s=$output
	# request: new; reply: fasttracked (labelled) and accepted by *1
	assert_equal "$(pk "$s" '*3') $(pk "$s" '*5') $(pk "$s" '*1')" "1 1 1"
	run -0 rosh_router -c '/ip firewall connection print where protocol=udp and dst-address~":5353$"'
	assert_line --regexp '^ *0 +[A-Za-z]*F[A-Za-z]* +udp +192\.168\.88\.50:40000'

	# 3 more exchanges: 6 packets, all on the fast path
	udp_flow 3
	run -0 stats
	t=$output
	assert_equal "$(pk "$t" '*FFFFFFFF')" "$(($(pk "$s" '*FFFFFFFF') + 6))"
	assert_equal "$(pk "$t" '*5') $(pk "$t" '*1') $(pk "$t" '*3')" "1 1 1"

	# disabled: every packet walks the rules again
	run -0 rosh_router -c '/ip firewall filter disable [find action=fasttrack-connection]'
	run -0 rosh_router -c '/ip firewall filter print'
	refute_output --partial 'special dummy rule'
	assert_line --regexp '^ *0 +X +chain=forward action=fasttrack-connection'
	udp_flow 2
	run -0 stats
	u=$output
	assert_equal "$(pk "$u" '*1')" 5
	assert_equal "$(pk "$u" '*5')" 1

	# enabled again: the fast path is back
	run -0 rosh_router -c '/ip firewall filter enable [find action=fasttrack-connection]'
	run -0 stats
	v=$output
	udp_flow 2
	run -0 stats
	w=$output
	assert_equal "$(pk "$w" '*1') $(pk "$w" '*5')" "5 1"
	assert_equal "$(pk "$w" '*FFFFFFFF')" "$(($(pk "$v" '*FFFFFFFF') + 4))"
	# a new flow is fasttracked too: its first reply counts on *5
	udp_flow 2 40001
	run -0 stats
	assert_equal "$(pk "$output" '*5') $(pk "$output" '*3')" "2 2"
	assert_equal "$(pk "$output" '*FFFFFFFF')" "$(($(pk "$w" '*FFFFFFFF') + 2))"
}

@test "FastTrack on a kernel without flowtables: the label fast path only, nothing half-made" {
	if ip netns exec "$NS_ROUTER" nft -c 'add table ip t; add flowtable ip t f { hook ingress priority 0; }' 2>/dev/null; then
		skip "this kernel has flowtables (tests/vm/ covers the offload)"
	fi
	run -0 rosh_router -c '/ip firewall filter add chain=forward action=fasttrack-connection connection-state=established,related'
	run -0 ip netns exec "$NS_ROUTER" nft list table ip rosh
	assert_line --regexp '^[[:space:]]+ct label 127 counter packets [0-9]+ bytes [0-9]+ accept$'
	refute_output --partial flowtable
	refute_output --partial 'flow add'
	refute_output --partial rosh_ft_probe
	run -0 ip netns exec "$NS_ROUTER" nft list tables
	refute_output --partial rosh_ft_probe
}

FOREIGN='table inet filter {
	set blocked {
		type ipv4_addr
		flags interval
		elements = { 203.0.113.0/24 }
	}

	chain input {
		type filter hook input priority filter; policy accept;
		ct state established,related accept comment "hand-made"
		ip saddr @blocked drop
		tcp dport 22 accept
	}

	chain forward {
		type filter hook forward priority filter; policy accept;
		iifname "bridge" oifname "ether1" accept
	}
}
table ip nat {
	chain DOCKER {
		iifname "docker0" counter packets 0 bytes 0 return
	}

	chain PREROUTING {
		type nat hook prerouting priority dstnat; policy accept;
		fib daddr type local counter packets 0 bytes 0 jump DOCKER
	}

	chain POSTROUTING {
		type nat hook postrouting priority srcnat; policy accept;
		oifname != "docker0" ip saddr 172.17.0.0/16 counter packets 0 bytes 0 masquerade
	}
}'

foreign_snapshot() {
	ip netns exec "$NS_ROUTER" nft list table inet filter &&
	ip netns exec "$NS_ROUTER" nft list table ip nat
}

@test "tables of other programs are byte-identical after every rosh command" {
	printf '%s\n' "$FOREIGN" | ip netns exec "$NS_ROUTER" nft -f -
	local before after cmd n=0
	before=$(foreign_snapshot)
	cat >"$BATS_TEST_TMPDIR/imp.rsc" <<'EOF'
/ip firewall filter
add chain=input action=accept protocol=tcp dst-port=22 comment=ssh
add chain=input action=drop src-address-list=bad
/ip firewall nat
add chain=dstnat action=redirect protocol=udp dst-port=53 to-ports=5353
EOF
	while IFS= read -r cmd; do
		n=$((n + 1))
		run rosh_router -c "$cmd"
		((status == 0)) || fail "command $n failed: $cmd: $output"
		after=$(foreign_snapshot)
		[[ $after == "$before" ]] || {
			diff <(echo "$before") <(echo "$after")
			fail "command $n changed another table: $cmd"
		}
	done <<EOF
/interface list add name=LAN
/interface list add name=WAN
/interface list member add list=LAN interface=bridge
/interface list member add list=WAN interface=ether1
/ip firewall filter add chain=forward action=accept connection-state=established,related
/ip firewall filter add chain=forward action=accept in-interface-list=LAN out-interface-list=WAN
/ip firewall filter add chain=forward action=drop comment=last
/ip firewall filter add chain=forward action=jump jump-target=user place-before=0
/ip firewall filter add chain=user action=return protocol=icmp
/ip firewall filter set [find comment=last] log=yes log-prefix=DROP
/ip firewall filter move 3 0
/ip firewall filter disable [find comment=last]
/ip firewall filter enable [find comment=last]
/ip firewall filter comment [find chain=user] icmp-out
/ip firewall nat add chain=srcnat action=masquerade out-interface-list=WAN
/ip firewall nat add chain=dstnat action=dst-nat protocol=tcp dst-port=8080 to-addresses=192.168.88.50 to-ports=80
/ip firewall nat disable 1
/ip firewall address-list add list=bad address=198.51.100.0/24
/ip firewall address-list add list=bad address=198.51.100.7 timeout=1h
/ip firewall filter add chain=forward action=drop src-address-list=bad place-before=0
/import file-name=$BATS_TEST_TMPDIR/imp.rsc
/ip firewall filter reset-counters 0
/ip firewall filter reset-counters-all
/ip firewall nat reset-counters-all
/interface list member remove [find interface=ether1]
/interface list set [find name=WAN] include=LAN
/ip firewall address-list remove [find address=198.51.100.7]
/ip firewall filter remove [find chain=user]
/ip firewall filter remove [find]
/ip firewall nat remove [find]
/ip firewall address-list remove [find]
/interface list member remove [find]
/interface list remove [find name=WAN]
/interface list remove [find name=LAN]
EOF
	# rosh never listed them either
	run -0 rosh_router -c '/ip firewall filter print count-only'
	assert_output 0
}

@test "a command the kernel refuses changes nothing (injected failure)" {
	seed
	rosh_router -c '/ip firewall nat add chain=srcnat action=masquerade out-interface-list=WAN
/ip firewall address-list add list=x address=192.0.2.1'
	local before cmd
	before=$(kernel_snapshot "$NS_ROUTER")
	cat >"$BATS_TEST_TMPDIR/many.rsc" <<'EOF'
/ip firewall filter
add chain=input action=accept protocol=tcp dst-port=22
add chain=input action=accept protocol=udp dst-port=53
add chain=input action=drop place-before=0
/ip firewall nat
add chain=dstnat action=redirect protocol=tcp dst-port=80 to-ports=3128
/ip firewall address-list
add list=x address=192.0.2.2
EOF
	for cmd in "/import file-name=$BATS_TEST_TMPDIR/many.rsc" \
		'/ip firewall filter disable [find]' \
		'/ip firewall filter remove [find]' \
		'/ip firewall filter move 3 0' \
		'/ip firewall filter set [find] comment=changed' \
		'/ip firewall filter add chain=forward action=drop place-before=1' \
		'/ip firewall filter reset-counters-all' \
		'/ip firewall nat remove [find]' \
		'/ip firewall address-list add list=x address=192.0.2.3' \
		'/interface list member add list=LAN interface=ether2'; do
		run env ROSH_NFT_INJECT_FAIL=1 "$ROSH" -n "$NS_ROUTER" -c "$cmd"
		[[ $status == 1 ]] || fail "exit $status for: $cmd: $output"
		[[ $output == *"failure: injected failure"* ]] || fail "no clear error for $cmd: $output"
		[[ $(kernel_snapshot "$NS_ROUTER") == "$before" ]] || fail "kernel changed by: $cmd"
	done
	# the same script without the injected failure applies whole
	run -0 rosh_router -f "$BATS_TEST_TMPDIR/many.rsc"
	run -0 rosh_router -c '/ip firewall filter print count-only'
	assert_output 7
}

@test "bad input is refused with one clear error and changes nothing" {
	seed
	local before
	before=$(kernel_snapshot "$NS_ROUTER")
	run -1 rosh_router -c '/ip firewall filter add chain=forward action=drop no-such-prop=1'
	assert_output --regexp 'expected end of command'
	run -1 rosh_router -c '/ip firewall filter add chain=forward action=explode'
	assert_output --partial 'input does not match any value of action'
	run -1 rosh_router -c '/ip firewall filter add chain=forward action=drop layer7-protocol=http'
	assert_output --regexp 'failure: layer7-protocol is not supported on Linux$'
	run -1 rosh_router -c '/ip firewall nat add chain=dstnat action=masquerade'
	assert_output --partial 'failure:'
	# in a script, a bad line in the middle leaves the earlier lines undone
	printf '%s\n' '/ip firewall filter' 'add chain=input action=accept' \
		'add chain=input action=drop psd=21,3s,3,1' 'add chain=input' \
		>"$BATS_TEST_TMPDIR/bad.rsc"
	run -1 rosh_router -f "$BATS_TEST_TMPDIR/bad.rsc"
	assert_output --regexp 'bad\.rsc:3:.*psd is not supported on Linux'
	[[ ${#lines[@]} == 1 ]]
	assert_equal "$(kernel_snapshot "$NS_ROUTER")" "$before"
}

@test "a disabled rule stays printable (X), matches nothing, and nft shows comments" {
	seed
	run -0 rosh_router -c '/ip firewall filter add chain=forward action=drop protocol=icmp disabled=yes comment="no pings" place-before=0'
	run -0 rosh_router -c '/ip firewall filter print'
	assert_line --regexp '^ *0 +X +;;; no pings$'
	run -0 rosh_router -c '/ip firewall filter export'
	assert_output --regexp 'add action=drop chain=forward comment="no pings" disabled=yes protocol=icmp'
	ping_n "$NS_LAN" "$SERVER_IP" 2
	run -0 stats
	assert_equal "$(pk "$output" '*5')" 0
	# enabled it drops
	run -0 rosh_router -c '/ip firewall filter enable [find comment="no pings"]'
	run ! ping_n "$NS_LAN" "$SERVER_IP" 1
	run -0 stats
	assert_equal "$(pk "$output" '*5')" 1
	run -0 rosh_router -c '/ip firewall filter disable [find comment="no pings"]'
	ping_n "$NS_LAN" "$SERVER_IP" 1
	run -0 ip netns exec "$NS_ROUTER" nft list ruleset
	assert_output --partial 'comment "no pings"'
}

@test "comment <ids> comment=text (RouterOS's documented form)" {
	seed
	run -0 rosh_router -c '/ip firewall filter comment 3 "last drop"'
	run -0 rosh_router -c '/ip firewall filter print'
	assert_line --regexp '^ *3 +;;; last drop$'
	run -0 rosh_router -c '/ip firewall filter comment [find action=drop] comment=dropping'
	run -0 rosh_router -c '/ip firewall filter print count-only where comment=dropping'
	assert_output 2
}

@test "print stats interval= shows counters rising (a live view is not held in the script's transaction)" {
	seed
	local out=$BATS_TEST_TMPDIR/live.out
	# the add before it puts the script in a transaction: the live view
	# must still read the kernel each second
	timeout -s INT 4 "$ROSH" -n "$NS_ROUTER" -c \
		'/ip firewall filter add chain=input action=accept comment=live; /ip firewall filter print stats interval=1s where comment=live' \
		>"$out" &
	local pid=$!
	sleep 0.5
	ping_n "$NS_LAN" "$ROUTER_LAN_IP" 10
	wait "$pid" || true
	# the last refresh counts the pings to the router (input chain)
	local last
	last=$(grep -E '^ *[0-9]+ +input' "$out" | tail -1 | awk '{ print $NF }')
	[[ -n $last ]] || { cat "$out"; false; }
	((last >= 10)) || { cat "$out"; false; }
}

@test "tracking stays off (enabled=auto) once the last fasttrack rule is gone" {
	run -0 rosh_router -c '/ip firewall filter
add chain=forward action=fasttrack-connection connection-state=established,related
add chain=forward action=accept'
	ip netns exec "$NS_LAN" ping -n -q -c 1 -W 1 "$SERVER_IP" >/dev/null
	run -0 conntrack_list "$NS_ROUTER"
	assert_output --partial "dst=$SERVER_IP"
	run -0 rosh_router -c '/ip firewall filter remove [find action=fasttrack-connection]'
	# nothing of rosh's table names ct now, so the kernel tracks nothing
	run -0 ip netns exec "$NS_ROUTER" nft list table ip rosh
	refute_output --partial 'ct '
	ip netns exec "$NS_ROUTER" conntrack -F >/dev/null 2>&1
	ip netns exec "$NS_LAN" ping -n -q -c 1 -W 1 "$SERVER_IP" >/dev/null
	run -0 rosh_router -c '/ip firewall connection print count-only'
	assert_output 0
	# and a fasttrack rule brings the fast path (and tracking) back
	run -0 rosh_router -c '/ip firewall filter add chain=forward action=fasttrack-connection connection-state=established,related place-before=0'
	run -0 ip netns exec "$NS_ROUTER" nft list chain ip rosh hook_filter_forward
	assert_output --regexp 'ct label.*accept'
}
