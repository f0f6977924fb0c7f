// SPDX-License-Identifier: MIT
/* qvmloader's own ACPI tables, built from struct acpi_facts into one caller buffer. */
#include <string.h>

#include "acpi-build.h"
#include "acpi-tables.h"
#include "aml.h"
#include "log.h"

#define OEM_ID	    "QVMLDR"
#define CREATOR_ID  "QVML"
#define MAX_LISTED  64 /* tables in the RSDT/XSDT */
#define MAX_USER    32 /* -acpitable tables taken */
#define MAX_NODES   128
#define X2APIC_FROM 255 /* APIC IDs from here on need x2APIC entries */

#define FADT_WBINVD	    (1u << 0)
#define FADT_PROC_C1	    (1u << 2)
#define FADT_SLP_BUTTON	    (1u << 5)
#define FADT_RTC_S4	    (1u << 7)
#define FADT_RESET_REG_SUP  (1u << 10)
#define FADT_PLATFORM_CLOCK (1u << 15)
#define BOOT_ARCH_LEGACY    (1u << 0)
#define BOOT_ARCH_8042	    (1u << 1)
#define MADT_PCAT_COMPAT    1u
#define MADT_ENABLED	    1u
#define ISO_LEVEL_HIGH	    0x000d /* active high, level triggered */
#define SRAT_ENABLED	    1u
#define PIIX_GPE0	    0xafe0
#define ICH9_GPE0_OFFSET    0x20
#define SMI_CMD_PORT	    0xb2
#define RESET_PORT	    0xcf9
#define STATE_ENABLED	    0x80
#define LOW_RAM_END	    0xa0000u
#define HIGH_RAM_START	    0x100000u
#define FOUR_GIB	    (1ull << 32)

/* Output cursor over the caller's buffer. */
struct out {
	uint8_t *buf;
	size_t size, pos;
	uint64_t phys;
	uint32_t listed[MAX_LISTED];
	unsigned int nr_listed;
};

uint8_t acpi_checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	while (len--)
		s = (uint8_t)(s + *b++);
	return s;
}

/* Zeroed, aligned space of len bytes; NULL when the buffer is full. */
static void *take(struct out *o, size_t len, size_t align)
{
	size_t at = (o->pos + align - 1) & ~(align - 1);

	if (at > o->size || len > o->size - at)
		return NULL;
	o->pos = at + len;
	memset(o->buf + at, 0, len);
	return o->buf + at;
}

/* Physical address of a pointer into the buffer. */
static uint64_t phys_of(const struct out *o, const void *p)
{
	return o->phys + (uint64_t)((const uint8_t *)p - o->buf);
}

/* Fill a table header (checksum later, in finish()). */
static void header(void *t, const char *sig, uint32_t len, uint8_t rev, const char *table_id)
{
	struct acpi_header *h = t;

	memcpy(h->signature, sig, 4);
	h->length = len;
	h->revision = rev;
	memcpy(h->oem_id, OEM_ID, 6);
	memset(h->oem_table_id, ' ', 8);
	memcpy(h->oem_table_id, table_id, strlen(table_id) < 8 ? strlen(table_id) : 8);
	h->oem_revision = 1;
	memcpy(h->creator_id, CREATOR_ID, 4);
	h->creator_revision = 1;
}

/* Set the checksum of a finished table and, if listed, add it to the RSDT/XSDT list. */
static void finish(struct out *o, void *t, bool listed)
{
	struct acpi_header *h = t;

	h->checksum = 0;
	h->checksum = (uint8_t)-acpi_checksum(t, h->length);
	if (listed && o->nr_listed < MAX_LISTED)
		o->listed[o->nr_listed++] = (uint32_t)phys_of(o, t);
}

/* An I/O-space generic address of bits width at port. */
static struct acpi_gas gas_io(uint8_t bits, uint8_t access, uint64_t port)
{
	return (struct acpi_gas){ACPI_GAS_IO, bits, 0, access, port};
}

