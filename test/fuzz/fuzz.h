/* SPDX-License-Identifier: MIT */
/* Shared by the libFuzzer harnesses: ORACLE marks a harness's own checking code (reference
 * recomputations, byte scans), which needs no coverage feedback and runs uninstrumented. */
#ifndef QVM_FUZZ_H
#define QVM_FUZZ_H

#define ORACLE __attribute__((no_sanitize("coverage"), noinline))

#endif
