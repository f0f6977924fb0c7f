#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the system-test guest: a Debian kernel and a busybox initramfs.
# Usage: OUT=out bash build/guest.sh  ->  $OUT/guest/vmlinuz, $OUT/guest/initramfs.cpio.gz
# The kernel package is fetched with "apt-get download" (never installed) and unpacked with
# "dpkg -x"; the initramfs is rebuilt only when its inputs (this script, build/guest/*, the
# kernel and busybox versions) change.
set -euo pipefail

die() {
	echo "guest.sh: error: $*" >&2
	exit 1
}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-out}
mkdir -p "$OUT/guest"
OUT=$(cd "$OUT" && pwd)
G=$OUT/guest
BUSYBOX=/bin/busybox

# Kernel modules the tests need; dependencies are added automatically and built-in ones skipped.
MODULES=(
	virtio_pci virtio_blk virtio_scsi virtio_net
	ahci ata_piix sd_mod sr_mod
	nvme
	xhci_pci ehci_pci uhci_hcd usb_storage uas
	e1000 e1000e
	msr qemu_fw_cfg
	vfat nls_cp437 nls_iso8859_1
	efivarfs
)

for tool in apt-cache apt-get dpkg depmod modprobe cpio gzip sha256sum ldd; do
	command -v "$tool" >/dev/null || die "'$tool' not found; run 'make setup' (needs dpkg-dev, kmod, cpio)"
done
if [ ! -x "$BUSYBOX" ] || ! "$BUSYBOX" --list | grep -qx sh; then
	die "$BUSYBOX missing or not a full busybox; install busybox-static ('make setup')"
fi

# ---------------------------------------------------------------- kernel package
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
	sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -1)
[ -n "$pkg" ] || die "cannot resolve linux-image-amd64 to a concrete linux-image-<version>-amd64" \
	"package with apt-cache depends; run 'apt-get update'"
kver=${pkg#linux-image-}
KROOT=$G/kernel-$kver

if [ ! -f "$KROOT/.unpacked" ]; then
	rm -rf "$G/dl" "$KROOT"
	mkdir -p "$G/dl"
	echo "guest: apt-get download $pkg"
	(cd "$G/dl" && apt-get download -q "$pkg") >"$G/download.log" 2>&1 ||
		{ cat "$G/download.log" >&2; die "'apt-get download $pkg' failed"; }
	deb=$(find "$G/dl" -maxdepth 1 -name "${pkg}_*.deb" | head -1)
	[ -n "$deb" ] || die "apt-get download produced no $pkg .deb"
	dpkg -x "$deb" "$KROOT"
	dpkg-deb -f "$deb" Version >"$KROOT/.pkgversion"
	rm -f "$deb"
	[ -f "$KROOT/boot/vmlinuz-$kver" ] || die "$pkg has no boot/vmlinuz-$kver"
	[ -d "$KROOT/lib/modules/$kver" ] || die "$pkg has no lib/modules/$kver"
	depmod -b "$KROOT" "$kver" || die "depmod on the unpacked $pkg failed"
	touch "$KROOT/.unpacked"
fi
pkgversion=$(cat "$KROOT/.pkgversion")

# ---------------------------------------------------------------- cache check
want=$( {
	echo "$pkg $pkgversion"
	"$BUSYBOX" 2>&1 | head -1
	echo "${MODULES[*]}"
	cd "$ROOT" && sha256sum build/guest.sh build/guest/*
} | sha256sum | cut -d' ' -f1)
if [ -f "$G/vmlinuz" ] && [ -f "$G/initramfs.cpio.gz" ] && [ -f "$G/stamp" ] &&
	[ "$(cat "$G/stamp")" = "$want" ]; then
	echo "guest: up to date ($pkg $pkgversion)"
	exit 0
fi
rm -f "$G/stamp"

# ---------------------------------------------------------------- initramfs tree
STAGE=$G/initramfs.d
rm -rf "$STAGE"
mkdir -p "$STAGE"/{bin,sbin,dev,proc,sys,tmp,qvm,lib/modules/"$kver"}
cp "$BUSYBOX" "$STAGE/bin/busybox"
for applet in $("$BUSYBOX" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$STAGE/bin/$applet"
done
install -m 0755 "$ROOT/build/guest/init" "$STAGE/init"

# efibootmgr (Debian's, for the UEFI variable tests) with the shared libraries it links.
EFIBOOTMGR=$(command -v efibootmgr) || die "efibootmgr missing; install it ('make setup')"
mkdir -p "$STAGE/lib64" "$STAGE/lib/x86_64-linux-gnu"
cp "$EFIBOOTMGR" "$STAGE/bin/efibootmgr"
for lib in $(ldd "$EFIBOOTMGR" | grep -o '/[^ ]*'); do
	cp -L "$lib" "$STAGE$lib"
done

# Copy each module with its dependencies, keeping the package's paths.
MODDIR=$KROOT/lib/modules/$kver
: >"$STAGE/qvm/modules"
for m in "${MODULES[@]}"; do
	deps=$(modprobe -d "$KROOT" -S "$kver" --show-depends "$m" 2>&1) ||
		die "module '$m' not found in $pkg: $deps"
	if ! grep -q '^insmod ' <<<"$deps"; then
		echo "guest: $m is built into $kver"
		continue
	fi
	echo "$m" >>"$STAGE/qvm/modules"
	while read -r kind path _; do
		[ "$kind" = insmod ] || continue
		rel=${path#"$KROOT"/}
		case "$rel" in
		*.ko) ;;
		*) die "unsupported module format $rel (only uncompressed .ko is handled)" ;;
		esac
		mkdir -p "$STAGE/$(dirname "$rel")"
		cp "$path" "$STAGE/$rel"
	done <<<"$deps"
done
cp "$MODDIR"/modules.{order,builtin,builtin.modinfo} "$STAGE/lib/modules/$kver/"
depmod -b "$STAGE" "$kver" || die "depmod on the initramfs tree failed"
echo "$kver" >"$STAGE/qvm/kver"

# Incompressible, reproducible canary: tests compare the guest's sha256 of it with ours.
/usr/bin/python3 -c '
import hashlib, sys
out = bytearray()
i = 0
while len(out) < 256 * 1024:
    out += hashlib.sha256(b"qvmloader-canary-%d" % i).digest()
    i += 1
sys.stdout.buffer.write(out)' >"$STAGE/qvm/canary"
sha256sum <"$STAGE/qvm/canary" | cut -d' ' -f1 >"$G/canary.sha256"

find "$STAGE" -exec touch -h -d @0 {} +
(cd "$STAGE" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc -R 0:0 --reproducible --quiet) | gzip -9n >"$G/initramfs.cpio.gz.tmp"
mv "$G/initramfs.cpio.gz.tmp" "$G/initramfs.cpio.gz"
cp "$KROOT/boot/vmlinuz-$kver" "$G/vmlinuz"
cp "$STAGE/qvm/modules" "$G/modules.list"
echo "$kver" >"$G/kernel-version"
echo "$want" >"$G/stamp"
echo "guest: built $G/vmlinuz ($pkg $pkgversion) and initramfs.cpio.gz" \
	"($(stat -c %s "$G/initramfs.cpio.gz") bytes, $(wc -l <"$G/modules.list") modules)"
