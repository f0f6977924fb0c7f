// SPDX-License-Identifier: MIT
/* Table installation: ACPI through QEMU's linker/loader, SMBIOS, MP table and $PIR. */
#include <string.h>

#include "acpi-builtin.h"
#include "cpu.h"
#include "chipset.h"
#include "fwcfg.h"
#include "io.h"
#include "layout.h"
#include "log.h"
#include "memmap.h"
#include "mptable.h"
#include "payload.h"
#include "pci-enum.h"
#include "pci.h"
#include "pirtable.h"
#include "platform.h"
#include "smbios.h"
#include "table-loader.h"
#include "tables.h"

#define IOAPIC_BASE   0xfec00000u
#define LAPIC_BASE    0xfee00000u
#define SCRATCH_LIMIT (SCRATCH_BASE + SCRATCH_SIZE)

struct tables tables;
static struct tl_result acpi_result;

/* tl_ops.file_size over the fw_cfg directory. */
static int tl_file_size(void *ctx, const char *name, uint32_t *size)
{
	const struct fwcfg_file *f = fwcfg_find(name);

	(void)ctx;
	if (!f)
		return -1;
	*size = f->size;
	return 0;
}

/* tl_ops.file_read: whole-file reads through the fw_cfg driver. */
static int tl_file_read(void *ctx, const char *name, void *dst, uint32_t len)
{
	const struct fwcfg_file *f = fwcfg_find(name);

	(void)ctx;
	return f && fwcfg_read_file(f, 0, dst, len) == len ? 0 : -1;
}

/* tl_ops.alloc: both zones come from the reserved table zone below the top of low RAM. */
static void *tl_alloc(void *ctx, int zone, uint32_t len, uint32_t align, uint64_t *phys)
{
	void *p = zone_alloc(len, align < 16 ? 16 : align,
			     zone == TL_ZONE_FSEG ? "ACPI (FSEG)" : "ACPI");

	(void)ctx;
	*phys = (uintptr_t)p;
	return p;
}

/* tl_ops.file_write: WRITE_POINTER through fw_cfg DMA. */
static int tl_file_write(void *ctx, const char *name, uint32_t offset, const void *src,
			 uint32_t len)
{
	(void)ctx;
	return fwcfg_write_file(name, offset, src, len);
}

static const struct tl_ops tl_ops = {
	.file_size = tl_file_size,
	.file_read = tl_file_read,
	.alloc = tl_alloc,
	.file_write = tl_file_write,
};

/* Run QEMU's linker/loader script. The first read makes QEMU build the tables. */
static void acpi_install(void)
{
	const struct fwcfg_file *f = fwcfg_find(TL_LOADER_FILE);
	uint8_t *script = (uint8_t *)SCRATCH_BASE;
	uint32_t mark = zone_mark();
	int rc;

	if (!f) {
		dlog(LOG_INFO, "acpi: QEMU provides no etc/table-loader: no ACPI tables\n");
		return;
	}
	fwcfg_read_file(f, 0, script, 1);
	fwcfg_refresh();
	f = fwcfg_find(TL_LOADER_FILE);
	if (!f || f->size > SCRATCH_SIZE) {
		dlog(LOG_ERR, "acpi: etc/table-loader missing or over %u bytes: no ACPI tables\n",
		     SCRATCH_SIZE);
		return;
	}
	fwcfg_read_file(f, 0, script, f->size);
	rc = table_loader_run(&tl_ops, script, f->size, &acpi_result);
	if (rc != TL_OK || !acpi_result.rsdp) {
		zone_release(mark);
		dlog(LOG_ERR, "acpi: %s; booting without ACPI tables\n",
		     rc == TL_OK ? "no RSDP among QEMU's tables" : "linker/loader script rejected");
		return;
	}
	tables.rsdp = (uint32_t)acpi_result.rsdp;
	dlog(LOG_INFO, "acpi: %u files from QEMU installed, RSDP at %x, %u pointers written back\n",
	     acpi_result.nr_files, tables.rsdp, acpi_result.nr_write_pointers);
}

/* SMBIOS Type 0 contents for this loader. */
static const struct smbios_type0_info type0 = {
	.version = "qvmloader " CONFIG_VERSION " (" CONFIG_DATE ")",
	.date = SMBIOS_BIOS_DATE,
	.major = 0,
	.minor = 1,
	.rom_bytes = 0,
	.acpi = true,
};

/* Put the entry point in the zone and fix its fields; returns its address or 0. */
static uint32_t place_entry_point(const void *anchor, uint32_t len,
				  const struct smbios_table_info *info, uint32_t table)
{
	uint8_t *ep = zone_alloc(32, 16, "SMBIOS entry point");
	int kind;

	if (!ep)
		return 0;
	memcpy(ep, anchor, len);
	kind = smbios_fix_entry_point(ep, len, info, table);
	if (kind == SMBIOS_ERR)
		return 0;
	if (kind == SMBIOS_EP_30)
		tables.smbios30 = (uint32_t)(uintptr_t)ep;
	else
		tables.smbios21 = (uint32_t)(uintptr_t)ep;
	return (uint32_t)(uintptr_t)ep;
}