/* Overwrite named integer name in a copied AML table; false if absent or too wide. */
static bool aml_set(uint8_t *table, const struct aml_blob *b, const char *name, uint64_t v)
{
	for (unsigned int i = 0; i < b->nr_patches; i++) {
		const struct aml_patch *p = &b->patches[i];

		if (strcmp(p->name, name) != 0)
			continue;
		if (p->width == 4 && v > 0xffffffffull)
			return false;
		for (unsigned int k = 0; k < p->width; k++)
			table[p->offset + k] = (uint8_t)(v >> (8 * k));
		return true;
	}
	dlog(LOG_ERR, "acpi: AML has no named integer %s\n", name);
	return false;
}

/* Copy a compiled table into the buffer; NULL when it does not fit. */
static uint8_t *aml_copy(struct out *o, const struct aml_blob *b)
{
	uint8_t *t = take(o, b->len, 16);

	if (t)
		memcpy(t, b->code, b->len);
	return t;
}

/* Sleep-state byte for Sx: etc/system-states, or QEMU's defaults without it. */
static uint8_t sleep_state(const struct acpi_facts *f, int s)
{
	static const uint8_t defaults[6] = {0x80, 0, 0, 0x81, 0x82, 0x80};

	return f->system_states ? f->system_states[s] : defaults[s];
}

/* The DSDT with the window, device and HPET facts patched in. */
static uint8_t *build_dsdt(struct out *o, const struct acpi_facts *f, uint32_t devices,
			   uint32_t hpet_addr)
{
	const struct aml_blob *b = f->chipset == ACPI_PIIX ? &aml_dsdt_pc : &aml_dsdt_q35;
	uint64_t w3s = f->pci32_start, w3e = f->pci32_end, w4s = 0, w4e = 0;
	uint64_t mend = (uint64_t)f->mmconfig + f->mmconfig_size;
	uint8_t *t = aml_copy(o, b);
	bool ok;

	if (!t)
		return NULL;
	if (f->mmconfig && f->mmconfig >= w3s && mend <= w3e) {
		w4s = mend;
		w4e = w3e;
		w3e = f->mmconfig;
	}
	/* ASL sees inclusive ends; an empty window keeps end <= start. */
	ok = aml_set(t, b, "QW3S", w3s) && aml_set(t, b, "QW3E", w3e > w3s ? w3e - 1 : 0) &&
	     aml_set(t, b, "QW4S", w4s) && aml_set(t, b, "QW4E", w4e > w4s ? w4e - 1 : 0) &&
	     aml_set(t, b, "QW6S", f->pci64_start) &&
	     aml_set(t, b, "QW6E", f->pci64_end > f->pci64_start ? f->pci64_end - 1 : 0) &&
	     aml_set(t, b, "QDEV", devices) && aml_set(t, b, "QHPA", hpet_addr);
	if (ok && f->chipset == ACPI_ICH9)
		ok = aml_set(t, b, "QECB", f->mmconfig) && aml_set(t, b, "QECL", f->mmconfig_size);
	if (!ok)
		return NULL;
	finish(o, t, false);
	return t;
}

/* SSDTs for S3 and S4 when etc/system-states enables them. */
static bool build_sleep_ssdts(struct out *o, const struct acpi_facts *f)
{
	uint8_t *t;

	if (sleep_state(f, 3) & STATE_ENABLED) {
		t = aml_copy(o, &aml_ssdt_s3);
		if (!t)
			return false;
		finish(o, t, true);
	}
	if (sleep_state(f, 4) & STATE_ENABLED) {
		t = aml_copy(o, &aml_ssdt_s4);
		if (!t || !aml_set(t, &aml_ssdt_s4, "QS4T", sleep_state(f, 4) & 7u))
			return false;
		finish(o, t, true);
	}
	return true;
}

