#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write seed inputs for fuzz_fwcfg_dir, fuzz_e820, fuzz_elf, fuzz_cbtable and fuzz_acpi_build
into test/fuzz/corpus/{fwcfg_dir,e820,elf,cbtable,acpi_build}/. The layouts are described at the top of
each fuzz_<name>.c. Run from anywhere; the output is deterministic.
"""
import os
import struct
import sys

CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")

RAM, RESERVED, ACPI, NVS, UNUSABLE, TABLE = 1, 2, 3, 4, 5, 16
GIB = 1 << 30


def fw_dir(entries, count=None):
    """A raw fw_cfg directory: u32 BE count, then {u32 BE size, u16 BE key, u16, name[56]}."""
    out = struct.pack(">I", len(entries) if count is None else count)
    for size, key, name in entries:
        out += struct.pack(">IHH56s", size, key, 0, name)
    return out


QEMU_FILES = [
    (0x24, 0x20, b"bootorder"),
    (0x24, 0x21, b"etc/acpi/rsdp"),
    (0x20000, 0x22, b"etc/acpi/tables"),
    (0x40, 0x23, b"etc/e820"),
    (0x1000, 0x24, b"etc/table-loader"),
    (0x1a, 0x25, b"etc/smbios/smbios-anchor"),
    (0x158, 0x26, b"etc/smbios/smbios-tables"),
    (0x2400, 0x27, b"genroms/kvmvapic.bin"),
    (0x8, 0x28, b"etc/reserved-memory-end"),
    (0x4, 0x29, b"etc/boot-fail-wait"),
    (0x1, 0x2a, b"opt/qvmloader/loglevel"),
]


def fwcfg_dir_seeds():
    return {
        "qemu-pc": fw_dir(QEMU_FILES),
        "empty": fw_dir([]),
        "unterminated": fw_dir([(1, 0x20, b"a"), (2, 0x21, b"x" * 56), (3, 0x22, b"c")]),
        "low-key": fw_dir([(1, 0x19, b"legacy"), (2, 0x20, b"ok")]),
        "count-too-big": fw_dir(QEMU_FILES[:2], count=3),
        "int-ascii": b"115200\n",
        "int-hex": b"0x3f8\0",
        "int-binary4": struct.pack("<I", 5),
        "int-binary8": struct.pack("<Q", 0x180000000),
    }


def e820_rec(addr, size, typ):
    return struct.pack("<QQI", addr, size, typ)


def e820_op(op, start, size):
    """One fuzz_e820 operation: op bits 0-2 kind, 3-4 scale, 5 from-top, 6 wide size."""
    return struct.pack("<BHH", op, start, size)


def e820_seeds():
    qemu = (e820_rec(0xfd00000000, 0x300000000, RESERVED) + e820_rec(4 * GIB, 2 * GIB, RAM) +
            e820_rec(0, 0x80000000, RAM))
    ops = b"".join([
        e820_op(1 | 1 << 3, 0, 0x80),       # RAM 0-512 KiB
        e820_op(2 | 1 << 3, 0x40, 0x1),     # reserved page inside it
        e820_op(3 | 1 << 3, 0x7f, 0x2),     # ACPI across the end
        e820_op(0 | 1 << 3, 0x10, 0x8),     # hole
        e820_op(1 | 1 << 3, 0x80, 0x10),    # adjacent RAM: merges
        e820_op(6, 0x100, 0x40),            # coreboot table type, byte scale
        e820_op(2 | 1 << 5 | 1 << 3, 0x10, 0x10),  # reserved at the top of 2^64
        e820_op(1 | 2 << 3, 4, 2),          # RAM at 4 GiB
        e820_op(7, 0x1234, 0x10),           # odd type
        e820_op(0 | 1 << 6, 0, 0),          # remove everything
    ])
    frag = b"".join(e820_op(1 + i % 6, i * 3, 2) for i in range(80))
    return {
        "qemu-pc": qemu,
        "qemu-reserved-first": e820_rec(0x9f000, 0x1000, RESERVED) + e820_rec(0, 0x100000, RAM),
        "malformed": qemu[:-1],
        "ops": ops,
        "fragment": frag,
    }


def elf32(entry, segments, extra_phdrs=()):
    """A minimal i386 ET_EXEC: header, program headers, then each segment's bytes.
    segments: list of (paddr, data, memsz); extra_phdrs: raw (type, ...) tuples."""
    phnum = len(segments) + len(extra_phdrs)
    phoff = 52
    data_off = (phoff + 32 * phnum + 15) & ~15
    ident = b"\x7fELF" + bytes([1, 1, 1]) + bytes(9)
    ehdr = ident + struct.pack("<HHIIIIIHHHHHH", 2, 3, 1, entry, phoff, 0, 0, 52, 32,
                               phnum, 0, 0, 0)
    phdrs = b""
    body = b""
    off = data_off
    for paddr, data, memsz in segments:
        phdrs += struct.pack("<IIIIIIII", 1, off, paddr, paddr, len(data), memsz, 7, 16)
        body += data
        off += len(data)
    for ph in extra_phdrs:
        phdrs += struct.pack("<IIIIIIII", *ph)
    out = ehdr + phdrs
    return out + bytes(data_off - len(out)) + body


def elf_seeds():
    code = bytes([0xfa, 0xf4, 0xeb, 0xfd])  # cli; hlt; jmp .-1
    return {
        "single": elf32(0x100000, [(0x100000, code, 0x1000)]),
        "multi": elf32(0xe0000, [(0xe0000, code * 8, 0x20000), (0x200000, b"\0" * 16, 0x10000),
                                 (0x300000, b"", 0x4000)],
                       extra_phdrs=[(4, 0, 0, 0, 0, 0, 4, 4)]),
        "top-of-4g": elf32(0xfffff000, [(0xfffff000, code, 0x1000)]),
        "busy-overlap": elf32(0x7eff000, [(0x7eff000, code, 0x2000)]),
        "two-overlap": elf32(0x100000, [(0x100000, code, 0x2000), (0x101000, code, 0x10)]),
    }


def cbtable_seed(cap, vendor, part, extra, ranges, target):
    out = struct.pack("<HBBBBQ", cap, len(vendor), len(part), len(extra), len(ranges), target)
    out += vendor + part + extra
    for start, size, typ in ranges:
        out += struct.pack("<QQB", start, size, typ)
    return out


def cbtable_seeds():
    pc = [(0, 0x9fc00, RAM), (0x9fc00, 0x400, RESERVED), (0xf0000, 0x10000, RESERVED),
          (0x100000, 0x7fe00000, RAM), (0x7ff00000, 0x100000, TABLE),
          (0xfeffc000, 0x4000, RESERVED), (4 * GIB, 2 * GIB, RAM)]
    return {
        "pc": cbtable_seed(4096, b"QEMU", b"qvmloader", b"\x01\x02\x03", pc, 0x7ff00000),
        "tight": cbtable_seed(24 + 8 + 20 + 28 + 16 + 8, b"QEMU", b"qvmloader", b"",
                              pc[:1], 0x1000),
        "tiny": cbtable_seed(39, b"", b"", b"", [], 0x123456789abc),
        "full-map": cbtable_seed(8192, b"V" * 63, b"P" * 63, bytes(range(255)),
                                 [(i << 20, 0x1000, 1 + i % 5) for i in range(64)],
                                 0xffffffffffffffff),
    }


def acpi_build_seed(flags, ids, numa, hpet, user):
    """fuzz_acpi_build input: flags, CPU count, blob lengths, APIC IDs, NUMA, HPET, tables."""
    n = len(ids) - 1
    head = struct.pack("<BBHHH", flags | (0x80 if n > 255 else 0), n & 0xff, len(numa),
                       len(hpet), len(user))
    return head + b"".join(struct.pack("<I", i) for i in ids) + numa + hpet + user


def acpi_build_seeds():
    hpet = b"\x01" + struct.pack("<IQHB", 0x8086a201, 0xfed00000, 0x80, 0) + bytes(105)
    numa = struct.pack("<Q", 2) + b"".join(struct.pack("<Q", i // 2) for i in range(8)) + \
        struct.pack("<QQ", 256 << 20, 256 << 20)
    ssdt = b"SSDT" + struct.pack("<IBB6s8sI4sI", 40, 2, 0, b"OEM", b"TABLE", 1, b"ASL ", 1) + \
        bytes(4)
    user = struct.pack("<HH", 2, 40) + ssdt + struct.pack("<H", 40) + b"FACP" + ssdt[4:]
    return {
        "pc-4cpu-numa": acpi_build_seed(0x02, [0, 1, 2, 3], numa, hpet, user),
        "q35-x2apic": acpi_build_seed(0x07, list(range(250, 260)), b"", hpet, b""),
        "q35-288": acpi_build_seed(0x05, list(range(288)), numa, b"\xff", user[:30]),
    }


def main():
    groups = {"fwcfg_dir": fwcfg_dir_seeds(), "e820": e820_seeds(), "elf": elf_seeds(),
              "cbtable": cbtable_seeds(), "acpi_build": acpi_build_seeds()}
    for group, seeds in groups.items():
        d = os.path.join(CORPUS, group)
        os.makedirs(d, exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
