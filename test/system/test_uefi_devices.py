# SPDX-License-Identifier: MIT
"""Issue 13, devices: what OVMF drives on QEMU, the UEFI payload drives too.

Every display gets exactly one GOP from OvmfPkg's video drivers (the shell's `dh -v -p
GraphicsOutput` lists each with its mode and framebuffer, QMP gives the BARs), and Linux's efifb
takes it over. A key sent through QMP reaches the PS/2 keyboard (SioBusDxe, Ps2KeyboardDxe) and
opens the boot manager's front page. NVMe and virtio-scsi disks boot. The iPXE EFI driver in a
NIC's option ROM (ipxe-qemu, dispatched through QvmPciRomDxe) loads an EFI application over
TFTP from QEMU's user-mode network (restrict=on: nothing leaves the guest); a corrupt option
ROM is reported and skipped.
"""
import re

import pytest

import qemu
from test_uefi import FIRMWARE_WARNINGS, NO_NIC, console, fat_disk
from test_uefi_qemu import MENU_PROMPT, marker_disk
from test_uefi_vars import marker_efi

# The vendor device path QemuRamfbDxe gives its GOP (ramfb is no PCI device).
RAMFB_PATH = "VenHw(557423A1-63AB-406C-BE7E-91CDBC08C457)"
LINEAR = ("PixelBlueGreenRedReserved8BitPerColor", "PixelBitMask")
# Items of the boot manager's front page (UiApp), which F2 or Down opens during the menu wait.
FRONT_PAGE = ["Select Language", "Device Manager", "Boot Maintenance Manager"]


def gops(out):
    """[(device path, framebuffer base, width, height, pixel format)] of every GOP on a device
    that the shell's `dh -v -p GraphicsOutput` listed (ConSplitter's own GOP has no path)."""
    found = []
    for m in re.finditer(r"^[0-9A-F]+: (.*?)(?=^[0-9A-F]+: |^Shell> )", out, re.S | re.M):
        block = m.group(1)
        path = re.search(r"DevicePath\([0-9A-F]+\)\s+(\S+)", block)
        if "GraphicsOutput(" not in block or not path:
            continue
        field = {k: re.search(k + r"\.*: (\S+)", block).group(1)
                 for k in ("Frame Buffer Base", "HorizontalResolution", "VerticalResolution",
                           "Pixel Format")}
        found.append((path.group(1), int(field["Frame Buffer Base"], 16),
                      int(field["HorizontalResolution"]), int(field["VerticalResolution"]),
                      field["Pixel Format"]))
    return found


def bar0(pci, slot):
    """Address of BAR 0 of the function at 00:slot.0 in QMP's query-pci answer."""
    for dev in pci[0]["devices"]:
        if dev["bus"] == 0 and dev["slot"] == slot and dev["function"] == 0:
            return next(b["address"] for b in dev["regions"] if b["bar"] == 0)
    raise AssertionError(f"no device in slot {slot}: {pci}")


# (machine, QEMU arguments, {PCI slot or None for ramfb: "fb" or "blt"}). Slot 1 (q35) or 2
# (pc) is -vga's; the others are placed explicitly.
DISPLAYS = {
    "q35-std-bochs-virtio-gpu-ramfb": (
        "q35", ["-device", "bochs-display,addr=0x3", "-device", "virtio-gpu-pci,addr=0x4",
                "-device", "ramfb"], {1: "fb", 3: "fb", 4: "blt", None: "fb"}),
    "pc-cirrus": ("pc", ["-vga", "cirrus"], {2: "fb"}),
    "q35-qxl": ("q35", ["-vga", "qxl"], {1: "fb"}),
    "q35-virtio-vga": ("q35", ["-vga", "virtio"], {1: "fb"}),
}


