# SPDX-License-Identifier: MIT
"""A fixed sample of the compatibility matrix (test/matrix/matrix.py, `make matrix`) in the
suite: eight rows (three in make check, for its time budget), qvmloader alone, judged as the matrix
judges it, against the outcome stock firmware had in the matrix run (docs/compatibility.md):
the guest boots, reads its disk with working interrupts, sees the configuration's devices and
logs no firmware-attributable warning.
"""
import sys

import pytest

import qemu

sys.path.insert(0, str(qemu.ROOT / "test" / "matrix"))
import matrix  # noqa: E402

# Configuration -> PCI vendor:device IDs that must be among the devices Linux sees.
SAMPLE = {
    "machine-pc-i440fx-2.6": ["8086:1237", "8086:7000", "1af4:1001"],
    "q35-virtio-set": ["8086:29c0", "1af4:1000", "1af4:1005", "1af4:1002", "1af4:1003",
                       "1af4:1004", "1af4:1050"],
    "q35-nvme": ["1b36:0010"],
    "pc-usb-storage": ["1b36:000d"],
    "q35-nic-rtl8139": ["10ec:8139"],
    "q35-root-ports": ["1b36:000c", "8086:10d3", "1af4:1042"],  # modern virtio on PCIe
    "pc-numa2": ["1af4:1001"],
    "linux-q35": ["8086:29c0", "1af4:1001"],
}


# Three rows in make check (its time budget), the other five in check-long.
IN_CHECK = {"linux-q35", "pc-usb-storage", "q35-root-ports"}


@pytest.mark.parametrize("name", [pytest.param(n, marks=() if n in IN_CHECK else pytest.mark.long)
                                  for n in sorted(SAMPLE)])
def test_matrix_sample(name, qvmloader_rom, guest, qvm_test_logs):
    """qvmloader boots the configuration as well as stock firmware did in the matrix."""
    cfg = matrix.BY_NAME[name]
    v, r = matrix.run_one(cfg, "qvmloader", qvm_test_logs / "qvmloader")
    assert v.boots, r.summary()
    assert v.disk_seen, f"disk {cfg.disk} not read\n{r.summary()}"
    assert v.irq_serial and v.irq_disk == "ok", (v.irq_serial, v.irq_disk, r.facts.get("irqdelta"))
    ids = {p.split()[1] for p in v.pci}
    missing = [i for i in SAMPLE[name] if i not in ids]
    assert not missing, f"devices {missing} not seen; Linux saw {v.pci}"
    assert v.resources > 0
    # matrix.judged(): without the IRQ0 timer-check note, which a loaded TCG host produces
    # with either firmware at random.
    assert not matrix.judged(v.warnings), "\n".join(v.warnings)
