# SPDX-License-Identifier: MIT
"""Real boot paths through the SeaBIOS payload (and the direct-Linux ROM), with boot media
nobody here wrote: GRUB i386-pc from an MBR disk, ISOLINUX from an El Torito CD, Debian's
netboot installer to its first screen, memtest86+ to its first test pass.

The disk and ISO images come from build/bootpaths.sh (cached under out/bootpaths; the test
builds them when missing). The installer and memtest86+ are Debian's packages as installed.
"""
import re
import subprocess

import pytest

import qemu

BOOTPATHS = qemu.OUT / "bootpaths"
GRUB_DISK = BOOTPATHS / "grub-mbr.img"
ISOLINUX_ISO = BOOTPATHS / "isolinux.iso"
LINUX_ROM = qemu.OUT / "qvmloader-linux.bin"
DI = "/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64"
DI_KERNEL, DI_INITRD = f"{DI}/linux", f"{DI}/initrd.gz"
MEMTEST = "/boot/memtest86+x64.bin"
qemu.HOW_TO_BUILD[LINUX_ROM] = f"make {qemu.OUT.name}/qvmloader-linux.bin"
for _p, _pkg in [(DI_KERNEL, "debian-installer-12-netboot-amd64"),
                 (DI_INITRD, "debian-installer-12-netboot-amd64"), (MEMTEST, "memtest86+")]:
    qemu.HOW_TO_BUILD[qemu.Path(_p)] = f"make setup (Debian package {_pkg})"
# memtest86+ draws its first test's name once the pass has started.
MEMTEST_RUNNING = r"#0\s+\[Address test, walking ones"


@pytest.fixture(scope="module")
def media():
    """Build (or reuse) the GRUB disk and the ISOLINUX ISO."""
    subprocess.run(["bash", str(qemu.ROOT / "build" / "bootpaths.sh")], check=True,
                   env={"OUT": str(qemu.OUT), "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
                   capture_output=True)
    return qemu.require(GRUB_DISK), qemu.require(ISOLINUX_ISO)


def test_grub_from_mbr_disk(qvmloader_rom, guest, media):
    """INT 13h disk boot: GRUB's boot.img, core.img, its FAT module and linux loader."""
    r = qemu.run_qemu(qvmloader_rom, machine="pc", kernel=False, timeout=240,
                      extra=["-drive", f"file={media[0]},format=raw,if=ide,snapshot=on"])
    r.assert_done()
    assert "QVMGRUB-CONFIG" in r.serial and "Booting from Hard Disk" in r.debug, r.summary()
    cmdline = r.fact("cmdline")
    assert cmdline.startswith("BOOT_IMAGE=/boot/vmlinuz ") and "qvm.bootpath=grub" in cmdline
    assert r.fact("initrd_sha256") == guest.canary_sha256
    assert re.search(r"^sda 131072 [0-9a-f]{64}$", "\n".join(r.facts["disk"]), re.M), r.facts


def test_isolinux_from_cdrom(qvmloader_rom, guest, media):
    """El Torito no-emulation boot from -cdrom: ISOLINUX loads the kernel with INT 13h."""
    r = qemu.run_qemu(qvmloader_rom, machine="q35", kernel=False, timeout=240,
                      extra=["-cdrom", str(media[1])])
    r.assert_done()
    assert "Booting from DVD/CD" in r.debug, r.summary()
    cmdline = r.fact("cmdline")
    assert cmdline.startswith("BOOT_IMAGE=/vmlinuz ") and "qvm.bootpath=isolinux" in cmdline
    assert r.fact("initrd_sha256") == guest.canary_sha256
    assert any(d.startswith("sr0 ") and "unreadable" not in d for d in r.facts["disk"])


@pytest.mark.long
def test_debian_installer_first_screen(qvmloader_rom):
    """Debian 12's netboot installer through SeaBIOS's -kernel loader reaches its language
    menu on the serial console."""
    r = qemu.run_qemu(qvmloader_rom, machine="q35", mem="1G", kernel=False, timeout=300,
                      until=r"Select a language",
                      extra=["-kernel", qemu.require(DI_KERNEL), "-initrd", qemu.require(DI_INITRD),
                             "-append", "console=ttyS0,115200"])
    assert r.until_seen, r.summary()
    assert "Kernel panic" not in r.serial


@pytest.mark.parametrize("rom", ["direct", "seabios"])
def test_memtest86plus_first_pass(qvmloader_rom, rom):
    """memtest86+ 6 (a Linux-boot-protocol image) starts its first pass, booted by the
    direct-Linux ROM itself and by SeaBIOS's -kernel loader."""
    bios = qemu.require(LINUX_ROM) if rom == "direct" else qvmloader_rom
    r = qemu.run_qemu(bios, machine="q35", kernel=False, timeout=180, until=MEMTEST_RUNNING,
                      extra=["-kernel", qemu.require(MEMTEST), "-append", "console=ttyS0,115200"])
    assert r.until_seen, r.summary()
    if rom == "direct":
        assert "linux: bzImage, boot protocol" in r.debug, r.summary()
    else:
        assert "SeaBIOS (version" in r.debug and "Booting from ROM" in r.debug, r.summary()
    screen = qemu.ANSI_ESCAPE.sub("", r.serial)
    assert "Memtest86+ v6" in screen and "Errors: 0" in screen, screen[-2000:]
