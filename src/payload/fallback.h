/* SPDX-License-Identifier: MIT */
/* Normal or fallback payload: the boot counter in CMOS (bootcount.h), the limit from fw_cfg
 * opt/qvmloader/fallback-after, and the watchdog armed for the normal payload. */
#ifndef QVM_FALLBACK_H
#define QVM_FALLBACK_H

#include <stdbool.h>

/* Count this boot and say whether the fallback payload is due (after logging why). */
bool fallback_due(void);
/* Arm the watchdog for the normal payload (opt/qvmloader/watchdog-seconds, 0 = off). */
void fallback_arm_watchdog(void);
/* The normal payload could not even be started: stop the watchdog again. */
void fallback_disarm_watchdog(void);

#endif
