// SPDX-License-Identifier: MIT
/* Unit tests for the MP 1.4 table and $PIR builders. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "host_log.h"
#include "mptable.h"
#include "pirtable.h"

_Static_assert(offsetof(struct mp_floating, config_addr) == 4, "PHYSICAL ADDRESS POINTER");
_Static_assert(offsetof(struct mp_floating, checksum) == 10, "CHECKSUM");
_Static_assert(offsetof(struct mp_floating, feature2) == 12, "MP FEATURE INFORMATION BYTE 2");
_Static_assert(offsetof(struct mp_config, oem_id) == 8, "OEM ID");
_Static_assert(offsetof(struct mp_config, product_id) == 16, "PRODUCT ID");
_Static_assert(offsetof(struct mp_config, entry_count) == 34, "ENTRY COUNT");
_Static_assert(offsetof(struct mp_config, lapic_addr) == 36, "ADDRESS OF LOCAL APIC");
_Static_assert(offsetof(struct mp_config, ext_length) == 40, "EXTENDED TABLE LENGTH");
_Static_assert(offsetof(struct mp_processor, signature) == 4, "CPU SIGNATURE");
_Static_assert(offsetof(struct mp_processor, features) == 8, "FEATURE FLAGS");
_Static_assert(offsetof(struct mp_ioapic, addr) == 4, "I/O APIC ADDRESS");
_Static_assert(offsetof(struct mp_intsrc, src_bus) == 4, "SOURCE BUS ID");
_Static_assert(offsetof(struct mp_intsrc, dst_pin) == 7, "DESTINATION I/O APIC INTIN#");
_Static_assert(offsetof(struct pir_header, router_bus) == 8, "PCI Interrupt Router's Bus");
_Static_assert(offsetof(struct pir_header, router_vendor) == 12, "Compatible Router");
_Static_assert(offsetof(struct pir_header, miniport_data) == 16, "Miniport Data");
_Static_assert(offsetof(struct pir_header, checksum) == 31, "Checksum");
_Static_assert(offsetof(struct pir_slot, links) == 2, "INTA link");
_Static_assert(offsetof(struct pir_slot, slot) == 14, "Slot Number");

#define PHYS 0x000f5000u

static uint8_t buf[8192];

/* Byte sum of len bytes. */
static uint8_t sum(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	while (len--)
		s += *p++;
	return s;
}

static const struct mp_pci_irq pc_irqs[] = {
	{0, 1, 0, 10}, {0, 2, 0, 11}, {0, 3, 0, 11}, {0, 3, 1, 10}, {1, 0, 0, 5},
};
static const uint8_t pc_buses[] = {0, 1};

/* Input for an n-CPU pc with the default ISA IRQ set. */
static struct mptable_input pc_input(struct mp_cpu_info *cpus, unsigned int n)
{
	struct mptable_input in = {
		.cpus = cpus,
		.cpu_count = n,
		.lapic_version = 0x14,
		.lapic_addr = 0xfee00000,
		.ioapic = {.id = 0, .version = 0x11, .addr = 0xfec00000, .pins = 24},
		.pci_buses = pc_buses,
		.pci_bus_count = 2,
		.pci_irqs = pc_irqs,
		.pci_irq_count = 5,
		.isa_irqs = 0xffff,
		.irq0_override = true,
	};
	unsigned int i;

	for (i = 0; i < n; i++) {
		cpus[i].apic_id = i;
		cpus[i].bsp = i == 0;
		cpus[i].cpuid_eax = 0x000663;
		cpus[i].cpuid_edx = 0x0781abfd;
	}
	return in;
}

struct parsed {
	unsigned int count[5];
	const struct mp_intsrc *isa[16];
	const struct mp_intsrc *pci[32];
	const struct mp_lintsrc *lint[2];
	unsigned int pci_n;
};

