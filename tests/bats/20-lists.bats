#!/usr/bin/env bats
# The generic list commands (add, set, unset, remove, enable, disable,
# comment, move, reset-counters, get, find, print and its modes, -j) on the
# real list backends: /ip firewall filter and nat, /ip firewall address-list,
# /interface list and member, all in nftables `table ip rosh` of a namespace
# of this file. Every change is checked in the kernel (`nft list ...`).

load helpers/load

F='/ip firewall filter'
N='/ip firewall nat'
A='/ip firewall address-list'
I='/interface list'

setup_file() {
	require_rosh
	ns_new lists
	ip -n "$NS" link set lo up
}

teardown_file() {
	cleanup_all
}

setup() {
	require_rosh
	# every test starts from an empty rosh table
	ip netns exec "$NS" nft delete table ip rosh 2>/dev/null || true
}

# nft CMD...: nft inside the namespace
nft_ns() { ip netns exec "$NS" nft "$@"; }

# kcomments CHAIN: the comments of the kernel's rules of CHAIN, in order
kcomments() {
	nft_ns list chain ip rosh "$1" | grep -o 'comment "[^"]*"' | cut -d'"' -f2 | paste -sd' '
}

# jq_of MENU FILTER: jq FILTER over `MENU print` as JSON (-j)
jq_of() {
	rosh -j -c "$1 print" | jq -r "$2"
}

# comments MENU: the comments of the menu's items in print order
comments() { jq_of "$1" '[.[].comment] | join(" ")'; }

# id_of MENU COMMENT: the .id of the item with that comment
id_of() { jq_of "$1" ".[] | select(.comment == \"$2\") | .[\".id\"]"; }

# rules MENU CHAIN N: add N accept rules with comments r0..r(N-1)
rules() {
	local i cmd=
	for ((i = 0; i < $3; i++)); do
		cmd+="$1 add chain=$2 action=accept comment=r$i; "
	done
	rosh -c "$cmd"
}

@test "add with place-before= a number and an id: print and kernel order agree" {
	run -0 rosh -c "$F add chain=forward action=accept comment=a; $F add chain=forward action=drop comment=b"
	run -0 rosh -c "$F print; $F add chain=forward action=accept comment=c place-before=0"
	idb=$(id_of "$F" b)
	[[ $idb == \*[0-9A-F]* ]]
	run -0 rosh -c "$F add chain=forward action=accept comment=d place-before=$idb"
	run -0 rosh -c "$F add chain=forward action=accept comment=e place-before=[find comment=a]"
	assert_equal "$(comments "$F")" "c e a d b"
	assert_equal "$(kcomments filter_forward)" "c e a d b"
	run -0 nft_ns list chain ip rosh filter_forward
	assert_line --regexp 'counter packets 0 bytes 0 drop comment "b"$'
}

@test "set, unset, !prop, comment, disable, enable change the kernel rule" {
	run -0 rosh -c "$F add chain=input action=accept protocol=tcp dst-port=22 comment=ssh"
	run -0 rosh -c "$F set 0 dst-port=23"
	run -0 nft_ns list chain ip rosh filter_input
	assert_output --partial 'tcp dport 23 '
	run -0 rosh -c "$F unset 0 value-name=dst-port"
	run -0 nft_ns list chain ip rosh filter_input
	refute_output --partial 'dport'
	run -0 rosh -c "$F print"
	assert_line --regexp '^ +chain=input action=accept protocol=tcp$'
	run -0 rosh -c "$F comment 0 \"new text\""
	assert_equal "$(kcomments filter_input)" "new text"
	run -0 rosh -c "$F set 0 !comment"
	assert_equal "$(kcomments filter_input)" ""
	run -0 rosh -c "$F disable 0"
	assert_equal "$(jq_of "$F" '.[0].disabled')" true
	run -0 nft_ns list chain ip rosh filter_input
	assert_output --partial 'meta cpu & 0 == 1'
	run -0 rosh -c "$F print"
	assert_line --regexp '^ 0 X  chain=input'
	run -0 rosh -c "$F enable 0"
	assert_equal "$(jq_of "$F" '.[0].disabled')" false
	run -0 nft_ns list chain ip rosh filter_input
	refute_output --partial 'meta cpu & 0 == 1'
}

