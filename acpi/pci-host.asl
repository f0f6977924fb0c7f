/* SPDX-License-Identifier: MIT */
/* Body shared by both PCI host bridges: _CRS from the windows qvmloader assigned (the QW*
 * facts), the HPET and the fw_cfg device. Included inside Device (PCI0). */
Name (_UID, Zero)
Name (_BBN, Zero)

/* Bus numbers, the config ports, legacy I/O around them and the VGA hole. */
Name (CRSB, ResourceTemplate ()
{
    WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode,
        0x0000, 0x0000, 0x00FF, 0x0000, 0x0100)
    IO (Decode16, 0x0CF8, 0x0CF8, 0x01, 0x08)
    WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,
        0x0000, 0x0000, 0x0CF7, 0x0000, 0x0CF8)
    WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,
        0x0000, 0x0D00, 0xFFFF, 0x0000, 0xF300)
    DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable, ReadWrite,
        0x00000000, 0x000A0000, 0x000BFFFF, 0x00000000, 0x00020000)
})

/* A 32-bit memory window [Arg0, Arg1]. */
Method (MW32, 2, NotSerialized)
{
    Local0 = ResourceTemplate ()
    {
        DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,
            0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, , , W32)
    }
    CreateDWordField (Local0, 0x0A, WMIN)
    CreateDWordField (Local0, 0x0E, WMAX)
    CreateDWordField (Local0, 0x16, WLEN)
    WMIN = Arg0
    WMAX = Arg1
    WLEN = Arg1 - Arg0 + One
    Return (Local0)
}

/* A 64-bit memory window [Arg0, Arg1]. */
Method (MW64, 2, NotSerialized)
{
    Local0 = ResourceTemplate ()
    {
        QWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,
            0x0000000000000000, 0x0000000000000000, 0x0000000000000000,
            0x0000000000000000, 0x0000000000000000, , , W64)
    }
    CreateQWordField (Local0, 0x0E, WMIN)
    CreateQWordField (Local0, 0x16, WMAX)
    CreateQWordField (Local0, 0x26, WLEN)
    WMIN = Arg0
    WMAX = Arg1
    WLEN = Arg1 - Arg0 + One
    Return (Local0)
}

Method (_CRS, 0, NotSerialized)
{
    Local0 = CRSB
    If (QW3E > QW3S)
    {
        ConcatenateResTemplate (Local0, MW32 (QW3S, QW3E), Local0)
    }
    If (QW4E > QW4S)
    {
        ConcatenateResTemplate (Local0, MW32 (QW4S, QW4E), Local0)
    }
    If (QW6E > QW6S)
    {
        ConcatenateResTemplate (Local0, MW64 (QW6S, QW6E), Local0)
    }
    Return (Local0)
}

Device (HPET)
{
    Name (_HID, EisaId ("PNP0103"))
    Name (_UID, Zero)
    Method (_STA, 0, NotSerialized)
    {
        Return (QSTA (8))
    }
    Method (_CRS, 0, NotSerialized)
    {
        Local0 = ResourceTemplate ()
        {
            Memory32Fixed (ReadOnly, 0x00000000, 0x00000400)
        }
        CreateDWordField (Local0, 0x04, HBAS)
        HBAS = QHPA
        Return (Local0)
    }
}
