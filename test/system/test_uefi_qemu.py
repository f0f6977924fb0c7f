# SPDX-License-Identifier: MIT
"""Issue 13: the UEFI payload follows what QEMU was told, as OVMF does.

-kernel/-initrd/-append start the kernel's EFI stub (OvmfPkg's kernel loader file system);
fw_cfg bootorder (bootindex) orders the boot options; -boot menu=on,splash-time makes the
boot manager wait and say so on the serial console.
"""
import subprocess

import pytest

import qemu
from test_uefi import FIRMWARE_WARNINGS, NO_NIC, acpi_tables, console, fat_disk
from test_uefi_vars import marker_efi

MENU_PROMPT = "Boot Manager Menu: press F2 or Down within"


@pytest.mark.long
def test_kernel_through_uefi_matches_seabios(uefi_rom, qvmloader_rom, guest):
    """-kernel through the UEFI payload: Linux (EFI stub) gets the initrd and command line and
    sees the machine as through the SeaBIOS chain."""
    append = "qvm.modules=none qvm.marker=uefi-kernel"
    r = qemu.run_qemu(uefi_rom, machine="q35", mem="1G", smp=2, append=append, timeout=240)
    r.assert_done()
    ref = qemu.run_qemu(qvmloader_rom, machine="q35", mem="1G", smp=2, append=append)
    ref.assert_done()
    assert "payload: embedded payload, " in r.debug, r.summary()
    assert "Starting the kernel given with -kernel" in console(r), r.summary()
    assert r.fact("efi") == "1" and ref.fact("efi") == "0"
    assert "efi: EFI v2.70 by EDK II" in r.dmesg
    for warning in FIRMWARE_WARNINGS:
        assert warning not in r.dmesg, f"{warning!r} in the kernel log\n{r.dmesg}"
    assert "qvm.marker=uefi-kernel" in r.fact("cmdline")
    assert r.fact("initrd_sha256") == guest.canary_sha256 == ref.fact("initrd_sha256")
    assert r.fact_int("cpus") == 2
    tables, ref_tables = acpi_tables(r), acpi_tables(ref)
    assert {k: v for k, v in tables.items() if k != "FACP"} == \
        {k: v for k, v in ref_tables.items() if k != "FACP"}
    assert r.facts["dmi"] == ref.facts["dmi"]
    assert r.pci() == ref.pci() and r.pci_resources() == ref.pci_resources()


def marker_disk(tmp_path, name, app, tag, sign=None):
    """A FAT disk whose \\EFI\\BOOT\\BOOTX64.EFI prints QVM-MARKER-<tag> and fails, so the boot
    manager goes on; its startup.nsh resets, ending the run once the shell is reached.
    sign(path): the signed copy of the application to put there instead (Secure Boot)."""
    data = app.read_bytes()
    assert data.count(b"QVM-MARKER-EFI") == 1
    efi = tmp_path / f"{name}.efi"
    efi.write_bytes(data.replace(b"QVM-MARKER-EFI", f"QVM-MARKER-{tag}".encode()))
    if sign:
        efi = sign(efi)
    disk = fat_disk(tmp_path / f"{name}.img", ["reset"])
    subprocess.run(["mmd", "-i", str(disk), "::/EFI", "::/EFI/BOOT"], check=True)
    subprocess.run(["mcopy", "-i", str(disk), str(efi), "::/EFI/BOOT/BOOTX64.EFI"], check=True)
    return disk


@pytest.mark.parametrize("first", ["AAA", "BBB"])
def test_bootindex_picks_the_disk(uefi_rom, tmp_path, first):
    """Two virtio disks, A in the lower PCI slot: bootindex decides which is tried first."""
    app = marker_efi(tmp_path)
    disks = {tag: marker_disk(tmp_path, tag.lower(), app, tag) for tag in ("AAA", "BBB")}
    extra = list(NO_NIC)
    for i, tag in enumerate(("AAA", "BBB")):
        index = 1 if tag == first else 2
        extra += ["-drive", f"file={disks[tag]},format=raw,if=none,id=d{i}",
                  "-device", f"virtio-blk-pci,drive=d{i},addr={4 + i:#x},bootindex={index}"]
    r = qemu.run_qemu(uefi_rom, machine="q35", mem="256M", kernel=False, timeout=120,
                      extra=extra)
    out = console(r)
    second = "BBB" if first == "AAA" else "AAA"
    assert f"QVM-MARKER-{first}" in out and f"QVM-MARKER-{second}" in out, r.summary()
    assert out.index(f"QVM-MARKER-{first}") < out.index(f"QVM-MARKER-{second}"), out[-3000:]
    assert MENU_PROMPT not in out
    assert not r.timed_out and r.exitcode == 0, r.summary()


def test_boot_menu_waits_on_serial(uefi_rom, tmp_path):
    """-boot menu=on,splash-time=3000: the boot manager counts down 3 s on the console."""
    disk = fat_disk(tmp_path / "shell.img", ["echo QVMUEFI-END", "reset"])
    r = qemu.run_qemu(uefi_rom, machine="q35", mem="256M", kernel=False, timeout=120,
                      extra=NO_NIC + ["-boot", "menu=on,splash-time=3000",
                             "-drive", f"file={disk},format=raw,if=none,id=d0",
                             "-device", "ide-hd,drive=d0,bus=ide.0"])
    out = console(r)
    assert "F2 or Down      to enter Boot Manager Menu." in out, r.summary()
    for left in (3, 2, 1):
        assert f"{MENU_PROMPT} {left} s" in out, out[-3000:]
    assert f"{MENU_PROMPT} 4 s" not in out
    assert out.index(f"{MENU_PROMPT} 1 s") < out.index("QVMUEFI-END")
    assert not r.timed_out and r.exitcode == 0, r.summary()
