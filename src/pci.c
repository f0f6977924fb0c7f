// SPDX-License-Identifier: MIT
/* PCI configuration space access through CF8/CFC or ECAM (q35 MMCONFIG). */
#include "io.h"
#include "pci.h"

#define PCI_CONF_ADDR 0xcf8
#define PCI_CONF_DATA 0xcfc

static uint32_t ecam_base;
static int ecam_buses;

void pci_use_ecam(uint32_t base, int nbuses)
{
	ecam_base = base;
	ecam_buses = nbuses;
}

int pci_ecam_enabled(void)
{
	return ecam_base != 0;
}

/* ECAM address of a register, or 0 when ECAM is not in use for this bus. */
static uintptr_t ecam_addr(uint16_t bdf, uint16_t reg)
{
	if (!ecam_base || PCI_BUS(bdf) >= ecam_buses)
		return 0;
	return ecam_base + ((uintptr_t)bdf << 12) + reg;
}

/* Point CF8 at the dword holding reg. */
static void cf8_select(uint16_t bdf, uint16_t reg)
{
	outl(PCI_CONF_ADDR, 0x80000000u | (uint32_t)bdf << 8 | (reg & 0xfc));
}

uint32_t pci_read32(uint16_t bdf, uint16_t reg)
{
	uintptr_t a = ecam_addr(bdf, reg);

	if (a)
		return *(volatile uint32_t *)a;
	if (reg >= 0x100)
		return 0xffffffff;
	cf8_select(bdf, reg);
	return inl(PCI_CONF_DATA);
}

uint16_t pci_read16(uint16_t bdf, uint16_t reg)
{
	uintptr_t a = ecam_addr(bdf, reg);

	if (a)
		return *(volatile uint16_t *)a;
	if (reg >= 0x100)
		return 0xffff;
	cf8_select(bdf, reg);
	return inw(PCI_CONF_DATA + (reg & 2));
}

uint8_t pci_read8(uint16_t bdf, uint16_t reg)
{
	uintptr_t a = ecam_addr(bdf, reg);

	if (a)
		return *(volatile uint8_t *)a;
	if (reg >= 0x100)
		return 0xff;
	cf8_select(bdf, reg);
	return inb(PCI_CONF_DATA + (reg & 3));
}

void pci_write32(uint16_t bdf, uint16_t reg, uint32_t v)
{
	uintptr_t a = ecam_addr(bdf, reg);

	if (a) {
		*(volatile uint32_t *)a = v;
		return;
	}
	if (reg >= 0x100)
		return;
	cf8_select(bdf, reg);
	outl(PCI_CONF_DATA, v);
}

void pci_write16(uint16_t bdf, uint16_t reg, uint16_t v)
{
	uintptr_t a = ecam_addr(bdf, reg);

	if (a) {
		*(volatile uint16_t *)a = v;
		return;
	}
	if (reg >= 0x100)
		return;
	cf8_select(bdf, reg);
	outw(PCI_CONF_DATA + (reg & 2), v);
}

void pci_write8(uint16_t bdf, uint16_t reg, uint8_t v)
{
	uintptr_t a = ecam_addr(bdf, reg);

	if (a) {
		*(volatile uint8_t *)a = v;
		return;
	}
	if (reg >= 0x100)
		return;
	cf8_select(bdf, reg);
	outb(PCI_CONF_DATA + (reg & 3), v);
}
