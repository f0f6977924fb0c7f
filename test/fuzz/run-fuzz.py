#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Run the libFuzzer targets (--jobs at a time) and print one table row per target.

Each target fuzzes a working corpus in out/fuzz/corpus-<name> seeded from
test/fuzz/corpus/<name>, for --time seconds or --runs executions (whichever ends first).
With --merge, inputs that add coverage are merged back into test/fuzz/corpus/<name>
(libFuzzer's -set_cover_merge=1 keeps a near-minimal set of them, so the corpus stays small).
A crash, leak or sanitizer report fails the run and prints the log's tail.
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import time

# Largest input each harness reads (bytes past it are ignored by the harness, so libFuzzer
# is told not to grow inputs beyond it). Each limit is the format's own bound; see the
# harness's header comment.
MAX_LEN = {
    "fuzz_bzimage": 16384,
    "fuzz_cbtable": 1536,
    "fuzz_e820": 480,
    "fuzz_elf": 4096,
    "fuzz_fwcfg_dir": 16452,
    "fuzz_pci_alloc": 512,
    "fuzz_pvh": 8192,
    "fuzz_smbios": 8192,
    "fuzz_smm_store": 44,
    "fuzz_table_loader": 8192,
    "fuzz_uefi_fd": 16384,
}

STATUS = re.compile(r"^#(\d+)\s+\S+\s+cov: (\d+) ft: (\d+)")
STAT = re.compile(r"^stat::(\w+):\s+(\d+)")


def run_target(binary, args):
    """Fuzz one target; returns a dict of figures, or raises SystemExit on a finding."""
    name = os.path.basename(binary)
    short = name[len("fuzz_"):]
    seeds = os.path.join("test/fuzz/corpus", short)
    work = os.path.join(args.out, "corpus-" + name)
    log = os.path.join(args.out, name + ".log")
    os.makedirs(work, exist_ok=True)
    cmd = [binary, "-max_total_time=%d" % args.time, "-print_final_stats=1",
           "-artifact_prefix=%s/%s-" % (args.out, name),
           work]
    if not args.default_max_len:
        cmd.insert(1, "-max_len=%d" % MAX_LEN.get(name, 4096))
    if args.runs:
        cmd.insert(1, "-runs=%d" % args.runs)
    if os.path.isdir(seeds):
        cmd.append(seeds)
    start = time.monotonic()
    with open(log, "w") as f:
        rc = subprocess.call(cmd, stdout=f, stderr=subprocess.STDOUT)
    wall = time.monotonic() - start
    figures = {"name": name, "cov": 0, "ft": 0, "wall": wall}
    with open(log, errors="replace") as f:
        text = f.read()
    for line in text.splitlines():
        m = STATUS.match(line)
        if m:
            figures["cov"], figures["ft"] = int(m.group(2)), int(m.group(3))
        m = STAT.match(line)
        if m:
            figures[m.group(1)] = int(m.group(2))
    if rc != 0:
        print("\n".join(text.splitlines()[-40:]))
        raise SystemExit("fuzz: %s found a problem (exit %d), see %s" % (name, rc, log))
    if args.merge:
        os.makedirs(seeds, exist_ok=True)
        before = len(os.listdir(seeds))
        subprocess.check_call([binary, "-set_cover_merge=1", "-max_len=%d" % MAX_LEN.get(name, 4096),
                               seeds, work], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
        figures["merged"] = len(os.listdir(seeds)) - before
    return figures


def fmt_time(seconds):
    """Seconds as a short human figure."""
    if seconds < 120:
        return "%.0f s" % seconds
    if seconds < 7200:
        return "%.0f min" % (seconds / 60)
    return "%.1f h" % (seconds / 3600)


def print_row(r):
    """One progress line for a finished target."""
    execs = r.get("number_of_executed_units", 0)
    rate = r.get("average_exec_per_sec", 0)
    print("fuzz: %-18s %11d execs %8d exec/s cov %5d ft %6d  %s%s" % (
        r["name"], execs, rate, r["cov"], r["ft"], fmt_time(r["wall"]),
        "  (+%d corpus)" % r["merged"] if "merged" in r else ""), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--time", type=int, default=10, help="seconds per target")
    p.add_argument("--runs", type=int, default=0, help="executions per target (0: no limit)")
    p.add_argument("--merge", action="store_true", help="merge new coverage into the corpus")
    p.add_argument("--out", default="out/fuzz")
    p.add_argument("--jobs", type=int, default=1, help="targets fuzzed at the same time")
    p.add_argument("--default-max-len", action="store_true",
                   help="let libFuzzer pick the input size limit (for comparisons)")
    p.add_argument("targets", nargs="+")
    args = p.parse_args()
    rows = []
    print("fuzz: %d targets, %s" % (len(args.targets),
          "%d runs or %d s each" % (args.runs, args.time) if args.runs
          else "%d s each" % args.time), flush=True)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = pool.map(lambda binary: run_target(binary, args), args.targets)
        for r in results:
            rows.append(r)
            print_row(r)
    print()
    print("| target | executions | exec/s | cov | ft | time | to 10^7 at this rate |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        rate = r.get("average_exec_per_sec", 0)
        print("| %s | %d | %d | %d | %d | %s | %s |" % (
            r["name"], r.get("number_of_executed_units", 0), rate, r["cov"], r["ft"],
            fmt_time(r["wall"]), fmt_time(1e7 / rate) if rate else "-"))
    print()
    print("%d passed, 0 failed" % len(rows))


if __name__ == "__main__":
    sys.exit(main())
