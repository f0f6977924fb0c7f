/* SPDX-License-Identifier: MIT */
/* Objects every platform has: the interrupt-model flag, S5 and the fw_cfg device. */
Name (PICM, Zero)
/* The OS tells which interrupt model it uses: 0 PIC, 1 APIC. */
Method (_PIC, 1, NotSerialized)
{
    PICM = Arg0
}

Name (_S5, Package (0x04) { Zero, Zero, Zero, Zero })

Scope (_SB)
{
    Device (FWCF)
    {
        Name (_HID, "QEMU0002")
        Name (_STA, 0x0B)
        Name (_CRS, ResourceTemplate ()
        {
            IO (Decode16, 0x0510, 0x0510, 0x01, 0x0C)
        })
    }
}
