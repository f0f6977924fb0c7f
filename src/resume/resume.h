/* SPDX-License-Identifier: MIT */
/* S3 resume: detect QEMU's wake, redo what its wake reset undid and enter the OS's waking
 * vector; plus the reserved save area the cold boot fills for that path. */
#ifndef QVM_RESUME_H
#define QVM_RESUME_H

#include <stdbool.h>

/* True when this reset is an S3 wake: CMOS 0x0F is 0xFE (cleared here) and PM1_STS.WAK_STS
 * is set. Needs the chipset's PM block programmed (after chipset_init()). */
bool resume_pending(void);
/* The resume path. Returns only when resuming is impossible (reason logged): the caller
 * then boots cold. */
void resume_main(void);
/* Reserve the save area at the top of low RAM, before the table zone is started (after
 * smm_init()). memmap_handoff() reserves the low RAM a resume reuses. */
void resume_reserve(void);
/* Fill and seal the save area: PCI headers, MMIO windows, FACS, WRITE_POINTERs. */
void resume_save(void);

#endif
