# SPDX-License-Identifier: MIT
"""The compatibility matrix: QEMU configurations, each booted with qvmloader and with stock
firmware on the same command line, the Linux test guest (out/guest) judging both.

A Config names a machine line and a payload row kind:
  seabios: out/qvmloader.bin against Debian's SeaBIOS (/usr/share/seabios/bios-256k.bin),
           both booting the guest through -kernel (SeaBIOS's linuxboot option ROM);
  linux:   out/qvmloader-linux.bin (direct Linux ROM) against the same stock SeaBIOS line;
  uefi:    out/qvmloader-uefi.bin against OVMF (pflash), both booting the guest's kernel by
           its EFI stub from a FAT disk whose startup.nsh the UEFI shell runs.
judge() turns one run into a Verdict; compare() lists how two verdicts differ.
test/matrix/run-matrix.py runs the whole list; test/system/test_matrix_sample.py a fixed sample.
"""
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "system"))
import qemu  # noqa: E402

MATRIX_OUT = qemu.OUT / "matrix"
UEFI_ROM = qemu.UEFI_ROM
LINUX_ROM = qemu.LINUX_ROM
OVMF_CODE = Path("/usr/share/OVMF/OVMF_CODE_4M.fd")
OVMF_VARS = Path("/usr/share/OVMF/OVMF_VARS_4M.fd")
qemu.HOW_TO_BUILD.setdefault(OVMF_CODE, "make setup (Debian package ovmf)")

# Many vCPUs under TCG: one host thread runs them all (multi-threaded TCG with 64 or 255
# threads on a 2-core host spends its time in lock contention).
BIG_SMP_ACCEL = "tcg,thread=single"
DISK = "@DISK@"  # replaced by the run's scratch disk image
ANSI = re.compile(r"\x1b\[[0-9;=?]*[A-Za-z]")

# Kernel messages that say the firmware handed over something wrong or incomplete.
FIRMWARE_WARNINGS = re.compile(
    r"\[Firmware (Bug|Warn)\]|ACPI (BIOS )?(Error|Warning)|can't claim|no space for|"
    r"failed to assign|BAR \d+: assigned \[|bridge configuration invalid|"
    r"MTRR.*(disabled|inconsistent)|PAT support disabled|mapping failed|"
    r"efi: EFI runtime services disabled|APIC: .*(broken|disabled)|IRQ.* (not routed|no GSI)|"
    r"MP-BIOS bug|ioapic .*mismatch|SRAT: .*ignored|not in SRAT|e820: .*overlap")


# Kernel messages that come from a time-limited check and appeared with either firmware, at
# random, on this loaded TCG host (check_timer() waits a few jiffies for IRQ0 through the
# I/O APIC, then falls back to another route): reported, not judged.
TIMING_NOTES = re.compile(r"MP-BIOS bug: 8254 timer not connected")


def judged(warnings):
    """The warnings that count against a firmware (timing notes removed)."""
    return [w for w in warnings if not TIMING_NOTES.search(w)]


@dataclass
class Config:
    """One QEMU configuration of the matrix."""
    name: str
    machine: str = "q35"
    smp: str = "2"
    mem: str = "512M"
    extra: list = field(default_factory=list)
    disk: str = "vda"  # block device the guest must read (empty: none)
    payload: str = "seabios"  # seabios, linux or uefi
    timeout: int = 180
    what: str = ""  # one line for the table
    accel: str = None  # -accel value; None: $QVM_ACCEL (tcg)

    def firmwares(self):
        """(qvmloader image, reference name) for this row kind."""
        if self.payload == "uefi":
            return UEFI_ROM, "OVMF"
        if self.payload == "linux":
            return LINUX_ROM, "SeaBIOS"
        return qemu.QVMLOADER_ROM, "SeaBIOS"


def virtio_disk():
    """A raw drive d0 on virtio-blk-pci."""
    return ["-drive", f"file={DISK},format=raw,if=none,id=d0,snapshot=on",
            "-device", "virtio-blk-pci,drive=d0"]


def drive_on(device, bus=None):
    """A raw drive d0 attached as `device` (e.g. ide-hd, scsi-hd, nvme)."""
    dev = f"{device},drive=d0" + (f",bus={bus}" if bus else "") + (
        ",serial=qvm0" if device == "nvme" else "")
    return ["-drive", f"file={DISK},format=raw,if=none,id=d0,snapshot=on", "-device", dev]


