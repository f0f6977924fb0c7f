# SPDX-License-Identifier: MIT
"""Issue 16: qvmloader installed and picked by libvirt.

- The descriptor validator knows QEMU 7.2's enums (compared with the installed QEMU's QMP
  schema) and rejects each way a descriptor can be broken.
- `make install`/`make uninstall` with PREFIX and DESTDIR; `make deb` (lintian clean, run by
  the recipe) installs and removes cleanly with dpkg in a scratch root.
- Debian's libvirt, started by the test in a private mount namespace (libvirtd.py) over a
  `make install PREFIX=/usr` tree: domcapabilities lists the ROMs, <os firmware='bios'> picks
  qvmloader, explicit <loader type='rom'> paths boot the SeaBIOS, UEFI and direct-Linux ROMs
  (all with SMM off), and <os firmware='efi'> still picks OVMF.
"""
import copy
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

import libvirtd
import qemu
import test_uefi

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "build" / "firmware"))
import descriptors  # noqa: E402
import schema  # noqa: E402

ROMS = ["qvmloader.bin", "qvmloader-uefi.bin", "qvmloader-uefi-code.fd",
        "qvmloader-uefi-vars.fd", "qvmloader-uefi-vars-secure-enrolled.fd",
        "qvmloader-linux.bin"]
DESCRIPTOR_ROMS = {"45-qvmloader.json": "qvmloader.bin",
                   "65-qvmloader-uefi-pflash.json": ("qvmloader-uefi-code.fd",
                                                     "qvmloader-uefi-vars.fd"),
                   "66-qvmloader-uefi-secure.json": ("qvmloader-uefi-code.fd",
                                                     "qvmloader-uefi-vars-secure-enrolled.fd"),
                   "70-qvmloader-uefi.json": "qvmloader-uefi.bin"}
SECURE_FEATURES = ["enrolled-keys", "requires-smm", "secure-boot"]


def make(*args, timeout=600):
    """Run make in the source tree; fail the test with its output unless it succeeds."""
    res = subprocess.run(["make", "--no-print-directory", f"OUT={qemu.OUT}", *args], cwd=ROOT,
                         text=True,
                         capture_output=True, timeout=timeout)
    assert res.returncode == 0, f"make {' '.join(args)}:\n{res.stdout[-3000:]}{res.stderr[-3000:]}"
    return res.stdout


def tree_files(root):
    """Every file under root, relative to it."""
    return sorted(str(p.relative_to(root)) for p in Path(root).rglob("*") if p.is_file())


def qmp_enum(schema_reply, name_has):
    """The values of the QMP-schema enum containing value `name_has`."""
    for e in schema_reply:
        if e.get("meta-type") == "enum" and name_has in e["values"]:
            return e["values"]
    raise AssertionError(f"no enum with {name_has!r} in the QMP schema")