@test "comment with comment= named" {
	run -0 rosh -c "$F add chain=input action=accept"
	run -0 rosh -c "$F comment 0 comment=named"
	assert_equal "$(kcomments filter_input)" "named"
}

@test "remove by numbers 0,2, by .id, by [find where ...]; the kernel agrees" {
	rules "$F" forward 5
	run -0 rosh -c "$F print; $F remove 0,2"
	assert_equal "$(kcomments filter_forward)" "r1 r3 r4"
	id3=$(id_of "$F" r3)
	run -0 rosh -c "$F remove $id3"
	assert_equal "$(kcomments filter_forward)" "r1 r4"
	run -0 rosh -c "$F remove [find where comment=r4]"
	assert_equal "$(kcomments filter_forward)" "r1"
	# [find] matching nothing: a no-op, not an error
	run -0 rosh -c "$F remove [find where comment=nothing]"
	assert_equal "$(kcomments filter_forward)" "r1"
	run -0 rosh -c "$F remove [find]"
	run -0 rosh -c "$F print count-only"
	assert_output 0
}

@test "/interface list: items by name; members follow in the kernel map" {
	run -0 rosh -c "$I add name=lan; $I add name=wan comment=uplink; $I member add list=lan interface=veth-a; $I member add list=lan interface=veth-b"
	run -0 nft_ns list map ip rosh ifl_lan
	assert_output --partial '"veth-a" : 0x00000001'
	assert_output --partial '"veth-b" : 0x00000001'
	run -0 rosh -c "$I set lan comment=inside"
	assert_equal "$(jq_of "$I" '.[] | select(.name == "lan") | .comment')" inside
	run -0 rosh -c "$I remove wan"
	run -1 nft_ns list map ip rosh ifl_wan
	run -0 rosh -c "$I member disable [find interface=veth-a]"
	run -0 nft_ns list map ip rosh ifl_lan
	refute_output --partial '"veth-a" : 0x00000001'
	run -0 rosh -c "$I member remove [find where interface=veth-b]"
	run -0 nft_ns list map ip rosh ifl_lan
	refute_output --partial 'veth-b'
	assert_equal "$(jq_of "$I member" 'length')" 1
	run -0 rosh -c "$I member enable 0"
	run -0 nft_ns list map ip rosh ifl_lan
	assert_output --partial '"veth-a" : 0x00000001'
}

@test "address-list: add, set, disable, enable, remove; the kernel sets follow" {
	run -0 rosh -c "$A add list=bad address=192.0.2.1; $A add list=bad address=198.51.100.0/24 comment=net"
	run -0 nft_ns list map ip rosh alh_bad
	assert_output --partial '192.0.2.1 : 0x00000001'
	run -0 nft_ns list map ip rosh alr_bad
	assert_output --partial '198.51.100.0/24 : 0x00000001'
	run -0 rosh -c "$A disable [find address=192.0.2.1]"
	run -0 nft_ns list map ip rosh alh_bad
	refute_output --partial '192.0.2.1 : 0x00000001'
	run -0 rosh -c "$A enable 0"
	run -0 nft_ns list map ip rosh alh_bad
	assert_output --partial '192.0.2.1 : 0x00000001'
	run -0 rosh -c "$A set [find comment=net] address=198.51.100.128/25"
	run -0 nft_ns list map ip rosh alr_bad
	assert_output --partial '198.51.100.128/25'
	run -0 rosh -c "$A print; $A remove 1"
	run -0 nft_ns list map ip rosh alr_bad
	refute_output --partial '198.51.100.'
	assert_equal "$(jq_of "$A" '[.[].address] | join(" ")')" 192.0.2.1
}

