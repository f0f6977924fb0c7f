// SPDX-License-Identifier: MIT
/* Unit tests of acpi/acpi-build.c: checksums and lengths of every table, MADT and SRAT from
 * random CPU and NUMA inputs, -acpitable passthrough, and the AML evaluated by ACPICA's
 * acpiexec (_CRS, _PRT, _STA must say what the builder was given). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "acpi-build.h"
#include "acpi-tables.h"
#include "host_log.h"

#define BUF_SIZE  (1u << 20)
#define BUF_PHYS  0x1f000000u
#define MAX_TABLE 64

static uint8_t buf[BUF_SIZE];
static uint32_t apic_ids[288];
static uint8_t hpet_blob[121];

/* The tables of one build, found by walking from the RSDP. */
struct walk {
	const struct acpi_rsdp *rsdp;
	const struct acpi_header *t[MAX_TABLE];
	int n;
	const struct acpi_header *dsdt;
	const struct acpi_facs *facs;
};

/* Buffer pointer of a physical address the builder wrote. */
static const void *at(uint64_t phys)
{
	assert_true(phys >= BUF_PHYS && phys < BUF_PHYS + BUF_SIZE);
	return buf + (phys - BUF_PHYS);
}

/* QEMU's HPET record: one block at 0xfed00000. */
static void hpet_default(void)
{
	struct hpet_fw_entry e = {0x8086a201, 0xfed00000, 0x80, 0};

	memset(hpet_blob, 0, sizeof(hpet_blob));
	hpet_blob[0] = 1;
	memcpy(hpet_blob + 1, &e, sizeof(e));
}

/* Facts of a plain machine of this chipset with n CPUs. */
static struct acpi_facts facts(enum acpi_chipset cs, unsigned int n)
{
	struct acpi_facts f = {0};

	for (unsigned int i = 0; i < n; i++)
		apic_ids[i] = i;
	hpet_default();
	f.chipset = cs;
	f.pm_base = 0x600;
	f.sci_irq = 9;
	f.apic_ids = apic_ids;
	f.cpu_count = n;
	f.lapic_addr = 0xfee00000;
	f.ioapic_addr = 0xfec00000;
	f.irq0_override = true;
	f.level_irqs = cs == ACPI_PIIX ? 0x0e20 : 0x0200;
	f.pci32_start = 0x20000000;
	f.pci32_end = 0xfec00000;
	f.pci64_start = 0x800000000ull;
	f.pci64_end = 0x1000000000ull;
	f.mmconfig = cs == ACPI_ICH9 ? 0xb0000000 : 0;
	f.mmconfig_size = cs == ACPI_ICH9 ? 0x10000000 : 0;
	f.ram_below_4g = 0x20000000;
	f.devices = ACPI_DEV_COM1 | ACPI_DEV_KBD;
	f.hpet = hpet_blob;
	f.hpet_len = sizeof(hpet_blob);
	f.user_max = 0x10000;
	return f;
}

