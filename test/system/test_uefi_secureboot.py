# SPDX-License-Identifier: MIT
"""Issue 13: Secure Boot on the UEFI payload, its variables in SMM-only flash.

The FD has authenticated variables and image verification built in and enforces them once a
PK is enrolled (before that it is in setup mode and boots anything, as OVMF's secboot build).
These tests enroll a test key as PK, KEK and db with build/uefi-vars-enroll.py, sign images
with sbsign, and run q35 with `secure=on` pflash, so the store is written only through
qvmloader's SMM store (test_smm_store.py). The shipped template with Debian's OVMF keys
(out/qvmloader-uefi-vars-secure-enrolled.fd) must refuse what those keys did not sign.
"""
import shutil
import struct
import subprocess

import pytest

import qemu
from test_uefi import NO_NIC, console
from test_uefi_qemu import marker_disk
from test_uefi_vars import GUID, MODULES, ahci, esp_disk, marker_efi

ENROLL = qemu.ROOT / "build" / "uefi-vars-enroll.py"
UNABLE_TO_BOOT = "Press any key to enter the Boot Manager Menu"
GLOBAL = "8be4df61-93ca-11d2-aa0d-00e098032b8c"


@pytest.fixture(scope="module")
def test_key(tmp_path_factory):
    """(key.pem, cert.pem, cert.der) of a fresh RSA-2048 test key."""
    d = tmp_path_factory.mktemp("sbkey")
    key, pem, der = d / "key.pem", d / "cert.pem", d / "cert.der"
    subprocess.run(["openssl", "req", "-new", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-subj", "/CN=qvmloader Secure Boot test key/", "-days", "3650",
                    "-keyout", str(key), "-out", str(pem)], check=True, capture_output=True)
    subprocess.run(["openssl", "x509", "-in", str(pem), "-outform", "DER", "-out", str(der)],
                   check=True)
    return key, pem, der


def enrolled(tmp_path, test_key, extra=()):
    """A copy of the empty template with the test key as PK, KEK and db (and `extra`
    --var arguments)."""
    out = tmp_path / "VARS.fd"
    subprocess.run(["/usr/bin/python3", str(ENROLL), "--template",
                    str(qemu.require(qemu.UEFI_VARS)),
                    "--pk", str(test_key[2]), "--out", str(out), *extra], check=True)
    return out


def boot_entry(tmp_path, loader, args):
    """--var arguments for Boot0000 (first in BootOrder): a short-form file path to `loader`
    on whichever file system holds it, `args` as its load options (Linux's command line)."""
    path = (loader + "\0").encode("utf-16-le")
    dp = struct.pack("<BBH", 4, 4, 4 + len(path)) + path + bytes([0x7f, 0xff, 4, 0])
    option = struct.pack("<IH", 1, len(dp)) + "qvm-secure".encode("utf-16-le") + bytes(2) + \
        dp + (args + "\0").encode("utf-16-le")
    (tmp_path / "boot0000").write_bytes(option)
    (tmp_path / "bootorder").write_bytes(struct.pack("<H", 0))
    return ["--var", f"Boot0000:{GLOBAL}:7:{tmp_path / 'boot0000'}",
            "--var", f"BootOrder:{GLOBAL}:7:{tmp_path / 'bootorder'}"]


def sign(test_key, src, dst):
    """dst: src signed by the test key (any earlier signature removed first)."""
    plain = dst.with_suffix(".unsigned")
    shutil.copy(src, plain)
    subprocess.run(["sbattach", "--remove", str(plain)], capture_output=True)
    subprocess.run(["sbsign", "--key", str(test_key[0]), "--cert", str(test_key[1]),
                    "--output", str(dst), str(plain)], check=True, capture_output=True)
    return dst


def flash(vars_file):
    """SMM-only split pflash: the UEFI code and vars_file."""
    return qemu.SECURE_PFLASH + qemu.pflash(qemu.require(qemu.UEFI_CODE), vars_file)


def two_disks(tmp_path, test_key):
    """QEMU arguments: an unsigned marker disk tried first, a test-key-signed one second."""
    extra = list(NO_NIC)
    app = marker_efi(tmp_path)

    def signed(efi):
        return sign(test_key, efi, efi.with_name(f"{efi.stem}-signed.efi"))

    for i, (tag, how) in enumerate((("UNSIGNED", None), ("SIGNED", signed))):
        disk = marker_disk(tmp_path, tag.lower(), app, tag, how)
        extra += ["-drive", f"file={disk},format=raw,if=none,id=d{i}",
                  "-device", f"virtio-blk-pci,drive=d{i},addr={4 + i:#x},bootindex={i + 1}"]
    return extra


