# SPDX-License-Identifier: MIT
"""Issue 14: fallback ROMs (build/mkrom.py --fallback, `make fallback`).

Small ELF payloads built here (fallback-payload.S) play a normal payload that crashes (triple
fault), hangs (only the q35 TCO watchdog ends it) or is corrupt, a fallback payload that says
it runs, and an OS that marks its boot good. QEMU runs without -no-reboot (reboot=True) so the
resets happen; CMOS survives them, as it does on hardware, and a new QEMU is a cold power-on.
"""
import os
import re
import subprocess
import sys

import pytest

import qemu

CRASH, HANG, FALLBACK, GOOD = 1, 2, 3, 4
FALLBACK_EXIT = 0x10
GOOD_EXIT = 0x11
TIMEOUT = 120
LOADER = qemu.OUT / "rom" / "loader.bin"
NOREBOOT_OFF = ["-global", "ICH9-LPC.noreboot=false"]


def build_dir():
    """Per-worker directory for the payloads and ROMs built here."""
    d = qemu.OUT / "system-build" / os.environ.get("PYTEST_XDIST_WORKER", "main") / "fallback"
    d.mkdir(parents=True, exist_ok=True)
    return d


def payload(mode):
    """fallback-payload.S assembled with MODE=mode, as an ELF file."""
    d = build_dir()
    src = os.path.join(os.path.dirname(__file__), "fallback-payload.S")
    obj, elf = d / f"p{mode}.o", d / f"p{mode}.elf"
    subprocess.run(["gcc", "-m32", "-c", f"-DMODE={mode}", "-o", obj, src], check=True)
    subprocess.run(["ld", "-m", "elf_i386", "-Ttext=0x200000", "-e", "start", "-o", elf, obj],
                   check=True)
    return elf


def fallback_rom(name, normal, fallback):
    """A ROM with the given normal and fallback payload files."""
    rom = build_dir() / f"{name}.bin"
    subprocess.run([sys.executable, str(qemu.ROOT / "build" / "mkrom.py"), "-o", rom, "--loader",
                    qemu.require(LOADER), "--payload", normal, "--fallback", fallback],
                   check=True, capture_output=True)
    return rom


def run(rom, machine="q35", extra=()):
    """Boot rom with resets allowed until a payload exits through isa-debug-exit."""
    return qemu.run_qemu(rom, machine=machine, kernel=False, reboot=True, debug_exit=True,
                         timeout=TIMEOUT, extra=extra)


def attempts(r):
    """The normal-payload attempt numbers qvmloader logged, in order."""
    return [int(n) for n in re.findall(r"fallback: normal payload, attempt (\d+) of", r.debug)]


def assert_fell_back(r, count, limit):
    assert r.debug_exit_value() == FALLBACK_EXIT, r.summary()
    assert (f"fallback: the normal payload failed {count} consecutive boots (limit {limit})"
            in r.debug), r.summary()
    assert "payload: fallback payload," in r.debug
    assert r.debug.count("QVMFB fallback") == 1


def test_crash_triple_fault_then_fallback():
    rom = fallback_rom("crash", payload(CRASH), payload(FALLBACK))
    r = run(rom)
    assert "no valid boot counter in CMOS 0x78 (cold power-on); starting from 0" in r.debug
    assert attempts(r) == [1, 2, 3], r.summary()
    assert_fell_back(r, 3, 3)
    # The limit comes from opt/qvmloader/fallback-after.
    r = run(rom, extra=["-fw_cfg", "name=opt/qvmloader/fallback-after,string=2"])
    assert attempts(r) == [1, 2], r.summary()
    assert_fell_back(r, 2, 2)


def test_hang_watchdog_then_fallback():
    rom = fallback_rom("hang", payload(HANG), payload(FALLBACK))
    r = run(rom, extra=[*NOREBOOT_OFF, "-fw_cfg", "name=opt/qvmloader/watchdog-seconds,string=3"])
    assert r.debug.count("watchdog: ICH9 TCO armed, reset in 2.4 s") == 3, r.summary()
    assert attempts(r) == [1, 2, 3], r.summary()
    assert_fell_back(r, 3, 3)
    assert "watchdog: ICH9 TCO armed" not in r.debug.split("payload: fallback payload")[1]


def test_hang_i6300esb_on_pc_then_fallback():
    """pc has no chipset watchdog: an i6300ESB the user adds resets a hung normal payload."""
    rom = fallback_rom("hang-esb", payload(HANG), payload(FALLBACK))
    r = run(rom, machine="pc", extra=["-device", "i6300esb", "-fw_cfg",
                                      "name=opt/qvmloader/watchdog-seconds,string=3"])
    armed = re.findall(r"watchdog: i6300ESB at 00:0\w\.0 armed, reset in 2\.9 s", r.debug)
    assert len(armed) == 3, r.summary()
    assert attempts(r) == [1, 2, 3], r.summary()
    assert_fell_back(r, 3, 3)
    assert "i6300ESB" not in r.debug.split("payload: fallback payload")[1]


@pytest.mark.parametrize("machine", ["pc", "q35"])
def test_corrupt_normal_falls_back_at_once(machine):
    elf = payload(CRASH).read_bytes()
    bad = build_dir() / "corrupt.elf"
    bad.write_bytes(elf[:24] + b"\xa5" * 40 + elf[64:])  # header fields after e_version
    r = run(fallback_rom(f"corrupt-{machine}", bad, payload(FALLBACK)), machine=machine)
    assert attempts(r) == [1], r.summary()
    assert "; booting the fallback payload now" in r.debug, r.summary()
    assert r.debug_exit_value() == FALLBACK_EXIT
    assert r.debug.count("QVMFB fallback") == 1
    if machine == "pc":
        assert "watchdog: pc has no watchdog" in r.debug


def test_good_boot_clears_counter():
    rom = fallback_rom("good", payload(GOOD), payload(FALLBACK))
    r = run(rom, extra=["-fw_cfg", "name=opt/qvmloader/fallback-after,string=200"])
    assert ("fallback: opt/qvmloader/fallback-after is 200, outside 1 to 100; using 3"
            in r.debug), r.summary()
    assert "QVMFB good, counter cleared" in r.debug
    assert r.debug_exit_value() == GOOD_EXIT, r.summary()
    # The reset after the good boot starts from a cleared counter: attempt 1 again, not 2.
    assert attempts(r) == [1, 1], r.summary()
    assert "no valid boot counter" in r.debug.split("QVMFB good, counter cleared")[0]
    assert "no valid boot counter" not in r.debug.split("QVMFB good, counter cleared")[1]


def test_linuxboot_image_that_does_not_decode_falls_back():
    """A LinuxBoot normal payload whose initramfs is one byte short of its header's size."""
    img = qemu.require(qemu.OUT / "linuxboot" / "linuxboot.img")
    data = bytearray(img.read_bytes())
    size = int.from_bytes(data[56:60], "little")  # initrd part: offset, stored, size, method
    data[56:60] = (size + 1).to_bytes(4, "little")
    bad = build_dir() / "linuxboot-short.img"
    bad.write_bytes(bytes(data))
    r = run(fallback_rom("lb-short", bad, payload(FALLBACK)))
    assert (f"linuxboot: initramfs (LZ4, {int.from_bytes(data[52:56], 'little')} bytes) does "
            f"not decode to its {size + 1} bytes: it is shorter") in r.debug, r.summary()
    assert "(LinuxBoot image) cannot be booted; booting the fallback payload now" in r.debug
    assert r.debug_exit_value() == FALLBACK_EXIT
    assert attempts(r) == [1]