def _configs():
    """Every configuration of the matrix, in table order."""
    c = []
    v = virtio_disk()
    # Machine types, current and older versioned ones.
    for m in ["pc", "q35", "pc-i440fx-7.2", "pc-i440fx-6.2", "pc-i440fx-5.2", "pc-i440fx-4.2",
              "pc-i440fx-3.1", "pc-i440fx-2.12", "pc-i440fx-2.6", "pc-i440fx-1.7",
              "pc-q35-7.2", "pc-q35-6.2", "pc-q35-5.2", "pc-q35-4.2", "pc-q35-3.1",
              "pc-q35-2.12", "pc-q35-2.6"]:
        c.append(Config(f"machine-{m}", machine=m, extra=v, what=f"-M {m}, virtio-blk"))
    # vCPUs.
    for m in ["pc", "q35"]:
        for n in ["1", "8", "64"]:
            c.append(Config(f"{m}-smp{n}", machine=m, smp=n, mem="1G", extra=v,
                            timeout=600 if n == "64" else 180, what=f"-smp {n}",
                            accel=BIG_SMP_ACCEL if n == "64" else None))
    c.append(Config("q35-smp255", machine="q35", smp="255", mem="2G", extra=v, timeout=1200,
                    what="-smp 255 (xAPIC IDs 0-254)", accel=BIG_SMP_ACCEL))
    # Memory sizes.
    for m in ["pc", "q35"]:
        for mem in ["128M", "1G", "3G", "4G", "8G"]:
            c.append(Config(f"{m}-mem{mem}", machine=m, mem=mem, extra=v, what=f"-m {mem}"))
    # 64 GiB on this 24 GiB host: QEMU's default RAM reservation fails, so the RAM backend
    # is mapped without reserving swap (the guest touches only what it uses).
    big = ["-object", "memory-backend-ram,id=ram64,size=64G,reserve=off"]
    for m in ["q35", "pc"]:
        c.append(Config(f"{m}-mem64G", machine=f"{m},memory-backend=ram64", mem="64G",
                        extra=v + big, timeout=600, what="-m 64G (RAM backend reserve=off)"))
    # NUMA and memory hotplug slots.
    numa = ["-object", "memory-backend-ram,id=m0,size=512M",
            "-object", "memory-backend-ram,id=m1,size=512M",
            "-numa", "node,nodeid=0,cpus=0-1,memdev=m0",
            "-numa", "node,nodeid=1,cpus=2-3,memdev=m1"]
    for m in ["pc", "q35"]:
        c.append(Config(f"{m}-numa2", machine=m, smp="4", mem="1G", extra=v + numa,
                        what="2 NUMA nodes, 2 CPUs and 512 MiB each"))
        c.append(Config(f"{m}-hotplug-slots", machine=m, mem="1G,slots=4,maxmem=16G",
                        extra=v + ["-object", "memory-backend-ram,id=hp0,size=1G",
                                   "-device", "pc-dimm,id=dimm0,memdev=hp0"],
                        what="-m 1G,slots=4,maxmem=16G plus a 1 GiB pc-dimm"))
    # Device sets.
    for m in ["pc", "q35"]:
        c.append(Config(f"{m}-defaults", machine=m, extra=v, what="QEMU's default devices"))
        c.append(Config(f"{m}-nodefaults", machine=m, extra=["-nodefaults"] + v,
                        what="-nodefaults"))
        c.append(Config(f"{m}-virtio-set", machine=m, extra=["-nodefaults"] + v + [
            "-device", "virtio-net-pci", "-device", "virtio-rng-pci",
            "-device", "virtio-balloon-pci", "-device", "virtio-serial-pci",
            "-device", "virtio-scsi-pci", "-device", "virtio-vga"],
            what="-nodefaults, virtio blk/net/rng/balloon/serial/scsi/vga"))
    c.append(Config("pc-ide", machine="pc", disk="sda",
                    extra=["-drive", f"file={DISK},format=raw,if=ide,snapshot=on"],
                    what="IDE disk (PIIX)"))
    c.append(Config("pc-ahci", machine="pc", disk="sda",
                    extra=["-device", "ahci,id=ahci0"] + drive_on("ide-hd", "ahci0.0"),
                    what="AHCI controller on pc"))
    c.append(Config("q35-ahci", machine="q35", disk="sda", extra=drive_on("ide-hd", "ide.0"),
                    what="ICH9 AHCI disk"))
    for m in ["pc", "q35"]:
        c.append(Config(f"{m}-virtio-scsi", machine=m, disk="sda",
                        extra=["-device", "virtio-scsi-pci,id=scsi0"] + drive_on("scsi-hd"),
                        what="virtio-scsi disk"))
        c.append(Config(f"{m}-nvme", machine=m, disk="nvme0n1", extra=drive_on("nvme"),
                        what="NVMe disk"))
        c.append(Config(f"{m}-usb-storage", machine=m, disk="sda",
                        extra=["-device", "qemu-xhci,id=xhci"] + drive_on("usb-storage"),
                        what="USB storage on xHCI"))
    c.append(Config("pc-usb-ehci-uhci", machine="pc", disk="sda",
                    extra=["-device", "ich9-usb-ehci1,id=ehci", "-device", "ich9-usb-uhci1",
                           "-device", "usb-tablet"] + drive_on("usb-storage", "ehci.0"),
                    what="USB storage on EHCI, UHCI companion, usb-tablet"))
    for nic in ["e1000", "e1000e", "rtl8139", "virtio-net-pci", "vmxnet3", "pcnet",
                "ne2k_pci", "i82559er"]:
        c.append(Config(f"q35-nic-{nic}", machine="q35", extra=["-nodefaults"] + v + [
            "-netdev", "user,id=n0", "-device", f"{nic},netdev=n0"],
            what=f"{nic} NIC with its iPXE ROM"))
    c.append(Config("pc-nic-rtl8139-e1000", machine="pc", extra=v + [
        "-netdev", "user,id=n0", "-device", "rtl8139,netdev=n0",
        "-netdev", "user,id=n1", "-device", "e1000,netdev=n1"],
        what="two NICs with iPXE ROMs"))
    for vga in ["std", "cirrus", "vmware", "qxl", "virtio", "none"]:
        c.append(Config(f"pc-vga-{vga}", machine="pc", extra=v + ["-vga", vga],
                        what=f"-vga {vga}"))
    for dev in ["bochs-display", "virtio-gpu-pci", "ati-vga", "ramfb", "secondary-vga"]:
        c.append(Config(f"q35-display-{dev}", machine="q35",
                        extra=v + ["-vga", "none", "-device", dev], what=f"-device {dev}"))
    c.append(Config("q35-audio-hda", machine="q35", extra=v + [
        "-audiodev", "none,id=a0", "-device", "intel-hda", "-device", "hda-duplex,audiodev=a0"],
        what="intel-hda with hda-duplex"))
    c.append(Config("pc-audio-ac97-es1370-sb16", machine="pc", extra=v + [
        "-audiodev", "none,id=a0", "-device", "AC97,audiodev=a0",
        "-device", "ES1370,audiodev=a0", "-device", "sb16,audiodev=a0"],
        what="AC97, ES1370 and ISA SB16"))
    c.append(Config("pc-pci-bridge", machine="pc", extra=[
        "-device", "pci-bridge,id=br1,chassis_nr=1",
        "-drive", f"file={DISK},format=raw,if=none,id=d0,snapshot=on",
        "-device", "virtio-blk-pci,drive=d0,bus=br1,addr=3",
        "-device", "e1000,bus=br1,addr=4"], what="virtio-blk and e1000 behind a pci-bridge"))
    c.append(Config("q35-root-ports", machine="q35", extra=[
        "-device", "pcie-root-port,id=rp1,chassis=1", "-device", "pcie-root-port,id=rp2,chassis=2",
        "-device", "pcie-root-port,id=rp3,chassis=3", "-device", "pcie-root-port,id=rp4,chassis=4",
        "-drive", f"file={DISK},format=raw,if=none,id=d0,snapshot=on",
        "-device", "virtio-blk-pci,drive=d0,bus=rp1", "-device", "e1000e,bus=rp2"],
        what="4 PCIe root ports, virtio-blk and e1000e behind them"))
    c.append(Config("q35-pxb-pcie", machine="q35", extra=[
        "-device", "pxb-pcie,id=pxb1,bus_nr=128,bus=pcie.0",
        "-device", "pcie-root-port,id=rp1,bus=pxb1,chassis=1",
        "-drive", f"file={DISK},format=raw,if=none,id=d0,snapshot=on",
        "-device", "virtio-blk-pci,drive=d0,bus=rp1"], what="pxb-pcie extra root bus"))
    c.append(Config("q35-intel-iommu", machine="q35,kernel-irqchip=split", extra=v + [
        "-device", "intel-iommu,intremap=on"], what="intel-iommu with interrupt remapping"))
    c.append(Config("q35-misc", machine="q35", extra=v + [
        "-device", "i6300esb", "-device", "pvpanic", "-device", "virtio-rng-pci",
        "-device", "qemu-xhci", "-device", "usb-kbd"],
        what="watchdog, pvpanic, rng, xHCI keyboard"))
    c.append(Config("pc-no-hpet", machine="pc,hpet=off", extra=v, what="-M pc,hpet=off"))
    c.append(Config("q35-cpu-max", machine="q35", extra=v + ["-cpu", "max"], what="-cpu max"))
    c.append(Config("pc-cpu-qemu32", machine="pc", extra=v + ["-cpu", "qemu32"],
                    what="-cpu qemu32"))
    # Direct-Linux ROM rows.
    for name, m, extra, disk, what in [
            ("linux-pc", "pc", v, "vda", "pc, virtio-blk"),
            ("linux-q35", "q35", v, "vda", "q35, virtio-blk"),
            ("linux-q35-nodefaults", "q35", ["-nodefaults"] + v, "vda", "q35 -nodefaults"),
            ("linux-pc-ide", "pc", drive_on("ide-hd"), "sda", "pc, IDE disk")]:
        c.append(Config(name, machine=m, extra=extra, payload="linux", disk=disk,
                        what="direct Linux ROM: " + what))
    c.append(Config("linux-q35-smp4-4G", machine="q35", smp="4", mem="4G", extra=v,
                    payload="linux", what="direct Linux ROM: 4 CPUs, 4 GiB"))
    # UEFI rows: the guest kernel by its EFI stub from a FAT disk (run_one adds it).
    for name, extra, smp, mem, what in [
            ("uefi-q35", [], "2", "1G", "q35"),
            ("uefi-q35-smp4-6G", [], "4", "6G", "q35, 4 CPUs, 6 GiB"),
            ("uefi-q35-nic-e1000", ["-netdev", "user,id=n0", "-device", "e1000,netdev=n0"],
             "2", "1G", "q35, e1000 NIC with its iPXE ROM"),
            ("uefi-q35-virtio-vga", ["-vga", "none", "-device", "virtio-vga"], "2", "1G",
             "q35, virtio-vga")]:
        c.append(Config(name, machine="q35", smp=smp, mem=mem, extra=extra, payload="uefi",
                        disk="sda", timeout=480, what="UEFI: " + what))
    return c