@test "move: by numbers and destination; ids stay with their rules" {
	rules "$F" forward 4
	before=$(jq_of "$F" '[.[] | .comment + "=" + .[".id"]] | sort | join(" ")')
	# numbers refer to the print before the first move, as in RouterOS
	run -0 rosh -c "$F print; $F move 3 destination=0; $F move 0"
	assert_equal "$(comments "$F")" "r3 r1 r2 r0"
	assert_equal "$(kcomments filter_forward)" "r3 r1 r2 r0"
	id1=$(id_of "$F" r1)
	id3=$(id_of "$F" r3)
	run -0 rosh -c "$F move $id1 destination=$id3"
	assert_equal "$(kcomments filter_forward)" "r1 r3 r2 r0"
	run -0 rosh -c "$F print; $F move 1,2 destination=0"
	assert_equal "$(kcomments filter_forward)" "r3 r2 r1 r0"
	after=$(jq_of "$F" '[.[] | .comment + "=" + .[".id"]] | sort | join(" ")')
	assert_equal "$after" "$before"
}

@test "reset-counters of one rule and reset-counters-all" {
	run -0 rosh -c "$F add chain=output action=accept protocol=icmp comment=icmp; $F add chain=output action=accept protocol=udp comment=udp"
	ip netns exec "$NS" ping -n -q -c 2 -i 0.2 127.0.0.1 >/dev/null
	echo x | ip netns exec "$NS" socat -u - UDP-SENDTO:127.0.0.1:9
	run -0 rosh -j -c "$F print stats"
	[[ $(jq '.[0].packets' <<<"$output") -ge 4 ]]
	[[ $(jq '.[1].packets' <<<"$output") -ge 1 ]]
	run -0 rosh -c "$F reset-counters 0"
	run -0 rosh -j -c "$F print stats"
	assert_equal "$(jq '.[0].packets, .[0].bytes' <<<"$output" | paste -sd' ')" "0 0"
	[[ $(jq '.[1].packets' <<<"$output") -ge 1 ]]
	run -0 nft_ns list chain ip rosh filter_output
	assert_line --regexp 'counter packets 0 bytes 0 accept comment "icmp"'
	refute_line --regexp 'counter packets 0 bytes 0 accept comment "udp"'
	run -0 rosh -c "$F reset-counters-all"
	run -0 rosh -j -c "$F print stats"
	assert_equal "$(jq '[.[].packets] | add' <<<"$output")" 0
	run -0 nft_ns list chain ip rosh filter_output
	assert_line --regexp 'counter packets 0 bytes 0 accept comment "udp"'
}

@test "get: one property by number, by id, by [find ...]" {
	run -0 rosh -c "$F add chain=input action=drop protocol=udp comment=x; $F add chain=forward action=accept comment=y"
	run -0 rosh -c "$F get 0 action"
	assert_output drop
	run -0 rosh -c "$F get [find comment=y] chain"
	assert_output forward
	run -0 rosh -c "$F get $(id_of "$F" x) protocol"
	assert_output udp
	run -0 rosh -c "$A add list=l address=10.1.2.3; $A get 0 address"
	assert_output 10.1.2.3
	run -0 rosh -c "$I add name=dmz comment=z; $I get dmz comment"
	assert_output z
}

@test "[find] as a value selects items for enable, disable, set" {
	rules "$F" input 2
	rules "$F" forward 2
	run -0 rosh -c "$F disable [find chain=input]"
	assert_equal "$(jq_of "$F" '[.[] | select(.disabled) | .comment] | join(" ")')" "r0 r1"
	run -0 rosh -c "$F set [find where chain=forward and comment=r1] action=drop"
	run -0 nft_ns list chain ip rosh filter_forward
	assert_line --regexp 'drop comment "r1"$'
	run -0 rosh -c "$F enable [find disabled]"
	assert_equal "$(jq_of "$F" '[.[] | select(.disabled)] | length')" 0
}

