// SPDX-License-Identifier: MIT
/* Chipset detection and the steps pc and q35 share. */
#include "chipset.h"
#include "io.h"
#include "log.h"
#include "pci.h"
#include "platform.h"

#define ELCR1 0x4d0
#define ELCR2 0x4d1

static const uint8_t pirq_irqs[4] = {10, 10, 11, 11};

uint8_t chipset_pirq_irq(int pirq)
{
	return pirq_irqs[pirq & 3];
}

void chipset_route_pirqs(uint16_t reg, int n)
{
	uint16_t elcr = 0;

	for (int i = 0; i < n; i++) {
		pci_write8(platform.isa_bdf, (uint16_t)(reg + i), chipset_pirq_irq(i));
		elcr |= (uint16_t)(1u << chipset_pirq_irq(i));
	}
	outb(ELCR1, (uint8_t)((inb(ELCR1) | elcr) & 0xf8));	 /* IRQ 0-2 are always edge */
	outb(ELCR2, (uint8_t)((inb(ELCR2) | elcr >> 8) & 0xde)); /* 8 and 13 are edge */
}

void chipset_pam_rw(uint16_t pam0)
{
	/* Whole dwords: QEMU rebuilds its memory map (on every vCPU) once per config write. */
	for (uint16_t reg = pam0 & ~3u; reg < pam0 + 7; reg += 4) {
		uint32_t old = pci_read32(0, reg), v = old;

		for (int b = 0; b < 4; b++) {
			int pam = reg + b - pam0;

			if (pam < 0 || pam > 6)
				continue;
			v &= ~(0xffu << (8 * b));
			v |= (uint32_t)(pam ? 0x33 : 0x30) << (8 * b); /* PAM0 holds only 0xF0000 */
		}
		if (v != old)
			pci_write32(0, reg, v);
	}
}

void chipset_init(void)
{
	uint16_t vendor = pci_read16(0, PCI_VENDOR_ID);
	uint16_t device = pci_read16(0, PCI_DEVICE_ID);
	uint16_t subven = pci_read16(0, PCI_SUBSYS_VENDOR);
	uint16_t subdev = pci_read16(0, PCI_SUBSYS_ID);

	if (vendor == 0x8086 && device == 0x1237) {
		platform.machine = MACHINE_PC;
		platform.name = "pc";
	} else if (vendor == 0x8086 && device == 0x29c0) {
		platform.machine = MACHINE_Q35;
		platform.name = "q35";
	} else if (vendor == 0xffff) {
		dlog(LOG_ERR, "chipset: no PCI host bridge at 00:00.0: this machine has no PCI "
			      "(e.g. -M microvm or isapc); qvmloader serves only QEMU's pc and q35 "
			      "machines, halting\n");
		halt_forever();
	} else {
		dlog(LOG_ERR,
		     "chipset: unknown host bridge %04x:%04x; only QEMU pc and q35 are "
		     "supported, halting\n",
		     vendor, device);
		halt_forever();
	}
	if (subven != 0x1af4 || subdev != 0x1100)
		dlog(LOG_INFO, "chipset: subsystem %04x:%04x is not QEMU's 1af4:1100; continuing\n",
		     subven, subdev);
	if (platform.machine == MACHINE_PC)
		i440fx_init();
	else
		q35_init();
}

void chipset_shadow_rw(void)
{
	chipset_pam_rw(platform.machine == MACHINE_PC ? 0x59 : 0x90);
}
