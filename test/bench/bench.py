#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Firmware boot-time benchmark: `make bench` (see docs/performance.md).

Times QEMU from spawn to exit for each firmware booting a tiny bzImage that exits through
isa-debug-exit at its first instruction, and subtracts the same command line with a "floor" ROM
that exits at the reset vector (QEMU's own start-up and exit cost). Firmwares run interleaved,
round by round, so machine drift hits all of them alike; the tables show medians, min and max.
qvmloader also runs once per round with the debug console attached, to parse the per-stage
"timing:" line it logs just before jumping to its payload. Then the same for more vCPUs, more
PCI devices and more RAM. Raw runs go to out/bench/bench-<accel>-<time>.json (and latest.json), the
tables to out/bench/latest.md.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import qemu_cost
import seabios_phases

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(os.environ.get("QVM_OUT", ROOT / "out"))
BENCH = OUT / "bench"
ESP = BENCH / "esp.img"
OSDISK = BENCH / "os.img"
HERE = Path(__file__).resolve().parent
QEMU = os.environ.get("QVM_QEMU", "qemu-system-x86_64")

DEBUG_EXIT = ["-device", "isa-debug-exit,iobase=0xf4,iosize=4"]
DEBUGCON_PORT = "0x402"

# Scaling dimensions; the first value of each is the base configuration.
SCALE = {
    "cpus": [1, 8, 64, 255],
    "pci": [0, 16, 64],
    "mem": ["512M", "16G"],
}
BASE = {dim: values[0] for dim, values in SCALE.items()}

TIMING_RE = re.compile(r"^timing: total (\d+) us:((?: [\w.-]+ \d+)*) \(TSC (\d+) MHz\)", re.M)


class Firmware:
    """One benchmarked image and how its run is judged.

    exit_values: what the tiny kernel may write at the entry this image uses (1 real-mode setup,
    2 32-bit, 3 64-bit entry; 0 for the floor). required: a failure where the floor works makes
    the benchmark fail. optional: left out, with a note, when the image has not been built.
    """

    def __init__(self, name, path, exit_values, how, debugcon=False, required=False,
                 optional=False, esp=False, nvram=None, osdisk=False, scale=True,
                 secure=False):
        self.name = name
        self.path = Path(path)
        self.exit_statuses = tuple((v << 1) | 1 for v in exit_values)
        self.how = how
        self.debugcon = debugcon
        self.required = required
        self.optional = optional
        # Boots \EFI\BOOT\BOOTX64.EFI (tiny-efi.S, exit value 4) from a FAT disk, not -kernel.
        self.esp = esp
        # Split pflash: path is the code (unit 0, read-only), nvram the vars template (unit 1),
        # as libvirt runs OVMF with persistent variables. warm_nvram() boots a copy of the
        # template once (a VM's first boot writes its boot variables); timed runs use that
        # copy through a throw-away snapshot, so each is a VM's second or later boot.
        self.nvram = Path(nvram) if nvram else None
        self.vars = self.nvram
        # Boots from an ext4 virtio disk holding /boot/vmlinuz (the tiny kernel), not -kernel:
        # the LinuxBoot ROM's Linux finds it and kexecs it. kexec-tools takes it as a 32-bit
        # bzImage (exit value 2): its bzImage64 loader also wants XLF_CAN_BE_LOADED_ABOVE_4G.
        self.osdisk = osdisk
        # False: measured in the main comparison only, not at the scaling points.
        self.scale = scale
        # Secure Boot: SMM-only pflash (secure=on), nvram enrolled with the bench key by
        # build_images(), and the ESP's BOOTX64.EFI signed with it (q35 only).
        self.secure = secure


# Run order inside a round (rotated by one each round). To benchmark another image add a line.
FIRMWARES = [
    Firmware("floor", BENCH / "floor.rom", [0], "built from test/bench/floor.S", required=True),
    Firmware("qvmloader", OUT / "qvmloader.bin", [1], "make all", required=True),
    Firmware("qvmloader+log", OUT / "qvmloader.bin", [1], "make all", debugcon=True,
             required=True),
    Firmware("qvmloader-linux", OUT / "qvmloader-linux.bin", [2, 3],
             f"make {OUT.name}/qvmloader-linux.bin", optional=True),
    Firmware("qvmloader-uefi", OUT / "qvmloader-uefi.bin", [4],
             f"make {OUT.name}/qvmloader-uefi.bin", optional=True, esp=True),
    Firmware("qvmloader-linuxboot", OUT / "qvmloader-linuxboot.bin", [2, 3], "make linuxboot",
             optional=True, osdisk=True, scale=False),
    Firmware("seabios", "/usr/share/seabios/bios-256k.bin", [1], "make setup (package seabios)"),
    Firmware("qboot", "/usr/share/qemu/qboot.rom", [1], "make setup (package qemu-system-data)"),
    Firmware("ovmf", "/usr/share/ovmf/OVMF.fd", [2], "make setup (package ovmf)"),
    Firmware("ovmf-esp", "/usr/share/ovmf/OVMF.fd", [4], "make setup (package ovmf)", esp=True),
    Firmware("qvmloader-uefi-vars", OUT / "qvmloader-uefi-code.fd", [4], "make uefi",
             optional=True, esp=True, nvram=OUT / "qvmloader-uefi-vars.fd"),
    Firmware("ovmf-esp-vars", "/usr/share/OVMF/OVMF_CODE_4M.fd", [4], "make setup (package ovmf)",
             esp=True, nvram="/usr/share/OVMF/OVMF_VARS_4M.fd"),
    Firmware("qvmloader-uefi-secure", OUT / "qvmloader-uefi-code.fd", [4], "make uefi",
             optional=True, esp=True, nvram=BENCH / "qvmloader-uefi-secure-enrolled.fd",
             secure=True, scale=False),
    Firmware("ovmf-esp-secure", "/usr/share/OVMF/OVMF_CODE_4M.secboot.fd", [4],
             "make setup (package ovmf)", esp=True, nvram=BENCH / "ovmf-esp-secure-enrolled.fd",
             secure=True, scale=False),
]

# Empty variable stores the secure rows' nvram is enrolled from (build_images()).
SECURE_TEMPLATES = {"qvmloader-uefi-secure": OUT / "qvmloader-uefi-vars.fd",
                    "ovmf-esp-secure": Path("/usr/share/OVMF/OVMF_VARS_4M.fd")}
ESP_SIGNED = BENCH / "esp-signed.img"
ENROLL = HERE.parents[1] / "build" / "uefi-vars-enroll.py"

# The ratios printed after the main table: (numerator, denominator) firmware names.
RATIOS = [("qvmloader", "seabios"), ("qvmloader", "qboot"), ("qvmloader", "ovmf"),
          ("qvmloader-linux", "qboot"), ("qvmloader-uefi", "ovmf-esp"),
          ("qvmloader-uefi-vars", "ovmf-esp-vars"), ("qvmloader-uefi-secure", "ovmf-esp-secure")]


def env_int(name, default):
    """Integer environment variable `name`, or `default` when unset or empty."""
    value = os.environ.get(name, "")
    return int(value) if value else default


def parse_args():
    """Command-line options; each defaults to its QVM_BENCH_* environment variable."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=env_int("QVM_BENCH_N", 10),
                   help="rounds of the main comparison (QVM_BENCH_N, default 10)")
    p.add_argument("--scale-runs", type=int, default=env_int("QVM_BENCH_SCALE_N", 3),
                   help="rounds per scaling point (QVM_BENCH_SCALE_N, default 3)")
    p.add_argument("--scale", default=os.environ.get("QVM_BENCH_SCALE", "cpus,pci,mem"),
                   help="scaling dimensions to run: any of cpus,pci,mem, or none (QVM_BENCH_SCALE)")
    p.add_argument("--only", default=os.environ.get("QVM_BENCH_ONLY", ""),
                   help="comma list of firmwares to run (floor is always run) (QVM_BENCH_ONLY)")
    p.add_argument("--accel", default=os.environ.get("QVM_ACCEL", "tcg"), choices=["tcg", "kvm"],
                   help="accelerator (QVM_ACCEL, default tcg)")
    p.add_argument("--machine", default=os.environ.get("QVM_BENCH_MACHINE", "q35"),
                   choices=["q35", "pc"], help="machine type (QVM_BENCH_MACHINE, default q35)")
    p.add_argument("--defaults", action="store_true",
                   default=os.environ.get("QVM_BENCH_DEFAULTS", "") not in ("", "0"),
                   help="keep QEMU's default devices instead of -nodefaults (QVM_BENCH_DEFAULTS=1)")
    p.add_argument("--breakdown", default=os.environ.get("QVM_BENCH_BREAKDOWN", "1") != "0",
                   action=argparse.BooleanOptionalAction,
                   help="per-stage QEMU-cost breakdown of the loader (test/bench/qemu_cost.py) at "
                        "1 and 255 vCPUs and 64 PCI devices (QVM_BENCH_BREAKDOWN=0 to skip)")
    p.add_argument("--timeout", type=float, default=env_int("QVM_BENCH_TIMEOUT", 60),
                   help="seconds before a run counts as failed (QVM_BENCH_TIMEOUT, default 60)")
    args = p.parse_args()
    if args.runs < 1 or args.scale_runs < 1:
        p.error("--runs and --scale-runs must be at least 1")
    dims = [d for d in args.scale.split(",") if d and d != "none"]
    for d in dims:
        if d not in SCALE:
            p.error(f"--scale: unknown dimension {d!r}; expected cpus, pci, mem or none")
    args.scale_dims = dims
    names = {f.name for f in FIRMWARES}
    only = [n for n in args.only.split(",") if n]
    for n in only:
        if n not in names:
            p.error(f"--only: unknown firmware {n!r}; expected some of {', '.join(sorted(names))}")
    args.firmwares = [f for f in FIRMWARES if not only or f.name in only or f.name == "floor"]
    return args


def assemble(src, dst, size):
    """Assemble test/bench/<src> into a flat binary `dst` and check that it is `size` bytes."""
    obj = dst.with_suffix(".o")
    for cmd in (["as", "--32", "-I", str(HERE.parent), "-o", str(obj), str(HERE / src)],
                ["ld", "-m", "elf_i386", "-Ttext", "0", "--oformat", "binary", "-e", "0",
                 "-o", str(dst), str(obj)]):
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode:
            sys.exit(f"bench: '{' '.join(cmd)}' failed:\n{r.stderr}")
    data = dst.read_bytes()
    if len(data) != size:
        sys.exit(f"bench: {dst} is {len(data)} bytes, expected {size}; check {src}")
    return data


def build_images():
    """Assemble the tiny kernel and the floor ROM into out/bench/ and sanity-check them."""
    BENCH.mkdir(parents=True, exist_ok=True)
    kernel = assemble("tiny.S", BENCH / "tiny.bzImage", 8192)
    if kernel[0x1fe:0x200] != b"\x55\xaa" or kernel[0x202:0x206] != b"HdrS":
        sys.exit("bench: tiny.bzImage lacks the boot signature or the HdrS header")
    floor = assemble("floor.S", BENCH / "floor.rom", 65536)
    if floor[0xfff0:0xfff4] != b"\xb0\x00\xe6\xf4":
        sys.exit("bench: floor.rom has no 'mov al,0; out 0xf4,al' at the reset vector")
    app = assemble("tiny-efi.S", BENCH / "BOOTX64.EFI", 1024)
    if app[:2] != b"MZ" or app[0x40:0x44] != b"PE\0\0" or app[0x200:0x204] != b"\xb0\x04\xe6\xf4":
        sys.exit("bench: BOOTX64.EFI lacks its PE headers or 'mov al,4; out 0xf4,al' entry")
    ESP.unlink(missing_ok=True)
    for cmd in (["mkfs.fat", "-C", "-n", "QVMESP", str(ESP), "2048"],
                ["mmd", "-i", str(ESP), "::/EFI", "::/EFI/BOOT"],
                ["mcopy", "-i", str(ESP), str(BENCH / "BOOTX64.EFI"), "::/EFI/BOOT/BOOTX64.EFI"]):
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode:
            sys.exit(f"bench: '{' '.join(cmd)}' failed (mtools, dosfstools: make setup):\n{r.stderr}")
    build_secure_images()
    tree = BENCH / "os-tree"
    (tree / "boot").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(BENCH / "tiny.bzImage", tree / "boot" / "vmlinuz")
    OSDISK.unlink(missing_ok=True)
    r = subprocess.run(["mkfs.ext4", "-q", "-F", "-L", "QVMOS", "-d", str(tree), str(OSDISK), "8M"],
                       capture_output=True, text=True)
    if r.returncode:
        sys.exit(f"bench: mkfs.ext4 of {OSDISK} failed (e2fsprogs):\n{r.stderr}")
    return BENCH / "tiny.bzImage"


def build_secure_images():
    """A bench key; BOOTX64.EFI signed with it on its own ESP; each secure row's nvram: its
    empty template with the key enrolled as PK, KEK and db."""
    key, cert, der = BENCH / "sb-key.pem", BENCH / "sb-cert.pem", BENCH / "sb-cert.der"
    signed = BENCH / "BOOTX64-signed.EFI"
    cmds = [["openssl", "req", "-new", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj",
             "/CN=qvmloader bench key/", "-days", "3650", "-keyout", str(key), "-out", str(cert)],
            ["openssl", "x509", "-in", str(cert), "-outform", "DER", "-out", str(der)],
            ["sbsign", "--key", str(key), "--cert", str(cert), "--output", str(signed),
             str(BENCH / "BOOTX64.EFI")],
            ["mkfs.fat", "-C", "-n", "QVMESP", str(ESP_SIGNED), "2048"],
            ["mmd", "-i", str(ESP_SIGNED), "::/EFI", "::/EFI/BOOT"],
            ["mcopy", "-i", str(ESP_SIGNED), str(signed), "::/EFI/BOOT/BOOTX64.EFI"]]
    ESP_SIGNED.unlink(missing_ok=True)
    for name, template in SECURE_TEMPLATES.items():
        if template.is_file():
            cmds.append([sys.executable, str(ENROLL), "--template", str(template), "--pk",
                         str(der), "--out", str(BENCH / f"{name}-enrolled.fd")])
    for cmd in cmds:
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode:
            sys.exit(f"bench: '{' '.join(cmd)}' failed (openssl, sbsigntool: make setup):\n"
                     f"{r.stderr}")


def pci_args(machine, count):
    """QEMU options for `count` virtio-rng devices, half behind root ports, half behind bridges.

    On pc (no PCIe) all sit behind PCI bridges. The devices are modern-only virtio (memory BARs,
    no I/O BAR, no option ROM) and the root ports reserve no I/O for hot-plug, so 64 of them fit
    the 64 KiB I/O space every firmware has to work with.
    """
    args = []
    on_ports = (count + 1) // 2 if machine == "q35" else 0
    for i in range(on_ports):
        slot, fn = 0x08 + i // 8, i % 8
        args += ["-device", f"pcie-root-port,id=rp{i},bus=pcie.0,chassis={i + 1},"
                 f"addr={slot:#x}.{fn},io-reserve=0" + (",multifunction=on" if fn == 0 else ""),
                 "-device", f"virtio-rng-pci,bus=rp{i},disable-legacy=on"]
    behind = count - on_ports
    root_bus = "pcie.0" if machine == "q35" else "pci.0"
    for b in range((behind + 15) // 16):
        args += ["-device", f"pci-bridge,id=br{b},bus={root_bus},chassis_nr={100 + b},"
                 f"addr={0x18 + b:#x},shpc=off"]
    for j in range(behind):
        args += ["-device",
                 f"virtio-rng-pci,bus=br{j // 16},addr={1 + j % 16:#x},disable-legacy=on"]
    return args


def point_name(point):
    """Short label of a configuration, e.g. 'cpus=1 pci=0 mem=512M'."""
    return " ".join(f"{k}={point[k]}" for k in SCALE)


def qemu_cmd(args, fw, point, kernel, debug_log):
    """The QEMU command line for one run of `fw` at configuration `point`."""
    cmd = [QEMU, "-machine", args.machine, "-accel", args.accel, "-m", point["mem"],
           "-smp", str(point["cpus"]), "-display", "none"]
    if not args.defaults:
        cmd.append("-nodefaults")
    cmd += DEBUG_EXIT + ["-no-reboot"]
    if fw.secure:
        cmd += ["-global", "driver=cfi.pflash01,property=secure,value=on"]
    if fw.nvram:
        cmd += ["-drive", f"if=pflash,unit=0,format=raw,readonly=on,file={fw.path}",
                "-drive", f"if=pflash,unit=1,format=raw,snapshot=on,file={fw.vars}"]
    else:
        cmd += ["-bios", str(fw.path)]
    if fw.esp:
        cmd += ["-drive", f"file={ESP_SIGNED if fw.secure else ESP},format=raw,if=none,id=esp,"
                "snapshot=on",
                "-device", "ide-hd,drive=esp,bus=ide.0"]
    elif fw.osdisk:
        cmd += ["-drive", f"file={OSDISK},format=raw,if=virtio,snapshot=on"]
    else:
        cmd += ["-kernel", str(kernel)]
    cmd += pci_args(args.machine, point["pci"])
    if fw.debugcon:
        cmd += ["-debugcon", f"file:{debug_log}", "-global", f"isa-debugcon.iobase={DEBUGCON_PORT}"]
    return cmd


def parse_timing(text):
    """qvmloader's timing line as {'total': us, <stage>: us, ..., 'tsc_mhz': n}, or None."""
    m = TIMING_RE.search(text)
    if not m:
        return None
    stages = {"total": int(m.group(1))}
    words = m.group(2).split()
    for name, value in zip(words[::2], words[1::2]):
        stages[name] = int(value)
    stages["tsc_mhz"] = int(m.group(3))
    return stages


def timed_run(cmd, timeout):
    """Run cmd; return (wall ms, CPU ms of the process, exit status or None on timeout, stderr).

    Wall time runs from just before the spawn to the reaping of the process; CPU time is its
    user + system time (all QEMU threads) from wait4().
    """
    timed_out = threading.Event()
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=err)

        def kill():
            timed_out.set()
            proc.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, wstatus, usage = os.wait4(proc.pid, 0)
        wall_ms = (time.perf_counter() - start) * 1000.0
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(wstatus)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    status = None if timed_out.is_set() else proc.returncode
    return wall_ms, (usage.ru_utime + usage.ru_stime) * 1000.0, status, stderr


