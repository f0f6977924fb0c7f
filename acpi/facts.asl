/* SPDX-License-Identifier: MIT */
/* Boot-time facts: named integers that acpi/acpi-build.c overwrites in place (their offsets
 * come from iasl -so). The placeholders are wide so iasl keeps DWord/QWord encodings. */
Name (QW3S, 0x80000000) /* 32-bit PCI window, first byte */
Name (QW3E, 0x80000000) /* 32-bit PCI window, last byte; below QW3S when empty */
Name (QW4S, 0x80000000) /* second 32-bit window (above a hole), first byte */
Name (QW4E, 0x80000000) /* and last byte; below QW4S when empty */
Name (QW6S, 0x8000000000000000) /* 64-bit PCI window, first byte */
Name (QW6E, 0x8000000000000000) /* and last byte; below QW6S when empty */
Name (QDEV, 0x80000000) /* ACPI_DEV_* bits of acpi-build.h: devices found */
Name (QHPA, 0x80000000) /* HPET MMIO base */

/* _STA of a device that exists when bit Arg0 of QDEV is set. */
Method (QSTA, 1, NotSerialized)
{
    If (QDEV & (One << Arg0))
    {
        Return (0x0F)
    }
    Return (Zero)
}
