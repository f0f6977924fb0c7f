#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build EDK2's UefiPayloadPkg (BOOTLOADER=COREBOOT, IA32 SEC + X64 DXE, RELEASE)
# from Debian's edk2 source package, with our patches from build/edk2/*.patch. The boot-menu
# timeout is 0 (as OVMF without -boot menu=on): BDS boots at once instead of waiting 3 s.
# Variables live in QEMU pflash unit 1 (OVMF's 528 KiB layout) right below the code flash of
# UEFI_CODE_SIZE bytes (the whole qvmloader-uefi ROM, pflash unit 0); the FD's flash driver is
# built for that address. Without that flash it falls back to variables in RAM. When the flash
# is SMM-only (q35, cfi.pflash01 secure=on), the loader's SMMSTORE service writes it. Secure Boot
# (authenticated variables, image verification) is built in; without an enrolled PK it is off.
# Usage: OUT=out UEFI_CODE_SIZE=0x5c0000 bash build/edk2.sh   ->  $OUT/edk2/UEFIPAYLOAD.fd
# The source is unpacked once into $OUT/edk2/src (apt-get source, no --compile);
# the build is skipped when the stamp (source version + patches + this script) matches.
set -euo pipefail

die() {
	echo "edk2.sh: error: $*" >&2
	exit 1
}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-out}
mkdir -p "$OUT/edk2"
OUT=$(cd "$OUT" && pwd)
E=$OUT/edk2
RESULT=$E/UEFIPAYLOAD.fd
STAMP=$E/stamp
PYTHON=${PYTHON:-/usr/bin/python3}
JOBS=${JOBS:-$(nproc)}
TARGET=RELEASE
# Fixed by UefiPayloadPkg.fdf (FD_BASE 0x00800000, FD_SIZE 0x590000); src/payload/payload-uefi.c checks both.
FD_SIZE=$((0x590000))
# Code flash size (the Makefile's UEFI_CODE_SIZE) and the variable store layout below it.
CODE_SIZE=$((${UEFI_CODE_SIZE:-0x5c0000}))
VARS_SIZE=$((0x84000))
VARS_BASE=$(((1 << 32) - CODE_SIZE - VARS_SIZE))
[ $((CODE_SIZE % 0x10000)) -eq 0 ] && [ "$CODE_SIZE" -ge $((FD_SIZE + 0x20000)) ] ||
	die "UEFI_CODE_SIZE=$CODE_SIZE must be a multiple of 64 KiB holding the FD and the loader"

for tool in nasm iasl gcc make "$PYTHON"; do
	command -v "$tool" >/dev/null || die "$tool not found (run: make setup)"
done
[ -f /usr/include/uuid/uuid.h ] || die "uuid-dev is not installed (run: make setup)"

# The first unpacked edk2 source tree under $E/src, or nothing.
find_src() {
	local d
	for d in "$E"/src/edk2-*/; do
		if [ -f "$d/edksetup.sh" ] && [ -f "$d/debian/changelog" ]; then
			echo "${d%/}"
			return
		fi
	done
}

src=$(find_src)
if [ -z "$src" ]; then
	command -v dpkg-source >/dev/null || die "dpkg-source not found; install dpkg-dev (run: make setup)"
	rm -rf "$E/src.tmp"
	mkdir -p "$E/src.tmp"
	echo "edk2: apt-get source edk2 -> $E/src"
	if ! (cd "$E/src.tmp" && apt-get source -q edk2) >"$E/apt-source.log" 2>&1; then
		cat "$E/apt-source.log" >&2
		die "'apt-get source edk2' failed. deb-src entries must be enabled and the" \
			"package lists current: run 'make setup' (enables deb-src) and 'apt-get update'."
	fi
	rm -rf "$E/src"
	mv "$E/src.tmp" "$E/src"
	src=$(find_src)
	[ -n "$src" ] || die "apt-get source edk2 produced no edk2-*/ tree in $E/src"
fi

