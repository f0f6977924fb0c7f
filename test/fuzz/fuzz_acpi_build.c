// SPDX-License-Identifier: MIT
/* Fuzz the ACPI builders' inputs: CPU list, NUMA blob (key 0x0d), HPET blob (key 0x8004),
 * -acpitable blob (key 0x8000). Input: 8 header bytes (chipset, CPU count, three blob
 * lengths), the APIC IDs (4 bytes each), then the three blobs. Every table must checksum. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "acpi-build.h"
#include "acpi-tables.h"

#define BUF_PHYS 0x10000000u

static uint8_t buf[1 << 20];
static uint32_t ids[288];

/* Trap unless the table at phys lies in the output and sums to zero. */
static const struct acpi_header *check(uint64_t phys, size_t used)
{
	const struct acpi_header *h;

	if (phys < BUF_PHYS || phys + sizeof(*h) > BUF_PHYS + used)
		__builtin_trap();
	h = (const void *)(buf + (phys - BUF_PHYS));
	if (h->length < sizeof(*h) || phys + h->length > BUF_PHYS + used ||
	    acpi_checksum(h, h->length))
		__builtin_trap();
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct acpi_facts f = {0};
	struct acpi_result res;
	const struct acpi_rsdp *rsdp;
	const struct acpi_header *rsdt;
	size_t lens[3], pos = 8;
	int n;

	if (size < 8)
		return 0;
	f.chipset = data[0] & 1 ? ACPI_ICH9 : ACPI_PIIX;
	f.cpu_count = 1 + (unsigned int)(data[1] | (data[0] & 0x80) << 1) % 288;
	for (int i = 0; i < 3; i++)
		lens[i] = (size_t)(data[2 + 2 * i] | data[3 + 2 * i] << 8);
	for (unsigned int i = 0; i < f.cpu_count; i++) {
		ids[i] = i;
		if (pos + 4 <= size)
			memcpy(&ids[i], data + pos, 4);
		pos += 4;
	}
	f.pm_base = 0x600;
	f.sci_irq = 9;
	f.apic_ids = ids;
	f.irq0_override = data[0] & 2;
	f.level_irqs = (uint16_t)(data[1] << 4 | 0x200);
	f.pci32_start = 0x80000000u;
	f.pci32_end = 0xfec00000u;
	f.mmconfig = f.chipset == ACPI_ICH9 ? 0xb0000000u : 0;
	f.mmconfig_size = (uint32_t)(data[0] & 4 ? 0x10000000u : (uint32_t)data[1] << 20);
	f.ram_below_4g = 0x80000000u;
	f.ram_above_4g_end = data[0] & 8 ? 0x180000000ull : 0;
	f.user_max = 0x10000;
	pos = pos < size ? pos : size;
	for (int i = 0; i < 3; i++) {
		const uint8_t *blob = data + pos;
		size_t len = lens[i] < size - pos ? lens[i] : size - pos;

		if (i == 0)
			f.numa = blob, f.numa_len = len;
		else if (i == 1)
			f.hpet = blob, f.hpet_len = len;
		else
			f.user_tables = blob, f.user_len = len;
		pos += len;
	}
	n = acpi_build(&f, buf, acpi_build_size(&f), BUF_PHYS, &res);
	if (n == ACPI_ERR_SPACE || (n < 0 && n != ACPI_ERR_FACTS))
		__builtin_trap(); /* acpi_build_size() must always be enough */
	if (n < 0)
		return 0;
	rsdp = (const void *)(buf + (res.rsdp - BUF_PHYS));
	if (acpi_checksum(rsdp, 20) || acpi_checksum(rsdp, sizeof(*rsdp)))
		__builtin_trap();
	rsdt = check(rsdp->rsdt, (size_t)n);
	check(rsdp->xsdt, (size_t)n);
	for (uint32_t i = 0; i < (rsdt->length - sizeof(*rsdt)) / 4; i++) {
		uint32_t a;

		memcpy(&a, (const uint8_t *)rsdt + sizeof(*rsdt) + 4 * i, 4);
		check(a, (size_t)n);
	}
	return 0;
}
