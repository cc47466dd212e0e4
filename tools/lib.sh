# shellcheck shell=bash
# Shared by tools/check and tools/lab (sourced, never run). Bash only.

# Every Debian 12 package that building, testing and the lab need.
ROSH_PACKAGES=(
	meson ninja-build gcc libc6-dev pkg-config
	libmnl-dev libnftnl-dev libnetfilter-conntrack-dev libreadline-dev
	nftables conntrack iproute2
	bats bats-support bats-assert tmux
	iputils-ping socat netcat-openbsd procps util-linux
	python3
	qemu-system-x86 busybox-static kmod cpio
)

rosh_say() { printf '%s: %s\n' "${ROSH_TOOL:-rosh}" "$*" >&2; }

# The packages of ROSH_PACKAGES (or of the arguments) not installed yet.
rosh_missing_packages() {
	local p st
	for p in "${@:-${ROSH_PACKAGES[@]}}"; do
		st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null) || st=
		[[ $st == ii* ]] || printf '%s\n' "$p"
	done
}

# Install whatever is missing; `apt-get update` only when something is.
# Never reads stdin (CI has none). Returns non-zero when it could not.
rosh_install_packages() {
	local missing
	if ! command -v dpkg-query >/dev/null 2>&1; then
		rosh_say "not a Debian system (no dpkg-query): install by hand: ${ROSH_PACKAGES[*]}"
		return 1
	fi
	mapfile -t missing < <(rosh_missing_packages "$@")
	((${#missing[@]})) || return 0
	if ((EUID != 0)); then
		rosh_say "missing packages: ${missing[*]} (run as root to install them)"
		return 1
	fi
	rosh_say "installing: ${missing[*]}"
	local apt=(apt-get -q -y -o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0)
	DEBIAN_FRONTEND=noninteractive "${apt[@]}" update </dev/null || return 1
	DEBIAN_FRONTEND=noninteractive "${apt[@]}" install "${missing[@]}" </dev/null || return 1
	mapfile -t missing < <(rosh_missing_packages "$@")
	if ((${#missing[@]})); then
		rosh_say "still missing after apt-get: ${missing[*]}"
		return 1
	fi
}

# rosh_meson_setup DIR [OPTION...]: configure DIR, whatever state it is in
# (absent, configured by an older meson or with other options, or junk).
rosh_meson_setup() {
	local dir=$1
	shift
	if [[ -f $dir/meson-private/coredata.dat ]]; then
		# (meson 1.0's `setup --reconfigure -Dx=y` ignores base options
		# such as b_sanitize; `configure -Dx=y` applies them.)
		{ (($# == 0)) || meson configure "$dir" "$@"; } &&
			meson setup --reconfigure "$dir" && return 0
		rosh_say "reconfiguring $dir failed; wiping it"
		meson setup --wipe "$dir" "$@" && return 0
	elif [[ -e $dir ]]; then
		meson setup "$dir" "$@" && return 0
	else
		meson setup "$dir" "$@"
		return
	fi
	# Last resort for a build directory meson cannot reuse.
	rosh_say "removing unusable $dir"
	rm -rf -- "$dir" && meson setup "$dir" "$@"
}

# When run through sudo, give build directories back to the user.
rosh_give_back() {
	[[ -n ${SUDO_UID:-} && ${SUDO_UID} != 0 && -n ${SUDO_GID:-} ]] || return 0
	local d
	for d in "$@"; do
		[[ -e $d ]] && chown -R "$SUDO_UID:$SUDO_GID" -- "$d" 2>/dev/null
	done
	return 0
}

# rosh_binary BUILD_DIR: print the path of the rosh binary built there
# (BUILD_DIR/rosh; BUILD_DIR/shell/rosh while meson.build defines it in
# shell/); false when there is none.
rosh_binary() {
	local f
	for f in "$1/rosh" "$1/shell/rosh"; do
		[[ -f $f && -x $f ]] && { printf '%s\n' "$f"; return 0; }
	done
	return 1
}
