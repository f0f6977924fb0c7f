# SPDX-License-Identifier: MIT
"""Issue 13: the SMM store, qvmloader's side of SMM-protected UEFI variables.

With QEMU's `-global driver=cfi.pflash01,property=secure,value=on` the pflash devices ignore
writes made outside SMM. On q35 qvmloader's SMI handler then owns the variable store (pflash
unit 1): it serves coreboot's SMMSTORE v2 requests (src/cpu/smm-store.h), the loader formats
a blank or damaged store through it, and the OS, which cannot enter SMM, cannot erase or
program the flash itself. Without secure=on the same OS attack works (the control case).
"""
import shutil

import pytest

import qemu

from qemu import SECURE_PFLASH, UEFI_VARS_BASE, UEFI_VARS_SIZE, pflash
from test_uefi_vars import GUID, MODULES, ahci, esp_disk, marker_efi

SEC_CALL = r"uefi: calling SEC"


@pytest.mark.parametrize("start", ["blank", "zeros"])
def test_loader_formats_smm_only_store(uefi_flash, tmp_path, start):
    """A blank or damaged SMM-only store: the loader formats it through the SMM store (only
    SMM can command the flash) before the payload starts, and says so."""
    code, template = uefi_flash
    vars_file = tmp_path / "VARS.fd"
    vars_file.write_bytes((b"\xff" if start == "blank" else b"\0") * UEFI_VARS_SIZE)
    r = qemu.run_qemu(None, machine="q35", mem="256M", kernel=False, timeout=120,
                      extra=SECURE_PFLASH + pflash(code, vars_file), until=SEC_CALL,
                      until_log="debug")
    assert r.until_seen, r.summary()
    base = f"{UEFI_VARS_BASE:x}"
    assert f"smm: SMM store for the SMM-only flash at {base} (132 blocks of 4096 bytes)" \
        in r.debug, r.summary()
    assert f"uefi: variable store at {base} formatted (528 KiB SMM-only pflash, written " \
        "through the SMM store)" in r.debug, r.summary()
    after = vars_file.read_bytes()
    assert after[:0x64] == template.read_bytes()[:0x64]
    # Erased, not just given a header: the end of the live store (which the payload, if it
    # got as far as writing a variable before QEMU was stopped, does not reach).
    assert after[0x3f000:0x40000] == b"\xff" * 0x1000


def test_plain_flash_gets_no_smm_store(uefi_flash, tmp_path):
    """Without secure=on the payload writes the flash itself: no SMM store is offered."""
    code, template = uefi_flash
    vars_file = tmp_path / "VARS.fd"
    shutil.copy(template, vars_file)
    r = qemu.run_qemu(None, machine="q35", mem="256M", kernel=False, timeout=120,
                      extra=pflash(code, vars_file), until=SEC_CALL, until_log="debug")
    assert r.until_seen, r.summary()
    assert "smm: SMM store" not in r.debug
    assert f"uefi: variable store at {UEFI_VARS_BASE:x} (528 KiB pflash)" in r.debug


def test_pc_cannot_serve_smm_only_store(uefi_flash, tmp_path):
    """pc has no lockable SMRAM, so no SMM store: the loader names why the SMM-only store is
    not used, and the payload still starts (variables in RAM)."""
    code, template = uefi_flash
    vars_file = tmp_path / "VARS.fd"
    shutil.copy(template, vars_file)
    r = qemu.run_qemu(None, machine="pc", mem="256M", kernel=False, timeout=120,
                      extra=SECURE_PFLASH + pflash(code, vars_file), until=SEC_CALL,
                      until_log="debug")
    assert r.until_seen, r.summary()
    assert f"uefi: the flash at {UEFI_VARS_BASE:x} holds a variable store but ignores " \
        "commands outside SMM (secure=on), and no SMM store serves it" in r.debug, r.summary()
    assert vars_file.read_bytes() == template.read_bytes()


@pytest.mark.parametrize("secure", [True, False], ids=["secure", "plain"])
def test_os_cannot_erase_the_store(qvmloader_rom, uefi_flash, guest, tmp_path, secure):
    """Linux sends the flash a block-erase command through /dev/mem. With secure=on the flash
    ignores it and the store file is unchanged; without, the first block is erased (so the
    check can fail). The default ROM boots the guest quickly; the store follows its flash."""
    _, template = uefi_flash
    vars_file = tmp_path / "VARS.fd"
    shutil.copy(template, vars_file)
    rom_size = qvmloader_rom.stat().st_size
    base = (1 << 32) - rom_size - UEFI_VARS_SIZE
    r = qemu.run_qemu(None, machine="q35", mem="512M", timeout=120,
                      append=f"qvm.modules=none qvm.action=poke "
                             f"qvm.poke={base:#x}:0x20,{base:#x}:0xd0",
                      extra=(SECURE_PFLASH if secure else []) + pflash(qvmloader_rom, vars_file))
    r.assert_done()
    assert len(r.facts.get("poke", [])) == 2, r.summary()
    after = vars_file.read_bytes()
    if secure:
        assert f"smm: SMM store for the SMM-only flash at {base:x}" in r.debug, r.summary()
        assert after == template.read_bytes()
    else:
        assert after[:0x1000] == b"\xff" * 0x1000, "the control attack did not erase"
        assert after[0x1000:] == template.read_bytes()[0x1000:]


def test_store_serves_after_s3(uefi_flash, guest, tmp_path):
    """The UEFI payload on an SMM-only store: Linux suspends to RAM and wakes (the wake reset
    puts the CPUs back at the default SMBASE; qvmloader relocates them and reinstalls the SMM
    module), then sets a variable: SetVariable still reaches the flash through the SMM store."""
    code, template = uefi_flash
    vars_file = tmp_path / "VARS.fd"
    shutil.copy(template, vars_file)
    disk = esp_disk(tmp_path / "esp.img", guest,
                    f"{MODULES} qvm.action=s3,efi qvm.efiset=QvmAfterS3-{GUID}:after-the-wake",
                    marker_efi(tmp_path))
    r = qemu.run_qemu(None, machine="q35", mem="512M", kernel=False, timeout=300,
                      extra=SECURE_PFLASH + pflash(code, vars_file) + ahci(disk))
    r.assert_done()
    assert r.fact("s3") == "resumed", r.summary()
    assert r.debug.count("smm: SMM store for the SMM-only flash") == 2, r.summary()
    assert r.fact("efiset") == "ok", r.summary()
    assert "QvmAfterS3".encode("utf-16-le") in vars_file.read_bytes()
