/* SPDX-License-Identifier: MIT */
/* AP start-up: a real-mode page copied below 1 MiB (the SIPI target) that enters flat
 * protected mode, then a serialised 32-bit path that runs ap_main() on a shared stack. */
#include "layout.h"

	.section .trampoline, "a"
	.code16
	.globl tramp_start
tramp_start:
	cli
	cld
	lgdtl	%cs:(tramp_gdt_desc - tramp_start)
	movl	%cr0, %eax
	andl	$0x9fffffff, %eax	/* caches on */
	orl	$1, %eax
	movl	%eax, %cr0
	ljmpl	$SEL_CODE32, $ap_entry32
	.balign 8
tramp_gdt_desc:
	.word	5 * 8 - 1
	.long	rom_gdt

	.section .text.ap, "ax"
	.code32
ap_entry32:
	movw	$SEL_DATA32, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs
1:	lock btsl $0, ap_lock
	jnc	2f
	pause
	jmp	1b
2:	movl	$ap_stack_top, %esp
	call	ap_main
	movl	$0, ap_lock
3:	cli
	hlt
	jmp	3b

	.section .bss.ap, "aw", @nobits
	.balign 16
ap_stack:
	.space	4096
ap_stack_top:
	.balign 4
ap_lock:
	.long	0
