/* SPDX-License-Identifier: MIT */
/* S4 (suspend to disk), added only when etc/system-states enables it; QS4T is patched with
 * the SLP_TYP that file gives. */
DefinitionBlock ("", "SSDT", 2, "QVMLDR", "QVM-S4", 1)
{
    Name (QS4T, 0x80000000)
    Method (_S4, 0, NotSerialized)
    {
        Local0 = Package (0x04) { Zero, Zero, Zero, Zero }
        Local0 [Zero] = QS4T
        Local0 [One] = QS4T
        Return (Local0)
    }
}