def test_validator_enums_are_qemu_7_2s():
    """SysEmuTarget and BlockdevDriver in schema.py are the installed QEMU's."""
    cmds = '{"execute":"qmp_capabilities"}\n{"execute":"query-qmp-schema"}\n'
    proc = subprocess.Popen([qemu.QEMU, "-machine", "none", "-nodefaults", "-display", "none",
                             "-qmp", "stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    proc.stdin.write(cmds)
    proc.stdin.flush()
    dec = json.JSONDecoder()
    buf, reply = "", None
    while reply is None:
        line = proc.stdout.readline()
        assert line, "QEMU ended before answering query-qmp-schema"
        buf += line
        try:
            msg, _ = dec.raw_decode(buf.strip())
        except json.JSONDecodeError:
            continue
        buf = ""
        if isinstance(msg.get("return"), list):
            reply = msg["return"]
    proc.stdin.write('{"execute":"quit"}\n')
    proc.stdin.close()
    proc.wait(timeout=30)
    assert tuple(qmp_enum(reply, "x86_64")) == schema.SYS_EMU_TARGETS
    assert tuple(qmp_enum(reply, "qcow2")) == schema.BLOCKDEV_DRIVERS


def good_descriptor():
    """A valid descriptor, rendered from the real table."""
    return descriptors.render(descriptors.DESCRIPTORS[0], "/usr/share/qvmloader", "test")


def _drop(key):
    """Mutation: remove top-level member key."""
    return lambda d: d.pop(key)


BROKEN = {
    "missing description": _drop("description"),
    "missing interface-types": _drop("interface-types"),
    "missing mapping": _drop("mapping"),
    "missing targets": _drop("targets"),
    "missing features": _drop("features"),
    "missing tags": _drop("tags"),
    "unknown member": lambda d: d.update(extra=1),
    "empty interface-types": lambda d: d.update({"interface-types": []}),
    "unknown interface": lambda d: d.update({"interface-types": ["coreboot"]}),
    "unknown device": lambda d: d["mapping"].update(device="rom"),
    "memory without filename": lambda d: d["mapping"].pop("filename"),
    "memory with nvram": lambda d: d["mapping"].update({"nvram-template": {}}),
    "flash without nvram-template": lambda d: d.update(mapping={
        "device": "flash", "executable": {"filename": "/a", "format": "raw"}}),
    "stateless with nvram-template": lambda d: d.update(mapping=dict(
        descriptors.flash("/a", "/b"), mode="stateless")),
    "flash bad format": lambda d: d.update(mapping=descriptors.flash("/a", "/b", "img")),
    "bad flash mode": lambda d: d.update(mapping=dict(descriptors.flash("/a", "/b"),
                                                       mode="split-ish")),
    "unknown architecture": lambda d: d["targets"][0].update(architecture="amd64"),
    "machines not a list": lambda d: d["targets"][0].update(machines="pc-q35-*"),
    "target without machines": lambda d: d["targets"][0].pop("machines"),
    "feature of a later QEMU": lambda d: d["features"].append("amd-sev-snp"),
    "both verbose features": lambda d: d["features"].extend(["verbose-dynamic",
                                                             "verbose-static"]),
    "tag not a string": lambda d: d["tags"].append(7),
    "features not a list": lambda d: d.update(features="acpi-s3"),
}

POLICY_BROKEN = {
    "relative filename": lambda d: d["mapping"].update(filename="qvmloader.bin"),
    "no targets": lambda d: d.update(targets=[]),
    "machine alias": lambda d: d["targets"][0].update(machines=["q35"]),
    "requires-smm": lambda d: d["features"].append("requires-smm"),
    "enrolled-keys": lambda d: d["features"].append("enrolled-keys"),
    "duplicate feature": lambda d: d["features"].extend(["acpi-s4", "acpi-s4"]),
}


def test_validator_accepts_the_good_and_the_flash_form():
    d = good_descriptor()
    schema.check(d)
    schema.policy(d)
    flash = dict(d, mapping=descriptors.flash("/usr/share/qvmloader/c.fd",
                                              "/usr/share/qvmloader/v.fd"))
    schema.check(flash)
    assert schema.mapped_files(flash) == ["/usr/share/qvmloader/c.fd",
                                          "/usr/share/qvmloader/v.fd"]


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_validator_rejects_schema_breakage(case):
    d = copy.deepcopy(good_descriptor())
    BROKEN[case](d)
    with pytest.raises(schema.DescriptorError):
        schema.check(d)


@pytest.mark.parametrize("case", sorted(POLICY_BROKEN))
def test_validator_rejects_policy_breakage(case):
    d = copy.deepcopy(good_descriptor())
    POLICY_BROKEN[case](d)
    schema.check(d)
    with pytest.raises(schema.DescriptorError):
        schema.policy(d)


def test_validator_rejects_bad_json(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"description": "x", "description": "y"}')
    with pytest.raises(schema.DescriptorError, match="given twice"):
        schema.load(bad)
    bad.write_text('{"description": "x",')
    with pytest.raises(schema.DescriptorError, match="not JSON"):
        schema.load(bad)


def check_installed_tree(root, prefix):
    """Descriptors under root+prefix are valid and name the ROMs installed beside them."""
    fwdir = Path(f"{root}{prefix}/share/qemu/firmware")
    assert sorted(p.name for p in fwdir.iterdir()) == sorted(DESCRIPTOR_ROMS)
    for name, rom in DESCRIPTOR_ROMS.items():
        desc = schema.load(fwdir / name)
        if isinstance(rom, tuple):
            code, vars_ = (f"{prefix}/share/qvmloader/{f}" for f in rom)
            assert desc["mapping"] == {"device": "flash", "mode": "split",
                                       "executable": {"filename": code, "format": "raw"},
                                       "nvram-template": {"filename": vars_, "format": "raw"}}
        else:
            assert desc["mapping"] == {"device": "memory",
                                       "filename": f"{prefix}/share/qvmloader/{rom}"}
        for path in schema.mapped_files(desc):
            installed = Path(f"{root}{path}")
            assert installed.read_bytes() == (qemu.OUT / installed.name).read_bytes(), installed
        table = next(e for e in descriptors.DESCRIPTORS if e["name"] == name)
        assert desc["features"] == table["features"]
        assert ("requires-smm" in desc["features"]) == (name == "66-qvmloader-uefi-secure.json")
    bios = schema.load(fwdir / "45-qvmloader.json")
    assert bios["interface-types"] == ["bios"]
    assert bios["targets"] == [{"architecture": "x86_64",
                                "machines": ["pc-i440fx-*", "pc-q35-*"]}]
    uefi = schema.load(fwdir / "70-qvmloader-uefi.json")
    assert uefi["interface-types"] == ["uefi"]
    assert uefi["targets"] == [{"architecture": "x86_64",
                                "machines": ["pc-i440fx-*", "pc-q35-*"]}]
    assert bios["features"] == ["acpi-s3"] and uefi["features"] == []
    secure = schema.load(fwdir / "66-qvmloader-uefi-secure.json")
    assert secure["features"] == SECURE_FEATURES
    assert secure["targets"] == [{"architecture": "x86_64", "machines": ["pc-q35-*"]}]


def test_make_install_and_uninstall(tmp_path):
    dest = tmp_path / "dest"
    out = make("install", f"DESTDIR={dest}", "PREFIX=/opt/qvm")
    assert "read descriptors only from" in out, "no note that /opt is not searched"
    check_installed_tree(dest, "/opt/qvm")
    assert tree_files(dest) == sorted(
        [f"opt/qvm/share/qvmloader/{r}" for r in ROMS] +
        [f"opt/qvm/share/qemu/firmware/{n}" for n in DESCRIPTOR_ROMS])
    out = make("install", f"DESTDIR={tmp_path / 'sys'}", "PREFIX=/usr")
    assert "read descriptors only from" not in out
    make("uninstall", f"DESTDIR={dest}", "PREFIX=/opt/qvm")
    assert tree_files(dest) == []
    assert not (dest / "opt/qvm/share/qvmloader").exists()


def dpkg(root, *args):
    """dpkg on the scratch root `root` (its own admin directory)."""
    res = subprocess.run(["dpkg", f"--root={root}", *args], capture_output=True, text=True,
                         timeout=120)
    assert res.returncode == 0, f"dpkg {' '.join(args)}:\n{res.stdout}{res.stderr}"
    return res.stdout


def test_deb_installs_and_removes_cleanly(tmp_path):
    deb = tmp_path / "qvmloader_test_all.deb"
    out = make("deb", f"DEB={deb}", f"DEB_ROOT={tmp_path / 'pkgroot'}")
    assert "lintian clean" in out, out
    fields = subprocess.run(["dpkg-deb", "-f", str(deb)], capture_output=True, text=True,
                            check=True).stdout
    assert re.search(r"^Architecture: all$", fields, re.M), fields
    assert re.search(r"^Suggests: qemu-system-x86$", fields, re.M), fields
    assert not re.search(r"^(Pre-Depends|Depends|Recommends):", fields, re.M), fields
    root = tmp_path / "root"
    admin = root / "var/lib/dpkg"
    for d in ("info", "updates", "triggers"):
        (admin / d).mkdir(parents=True)
    (admin / "status").touch()
    dpkg(root, "-i", str(deb))
    assert "install ok installed" in dpkg(root, "-s", "qvmloader")
    check_installed_tree(root, "/usr")
    listed = dpkg(root, "-L", "qvmloader")
    for rom in ROMS:
        assert f"/usr/share/qvmloader/{rom}" in listed
    dpkg(root, "-r", "qvmloader")
    left = [f for f in tree_files(root) if not f.startswith("var/lib/dpkg/")]
    assert left == [], left
    assert not (root / "usr/share/qvmloader").exists()
    assert not (root / "usr/share/qemu/firmware").exists()


# ------------------------------------------------------------------------------- libvirt

def domain_xml(name, machine, serial, loader=None, firmware=None, kernel=True, disk=None,
               video=False):
    """A TCG domain (type 'qemu') with SMM off and the serial port in file `serial`."""
    os_attr = f" firmware='{firmware}'" if firmware else ""
    boot = [f"<type arch='x86_64' machine='{machine}'>hvm</type>"]
    if loader:
        boot.append(f"<loader type='rom'>{loader}</loader>")
    if kernel:
        boot += [f"<kernel>{qemu.GUEST_KERNEL}</kernel>",
                 f"<initrd>{qemu.GUEST_INITRD}</initrd>",
                 f"<cmdline>{qemu.BASE_APPEND} qvm.modules=none qvm.exit=poweroff</cmdline>"]
    devices = [f"<serial type='file'><source path='{serial}'/><target port='0'/></serial>",
               "<controller type='usb' model='none'/>", "<memballoon model='none'/>"]
    if disk:
        devices.append("<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
                       f"<source file='{disk}'/><target dev='sda' bus='sata'/></disk>")
    if video:
        devices.append("<video><model type='vga'/></video>")
    return f"""<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>512</memory>
  <vcpu>1</vcpu>
  <os{os_attr}>{''.join(boot)}</os>
  <features><acpi/><smm state='off'/></features>
  <on_poweroff>destroy</on_poweroff><on_reboot>destroy</on_reboot><on_crash>destroy</on_crash>
  <devices>{''.join(devices)}</devices>
</domain>
"""


def loaders(caps):
    """The loader paths `virsh domcapabilities` offers."""
    return re.findall(r"<value>(/[^<]+)</value>", caps.split("<loader", 1)[1].split("</loader>")[0])


def host_state(share):
    """What the host has in `share` and in the system firmware directories."""
    dirs = [share, "/usr/share/qemu/firmware", "/etc/qemu/firmware"]
    return {d: sorted(os.listdir(d)) if os.path.isdir(d) else None for d in dirs}


@pytest.fixture
def installed_libvirtd(tmp_path):
    """A private libvirtd that sees `make install PREFIX=/usr` in /usr/share."""
    dest = tmp_path / "dest"
    make("install", f"DESTDIR={dest}", "PREFIX=/usr")
    d = libvirtd.Libvirtd(tmp_path / "libvirt", dest / "usr/share")
    d.host_before = host_state("/usr/share/qvmloader")
    try:
        yield d.start()
    finally:
        d.stop()
        print(d.diagnostics())


def test_libvirt_picks_and_boots_qvmloader(installed_libvirtd, guest, tmp_path):
    lv = installed_libvirtd
    share = "/usr/share/qvmloader"

    q35 = loaders(lv.virsh("domcapabilities", "--virttype", "qemu", "--arch", "x86_64",
                           "--machine", "q35").stdout)
    pc = loaders(lv.virsh("domcapabilities", "--virttype", "qemu", "--arch", "x86_64",
                          "--machine", "pc").stdout)
    assert f"{share}/qvmloader.bin" in q35 and f"{share}/qvmloader-uefi.bin" in q35, q35
    assert f"{share}/qvmloader.bin" in pc and f"{share}/qvmloader-uefi.bin" in pc, pc
    assert f"{share}/qvmloader-uefi-code.fd" in q35 and f"{share}/qvmloader-uefi-code.fd" in pc
    assert not any("qvmloader-linux" in p for p in q35 + pc)

    shell = test_uefi.fat_disk(tmp_path / "shell.img",
                               ["echo QVMUEFI-STARTUP", "echo QVMUEFI-END", "reset"])
    doms = {
        "qvm-bios-q35": dict(machine="q35", firmware="bios"),
        "qvm-rom-pc": dict(machine="pc", loader=f"{share}/qvmloader.bin"),
        "qvm-linux-pc": dict(machine="pc", loader=f"{share}/qvmloader-linux.bin"),
        "qvm-uefi-q35": dict(machine="q35", loader=f"{share}/qvmloader-uefi.bin", kernel=False,
                             disk=shell, video=True),
    }
    serial = {name: tmp_path / f"{name}.serial" for name in doms}
    for name, kw in doms.items():
        xml = tmp_path / f"{name}.xml"
        xml.write_text(domain_xml(name, serial=serial[name], **kw))
        lv.virsh("create", str(xml))

    # firmware='efi' (SMM allowed) must still resolve to OVMF, not qvmloader's UEFI ROM.
    efi = tmp_path / "qvm-efi.xml"
    efi.write_text(domain_xml("qvm-efi", "q35", tmp_path / "efi.serial", firmware="efi",
                              kernel=False).replace("<smm state='off'/>", ""))
    lv.virsh("create", "--paused", str(efi))
    efi_log = lv.qemu_log("qvm-efi")
    lv.virsh("destroy", "qvm-efi")
    assert "/usr/share/OVMF/OVMF_CODE_4M.ms.fd" in efi_log, efi_log[-3000:]
    assert "qvmloader" not in efi_log

    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        running = set(lv.virsh("list", "--name").stdout.split()) & set(doms)
        if not running:
            break
        time.sleep(1)
    assert not running, f"still running after 300 s: {running}\n" + lv.diagnostics()

    for name, kw in doms.items():
        log = lv.qemu_log(name)
        rom = kw.get("loader", f"{share}/qvmloader.bin")
        machine = "pc-q35-" if kw["machine"] == "q35" else "pc-i440fx-"
        assert f"-bios {rom}" in log, f"{name}:\n{log[-3000:]}"
        assert re.search(rf"-machine {machine}[0-9.]+,.*smm=off", log), f"{name}:\n{log[-3000:]}"
        text = qemu._read_text(serial[name])
        if not kw.get("kernel", True):
            assert "QVMUEFI-END" in test_uefi.console(
                qemu.QemuResult([], None, text, "", 0, False, 0, "")), f"{name}:\n{text[-3000:]}"
            continue
        facts, _, done = qemu.parse_serial(text)
        assert done, f"{name}: no QVMDONE\n{text[-3000:]}\n{log[-2000:]}"
        assert "bios_vendor=qvmloader" in facts["dmi"], f"{name}: {facts['dmi']}"
        assert facts["efi"] == ["0"]
    # Once the daemon is gone, nothing of it is left on the host: its qvmloader directory and
    # descriptors are as they were before the daemon started.
    lv.stop()
    assert lv.proc.returncode is not None
    assert host_state(share) == lv.host_before


def test_deb_version_must_have_a_changelog_entry(tmp_path):
    res = subprocess.run(["make", "--no-print-directory", f"OUT={qemu.OUT}", "deb",
                          "CONFIG_VERSION=9.9", f"DEB={tmp_path / 'x.deb'}",
                          f"DEB_ROOT={tmp_path / 'root'}"],
                         cwd=ROOT, text=True, capture_output=True, timeout=600)
    assert res.returncode != 0
    assert re.search(r"build/deb/changelog is at \S+ but CONFIG_VERSION is 9\.9", res.stderr), \
        res.stderr
    assert not (tmp_path / "x.deb").exists()
