/* SPDX-License-Identifier: MIT */
/* System Management Mode: SMBASE relocation of every CPU into SMRAM (ASEG on pc, TSEG on
 * q35), the SMI handler, SMI feature negotiation and the SMRAM locks. */
#ifndef QVM_SMM_H
#define QVM_SMM_H

/*
 * Pick each CPU's SMBASE, open SMRAM, install the handlers, move every CPU's SMBASE there (one
 * SMI at a time: CPUs at the default SMBASE share one save-state area), close and lock SMRAM,
 * negotiate broadcast SMIs (q35), enable APM SMIs. Skips (and says why) when QEMU has SMM off
 * or cannot raise APM SMIs. Runs after cpus_init() (it relocates the CPUs that checked in),
 * and may run again on a resume path after a wake reset (CPUs back at the default SMBASE,
 * SMRAM registers reset, TSEG contents kept): it starts from scratch every time.
 */
void smm_init(void);

#endif
