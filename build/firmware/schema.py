# SPDX-License-Identifier: MIT
"""Validate firmware descriptors against the rules of QEMU 7.2's docs/interop/firmware.json.

A descriptor libvirt cannot parse stops firmware selection for every domain on the host, so
`make install`, `make deb` and the tests run each descriptor through check() first. The rules
are the schema's own (every member of Firmware is mandatory, enums closed, the mapping union
selected by "device", no unknown members, as QAPI parses it) plus the few its text states in
words (interface-types non-empty, verbose-dynamic excludes verbose-static, nvram-template only
with mode "split"). policy() adds what this project promises on top (docs/install.md).
"""

import json

# Enums as QEMU 7.2 (Debian 12's 1:7.2+dfsg) defines them. test_install.py compares
# SYS_EMU_TARGETS and BLOCKDEV_DRIVERS with the installed QEMU's query-qmp-schema.
FIRMWARE_OS_INTERFACES = ("bios", "openfirmware", "uboot", "uefi")
FIRMWARE_DEVICES = ("flash", "kernel", "memory")
FIRMWARE_FEATURES = ("acpi-s3", "acpi-s4", "amd-sev", "amd-sev-es", "enrolled-keys",
                     "requires-smm", "secure-boot", "verbose-dynamic", "verbose-static")
FIRMWARE_FLASH_MODES = ("split", "combined", "stateless")
SYS_EMU_TARGETS = (
    "aarch64", "alpha", "arm", "avr", "cris", "hppa", "i386", "loongarch64", "m68k",
    "microblaze", "microblazeel", "mips", "mips64", "mips64el", "mipsel", "nios2", "or1k",
    "ppc", "ppc64", "riscv32", "riscv64", "rx", "s390x", "sh4", "sh4eb", "sparc", "sparc64",
    "tricore", "x86_64", "xtensa", "xtensaeb")
BLOCKDEV_DRIVERS = (
    "blkdebug", "blklogwrites", "blkreplay", "blkverify", "bochs", "cloop", "compress",
    "copy-before-write", "copy-on-read", "dmg", "file", "snapshot-access", "ftp", "ftps",
    "gluster", "host_cdrom", "host_device", "http", "https", "iscsi", "luks", "nbd", "nfs",
    "null-aio", "null-co", "nvme", "parallels", "preallocate", "qcow", "qcow2", "qed",
    "quorum", "raw", "rbd", "replication", "ssh", "throttle", "vdi", "vhdx", "vmdk", "vpc",
    "vvfat")

# Machine-type aliases: firmware.json wants concrete types (globs of them) in "machines".
MACHINE_ALIASES = ("pc", "q35", "isapc", "microvm", "none")


class DescriptorError(ValueError):
    """A descriptor breaks a rule of the schema or of the project's policy."""


def _fail(where, msg):
    """Raise DescriptorError for member path `where`."""
    raise DescriptorError(f"{where}: {msg}")


def _struct(obj, where, required, optional=()):
    """Check that obj is a JSON object with every required member and no unknown one."""
    if not isinstance(obj, dict):
        _fail(where, f"expected an object, got {type(obj).__name__}")
    for key in required:
        if key not in obj:
            _fail(where, f"member '{key}' is missing (every member is mandatory)")
    for key in obj:
        if key not in required and key not in optional:
            _fail(where, f"unknown member '{key}'")


def _str(value, where):
    """Check that value is a string."""
    if not isinstance(value, str):
        _fail(where, f"expected a string, got {json.dumps(value)}")


def _enum(value, allowed, where):
    """Check that value is one of the enum's names."""
    _str(value, where)
    if value not in allowed:
        _fail(where, f"'{value}' is not one of {', '.join(allowed)}")


def _list(value, where, item_check):
    """Check that value is a list and run item_check(item, where[i]) on each item."""
    if not isinstance(value, list):
        _fail(where, f"expected a list, got {json.dumps(value)}")
    for i, item in enumerate(value):
        item_check(item, f"{where}[{i}]")


def _flash_file(obj, where):
    """FirmwareFlashFile: filename and block format."""
    _struct(obj, where, ("filename", "format"))
    _str(obj["filename"], f"{where}.filename")
    _enum(obj["format"], BLOCKDEV_DRIVERS, f"{where}.format")


