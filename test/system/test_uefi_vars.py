# SPDX-License-Identifier: MIT
"""Issue 13: persistent UEFI variables the OVMF way, on two QEMU pflash devices.

out/qvmloader-uefi-code.fd is pflash unit 0 (read-only: the loader runs in place from it and
finds its embedded payload there), a copy of out/qvmloader-uefi-vars.fd is unit 1. Linux
writes a variable through efivarfs and a boot entry with efibootmgr; a new QEMU on the same
VARS file sees both and tries the new entry first. Damaged stores are reformatted by the
loader with a log line; a truncated one or none at all (plain -bios) leaves variables in RAM.
"""
import re
import shutil
import subprocess

import pytest

import qemu
from test_uefi import console, fat_disk

VARS_BASE = f"{qemu.UEFI_VARS_BASE:x}"
GUID = "5156d4e1-7a3c-4e0b-9d7e-1a2b3c4d5e6f"
VAR = f"QvmPersist-{GUID}"
MARKER_SRC = qemu.ROOT / "test" / "system" / "marker-efi.S"
ESP_OFFSET = 1 << 20
MODULES = "qvm.modules=ahci,sd_mod"


def marker_efi(tmp_path):
    """Assemble test/system/marker-efi.S into a 1 KiB EFI application."""
    obj, app = tmp_path / "marker.o", tmp_path / "marker.efi"
    subprocess.run(["as", "--64", "-I", str(qemu.ROOT / "test"), "-o", str(obj),
                    str(MARKER_SRC)], check=True)
    subprocess.run(["ld", "-m", "elf_x86_64", "-Ttext", "0", "--oformat", "binary", "-e", "0",
                    "-o", str(app), str(obj)], check=True)
    assert app.stat().st_size == 1024
    return app


def esp_disk(path, guest, append, marker):
    """A 64 MiB MBR disk, one FAT partition at 1 MiB holding startup.nsh (boots the test
    guest), its kernel and initrd, and \\EFI\\qvm\\marker.efi; efibootmgr needs a partition."""
    path.unlink(missing_ok=True)
    with open(path, "wb") as f:
        f.truncate(64 << 20)
    subprocess.run(["sfdisk", "-q", str(path)], check=True, capture_output=True,
                   input=b"label: dos\nlabel-id: 0x514d5651\nstart=2048, type=ef\n")
    subprocess.run(["mkfs.fat", "--offset", "2048", "-n", "QVMESP", str(path),
                    str((64 << 10) - 1024)], check=True, capture_output=True)
    img = f"{path}@@{ESP_OFFSET}"
    cmdline = f"initrd=\\initrd.img {qemu.BASE_APPEND} {append}".strip()
    nsh = path.with_suffix(".nsh")
    nsh.write_bytes(("\r\n".join(["echo QVMUEFI-STARTUP", "fs0:", f"\\vmlinuz.efi {cmdline}"])
                     + "\r\n").encode())
    subprocess.run(["mmd", "-i", img, "::/EFI", "::/EFI/qvm"], check=True)
    for src, name in ((nsh, "startup.nsh"), (guest.kernel, "vmlinuz.efi"),
                      (guest.initrd, "initrd.img"), (marker, "EFI/qvm/marker.efi")):
        subprocess.run(["mcopy", "-i", img, str(src), f"::/{name}"], check=True)
    return path


def ahci(disk):
    """disk as AHCI drive d0, and no NIC (its iPXE ROM would try DHCP before the shell)."""
    return ["-drive", f"file={disk},format=raw,if=none,id=d0",
            "-device", "ide-hd,drive=d0,bus=ide.0", "-nic", "none"]


def boot_entries(r):
    """(BootOrder list, {number: description line}) from efibootmgr -v facts."""
    order, entries = [], {}
    for line in r.facts.get("efiboot", []):
        if line.startswith("BootOrder:"):
            order = line.split(":", 1)[1].strip().split(",")
        m = re.match(r"Boot([0-9A-F]{4})\*? (.*)", line)
        if m:
            entries[m.group(1)] = m.group(2)
    return order, entries


