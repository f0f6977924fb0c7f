/* SPDX-License-Identifier: MIT */
/* Chipset setup for QEMU's pc (i440FX/PIIX) and q35 (MCH/ICH9): detection, shadow RAM,
 * PM I/O and ACPI enable, PIRQ/ELCR, SMBus, IDE decode, MMCONFIG and RCBA. */
#ifndef QVM_CHIPSET_H
#define QVM_CHIPSET_H

#include <stdint.h>

/* Identify the host bridge and program the chipset. Halts on an unknown machine. */
void chipset_init(void);
/* Make 0xC0000-0xFFFFF read/write RAM (PAM) so a payload can be copied there. */
void chipset_shadow_rw(void);

/* Per-chipset steps, called by chipset_init(). */
void i440fx_init(void);
void q35_init(void);
/* Program the PAM registers starting at config register pam0 of the host bridge. */
void chipset_pam_rw(uint16_t pam0);
/* Route PIRQ registers at isa_bdf[reg..reg+n) to the conventional IRQs 10,10,11,11 and
 * make IRQ 10 and 11 level-triggered in the ELCR. */
void chipset_route_pirqs(uint16_t reg, int n);
/* ISA IRQ wired to PIRQ n (0 = A) by chipset_route_pirqs(). */
uint8_t chipset_pirq_irq(int pirq);

#endif
