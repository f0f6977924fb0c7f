/* SPDX-License-Identifier: MIT */
/*
 * Boot sector for the reset tests. Loaded by the BIOS at 0000:7C00, it writes
 * "QVMRESET <method>" to the debug console (port 0x402) and resets the machine the way
 * METHOD (set by the builder with -DMETHOD=n) says:
 *   1  ACPI/PCI reset control register 0xCF9 (hard reset)
 *   2  keyboard controller reset pulse (0xFE to port 0x64)
 *   3  triple fault (empty IDT, then an exception)
 *   4  none: halt, for the host to reset through QMP system_reset
 */
#define DEBUGCON 0x402

	.code16
	.text
	.globl start
start:
	cli
	xorw %ax, %ax
	movw %ax, %ds
	movw %ax, %ss
	movw $0x7c00, %sp
	cld
	movw $msg, %si
	movw $DEBUGCON, %dx
1:	lodsb
	testb %al, %al
	jz 2f
	outb %al, %dx
	jmp 1b
2:
#if METHOD == 1
	movw $0xcf9, %dx
	movb $0x02, %al
	outb %al, %dx
	movb $0x06, %al
	outb %al, %dx
#elif METHOD == 2
	movb $0xfe, %al
	outb %al, $0x64
#elif METHOD == 3
	lidt empty_idt
	int3
#endif
3:	hlt
	jmp 3b

empty_idt:
	.word 0
	.long 0
msg:
	.ascii "QVMRESET "
	.byte '0' + METHOD
	.asciz "\n"

	.org 510
	.byte 0x55, 0xaa