def run_once(args, fw, point, kernel):
    """Run QEMU once; return the run record (wall_ms, exit status, ok, stages, reason)."""
    debug_log = BENCH / "logs" / f"{point_name(point).replace(' ', '_')}.{fw.name}.log"
    debug_log.parent.mkdir(parents=True, exist_ok=True)
    if fw.debugcon:
        debug_log.unlink(missing_ok=True)
    cmd = qemu_cmd(args, fw, point, kernel, debug_log)
    wall_ms, cpu_ms, status, stderr = timed_run(cmd, args.timeout)
    rec = {"firmware": fw.name, "point": dict(point), "wall_ms": round(wall_ms, 3),
           "cpu_ms": round(cpu_ms, 3), "exit_status": status,
           "ok": status in fw.exit_statuses, "stages": None, "reason": ""}
    if status is None:
        rec["reason"] = f"no exit within {args.timeout:g} s"
    elif not rec["ok"]:
        expected = " or ".join(str(e) for e in fw.exit_statuses)
        rec["reason"] = (f"exit status {status}, expected {expected}: "
                         + (stderr.strip().splitlines() or ["(no stderr)"])[-1][:200])
    if fw.debugcon and rec["ok"]:
        text = debug_log.read_text(errors="replace") if debug_log.exists() else ""
        rec["stages"] = parse_timing(text)
        if rec["stages"] is None:
            rec["reason"] = f"no 'timing:' line in {debug_log}"
    if not rec["ok"]:
        rec["cmd"] = cmd
        rec["stderr"] = stderr[-2000:]
    return rec


