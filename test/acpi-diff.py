#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`make acpi-diff CONFIG="-M q35 -device ..."`: boot the Linux guest twice on that QEMU
command line, once with QEMU's ACPI tables (opt/qvmloader/acpi=qemu) and once with
qvmloader's built-in ones (=builtin), disassemble both sets with `iasl -d` and print a
per-table diff: fixed tables field by field, the AML (DSDT and SSDTs together) object by
object (by namespace path). Disassembly and full diffs go to out/acpi-diff/<config>/."""
import difflib
import re
import sys
from concurrent.futures import ThreadPoolExecutor

from acpi_guest import ROOT, disassemble, guest_tables, split_config
from qemu import LOG_ROOT, OUT

SIDES = ("qemu", "builtin")
CONTAINERS = ("Scope", "Device", "Processor", "ThermalZone", "PowerResource")
OBJECTS = CONTAINERS + ("Method", "Name", "OperationRegion", "Field", "IndexField",
                        "BankField", "Mutex", "Event", "Alias", "CreateDWordField",
                        "CreateQWordField", "CreateWordField", "CreateByteField",
                        "CreateBitField", "CreateField")
MAX_SHOWN = 12  # diff lines per table on stdout; all of them go to diff.txt
HEAD = re.compile(r"^\s*(\w+)\s*\(\s*([\\^A-Za-z0-9_.]*)")


def dump(machine, extra, side):
    """{table name: bytes} that Linux received with opt/qvmloader/acpi=side."""
    r, tables = guest_tables(machine, extra + ["-fw_cfg", f"name=opt/qvmloader/acpi,string={side}"],
                             timeout=300, logdir=LOG_ROOT / "acpi-diff" / side)
    if not r.done:
        raise SystemExit(f"acpi-diff: the {side} boot did not finish\n{r.summary()}")
    return tables


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(l.split("//")[0].rstrip() for l in text.splitlines())


def join_path(scope, name):
    if name.startswith("\\"):
        return name if name != "\\" else "\\"
    parts = scope.rstrip(".").split(".") if scope not in ("", "\\") else []
    while name.startswith("^"):
        parts, name = parts[:-1], name[1:]
    base = ".".join(parts)
    if not base:
        return "\\" + name
    return (base if base.startswith("\\") else "\\" + base) + "." + name


def aml_objects(text):
    """{namespace path: normalised text} of every object in a disassembled DSDT/SSDT.
    Containers contribute their header line; methods and data objects their whole text."""
    lines = [l for l in strip_comments(text).splitlines() if l.strip()]
    objs, scopes, i = {}, [], 0
    depth = 0
    while i < len(lines):
        line = lines[i].strip()
        m = HEAD.match(line)
        if line == "}":
            depth -= 1
            if scopes and scopes[-1][1] == depth:
                scopes.pop()
            i += 1
            continue
        if line == "{":
            depth += 1
            i += 1
            continue
        if not m or m.group(1) not in OBJECTS or m.group(1) == "DefinitionBlock":
            if line.startswith("DefinitionBlock"):
                scopes.append(("\\", depth))
            i += 1
            continue
        kind, name = m.group(1), m.group(2)
        if kind.startswith("Create"):
            args = [a.strip() for a in line[line.index("(") + 1:].rstrip(")").split(",")]
            name = args[-1] if args else name
        if kind in ("Field", "IndexField", "BankField"):
            name = f"{name}<{kind}>"
        cur = scopes[-1][0] if scopes else "\\"
        path = join_path(cur, name)
        if kind in CONTAINERS:
            objs[path] = line
            scopes.append((path, depth))
            i += 1
            continue
        body, bal = [line], line.count("(") - line.count(")") + line.count("{") - line.count("}")
        i += 1
        while i < len(lines) and (bal > 0 or lines[i].strip() == "{"):
            body.append(lines[i].strip())
            bal += lines[i].count("(") - lines[i].count(")") + lines[i].count("{") - \
                lines[i].count("}")
            i += 1
        key = path if path not in objs else f"{path}#{sum(k.startswith(path) for k in objs)}"
        objs[key] = "\n".join(body)
    return objs


def fields(text):
    """Field lines of a disassembled fixed table, offsets and table addresses dropped."""
    out = []
    for l in text.splitlines():
        m = re.match(r"^\[[0-9A-Fa-f]+h [0-9]+\s+[0-9]+\]\s+(.*?)\s*:\s*(.*)$", l)
        if m:
            out.append(f"{m.group(1)} : {m.group(2)}")
    return out


def roots(names):
    """Paths whose parent is not in the list, each with the count of its listed children."""
    listed, out = set(names), []
    for n in names:
        parent = n.rsplit(".", 1)[0] if "." in n else None
        if parent in listed:
            continue
        below = sum(1 for m in names if m.startswith(n + "."))
        out.append(f"{n} (+{below})" if below else n)
    return out


def main(argv):
    machine, extra, slug = split_config(argv)
    dest = OUT / "acpi-diff" / slug
    with ThreadPoolExecutor(2) as pool:
        sets = dict(zip(SIDES, pool.map(lambda s: dump(machine, extra, s), SIDES)))
    texts = {s: disassemble(dest / s, sets[s]) for s in SIDES}
    report, full = [f"acpi-diff: machine {machine}, extra {' '.join(extra) or '(none)'}"], []
    aml = {s: {} for s in SIDES}
    for s in SIDES:
        for name, text in sorted(texts[s].items()):
            if name.startswith(("DSDT", "SSDT")):
                aml[s].update(aml_objects(text))
    sig = {s: {n.rstrip("0123456789"): n for n in sets[s] if not n.startswith(("DSDT", "SSDT"))}
           for s in SIDES}
    report.append(f"{'table':8} {'QEMU':>7} {'built-in':>9}  result")
    skip = ("Checksum", "Oem ID", "Oem Table ID", "Oem Revision", "Asl Compiler ID",
            "Asl Compiler Revision", "Signature", "FACS Address", "DSDT Address")
    for t in sorted(set(sig["qemu"]) | set(sig["builtin"])):
        q, b = sig["qemu"].get(t), sig["builtin"].get(t)
        ql = len(sets["qemu"][q]) if q else "-"
        bl = len(sets["builtin"][b]) if b else "-"
        diff = []
        if not q or not b:
            verdict = "only in QEMU's set" if q else "only in the built-in set"
        else:
            fq = [f for f in fields(texts["qemu"][q]) if not f.startswith(skip)]
            fb = [f for f in fields(texts["builtin"][b]) if not f.startswith(skip)]
            diff = list(difflib.unified_diff(fq, fb, "qemu/" + t, "builtin/" + t, n=0,
                                             lineterm=""))
            gone = sum(1 for d in diff if d.startswith("-") and not d.startswith("---"))
            new = sum(1 for d in diff if d.startswith("+") and not d.startswith("+++"))
            verdict = "same fields" if not diff else f"{gone} QEMU lines, {new} built-in lines"
            full += diff
        report.append(f"{t:8} {ql!s:>7} {bl!s:>9}  {verdict}")
        shown = [d for d in diff[2:] if not d.startswith("@@")]
        report += ["    " + d for d in shown[:MAX_SHOWN]]
        if len(shown) > MAX_SHOWN:
            report.append(f"    ... {len(shown) - MAX_SHOWN} more lines in diff.txt")
    q, b = aml["qemu"], aml["builtin"]
    only_q = sorted(set(q) - set(b))
    only_b = sorted(set(b) - set(q))
    differ = sorted(k for k in set(q) & set(b) if q[k] != b[k])
    report.append(f"AML (DSDT+SSDTs): {len(q)} objects in QEMU's, {len(b)} in the built-in; "
                  f"{len(only_q)} only QEMU, {len(only_b)} only built-in, {len(differ)} differ")
    for title, names in (("only in QEMU's", only_q), ("only built-in", only_b),
                         ("differ", differ)):
        if names:
            report.append(f"  {title}: " + ", ".join(roots(names)))
    for k in differ:
        full += list(difflib.unified_diff(q[k].splitlines(), b[k].splitlines(),
                                          "qemu" + k, "builtin" + k, lineterm=""))
    (dest / "diff.txt").write_text("\n".join(full) + "\n")
    print("\n".join(report))
    print(f"acpi-diff: disassembly in {dest.relative_to(ROOT)}/{{qemu,builtin}}, "
          f"full diff in {(dest / 'diff.txt').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
