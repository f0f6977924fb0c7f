/* SPDX-License-Identifier: MIT */
/* The watchdog armed before the normal payload of a fallback ROM so that a hang becomes a
 * reset: an i6300ESB if one was added, else q35's ICH9 TCO timer (docs/payloads.md). */
#ifndef QVM_WATCHDOG_H
#define QVM_WATCHDOG_H

#include <stdbool.h>
#include <stdint.h>

#include "platform.h"

#define TCO_BASE (PM_BASE + 0x60)

/* Arm it to reset the machine after about seconds; false (after logging) if it cannot. */
bool watchdog_arm(uint32_t seconds);
/* Stop it (a timer left running from before a reset included). */
void watchdog_disarm(void);

#endif
