#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Assemble a qvmloader ROM image: [payload area][loader proper, 128 KiB].

The payload area, when present, holds the payload at its start and a 16-byte trailer
(magic "QVMP", size, address, total ROM size) in its last bytes, right below the loader,
where src/payload/payload.c looks for it. A fallback ROM (--fallback) also holds the fallback payload
after the normal one and, right below the trailer, a second record of the same form with magic
"QVMF" for it. The total size is a multiple of 64 KiB as QEMU requires.
"""
import argparse
import struct
import subprocess
import sys

LOADER_SIZE = 0x20000
ALIGN = 0x10000
MAGIC = 0x504D5651  # "QVMP"
FALLBACK_MAGIC = 0x464D5651  # "QVMF"
# The largest ROM whose every byte the CPU can read on QEMU 7.2 pc and q35: the top 17 MiB,
# 0xFEF00000-0xFFFFFFFF. QEMU itself accepts a -bios of up to 2 GiB - 64 KiB, but below
# 0xFEF00000 the local APIC (0xFEE00000), HPET (0xFED00000) and I/O APIC (0xFEC00000) cover
# the ROM (docs/payloads.md, "ROM size").
ROM_MAX = 17 << 20


def size_report(elf):
    syms = {}
    for line in subprocess.run(["nm", elf], capture_output=True, text=True, check=True).stdout.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    used = syms["_rom_used_end"] - syms["_rom_start"] + 0x100  # + reset code page
    ram = syms["_bss_end"] - syms["_data_start"]
    print(f"qvmloader: loader proper {used} bytes of ROM ({used / 1024:.1f} KiB), "
          f"{ram} bytes of .data+.bss")


def read_payload(path):
    """The bytes of a payload file; exits if it is empty."""
    with open(path, "rb") as f:
        data = f.read()
    if not data:
        sys.exit(f"mkrom: payload {path} is empty")
    return data


def build(out, loader, payload, fallback=None, rom_size=None):
    with open(loader, "rb") as f:
        rom = f.read()
    if len(rom) != LOADER_SIZE:
        sys.exit(f"mkrom: {loader} is {len(rom)} bytes, expected {LOADER_SIZE}")
    if fallback and not payload:
        sys.exit("mkrom: --fallback needs a normal --payload")
    area = b""
    what = " (no payload)"
    if payload:
        data = read_payload(payload)
        fb = read_payload(fallback) if fallback else b""
        fb_off = (len(data) + 15) // 16 * 16
        records = 32 if fallback else 16
        area_size = (fb_off + len(fb) + records + ALIGN - 1) // ALIGN * ALIGN
        if rom_size:
            if area_size + LOADER_SIZE > rom_size:
                sys.exit(f"mkrom: payload {payload} does not fit a ROM of {rom_size:#x} bytes")
            area_size = rom_size - LOADER_SIZE
        rom_size = area_size + LOADER_SIZE
        if rom_size > ROM_MAX:
            sys.exit(f"mkrom: ROM would be {rom_size} bytes ({rom_size / 1048576:.2f} MiB); the most "
                     f"QEMU 7.2 maps readable on pc and q35 is {ROM_MAX} bytes (17 MiB)")
        addr = (1 << 32) - rom_size
        tail = struct.pack("<IIII", MAGIC, len(data), addr, rom_size)
        body = data
        what = f" (payload {payload}, {len(data)} bytes)"
        if fallback:
            tail = struct.pack("<IIII", FALLBACK_MAGIC, len(fb), addr + fb_off, rom_size) + tail
            body = data + b"\xff" * (fb_off - len(data)) + fb
            what = f" (normal {payload}, {len(data)} bytes; fallback {fallback}, {len(fb)} bytes)"
        area = body + b"\xff" * (area_size - len(body) - len(tail)) + tail
    with open(out, "wb") as f:
        f.write(area + rom)
    print(f"qvmloader: {out}: {len(area + rom)} bytes" + what)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size-report", metavar="ELF")
    ap.add_argument("-o", dest="out")
    ap.add_argument("--loader")
    ap.add_argument("--payload")
    ap.add_argument("--rom-size", type=lambda v: int(v, 0),
                    help="pad the payload area so the ROM is exactly this many bytes")
    ap.add_argument("--fallback", help="fallback payload (the --payload is the normal one)")
    a = ap.parse_args()
    if a.size_report:
        size_report(a.size_report)
    if a.out:
        build(a.out, a.loader, a.payload, a.fallback, a.rom_size)


if __name__ == "__main__":
    main()
