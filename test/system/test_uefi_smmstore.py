# SPDX-License-Identifier: MIT
"""Issue 13, Secure Boot's variable store: UEFI variables on a pflash the OS cannot write.

With `-global driver=cfi.pflash01,property=secure,value=on` QEMU drops every write to the flash
that does not come from SMM. On q35 qvmloader's SMI handler then owns the variable store and
announces its SMMSTORE v2 service in the coreboot table; the payload's QEMU flash driver
(build/edk2/0007-qemu-flash-smmstore.patch) finds that record and writes through SMIs. Linux's
efivarfs and efibootmgr still work and reach the VARS file, a second QEMU sees what they wrote,
and the same direct write from Linux that changes a writable flash leaves this one unchanged.
"""
import shutil

import pytest

import qemu
from test_uefi import console, fat_disk
from qemu import SECURE_PFLASH, UEFI_VARS_BASE, pflash
from test_uefi_vars import MODULES, ahci, boot_entries, esp_disk, marker_efi

SMMSTORE_LINE = "written through SMMSTORE (APM command 0xED, 132 blocks of 4096 bytes)"
DIRECT_LINE = "written directly (CFI commands)"
GUID = "7f3e1c52-4b8a-4d19-9e6a-2c5d8b0a1f34"
VAR = f"QvmSmmStore-{GUID}"
# The OVMF layout's event-log block (0x40000-0x40FFF): no firmware writes it, so whatever
# lands there came from the OS. The pokes are a CFI single-byte program: command, then data.
EVENT_LOG = 0x40000
# A value long enough to cross a 4 KiB block of the store where it lands (its data starts at
# 0xab8 after the payload's first-boot variables), so the driver writes it in two chunks. The
# kernel command line that carries it must stay under 2048 bytes.
VALUE = "smm-" + "0123456789abcdef" * 90


def poke_program(addr):
    """Guest arguments that try to program zeros at physical addr, the way an OS would."""
    return f"qvm.poke={addr:#x}:0x10,{addr:#x}:0x0"


def test_smm_only_store_keeps_variables_the_os_cannot_write(uefi_flash, guest, tmp_path):
    """q35, SMM-only flash: Linux sets a long variable and a boot entry through the firmware
    (SMMSTORE), both reach the VARS file, a direct write from Linux does not, and a second
    QEMU on the same file runs the new entry first and reads the variable back."""
    code, template = uefi_flash
    vars_file = tmp_path / "VARS.fd"
    shutil.copy(template, vars_file)
    marker = marker_efi(tmp_path)
    target = UEFI_VARS_BASE + EVENT_LOG
    disk = esp_disk(tmp_path / "esp.img", guest,
                    f"{MODULES} qvm.action=efi,poke qvm.efiset={VAR}:{VALUE} "
                    f"qvm.efiboot=sda:1:qvm-smm-marker:\\EFI\\qvm\\marker.efi "
                    f"{poke_program(target)}", marker)
    r = qemu.run_qemu(None, machine="q35", mem="512M", kernel=False, timeout=180,
                      extra=pflash(code, vars_file) + SECURE_PFLASH + ahci(disk))
    r.assert_done()
    out = console(r)
    assert SMMSTORE_LINE in out, r.summary()
    assert DIRECT_LINE not in out
    assert r.fact("efiset") == "ok", r.summary()
    assert r.fact("efiboot_add") == "ok", r.summary()
    order, entries = boot_entries(r)
    new = [n for n, d in entries.items() if d.startswith("qvm-smm-marker")]
    assert len(new) == 1 and order[0] == new[0], r.facts.get("efiboot")
    # Only SMM can write this flash, so what Linux set went through the SMMSTORE service.
    data = vars_file.read_bytes()
    name = "QvmSmmStore".encode("utf-16-le")
    assert name in data and VALUE.encode() in data
    assert "qvm-smm-marker".encode("utf-16-le") in data
    # The variable's data straddles two 4 KiB blocks: the driver wrote it in per-block chunks.
    start = data.index(VALUE.encode(), data.index(name))
    assert start // 4096 != (start + len(VALUE) - 1) // 4096, \
        f"the value at {start:#x} lies in one block: lengthen VALUE"
    # Linux's direct program command was dropped: the flash stayed in read-array mode and
    # the file's event-log block is still erased.
    assert r.facts["poke"] == [f"{target:#x} 0xFFFFFFFF"] * 2, r.facts.get("poke")
    assert data[EVENT_LOG:EVENT_LOG + 4096] == template.read_bytes()[EVENT_LOG:EVENT_LOG + 4096]

    disk = esp_disk(tmp_path / "esp.img", guest, f"{MODULES} qvm.action=efi qvm.efiget={VAR}",
                    marker)
    r2 = qemu.run_qemu(None, machine="q35", mem="512M", kernel=False, timeout=180,
                       extra=pflash(code, vars_file) + SECURE_PFLASH + ahci(disk))
    r2.assert_done()
    out2 = console(r2)
    assert SMMSTORE_LINE in out2, r2.summary()
    assert "QVM-MARKER-EFI" in out2, r2.summary()
    assert out2.index("QVM-MARKER-EFI") < out2.index("QVMUEFI-STARTUP")
    assert r2.fact("efiget") == VALUE, r2.summary()
    order2, entries2 = boot_entries(r2)
    assert order2[0] == new[0] and entries2[new[0]] == entries[new[0]], r2.facts.get("efiboot")


