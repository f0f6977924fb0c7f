/* SPDX-License-Identifier: MIT */
/* PCI configuration space access: CF8/CFC until MMCONFIG (ECAM) is enabled, then ECAM.
 * Also the register names the chipset and enumeration code share. */
#ifndef QVM_PCI_H
#define QVM_PCI_H

#include <stdint.h>

#define PCI_BDF(bus, dev, fn) ((uint16_t)((bus) << 8 | (dev) << 3 | (fn)))
#define PCI_BUS(bdf)	      ((bdf) >> 8)
#define PCI_DEV(bdf)	      (((bdf) >> 3) & 0x1f)
#define PCI_FN(bdf)	      ((bdf)&7)

#define PCI_VENDOR_ID	   0x00
#define PCI_DEVICE_ID	   0x02
#define PCI_COMMAND	   0x04
#define PCI_STATUS	   0x06
#define PCI_CLASS_REVISION 0x08
#define PCI_CLASS_PROG	   0x09
#define PCI_CLASS_DEVICE   0x0a
#define PCI_HEADER_TYPE	   0x0e
#define PCI_BAR0	   0x10
#define PCI_SUBSYS_VENDOR  0x2c
#define PCI_SUBSYS_ID	   0x2e
#define PCI_ROM_ADDRESS	   0x30
#define PCI_CAP_PTR	   0x34
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN  0x3d
/* Type 1 (bridge) header. */
#define PCI_PRIMARY_BUS	     0x18
#define PCI_SECONDARY_BUS    0x19
#define PCI_SUBORDINATE_BUS  0x1a
#define PCI_IO_BASE	     0x1c
#define PCI_IO_LIMIT	     0x1d
#define PCI_MEMORY_BASE	     0x20
#define PCI_MEMORY_LIMIT     0x22
#define PCI_PREF_BASE	     0x24
#define PCI_PREF_LIMIT	     0x26
#define PCI_PREF_BASE_UPPER  0x28
#define PCI_PREF_LIMIT_UPPER 0x2c
#define PCI_IO_BASE_UPPER    0x30
#define PCI_IO_LIMIT_UPPER   0x32
#define PCI_ROM_ADDRESS1     0x38
#define PCI_BRIDGE_CONTROL   0x3e

#define PCI_COMMAND_IO	    0x1
#define PCI_COMMAND_MEMORY  0x2
#define PCI_COMMAND_MASTER  0x4
#define PCI_COMMAND_SERR    0x100
#define PCI_BRIDGE_CTL_SERR 0x02
#define PCI_BRIDGE_CTL_VGA  0x08

/* Read/write config space of bus:dev.fn (bdf) at reg. Registers >= 0x100 need ECAM. */
uint32_t pci_read32(uint16_t bdf, uint16_t reg);
uint16_t pci_read16(uint16_t bdf, uint16_t reg);
uint8_t pci_read8(uint16_t bdf, uint16_t reg);
void pci_write32(uint16_t bdf, uint16_t reg, uint32_t v);
void pci_write16(uint16_t bdf, uint16_t reg, uint16_t v);
void pci_write8(uint16_t bdf, uint16_t reg, uint8_t v);
/* From now on access config space through ECAM at base (bus 0 .. nbuses-1). */
void pci_use_ecam(uint32_t base, int nbuses);

#endif
