#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Enroll Secure Boot keys into a UEFI variable store (OVMF's 528 KiB layout, empty).

Writes PK, KEK, db and dbx as time-based authenticated variables into the store's free space,
the form EDK2's variable driver reads at boot: with PK present the firmware is in user mode
and enforces image verification. The keys come either from another store (--from-store, e.g.
Debian's OVMF_VARS_4M.ms.fd, whose PK/KEK/db/dbx records are copied as they are) or from DER
certificates (--pk, --kek, --db), each its own EFI_SIGNATURE_LIST of one X.509 entry.

--var NAME:GUID:ATTRIBUTES:FILE adds any other variable (e.g. a Boot#### entry for a test).

Usage: uefi-vars-enroll.py --template EMPTY.fd --out OUT.fd (--from-store VARS.fd |
       --pk CERT.der [--kek CERT.der ...] [--db CERT.der ...]) [--owner GUID]
       [--var NAME:GUID:ATTRIBUTES:FILE ...]
"""
import argparse
import struct
import sys
import uuid

FV_HEADER_LEN = 0x30      # offset of the FV header's own length (u16)
STORE_HEADER_BYTES = 28   # VARIABLE_STORE_HEADER
VAR_HEADER_BYTES = 60     # AUTHENTICATED_VARIABLE_HEADER (packed)
START_ID = 0x55AA
VAR_ADDED = 0x3F
VALID_STATES = (VAR_ADDED, VAR_ADDED & 0xFE)   # added; added while a delete was in transit
AUTH_ATTRS = 0x27         # non-volatile, boot and runtime access, time-based authenticated
AUTH_STORE_GUID = uuid.UUID("aaf32c78-947b-439a-a180-2e144ec37792")
GLOBAL_GUID = uuid.UUID("8be4df61-93ca-11d2-aa0d-00e098032b8c")       # PK, KEK
SECURITY_DB_GUID = uuid.UUID("d719b2cb-3d3a-4596-a3bc-dad00e67656f")  # db, dbx
CERT_X509_GUID = uuid.UUID("a5c059a1-94e4-4aa7-87b5-ab155c2bf072")
CERT_SHA256_GUID = uuid.UUID("c1c41626-504c-4092-aca9-41f936934328")
DEFAULT_OWNER = uuid.UUID("51564d51-4c56-4d52-8000-716d766c6472")     # qvmloader's
KEY_VARS = (("PK", GLOBAL_GUID), ("KEK", GLOBAL_GUID), ("db", SECURITY_DB_GUID),
            ("dbx", SECURITY_DB_GUID))


def die(msg):
    sys.exit(f"uefi-vars-enroll: {msg}")


def align4(n):
    return (n + 3) & ~3


def store_header(store):
    """Offset of the variable store header: right after the FV header."""
    return struct.unpack_from("<H", store, FV_HEADER_LEN)[0]


def store_end(store):
    """Offset where the live variable store ends (its header holds its size)."""
    hdr = store_header(store)
    return hdr + struct.unpack_from("<I", store, hdr + 16)[0]


def first_var(store):
    """Offset of the first variable header: after the FV header and the store header, which
    must say "authenticated variables"."""
    hdr = store_header(store)
    if uuid.UUID(bytes_le=bytes(store[hdr:hdr + 16])) != AUTH_STORE_GUID:
        die("not an authenticated-variable store (run the template through the loader or "
            "build/uefi-vars-template first)")
    return align4(hdr + STORE_HEADER_BYTES)


def walk(store):
    """(offset, state, attributes, name, guid, header+name+data bytes) of every record."""
    off = first_var(store)
    while off + VAR_HEADER_BYTES <= len(store):
        start_id, state = struct.unpack_from("<HB", store, off)
        if start_id != START_ID:
            return
        name_size, data_size = struct.unpack_from("<II", store, off + 36)
        guid = uuid.UUID(bytes_le=bytes(store[off + 44:off + 60]))
        end = off + VAR_HEADER_BYTES + name_size + data_size
        if end > len(store):
            die(f"variable at {off:#x} runs past the store")
        name = bytes(store[off + 60:off + 60 + name_size]).decode("utf-16-le").rstrip("\0")
        attrs = struct.unpack_from("<I", store, off + 4)[0]
        yield off, state, attrs, name, guid, bytes(store[off:end])
        off = align4(end)


def end_of_vars(store):
    """Offset where the next variable goes (the store's free space must start there)."""
    off = first_var(store)
    for rec_off, _, _, _, _, rec in walk(store):
        off = align4(rec_off + len(rec))
    if any(b != 0xFF for b in store[off:off + VAR_HEADER_BYTES]):
        die(f"the store's free space at {off:#x} is not erased")
    return off


def record(name, guid, data, attrs=AUTH_ATTRS):
    """A valid variable in the authenticated format (zero timestamp and counters)."""
    name_bytes = (name + "\0").encode("utf-16-le")
    header = struct.pack("<HBBIQ16sIII16s", START_ID, VAR_ADDED, 0, attrs, 0, bytes(16),
                         0, len(name_bytes), len(data), guid.bytes_le)
    assert len(header) == VAR_HEADER_BYTES
    return header + name_bytes + data


def sig_list(sig_type, owner, entries):
    """An EFI_SIGNATURE_LIST of equal-size entries, each prefixed by its owner GUID."""
    size = 16 + len(entries[0])
    if any(len(e) + 16 != size for e in entries):
        die("the entries of one signature list must be the same size")
    return struct.pack("<16sIII", sig_type.bytes_le, 28 + size * len(entries), 0, size) + \
        b"".join(owner.bytes_le + e for e in entries)


def from_certs(args):
    """PK/KEK/db records from DER files; dbx gets one all-zero SHA-256 (nothing revoked)."""
    owner = uuid.UUID(args.owner)

    def certs(paths):
        return b"".join(sig_list(CERT_X509_GUID, owner, [open(p, "rb").read()]) for p in paths)

    data = {"PK": certs([args.pk]), "KEK": certs(args.kek or [args.pk]),
            "db": certs(args.db or [args.pk]),
            "dbx": sig_list(CERT_SHA256_GUID, owner, [bytes(32)])}
    return [record(n, g, data[n]) for n, g in KEY_VARS]


def from_store(path):
    """The valid PK/KEK/db/dbx records of another store, unchanged."""
    other = bytearray(open(path, "rb").read())
    found = {}
    for _, state, attrs, name, guid, rec in walk(other):
        if state in VALID_STATES and (name, guid) in KEY_VARS and attrs == AUTH_ATTRS:
            found[name] = rec[:2] + bytes([VAR_ADDED]) + rec[3:]
    missing = [n for n, _ in KEY_VARS if n not in found]
    if missing:
        die(f"{path} has no {', '.join(missing)}")
    return [found[n] for n, _ in KEY_VARS]


def extra_var(spec):
    """The record of one --var NAME:GUID:ATTRIBUTES:FILE."""
    try:
        name, guid, attrs, path = spec.split(":", 3)
        return record(name, uuid.UUID(guid), open(path, "rb").read(), int(attrs, 0))
    except (ValueError, OSError) as e:
        die(f"--var {spec}: {e}")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--template", required=True, help="empty formatted store")
    p.add_argument("--out", required=True)
    p.add_argument("--from-store", help="copy PK, KEK, db and dbx from this store")
    p.add_argument("--pk", help="PK certificate (DER); KEK and db default to it")
    p.add_argument("--kek", action="append")
    p.add_argument("--db", action="append")
    p.add_argument("--owner", default=str(DEFAULT_OWNER), help="signature owner GUID")
    p.add_argument("--var", action="append", default=[], help="NAME:GUID:ATTRIBUTES:FILE")
    args = p.parse_args()
    if bool(args.from_store) == bool(args.pk):
        die("give either --from-store or --pk")
    store = bytearray(open(args.template, "rb").read())
    if any(name in dict(KEY_VARS) for _, state, _, name, _, _ in walk(store)
           if state in VALID_STATES):
        die(f"{args.template} already holds Secure Boot keys")
    records = from_store(args.from_store) if args.from_store else from_certs(args)
    records += [extra_var(v) for v in args.var]
    off = end_of_vars(store)
    live_end = store_end(store)
    for rec in records:
        if off + len(rec) > live_end:
            die("the keys do not fit in the variable store")
        store[off:off + len(rec)] = rec
        off = align4(off + len(rec))
    with open(args.out, "wb") as f:
        f.write(store)


if __name__ == "__main__":
    main()