/* Build and walk; checks every checksum, length and root pointer on the way. */
static int build_walk(const struct acpi_facts *f, struct walk *w, struct acpi_result *res)
{
	const struct acpi_header *rsdt, *xsdt;
	const struct acpi_fadt *fadt;
	int n = acpi_build(f, buf, sizeof(buf), BUF_PHYS, res);

	memset(w, 0, sizeof(*w));
	if (n < 0)
		return n;
	assert_true((size_t)n <= acpi_build_size(f));
	w->rsdp = at(res->rsdp);
	assert_memory_equal(w->rsdp->signature, "RSD PTR ", 8);
	assert_int_equal(acpi_checksum(w->rsdp, 20), 0);
	assert_int_equal(acpi_checksum(w->rsdp, 36), 0);
	assert_int_equal(w->rsdp->revision, 2);
	assert_int_equal(w->rsdp->length, 36);
	assert_int_equal(res->rsdp % 16, 0);
	rsdt = at(w->rsdp->rsdt);
	xsdt = at(w->rsdp->xsdt);
	assert_memory_equal(rsdt->signature, "RSDT", 4);
	assert_memory_equal(xsdt->signature, "XSDT", 4);
	assert_int_equal(acpi_checksum(rsdt, rsdt->length), 0);
	assert_int_equal(acpi_checksum(xsdt, xsdt->length), 0);
	w->n = (int)(rsdt->length - 36) / 4;
	assert_int_equal(xsdt->length, 36 + 8 * w->n);
	assert_int_equal(w->n, res->nr_tables);
	for (int i = 0; i < w->n; i++) {
		uint32_t r;
		uint64_t x;

		memcpy(&r, (const uint8_t *)rsdt + 36 + 4 * i, 4);
		memcpy(&x, (const uint8_t *)xsdt + 36 + 8 * i, 8);
		assert_int_equal(r, x);
		w->t[i] = at(r);
		assert_true(w->t[i]->length >= 36);
		assert_true((const uint8_t *)w->t[i] + w->t[i]->length <= buf + n);
		assert_int_equal(acpi_checksum(w->t[i], w->t[i]->length), 0);
	}
	fadt = NULL;
	for (int i = 0; i < w->n; i++)
		if (!memcmp(w->t[i]->signature, "FACP", 4))
			fadt = (const void *)w->t[i];
	assert_non_null(fadt);
	assert_int_equal(fadt->h.length, sizeof(*fadt));
	assert_int_equal(fadt->dsdt, fadt->x_dsdt);
	w->dsdt = at(fadt->dsdt);
	w->facs = at(fadt->firmware_ctrl);
	assert_int_equal(fadt->firmware_ctrl % 64, 0);
	assert_memory_equal(w->facs->signature, "FACS", 4);
	assert_int_equal(w->facs->length, 64);
	assert_memory_equal(w->dsdt->signature, "DSDT", 4);
	assert_int_equal(acpi_checksum(w->dsdt, w->dsdt->length), 0);
	return n;
}

/* The listed table with this signature (the k-th one), or NULL. */
static const struct acpi_header *find(const struct walk *w, const char *sig, int k)
{
	for (int i = 0; i < w->n; i++)
		if (!memcmp(w->t[i]->signature, sig, 4) && k-- == 0)
			return w->t[i];
	return NULL;
}

/* pc and q35: every table there, checksums and lengths right, FADT from the PM block. */
static void test_platform_tables(void **state)
{
	static const char *const pc[] = {"HPET", "FACP", "SSDT", "SSDT", "APIC"};
	static const char *const q35[] = {"HPET", "FACP", "SSDT", "SSDT", "APIC", "MCFG"};
	struct acpi_facts f;
	struct acpi_result res;
	struct walk w;
	const struct acpi_fadt *fadt;
	const struct acpi_mcfg *mcfg;

	(void)state;
	f = facts(ACPI_PIIX, 2);
	assert_true(build_walk(&f, &w, &res) > 0);
	assert_int_equal(w.n, 5);
	for (int i = 0; i < 5; i++)
		assert_memory_equal(w.t[i]->signature, pc[i], 4);
	fadt = (const void *)find(&w, "FACP", 0);
	assert_int_equal(fadt->pm1a_evt_blk, 0x600);
	assert_int_equal(fadt->pm1a_cnt_blk, 0x604);
	assert_int_equal(fadt->pm_tmr_blk, 0x608);
	assert_int_equal(fadt->x_pm_tmr_blk.address, 0x608);
	assert_int_equal(fadt->gpe0_blk, 0xafe0);
	assert_int_equal(fadt->gpe0_blk_len, 4);
	assert_int_equal(fadt->sci_int, 9);
	assert_int_equal(fadt->acpi_enable, 0xf1);
	assert_int_equal(fadt->reset_reg.address, 0xcf9);
	assert_int_equal(fadt->s4bios_req, 0);
	assert_int_equal(fadt->flags & (1u << 20), 0); /* never HW-reduced */

	f = facts(ACPI_ICH9, 2);
	assert_true(build_walk(&f, &w, &res) > 0);
	assert_int_equal(w.n, 6);
	for (int i = 0; i < 6; i++)
		assert_memory_equal(w.t[i]->signature, q35[i], 4);
	fadt = (const void *)find(&w, "FACP", 0);
	assert_int_equal(fadt->gpe0_blk, 0x620);
	assert_int_equal(fadt->gpe0_blk_len, 16);
	assert_int_equal(fadt->x_gpe0_blk.bit_width, 128);
	assert_int_equal(fadt->acpi_enable, 0x02);
	mcfg = (const void *)find(&w, "MCFG", 0);
	assert_int_equal(mcfg->h.length, 60);
	assert_int_equal(mcfg->base, 0xb0000000);
	assert_int_equal(mcfg->end_bus, 255);
}