/* Legacy machine types hand SMBIOS over as key 0x8001 records instead of files. */
static void smbios_install_legacy(struct smbios_table_info *info)
{
	uint8_t *blob = (uint8_t *)SCRATCH_BASE, ep[SMBIOS_EP21_LEN];
	struct smbios_legacy_input in = {0};
	uint32_t len = 2, mark = zone_mark();
	uint16_t n;
	uint8_t *out;
	int size;

	fwcfg_read_key(FWCFG_SMBIOS_ENTRIES, blob, 2);
	memcpy(&n, blob, 2);
	if (!n)
		dlog(LOG_INFO, "smbios: QEMU provides no SMBIOS data: built-in set\n");
	else
		fwcfg_read_key(FWCFG_SMBIOS_ENTRIES, blob, 0x10000);
	for (uint16_t i = 0; i < n && len + 2 <= 0x10000; i++) {
		uint16_t rec;

		memcpy(&rec, blob + len, 2);
		if (rec < 2)
			break;
		len += rec;
	}
	in.blob = blob;
	in.len = len;
	in.cpu_count = (unsigned int)cpus.count;
	in.cpuid_eax = cpus.signature;
	in.cpuid_edx = cpus.features;
	in.ram_below_4g = platform.ram_below_4g;
	in.ram_above_4g = platform.ram_above_4g_end ? platform.ram_above_4g_end - (1ull << 32) : 0;
	in.type0 = &type0;
	out = zone_alloc(0x4000, 16, "SMBIOS tables");
	size = out ? smbios_build_legacy(&in, out, 0x4000, info) : SMBIOS_ERR;
	smbios_ep21_init(ep, 2, 4);
	if (size == SMBIOS_ERR ||
	    !place_entry_point(ep, SMBIOS_EP21_LEN, info, (uint32_t)(uintptr_t)out)) {
		zone_release(mark);
		dlog(LOG_ERR, "smbios: legacy fw_cfg records unusable: no SMBIOS\n");
		return;
	}
	dlog(LOG_INFO, "smbios: %u structures built from legacy fw_cfg records\n", info->count);
}

/* Install QEMU's SMBIOS structures with a Type 0 added when missing. */
static void smbios_setup(void)
{
	const struct fwcfg_file *anchor = fwcfg_find("etc/smbios/smbios-anchor");
	const struct fwcfg_file *blob = fwcfg_find("etc/smbios/smbios-tables");
	struct smbios_table_info info;
	uint8_t ep[SMBIOS_EP21_LEN];
	uint32_t mark = zone_mark(), room;
	uint8_t *out;
	int size, len;

	if (!anchor || !blob) {
		smbios_install_legacy(&info);
		return;
	}
	if (anchor->size > sizeof(ep) || blob->size > SCRATCH_SIZE) {
		dlog(LOG_ERR, "smbios: anchor of %u bytes or tables of %u bytes: no SMBIOS\n",
		     anchor->size, blob->size);
		return;
	}
	fwcfg_read_file(anchor, 0, ep, anchor->size);
	fwcfg_read_file(blob, 0, (void *)SCRATCH_BASE, blob->size);
	len = smbios_salvage((void *)SCRATCH_BASE, blob->size);
	room = blob->size + 0x100;
	out = len > 0 ? zone_alloc(room, 16, "SMBIOS tables") : NULL;
	size = out ? smbios_install((void *)SCRATCH_BASE, (size_t)len, &type0, out, room, &info)
		   : SMBIOS_ERR;
	if (size == SMBIOS_ERR ||
	    !place_entry_point(ep, anchor->size, &info, (uint32_t)(uintptr_t)out)) {
		zone_release(mark);
		tables.smbios21 = tables.smbios30 = 0;
		dlog(LOG_ERR, "smbios: QEMU's SMBIOS data rejected: no SMBIOS\n");
		return;
	}
	dlog(LOG_INFO, "smbios: %u structures (%s entry point)%s\n", info.count,
	     tables.smbios30 ? "3.0" : "2.1", info.has_type0 ? "" : ", Type 0 added");
}

/* I/O APIC pin a PIRQ index reaches: pc wires it to the routed ISA IRQ, q35 to GSI 16-23. */
static uint8_t pirq_ioapic_pin(uint8_t pirq)
{
	return platform.machine == MACHINE_PC ? chipset_pirq_irq(pirq) : (uint8_t)(16 + pirq);
}

