/* SPDX-License-Identifier: MIT */
/* Intel MP 1.4 table builder: floating pointer plus configuration table from what
 * the SMP and PCI code found. Pure: writes into a caller buffer at a given address. */
#ifndef QVM_MPTABLE_H
#define QVM_MPTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MP_FLOATING_SIG 0x5f504d5fu /* "_MP_" */
#define MP_CONFIG_SIG	0x504d4350u /* "PCMP" */
#define MP_SPEC_REV	4	    /* 1.4 */
#define MP_MAX_APIC_ID	254	    /* 255 is the broadcast ID */
#define MP_MAX_CPUS	255

enum mp_entry_type {
	MP_ENTRY_PROCESSOR = 0,
	MP_ENTRY_BUS = 1,
	MP_ENTRY_IOAPIC = 2,
	MP_ENTRY_INTSRC = 3,
	MP_ENTRY_LINTSRC = 4,
};

enum mp_int_type {
	MP_INT_INT = 0,
	MP_INT_NMI = 1,
	MP_INT_SMI = 2,
	MP_INT_EXTINT = 3,
};

#define MP_CPU_ENABLED	  0x01
#define MP_CPU_BSP	  0x02
#define MP_IOAPIC_ENABLED 0x01
/* Interrupt flags: polarity bits 1:0 (1 high, 3 low), trigger bits 3:2 (1 edge, 3 level). */
#define MP_IRQ_CONFORMS	  0x0000
#define MP_IRQ_LEVEL_HIGH 0x000d
#define MP_LAPIC_ALL	  0xff

/* Floating pointer structure, 16 bytes on a 16-byte boundary. */
struct mp_floating {
	uint32_t signature;
	uint32_t config_addr;
	uint8_t length; /* in 16-byte units: 1 */
	uint8_t spec_rev;
	uint8_t checksum;
	uint8_t feature1; /* 0: a configuration table is present */
	uint8_t feature2; /* bit 7 IMCR present; 0: virtual wire mode */
	uint8_t feature3[3];
} __attribute__((packed));
_Static_assert(sizeof(struct mp_floating) == 16, "MP floating pointer is 16 bytes");

/* Configuration table header, followed by the base entries. */
struct mp_config {
	uint32_t signature;
	uint16_t length; /* header plus base entries */
	uint8_t spec_rev;
	uint8_t checksum;
	char oem_id[8];
	char product_id[12];
	uint32_t oem_table;
	uint16_t oem_table_size;
	uint16_t entry_count;
	uint32_t lapic_addr;
	uint16_t ext_length;
	uint8_t ext_checksum;
	uint8_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct mp_config) == 44, "MP config header is 44 bytes");

struct mp_processor {
	uint8_t type;
	uint8_t apic_id;
	uint8_t apic_version;
	uint8_t cpu_flags;
	uint32_t signature; /* stepping 3:0, model 7:4, family 11:8 */
	uint32_t features;  /* CPUID.1 EDX */
	uint32_t reserved[2];
} __attribute__((packed));
_Static_assert(sizeof(struct mp_processor) == 20, "MP processor entry is 20 bytes");

struct mp_bus {
	uint8_t type;
	uint8_t bus_id;
	char bus_type[6];
} __attribute__((packed));
_Static_assert(sizeof(struct mp_bus) == 8, "MP bus entry is 8 bytes");

struct mp_ioapic {
	uint8_t type;
	uint8_t apic_id;
	uint8_t apic_version;
	uint8_t flags;
	uint32_t addr;
} __attribute__((packed));
_Static_assert(sizeof(struct mp_ioapic) == 8, "MP I/O APIC entry is 8 bytes");

/* I/O interrupt (type 3) and local interrupt (type 4) assignment entries. */
struct mp_intsrc {
	uint8_t type;
	uint8_t int_type;
	uint16_t flags;
	uint8_t src_bus;
	uint8_t src_irq; /* ISA: IRQ; PCI: device << 2 | pin (0 = INTA) */
	uint8_t dst_apic;
	uint8_t dst_pin;
} __attribute__((packed));
_Static_assert(sizeof(struct mp_intsrc) == 8, "MP interrupt entry is 8 bytes");

struct mp_lintsrc {
	uint8_t type;
	uint8_t int_type;
	uint16_t flags;
	uint8_t src_bus;
	uint8_t src_irq;
	uint8_t dst_lapic; /* 0xff: every local APIC */
	uint8_t dst_lint;
} __attribute__((packed));
_Static_assert(sizeof(struct mp_lintsrc) == 8, "MP local interrupt entry is 8 bytes");

/* One CPU found by the SMP code. */
struct mp_cpu_info {
	uint32_t apic_id;
	bool bsp;
	uint32_t cpuid_eax; /* CPUID.1 EAX */
	uint32_t cpuid_edx; /* CPUID.1 EDX */
};

/* The I/O APIC. */
struct mp_ioapic_info {
	uint8_t id;
	uint8_t version; /* 0x11 on QEMU */
	uint32_t addr;	 /* 0xfec00000 */
	uint8_t pins;	 /* 24 */
};

/* One PCI INTx line and the I/O APIC pin it reaches. */
struct mp_pci_irq {
	uint8_t bus;
	uint8_t dev;
	uint8_t pin; /* 0 = INTA .. 3 = INTD */
	uint8_t ioapic_pin;
};

struct mptable_input {
	const struct mp_cpu_info *cpus;
	unsigned int cpu_count;
	uint8_t lapic_version;
	uint32_t lapic_addr; /* 0xfee00000 */
	struct mp_ioapic_info ioapic;
	const uint8_t *pci_buses; /* PCI bus numbers; the ISA bus gets max + 1 */
	unsigned int pci_bus_count;
	const struct mp_pci_irq *pci_irqs;
	unsigned int pci_irq_count;
	uint16_t isa_irqs;  /* ISA IRQs to list (bit n = IRQ n); never IRQ 2 nor a PCI pin */
	bool irq0_override; /* ISA IRQ 0 goes to I/O APIC pin 2 */
};

#define MPTABLE_ERR_SPACE   (-1) /* buffer too small */
#define MPTABLE_ERR_APIC_ID (-2) /* an APIC ID does not fit the MP table */
#define MPTABLE_ERR_INPUT   (-3) /* inconsistent input */

/* Bytes an MP table for in takes (floating pointer plus configuration table). */
size_t mptable_size(const struct mptable_input *in);
/* Write the floating pointer then the config table to buf (at physical address phys,
 * 16-byte aligned); return the bytes used or a negative MPTABLE_ERR_*. */
int mptable_build(const struct mptable_input *in, void *buf, size_t size, uint32_t phys);

#endif
