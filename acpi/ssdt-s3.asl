/* SPDX-License-Identifier: MIT */
/* S3 (suspend to RAM), added only when etc/system-states enables it. QEMU's SLP_TYP is 1. */
DefinitionBlock ("", "SSDT", 2, "QVMLDR", "QVM-S3", 1)
{
    Name (_S3, Package (0x04) { One, One, Zero, Zero })
}
