# shellcheck shell=bash
# The client / router / server topology, shared by the bats helpers
# (load.bash) and tools/lab, so tests and the lab are built the same way.
# Plain bash: no bats here. Every command acts inside the namespaces it
# names; nothing here touches the root namespace's firewall or sysctls.
#
#   LAN ns                 router ns                          WAN ns
#   eth0 192.168.88.50/24 -- bridge 192.168.88.1/24
#                            ether1 10.0.0.1/24 ------------- eth0 10.0.0.50/24
#   default via .88.1        ip_forward=1 (its own sysctl)    default via 10.0.0.1
#
# The router routes between the two sides without NAT (the server has a
# route back), so a fresh lab shows the client's real address; a
# `chain=srcnat action=masquerade` rule can be added to see NAT at work.

# shellcheck disable=SC2034 # constants (and BG_PID) are for the sourcing script
CLIENT_IP=192.168.88.50
ROUTER_LAN_IP=192.168.88.1
ROUTER_WAN_IP=10.0.0.1
SERVER_IP=10.0.0.50
LAN_PREFIX=192.168.88.0/24
WAN_PREFIX=10.0.0.0/24

ns_exists() { [[ -n $1 && -e /run/netns/$1 ]]; }

# ns_create NAME: a new namespace with lo up. Fails if NAME exists.
ns_create() {
	ip netns add "$1" || return
	ip -n "$1" link set lo up
}

# ns_kill_procs NAME: end every process inside namespace NAME (TERM, then
# KILL after a grace period).
ns_kill_procs() {
	local ns=$1 pids i
	ns_exists "$ns" || return 0
	pids=$(ip netns pids "$ns" 2>/dev/null) || return 0
	[[ -n $pids ]] || return 0
	# shellcheck disable=SC2086
	kill -TERM $pids 2>/dev/null || true
	for ((i = 0; i < 30; i++)); do
		pids=$(ip netns pids "$ns" 2>/dev/null)
		[[ -n $pids ]] || return 0
		sleep 0.1
	done
	# shellcheck disable=SC2086
	kill -KILL $pids 2>/dev/null || true
	for ((i = 0; i < 20; i++)); do
		[[ -n $(ip netns pids "$ns" 2>/dev/null) ]] || return 0
		sleep 0.1
	done
	return 0
}

# ns_destroy NAME...: kill their processes and delete them. Idempotent.
ns_destroy() {
	local ns rc=0
	for ns in "$@"; do
		ns_exists "$ns" || continue
		ns_kill_procs "$ns"
		ip netns del "$ns" 2>/dev/null || rc=1
	done
	return $rc
}

# topo_create LAN ROUTER WAN: build the topology above. On failure it
# removes whatever it made and returns non-zero.
topo_create() {
	local lan=$1 router=$2 wan=$3
	if ! _topo_create "$lan" "$router" "$wan"; then
		echo "topo_create: could not build $lan / $router / $wan" >&2
		ns_destroy "$lan" "$router" "$wan"
		return 1
	fi
}

_topo_create() {
	local lan=$1 router=$2 wan=$3
	ns_create "$lan" && ns_create "$router" && ns_create "$wan" &&
	ip -n "$router" link add name bridge type veth peer name eth0 netns "$lan" &&
	ip -n "$router" link add name ether1 type veth peer name eth0 netns "$wan" &&
	ip -n "$router" addr add "$ROUTER_LAN_IP/24" dev bridge &&
	ip -n "$router" addr add "$ROUTER_WAN_IP/24" dev ether1 &&
	ip -n "$lan" addr add "$CLIENT_IP/24" dev eth0 &&
	ip -n "$wan" addr add "$SERVER_IP/24" dev eth0 &&
	ip -n "$router" link set bridge up &&
	ip -n "$router" link set ether1 up &&
	ip -n "$lan" link set eth0 up &&
	ip -n "$wan" link set eth0 up &&
	ip -n "$lan" route add default via "$ROUTER_LAN_IP" &&
	ip -n "$wan" route add default via "$ROUTER_WAN_IP" &&
	ip netns exec "$router" sysctl -qw net.ipv4.ip_forward=1
}

# topo_destroy LAN ROUTER WAN
topo_destroy() { ns_destroy "$@"; }

# bg_in NS LOG CMD...: start CMD inside NS in the background, in its own
# session (Ctrl-C at a terminal does not reach it), with no inherited file
# descriptors beyond 0-2 (bats waits on any it leaves open). Sets BG_PID.
bg_in() {
	local ns=$1 log=$2
	shift 2
	(
		exec 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
		exec setsid ip netns exec "$ns" "$@"
	) </dev/null >>"$log" 2>&1 &
	BG_PID=$!
}

# tcp_listening NS PORT: true when something listens on TCP PORT in NS.
tcp_listening() {
	[[ -n $(ip netns exec "$1" ss -Htln "sport = :$2" 2>/dev/null) ]]
}

# udp_bound NS PORT: true when a UDP socket is bound to PORT in NS.
udp_bound() {
	[[ -n $(ip netns exec "$1" ss -Hunl "sport = :$2" 2>/dev/null) ]]
}

# tcp_established NS ADDR PORT: source ports (one a line) of the
# established connections from NS to ADDR:PORT; false when there are none.
tcp_established() {
	local out
	out=$(ip netns exec "$1" ss -Htn state established "dst $2 and dport = :$3" 2>/dev/null) || return 1
	[[ -n $out ]] || return 1
	awk '{ n = split($(NF-1), a, ":"); print a[n] }' <<<"$out"
}

# ns_sweep_stale: delete test namespaces (rosh-t<PID>-...) left behind by a
# bats run that is no longer alive (killed by a timeout, say).
ns_sweep_stale() {
	local ns pid
	while read -r ns _; do
		[[ $ns =~ ^rosh-t([0-9]+)- ]] || continue
		pid=${BASH_REMATCH[1]}
		kill -0 "$pid" 2>/dev/null && continue
		ns_destroy "$ns" || true
	done < <(ip netns list 2>/dev/null)
	return 0
}