@test "numbers come from the last print of that menu in this session" {
	run -0 rosh -c "$F add chain=input action=accept comment=i0; $F add chain=forward action=accept comment=f1; $F add chain=input action=accept comment=i2; $F add chain=forward action=accept comment=f3"
	# a filtered print keeps the global numbers of the rows it shows
	run -0 rosh -c "$F print where chain=forward"
	assert_line --regexp '^ 1 +;;; f1$'
	assert_line --regexp '^ 3 +;;; f3$'
	run -0 rosh -c "$F print where chain=forward; $F remove 1"
	assert_equal "$(comments "$F")" "i0 i2 f3"
	# 0 was not shown by the last print: no such item, nothing removed
	before=$(ruleset_snapshot)
	run -1 --separate-stderr rosh -c "$F print where chain=forward; $F remove 0"
	assert_equal "$stderr" "-c:1:48: no such item"
	assert_equal "$(ruleset_snapshot)" "$before"
	# numbers stay valid after remove until the next print
	run -0 rosh -c "$F print; $F remove 0; $F remove 1"
	assert_equal "$(comments "$F")" "f3"
	# a print of another menu does not renumber this one
	run -0 rosh -c "$F add chain=forward action=accept comment=g"
	run -0 rosh -c "$N add chain=srcnat action=masquerade; $F print; $N print where chain=dstnat; $F remove 1"
	assert_equal "$(comments "$F")" "f3"
	# with no print yet, items are numbered as a print would (RouterOS)
	run -0 rosh -c "$F remove 0"
	assert_equal "$(kcomments filter_forward)" ""
}

@test "print modes on a rule menu: detail, terse, value-list, as-value, proplist, where, file" {
	run -0 rosh -c "$F add chain=input action=accept protocol=tcp dst-port=22 comment=ssh; $F add chain=forward action=drop disabled=yes"
	run -0 rosh -c "$F print"
	assert_line 'Flags: X - disabled, I - invalid; D - dynamic'
	assert_line --regexp '^ 0    ;;; ssh$'
	assert_line --regexp '^      chain=input action=accept protocol=tcp dst-port=22$'
	assert_line --regexp '^ 1 X  chain=forward action=drop$'
	run -0 rosh -c "$F print detail without-paging"
	assert_line --regexp '^ 0 +;;; ssh$'
	assert_line --regexp 'chain=input action=accept protocol=tcp dst-port=22 .*packets=0'
	run -0 rosh -c "$F print terse"
	assert_line --regexp '^ 0 +comment=ssh chain=input action=accept protocol=tcp dst-port=22 '
	assert_line --regexp '^ 1 X +chain=forward action=drop'
	run -0 rosh -c "$F print value-list"
	assert_line --regexp '^ +dst-port: 22$'
	run -0 rosh -c "$F print as-value"
	assert_line --regexp '^\.id=\*[0-9A-F]+;comment=ssh;chain=input;action=accept;protocol=tcp;dst-port=22;'
	run -0 rosh -c "$F print proplist=chain,action"
	assert_line --regexp '^ 1 X +chain=forward action=drop$'
	refute_output --partial 'protocol'
	run -0 rosh -c "$F print where protocol=tcp"
	assert_line --regexp 'dst-port=22'
	refute_output --partial 'chain=forward'
	run -0 rosh -c "$F print count-only where disabled"
	assert_output 1
	run -0 rosh -c "$F print count-only"
	assert_output 2
	run -0 rosh -c "$F print detail file=$BATS_TEST_TMPDIR/rules"
	assert_output ''
	run -0 cat "$BATS_TEST_TMPDIR"/rules.txt
	assert_line --regexp 'chain=input action=accept protocol=tcp dst-port=22'
	run -0 rosh -c "/ip firewall export file=$BATS_TEST_TMPDIR/fw"
	run -0 grep -c '^add ' "$BATS_TEST_TMPDIR/fw.rsc"
	assert_output 2
}