/* FADT revision 3 from the PM block the chipset code programmed. */
static bool build_fadt(struct out *o, const struct acpi_facts *f, uint64_t facs, uint64_t dsdt)
{
	struct acpi_fadt *t = take(o, sizeof(*t), 16);
	uint32_t gpe0 = f->chipset == ACPI_PIIX ? PIIX_GPE0 : f->pm_base + ICH9_GPE0_OFFSET;
	uint8_t gpe0_len = f->chipset == ACPI_PIIX ? 4 : 16;

	if (!t)
		return false;
	header(t, "FACP", sizeof(*t), 3, "QVM-FACP");
	t->firmware_ctrl = (uint32_t)facs;
	t->dsdt = (uint32_t)dsdt;
	t->x_dsdt = dsdt;
	t->int_model = 1; /* ACPI 1.0 field: multiple APIC, as QEMU sets it */
	t->sci_int = f->sci_irq;
	t->smi_cmd = SMI_CMD_PORT;
	/* APM commands that make QEMU's PIIX4 or ICH9 model set or clear SCI_EN. */
	t->acpi_enable = f->chipset == ACPI_PIIX ? 0xf1 : 0x02;
	t->acpi_disable = f->chipset == ACPI_PIIX ? 0xf0 : 0x03;
	t->pm1a_evt_blk = f->pm_base;
	t->pm1a_cnt_blk = f->pm_base + 4u;
	t->pm_tmr_blk = f->pm_base + 8u;
	t->gpe0_blk = gpe0;
	t->pm1_evt_len = 4;
	t->pm1_cnt_len = 2;
	t->pm_tmr_len = 4;
	t->gpe0_blk_len = gpe0_len;
	t->p_lvl2_lat = 0xfff; /* no C2 */
	t->p_lvl3_lat = 0xfff; /* no C3 */
	t->century = 0x32;
	t->iapc_boot_arch =
		(uint16_t)(BOOT_ARCH_LEGACY | (f->devices & ACPI_DEV_KBD ? BOOT_ARCH_8042 : 0));
	t->flags = FADT_WBINVD | FADT_PROC_C1 | FADT_SLP_BUTTON | FADT_RTC_S4 | FADT_RESET_REG_SUP |
		   FADT_PLATFORM_CLOCK;
	t->reset_reg = gas_io(8, 1, RESET_PORT);
	t->reset_value = f->chipset == ACPI_PIIX ? 0x06 : 0x0f; /* as QEMU's own FADTs */
	t->x_pm1a_evt_blk = gas_io(32, 0, t->pm1a_evt_blk);
	t->x_pm1a_cnt_blk = gas_io(16, 0, t->pm1a_cnt_blk);
	t->x_pm_tmr_blk = gas_io(32, 0, t->pm_tmr_blk);
	t->x_gpe0_blk = gas_io((uint8_t)(gpe0_len * 8), 0, gpe0);
	finish(o, t, true);
	return true;
}