/* Walk the base entries, checking their order and grouping, and collect them. */
static void parse(const uint8_t *cfg, struct parsed *p, uint8_t isa_bus)
{
	const struct mp_config *h = (const void *)cfg;
	size_t pos = sizeof(*h);
	unsigned int i, last = 0;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < h->entry_count; i++) {
		uint8_t type = cfg[pos];

		assert_true(type <= MP_ENTRY_LINTSRC);
		assert_true(type >= last);
		last = type;
		p->count[type]++;
		if (type == MP_ENTRY_INTSRC) {
			const struct mp_intsrc *e = (const void *)(cfg + pos);

			if (e->src_bus == isa_bus) {
				assert_true(e->src_irq < 16);
				p->isa[e->src_irq] = e;
			} else {
				assert_true(p->pci_n < 32);
				p->pci[p->pci_n++] = e;
			}
		} else if (type == MP_ENTRY_LINTSRC) {
			const struct mp_lintsrc *e = (const void *)(cfg + pos);

			assert_true(e->dst_lint < 2);
			p->lint[e->dst_lint] = e;
		}
		pos += type == MP_ENTRY_PROCESSOR ? 20 : 8;
	}
	assert_int_equal(pos, h->length);
}

/* A 4-CPU pc table: checksums, pointers, counts and every interrupt entry. */
static void test_mptable_pc(void **state)
{
	struct mp_cpu_info cpus[4];
	struct mptable_input in = pc_input(cpus, 4);
	const struct mp_floating *fp = (const void *)buf;
	const struct mp_config *cfg = (const void *)(buf + 16);
	const struct mp_processor *cpu0 = (const void *)(buf + 16 + 44);
	const struct mp_bus *bus;
	const struct mp_ioapic *io;
	struct parsed p;
	int n, irq;

	(void)state;
	memset(buf, 0xa5, sizeof(buf));
	n = mptable_build(&in, buf, sizeof(buf), PHYS);
	/* 16 + 44 + 4*20 + 3 buses + ioapic + 5 PCI + 12 ISA (not 2, 5, 10, 11) + 2 local */
	assert_int_equal(n, 16 + 44 + 80 + 8 * (3 + 1 + 5 + 12 + 2));
	assert_int_equal((size_t)n, mptable_size(&in));
	assert_memory_equal(buf, "_MP_", 4);
	assert_int_equal(fp->config_addr, PHYS + 16);
	assert_int_equal(fp->length, 1);
	assert_int_equal(fp->spec_rev, 4);
	assert_int_equal(fp->feature1, 0);
	assert_int_equal(sum(buf, 16), 0);
	assert_memory_equal(buf + 16, "PCMP", 4);
	assert_int_equal(cfg->length, n - 16);
	assert_int_equal(cfg->spec_rev, 4);
	assert_int_equal(sum(buf + 16, cfg->length), 0);
	assert_int_equal(cfg->entry_count, 4 + 3 + 1 + 5 + 12 + 2);
	assert_int_equal(cfg->lapic_addr, 0xfee00000);
	assert_int_equal(cfg->ext_length, 0);
	assert_int_equal(buf[n], 0xa5);

	assert_int_equal(cpu0->type, MP_ENTRY_PROCESSOR);
	assert_int_equal(cpu0->cpu_flags, MP_CPU_ENABLED | MP_CPU_BSP);
	assert_int_equal(cpu0->apic_version, 0x14);
	assert_int_equal(cpu0->signature, 0x663);
	assert_int_equal(cpu0->features, 0x0781abfd);
	assert_int_equal(cpu0[3].apic_id, 3);
	assert_int_equal(cpu0[3].cpu_flags, MP_CPU_ENABLED);
	bus = (const void *)(cpu0 + 4);
	assert_int_equal(bus[0].bus_id, 0);
	assert_memory_equal(bus[0].bus_type, "PCI   ", 6);
	assert_int_equal(bus[1].bus_id, 1);
	assert_int_equal(bus[2].bus_id, 2);
	assert_memory_equal(bus[2].bus_type, "ISA   ", 6);
	io = (const void *)(bus + 3);
	assert_int_equal(io->type, MP_ENTRY_IOAPIC);
	assert_int_equal(io->apic_version, 0x11);
	assert_int_equal(io->flags, MP_IOAPIC_ENABLED);
	assert_int_equal(io->addr, 0xfec00000);

	parse(buf + 16, &p, 2);
	assert_int_equal(p.count[MP_ENTRY_PROCESSOR], 4);
	assert_int_equal(p.count[MP_ENTRY_BUS], 3);
	assert_int_equal(p.count[MP_ENTRY_IOAPIC], 1);
	assert_int_equal(p.pci_n, 5);
	assert_int_equal(p.pci[3]->src_irq, 3 << 2 | 1);
	assert_int_equal(p.pci[3]->dst_pin, 10);
	assert_int_equal(p.pci[3]->flags, MP_IRQ_LEVEL_HIGH);
	assert_int_equal(p.pci[4]->src_bus, 1);
	assert_int_equal(p.pci[4]->dst_pin, 5);
	assert_non_null(p.isa[0]);
	assert_int_equal(p.isa[0]->dst_pin, 2);
	for (irq = 1; irq < 16; irq++) {
		if (irq == 2 || irq == 5 || irq == 10 || irq == 11) {
			assert_null(p.isa[irq]);
			continue;
		}
		assert_non_null(p.isa[irq]);
		assert_int_equal(p.isa[irq]->dst_pin, irq);
		assert_int_equal(p.isa[irq]->flags, MP_IRQ_CONFORMS);
		assert_int_equal(p.isa[irq]->int_type, MP_INT_INT);
	}
	assert_int_equal(p.lint[0]->int_type, MP_INT_EXTINT);
	assert_int_equal(p.lint[0]->dst_lapic, 0xff);
	assert_int_equal(p.lint[1]->int_type, MP_INT_NMI);
}

