/* SPDX-License-Identifier: MIT */
/* Which ACPI tables the OS gets (fw_cfg opt/qvmloader/acpi), and the built-in set: facts
 * gathered from the machine qvmloader programmed, tables made by acpi/acpi-build.c. */
#ifndef QVM_ACPI_BUILTIN_H
#define QVM_ACPI_BUILTIN_H

#include <stdint.h>

enum acpi_source {
	ACPI_FROM_QEMU,	   /* QEMU's linker/loader */
	ACPI_FROM_BUILTIN, /* qvmloader's own tables */
	ACPI_NONE,	   /* no ACPI at all */
};

/* Decide from opt/qvmloader/acpi (auto|qemu|builtin|off) and what QEMU offers; logs why. */
enum acpi_source acpi_choose(void);
/* Build and install the built-in tables; returns the RSDP address, or 0 (logged). */
uint32_t acpi_builtin_install(void);

#endif
