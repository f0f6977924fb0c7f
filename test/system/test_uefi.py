# SPDX-License-Identifier: MIT
"""Issue 8: qvmloader -> EDK2 UefiPayloadPkg (coreboot-table payload) -> UEFI shell and Linux.

The payload gets no -kernel: every boot goes through a FAT disk image built with mtools whose
startup.nsh the UEFI shell runs, with its output on the serial console. Linux (Debian's kernel,
booted by its EFI stub from that disk) must see EFI runtime services, GOP as efifb, and the same
ACPI tables, SMBIOS strings, PCI resources and memory as through the SeaBIOS chain; TSEG stays
locked. Too little RAM is refused with a clear message; pc (no MCFG) goes through CF8.
"""
import re
import subprocess

import pytest

import qemu

MIB = 1 << 20
GIB = 1 << 30
UEFI_FD = qemu.OUT / "edk2" / "UEFIPAYLOAD.fd"
qemu.HOW_TO_BUILD[UEFI_FD] = "make edk2"

ANSI = re.compile(r"\x1b\[[0-9;=?]*[A-Za-z]")
# Kernel messages that mean the firmware handed over something Linux had to correct or ignore.
FIRMWARE_WARNINGS = ["[Firmware Bug]", "[Firmware Warn]", "ACPI Error", "ACPI BIOS Error",
                     "ACPI Warning", "efi: EFI runtime services disabled", "mapping failed"]
# No NIC: QEMU's default one carries an iPXE ROM, whose network boot (DHCP, about 5 s under
# TCG) BDS tries before the shell. Tests not about the machine as a whole leave it out.
NO_NIC = ["-nic", "none"]
DISK_DEVICES = {
    "ahci": ["-device", "ide-hd,drive=d0,bus=ide.0"],
    "virtio-blk": ["-device", "virtio-blk-pci,drive=d0"],
}


@pytest.fixture
def uefi_fd():
    """out/edk2/UEFIPAYLOAD.fd: the payload alone (for the fw_cfg override)."""
    try:
        return qemu.require(UEFI_FD)
    except qemu.MissingArtifact as e:
        pytest.fail(str(e), pytrace=False)


def fat_disk(path, script, files=()):
    """A 64 MiB FAT disk image (no partition table) holding startup.nsh and `files`."""
    path.unlink(missing_ok=True)
    subprocess.run(["mkfs.fat", "-C", "-n", "QVMUEFI", str(path), str(64 * 1024)], check=True,
                   capture_output=True)
    nsh = path.with_suffix(".nsh")
    nsh.write_bytes(("\r\n".join(script) + "\r\n").encode())
    subprocess.run(["mcopy", "-i", str(path), str(nsh), "::/startup.nsh"], check=True)
    for src, name in files:
        subprocess.run(["mcopy", "-i", str(path), str(src), f"::/{name}"], check=True)
    return path


def linux_disk(tmp_path, guest, append):
    """A disk whose startup.nsh boots the test guest's kernel (EFI stub) with its initrd."""
    cmdline = f"initrd=\\initrd.img {qemu.BASE_APPEND} {append}".strip()
    return fat_disk(tmp_path / "linux.img",
                    ["echo QVMUEFI-STARTUP", "fs0:", f"\\vmlinuz.efi {cmdline}"],
                    [(guest.kernel, "vmlinuz.efi"), (guest.initrd, "initrd.img")])


def drive(disk, bus):
    """QEMU arguments attaching raw image `disk` as drive d0 on `bus`."""
    return ["-drive", f"file={disk},format=raw,if=none,id=d0"] + DISK_DEVICES[bus]


def console(r):
    """The serial log without ANSI escape sequences."""
    return ANSI.sub("", r.serial)


def acpi_tables(r):
    """{signature: (length, sha256)} of the tables Linux found."""
    return {v.split()[0]: tuple(v.split()[1:]) for v in r.facts["acpi"]}


def system_ram(r):
    """Total bytes Linux's firmware memory map calls System RAM."""
    return sum(e - s + 1 for s, e, kind in r.e820() if kind == "System RAM")


def tseg(r):
    """(base, size) of TSEG from the loader's log."""
    m = re.search(r"into TSEG (\d+)MiB at ([0-9a-f]+)", r.debug)
    assert m, r.summary()
    return int(m.group(2), 16), int(m.group(1)) * MIB


