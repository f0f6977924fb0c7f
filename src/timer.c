// SPDX-License-Identifier: MIT
/* ACPI PM timer based time keeping. */
#include "io.h"
#include "platform.h"
#include "timer.h"

#define PM_TIMER_HZ 3579545u

static uint32_t last;
static uint64_t ticks;

uint64_t timer_us(void)
{
	uint32_t now = inl((uint16_t)(platform.pm_base + 8)) & 0xffffff;

	ticks += (now - last) & 0xffffff;
	last = now;
	return ticks * 1000000u / PM_TIMER_HZ;
}