def measure(args, firmwares, point, rounds, kernel, runs, skip):
    """Run `rounds` interleaved rounds of `firmwares` at `point`, appending records to `runs`.

    Within a round every firmware runs once; the order rotates by one each round. A firmware
    that fails is not run again at this point (nor, at the base point, in the scaling runs:
    its name is added to `skip`).
    """
    failed = set()
    label = point_name(point)
    for r in range(rounds):
        order = firmwares[r % len(firmwares):] + firmwares[:r % len(firmwares)]
        for fw in order:
            if fw.name in failed or fw.name in skip:
                continue
            rec = run_once(args, fw, point, kernel)
            rec["round"] = r
            runs.append(rec)
            if not rec["ok"]:
                failed.add(fw.name)
                print(f"  {label}: {fw.name} FAILED ({rec['reason']}); not run again here",
                      flush=True)
        print(f"  {label}: round {r + 1}/{rounds} done", flush=True)
    return failed


def summarize(runs, firmwares, point):
    """Per firmware at `point`: run counts and, for wall and CPU ms, median/min/max and net.

    net is the firmware's median minus the floor's median at the same point. A firmware with a
    failed run gets no statistics (it was not run again after the failure).
    """
    out = {}
    for fw in firmwares:
        recs = [x for x in runs if x["firmware"] == fw.name and x["point"] == point]
        ok = [x for x in recs if x["ok"]]
        s = {"ok": len(ok), "total": len(recs), "failed": len(ok) < len(recs),
             "skipped": not recs, "reason": next((x["reason"] for x in recs if not x["ok"]), "")}
        for kind in ("wall", "cpu"):
            values = [x[kind + "_ms"] for x in ok]
            if values and not s["failed"]:
                s[kind] = {"median": statistics.median(values), "min": min(values),
                           "max": max(values)}
        out[fw.name] = s
    floor = out.get("floor", {})
    for s in out.values():
        for kind in ("wall", "cpu"):
            if kind in s and kind in floor:
                s[kind]["net"] = s[kind]["median"] - floor[kind]["median"]
    return out


