# SPDX-License-Identifier: MIT
"""Issue 7: direct kernel boot (payload mode "linux") of QEMU's -kernel.

Debian's kernel boots straight from qvmloader (out/qvmloader-linux.bin, or any ROM with fw_cfg
opt/qvmloader/payload-mode=linux) and must see the same machine as through the SeaBIOS
payload; the initrd and command line arrive intact; the same kernel unpacked to its ELF boots
through its PVH note; a small multiboot kernel built here checks the multiboot hand-off; and
bad input gives a clear message, then a halt or the fall-back to the default payload.
"""
import hashlib
import lzma
import os
import re
import secrets
import struct
import subprocess
import zlib

import pytest

import qemu

MIB = 1 << 20
MODE_LINUX = ["-fw_cfg", "name=opt/qvmloader/payload-mode,string=linux"]
# dmesg lines that mean the firmware handed over something Linux had to complain about.
FIRMWARE_WARNINGS = re.compile(r"\[Firmware (Bug|Warn|Info)\]|ACPI BIOS (Error|Warning)|"
                               r"ACPI Error|DMI not present|your BIOS|BIOS bug|e820: .*overlap")
HALT_TIMEOUT = 60
HALT = dict(until="halting", until_log="debug")  # a halted loader is stopped at once


def build_dir():
    """Per-worker directory for files the tests make."""
    d = qemu.OUT / "system-build" / os.environ.get("PYTEST_XDIST_WORKER", "main")
    d.mkdir(parents=True, exist_ok=True)
    return d


def firmware_warnings(r):
    """dmesg lines matching FIRMWARE_WARNINGS."""
    return [l for l in r.dmesg.splitlines() if FIRMWARE_WARNINGS.search(l)]


def ram(r):
    """Bytes of System RAM in the guest's firmware memory map."""
    return sum(e - s + 1 for s, e, kind in r.e820() if kind == "System RAM")


def acpi(r):
    """{table: (size, sha256)} from the guest's /sys/firmware/acpi/tables."""
    return {v.split()[0]: tuple(v.split()[1:]) for v in r.facts["acpi"]}


def check_guest(r, guest, token, smp):
    """The guest finished, with our initrd and command line, and every CPU."""
    r.assert_done()
    assert r.fact("initrd_sha256") == guest.canary_sha256, r.summary()
    assert r.fact("cmdline") == f"{qemu.BASE_APPEND} qvm.token={token}", r.fact("cmdline")
    assert r.fact_int("cpus") == smp, r.summary()


# pc in check-long only (make check's time budget): q35 covers the comparison in check.
@pytest.mark.parametrize("machine", [pytest.param("pc", marks=pytest.mark.long), "q35"])
def test_direct_boot_matches_seabios_payload(linux_rom, qvmloader_rom, guest, machine):
    token = secrets.token_hex(8)
    r = qemu.run_qemu(linux_rom, machine=machine, smp=2, append=f"qvm.token={token}")
    check_guest(r, guest, token, 2)
    assert "payload: direct kernel boot of fw_cfg -kernel" in r.debug, r.summary()
    jump = re.search(r"linux: jumping to ([0-9a-f]+) \(boot_params at 0x([0-9a-f]+)", r.debug)
    assert jump and int(jump.group(1), 16) == 0x1000000, r.summary()
    assert "SeaBIOS" not in r.debug and "coreboot:" not in r.debug
    assert "Linux version" in r.dmesg

    ref = qemu.run_qemu(qvmloader_rom, machine=machine, smp=2, append=f"qvm.token={token}")
    check_guest(ref, guest, token, 2)
    assert abs(ram(r) - ram(ref)) <= MIB, (r.e820(), ref.e820())
    assert abs(r.fact_int("memtotal_kb") - ref.fact_int("memtotal_kb")) <= 4096
    assert sorted(r.facts["apicid"]) == sorted(ref.facts["apicid"])
    assert r.pci() == ref.pci()
    assert r.pci_resources() == ref.pci_resources()
    assert acpi(r) == acpi(ref)
    assert {"FACP", "DSDT", "FACS", "APIC"} <= set(acpi(r))
    assert sorted(r.facts["dmi"]) == sorted(ref.facts["dmi"])
    assert "bios_vendor=qvmloader" in r.facts["dmi"]
    # boot_params lives in memory the kernel is told is reserved.
    bp = int(jump.group(2), 16)
    assert any(s <= bp and bp + 4095 <= e for s, e, kind in r.e820() if kind == "Reserved")
    assert not any(s <= bp <= e for s, e, kind in r.e820() if kind == "System RAM")
    # No firmware complaint the SeaBIOS path does not also produce.
    ref_warnings = {l.split("] ", 1)[-1] for l in firmware_warnings(ref)}
    extra = [l for l in firmware_warnings(r) if l.split("] ", 1)[-1] not in ref_warnings]
    assert not extra, extra
    assert not [l for l in firmware_warnings(r) if "Firmware Bug" in l or "ACPI" in l]


