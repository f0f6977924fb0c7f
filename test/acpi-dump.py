#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`make acpi-dump CONFIG="-M q35 -device ..."`: boot qvmloader with those QEMU arguments,
collect the ACPI tables the Linux guest actually received, and disassemble them with
`iasl -d` into out/acpi/<config>/. This is how a QEMU developer sees what a device-model
change does to the tables."""
import sys

from acpi_guest import ROOT, disassemble, guest_tables, split_config
from qemu import LOG_ROOT, OUT


def main(argv):
    machine, extra, slug = split_config(argv)
    dest = OUT / "acpi" / slug
    r, tables = guest_tables(machine, extra, timeout=240, logdir=LOG_ROOT / "acpi-dump")
    if not r.done:
        print(r.summary(), file=sys.stderr)
        return 1
    disassemble(dest, tables, check=True)
    print(f"acpi-dump: {len(tables)} tables from machine {machine} in {dest}:")
    for p in sorted(dest.glob("*.dsl")):
        print(f"  {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
