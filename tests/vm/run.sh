#!/usr/bin/env bash
# tests/vm/run.sh — FastTrack's flowtable offload, tested in a VM. Prints
# TAP (meson test `vm-fasttrack`).
#
# This machine's kernel has no flowtables, so the test boots Debian's cloud
# kernel (tests/vm/kernel.sh fetches it) in qemu with software emulation
# (no KVM needed), with an initramfs holding $ROSH and tools
# (mkinitramfs.sh); the VM runs fasttrack.sh and powers off. Nothing of the
# host's network or firewall is touched.
#
#   ROSH=build/rosh tests/vm/run.sh
set -uo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
fail() {
	printf '1..1\nnot ok 1 - %s\n' "$*"
	exit 0
}

[[ -n ${ROSH:-} && -x $ROSH ]] || fail "ROSH (the rosh binary) not set"
for t in qemu-system-x86_64 busybox cpio depmod kmod nft ip conntrack socat; do
	command -v "$t" >/dev/null 2>&1 || fail "$t missing (tools/check installs it)"
done
if ! kdir=$("$here/kernel.sh" 2>/tmp/rosh-vm-kernel.log); then
	((EUID == 0)) || { echo "1..0 # SKIP no VM kernel cached, and not root to fetch one"; exit 0; }
	fail "could not fetch the VM kernel: $(tail -n 3 /tmp/rosh-vm-kernel.log | tr '\n' ' ')"
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rosh-vm.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
"$here/mkinitramfs.sh" "$kdir" "$ROSH" "$tmp/initrd.gz" >"$tmp/mk.log" 2>&1 ||
	fail "mkinitramfs.sh: $(tail -n 3 "$tmp/mk.log" | tr '\n' ' ')"
kernel=$(ls "$kdir"/boot/vmlinuz-* | head -n1)

timeout "${ROSH_VM_TIMEOUT:-1200}" qemu-system-x86_64 -accel tcg -m 1024 -smp 2 \
	-nodefaults -nographic -no-reboot -serial stdio \
	-kernel "$kernel" -initrd "$tmp/initrd.gz" \
	-append "console=ttyS0 quiet loglevel=3 panic=-1" \
	</dev/null >"$tmp/console" 2>&1
rc=$?
# (the firmware's escape codes may precede the first marker)
tr -d '\r' <"$tmp/console" | sed 's/^.*\(ROSH-VM-\)/\1/' >"$tmp/out"
if ! grep -q '^ROSH-VM-BEGIN' "$tmp/out"; then
	printf '1..1\nnot ok 1 - the VM did not start its test (qemu status %d)\n' "$rc"
	tail -n 40 "$tmp/out" | sed 's/^/# /'
	exit 0
fi
sed -n 's/^ROSH-VM-BEGIN/# kernel/p' "$tmp/out"
sed -n '/^ROSH-VM-BEGIN/,/^ROSH-VM-END/{/^ROSH-VM-/d;p}' "$tmp/out"
grep -q '^ROSH-VM-END' "$tmp/out" ||
	printf '# the VM stopped before the end of its test (qemu status %d):\n%s\n' \
		"$rc" "$(tail -n 20 "$tmp/out" | sed 's/^/# /')"
exit 0
