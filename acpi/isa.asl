/* SPDX-License-Identifier: MIT */
/* Legacy ISA devices behind the PIIX3 ISA bridge or the ICH9 LPC bridge. Each one is shown
 * only when the probe in src/tables/acpi-builtin.c found it (QDEV bits, ACPI_DEV_* in acpi-build.h). */
Device (RTC)
{
    Name (_HID, EisaId ("PNP0B00"))
    Name (_CRS, ResourceTemplate ()
    {
        IO (Decode16, 0x0070, 0x0070, 0x01, 0x08)
        IRQNoFlags () {8}
    })
}

Device (KBD)
{
    Name (_HID, EisaId ("PNP0303"))
    Method (_STA, 0, NotSerialized)
    {
        Return (QSTA (6))
    }
    Name (_CRS, ResourceTemplate ()
    {
        IO (Decode16, 0x0060, 0x0060, 0x01, 0x01)
        IO (Decode16, 0x0064, 0x0064, 0x01, 0x01)
        IRQNoFlags () {1}
    })
}

Device (MOU)
{
    Name (_HID, EisaId ("PNP0F13"))
    Method (_STA, 0, NotSerialized)
    {
        Return (QSTA (6))
    }
    Name (_CRS, ResourceTemplate ()
    {
        IRQNoFlags () {12}
    })
}

Device (FDC0)
{
    Name (_HID, EisaId ("PNP0700"))
    Method (_STA, 0, NotSerialized)
    {
        Return (QSTA (5))
    }
    Name (_CRS, ResourceTemplate ()
    {
        IO (Decode16, 0x03F2, 0x03F2, 0x00, 0x04)
        IO (Decode16, 0x03F7, 0x03F7, 0x00, 0x01)
        IRQNoFlags () {6}
        DMA (Compatibility, NotBusMaster, Transfer8, ) {2}
    })
}

Device (LPT1)
{
    Name (_HID, EisaId ("PNP0400"))
    Name (_UID, One)
    Method (_STA, 0, NotSerialized)
    {
        Return (QSTA (4))
    }
    Name (_CRS, ResourceTemplate ()
    {
        IO (Decode16, 0x0378, 0x0378, 0x08, 0x08)
        IRQNoFlags () {7}
    })
}

Device (COM1)
{
    Name (_HID, EisaId ("PNP0501"))
    Name (_UID, One)
    Method (_STA, 0, NotSerialized)
    {
        Return (QSTA (0))
    }
    Name (_CRS, ResourceTemplate ()
    {
        IO (Decode16, 0x03F8, 0x03F8, 0x00, 0x08)
        IRQNoFlags () {4}
    })
}

Device (COM2)
{
    Name (_HID, EisaId ("PNP0501"))
    Name (_UID, 0x02)
    Method (_STA, 0, NotSerialized)
    {
        Return (QSTA (1))
    }
    Name (_CRS, ResourceTemplate ()
    {
        IO (Decode16, 0x02F8, 0x02F8, 0x00, 0x08)
        IRQNoFlags () {3}
    })
}

Device (COM3)
{
    Name (_HID, EisaId ("PNP0501"))
    Name (_UID, 0x03)
    Method (_STA, 0, NotSerialized)
    {
        Return (QSTA (2))
    }
    Name (_CRS, ResourceTemplate ()
    {
        IO (Decode16, 0x03E8, 0x03E8, 0x00, 0x08)
        IRQNoFlags () {4}
    })
}

Device (COM4)
{
    Name (_HID, EisaId ("PNP0501"))
    Name (_UID, 0x04)
    Method (_STA, 0, NotSerialized)
    {
        Return (QSTA (3))
    }
    Name (_CRS, ResourceTemplate ()
    {
        IO (Decode16, 0x02E8, 0x02E8, 0x00, 0x08)
        IRQNoFlags () {3}
    })
}
