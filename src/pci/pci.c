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

/* Locate reg: its ECAM address, or 0 after pointing CF8 at it (*port is then the data port,
 * or 0 for an extended register that CF8 cannot reach). */
static uintptr_t locate(uint16_t bdf, uint16_t reg, uint16_t *port)
{
	*port = 0;
	if (ecam_base && PCI_BUS(bdf) < ecam_buses)
		return ecam_base + ((uintptr_t)bdf << 12) + reg;
	if (reg < 0x100) {
		outl(PCI_CONF_ADDR, 0x80000000u | (uint32_t)bdf << 8 | (reg & 0xfc));
		*port = (uint16_t)(PCI_CONF_DATA + (reg & 3));
	}
	return 0;
}

uint32_t pci_read32(uint16_t bdf, uint16_t reg)
{
	uint16_t port;
	uintptr_t a = locate(bdf, reg, &port);

	if (a)
		return *(volatile uint32_t *)a;
	return port ? inl(port) : 0xffffffff;
}

uint16_t pci_read16(uint16_t bdf, uint16_t reg)
{
	uint16_t port;
	uintptr_t a = locate(bdf, reg, &port);

	if (a)
		return *(volatile uint16_t *)a;
	return port ? inw(port) : 0xffff;
}

uint8_t pci_read8(uint16_t bdf, uint16_t reg)
{
	uint16_t port;
	uintptr_t a = locate(bdf, reg, &port);

	if (a)
		return *(volatile uint8_t *)a;
	return port ? inb(port) : 0xff;
}

void pci_write32(uint16_t bdf, uint16_t reg, uint32_t v)
{
	uint16_t port;
	uintptr_t a = locate(bdf, reg, &port);

	if (a)
		*(volatile uint32_t *)a = v;
	else if (port)
		outl(port, v);
}

void pci_write16(uint16_t bdf, uint16_t reg, uint16_t v)
{
	uint16_t port;
	uintptr_t a = locate(bdf, reg, &port);

	if (a)
		*(volatile uint16_t *)a = v;
	else if (port)
		outw(port, v);
}

void pci_write8(uint16_t bdf, uint16_t reg, uint8_t v)
{
	uint16_t port;
	uintptr_t a = locate(bdf, reg, &port);

	if (a)
		*(volatile uint8_t *)a = v;
	else if (port)
		outb(port, v);
}