/* MADT: a local APIC (or x2APIC) per present CPU, the I/O APIC, overrides and LINT1 NMI. */
static bool build_madt(struct out *o, const struct acpi_facts *f)
{
	struct acpi_madt *t = take(o, sizeof(*t), 16);
	bool x2 = false;

	if (!t)
		return false;
	t->lapic_addr = f->lapic_addr;
	t->flags = MADT_PCAT_COMPAT;
	for (unsigned int i = 0; i < f->cpu_count; i++) {
		uint32_t id = f->apic_ids[i];

		if (id < X2APIC_FROM) {
			struct madt_lapic *e = take(o, sizeof(*e), 1);

			if (!e)
				return false;
			*e = (struct madt_lapic){MADT_LAPIC, sizeof(*e), (uint8_t)i, (uint8_t)id,
						 MADT_ENABLED};
		} else {
			struct madt_x2apic *e = take(o, sizeof(*e), 1);

			if (!e)
				return false;
			*e = (struct madt_x2apic){MADT_X2APIC, sizeof(*e), 0, id, MADT_ENABLED, i};
			x2 = true;
		}
	}
	{
		struct madt_ioapic *e = take(o, sizeof(*e), 1);

		if (!e)
			return false;
		*e = (struct madt_ioapic){MADT_IOAPIC, sizeof(*e),     f->ioapic_id,
					  0,	       f->ioapic_addr, 0};
	}
	for (unsigned int irq = 0; irq < 16; irq++) {
		bool irq0 = irq == 0 && f->irq0_override;
		struct madt_iso *e;

		if (!irq0 && (irq == 0 || irq == 2 || !(f->level_irqs & (1u << irq))))
			continue;
		e = take(o, sizeof(*e), 1);
		if (!e)
			return false;
		*e = (struct madt_iso){MADT_ISO,     sizeof(*e),      0,
				       (uint8_t)irq, irq0 ? 2u : irq, irq0 ? 0 : ISO_LEVEL_HIGH};
	}
	{
		struct madt_lapic_nmi *e = take(o, sizeof(*e), 1);

		if (!e)
			return false;
		*e = (struct madt_lapic_nmi){MADT_LAPIC_NMI, sizeof(*e), 0xff, 0, 1};
	}
	if (x2) {
		struct madt_x2apic_nmi *e = take(o, sizeof(*e), 1);

		if (!e)
			return false;
		*e = (struct madt_x2apic_nmi){MADT_X2APIC_NMI, sizeof(*e), 0, 0xffffffffu, 1, {0}};
	}
	header(t, "APIC", (uint32_t)(o->buf + o->pos - (uint8_t *)t), 3, "QVM-APIC");
	finish(o, t, true);
	return true;
}

/* HPET table from the first timer block of fw_cfg key 0x8004; *addr gets its base. */
static bool build_hpet(struct out *o, const struct acpi_facts *f, uint32_t *addr, bool *built)
{
	struct hpet_fw_entry e;
	struct acpi_hpet *t;

	*built = false;
	if (!f->hpet || f->hpet_len < 1 + sizeof(e) || f->hpet[0] == 0 || f->hpet[0] == 0xff)
		return true;
	if (f->hpet[0] > 8)
		dlog(LOG_ERR, "acpi: fw_cfg HPET count %u is over 8; describing the first one\n",
		     f->hpet[0]);
	memcpy(&e, f->hpet + 1, sizeof(e));
	if (!e.address || e.address >= FOUR_GIB) {
		dlog(LOG_ERR, "acpi: fw_cfg HPET address 0x%llx is unusable: no HPET table\n",
		     (unsigned long long)e.address);
		return true;
	}
	t = take(o, sizeof(*t), 16);
	if (!t)
		return false;
	header(t, "HPET", sizeof(*t), 1, "QVM-HPET");
	t->event_timer_block_id = e.event_timer_block_id;
	t->address = (struct acpi_gas){ACPI_GAS_MEMORY, 64, 0, 0, e.address};
	t->min_tick = e.min_tick;
	t->page_protection = e.page_prot;
	finish(o, t, true);
	*addr = (uint32_t)e.address;
	*built = true;
	return true;
}

/* MCFG for the ECAM window (q35). */
static bool build_mcfg(struct out *o, const struct acpi_facts *f)
{
	struct acpi_mcfg *t;
	uint32_t buses = f->mmconfig_size >> 20;

	if (!f->mmconfig)
		return true;
	if (buses < 1 || buses > 256) {
		dlog(LOG_ERR, "acpi: MMCONFIG of %u bytes is not 1-256 buses: no MCFG\n",
		     f->mmconfig_size);
		return true;
	}
	t = take(o, sizeof(*t), 16);
	if (!t)
		return false;
	header(t, "MCFG", sizeof(*t), 1, "QVM-MCFG");
	t->base = f->mmconfig;
	t->segment = 0;
	t->start_bus = 0;
	t->end_bus = (uint8_t)(buses - 1);
	finish(o, t, true);
	return true;
}

/* Little-endian u64 at p. */
static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

