# SPDX-License-Identifier: MIT
"""Issue 3: PCI enumeration and resource assignment, judged by Linux.

Linux must find every device with the BARs qvmloader assigned (no reassignment, no
conflicts), bridges and root ports must forward them, a 4 GiB BAR must land above 4 GiB,
legacy INTx must be routed as the PIRQ set-up says, and stock SeaBIOS must give resources to
the same set of BARs on the same command line.
"""
import re

import pytest

import qemu

GIB = 1 << 30
IORESOURCE_IO = 0x100
IORESOURCE_MEM = 0x200
BAD_DMESG = re.compile(r"can't claim|no space for|failed to assign|BAR \d+.*: assigned|"
                       r"address conflict|Firmware Bug", re.I)

Q35_DEVICES = [
    "-device", "virtio-net-pci", "-device", "virtio-scsi-pci", "-device", "e1000",
    "-device", "qemu-xhci", "-device", "bochs-display",
    "-device", "nvme,serial=qvm1,drive=nv", "-drive", "if=none,id=nv,format=raw,file=null-co://",
    "-device", "pcie-root-port,id=rp1,chassis=1", "-device", "virtio-net-pci,bus=rp1",
    "-device", "pcie-root-port,id=rp2,chassis=2",
    "-device", "pcie-root-port,id=rp3,chassis=3,io-reserve=8K,mem-reserve=8M",
    "-device", "pcie-root-port,id=rp4,chassis=4",
    "-device", "pcie-pci-bridge,id=ppb,bus=rp4",
    "-device", "pci-bridge,id=pb2,bus=ppb,chassis_nr=5,addr=1",
    "-device", "e1000,bus=pb2,addr=2",
    "-object", "memory-backend-ram,id=shm,size=4G",
    "-device", "ivshmem-plain,memdev=shm,bus=pcie.0",
    "-device", "pxb-pcie,id=pxb1,bus_nr=128",
    "-device", "pcie-root-port,id=rp5,bus=pxb1,chassis=6", "-device", "virtio-rng-pci,bus=rp5",
]
PC_DEVICES = [
    "-device", "virtio-net-pci", "-device", "e1000", "-device", "lsi53c895a",
    "-device", "pci-bridge,id=b1,chassis_nr=1",
    "-device", "pci-bridge,id=b2,bus=b1,chassis_nr=2,addr=3",
    "-device", "virtio-rng-pci,bus=b2,addr=4",
    "-object", "memory-backend-ram,id=shm,size=4G",
    "-device", "ivshmem-plain,memdev=shm,bus=pci.0",
    "-device", "pxb,id=pxb1,bus_nr=64", "-device", "virtio-rng-pci,bus=pxb1",
]
# (vendor, device) that must show up in each configuration.
Q35_IDS = {(0x1af4, 0x1000), (0x1af4, 0x1004), (0x8086, 0x100e), (0x1b36, 0x000d),
           (0x1234, 0x1111), (0x1b36, 0x0010), (0x1b36, 0x000c), (0x1b36, 0x000e),
           (0x1b36, 0x0001), (0x1b36, 0x000b), (0x1af4, 0x1044), (0x1af4, 0x1110),
           (0x8086, 0x2922)}
PC_IDS = {(0x1af4, 0x1000), (0x8086, 0x100e), (0x1000, 0x0012), (0x1b36, 0x0001),
          (0x1af4, 0x1005), (0x1b36, 0x0009), (0x1af4, 0x1110)}


def device_bars(res):
    """{(bdf, index): (start, end, flags)} for device BARs 0-5 that have an address."""
    out = {}
    for bdf, bars in res.pci_resources().items():
        for index, (start, end, flags) in bars.items():
            if index <= 5 and end > start and flags & (IORESOURCE_IO | IORESOURCE_MEM):
                out[(bdf, index)] = (start, end, flags)
    return out


def legacy_ide(bdf_index, start):
    return bdf_index[1] <= 3 and start in (0x1F0, 0x3F6, 0x170, 0x376)


def check_assignment(r, ids):
    r.assert_done()
    bad = [l for l in r.dmesg.split("\n") if BAD_DMESG.search(l)]
    assert not bad, "\n".join(bad) + "\n" + r.summary()
    found = {(v, d) for v, d, _ in r.pci().values()}
    assert ids <= found, f"missing {ids - found}\n{r.summary()}"
    bars = device_bars(r)
    spans = sorted((s, e, f & IORESOURCE_IO, k) for k, (s, e, f) in bars.items()
                   if not legacy_ide(k, s))
    for (s1, e1, io1, k1), (s2, e2, io2, k2) in zip(spans, spans[1:]):
        assert io1 != io2 or s2 > e1, f"{k1} {s1:#x}-{e1:#x} overlaps {k2} {s2:#x}-{e2:#x}"
    for (s, e, io, k) in spans:
        size = e - s + 1
        assert s % min(size, 4096 if not io else size) == 0, f"{k} at {s:#x} misaligned"
    return bars


