/* SPDX-License-Identifier: MIT */
/* CPUs: AP start-up through a real-mode trampoline, identical MTRR/MSR state on every CPU,
 * the list of APIC IDs found, and parking APs back in wait-for-SIPI. */
#ifndef QVM_CPU_H
#define QVM_CPU_H

#include <stdbool.h>
#include <stdint.h>

#define MAX_CPUS 288

struct cpu_info {
	int count;		    /* CPUs that checked in, BSP included */
	int expected;		    /* CPUs fw_cfg says are present */
	uint32_t apic_id[MAX_CPUS]; /* [0] is the BSP */
	uint32_t signature;	    /* CPUID.1 EAX */
	uint32_t features;	    /* CPUID.1 EDX */
};

extern struct cpu_info cpus;

/* Read the BSP's CPUID facts (physical address bits) into platform and cpus. */
void cpu_probe(void);
/* Program MTRRs and MSRs on the BSP, start every AP with one broadcast INIT-SIPI to do the
 * same, check the count. APs are left halted in the loader (smm_init() relocates their
 * SMBASE) until cpus_park(). Callable again after a wake reset (S3 resume: APs back in reset
 * state, SMRAM registers reset, TSEG contents kept): it starts from scratch, then smm_init()
 * and cpus_park() follow as on a cold boot. */
void cpus_init(void);
/* Send every AP back to wait-for-SIPI with INIT (before the hand-off); callable on every
 * boot and resume path after cpus_init(). */
void cpus_park(void);

/* MTRRs: build the plan from the platform layout (BSP, once). */
void mtrr_prepare(void);
/* Write the plan and MSR_IA32_FEATURE_CONTROL on the current CPU; returns a checksum of the
 * MTRR MSRs read back so the BSP can compare CPUs. */
uint32_t mtrr_apply(void);

#endif