/* etc/system-states decides the S3/S4 SSDTs; no HPET record means no HPET table. */
static void test_states_and_hpet(void **state)
{
	static const uint8_t no_s3_s4[6] = {0x80, 0, 0, 0x01, 0x02, 0x80};
	struct acpi_facts f = facts(ACPI_PIIX, 1);
	struct acpi_result res;
	struct walk w;

	(void)state;
	f.system_states = no_s3_s4;
	hpet_blob[0] = 0xff;
	assert_true(build_walk(&f, &w, &res) > 0);
	assert_null(find(&w, "SSDT", 0));
	assert_null(find(&w, "HPET", 0));
	assert_false(res.hpet);
}

/* Every buffer too small fails cleanly, never writes past its end. */
static void test_short_buffers(void **state)
{
	struct acpi_facts f = facts(ACPI_ICH9, 8);
	struct acpi_result res;
	int full = acpi_build(&f, buf, sizeof(buf), BUF_PHYS, &res);

	(void)state;
	assert_true(full > 0);
	for (int size = 0; size < full; size += 7) {
		memset(buf, 0xa5, sizeof(buf));
		assert_int_equal(acpi_build(&f, buf, (size_t)size, BUF_PHYS, &res), ACPI_ERR_SPACE);
		for (size_t i = (size_t)size; i < (size_t)size + 64; i++)
			assert_int_equal(buf[i], 0xa5);
	}
	f.cpu_count = 0;
	assert_int_equal(acpi_build(&f, buf, sizeof(buf), BUF_PHYS, &res), ACPI_ERR_FACTS);
}

/* Small deterministic PRNG for the random inputs. */
static uint32_t rnd(void)
{
	static uint32_t s = 0x12345678;

	s ^= s << 13;
	s ^= s >> 17;
	s ^= s << 5;
	return s;
}

/* Random CPU sets (x2APIC IDs included): one enabled MADT entry per CPU, IDs in order. */
static void test_madt_random(void **state)
{
	(void)state;
	for (int round = 0; round < 200; round++) {
		unsigned int n = 1 + rnd() % 288, found = 0;
		struct acpi_facts f = facts(round & 1 ? ACPI_ICH9 : ACPI_PIIX, n);
		const struct acpi_header *m;
		struct acpi_result res;
		struct walk w;
		size_t pos;

		for (unsigned int i = 0; i < n; i++)
			apic_ids[i] = round & 2 ? rnd() % 1024 : i * (1 + round % 3);
		assert_true(build_walk(&f, &w, &res) > 0);
		m = find(&w, "APIC", 0);
		for (pos = sizeof(struct acpi_madt); pos < m->length;) {
			const uint8_t *e = (const uint8_t *)m + pos;

			assert_true(e[1] >= 2 && pos + e[1] <= m->length);
			if (e[0] == MADT_LAPIC) {
				const struct madt_lapic *l = (const void *)e;

				assert_true(found < n);
				assert_int_equal(l->apic_id, apic_ids[found]);
				assert_int_equal(l->uid, found & 0xff);
				assert_int_equal(l->flags, 1);
				found++;
			} else if (e[0] == MADT_X2APIC) {
				const struct madt_x2apic *x = (const void *)e;

				assert_true(found < n);
				assert_int_equal(x->x2apic_id, apic_ids[found]);
				assert_true(x->x2apic_id >= 255);
				assert_int_equal(x->uid, found);
				found++;
			}
			pos += e[1];
		}
		assert_int_equal(pos, m->length);
		assert_int_equal(found, n);
	}
}

