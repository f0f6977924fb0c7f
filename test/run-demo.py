#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""`make run`: boot the demo guest through qvmloader -> SeaBIOS -> Linux on q35 and show
what happened: qvmloader's stage lines, the payload's banner and boot lines, and the facts
the guest reported about the machine it was handed. The whole debug-console log (with the
payload's and the VGA BIOS's chatter) stays in the run directory named at the end."""
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "system"))
from qemu import LOG_ROOT, run_qemu  # noqa: E402

# Payload lines worth a newcomer's eye: its banner, what it found to boot from, the jump.
PAYLOAD_LINES = re.compile(r"^(SeaBIOS \(version|Booting from|Found \d+ (PCI|serial|lpt)|"
                           r"Running option rom|Returned \d+ bytes)")


def split_log(debug):
    """qvmloader's own lines (up to its timing line), then the payload's."""
    lines = debug.rstrip().split("\n")
    for i, line in enumerate(lines):
        if line.startswith("timing: "):
            return lines[:i + 1], lines[i + 1:]
    return lines, []


def main():
    machine = os.environ.get("QVM_MACHINE", "q35")
    res = run_qemu(Path("out/qvmloader.bin"), machine=machine, mem="1G", smp=2,
                   extra=["-device", "virtio-net-pci", "-smbios", "type=1,product=qvmloader-demo"],
                   timeout=180, logdir=LOG_ROOT / "demo")
    ours, payload = split_log(res.debug)
    print(f"==== qvmloader ({machine}, 1 GiB, 2 vCPUs) ====")
    print("\n".join(ours))
    shown = [line for line in payload if PAYLOAD_LINES.match(line)]
    print(f"==== payload: {len(shown)} of its {len(payload)} lines ====")
    print("\n".join(shown))
    print("==== the guest's view (Linux) ====")
    for key in ("memtotal_kb", "cpus", "cmdline"):
        for v in res.facts.get(key, []):
            print(f"{key}: {v}")
    print("ACPI tables:", " ".join(v.split()[0] for v in res.facts.get("acpi", [])))
    for bdf, (ven, dev, cls) in sorted(res.pci().items()):
        print(f"pci {bdf} {ven:04x}:{dev:04x} class {cls:06x}")
    print(f"==== full debug-console log: {res.rundir / 'debug.log'} ====")
    print(f"==== guest serial console:   {res.rundir / 'serial.log'} ====")
    if not res.done:
        print("the guest did not finish booting", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
