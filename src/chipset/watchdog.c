// SPDX-License-Identifier: MIT
/* ICH9 TCO watchdog: the timer counts down TCO_TMR ticks of 0.6 s twice; the first expiry
 * sets TIMEOUT, the second resets the machine unless the GCS NO_REBOOT bit is set. */
#include "io.h"
#include "log.h"
#include "platform.h"
#include "watchdog.h"

#define TCO_RLD	      (TCO_BASE + 0x00)
#define TCO1_STS      (TCO_BASE + 0x04)
#define TCO2_STS      (TCO_BASE + 0x06)
#define TCO1_CNT      (TCO_BASE + 0x08)
#define TCO_TMR	      (TCO_BASE + 0x12)
#define TCO_TMR_HLT   (1u << 11)
#define TCO_TICKS_MAX 0x3ff
#define GCS	      (Q35_RCBA + 0x3410)
#define GCS_NO_REBOOT (1u << 5)

void watchdog_disarm(void)
{
	if (platform.machine != MACHINE_Q35)
		return;
	outw(TCO1_CNT, (uint16_t)(inw(TCO1_CNT) | TCO_TMR_HLT));
}

bool watchdog_arm(uint32_t seconds)
{
	uint32_t ticks = seconds * 10 / 12; /* two rounds of 0.6 s ticks */

	if (platform.machine != MACHINE_Q35) {
		dlog(LOG_INFO,
		     "watchdog: %s has no watchdog; a hung normal payload is not reset "
		     "(docs/payloads.md)\n",
		     platform.name);
		return false;
	}
	writel(GCS, readl(GCS) & ~GCS_NO_REBOOT);
	if (readl(GCS) & GCS_NO_REBOOT) {
		dlog(LOG_ERR, "watchdog: the ICH9 NO_REBOOT strap is set, so the TCO watchdog "
			      "cannot reset (QEMU: -global ICH9-LPC.noreboot=false); not armed\n");
		return false;
	}
	if (ticks < 2)
		ticks = 2;
	if (ticks > TCO_TICKS_MAX)
		ticks = TCO_TICKS_MAX;
	outw(TCO1_STS, 0);
	outw(TCO2_STS, 0);
	outw(TCO_TMR, (uint16_t)ticks);
	outw(TCO1_CNT, (uint16_t)(inw(TCO1_CNT) & ~TCO_TMR_HLT));
	outw(TCO_RLD, 1);
	dlog(LOG_INFO,
	     "watchdog: ICH9 TCO armed, reset in %u.%u s unless halted or reloaded (QEMU 7.2 "
	     "resets only with -global ICH9-LPC.noreboot=false)\n",
	     ticks * 12 / 10, ticks * 12 % 10);
	return true;
}
