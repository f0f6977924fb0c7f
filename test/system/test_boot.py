# SPDX-License-Identifier: MIT
"""Issue 2: qvmloader at the reset vector -> SeaBIOS (coreboot payload) -> Linux.

Boots the real Debian kernel through the whole chain on pc and q35 at several memory sizes,
checks that every loader step ran and that Linux's memory map and MemTotal match what QEMU
was given; boots SeaBIOS to an MBR; and feeds the loader bad payloads.
"""
import re
import struct

import pytest

import qemu

MIB = 1 << 20
GIB = 1 << 30

# One line per boot step, at the default log level, in this order.
STEPS = ["qvmloader: start", "fw_cfg: DMA", "memmap:", "cpu: signature", "chipset:", "pci:",
         "mtrr:", "cpu: ", "smm:", "acpi:", "smbios:", "payload: embedded payload",
         "coreboot: jumping", "timing: total"]


def low_ram(machine, size):
    """RAM QEMU places below 4 GiB (hw/i386/pc_piix.c and pc_q35.c defaults)."""
    if machine == "pc":
        return 0xC0000000 if size >= 0xE0000000 else size
    return 0x80000000 if size >= 0xB0000000 else size


def system_ram(res):
    """Total bytes Linux's firmware memory map calls System RAM."""
    return sum(e - s + 1 for s, e, kind in res.e820() if kind == "System RAM")


# Three of the six in make check (its time budget); all six in check-long.
@pytest.mark.parametrize("machine,mem", [
    ("pc", "128M"), ("q35", "2G"), ("q35", "5G"),
    *(pytest.param(m, g, marks=pytest.mark.long) for m, g in (("pc", "2G"), ("pc", "5G"),
                                                             ("q35", "128M")))])
def test_linux_boots_through_seabios(qvmloader_rom, guest, machine, mem):
    size = int(mem[:-1]) * (GIB if mem.endswith("G") else MIB)
    r = qemu.run_qemu(qvmloader_rom, machine=machine, mem=mem, append="qvm.modules=none")
    r.assert_done()
    pos = 0
    for step in STEPS:
        found = r.debug.find(step, pos)
        assert found >= 0, f"step {step!r} missing or out of order\n{r.summary()}"
        pos = found
    assert "Found mainboard QEMU qvmloader" in r.debug, r.summary()
    assert "Unable to find coreboot table" not in r.debug

    ram = system_ram(r)
    lost = 20 * MIB if machine == "q35" else 4 * MIB  # TSEG (16 MiB), tables, legacy hole
    assert size - lost <= ram <= size, f"{ram:#x} of {size:#x}\n{r.summary()}"
    assert r.fact_int("memtotal_kb") * 1024 <= ram
    assert r.fact_int("memtotal_kb") * 1024 > ram - 64 * MIB - ram // 20  # struct pages etc.
    high = [(s, e) for s, e, kind in r.e820() if kind == "System RAM" and s >= 4 * GIB]
    if size > low_ram(machine, size):
        assert high == [(4 * GIB, 4 * GIB + size - low_ram(machine, size) - 1)], r.e820()
    else:
        assert not high
    if machine == "q35":
        tseg = re.search(r"into TSEG (\d+)MiB at ([0-9a-f]+)", r.debug)
        assert tseg, r.summary()
        base, length = int(tseg.group(2), 16), int(tseg.group(1)) * MIB
        assert not any(s < base + length and base <= e
                       for s, e, kind in r.e820() if kind == "System RAM"), r.e820()


def test_boot_menu_follows_qemu(qvmloader_rom, guest):
    r = qemu.run_qemu(qvmloader_rom, machine="q35", append="qvm.modules=none",
                      extra=["-boot", "menu=on,splash-time=200"])
    r.assert_done()
    assert "Press ESC for boot menu" in r.debug, r.summary()
    off = qemu.run_qemu(qvmloader_rom, machine="q35", append="qvm.modules=none")
    off.assert_done()
    assert "Press ESC for boot menu" not in off.debug, off.summary()


@pytest.mark.parametrize("machine", ["pc", "q35"])
def test_seabios_boots_mbr(qvmloader_rom, boot_disk, machine):
    r = qemu.run_qemu(qvmloader_rom, machine=machine, kernel=False, debug_exit=True,
                      extra=["-drive", f"file={boot_disk},format=raw,if=ide"], timeout=60)
    assert r.debug_exit_value() == 0x10, r.summary()
    rep = qemu.parse_mbr_report(r.debug)
    assert rep["done"] and rep["dl"] == 0x80, rep
    ram = sum(length for _, length, kind in rep["e820"] if kind == 1)
    lost = 20 * MIB if machine == "q35" else 4 * MIB
    assert 512 * MIB - lost <= ram <= 512 * MIB, rep["e820"]


