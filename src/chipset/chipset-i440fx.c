// SPDX-License-Identifier: MIT
/* pc machine: i440FX host bridge, PIIX3 ISA bridge and IDE, PIIX4 power management. */
#include "chipset.h"
#include "io.h"
#include "log.h"
#include "pci.h"
#include "platform.h"

#define PIIX_ISA PCI_BDF(0, 1, 0)
#define PIIX_IDE PCI_BDF(0, 1, 1)
#define PIIX_PM	 PCI_BDF(0, 1, 3)

#define PIIX_PIRQRC	 0x60
#define PIIX4_PMBASE	 0x40
#define PIIX4_PMREGMISC	 0x80
#define PIIX4_SMBHSTBASE 0x90
#define PIIX4_SMBHSTCFG	 0xd2
#define PIIX_IDETIM_PRI	 0x40
#define PIIX_IDETIM_SEC	 0x42

void i440fx_init(void)
{
	uint16_t isa = pci_read16(PIIX_ISA, PCI_DEVICE_ID);

	if (pci_read16(PIIX_ISA, PCI_VENDOR_ID) != 0x8086 || (isa != 0x7000 && isa != 0x7110)) {
		dlog(LOG_ERR, "chipset: pc without a PIIX ISA bridge at 00:01.0 (%04x), halting\n",
		     isa);
		halt_forever();
	}
	platform.isa_bdf = PIIX_ISA;
	platform.pm_bdf = PIIX_PM;
	platform.pm_base = PM_BASE;
	chipset_route_pirqs(PIIX_PIRQRC, 4);

	if (pci_read16(PIIX_PM, PCI_DEVICE_ID) == 0x7113) {
		pci_write32(PIIX_PM, PIIX4_PMBASE, PM_BASE | 1);
		pci_write8(PIIX_PM, PIIX4_PMREGMISC, pci_read8(PIIX_PM, PIIX4_PMREGMISC) | 1);
		pci_write32(PIIX_PM, PIIX4_SMBHSTBASE, SMBUS_BASE | 1);
		pci_write8(PIIX_PM, PIIX4_SMBHSTCFG, 0x09);
		pci_write8(PIIX_PM, PCI_INTERRUPT_LINE, 9);
	} else {
		dlog(LOG_ERR, "chipset: no PIIX4 PM at 00:01.3: no ACPI PM block\n");
		platform.pm_base = 0;
	}
	if (pci_read16(PIIX_IDE, PCI_VENDOR_ID) == 0x8086) {
		pci_write16(PIIX_IDE, PIIX_IDETIM_PRI, 0x8000);
		pci_write16(PIIX_IDE, PIIX_IDETIM_SEC, 0x8000);
	}
	dlog(LOG_INFO, "chipset: pc (i440FX/PIIX%s), PM base 0x%x, PIRQ A-D -> 10,10,11,11\n",
	     isa == 0x7110 ? "4" : "3", platform.pm_base);
}
