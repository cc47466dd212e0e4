#!/bin/sh
# Benchmark: rosh's firewall menus against nft on the same kind of ruleset.
#
# For each N it generates a RouterOS script of N rules (gen.py: mixed
# chains, user chains with jump, connection-state, interface lists,
# address lists, ports, comments) and the equivalent nft file (gen.py ...
# nft: the same rules written for nft by hand, see gen.py), then, each in
# throwaway network namespaces and as the median of RUNS runs:
#   import   rosh -f FILE.rsc (one nft transaction)  vs  nft -f FILE.nft
#   print    /ip firewall filter print                vs  nft list table ip rosh
#   export   /ip firewall filter export               vs  nft list table ip rosh
#            (nft lists rosh's own table: the one rosh prints)
#   enable   /ip firewall filter enable *ID of the middle rule of a chain of
#            N rules vs the same in a chain of 10 rules (the rule is
#            disabled again between runs, untimed)
#   RSS      peak RSS of print at N vs at the first N
# and prints a table with the ratios and PASS/MISS against the targets of
# issue 4 (at the largest N).
#
# usage: bench/nft/run.sh [N ...]        (default: 1000 10000)
# env:   ROSH   rosh binary (default: build/rosh)
#        RUNS   runs per command (default 5)
# Needs root, python3, nft and /usr/bin/time (Debian: python3, nftables,
# time). Never touches the initial namespace's firewall.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
ROSH=${ROSH:-$here/../../build/rosh}
RUNS=${RUNS:-5}
SIZES=${*:-1000 10000}
P=rosh-nftb-$$
tmp=$(mktemp -d)

cleanup() {
	for ns in A B C D; do ip netns del $P-$ns 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

[ -x "$ROSH" ] || { echo "no rosh binary at $ROSH (set ROSH=)" >&2; exit 1; }
for c in nft python3 /usr/bin/time; do
	command -v $c >/dev/null || { echo "$c missing" >&2; exit 1; }
done

now_us() { date +%s%N | cut -c1-16; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
fresh() { ip netns del "$1" 2>/dev/null || true; ip netns add "$1"; }
ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b ? a / b : 0 }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t ? "PASS" : "MISS") }'; }

# time_us CMD...: one run, output discarded; microseconds
time_us() {
	t0=$(now_us)
	"$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; echo "failed: $*" >&2; }
	echo $(( $(now_us) - t0 ))
}

row() {	# row N NAME ROSH_US OTHER_US TARGET
	r=$(ratio "$3" "$4")
	v=-
	[ "$5" != - ] && v=$(verdict "$r" "$5")
	printf '| %6s | %-44s | %9s | %9s | %5s | %6s | %4s |\n' "$1" "$2" \
		"$(ms "$3")" "$(ms "$4")" "$r" "$5" "$v"
}

echo "| N      | measure (rosh vs other)                      | rosh ms   | other ms  | ratio | target | ok   |"
echo "|--------|----------------------------------------------|-----------|-----------|-------|--------|------|"
F=/ip/firewall/filter
rss0=
for N in $SIZES; do
	python3 "$here/gen.py" "$N" mixed rsc > "$tmp/m.rsc"
	python3 "$here/gen.py" "$N" mixed nft > "$tmp/m.nft"
	python3 "$here/gen.py" "$N" chain rsc > "$tmp/c.rsc"
	python3 "$here/gen.py" 10 chain rsc > "$tmp/c10.rsc"
	: > "$tmp/ri"; : > "$tmp/ni"
	i=0
	while [ $i -lt "$RUNS" ]; do
		fresh $P-A; fresh $P-B
		time_us "$ROSH" -n $P-A -f "$tmp/m.rsc" >> "$tmp/ri"
		time_us ip netns exec $P-B nft -f "$tmp/m.nft" >> "$tmp/ni"
		i=$((i + 1))
	done
	n_rules=$("$ROSH" -n $P-A -c "$F print count-only")
	[ "$n_rules" -gt $((N * 9 / 10)) ] || { echo "import incomplete: $n_rules rules" >&2; exit 1; }
	row "$N" "import: rosh -f .rsc vs nft -f .nft" \
		"$(median < "$tmp/ri")" "$(median < "$tmp/ni")" 0.8
	: > "$tmp/rp"; : > "$tmp/re"; : > "$tmp/nl"; : > "$tmp/nb"
	i=0
	while [ $i -lt "$RUNS" ]; do
		time_us "$ROSH" -n $P-A -c "$F print" >> "$tmp/rp"
		time_us "$ROSH" -n $P-A -c "$F export" >> "$tmp/re"
		time_us ip netns exec $P-A nft list table ip rosh >> "$tmp/nl"
		time_us ip netns exec $P-B nft list table ip rosh >> "$tmp/nb"
		i=$((i + 1))
	done
	nl=$(median < "$tmp/nl")
	row "$N" "filter print vs nft list table ip rosh" "$(median < "$tmp/rp")" "$nl" 0.5
	row "$N" "filter export vs nft list table ip rosh" "$(median < "$tmp/re")" "$nl" 0.5
	row "$N" "(nft list of the nft-loaded table)" "$(median < "$tmp/nb")" "$nl" -
	# enable in a chain of N rules vs in a chain of 10 rules
	fresh $P-C; fresh $P-D
	"$ROSH" -n $P-C -f "$tmp/c.rsc"
	"$ROSH" -n $P-D -f "$tmp/c10.rsc"
	idc=$(printf '*%X' $((N / 2))); idd='*5'
	: > "$tmp/ec"; : > "$tmp/ed"
	i=0
	while [ $i -lt "$RUNS" ]; do
		"$ROSH" -n $P-C -c "$F disable $idc"
		time_us "$ROSH" -n $P-C -c "$F enable $idc" >> "$tmp/ec"
		"$ROSH" -n $P-D -c "$F disable $idd"
		time_us "$ROSH" -n $P-D -c "$F enable $idd" >> "$tmp/ed"
		i=$((i + 1))
	done
	row "$N" "enable one rule: chain of N vs chain of 10" \
		"$(median < "$tmp/ec")" "$(median < "$tmp/ed")" 2
	rss=$(/usr/bin/time -f %M "$ROSH" -n $P-A -c "$F print" 2>&1 >/dev/null | tail -1)
	if [ -z "$rss0" ]; then
		rss0=$rss; n0=$N
		echo "peak RSS of print: $rss KB at N=$N" >> "$tmp/rss"
	else
		r=$(ratio "$rss" "$rss0")
		echo "peak RSS of print: $rss KB at N=$N, $r x that at N=$n0 (target <= 2): $(verdict "$r" 2)" >> "$tmp/rss"
	fi
done
cat "$tmp/rss"
