/* SPDX-License-Identifier: MIT */
/* Local APIC of the current CPU: enable, virtual-wire mode, inter-processor interrupts.
 * xAPIC MMIO at the address IA32_APIC_BASE names. */
#ifndef QVM_LAPIC_H
#define QVM_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

/* CPUID says this CPU has a local APIC (QEMU's -cpu ...,-apic has none); without one every
 * function below does nothing. */
bool lapic_present(void);
/* Software-enable the APIC with LINT0 = ExtINT and LINT1 = NMI (virtual wire), as
 * legacy payloads expect of the BSP. */
void lapic_virtual_wire(void);
/* Send an IPI (ICR low word icr_lo) to the APIC with ID dest and wait, bounded, until
 * the APIC has delivered it. */
void lapic_send_ipi(uint32_t dest, uint32_t icr_lo);

#endif