CONFIGS = _configs()
BY_NAME = {c.name: c for c in CONFIGS}


@dataclass
class Verdict:
    """What the guest showed for one run."""
    boots: bool
    pci: list  # "bdf vendor:device" Linux sees
    resources: int  # PCI resources (BARs, windows) Linux keeps assigned
    irq_serial: bool  # the ISA serial interrupt counted
    irq_disk: str  # "ok", "none" (disk read raised no interrupt) or "-" (no disk asked)
    disk_seen: bool
    warnings: list  # firmware-attributable kernel messages, timestamps removed
    roms: int  # option ROMs the BIOS ran (SeaBIOS's debug log)
    elapsed: float
    logs: str

    def short(self):
        """One cell of the table."""
        if not self.boots:
            return "no boot"
        return (f"boots, {len(self.pci)} dev, {self.resources} res, irq "
                f"{'ok' if self.irq_serial and self.irq_disk != 'none' else 'FAIL'}, "
                f"{len(judged(self.warnings))} warn" + (f", {self.roms} ROMs" if self.roms else "")
                + (", timer note" if len(judged(self.warnings)) < len(self.warnings) else ""))


def _warnings(dmesg):
    """Firmware-attributable kernel messages, without timestamps, addresses kept."""
    out = []
    for line in dmesg.split("\n"):
        text = re.sub(r"^\[\s*\d+\.\d+\]\s*", "", line).strip()
        if FIRMWARE_WARNINGS.search(text):
            out.append(text)
    return out


