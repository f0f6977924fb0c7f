/* SPDX-License-Identifier: MIT */
/* DSDT of QEMU's q35 machine (MCH host bridge, ICH9 LPC). Preprocessed with cpp, compiled
 * with iasl into out/acpi/; facts are patched in by acpi/acpi-build.c. */
DefinitionBlock ("", "DSDT", 2, "QVMLDR", "QVM-Q35", 1)
{
#include "facts.asl"
    Name (QECB, 0x80000000) /* MMCONFIG (PCIEXBAR) base */
    Name (QECL, 0x80000000) /* and size */
#include "common.asl"
#include "links.asl"

    Scope (_SB)
    {
        Device (PCI0)
        {
            Name (_HID, EisaId ("PNP0A08"))
            Name (_CID, EisaId ("PNP0A03"))
#include "pci-host.asl"

            /* PCIe _OSC: grant every control the OS asks for (no ACPI hotplug here). */
            Method (_OSC, 4, NotSerialized)
            {
                CreateDWordField (Arg3, Zero, CDW1)
                If (Arg0 == ToUUID ("33db4d5b-1ff7-401c-9657-7441c03dd766"))
                {
                    CreateDWordField (Arg3, 0x08, CDW3)
                    If (Arg1 != One)
                    {
                        CDW1 |= 0x08
                    }
                    CDW3 &= 0x1F
                }
                Else
                {
                    CDW1 |= 0x04
                }
                Return (Arg3)
            }

            /* ICH9 LPC at 00:1f.0: PIRQ A-D at 0x60, E-H at 0x68, and the ISA devices. */
            Device (ISA)
            {
                Name (_ADR, 0x001F0000)
                OperationRegion (PIRQ, PCI_Config, 0x60, 0x0C)
                Field (PIRQ, ByteAcc, NoLock, Preserve)
                {
                    PRQA, 8,
                    PRQB, 8,
                    PRQC, 8,
                    PRQD, 8,
                    Offset (0x08),
                    PRQE, 8,
                    PRQF, 8,
                    PRQG, 8,
                    PRQH, 8
                }
#include "isa.asl"
            }

            /* Slots 0-24 pin p reach PIRQ E + (s + p) mod 4, slots 25-31 PIRQ A + p. */
            Name (PRTP, Package ()
            {
        PRT_SLOT (0x0000FFFF, LNKE, LNKF, LNKG, LNKH),
        PRT_SLOT (0x0001FFFF, LNKF, LNKG, LNKH, LNKE),
        PRT_SLOT (0x0002FFFF, LNKG, LNKH, LNKE, LNKF),
        PRT_SLOT (0x0003FFFF, LNKH, LNKE, LNKF, LNKG),
        PRT_SLOT (0x0004FFFF, LNKE, LNKF, LNKG, LNKH),
        PRT_SLOT (0x0005FFFF, LNKF, LNKG, LNKH, LNKE),
        PRT_SLOT (0x0006FFFF, LNKG, LNKH, LNKE, LNKF),
        PRT_SLOT (0x0007FFFF, LNKH, LNKE, LNKF, LNKG),
        PRT_SLOT (0x0008FFFF, LNKE, LNKF, LNKG, LNKH),
        PRT_SLOT (0x0009FFFF, LNKF, LNKG, LNKH, LNKE),
        PRT_SLOT (0x000AFFFF, LNKG, LNKH, LNKE, LNKF),
        PRT_SLOT (0x000BFFFF, LNKH, LNKE, LNKF, LNKG),
        PRT_SLOT (0x000CFFFF, LNKE, LNKF, LNKG, LNKH),
        PRT_SLOT (0x000DFFFF, LNKF, LNKG, LNKH, LNKE),
        PRT_SLOT (0x000EFFFF, LNKG, LNKH, LNKE, LNKF),
        PRT_SLOT (0x000FFFFF, LNKH, LNKE, LNKF, LNKG),
        PRT_SLOT (0x0010FFFF, LNKE, LNKF, LNKG, LNKH),
        PRT_SLOT (0x0011FFFF, LNKF, LNKG, LNKH, LNKE),
        PRT_SLOT (0x0012FFFF, LNKG, LNKH, LNKE, LNKF),
        PRT_SLOT (0x0013FFFF, LNKH, LNKE, LNKF, LNKG),
        PRT_SLOT (0x0014FFFF, LNKE, LNKF, LNKG, LNKH),
        PRT_SLOT (0x0015FFFF, LNKF, LNKG, LNKH, LNKE),
        PRT_SLOT (0x0016FFFF, LNKG, LNKH, LNKE, LNKF),
        PRT_SLOT (0x0017FFFF, LNKH, LNKE, LNKF, LNKG),
        PRT_SLOT (0x0018FFFF, LNKE, LNKF, LNKG, LNKH),
        PRT_SLOT (0x0019FFFF, LNKA, LNKB, LNKC, LNKD),
        PRT_SLOT (0x001AFFFF, LNKA, LNKB, LNKC, LNKD),
        PRT_SLOT (0x001BFFFF, LNKA, LNKB, LNKC, LNKD),
        PRT_SLOT (0x001CFFFF, LNKA, LNKB, LNKC, LNKD),
        PRT_SLOT (0x001DFFFF, LNKA, LNKB, LNKC, LNKD),
        PRT_SLOT (0x001EFFFF, LNKA, LNKB, LNKC, LNKD),
        PRT_SLOT (0x001FFFFF, LNKA, LNKB, LNKC, LNKD)
            })
            /* The same wiring in APIC mode: PIRQ A-H are I/O APIC inputs 16-23. */
            Name (PRTA, Package ()
            {
        PRT_SLOT (0x0000FFFF, GSIE, GSIF, GSIG, GSIH),
        PRT_SLOT (0x0001FFFF, GSIF, GSIG, GSIH, GSIE),
        PRT_SLOT (0x0002FFFF, GSIG, GSIH, GSIE, GSIF),
        PRT_SLOT (0x0003FFFF, GSIH, GSIE, GSIF, GSIG),
        PRT_SLOT (0x0004FFFF, GSIE, GSIF, GSIG, GSIH),
        PRT_SLOT (0x0005FFFF, GSIF, GSIG, GSIH, GSIE),
        PRT_SLOT (0x0006FFFF, GSIG, GSIH, GSIE, GSIF),
        PRT_SLOT (0x0007FFFF, GSIH, GSIE, GSIF, GSIG),
        PRT_SLOT (0x0008FFFF, GSIE, GSIF, GSIG, GSIH),
        PRT_SLOT (0x0009FFFF, GSIF, GSIG, GSIH, GSIE),
        PRT_SLOT (0x000AFFFF, GSIG, GSIH, GSIE, GSIF),
        PRT_SLOT (0x000BFFFF, GSIH, GSIE, GSIF, GSIG),
        PRT_SLOT (0x000CFFFF, GSIE, GSIF, GSIG, GSIH),
        PRT_SLOT (0x000DFFFF, GSIF, GSIG, GSIH, GSIE),
        PRT_SLOT (0x000EFFFF, GSIG, GSIH, GSIE, GSIF),
        PRT_SLOT (0x000FFFFF, GSIH, GSIE, GSIF, GSIG),
        PRT_SLOT (0x0010FFFF, GSIE, GSIF, GSIG, GSIH),
        PRT_SLOT (0x0011FFFF, GSIF, GSIG, GSIH, GSIE),
        PRT_SLOT (0x0012FFFF, GSIG, GSIH, GSIE, GSIF),
        PRT_SLOT (0x0013FFFF, GSIH, GSIE, GSIF, GSIG),
        PRT_SLOT (0x0014FFFF, GSIE, GSIF, GSIG, GSIH),
        PRT_SLOT (0x0015FFFF, GSIF, GSIG, GSIH, GSIE),
        PRT_SLOT (0x0016FFFF, GSIG, GSIH, GSIE, GSIF),
        PRT_SLOT (0x0017FFFF, GSIH, GSIE, GSIF, GSIG),
        PRT_SLOT (0x0018FFFF, GSIE, GSIF, GSIG, GSIH),
        PRT_SLOT (0x0019FFFF, GSIA, GSIB, GSIC, GSID),
        PRT_SLOT (0x001AFFFF, GSIA, GSIB, GSIC, GSID),
        PRT_SLOT (0x001BFFFF, GSIA, GSIB, GSIC, GSID),
        PRT_SLOT (0x001CFFFF, GSIA, GSIB, GSIC, GSID),
        PRT_SLOT (0x001DFFFF, GSIA, GSIB, GSIC, GSID),
        PRT_SLOT (0x001EFFFF, GSIA, GSIB, GSIC, GSID),
        PRT_SLOT (0x001FFFFF, GSIA, GSIB, GSIC, GSID)
            })
            Method (_PRT, 0, NotSerialized)
            {
                If (PICM)
                {
                    Return (PRTA)
                }
                Return (PRTP)
            }
        }

        /* The MMCONFIG window is a motherboard resource. */
        Device (MCFG)
        {
            Name (_HID, EisaId ("PNP0C02"))
            Name (_UID, One)
            Name (CRSE, ResourceTemplate ()
            {
                Memory32Fixed (ReadOnly, 0x00000000, 0x00000000, ECAM)
            })
            CreateDWordField (CRSE, 0x04, EBAS)
            CreateDWordField (CRSE, 0x08, ELEN)
            Method (_CRS, 0, Serialized)
            {
                EBAS = QECB
                ELEN = QECL
                Return (CRSE)
            }
        }

        PIRQ_LINK (LNKA, Zero, \_SB.PCI0.ISA.PRQA)
        PIRQ_LINK (LNKB, One, \_SB.PCI0.ISA.PRQB)
        PIRQ_LINK (LNKC, 0x02, \_SB.PCI0.ISA.PRQC)
        PIRQ_LINK (LNKD, 0x03, \_SB.PCI0.ISA.PRQD)
        PIRQ_LINK (LNKE, 0x04, \_SB.PCI0.ISA.PRQE)
        PIRQ_LINK (LNKF, 0x05, \_SB.PCI0.ISA.PRQF)
        PIRQ_LINK (LNKG, 0x06, \_SB.PCI0.ISA.PRQG)
        PIRQ_LINK (LNKH, 0x07, \_SB.PCI0.ISA.PRQH)
        FIXED_LINK (GSIA, 0x08, 0x10)
        FIXED_LINK (GSIB, 0x09, 0x11)
        FIXED_LINK (GSIC, 0x0A, 0x12)
        FIXED_LINK (GSID, 0x0B, 0x13)
        FIXED_LINK (GSIE, 0x0C, 0x14)
        FIXED_LINK (GSIF, 0x0D, 0x15)
        FIXED_LINK (GSIG, 0x0E, 0x16)
        FIXED_LINK (GSIH, 0x0F, 0x17)
    }
}