def net(summary, name, kind="wall"):
    """Net (median − floor) ms of firmware `name`, or None when not measured."""
    return summary.get(name, {}).get(kind, {}).get("net")


def stage_medians(runs, point):
    """Median of each qvmloader timing stage over the qvmloader+log runs at `point`."""
    samples = [x["stages"] for x in runs
               if x["firmware"] == "qvmloader+log" and x["point"] == point and x["stages"]]
    if not samples:
        return None
    names = [n for n in samples[0] if n != "tsc_mhz"]
    return {n: statistics.median(s.get(n, 0) for s in samples) for n in names} | {"n": len(samples)}


def fmt_ms(value):
    """Milliseconds with one decimal, or a dash."""
    return "–" if value is None else f"{value:,.1f}"


def table(header, rows):
    """A Markdown table as a string."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def main_table(summary, firmwares):
    """The main comparison table: wall time statistics, firmware time, CPU time."""
    rows = []
    for fw in firmwares:
        s = summary[fw.name]
        if s["failed"] or s["skipped"]:
            why = "failed: " + s["reason"] if s["failed"] else "not run"
            rows.append([fw.name, f"{s['ok']}/{s['total']}", why] + [""] * 5)
            continue
        w, c = s["wall"], s["cpu"]
        floor = fw.name == "floor"
        rows.append([fw.name, f"{s['ok']}/{s['total']}", fmt_ms(w["median"]), fmt_ms(w["min"]),
                     fmt_ms(w["max"]), "–" if floor else f"**{fmt_ms(w['net'])}**",
                     fmt_ms(c["median"]), "–" if floor else fmt_ms(c["net"])])
    return table(["firmware", "ok runs", "median ms", "min ms", "max ms",
                  "firmware ms (median − floor)", "CPU ms (median)", "firmware CPU ms"], rows)


def ratio(a, b):
    """a / b with two decimals, or n/a when either is missing or b is not positive."""
    if a is None or b is None:
        return "n/a"
    return f"{a / b:.2f}" if b > 0 else "n/a (≤ 0 ms below)"


def ratio_lines(summary):
    """The qvmloader/X ratios of firmware time (net of the floor), wall and CPU."""
    lines = []
    for a, b in RATIOS:
        if a not in summary and b not in summary:
            continue
        wa, wb = net(summary, a), net(summary, b)
        ca, cb = net(summary, a, "cpu"), net(summary, b, "cpu")
        if wa is None or wb is None:
            missing = b if wb is None else a
            lines.append(f"- {a}/{b}: n/a ({missing} not measured)")
            continue
        lines.append(f"- {a}/{b}: firmware time **{ratio(wa, wb)}** ({fmt_ms(wa)} / {fmt_ms(wb)}"
                     f" ms); firmware CPU time {ratio(ca, cb)} ({fmt_ms(ca)} / {fmt_ms(cb)} ms)")
    logged, plain = summary.get("qvmloader+log", {}), summary.get("qvmloader", {})
    if "wall" in logged and "wall" in plain:
        lines.append("- debug console attached (qvmloader+log − qvmloader): "
                     f"{logged['wall']['median'] - plain['wall']['median']:+.1f} ms wall, "
                     f"{logged['cpu']['median'] - plain['cpu']['median']:+.1f} ms CPU")
    return "\n".join(lines)


def stage_table(rows_by_label):
    """qvmloader's own stages (TSC) per configuration: label -> stage medians."""
    names = []
    for st in rows_by_label.values():
        for n in st or {}:
            if n not in names and n not in ("total", "n"):
                names.append(n)
    rows = []
    for label, st in rows_by_label.items():
        if not st:
            rows.append([label, "no timing line"] + [""] * (len(names) + 1))
            continue
        rows.append([label, st["n"]] + [f"{st.get(n, 0) / 1000:.1f}" for n in names]
                    + [f"**{st['total'] / 1000:.1f}**"])
    return table(["configuration", "runs"] + [f"{n} ms" for n in names] + ["total ms"], rows)