def _irq_total(line):
    """Sum of the per-CPU counts of a /proc/interrupts line (without the CPU header)."""
    return sum(int(x) for x in line.split()[1:] if x.isdigit())


def disk_irq(r, disk):
    """"ok" if the interrupt lines of `disk`'s controller counted interrupts (at probe time or
    while the disk action read it), else "none". The lines are found by the disk's sysfs path:
    its controller's BDF, virtioN/nvmeN, or the driver bound to that BDF."""
    path = next((v.split()[1] for v in r.facts.get("diskpath", [])
                 if v.split()[0] == disk and len(v.split()) > 1), "")
    bdfs = re.findall(r"0000:([0-9a-f]{2}:[0-9a-f]{2}\.[0-7])", path)
    if not bdfs:
        return "none"
    drivers = dict(v.split()[:2] for v in r.facts.get("pcidrv", []) if len(v.split()) > 1)
    names = {f"0000:{bdfs[-1]}"} | set(re.findall(r"/(virtio\d+|nvme\d+)/", path))
    if drivers.get(bdfs[-1]) in ("ata_piix", "xhci_hcd", "ehci-pci", "uhci_hcd"):
        names.add({"ehci-pci": "ehci_hcd"}.get(drivers[bdfs[-1]], drivers[bdfs[-1]]))
    mine = lambda name: any(n in name for n in names)
    for d in r.facts.get("irqdelta", []):
        w = d.split()
        if len(w) >= 4 and int(w[2]) > int(w[1]) and mine(" ".join(w[3:])):
            return "ok"
    for line in r.facts.get("irq", []):
        if re.match(r"\d+:", line) and mine(line) and _irq_total(line) > 0:
            return "ok"
    return "none"


