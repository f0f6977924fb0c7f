// SPDX-License-Identifier: MIT
/* Application processor start-up (one broadcast INIT-SIPI), per-CPU MTRRs as each CPU
 * checks in, and parking (INIT). */
#include <stdio.h>
#include <string.h>

#include "cpu.h"
#include "fwcfg.h"
#include "io.h"
#include "lapic.h"
#include "layout.h"
#include "log.h"
#include "platform.h"
#include "timer.h"

#define ICR_INIT	 0x00000500u
#define ICR_SIPI	 0x00000600u
#define ICR_ASSERT	 (1u << 14)
#define ICR_ALL_BUT_SELF (3u << 18)

#define AP_WAIT_US    1000000	/* give up on missing APs after 1 s */
#define AP_RESIPI_US  10000	/* second SIPI if not all arrived after 10 ms */
#define AP_WAIT_SPINS 20000000u /* the same without a PM timer: well over 1 s under TCG */

struct cpu_info cpus;
static uint32_t mtrr_sums[MAX_CPUS];

extern const uint8_t _trampoline_start[], _trampoline_end[];

void cpu_probe(void)
{
	uint32_t a, b, c, d, max_ext;

	cpuid(1, &cpus.signature, &b, &c, &cpus.features);
	platform.phys_bits = 36;
	cpuid(0x80000000, &max_ext, &b, &c, &d);
	if (max_ext >= 0x80000008) {
		cpuid(0x80000008, &a, &b, &c, &d);
		platform.phys_bits = (int)(a & 0xff);
		/* QEMU 9.0+ with KVM reports a smaller usable width in bits 23:16. */
		platform.pci_phys_bits =
			(a >> 16) & 0xff ? (int)((a >> 16) & 0xff) : platform.phys_bits;
	}
	if (!platform.pci_phys_bits)
		platform.pci_phys_bits = platform.phys_bits;
	cpus.expected = (int)fwcfg_read_key_int(FWCFG_NB_CPUS, 2);
	if (cpus.expected < 1)
		cpus.expected = 1;
	dlog(LOG_INFO, "cpu: signature %x, phys-bits %d (%d for MMIO), %d CPUs expected\n",
	     cpus.signature, platform.phys_bits, platform.pci_phys_bits, cpus.expected);
}

/* Run by each AP, one at a time, on the shared AP stack (see trampoline.S). */
void ap_main(void)
{
	uint32_t a, b, c, d;
	int n = cpus.count;

	cpuid(1, &a, &b, &c, &d);
	if (n < MAX_CPUS) {
		cpus.apic_id[n] = b >> 24;
		mtrr_sums[n] = mtrr_apply();
	}
	asm volatile("" ::: "memory");
	cpus.count = n + 1;
}

/* Wait until every expected CPU has checked in or the time is up. */
static void wait_for_aps(void)
{
	uint64_t start = timer_us(), now;
	bool resent = false;

	/* The PM timer is an I/O port QEMU serves under its global lock, which the APs need
	 * too: look at it only every 256 spins. */
	for (unsigned int spin = 0; *(volatile int *)&cpus.count < cpus.expected; spin++) {
		cpu_relax();
		if (!platform.pm_base && spin > AP_WAIT_SPINS)
			break; /* no PM timer (pc with acpi=off): count spins instead */
		if (spin % 256 || !platform.pm_base)
			continue;
		now = timer_us() - start;
		if (!resent && now > AP_RESIPI_US) {
			lapic_send_ipi(0, ICR_SIPI | ICR_ALL_BUT_SELF | (TRAMPOLINE_ADDR >> 12));
			resent = true;
		}
		if (now > AP_WAIT_US)
			break;
	}
}

void cpus_init(void)
{
	uint32_t a, b, c, d;
	uint64_t t0;
	int mismatched = 0;

	mtrr_prepare();
	cpuid(1, &a, &b, &c, &d);
	cpus.apic_id[0] = b >> 24;
	cpus.count = 1;
	if (cpus.expected > MAX_CPUS) {
		dlog(LOG_ERR, "cpu: %d CPUs, only %d supported; the rest stay in reset\n",
		     cpus.expected, MAX_CPUS);
		cpus.expected = MAX_CPUS;
	}
	mtrr_sums[0] = mtrr_apply();
	if (cpus.expected > 1 && !lapic_present()) {
		dlog(LOG_ERR, "cpu: no local APIC (-cpu ...,-apic): the %d APs cannot be started\n",
		     cpus.expected - 1);
	} else if (cpus.expected > 1) {
		t0 = timer_us();
		memcpy((void *)TRAMPOLINE_ADDR, _trampoline_start,
		       (size_t)(_trampoline_end - _trampoline_start));
		lapic_send_ipi(0, ICR_INIT | ICR_ASSERT | ICR_ALL_BUT_SELF);
		lapic_send_ipi(0, ICR_SIPI | ICR_ALL_BUT_SELF | (TRAMPOLINE_ADDR >> 12));
		wait_for_aps();
		dlog(LOG_INFO, "cpu: %d APs started in %llu us\n", cpus.count - 1,
		     (unsigned long long)(timer_us() - t0));
	}
	for (int i = 1; i < cpus.count; i++)
		if (mtrr_sums[i] != mtrr_sums[0])
			mismatched++;
	/* APs arrive in any order; keep the BSP first and the rest by APIC ID. */
	for (int i = 2; i < cpus.count; i++)
		for (int j = i; j > 1 && cpus.apic_id[j - 1] > cpus.apic_id[j]; j--) {
			uint32_t t = cpus.apic_id[j];

			cpus.apic_id[j] = cpus.apic_id[j - 1];
			cpus.apic_id[j - 1] = t;
		}
	for (int i = 0; i < cpus.count; i += 16) {
		char line[16 * 5 + 1];
		int pos = 0;

		for (int j = i; j < cpus.count && j < i + 16; j++)
			pos += snprintf(line + pos, sizeof(line) - (size_t)pos, " %u",
					cpus.apic_id[j]);
		dlog(LOG_DEBUG, "cpu: APIC IDs%s\n", line);
	}
	if (cpus.count != cpus.expected)
		dlog(LOG_ERR, "cpu: fw_cfg reports %d CPUs but %d checked in\n", cpus.expected,
		     cpus.count);
	if (mismatched)
		dlog(LOG_ERR, "cpu: %d CPUs read back different MTRRs than the BSP\n", mismatched);
	else
		dlog(LOG_INFO, "cpu: %d CPUs, MTRRs identical on all\n", cpus.count);
	lapic_virtual_wire();
}

void cpus_park(void)
{
	if (cpus.count < 2)
		return;
	lapic_send_ipi(0, ICR_INIT | ICR_ASSERT | ICR_ALL_BUT_SELF);
	dlog(LOG_INFO, "cpu: %d APs parked in wait-for-SIPI\n", cpus.count - 1);
}
