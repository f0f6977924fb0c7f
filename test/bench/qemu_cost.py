#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Where qvmloader's time goes, per boot stage, from QEMU's side as well as ours.

For one configuration this runs the direct-Linux ROM (the loader's stages alone, then the tiny
kernel exits QEMU) three ways and joins the results per stage (src/main.c's timing_stage()):

- instructions: `-icount shift=0,sleep=off` makes the TSC count one tick per guest instruction
  (all vCPUs together, polling loops included), so the `timing:` line's per-stage "us" are
  thousands of instructions. Independent of host load.
- QEMU work, from its trace events (`-trace`, Debian's log backend) split at the loader's
  "timing: end of stage" debug lines: memory-map commits (one `flatview_new` for the system
  address space per commit; QEMU then rebuilds a view for every vCPU's own address space and
  flushes every vCPU's TLB), SMIs (SMI IPIs through the local APIC and APM writes to port
  0xB2), INIT/SIPI IPIs, and PCI config writes. Independent of host load.
- time: the `timing:` line of `runs` plain runs (no icount, no trace, log level 2), median
  per stage. This one does depend on the host's load.

Used by bench.py (the breakdown tables of `make bench`); runs alone as
  /usr/bin/python3 test/bench/qemu_cost.py [--machine q35] [--smp 1] [--runs 3] [-- QEMU args]
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(os.environ.get("QVM_OUT", ROOT / "out"))
QEMU = os.environ.get("QVM_QEMU", "qemu-system-x86_64")
STAGES = ["fwcfg", "chipset", "pci", "cpus", "smm", "tables", "payload"]
TIMING_RE = re.compile(r"^timing: total (\d+) us:((?: [\w.-]+ \d+)*) \(TSC (\d+) MHz\)", re.M)
MARK_RE = re.compile(r"^timing: end of stage ([\w.-]+)$")
ICR_RE = re.compile(r"^(?:\d+@[\d.]+:)?apic_mem_writel 0x300 = (0x[0-9a-f]+)")
FLATVIEW_RE = re.compile(r"^(?:\d+@[\d.]+:)?flatview_new \S+ \(root (\S+)\)")
TRACE_EVENTS = ["flatview_new", "apic_mem_writel", "apm_io_write", "pci_cfg_write"]
COLUMNS = ["kinsn", "commits", "smis", "ipis", "cfgwr", "ms"]


def base_cmd(rom, kernel, machine, smp, extra, accel="tcg"):
    """QEMU command line of one loader run that ends when the tiny kernel's entry exits."""
    return [QEMU, "-machine", machine, "-accel", accel, "-m", "512M", "-smp", str(smp),
            "-display", "none", "-nodefaults", "-no-reboot",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
            "-bios", str(rom), "-kernel", str(kernel)] + list(extra)


def run(cmd, timeout):
    """Run QEMU with the debug console on stdout, traces (if any) on stderr, merged in order."""
    r = subprocess.run(cmd + ["-debugcon", "stdio", "-global", "isa-debugcon.iobase=0x402"],
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=timeout)
    text = r.stdout.decode(errors="replace")
    if r.returncode not in (5, 7):
        raise RuntimeError(f"qemu_cost: {' '.join(cmd)} exited {r.returncode}:\n{text[-2000:]}")
    return text


def stage_times(text):
    """{stage: us} from the loader's timing: line."""
    m = TIMING_RE.search(text)
    if not m:
        raise RuntimeError("qemu_cost: no timing: line in the loader's log")
    parts = m.group(2).split()
    return {parts[i]: int(parts[i + 1]) for i in range(0, len(parts), 2)}


def count_events(text):
    """{stage: {commits, smis, ipis, cfgwr}} from a trace run split at the stage markers."""
    counts = {s: dict.fromkeys(("commits", "smis", "ipis", "cfgwr"), 0) for s in STAGES}
    stage_iter = iter(STAGES)
    stage = next(stage_iter)
    started = False
    burst = set()  # roots rendered by the commit being read
    for line in text.splitlines():
        # QEMU's own start-up builds its views before the loader's first line: not counted.
        started = started or line.startswith("qvmloader: start")
        m = MARK_RE.match(line)
        if m:
            stage = next(stage_iter, "payload")
            continue
        c = counts[stage]
        # One commit renders one view per root (each vCPU's address space has its own), one
        # after another: a root seen again, or any other line in between, starts the next.
        fv = FLATVIEW_RE.match(line)
        if fv:
            if fv.group(1) in burst or not burst:
                burst = set()
                c["commits"] += started
            burst.add(fv.group(1))
            continue
        burst = set()
        if "apm_io_write" in line and "addr 0x0" in line:
            c["smis"] += 1
        elif "pci_cfg_write" in line:
            c["cfgwr"] += 1
        else:
            icr = ICR_RE.match(line)
            if icr:
                mode = (int(icr.group(1), 16) >> 8) & 7
                if mode == 2:
                    c["smis"] += 1
                elif mode in (5, 6):
                    c["ipis"] += 1
    return counts


def profile(rom, kernel, machine="q35", smp=1, extra=(), runs=3, timeout=300):
    """{stage: {kinsn, commits, smis, ipis, cfgwr, ms}} plus a 'total' row."""
    cmd = base_cmd(rom, kernel, machine, smp, extra)
    insn = stage_times(run(cmd + ["-icount", "shift=0,sleep=off"], timeout))
    # Single-threaded TCG for the trace run: the events are the same, and lines from many
    # vCPU threads cannot interleave in the log.
    traced_cmd = [("tcg,thread=single" if a == "tcg" else a) for a in cmd]
    traced = run(traced_cmd + ["-fw_cfg", "name=opt/qvmloader/loglevel,string=3"] +
                 [a for e in TRACE_EVENTS for a in ("-trace", e)], timeout)
    events = count_events(traced)
    times = [stage_times(run(cmd, timeout)) for _ in range(runs)]
    table = {}
    for s in STAGES:
        row = dict(events[s])
        row["kinsn"] = insn.get(s, 0)  # 1 tick per instruction, reported per microsecond
        row["ms"] = statistics.median(t.get(s, 0) for t in times) / 1000
        table[s] = row
    table["total"] = {k: sum(table[s][k] for s in STAGES) for k in COLUMNS}
    return table


def markdown(table, title):
    """The breakdown as a Markdown table."""
    lines = [f"#### {title}", "",
             "| stage | instructions (k) | memory-map commits | SMIs | INIT/SIPI IPIs "
             "| PCI config writes | time ms (median) |",
             "|---|---|---|---|---|---|---|"]
    for s, row in table.items():
        name = f"**{s}**" if s == "total" else s
        lines.append(f"| {name} | {row['kinsn']:,} | {row['commits']} | {row['smis']} | "
                     f"{row['ipis']} | {row['cfgwr']} | {row['ms']:.1f} |")
    return "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rom", default=OUT / "qvmloader-linux.bin")
    p.add_argument("--kernel", default=OUT / "bench" / "tiny.bzImage")
    p.add_argument("--machine", default="q35")
    p.add_argument("--smp", type=int, default=1)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("extra", nargs="*", help="further QEMU arguments (after --)")
    a = p.parse_args()
    for f in (a.rom, a.kernel):
        if not Path(f).exists():
            sys.exit(f"qemu_cost: {f} missing (make bench builds it)")
    t = profile(a.rom, a.kernel, a.machine, a.smp, a.extra, a.runs)
    print(markdown(t, f"{a.machine}, {a.smp} vCPU, {' '.join(a.extra) or 'no extra devices'}"))


if __name__ == "__main__":
    main()
