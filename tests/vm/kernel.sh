#!/usr/bin/env bash
# tests/vm/kernel.sh — print the directory of a Debian kernel that has
# flowtables (boot/vmlinuz-*, lib/modules/*), fetching it first when the
# cache has none. This machine's kernel has no flowtable support, so the
# FastTrack offload is tested in a VM running this kernel (tests/vm/run.sh).
#
#   ROSH_VM_CACHE   where the kernel is kept (default /var/cache/rosh-vm)
#
# Uses apt-get download: the package (the one Debian's linux-image-cloud-
# amd64 points at) is unpacked, never installed.
set -euo pipefail

cache=${ROSH_VM_CACHE:-/var/cache/rosh-vm}

found() {
	local k
	for k in "$cache"/k/boot/vmlinuz-*; do
		[[ -f $k && -d $cache/k/lib/modules/${k##*/vmlinuz-} ]] || continue
		printf '%s\n' "$cache/k"
		return 0
	done
	return 1
}

found && exit 0
command -v apt-get >/dev/null || { echo "kernel.sh: needs apt-get" >&2; exit 1; }
pkg() {
	apt-cache depends linux-image-cloud-amd64 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}
name=$(pkg)
if [[ -z $name ]]; then
	apt-get -q -o Dpkg::Use-Pty=0 update >&2 || true
	name=$(pkg)
fi
[[ -n $name ]] || { echo "kernel.sh: no linux-image-cloud-amd64 in apt" >&2; exit 1; }
mkdir -p -- "$cache"
tmp=$(mktemp -d "$cache/dl.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
(cd -- "$tmp" && apt-get -q -o APT::Sandbox::User=root download "$name" >&2)
dpkg-deb -x "$tmp"/*.deb "$tmp/k"
rm -rf -- "$cache/k"
mv -- "$tmp/k" "$cache/k"
found
