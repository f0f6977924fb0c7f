/* SPDX-License-Identifier: MIT */
/* System Management Mode: SMBASE relocation of every CPU into SMRAM (ASEG on pc, TSEG on
 * q35), the SMI handler, SMI feature negotiation and the SMRAM locks. */
#ifndef QVM_SMM_H
#define QVM_SMM_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Order: cpus_init() calls smm_prepare() before it starts the APs and smm_relocate_self() on
 * every CPU as it checks in (the BSP first, then each AP under the AP lock, so only one CPU is
 * ever in SMM at the default SMBASE); main() then calls smm_init(). All three may be called
 * again, in that order, on a resume path after a wake reset (APs back in reset, SMRAM
 * registers reset, TSEG contents kept): smm_prepare() starts from scratch every time.
 */

/* Pick each CPU's SMBASE, open SMRAM, install the handlers and the relocation stub at the
 * default SMBASE. False (and smm_init() says why) when SMM is off or cannot be served. */
bool smm_prepare(void);
/* On the calling CPU (APIC ID apic_id, slot = its check-in order): move its SMBASE into
 * SMRAM with an SMI to itself. False if the SMI did not reach the stub. */
bool smm_relocate_self(int slot, uint32_t apic_id);
/* Check that every CPU was relocated, remove the stub, close and lock SMRAM, negotiate
 * broadcast SMIs (q35), enable APM SMIs. Skips (and says why) when smm_prepare() failed. */
void smm_init(void);

#endif