/* A NUMA blob as QEMU's key 0x0d: nodes, node per APIC ID, memory per node. */
static size_t numa_blob(uint8_t *b, uint64_t nodes, uint64_t limit, const uint64_t *node_of,
			const uint64_t *mem)
{
	memcpy(b, &nodes, 8);
	memcpy(b + 8, node_of, 8 * limit);
	memcpy(b + 8 + 8 * limit, mem, 8 * nodes);
	return 8 * (1 + limit + nodes);
}

/* Random NUMA layouts: CPU affinity per APIC ID and all RAM, minus 640K-1M, on its node. */
static void test_srat_random(void **state)
{
	static uint8_t blob[8 * (1 + 288 + 8)];
	static uint64_t node_of[288], mem[8];

	(void)state;
	for (int round = 0; round < 200; round++) {
		uint64_t nodes = 1 + rnd() % 8, total = 0, seen = 0, limit = 288;
		unsigned int n = 1 + rnd() % 64, cpu_seen = 0;
		struct acpi_facts f = facts(ACPI_ICH9, n);
		const struct acpi_header *s;
		struct acpi_result res;
		struct walk w;

		for (uint64_t i = 0; i < limit; i++)
			node_of[i] = rnd() % nodes;
		for (uint64_t i = 0; i < nodes; i++)
			total += mem[i] = (uint64_t)(1 + rnd() % 16) << 27;
		f.ram_below_4g = total < 0xb0000000ull ? total : 0x80000000ull;
		f.ram_above_4g_end =
			total > f.ram_below_4g ? (1ull << 32) + total - f.ram_below_4g : 0;
		f.numa = blob;
		f.numa_len = numa_blob(blob, nodes, limit, node_of, mem);
		assert_true(build_walk(&f, &w, &res) > 0);
		assert_int_equal(res.nr_numa, nodes);
		s = find(&w, "SRAT", 0);
		assert_non_null(s);
		for (size_t pos = sizeof(struct acpi_srat); pos < s->length;) {
			const uint8_t *e = (const uint8_t *)s + pos;

			if (e[0] == SRAT_CPU) {
				const struct srat_cpu *c = (const void *)e;

				assert_int_equal(c->apic_id, apic_ids[cpu_seen]);
				assert_int_equal(c->proximity_lo, node_of[c->apic_id]);
				cpu_seen++;
			} else {
				const struct srat_mem *m = (const void *)e;
				uint64_t base = m->base_lo | (uint64_t)m->base_hi << 32;
				uint64_t len = m->len_lo | (uint64_t)m->len_hi << 32;

				assert_int_equal(e[0], SRAT_MEMORY);
				assert_true(m->proximity < nodes);
				assert_true(base + len <= f.ram_below_4g || base >= (1ull << 32));
				assert_false(base < 0x100000 && base + len > 0xa0000);
				seen += len;
			}
			pos += e[1];
		}
		assert_int_equal(cpu_seen, n);
		assert_int_equal(seen, total - (0x100000 - 0xa0000));
	}
}