def scaling_table(dim, points, summaries, stages, firmwares):
    """Firmware time (wall, CPU) per firmware and qvmloader's own time per value of `dim`."""
    names = [f.name for f in firmwares if f.name != "floor"]
    base_own = stages[0]["total"] if stages[0] else None
    rows = []
    for point, summ, st in zip(points, summaries, stages):
        floor = summ["floor"].get("wall", {}).get("median")
        row = [f"{dim}={point[dim]}", fmt_ms(floor)]
        for n in names:
            s = summ.get(n, {})
            if s.get("failed") or s.get("skipped"):
                row.append("failed" if s.get("failed") else "not run")
            else:
                row.append(f"{fmt_ms(net(summ, n))} / {fmt_ms(net(summ, n, 'cpu'))}")
        row.append(f"{st['total'] / 1000:.1f}" if st else "–")
        row.append(f"×{st['total'] / base_own:.1f}" if st and base_own else "–")
        rows.append(row)
    return table([dim, "floor ms"] + [f"{n} ms" for n in names]
                 + ["qvmloader own (TSC) ms", "own vs base"], rows)


def loader_size():
    """Bytes of the loader proper, as build/mkrom.py --size-report counts them, or None."""
    elf = OUT / "rom" / "qvmloader.elf"
    r = subprocess.run([sys.executable, str(ROOT / "build/mkrom.py"), "--size-report", str(elf)],
                       capture_output=True, text=True)
    m = re.search(r"loader proper (\d+) bytes", r.stdout)
    return int(m.group(1)) if m else None