@pytest.mark.parametrize("keys", ["test-key", "setup-mode"])
def test_unsigned_refused_signed_runs(tmp_path, test_key, keys):
    """With the test key enrolled the boot manager refuses the unsigned image and runs the
    signed one; in setup mode (no PK, the plain template) it runs both, in boot order."""
    vars_file = tmp_path / "VARS.fd"
    if keys == "test-key":
        vars_file = enrolled(tmp_path, test_key)
    else:
        shutil.copy(qemu.require(qemu.UEFI_VARS), vars_file)
    r = qemu.run_qemu(None, machine="q35", mem="256M", kernel=False, timeout=180,
                      extra=flash(vars_file) + two_disks(tmp_path, test_key),
                      until="QVM-MARKER-SIGNED")
    assert r.until_seen, r.summary()
    out = console(r)
    assert "uefi: variable store at ff9bc000 (528 KiB SMM-only pflash, written through the " \
        "SMM store)" in r.debug, r.summary()
    if keys == "test-key":
        assert "QVM-MARKER-UNSIGNED" not in out, out[-3000:]
    else:
        assert out.index("QVM-MARKER-UNSIGNED") < out.index("QVM-MARKER-SIGNED"), out[-3000:]


def test_debian_keys_refuse_what_they_did_not_sign(tmp_path, test_key):
    """The shipped template (Debian's OVMF keys: Microsoft's CAs) refuses both the unsigned
    image and the test-key-signed one (and Debian's shell refuses to start under Secure
    Boot); the boot manager then says why on the console and waits for a key."""
    vars_file = tmp_path / "VARS.fd"
    shutil.copy(qemu.require(qemu.UEFI_VARS_SECURE), vars_file)
    r = qemu.run_qemu(None, machine="q35", mem="256M", kernel=False, timeout=180,
                      extra=flash(vars_file) + two_disks(tmp_path, test_key),
                      until=UNABLE_TO_BOOT)
    assert r.until_seen, r.summary()
    out = console(r)
    assert "QVM-MARKER-UNSIGNED" not in out and "QVM-MARKER-SIGNED" not in out, out[-3000:]
    assert "No bootable option or device was found (Secure Boot is on: images the db does " \
        "not sign are refused)." in out, out[-3000:]


def test_linux_under_secure_boot_sets_variables(guest, tmp_path, test_key):
    """A test-key-signed kernel on the ESP, booted by a Boot#### entry whose load options are
    its command line (the shell refuses to run under Secure Boot): Linux reports Secure Boot
    on, and SetVariable through the SMM store still works: the variable lands in the flash
    file, which the OS itself cannot write (test_smm_store.py)."""
    var = f"QvmSecure-{GUID}"
    cmdline = (f"initrd=\\initrd.img {qemu.BASE_APPEND} {MODULES} qvm.action=efi "
               f"qvm.efiset={var}:set-under-secure-boot")
    vars_file = enrolled(tmp_path, test_key, boot_entry(tmp_path, "\\vmlinuz.efi", cmdline))
    disk = esp_disk(tmp_path / "esp.img", guest, "", marker_efi(tmp_path))
    kernel = sign(test_key, guest.kernel, tmp_path / "vmlinuz-signed")
    subprocess.run(["mcopy", "-o", "-i", f"{disk}@@{1 << 20}", str(kernel), "::/vmlinuz.efi"],
                   check=True)
    r = qemu.run_qemu(None, machine="q35", mem="512M", kernel=False, timeout=300,
                      extra=flash(vars_file) + ahci(disk))
    r.assert_done()
    assert "Secure boot enabled" in r.dmesg, r.summary()
    assert r.fact("efi_SecureBoot") == "1" and r.fact("efi_SetupMode") == "0", r.summary()
    assert r.fact("efiset") == "ok", r.summary()
    assert "QvmSecure".encode("utf-16-le") in vars_file.read_bytes()


def test_kernel_option_refused_under_secure_boot(guest, tmp_path, test_key):
    """-kernel under Secure Boot: QEMU patches the kernel's setup header in fw_cfg, so even a
    signed kernel no longer matches its signature; the payload refuses it and says so (OVMF
    falls back to its legacy loader and boots it unverified)."""
    vars_file = enrolled(tmp_path, test_key)
    kernel = sign(test_key, guest.kernel, tmp_path / "vmlinuz-signed")
    r = qemu.run_qemu(None, machine="q35", mem="512M", kernel=False, timeout=180,
                      extra=flash(vars_file) + NO_NIC + [
                          "-kernel", kernel, "-initrd", guest.initrd, "-append",
                          qemu.BASE_APPEND], until="cannot be loaded: Access Denied")
    assert r.until_seen, r.summary()
    assert "QVMSTART" not in r.serial
