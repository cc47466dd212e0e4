#!/usr/bin/env bats
# Live views of /ip firewall connection: print follow / follow-only (the
# conntrack event groups) and print interval=, ended by SIGINT or Ctrl-C.

load helpers/load

setup_file() {
	require_rosh
	topo_up
	track_on "$NS_ROUTER"
}

teardown_file() {
	cleanup_all
}

C=/ip/firewall/connection

# bg_rosh OUT CMD: rosh -c CMD in the router, in the background, output to
# OUT; sets ROSH_PID. (Not in its own session: SIGINT is sent to it alone.)
bg_rosh() {
	local out=$1
	shift
	"$ROSH" -n "$NS_ROUTER" -c "$1" >"$out" 2>&1 3>&- 4>&- &
	ROSH_PID=$!
}

# stop_rosh: SIGINT, as Ctrl-C would; status is rosh's exit status
stop_rosh() {
	kill -INT "$ROSH_PID"
	status=0
	wait "$ROSH_PID" || status=$?
}

# new_flow_seen OUT DPORT: send a UDP datagram to DPORT from a fresh source
# port (a new conntrack entry each time, as the listener may not have
# subscribed yet when the first is sent) and look for it in OUT.
_sport=40000
new_flow_seen() {
	_sport=$((_sport + 1))
	udp_send -n -p "$_sport" "$SERVER_IP" "$2" x
	grep -Eq "dst-address=$SERVER_IP:$2" "$1"
}

@test "print follow-only shows new and destroyed entries; SIGINT ends it with 0" {
	local out=$BATS_TEST_TMPDIR/follow
	udp_send -n -p 39998 "$SERVER_IP" 7099 x       # there before it starts
	bg_rosh "$out" "$C print follow-only"
	wait_for -t 10 -i 0.3 new_flow_seen "$out" 7100
	ip netns exec "$NS_ROUTER" conntrack -D -p udp --dport 7100 >/dev/null 2>&1
	# a destroy event carries the dying flag
	wait_for -t 5 grep -Eq "^ *[0-9]+ +[A-Za-z ]*D[A-Za-z ]* protocol=udp .*:7100" "$out"
	stop_rosh
	assert_equal "$status" 0
	run -0 cat "$out"
	assert_line --regexp "^ *[0-9]+ +C +protocol=udp src-address=$CLIENT_IP:[0-9]+ dst-address=$SERVER_IP:7100 "
	refute_output --partial 'Flags:'
	# follow-only has no initial listing
	refute_output --partial ':7099'
}

@test "print follow lists the table first, then events" {
	local out=$BATS_TEST_TMPDIR/follow2
	udp_send -n -p 39999 "$SERVER_IP" 7200 x        # there before follow starts
	bg_rosh "$out" "$C print follow where protocol=udp"
	wait_for -t 10 -i 0.3 new_flow_seen "$out" 7201
	stop_rosh
	assert_equal "$status" 0
	run -0 cat "$out"
	# the listing (a table with its header) comes first...
	assert_line --index 0 --regexp '^Flags: '
	assert_output --regexp "udp +$CLIENT_IP:39999 +$SERVER_IP:7200 "
	# ...then the event, and the where applied to events too
	assert_line --regexp "protocol=udp .*dst-address=$SERVER_IP:7201"
	refute_output --regexp 'protocol=(tcp|icmp)'
}

@test "print follow-only where filters events" {
	local out=$BATS_TEST_TMPDIR/follow3
	bg_rosh "$out" "$C print follow-only where dst-address~\":7301\""
	wait_for -t 10 -i 0.3 new_flow_seen "$out" 7301
	udp_send -n -p 41999 "$SERVER_IP" 7300 x
	ping_once
	sleep 0.5
	stop_rosh
	assert_equal "$status" 0
	run -0 cat "$out"
	refute_output --partial ':7300'
	refute_output --partial 'icmp'
}

@test "print interval=1s refreshes until SIGINT, exit 0" {
	local out=$BATS_TEST_TMPDIR/interval
	bg_rosh "$out" "$C print interval=1s count-only where dst-address~\":7400\""
	wait_for -t 5 grep -qx 0 "$out"
	udp_send -n "$SERVER_IP" 7400 x
	# a later refresh sees the new entry
	wait_for -t 5 grep -qx 1 "$out"
	stop_rosh
	assert_equal "$status" 0
	run -0 cat "$out"
	assert_line --index 0 0
	assert_output --regexp $'(^|\n)1$'
}

@test "interactive: Ctrl-C ends follow-only and interval= and returns to the prompt" {
	pty_start
	pty_run "$C print follow-only" Enter
	_pty_flow() {
		_sport=$((_sport + 1))
		udp_send -n -p "$_sport" "$SERVER_IP" 7500 x
		pty_screen | grep -q "dst-address=$SERVER_IP:7500"
	}
	wait_for -t 10 -i 0.3 _pty_flow
	pty_run -w "$PTY_PROMPT_RE" C-c
	pty_run "$C print interval=1s where dst-address~\":7600\"" Enter
	udp_send -n -p 42000 "$SERVER_IP" 7600 x
	pty_wait -t 5 "udp +$CLIENT_IP:42000 +$SERVER_IP:7600"
	pty_run -w "$PTY_PROMPT_RE" C-c
	pty_run '/quit' Enter
	pty_wait_exit
	assert_equal "$status" 0
}
