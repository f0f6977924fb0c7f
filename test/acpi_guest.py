# SPDX-License-Identifier: MIT
"""What `make acpi-dump` and `make acpi-diff` share: the CONFIG words split into machine and
QEMU arguments, the ACPI tables the Linux guest received (its `qvm.action=acpidump`), and
their `iasl -d` disassembly."""
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "test" / "system"))
from qemu import QVMLOADER_ROM, run_qemu  # noqa: E402


def split_config(argv):
    """(machine, other QEMU arguments, directory slug) from the CONFIG words; -M/-machine is
    run_qemu's own option."""
    config = shlex.split(" ".join(argv))
    machine, extra, i = "q35", [], 0
    while i < len(config):
        if config[i] in ("-M", "-machine") and i + 1 < len(config):
            machine = config[i + 1]
            i += 2
            continue
        extra.append(config[i])
        i += 1
    slug = re.sub(r"[^A-Za-z0-9_.,=-]+", "_", " ".join(argv)).strip("_") or "default"
    return machine, extra, slug


def guest_tables(machine, extra, timeout, logdir):
    """Boot the guest with qvmloader; (QemuResult, {table name: bytes}) it received."""
    r = run_qemu(QVMLOADER_ROM, machine=machine, extra=extra, timeout=timeout,
                 append="qvm.modules=none qvm.action=acpidump", logdir=logdir)
    tables = {}
    for v in r.facts.get("acpidata", []):
        name, _, hexdata = v.partition(" ")
        tables[name.replace("/", "_")] = bytes.fromhex(hexdata)
    return r, tables


def disassemble(dest, tables, check=False):
    """Write each table to dest/<name>.dat and its `iasl -d` text beside it; {name: text}.
    check: a table iasl cannot disassemble raises instead of giving empty text."""
    dest.mkdir(parents=True, exist_ok=True)
    texts = {}
    for name, data in tables.items():
        (dest / f"{name}.dat").write_bytes(data)
        subprocess.run(["iasl", "-d", f"{name}.dat"], cwd=dest, check=check,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        dsl = dest / f"{name}.dsl"
        texts[name] = dsl.read_text(errors="replace") if dsl.exists() else ""
    return texts
