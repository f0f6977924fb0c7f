/* SPDX-License-Identifier: MIT */
/* The SMM module: position-independent code that smm.c copies to the bottom of TSEG and the
 * per-CPU SMI handler (smm-handler.S) far-jumps to in 32-bit protected mode for an SMM store
 * request. Layout: entry jump, GDT, lock, configuration, code; the stack is above the copy.
 * In: ESI = this CPU's SMBASE (AMD64 save-state layout). Leaves the status in the saved EAX. */

#include "smm-module.h"

	.section .text.smm_module, "ax"
	.code32
	.globl smm_module_start
smm_module_start:
	jmp	entry
	.org	SMM_MODULE_GDT
gdt:
	.quad	0
	.quad	0x00cf9b000000ffff	/* 0x08: flat 32-bit code */
	.quad	0x00cf93000000ffff	/* 0x10: flat data */
	.org	SMM_MODULE_LOCK
lock:					/* one request at a time: there is one stack */
	.long	0
	.org	SMM_MODULE_CFG
cfg:					/* struct smm_store_cfg, filled by smm.c */
	.space	SMM_STORE_CFG_BYTES

entry:
	movw	$0x10, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	call	1f
1:	popl	%ebp
	subl	$(1b - smm_module_start), %ebp
2:	movl	$1, %eax
	xchgl	%eax, (lock - smm_module_start)(%ebp)
	testl	%eax, %eax
	jz	3f
	pause
	jmp	2b
3:	leal	SMM_MODULE_STACK_TOP(%ebp), %esp
	pushl	SMM_STATE_RBX(%esi)
	pushl	SMM_STATE_RAX(%esi)
	leal	(cfg - smm_module_start)(%ebp), %eax
	pushl	%eax
	call	smm_store_service
	movl	%eax, SMM_STATE_RAX(%esi)
	movl	$0, SMM_STATE_RAX + 4(%esi)
	movl	$0, (lock - smm_module_start)(%ebp)
	rsm