@test "print static, dynamic and from= narrow the print; from= numbers are those of the previous print" {
	run -0 rosh -c "$A
add list=s address=192.0.2.1
add list=d address=192.0.2.2 timeout=1h
add list=s address=192.0.2.3"
	run -0 rosh -c "$A print static"
	assert_line --regexp '^0 +s +192\.0\.2\.1 '
	assert_line --regexp '^2 +s +192\.0\.2\.3 '
	refute_output --partial 192.0.2.2
	run -0 rosh -c "$A print dynamic"
	assert_line --regexp '^1 D d +192\.0\.2\.2 '
	refute_output --partial 192.0.2.1
	run -0 rosh -c "$A print count-only static"
	assert_output 2
	run -0 rosh -c "$A
print
print from=0,2"
	assert_equal "$(grep -c 192.0.2.1 <<<"$output")" 2
	assert_equal "$(grep -c 192.0.2.2 <<<"$output")" 1
	run -0 rosh -c "$A print count-only from=[find list=d]"
	assert_output 1
	run -1 rosh -c "$A print from=9"
	assert_output --partial 'no such item'
}

@test "print modes on a table menu: address-list columns, where, proplist, as-value" {
	run -0 rosh -c "$A add list=bad address=192.0.2.1; $A add list=bad address=198.51.100.0/24 comment=net disabled=yes; $A add list=good address=203.0.113.7"
	run -0 rosh -c "$A print"
	assert_line --regexp '^Columns: LIST, ADDRESS, CREATION-TIME'
	assert_line --regexp '^0 +bad +192\.0\.2\.1 '
	assert_line ';;; net'
	assert_line --regexp '^1 X +bad +198\.51\.100\.0/24 '
	run -0 rosh -c "$A print where list=good"
	refute_output --partial 'bad'
	assert_line --regexp '^[0-9] +good +203\.0\.113\.7 '
	run -0 rosh -c "$A print proplist=address"
	assert_line --regexp '^2 +203\.0\.113\.7$'
	run -0 rosh -c "$A print as-value where address=192.0.2.1"
	assert_output --regexp '^\.id=\*[0-9A-F]+;list=bad;address=192\.0\.2\.1;creation-time='
	run -0 rosh -c "$A print detail where comment=net"
	assert_line --regexp '^ 1 X +;;; net$'
	run -0 rosh -c "$A print count-only where list=bad"
	assert_output 2
	run -0 rosh -c "$I print"
	assert_line --regexp '^[0-9] \* all$'
}

@test "a filtered print of address-list keeps the global numbers" {
	run -0 rosh -c "$A add list=bad address=192.0.2.1; $A add list=good address=203.0.113.7"
	run -0 rosh -c "$A print where list=good"
	assert_line --regexp '^1 +good +203\.0\.113\.7 '
	run -0 rosh -c "$A print where list=good; $A remove 1"
	assert_equal "$(jq_of "$A" '[.[].list] | join(" ")')" bad
}

@test "print count-only without where on address-list and interface list" {
	run -0 rosh -c "$A add list=bad address=192.0.2.1"
	run -0 rosh -c "$A print count-only"
	assert_output 1
	run -0 rosh -c "$I print count-only"
	assert_output 4
}

@test "-j: flags as booleans, .id, counters as numbers with print stats" {
	run -0 rosh -c "$F add chain=input action=accept comment=a; $F add chain=input action=drop disabled=yes"
	run -0 rosh -j -c "$F print"
	assert_equal "$(jq -r '[.[] | .disabled | type] | join(" ")' <<<"$output")" "boolean boolean"
	assert_equal "$(jq -r '[.[].disabled] | join(" ")' <<<"$output")" "false true"
	assert_equal "$(jq -r '[.[] | .[".id"] | test("^\\*[0-9A-F]+$")] | all' <<<"$output")" true
	assert_equal "$(jq -r '.[0] | keys_unsorted | .[0]' <<<"$output")" .id
	run -0 rosh -j -c "$F print stats"
	assert_equal "$(jq -r '[.[] | (.bytes | type), (.packets | type)] | unique | join(" ")' <<<"$output")" number
	# stats in JSON keeps the flags and the comment
	assert_equal "$(jq -r '[.[] | .disabled] | join(" ")' <<<"$output")" "false true"
	assert_equal "$(jq -r '.[0].comment' <<<"$output")" a
	run -0 rosh -c "$A add list=x address=10.0.0.1 timeout=1h"
	run -0 rosh -j -c "$A print"
	assert_equal "$(jq -r '.[0].dynamic' <<<"$output")" true
	run -0 rosh -j -c "$I print where builtin"
	assert_equal "$(jq -r '[.[].name] | join(" ")' <<<"$output")" "all none dynamic static"
	assert_equal "$(jq -r '.[0].builtin | type' <<<"$output")" boolean
}

