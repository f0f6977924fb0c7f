# SPDX-License-Identifier: MIT
"""Issue 11: S3 suspend/resume through qvmloader (pc and q35, SeaBIOS payload and direct Linux).

The guest (build/guest/init, action s3loop) suspends with `echo mem > /sys/power/state`; the
test waits for QMP's "suspended" state and wakes it with system_wakeup. After each wake the
guest proves it is intact: its RAM counter continued, a RAM file kept its hash, the
virtio-blk and AHCI disks read the same sector 0 again and their interrupts grew. On q35 the
SMRAM attacks of test_cpus_smm.py then run after the resumes and must still fail.

CI runs QVM_S3_CYCLES (default 3) cycles; `make soak` runs 100 and prints its figures.
"""
import os
import re
import time

import pytest

import qemu

CYCLES = int(os.environ.get("QVM_S3_CYCLES", "3"))
SOAK = os.environ.get("QVM_SOAK") == "1"
SECTOR0 = {"vda": b"qvm-virtio-disk", "sda": b"qvm-ahci-disk"}
DISK_IRQS = {"vda": "virtio", "sda": "ahci"}


def make_disks(tmp_path, machine):
    """A virtio-blk and an AHCI disk with distinct sector 0 contents; QEMU arguments."""
    extra = []
    for name, tag in SECTOR0.items():
        img = tmp_path / f"{name}.img"
        img.write_bytes(tag.ljust(512, b".") + bytes(1 << 20))
        extra += ["-drive", f"if=none,id={name},format=raw,file={img}"]
    extra += ["-device", "virtio-blk-pci,drive=vda"]
    extra += (["-device", "ahci,id=ahci", "-device", "ide-hd,drive=sda,bus=ahci.0"]
              if machine == "pc" else ["-device", "ide-hd,drive=sda,bus=ide.0"])
    return extra


def wake_cycles(s, cycles, first_timeout=240):
    """Wake a running s3loop guest from each of its `cycles` suspends through QMP; the
    seconds each cycle took, from the guest's announcement to its report."""
    times = []
    for i in range(1, cycles + 1):
        if not s.wait_for(f"QVMFACT s3_suspend={i}\n", timeout=first_timeout if i == 1 else 60):
            break
        start = time.monotonic()
        if not s.wait_status("suspended", timeout=60):
            break
        s.qmp("system_wakeup")
        if not s.wait_for(f"QVMFACT s3_cycle={i} ", timeout=60):
            break
        times.append(time.monotonic() - start)
    return times


def suspend_resume(bios, machine, smp, tmp_path, cycles, append=""):
    """Boot the guest, wake it `cycles` times from S3; (result, seconds per cycle)."""
    timeout = 180 + 30 * cycles
    args = (f"qvm.modules=virtio_pci,virtio_blk,ahci,sd_mod qvm.action=s3loop{append and ',' + append} "
            f"qvm.s3cycles={cycles} qvm.disks=vda,sda qvm.timeout={timeout}")
    if machine == "q35":
        args += " qvm.smram=0x1f000000 qvm.smramreg=157"
    with qemu.QemuSession(bios, machine=machine, smp=smp, append=args,
                          extra=make_disks(tmp_path, machine),
                          accel="tcg,thread=single" if qemu.accel_from_env() == "tcg" and
                          smp > 1 else None) as s:
        times = wake_cycles(s, cycles)
        s.wait_for("QVMDONE", timeout=120)
        r = s.finish()
    return r, times


def check_cycles(r, cycles, disks=DISK_IRQS, boots_expected=None):
    """Every cycle resumed through qvmloader with the guest intact. disks: {disk: name of
    its interrupt in /proc/interrupts}; boots_expected: default one per cycle plus one."""
    boots = r.debug.count("qvmloader: start")
    wakes = r.debug.count("resume: S3 wake (CMOS 0x0F = 0xFE, WAK_STS set)")
    jumps = len(re.findall(r"resume: jumping to the (real-mode|32-bit) waking vector", r.debug))
    assert wakes == jumps == cycles, r.summary()
    assert boots == (boots_expected or cycles + 1), r.summary()
    assert "cold boot" not in r.debug, r.summary()
    first = dict(w.split(":") for w in r.facts["s3_disks"][0].split())
    assert set(first) == set(disks) and "unreadable" not in first.values(), r.summary()
    lines = r.facts.get("s3_cycle", [])[:cycles]
    assert len(lines) == cycles, r.summary()
    for line in lines:
        words = line.split()
        n, rc, before, after, later, ram = words[:6]
        assert rc == "resumed" and ram == "ram_ok", line
        assert int(before) <= int(after) < int(later), f"RAM counter stopped: {line}"
        sums = dict(w.split(":") for w in words[6:-1])
        assert sums == first, f"disks after resume {n}: {line}"
        lo, hi = map(int, words[-1][len("irqs="):].split("-"))
        assert hi > lo, line
        grew = " ".join(v for v in r.facts.get("s3_irq", []) if v.split()[0] == n)
        for name in disks.values():
            assert name in grew, f"disk interrupts after resume {n}: {grew}"
    assert not r.facts.get("s3_log"), r.facts["s3_log"]
    assert "Firmware Bug" not in r.dmesg