def test_payload_mode_file_selects_direct_boot(linux_rom, qvmloader_rom, guest):
    """The default ROM (SeaBIOS embedded) boots -kernel itself when fw_cfg asks for it."""
    token = secrets.token_hex(8)
    r = qemu.run_qemu(qvmloader_rom, machine="q35", append=f"qvm.token={token}",
                      extra=MODE_LINUX)
    check_guest(r, guest, token, 1)
    assert "linux: jumping to" in r.debug and "SeaBIOS" not in r.debug, r.summary()
    # payload-mode=payload turns the linux ROM back into a payload loader.
    r = qemu.run_qemu(linux_rom, machine="q35", append=f"qvm.token={token}", timeout=HALT_TIMEOUT,
                      **HALT,
                      extra=["-fw_cfg", "name=opt/qvmloader/payload-mode,string=payload"])
    assert "direct kernel boot" not in r.debug
    assert "payload: none: no fw_cfg opt/qvmloader/payload" in r.debug, r.summary()


def vmlinux(guest):
    """The ELF kernel inside the guest's bzImage (cached per worker)."""
    out = build_dir() / "vmlinux"
    data = guest.kernel.read_bytes()
    stamp = hashlib.sha256(data).hexdigest()
    if out.is_file() and (build_dir() / "vmlinux.src").read_text() == stamp:
        return out
    setup = (data[0x1F1] or 4) * 512 + 512
    off, length = struct.unpack_from("<II", data, 0x248)
    blob = data[setup + off:setup + off + length]
    if blob.startswith(b"\xfd7zXZ"):
        elf = lzma.LZMADecompressor().decompress(blob)
    elif blob.startswith(b"\x1f\x8b"):
        elf = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(blob)
    else:
        pytest.fail(f"{guest.kernel}: payload compression {blob[:4].hex()} not handled")
    out.write_bytes(elf)
    (build_dir() / "vmlinux.src").write_text(stamp)
    return out


def pvh_entry(path):
    """The Xen PHYS32_ENTRY note's value in an ELF64 file, or None."""
    data = path.read_bytes()
    phoff, = struct.unpack_from("<Q", data, 32)
    phnum, = struct.unpack_from("<H", data, 56)
    for i in range(phnum):
        ptype, _, off, _, _, filesz = struct.unpack_from("<IIQQQQ", data, phoff + 56 * i)
        if ptype != 4:
            continue
        pos, end = off, off + filesz
        while pos + 12 <= end:
            namesz, descsz, ntype = struct.unpack_from("<III", data, pos)
            name = data[pos + 12:pos + 12 + namesz]
            desc = pos + 12 + (namesz + 3) // 4 * 4
            if name == b"Xen\0" and ntype == 18:
                return int.from_bytes(data[desc:desc + descsz], "little")
            pos = desc + (descsz + 3) // 4 * 4
    return None


@pytest.mark.parametrize("machine", ["pc", "q35"])
def test_pvh_boot(linux_rom, guest, machine):
    elf = vmlinux(guest)
    entry = pvh_entry(elf)
    assert entry, f"{elf} has no PVH note"
    token = secrets.token_hex(8)
    r = qemu.run_qemu(linux_rom, machine=machine, smp=2, kernel=False,
                      extra=["-kernel", elf, "-initrd", guest.initrd,
                             "-append", f"{qemu.BASE_APPEND} qvm.token={token}"])
    check_guest(r, guest, token, 2)
    assert f"pvh: 64-bit ELF, jumping to {entry:x}" in r.debug, r.summary()
    assert "Booting paravirtualized kernel" in r.dmesg or "PVH" in r.dmesg
    assert 480 * MIB <= ram(r) <= 512 * MIB, r.e820()  # q35: TSEG takes 16 MiB
    assert {"FACP", "DSDT", "APIC"} <= set(acpi(r))