/* 64 sparse-ID CPUs on q35 (GSI 16-23, no PCI bus besides 0). */
static void test_mptable_64_cpus(void **state)
{
	struct mp_cpu_info cpus[64];
	struct mp_pci_irq irqs[32];
	struct mptable_input in = pc_input(cpus, 64);
	static const uint8_t bus0[] = {0};
	const struct mp_config *cfg = (const void *)(buf + 16);
	const struct mp_processor *cpu = (const void *)(buf + 16 + 44);
	struct parsed p;
	unsigned int i;
	int n;

	(void)state;
	for (i = 0; i < 64; i++) {
		cpus[i].apic_id = (i / 3) * 4 + i % 3;
		cpus[i].bsp = i == 0;
	}
	for (i = 0; i < 32; i++) {
		irqs[i].bus = 0;
		irqs[i].dev = (uint8_t)(i / 4);
		irqs[i].pin = (uint8_t)(i % 4);
		irqs[i].ioapic_pin = (uint8_t)(16 + (i / 4 + i % 4) % 8);
	}
	in.pci_irqs = irqs;
	in.pci_irq_count = 32;
	in.pci_buses = bus0;
	in.pci_bus_count = 1;
	n = mptable_build(&in, buf, sizeof(buf), PHYS);
	assert_int_equal(n, 16 + 44 + 64 * 20 + 8 * (2 + 1 + 32 + 15 + 2));
	assert_int_equal(sum(buf, 16), 0);
	assert_int_equal(sum(buf + 16, cfg->length), 0);
	assert_int_equal(cfg->entry_count, 64 + 2 + 1 + 32 + 15 + 2);
	assert_int_equal(cpu[63].apic_id, 84 + 0);
	assert_int_equal(cpu[62].apic_id, 82);
	parse(buf + 16, &p, 1);
	assert_int_equal(p.count[MP_ENTRY_PROCESSOR], 64);
	for (i = 0; i < 16; i++)
		assert_true((i == 2) == (p.isa[i] == NULL));
}

