#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""make matrix: boot every configuration of test/matrix/matrix.py with qvmloader and with the
stock firmware, compare what the guest saw, and print the table.

Results go to out/matrix/results.json (one entry per configuration, kept across runs so a
partial run can be resumed with --only or --missing) and the table to out/matrix/table.md,
the form docs/compatibility.md embeds. Exit status 1 when qvmloader does worse than the
reference in a configuration that has no stated reason (matrix.EXPECTED).
"""
import argparse
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import matrix  # noqa: E402

RESULTS = matrix.MATRIX_OUT / "results.json"
RESULTS_GLOB = "results*.json"  # results.json and those of runs given --results


def run_config(cfg):
    """Both runs of cfg; returns the result record."""
    rec = {"name": cfg.name, "payload": cfg.payload, "what": cfg.what, "time": time.time(),
           "cmd": f"-M {cfg.machine} -smp {cfg.smp} -m {cfg.mem} " + " ".join(
               a.replace(matrix.DISK, "disk.img") for a in cfg.extra)}
    for side in ("qvmloader", "reference"):
        v, r = matrix.run_one(cfg, side, matrix.MATRIX_OUT / "logs" / cfg.name / side)
        rec[side] = asdict(v)
        rec[side + "_cmd"] = " ".join(r.cmd)
    q, ref = (matrix.Verdict(**rec[s]) for s in ("qvmloader", "reference"))
    rec["diff"] = matrix.compare(q, ref)
    rec["worse"] = worse(q, ref)
    return rec


def worse(q, ref):
    """True if qvmloader's verdict is worse than the reference's on a judged point."""
    if ref.boots and not q.boots:
        return True
    if not q.boots:
        return False
    if set(ref.pci) - set(q.pci) or (ref.irq_serial and not q.irq_serial):
        return True
    if ref.irq_disk == "ok" and q.irq_disk != "ok" or (ref.disk_seen and not q.disk_seen):
        return True
    return len(matrix.judged(q.warnings)) > len(matrix.judged(ref.warnings))


def reread(verdict, cfg):
    """The verdict judged again from the run's logs, when they are still there."""
    rundir = Path(verdict["logs"])
    if cfg is None or not (rundir / "result.txt").exists():
        return verdict
    status = dict(l.split("=", 1) for l in (rundir / "result.txt").read_text().split())
    r = matrix.qemu.QemuResult([], rundir, matrix.qemu._read_text(rundir / "serial.log"),
                               matrix.qemu._read_text(rundir / "debug.log"), None,
                               status.get("timed_out") == "True", verdict["elapsed"], "")
    return asdict(matrix.judge(r, cfg))


def salvage(records):
    """Add records for configurations whose two runs left complete logs but no record (a
    runner stopped before writing it)."""
    for cfg in matrix.CONFIGS:
        if cfg.name in records:
            continue
        logs = {s: matrix.MATRIX_OUT / "logs" / cfg.name / s / "run-1"
                for s in ("qvmloader", "reference")}
        if all((d / "result.txt").exists() for d in logs.values()):
            rec = {"name": cfg.name, "payload": cfg.payload, "what": cfg.what, "time": 0}
            for side, d in logs.items():
                status = dict(l.split("=", 1) for l in (d / "result.txt").read_text().split())
                rec[side] = reread({"logs": str(d), "elapsed": float(status["elapsed"])}, cfg)
            records[cfg.name] = rec
    return records


def rejudge(records):
    """Judge every record again from its logs (the judging may have grown since the record
    was made) and recompute the differences."""
    for rec in records.values():
        for side in ("qvmloader", "reference"):
            rec[side] = reread(rec[side], matrix.BY_NAME.get(rec["name"]))
        q, ref = (matrix.Verdict(**rec[s]) for s in ("qvmloader", "reference"))
        rec["diff"], rec["worse"] = matrix.compare(q, ref), worse(q, ref)
    return records


def cell(v):
    """Table cell for one verdict dict."""
    return matrix.Verdict(**v).short()


