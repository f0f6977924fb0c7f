#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install every Debian package qvmloader needs to build, test and benchmark.
# Idempotent: does nothing when all packages are present. Run as root (or via sudo).
set -euo pipefail

PKGS=(
	build-essential gcc gcc-multilib clang lld binutils make python3 python3-pytest
	libcmocka-dev libclang-rt-14-dev cppcheck clang-tidy clang-format
	qemu-system-x86 qemu-system-data qemu-utils seabios ovmf ipxe-qemu
	acpica-tools nasm uuid-dev busybox-static cpio gzip xz-utils dpkg-dev
	grub-coreboot-bin mtools dosfstools fdisk efibootmgr sbsigntool openssl
	dpkg-dev devscripts kmod python3-pytest-xdist python3-pytest-rerunfailures lz4 e2fsprogs
	libvirt-daemon-system libvirt-clients lintian
	grub-pc-bin isolinux syslinux-common xorriso debian-installer-12-netboot-amd64 memtest86+
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

# deb-src lines are needed for "apt-get source seabios" (and edk2 later).
need_src=0
if ! grep -rqsE '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	need_src=1
fi

if [ "${#missing[@]}" -eq 0 ] && [ "$need_src" -eq 0 ]; then
	exit 0
fi

if [ "$need_src" -eq 1 ]; then
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		$SUDO sed -i 's/^Types: deb$/Types: deb deb-src/' /etc/apt/sources.list.d/debian.sources
	fi
	if ! grep -rqsE '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/ &&
		[ -f /etc/apt/sources.list ]; then
		sed -n 's/^deb /deb-src /p' /etc/apt/sources.list | $SUDO tee -a /etc/apt/sources.list >/dev/null
	fi
fi

echo "setup: installing ${missing[*]:-(deb-src only)}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
if [ "${#missing[@]}" -gt 0 ]; then
	$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