/* Malformed NUMA blobs are refused with a message: no SRAT, the rest still built. */
static void test_numa_malformed(void **state)
{
	static uint8_t blob[64];
	uint64_t node_of[2] = {0, 5}, mem[2] = {1 << 28, 1 << 28};
	struct acpi_facts f = facts(ACPI_PIIX, 2);
	struct acpi_result res;
	struct walk w;

	(void)state;
	f.numa = blob;
	f.numa_len = numa_blob(blob, 2, 2, node_of, mem);
	host_log_clear();
	assert_true(build_walk(&f, &w, &res) > 0);
	assert_null(find(&w, "SRAT", 0));
	assert_true(host_log_has("out of range"));
	f.numa_len = 13;
	assert_true(build_walk(&f, &w, &res) > 0);
	assert_null(find(&w, "SRAT", 0));
	memset(blob, 0xff, 16);
	f.numa_len = 16;
	host_log_clear();
	assert_true(build_walk(&f, &w, &res) > 0);
	assert_true(host_log_has("cannot hold"));
}

/* -acpitable blobs: good tables appended and listed, tables we own and bad ones skipped. */
static void test_user_tables(void **state)
{
	static uint8_t blob[256];
	struct acpi_header h = {{'T', 'E', 'S', 'T'}, 40, 1, 0, "OEMID", "TABLE", 1, "ASL", 1};
	struct acpi_facts f = facts(ACPI_PIIX, 1);
	struct acpi_result res;
	struct walk w;
	uint16_t count = 3, len = 40;
	size_t pos = 2;

	(void)state;
	memcpy(blob, &count, 2);
	for (int i = 0; i < 3; i++) {
		memcpy(blob + pos, &len, 2);
		memcpy(h.signature, i == 1 ? "FACP" : "TEST", 4);
		memcpy(blob + pos + 2, &h, sizeof(h));
		memset(blob + pos + 2 + 36, i, 4);
		pos += 2 + len;
	}
	f.user_tables = blob;
	f.user_len = pos;
	host_log_clear();
	assert_true(build_walk(&f, &w, &res) > 0);
	assert_int_equal(res.nr_user, 2);
	assert_non_null(find(&w, "TEST", 0));
	assert_non_null(find(&w, "TEST", 1));
	assert_memory_equal((const uint8_t *)find(&w, "TEST", 1) + 36, "\2\2\2\2", 4);
	assert_null(find(&w, "FACP", 1));
	assert_true(host_log_has("skipped"));
	f.user_len = pos - 10; /* the last one cut off */
	host_log_clear();
	assert_true(build_walk(&f, &w, &res) > 0);
	assert_int_equal(res.nr_user, 1);
	assert_true(host_log_has("past the blob"));
}

/* acpiexec's output for "evaluate name" on the built DSDT and SSDTs. */
static char *acpiexec(const struct walk *w, const char *what)
{
	static char out[1 << 17];
	char dir[] = "/tmp/qvm-aml-XXXXXX", cmd[512], files[256] = "";
	const struct acpi_header *tables[3] = {w->dsdt, find(w, "SSDT", 0), find(w, "SSDT", 1)};
	size_t n;
	FILE *p;

	assert_non_null(mkdtemp(dir));
	for (int i = 0; i < 3 && tables[i]; i++) {
		char path[64];
		FILE *o;

		snprintf(path, sizeof(path), "%s/t%d.aml", dir, i);
		o = fopen(path, "wb");
		assert_non_null(o);
		assert_int_equal(fwrite(tables[i], 1, tables[i]->length, o), tables[i]->length);
		fclose(o);
		strcat(files, " ");
		strcat(files, path);
	}
	snprintf(cmd, sizeof(cmd), "acpiexec -b '%s' %s 2>&1; rm -rf %s", what, files, dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = 0;
	assert_int_equal(pclose(p), 0);
	assert_null(strstr(out, "Error"));
	assert_null(strstr(out, "Warning"));
	/* Serialized methods keep their mutex after a call; a real leak shows at exit. */
	assert_non_null(strstr(out, "ACPI: No outstanding allocations"));
	return out;
}

/* The buffer acpiexec printed after "Evaluation of <name>"; returns its length. */
static size_t acpiexec_buffer(const char *out, const char *name, uint8_t *b, size_t max)
{
	char key[96];
	const char *p;
	unsigned int len, got = 0;

	snprintf(key, sizeof(key), "Evaluation of %s returned", name);
	p = strstr(out, key);
	assert_non_null(p);
	p = strstr(p, "[Buffer] Length ");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "[Buffer] Length %x", &len), 1);
	assert_true(len <= max);
	p = strchr(p, '=') + 1;
	while (got < len) {
		unsigned int v;
		int used;

		while (*p == ' ' || *p == '\n')
			p++;
		if (p[0] && p[1] && p[2] && p[3] && p[4] == ':') {
			p += 5;
		} else if (p[0] == '/' && p[1] == '/') {
			p = strchr(p, '\n');
			assert_non_null(p);
		} else {
			assert_int_equal(sscanf(p, "%2x%n", &v, &used), 1);
			b[got++] = (uint8_t)v;
			p += used;
		}
	}
	return len;
}