/* Buffer one byte short fails; exactly big enough works. */
static void test_mptable_too_small(void **state)
{
	struct mp_cpu_info cpus[8];
	struct mptable_input in = pc_input(cpus, 8);
	size_t need = mptable_size(&in);

	(void)state;
	host_log_clear();
	memset(buf, 0, sizeof(buf));
	assert_int_equal(mptable_build(&in, buf, need - 1, PHYS), MPTABLE_ERR_SPACE);
	assert_true(host_log_has("MP table not built: needs"));
	assert_int_equal(buf[0], 0);
	assert_int_equal(mptable_build(&in, buf, need, PHYS), (int)need);
	assert_int_equal(mptable_build(&in, buf, need, PHYS + 8), MPTABLE_ERR_INPUT);
}

/* APIC ID 255 (or more than 255 CPUs) cannot be described. */
static void test_mptable_apic_id(void **state)
{
	static struct mp_cpu_info cpus[300];
	struct mptable_input in = pc_input(cpus, 4);

	(void)state;
	host_log_clear();
	cpus[3].apic_id = 255;
	assert_int_equal(mptable_build(&in, buf, sizeof(buf), PHYS), MPTABLE_ERR_APIC_ID);
	assert_true(host_log_has("MP table not built: APIC ID 255 > 254"));
	cpus[3].apic_id = 254;
	assert_true(mptable_build(&in, buf, sizeof(buf), PHYS) > 0);
	in = pc_input(cpus, 256);
	assert_int_equal(mptable_build(&in, buf, sizeof(buf), PHYS), MPTABLE_ERR_APIC_ID);
	in = pc_input(cpus, 0);
	assert_int_equal(mptable_build(&in, buf, sizeof(buf), PHYS), MPTABLE_ERR_INPUT);
}

/* Bad interrupt sources and bus numbers are refused. */
static void test_mptable_bad_input(void **state)
{
	struct mp_cpu_info cpus[1];
	struct mptable_input in = pc_input(cpus, 1);
	static const struct mp_pci_irq bad[] = {{0, 1, 0, 24}};
	static const uint8_t bus255[] = {0, 255};

	(void)state;
	in.pci_irqs = bad;
	in.pci_irq_count = 1;
	assert_int_equal(mptable_build(&in, buf, sizeof(buf), PHYS), MPTABLE_ERR_INPUT);
	in.pci_irq_count = 0;
	in.pci_buses = bus255;
	assert_int_equal(mptable_build(&in, buf, sizeof(buf), PHYS), MPTABLE_ERR_INPUT);
	in.pci_bus_count = 0;
	in.irq0_override = false;
	in.isa_irqs = 0x0003;
	assert_int_equal(mptable_build(&in, buf, sizeof(buf), PHYS),
			 16 + 44 + 20 + 8 * (1 + 1 + 2 + 2));
	assert_int_equal(buf[16 + 44 + 20 + 8 + 8 + 4], 0); /* ISA bus ID 0 as the source */
	assert_int_equal(buf[16 + 44 + 20 + 8 + 8 + 7], 0); /* IRQ0 on pin 0 */
}

