#!/usr/bin/env bats
# Round trip of every /ip firewall filter and nat property through the
# kernel: `add` then `print terse`, `print detail` and `export` give back
# exactly the properties given (in canonical form), and properties or
# actions Linux cannot do are refused without touching the kernel.
#
# The cases are tables (heredocs below), one case a line:
#     menu | add arguments | expected properties (empty: the arguments)
# Expected properties are compared as sorted sets of words, so their order
# does not matter; a failure names the table line.

load helpers/load

setup_file() {
	require_rosh
	ns_new rt
	# lists and chains that rules name
	"$ROSH" -n "$NS" -c '/interface list add name=LAN
/interface list add name=WAN
/interface list member add list=LAN interface=bridge' >/dev/null
}

teardown_file() {
	cleanup_all
}

# The words of a property line, sorted, one a line ("a=b c=\"d e\"").
words() { grep -oE '([^ "]|"[^"]*")+' <<<"$1" | sort; }
unquote() { sed 's/"//g'; }

# Check one case; on a mismatch print why and return 1.
#   check_case LINE MENU ARGS WANT
# One rosh run: clear the menu, add, then export, print terse, print detail.
check_case() {
	local line=$1 menu=$2 args=$3 want=${4:-$3} out rc=0
	[[ " $want" == *" action="* ]] || want+=" action=accept"
	out=$(rosh -c "/ip firewall $menu remove [find dynamic=no]
/ip firewall $menu add $args
/ip firewall $menu export
/ip firewall $menu print terse where dynamic=no
/ip firewall $menu print detail where dynamic=no" 2>&1) || rc=$?
	if ((rc != 0)); then
		printf 'line %s: %s add %s: exit %d: %s\n' "$line" "$menu" "$args" "$rc" "$out"
		return 1
	fi
	local exp terse detail flags first comment=
	# export: the "add" line and its continuations, before the terse line
	exp=$(sed -n '/^ *[0-9]\+ /q;p' <<<"$out" | sed -n '/^add /,$p' |
		sed -e 's/ *\\$//' -e 's/^    / /' | tr -d '\n' | sed 's/^add //')
	terse=$(grep -m1 -E '^ *[0-9]+ ' <<<"$out")
	flags=$(sed -E 's/^ *[0-9]+ ([XID ]*) .*/\1/' <<<"$terse" | tr -d ' ')
	terse=$(sed -E 's/^ *[0-9]+ [XID ]*//' <<<"$terse")
	# detail: " 0 X  ;;; comment" then the properties, wrapped
	detail=$(sed -n '/^Flags:/,$p' <<<"$out" | sed 1d)
	first=$(head -n1 <<<"$detail" | sed -E 's/^ *[0-9]+ [XID ]*//')
	if [[ $first == ';;; '* ]]; then
		comment=${first#;;; }
		detail=$(sed 1d <<<"$detail")
	else
		detail=$(sed -E '1s/^ *[0-9]+ [XID ]*//' <<<"$detail")
	fi
	detail=$(tr '\n' ' ' <<<"$detail")

	local want_w got_e got_t got_d want_t want_d want_c bad=
	want_w=$(words "$want")
	got_e=$(words "$exp")
	got_t=$(words "$terse" | grep -Ev '^(bytes|packets)=')
	got_d=$(words "$detail" | grep -Ev '^(bytes|packets)=' | unquote | sort)
	[[ $got_e == "$want_w" ]] || bad+="export differs; "
	# print shows the X flag instead of disabled=yes
	want_t=$(grep -vx 'disabled=yes' <<<"$want_w")
	if [[ $want_t != "$want_w" ]]; then
		[[ $flags == *X* ]] || bad+="no X flag; "
	else
		[[ $flags != *X* ]] || bad+="unexpected X flag; "
	fi
	[[ $got_t == "$want_t" ]] || bad+="terse differs; "
	# detail: the comment on a ";;; " line, values may be quoted
	want_d=$(grep -v '^comment=' <<<"$want_t" | unquote | sort)
	want_c=$(grep '^comment=' <<<"$want_w" | sed 's/^comment=//' | unquote)
	[[ $got_d == "$want_d" ]] || bad+="detail differs; "
	[[ $comment == "$want_c" ]] || bad+="detail comment differs; "
	if [[ -n $bad ]]; then
		printf 'line %s: %s add %s: %s\n  want:   %s\n  export: %s\n  terse:  %s\n  detail: %s ;;; %s\n' \
			"$line" "$menu" "$args" "$bad" "$(tr '\n' ' ' <<<"$want_w")" \
			"$(tr '\n' ' ' <<<"$got_e")" "$(tr '\n' ' ' <<<"$got_t")" \
			"$(tr '\n' ' ' <<<"$got_d")" "$comment"
		return 1
	fi
}

# Run a table of cases read from stdin; the table starts at file line $1.
run_table() {
	local base=$1 n=0 fails=0 menu args want l
	while IFS= read -r l; do
		n=$((n + 1))
		[[ -z ${l// } || $l == \#* ]] && continue
		IFS='|' read -r menu args want <<<"$l"
		menu=${menu// } args=${args# } args=${args% } want=${want# } want=${want% }
		check_case "$((base + n))" "$menu" "$args" "$want" || fails=$((fails + 1))
	done
	((fails == 0)) || { echo "$fails case(s) failed"; return 1; }
}

# Line number (in this file) of the line holding TEXT, for the messages.
line_of() { grep -nF -- "$1" "$BATS_TEST_FILENAME" | head -n1 | cut -d: -f1; }

# ---- the cases ----------------------------------------------------------

FILTER_CASES=$(cat <<'EOF'
filter | chain=forward action=accept
filter | chain=input action=drop
filter | chain=output action=reject
filter | chain=forward action=drop comment=plain
filter | chain=forward action=drop comment="two words, and = signs"
filter | chain=forward action=drop disabled=yes
filter | chain=forward action=drop disabled=yes comment=off
filter | chain=forward action=accept log=yes
filter | chain=forward action=accept log=yes log-prefix=FW
filter | chain=forward action=accept log-prefix=quiet
filter | chain=forward action=log log-prefix=LOGGED
filter | chain=forward action=log
filter | chain=forward action=passthrough
filter | chain=forward action=jump jump-target=sub
filter | chain=sub action=return
filter | chain=sub action=accept protocol=udp
filter | chain=forward action=fasttrack-connection connection-state=established,related
filter | chain=forward action=fasttrack-connection connection-state=established,related hw-offload=yes
filter | chain=input action=reject reject-with=icmp-network-unreachable
filter | chain=input action=reject reject-with=icmp-host-unreachable
filter | chain=input action=reject reject-with=icmp-port-unreachable
filter | chain=input action=reject reject-with=icmp-protocol-unreachable
filter | chain=input action=reject reject-with=icmp-net-prohibited
filter | chain=input action=reject reject-with=icmp-host-prohibited
filter | chain=input action=reject reject-with=icmp-admin-prohibited
filter | chain=input action=reject reject-with=tcp-reset protocol=tcp
filter | chain=input action=add-src-to-address-list address-list=seen
filter | chain=input action=add-src-to-address-list address-list=seen address-list-timeout=1h
filter | chain=input action=add-dst-to-address-list address-list=seen address-list-timeout=1w2d3h4m5s
filter | chain=input action=add-src-to-address-list address-list=seen address-list-timeout=none-dynamic
filter | chain=input action=add-src-to-address-list address-list=seen address-list-timeout=none-static
filter | chain=input src-address=10.1.2.3
filter | chain=input src-address=10.1.0.0/16
filter | chain=input src-address=10.1.2.3-10.1.2.9
filter | chain=input src-address=!10.1.2.3
filter | chain=input src-address=!10.1.0.0/16
filter | chain=input src-address=!10.1.2.3-10.1.2.9
filter | chain=input dst-address=192.168.88.1
filter | chain=input dst-address=192.168.0.0/16
filter | chain=input dst-address=192.168.88.10-192.168.88.20
filter | chain=input dst-address=!192.168.0.0/16
filter | chain=input src-address=10.0.0.0/8 dst-address=!10.1.0.0/16
filter | chain=input src-address-list=blk
filter | chain=input src-address-list=!blk
filter | chain=input dst-address-list=blk
filter | chain=input dst-address-list=!blk
filter | chain=input src-address-list=a dst-address-list=b
filter | chain=input protocol=tcp
filter | chain=input protocol=udp
filter | chain=input protocol=icmp
filter | chain=input protocol=gre
filter | chain=input protocol=ipsec-esp
filter | chain=input protocol=!tcp
filter | chain=input protocol=6 | chain=input protocol=tcp action=accept
filter | chain=input protocol=47 | chain=input protocol=gre action=accept
filter | chain=input protocol=253
filter | chain=input protocol=!253
filter | chain=input protocol=tcp src-port=1024-65535
filter | chain=input protocol=udp dst-port=53
filter | chain=input protocol=tcp dst-port=22,80,443
filter | chain=input protocol=tcp dst-port=443,80,22
filter | chain=input protocol=tcp dst-port=!22
filter | chain=input protocol=tcp dst-port=!22,80,8000-8100
filter | chain=input protocol=udp src-port=53 dst-port=1024-65535
filter | chain=input protocol=tcp port=80,443
filter | chain=input protocol=tcp port=!8000-8100
filter | chain=input protocol=sctp dst-port=9
filter | chain=input protocol=udp-lite dst-port=9
filter | chain=input protocol=dccp src-port=!9
filter | chain=input protocol=udp port=53,67-68
filter | chain=input protocol=igmp
filter | chain=input protocol=ospf
filter | chain=input protocol=ipsec-ah
filter | chain=input protocol=icmpv6
filter | chain=input protocol=17 | chain=input protocol=udp action=accept
filter | chain=input in-interface=ether1
filter | chain=input in-interface=!ether1
filter | chain=output out-interface=bridge
filter | chain=forward in-interface=bridge out-interface=!ether1
filter | chain=forward in-interface=not-there-yet
filter | chain=forward in-interface-list=LAN
filter | chain=forward in-interface-list=!LAN
filter | chain=forward out-interface-list=WAN
filter | chain=forward in-interface-list=LAN out-interface-list=!WAN
filter | chain=forward in-interface-list=all
filter | chain=forward in-interface-list=none
filter | chain=forward in-interface-list=!dynamic
filter | chain=forward out-interface-list=static
filter | chain=forward connection-state=established
filter | chain=forward connection-state=related
filter | chain=forward connection-state=new
filter | chain=forward connection-state=invalid
filter | chain=forward connection-state=untracked
filter | chain=forward connection-state=established,related,untracked
filter | chain=forward connection-state=new,established
filter | chain=forward connection-state=!invalid
filter | chain=forward connection-state=!established,related
filter | chain=forward connection-nat-state=srcnat
filter | chain=forward connection-nat-state=dstnat
filter | chain=forward connection-nat-state=!dstnat
filter | chain=forward connection-nat-state=srcnat,dstnat
filter | chain=forward connection-mark=mk1
filter | chain=forward connection-mark=!mk1
filter | chain=forward connection-mark=no-mark
filter | chain=forward packet-mark=pm1
filter | chain=forward packet-mark=!pm1
filter | chain=forward packet-mark=no-mark
filter | chain=forward connection-mark=mk1 packet-mark=pm1
filter | chain=input protocol=tcp tcp-flags=syn
filter | chain=input protocol=tcp tcp-flags=!syn
filter | chain=input protocol=tcp tcp-flags=syn,!ack
filter | chain=input protocol=tcp tcp-flags=fin,psh,urg,!syn,!rst,!ack
filter | chain=input protocol=tcp tcp-flags=!fin,!syn,!rst,!ack
filter | chain=input protocol=icmp icmp-options=8
filter | chain=input protocol=icmp icmp-options=8:0
filter | chain=input protocol=icmp icmp-options=3:0-255
filter | chain=input protocol=icmp icmp-options=!8:0
filter | chain=input limit=10,5:packet
filter | chain=input limit=50/5s,2:packet
filter | chain=input limit=10,5 | chain=input limit=10,5:packet action=accept
filter | chain=input limit=8000,800:bit
filter | chain=input limit=1k,5 | chain=input limit=1000,5:packet action=accept
filter | chain=input limit=!10,5:packet
filter | chain=input dst-limit=32,32,src-and-dst-addresses/10s
filter | chain=input dst-limit=10/1m,5,dst-address
filter | chain=input dst-limit=1,9,src-address/1m
filter | chain=input dst-limit=5,5,addresses-and-dst-port
filter | chain=input protocol=tcp connection-limit=100,32
filter | chain=input protocol=tcp connection-limit=10,24
filter | chain=input protocol=tcp connection-limit=100 | chain=input protocol=tcp connection-limit=100,32 action=accept
filter | chain=input protocol=tcp connection-limit=!100,32
filter | chain=input packet-size=64
filter | chain=input packet-size=100-200
filter | chain=input packet-size=!0-100
filter | chain=forward protocol=tcp tcp-flags=syn tcp-mss=1453-65535
filter | chain=forward protocol=tcp tcp-mss=536
filter | chain=input ttl=equal:64
filter | chain=input ttl=not-equal:1
filter | chain=input ttl=less-than:10
filter | chain=input ttl=greater-than:200
filter | chain=input src-address-type=local
filter | chain=input src-address-type=!local
filter | chain=input dst-address-type=broadcast,multicast
filter | chain=input dst-address-type=unicast
filter | chain=input dst-address-type=!local
filter | chain=input dst-address-type=blackhole
filter | chain=input dst-address-type=prohibit
filter | chain=input dst-address-type=unreachable
filter | chain=input src-mac-address=00:11:22:AA:BB:CC
filter | chain=input src-mac-address=!00:11:22:AA:BB:CC
filter | chain=input random=50
filter | chain=input random=1
filter | chain=input nth=3,1
filter | chain=input nth=2 | chain=input nth=2,1 action=accept
filter | chain=input nth=!5,5
filter | chain=forward action=drop connection-state=new protocol=tcp src-address=10.0.0.0/8 dst-address=!192.168.88.1 dst-port=22 in-interface-list=WAN out-interface=bridge comment="everything at once" log=yes log-prefix=ALL
EOF
)

NAT_CASES=$(cat <<'EOF'
nat | chain=srcnat action=masquerade
nat | chain=srcnat action=masquerade out-interface-list=WAN
nat | chain=srcnat action=masquerade out-interface=ether1 protocol=tcp to-ports=10000-20000
nat | chain=srcnat action=src-nat to-addresses=10.0.0.1
nat | chain=srcnat action=src-nat to-addresses=10.0.0.1-10.0.0.5
nat | chain=srcnat action=src-nat protocol=udp to-addresses=10.0.0.1 to-ports=5000
nat | chain=srcnat action=src-nat src-address=192.168.88.0/24 to-addresses=10.0.0.1 comment=snat
nat | chain=dstnat action=dst-nat protocol=tcp dst-port=8080 in-interface=ether1 to-addresses=192.168.88.50 to-ports=80
nat | chain=dstnat action=dst-nat to-addresses=192.168.88.50
nat | chain=dstnat action=dst-nat protocol=tcp dst-port=8000-8010 to-addresses=192.168.88.50 to-ports=9000-9010
nat | chain=dstnat action=redirect protocol=tcp dst-port=53 to-ports=5353
nat | chain=dstnat action=redirect protocol=udp dst-port=53
nat | chain=dstnat action=netmap dst-address=10.0.0.0/24 to-addresses=192.168.88.0-192.168.88.255
nat | chain=srcnat action=netmap src-address=192.168.88.0/24 to-addresses=10.0.0.0-10.0.0.255
nat | chain=srcnat action=accept
nat | chain=dstnat action=jump jump-target=natsub
nat | chain=natsub action=return
nat | chain=srcnat action=log log-prefix=NAT
nat | chain=srcnat action=passthrough
nat | chain=srcnat action=add-src-to-address-list address-list=natted address-list-timeout=5m
nat | chain=dstnat action=add-dst-to-address-list address-list=dnatted
nat | chain=srcnat action=masquerade disabled=yes
nat | chain=srcnat action=masquerade src-address-list=!nonat out-interface-list=!LAN
nat | chain=dstnat action=dst-nat dst-address-type=local protocol=tcp dst-port=443 to-addresses=192.168.88.50 to-ports=8443
nat | chain=srcnat action=masquerade connection-mark=via-wan packet-mark=!x log=yes
EOF
)

@test "filter: every property round-trips through the kernel" {
	# shellcheck disable=SC2016 # a literal "$("
	run run_table "$(line_of 'FILTER_CASES=$(')" <<<"$FILTER_CASES"
	printf '%s\n' "$output"
	assert_success
}

@test "nat: every action and property round-trips through the kernel" {
	# shellcheck disable=SC2016 # a literal "$("
	run run_table "$(line_of 'NAT_CASES=$(')" <<<"$NAT_CASES"
	printf '%s\n' "$output"
	assert_success
}

# menu | arguments | the error expected (a regex on the output)
@test "unsupported properties and actions are refused and change nothing" {
	rosh -c '/ip firewall filter remove [find dynamic=no]
/ip firewall nat remove [find]
/ip firewall filter add chain=input action=accept comment=keep'
	local before after fails=0 n=0 base menu args err out rc l
	base=$(line_of 'BAD_CASES')
	while IFS= read -r l; do
		n=$((n + 1))
		before=$(ruleset_snapshot)
		IFS='|' read -r menu args err <<<"$l"
		menu=${menu// } args=${args# } args=${args% } err=${err# } err=${err% }
		rc=0
		out=$(rosh -c "/ip firewall $menu add $args" 2>&1) || rc=$?
		after=$(ruleset_snapshot)
		if ((rc != 1)) || ! grep -qE -- "$err" <<<"$out" || [[ $before != "$after" ]]; then
			printf 'line %s: %s add %s: exit %d, output %s (want /%s/)%s\n' \
				"$((base + n))" "$menu" "$args" "$rc" "$out" "$err" \
				"$([[ $before == "$after" ]] || echo ', ruleset changed')"
			fails=$((fails + 1))
		fi
	done <<'BAD_CASES'
filter | chain=forward action=tarpit protocol=tcp | tarpit is not supported on Linux
filter | chain=forward protocol=tcp tcp-mss=!536 | tcp-mss=!536 is not supported on Linux
filter | chain=forward layer7-protocol=http | failure: layer7-protocol is not supported on Linux$
filter | chain=forward psd=21,3s,3,1 | psd is not supported on Linux
filter | chain=forward hotspot=auth | hotspot is not supported on Linux
filter | chain=forward ipv4-options=any | ipv4-options is not supported on Linux
filter | chain=forward connection-rate=0-100k | connection-rate is not supported on Linux
filter | chain=forward per-connection-classifier=both-addresses:2/0 | per-connection-classifier is not supported on Linux
filter | chain=forward routing-mark=main | routing-mark is not supported on Linux
filter | chain=forward in-bridge-port=ether2 | in-bridge-port is not supported on Linux
filter | chain=forward out-bridge-port=ether2 | out-bridge-port is not supported on Linux
filter | chain=forward tls-host=*.example.com | tls-host is not supported on Linux
filter | chain=forward p2p=all-p2p | p2p is not supported on Linux
filter | chain=forward no-such-property=1 | expected end of command|unknown parameter|no such
filter | chain=forward action=explode | input does not match any value of action
filter | chain=forward src-address=10.0.0.300 | invalid value|expected|bad
filter | action=accept | chain|required|missing
filter | chain=forward action=jump | jump-target
filter | chain=forward action=reject reject-with=tcp-reset | failure: reject-with=tcp-reset can be used only with protocol=tcp$
filter | chain=forward action=reject reject-with=tcp-reset protocol=!tcp | failure: reject-with=tcp-reset can be used only with protocol=tcp$
filter | chain=forward dst-port=80 | protocol
filter | chain=forward action=accept to-addresses=1.2.3.4 | expected end of command|unknown|no such|to-addresses
nat | chain=srcnat action=tarpit | input does not match any value of action
nat | chain=dstnat action=dst-nat | to-addresses|to-ports
nat | chain=srcnat action=src-nat | to-addresses
nat | chain=srcnat action=masquerade layer7-protocol=x | failure: layer7-protocol is not supported on Linux$
filter | chain=forward action=drop src-address= comment=x | :1:[0-9]+: syntax error$
filter | chain=forward action=drop src-address="" comment=x | invalid value for argument src-address$
filter | chain=forward action=drop connection-state="" | invalid value for argument connection-state$
filter | chain=forward action=drop protocol="" | invalid value for argument protocol$
filter | chain=forward action=drop in-interface="" | invalid value for argument in-interface$
filter | chain=forward action=drop src-address-list="" | invalid value for argument src-address-list$
filter | chain=forward action=drop protocol=tcp dst-port="" | invalid value for argument dst-port$
filter | chain=forward action=drop src-address= | invalid value for argument src-address$
nat | chain=srcnat action=masquerade out-interface="" | invalid value for argument out-interface$
filter | chain=!forward action=drop | invalid value for argument chain$
filter | chain=forward action=jump jump-target=!x | invalid value for argument jump-target$
filter | chain=forward action=add-src-to-address-list address-list=a address-list-timeout=36w | invalid value for argument address-list-timeout$
filter | chain=forward log=yes log-prefix=01234567890123456789012345678901 | invalid value for argument log-prefix$
filter | chain=forward priority=5 | failure: priority is not supported on Linux$
filter | chain=forward ingress-priority=!3 | failure: ingress-priority is not supported on Linux$
filter | chain=forward realm=10 | failure: realm is not supported on Linux$
filter | chain=forward tos=16/252 | failure: tos is not supported on Linux$
filter | chain=forward in-bridge-port-list=LAN | failure: in-bridge-port-list is not supported on Linux$
filter | chain=forward out-bridge-port-list=!LAN | failure: out-bridge-port-list is not supported on Linux$
nat | chain=srcnat action=masquerade priority=1 | failure: priority is not supported on Linux$
nat | chain=srcnat action=masquerade randomise-ports=yes | failure: randomise-ports is not supported on Linux$
filter | chain=forward randomise-ports=yes | expected end of command
filter | chain=forward priority=64 | invalid value for argument priority
BAD_CASES
	((fails == 0))
}

# set with an empty value or a '!' where none is taken: refused, the rule
# and the kernel unchanged (an empty matcher must not become "no matcher").
@test "set: empty values and misplaced ! are refused and change nothing" {
	rosh -c '/ip firewall filter remove [find dynamic=no]
/ip firewall nat remove [find]
/ip firewall filter add chain=forward action=drop src-address=10.9.9.9 protocol=tcp dst-port=22 comment=guard'
	local before after fails=0 args out rc
	for args in 'src-address=""' 'protocol=""' 'dst-port=""' 'connection-state=""' \
		'in-interface=""' 'src-address-list=""' 'src-address= comment=x' \
		'chain=!forward' 'log-prefix=01234567890123456789012345678901'; do
		before=$(ruleset_snapshot)
		rc=0
		out=$(rosh -c "/ip firewall filter set [find comment=guard] $args" 2>&1) || rc=$?
		after=$(ruleset_snapshot)
		if ((rc != 1)) || ! grep -qE 'invalid value for argument|syntax error' <<<"$out" ||
			[[ $before != "$after" ]]; then
			printf 'set %s: exit %d, output %s%s\n' "$args" "$rc" "$out" \
				"$([[ $before == "$after" ]] || echo ', ruleset changed')"
			fails=$((fails + 1))
		fi
	done
	run rosh -c '/ip firewall filter print terse where comment=guard'
	assert_output --partial 'src-address=10.9.9.9'
	assert_output --partial 'dst-port=22'
	((fails == 0))
}

# The export's "add" commands of a menu, one a line (continuations joined).
export_adds() {
	sed -e ':a' -e '/\\$/{N;s/ *\\\n    / /;ba' -e '}' <<<"$1" | sed -n 's/^add //p'
}

@test "every case read back by a fresh rosh, and export re-imported gives the same export" {
	local l menu args want n=0 i line script=$BATS_TEST_TMPDIR/all.rsc
	local -a clines menus wants
	# one script with every case, in table order (filter, then nat)
	{
		echo '/interface list add name=LAN'
		echo '/interface list add name=WAN'
		local t base
		for t in FILTER_CASES NAT_CASES; do
			base=$(line_of "$t=\$(")
			i=0
			while IFS= read -r l; do
				i=$((i + 1))
				[[ -z ${l// } || $l == \#* ]] && continue
				IFS='|' read -r menu args want <<<"$l"
				menu=${menu// } args=${args# } args=${args% } want=${want# } want=${want% }
				want=${want:-$args}
				[[ " $want" == *" action="* ]] || want+=" action=accept"
				echo "/ip firewall $menu add $args"
				clines+=("$((base + i))") menus+=("$menu") wants+=("$want")
			done <<<"${!t}"
		done
	} >"$script"
	ns_new fresh
	run rosh -f "$script"
	assert_success
	# a new process decodes every rule from the kernel
	local fexp nexp terse
	fexp=$(rosh -c '/ip firewall filter export')
	nexp=$(rosh -c '/ip firewall nat export')
	terse=$(rosh -c '/ip firewall filter print terse where dynamic=no
/ip firewall nat print terse' | sed -E 's/^ *[0-9]+ [XID ]*//')
	local -a got gott
	mapfile -t got < <(export_adds "$fexp"; export_adds "$nexp")
	mapfile -t gott <<<"$terse"
	assert_equal "${#got[@]}" "${#wants[@]}"
	assert_equal "${#gott[@]}" "${#wants[@]}"
	local fails=0 ww
	for i in "${!wants[@]}"; do
		ww=$(words "${wants[i]}")
		if [[ $(words "${got[i]}") != "$ww" ]]; then
			echo "line ${clines[i]}: export of a fresh read: ${got[i]}"
			echo "  want: ${wants[i]}"
			fails=$((fails + 1))
		fi
		if [[ $(words "${gott[i]}" | grep -Ev '^(bytes|packets)=') != "$(grep -vx 'disabled=yes' <<<"$ww")" ]]; then
			echo "line ${clines[i]}: print terse of a fresh read: ${gott[i]}"
			echo "  want: ${wants[i]}"
			fails=$((fails + 1))
		fi
	done
	((fails == 0))
	# the export, imported into an empty namespace, exports the same
	{ echo '/interface list add name=LAN'; echo '/interface list add name=WAN'
	  echo "$fexp"; echo "$nexp"; } >"$BATS_TEST_TMPDIR/export.rsc"
	local first=$NS
	ns_new again
	run rosh -f "$BATS_TEST_TMPDIR/export.rsc"
	assert_success
	assert_equal "$(rosh -c '/ip firewall filter export' | grep -v '^# ')" \
		"$(grep -v '^# ' <<<"$fexp")"
	assert_equal "$(rosh -c '/ip firewall nat export' | grep -v '^# ')" \
		"$(grep -v '^# ' <<<"$nexp")"
	ns_del "$NS" "$first"
}

# ---- disabled rules in nft's own listing ---------------------------------
# A disabled rule carries the never-true marker `meta cpu & 0 == 1` in front
# (backend/nft.c). It must leave nft's reading of the rest of the rule alone:
# the marker of earlier versions, `meta nfproto ipv6`, made nft 1.0.6 read
# the IPv4 header matches after it as IPv6 and abort `nft list ruleset`.
MARKER='meta cpu & 0 == 1'

# The "add" commands of every case of both tables, one a line.
cases_script() {
	local t l menu args _
	for t in FILTER_CASES NAT_CASES; do
		while IFS= read -r l; do
			[[ -z ${l// } || $l == \#* ]] && continue
			IFS='|' read -r menu args _ <<<"$l"
			menu=${menu// } args=${args# } args=${args% }
			echo "/ip firewall $menu add $args"
		done <<<"${!t}"
	done
}

# The ids of MENU's enabled static rules, comma-separated.
enabled_ids() {
	rosh -j -c "/ip firewall $1 print" |
		jq -r '[.[] | select(.disabled == false and .dynamic == false)
			| .[".id"]] | join(",")'
}

# Rule lines of the rosh chains holding user rules (filter_*, nat_*) that
# do not start with the marker; and the number of those rule lines.
unmarked_rules() {
	awk -v m="$MARKER" '
		/^\tchain / { user = $2 !~ /^hook_/; next }
		/^\t}/ { user = 0; next }
		user && /^\t\t[^ ]/ && !/^\t\t(type|policy) / {
			n++; if (index($0, "\t\t" m " ") != 1) print "unmarked: " $0 }
		END { print "rules: " n + 0 }'
}

@test "every case disabled: nft list ruleset stays readable, enabling again restores the export" {
	local script=$BATS_TEST_TMPDIR/all.rsc fexp nexp fids nids nrules
	{ echo '/interface list add name=LAN'; echo '/interface list add name=WAN'
	  cases_script; } >"$script"
	ns_new disall
	run rosh -f "$script"
	assert_success
	fexp=$(rosh -c '/ip firewall filter export' | grep -v '^# ')
	nexp=$(rosh -c '/ip firewall nat export' | grep -v '^# ')
	fids=$(enabled_ids filter) nids=$(enabled_ids nat)
	[[ -n $fids && -n $nids ]]
	nrules=$(rosh -j -c '/ip firewall filter print where dynamic=no
/ip firewall nat print' | jq -s 'map(length) | add')
	run -0 rosh -c '/ip firewall filter disable [find]
/ip firewall nat disable [find]'
	run -0 ruleset_snapshot
	local listing=$output
	# every rule is there with the marker in front, and with its comment
	run unmarked_rules <<<"$listing"
	assert_output "rules: $nrules"
	local c
	while IFS= read -r c; do
		grep -qF "comment \"$c\"" <<<"$listing" ||
			{ echo "comment \"$c\" not in the listing"; return 1; }
	done < <(rosh -j -c '/ip firewall filter print where dynamic=no
/ip firewall nat print' | jq -r '.[] | select(.comment) | .comment')
	grep -qF 'comment "everything at once"' <<<"$listing"
	# the hidden fasttrack accept rule is off the same way, and names no
	# ct then (so it keeps no connection tracking on)
	grep -qE "$MARKER counter packets [0-9]+ bytes [0-9]+ accept" <<<"$listing"
	! grep -qF 'ct label 127' <<<"$listing"
	# rosh reads them all back as disabled, none invalid
	run -0 rosh -j -c '/ip firewall filter print where dynamic=no
/ip firewall nat print'
	assert_equal "$(jq -s '[.[][] | select(.disabled == false or .invalid)] | length' <<<"$output")" 0
	# enable what was enabled: the exports are as before
	run -0 rosh -c "/ip firewall filter enable $fids
/ip firewall nat enable $nids"
	assert_equal "$(rosh -c '/ip firewall filter export' | grep -v '^# ')" "$fexp"
	assert_equal "$(rosh -c '/ip firewall nat export' | grep -v '^# ')" "$nexp"
	run -0 ruleset_snapshot
	assert_output --partial 'ct label 127 counter'	# fasttrack on again
	ns_del
}

@test "a disabled rule with IPv4 header matches lists, and nft reads the listing back" {
	ns_new dis1
	run -0 rosh -c '/ip firewall filter add chain=input src-address=!10.0.0.0/8 protocol=tcp dst-port=1008 action=drop disabled=yes comment=off'
	run -0 ruleset_snapshot
	assert_line --regexp "^	+$MARKER ip saddr != 10\.0\.0\.0/8 .*tcp dport 1008 .*drop comment \"off\"\$"
	local listing=$output
	run -0 rosh -c '/ip firewall filter print terse'
	assert_line --regexp '^ 0 X +comment=off chain=input action=drop protocol=tcp src-address=!10.0.0.0/8 dst-port=1008 '
	# nft's listing is valid nft input meaning the same rules
	local first=$NS
	ns_new dis1copy
	ip netns exec "$NS" nft -f - <<<"$listing"
	assert_equal "$(ruleset_snapshot)" "$listing"
	ns_del "$NS" "$first"
}
