# SPDX-License-Identifier: MIT
"""Tests of the system-test harness itself, run against Debian's stock SeaBIOS.

They prove that the guest, the fact transport and the QEMU wrapper work, and they record what
the reference firmware produces, which the qvmloader tests compare against.
"""

import hashlib
import secrets

import pytest

import qemu

MIB = 1 << 20
HOST_BRIDGE = {"pc": (0x8086, 0x1237), "q35": (0x8086, 0x29C0)}
MTRR_MSRS = [0xFE, 0x2FF, 0x250, 0x258, 0x259] + list(range(0x268, 0x270)) + \
    list(range(0x200, 0x210))


def ram_bytes(e820):
    """Total size of the "System RAM" ranges of a parsed e820 fact list."""
    return sum(end - start + 1 for start, end, kind in e820 if kind == "System RAM")


@pytest.mark.parametrize("machine,smp,exit_how", [("pc", 1, "poweroff"), ("q35", 2, "reboot")])
def test_guest_boot_stock_seabios(stock_seabios, guest, machine, smp, exit_how):
    token = secrets.token_hex(8)
    r = qemu.run_qemu(stock_seabios, machine=machine, mem="512M", smp=smp,
                      append=f"qvm.token={token} qvm.exit={exit_how}")
    r.assert_done()
    assert not r.timed_out and r.exitcode == 0, r.summary()
    last = {"poweroff": "reboot: Power down", "reboot": "reboot: Restarting system"}[exit_how]
    assert last in r.serial.split("QVMDONE")[-1], r.summary()

    assert f"qvm.token={token}" in r.fact("cmdline").split(), r.summary()
    assert r.fact("initrd_sha256") == guest.canary_sha256
    assert r.fact_int("cpus") == smp
    assert len(r.facts["apicid"]) == smp
    memtotal = r.fact_int("memtotal_kb") * 1024
    assert 400 * MIB < memtotal <= 512 * MIB, memtotal
    ram = ram_bytes(r.e820())
    assert 508 * MIB <= ram <= 512 * MIB, r.facts["e820"]
    assert r.e820()[0][0] == 0 and r.e820()[0][2] == "System RAM"

    pci = r.pci()
    assert pci["00:00.0"][:2] == HOST_BRIDGE[machine], pci
    assert any(cls >> 8 == 0x0300 for _, _, cls in pci.values()), "no VGA device"

    tables = {v.split()[0] for v in r.facts["acpi"]}
    assert {"FACP", "DSDT", "FACS", "APIC"} <= tables, tables
    assert "bios_vendor=SeaBIOS" in r.facts["dmi"]
    assert r.facts["mtrr"], "no /proc/mtrr lines"

    msrs = r.msrs()
    assert sorted(msrs) == list(range(smp))
    for cpu in msrs:
        assert msrs[cpu][0x2FF] & (1 << 11), f"CPU{cpu}: MTRRs disabled"
        assert {m: msrs[cpu].get(m) for m in MTRR_MSRS} == \
            {m: msrs[0].get(m) for m in MTRR_MSRS}, f"CPU{cpu} MTRRs differ from CPU0"

    assert "Linux version" in r.dmesg and "Command line:" in r.dmesg
    assert "[Firmware Bug]" not in r.dmesg
    assert "SeaBIOS (version" in r.debug, "debugcon output not captured"


