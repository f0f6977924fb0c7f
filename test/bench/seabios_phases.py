#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Where SeaBIOS's time goes, stock and as qvmloader's payload, from its own log.

Each run boots the tiny kernel with the debug console on a pipe (`-chardev stdio`); every line
is stamped on arrival with the host's monotonic clock (ms since QEMU was spawned). The lines
SeaBIOS prints at its phase boundaries split the run into phases:

- start: QEMU's start-up and, for the chain, qvmloader at its default log level (up to
  SeaBIOS's first line);
- platform: SeaBIOS's own platform init (stock: PCI, SMM, MTRR, ACPI/SMBIOS; coreboot mode:
  reading the coreboot table) up to "Scan for VGA option rom";
- vga scan: up to "SeaBIOS (version" (the second banner, on the console);
- devices: keyboard, AHCI, serial/parallel probes, up to "All threads complete.";
- boot: option ROMs (linuxboot_dma.bin), the e820 map, INT 19h, up to QEMU's exit.

Both images print at SeaBIOS's level 1 here; the debug console costs each the same. Medians of
`runs` interleaved runs. Used by `make bench` (docs/performance.md) and runnable alone:
`/usr/bin/python3 test/bench/seabios_phases.py --runs 5`.
"""
import argparse
import os
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(os.environ.get("QVM_OUT", ROOT / "out"))
QEMU = os.environ.get("QVM_QEMU", "qemu-system-x86_64")
IMAGES = [("seabios", "/usr/share/seabios/bios-256k.bin"),
          ("qvmloader", str(OUT / "qvmloader.bin"))]
MARKS = [("platform", "Scan for VGA option rom"), ("vga scan", "SeaBIOS (version"),
         ("devices", "All threads complete."), ("boot", None)]


def stamped_run(bios, kernel, machine, timeout):
    """Boot once; returns ([(ms, line)], exit status). Lines are stamped as they arrive."""
    cmd = [QEMU, "-machine", machine, "-accel", "tcg", "-m", "512M", "-smp", "1",
           "-display", "none", "-nodefaults", "-no-reboot",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-bios", bios,
           "-kernel", str(kernel), "-chardev", "stdio,id=dbg",
           "-device", "isa-debugcon,chardev=dbg,iobase=0x402"]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    lines, pending = [], b""
    while time.monotonic() - start < timeout:
        data = os.read(proc.stdout.fileno(), 65536)
        if not data:
            break
        now = (time.monotonic() - start) * 1000
        pending += data
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            lines.append((now, line.decode(errors="replace")))
    if proc.poll() is None:
        proc.kill()
    status = proc.wait()
    lines.append(((time.monotonic() - start) * 1000, f"exit {status}"))
    return lines, status


def phases(lines):
    """{phase: ms} from one run's stamped lines, or None if a boundary line is missing.

    SeaBIOS's part starts at its first line: the first of the run for stock SeaBIOS, the one
    after qvmloader's "coreboot: jumping" for the chain. Its console banner ("SeaBIOS
    (version", printed last once the console is up) ends the VGA scan."""
    jump = next((i for i, (_, s) in enumerate(lines) if s.startswith("coreboot: jumping")), -1)
    body = lines[jump + 1:-1]
    if not body:
        return None
    banners = [t for t, s in body if s.startswith("SeaBIOS (version")]
    marks = [("start", body[0][0]),
             ("platform", next((t for t, s in body if s.startswith(MARKS[0][1])), None)),
             ("vga scan", banners[-1] if banners else None),
             ("devices", next((t for t, s in body if s.startswith(MARKS[2][1])), None)),
             ("boot", lines[-1][0])]
    if any(t is None for _, t in marks):
        return None
    out, prev = {}, 0.0
    for name, t in marks:
        out[name] = t - prev
        prev = t
    out["total"] = lines[-1][0]
    return out


def measure(kernel, machine="q35", runs=5, timeout=60):
    """Medians per image and phase: {image: {phase: ms}}; images whose run failed are left out."""
    got = {name: [] for name, _ in IMAGES}
    for r in range(runs):
        order = IMAGES[r % len(IMAGES):] + IMAGES[:r % len(IMAGES)]
        for name, path in order:
            if not Path(path).is_file():
                continue
            lines, status = stamped_run(path, kernel, machine, timeout)
            p = phases(lines)
            if status == 3 and p:
                got[name].append(p)
    return {name: {k: statistics.median(p[k] for p in ps) for k in ps[0]}
            for name, ps in got.items() if ps}


def markdown(result, runs):
    """The phase table as Markdown lines."""
    cols = ["start"] + [name for name, _ in MARKS] + ["total"]
    rows = ["| image | " + " | ".join(f"{c} ms" for c in cols) + " |",
            "|---" * (len(cols) + 1) + "|"]
    for name, med in result.items():
        rows.append(f"| {name} | " + " | ".join(f"{med[c]:.1f}" for c in cols) + " |")
    if "seabios" in result and "qvmloader" in result:
        s, q = result["seabios"], result["qvmloader"]
        after = s["vga scan"] + s["devices"] + s["boot"]
        rows += ["", f"SeaBIOS's work after its platform init (vga scan + devices + boot): "
                 f"stock {after:.1f} ms, as qvmloader's payload "
                 f"{q['vga scan'] + q['devices'] + q['boot']:.1f} ms; stock SeaBIOS from its "
                 f"first line to exit: {s['total'] - s['start']:.1f} ms. {runs} runs each, "
                 "medians, host clock."]
    return rows


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--machine", default="q35")
    p.add_argument("--kernel", default=str(OUT / "bench" / "tiny.bzImage"),
                   help="the benchmark's tiny kernel (built by make bench)")
    args = p.parse_args()
    print("\n".join(markdown(measure(Path(args.kernel), args.machine, args.runs), args.runs)))


if __name__ == "__main__":
    main()
