/* SPDX-License-Identifier: MIT */
/* PCI interrupt link devices (PNP0C0F) over PIRQ routing registers: bit 7 set = disabled,
 * low four bits = ISA IRQ. The registers live in the ISA/LPC bridge (\_SB.PCI0.ISA.PRQx). */

/* _STA for a routing register: 0x09 when disabled, else 0x0B. */
Method (IQST, 1, NotSerialized)
{
    If (Arg0 & 0x80)
    {
        Return (0x09)
    }
    Return (0x0B)
}

/* _CRS for a routing register: the routed IRQ, or none when disabled. */
Name (PRR0, ResourceTemplate ()
{
    Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, , , LIRQ) {0}
})
CreateDWordField (PRR0, 0x05, IRQ0)
Method (IQCR, 1, Serialized)
{
    IRQ0 = Zero
    If (Arg0 < 0x80)
    {
        IRQ0 = Arg0 & 0x0F
    }
    Return (PRR0)
}

#define PIRQ_LINK(name, uid, reg) \
    Device (name) \
    { \
        Name (_HID, EisaId ("PNP0C0F")) \
        Name (_UID, uid) \
        Name (_PRS, ResourceTemplate () \
        { \
            Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, , , ) {5, 10, 11} \
        }) \
        Method (_STA, 0, NotSerialized) \
        { \
            Return (IQST (reg)) \
        } \
        Method (_DIS, 0, NotSerialized) \
        { \
            reg |= 0x80 \
        } \
        Method (_CRS, 0, NotSerialized) \
        { \
            Return (IQCR (reg)) \
        } \
        Method (_SRS, 1, NotSerialized) \
        { \
            CreateDWordField (Arg0, 0x05, PRRI) \
            reg = PRRI \
        } \
    }

/* A link with one fixed interrupt (the SCI on pc, GSI 16-23 on q35). */
#define FIXED_LINK(name, uid, irq) \
    Device (name) \
    { \
        Name (_HID, EisaId ("PNP0C0F")) \
        Name (_UID, uid) \
        Name (_PRS, ResourceTemplate () \
        { \
            Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, , , ) {irq} \
        }) \
        Name (_CRS, ResourceTemplate () \
        { \
            Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, , , ) {irq} \
        }) \
        Method (_SRS, 1, NotSerialized) \
        { \
        } \
    }

/* _PRT entries of one slot: its four pins and the links they reach. */
#define PRT_SLOT(adr, a, b, c, d) \
    Package () { adr, Zero, a, Zero }, \
    Package () { adr, One, b, Zero }, \
    Package () { adr, 0x02, c, Zero }, \
    Package () { adr, 0x03, d, Zero }