/* The pc $PIR: header, checksum, slot entries and link values. */
static void test_pir_pc(void **state)
{
	struct pir_device devs[6];
	struct pir_input in = {
		.router_bus = 0,
		.router_devfn = 1 << 3,
		.router_vendor = PIR_PIIX_VENDOR,
		.router_device = PIR_PIIX_DEVICE,
		.irq_mask = PIR_PIIX_IRQ_MASK,
		.devices = devs,
		.device_count = 6,
	};
	const struct pir_header *h = (const void *)buf;
	const struct pir_slot *s = (const void *)(buf + 32);
	unsigned int i, pin;
	int n;

	(void)state;
	for (i = 0; i < 6; i++) {
		devs[i].bus = 0;
		devs[i].dev = (uint8_t)i;
		devs[i].slot = (uint8_t)(i > 2 ? i : 0);
		for (pin = 0; pin < 4; pin++)
			devs[i].link[pin] = pir_piix_link(devs[i].dev, (uint8_t)pin);
	}
	devs[5].link[3] = PIR_LINK_NONE;
	memset(buf, 0xa5, sizeof(buf));
	n = pir_build(&in, buf, sizeof(buf));
	assert_int_equal(n, 32 + 6 * 16);
	assert_int_equal((size_t)n, pir_size(&in));
	assert_memory_equal(buf, "$PIR", 4);
	assert_int_equal(h->version, 0x0100);
	assert_int_equal(h->size, n);
	assert_int_equal(h->router_devfn, 0x08);
	assert_int_equal(buf[12] | buf[13] << 8 | buf[14] << 16 | (uint32_t)buf[15] << 24,
			 0x70008086);
	assert_int_equal(h->exclusive_irqs, 0);
	assert_int_equal(sum(buf, (size_t)n), 0);
	assert_int_equal(buf[n], 0xa5);
	/* Slot 1 INTA -> PIRQA (0x60), slot 3 INTA -> PIRQC, slot 0 INTA -> PIRQD. */
	assert_int_equal(s[1].links[0].link, 0x60);
	assert_int_equal(s[3].links[0].link, 0x62);
	assert_int_equal(s[0].links[0].link, 0x63);
	assert_int_equal(s[2].links[3].link, 0x60);
	assert_int_equal(s[3].devfn, 3 << 3);
	assert_int_equal(s[3].slot, 3);
	assert_int_equal(s[1].links[2].bitmap, 0x0c20);
	assert_int_equal(s[5].links[3].link, 0);
	assert_int_equal(s[5].links[3].bitmap, 0);
	/* Raw bytes of slot 1, INTB: link at +5, bitmap at +6. */
	assert_int_equal(buf[32 + 16 + 5], 0x61);
	assert_int_equal(buf[32 + 16 + 6], 0x20);
	assert_int_equal(buf[32 + 16 + 7], 0x0c);
}

/* $PIR errors: small buffer, bad device number. */
/* q35 links: slots 0-24 reach PIRQ E-H rotated by slot, 25-31 PIRQ A-D by pin, as QEMU's
 * ICH9 wires them (the same swizzle pci-enum.c programs the interrupt lines with). */
static void test_pir_ich9_links(void **state)
{
	(void)state;
	assert_int_equal(pir_ich9_link(0, 0), 0x68);
	assert_int_equal(pir_ich9_link(1, 0), 0x69);
	assert_int_equal(pir_ich9_link(2, 3), 0x69);
	assert_int_equal(pir_ich9_link(3, 0), 0x6b);
	assert_int_equal(pir_ich9_link(24, 1), 0x69);
	for (uint8_t pin = 0; pin < 4; pin++) {
		assert_int_equal(pir_ich9_link(25, pin), 0x60 + pin);
		assert_int_equal(pir_ich9_link(31, pin), 0x60 + pin);
	}
}

static void test_pir_errors(void **state)
{
	struct pir_device devs[2] = {{0, 1, 0, {0x60, 0x61, 0x62, 0x63}},
				     {0, 32, 0, {0x60, 0x61, 0x62, 0x63}}};
	struct pir_input in = {0, 8, PIR_PIIX_VENDOR, PIR_PIIX_DEVICE, 0x0c20, 0, devs, 1};

	(void)state;
	host_log_clear();
	assert_int_equal(pir_build(&in, buf, 47), PIR_ERR_SPACE);
	assert_true(host_log_has("$PIR not built: needs 48 bytes"));
	assert_int_equal(pir_build(&in, buf, 48), 48);
	in.device_count = 2;
	assert_int_equal(pir_build(&in, buf, sizeof(buf)), PIR_ERR_INPUT);
	in.device_count = 0;
	assert_int_equal(pir_build(&in, buf, 32), 32);
	assert_int_equal(sum(buf, 32), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mptable_pc),	  cmocka_unit_test(test_mptable_64_cpus),
		cmocka_unit_test(test_mptable_too_small), cmocka_unit_test(test_mptable_apic_id),
		cmocka_unit_test(test_mptable_bad_input), cmocka_unit_test(test_pir_pc),
		cmocka_unit_test(test_pir_errors),	  cmocka_unit_test(test_pir_ich9_links),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
