# SPDX-License-Identifier: MIT
"""Issue 12: qvmloader's built-in ACPI tables, judged by Linux.

Old machine types (QEMU builds no tables for pc-i440fx-1.4..1.6) get them automatically; on
current pc and q35 opt/qvmloader/acpi=builtin selects them. In every configuration Linux must
print no ACPI error, warning or firmware bug, bring up every CPU, see the NUMA nodes with the
memory given, use the HPET, get working INTx for every disk controller with pci=nomsi, keep the
resources qvmloader assigned, power QEMU off through S5, and see -acpitable tables.

`make check` runs CONFIGS; `make acpi-system` (QVM_ACPI_HEAVY=1) adds HEAVY.
"""
import os
import re

import pytest

import qemu

MIB = 1 << 20
BAD = re.compile(r"ACPI BIOS (Error|Warning)|ACPI (Error|Warning)|Firmware Bug|can't claim|"
                 r"no compatible bridge window|BAR \d+.*: assigned|address conflict", re.I)
SRAT_MEM = re.compile(r"ACPI: SRAT: Node (\d+) PXM \d+ \[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\]")
LOW_HOLE = 0x100000 - 0xA0000  # 640K-1M is in no node


def null_disk(i, device):
    return ["-drive", f"if=none,id=d{i},format=raw,file=null-co://", "-device",
            f"{device},drive=d{i}"]


def numa_old(cpus_per_node):
    """-numa for machine types that still take mem= (two nodes of 256 MiB)."""
    n = cpus_per_node
    return ["-numa", f"node,nodeid=0,cpus=0-{n - 1},mem=256",
            "-numa", f"node,nodeid=1,cpus={n}-{2 * n - 1},mem=256"]


def numa_memdev(cpus_per_node):
    n = cpus_per_node
    return ["-object", "memory-backend-ram,id=m0,size=256M",
            "-object", "memory-backend-ram,id=m1,size=256M",
            "-numa", f"node,nodeid=0,cpus=0-{n - 1},memdev=m0",
            "-numa", f"node,nodeid=1,cpus={n}-{2 * n - 1},memdev=m1"]


PC_DISKS = null_disk(0, "virtio-blk-pci,addr=5") + null_disk(1, "virtio-blk-pci,addr=6")
Q35_DISKS = (null_disk(0, "virtio-blk-pci,addr=5") +
             ["-device", "pcie-root-port,id=rp1,chassis=1,addr=0x10"] +
             null_disk(1, "virtio-blk-pci,bus=rp1") + null_disk(2, "ide-hd,bus=ide.0"))
DISK_MODULES = "virtio_pci,virtio_blk,ahci,sd_mod"

# id: (machine, opt/qvmloader/acpi or None, -smp, NUMA args, disks, disk names, interrupt
# names that must count up, expected source in qvmloader's log)
CONFIGS = {
    "pc-1.6-auto-smp4-numa": ("pc-i440fx-1.6", None, "4", numa_old(2), PC_DISKS,
                              "vda,vdb", ["virtio0", "virtio1"], "auto: QEMU offers no"),
    "q35-builtin-smp4-numa": ("q35", "builtin", "4,sockets=2,cores=2", numa_memdev(2),
                              Q35_DISKS, "vda,vdb,sda", ["virtio0", "virtio1", "ahci"],
                              "opt/qvmloader/acpi=builtin"),
    "pc-builtin-smp1": ("pc", "builtin", "1", [], PC_DISKS, "vda,vdb",
                        ["virtio0", "virtio1"], "opt/qvmloader/acpi=builtin"),
    "pc-1.4-auto-smp2": ("pc-i440fx-1.4", None, "2", [], [], "", [], "auto: QEMU offers no"),
}
HEAVY = {
    "pc-1.5-auto-smp4": ("pc-i440fx-1.5", None, "4", numa_old(2), PC_DISKS, "vda,vdb",
                         ["virtio0", "virtio1"], "auto: QEMU offers no"),
    "pc-1.7-builtin-smp4-numa": ("pc-i440fx-1.7", "builtin", "4", numa_old(2), PC_DISKS,
                                 "vda,vdb", ["virtio0", "virtio1"],
                                 "opt/qvmloader/acpi=builtin"),
    "q35-builtin-smp16-numa": ("q35", "builtin", "16,sockets=2,cores=8", numa_memdev(8),
                               Q35_DISKS, "vda,vdb,sda", ["virtio0", "virtio1", "ahci"],
                               "opt/qvmloader/acpi=builtin"),
}
if os.environ.get("QVM_ACPI_HEAVY") == "1":
    CONFIGS.update(HEAVY)


