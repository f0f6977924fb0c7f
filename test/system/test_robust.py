# SPDX-License-Identifier: MIT
"""Robustness and compatibility defects of issue 17, each judged by Linux or the loader's log.

Boots are shared where the checks do not interfere: one q35 guest checks the RTC alarm, the
q35 $PIR, a garbage -smbios file= and phys-bits=32 caching; loader-only runs stop as soon as
the loader has said what the test needs (run_until), so a halt costs no timeout.
"""

import re
import struct

import qemu



def run_until(bios, marker, timeout=60, kernel=False, **kw):
    """Boot like qemu.run_qemu, but stop QEMU once `marker` is in the debug log."""
    return qemu.run_qemu(bios, kernel=kernel, timeout=timeout, until=re.escape(marker),
                         until_log="debug", **kw)


def garbage_smbios(path):
    """A -smbios file= blob QEMU accepts but that is no valid structure: a Type 11 header
    claiming 64 formatted bytes, then 200 bytes without a NUL (its strings run into QEMU's
    own Type 1)."""
    path.write_bytes(b"\x0b\x40\x00\x10" + b"A" * 200)
    return path


FSEG_PEEK = ",".join(f"{0xF0000 + i * 4096:#x}:4096" for i in range(16))


def fseg(r):
    """The 64 KiB F segment as the guest read it (peek facts)."""
    data = bytearray(0x10000)
    for v in r.facts.get("peek", []):
        addr, length, hexdata = v.split()
        assert hexdata not in ("error", "badrange"), v
        off = int(addr, 16) - 0xF0000
        data[off:off + int(length)] = bytes.fromhex(hexdata)
    return bytes(data)


def check_q35_pir(r):
    """$PIR 1.0 in the F segment with a valid checksum, the ICH9 LPC as router, and for every
    bus-0 device with an interrupt pin the links QEMU's ICH9 wires it to (slots 0-24: PIRQ
    E-H, registers 0x68-0x6b, rotated by slot; 25-31: PIRQ A-D by pin, 0x60-0x63)."""
    seg = fseg(r)
    off = seg.find(b"$PIR")
    assert off >= 0 and off % 16 == 0, "no $PIR in the F segment"
    version, size = struct.unpack_from("<HH", seg, off + 4)
    assert version == 0x0100 and size > 32 and size % 16 == 0, (version, size)
    table = seg[off:off + size]
    assert sum(table) % 256 == 0, "bad $PIR checksum"
    bus, devfn, _excl, vendor, device = struct.unpack_from("<BBHHH", table, 8)
    assert (bus, devfn, vendor, device) == (0, 0x1F << 3, 0x8086, 0x2918), table[:32].hex()
    slots = {}
    for i in range(32, size, 16):
        e = table[i:i + 16]
        links = [(e[2 + 3 * p], struct.unpack_from("<H", e, 3 + 3 * p)[0]) for p in range(4)]
        slots[(e[0], e[1] >> 3)] = links
    for cfg in r.facts["pcicfg"]:
        bdf, hexcfg = cfg.split()
        b, d = int(bdf[0:2], 16), int(bdf[3:5], 16)
        if b != 0 or not bytes.fromhex(hexcfg)[0x3D]:
            continue
        assert (0, d) in slots, f"{bdf} missing from $PIR {sorted(slots)}"
        for pin, (link, bitmap) in enumerate(slots[(0, d)]):
            want = 0x68 + ((d + pin) & 3) if d <= 24 else 0x60 + pin
            assert (link, bitmap) == (want, 0x0C20), (bdf, pin, hex(link), hex(bitmap))


def test_q35_rtc_alarm_pir_smbios_physbits32(qvmloader_rom, guest, tmp_path):
    """q35, default QEMU CPU (AMD) with phys-bits=32 and a garbage -smbios file=:
    - the RTC alarm fires (item 1): the BIOS year is not one Linux 6.1 takes for the ACPI
      fixed-event alarm, which QEMU never raises;
    - Linux finds the ICH9 $PIR (item 3);
    - DMI keeps QEMU's structures, only the garbage is dropped (item 10);
    - with 32 physical address bits the loader still programs MTRRs (item 10)."""
    r = qemu.run_qemu(qvmloader_rom, machine="q35", mem="512M",
                      append=f"qvm.modules=none qvm.action=rtcalarm,peek qvm.peek={FSEG_PEEK}",
                      extra=["-cpu", "qemu64,phys-bits=32",
                             "-smbios", f"file={garbage_smbios(tmp_path / 'junk.bin')}"])
    r.assert_done()
    dmi = dict(v.split("=", 1) for v in r.facts.get("dmi", []))
    # Item 1: the alarm fired: the kernel took it (wakealarm cleared, rtc0 interrupts rose).
    assert r.fact("rtcalarm_pending") == "", r.summary()
    before, after = r.fact("rtcalarm_irqs").split()
    assert int(after) > int(before), r.summary()
    assert dmi.get("bios_date") == "04/01/2014", dmi
    assert dmi.get("bios_version", "").startswith("qvmloader "), dmi
    # Item 3: a valid ICH9 $PIR in the F segment, where the OS scans for it.
    check_q35_pir(r)
    # Item 10: the garbage is dropped, QEMU's Type 1 (and the rest) kept.
    assert "smbios: structure at offset" in r.debug and "dropped bytes 0-203" in r.debug, \
        r.summary()
    assert dmi.get("sys_vendor") == "QEMU" and dmi.get("product_name"), dmi
    assert "no SMBIOS" not in r.debug, r.summary()
    # Item 10: phys-bits=32: a real plan, MTRRs on, nothing left as reset.
    assert "mtrr: cannot plan" not in r.debug, r.summary()
    mtrrs = r.facts.get("mtrr", [])
    assert mtrrs and any("uncachable" in m for m in mtrrs), mtrrs
    assert "MTRRs disabled" not in r.dmesg and "PAT not supported" not in r.dmesg, \
        r.dmesg[-3000:]


