#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write seed inputs for fuzz_table_loader into test/fuzz/corpus/table_loader/.

Input layout (see fuzz_table_loader.c): u8 flags, u8 nfiles, per file u8 name index,
u16 size (LE) and the contents, then the loader script as 128-byte entries.
"""
import os
import struct
import sys

NAMES = ["etc/acpi/rsdp", "etc/acpi/tables", "etc/vmgenid_guid",
         "etc/vmgenid_addr", "etc/tpm/log", "etc/hardware_errors_addr"]
RSDP, TABLES, GUID, GADDR, TPMLOG, HWERR = range(6)
HIGH, FSEG = 1, 2


def name(i):
    return NAMES[i].encode().ljust(56, b"\0")


def allocate(f, align, zone):
    return struct.pack("<I56sIB", 1, name(f), align, zone).ljust(128, b"\0")


def add_pointer(dest, src, off, size):
    return struct.pack("<I56s56sIB", 2, name(dest), name(src), off, size).ljust(128, b"\0")


def add_checksum(f, off, start, length):
    return struct.pack("<I56sIII", 3, name(f), off, start, length).ljust(128, b"\0")


def write_pointer(dest, src, dst_off, src_off, size):
    return struct.pack("<I56s56sIIB", 4, name(dest), name(src), dst_off, src_off,
                       size).ljust(128, b"\0")


def header(sig, length, rev):
    return sig + struct.pack("<IBB", length, rev, 0) + b"BOCHS BXPC    " + bytes(12)


def qemu_like(vmgenid):
    """A small copy of what QEMU 7.2 sends: FACS, DSDT, FACP, [SSDT], RSDT and an RSDP."""
    t = bytearray(512)
    t[0:8] = b"FACS" + struct.pack("<I", 64)
    t[64:100] = header(b"DSDT", 40, 1)
    t[128:164] = header(b"FACP", 244, 3)
    t[128 + 36:128 + 44] = struct.pack("<II", 0, 64)
    t[128 + 140:128 + 148] = struct.pack("<Q", 64)
    entries = [128] + ([384] if vmgenid else [])
    if vmgenid:
        t[384:420] = header(b"SSDT", 44, 1)
    rsdt = 448
    t[rsdt:rsdt + 36] = header(b"RSDT", 36 + 4 * len(entries), 1)
    for i, e in enumerate(entries):
        t[rsdt + 36 + 4 * i:rsdt + 40 + 4 * i] = struct.pack("<I", e)
    rsdp = b"RSD PTR " + b"\0" + b"BOCHS " + b"\0" + struct.pack("<I", rsdt)
    files = [(RSDP, rsdp), (TABLES, bytes(t)), (TPMLOG, b"")]
    cmds = [allocate(RSDP, 16, FSEG)]
    if vmgenid:
        files += [(GUID, bytes(64)), (GADDR, bytes(8))]
        cmds.append(allocate(GUID, 4096, HIGH))
    cmds += [allocate(TABLES, 64, HIGH),
             add_checksum(TABLES, 64 + 9, 64, 40),
             add_pointer(TABLES, TABLES, 128 + 36, 4),
             add_pointer(TABLES, TABLES, 128 + 40, 4),
             add_pointer(TABLES, TABLES, 128 + 140, 8),
             add_checksum(TABLES, 128 + 9, 128, 244)]
    if vmgenid:
        cmds += [add_pointer(TABLES, GUID, 384 + 40, 4),
                 add_checksum(TABLES, 384 + 9, 384, 44),
                 write_pointer(GADDR, GUID, 0, 0x28, 8)]
    cmds += [add_pointer(TABLES, TABLES, rsdt + 36 + 4 * i, 4) for i in range(len(entries))]
    cmds += [add_checksum(TABLES, rsdt + 9, rsdt, 36 + 4 * len(entries)),
             add_pointer(RSDP, TABLES, 16, 4),
             add_checksum(RSDP, 8, 0, 20)]
    return files, cmds


def cycle():
    a = bytearray(16)
    a[0] = 8
    files = [(TABLES, bytes(a)), (GUID, bytes([4]) + bytes(15)), (TPMLOG, b"")]
    cmds = [allocate(TABLES, 16, HIGH), allocate(GUID, 16, HIGH), allocate(TPMLOG, 1, HIGH),
            add_pointer(TABLES, GUID, 0, 1), add_pointer(GUID, TABLES, 0, 2),
            add_pointer(TABLES, TABLES, 8, 8), add_checksum(TABLES, 2, 0, 16)]
    return files, cmds


def encode(flags, files, cmds, pad_to=0):
    out = bytearray([flags, len(files)])
    for idx, data in files:
        out += struct.pack("<BH", idx, len(data)) + data
    script = b"".join(cmds)
    out += script.ljust(pad_to, b"\0")
    return bytes(out)


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus", "table_loader")
    os.makedirs(outdir, exist_ok=True)
    seeds = {
        "q35-vmgenid": encode(0, *qemu_like(True)),
        "pc": encode(0, *qemu_like(False)),
        "pc-low-base-1byte": encode(1, *qemu_like(False)),
        "q35-vmgenid-above-4g": encode(4, *qemu_like(True)),
        "cycle-low": encode(1, *cycle()),
        "cycle-1byte-overflow": encode(7, *cycle()),
    }
    for name, data in seeds.items():
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