bool acpi_numa_parse(const uint8_t *blob, size_t len, struct acpi_numa *out)
{
	uint64_t words = len / 8;

	memset(out, 0, sizeof(*out));
	if (!blob || len < 8 || len % 8)
		return false;
	out->nodes = le64(blob);
	if (!out->nodes)
		return true;
	if (out->nodes > MAX_NODES || words < 2 + out->nodes) {
		dlog(LOG_ERR, "acpi: NUMA blob of %u bytes cannot hold %llu nodes: no SRAT\n",
		     (unsigned int)len, (unsigned long long)out->nodes);
		out->nodes = 0;
		return false;
	}
	out->apic_limit = words - 1 - out->nodes;
	out->node_of_apic = blob + 8;
	out->node_mem = blob + 8 * (1 + out->apic_limit);
	for (uint64_t i = 0; i < out->apic_limit; i++) {
		if (le64(out->node_of_apic + 8 * i) >= out->nodes) {
			dlog(LOG_ERR, "acpi: NUMA node of APIC ID %llu is out of range: no SRAT\n",
			     (unsigned long long)i);
			out->nodes = 0;
			return false;
		}
	}
	return true;
}

/* One SRAT memory affinity entry for [base, base+len) on node. */
static bool srat_mem(struct out *o, uint32_t node, uint64_t base, uint64_t len)
{
	struct srat_mem *e;

	if (!len)
		return true;
	e = take(o, sizeof(*e), 1);
	if (!e)
		return false;
	e->type = SRAT_MEMORY;
	e->length = sizeof(*e);
	e->proximity = node;
	e->base_lo = (uint32_t)base;
	e->base_hi = (uint32_t)(base >> 32);
	e->len_lo = (uint32_t)len;
	e->len_hi = (uint32_t)(len >> 32);
	e->flags = SRAT_ENABLED;
	return true;
}

/* Memory affinity in node order: node 0 starts at 0 without 640K-1M, and the gap below
 * 4 GiB is skipped, the way QEMU lays guest RAM out over the nodes. */
static bool srat_memory(struct out *o, const struct acpi_facts *f, const struct acpi_numa *n)
{
	uint64_t base = 0, below = f->ram_below_4g;

	for (uint64_t i = 0; i < n->nodes; i++) {
		uint64_t len = le64(n->node_mem + 8 * i);

		if (base == 0 && len) {
			if (!srat_mem(o, (uint32_t)i, 0, LOW_RAM_END))
				return false;
			base = HIGH_RAM_START;
			len = len > HIGH_RAM_START ? len - HIGH_RAM_START : 0;
		}
		if (base < below && len > below - base) {
			if (!srat_mem(o, (uint32_t)i, base, below - base))
				return false;
			len -= below - base;
			base = FOUR_GIB;
		} else if (base >= below && base < FOUR_GIB) {
			base = FOUR_GIB;
		}
		if (len > UINT64_MAX - base)
			return true;
		if (!srat_mem(o, (uint32_t)i, base, len))
			return false;
		base += len;
	}
	return true;
}

/* SRAT from fw_cfg key 0x0d: processor affinity per present CPU, then memory. */
static bool build_srat(struct out *o, const struct acpi_facts *f, unsigned int *nodes)
{
	struct acpi_numa n;
	struct acpi_srat *t;

	*nodes = 0;
	if (!acpi_numa_parse(f->numa, f->numa_len, &n) || !n.nodes)
		return true;
	t = take(o, sizeof(*t), 16);
	if (!t)
		return false;
	t->reserved1 = 1;
	for (unsigned int i = 0; i < f->cpu_count; i++) {
		uint32_t id = f->apic_ids[i];
		uint32_t node =
			id < n.apic_limit ? (uint32_t)le64(n.node_of_apic + 8 * (size_t)id) : 0;

		if (id >= n.apic_limit)
			dlog(LOG_ERR, "acpi: APIC ID %u is beyond the NUMA map; node 0\n", id);
		if (id < X2APIC_FROM) {
			struct srat_cpu *e = take(o, sizeof(*e), 1);

			if (!e)
				return false;
			*e = (struct srat_cpu){SRAT_CPU,
					       sizeof(*e),
					       (uint8_t)node,
					       (uint8_t)id,
					       SRAT_ENABLED,
					       0,
					       {(uint8_t)(node >> 8), (uint8_t)(node >> 16),
						(uint8_t)(node >> 24)},
					       0};
		} else {
			struct srat_x2apic *e = take(o, sizeof(*e), 1);

			if (!e)
				return false;
			*e = (struct srat_x2apic){SRAT_X2APIC, sizeof(*e),   0, node,
						  id,	       SRAT_ENABLED, 0, 0};
		}
	}
	if (!srat_memory(o, f, &n))
		return false;
	header(t, "SRAT", (uint32_t)(o->buf + o->pos - (uint8_t *)t), 1, "QVM-SRAT");
	finish(o, t, true);
	*nodes = (unsigned int)n.nodes;
	return true;
}