@pytest.mark.parametrize("case", DISPLAYS)
def test_each_display_gets_one_gop(uefi_rom, tmp_path, case):
    """Each display device has exactly one GOP, on its framebuffer BAR (virtio-gpu-pci has no
    framebuffer: its GOP is Blt-only, as in OVMF)."""
    machine, args, want = DISPLAYS[case]
    disk = fat_disk(tmp_path / "gop.img", ["dh -v -p GraphicsOutput", "echo QVMUEFI-END"])
    extra = ["-nic", "none", "-drive", f"file={disk},format=raw,if=none,id=d0",
             "-device", "ide-hd,drive=d0,bus=ide.0"] + args
    with qemu.QemuSession(uefi_rom, machine=machine, mem="256M", kernel=False,
                          extra=extra) as s:
        done = s.wait_for("QVMUEFI-END", count=2, timeout=180)
        pci = s.qmp("query-pci")
        r = s.finish()
    assert done, r.summary()
    found = gops(console(r))
    assert len(found) == len(want), found
    for slot, kind in want.items():
        prefix = RAMFB_PATH if slot is None else f"PciRoot(0x0)/Pci({slot:#x},0x0)/"
        mine = [g for g in found if g[0].startswith(prefix)]
        assert len(mine) == 1, (slot, found)
        path, base, width, height, fmt = mine[0]
        assert width >= 640 and height >= 480, mine
        if kind == "blt":
            assert (base, fmt) == (0, "PixelBltOnly"), mine
        elif slot is None:
            assert fmt in LINEAR and 0 < base < 256 << 20, mine  # ramfb: guest RAM
        else:
            assert fmt in LINEAR and base == bar0(pci, slot), (mine, pci)


LINUX_DISPLAYS = {
    "bochs-display": ("q35", ["-vga", "none", "-device", "bochs-display"]),
    "cirrus": ("pc", ["-vga", "cirrus"]),
    "qxl": ("q35", ["-vga", "qxl"]),
    "virtio-vga": ("q35", ["-vga", "virtio"]),
    "ramfb": ("q35", ["-vga", "none", "-device", "ramfb"]),
}


@pytest.mark.parametrize("case", [pytest.param(c, marks=() if c == "bochs-display" else
                                               pytest.mark.long) for c in LINUX_DISPLAYS])
def test_linux_uses_the_gop(uefi_rom, guest, tmp_path, case):
    """Linux (EFI stub) takes the display's GOP as efifb: on the BAR of a PCI display, in
    guest RAM for ramfb. -vga none with another display boots as well."""
    machine, args = LINUX_DISPLAYS[case]
    cmdline = f"initrd=\\initrd.img {qemu.BASE_APPEND} qvm.modules=none"
    disk = fat_disk(tmp_path / "linux.img", ["fs0:", f"\\vmlinuz.efi {cmdline}"],
                    [(guest.kernel, "vmlinuz.efi"), (guest.initrd, "initrd.img")])
    r = qemu.run_qemu(uefi_rom, machine=machine, mem="1G", kernel=False, timeout=300,
                      extra=["-nic", "none", "-drive", f"file={disk},format=raw,if=ide"] + args)
    r.assert_done()
    assert r.fact("efi") == "1", r.summary()
    for warning in FIRMWARE_WARNINGS:
        assert warning not in r.dmesg, f"{warning!r} in the kernel log\n{r.dmesg}"
    m = re.search(r"efifb: framebuffer at (0x[0-9a-f]+)", r.dmesg)
    assert m and re.search(r"efifb: mode is \d+x\d+x(24|32), linelength=\d+", r.dmesg), r.dmesg
    base = int(m.group(1), 16)
    if case == "ramfb":
        assert any(s <= base <= e for s, e, _ in r.e820()), (hex(base), r.e820())
    else:
        bar0s = [res[0][0] for res in r.pci_resources().values() if 0 in res]
        assert base in bar0s, (hex(base), r.pci_resources())


@pytest.mark.parametrize("machine", ["q35", "pc"])
def test_ps2_key_opens_the_front_page(uefi_rom, tmp_path, machine):
    """-boot menu=on: F2 sent to the PS/2 keyboard through QMP stops the wait and opens the
    boot manager's front page, which the serial console shows."""
    disk = fat_disk(tmp_path / "kbd.img", ["echo QVMUEFI-END", "reset"])
    extra = ["-nic", "none", "-boot", "menu=on,splash-time=30000",
             "-drive", f"file={disk},format=raw,if=none,id=d0",
             "-device", "ide-hd,drive=d0,bus=ide.0"]
    with qemu.QemuSession(uefi_rom, machine=machine, mem="256M", kernel=False,
                          extra=extra) as s:
        prompted = s.wait_for(MENU_PROMPT, timeout=180)
        before = s.text("serial")
        s.qmp("send-key", keys=[{"type": "qcode", "data": "f2"}])
        opened = s.wait_for("Boot Maintenance Manager", timeout=120)
        r = s.finish()
    assert prompted, r.summary()
    assert opened, console(r)[-3000:]
    for item in FRONT_PAGE:
        assert item not in before and item in console(r), item
    assert "QVMUEFI-END" not in console(r)