@pytest.mark.parametrize("name", list(CONFIGS))
def test_builtin_acpi(name, qvmloader_rom, guest, tmp_path):
    machine, setting, smp, numa, disks, disk_names, irq_names, why = CONFIGS[name]
    table = tmp_path / "qvmt.dat"
    table.write_bytes(b"qvmloader-acpitable")
    extra = numa + disks + [
        "-acpitable", f"sig=QVMT,rev=1,oem_id=QVMTST,oem_table_id=QVMTEST,data={table}"]
    if setting:
        extra += ["-fw_cfg", f"name=opt/qvmloader/acpi,string={setting}"]
    append = "pci=nomsi qvm.exit=poweroff " + (
        f"qvm.modules={DISK_MODULES} qvm.action=disk qvm.disks={disk_names}" if disk_names
        else "qvm.modules=none")
    r = qemu.run_qemu(qvmloader_rom, machine=machine, mem="512M", smp=smp, append=append,
                      extra=extra, timeout=300)
    r.assert_done()
    ncpu = int(smp.split(",")[0])

    # qvmloader chose its own tables, and says why.
    assert re.search(r"acpi: built-in tables \(.*" + re.escape(why), r.debug), r.summary()
    assert "acpi: built-in" in r.debug and "tables:" in r.debug, r.summary()

    # Linux found no fault in them.
    bad = [l for l in r.dmesg.splitlines() if BAD.search(l)]
    assert not bad, "\n".join(bad) + "\n" + r.summary()
    assert re.search(r"ACPI: RSDP 0x[0-9A-F]+ 000024 \(v02 QVMLDR", r.dmesg), r.summary()
    assert "ACPI: Interpreter enabled" in r.dmesg, r.summary()

    # Every CPU, from the MADT.
    assert r.fact_int("cpus") == ncpu, r.summary()
    assert f"smpboot: Allowing {ncpu} CPUs, 0 hotplug CPUs" in r.dmesg, r.summary()

    # NUMA: two nodes with the memory given (node 0 without 640K-1M).
    if numa:
        assert f"Brought up 2 nodes, {ncpu} CPUs" in r.dmesg, r.summary()
        per_node = {}
        for node, start, end in SRAT_MEM.findall(r.dmesg):
            per_node[int(node)] = per_node.get(int(node), 0) + int(end, 16) - int(start, 16) + 1
        assert per_node == {0: 256 * MIB - LOW_HOLE, 1: 256 * MIB}, r.summary()

    # HPET from the HPET table and the PNP0103 device.
    assert "hpet0: at MMIO 0xfed00000" in r.dmesg, r.summary()

    # INTx (pci=nomsi) of every disk controller: interrupts counted while the disks were read.
    for disk in filter(None, disk_names.split(",")):
        assert any(v.startswith(disk + " ") and not v.endswith("unreadable")
                   for v in r.facts.get("disk", [])), r.summary()
    grown = [v for v in r.facts.get("irqdelta", [])
             if int(v.split()[2]) > int(v.split()[1])]
    for irq_name in irq_names:
        assert any(irq_name in v for v in grown), f"{irq_name} not in {grown}\n{r.summary()}"

    # -acpitable passed through (36-byte header + 19 bytes of data).
    assert any(v.startswith("QVMT 55 ") for v in r.facts.get("acpi", [])), r.summary()

    # SMBIOS: QEMU's, or on old machine types the built-in set.
    assert any(v.startswith("bios_vendor=") for v in r.facts.get("dmi", [])), r.summary()

    # poweroff went through ACPI S5 and ended QEMU.
    assert "reboot: Power down" in r.serial and r.exitcode == 0, r.summary()
