#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the LinuxBoot initramfs: busybox-static, kexec-tools with the libraries it links,
# the modules for virtio-blk, AHCI, NVMe, ext4, vfat and fw_cfg, and build/linuxboot-init.
# Usage: OUT=out bash build/linuxboot.sh  ->  $OUT/linuxboot/initramfs.cpio
# Packages are fetched with "apt-get download" (never installed) and unpacked with "dpkg -x";
# the kernel and its modules are the test guest's (build/guest.sh, run first).
set -euo pipefail

die() {
	echo "linuxboot.sh: error: $*" >&2
	exit 1
}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-out}
mkdir -p "$OUT/linuxboot"
OUT=$(cd "$OUT" && pwd)
L=$OUT/linuxboot
BUSYBOX=/bin/busybox
LIBDIR=lib/x86_64-linux-gnu
MODULES=(virtio_pci virtio_blk ahci sd_mod nvme crc32c_generic ext4 vfat nls_cp437 nls_iso8859_1
	qemu_fw_cfg)

OUT=$OUT bash "$ROOT/build/guest.sh" >/dev/null
kver=$(cat "$OUT/guest/kernel-version")
KROOT=$OUT/guest/kernel-$kver
[ -d "$KROOT/lib/modules/$kver" ] || die "$KROOT has no modules; run 'make guest'"

# ---------------------------------------------------------------- kexec-tools and its libraries
# kexec links libxenctrl (Xen support); the Xen libraries come from their Debian packages, the C
# library from the host's libc6.
pkgs=(kexec-tools $(apt-cache depends --recurse --no-recommends --no-suggests kexec-tools |
	sed -n 's/^ *Depends: \(libxen[^ <>]*\)$/\1/p' | sort -u))
want=$( {
	for p in "${pkgs[@]}"; do apt-cache policy "$p" | sed -n 's/^ *Candidate: //p'; done
	echo "${MODULES[*]} $kver"
	"$BUSYBOX" 2>&1 | head -1
	cd "$ROOT" && sha256sum build/linuxboot.sh build/linuxboot-init
} | sha256sum | cut -d' ' -f1)
if [ -f "$L/initramfs.cpio" ] && [ "$(cat "$L/stamp" 2>/dev/null)" = "$want" ]; then
	echo "linuxboot: initramfs up to date"
	exit 0
fi
rm -rf "$L/dl" "$L/pkgroot" "$L/initramfs.d"
mkdir -p "$L/dl"
echo "linuxboot: apt-get download ${pkgs[*]}"
(cd "$L/dl" && apt-get download -q "${pkgs[@]}") >"$L/download.log" 2>&1 ||
	{ cat "$L/download.log" >&2; die "apt-get download failed"; }
for deb in "$L"/dl/*.deb; do dpkg -x "$deb" "$L/pkgroot"; done
[ -x "$L/pkgroot/sbin/kexec" ] || die "kexec-tools has no /sbin/kexec"

S=$L/initramfs.d
mkdir -p "$S"/{bin,sbin,dev,proc,sys,tmp,mnt,"$LIBDIR",lib64,lib/modules/"$kver"}
cp "$BUSYBOX" "$S/bin/busybox"
for applet in $("$BUSYBOX" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$S/bin/$applet"
done
cp "$L/pkgroot/sbin/kexec" "$S/sbin/kexec"

# Copy the shared libraries $1 needs, recursively: from the unpacked packages, else the host.
copy_needed() {
	local lib src
	for lib in $(readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		[ -e "$S/$LIBDIR/$lib" ] && continue
		src=
		for d in "$L/pkgroot/usr/$LIBDIR" "$L/pkgroot/$LIBDIR" "/$LIBDIR" "/usr/$LIBDIR"; do
			[ -e "$d/$lib" ] && { src=$d/$lib; break; }
		done
		[ -n "$src" ] || die "library $lib (needed by $1) not found"
		cp -L "$src" "$S/$LIBDIR/$lib"
		copy_needed "$S/$LIBDIR/$lib"
	done
}
copy_needed "$S/sbin/kexec"
cp -L "/$LIBDIR/ld-linux-x86-64.so.2" "$S/$LIBDIR/"
ln -s "../$LIBDIR/ld-linux-x86-64.so.2" "$S/lib64/ld-linux-x86-64.so.2"

# ---------------------------------------------------------------- modules
: >"$S/modules"
for m in "${MODULES[@]}"; do
	deps=$(modprobe -d "$KROOT" -S "$kver" --show-depends "$m" 2>&1) ||
		die "module '$m' not found: $deps"
	grep -q '^insmod ' <<<"$deps" || continue
	echo "$m" >>"$S/modules"
	while read -r kind path _; do
		[ "$kind" = insmod ] || continue
		rel=${path#"$KROOT"/}
		mkdir -p "$S/$(dirname "$rel")"
		cp "$path" "$S/$rel"
	done <<<"$deps"
done
cp "$KROOT/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo} "$S/lib/modules/$kver/"
depmod -b "$S" "$kver" || die "depmod on the initramfs tree failed"
install -m 0755 "$ROOT/build/linuxboot-init" "$S/init"

find "$S" -exec touch -h -d @0 {} +
(cd "$S" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc -R 0:0 --reproducible --quiet) >"$L/initramfs.cpio.tmp"
mv "$L/initramfs.cpio.tmp" "$L/initramfs.cpio"
rm -rf "$L/dl" "$L/pkgroot"
echo "$want" >"$L/stamp"
echo "linuxboot: built $L/initramfs.cpio ($(stat -c %s "$L/initramfs.cpio") bytes," \
	"$(wc -l <"$S/modules") modules, kexec-tools)"
