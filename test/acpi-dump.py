#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`make acpi-dump CONFIG="-M q35 -device ..."`: boot qvmloader with those QEMU arguments,
collect the ACPI tables the Linux guest actually received, and disassemble them with
`iasl -d` into out/acpi/<config>/. This is how a QEMU developer sees what a device-model
change does to the tables."""
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "test" / "system"))
from qemu import LOG_ROOT, OUT, QVMLOADER_ROM, run_qemu  # noqa: E402


def main(argv):
    config = shlex.split(" ".join(argv))
    machine = "q35"
    extra = []
    i = 0
    while i < len(config):  # -M/-machine is run_qemu's own option
        if config[i] in ("-M", "-machine") and i + 1 < len(config):
            machine = config[i + 1]
            i += 2
            continue
        extra.append(config[i])
        i += 1
    slug = re.sub(r"[^A-Za-z0-9_.,=-]+", "_", " ".join(argv)).strip("_") or "default"
    dest = OUT / "acpi" / slug
    dest.mkdir(parents=True, exist_ok=True)
    r = run_qemu(QVMLOADER_ROM, machine=machine, extra=extra, timeout=240,
                 append="qvm.modules=none qvm.action=acpidump", logdir=LOG_ROOT / "acpi-dump")
    if not r.done:
        print(r.summary(), file=sys.stderr)
        return 1
    tables = [v.partition(" ") for v in r.facts.get("acpidata", [])]
    for name, _, hexdata in tables:
        path = dest / (name.replace("/", "_") + ".dat")
        path.write_bytes(bytes.fromhex(hexdata))
        subprocess.run(["iasl", "-d", path.name], cwd=dest, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"acpi-dump: {len(tables)} tables from machine {machine} in {dest}:")
    for p in sorted(dest.glob("*.dsl")):
        print(f"  {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