/* Whether a -acpitable signature names a table this builder owns. */
static bool reserved_signature(const char *sig)
{
	static const char owned[][5] = {"RSDT", "XSDT", "FACP", "FACS", "DSDT", "RSD "};

	for (unsigned int i = 0; i < sizeof(owned) / sizeof(owned[0]); i++)
		if (!memcmp(sig, owned[i], 4))
			return true;
	return false;
}

/* Append every usable -acpitable (key 0x8000: u16 count, then {u16 len, table}...). */
static bool build_user_tables(struct out *o, const struct acpi_facts *f, unsigned int *nr)
{
	const uint8_t *b = f->user_tables;
	size_t pos = 2;
	unsigned int count;

	*nr = 0;
	if (!b || f->user_len < 2)
		return true;
	count = (unsigned int)(b[0] | b[1] << 8);
	for (unsigned int i = 0; i < count; i++) {
		struct acpi_header h;
		size_t len;
		uint8_t *t;

		if (f->user_len - pos < 2) {
			dlog(LOG_ERR, "acpi: -acpitable %u of %u is cut off; the rest ignored\n", i,
			     count);
			break;
		}
		len = (size_t)(b[pos] | b[pos + 1] << 8);
		pos += 2;
		if (len > f->user_len - pos) {
			dlog(LOG_ERR,
			     "acpi: -acpitable %u claims %u bytes past the blob; ignored\n", i,
			     (unsigned int)len);
			break;
		}
		if (len < sizeof(h)) {
			dlog(LOG_ERR, "acpi: -acpitable %u has %u bytes, no header; skipped\n", i,
			     (unsigned int)len);
			pos += len;
			continue;
		}
		memcpy(&h, b + pos, sizeof(h));
		if (h.length < sizeof(h) || h.length > len || h.length > f->user_max ||
		    reserved_signature(h.signature) || *nr == MAX_USER) {
			dlog(LOG_ERR,
			     "acpi: -acpitable %u (%.4s, %u bytes) skipped: bad length, a table "
			     "qvmloader builds itself, or over %u tables\n",
			     i, h.signature, h.length, MAX_USER);
			pos += len;
			continue;
		}
		t = take(o, h.length, 16);
		if (!t)
			return false;
		memcpy(t, b + pos, h.length);
		finish(o, t, true);
		(*nr)++;
		pos += len;
	}
	return true;
}

