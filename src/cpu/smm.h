/* SPDX-License-Identifier: MIT */
/* System Management Mode: SMBASE relocation of every CPU into SMRAM (ASEG on pc, TSEG on
 * q35), the SMI handler, SMI feature negotiation and the SMRAM locks. */
#ifndef QVM_SMM_H
#define QVM_SMM_H

#include "smm-store.h"

/*
 * Pick each CPU's SMBASE, open SMRAM, install the handlers, move every CPU's SMBASE there (one
 * SMI at a time: CPUs at the default SMBASE share one save-state area), close and lock SMRAM,
 * settle SMI features (q35), enable APM SMIs, install the SMM store (q35). Skips (and says why)
 * when QEMU has SMM off or cannot raise APM SMIs. Runs after cpus_init() (it relocates the CPUs
 * that checked in), and may run again on a resume path after a wake reset (CPUs back at the default
 * SMBASE, SMRAM registers reset, TSEG contents kept): it starts from scratch every time.
 */
void smm_init(void);

/* The SMM store's configuration when it serves an SMM-only variable flash, else NULL. */
const struct smm_store_cfg *smm_store(void);

/* Send one SMM store request (smm-store.h) through an APM SMI; returns the handler's status. */
uint32_t smm_store_request(uint32_t cmd, const union smm_store_args *args);

#endif
