#!/usr/bin/env bats
# The rule index. Commands that name filter or nat rules by *ID (enable,
# disable, comment, reset-counters) find them through the map "rids" of
# table ip rosh, (menu . id) -> (chain handle . rule handle): a cache,
# checked against the rule's own id on every hit; a miss or a stale entry
# falls back to reading every rule and rewrites the map (backend/nft_rids.c,
# nft_sparse.c). Here the index and the rules are changed behind rosh's back
# (with nft) and rosh must still act on the right rule, or say "no such
# item" and change nothing: never act on another rule.
#
# One namespace; the only traffic is pings to its own loopback (counters).
# Rules carry unique comments: that is how a kernel rule (nft -a list) is
# matched with the rosh rule it is.

load helpers/load

setup_file() {
	require_rosh
	ns_new ids
}

teardown_file() {
	cleanup_all
}

setup() {
	require_rosh
	nft_ns delete table ip rosh 2>/dev/null || true
}

nft_ns() { ip netns exec "$NS" nft "$@"; }

# rules [MENU]: "ID COMMENT FLAG" per rule as rosh prints them, in order
# (FLAG X: disabled, I: invalid, -: neither).
rules() {
	rosh -j -c "/ip firewall ${1:-filter} print" | jq -r '.[] |
		select(.dynamic | not) | "\(.[".id"]) \(.comment)" +
		if .disabled then " X" elif .invalid then " I" else " -" end'
}

# klines: every rule of rosh's filter_ and nat_ chains, "CHAIN: <nft -a
# line>" (the line ends with "# handle N").
klines() {
	local c
	for c in $(nft_ns -j list chains ip | jq -r '.nftables[] |
		.chain? // empty | select(.table == "rosh") | .name |
		select(test("^(filter|nat)_"))'); do
		nft_ns -a list chain ip rosh "$c" | sed -n "s/^\t\t/$c: /p"
	done
}

# handle COMMENT / chandle CHAIN: kernel handle of a rule / of a chain
handle() { klines | grep -F "comment \"$1\" #" | grep -oE '[0-9]+$'; }
chandle() {
	nft_ns -j list chains ip | jq -r --arg n "$1" '.nftables[] |
		.chain? // empty | select(.table == "rosh" and .name == $n) | .handle'
}

# only_changed HANDLE BEFORE: compared with BEFORE (klines), the kernel rule
# with that handle changed and every other rule is byte-identical.
only_changed() {
	local h=$1 before=$2 after
	after=$(klines)
	if ! diff <(grep -v "# handle $h\$" <<<"$before") \
		<(grep -v "# handle $h\$" <<<"$after") >&2; then
		echo "rules other than handle $h changed" >&2
		return 1
	fi
	if [[ $(grep "# handle $h\$" <<<"$before") == \
		$(grep "# handle $h\$" <<<"$after") ]]; then
		echo "rule handle $h did not change: $after" >&2
		return 1
	fi
}

# rids: the index, "MENU ID CHAIN-HANDLE RULE-HANDLE" per entry, decimal,
# sorted; nothing when the map is gone. (nft shows the u64 handles as two
# host-order marks, low word first on this little-endian host.)
rids() {
	nft_ns -j list map ip rosh rids 2>/dev/null | jq -r '.nftables[] |
		.map? // empty | (.elem // [])[] | [.[0].concat[0],
		.[0].concat[1], .[1].concat[0] + .[1].concat[1] * 4294967296,
		.[1].concat[2] + .[1].concat[3] * 4294967296] | map(tostring) |
		join(" ")' | sort -n -k1,1 -k2,2
}

# rids_put MENU ID CHAIN-HANDLE RULE-HANDLE: make (or overwrite) an entry.
rids_put() {
	nft_ns delete element ip rosh rids "{ $1 . $2 }" 2>/dev/null || true
	nft_ns add element ip rosh rids "{ $1 . $2 : $3 . 0 . $4 . 0 }"
}