def test_direct_write_changes_a_writable_flash(linux_rom, uefi_flash, tmp_path):
    """The control for the test above: the same pokes from Linux do program a flash that is
    not SMM-only (direct-Linux loader as pflash unit 0, a VARS copy as unit 1 below it)."""
    _, template = uefi_flash
    vars_file = tmp_path / "VARS.fd"
    shutil.copy(template, vars_file)
    target = (1 << 32) - linux_rom.stat().st_size - len(template.read_bytes()) + EVENT_LOG
    r = qemu.run_qemu(None, machine="q35", mem="256M", timeout=120,
                      append=f"qvm.modules=none qvm.action=poke {poke_program(target)}",
                      extra=pflash(linux_rom, vars_file) + ["-nic", "none"])
    r.assert_done()
    assert r.facts["poke"][-1] != f"{target:#x} 0xFFFFFFFF", r.facts.get("poke")
    assert vars_file.read_bytes()[EVENT_LOG:EVENT_LOG + 4] == bytes(4)


@pytest.mark.parametrize("machine,secure", [("q35", False), ("pc", True)])
def test_store_backend_without_smmstore(uefi_flash, tmp_path, machine, secure):
    """Without an SMMSTORE record the driver keeps OVMF's paths: a writable flash is written
    directly (CFI commands) and keeps the payload's boot variables; an SMM-only flash on pc
    (the loader serves SMMSTORE on q35 only) is left alone and variables stay in RAM."""
    code, template = uefi_flash
    vars_file = tmp_path / "VARS.fd"
    shutil.copy(template, vars_file)
    disk = fat_disk(tmp_path / "shell.img", ["echo QVMUEFI-END", "reset"])
    drive = ahci(disk) if machine == "q35" else \
        ["-drive", f"file={disk},format=raw,if=ide", "-nic", "none"]
    r = qemu.run_qemu(None, machine=machine, mem="256M", kernel=False, timeout=180,
                      extra=pflash(code, vars_file) + (SECURE_PFLASH if secure else []) + drive)
    out = console(r)
    assert "QVMUEFI-END" in out, r.summary()
    assert not r.timed_out and r.exitcode == 0, r.summary()
    assert "SMMSTORE" not in out
    after = vars_file.read_bytes()
    if secure:
        assert DIRECT_LINE not in out
        assert after == template.read_bytes()
    else:
        assert DIRECT_LINE in out, r.summary()
        assert "BootOrder".encode("utf-16-le") in after