def goal_rows(base_summary, scaling):
    """The issue-15 goals, each with this run's figure: (row, figure, goal, met).

    Firmware times are given as wall / CPU (each median − floor); a goal counts as met only
    when both meet it, so that a noisy wall median on a busy host cannot meet it alone.
    """
    rows = []

    def both(name, summ=base_summary):
        return net(summ, name), net(summ, name, "cpu")

    q, sb = both("qvmloader"), both("seabios")
    if None not in q + sb and min(sb) > 0:
        r = (q[0] / sb[0], q[1] / sb[1])
        rows.append(("qvmloader → SeaBIOS → kernel vs stock SeaBIOS",
                     f"{r[0]:.2f} / {r[1]:.2f} ({fmt_ms(q[0])} / {fmt_ms(q[1])} ms vs "
                     f"{fmt_ms(sb[0])} / {fmt_ms(sb[1])} ms)", "≤ 0.6 ×", max(r) <= 0.6))
    d = both("qvmloader-linux")
    if None not in d:
        rows.append(("qvmloader direct Linux", f"{fmt_ms(d[0])} / {fmt_ms(d[1])} ms", "≤ 3 ms",
                     max(d) <= 3))
    if "cpus" in scaling:
        points, _, stages = scaling["cpus"]
        own = {p["cpus"]: st["total"] / 1000 for p, st in zip(points, stages) if st}
        if 1 in own and max(own) > 1:
            top = max(own)
            rows.append((f"loader's own stages (TSC) at {top} vCPUs",
                         f"{own[top]:,.1f} ms = {own[top] / own[1]:.1f} × {own[1]:.1f} ms "
                         "(1 vCPU)", "≤ 3 ×", own[top] / own[1] <= 3))
    if "pci" in scaling:
        points, summaries, _ = scaling["pci"]
        p, summ = points[-1], summaries[-1]
        qp, sp = both("qvmloader", summ), both("seabios", summ)
        if None not in qp + sp:
            rows.append((f"firmware time with {p['pci']} PCI devices",
                         f"{fmt_ms(qp[0])} / {fmt_ms(qp[1])} ms (stock SeaBIOS {fmt_ms(sp[0])} "
                         f"/ {fmt_ms(sp[1])} ms)", "below stock SeaBIOS",
                         qp[0] < sp[0] and qp[1] < sp[1]))
    size = loader_size()
    if size:
        rows.append(("loader proper", f"{size / 1024:.1f} KiB", "≤ 64 KiB", size <= 65536))
    return rows