def test_q35_many_devices(qvmloader_rom, guest):
    r = qemu.run_qemu(qvmloader_rom, machine="q35", mem="1G", extra=Q35_DEVICES, timeout=180)
    bars = check_assignment(r, Q35_IDS)
    ivshmem = [b for b, d in r.pci().items() if d[:2] == (0x1af4, 0x1110)]
    start, end, _ = bars[(ivshmem[0], 2)]
    assert start >= 4 * GIB and end - start + 1 == 4 * GIB, f"{start:#x}-{end:#x}"
    assert re.search(r"MMCONFIG for domain 0000 \[bus 00-ff\] at \[mem 0xb0000000-0xbfffffff\]",
                     r.dmesg), r.summary()
    assert "pci: " in r.debug and "dropped" in r.debug
    # The pxb-pcie root bus kept QEMU's number and its device is behind it.
    assert any(bdf.startswith("80:") or bdf.startswith("81:") for bdf in r.pci()), r.pci()


def test_pc_many_devices(qvmloader_rom, guest):
    r = qemu.run_qemu(qvmloader_rom, machine="pc", mem="1G", extra=PC_DEVICES, timeout=180)
    bars = check_assignment(r, PC_IDS)
    ivshmem = [b for b, d in r.pci().items() if d[:2] == (0x1af4, 0x1110)]
    start, _, _ = bars[(ivshmem[0], 2)]
    assert start >= 4 * GIB, f"{start:#x}"
    assert any(bdf.startswith("40:") for bdf in r.pci()), r.pci()


def test_same_bars_as_stock_seabios(qvmloader_rom, stock_seabios, guest):
    extra = [a for a in Q35_DEVICES]
    ours = qemu.run_qemu(qvmloader_rom, machine="q35", mem="1G", extra=extra, timeout=180,
                         append="qvm.modules=none")
    ref = qemu.run_qemu(stock_seabios, machine="q35", mem="1G", extra=extra, timeout=180,
                        append="qvm.modules=none")
    ours.assert_done()
    ref.assert_done()
    assert set(device_bars(ours)) == set(device_bars(ref))


def slot_of(bdf):
    return int(bdf.split(":")[1].split(".")[0], 16)


def cfg_byte(r, bdf, offset):
    """A byte of the config-space dump the guest printed (first 64 bytes)."""
    cfg = next(v.split()[1] for v in r.facts["pcicfg"] if v.split()[0] == bdf)
    return int(cfg[offset * 2:offset * 2 + 2], 16)


@pytest.mark.parametrize("machine", ["pc", "q35"])
def test_legacy_intx_routing(qvmloader_rom, guest, machine, tmp_path):
    disks = [tmp_path / "vd.img", tmp_path / "sd.img"]
    for disk in disks:
        disk.write_bytes(b"qvmloader-intx".ljust(512, b"\0") * 2048)
    extra = ["-drive", f"if=none,id=vd,format=raw,file={disks[0]}",
             "-device", "virtio-blk-pci,drive=vd,addr=5",
             "-drive", f"if=none,id=sd,format=raw,file={disks[1]}"]
    extra += (["-device", "ahci,id=ahci,addr=6", "-device", "ide-hd,drive=sd,bus=ahci.0"]
              if machine == "pc" else ["-device", "ide-hd,drive=sd,bus=ide.0"])
    r = qemu.run_qemu(qvmloader_rom, machine=machine, extra=extra, timeout=180,
                      append="pci=nomsi qvm.action=disk qvm.disks=vda,sda")
    r.assert_done()
    sums = {v.split()[0]: v.split()[2] for v in r.facts.get("disk", [])}
    assert sums.get("vda") == sums.get("sda") and sums["vda"] != "unreadable", r.facts
    deltas = {int(v.split()[0]): int(v.split()[2]) - int(v.split()[1])
              for v in r.facts.get("irqdelta", []) if v.split()[0].isdigit()}
    irqs = {bdf: int(v) for bdf, v in (x.split() for x in r.facts.get("pciirq", []))}
    for vendor_device in ((0x1af4, 0x1001), (0x8086, 0x2922)):
        bdf = next(b for b, d in r.pci().items() if d[:2] == vendor_device)
        slot, pin = slot_of(bdf), cfg_byte(r, bdf, 0x3D)
        if machine == "pc":  # PIRQ (pin + slot - 1) & 3
            pirq = (pin - 1 + slot - 1) & 3
        elif slot <= 24:     # PIRQ E-H
            pirq = 4 + ((slot + pin - 1) & 3)
        else:                # slots 25-31: INTA-D -> PIRQ A-D
            pirq = (pin - 1) & 3
        # qvmloader routes PIRQ A-H to IRQ 10, 10, 11, 11 and says so in INTERRUPT_LINE.
        assert cfg_byte(r, bdf, 0x3C) == (10, 10, 11, 11)[pirq & 3], r.summary()
        if machine == "q35":  # APIC mode: PIRQ A-H are GSI 16-23, fixed
            assert irqs[bdf] == 16 + pirq, f"{bdf}: IRQ {irqs[bdf]}, PIRQ {pirq}"
        want = irqs[bdf]
        assert deltas.get(want, 0) > 0, f"IRQ {want} did not fire: {deltas}"
    if machine == "pc":  # the links' initial state is read back from our PIRQ registers
        for link, irq in zip("ABCD", (10, 10, 11, 11)):
            assert f"Interrupt link LNK{link} configured for IRQ {irq}" in r.dmesg, r.summary()