version=$(sed -n '1s/^edk2 (\([^)]*\)).*/\1/p' "$src/debian/changelog")
[ -n "$version" ] || die "cannot read the package version from $src/debian/changelog"
patches=("$ROOT"/build/edk2/*.patch)
[ -f "${patches[0]}" ] || die "no patches in $ROOT/build/edk2/"
want=$( {
	echo "source $version target $TARGET vars $VARS_BASE"
	cat "${patches[@]}" | sha256sum
	sha256sum <"$ROOT/build/edk2.sh"
} | sha256sum | cut -d' ' -f1)

if [ -f "$RESULT" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
	echo "edk2: up to date ($version, $RESULT)"
	exit 0
fi
rm -f "$STAMP"

# Restore the pristine files we patch, convert them to LF (our patches are LF) and patch.
pkg=UefiPayloadPkg
flash=OvmfPkg/QemuFlashFvbServicesRuntimeDxe
for f in $pkg/UefiPayloadPkg.dsc $pkg/UefiPayloadPkg.fdf \
	$pkg/Library/PlatformBootManagerLib/PlatformBootManager.c \
	$pkg/Library/PlatformBootManagerLib/PlatformBootManagerLib.inf \
	$pkg/UefiPayloadEntry/AcpiTable.c OvmfPkg/Library/DxePciLibI440FxQ35/PciLib.c \
	$flash/QemuFlash.c $flash/QemuFlash.h $flash/QemuFlashDxe.c $flash/FvbServicesRuntimeDxe.inf \
	$pkg/UefiPayloadPkg.dec $pkg/UefiPayloadEntry/UefiPayloadEntry.c \
	$pkg/UefiPayloadEntry/UefiPayloadEntry.inf; do
	if [ -f "$src/$f.qvm-orig" ]; then
		cp "$src/$f.qvm-orig" "$src/$f"
	else
		cp "$src/$f" "$src/$f.qvm-orig"
	fi
	sed -i 's/\r$//' "$src/$f"
done
# Files our patches create (from /dev/null) go first, so that every patch applies afresh.
for p in "${patches[@]}"; do
	sed -n '/^--- \/dev\/null/{n;s/^+++ b\/\([^\t]*\).*/\1/p}' "$p"
done | while read -r f; do rm -f "${src:?}/$f"; done
for p in "${patches[@]}"; do
	echo "edk2: applying $(basename "$p")"
	patch -d "$src" -p1 --forward --quiet <"$p" ||
		die "patch $(basename "$p") does not apply to edk2 $version"
done

unset MAKEFLAGS MFLAGS MAKELEVEL
export PYTHON_COMMAND=$PYTHON
if [ ! -x "$src/BaseTools/Source/C/bin/GenFv" ]; then
	echo "edk2: building BaseTools"
	make -C "$src/BaseTools" -j"$JOBS" >"$E/basetools.log" 2>&1 ||
		{ tail -40 "$E/basetools.log" >&2; die "BaseTools build failed (full log: $E/basetools.log)"; }
fi

echo "edk2: building UefiPayloadPkg $TARGET ($version) in $src/Build (a few minutes)"
(
	cd "$src"
	# edksetup.sh parses "$@" (give it none) and reads unset variables.
	set -- && set +u
	# shellcheck disable=SC1091
	. ./edksetup.sh >/dev/null
	build -p UefiPayloadPkg/UefiPayloadPkg.dsc -a IA32 -a X64 -t GCC5 -b "$TARGET" \
		-D BOOTLOADER=COREBOOT -D PLATFORM_BOOT_TIMEOUT=0 -D VARIABLE_SUPPORT=QEMU \
		-D SIO_BUS_ENABLE=TRUE -D PS2_KEYBOARD_ENABLE=TRUE -D PS2_MOUSE_ENABLE=FALSE \
		-D SECURE_BOOT_ENABLE=TRUE \
		-D QEMU_VARS_BASE="$(printf 0x%x "$VARS_BASE")" \
		-D QEMU_FTW_WORKING_BASE="$(printf 0x%x $((VARS_BASE + 0x41000)))" \
		-D QEMU_FTW_SPARE_BASE="$(printf 0x%x $((VARS_BASE + 0x42000)))" -n "$JOBS"
) >"$E/build.log" 2>&1 ||
	{ tail -40 "$E/build.log" >&2; die "UefiPayloadPkg build failed (full log: $E/build.log)"; }

fd=$src/Build/UefiPayloadPkgX64/${TARGET}_GCC5/FV/UEFIPAYLOAD.fd
[ -f "$fd" ] || die "the build produced no $fd"
[ "$(stat -c %s "$fd")" -eq "$FD_SIZE" ] ||
	die "$fd is $(stat -c %s "$fd") bytes, expected $FD_SIZE (FD_SIZE of UefiPayloadPkg.fdf changed?)"
[ "$(dd if="$fd" bs=1 skip=40 count=4 2>/dev/null)" = "_FVH" ] ||
	die "$fd does not start with a firmware volume header"
for drv in VirtioBlk VirtioScsi Virtio10 VirtioPciDeviceDxe FvbServicesRuntimeDxe \
	FaultTolerantWriteDxe QemuKernelLoaderFsDxe IoMmuDxe QemuVideoDxe VirtioGpuDxe \
	QemuRamfbDxe SioBusDxe Ps2KeyboardDxe QvmPciRomDxe; do
	grep -q "$drv" "$src/Build/UefiPayloadPkgX64/${TARGET}_GCC5/FV/DXEFV.inf" ||
		die "$drv is missing from DXEFV: a patch in build/edk2/ did not take effect"
done
cp "$fd" "$RESULT.tmp"
mv "$RESULT.tmp" "$RESULT"
echo "$want" >"$STAMP"
echo "edk2: built $RESULT ($(stat -c %s "$RESULT") bytes)"
