// SPDX-License-Identifier: MIT
/* Fallback ROMs (docs/payloads.md): each boot of the normal payload increments a checksummed
 * counter in CMOS; the OS clears it once it is up; at the limit the fallback payload boots. */
#include "bootcount.h"
#include "fallback.h"
#include "fwcfg.h"
#include "io.h"
#include "log.h"
#include "watchdog.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71

/* CMOS byte reg (NMI left enabled). */
static uint8_t cmos_get(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

/* Set CMOS byte reg to v. */
static void cmos_set(uint8_t reg, uint8_t v)
{
	outb(CMOS_INDEX, reg);
	outb(CMOS_DATA, v);
}

/* fw_cfg option name as a number in [min, max] (fwcfg_read_option's syntax), else def; a
 * refused or out-of-range value is logged. */
static uint32_t setting(const char *name, uint32_t min, uint32_t max, uint32_t def)
{
	uint64_t v;

	if (!fwcfg_read_option(name, &v))
		return def;
	if (v >= min && v <= max)
		return (uint32_t)v;
	dlog(LOG_ERR, "fallback: %s is %llu, outside %u to %u; using %u\n", name,
	     (unsigned long long)v, min, max, def);
	return def;
}

bool fallback_due(void)
{
	uint32_t limit = setting("opt/qvmloader/fallback-after", 1, FALLBACK_AFTER_MAX,
				 FALLBACK_AFTER_DEFAULT);
	uint8_t count;

	watchdog_disarm();
	if (!bootcount_decode(cmos_get(BOOTCOUNT_CMOS), cmos_get(BOOTCOUNT_CMOS + 1), &count)) {
		dlog(LOG_INFO,
		     "fallback: no valid boot counter in CMOS 0x%x (cold power-on); "
		     "starting from 0\n",
		     BOOTCOUNT_CMOS);
		count = 0;
	}
	if (count >= limit) {
		dlog(LOG_ERR,
		     "fallback: the normal payload failed %u consecutive boots (limit %u) without "
		     "the OS clearing the counter in CMOS 0x%x; booting the fallback payload\n",
		     count, limit, BOOTCOUNT_CMOS);
		return true;
	}
	count++;
	cmos_set(BOOTCOUNT_CMOS, count);
	cmos_set(BOOTCOUNT_CMOS + 1, bootcount_check(count));
	dlog(LOG_INFO,
	     "fallback: normal payload, attempt %u of %u (the OS marks a good boot by "
	     "clearing CMOS 0x%x)\n",
	     count, limit, BOOTCOUNT_CMOS);
	return false;
}

void fallback_arm_watchdog(void)
{
	uint32_t s = setting("opt/qvmloader/watchdog-seconds", 0, WATCHDOG_SECONDS_MAX,
			     WATCHDOG_SECONDS_DEFAULT);

	if (s)
		watchdog_arm(s);
	else
		dlog(LOG_INFO, "fallback: watchdog off (opt/qvmloader/watchdog-seconds is 0)\n");
}

void fallback_disarm_watchdog(void)
{
	watchdog_disarm();
}
