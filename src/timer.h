/* SPDX-License-Identifier: MIT */
/* Time: the ACPI PM timer (3.579545 MHz) for bounded waits, and the TSC for stage timing.
 * Usable once chipset_init() has enabled the PM I/O block. */
#ifndef QVM_TIMER_H
#define QVM_TIMER_H

#include <stdint.h>

/* Microseconds on the PM timer, extended past its 24-bit wrap (call at least every 4 s). */
uint64_t timer_us(void);

#endif