def test_guest_actions_stock_seabios(stock_seabios, guest, boot_disk):
    """disk, peek and acpidump actions on q35 with a virtio disk."""
    bios = stock_seabios.read_bytes()
    r = qemu.run_qemu(stock_seabios, machine="q35",
                      append="qvm.action=disk,peek,acpidump qvm.disks=vda "
                             "qvm.peek=0xffff0:16,0xfffffff0:16,0x1:0",
                      extra=["-drive", f"file={boot_disk},format=raw,if=virtio"])
    r.assert_done()
    assert "disk_missing" not in r.facts, r.summary()

    disks = {v.split()[0]: v.split()[1:] for v in r.facts["disk"]}
    sector0 = hashlib.sha256(boot_disk.read_bytes()[:512]).hexdigest()
    assert disks["vda"] == [str(boot_disk.stat().st_size // 512), sector0]
    deltas = [v for v in r.facts.get("irqdelta", []) if "virtio" in v]
    assert deltas, f"no virtio interrupt during disk reads: {r.facts.get('irqdelta')}"
    for v in deltas:
        _, before, after = v.split()[:3]
        assert int(after) > int(before)

    peeks = {v.split()[0]: v.split()[2] for v in r.facts["peek"]}
    # The shadowed F-segment copy differs from the file only in the last byte, the BIOS
    # checksum that SeaBIOS fills in at run time; the 4 GiB flash alias is the file as is.
    assert peeks["0xffff0"][:30] == bios[-16:-1].hex(), "F-segment reset vector != bios file"
    assert peeks["0xfffffff0"] == bios[-16:].hex(), "4 GiB alias reset vector != bios file"
    assert peeks["0x1"] == "badrange"

    acpi = {v.split()[0]: v.split()[1:] for v in r.facts["acpi"]}
    data = {v.split()[0]: bytes.fromhex(v.split()[1]) for v in r.facts["acpidata"]}
    assert set(data) == set(acpi)
    for name, blob in data.items():
        size, sha = acpi[name]
        assert len(blob) == int(size) and hashlib.sha256(blob).hexdigest() == sha, name
        if name not in ("FACS",):
            assert sum(blob) % 256 == 0, f"{name} checksum"
            assert int.from_bytes(blob[4:8], "little") == len(blob), f"{name} length"
    assert data["FACP"][:4] == b"FACP"


@pytest.mark.parametrize("machine", ["pc", "q35"])
def test_mbr_boot_stock_seabios(stock_seabios, boot_disk, machine):
    r = qemu.run_qemu(stock_seabios, machine=machine, mem="512M", kernel=False, debug_exit=True,
                      extra=["-drive", f"file={boot_disk},format=raw,if=ide"], timeout=60)
    assert r.debug_exit_value() == 0x10, r.summary()
    rep = qemu.parse_mbr_report(r.debug)
    assert rep["done"] and rep["dl"] == 0x80, rep
    assert rep["e820count"] == len(rep["e820"]) >= 3, rep
    ram = sum(length for _, length, kind in rep["e820"] if kind == 1)
    assert 508 * MIB <= ram <= 512 * MIB, rep["e820"]
    assert rep["e820"][0][:2] == (0, 0x9FC00), rep["e820"]


def test_timeout_kills_qemu(stock_seabios, guest):
    r = qemu.run_qemu(stock_seabios, machine="pc", timeout=1)
    assert r.timed_out and r.exitcode is None and not r.done
    assert r.elapsed < 10, r.elapsed
    assert (r.rundir / "cmdline.txt").read_text().startswith(qemu.QEMU)


def test_missing_bios_is_reported(tmp_path):
    with pytest.raises(qemu.MissingArtifact, match="missing"):
        qemu.run_qemu(tmp_path / "nonexistent.bin", kernel=False, timeout=5)


def test_parse_serial_separates_dmesg_and_facts():
    serial = ("junk\nQVMFACT a=1\nQVMFACT a=x=y\nQVMDMESG-BEGIN\nQVMFACT b=2\nkernel line\n"
              "QVMDMESG-END\nQVMFACT c=\nQVMDONE\n")
    facts, dmesg, done = qemu.parse_serial(serial)
    assert facts == {"a": ["1", "x=y"], "c": [""]}
    assert dmesg == "QVMFACT b=2\nkernel line"
    assert done
    assert not qemu.parse_serial("QVMFACT a=1\n")[2]


def test_s3_resume_stock_seabios(stock_seabios, guest):
    """The s3 action suspends to RAM with an RTC wake alarm; the firmware must resume it."""
    r = qemu.run_qemu(stock_seabios, machine="q35", append="qvm.action=s3 qvm.modules=none")
    r.assert_done()
    assert r.exitcode == 0, r.summary()
    assert r.fact("s3") == "resumed", r.summary()
    log = "\n".join(r.facts.get("s3_log", []))
    assert "PM: suspend entry (deep)" in log and "PM: suspend exit" in log, log
    assert "Jump to resume vector" in r.debug, "SeaBIOS resume path not taken"
    assert float(r.fact("s3_uptime")) > float(r.fact("uptime"))