def judge(r, cfg):
    """A Verdict from a QemuResult of cfg."""
    pci = sorted(v.split()[0] + " " + v.split()[1] + ":" + v.split()[2]
                 for v in r.facts.get("pci", []))
    serial = any("ttyS0" in l and _irq_total(l) > 0 for l in r.facts.get("irq", []))
    irq_disk = disk_irq(r, cfg.disk) if cfg.disk else "-"
    disk_seen = any(v.split()[0] == cfg.disk and "unreadable" not in v
                    for v in r.facts.get("disk", []))
    return Verdict(boots=r.done, pci=pci, resources=len(r.facts.get("pcires", [])),
                   irq_serial=serial, irq_disk=irq_disk, disk_seen=disk_seen or not cfg.disk,
                   warnings=_warnings(r.dmesg),
                   roms=len(re.findall(r"Running option rom at", r.debug)),
                   elapsed=r.elapsed, logs=str(r.rundir))


def compare(q, ref):
    """How qvmloader's verdict q differs from the reference's, as short phrases."""
    diff = []
    if q.boots != ref.boots:
        diff.append("qvmloader " + ("boots, reference does not" if q.boots else
                                    "does not boot, reference does"))
        return diff
    if not q.boots:
        return diff
    if q.pci != ref.pci:
        only_q = sorted(set(q.pci) - set(ref.pci))
        only_r = sorted(set(ref.pci) - set(q.pci))
        diff.append(f"PCI devices differ (only qvmloader: {only_q}, only reference: {only_r})")
    if q.resources != ref.resources:
        diff.append(f"PCI resources {q.resources} vs {ref.resources}")
    if (q.irq_serial, q.irq_disk) != (ref.irq_serial, ref.irq_disk):
        diff.append(f"interrupts serial={q.irq_serial}/{ref.irq_serial} "
                    f"disk={q.irq_disk}/{ref.irq_disk}")
    if q.roms != ref.roms:
        diff.append(f"option ROMs run {q.roms} vs {ref.roms}")
    if q.disk_seen != ref.disk_seen:
        diff.append(f"disk read {q.disk_seen}/{ref.disk_seen}")
    norm = lambda ws: sorted(set(re.sub(r"0x[0-9a-f]+|\[mem [^\]]*\]|\[io [^\]]*\]", "#", w)
                                 for w in ws))
    tq, tr = (len(v.warnings) - len(judged(v.warnings)) for v in (q, ref))
    if bool(tq) != bool(tr):
        diff.append(f"IRQ0 timer-check note only with {'qvmloader' if tq else 'reference'} "
                    "(timing, not judged)")
    wq, wr = norm(judged(q.warnings)), norm(judged(ref.warnings))
    if wq != wr:
        extra = [w for w in wq if w not in wr]
        fewer = [w for w in wr if w not in wq]
        if extra:
            diff.append("warnings only with qvmloader: " + "; ".join(extra))
        if fewer:
            diff.append("warnings only with reference: " + "; ".join(fewer))
    return diff


