# SPDX-License-Identifier: MIT
"""Issue 5: QEMU's ACPI and SMBIOS tables through qvmloader, MP table and $PIR.

The guest dumps every ACPI table it received; they must be QEMU's tables exactly as stock
SeaBIOS installs them, except for pointer fields and checksums. vmgenid's WRITE_POINTER is
checked end to end: QEMU must have written the GUID where the tables say it is.
"""
import re
import struct

import pytest

import qemu

BAD = re.compile(r"ACPI BIOS Error|ACPI Error|Firmware Bug|Incorrect checksum|"
                 r"checksum mismatch|bad checksum|invalid checksum", re.I)
GUID = "9e6a4f6e-5d3b-4a4f-8c44-1f2e3d4c5b6a"
NUMA = ["-object", "memory-backend-ram,id=m0,size=512M",
        "-object", "memory-backend-ram,id=m1,size=512M",
        "-numa", "node,nodeid=0,memdev=m0,cpus=0", "-numa", "node,nodeid=1,memdev=m1,cpus=1",
        "-numa", "dist,src=0,dst=1,val=20"]
COMMON = ["-device", f"vmgenid,guid={GUID}", "-smbios",
          "type=1,manufacturer=QvmTest,product=TablesBox,serial=SN-4711"]


def tables_of(r):
    """{signature-or-name: bytes} from the acpidump action."""
    out = {}
    for v in r.facts.get("acpidata", []):
        name, _, hexdata = v.partition(" ")
        out[name] = bytes.fromhex(hexdata)
    return out


def blank_pointers(name, data):
    """The table with its checksum and every firmware-chosen address zeroed."""
    b = bytearray(data)
    if len(b) >= 10:
        b[9] = 0
    if name.startswith("FACP"):
        for off, size in ((36, 8), (132, 16)):
            if len(b) >= off + size:
                b[off:off + size] = bytes(size)
    if name.startswith(("RSDT", "XSDT")):
        b[36:] = bytes(len(b) - 36)
    for m in re.finditer(rb"VGIA\x0c", bytes(b)):  # vmgenid: Name (VGIA, DWord address)
        b[m.end():m.end() + 4] = bytes(4)
    return bytes(b)


def vgia(tables):
    """The vmgenid GUID address the SSDT's VGIA object holds."""
    for name, data in tables.items():
        m = re.search(rb"VGIA\x0c(....)", data, re.S)
        if name.startswith("SSDT") and m:
            return struct.unpack("<I", m.group(1))[0]
    return None


@pytest.mark.parametrize("machine", ["pc", "q35"])
def test_acpi_same_as_stock_seabios(qvmloader_rom, stock_seabios, guest, machine):
    runs = {}
    for name, bios in (("qvmloader", qvmloader_rom), ("seabios", stock_seabios)):
        r = qemu.run_qemu(bios, machine=machine, smp=2, mem="1G", extra=COMMON,
                          append="qvm.modules=none qvm.action=acpidump")
        r.assert_done()
        runs[name] = tables_of(r)
    ours, ref = runs["qvmloader"], runs["seabios"]
    assert sorted(ours) == sorted(ref), f"{sorted(ours)} vs {sorted(ref)}"
    for name in ref:
        assert blank_pointers(name, ours[name]) == blank_pointers(name, ref[name]), name
    for name, data in ours.items():
        if not name.startswith("FACS"):  # the FACS has no checksum
            assert sum(data) % 256 == 0, f"{name} checksum"


@pytest.mark.parametrize("machine", ["pc", "q35"])
def test_tables_with_hpet_pxb_numa_vmgenid(qvmloader_rom, guest, machine):
    pxb = ["-device", "pxb,id=pxb1,bus_nr=32", "-device", "virtio-rng-pci,bus=pxb1"]
    if machine == "q35":
        pxb = ["-device", "pxb-pcie,id=pxb1,bus_nr=32",
               "-device", "pcie-root-port,id=rp,bus=pxb1,chassis=9",
               "-device", "virtio-rng-pci,bus=rp"]
    r = qemu.run_qemu(qvmloader_rom, machine=machine, smp=2, mem="1G",
                      extra=COMMON + NUMA + pxb,
                      append="qvm.modules=none qvm.action=acpidump")
    r.assert_done()
    bad = [l for l in r.dmesg.split("\n") if BAD.search(l)]
    assert not bad, "\n".join(bad)
    names = {v.split()[0] for v in r.facts["acpi"]}
    want = {"FACP", "FACS", "DSDT", "APIC", "HPET", "SRAT", "SLIT", "SSDT", "WAET"}
    if machine == "q35":
        want.add("MCFG")
    assert want <= names, names
    dmi = dict(v.split("=", 1) for v in r.facts["dmi"])
    assert (dmi["sys_vendor"], dmi["product_name"], dmi["product_serial"]) == \
        ("QvmTest", "TablesBox", "SN-4711"), dmi
    assert dmi["bios_vendor"] == "qvmloader", "Type 0 added"
    assert r.fact_int("cpus") == 2
    # vmgenid: the SSDT tells the guest where the GUID buffer is; qvmloader allocated it in
    # reserved memory and wrote that address back to QEMU (WRITE_POINTER).
    addr = vgia(tables_of(r))
    assert addr, "no VGIA in the SSDTs"
    assert any(s <= addr and addr + 16 <= e + 1 for s, e, kind in r.e820()
               if kind == "Reserved"), (hex(addr), r.e820())
    assert "1 pointers written back" in r.debug, r.summary()


@pytest.mark.parametrize("machine", ["pc", "q35"])
def test_legacy_tables_without_acpi(qvmloader_rom, guest, machine):
    # The driver must bind: Linux routes a device's INTx when it is enabled.
    r = qemu.run_qemu(qvmloader_rom, machine=machine, smp=2, append="acpi=off qvm.modules=e1000",
                      extra=["-device", "e1000"])
    r.assert_done()
    assert "Intel MultiProcessor Specification v1.4" in r.dmesg, r.summary()
    assert r.fact_int("cpus") == 2
    nic = next(b for b, d in r.pci().items() if d[:2] == (0x8086, 0x100E))
    irq = int(next(v.split()[1] for v in r.facts["pciirq"] if v.split()[0] == nic))
    if machine == "pc":
        assert "mptable: 2 CPUs" in r.debug and "pir: " in r.debug
        assert irq in (10, 11), irq
    else:
        assert 16 <= irq <= 23, irq


def test_old_machine_type_without_dma(qvmloader_rom, guest):
    """pc-i440fx-2.0: fw_cfg without DMA and SMBIOS only as legacy key 0x8001 records."""
    r = qemu.run_qemu(qvmloader_rom, machine="pc-i440fx-2.0", append="qvm.modules=none",
                      extra=["-smbios", "type=1,manufacturer=OldCo,product=Vintage"])
    r.assert_done()
    assert "fw_cfg: port I/O (no DMA)" in r.debug, r.summary()
    assert "structures built from legacy fw_cfg records" in r.debug
    dmi = dict(v.split("=", 1) for v in r.facts["dmi"])
    assert (dmi["sys_vendor"], dmi["product_name"], dmi["bios_vendor"]) == \
        ("OldCo", "Vintage", "qvmloader"), dmi
    assert {"FACP", "DSDT", "APIC"} <= {v.split()[0] for v in r.facts["acpi"]}