/* Intel MP 1.4 table for OSes without ACPI. */
static void mptable_setup(void)
{
	static struct mp_cpu_info mp_cpus[MAX_CPUS];
	static struct mp_pci_irq irqs[PCI_MAX_FUNCTIONS];
	static uint8_t buses[256];
	struct mptable_input in = {0};
	uint32_t ver;
	uint16_t pci_pins = 0;
	size_t size;
	uint8_t *buf;
	int n;

	for (int i = 0; i < cpus.count; i++)
		mp_cpus[i] = (struct mp_cpu_info){cpus.apic_id[i], i == 0, cpus.signature,
						  cpus.features};
	for (unsigned int b = 0; b <= pci_last_bus; b++)
		buses[in.pci_bus_count++] = (uint8_t)b;
	for (int i = 0; i < pci_function_count; i++) {
		const struct pci_function *f = &pci_functions[i];

		bool dup = false;

		for (unsigned int j = 0; j < in.pci_irq_count && f->pin; j++)
			dup |= irqs[j].bus == PCI_BUS(f->bdf) && irqs[j].dev == PCI_DEV(f->bdf) &&
			       irqs[j].pin == f->pin - 1;
		if (!f->pin || dup)
			continue;
		irqs[in.pci_irq_count++] =
			(struct mp_pci_irq){(uint8_t)PCI_BUS(f->bdf), (uint8_t)PCI_DEV(f->bdf),
					    (uint8_t)(f->pin - 1), pirq_ioapic_pin(f->pirq)};
		pci_pins |= (uint16_t)(1u << (pirq_ioapic_pin(f->pirq) & 15));
	}
	writel(IOAPIC_BASE, 1);
	ver = readl(IOAPIC_BASE + 0x10);
	in.cpus = mp_cpus;
	in.cpu_count = (unsigned int)cpus.count;
	in.lapic_version = (uint8_t)readl(LAPIC_BASE + 0x30);
	in.lapic_addr = LAPIC_BASE;
	in.ioapic = (struct mp_ioapic_info){0, (uint8_t)ver, IOAPIC_BASE,
					    (uint8_t)(((ver >> 16) & 0xff) + 1)};
	in.pci_buses = buses;
	in.pci_irqs = irqs;
	in.isa_irqs =
		(uint16_t)(0xffff & ~(1u << 2) & ~(platform.machine == MACHINE_PC ? pci_pins : 0));
	in.irq0_override = fwcfg_read_key_int(FWCFG_IRQ0_OVERRIDE, 4) != 0;
	size = mptable_size(&in);
	buf = zone_alloc((uint32_t)size, 16, "MP table");
	n = buf ? mptable_build(&in, buf, size, (uint32_t)(uintptr_t)buf) : MPTABLE_ERR_SPACE;
	if (n < 0) {
		dlog(LOG_ERR, "mptable: not built (error %d)\n", n);
		return;
	}
	tables.mptable = (uint32_t)(uintptr_t)buf;
	dlog(LOG_INFO, "mptable: %d CPUs, %u PCI interrupts, %d bytes\n", cpus.count,
	     in.pci_irq_count, n);
}

/* $PIR for the PIIX3 (pc) or ICH9 (q35) interrupt router, one entry per bus-0 device. */
static void pir_setup(void)
{
	static struct pir_device devs[32];
	struct pir_input in = {0};
	size_t size;
	uint8_t *buf;
	int n;

	for (int i = 0; i < pci_function_count && in.device_count < 32; i++) {
		const struct pci_function *f = &pci_functions[i];
		struct pir_device *d;

		if (PCI_BUS(f->bdf) || PCI_FN(f->bdf))
			continue;
		d = &devs[in.device_count++];
		d->bus = 0;
		d->dev = (uint8_t)PCI_DEV(f->bdf);
		d->slot = 0;
		for (uint8_t pin = 0; pin < 4; pin++)
			d->link[pin] = platform.machine == MACHINE_PC ? pir_piix_link(d->dev, pin)
								      : pir_ich9_link(d->dev, pin);
	}
	in.router_bus = 0;
	in.router_devfn = (uint8_t)(platform.isa_bdf & 0xff);
	in.router_vendor = PIR_PIIX_VENDOR;
	in.router_device = pci_read16(platform.isa_bdf, PCI_DEVICE_ID);
	in.irq_mask = PIR_PIIX_IRQ_MASK;
	in.devices = devs;
	size = pir_size(&in);
	buf = zone_alloc((uint32_t)size, 16, "$PIR");
	n = buf ? pir_build(&in, buf, size) : PIR_ERR_SPACE;
	if (n < 0) {
		dlog(LOG_ERR, "pir: not built (error %d)\n", n);
		return;
	}
	tables.pir = (uint32_t)(uintptr_t)buf;
	dlog(LOG_INFO, "pir: %u slots\n", in.device_count);
}

/* ACPI from QEMU's linker/loader or qvmloader's own builder, as acpi_choose() decides. */
static void acpi_setup(void)
{
	enum acpi_source src = acpi_choose();

	if (src == ACPI_FROM_QEMU)
		acpi_install();
	else if (src == ACPI_FROM_BUILTIN)
		tables.rsdp = acpi_builtin_install();
}

void tables_init(void)
{
	acpi_setup();
	smbios_setup();
	mptable_setup();
	pir_setup();
}

const struct tl_result *tables_acpi_result(void)
{
	return tables.rsdp ? &acpi_result : NULL;
}
