/* SPDX-License-Identifier: MIT */
/* PCI bring-up of the whole machine: enumerate every bus, assign and program resources,
 * set IRQ lines and enable decoding, all before any ACPI table is requested from QEMU. */
#ifndef QVM_PCI_ENUM_H
#define QVM_PCI_ENUM_H

#include <stdint.h>

#define PCI_MAX_FUNCTIONS 1024

/* What later steps (MP table, $PIR) need to know about each function. */
struct pci_function {
	uint16_t bdf;
	uint16_t class;
	uint8_t pin;  /* INTx pin, 1-4, or 0 */
	uint8_t pirq; /* PIRQ index it is wired to: 0-3 = A-D, 4-7 = E-H (q35) */
};

extern struct pci_function pci_functions[PCI_MAX_FUNCTIONS];
extern int pci_function_count;
/* Highest bus number in use. */
extern uint8_t pci_last_bus;

/* Enumerate, assign, program and enable every PCI function. */
void pci_init(void);

#endif
