/* SPDX-License-Identifier: MIT */
/* Reset vector and 16-to-32-bit entry: A20 on, caches on, flat protected mode, copy .data,
 * clear .bss, set the stack and call main(); and the way back to real mode for S3 resume. */
#include "layout.h"

	.section .reset16, "ax"
	.code16
reset16:
	cli
	cld
	/* Fast A20 gate on (port 0x92 bit 1), never reset the CPU (bit 0). */
	inb	$0x92, %al
	orb	$0x02, %al
	andb	$0xfe, %al
	outb	%al, $0x92
	/* CS base is 0xFFFF0000 and this code sits at 0xFFFFFF00. */
	lgdtl	%cs:(0xff00 + gdt_desc - reset16)
	movl	%cr0, %eax
	andl	$0x9fffffff, %eax	/* clear CD and NW */
	orl	$1, %eax		/* PE */
	movl	%eax, %cr0
	ljmpl	$SEL_CODE32, $entry32

	.balign 8
	.globl rom_gdt
rom_gdt:
	.quad	0
	.quad	0x00cf9b000000ffff	/* SEL_CODE32: flat 4 GiB code */
	.quad	0x00cf93000000ffff	/* SEL_DATA32: flat 4 GiB data */
	.quad	0x00009b000000ffff	/* SEL_CODE16: 64 KiB code at 0 */
	.quad	0x000093000000ffff	/* SEL_DATA16: 64 KiB data at 0 */
	.quad	0xff009bff0000ffff	/* SEL_CODE16_TOP: 64 KiB code at 0xFFFF0000 */
rom_gdt_end:
	.globl gdt_desc
gdt_desc:
	.word	rom_gdt_end - rom_gdt - 1
	.long	rom_gdt

	/* void resume_wake_real(uint32_t cs_ip): S3 resume's jump to the OS's real-mode
	 * waking vector. Runs from this top 64 KiB of the ROM through SEL_CODE16_TOP, so CS
	 * keeps a base of 0xFFFF0000 until the final far return; the 4-byte far pointer is
	 * pushed on a stack in loader RAM (reserved in every hand-off map). */
	.code32
	.globl resume_wake_real
resume_wake_real:
	cli
	movl	4(%esp), %ebx
	ljmpl	$SEL_CODE16_TOP, $(0xff00 + 1f - reset16)
	.code16
1:	movw	$SEL_DATA16, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %fs
	movw	%ax, %gs
	movw	%ax, %ss
	movl	%cr0, %eax
	andl	$0x7ffffffe, %eax	/* PE and PG off: real mode */
	movl	%eax, %cr0
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %fs
	movw	%ax, %gs
	movw	$((LOADER_RAM_END - 0x1000) >> 4), %ax
	movw	%ax, %ss
	movw	$0x1000, %sp
	pushl	%ebx
	lretw

	.section .resetvec, "ax"
	.code16
	.globl reset_vector
reset_vector:
	jmp	reset16

	.section .text.entry32, "ax"
	.code32
	.globl entry32
entry32:
	movw	$SEL_DATA32, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	%ax, %fs
	movw	%ax, %gs
	movl	$_stack_top, %esp
	call	cpu_check		/* before the first rdtsc or compiled cmov */
	rdtsc				/* boot-time origin, kept in ebp:ebx */
	movl	%eax, %ebp
	movl	%edx, %ebx
	movl	$_data_load, %esi
	movl	$_data_start, %edi
	movl	$_data_end, %ecx
	subl	%edi, %ecx
	rep movsb
	movl	$_bss_start, %edi
	movl	$_bss_end, %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb
	movl	%ebp, reset_tsc
	movl	%ebx, reset_tsc + 4
	call	main
1:	cli
	hlt
	jmp	1b

/* The loader is built for i686: it needs CPUID, and CPUID.1 EDX must show TSC, MSR and CMOV
 * (a CPU without a local APIC is served: SMM relocates it through APM, smm.c). QEMU's 486 and
 * pentium models lack some; say which on the debug console and halt. Clobbers eax-edx, esi. */
#define CPU_TSC	 (1 << 4)
#define CPU_MSR	 (1 << 5)
#define CPU_CMOV (1 << 15)
	.section .text.entry32, "ax"
cpu_check:
	pushfl
	popl	%eax
	movl	%eax, %ecx
	xorl	$0x200000, %eax		/* EFLAGS.ID toggles only if CPUID exists */
	pushl	%eax
	popfl
	pushfl
	popl	%eax
	pushl	%ecx
	popfl
	xorl	%ecx, %eax
	movl	$msg_no_cpuid, %esi
	testl	$0x200000, %eax
	jz	cpu_unfit
	xorl	%eax, %eax
	cpuid
	movl	$msg_no_cpuid, %esi
	testl	%eax, %eax
	jz	cpu_unfit
	movl	$1, %eax
	cpuid
	notl	%edx
	testl	$(CPU_TSC | CPU_MSR | CPU_CMOV), %edx
	jnz	cpu_lacks
	ret
cpu_lacks:
	movl	%edx, %ecx		/* missing features */
	movl	$msg_lacks, %esi
	call	debug_puts
	movl	$name_tsc, %esi
	testl	$CPU_TSC, %ecx
	jz	1f
	call	debug_puts
1:	movl	$name_msr, %esi
	testl	$CPU_MSR, %ecx
	jz	1f
	call	debug_puts
1:	movl	$name_cmov, %esi
	testl	$CPU_CMOV, %ecx
	jz	1f
	call	debug_puts
1:	movl	$msg_needs, %esi
cpu_unfit:
	call	debug_puts
2:	cli
	hlt
	jmp	2b

/* Write the NUL-terminated string at esi to debugcon 0x402. Clobbers al, dx, esi. */
debug_puts:
	movw	$0x402, %dx
1:	lodsb
	testb	%al, %al
	jz	2f
	outb	%al, %dx
	jmp	1b
2:	ret

	.section .rodata.entry32, "a"
msg_no_cpuid:
	.asciz	"qvmloader: this CPU has no CPUID (a 486 or older), but the loader is built for a Pentium Pro class CPU (CPUID, TSC, MSR, CMOV): use e.g. -cpu pentium2, qemu32 or qemu64; halting\n"
msg_lacks:
	.asciz	"qvmloader: this CPU lacks"
name_tsc:
	.asciz	" TSC"
name_msr:
	.asciz	" MSR"
name_cmov:
	.asciz	" CMOV"
msg_needs:
	.asciz	", which the loader (built for a Pentium Pro class CPU) needs: use e.g. -cpu pentium2, qemu32 or qemu64; halting\n"