def _mapping(obj, where):
    """FirmwareMapping: the union on 'device'."""
    if not isinstance(obj, dict) or "device" not in obj:
        _fail(where, "expected an object with member 'device'")
    device = obj["device"]
    _enum(device, FIRMWARE_DEVICES, f"{where}.device")
    if device in ("memory", "kernel"):
        _struct(obj, where, ("device", "filename"))
        _str(obj["filename"], f"{where}.filename")
        return
    _struct(obj, where, ("device", "executable"), ("mode", "nvram-template"))
    mode = obj.get("mode", "split")
    _enum(mode, FIRMWARE_FLASH_MODES, f"{where}.mode")
    _flash_file(obj["executable"], f"{where}.executable")
    if mode == "split":
        if "nvram-template" not in obj:
            _fail(where, "mode 'split' needs member 'nvram-template'")
        _flash_file(obj["nvram-template"], f"{where}.nvram-template")
    elif "nvram-template" in obj:
        _fail(where, f"mode '{mode}' must not have 'nvram-template'")


def _target(obj, where):
    """FirmwareTarget: architecture and machine-type globs."""
    _struct(obj, where, ("architecture", "machines"))
    _enum(obj["architecture"], SYS_EMU_TARGETS, f"{where}.architecture")
    _list(obj["machines"], f"{where}.machines", _str)


def check(desc, where="descriptor"):
    """Raise DescriptorError unless desc (parsed JSON) is a valid Firmware element."""
    _struct(desc, where, ("description", "interface-types", "mapping", "targets", "features",
                          "tags"))
    _str(desc["description"], f"{where}.description")
    _list(desc["interface-types"], f"{where}.interface-types",
          lambda v, w: _enum(v, FIRMWARE_OS_INTERFACES, w))
    if not desc["interface-types"]:
        _fail(f"{where}.interface-types", "must not be empty")
    _mapping(desc["mapping"], f"{where}.mapping")
    _list(desc["targets"], f"{where}.targets", _target)
    _list(desc["features"], f"{where}.features",
          lambda v, w: _enum(v, FIRMWARE_FEATURES, w))
    if {"verbose-dynamic", "verbose-static"} <= set(desc["features"]):
        _fail(f"{where}.features", "verbose-dynamic and verbose-static exclude each other")
    _list(desc["tags"], f"{where}.tags", _str)


def mapped_files(desc):
    """The host files a (valid) descriptor points at."""
    m = desc["mapping"]
    if m["device"] == "flash":
        return [m[k]["filename"] for k in ("executable", "nvram-template") if k in m]
    return [m["filename"]]


def policy(desc, where="descriptor"):
    """The project's rules on top of the schema: things that would make libvirt misbehave."""
    for path in mapped_files(desc):
        if not path.startswith("/"):
            _fail(f"{where}.mapping", f"'{path}' is not an absolute path")
    if not desc["targets"]:
        _fail(f"{where}.targets", "empty: the descriptor would match no machine")
    for i, t in enumerate(desc["targets"]):
        if not t["machines"]:
            _fail(f"{where}.targets[{i}].machines", "empty: matches no machine")
        for m in t["machines"]:
            if m in MACHINE_ALIASES:
                _fail(f"{where}.targets[{i}].machines",
                      f"'{m}' is an alias; use a concrete type glob such as pc-q35-*")
    if "requires-smm" in desc["features"] and "secure-boot" not in desc["features"]:
        _fail(f"{where}.features", "qvmloader boots with smm=off: claim requires-smm only for "
              "the Secure Boot build, whose protected variables need SMM")
    if "enrolled-keys" in desc["features"] and "secure-boot" not in desc["features"]:
        _fail(f"{where}.features", "enrolled-keys without secure-boot")
    for field in ("interface-types", "features", "tags"):
        if len(set(desc[field])) != len(desc[field]):
            _fail(f"{where}.{field}", "has duplicates")


def _no_duplicate_keys(pairs):
    """json object_pairs_hook that refuses a member given twice."""
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise DescriptorError(f"member '{key}' given twice")
        obj[key] = value
    return obj


def load(path):
    """Parse descriptor file `path` strictly, check it, and return it."""
    with open(path, encoding="utf-8") as f:
        try:
            desc = json.load(f, object_pairs_hook=_no_duplicate_keys)
        except json.JSONDecodeError as e:
            raise DescriptorError(f"{path}: not JSON: {e}") from None
        except DescriptorError as e:
            raise DescriptorError(f"{path}: {e}") from None
    check(desc, str(path))
    policy(desc, str(path))
    return desc