def check_mtrrs_never_wb_mmio(r, ram_bytes):
    """MTRR state of CPU 0 as Linux read it: every WB variable range lies in the guest's RAM
    ([0, ram_bytes), all below 4 GiB here) and overlaps no PCI BAR, and when the default type
    is WB every memory BAR is covered by a UC range."""
    msrs = r.msrs()[0]
    phys = (1 << 40) - 1
    bars = [(s, e) for res in r.pci_resources().values()
            for idx, (s, e, flags) in res.items() if idx <= 5 and flags & 0x200 and s]
    ranges = []
    for n in range(8):
        base, mask = msrs.get(0x200 + 2 * n, 0), msrs.get(0x201 + 2 * n, 0)
        if not mask & 0x800:
            continue
        size = ((~mask & phys) | 0xFFF) + 1
        start = base & ~0xFFF & phys
        ranges.append((start, start + size, base & 0xFF))
    default = msrs[0x2FF] & 0xFF
    for s, e, t in ranges:
        if t == 6:
            assert e <= ram_bytes, (hex(s), hex(e))
            assert not [b for b in bars if b[0] < e and s <= b[1]], (hex(s), hex(e), bars)
    if default == 6:
        for s, e in bars:
            assert any(a <= s and e < b and t == 0 for a, b, t in ranges), hex(s)
    return default, ranges


def test_q35_direct_bda_bus_reserve_big_bars(linux_rom, guest):
    """q35 direct Linux boot with four root ports asking 100 buses each and 16 x 64 GiB BARs
    (more than the 1 TiB that 40 phys-bits give):
    - the BDA and a reserved EBDA exist (item 2);
    - bus reservations are cut so every port gets a bus, counted, and the MP table is built
      (item 4), and Linux does not have to renumber anything;
    - the dropped BAR's message names the 64-bit window and what to change (item 5);
    - no MMIO is left write-back: default UC with RAM WB (item 10)."""
    extra = []
    for i in range(4):
        extra += ["-device", f"pcie-root-port,id=rp{i},chassis={i + 1},bus-reserve=100"]
    for i in range(16):
        extra += ["-device", "pci-testdev,membar=64G"]
    r = qemu.run_qemu(linux_rom, machine="q35", mem="512M", extra=extra, timeout=180,
                      append="qvm.modules=msr qvm.action=peek "
                             "qvm.peek=0x400:32,0x9f000:16")
    r.assert_done()
    # Item 2: the BDA points at the EBDA, which is reserved; COM1 is listed.
    peeks = {v.split()[0]: v.split()[2] for v in r.facts["peek"]}
    bda = bytes.fromhex(peeks["0x400"])
    com1, ebda_seg, base_kib = (struct.unpack_from("<H", bda, o)[0] for o in (0, 0x0E, 0x13))
    assert (com1, ebda_seg, base_kib) == (0x3F8, 0x9F00, 636), bda.hex()
    assert bytes.fromhex(peeks["0x9f000"])[0] == 4, peeks
    assert any(s <= 0x9F000 and e >= 0x9FFFF and t == "Reserved" for s, e, t in r.e820()), \
        r.e820()
    # Item 4: every root port has its own bus range, nothing left for the OS to fix.
    ports = {}
    for cfg in r.facts["pcicfg"]:
        bdf, hexcfg = cfg.split()
        c = bytes.fromhex(hexcfg)
        if c[0x0E] & 0x7F == 1:
            ports[bdf] = (c[0x19], c[0x1A])
    assert len(ports) == 4 and all(sec for sec, _ in ports.values()), ports
    spans = sorted(ports.values())
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:])) and spans[-1][1] <= 254, spans
    assert "bridge configuration invalid" not in r.dmesg, r.dmesg[-2000:]
    cuts = r.debug.count("bus reservation of 100 cut to")
    assert cuts == 4, r.summary()
    given_up = cuts + r.debug.count("given up for lack")
    assert f"{given_up} reservations given up" in r.debug, r.summary()
    assert "mptable: 1 CPUs" in r.debug and "MP table not built" not in r.debug, r.summary()
    # Item 5: the message names the 64-bit window, its bounds and the remedy.
    assert "the 64-bit window 0x" in r.debug and "no room left in 32-bit" not in r.debug, \
        r.summary()
    assert "phys-bits=N or host-phys-bits=on" in r.debug, r.summary()
    # Item 10: no MMIO cacheable.
    default, ranges = check_mtrrs_never_wb_mmio(r, 512 << 20)
    assert default == 0 and ranges and all(t == 6 for _, _, t in ranges), (default, ranges)
    assert "left WB" not in r.debug and "stay write-back" not in r.debug, r.summary()