/* Find the address-space descriptor (tag) of resource type rtype (0 mem, 1 io, 2 bus)
 * number k in a resource template; returns its offset or -1. */
static int find_desc(const uint8_t *b, size_t len, uint8_t tag, int rtype, int k)
{
	for (size_t i = 0; i < len;) {
		size_t dlen =
			b[i] & 0x80 ? 3u + (size_t)(b[i + 1] | b[i + 2] << 8) : 1u + (b[i] & 7);

		if (b[i] == tag && (rtype < 0 || b[i + 3] == rtype) && k-- == 0)
			return (int)i;
		if (b[i] == 0x79)
			break;
		i += dlen;
	}
	return -1;
}

/* PCI0._CRS holds exactly the windows the facts gave: the 32-bit hole minus MMCONFIG, and
 * the 64-bit window; HPET and COM1/COM2 _STA follow the device bits. */
static void test_aml_crs(void **state)
{
	uint8_t b[512];
	struct acpi_result res;
	struct walk w;
	uint32_t v32;
	uint64_t v64;
	size_t len;
	int d;

	(void)state;
	for (int cs = ACPI_PIIX; cs <= ACPI_ICH9; cs++) {
		struct acpi_facts f = facts((enum acpi_chipset)cs, 1);
		char *out;

		assert_true(build_walk(&f, &w, &res) > 0);
		out = acpiexec(&w,
			       "evaluate \\_SB.PCI0._CRS; evaluate \\_SB.PCI0.HPET._STA; "
			       "evaluate \\_SB.PCI0.ISA.COM1._STA; "
			       "evaluate \\_SB.PCI0.ISA.COM2._STA; evaluate \\_S3; evaluate \\_S4");
		len = acpiexec_buffer(out, "\\_SB.PCI0._CRS", b, sizeof(b));
		d = find_desc(b, len, 0x87, 0, 1); /* first DWord memory after the VGA hole */
		assert_true(d >= 0);
		memcpy(&v32, b + d + 10, 4);
		assert_int_equal(v32, 0x20000000);
		memcpy(&v32, b + d + 14, 4);
		assert_int_equal(v32, cs == ACPI_ICH9 ? 0xafffffff : 0xfebfffff);
		d = find_desc(b, len, 0x87, 0, 2);
		if (cs == ACPI_ICH9) {
			assert_true(d >= 0);
			memcpy(&v32, b + d + 10, 4);
			assert_int_equal(v32, 0xc0000000);
			memcpy(&v32, b + d + 14, 4);
			assert_int_equal(v32, 0xfebfffff);
		} else {
			assert_int_equal(d, -1);
		}
		d = find_desc(b, len, 0x8a, 0, 0);
		assert_true(d >= 0);
		memcpy(&v64, b + d + 14, 8);
		assert_int_equal(v64, 0x800000000ull);
		memcpy(&v64, b + d + 22, 8);
		assert_int_equal(v64, 0xfffffffffull);
		assert_non_null(strstr(out, "HPET._STA returned"));
		assert_non_null(
			strstr(strstr(out, "HPET._STA returned"), "[Integer] = 000000000000000F"));
		assert_non_null(
			strstr(strstr(out, "COM1._STA returned"), "[Integer] = 000000000000000F"));
		assert_non_null(
			strstr(strstr(out, "COM2._STA returned"), "[Integer] = 0000000000000000"));
		assert_non_null(strstr(out, "Evaluation of \\_S3 returned"));
		assert_non_null(strstr(strstr(out, "Evaluation of \\_S4 returned"),
				       "[Integer] = 0000000000000002"));
	}
}

