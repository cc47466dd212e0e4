#!/usr/bin/env bats
# Scripts as one nft transaction: rosh -f, -c, stdin and /import apply the
# firewall changes of a whole script together, so a failure anywhere in it
# (a run-time error, a kernel refusal) leaves the ruleset byte-identical.
# Commands of other menus (sysctl) commit the pending firewall changes
# first (docs/console.md, "Scripts and transactions"). Also --keep-going,
# and export leaving out built-in items.

load helpers/load

setup_file() {
	require_rosh
}

teardown_file() {
	cleanup_all
}

setup() {
	ns_new
}

teardown() {
	ns_del
}

# A ruleset with something in every nft menu, so "unchanged" means more
# than "still empty".
base_rules() {
	rosh -c '/interface list add name=LAN
/interface list member add list=LAN interface=veth9
/ip firewall address-list add list=ok address=192.0.2.1
/ip firewall filter add chain=input action=accept comment=base
/ip firewall nat add chain=srcnat action=masquerade out-interface=eth9'
}

script() {
	cat >"$BATS_TEST_TMPDIR/s.rsc"
}

@test "a run-time error late in a -f script applies none of its firewall lines" {
	run -0 base_rules
	before=$(ruleset_snapshot)
	script <<'RSC'
/ip firewall filter
add chain=forward action=drop comment=one
add chain=forward action=accept comment=two
/ip firewall address-list add list=bad address=198.51.100.0/24
/interface list add name=WAN
/ip firewall filter set [find comment=one] comment=uno
/ip firewall filter remove *7777
RSC
	run -1 rosh -f "$BATS_TEST_TMPDIR/s.rsc"
	assert_output --regexp "s\.rsc:7:[0-9]+: no such item"
	assert_equal "$(ruleset_snapshot)" "$before"
	# without the bad line the same script applies completely
	sed -i '$d' "$BATS_TEST_TMPDIR/s.rsc"
	run -0 rosh -f "$BATS_TEST_TMPDIR/s.rsc"
	run -0 rosh -c '/ip firewall filter print count-only'
	assert_output 3
	run -0 rosh -c '/ip firewall filter print terse where comment=uno'
	assert_line --partial 'action=drop'
}

@test "a kernel refusal of the batch (injected) changes nothing: -f, -c, stdin" {
	run -0 base_rules
	before=$(ruleset_snapshot)
	script <<'RSC'
/interface list add name=WAN
/interface list member add list=WAN interface=eth0
/ip firewall address-list add list=bad address=198.51.100.7
/ip firewall filter add chain=input action=drop in-interface-list=WAN
/ip firewall nat add chain=dstnat action=dst-nat to-addresses=192.0.2.9 protocol=tcp dst-port=80
RSC
	ROSH_NFT_INJECT_FAIL=1 run -1 rosh -f "$BATS_TEST_TMPDIR/s.rsc"
	assert_output --regexp '^.*s\.rsc:1:1: failure: .+\(nothing from this line on was applied\)$'
	assert_equal "$(ruleset_snapshot)" "$before"
	ROSH_NFT_INJECT_FAIL=1 run -1 rosh -c "$(cat "$BATS_TEST_TMPDIR/s.rsc")"
	assert_equal "$(ruleset_snapshot)" "$before"
	ROSH_NFT_INJECT_FAIL=1 run -1 bash -c "'$ROSH' -n '$NS' <'$BATS_TEST_TMPDIR/s.rsc'"
	assert_equal "$(ruleset_snapshot)" "$before"
	# the same script is fine without the injected refusal
	run -0 rosh -f "$BATS_TEST_TMPDIR/s.rsc"
	run -0 rosh -c '/ip firewall filter print count-only where in-interface-list=WAN'
	assert_output 1
}

@test "/import file=: one transaction, the error names file, line and column" {
	run -0 base_rules
	before=$(ruleset_snapshot)
	script <<'RSC'
/ip firewall filter add chain=forward action=drop comment=imp
/ip firewall address-list add list=imp address=203.0.113.0/24
/ip firewall filter move *4444
RSC
	run -1 rosh -c "/import file=$BATS_TEST_TMPDIR/s.rsc"
	assert_output --regexp "s\.rsc:3:[0-9]+: no such item"
	assert_equal "$(ruleset_snapshot)" "$before"
	ROSH_NFT_INJECT_FAIL=1 run -1 rosh -c "/import file=$BATS_TEST_TMPDIR/s.rsc"
	assert_equal "$(ruleset_snapshot)" "$before"
	# nested in a script: the outer script's lines go with it
	sed -i '$d' "$BATS_TEST_TMPDIR/s.rsc"
	ROSH_NFT_INJECT_FAIL=1 run -1 rosh -c "/ip firewall filter add chain=input action=drop comment=outer
/import file=$BATS_TEST_TMPDIR/s.rsc"
	assert_equal "$(ruleset_snapshot)" "$before"
	run -0 rosh -c "/ip firewall filter add chain=input action=drop comment=outer
/import file=$BATS_TEST_TMPDIR/s.rsc"
	run -0 rosh -c '/ip firewall filter print count-only where comment=outer or comment=imp'
	assert_output 2
}

@test "inside the transaction print, find and [find] see the pending changes" {
	script <<'RSC'
/ip firewall address-list add list=p address=192.0.2.5
/ip firewall address-list print count-only where list=p
/ip firewall address-list set [find list=p] comment=seen
/ip firewall address-list print terse where comment=seen
RSC
	run -0 rosh -f "$BATS_TEST_TMPDIR/s.rsc"
	assert_line --index 0 1
	assert_line --index 1 --partial 'address=192.0.2.5'
}

