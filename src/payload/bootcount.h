/* SPDX-License-Identifier: MIT */
/* The fallback boot counter's encoding in CMOS (a count byte and its check byte) and the bounds of
 * the fallback settings. No hardware: unit-tested on the host. */
#ifndef QVM_BOOTCOUNT_H
#define QVM_BOOTCOUNT_H

#include <stdbool.h>
#include <stdint.h>

#define BOOTCOUNT_CMOS		 0x78 /* count; BOOTCOUNT_CMOS + 1 holds its check byte */
#define FALLBACK_AFTER_DEFAULT	 3
#define FALLBACK_AFTER_MAX	 100
#define WATCHDOG_SECONDS_DEFAULT 120
#define WATCHDOG_SECONDS_MAX	 1200 /* 2 x 1000 TCO ticks of 0.6 s */

/* The check byte stored beside count. */
uint8_t bootcount_check(uint8_t count);
/* The count the two CMOS bytes hold; false if the check byte does not match (a cold power-on,
 * where CMOS reads as zeros, or garbage). */
bool bootcount_decode(uint8_t count, uint8_t check, uint8_t *out);

#endif