def test_cpus_and_machines_it_cannot_serve(qvmloader_rom):
    """486, Pentium, isapc (486 class) and microvm end with the reason on the debug console
    instead of a triple fault (item 7)."""
    cases = [
        ("pc", ["-cpu", "486"], "lacks TSC MSR CMOV,"),
        ("pc", ["-cpu", "pentium"], "lacks CMOV,"),
        ("isapc", [], "lacks TSC MSR CMOV,"),
        ("microvm", [], "no PCI host bridge at 00:00.0: this machine has no PCI"),
    ]
    for machine, extra, want in cases:
        r = run_until(qvmloader_rom, "halting", timeout=30, machine=machine, mem="128M",
                      extra=extra)
        assert want in r.debug and "halting" in r.debug, (machine, extra, r.summary())


def test_fwcfg_big_directory_and_bad_numbers(qvmloader_nopayload_rom, seabios_elf, boot_disk,
                                             tmp_path):
    """q35 with 300 fw_cfg files that sort before etc/ and the payload after them (item 9);
    opt/qvmloader/com1 "-1" refused quoting it, loglevel from a file holding "3\\n" taken
    (item 6). SeaBIOS from fw_cfg then boots the test boot sector."""
    level = tmp_path / "loglevel"
    level.write_text("3\n")
    extra = ["-global", "fw_cfg_io.x-file-slots=4096",
             "-fw_cfg", f"name=opt/qvmloader/payload,file={seabios_elf}",
             "-fw_cfg", f"name=opt/qvmloader/loglevel,file={level}",
             "-fw_cfg", "name=opt/qvmloader/com1,string=-1",
             "-drive", f"file={boot_disk},format=raw,if=ide"]
    for i in range(300):
        extra += ["-fw_cfg", f"name=aaa/{i},string={i}"]
    r = qemu.run_qemu(qvmloader_nopayload_rom, machine="q35", mem="256M", kernel=False,
                      debug_exit=True, timeout=90, extra=extra)
    assert r.debug_exit_value() == 0x10, r.summary()
    assert "only the first" not in r.debug, r.summary()
    count = int(r.debug.split("fw_cfg: DMA, ")[1].split()[0])
    assert count > 300, r.summary()
    assert "acpi: " in r.debug and "files from QEMU installed" in r.debug, r.summary()
    assert "no etc/table-loader" not in r.debug and "smbios: 9 structures" in r.debug, \
        r.summary()
    assert "requested 0: accepted" in r.debug, r.summary()  # etc/smi found past 300 files
    assert "payload: fw_cfg opt/qvmloader/payload" in r.debug or "SeaBIOS" in r.debug, \
        r.summary()
    assert 'opt/qvmloader/com1 is "-1" (2 bytes): numbers here have no sign' in r.debug, \
        r.summary()
    assert "console: log level 3" in r.debug and "COM1 mirror" not in r.debug, r.summary()
    assert "e820count=" in r.debug, r.summary()


def test_truncated_bzimage_falls_back(qvmloader_rom, guest, tmp_path):
    """A vmlinuz cut to 100 KiB in direct mode is refused with its sizes and the loader falls
    back to the embedded SeaBIOS (item 8), which starts. (SeaBIOS then runs QEMU's linuxboot
    option ROM on the same file, as stock SeaBIOS would.)"""
    cut = tmp_path / "vmlinuz-100k"
    cut.write_bytes(guest.kernel.read_bytes()[:100 * 1024])
    r = run_until(qvmloader_rom, "SeaBIOS (version", timeout=60, machine="pc", mem="256M",
                  extra=["-fw_cfg", "name=opt/qvmloader/payload-mode,string=linux",
                         "-kernel", cut])
    assert "but the header (syssize) says" in r.debug and "the kernel file is truncated" \
        in r.debug, r.summary()
    assert "falling back to" in r.debug and "SeaBIOS (version" in r.debug, r.summary()
    assert "linux: jumping to" not in r.debug, r.summary()
