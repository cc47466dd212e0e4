#!/usr/bin/env bash
# Runs every tests/bats/*.bats file in order, one after the other, as one
# TAP stream (meson's `bats` test). Skips the whole suite, as TAP
# `1..0 # SKIP why`, where network namespaces cannot be made.
#
#   sudo ROSH=build/rosh tests/bats/run.sh [DIR] [bats option...]
#
# ROSH defaults to build/rosh of this checkout when that exists.
set -uo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
dir=$here
if [[ $# -gt 0 && -d $1 ]]; then
	dir=$(cd -- "$1" && pwd)
	shift
fi

skip() {
	printf '1..0 # SKIP %s\n' "$*"
	exit 0
}

((EUID == 0)) || skip "not root (the bats tests create network namespaces)"
command -v ip >/dev/null 2>&1 || skip "ip (iproute2) not installed"
command -v nft >/dev/null 2>&1 || skip "nft (nftables) not installed"
command -v bats >/dev/null 2>&1 || skip "bats not installed"
probe="rosh-probe-$$"
if ! ip netns add "$probe" >/dev/null 2>&1; then
	skip "ip netns add does not work here"
fi
if ! ip netns exec "$probe" nft list ruleset >/dev/null 2>&1; then
	ip netns del "$probe" >/dev/null 2>&1
	skip "nftables does not work inside a network namespace"
fi
ip netns del "$probe" >/dev/null 2>&1

# Namespaces of an earlier run that was killed before its teardown.
# shellcheck source=tests/bats/helpers/topo.bash
. "$here/helpers/topo.bash"
ns_sweep_stale

shopt -s nullglob
files=("$dir"/*.bats)
((${#files[@]})) || skip "no .bats files in $dir"

export BATS_LIB_PATH=${BATS_LIB_PATH:-/usr/lib/bats}
if [[ -z ${ROSH:-} ]]; then
	for f in "$here/../../build/rosh" "$here/../../build/shell/rosh"; do
		if [[ -f $f && -x $f ]]; then
			ROSH=$(readlink -f -- "$f")
			break
		fi
	done
fi
[[ -n ${ROSH:-} ]] && export ROSH
# A hung test fails alone instead of eating the whole suite's time.
export BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-300}

exec bats --tap "$@" "${files[@]}"
