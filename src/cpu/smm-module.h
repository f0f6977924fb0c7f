/* SPDX-License-Identifier: MIT */
/* Layout of the SMM module (smm-module.S) and of its area at the bottom of TSEG, shared by the
 * module, the per-CPU SMI handler that enters it and smm.c that installs it. */
#ifndef QVM_SMM_MODULE_H
#define QVM_SMM_MODULE_H

#define SMM_MODULE_GDT	     8 /* flat code 0x08, data 0x10 */
#define SMM_MODULE_LOCK	     32
#define SMM_MODULE_CFG	     36 /* struct smm_store_cfg */
#define SMM_STORE_CFG_BYTES  28
#define SMM_MODULE_MAX	     0x4000  /* code and data */
#define SMM_MODULE_STACK_TOP 0x8000  /* from the module's base: 16 KiB of stack above it */
#define SMM_MODULE_AREA	     0x10000 /* what the module area takes from TSEG's bottom */

/* Offsets from SMBASE in the AMD64 save-state layout (revision 0x64, QEMU's x86_64). */
#define SMM_STATE_REVISION 0xfefc
#define SMM_STATE_SMBASE   0xff00
#define SMM_STATE_RBX	   0xffe0
#define SMM_STATE_RAX	   0xfff8

#endif
