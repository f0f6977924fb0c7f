/* SPDX-License-Identifier: MIT */
/* qvmloader's own ACPI tables (RSDP, RSDT/XSDT, FADT, FACS, DSDT/SSDTs, MADT, HPET, MCFG, SRAT
 * and -acpitable passthrough), built from a struct of facts. Pure: knows nothing of its caller. */
#ifndef QVM_ACPI_BUILD_H
#define QVM_ACPI_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum acpi_chipset {
	ACPI_PIIX, /* pc: i440FX + PIIX3/PIIX4 */
	ACPI_ICH9, /* q35: MCH + ICH9 */
};

/* Bits of acpi_facts.devices (and of the DSDT's QDEV): which legacy devices exist. */
#define ACPI_DEV_COM1 (1u << 0)
#define ACPI_DEV_COM2 (1u << 1)
#define ACPI_DEV_COM3 (1u << 2)
#define ACPI_DEV_COM4 (1u << 3)
#define ACPI_DEV_LPT1 (1u << 4)
#define ACPI_DEV_FDC  (1u << 5)
#define ACPI_DEV_KBD  (1u << 6) /* 8042 keyboard and mouse */
#define ACPI_DEV_HPET (1u << 8) /* set by acpi_build() from the HPET blob */

#define ACPI_ERR_SPACE (-1) /* the buffer is too small */
#define ACPI_ERR_FACTS (-2) /* the facts cannot describe a machine (logged) */

/* Everything the tables say, gathered by the caller. Blobs are raw fw_cfg contents. */
struct acpi_facts {
	enum acpi_chipset chipset;
	uint16_t pm_base; /* ACPI PM I/O block */
	uint8_t sci_irq;
	const uint32_t *apic_ids; /* present CPUs, [0] the BSP */
	unsigned int cpu_count;
	uint32_t lapic_addr;
	uint32_t ioapic_addr;
	uint8_t ioapic_id;
	bool irq0_override;   /* ISA IRQ 0 reaches I/O APIC pin 2 (fw_cfg key 0x8002) */
	uint16_t level_irqs;  /* ISA IRQs that are level-triggered, active high (PCI, SCI) */
	uint32_t pci32_start; /* 32-bit PCI window [start, end) */
	uint32_t pci32_end;
	uint64_t pci64_start; /* 64-bit PCI window [start, end); empty when start >= end */
	uint64_t pci64_end;
	uint32_t mmconfig;	/* ECAM base (q35), 0 if none; cut out of the 32-bit window */
	uint32_t mmconfig_size; /* bytes, 1 MiB per bus */
	uint64_t ram_below_4g;	/* end of RAM below 4 GiB */
	uint64_t ram_above_4g_end;
	uint32_t devices;	      /* ACPI_DEV_* found by the caller's probe */
	const uint8_t *system_states; /* etc/system-states (6 bytes), or NULL */
	const uint8_t *numa;	      /* fw_cfg key 0x0d, or NULL */
	size_t numa_len;
	const uint8_t *hpet; /* fw_cfg key 0x8004, or NULL */
	size_t hpet_len;
	const uint8_t *user_tables; /* fw_cfg key 0x8000 (-acpitable), or NULL */
	size_t user_len;
	uint32_t user_max; /* largest -acpitable accepted */
};

/* What acpi_build() made. */
struct acpi_result {
	uint64_t rsdp;		/* physical address of the RSDP */
	uint32_t used;		/* bytes of the buffer used */
	unsigned int nr_tables; /* tables listed in the RSDT */
	unsigned int nr_user;	/* of which from -acpitable */
	unsigned int nr_numa;	/* NUMA nodes in the SRAT, 0 without SRAT */
	bool hpet;		/* an HPET table was built */
};

/* Bytes acpi_build() may need for these facts. */
size_t acpi_build_size(const struct acpi_facts *f);
/* Build every table into buf (size bytes, at physical address phys); returns the bytes
 * used or ACPI_ERR_*. The RSDP comes first, 16-byte aligned, the FACS 64-byte aligned. */
int acpi_build(const struct acpi_facts *f, uint8_t *buf, size_t size, uint64_t phys,
	       struct acpi_result *res);

/* Parsed fw_cfg key 0x0d: node count, node per APIC ID, memory per node. */
struct acpi_numa {
	uint64_t nodes;
	uint64_t apic_limit; /* entries of the node-per-APIC-ID array */
	const uint8_t *node_of_apic;
	const uint8_t *node_mem;
};
/* Check and split a NUMA blob; false (logged) when malformed. */
bool acpi_numa_parse(const uint8_t *blob, size_t len, struct acpi_numa *out);

/* Sum of len bytes: 0 for a table with a correct checksum. */
uint8_t acpi_checksum(const void *p, size_t len);

#endif
