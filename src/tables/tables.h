/* SPDX-License-Identifier: MIT */
/* Firmware tables handed to the OS: QEMU's ACPI (linker/loader) and SMBIOS, plus the MP
 * table and $PIR built from what the PCI and SMP code found. All live in the table zone. */
#ifndef QVM_TABLES_H
#define QVM_TABLES_H

#include <stdint.h>

struct tl_result;

struct tables {
	uint32_t rsdp;	   /* ACPI RSDP, 0 if none */
	uint32_t smbios21; /* SMBIOS 2.1 entry point, 0 if none */
	uint32_t smbios30; /* SMBIOS 3.0 entry point, 0 if none */
	uint32_t mptable;  /* MP floating pointer, 0 if none */
	uint32_t pir;	   /* $PIR, 0 if none */
};

extern struct tables tables;

/* Install every table. Must run after chipset, PCI and SMI set-up (QEMU builds ACPI on the
 * first read of an ACPI fw_cfg file from the state it sees then). */
void tables_init(void);
/* What the linker/loader run produced (its WRITE_POINTERs are replayed at S3 resume);
 * NULL when no ACPI tables were installed. */
const struct tl_result *tables_acpi_result(void);

#endif
