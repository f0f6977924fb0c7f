// SPDX-License-Identifier: MIT
/* Stage timing for the benchmark and for spotting regressions. */
#include <stdio.h>

#include "io.h"
#include "log.h"
#include "platform.h"
#include "timer.h"
#include "timing.h"

#define MAX_STAGES 16

struct stage {
	const char *name;
	uint64_t tsc;
};

uint64_t reset_tsc;
static struct stage stages[MAX_STAGES];
static int nstages;
static uint64_t pm_tsc0, pm_us0;

void timing_stage(const char *name)
{
	uint64_t now = rdtsc();

	/* Start the PM-timer reference as soon as the chipset has enabled the PM block. */
	if (!pm_tsc0 && platform.pm_base) {
		pm_us0 = timer_us();
		pm_tsc0 = now;
	} else if (platform.pm_base) {
		timer_us(); /* keep the 24-bit PM timer's wrap accounting current */
	}
	if (nstages < MAX_STAGES)
		stages[nstages++] = (struct stage){name, now};
	/* A marker for test/bench/qemu_cost.py, which splits QEMU's trace at these lines. */
	dlog(LOG_DEBUG, "timing: end of stage %s\n", name);
}

/* TSC ticks per microsecond: KVM's CPUID leaf if offered, else measured. */
static uint64_t tsc_per_us(uint64_t now)
{
	uint32_t a, b, c, d;
	uint64_t us;

	cpuid(0x40000000, &a, &b, &c, &d);
	if (b == 0x4b4d564b && a >= 0x40000010) { /* "KVMKVMKVM" with the timing leaf */
		cpuid(0x40000010, &a, &b, &c, &d);
		if (a)
			return a / 1000;
	}
	us = timer_us() - pm_us0;
	return pm_tsc0 && us ? (now - pm_tsc0) / us : 0;
}

void timing_report(void)
{
	char line[200];
	uint64_t now = rdtsc(), rate = tsc_per_us(now), prev = reset_tsc;
	int pos;

	if (!rate) {
		dlog(LOG_INFO, "timing: TSC rate unknown\n");
		return;
	}
	pos = snprintf(line, sizeof(line),
		       "timing: total %llu us:", (unsigned long long)((now - reset_tsc) / rate));
	for (int i = 0; i < nstages && pos < (int)sizeof(line); i++) {
		pos += snprintf(line + pos, sizeof(line) - (size_t)pos, " %s %llu", stages[i].name,
				(unsigned long long)((stages[i].tsc - prev) / rate));
		prev = stages[i].tsc;
	}
	dlog(LOG_INFO, "%s (TSC %llu MHz)\n", line, (unsigned long long)rate);
}