/* _PRT has four pins for each of the 32 slots, wired as QEMU's boards wire INTx: pc to
 * PIRQ (slot + pin - 1) mod 4 (00:01 INTA to the SCI link), q35 slots 0-24 to PIRQ E-H
 * rotated by slot, 25-31 to PIRQ A-D by pin; q35 in APIC mode to GSI 16-23. The packages
 * are dumped (acpiexec cannot print a 128-entry evaluation result). */
static void test_aml_prt(void **state)
{
	static const char *const names = "ABCDEFGH";

	(void)state;
	for (int mode = 0; mode < 3; mode++) {
		struct acpi_facts f = facts(mode ? ACPI_ICH9 : ACPI_PIIX, 1);
		struct acpi_result res;
		struct walk w;
		const char *p;
		char *out;
		int entries = 0;

		assert_true(build_walk(&f, &w, &res) > 0);
		out = acpiexec(&w, mode == 0   ? "dump \\_SB.PCI0._PRT"
				   : mode == 1 ? "dump \\_SB.PCI0.PRTP"
					       : "dump \\_SB.PCI0.PRTA");
		p = strstr(out, "Package Contents:");
		assert_non_null(p);
		assert_non_null(strstr(p, "[Package] Contains 128 Elements"));
		for (int slot = 0; slot < 32; slot++) {
			for (int pin = 0; pin < 4; pin++) {
				unsigned long long adr, ipin;
				char want[8], got[8];
				int pirq;

				p = strstr(p, "[Package] Contains 4 Elements:");
				assert_non_null(p);
				p = strstr(p, "[Integer] = ");
				assert_int_equal(sscanf(p, "[Integer] = %llx", &adr), 1);
				p = strstr(p + 1, "[Integer] = ");
				assert_int_equal(sscanf(p, "[Integer] = %llx", &ipin), 1);
				p = strstr(p, "Device: \\_SB.");
				assert_non_null(p);
				assert_int_equal(sscanf(p, "Device: \\_SB.%4s", got), 1);
				assert_int_equal(adr, ((unsigned long long)slot << 16) | 0xffff);
				assert_int_equal(ipin, pin);
				if (!mode)
					pirq = (slot + pin - 1) & 3;
				else
					pirq = slot <= 24 ? 4 + ((slot + pin) & 3) : pin;
				snprintf(want, sizeof(want), "%s%c", mode == 2 ? "GSI" : "LNK",
					 names[pirq]);
				if (!mode && slot == 1 && pin == 0)
					strcpy(want, "LNKS");
				assert_string_equal(got, want);
				entries++;
			}
		}
		assert_int_equal(entries, 128);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_platform_tables), cmocka_unit_test(test_states_and_hpet),
		cmocka_unit_test(test_short_buffers),	cmocka_unit_test(test_madt_random),
		cmocka_unit_test(test_srat_random),	cmocka_unit_test(test_numa_malformed),
		cmocka_unit_test(test_user_tables),	cmocka_unit_test(test_aml_crs),
		cmocka_unit_test(test_aml_prt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
