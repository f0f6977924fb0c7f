/* SPDX-License-Identifier: MIT */
/* Facts about this machine that several boot steps share (chipset, PM base, RAM, CPUs).
 * Filled in step by step by main()'s callees; read-only for everything after them. */
#ifndef QVM_PLATFORM_H
#define QVM_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

enum machine {
	MACHINE_UNKNOWN,
	MACHINE_PC,  /* i440FX + PIIX3/PIIX4 */
	MACHINE_Q35, /* MCH + ICH9 */
};

#define PM_BASE		  0x600
#define SMBUS_BASE	  0x700
#define Q35_MMCONFIG	  0xb0000000u
#define Q35_MMCONFIG_SIZE 0x10000000u
#define Q35_RCBA	  0xfed1c000u
#define Q35_RCBA_SIZE	  0x4000u

struct platform {
	enum machine machine;
	const char *name;	   /* "pc" or "q35" */
	uint16_t isa_bdf;	   /* PIIX3 ISA bridge or ICH9 LPC */
	uint16_t pm_bdf;	   /* PIIX4 PM function or ICH9 LPC */
	uint16_t pm_base;	   /* ACPI PM I/O block */
	uint32_t mmconfig;	   /* q35 ECAM base, 0 on pc */
	uint32_t rom_size;	   /* bytes of ROM mapped below 4 GiB */
	uint64_t ram_below_4g;	   /* end of RAM below 4 GiB as QEMU reports it */
	uint64_t ram_above_4g_end; /* end of RAM above 4 GiB, 0 if none */
	int phys_bits;		   /* CPUID physical address width for MTRR masks */
	int pci_phys_bits;	   /* usable physical width for 64-bit BARs (guest phys bits) */
	uint32_t pci32_start;	   /* 32-bit MMIO window assigned by PCI init */
	uint32_t pci32_end;
	uint64_t pci64_start; /* 64-bit MMIO window; both 0 when unused */
	uint64_t pci64_end;
	bool smm; /* SMM available and set up */
};

extern struct platform platform;

#endif