def table(records, configs):
    """The Markdown table of every configuration that has a record."""
    lines = ["| configuration | what | payload | qvmloader | reference | difference |",
             "| --- | --- | --- | --- | --- | --- |"]
    for cfg in configs:
        rec = records.get(cfg.name)
        if not rec:
            continue
        ref_name = cfg.firmwares()[1]
        diff = "; ".join(rec["diff"]) if rec["diff"] else "same"
        diff = diff.replace("|", "\\|")
        lines.append(f"| `{cfg.name}` | {cfg.what} | {cfg.payload} | "
                     f"{cell(rec['qvmloader'])} | {ref_name}: {cell(rec['reference'])} | "
                     f"{'**worse** ' if rec['worse'] else ''}{diff} |")
    return "\n".join(lines) + "\n"


def totals(records):
    """Summary counts over the records."""
    n = len(records)
    qb = sum(r["qvmloader"]["boots"] for r in records.values())
    rb = sum(r["reference"]["boots"] for r in records.values())
    same = sum(not r["diff"] for r in records.values())
    worse_n = sum(r["worse"] for r in records.values())
    return (f"{n} configurations: qvmloader boots {qb}, reference boots {rb}; "
            f"{same} identical on every judged point, {n - same} differ, "
            f"{worse_n} worse with qvmloader")


DOC = Path(__file__).resolve().parents[2] / "docs" / "compatibility.md"
BEGIN, END = "<!-- matrix-table-begin -->", "<!-- matrix-table-end -->"


def write_doc(records):
    """Replace the table between the markers in docs/compatibility.md."""
    text = DOC.read_text()
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    not_run = [c.name for c in matrix.CONFIGS if c.name not in records]
    body = (f"\n{totals(records)}.\n\n{table(records, matrix.CONFIGS)}\n"
            + (f"Not run yet ({len(not_run)}): " + ", ".join(f"`{n}`" for n in not_run) + ".\n"
               if not_run else ""))
    DOC.write_text(head + BEGIN + body + END + tail)
    print(f"matrix: table of {len(records)} configurations written to {DOC}")


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("-j", "--jobs", type=int, default=2, help="configurations run at once")
    p.add_argument("--only", nargs="*", help="names of configurations to run")
    p.add_argument("--missing", action="store_true", help="run only those without a result")
    p.add_argument("--list", action="store_true", help="list the configurations")
    p.add_argument("--results", type=Path, default=RESULTS,
                   help="results file of this run (another runner may share out/matrix)")
    p.add_argument("--reverse", action="store_true", help="run the selection last first")
    p.add_argument("--doc", action="store_true",
                   help="only rewrite the table in docs/compatibility.md from the results")
    args = p.parse_args()
    if args.list:
        for c in matrix.CONFIGS:
            print(f"{c.name:28} {c.payload:8} {c.what}")
        print(f"{len(matrix.CONFIGS)} configurations")
        return 0
    records = {}
    for f in matrix.MATRIX_OUT.glob(RESULTS_GLOB):
        for name, rec in json.loads(f.read_text()).items():
            if rec.get("time", 0) >= records.get(name, {}).get("time", 0):
                records[name] = rec
    if args.doc:
        write_doc(rejudge(salvage(records)))
        return 0
    mine = json.loads(args.results.read_text()) if args.results.exists() else {}
    todo = [c for c in matrix.CONFIGS if not args.only or c.name in args.only]
    if args.missing:
        todo = [c for c in todo if c.name not in records]
    if args.reverse:
        todo.reverse()
    print(f"matrix: {len(todo)} configurations, {args.jobs} at a time", flush=True)
    start = time.monotonic()
    matrix.MATRIX_OUT.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for rec in pool.map(run_config, todo):
            records[rec["name"]] = mine[rec["name"]] = rec
            args.results.write_text(json.dumps(mine, indent=1, sort_keys=True))
            print(f"matrix: {rec['name']:28} qvmloader {cell(rec['qvmloader']):45} "
                  f"ref {cell(rec['reference']):45} "
                  f"{'WORSE ' if rec['worse'] else ''}{'; '.join(rec['diff']) or 'same'}",
                  flush=True)
    rejudge(records)
    (matrix.MATRIX_OUT / "table.md").write_text(table(records, matrix.CONFIGS))
    print(f"\nmatrix: {totals(records)} ({time.monotonic() - start:.0f} s)")
    print(f"matrix: table in {matrix.MATRIX_OUT / 'table.md'}, results in {args.results}")
    bad = [n for n, r in records.items() if r["worse"] and n not in matrix.EXPECTED]
    passed = len(todo) - len([c for c in todo if c.name in bad])
    print(f"{passed} passed, {len(todo) - passed} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