MB_KERNEL = r"""
	.section .mbh, "a"
	.align 4
	.long 0x1badb002, 0, -0x1badb002
	.text
	.globl _start
_start:
	mov $stack_top, %esp
	push %ebx
	push %eax
	call kmain
1:	hlt
	jmp 1b
	.bss
	.align 16
	.space 8192
stack_top:
"""

MB_MAIN = r"""
struct mbi { unsigned flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr,
	     syms[4], mmap_length, mmap_addr; };
struct mod { unsigned start, end, cmdline, pad; };
struct mmap { unsigned size; unsigned long long addr, len; unsigned type; } __attribute__((packed));
static void outb(unsigned short p, unsigned char v)
{
	asm volatile("outb %0, %1" :: "a"(v), "Nd"(p));
}
static void puts(const char *s) { while (*s) outb(0x402, *s++); }
static void hex(unsigned v)
{
	for (int i = 28; i >= 0; i -= 4)
		outb(0x402, "0123456789abcdef"[(v >> i) & 15]);
}
void kmain(unsigned magic, struct mbi *m)
{
	unsigned long long ram = 0;
	puts("MB magic="); hex(magic); puts(" flags="); hex(m->flags);
	puts(" lower="); hex(m->mem_lower); puts(" upper="); hex(m->mem_upper);
	for (unsigned o = 0; o < m->mmap_length; ) {
		struct mmap *e = (struct mmap *)(m->mmap_addr + o);
		if (e->type == 1) ram += e->len;
		o += e->size + 4;
	}
	puts(" ramkb="); hex((unsigned)(ram >> 10)); puts(" mods="); hex(m->mods_count);
	for (unsigned i = 0; i < m->mods_count; i++) {
		struct mod *d = (struct mod *)m->mods_addr + i;
		unsigned sum = 0;
		for (unsigned char *p = (unsigned char *)d->start; p < (unsigned char *)d->end; p++)
			sum = sum * 31 + *p;
		puts(" mod="); hex(d->end - d->start); puts(":"); hex(sum);
	}
	puts(" cmdline="); puts((const char *)m->cmdline); puts("\n");
	outb(0xf4, 0x21);
}
"""


def multiboot_kernel():
    """A 32-bit multiboot ELF kernel that reports what it was given on the debug console."""
    d = build_dir()
    (d / "mb.S").write_text(MB_KERNEL)
    (d / "mb.c").write_text(MB_MAIN)
    (d / "mb.lds").write_text("ENTRY(_start)\nSECTIONS { . = 0x100000; .text : { *(.mbh) "
                              "*(.text*) *(.rodata*) } .data : { *(.data*) } .bss : { *(.bss*) "
                              "*(COMMON) } /DISCARD/ : { *(.note*) *(.comment) *(.eh_frame) } }\n")
    subprocess.run(["gcc", "-m32", "-O1", "-ffreestanding", "-fno-pic", "-fno-pie",
                    "-fno-stack-protector", "-fno-asynchronous-unwind-tables", "-nostdlib",
                    "-static", "-Wl,--build-id=none", "-Wl,-T," + str(d / "mb.lds"),
                    "-o", str(d / "mb.elf"), str(d / "mb.S"), str(d / "mb.c")], check=True)
    return d / "mb.elf"