def test_shell_from_fw_cfg_payload(qvmloader_nopayload_rom, uefi_fd, tmp_path):
    """The FD given at run time reaches the shell, which runs startup.nsh and resets."""
    disk = fat_disk(tmp_path / "shell.img",
                    ["echo QVMUEFI-STARTUP", "map -r", "pci", "ver", "echo QVMUEFI-END", "reset"])
    r = qemu.run_qemu(qvmloader_nopayload_rom, machine="q35", mem="512M", kernel=False,
                      timeout=120,
                      extra=["-fw_cfg", f"name=opt/qvmloader/payload,file={uefi_fd}"] +
                      drive(disk, "ahci") + NO_NIC)
    out = console(r)
    assert "payload: fw_cfg opt/qvmloader/payload" in r.debug, r.summary()
    m = re.search(r"uefi: calling SEC at ([0-9a-f]+)", r.debug)
    assert m and 0x800000 < int(m.group(1), 16) < 0x800000 + UEFI_FD.stat().st_size, r.summary()
    assert "UEFI Interactive Shell" in out, r.summary()
    assert "QVMUEFI-END" in out, r.summary()
    # The shell ran our script: the disk is FS0 and PCI config space is readable (MCFG).
    assert re.search(r"FS0: Alias\(s\):.*\n\s*PciRoot\(0x0\)/Pci\(0x1F,0x2\)/Sata", out), out[-3000:]
    assert re.search(r"Vendor 8086 Device 29C0", out), out[-3000:]
    assert re.search(r"Vendor 1234 Device 1111", out), out[-3000:]
    assert "UEFI v2.70 (EDK II" in out
    # "reset" went through the FADT reset register: QEMU exits (-no-reboot) on its own.
    assert not r.timed_out and r.exitcode == 0, r.summary()


@pytest.mark.parametrize("bus", [pytest.param("ahci", marks=pytest.mark.long), "virtio-blk"])
def test_linux_through_uefi_matches_seabios(uefi_rom, qvmloader_rom, guest, tmp_path, bus):
    """Linux booted by its EFI stub sees what it sees through SeaBIOS, plus EFI and GOP."""
    append = "qvm.modules=none"
    disk = linux_disk(tmp_path, guest, append)
    r = qemu.run_qemu(uefi_rom, machine="q35", mem="2G", smp=2, kernel=False, timeout=240,
                      extra=drive(disk, bus))
    r.assert_done()
    ref = qemu.run_qemu(qvmloader_rom, machine="q35", mem="2G", smp=2, append=append,
                        extra=drive(disk, bus))
    ref.assert_done()

    assert "QVMUEFI-STARTUP" in console(r), r.summary()
    assert r.fact("efi") == "1" and ref.fact("efi") == "0"
    assert "efi: EFI v2.70 by EDK II" in r.dmesg, r.summary()
    assert "Registered efivars operations" in r.dmesg, "no EFI runtime services"
    for warning in FIRMWARE_WARNINGS:
        assert warning not in r.dmesg, f"{warning!r} in the kernel log\n{r.dmesg}"
    assert r.fact("initrd_sha256") == guest.canary_sha256
    assert r.fact_int("cpus") == 2

    # ACPI: the same tables byte for byte, except the FADT whose pointers EDK2 re-links.
    tables, ref_tables = acpi_tables(r), acpi_tables(ref)
    assert set(tables) == set(ref_tables), (tables, ref_tables)
    assert {"FACP", "DSDT", "FACS", "APIC", "MCFG", "HPET"} <= set(tables)
    assert {k: v for k, v in tables.items() if k != "FACP"} == \
        {k: v for k, v in ref_tables.items() if k != "FACP"}
    assert tables["FACP"][0] == ref_tables["FACP"][0]
    # SMBIOS: every DMI string, including the loader's Type 0.
    assert r.facts["dmi"] == ref.facts["dmi"]
    assert "bios_vendor=qvmloader" in r.facts["dmi"]
    # PCI: nothing re-enumerated or moved.
    assert r.pci() == ref.pci()
    assert r.pci_resources() == ref.pci_resources()
    # GOP: efifb on the std VGA's BAR0 in the mode QemuVideoDxe set (the EDID's 1280x800).
    vga_bar0 = r.pci_resources()["00:01.0"][0][0]
    assert f"efifb: framebuffer at {vga_bar0:#x}" in r.dmesg, r.dmesg
    assert "efifb: mode is 1280x800x32, linelength=5120" in r.dmesg
    # Memory: the same RAM, give or take what EDK2 keeps for runtime services and tables.
    ram, ref_ram = system_ram(r), system_ram(ref)
    assert ref_ram - 24 * MIB <= ram <= ref_ram, (ram, ref_ram)
    memtotal, ref_memtotal = r.fact_int("memtotal_kb") << 10, ref.fact_int("memtotal_kb") << 10
    assert abs(memtotal - ref_memtotal) <= 8 * MIB, (memtotal, ref_memtotal)
    base, size = tseg(r)
    assert not any(s < base + size and base <= e
                   for s, e, kind in r.e820() if kind == "System RAM"), r.e820()


def test_tseg_stays_locked_under_uefi(uefi_rom, guest, tmp_path):
    """The payload has no SMM: SMRAM stays closed and locked for the OS."""
    disk = linux_disk(tmp_path, guest, "qvm.modules=none qvm.action=smram "
                                       "qvm.smram=0x1f000000 qvm.smramreg=157")
    r = qemu.run_qemu(uefi_rom, machine="q35", mem="512M", smp=2, kernel=False, timeout=240,
                      extra=drive(disk, "ahci") + NO_NIC)
    r.assert_done()
    assert tseg(r) == (0x1F000000, 16 * MIB)
    assert r.fact("smram_read") == "0x1f000000 " + "ff" * 16, r.summary()
    assert r.fact("smram_reopen") == "1a", "D_OPEN must not stick once D_LCK is set"
    assert r.fact("smram_reread") == "0x1f000000 " + "ff" * 16
    assert "PWN" not in r.debug