def test_nvme_and_virtio_scsi_disks_boot(uefi_rom, tmp_path):
    """-nodefaults (no display, no NIC): the BOOTX64.EFI of an NVMe disk and then of a
    virtio-scsi disk run in bootindex order. NICs whose option ROMs are corrupt are reported,
    each with what is wrong, and skipped."""
    app = marker_efi(tmp_path)
    nvme = marker_disk(tmp_path, "nvme", app, "NVME")
    scsi = marker_disk(tmp_path, "scsi", app, "SCSI")
    # (slot, ROM bytes, reason): zeros; a 55AA header pointing at no PCIR; a PCIR whose
    # image is longer than the ROM.
    pcir = b"PCIR" + bytes(12) + (0xffff).to_bytes(2, "little") + bytes(6)
    bad = [(6, bytes(4096), "no 55AA signature"),
           (7, b"\x55\xaa" + bytes(4094), "no PCIR data structure"),
           (8, (b"\x55\xaa" + bytes(22) + (0x1c).to_bytes(2, "little") + bytes(2) + pcir)
            .ljust(4096, b"\0"), "an image length of 0 or beyond the ROM")]
    nics = []
    for slot, data, _ in bad:
        rom = tmp_path / f"bad{slot}.rom"
        rom.write_bytes(data)
        nics += ["-netdev", f"user,id=n{slot},restrict=on",
                 "-device", f"e1000,netdev=n{slot},addr={slot:#x},romfile={rom}"]
    extra = ["-nodefaults",
             "-drive", f"file={nvme},format=raw,if=none,id=d0",
             "-device", "nvme,drive=d0,serial=qvm-nvme,bootindex=1",
             "-device", "virtio-scsi-pci,id=scsi0",
             "-drive", f"file={scsi},format=raw,if=none,id=d1",
             "-device", "scsi-hd,drive=d1,bus=scsi0.0,bootindex=2"] + nics
    r = qemu.run_qemu(uefi_rom, machine="q35", mem="256M", kernel=False, timeout=180,
                      extra=extra)
    out = console(r)
    assert "QVM-MARKER-NVME" in out and "QVM-MARKER-SCSI" in out, r.summary()
    assert out.index("QVM-MARKER-NVME") < out.index("QVM-MARKER-SCSI"), out[-3000:]
    for slot, _, reason in bad:
        assert re.search(rf"qvm-pci-rom: 00:{slot:02x}\.0 option ROM at [0-9A-F]+ is not "
                         rf"valid \({reason}\): not run", out), out[-3000:]
    assert "iPXE" not in out
    assert not r.timed_out and r.exitcode == 0, r.summary()


@pytest.mark.parametrize("machine,nic", [("q35", "virtio-net-pci"), ("pc", "e1000")])
def test_network_boot_loads_an_app_over_tftp(uefi_rom, tmp_path, machine, nic):
    """No disk; the NIC has bootindex=1. Its option ROM's EFI image (iPXE) is dispatched, BDS
    boots it, and iPXE fetches and starts the application QEMU's TFTP server offers."""
    tftp = tmp_path / "tftp"
    tftp.mkdir()
    marker_efi(tftp)
    extra = ["-netdev", f"user,id=n0,restrict=on,tftp={tftp},bootfile=marker.efi",
             "-device", f"{nic},netdev=n0,addr=0x5,bootindex=1"]
    r = qemu.run_qemu(uefi_rom, machine=machine, mem="256M", kernel=False, timeout=180,
                      extra=extra, until="QVM-MARKER-EFI")
    out = console(r)
    assert r.until_seen, r.summary()
    assert re.search(r"qvm-pci-rom: 00:05\.0 option ROM with an EFI image, \d+ bytes", out), \
        out[-3000:]
    assert "iPXE" in out and "marker.efi... ok" in out, out[-3000:]
    assert out.index("marker.efi... ok") < out.index("QVM-MARKER-EFI")


def test_machine_without_ps2_controller_boots(uefi_rom, tmp_path):
    """-M q35,i8042=off: the keyboard driver finds no controller (it reads back 0xff) and
    gives up; the boot goes on to the shell."""
    disk = fat_disk(tmp_path / "nokbc.img", ["echo QVMUEFI-END", "reset"])
    r = qemu.run_qemu(uefi_rom, machine="q35,i8042=off", mem="256M", kernel=False,
                      timeout=180, extra=NO_NIC + ["-drive", f"file={disk},format=raw,if=ide"])
    assert "QVMUEFI-END" in console(r), r.summary()
    assert not r.timed_out and r.exitcode == 0, r.summary()
