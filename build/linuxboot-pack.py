#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Pack a bzImage, an initramfs and a command line into a qvmloader LinuxBoot image
(src/payload/lbimage.h): a 72-byte header, then the kernel's setup part, its protected-mode part,
the initramfs and the command line.

Each of the kernel and initramfs parts is compressed with LZ4 (`lz4 -l -9`, the legacy frame
src/payload/lz4.c decodes) only when that saves at least --min-gain percent of it; a bzImage is
already compressed, so its part is normally stored as is. The figures are printed.
"""
import argparse
import struct
import subprocess
import sys

MAGIC = b"QVMLBOOT"
VERSION = 1
HEADER = struct.Struct("<8sII" + "IIII" * 3 + "II")
STORED, LZ4 = 0, 1


def lz4(data):
    """LZ4 legacy frame of data, from the lz4 tool."""
    r = subprocess.run(["lz4", "-l", "-9", "-c", "-q"], input=data, capture_output=True)
    if r.returncode:
        sys.exit(f"linuxboot-pack: lz4 failed: {r.stderr.decode(errors='replace')}")
    return r.stdout


def choose(name, data, min_gain, method):
    """(stored bytes, method) for one part, printing what compression would gain."""
    if not data or method == "none":
        return data, STORED
    packed = lz4(data)
    gain = 100.0 * (len(data) - len(packed)) / len(data)
    use = method == "lz4" or gain >= min_gain
    print(f"linuxboot-pack: {name}: {len(data)} bytes, LZ4 {len(packed)} ({gain:.1f}% smaller)"
          f" -> {'LZ4' if use else 'stored'}")
    return (packed, LZ4) if use else (data, STORED)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--initrd")
    ap.add_argument("--cmdline", default="")
    ap.add_argument("--min-gain", type=float, default=10.0,
                    help="compress a part only if LZ4 saves this many percent (default 10)")
    ap.add_argument("--compress", choices=["auto", "lz4", "none"], default="auto")
    ap.add_argument("-o", dest="out", required=True)
    a = ap.parse_args()

    kernel = open(a.kernel, "rb").read()
    if len(kernel) < 0x400 or kernel[0x202:0x206] != b"HdrS":
        sys.exit(f"linuxboot-pack: {a.kernel} is not a bzImage (no HdrS at 0x202)")
    setup_len = ((kernel[0x1F1] or 4) + 1) * 512
    setup, pm = kernel[:setup_len], kernel[setup_len:]
    initrd = open(a.initrd, "rb").read() if a.initrd else b""
    cmdline = a.cmdline.encode()
    if len(cmdline) > 4096:
        sys.exit("linuxboot-pack: command line longer than 4 KiB")

    pm_stored, pm_method = choose("kernel", pm, a.min_gain, a.compress)
    rd_stored, rd_method = choose("initramfs", initrd, a.min_gain, a.compress)
    off = HEADER.size
    parts = []
    body = b""
    for data, size, method in ((setup, len(setup), STORED), (pm_stored, len(pm), pm_method),
                               (rd_stored, len(initrd), rd_method)):
        parts += [off + len(body), len(data), size, method]
        body += data
        body += b"\0" * (-len(body) % 16)
    cmd_off = off + len(body)
    body += cmdline
    hdr = HEADER.pack(MAGIC, VERSION, HEADER.size, *parts, cmd_off, len(cmdline))
    with open(a.out, "wb") as f:
        f.write(hdr + body)
    print(f"linuxboot-pack: {a.out}: {len(hdr + body)} bytes (kernel {len(kernel)}, initramfs "
          f"{len(initrd)}, command line \"{a.cmdline}\")")


if __name__ == "__main__":
    main()