def test_variables_and_boot_entry_persist(uefi_flash, guest, tmp_path):
    """Power cycle: what Linux wrote is there in a new QEMU, and the new entry is tried first."""
    code, template = uefi_flash
    vars_file = tmp_path / "VARS.fd"
    shutil.copy(template, vars_file)
    marker = marker_efi(tmp_path)
    disk = esp_disk(tmp_path / "esp.img", guest,
                    f"{MODULES} qvm.action=efi qvm.efiset={VAR}:persisted-in-pflash "
                    f"qvm.efiboot=sda:1:qvm-marker:\\EFI\\qvm\\marker.efi", marker)
    r = qemu.run_qemu(None, machine="q35", mem="512M", kernel=False, timeout=300,
                      extra=qemu.pflash(code, vars_file) + ahci(disk))
    r.assert_done()
    assert f"uefi: variable store at {VARS_BASE} (528 KiB pflash)" in r.debug, r.summary()
    # The loader ran in place from the read-only code flash and found its embedded payload.
    assert "payload: embedded payload, " in r.debug, r.summary()
    assert r.fact("efivarfs") == "mounted"
    assert r.fact("efiset") == "ok", r.summary()
    assert r.fact("efiboot_add") == "ok", r.summary()
    order, entries = boot_entries(r)
    new = [n for n, d in entries.items() if d.startswith("qvm-marker")]
    assert len(new) == 1 and order[0] == new[0], r.facts.get("efiboot")
    assert "marker.efi" in entries[new[0]].lower() or "\\EFI\\qvm" in entries[new[0]]
    # The flash file itself now holds the variable (UCS-2 name) and the entry's description.
    data = vars_file.read_bytes()
    assert len(data) == qemu.UEFI_VARS_SIZE
    assert "QvmPersist".encode("utf-16-le") in data
    assert "qvm-marker".encode("utf-16-le") in data

    disk = esp_disk(tmp_path / "esp.img", guest, f"{MODULES} qvm.action=efi qvm.efiget={VAR}",
                    marker)
    r2 = qemu.run_qemu(None, machine="q35", mem="512M", kernel=False, timeout=300,
                       extra=qemu.pflash(code, vars_file) + ahci(disk))
    r2.assert_done()
    out = console(r2)
    # The boot manager tried the new entry first (it prints and fails), then went on to the
    # shell, whose startup.nsh booted Linux.
    assert "QVM-MARKER-EFI" in out, r2.summary()
    assert out.index("QVM-MARKER-EFI") < out.index("QVMUEFI-STARTUP")
    assert r2.fact("efiget") == "persisted-in-pflash", r2.summary()
    order2, entries2 = boot_entries(r2)
    assert order2[0] == new[0] and entries2[new[0]] == entries[new[0]], r2.facts.get("efiboot")


@pytest.mark.parametrize("damage", ["zeros"])
def test_damaged_store_is_reformatted(uefi_flash, tmp_path, damage):
    """A store that is not a valid variable store is formatted by the loader, which says so,
    and the payload then boots and saves its boot variables in it."""
    code, template = uefi_flash
    vars_file = tmp_path / "VARS.fd"
    data = bytearray(template.read_bytes())
    if damage == "zeros":
        data = bytearray(qemu.UEFI_VARS_SIZE)
    elif damage == "garbage":
        data[:4096] = bytes((i * 37 + 11) & 0xff for i in range(4096))
    else:
        data[0x2c] ^= 0x01  # an FV attribute bit: the header checksum no longer matches
    vars_file.write_bytes(bytes(data))
    disk = fat_disk(tmp_path / "shell.img", ["echo QVMUEFI-END", "reset"])
    r = qemu.run_qemu(None, machine="q35", mem="256M", kernel=False, timeout=120,
                      extra=qemu.pflash(code, vars_file) + ahci(disk))
    why = {"zeros": "has no firmware volume header",
           "garbage": "has no firmware volume header",
           "checksum": "has a firmware volume header with a bad checksum"}[damage]
    assert re.search(f"uefi: variable store at {VARS_BASE} {why}.*: formatting it", r.debug), \
        r.summary()
    assert f"uefi: variable store at {VARS_BASE} formatted (528 KiB pflash)" in r.debug
    assert "QVMUEFI-END" in console(r), r.summary()
    assert not r.timed_out and r.exitcode == 0, r.summary()
    after = vars_file.read_bytes()
    assert after[:0x64] == template.read_bytes()[:0x64]
    assert "BootOrder".encode("utf-16-le") in after


def test_truncated_store_is_not_used(uefi_flash, tmp_path):
    """A VARS file smaller than the layout maps below the code flash but not at the store's
    base: the loader says so and the payload boots with variables in RAM."""
    code, template = uefi_flash
    vars_file = tmp_path / "VARS.fd"
    vars_file.write_bytes(template.read_bytes()[:0x40000])
    disk = fat_disk(tmp_path / "shell.img", ["echo QVMUEFI-END", "reset"])
    r = qemu.run_qemu(None, machine="q35", mem="256M", kernel=False, timeout=120,
                      extra=qemu.pflash(code, vars_file) + ahci(disk))
    assert "uefi: the variable store flash below the code flash is smaller than 528 KiB " \
        "(truncated VARS file?)" in r.debug, r.summary()
    assert "QVMUEFI-END" in console(r), r.summary()
    assert not r.timed_out and r.exitcode == 0, r.summary()
    assert vars_file.read_bytes() == template.read_bytes()[:0x40000]


def test_plain_bios_has_no_store(tmp_path):
    """-bios without pflash still boots, and the loader says variables are kept in RAM."""
    rom = qemu.require(qemu.UEFI_ROM)
    disk = fat_disk(tmp_path / "shell.img", ["echo QVMUEFI-END", "reset"])
    r = qemu.run_qemu(rom, machine="q35", mem="256M", kernel=False, timeout=120,
                      extra=ahci(disk))
    assert f"uefi: no variable store flash at {VARS_BASE} (no pflash unit 1, e.g. plain " \
        "-bios): UEFI variables are kept in RAM" in r.debug, r.summary()
    assert "QVMUEFI-END" in console(r), r.summary()
    assert not r.timed_out and r.exitcode == 0, r.summary()