def test_multiboot_boot(linux_rom):
    kernel = multiboot_kernel()
    module = build_dir() / "mb-module.bin"
    module.write_bytes(secrets.token_bytes(3000))
    token = secrets.token_hex(8)
    r = qemu.run_qemu(linux_rom, machine="q35", mem="256M", kernel=False, debug_exit=True,
                      timeout=60, extra=["-kernel", kernel, "-initrd", module,
                                         "-append", f"qvm.token={token}"])
    assert r.debug_exit_value() == 0x21, r.summary()
    line = re.search(r"^MB (.*)$", r.debug, re.M)
    assert line, r.summary()
    f = dict(kv.split("=", 1) for kv in line.group(1).split(" cmdline=")[0].split())
    assert f["magic"] == "2badb002"
    assert int(f["flags"], 16) & 0x4D == 0x4D  # memory, cmdline, modules, mmap
    # Lower memory ends where the default-SMBASE area (0x30000, reserved in every hand-off map
    # because an S3 wake overwrites it: docs/memory-map.md) begins.
    assert int(f["lower"], 16) == 0x30000 // 1024
    # q35 loses 16 MiB to TSEG; the tables take a little more.
    assert 220 * 1024 <= int(f["upper"], 16) <= 255 * 1024
    assert int(f["upper"], 16) + int(f["lower"], 16) <= int(f["ramkb"], 16) <= 256 * 1024
    assert int(f["mods"], 16) == 1
    data = module.read_bytes()
    digest = 0
    for b in data:
        digest = (digest * 31 + b) & 0xFFFFFFFF
    assert f["mod"] == f"{len(data):08x}:{digest:08x}"
    assert line.group(1).split(" cmdline=")[1] == f"{kernel} qvm.token={token}"
    assert "multiboot: image at 100000" in r.debug


def halted(r, message):
    """The loader said message, then that it halts; the guest never ran."""
    assert message in r.debug, r.summary()
    assert "payload: none to fall back to" in r.debug and "halting" in r.debug, r.summary()
    assert r.until_seen and not r.done


def test_not_a_kernel_halts(linux_rom):
    junk = build_dir() / "not-a-kernel.bin"
    junk.write_bytes(bytes(0x1F1) + b"\x03" + secrets.token_bytes(64 * 1024))
    r = qemu.run_qemu(linux_rom, kernel=False, timeout=HALT_TIMEOUT, extra=["-kernel", junk],
                      **HALT)
    halted(r, "payload: fw_cfg -kernel is not a bzImage, PVH ELF or multiboot kernel")


def test_old_protocol_falls_back_to_seabios(qvmloader_rom, guest):
    old = build_dir() / "vmlinuz-protocol-2.09"
    data = bytearray(guest.kernel.read_bytes())
    struct.pack_into("<H", data, 0x206, 0x0209)
    old.write_bytes(data)
    token = secrets.token_hex(8)
    r = qemu.run_qemu(qvmloader_rom, kernel=False,
                      extra=MODE_LINUX + ["-kernel", old, "-initrd", guest.initrd,
                                          "-append", f"{qemu.BASE_APPEND} qvm.token={token}"])
    assert "bzimage: boot protocol 2.09 is older than 2.10" in r.debug, r.summary()
    assert "payload: direct kernel boot failed; falling back to the embedded payload" in r.debug
    check_guest(r, guest, token, 1)
    assert "SeaBIOS (version" in r.debug


def test_cmdline_too_long(linux_rom, qvmloader_rom, guest):
    pad = "qvm.pad=" + "x" * 2100
    r = qemu.run_qemu(linux_rom, timeout=HALT_TIMEOUT, append=pad, **HALT)
    size = len(f"{qemu.BASE_APPEND} {pad}")
    halted(r, f"bzimage: command line of {size} bytes is longer than the kernel's limit of 2047")
    # Only the fall-back and SeaBIOS's start are judged: the guest need not finish.
    r = qemu.run_qemu(qvmloader_rom, append=pad, extra=MODE_LINUX, timeout=60,
                      until=r"SeaBIOS \(version", until_log="debug")
    assert "falling back to the embedded payload" in r.debug, r.summary()
    assert "SeaBIOS (version" in r.debug, r.summary()


def test_initrd_that_fits_nowhere(linux_rom):
    big = build_dir() / "initrd-100M.bin"
    if not big.is_file() or big.stat().st_size != 100 * MIB:
        with open(big, "wb") as f:
            f.truncate(100 * MIB)
    r = qemu.run_qemu(linux_rom, mem="128M", kernel=False, timeout=HALT_TIMEOUT, **HALT,
                      extra=["-kernel", qemu.GUEST_KERNEL, "-initrd", big,
                             "-append", qemu.BASE_APPEND])
    halted(r, f"kernel: the initrd ({100 * MIB} bytes) fits nowhere in RAM")
