#!/usr/bin/env bash
# tests/vm/mkinitramfs.sh KDIR ROSH OUT — build the VM's initramfs: busybox,
# rosh and the host's nft, ip, conntrack, socat and kmod with the shared
# libraries they load (as ldd lists them: an ASan build brings its runtime),
# the netfilter modules of the kernel in KDIR (tests/vm/kernel.sh) and the
# guest scripts of this directory (/init runs /test.sh).
set -euo pipefail

kdir=$1 rosh=$2 out=$3
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
kver=$(basename "$(ls -d "$kdir"/lib/modules/*/ | head -n1)")
st=$(mktemp -d "${TMPDIR:-/tmp}/rosh-vm-root.XXXXXX")
trap 'rm -rf -- "$st"' EXIT

mkdir -p "$st"/{bin,sbin,usr/bin,usr/sbin,lib/x86_64-linux-gnu,lib64,proc,sys,dev,run,tmp,etc,var}
ln -s ../run "$st/var/run"
install -m755 "$(command -v busybox)" "$st/bin/busybox"

# copy FILE to the same path in the image, with every library it loads
copy() {
	local f=$1 dst=${2:-$1} lib
	install -D -m755 "$(readlink -f -- "$f")" "$st$dst"
	while read -r lib; do
		[[ -e $st$lib ]] || install -D -m755 "$(readlink -f -- "$lib")" "$st$lib"
	done < <(ldd "$f" | awk '/=> \// { print $3 } /^\t\/[^ ]+ \(/ { print $1 }')
}
copy "$rosh" /usr/bin/rosh
for b in nft ip conntrack socat; do
	copy "$(command -v "$b")" "/usr/sbin/$b"
done
copy "$(command -v kmod)" /usr/bin/kmod
for l in modprobe insmod lsmod depmod; do ln -sf ../usr/bin/kmod "$st/sbin/$l"; done

# the kernel's netfilter, veth and their dependencies, with a modules.dep
m=$kdir/lib/modules/$kver
for d in kernel/net/netfilter kernel/net/ipv4/netfilter kernel/net/ipv6/netfilter \
	kernel/lib kernel/arch/x86/crypto kernel/crypto kernel/drivers/net/veth.ko; do
	[[ -e $m/$d ]] || continue
	mkdir -p "$st/lib/modules/$kver/$(dirname "$d")"
	cp -a "$m/$d" "$st/lib/modules/$kver/$d"
done
cp -a "$m"/modules.builtin* "$m"/modules.order "$st/lib/modules/$kver/" 2>/dev/null || true
depmod -b "$st" "$kver"

install -m755 "$here/init" "$st/init"
install -m755 "$here/fasttrack.sh" "$st/test.sh"
(cd -- "$st" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