def test_linux_through_uefi_above_4g(uefi_rom, guest, tmp_path):
    """6 GiB: 2 GiB below 4 GiB, 4 GiB above it, all reaching Linux through the payload."""
    disk = linux_disk(tmp_path, guest, "qvm.modules=none")
    r = qemu.run_qemu(uefi_rom, machine="q35", mem="6G", kernel=False, timeout=240,
                      extra=drive(disk, "ahci") + NO_NIC)
    r.assert_done()
    assert r.fact("efi") == "1"
    high = [(s, e, kind) for s, e, kind in r.e820() if 4 * GIB <= s < 16 * GIB]
    assert high and high[0][0] == 4 * GIB, r.e820()
    for (_, e1, _), (s2, _, _) in zip(high, high[1:]):
        assert s2 == e1 + 1, f"hole above 4 GiB: {high}"
    ram_high = sum(e - s + 1 for s, e, kind in high if kind == "System RAM")
    assert max(e for s, e, kind in high if kind == "System RAM") < 8 * GIB
    assert 4 * GIB - 64 * MIB <= ram_high <= 4 * GIB, high
    assert 6 * GIB - 128 * MIB <= system_ram(r) <= 6 * GIB
    assert r.fact_int("memtotal_kb") << 10 > 5 * GIB + GIB // 2


def test_too_little_ram_is_refused(uefi_rom):
    r = qemu.run_qemu(uefi_rom, machine="q35", mem="64M", kernel=False, timeout=60,
                      until="halting", until_log="debug")
    assert re.search(r"uefi: the payload uses e00000-4dfffff \(HOB and DXE core area\) without "
                     r"asking, but RAM below 4 GiB ends at [0-9a-f]+ \(\d+ MiB\): the guest "
                     r"needs more than 78 MiB of RAM for UEFI; not booting the payload",
                     r.debug), r.summary()
    assert "(EDK2 UEFI payload FD) cannot be booted; halting" in r.debug
    assert "uefi: calling SEC" not in r.debug
    assert "UEFI" not in r.serial


def test_pc_machine_shell_and_linux(uefi_rom, qvmloader_rom, guest, tmp_path):
    """pc (i440FX, no MCFG, revision 1 FADT): the payload reaches PCI through CF8, its shell
    lists the i440FX devices, and Linux sees what it sees through the SeaBIOS chain."""
    append = "qvm.modules=none"
    cmdline = f"initrd=\\initrd.img {qemu.BASE_APPEND} {append}"
    disk = fat_disk(tmp_path / "pc.img", ["echo QVMUEFI-STARTUP", "pci", "fs0:",
                                          f"\\vmlinuz.efi {cmdline}"],
                    [(guest.kernel, "vmlinuz.efi"), (guest.initrd, "initrd.img")])
    r = qemu.run_qemu(uefi_rom, machine="pc", mem="1G", kernel=False, timeout=240,
                      extra=["-drive", f"file={disk},format=raw,if=ide"])
    r.assert_done()
    ref = qemu.run_qemu(qvmloader_rom, machine="pc", mem="1G", append=append)
    ref.assert_done()
    out = console(r)
    assert "uefi: calling SEC" in r.debug, r.summary()
    assert re.search(r"Vendor 8086 Device 1237", out), out[-3000:]  # i440FX host bridge
    assert re.search(r"Vendor 8086 Device 7000", out), out[-3000:]  # PIIX3
    assert r.fact("efi") == "1" and ref.fact("efi") == "0"
    for warning in FIRMWARE_WARNINGS:
        assert warning not in r.dmesg, f"{warning!r} in the kernel log\n{r.dmesg}"
    tables, ref_tables = acpi_tables(r), acpi_tables(ref)
    assert "MCFG" not in tables
    assert {k: v for k, v in tables.items() if k != "FACP"} == \
        {k: v for k, v in ref_tables.items() if k != "FACP"}
    assert r.facts["dmi"] == ref.facts["dmi"]
    assert r.pci() == ref.pci() and r.pci_resources() == ref.pci_resources()
    vga_bar0 = r.pci_resources()["00:02.0"][0][0]
    assert f"efifb: framebuffer at {vga_bar0:#x}" in r.dmesg, r.dmesg


def test_small_ram_still_boots(uefi_rom, tmp_path):
    """96 MiB (80 MiB of it below TSEG) is enough: the payload reaches its shell."""
    disk = fat_disk(tmp_path / "small.img", ["echo QVMUEFI-SMALL", "reset"])
    r = qemu.run_qemu(uefi_rom, machine="q35", mem="96M", kernel=False, timeout=90,
                      extra=drive(disk, "ahci") + NO_NIC)
    assert "uefi: calling SEC" in r.debug, r.summary()
    assert "QVMUEFI-SMALL" in console(r), r.summary()
    assert not r.timed_out and r.exitcode == 0, r.summary()