@test "print right after add in the same run shows what the kernel holds" {
	run -0 rosh -j -c "$A add list=x address=10.0.0.1 timeout=1h; $A print"
	assert_equal "$(jq -r '.[0].dynamic' <<<"$output")" true
	assert_equal "$(jq -r '.[0].address' <<<"$output")" 10.0.0.1
}

@test ".id is stable across rosh runs and other rules' changes" {
	rules "$F" forward 3
	ids=$(jq_of "$F" '[.[] | .comment + "=" + .[".id"]] | join(" ")')
	id0=$(id_of "$F" r0)
	id2=$(id_of "$F" r2)
	run -0 rosh -c "$F remove [find comment=r1]"
	run -0 rosh -c "$F add chain=forward action=drop comment=new place-before=0"
	run -0 rosh -c "$F set [find comment=r2] action=drop"
	assert_equal "$(id_of "$F" r0)" "$id0"
	assert_equal "$(id_of "$F" r2)" "$id2"
	idn=$(id_of "$F" new)
	[[ $idn != "$id0" && $idn != "$id2" && -n $idn ]]
	run -0 rosh -c "$F remove $id2"
	assert_equal "$(kcomments filter_forward)" "new r0"
	assert_equal "$(id_of "$F" r0)" "$id0"
	run -0 rosh -c "$A add list=a address=10.9.9.9; $A add list=a address=10.9.9.8"
	ida=$(jq_of "$A" '.[1][".id"]')
	run -0 rosh -c "$A remove 0"
	assert_equal "$(jq_of "$A" '.[0][".id"]')" "$ida"
}

@test "bad input: RouterOS errors, exit 1, kernel unchanged" {
	run -0 rosh -c "$F add chain=forward action=accept comment=keep; $I add name=wan; $I add name=wan2"
	before=$(ruleset_snapshot)
	check() {	# check EXPECTED_STDERR COMMANDS
		run -1 --separate-stderr rosh -c "$2"
		assert_equal "$stderr" "$1"
		assert_equal "$(ruleset_snapshot)" "$before"
	}
	check "-c:1:46: input does not match any value of action" "$F add chain=forward action=bogus"
	check "-c:1:46: ambiguous value of action, more than one possible value matches input" "$F add chain=forward action=re"
	check "-c:1:1: no such item" "$F remove *7777"
	check "-c:1:1: no such item" "$F set 9 comment=x"
	check "-c:1:1: no such item" "$F disable 0,5"
	check "-c:1:1: no such item" "$I remove wa"
	check "-c:1:1: no such item" "$I remove nosuch"
	check "-c:1:1: failure: can not remove builtin list" "$I remove all"
	check "-c:1:1: failure: already have interface list with such name" "$I add name=wan"
	check "-c:1:1: input does not match any value of value-name" "$F get 0 nosuch"
	check "-c:1:1: input does not match any value of value-name" "$F unset 0 value-name=chain"
	check "-c:1:1: missing value(s) of argument(s) numbers" "$F remove"
	check "-c:1:1: no such item" "$F add chain=input action=accept place-before=*7777"
	check "-c:1:1: no such item" "$F add chain=input action=accept place-before=[find comment=none]"
	# one bad id of several: none of them is changed
	check "-c:1:1: no such item" "$F remove 0,7"
	check "-c:1:1: no such item" "$F move 0 destination=*7777"
}