def check_reserved(r):
    """The save area and the low RAM a wake reuses are reserved in the OS's memory map."""
    m = re.search(r"resume: save area at ([0-9a-f]+) \((\d+) bytes\)", r.debug)
    assert m, r.summary()
    save = int(m.group(1), 16)
    for start, end in ((0x30000, 0x3FFFF), (0x60000, 0x9EFFF), (save, save + int(m.group(2)) - 1)):
        assert any(s <= start and end <= e for s, e, kind in r.e820() if kind == "Reserved"), \
            (hex(start), r.e820())


def check_smram_after_resume(r):
    """test_cpus_smm.py's attack, run after the resumes: SMRAM stays locked and closed."""
    assert r.debug.count("SMRAM locked") == r.debug.count("qvmloader: start"), r.summary()
    assert r.fact("smram_read") == "0x1f000000 " + "ff" * 16, r.summary()
    assert r.fact("smram_reopen") == "1a", "D_OPEN must not stick once D_LCK is set"
    assert r.fact("smi_planted") == "ba0204b050eeb057eeb04eee0faa9090"
    assert "PWN" not in r.debug, r.summary()


def report(name, r, times, cycles):
    """Soak figures: cycles asked, done, failures, time per cycle."""
    done = len(r.facts.get("s3_cycle", []))
    per = sum(times) / len(times) if times else 0.0
    print(f"\nsoak s3 {name}: {cycles} cycles asked, {done} done, {cycles - done} failed, "
          f"{per:.2f} s per cycle (max {max(times, default=0):.2f} s)")


# CI covers each machine, CPU count and payload once; make soak runs every combination.
FULL = [(p, m, n) for p in ("seabios", "linux") for m in ("q35", "pc") for n in (1, 4)]
COMBOS = FULL if SOAK else [("seabios", "q35", 4), ("linux", "pc", 1)]


@pytest.mark.parametrize("payload,machine,smp", COMBOS)
def test_s3_cycles(qvmloader_rom, linux_rom, guest, tmp_path, payload, machine, smp):
    rom = qvmloader_rom if payload == "seabios" else linux_rom
    r, times = suspend_resume(rom, machine, smp, tmp_path, CYCLES,
                              append="smram" if machine == "q35" else "")
    report(f"{payload}-{machine}-smp{smp}", r, times, CYCLES)
    r.assert_done()
    check_cycles(r, CYCLES)
    check_reserved(r)
    if machine == "q35":
        check_smram_after_resume(r)


def test_corrupt_save_area_boots_cold(qvmloader_rom, guest):
    """The guest overwrites the save area's checksum: the wake logs why and boots cold."""
    save = 0x1EFEE000  # q35, 512 MiB: just below the 16 MiB TSEG (checked below)
    args = f"qvm.modules=none qvm.action=poke,s3 qvm.poke={save + 16:#x}:0x12345678"
    with qemu.QemuSession(qvmloader_rom, machine="q35", append=args) as s:
        s.wait_for("QVMFACT s3_mem_sleep=", timeout=240)
        if s.wait_status("suspended", timeout=60):  # else its RTC alarm woke it first
            s.qmp("system_wakeup")
        s.wait_for("coreboot: jumping", count=2, timeout=60, log="debug")
        r = s.finish()
    assert f"resume: save area at {save:x} (" in r.debug, r.summary()
    assert r.fact("poke") == f"{save + 16:#x} 0x12345678", r.summary()
    assert f"resume: save area at {save:x} rejected: checksum mismatch" in r.debug, r.summary()
    assert "no valid S3 save area" in r.debug and ": cold boot" in r.debug, r.summary()
    assert "resume: jumping" not in r.debug
    assert r.debug.count("coreboot: jumping") == 2, r.summary()
