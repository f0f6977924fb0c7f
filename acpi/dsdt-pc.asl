/* SPDX-License-Identifier: MIT */
/* DSDT of QEMU's pc machine (i440FX host bridge, PIIX3 ISA bridge, PIIX4 PM). Preprocessed
 * with cpp, compiled with iasl into out/acpi/; facts are patched in by acpi/acpi-build.c. */
DefinitionBlock ("", "DSDT", 2, "QVMLDR", "QVM-PC", 1)
{
#include "facts.asl"
#include "common.asl"
#include "links.asl"

    Scope (_SB)
    {
        Device (PCI0)
        {
            Name (_HID, EisaId ("PNP0A03"))
#include "pci-host.asl"

            /* PIIX3 at 00:01.0: PIRQ A-D routing registers and the ISA devices. */
            Device (ISA)
            {
                Name (_ADR, 0x00010000)
                OperationRegion (PIRQ, PCI_Config, 0x60, 0x04)
                Field (PIRQ, ByteAcc, NoLock, Preserve)
                {
                    PRQA, 8,
                    PRQB, 8,
                    PRQC, 8,
                    PRQD, 8
                }
#include "isa.asl"
            }

            /* Slot s pin p reaches PIRQ (s + p - 1) mod 4; 00:01.3 (PM, INTA) is the SCI. */
            Name (_PRT, Package ()
            {
        PRT_SLOT (0x0000FFFF, LNKD, LNKA, LNKB, LNKC),
        PRT_SLOT (0x0001FFFF, LNKS, LNKB, LNKC, LNKD),
        PRT_SLOT (0x0002FFFF, LNKB, LNKC, LNKD, LNKA),
        PRT_SLOT (0x0003FFFF, LNKC, LNKD, LNKA, LNKB),
        PRT_SLOT (0x0004FFFF, LNKD, LNKA, LNKB, LNKC),
        PRT_SLOT (0x0005FFFF, LNKA, LNKB, LNKC, LNKD),
        PRT_SLOT (0x0006FFFF, LNKB, LNKC, LNKD, LNKA),
        PRT_SLOT (0x0007FFFF, LNKC, LNKD, LNKA, LNKB),
        PRT_SLOT (0x0008FFFF, LNKD, LNKA, LNKB, LNKC),
        PRT_SLOT (0x0009FFFF, LNKA, LNKB, LNKC, LNKD),
        PRT_SLOT (0x000AFFFF, LNKB, LNKC, LNKD, LNKA),
        PRT_SLOT (0x000BFFFF, LNKC, LNKD, LNKA, LNKB),
        PRT_SLOT (0x000CFFFF, LNKD, LNKA, LNKB, LNKC),
        PRT_SLOT (0x000DFFFF, LNKA, LNKB, LNKC, LNKD),
        PRT_SLOT (0x000EFFFF, LNKB, LNKC, LNKD, LNKA),
        PRT_SLOT (0x000FFFFF, LNKC, LNKD, LNKA, LNKB),
        PRT_SLOT (0x0010FFFF, LNKD, LNKA, LNKB, LNKC),
        PRT_SLOT (0x0011FFFF, LNKA, LNKB, LNKC, LNKD),
        PRT_SLOT (0x0012FFFF, LNKB, LNKC, LNKD, LNKA),
        PRT_SLOT (0x0013FFFF, LNKC, LNKD, LNKA, LNKB),
        PRT_SLOT (0x0014FFFF, LNKD, LNKA, LNKB, LNKC),
        PRT_SLOT (0x0015FFFF, LNKA, LNKB, LNKC, LNKD),
        PRT_SLOT (0x0016FFFF, LNKB, LNKC, LNKD, LNKA),
        PRT_SLOT (0x0017FFFF, LNKC, LNKD, LNKA, LNKB),
        PRT_SLOT (0x0018FFFF, LNKD, LNKA, LNKB, LNKC),
        PRT_SLOT (0x0019FFFF, LNKA, LNKB, LNKC, LNKD),
        PRT_SLOT (0x001AFFFF, LNKB, LNKC, LNKD, LNKA),
        PRT_SLOT (0x001BFFFF, LNKC, LNKD, LNKA, LNKB),
        PRT_SLOT (0x001CFFFF, LNKD, LNKA, LNKB, LNKC),
        PRT_SLOT (0x001DFFFF, LNKA, LNKB, LNKC, LNKD),
        PRT_SLOT (0x001EFFFF, LNKB, LNKC, LNKD, LNKA),
        PRT_SLOT (0x001FFFFF, LNKC, LNKD, LNKA, LNKB)
            })
        }

        PIRQ_LINK (LNKA, Zero, \_SB.PCI0.ISA.PRQA)
        PIRQ_LINK (LNKB, One, \_SB.PCI0.ISA.PRQB)
        PIRQ_LINK (LNKC, 0x02, \_SB.PCI0.ISA.PRQC)
        PIRQ_LINK (LNKD, 0x03, \_SB.PCI0.ISA.PRQD)
        FIXED_LINK (LNKS, 0x04, 9)
    }
}
