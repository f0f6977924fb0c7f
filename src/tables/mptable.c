// SPDX-License-Identifier: MIT
/*
 * Intel MultiProcessor Specification 1.4 table builder.
 *
 * Layout in the caller's buffer: the 16-byte floating pointer, then the
 * configuration table right after it. Entries are grouped by type in the
 * order the specification asks for: processors, buses (PCI buses by number,
 * then the ISA bus), the I/O APIC, I/O interrupts (PCI lines, level/active
 * high as in QEMU's MADT and DSDT, then ISA IRQs conforming to the bus), and
 * the local interrupts (ExtINT on LINT0, NMI on LINT1 of every local APIC).
 */
#include <string.h>

#include "log.h"
#include "mptable.h"

#define ISA_IRQS 16

/* Byte sum of len bytes. */
static uint8_t byte_sum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

/* True if a PCI line of in reaches I/O APIC pin. */
static bool pin_used_by_pci(const struct mptable_input *in, unsigned int pin)
{
	unsigned int i;

	for (i = 0; i < in->pci_irq_count; i++)
		if (in->pci_irqs[i].ioapic_pin == pin)
			return true;
	return false;
}

/* I/O APIC pin of ISA IRQ irq, or -1 if it is not listed. */
static int isa_irq_pin(const struct mptable_input *in, unsigned int irq)
{
	unsigned int pin = (irq == 0 && in->irq0_override) ? 2 : irq;

	if (irq == 2 || !(in->isa_irqs & (1u << irq)) || pin >= in->ioapic.pins)
		return -1;
	if (pin_used_by_pci(in, pin))
		return -1;
	return (int)pin;
}

/* Number of ISA interrupt entries the table will carry. */
static unsigned int isa_irq_count(const struct mptable_input *in)
{
	unsigned int irq, n = 0;

	for (irq = 0; irq < ISA_IRQS; irq++)
		n += isa_irq_pin(in, irq) >= 0;
	return n;
}

/* Number of base entries in the configuration table. */
static unsigned int entry_count(const struct mptable_input *in)
{
	return in->cpu_count + in->pci_bus_count + 1 + 1 + in->pci_irq_count + isa_irq_count(in) +
	       2;
}

/* Bytes of floating pointer, header and every base entry for in. */
size_t mptable_size(const struct mptable_input *in)
{
	return sizeof(struct mp_floating) + sizeof(struct mp_config) +
	       (size_t)in->cpu_count * sizeof(struct mp_processor) +
	       (size_t)(in->pci_bus_count + 1) * sizeof(struct mp_bus) + sizeof(struct mp_ioapic) +
	       (size_t)(in->pci_irq_count + isa_irq_count(in)) * sizeof(struct mp_intsrc) +
	       2 * sizeof(struct mp_lintsrc);
}

/* Check what does not fit an MP table; 0 or a negative MPTABLE_ERR_*. */
static int check_input(const struct mptable_input *in, unsigned int *isa_bus)
{
	unsigned int i, max_bus = 0;

	if (in->cpu_count == 0 || in->cpu_count > MP_MAX_CPUS) {
		dlog(LOG_ERR, "MP table not built: %u CPUs (need 1..%u)\n", in->cpu_count,
		     MP_MAX_CPUS);
		return in->cpu_count ? MPTABLE_ERR_APIC_ID : MPTABLE_ERR_INPUT;
	}
	for (i = 0; i < in->cpu_count; i++) {
		if (in->cpus[i].apic_id > MP_MAX_APIC_ID) {
			dlog(LOG_ERR, "MP table not built: APIC ID %u > %u\n",
			     (unsigned int)in->cpus[i].apic_id, MP_MAX_APIC_ID);
			return MPTABLE_ERR_APIC_ID;
		}
	}
	for (i = 0; i < in->pci_bus_count; i++) {
		if (i == 0 || in->pci_buses[i] > max_bus)
			max_bus = in->pci_buses[i];
	}
	if (in->pci_bus_count && max_bus == 0xff) {
		dlog(LOG_ERR, "MP table not built: PCI bus 255 leaves no ID for the ISA bus\n");
		return MPTABLE_ERR_INPUT;
	}
	*isa_bus = in->pci_bus_count ? max_bus + 1 : 0;
	if (in->ioapic.pins == 0 || in->ioapic.id > MP_MAX_APIC_ID) {
		dlog(LOG_ERR, "MP table not built: I/O APIC ID %u with %u pins is invalid\n",
		     in->ioapic.id, in->ioapic.pins);
		return MPTABLE_ERR_INPUT;
	}
	for (i = 0; i < in->pci_irq_count; i++) {
		const struct mp_pci_irq *q = &in->pci_irqs[i];

		if (q->dev > 31 || q->pin > 3 || q->ioapic_pin >= in->ioapic.pins) {
			dlog(LOG_ERR,
			     "MP table not built: PCI IRQ %02x:%02x INT%c -> pin %u is invalid\n",
			     q->bus, q->dev, 'A' + (q->pin & 3), q->ioapic_pin);
			return MPTABLE_ERR_INPUT;
		}
	}
	return 0;
}

/* Append len bytes of entry at *pos. */
static void put(uint8_t *buf, size_t *pos, const void *entry, size_t len)
{
	memcpy(buf + *pos, entry, len);
	*pos += len;
}

