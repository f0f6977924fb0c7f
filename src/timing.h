/* SPDX-License-Identifier: MIT */
/* Boot-stage timing: TSC stamps from the reset vector to the payload jump, converted to
 * microseconds with a TSC rate measured against the PM timer (or taken from KVM). */
#ifndef QVM_TIMING_H
#define QVM_TIMING_H

#include <stdint.h>

/* TSC read by entry.S as the very first thing after the reset vector. */
extern uint64_t reset_tsc;

/* Mark the end of the boot stage called name. */
void timing_stage(const char *name);
/* Log one line with the time of every stage and the total (just before the jump). */
void timing_report(void);

#endif
