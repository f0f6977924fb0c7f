/* SPDX-License-Identifier: MIT */
/* SMM code, copied into place by smm.c: the one-shot SMBASE relocation stub run at the
 * default SMBASE, the permanent handler run from SMRAM (ACPI enable/disable, SMM store
 * requests handed to the SMM module, then RSM), and the SMM module's image (smm-module.S).
 * SMM starts in 16-bit mode with CS base = SMBASE, IP = 0x8000 and 4 GiB data segments. */

#include "smm-module.h"
#include "smm-store.h"

#define SMM_MAILBOX 0x38100	/* keep in sync with smm.c */

	.section .rodata.smm, "a"
	.code16

	.globl smm_reloc_start, smm_reloc_end
smm_reloc_start:
	addr32 movl	SMM_MAILBOX, %eax	/* new SMBASE for this CPU */
	addr32 movl	0x3fefc, %edx		/* save-state revision */
	cmpw	$0x0064, %dx			/* AMD64 layout: SMBASE at +0xFF00 */
	jne	1f
	addr32 movl	%eax, 0x3ff00
	jmp	2f
1:	addr32 movl	%eax, 0x3fef8		/* 32-bit layout: SMBASE at +0xFEF8 */
2:	addr32 movl	$1, SMM_MAILBOX + 4
	rsm
smm_reloc_end:

	.globl smm_handler_start, smm_handler_end
	.globl smm_handler_pm1_cnt, smm_handler_enable, smm_handler_disable
	.globl smm_handler_module, smm_handler_gdtr
smm_handler_start:
	inb	$0xb2, %al
	cmpb	$SMM_STORE_APM_CMD, %al
	je	4f
	movw	%cs:(0x8000 + smm_handler_pm1_cnt - smm_handler_start), %dx
	testw	%dx, %dx
	jz	3f
	cmpb	%cs:(0x8000 + smm_handler_enable - smm_handler_start), %al
	je	1f
	cmpb	%cs:(0x8000 + smm_handler_disable - smm_handler_start), %al
	je	2f
3:	rsm
1:	inw	%dx, %ax
	orw	$1, %ax			/* SCI_EN */
	outw	%ax, %dx
	rsm
2:	inw	%dx, %ax
	andw	$0xfffe, %ax
	outw	%ax, %dx
	rsm
	/* An SMM store request: served only if the module is installed, this CPU wrote the
	 * command (its saved AL holds it) and the save state has the AMD64 layout. */
4:	cmpl	$0, %cs:(0x8000 + smm_handler_module - smm_handler_start)
	je	3b
	cmpb	%al, %cs:SMM_STATE_RAX
	jne	3b
	cmpw	$0x0064, %cs:SMM_STATE_REVISION
	jne	3b
	movl	%cs:SMM_STATE_SMBASE, %esi
	lgdtl	%cs:(0x8000 + smm_handler_gdtr - smm_handler_start)
	movl	%cr0, %eax
	orb	$1, %al
	movl	%eax, %cr0
	ljmpl	*%cs:(0x8000 + smm_handler_module - smm_handler_start)
	.balign 4
smm_handler_module:			/* far pointer to the module's entry: offset, selector */
	.long	0
	.word	0x08
smm_handler_gdtr:			/* limit, base of the module's GDT */
	.word	23
	.long	0
smm_handler_pm1_cnt:
	.word	0
smm_handler_enable:
	.byte	0
smm_handler_disable:
	.byte	0
smm_handler_end:

	/* The SMM module, linked on its own (build/smm-module.lds) and checked to be
	 * position-independent before it is included here. */
	.globl smm_module_image, smm_module_image_end
	.balign 16
smm_module_image:
	.incbin	SMM_MODULE_BIN
smm_module_image_end:
