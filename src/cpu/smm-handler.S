/* SPDX-License-Identifier: MIT */
/* SMM code, copied into place by smm.c: the one-shot SMBASE relocation stub run at the
 * default SMBASE, and the permanent handler run from SMRAM (ACPI enable/disable, then RSM).
 * SMM starts in 16-bit mode with CS base = SMBASE, IP = 0x8000 and 4 GiB data segments. */

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
smm_handler_start:
	movw	%cs:(0x8000 + smm_handler_pm1_cnt - smm_handler_start), %dx
	inb	$0xb2, %al
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
	.balign 2
smm_handler_pm1_cnt:
	.word	0
smm_handler_enable:
	.byte	0
smm_handler_disable:
	.byte	0
smm_handler_end:
