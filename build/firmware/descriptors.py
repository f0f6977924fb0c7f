#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The firmware descriptors qvmloader installs (QEMU docs/interop/firmware.json), and their
generator: `descriptors.py --rom-dir DIR --built OUT -o DIR` writes one JSON file per entry of
DESCRIPTORS, each checked by schema.py first; `--names` lists the file names (make uninstall).

Why these names and what each claims is explained in docs/install.md.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import schema  # noqa: E402

BOTH_MACHINES = ["pc-i440fx-*", "pc-q35-*"]


def memory(rom):
    """A -bios ROM: mapped into memory below 4 GiB."""
    return {"device": "memory", "filename": rom}


def flash(code, nvram_template, fmt="raw"):
    """Split pflash firmware: read-only code plus a per-VM copy of an NVRAM template."""
    return {"device": "flash", "mode": "split",
            "executable": {"filename": code, "format": fmt},
            "nvram-template": {"filename": nvram_template, "format": fmt}}


# Every descriptor, in one place. "features" is where a ROM claims firmware.json features:
# claim one only when a system test shows it. requires-smm only with secure-boot: the secure
# build's protected variables need SMM (every other ROM boots with smm=off). Mapping file
# names are relative to the ROM directory ($(PREFIX)/share/qvmloader). A flash-mapped UEFI
# build sorts after Debian's 60-edk2-x86_64.json, so OVMF stays libvirt's first choice.
DESCRIPTORS = [
    {
        # 45: before the 50- a distribution's SeaBIOS descriptor would use, so installing
        # qvmloader makes it libvirt's choice for <os firmware='bios'>.
        "name": "45-qvmloader.json",
        "description": "qvmloader: QEMU platform init, SeaBIOS as coreboot payload",
        "interface-types": ["bios"],
        "mapping": memory("qvmloader.bin"),
        "machines": BOTH_MACHINES,
        # S3: test_resume.py (pc and q35, 1 and 4 vCPUs) and make soak.
        "features": ["acpi-s3"],
        "tags": ["payload=seabios"],
    },
    {
        # 65: after OVMF's 40-/50-/60-edk2-*, so <os firmware='efi'> keeps picking OVMF; and
        # before the -bios UEFI ROM below, since this one keeps variables (test_uefi_vars.py).
        # pc and q35 (test_uefi.py). No acpi-s3: UEFI S3 is tested on q35 only.
        "name": "65-qvmloader-uefi-pflash.json",
        "description": "qvmloader: QEMU platform init, EDK2 UefiPayloadPkg, pflash variables",
        "interface-types": ["uefi"],
        "mapping": flash("qvmloader-uefi-code.fd", "qvmloader-uefi-vars.fd"),
        "machines": BOTH_MACHINES,
        "features": [],
        "tags": ["payload=edk2-uefipayload"],
    },
    {
        # 66: the same code with the Secure Boot template (Debian's OVMF keys: Microsoft's
        # CAs, as OVMF_VARS_4M.ms.fd). Enforced with the keys enrolled and an SMM-only vars
        # flash, which needs q35 with SMM: test_uefi_secureboot.py, test_smm_store.py.
        "name": "66-qvmloader-uefi-secure.json",
        "description": "qvmloader: QEMU platform init, EDK2 UefiPayloadPkg, Secure Boot, "
                       "SMM-protected variables",
        "interface-types": ["uefi"],
        "mapping": flash("qvmloader-uefi-code.fd", "qvmloader-uefi-vars-secure-enrolled.fd"),
        "machines": ["pc-q35-*"],
        "features": ["enrolled-keys", "requires-smm", "secure-boot"],
        "tags": ["payload=edk2-uefipayload"],
    },
    {
        # 70: the same firmware as a -bios ROM, variables in RAM only; after OVMF's and after
        # the pflash build above.
        "name": "70-qvmloader-uefi.json",
        "description": "qvmloader: QEMU platform init, EDK2 UefiPayloadPkg as payload",
        "interface-types": ["uefi"],
        "mapping": memory("qvmloader-uefi.bin"),
        "machines": BOTH_MACHINES,
        "features": [],
        "tags": ["payload=edk2-uefipayload"],
    },
    # out/qvmloader-linux.bin has no descriptor on purpose: it boots only QEMU's -kernel and
    # gives a disk neither BIOS nor UEFI services; as "bios" libvirt would pick it for disk
    # boots it cannot serve. Use it with <loader type='rom'> (docs/install.md).
]


def render(entry, rom_dir, version):
    """The firmware.json element for one DESCRIPTORS entry, with absolute file names."""
    mapping = json.loads(json.dumps(entry["mapping"]))
    if mapping["device"] == "flash":
        for key in ("executable", "nvram-template"):
            if key in mapping:
                mapping[key]["filename"] = os.path.join(rom_dir, mapping[key]["filename"])
    else:
        mapping["filename"] = os.path.join(rom_dir, mapping["filename"])
    return {
        "description": f"{entry['description']} ({version})",
        "interface-types": list(entry["interface-types"]),
        "mapping": mapping,
        "targets": [{"architecture": "x86_64", "machines": list(entry["machines"])}],
        "features": list(entry["features"]),
        "tags": [f"qvmloader-{version}"] + list(entry["tags"]),
    }


def check_built(desc, rom_dir, built):
    """Each file desc maps must be a built ROM in `built`; -bios images are 64 KiB multiples."""
    for path in schema.mapped_files(desc):
        src = os.path.join(built, os.path.relpath(path, rom_dir))
        if not os.path.isfile(src):
            raise schema.DescriptorError(f"{path}: no built file {src} to install there")
        size = os.path.getsize(src)
        if desc["mapping"]["device"] == "memory" and (size == 0 or size % 65536):
            raise schema.DescriptorError(
                f"{src}: {size} bytes, but QEMU's -bios needs a multiple of 64 KiB")


def main():
    """Command line: write the descriptors, or list their names."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--names", action="store_true", help="print the file names and stop")
    ap.add_argument("--rom-dir", help="where the ROMs are installed (absolute)")
    ap.add_argument("--built", help="directory holding the built ROMs (out/)")
    ap.add_argument("--version", default="unknown")
    ap.add_argument("-o", "--outdir", help="directory to write the descriptors into")
    args = ap.parse_args()
    if args.names:
        print("\n".join(e["name"] for e in DESCRIPTORS))
        return 0
    if not (args.rom_dir and args.built and args.outdir):
        ap.error("--rom-dir, --built and -o are needed")
    if not os.path.isabs(args.rom_dir):
        ap.error(f"--rom-dir {args.rom_dir}: must be absolute (descriptors name host paths)")
    os.makedirs(args.outdir, exist_ok=True)
    for entry in DESCRIPTORS:
        desc = render(entry, args.rom_dir, args.version)
        path = os.path.join(args.outdir, entry["name"])
        try:
            schema.check(desc, entry["name"])
            schema.policy(desc, entry["name"])
            check_built(desc, args.rom_dir, args.built)
        except schema.DescriptorError as e:
            print(f"descriptors: {e}", file=sys.stderr)
            return 1
        with open(path, "w", encoding="utf-8") as f:
            json.dump(desc, f, indent=4)
            f.write("\n")
        schema.load(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
