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

/* Window templates, filled in by _CRS from the facts (fields made once, at load). */
Name (CR3A, ResourceTemplate ()
{
    DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,
        0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, , , W3A)
})
CreateDWordField (CR3A, 0x0A, A3MN)
CreateDWordField (CR3A, 0x0E, A3MX)
CreateDWordField (CR3A, 0x16, A3LN)
Name (CR3B, ResourceTemplate ()
{
    DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,
        0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, , , W3B)
})
CreateDWordField (CR3B, 0x0A, B3MN)
CreateDWordField (CR3B, 0x0E, B3MX)
CreateDWordField (CR3B, 0x16, B3LN)
Name (CR64, ResourceTemplate ()
{
    QWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite,
        0x0000000000000000, 0x0000000000000000, 0x0000000000000000,
        0x0000000000000000, 0x0000000000000000, , , W64)
})
CreateQWordField (CR64, 0x0E, W6MN)
CreateQWordField (CR64, 0x16, W6MX)
CreateQWordField (CR64, 0x26, W6LN)

Method (_CRS, 0, Serialized)
{
    Local0 = CRSB
    If (QW3E > QW3S)
    {
        A3MN = QW3S
        A3MX = QW3E
        A3LN = QW3E - QW3S + One
        ConcatenateResTemplate (Local0, CR3A, Local0)
    }
    If (QW4E > QW4S)
    {
        B3MN = QW4S
        B3MX = QW4E
        B3LN = QW4E - QW4S + One
        ConcatenateResTemplate (Local0, CR3B, Local0)
    }
    If (QW6E > QW6S)
    {
        W6MN = QW6S
        W6MX = QW6E
        W6LN = QW6E - QW6S + One
        ConcatenateResTemplate (Local0, CR64, Local0)
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
    Name (CRSH, ResourceTemplate ()
    {
        Memory32Fixed (ReadOnly, 0x00000000, 0x00000400, HMEM)
    })
    CreateDWordField (CRSH, 0x04, HBAS)
    Method (_CRS, 0, Serialized)
    {
        HBAS = QHPA
        Return (CRSH)
    }
}
