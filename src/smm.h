/* SPDX-License-Identifier: MIT */
/* System Management Mode: SMBASE relocation of every CPU into SMRAM (ASEG on pc, TSEG on
 * q35), the SMI handler, SMI feature negotiation and the SMRAM locks. */
#ifndef QVM_SMM_H
#define QVM_SMM_H

/* Relocate, install, negotiate and lock. Skips (and says so) when QEMU has SMM off. */
void smm_init(void);

#endif
