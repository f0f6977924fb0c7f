#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build SeaBIOS as a coreboot payload from Debian's seabios source package.
# Usage: OUT=out bash build/seabios.sh   ->  $OUT/seabios/bios.bin.elf
# The source is unpacked once into $OUT/seabios/src (apt-get source, no --compile);
# the build is skipped when the stamp (config hash + source version + this script) matches.
set -euo pipefail

die() {
	echo "seabios.sh: error: $*" >&2
	exit 1
}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-out}
mkdir -p "$OUT/seabios"
OUT=$(cd "$OUT" && pwd)
SB=$OUT/seabios
CONFIG=$ROOT/build/seabios.config
RESULT=$SB/bios.bin.elf
STAMP=$SB/stamp
PYTHON=${PYTHON:-/usr/bin/python3}

# The first unpacked seabios source tree under $SB/src, or nothing.
find_src() {
	local d
	for d in "$SB"/src/seabios-*/; do
		if [ -f "$d/Makefile" ] && [ -f "$d/debian/changelog" ]; then
			echo "${d%/}"
			return
		fi
	done
}

src=$(find_src)
if [ -z "$src" ]; then
	command -v apt-get >/dev/null || die "apt-get not found; cannot fetch the SeaBIOS source"
	command -v dpkg-source >/dev/null ||
		die "dpkg-source not found; install dpkg-dev (run: make setup)"
	rm -rf "$SB/src.tmp"
	mkdir -p "$SB/src.tmp"
	echo "seabios: apt-get source seabios -> $SB/src"
	if ! (cd "$SB/src.tmp" && apt-get source -q seabios) >"$SB/apt-source.log" 2>&1; then
		cat "$SB/apt-source.log" >&2
		die "'apt-get source seabios' failed. deb-src entries must be enabled and the" \
			"package lists current: run 'make setup' (enables deb-src) and 'apt-get update'."
	fi
	rm -rf "$SB/src"
	mv "$SB/src.tmp" "$SB/src"
	src=$(find_src)
	[ -n "$src" ] || die "apt-get source seabios produced no seabios-*/ tree in $SB/src"
fi

version=$(sed -n '1s/^seabios (\([^)]*\)).*/\1/p' "$src/debian/changelog")
[ -n "$version" ] || die "cannot read the package version from $src/debian/changelog"
want=$( {
	echo "source $version"
	sha256sum <"$CONFIG"
	sha256sum <"$ROOT/build/seabios.sh"
} | sha256sum | cut -d' ' -f1)

if [ -f "$RESULT" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
	touch "$RESULT" # newer than the inputs, so make stops re-running this script
	echo "seabios: up to date ($version, $RESULT)"
	exit 0
fi

BUILD=$SB/build
rm -rf "$BUILD" "$STAMP"
mkdir -p "$BUILD"

# Coreboot-mode SeaBIOS ignores QEMU's CMOS boot order (-boot order=) and floppy types (-fda)
# because it tests CONFIG_QEMU; on QEMU (runningOnQEMU(), true under QEMU_HARDWARE) it should
# read them as its QEMU build does. Edit a copy of the pristine tree; each edit must match once.
rm -rf "$SB/src-build"
cp -a "$src" "$SB/src-build"
"$PYTHON" - "$SB/src-build" <<'PYEOF' || die "adapting the SeaBIOS source failed"
import re, sys
root = sys.argv[1]
edits = [
    ("src/boot.c", r"if \(CONFIG_QEMU\)( \{\s*// On emulators, get boot order)",
     r"if (runningOnQEMU())\1"),
    ("src/hw/floppy.c", r"if \(CONFIG_QEMU\)( \{\s*u8 type = rtc_read)",
     r"if (runningOnQEMU())\1"),
    ("src/hw/floppy.c", r'(#include "config.h"[^\n]*\n)',
     r'\1#include "fw/paravirt.h" // runningOnQEMU\n'),
]
for path, pattern, repl in edits:
    with open(f"{root}/{path}") as f:
        text = f.read()
    text, n = re.subn(pattern, repl, text)
    if n != 1:
        sys.exit(f"{path}: expected one match for {pattern!r}, found {n}")
    with open(f"{root}/{path}", "w") as f:
        f.write(text)
PYEOF
src=$SB/src-build
grep -v '^# SPDX\|^# SeaBIOS as' "$CONFIG" >"$BUILD/.config"
unset MAKEFLAGS MFLAGS MAKELEVEL
mk=(make -C "$src" KCONFIG_CONFIG="$BUILD/.config" OUT="$BUILD/" PYTHON="$PYTHON"
	EXTRAVERSION=-qvmloader)
echo "seabios: building $version (coreboot payload) in $BUILD"
"${mk[@]}" olddefconfig >"$BUILD/olddefconfig.log" 2>&1 ||
	{ cat "$BUILD/olddefconfig.log" >&2; die "make olddefconfig failed"; }

# olddefconfig must keep every option we set; a dropped one means a Kconfig mismatch.
while read -r line; do
	case "$line" in
	CONFIG_*=*) grep -qx "$line" "$BUILD/.config" || die "olddefconfig dropped '$line'" ;;
	"# CONFIG_"*" is not set") grep -qx "$line" "$BUILD/.config" || die "olddefconfig changed '$line'" ;;
	esac
done <"$CONFIG"

"${mk[@]}" -j2 >"$BUILD/build.log" 2>&1 ||
	{ tail -40 "$BUILD/build.log" >&2; die "SeaBIOS build failed (full log: $BUILD/build.log)"; }
[ -f "$BUILD/bios.bin.elf" ] || die "SeaBIOS build produced no bios.bin.elf"
grep -aq -- '-qvmloader' "$BUILD/bios.bin.elf" ||
	die "bios.bin.elf lacks the -qvmloader version string; EXTRAVERSION was not applied"
cp "$BUILD/bios.bin.elf" "$RESULT.tmp"
mv "$RESULT.tmp" "$RESULT"
echo "$want" >"$STAMP"
echo "seabios: built $RESULT ($(stat -c %s "$RESULT") bytes)"