def goals_table(rows):
    """The goal rows as a Markdown table."""
    return table(["row", "this run", "goal", "met"],
                 [[r, f, g, "yes" if ok else "**no**"] for r, f, g, ok in rows])


def breakdown(args, kernel):
    """Per-stage QEMU-cost tables (qemu_cost.py) of the direct-Linux loader at three points."""
    rom = OUT / "qvmloader-linux.bin"
    if not rom.is_file():
        return [f"(breakdown left out: {rom} not built)"]
    md = []
    for title, smp, extra in (("1 vCPU, no extra devices", 1, []),
                              ("255 vCPUs, no extra devices", 255, []),
                              ("1 vCPU, 64 PCI devices", 1, pci_args(args.machine, 64))):
        print(f"breakdown: {title}", flush=True)
        try:
            t = qemu_cost.profile(rom, kernel, args.machine, smp, extra,
                                      runs=args.scale_runs, timeout=max(args.timeout, 300))
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            md += [f"#### {title}", "", f"failed: {str(e)[:300]}", ""]
            continue
        md.append(qemu_cost.markdown(t, f"{args.machine}, {title}"))
    return md


def qemu_version():
    """First line of `qemu-system-x86_64 --version`."""
    r = subprocess.run([QEMU, "--version"], capture_output=True, text=True)
    return r.stdout.splitlines()[0] if r.returncode == 0 and r.stdout else "unknown"


