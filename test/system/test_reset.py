# SPDX-License-Identifier: MIT
"""Issue 11: every reset path comes back through qvmloader to the payload, and each boot after
a reset is the same as the cold boot (same log lines and resources; q35 SMRAM locked again).

Loops: the boot sector test/system/reset.S resets the machine through 0xCF9, the keyboard
controller or a triple fault as soon as SeaBIOS boots it; the QMP loop halts there and the
test sends system_reset. Linux: the guest reboots with reboot=acpi|pci|kbd|triple (and
reboot=efi under the UEFI payload) and must boot again.

CI runs QVM_RESETS (default 20) resets per machine, split over the four loop methods;
`make soak` runs 1000 and prints its figures.
"""
import os
import re
import time

import pytest

import qemu
from test_resume import CYCLES, check_cycles, report, wake_cycles
from test_uefi import drive, linux_disk

RESETS = int(os.environ.get("QVM_RESETS", "20"))
SOAK = os.environ.get("QVM_SOAK") == "1"
METHODS = {"cf9": 1, "kbd": 2, "triple": 3, "qmp": 4}
LOGLEVEL = ["-fw_cfg", "name=opt/qvmloader/loglevel,string=3"]


def boots(debug, end):
    """The loader's log of each cold boot (S3 wakes left out), from "qvmloader: start" to
    the line holding `end`, with microsecond timings blanked."""
    out = []
    for part in debug.split("qvmloader: start\n")[1:]:
        lines = []
        for line in part.split("\n"):
            lines.append(re.sub(r"\d+ us\b", "N us", line))
            if end in line:
                break
        if "resume: S3 wake" not in part:
            out.append("\n".join(lines))
    return out


def check_same_boots(debug, machine, end, n):
    """n boots, every one reached the payload and matched the first; q35 locked SMRAM."""
    logs = boots(debug, end)
    assert len(logs) >= n, f"{len(logs)} boots, expected {n}\n{debug[-3000:]}"
    logs = logs[:n]
    for i, log in enumerate(logs):
        assert end in log, f"boot {i + 1} did not reach the payload:\n{log}"
        assert log == logs[0], f"boot {i + 1} differs from the cold boot:\n{log}\n---\n{logs[0]}"
    if machine == "q35":
        assert "SMRAM locked" in logs[0], logs[0]


def reset_loop(bios, machine, method, count, tmp_path):
    """`count` resets through `method`; (QemuResult, seconds per reset)."""
    img = qemu.build_boot_disk(tmp_path / "build", source=qemu.ROOT / "test/system/reset.S",
                               defines=[f"METHOD={METHODS[method]}"])
    start = time.monotonic()
    with qemu.QemuSession(bios, machine=machine, kernel=False, reboot=True,
                          extra=["-drive", f"file={img},format=raw,if=ide"] + LOGLEVEL) as s:
        for i in range(1, count + 2):
            if not s.wait_for(f"QVMRESET {METHODS[method]}", count=i, timeout=60, log="debug"):
                break
            if method == "qmp" and i <= count:
                s.qmp("system_reset")
        r = s.finish()
    return r, (time.monotonic() - start) / (count + 1)


@pytest.mark.parametrize("method", list(METHODS))
@pytest.mark.parametrize("machine", ["q35", "pc"])
def test_reset_loop(qvmloader_rom, tmp_path, machine, method):
    count = max(1, RESETS // len(METHODS))
    r, per = reset_loop(qvmloader_rom, machine, method, count, tmp_path)
    done = r.debug.count(f"QVMRESET {METHODS[method]}") - 1
    print(f"\nsoak reset {machine}-{method}: {count} resets asked, {min(done, count)} done, "
          f"{max(0, count - done)} failed, {per:.2f} s per reset")
    check_same_boots(r.debug, machine, "coreboot: jumping", count + 1)


# CI boots Linux twice for one path (the loops above cover the hardware paths on both
# machines); make soak runs every path on both.
LINUX_PATHS = [("q35", "acpi")] + (
    [("q35", "pci"), ("q35", "kbd"), ("q35", "triple"), ("pc", "acpi"), ("pc", "pci"),
     ("pc", "kbd"), ("pc", "triple")] if SOAK else [])


@pytest.mark.parametrize("machine,how", LINUX_PATHS)
def test_linux_reboot(qvmloader_rom, guest, machine, how):
    """Linux's own reboot path resets the machine; the second boot is the first one again."""
    append = f"reboot={how} qvm.modules=none"
    if machine == "q35":
        append += " qvm.action=smram qvm.smram=0x1f000000 qvm.smramreg=157"
    with qemu.QemuSession(qvmloader_rom, machine=machine, append=append, reboot=True,
                          extra=LOGLEVEL) as s:
        s.wait_for("QVMDONE", count=2, timeout=300)
        r = s.finish()
    assert r.serial.count("QVMDONE") == 2, r.summary()
    check_same_boots(r.debug, machine, "coreboot: jumping", 2)
    for key in ("e820", "pcires", "pciirq"):
        values = r.facts[key]
        assert values[:len(values) // 2] == values[len(values) // 2:], key
    if machine == "q35":
        assert r.facts["smram_reopen"] == ["1a", "1a"], r.summary()
        assert r.facts["smram_read"] == ["0x1f000000 " + "ff" * 16] * 2, r.summary()
        assert "PWN" not in r.debug, r.summary()


def test_uefi_s3_then_reboot_efi(guest, tmp_path):
    """The UEFI payload: Linux (EFI stub) suspends and resumes through qvmloader's FACS
    waking vector, then reboots through EFI ResetSystem (reboot=efi) and boots again."""
    disk = linux_disk(tmp_path, guest, "reboot=efi qvm.modules=ahci,sd_mod qvm.action=s3loop "
                                       f"qvm.s3cycles={CYCLES} qvm.disks=sda")
    with qemu.QemuSession(qemu.require(qemu.UEFI_ROM), machine="q35", mem="512M", kernel=False,
                          reboot=True, extra=drive(disk, "ahci") + LOGLEVEL) as s:
        times = wake_cycles(s, CYCLES, first_timeout=400)
        s.wait_for("QVMSTART", count=2, timeout=300)
        r = s.finish()
    report("uefi-q35-smp1", r, times, CYCLES)
    assert r.serial.count("QVMDONE") == 1 and r.serial.count("QVMSTART") == 2, r.summary()
    assert r.facts["efi"][0] == "1", r.summary()
    check_cycles(r, CYCLES, disks={"sda": "ahci"}, boots_expected=CYCLES + 2)
    check_same_boots(r.debug, "q35", "SMRAM locked", 2)