/* RSDT and XSDT over the listed tables, then the RSDP pointing at both. */
static bool build_roots(struct out *o, struct acpi_rsdp *rsdp)
{
	uint32_t rlen = (uint32_t)(sizeof(struct acpi_header) + 4 * (size_t)o->nr_listed);
	uint32_t xlen = (uint32_t)(sizeof(struct acpi_header) + 8 * (size_t)o->nr_listed);
	uint8_t *r = take(o, rlen, 16), *x;

	if (!r)
		return false;
	x = take(o, xlen, 16);
	if (!x)
		return false;
	header(r, "RSDT", rlen, 1, "QVM-RSDT");
	header(x, "XSDT", xlen, 1, "QVM-XSDT");
	for (unsigned int i = 0; i < o->nr_listed; i++) {
		uint64_t a = o->listed[i];

		memcpy(r + sizeof(struct acpi_header) + 4 * (size_t)i, &o->listed[i], 4);
		memcpy(x + sizeof(struct acpi_header) + 8 * (size_t)i, &a, 8);
	}
	finish(o, r, false);
	finish(o, x, false);
	memcpy(rsdp->signature, "RSD PTR ", 8);
	memcpy(rsdp->oem_id, OEM_ID, 6);
	rsdp->revision = 2;
	rsdp->rsdt = (uint32_t)phys_of(o, r);
	rsdp->length = sizeof(*rsdp);
	rsdp->xsdt = phys_of(o, x);
	rsdp->checksum = (uint8_t)-acpi_checksum(rsdp, 20);
	rsdp->ext_checksum = (uint8_t)-acpi_checksum(rsdp, sizeof(*rsdp));
	return true;
}

size_t acpi_build_size(const struct acpi_facts *f)
{
	struct acpi_numa n;
	size_t dsdt = f->chipset == ACPI_PIIX ? aml_dsdt_pc.len : aml_dsdt_q35.len;

	acpi_numa_parse(f->numa, f->numa_len, &n);
	size_t per_cpu = sizeof(struct madt_x2apic) + sizeof(struct srat_x2apic);
	size_t fixed = 1024 + sizeof(struct acpi_fadt) + sizeof(struct acpi_madt) +
		       sizeof(struct acpi_hpet) + sizeof(struct acpi_mcfg) +
		       sizeof(struct acpi_srat);
	size_t lists = (size_t)16 * sizeof(struct madt_iso) + (size_t)16 * MAX_USER +
		       (size_t)12 * MAX_LISTED + (size_t)16 * 8;

	return fixed + dsdt + aml_ssdt_s3.len + aml_ssdt_s4.len + f->cpu_count * per_cpu + lists +
	       (size_t)(2 * n.nodes + 2) * sizeof(struct srat_mem) + f->user_len;
}

int acpi_build(const struct acpi_facts *f, uint8_t *buf, size_t size, uint64_t phys,
	       struct acpi_result *res)
{
	struct out o = {buf, size, 0, phys, {0}, 0};
	struct acpi_rsdp *rsdp;
	struct acpi_facs *facs;
	uint32_t hpet_addr = 0;
	uint8_t *dsdt;
	bool ok;

	memset(res, 0, sizeof(*res));
	if (!f->cpu_count || !f->apic_ids || !f->pm_base || f->pci32_end < f->pci32_start ||
	    phys + size > FOUR_GIB) {
		dlog(LOG_ERR, "acpi: no CPUs, no PM block, a bad PCI window or a buffer above "
			      "4 GiB: no built-in ACPI\n");
		return ACPI_ERR_FACTS;
	}
	rsdp = take(&o, sizeof(*rsdp), 16);
	facs = take(&o, sizeof(*facs), 64);
	if (!rsdp || !facs)
		return ACPI_ERR_SPACE;
	memcpy(facs->signature, "FACS", 4);
	facs->length = sizeof(*facs);
	facs->version = 1;
	/* The HPET table comes first so that the DSDT knows whether to show the device. */
	ok = build_hpet(&o, f, &hpet_addr, &res->hpet);
	dsdt = ok ? build_dsdt(&o, f, f->devices | (res->hpet ? ACPI_DEV_HPET : 0), hpet_addr)
		  : NULL;
	ok = dsdt && build_fadt(&o, f, phys_of(&o, facs), phys_of(&o, dsdt)) &&
	     build_sleep_ssdts(&o, f) && build_madt(&o, f) && build_mcfg(&o, f) &&
	     build_srat(&o, f, &res->nr_numa) && build_user_tables(&o, f, &res->nr_user) &&
	     build_roots(&o, rsdp);
	if (!ok)
		return ACPI_ERR_SPACE;
	res->rsdp = phys;
	res->used = (uint32_t)o.pos;
	res->nr_tables = o.nr_listed;
	return (int)o.pos;
}
