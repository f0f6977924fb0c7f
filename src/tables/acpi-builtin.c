// SPDX-License-Identifier: MIT
/* The built-in ACPI tables: facts from platform, cpus, PCI and fw_cfg, then acpi_build(). */
#include <string.h>

#include "acpi-build.h"
#include "acpi-builtin.h"
#include "chipset.h"
#include "cpu.h"
#include "fwcfg.h"
#include "io.h"
#include "layout.h"
#include "log.h"
#include "memmap.h"
#include "platform.h"
#include "table-loader.h"

#define FWCFG_ACPI_TABLES 0x8000
#define FWCFG_HPET	  0x8004
#define HPET_BLOB_LEN	  121
#define IOAPIC_BASE	  0xfec00000u
#define LAPIC_BASE	  0xfee00000u
#define SCI_IRQ		  9
#define NUMA_MAX	  0x10000u		    /* bytes of key 0x0d read at most */
#define USER_BUF	  (SCRATCH_BASE + NUMA_MAX) /* -acpitable blob, after the NUMA blob */
#define USER_MAX	  (SCRATCH_SIZE - NUMA_MAX)

/* The setting of opt/qvmloader/acpi, lower case, "" when absent. */
static void acpi_setting(char *buf, uint32_t size)
{
	const struct fwcfg_file *f = fwcfg_find("opt/qvmloader/acpi");
	uint32_t n = f ? fwcfg_read_file(f, 0, buf, size - 1) : 0;

	buf[n] = 0;
	for (uint32_t i = 0; i < n; i++)
		if (buf[i] == '\n' || buf[i] == '\r' || buf[i] == ' ')
			buf[i] = 0;
}

enum acpi_source acpi_choose(void)
{
	bool qemu = fwcfg_find(TL_LOADER_FILE) != NULL;
	char want[16];

	acpi_setting(want, sizeof(want));
	if (!strcmp(want, "off")) {
		dlog(LOG_INFO, "acpi: none (opt/qvmloader/acpi=off)\n");
		return ACPI_NONE;
	}
	if (!strcmp(want, "builtin")) {
		dlog(LOG_INFO, "acpi: built-in tables (opt/qvmloader/acpi=builtin)\n");
		return ACPI_FROM_BUILTIN;
	}
	if (!strcmp(want, "qemu")) {
		dlog(LOG_INFO, "acpi: QEMU's tables (opt/qvmloader/acpi=qemu)\n");
		return ACPI_FROM_QEMU;
	}
	if (want[0] && strcmp(want, "auto"))
		dlog(LOG_ERR, "acpi: opt/qvmloader/acpi=%s is not auto|qemu|builtin|off; auto\n",
		     want);
	dlog(LOG_INFO, "acpi: %s (auto: QEMU %s etc/table-loader)\n",
	     qemu ? "QEMU's tables" : "built-in tables", qemu ? "offers" : "offers no");
	return qemu ? ACPI_FROM_QEMU : ACPI_FROM_BUILTIN;
}

/* A 16550 answers through its scratch register. */
static bool uart_present(uint16_t base)
{
	outb((uint16_t)(base + 7), 0x5a);
	return inb((uint16_t)(base + 7)) == 0x5a;
}

/* Legacy ISA devices that answer at their fixed ports. */
static uint32_t probe_devices(void)
{
	static const uint16_t com[4] = {0x3f8, 0x2f8, 0x3e8, 0x2e8};
	uint32_t found = 0;

	for (int i = 0; i < 4; i++)
		if (uart_present(com[i]))
			found |= ACPI_DEV_COM1 << i;
	outb(0x378, 0x5a);
	if (inb(0x378) == 0x5a)
		found |= ACPI_DEV_LPT1;
	if (inb(0x3f4) != 0xff)
		found |= ACPI_DEV_FDC;
	if (inb(0x64) != 0xff)
		found |= ACPI_DEV_KBD;
	return found;
}

/* Read the NUMA blob (key 0x0d) into the scratch area; returns its length, 0 without NUMA. */
static uint32_t read_numa(uint8_t *buf)
{
	uint64_t nodes = fwcfg_read_key_int(FWCFG_NUMA, 8);
	uint64_t limit = fwcfg_read_key_int(FWCFG_MAX_CPUS, 2);
	uint64_t len = 8 * (1 + limit + nodes);

	if (!nodes)
		return 0;
	if (len > NUMA_MAX) {
		dlog(LOG_ERR, "acpi: NUMA blob of %llu nodes x %llu APIC IDs is too big: no SRAT\n",
		     (unsigned long long)nodes, (unsigned long long)limit);
		return 0;
	}
	fwcfg_read_key(FWCFG_NUMA, buf, (uint32_t)len);
	return (uint32_t)len;
}

