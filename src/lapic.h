/* SPDX-License-Identifier: MIT */
/* Local APIC of the current CPU: enable, virtual-wire mode, inter-processor interrupts.
 * xAPIC MMIO at the address IA32_APIC_BASE names. */
#ifndef QVM_LAPIC_H
#define QVM_LAPIC_H

#include <stdint.h>

/* Software-enable the APIC with LINT0 = ExtINT and LINT1 = NMI (virtual wire), as
 * legacy payloads expect of the BSP. */
void lapic_virtual_wire(void);
/* This CPU's APIC ID. */
uint32_t lapic_id(void);

#endif