def host_info():
    """CPU model, CPU count and kernel of the host, for the record."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": model, "ncpus": os.cpu_count(), "kernel": platform.release(),
            "loadavg_start": os.getloadavg()[0]}


def check_prerequisites(args):
    """Exit with what to run when QEMU, KVM or a firmware image is missing."""
    if not shutil.which(QEMU):
        sys.exit(f"bench: {QEMU} not found; run 'make setup'")
    if args.accel == "kvm" and not os.access("/dev/kvm", os.R_OK | os.W_OK):
        sys.exit("bench: QVM_ACCEL=kvm but /dev/kvm is missing or not accessible")
    for fw in list(args.firmwares):
        if fw.secure and not ("q35" in args.machine and fw.nvram.is_file()):
            print(f"bench: {fw.name} left out: Secure Boot rows need q35 and an enrolled "
                  f"{fw.nvram.name}", flush=True)
            args.firmwares.remove(fw)
            continue
        if fw.path.is_file():
            continue
        if not fw.optional:
            sys.exit(f"bench: {fw.name}: {fw.path} is missing; {fw.how}")
        print(f"bench: {fw.name} left out: {fw.path} not built ({fw.how})", flush=True)
        args.firmwares.remove(fw)


def warm_nvram(args, kernel):
    """Give each split-pflash firmware a vars file that has been through one boot."""
    for fw in args.firmwares:
        if not fw.nvram:
            continue
        warm = BENCH / f"{fw.name}-VARS.fd"
        shutil.copyfile(fw.nvram, warm)
        fw.vars = warm
        cmd = [a.replace("snapshot=on,", "") for a in qemu_cmd(args, fw, BASE, kernel, None)]
        wall, _, status, err = timed_run(cmd, args.timeout)
        if status not in fw.exit_statuses:
            sys.exit(f"bench: {fw.name}: the first boot on a fresh vars file failed "
                     f"(status {status}): {err[-500:]}")
        print(f"bench: {fw.name}: first boot on a fresh {fw.nvram.name}: {wall:,.0f} ms "
              "(not in the tables)", flush=True)


def main():
    """Run the benchmark, print the tables, write the JSON and Markdown results."""
    args = parse_args()
    kernel = build_images()
    check_prerequisites(args)
    warm_nvram(args, kernel)
    meta = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "qemu": qemu_version(), "accel": args.accel, "machine": args.machine,
            "nodefaults": not args.defaults, "runs": args.runs, "scale_runs": args.scale_runs,
            "firmwares": {f.name: str(f.path) for f in args.firmwares}, "host": host_info(),
            "example_cmd": qemu_cmd(args, args.firmwares[-1], BASE, kernel, "debug.log")}
    print(f"bench: {meta['qemu']}, accel {args.accel}, machine {args.machine}"
          f"{'' if args.defaults else ' -nodefaults'}, {args.runs} rounds"
          f" (scaling {','.join(args.scale_dims) or 'none'}: {args.scale_runs} rounds)", flush=True)
    ld = meta["host"]["loadavg_start"]
    if ld > 0.5 * (os.cpu_count() or 1):
        print(f"bench: note: host load average {ld:.1f} on {os.cpu_count()} CPUs; expect noise",
              flush=True)

    runs = []
    t0 = time.monotonic()
    print(f"main comparison at {point_name(BASE)}:", flush=True)
    skip = measure(args, args.firmwares, BASE, args.runs, kernel, runs, set())
    base_summary = summarize(runs, args.firmwares, BASE)
    base_stages = stage_medians(runs, BASE)

    scaling = {}
    for dim in args.scale_dims:
        points = [BASE] + [BASE | {dim: v} for v in SCALE[dim][1:]]
        summaries, stages = [base_summary], [base_stages]
        for point in points[1:]:
            print(f"scaling {point_name(point)}:", flush=True)
            measure(args, args.firmwares, point, args.scale_runs, kernel, runs,
                    skip | {f.name for f in args.firmwares if not f.scale})
            summaries.append(summarize(runs, args.firmwares, point))
            stages.append(stage_medians(runs, point))
        scaling[dim] = (points, summaries, stages)
    meta["elapsed_s"] = round(time.monotonic() - t0, 1)
    meta["host"]["loadavg_end"] = os.getloadavg()[0]

    md = [f"Date {meta['date']}, {meta['qemu']}, accel {args.accel}, machine {args.machine}"
          f"{'' if args.defaults else ' -nodefaults'}, host {meta['host']['cpu']} × "
          f"{meta['host']['ncpus']} (load average {ld:.1f} at start, "
          f"{meta['host']['loadavg_end']:.1f} at end), {meta['elapsed_s']:.0f} s in all.", "",
          f"### Boot to kernel entry, {point_name(BASE)}, {args.runs} interleaved rounds", "",
          main_table(base_summary, args.firmwares), "", "Ratios (qvmloader / other):", "",
          ratio_lines(base_summary), ""]
    stage_rows = {point_name(BASE): base_stages}
    for dim, (points, summaries, stages) in scaling.items():
        md += [f"### Scaling: {dim} (firmware ms, wall / CPU, each median − floor median; base "
               f"row from the main run, others {args.scale_runs} rounds)", "",
               scaling_table(dim, points, summaries, stages, args.firmwares), ""]
        for point, st in zip(points[1:], stages[1:]):
            stage_rows[point_name(point)] = st
    if any(f.name == "qvmloader+log" for f in args.firmwares):
        md += ["### qvmloader's own time to hand-off (TSC timestamps from its log, medians)", "",
               stage_table(stage_rows), ""]
    md += ["### Goals of issue 15 (figures of this run)", "",
           goals_table(goal_rows(base_summary, scaling)), ""]
    if args.breakdown and args.accel == "tcg":
        md += ["### Where the loader's time goes: per stage, from QEMU's side "
               "(test/bench/qemu_cost.py; direct-Linux ROM)", "",
               "Instructions: `-icount shift=0` (all vCPUs, spin-waits included); commits, SMIs, "
               "IPIs, config writes: QEMU trace events; time: median of plain runs.", ""]
        md += breakdown(args, kernel)
        print("breakdown: SeaBIOS phases", flush=True)
        md += ["### Where SeaBIOS's time goes, stock and as qvmloader's payload "
               "(test/bench/seabios_phases.py; its log, stamped on arrival)", "",
               *seabios_phases.markdown(seabios_phases.measure(kernel, args.machine,
                                                               args.scale_runs + 2),
                                        args.scale_runs + 2), ""]
    text = "\n".join(md)
    print()
    print(text)

    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    result = {"meta": meta, "runs": runs}
    path = BENCH / f"bench-{args.accel}-{stamp}.json"
    path.write_text(json.dumps(result, indent=1) + "\n")
    shutil.copyfile(path, BENCH / "latest.json")
    (BENCH / "latest.md").write_text(text + "\n")
    print(f"raw runs: {path} (also latest.json); tables: {BENCH / 'latest.md'}")

    # Our own images must work wherever QEMU itself (the floor) does.
    bad = sorted({(x["firmware"], point_name(x["point"])) for x in runs
                  if not x["ok"] and next(f for f in FIRMWARES if f.name == x["firmware"]).required
                  and any(y["ok"] for y in runs
                          if y["firmware"] == "floor" and y["point"] == x["point"])})
    for name, label in bad:
        print(f"bench: error: {name} failed at {label}", file=sys.stderr)
    return 1 if bad or base_summary["floor"]["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