/* Read the -acpitable blob (key 0x8000) whole: walk its lengths, then read that much. */
static uint32_t read_user_tables(uint8_t *buf)
{
	uint32_t total = 2;
	uint16_t count, len;

	fwcfg_read_key(FWCFG_ACPI_TABLES, buf, 2);
	memcpy(&count, buf, 2);
	for (uint16_t i = 0; i < count; i++) {
		if (total + 2 > USER_MAX) {
			dlog(LOG_ERR, "acpi: -acpitable data over %u bytes; the rest ignored\n",
			     USER_MAX);
			break;
		}
		fwcfg_read_key(FWCFG_ACPI_TABLES, buf, total + 2);
		memcpy(&len, buf + total, 2);
		if (total + 2 + len > USER_MAX) {
			dlog(LOG_ERR, "acpi: -acpitable data over %u bytes; the rest ignored\n",
			     USER_MAX);
			break;
		}
		total += 2u + len;
	}
	fwcfg_read_key(FWCFG_ACPI_TABLES, buf, total);
	return count ? total : 0;
}

/* ISA IRQs the PCI links may use (level, active high) plus the SCI. */
static uint16_t level_irqs(void)
{
	uint16_t m = 1u << SCI_IRQ;

	if (platform.machine == MACHINE_PC) {
		m |= 1u << 5;
		for (int i = 0; i < 4; i++)
			m |= (uint16_t)(1u << chipset_pirq_irq(i));
	}
	return m;
}

uint32_t acpi_builtin_install(void)
{
	static uint8_t hpet[HPET_BLOB_LEN], states[6];
	const struct fwcfg_file *sf = fwcfg_find("etc/system-states");
	struct acpi_facts f = {0};
	struct acpi_result res;
	uint32_t mark = zone_mark();
	size_t size;
	uint8_t *buf;
	int n;

	f.chipset = platform.machine == MACHINE_PC ? ACPI_PIIX : ACPI_ICH9;
	f.pm_base = platform.pm_base;
	f.sci_irq = SCI_IRQ;
	f.apic_ids = cpus.apic_id;
	f.cpu_count = (unsigned int)cpus.count;
	f.lapic_addr = LAPIC_BASE;
	f.ioapic_addr = IOAPIC_BASE;
	f.irq0_override = fwcfg_read_key_int(FWCFG_IRQ0_OVERRIDE, 4) != 0;
	f.level_irqs = level_irqs();
	f.pci32_start = platform.pci32_start;
	f.pci32_end = platform.pci32_end;
	f.pci64_start = platform.pci64_start;
	f.pci64_end = platform.pci64_end;
	f.mmconfig = platform.mmconfig;
	f.mmconfig_size = platform.mmconfig ? Q35_MMCONFIG_SIZE : 0;
	f.ram_below_4g = platform.ram_below_4g;
	f.ram_above_4g_end = platform.ram_above_4g_end;
	f.devices = probe_devices();
	if (sf && sf->size == sizeof(states) && fwcfg_read_file(sf, 0, states, 6) == 6)
		f.system_states = states;
	f.numa = (const uint8_t *)SCRATCH_BASE;
	f.numa_len = read_numa((uint8_t *)SCRATCH_BASE);
	fwcfg_read_key(FWCFG_HPET, hpet, sizeof(hpet));
	f.hpet = hpet;
	f.hpet_len = sizeof(hpet);
	f.user_tables = (const uint8_t *)USER_BUF;
	f.user_len = read_user_tables((uint8_t *)USER_BUF);
	f.user_max = USER_MAX;
	if (fwcfg_find("etc/extra-pci-roots"))
		dlog(LOG_ERR, "acpi: the built-in tables describe only PCI0; the extra root buses "
			      "of etc/extra-pci-roots need QEMU's tables\n");
	size = acpi_build_size(&f);
	buf = zone_alloc((uint32_t)size, 64, "ACPI (built-in)");
	n = buf ? acpi_build(&f, buf, size, (uintptr_t)buf, &res) : ACPI_ERR_SPACE;
	if (n < 0) {
		zone_release(mark);
		dlog(LOG_ERR, "acpi: built-in tables failed (error %d): no ACPI\n", n);
		return 0;
	}
	dlog(LOG_INFO,
	     "acpi: built-in %s tables: %u listed (%u from -acpitable), %d CPUs, %u NUMA nodes, "
	     "HPET %s, devices 0x%x, %d bytes\n",
	     platform.name, res.nr_tables, res.nr_user, cpus.count, res.nr_numa,
	     res.hpet ? "yes" : "no", f.devices, n);
	return (uint32_t)res.rsdp;
}