/* Append one I/O or local interrupt entry. */
static void put_int(uint8_t *buf, size_t *pos, uint8_t type, uint8_t int_type, uint16_t flags,
		    uint8_t src_bus, uint8_t src_irq, uint8_t dst, uint8_t dst_pin)
{
	struct mp_intsrc e = {
		.type = type,
		.int_type = int_type,
		.flags = flags,
		.src_bus = src_bus,
		.src_irq = src_irq,
		.dst_apic = dst,
		.dst_pin = dst_pin,
	};

	put(buf, pos, &e, sizeof(e));
}

/* Check in, then write the entries, the header and the floating pointer with checksums. */
int mptable_build(const struct mptable_input *in, void *out, size_t size, uint32_t phys)
{
	struct mp_floating fp;
	struct mp_config cfg;
	uint8_t *buf = out;
	unsigned int i, isa_bus = 0;
	size_t need, pos;
	int err = check_input(in, &isa_bus);

	if (err)
		return err;
	if (phys & 15) {
		dlog(LOG_ERR, "MP table not built: address %x is not 16-byte aligned\n", phys);
		return MPTABLE_ERR_INPUT;
	}
	need = mptable_size(in);
	if (need > size || need > 0xffff) {
		dlog(LOG_ERR, "MP table not built: needs %u bytes, buffer has %u\n",
		     (unsigned int)need, (unsigned int)size);
		return MPTABLE_ERR_SPACE;
	}

	pos = sizeof(fp) + sizeof(cfg);
	for (i = 0; i < in->cpu_count; i++) {
		const struct mp_cpu_info *c = &in->cpus[i];
		struct mp_processor p = {
			.type = MP_ENTRY_PROCESSOR,
			.apic_id = (uint8_t)c->apic_id,
			.apic_version = in->lapic_version,
			.cpu_flags = MP_CPU_ENABLED | (c->bsp ? MP_CPU_BSP : 0),
			.signature = c->cpuid_eax & 0xfff,
			.features = c->cpuid_edx,
		};

		put(buf, &pos, &p, sizeof(p));
	}
	for (i = 0; i <= in->pci_bus_count; i++) {
		bool isa = i == in->pci_bus_count;
		struct mp_bus b = {
			.type = MP_ENTRY_BUS,
			.bus_id = (uint8_t)(isa ? isa_bus : in->pci_buses[i]),
		};

		memcpy(b.bus_type, isa ? "ISA   " : "PCI   ", sizeof(b.bus_type));
		put(buf, &pos, &b, sizeof(b));
	}
	{
		struct mp_ioapic io = {
			.type = MP_ENTRY_IOAPIC,
			.apic_id = in->ioapic.id,
			.apic_version = in->ioapic.version,
			.flags = MP_IOAPIC_ENABLED,
			.addr = in->ioapic.addr,
		};

		put(buf, &pos, &io, sizeof(io));
	}
	for (i = 0; i < in->pci_irq_count; i++) {
		const struct mp_pci_irq *q = &in->pci_irqs[i];

		put_int(buf, &pos, MP_ENTRY_INTSRC, MP_INT_INT, MP_IRQ_LEVEL_HIGH, q->bus,
			(uint8_t)(q->dev << 2 | q->pin), in->ioapic.id, q->ioapic_pin);
	}
	for (i = 0; i < ISA_IRQS; i++) {
		int pin = isa_irq_pin(in, i);

		if (pin >= 0)
			put_int(buf, &pos, MP_ENTRY_INTSRC, MP_INT_INT, MP_IRQ_CONFORMS,
				(uint8_t)isa_bus, (uint8_t)i, in->ioapic.id, (uint8_t)pin);
	}
	put_int(buf, &pos, MP_ENTRY_LINTSRC, MP_INT_EXTINT, MP_IRQ_CONFORMS, (uint8_t)isa_bus, 0,
		MP_LAPIC_ALL, 0);
	put_int(buf, &pos, MP_ENTRY_LINTSRC, MP_INT_NMI, MP_IRQ_CONFORMS, (uint8_t)isa_bus, 0,
		MP_LAPIC_ALL, 1);

	memset(&cfg, 0, sizeof(cfg));
	cfg.signature = MP_CONFIG_SIG;
	cfg.length = (uint16_t)(pos - sizeof(fp));
	cfg.spec_rev = MP_SPEC_REV;
	memcpy(cfg.oem_id, "QEMU    ", sizeof(cfg.oem_id));
	memcpy(cfg.product_id, "qvmloader   ", sizeof(cfg.product_id));
	cfg.entry_count = (uint16_t)entry_count(in);
	cfg.lapic_addr = in->lapic_addr;
	memcpy(buf + sizeof(fp), &cfg, sizeof(cfg));
	buf[sizeof(fp) + offsetof(struct mp_config, checksum)] =
		(uint8_t)-byte_sum(buf + sizeof(fp), cfg.length);

	memset(&fp, 0, sizeof(fp));
	fp.signature = MP_FLOATING_SIG;
	fp.config_addr = phys + (uint32_t)sizeof(fp);
	fp.length = 1;
	fp.spec_rev = MP_SPEC_REV;
	fp.checksum = (uint8_t)-byte_sum(&fp, sizeof(fp));
	memcpy(buf, &fp, sizeof(fp));
	dlog(LOG_DEBUG, "MP table at %x: %u CPUs, %u entries, %u bytes\n", phys, in->cpu_count,
	     cfg.entry_count, (unsigned int)pos);
	return (int)pos;
}
