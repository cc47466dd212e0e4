# shellcheck shell=bash
# Helpers for rosh's bats tests. In a .bats file:
#
#   load helpers/load
#   setup_file()    { topo_up; }          # client / router / server
#   teardown_file() { cleanup_all; }      # always runs, even after failures
#
#   @test "..." {
#       require_rosh
#       run rosh_router -c '/ip firewall connection print count-only'
#       assert_success
#   }
#
# Everything happens inside namespaces these helpers create; the root
# namespace's firewall and sysctls are never touched. ROSH (path of the rosh
# binary) may be unset: only rosh, rosh_router and require_rosh need it.

bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

_rosh_helpers=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/bats/helpers/topo.bash
. "$_rosh_helpers/topo.bash"

# ---- names ----------------------------------------------------------------
# Every namespace a test file makes is named ROSH_NS_PREFIX-something, where
# the prefix holds the bats run's pid and the test file's name: parallel
# runs and files never collide, and cleanup_all finds them all.
_rosh_stem=$(basename -- "${BATS_TEST_FILENAME:-shell}" .bats)
_rosh_stem=${_rosh_stem//[^A-Za-z0-9_-]/_}
ROSH_NS_PREFIX=${ROSH_NS_PREFIX:-rosh-t${BATS_ROOT_PID:-$$}-${_rosh_stem:0:24}}
_rosh_ns_seq=0

_rosh_bg_log() { printf '%s\n' "${BATS_FILE_TMPDIR:-/tmp}/rosh-bg.log"; }

# ns_new [NAME]: create namespace ROSH_NS_PREFIX-NAME (default: a fresh
# unique name) with lo up, and set and export NS to its name.
ns_new() {
	local name
	if [[ -n ${1:-} ]]; then
		name=$ROSH_NS_PREFIX-$1
	else
		_rosh_ns_seq=$((_rosh_ns_seq + 1))
		name=$ROSH_NS_PREFIX-t${BATS_TEST_NUMBER:-f}n$_rosh_ns_seq
	fi
	ns_create "$name" || return
	NS=$name
	export NS
}

# ns_del [NAME...]: kill the processes inside and delete (default: $NS).
ns_del() {
	if (($#)); then
		ns_destroy "$@"
	else
		ns_destroy "${NS:?ns_del: no NS}"
	fi
}

# ---- topology -------------------------------------------------------------
# topo_up [TAG]: create the lab's topology (see topo.bash) as namespaces
# NS_LAN, NS_ROUTER, NS_WAN (exported; NS is set to the router). A TAG
# makes a second, independent topology in the same test file.
topo_up() {
	_topo_names "${1:-}"
	topo_create "$NS_LAN" "$NS_ROUTER" "$NS_WAN" || return
	NS=$NS_ROUTER
	export NS
}

# topo_down [TAG]: kill every process in the topology's namespaces and
# delete them. Safe to call twice, or when topo_up never ran.
topo_down() {
	_topo_names "${1:-}"
	pty_stop
	topo_destroy "$NS_LAN" "$NS_ROUTER" "$NS_WAN"
}

_topo_names() {
	local p=$ROSH_NS_PREFIX${1:+-$1}
	NS_LAN=$p-lan NS_ROUTER=$p-router NS_WAN=$p-wan
	export NS_LAN NS_ROUTER NS_WAN
}

# cleanup_all: remove every namespace and tmux server this test file made
# (for teardown_file; also fine in teardown).
cleanup_all() {
	local ns
	pty_stop_all
	while read -r ns _; do
		[[ $ns == "$ROSH_NS_PREFIX"-* ]] || continue
		ns_destroy "$ns" || echo "cleanup_all: could not delete $ns" >&2
	done < <(ip netns list 2>/dev/null)
	return 0
}

# ---- rosh -----------------------------------------------------------------
# rosh ARGS...: run rosh inside $NS, as `rosh -n $NS ARGS...`.
rosh() {
	[[ -n ${ROSH:-} ]] || { echo "rosh: ROSH is not set" >&2; return 127; }
	"$ROSH" -n "${NS:?rosh: no NS}" "$@"
}

# rosh_router ARGS...: run rosh inside the router namespace.
rosh_router() {
	[[ -n ${ROSH:-} ]] || { echo "rosh_router: ROSH is not set" >&2; return 127; }
	"$ROSH" -n "${NS_ROUTER:?rosh_router: no topology (topo_up)}" "$@"
}

# require_rosh: skip this test when there is no rosh binary to test.
require_rosh() {
	[[ -n ${ROSH:-} && -x ${ROSH:-} ]] || skip "ROSH not set (no rosh binary)"
}

# ---- kernel state ---------------------------------------------------------
# ruleset_snapshot [NS]: `nft list ruleset` inside NS (default $NS; `-`
# for the root namespace, read-only). Compare two snapshots byte for byte.
ruleset_snapshot() {
	local ns=${1-${NS:-}}
	if [[ -z $ns || $ns == - ]]; then
		nft list ruleset
	else
		ip netns exec "$ns" nft list ruleset
	fi
}

# kernel_snapshot [NS]: the ruleset plus the sysctls rosh may write (rp_filter,
# forwarding, conntrack settings; not conntrack's live counters). For
# "a failed command changed nothing" checks.
kernel_snapshot() {
	local ns=${1-${NS:-}} pre=()
	[[ -z $ns || $ns == - ]] || pre=(ip netns exec "$ns")
	"${pre[@]}" nft list ruleset
	"${pre[@]}" sysctl net.ipv4.ip_forward net.ipv4.conf.all.rp_filter \
		net.ipv4.conf.default.rp_filter 2>/dev/null
	"${pre[@]}" sysctl net.netfilter 2>/dev/null |
		grep -Ev '^net\.netfilter\.nf_conntrack_(count|buckets|max|expect_max) ' | sort
}

# conntrack_list [NS] [conntrack -L options...]: the conntrack table of NS
# (default: the router), with conntrack(8), for tests that check rosh
# against the reference tool.
conntrack_list() {
	local ns=${NS_ROUTER:-${NS:-}}
	if [[ $# -gt 0 && $1 != -* ]]; then
		ns=$1
		shift
	fi
	ip netns exec "$ns" conntrack -L "$@" 2>/dev/null
}

# track_on [NS]: make NS's kernel track connections without rosh: a table
# `inet rosh_harness` with one `ct state` rule (conntrack only runs in a
# namespace once something uses it). Doing it twice is fine.
track_on() {
	local ns=${1:-${NS_ROUTER:-${NS:?}}}
	ip netns exec "$ns" nft list table inet rosh_harness >/dev/null 2>&1 && return 0
	ip netns exec "$ns" nft -f - <<'EOF'
table inet rosh_harness {
	chain track {
		type filter hook prerouting priority -150; policy accept;
		ct state new counter
	}
	chain track_out {
		type filter hook output priority -150; policy accept;
		ct state new counter
	}
}
EOF
}

# ---- waiting ----------------------------------------------------------------
# _rosh_us SECONDS: "2", "0.25" -> microseconds
_rosh_us() {
	local i=${1%%.*} f=
	[[ $1 == *.* ]] && f=${1#*.}
	f=${f}000000
	echo $((10#${i:-0} * 1000000 + 10#${f:0:6}))
}
_rosh_now() { echo "${EPOCHREALTIME//[.,]/}"; }

# wait_for [-t SECONDS] [-i INTERVAL] CMD ARGS...: run CMD every INTERVAL
# (default 0.1 s) until it succeeds; fail after SECONDS (default 10).
wait_for() {
	local timeout=10 interval=0.1
	while (($#)); do
		case $1 in
		-t) timeout=$2; shift 2 ;;
		-i) interval=$2; shift 2 ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	local now deadline
	deadline=$(($(_rosh_now) + $(_rosh_us "$timeout")))
	until "$@"; do
		now=$(_rosh_now)
		if ((now >= deadline)); then
			echo "wait_for: gave up after ${timeout}s: $*" >&2
			return 1
		fi
		sleep "$interval"
	done
}

# ---- traffic ----------------------------------------------------------------
# Defaults: from the LAN client (NS_LAN) to the WAN server (NS_WAN,
# $SERVER_IP). Servers are started on demand and live until topo_down.

# tcp_hold [-f FROM_NS] [-t TO_NS] [ADDR] [PORT]: start a TCP server in TO_NS
# on PORT (default 5001; an echo server; reused if one listens already),
# connect to ADDR:PORT (default $SERVER_IP) from FROM_NS and leave the
# connection open, idle, until killed. Waits until it is established; sets
# TCP_HOLD_PID (the client) and TCP_HOLD_SPORT (its source port).
tcp_hold() {
	local from=${NS_LAN:-} to=${NS_WAN:-}
	while (($#)); do
		case $1 in
		-f) from=$2; shift 2 ;;
		-t) to=$2; shift 2 ;;
		*) break ;;
		esac
	done
	local addr=${1:-$SERVER_IP} port=${2:-5001} before
	if ! tcp_listening "$to" "$port"; then
		bg_in "$to" "$(_rosh_bg_log)" socat "TCP-LISTEN:$port,reuseaddr,fork" EXEC:cat
		wait_for -t 5 tcp_listening "$to" "$port" || return
	fi
	before=$(tcp_established "$from" "$addr" "$port" | sort)
	bg_in "$from" "$(_rosh_bg_log)" socat "TCP:$addr:$port" EXEC:"sleep 86400"
	TCP_HOLD_PID=$BG_PID
	_tcp_new_sport() {
		TCP_HOLD_SPORT=$(comm -13 <(printf '%s\n' "$before") \
			<(tcp_established "$from" "$addr" "$port" | sort) | head -n1)
		[[ -n $TCP_HOLD_SPORT ]]
	}
	wait_for -t 5 _tcp_new_sport || return
	export TCP_HOLD_PID TCP_HOLD_SPORT
}

# udp_send [-f FROM_NS] [-t TO_NS | -n] [-p SPORT] [ADDR] [PORT] [MESSAGE]:
# send one UDP datagram (default "ping") from FROM_NS to ADDR:PORT (default
# $SERVER_IP:5353). Unless -n, an echo server runs in TO_NS (started on
# demand) and the reply, printed on stdout, must come back within 2 s. -p
# fixes the source port, so repeated sends are one connection.
udp_send() {
	local from=${NS_LAN:-} to=${NS_WAN:-} sport=
	while (($#)); do
		case $1 in
		-f) from=$2; shift 2 ;;
		-t) to=$2; shift 2 ;;
		-n) to=; shift ;;
		-p) sport=$2; shift 2 ;;
		*) break ;;
		esac
	done
	local addr=${1:-$SERVER_IP} port=${2:-5353} msg=${3:-ping}
	local opt=${sport:+,sourceport=$sport,reuseaddr}
	if [[ -z $to ]]; then
		printf '%s\n' "$msg" |
			ip netns exec "$from" socat -u - "UDP-SENDTO:$addr:$port$opt"
		return
	fi
	if ! udp_bound "$to" "$port"; then
		bg_in "$to" "$(_rosh_bg_log)" socat "UDP-RECVFROM:$port,reuseaddr,fork" EXEC:cat
		wait_for -t 5 udp_bound "$to" "$port" || return
	fi
	local reply
	reply=$(printf '%s\n' "$msg" |
		ip netns exec "$from" socat -T 2 -t 2 - "UDP:$addr:$port$opt") || return
	[[ -n $reply ]] || { echo "udp_send: no reply from $addr:$port" >&2; return 1; }
	printf '%s\n' "$reply"
}

# ping_once [-f FROM_NS] [ADDR]: one ICMP echo from FROM_NS (default NS_LAN)
# to ADDR (default $SERVER_IP); true when the reply came back within 2 s.
ping_once() {
	local from=${NS_LAN:-}
	if [[ ${1:-} == -f ]]; then
		from=$2
		shift 2
	fi
	ip netns exec "$from" ping -n -q -c 1 -W 2 "${1:-$SERVER_IP}" >/dev/null
}

# ---- the interactive shell under a pty (tmux) -------------------------------
# pty_start [-p PROMPT_RE] [-t SECONDS] [CMD ARGS...]: run CMD (default
# `$ROSH -n $NS`) in a detached tmux session of PTY_COLS x PTY_ROWS
# (120 x 40), with HOME set to the test's temporary directory (so the
# history file lands there), and wait until the screen shows PROMPT_RE
# (default PTY_PROMPT_RE, an empty RouterOS prompt at the end of a line).
#
# pty_run [-t SECONDS] [-w REGEX] KEYS...: type KEYS into the shell (started
# with pty_start's defaults if needed) and capture the screen into $output
# and $lines, for assert_output / assert_line. KEYS are tmux key names
# (Enter, Tab, C-c, C-d, BSpace, Up, Escape) or text, e.g.
#     pty_run '/ip firewall connection' Enter
#     pty_run 'pri' Tab
#     pty_run C-u '?'
# It waits for REGEX on the screen when given (fails after SECONDS, default
# 10), otherwise until the screen changed and has been still for 0.3 s (or
# has not changed for 1 s).
#
# pty_type TEXT (literal text, no key names), pty_send KEYS..., pty_screen
# (print the screen; trailing spaces the program wrote are kept, so
# '> $' matches an empty prompt), pty_wait [-t SECONDS] REGEX, pty_wait_exit [-t SECONDS]
# (wait for the program to end; sets $status to its exit status), pty_stop.

PTY_COLS=${PTY_COLS:-120}
PTY_ROWS=${PTY_ROWS:-40}
PTY_PROMPT_RE=${PTY_PROMPT_RE:-'\[[^]@ ]+@[^]]+\] [^>]*> ?$'}

_pty_name() { printf 'rosh-pty-%s-%s' "${BATS_ROOT_PID:-$$}" "${BATS_TEST_NUMBER:-f}"; }
_pty_dir() { printf '%s/%s' "${BATS_FILE_TMPDIR:-${TMPDIR:-/tmp}}" "$(_pty_name)"; }
_tmux() { tmux -L "$(_pty_name)" "$@" 3>&- 4>&-; }

pty_start() {
	local prompt=$PTY_PROMPT_RE timeout=10
	while (($#)); do
		case $1 in
		-p) prompt=$2; shift 2 ;;
		-t) timeout=$2; shift 2 ;;
		*) break ;;
		esac
	done
	if (($# == 0)); then
		[[ -n ${ROSH:-} ]] || { echo "pty_start: ROSH is not set" >&2; return 127; }
		set -- "$ROSH" -n "${NS:?pty_start: no NS}"
	fi
	local dir
	dir=$(_pty_dir)
	pty_stop
	mkdir -p "$dir/home" || return
	rm -f "$dir/status"
	printf '%s\n' 'set -g remain-on-exit on' 'set -g status off' \
		'set -g history-limit 10000' >"$dir/tmux.conf"
	TERM=${TERM:-xterm} _tmux -f "$dir/tmux.conf" new-session -d -s rosh \
		-x "$PTY_COLS" -y "$PTY_ROWS" -e "HOME=$dir/home" -- \
		bash -c '"$@"; echo $? >"$0"' "$dir/status" "$@" || return
	pty_wait -t "$timeout" "$prompt"
}

pty_send() { _tmux send-keys -t rosh "$@"; }
pty_type() { _tmux send-keys -t rosh -l -- "$*"; }

pty_screen() {
	# -N keeps the spaces the program wrote at the end of a line (the
	# prompt's "> "); blank lines at the bottom are dropped.
	_tmux capture-pane -p -N -t rosh | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
}

pty_wait() {
	local timeout=10
	if [[ $1 == -t ]]; then
		timeout=$2
		shift 2
	fi
	local re=$1
	_pty_match() { pty_screen | grep -Eq -- "$re"; }
	if ! wait_for -t "$timeout" -i 0.05 _pty_match; then
		echo "pty_wait: no match for /$re/; the screen:" >&2
		pty_screen | sed 's/^/  | /' >&2
		return 1
	fi
}

pty_run() {
	local timeout=10 re=
	while (($#)); do
		case $1 in
		-t) timeout=$2; shift 2 ;;
		-w) re=$2; shift 2 ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	if ! _tmux has-session -t rosh 2>/dev/null; then
		pty_start || return
	fi
	local before cur last t0 now changed=0 rc=0
	before=$(pty_screen)
	pty_send "$@" || return
	if [[ -n $re ]]; then
		pty_wait -t "$timeout" "$re" || rc=1
	else
		last=$before
		t0=$(_rosh_now)
		local still=$t0 deadline=$((t0 + $(_rosh_us "$timeout")))
		while :; do
			sleep 0.05
			cur=$(pty_screen)
			now=$(_rosh_now)
			if [[ $cur != "$last" ]]; then
				last=$cur still=$now changed=1
			elif ((changed && now - still >= 300000)); then
				break
			elif ((!changed && now - t0 >= 1000000)); then
				break
			fi
			((now < deadline)) || break
		done
	fi
	output=$(pty_screen)
	# shellcheck disable=SC2034 # bats' own variable, for assert_line
	mapfile -t lines <<<"$output"
	return $rc
}

pty_wait_exit() {
	local timeout=10 dir
	if [[ ${1:-} == -t ]]; then
		timeout=$2
		shift 2
	fi
	dir=$(_pty_dir)
	wait_for -t "$timeout" test -s "$dir/status" || return
	# shellcheck disable=SC2034 # bats' own variable
	status=$(<"$dir/status")
}

_pty_sock() { printf '%s/tmux-%s/%s' "${TMUX_TMPDIR:-/tmp}" "$(id -u)" "$(_pty_name)"; }

pty_stop() {
	_tmux kill-server >/dev/null 2>&1 || true
	rm -f -- "$(_pty_sock)"
}

# pty_stop_all: end the tmux servers of every test of this bats run.
pty_stop_all() {
	local s
	for s in "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/rosh-pty-${BATS_ROOT_PID:-$$}"-*; do
		[[ -S $s ]] || continue
		tmux -S "$s" kill-server >/dev/null 2>&1 || true
		rm -f -- "$s"
	done
	return 0
}
