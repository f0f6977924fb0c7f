#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the boot media of the real-boot-path system tests (test/system/test_bootpaths.py)
# under $OUT/bootpaths, without root:
#   grub-mbr.img  MBR disk: GRUB i386-pc boot.img + core.img in the gap before partition 1,
#                 a FAT partition holding /boot/vmlinuz, /boot/initrd.gz and grub.cfg;
#   isolinux.iso  El Torito ISO (no emulation) with ISOLINUX booting the same kernel;
# both boot the test guest (out/guest) with "qvm.bootpath=<name>" on its command line.
# Debian's netboot installer and memtest86+ are used where their packages install them.
# Cached: rebuilt only when the guest or this script changed.
set -euo pipefail

OUT=${OUT:-out}
DIR=$OUT/bootpaths
KERNEL=$OUT/guest/vmlinuz
INITRD=$OUT/guest/initramfs.cpio.gz
GRUB=/usr/lib/grub/i386-pc
APPEND="console=ttyS0 quiet panic=-1 qvm.action=disk qvm.disks=sda"

for f in "$KERNEL" "$INITRD"; do
	[ -f "$f" ] || { echo "bootpaths: $f is missing: run 'make guest' first" >&2; exit 1; }
done
for f in "$GRUB/boot.img" /usr/lib/ISOLINUX/isolinux.bin \
	/usr/lib/syslinux/modules/bios/ldlinux.c32; do
	[ -f "$f" ] || { echo "bootpaths: $f is missing: run 'make setup'" >&2; exit 1; }
done

stamp=$(cat "$0" "$KERNEL" "$INITRD" "$GRUB/boot.img" /usr/lib/ISOLINUX/isolinux.bin |
	sha256sum | cut -d' ' -f1)
if [ -f "$DIR/stamp" ] && [ "$(cat "$DIR/stamp")" = "$stamp" ] &&
	[ -f "$DIR/grub-mbr.img" ] && [ -f "$DIR/isolinux.iso" ]; then
	echo "bootpaths: up to date ($DIR)"
	exit 0
fi
rm -rf "$DIR"
mkdir -p "$DIR/tmp"
tmp=$DIR/tmp

# --- GRUB i386-pc on an MBR disk: 64 MiB, partition 1 (FAT16) from sector 2048.
part=$tmp/part.img
mkfs.fat -C -n QVMGRUB "$part" $((62 * 1024)) >/dev/null
cat >"$tmp/grub.cfg" <<EOF
serial --unit=0 --speed=115200
terminal_output --append serial
echo QVMGRUB-CONFIG
linux /boot/vmlinuz $APPEND qvm.bootpath=grub
initrd /boot/initrd.gz
boot
EOF
mmd -i "$part" ::/boot ::/boot/grub
mcopy -i "$part" "$KERNEL" ::/boot/vmlinuz
mcopy -i "$part" "$INITRD" ::/boot/initrd.gz
mcopy -i "$part" "$tmp/grub.cfg" ::/boot/grub/grub.cfg
# The embedded config only finds the partition and hands over to grub.cfg on it.
cat >"$tmp/early.cfg" <<EOF
set root=(hd0,msdos1)
set prefix=(hd0,msdos1)/boot/grub
configfile (hd0,msdos1)/boot/grub/grub.cfg
EOF
grub-mkimage -O i386-pc -o "$tmp/core.img" -c "$tmp/early.cfg" -p '(hd0,msdos1)/boot/grub' \
	biosdisk part_msdos fat configfile linux echo serial terminal
core_sectors=$(( ($(stat -c %s "$tmp/core.img") + 511) / 512 ))
[ "$core_sectors" -lt 2047 ] || { echo "bootpaths: core.img does not fit before sector 2048" >&2; exit 1; }
disk=$tmp/grub-mbr.img
truncate -s 64M "$disk"
echo 'start=2048, type=06, bootable' | sfdisk -q "$disk"
# boot.img's code (440 bytes) keeps the partition table; core.img goes to sector 1, where
# boot.img's default kernel sector and diskboot's default block list expect it.
dd if="$GRUB/boot.img" of="$disk" bs=440 count=1 conv=notrunc status=none
dd if="$tmp/core.img" of="$disk" bs=512 seek=1 conv=notrunc status=none
dd if="$part" of="$disk" bs=512 seek=2048 conv=notrunc status=none
mv "$disk" "$DIR/grub-mbr.img"

# --- ISOLINUX El Torito ISO.
iso=$tmp/iso
mkdir -p "$iso/isolinux"
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$iso/isolinux/"
cp "$KERNEL" "$iso/vmlinuz"
cp "$INITRD" "$iso/initrd.gz"
cat >"$iso/isolinux/isolinux.cfg" <<EOF
SERIAL 0 115200
DEFAULT guest
PROMPT 0
TIMEOUT 1
LABEL guest
  KERNEL /vmlinuz
  APPEND initrd=/initrd.gz console=ttyS0 quiet panic=-1 qvm.action=disk qvm.disks=sr0 qvm.bootpath=isolinux
EOF
xorriso -as mkisofs -quiet -o "$DIR/isolinux.iso" -V QVMISO -b isolinux/isolinux.bin \
	-c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table "$iso"

rm -rf "$tmp"
echo "$stamp" >"$DIR/stamp"
echo "bootpaths: built $DIR/grub-mbr.img and $DIR/isolinux.iso"
