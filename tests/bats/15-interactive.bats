#!/usr/bin/env bats
# The interactive shell under a pty (tmux): the prompt automation tools
# expect, Tab completion (item names included), '?' help, Ctrl-C, history.

load helpers/load

# The prompt regex of Ansible's community.routeros and of netmiko, in ERE.
PROMPT_RE='\[[[:alnum:]_.-]+@[[:alnum:]_[:space:]./-]+\] ?> ?$'

setup_file() {
	require_rosh
	ns_new inter
	ip -n "$NS" link set lo up
}

teardown_file() {
	cleanup_all
}

setup() {
	require_rosh
	ip netns exec "$NS" nft delete table ip rosh 2>/dev/null || true
}

teardown() {
	pty_stop
}

# the last line of the screen
last_line() { pty_screen | tail -n 1; }

@test "the prompt matches the Ansible/netmiko regex in every menu" {
	pty_start
	pty_wait "$PROMPT_RE"
	[[ $(last_line) =~ ^\[[[:alnum:]_.-]+@[[:alnum:]_.-]+\]\ \>\ $ ]]
	# in a menu: RouterOS's own form (the tools above work at the root)
	pty_run -w '^\[[[:alnum:]_.-]+@[[:alnum:]_.-]+\] /ip/firewall/filter> $' \
		'/ip firewall filter' Enter
	pty_run -w '\] /interface/list/member> $' '/interface/list/member' Enter
	pty_run -w '\] > $' '/' Enter
	[[ $(last_line) =~ $PROMPT_RE ]]
}

@test "Tab completes menus, commands, values and item names" {
	run -0 rosh -c '/interface list add name=uplink; /ip firewall address-list add list=blocklist address=192.0.2.1'
	pty_start
	pty_run -w '/interface list $' '/interf' Tab 'li' Tab
	pty_run -w '/interface list remove upl$' 'rem' Tab 'upl'
	pty_run -w '/interface list remove uplink $' Tab
	pty_send C-u
	# (a marker typed after Tab shows the space readline appended: the
	# screen keeps blanks of a longer line erased before)
	pty_run -w 'add src-address-list=blocklist # *$' '/ip firewall filter add src-address-list=blo' Tab '#'
	pty_send C-u
	pty_run -w 'connection-state=established,related # *$' '/ip firewall filter add connection-state=established,rel' Tab '#'
	pty_send C-u
	pty_run -w 'member add list=uplink # *$' '/interface list member add list=up' Tab '#'
	pty_send C-u
	pty_run -w 'add jump-target=# *$' '/ip firewall filter add jump-t' Tab '#'
}

@test "? lists the next words with one-line help and keeps the line" {
	pty_start
	pty_run -w 'reset-counters-all' '/ip firewall filter ' '?'
	assert_output --regexp 'add +Create a new item'
	assert_output --regexp 'print +'
	assert_line --regexp '/ip firewall filter $'
	pty_send C-u
	pty_run -w 'jump-target=' '/ip firewall filter add ju' '?'
	assert_output --regexp 'jump-target= +Chain to jump to'
	[[ $(last_line) == *'> /ip firewall filter add ju' ]]
}

@test "Ctrl-C cancels the line: not executed, prompt back, shell alive" {
	pty_start
	pty_type '/ip firewall filter add chain=input action=drop comment=never'
	pty_run -w "$PROMPT_RE" C-c
	run -0 ip netns exec "$NS" nft list ruleset
	refute_output --partial never
	pty_run -w 'print count-only' '/ip firewall filter print count-only' Enter
	pty_wait "^0$"
	pty_wait "$PROMPT_RE"
	run -0 ip netns exec "$NS" nft list ruleset
	refute_output --partial never
}

@test "Ctrl-C stops print interval=1s and returns to the prompt" {
	run -0 rosh -c '/ip firewall address-list add list=tick address=192.0.2.9'
	pty_start
	pty_run -w '192\.0\.2\.9' '/ip firewall address-list print interval=1s' Enter
	sleep 1.5
	pty_send C-c
	pty_wait "$PROMPT_RE"
	pty_run -w 'count-only' '/ip firewall address-list print count-only where list=tick' Enter
	pty_wait '^1$'
	pty_type '/quit'
	pty_send Enter
	pty_wait_exit
	assert_equal "$status" 0
}

@test "history is written to ~/.rosh_history on exit" {
	pty_start
	pty_run -w "$PROMPT_RE" '/ip firewall filter print' Enter
	pty_run -w "$PROMPT_RE" '/interface list print' Enter
	pty_send C-d
	pty_wait_exit
	run -0 cat "$(_pty_dir)/home/.rosh_history"
	assert_line '/ip firewall filter print'
	assert_line '/interface list print'
	# the next session recalls it with Up
	pty_start
	pty_run -w '> /interface list print$' Up
}

@test "a command continues over lines: trailing \\, open { block, open string; Ctrl-C drops it" {
	pty_start
	pty_run -w '^\.\.\. $' '/ip firewall address-list add list=multi \' Enter
	pty_run -w "$PROMPT_RE" '    address=192.0.2.1' Enter
	pty_run -w '^\.\.\. $' '/ip firewall address-list {' Enter
	pty_run -w '^\.\.\. $' 'add list=multi address=192.0.2.2' Enter
	pty_run -w "$PROMPT_RE" '}' Enter
	pty_run -w '^\.\.\. $' '/ip firewall address-list add list=multi address=192.0.2.3 comment="two' Enter
	pty_run -w "$PROMPT_RE" 'lines"' Enter
	# cancelled in the middle: nothing of it runs
	pty_run -w '^\.\.\. $' '/ip firewall address-list add list=multi \' Enter
	pty_type 'address=192.0.2.4'
	pty_run -w "$PROMPT_RE" C-c
	pty_run -w 'count-only' '/ip firewall address-list print count-only where list=multi' Enter
	pty_wait '^3$'
	run -0 ip netns exec "$NS" nft list ruleset
	assert_output --partial '192.0.2.1'
	assert_output --partial '192.0.2.2'
	assert_output --partial $'comment "two\nlines"'
	refute_output --partial '192.0.2.4'
}
