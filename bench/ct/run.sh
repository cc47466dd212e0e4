#!/bin/sh
# Benchmark: rosh against conntrack-tools on the same conntrack table.
#
# For each N it creates a network namespace, fills its table with N
# synthetic entries through netlink (ct_fill.c), then times each pair of
# commands alternately (median of RUNS runs) and prints rosh's time, the
# conntrack-tools time and their ratio, plus rosh's peak RSS.
#
# usage: bench/ct/run.sh [N ...]        (default: 10000 100000 1000000)
# env:   ROSH   rosh binary (default: build/rosh)
#        RUNS   runs per command (default 5)
#
# Needs root. nf_conntrack_max is global and read-only inside namespaces;
# when N exceeds it, it is raised in the initial namespace and restored on
# exit (tests never touch it). A dump walks the kernel's whole hash table,
# other namespaces' entries included: compare ratios within one run.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
ROSH=${ROSH:-$here/../../build/rosh}
RUNS=${RUNS:-5}
SIZES=${*:-10000 100000 1000000}
NS=rosh-bench-$$
tmp=$(mktemp -d)
max_file=/proc/sys/net/netfilter/nf_conntrack_max
old_max=$(cat $max_file)

cleanup() {
	ip netns del $NS 2>/dev/null || true
	echo "$old_max" > $max_file
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

[ -x "$ROSH" ] || { echo "no rosh binary at $ROSH (set ROSH=)" >&2; exit 1; }
command -v conntrack >/dev/null || { echo "conntrack-tools missing" >&2; exit 1; }
${CC:-cc} -O2 -o "$tmp/ct_fill" "$here/ct_fill.c" -lmnl

now_ms() { date +%s%N | cut -c1-13; }

# Time one command (its output to /dev/null); prints milliseconds.
time_ms() {
	t0=$(now_ms)
	"$@" >/dev/null 2>&1 || true
	echo $(( $(now_ms) - t0 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

rosh() { "$ROSH" -n $NS -c "$1"; }
ct() { ip netns exec $NS sh -c "$1"; }

fill() {
	ct "conntrack -F" >/dev/null 2>&1 || true
	ip netns exec $NS "$tmp/ct_fill" "$1" 2>/dev/null || true
}

# compare NAME TARGET ROSH-CMD CONNTRACK-CMD [refill N]
compare() {
	name=$1 target=$2 rcmd=$3 ccmd=$4 refill=${5:-}
	: > "$tmp/r"; : > "$tmp/c"
	i=0
	while [ $i -lt "$RUNS" ]; do
		[ -n "$refill" ] && fill "$refill"
		time_ms rosh "$rcmd" >> "$tmp/r"
		[ -n "$refill" ] && fill "$refill"
		time_ms ct "$ccmd" >> "$tmp/c"
		i=$((i + 1))
	done
	r=$(median < "$tmp/r"); c=$(median < "$tmp/c")
	printf '| %8s | %-46s | %7s | %7s | %5s | %6s |\n' "$N" "$name" "$r" "$c" \
		"$(awk -v r="$r" -v c="$c" 'BEGIN { printf "%.2f", c ? r / c : 0 }')" \
		"$target"
}

rss_kb() {
	/usr/bin/time -f %M "$ROSH" -n $NS -c "$1" 2>&1 >/dev/null | tail -1
}

C=/ip/firewall/connection
echo "| N        | command (rosh vs conntrack-tools)              | rosh ms | ct ms   | ratio | target |"
echo "|----------|------------------------------------------------|---------|---------|-------|--------|"
for N in $SIZES; do
	ip netns add $NS
	if [ "$N" -gt "$old_max" ]; then
		echo $((N + N / 10)) > $max_file
	fi
	fill "$N"
	compare "print count-only where tcp-state=syn-sent" "<=0.6" \
		"$C print count-only where tcp-state=syn-sent" \
		"conntrack -L -p tcp --state SYN_SENT | wc -l"
	compare "print count-only" "<=1.5" \
		"$C print count-only" "conntrack -C"
	compare 'print where src-address~"10.0.0.50"' "<=0.8" \
		"$C print where src-address~\"10.0.0.50\"" \
		"conntrack -L -s 10.0.0.50"
	compare "print where protocol=icmp (kernel filter)" "<=0.25" \
		"$C print where protocol=icmp" "conntrack -L -p icmp"
	compare "print where src-address in 10.0.0.50/32 (kernel)" "<=0.25" \
		"$C print where src-address in 10.0.0.50/32" \
		"conntrack -L -s 10.0.0.50"
	compare "print where connection-mark=0x2 (kernel both)" "-" \
		"$C print where connection-mark=0x2" "conntrack -L -m 2"
	compare 'remove [find src-address~"10.0.0.50"]' "<=0.8" \
		"$C remove [find src-address~\"10.0.0.50\"]" \
		"conntrack -D -s 10.0.0.50" "$N"
	fill "$N"
	echo "peak RSS N=$N: $(rss_kb "$C print count-only where src-address~\"10.\"") KB streaming every entry (count-only), $(rss_kb "$C print where src-address~\"10.\"") KB printing every entry" >> "$tmp/rss"
	ip netns del $NS
done
cat "$tmp/rss"
