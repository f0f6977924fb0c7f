// SPDX-License-Identifier: MIT
/* Local APIC programming through the xAPIC MMIO window. */
#include "io.h"
#include "lapic.h"

#define MSR_APIC_BASE 0x1b
#define APIC_ID	      0x20
#define APIC_SVR      0xf0
#define APIC_LVT0     0x350
#define APIC_LVT1     0x360

/* MMIO base of this CPU's APIC. */
static uintptr_t lapic_base(void)
{
	return (uintptr_t)(rdmsr(MSR_APIC_BASE) & 0xfffff000u);
}

void lapic_virtual_wire(void)
{
	uintptr_t base = lapic_base();

	writel(base + APIC_SVR, 0x1ff);	  /* enabled, spurious vector 0xff */
	writel(base + APIC_LVT0, 0x8700); /* ExtINT, level, unmasked */
	writel(base + APIC_LVT1, 0x8400); /* NMI, level, unmasked */
}

uint32_t lapic_id(void)
{
	return readl(lapic_base() + APIC_ID) >> 24;
}