def elf32(segments, entry):
    """A minimal i386 ELF executable with the given (paddr, bytes) PT_LOAD segments."""
    phoff, data = 52, b""
    off = phoff + 32 * len(segments)
    phdrs = b""
    for paddr, body in segments:
        phdrs += struct.pack("<8I", 1, off + len(data), paddr, paddr, len(body), len(body), 7, 16)
        data += body
    ehdr = (b"\x7fELF\x01\x01\x01" + b"\0" * 9 +
            struct.pack("<HHIIIIIHHHHHH", 2, 3, 1, entry, phoff, 0, 0, 52, 32, len(segments),
                        0, 0, 0))
    return ehdr + phdrs + data


def boot_payload(tmp_path, rom, blob, name="payload.elf"):
    path = tmp_path / name
    path.write_bytes(blob)
    return qemu.run_qemu(rom, machine="q35", kernel=False, timeout=60, until="halting",
                         until_log="debug",
                         extra=["-fw_cfg", f"name=opt/qvmloader/payload,file={path}"])


def test_corrupt_payload_halts_with_reason(qvmloader_rom, tmp_path):
    r = boot_payload(tmp_path, qvmloader_rom, bytes(range(256)) * 64)
    assert "payload: fw_cfg opt/qvmloader/payload, 16384 bytes" in r.debug, r.summary()
    assert "is not a format qvmloader knows" in r.debug and "halting" in r.debug, r.summary()
    assert "coreboot: jumping" not in r.debug


def test_payload_over_loader_ram_is_refused(qvmloader_rom, tmp_path):
    code = b"\xfa\xf4" * 8  # cli; hlt
    r = boot_payload(tmp_path, qvmloader_rom, elf32([(0x70000, code)], 0x70000))
    assert re.search(r"elf: segment 0 at 70000-70010 overlaps loader RAM", r.debug), r.summary()
    assert "cannot be loaded where it asks" in r.debug
    assert "coreboot: jumping" not in r.debug


def test_truncated_payload_is_refused(qvmloader_rom, seabios_elf, tmp_path):
    blob = seabios_elf.read_bytes()
    r = boot_payload(tmp_path, qvmloader_rom, blob[: len(blob) // 2])
    assert re.search(r"elf: segment 0: bytes .* lie beyond the file end", r.debug), r.summary()
    assert "is not a valid ELF payload" in r.debug
    assert "coreboot: jumping" not in r.debug


def test_payload_from_fw_cfg_overrides_embedded(qvmloader_nopayload_rom, seabios_elf, guest):
    r = qemu.run_qemu(qvmloader_nopayload_rom, machine="pc", append="qvm.modules=none",
                      extra=["-fw_cfg", f"name=opt/qvmloader/payload,file={seabios_elf}"])
    r.assert_done()
    assert "payload: fw_cfg opt/qvmloader/payload" in r.debug, r.summary()


def test_no_payload_halts_with_reason(qvmloader_nopayload_rom):
    r = qemu.run_qemu(qvmloader_nopayload_rom, machine="pc", kernel=False, timeout=60,
                      until="halting", until_log="debug")
    assert "payload: none" in r.debug and "halting" in r.debug, r.summary()


def test_loglevel_from_fw_cfg(qvmloader_nopayload_rom):
    r = qemu.run_qemu(qvmloader_nopayload_rom, machine="q35", kernel=False, timeout=60,
                      until="halting", until_log="debug",
                      extra=["-fw_cfg", "name=opt/qvmloader/loglevel,string=3"])
    assert "console: log level 3" in r.debug, r.summary()
    assert "memmap (" in r.debug  # a LOG_DEBUG line


def test_boot_order_and_floppy_from_cmos(qvmloader_rom, boot_disk, tmp_path):
    """-boot order= and -fda reach SeaBIOS through CMOS, as with its QEMU build."""
    floppy = tmp_path / "floppy.img"
    floppy.write_bytes(boot_disk.read_bytes()[:512].ljust(1474560, b"\0"))
    r = qemu.run_qemu(qvmloader_rom, machine="pc", kernel=False, debug_exit=True, timeout=60,
                      extra=["-drive", f"file={boot_disk},format=raw,if=ide",
                             "-drive", f"file={floppy},format=raw,if=floppy",
                             "-boot", "order=a"])
    assert r.debug_exit_value() == 0x10, r.summary()
    assert qemu.parse_mbr_report(r.debug)["dl"] == 0x00, "booted from the floppy"
    r = qemu.run_qemu(qvmloader_rom, machine="pc", kernel=False, debug_exit=True, timeout=60,
                      extra=["-drive", f"file={boot_disk},format=raw,if=ide",
                             "-drive", f"file={floppy},format=raw,if=floppy",
                             "-boot", "order=c"])
    assert r.debug_exit_value() == 0x10, r.summary()
    assert qemu.parse_mbr_report(r.debug)["dl"] == 0x80, "booted from the hard disk"