def disk_image(path):
    """A 16 MiB raw disk (the disk the guest reads; writes go to a snapshot)."""
    path = Path(path)
    if not path.exists() or path.stat().st_size != 16 << 20:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as f:
            f.write(b"QVMMATRIX" + bytes(503))
            f.truncate(16 << 20)
    return path


def uefi_disk(path, append):
    """A FAT disk whose startup.nsh boots the guest kernel by its EFI stub."""
    path = Path(path)
    path.unlink(missing_ok=True)
    subprocess.run(["mkfs.fat", "-C", "-n", "QVMMATRIX", str(path), str(64 * 1024)],
                   check=True, capture_output=True)
    cmdline = f"initrd=\\initrd.img {qemu.BASE_APPEND} {append}".strip()
    nsh = path.with_suffix(".nsh")
    nsh.write_bytes(("\r\n".join(["fs0:", f"\\vmlinuz.efi {cmdline}"]) + "\r\n").encode())
    for src, name in [(nsh, "startup.nsh"), (qemu.GUEST_KERNEL, "vmlinuz.efi"),
                      (qemu.GUEST_INITRD, "initrd.img")]:
        subprocess.run(["mcopy", "-i", str(path), str(src), f"::/{name}"], check=True)
    return path


def run_one(cfg, firmware, logdir):
    """Boot cfg with `firmware` ("qvmloader" or "reference"); returns (Verdict, QemuResult)."""
    logdir = Path(logdir)
    shutil.rmtree(logdir, ignore_errors=True)
    logdir.mkdir(parents=True, exist_ok=True)
    disk = disk_image(MATRIX_OUT / "disk.img")
    append = "qvm.action=disk" + (f" qvm.disks={cfg.disk} qvm.wait=40" if cfg.disk else "")
    extra = [a.replace(DISK, str(disk)) for a in cfg.extra]
    qvm_rom, _ = cfg.firmwares()
    kernel = True
    if cfg.payload == "uefi":
        kernel = False
        boot = uefi_disk(logdir / "uefi.img", append)
        extra += ["-drive", f"file={boot},format=raw,if=none,id=d0",
                  "-device", "ide-hd,drive=d0,bus=ide.0"]
        append = ""
        if firmware == "reference":
            vars_copy = logdir / "OVMF_VARS.fd"
            shutil.copyfile(qemu.require(OVMF_VARS), vars_copy)
            extra += ["-drive", f"if=pflash,format=raw,unit=0,readonly=on,"
                      f"file={qemu.require(OVMF_CODE)}",
                      "-drive", f"if=pflash,format=raw,unit=1,file={vars_copy}"]
    if firmware == "qvmloader":
        bios = qvm_rom
    elif cfg.payload == "uefi":
        bios = None
    else:
        bios = qemu.STOCK_SEABIOS
    r = qemu.run_qemu(bios, machine=cfg.machine, mem=cfg.mem, smp=cfg.smp, kernel=kernel,
                      append=append, extra=extra, timeout=cfg.timeout, logdir=logdir,
                      accel=cfg.accel if qemu.accel_from_env() == "tcg" else None)
    return judge(r, cfg), r


# Configurations where qvmloader is known to do worse than the reference, with the reason
# (docs/compatibility.md explains each). make matrix fails on any other such configuration.
EXPECTED = {}
