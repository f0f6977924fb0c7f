// SPDX-License-Identifier: MIT
/* Local APIC programming through the xAPIC MMIO window. */
#include "io.h"
#include "lapic.h"

#define MSR_APIC_BASE 0x1b
#define APIC_SVR      0xf0
#define APIC_LVT0     0x350
#define APIC_ICR_LO   0x300
#define APIC_ICR_HI   0x310
#define ICR_BUSY      (1u << 12)
#define APIC_LVT1     0x360

bool lapic_present(void)
{
	uint32_t a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	return d & (1u << 9);
}

/* MMIO base of this CPU's APIC. */
static uintptr_t lapic_base(void)
{
	return (uintptr_t)(rdmsr(MSR_APIC_BASE) & 0xfffff000u);
}

void lapic_virtual_wire(void)
{
	uintptr_t base;

	if (!lapic_present())
		return;
	base = lapic_base();
	writel(base + APIC_SVR, 0x1ff);	  /* enabled, spurious vector 0xff */
	writel(base + APIC_LVT0, 0x8700); /* ExtINT, level, unmasked */
	writel(base + APIC_LVT1, 0x8400); /* NMI, level, unmasked */
}

void lapic_send_ipi(uint32_t dest, uint32_t icr_lo)
{
	uintptr_t base;

	if (!lapic_present())
		return;
	base = lapic_base();

	writel(base + APIC_ICR_HI, dest << 24);
	writel(base + APIC_ICR_LO, icr_lo);
	for (int i = 0; i < 100000 && (readl(base + APIC_ICR_LO) & ICR_BUSY); i++)
		cpu_relax();
}
