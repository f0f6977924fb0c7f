# SPDX-License-Identifier: MIT
"""Issue 14: the LinuxBoot ROM (out/qvmloader-linuxboot.bin, `make linuxboot`).

The ROM carries the Debian kernel and a kexec initramfs; with no -kernel it finds an OS on an
ext4 disk built here without root (mkfs.ext4 -d) from a grub.cfg or a BLS entry and kexecs it.
The OS is the test guest (out/guest), whose facts must equal those of a direct boot of the same
kernel. A disk with nothing bootable gives a clear message. Tests marked long run in
`make linuxboot-check`, not in `make check`.
"""
import os
import secrets
import shutil
import subprocess

import pytest

import qemu

MIB = 1 << 20
TIMEOUT = 300
POWEROFF_ON_FAIL = ["-fw_cfg", "name=opt/qvmloader/linuxboot-onfail,string=poweroff"]


def make_disk(name, files):
    """An ext4 image (built without root) holding files {path: bytes or source Path}."""
    d = qemu.OUT / "system-build" / os.environ.get("PYTEST_XDIST_WORKER", "main") / name
    shutil.rmtree(d, ignore_errors=True)
    tree = d / "tree"
    for path, content in files.items():
        dst = tree / path
        dst.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            dst.write_bytes(content)
        else:
            shutil.copyfile(content, dst)
    img = d / "disk.img"
    size = sum((tree / p).stat().st_size for p in files) // MIB + 32
    subprocess.run(["mkfs.ext4", "-q", "-F", "-L", name, "-d", str(tree), str(img), f"{size}M"],
                   check=True, capture_output=True)
    return img


def guest_files(guest):
    """The test guest's kernel and initramfs under boot/."""
    return {"boot/vmlinuz-qvm": guest.kernel, "boot/initrd-qvm.img": guest.initrd}


def run_linuxboot(rom, disk, token, machine="q35", smp=2, extra=(), timeout=TIMEOUT):
    """Boot the LinuxBoot ROM with no -kernel from disk (virtio), adding qvm.token."""
    return qemu.run_qemu(rom, machine=machine, smp=smp, kernel=False, timeout=timeout, extra=[
        "-drive", f"file={disk},format=raw,if=virtio",
        "-fw_cfg", f"name=opt/qvmloader/linuxboot-cmdline,string=qvm.token={token}",
        *extra])


def acpi(r):
    """{table: (size, sha256)} from the guest."""
    return {v.split()[0]: tuple(v.split()[1:]) for v in r.facts["acpi"]}


def ram(r):
    """Bytes of System RAM in the guest's firmware memory map."""
    return sum(e - s + 1 for s, e, kind in r.e820() if kind == "System RAM")


@pytest.mark.long
def test_grub_disk_kexec_matches_direct_boot(linuxboot_rom, guest):
    token = secrets.token_hex(8)
    grub = (b"set default=\"Debian test\"\n"
            b"menuentry 'Rescue' { linux /boot/missing-kernel }\n"
            b"menuentry 'Debian test' --class debian {\n"
            b"\tlinux /boot/vmlinuz-qvm " + qemu.BASE_APPEND.encode() + b"\n"
            b"\tinitrd /boot/initrd-qvm.img\n}\n")
    disk = make_disk("grub", {**guest_files(guest), "boot/grub/grub.cfg": grub})
    r = run_linuxboot(linuxboot_rom, disk, token)
    r.assert_done()
    assert "linuxboot: kernel 8" in r.debug and "initramfs" in r.debug, r.summary()
    assert ("linuxboot: booting /mnt/vda/boot/vmlinuz-qvm from /dev/vda (grub.cfg)"
            in r.serial), r.summary()
    assert "linuxboot: boot counter cleared, watchdog halted" in r.serial
    assert r.fact("initrd_sha256") == guest.canary_sha256
    assert r.fact("cmdline") == f"{qemu.BASE_APPEND} qvm.token={token}"

    # The same machine, disk included (it is in the DSDT and on the PCI bus), booted directly.
    ref = qemu.run_qemu(qemu.require(qemu.LINUX_ROM), machine="q35", smp=2, append=f"qvm.token={token}",
                        extra=["-drive", f"file={disk},format=raw,if=virtio"])
    ref.assert_done()
    assert r.fact_int("cpus") == ref.fact_int("cpus") == 2
    assert sorted(r.facts["apicid"]) == sorted(ref.facts["apicid"])
    assert abs(ram(r) - ram(ref)) <= MIB, (r.e820(), ref.e820())
    assert abs(r.fact_int("memtotal_kb") - ref.fact_int("memtotal_kb")) <= 4096
    assert acpi(r) == acpi(ref)
    assert r.pci() == ref.pci()
    assert r.pci_resources() == ref.pci_resources()
    assert sorted(r.facts["dmi"]) == sorted(ref.facts["dmi"])


@pytest.mark.long
def test_bls_entry(linuxboot_rom, guest):
    token = secrets.token_hex(8)
    entry = (b"title Test guest\nversion 1\nlinux /boot/vmlinuz-qvm\n"
             b"initrd /boot/initrd-qvm.img\noptions " + qemu.BASE_APPEND.encode() + b"\n")
    older = b"title Older\nversion 0\nlinux /boot/none\noptions broken\n"
    disk = make_disk("bls", {**guest_files(guest), "loader/entries/qvm-1.conf": entry,
                             "loader/entries/qvm-0.conf": older})
    r = run_linuxboot(linuxboot_rom, disk, token, machine="pc", smp=1)
    r.assert_done()
    assert "(BLS entry qvm-1.conf)" in r.serial, r.summary()
    assert r.fact("cmdline") == f"{qemu.BASE_APPEND} qvm.token={token}"
    assert r.fact("initrd_sha256") == guest.canary_sha256


def test_nothing_bootable(linuxboot_rom):
    disk = make_disk("empty", {"README": b"no OS here\n"})
    r = run_linuxboot(linuxboot_rom, disk, "x", smp=1, extra=POWEROFF_ON_FAIL,
                      timeout=180)
    assert not r.timed_out, r.summary()
    assert ("linuxboot: no bootable OS found: no grub.cfg, loader/entries or /boot/vmlinuz "
            "on /dev/vda") in r.serial, r.summary()
    assert "linuxboot: opt/qvmloader/linuxboot-onfail: poweroff" in r.serial
    assert "QVMDONE" not in r.serial
