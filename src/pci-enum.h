/* SPDX-License-Identifier: MIT */
/* PCI bring-up of the whole machine: enumerate every bus, assign and program resources,
 * set IRQ lines and enable decoding, all before any ACPI table is requested from QEMU. */
#ifndef QVM_PCI_ENUM_H
#define QVM_PCI_ENUM_H

/* Enumerate, assign, program and enable every PCI function. */
void pci_init(void);

#endif