# truth: "MENU ID COMMENT" (menu 1 filter, 2 nat; id in decimal) per rule
# rosh prints. idx: the same as the index says it, by following each entry
# to the kernel rule at its handles ("-" for the comment when there is no
# rule there: a stale entry of a removed rule).
truth() {
	local m=0 menu id c _
	for menu in filter nat; do
		m=$((m + 1))
		while read -r id c _; do
			echo "$m $((16#${id#\*})) $c"
		done < <(rules "$menu")
	done | sort -n -k1,1 -k2,2
}
idx() {
	local ch name
	# "CHAIN-HANDLE RULE-HANDLE COMMENT" of every rule, then the entries
	{ while read -r ch name; do
		nft_ns -a list chain ip rosh "$name" | sed -nE \
			"s/^\t\t.* comment \"([^\"]*)\" # handle ([0-9]+)\$/$ch \2 \1/p"
	done < <(nft_ns -j list chains ip | jq -r '.nftables[] | .chain? //
		empty | select(.table == "rosh") | "\(.handle) \(.name)"')
	echo --
	rids; } | awk '$1 == "--" { e = 1; next }
		!e { c[$1 " " $2] = $3; next }
		{ k = $3 " " $4; print $1, $2, (k in c ? c[k] : "-") }'
}

# index_ok: every entry that leads to a rule leads to the rule with its id,
# and every rule has an entry (rosh wrote them after its last commit).
index_ok() {
	local t i
	t=$(truth)
	i=$(idx)
	if grep -v ' -$' <<<"$i" | grep -vxF -f <(echo "$t") >&2; then
		echo "index entries leading to the wrong rule (above); rules: $t" >&2
		return 1
	fi
	if grep -vxF -f <(echo "$i") <<<"$t" >&2; then
		echo "rules missing from the index (above); index: $i" >&2
		return 1
	fi
}

# ros COMMAND: one command, as a script (rosh -c: the commands of a script
# are one nft transaction) or, with KG set, on its own (rosh -k: as typed
# at the prompt); the two take different paths in the backend.
ros() { rosh ${KG:+-k} -c "$1"; }

# read_bytes COMMAND: netlink bytes rosh reads for one command (ros;
# ROSH_NFT_DEBUG logs every receive). The command's own status is not
# checked here.
read_bytes() {
	ROSH_NFT_DEBUG=1 ros "$1" 2>&1 >/dev/null |
		awk '/^recv [0-9]+ for seq/ { s += $2 } END { print s + 0 }'
}

# Rules a, b (forward), c (input), d, e (forward): ids *1..*5.
five() {
	rosh -c '/ip firewall filter add chain=forward action=accept comment=a
/ip firewall filter add chain=forward action=drop protocol=tcp comment=b
/ip firewall filter add chain=input action=accept protocol=icmp comment=c
/ip firewall filter add chain=forward action=accept protocol=udp comment=d
/ip firewall filter add chain=forward action=drop comment=e'
}

# ids are stable across runs, moves and removes; the index follows the handles
case_1() {
	run -0 five
	run -0 rules
	assert_output $'*1 a -\n*2 b -\n*3 c -\n*4 d -\n*5 e -'
	run -0 index_ok

	# e to the top (a new handle: deleted and inserted), c removed
	local eh
	eh=$(handle e)
	run -0 ros '/ip firewall filter move *5 *1'
	run -0 ros '/ip firewall filter remove *3'
	[[ $(handle e) != "$eh" ]]
	run -0 rules
	assert_output $'*5 e -\n*1 a -\n*2 b -\n*4 d -'
	run -0 index_ok
	# c's entry is left to go stale
	run -0 idx
	assert_line '1 3 -'
	# a new rule gets a new id; the old ones stay
	run -0 ros '/ip firewall filter add chain=forward action=accept comment=f'
	run -0 rules
	assert_output $'*5 e -\n*1 a -\n*2 b -\n*4 d -\n*6 f -'
	run -0 index_ok

	# state commands by id act on that rule alone
	local before h
	before=$(klines) h=$(handle e)
	run -0 ros '/ip firewall filter disable *5'
	run -0 only_changed "$h" "$before"
	run -0 rules
	assert_output $'*5 e X\n*1 a -\n*2 b -\n*4 d -\n*6 f -'
	before=$(klines) h=$(handle d)
	run -0 ros '/ip firewall filter comment *4 comment=D'
	run -0 only_changed "$h" "$before"
	before=$(klines) h=$(handle e)
	run -0 ros '/ip firewall filter enable *5'
	run -0 only_changed "$h" "$before"
	before=$(klines)
	run -0 ros '/ip firewall filter disable *1,*6'
	diff <(grep -vE "# handle ($(handle a)|$(handle f))\$" <<<"$before") \
		<(klines | grep -vE "# handle ($(handle a)|$(handle f))\$")
	run -0 rules
	assert_output $'*5 e -\n*1 a X\n*2 b -\n*4 D -\n*6 f X'
	# a replace keeps the handle: the index still holds and is complete
	run -0 index_ok
	# no such id: an error, nothing changed
	before=$(ruleset_snapshot)
	run -1 ros '/ip firewall filter disable *3'
	assert_output --partial 'no such item'
	assert_equal "$(ruleset_snapshot)" "$before"
}

@test "ids are stable across runs, moves and removes; the index follows the handles (script)" { case_1; }
@test "ids are stable across runs, moves and removes; the index follows the handles (rosh -k)" { KG=1 case_1; }

# a missing entry or a missing map: the full read finds the rule and the index is rewritten
case_2() {
	run -0 five
	local before h
	nft_ns delete element ip rosh rids '{ 1 . 2 }'
	run -0 idx
	refute_line --regexp '^1 2 '
	before=$(klines) h=$(handle b)
	run -0 ros '/ip firewall filter disable *2'
	run -0 only_changed "$h" "$before"
	run -0 index_ok

	nft_ns flush map ip rosh rids
	[[ -z $(rids) ]]
	before=$(klines) h=$(handle c)
	run -0 ros '/ip firewall filter comment *3 comment=C'
	run -0 only_changed "$h" "$before"
	run -0 index_ok

	nft_ns delete map ip rosh rids
	before=$(klines) h=$(handle b)
	run -0 ros '/ip firewall filter enable *2'
	run -0 only_changed "$h" "$before"
	run -0 index_ok
	run -0 rules
	assert_output $'*1 a -\n*2 b -\n*3 C -\n*4 d -\n*5 e -'
}

@test "a missing entry or a missing map: the full read finds the rule and the index is rewritten (script)" { case_2; }
@test "a missing entry or a missing map: the full read finds the rule and the index is rewritten (rosh -k)" { KG=1 case_2; }

# an entry leading to another rule, or to nothing, never makes rosh act on another rule
case_3() {
	run -0 five
	run -0 rosh -c '/ip firewall nat add chain=srcnat action=masquerade comment=n'
	local fwd inp nat ha hb hc hn
	fwd=$(chandle filter_forward) inp=$(chandle filter_input)
	nat=$(chandle nat_srcnat)
	ha=$(handle a) hb=$(handle b) hc=$(handle c) hn=$(handle n)
	# where the entry of filter *2 (rule b) is made to lead: "CHAIN RULE"
	local cases=("$fwd $ha" "$inp $hc" "$nat $hn" "$fwd 999999" "999999 $hb")
	local c ch rh before flag=X cmd=disable
	for c in "${cases[@]}"; do
		read -r ch rh <<<"$c"
		rids_put 1 2 "$ch" "$rh"
		before=$(klines)
		run -0 ros "/ip firewall filter $cmd *2"
		only_changed "$hb" "$before" || fail "entry -> $ch $rh: $cmd *2"
		run -0 rules
		assert_line "*2 b $flag"
		refute_line --regexp '^\*[^2].* X$'
		index_ok || fail "index not rewritten after entry -> $ch $rh"
		if [[ $cmd == disable ]]; then cmd=enable flag=-; else cmd=disable flag=X; fi
	done

	# nat *1 led to filter *1 (same id, other menu)
	rids_put 2 1 "$fwd" "$ha"
	before=$(klines)
	run -0 ros '/ip firewall nat disable *1'
	run -0 only_changed "$hn" "$before"
	run -0 rules nat
	assert_output '*1 n X'
	run -0 rules
	assert_output $'*1 a -\n*2 b X\n*3 c -\n*4 d -\n*5 e -'
	run -0 index_ok
}

@test "an entry leading to another rule, or to nothing, never makes rosh act on another rule (script)" { case_3; }
@test "an entry leading to another rule, or to nothing, never makes rosh act on another rule (rosh -k)" { KG=1 case_3; }

# a rule replaced or deleted with nft: no such item, and nothing changes
case_4() {
	run -0 five
	local ha hb before cmd
	ha=$(handle a) hb=$(handle b)
	run -0 idx
	assert_line '1 2 b'
	# b's handle now holds a rule rosh did not write (no rosh id)
	nft_ns replace rule ip rosh filter_forward handle "$hb" counter drop comment '"imposter"'
	nft_ns delete rule ip rosh filter_forward handle "$ha"
	before=$(ruleset_snapshot)
	for cmd in 'disable *2' 'enable *2' 'comment *2 comment=x' \
		'reset-counters *2' 'disable *1' 'comment *1 comment=x'; do
		run -1 ros "/ip firewall filter $cmd"
		assert_output --partial 'no such item'
		[[ $(ruleset_snapshot) == "$before" ]] || fail "kernel changed by: $cmd"
	done
	run -0 rules
	assert_equal "$(grep -c . <<<"$output")" 4
	assert_line --regexp '^\*8[0-9A-F]{7} imposter I$'
	assert_line '*3 c -'
	assert_line '*4 d -'
	assert_line '*5 e -'
	# the others still work
	before=$(klines)
	run -0 ros '/ip firewall filter disable *4'
	run -0 only_changed "$(handle d)" "$before"
}

@test "a rule replaced or deleted with nft: no such item, and nothing changes (script)" { case_4; }
@test "a rule replaced or deleted with nft: no such item, and nothing changes (rosh -k)" { KG=1 case_4; }

# reset-counters *ID zeroes that rule's counters only, also through a wrong entry
case_5() {
	run -0 rosh -c '/ip firewall filter add chain=output action=passthrough protocol=icmp comment=p1
/ip firewall filter add chain=output action=passthrough protocol=icmp comment=p2
/ip firewall filter add chain=output action=accept comment=all'
	# packets of *1 *2 *3 (every packet passes all three)
	stats() {
		rosh -j -c '/ip firewall filter print stats' |
			jq -r '[.[] | .packets] | map(tostring) | join(" ")'
	}
	local n k
	ip netns exec "$NS" ping -n -q -c 2 -i 0.2 127.0.0.1 >/dev/null
	n=$(stats | cut -d' ' -f1)
	((n >= 2))
	run -0 stats
	assert_output "$n $n $n"
	run -0 ros '/ip firewall filter reset-counters *2'
	run -0 stats
	assert_output "$n 0 $n"
	ip netns exec "$NS" ping -n -q -c 1 127.0.0.1 >/dev/null
	k=$(stats | cut -d' ' -f2)
	((k >= 1))
	run -0 stats
	assert_output "$((n + k)) $k $((n + k))"
	# *1's entry leads to p2
	rids_put 1 1 "$(chandle filter_output)" "$(handle p2)"
	run -0 ros '/ip firewall filter reset-counters *1'
	run -0 stats
	assert_output "0 $k $((n + k))"
	run -0 index_ok
}

@test "reset-counters *ID zeroes that rule's counters only, also through a wrong entry (script)" { case_5; }
@test "reset-counters *ID zeroes that rule's counters only, also through a wrong entry (rosh -k)" { KG=1 case_5; }

@test "/import: state commands by id in one transaction, through missing and wrong entries" {
	run -0 five
	nft_ns delete element ip rosh rids '{ 1 . 3 }'
	rids_put 1 2 "$(chandle filter_forward)" "$(handle a)"
	cat >"$BATS_TEST_TMPDIR/ids.rsc" <<'EOF'
/ip firewall filter
disable *2
comment *3 comment=C
disable *4
EOF
	run -0 rosh -c "/import file-name=$BATS_TEST_TMPDIR/ids.rsc"
	run -0 rules
	assert_output $'*1 a -\n*2 b X\n*3 C -\n*4 d X\n*5 e -'
	run -0 index_ok

	# a script naming an id that is gone applies nothing
	local before
	before=$(ruleset_snapshot)
	printf '%s\n' '/ip firewall filter' 'enable *2' 'disable *9' \
		>"$BATS_TEST_TMPDIR/bad.rsc"
	run -1 rosh -c "/import file-name=$BATS_TEST_TMPDIR/bad.rsc"
	assert_output --partial 'no such item'
	assert_equal "$(ruleset_snapshot)" "$before"
}

# a command on one rule by id reads that rule, not the table (1000 rules)
case_6() {
	{
		echo '/ip firewall filter'
		for i in $(seq 1 1000); do
			echo "add chain=forward action=accept protocol=icmp comment=r$i"
		done
	} >"$BATS_TEST_TMPDIR/many.rsc"
	run -0 rosh -f "$BATS_TEST_TMPDIR/many.rsc"
	local one full before h
	before=$(klines) h=$(handle r500)
	one=$(read_bytes '/ip firewall filter disable *1F4')
	run -0 only_changed "$h" "$before"
	nft_ns delete map ip rosh rids
	full=$(read_bytes '/ip firewall filter enable *1F4')
	[[ $(klines) == "$before" ]]
	# rewritten by the full read: the next command is cheap again
	run -0 idx
	assert_equal "$(grep -c . <<<"$output")" 1000
	local again
	again=$(read_bytes '/ip firewall filter comment *1F4 comment=r500x')
	echo "bytes read: by id $one, full $full, by id again $again"
	((one * 10 < full && again * 10 < full))
	run -0 rules
	assert_line '*1F4 r500x -'
}

@test "a command on one rule by id reads that rule, not the table (1000 rules) (script)" { case_6; }
@test "a command on one rule by id reads that rule, not the table (1000 rules) (rosh -k)" { KG=1 case_6; }

# fasttrack rules by id switch the fast path (never the one-rule path)
case_7() {
	run -0 rosh -c '/ip firewall filter add chain=forward action=fasttrack-connection connection-state=established,related disabled=yes comment=ft
/ip firewall filter add chain=forward action=accept connection-state=established,related comment=est'
	# fastpath: the first rule of hook_filter_forward, on when it starts
	# with the ct label match (off: a never-true prefix in front)
	fastpath() {
		nft_ns list chain ip rosh hook_filter_forward | grep -F 'ct label' |
			grep -qE '^[[:space:]]*ct label'
	}
	run -0 index_ok
	run -1 fastpath
	run -0 ros '/ip firewall filter enable *1'
	run -0 fastpath
	run -0 rosh -c '/ip firewall filter print'
	assert_output --partial 'special dummy rule to show fasttrack counters'
	run -0 ros '/ip firewall filter disable *1'
	run -1 fastpath
	run -0 rules
	assert_output $'*1 ft X\n*2 est -'
}

@test "fasttrack rules by id switch the fast path (never the one-rule path) (script)" { case_7; }
@test "fasttrack rules by id switch the fast path (never the one-rule path) (rosh -k)" { KG=1 case_7; }
