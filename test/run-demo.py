#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`make run`: boot the demo guest through qvmloader -> SeaBIOS -> Linux on q35 and show
what happened: the debug-console log (qvmloader's steps, then SeaBIOS) and the facts the
guest reported about the machine it was handed."""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "system"))
from qemu import LOG_ROOT, run_qemu  # noqa: E402


def main():
    machine = os.environ.get("QVM_MACHINE", "q35")
    res = run_qemu(Path("out/qvmloader.bin"), machine=machine, mem="1G", smp=2,
                   extra=["-device", "virtio-net-pci", "-smbios", "type=1,product=qvmloader-demo"],
                   timeout=180, logdir=LOG_ROOT / "demo")
    print("==== debug console (qvmloader, then SeaBIOS) ====")
    print(res.debug.rstrip())
    print("==== the guest's view ====")
    for key in ("memtotal_kb", "cpus", "cmdline"):
        for v in res.facts.get(key, []):
            print(f"{key}: {v}")
    print("ACPI tables:", " ".join(v.split()[0] for v in res.facts.get("acpi", [])))
    for bdf, (ven, dev, cls) in sorted(res.pci().items()):
        print(f"pci {bdf} {ven:04x}:{dev:04x} class {cls:06x}")
    print(f"==== logs in {res.rundir} ====")
    if not res.done:
        print("the guest did not finish booting", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