@test "a sysctl command commits the firewall lines before it; later ones stay atomic" {
	run -0 rosh -c '/ip settings set rp-filter=no'
	script <<'RSC'
/ip firewall filter add chain=input action=accept comment=first
/ip settings set rp-filter=loose
/ip firewall filter add chain=input action=drop comment=second
/ip firewall filter remove *5555
RSC
	run -1 rosh -f "$BATS_TEST_TMPDIR/s.rsc"
	assert_output --regexp "s\.rsc:4:[0-9]+: no such item"
	run -0 rosh -c '/ip firewall filter print terse'
	assert_line --partial 'comment=first'
	refute_line --partial 'comment=second'
	run -0 ip netns exec "$NS" sysctl -n net.ipv4.conf.all.rp_filter
	assert_output 2
	# a refused commit before the sysctl line: the sysctl is not run
	run -0 rosh -c '/ip settings set rp-filter=no'
	before=$(kernel_snapshot)
	ROSH_NFT_INJECT_FAIL=1 run -1 rosh -c '/ip firewall filter add chain=input action=drop comment=third
/ip settings set rp-filter=strict'
	assert_output --partial 'failure: '
	assert_equal "$(kernel_snapshot)" "$before"
}

@test "--keep-going: every command on its own, all errors reported, summary, exit 1" {
	script <<'RSC'
/ip firewall filter
add chain=forward action=accept comment=a
add chain=forward action=frobnicate
add chain=forward action=drop log-prefix=~~~x comment=F2B#3 !psd
/ip firewall mangle
add chain=prerouting action=accept
/ip firewall filter { add chain=input action=accept comment=b
  add chain=input bogus=1 }
:global X 1
/ip firewall filter remove *6666
RSC
	run -1 rosh --keep-going -f "$BATS_TEST_TMPDIR/s.rsc"
	assert_line --regexp 's\.rsc:3:[0-9]+: input does not match any value of action$'
	assert_line --regexp 's\.rsc:5:[0-9]+: bad command name mangle \(/ip firewall mangle: not a menu of rosh\)$'
	assert_line --regexp 's\.rsc:6:1: bad command name mangle \(/ip firewall mangle: not a menu of rosh\)$'
	assert_line --regexp 's\.rsc:8:[0-9]+: expected end of command$'
	assert_line --regexp 's\.rsc:9:1: bad command name :global'
	assert_line --regexp 's\.rsc:10:[0-9]+: no such item$'
	assert_line 'rosh: /ip firewall filter: 3 of 6 commands applied'
	assert_line 'rosh: /ip firewall mangle: 0 of 1 commands applied (not a menu of rosh)'
	run -0 rosh -c '/ip firewall filter print terse'
	assert_line --partial 'comment=a'
	assert_line --partial 'comment=b'
	assert_line --regexp 'comment="F2B#3" .*log-prefix="~~~x"'
	# ...and a clean script exits 0
	run -0 rosh -k -c '/ip firewall filter add chain=input action=accept'
	assert_output 'rosh: /ip firewall filter: 1 of 1 commands applied'
}

@test "export leaves out built-in and dynamic items, and re-imports as it was" {
	run -0 rosh -c '/export'
	refute_output --partial '/interface list'
	run -0 base_rules
	run -0 rosh -c '/ip firewall address-list add list=tmp address=192.0.2.77 timeout=1h'
	run -0 rosh -c '/export'
	assert_line 'add name=LAN'
	refute_line --regexp 'name=(all|none|dynamic|static)$'
	refute_output --partial '192.0.2.77'
	tail -n +2 <<<"$output" >"$BATS_TEST_TMPDIR/x.rsc"
	first=$output
	ns_new
	run -0 rosh -f "$BATS_TEST_TMPDIR/x.rsc"
	run -0 rosh -c '/export'
	assert_equal "$(tail -n +2 <<<"$output")" "$(tail -n +2 <<<"$first")"
}

@test "another program commits while a script runs: rosh plans again, applies once, prints once" {
	base_rules
	local j
	{
		echo /ip firewall address-list
		for j in $(seq 1 4000); do echo "add list=big address=10.8.$((j / 250)).$((j % 250 + 1))"; done
	} >"$BATS_TEST_TMPDIR/big.rsc"
	run -0 rosh -f "$BATS_TEST_TMPDIR/big.rsc"
	# The print at the end writes more than a pipe holds, so rosh waits
	# there, inside its transaction, until the reader goes on; the
	# reader first commits a change of its own to another table. rosh's
	# batch, planned on the older ruleset, is refused by the kernel.
	script <<'EOF2'
/ip firewall filter add chain=forward action=drop comment=race1
/ip firewall filter add chain=forward action=accept comment=race2
/ip firewall address-list print
EOF2
	set -o pipefail
	rosh -f "$BATS_TEST_TMPDIR/s.rsc" 2>"$BATS_TEST_TMPDIR/err" | {
		head -c 4096
		ip netns exec "$NS" nft add table inet other
		cat
	} >"$BATS_TEST_TMPDIR/out"
	set +o pipefail
	run cat "$BATS_TEST_TMPDIR/err"
	assert_output ''
	run -0 ip netns exec "$NS" nft list tables
	assert_line 'table inet other'
	run -0 rosh -c '/ip firewall filter print terse where comment~"^race"'
	assert_line --index 0 --regexp 'comment=race1 chain=forward action=drop'
	assert_line --index 1 --regexp 'comment=race2 chain=forward action=accept'
	assert_equal "${#lines[@]}" 2
	# the print's output once: its 4000 entries, not again from the retry
	run -0 grep -c ' big ' "$BATS_TEST_TMPDIR/out"
	assert_output 4000
}
