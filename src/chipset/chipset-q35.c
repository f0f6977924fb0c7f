// SPDX-License-Identifier: MIT
/* q35 machine: MCH host bridge (MMCONFIG, PAM) and ICH9 LPC (PM, PIRQ, RCBA) and SMBus. */
#include "chipset.h"
#include "io.h"
#include "log.h"
#include "memmap.h"
#include "pci.h"
#include "platform.h"

#define MCH	   PCI_BDF(0, 0, 0)
#define ICH9_LPC   PCI_BDF(0, 0x1f, 0)
#define ICH9_SMBUS PCI_BDF(0, 0x1f, 3)

#define MCH_PCIEXBAR	0x60
#define ICH9_PMBASE	0x40
#define ICH9_ACPI_CNTL	0x44
#define ICH9_PIRQA_ROUT 0x60
#define ICH9_PIRQE_ROUT 0x68
#define ICH9_RCBA	0xf0
#define ICH9_SMB_HOSTC	0x40

void q35_init(void)
{
	if (pci_read16(ICH9_LPC, PCI_VENDOR_ID) != 0x8086 ||
	    pci_read16(ICH9_LPC, PCI_DEVICE_ID) != 0x2918) {
		dlog(LOG_ERR, "chipset: q35 without ICH9 LPC at 00:1f.0, halting\n");
		halt_forever();
	}
	platform.isa_bdf = ICH9_LPC;
	platform.pm_bdf = ICH9_LPC;
	platform.pm_base = PM_BASE;

	/* MMCONFIG: disable, set the high half, then base | enable (256 MiB, 256 buses). */
	pci_write32(MCH, MCH_PCIEXBAR, 0);
	pci_write32(MCH, MCH_PCIEXBAR + 4, 0);
	pci_write32(MCH, MCH_PCIEXBAR, Q35_MMCONFIG | 1);
	platform.mmconfig = Q35_MMCONFIG;
	pci_use_ecam(Q35_MMCONFIG, 256);
	memmap_reserve(Q35_MMCONFIG, Q35_MMCONFIG_SIZE, E820_RESERVED, "MMCONFIG");

	pci_write32(ICH9_LPC, ICH9_PMBASE, PM_BASE | 1);
	pci_write8(ICH9_LPC, ICH9_ACPI_CNTL, 0x80); /* ACPI_EN, SCI on IRQ 9 */
	pci_write32(ICH9_LPC, ICH9_RCBA, Q35_RCBA | 1);
	memmap_reserve(Q35_RCBA, Q35_RCBA_SIZE, E820_RESERVED, "RCBA");
	chipset_route_pirqs(ICH9_PIRQA_ROUT, 4);
	chipset_route_pirqs(ICH9_PIRQE_ROUT, 4);

	if (pci_read16(ICH9_SMBUS, PCI_DEVICE_ID) == 0x2930) {
		pci_write8(ICH9_SMBUS, ICH9_SMB_HOSTC, 1); /* its I/O BAR comes from pci_init() */
	}
	dlog(LOG_INFO, "chipset: q35 (MCH/ICH9), MMCONFIG 0x%x, PM base 0x%x, RCBA 0x%x\n",
	     Q35_MMCONFIG, PM_BASE, Q35_RCBA);
}
