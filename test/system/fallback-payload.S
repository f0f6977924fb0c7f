/* SPDX-License-Identifier: MIT */
/*
 * Test payloads for the fallback ROM (test_fallback.py), a 32-bit ELF each, chosen by MODE:
 *   1 crash:    load an empty IDT and raise an exception: a triple fault, i.e. a reset
 *   2 hang:     interrupts off, halt forever (only the watchdog gets out of it)
 *   3 fallback: print "QVMFB fallback" on the debug console, exit through isa-debug-exit (0x10)
 *   4 good:     an OS that marks its boot good. First boot (CMOS 0x7a == 0): set 0x7a, clear
 *               the boot counter (0x78 = 0, 0x79 = 0xa5), halt the TCO watchdog, print
 *               "QVMFB good, counter cleared" and reset through 0xcf9. Second boot: print
 *               "QVMFB good again" and exit through isa-debug-exit (0x11).
 * Build: gcc -m32 -c -DMODE=n fallback-payload.S; ld -m elf_i386 -Ttext=0x200000 -e start
 */
	.code32
	.text
	.globl	start
start:
	cli
#if MODE == 1
	lidt	empty_idt
	int3
	jmp	.
#elif MODE == 2
1:	hlt
	jmp	1b
#elif MODE == 3
	mov	$msg_fallback, %esi
	call	puts
	mov	$0x10, %al
	outb	%al, $0xf4
	jmp	.
#elif MODE == 4
	mov	$0x7a, %al
	outb	%al, $0x70
	inb	$0x71, %al
	test	%al, %al
	jnz	second
	mov	$0x7a, %al
	outb	%al, $0x70
	mov	$1, %al
	outb	%al, $0x71
	mov	$0x78, %al		/* the documented good-boot writes */
	outb	%al, $0x70
	xor	%al, %al
	outb	%al, $0x71
	mov	$0x79, %al
	outb	%al, $0x70
	mov	$0xa5, %al
	outb	%al, $0x71
	xor	%ax, %ax		/* TCO_TMR = 0, then TCO1_CNT: the timer stops */
	mov	$0x672, %dx
	outw	%ax, %dx
	mov	$0x668, %dx
	outw	%ax, %dx
	mov	$msg_good, %esi
	call	puts
	mov	$0x06, %al
	mov	$0xcf9, %dx
	outb	%al, %dx
	jmp	.
second:
	mov	$msg_again, %esi
	call	puts
	mov	$0x11, %al
	outb	%al, $0xf4
	jmp	.
#endif

/* Write the NUL-terminated string at %esi to the debug console (port 0x402). */
puts:
	mov	$0x402, %dx
1:	lodsb
	test	%al, %al
	jz	2f
	outb	%al, %dx
	jmp	1b
2:	ret

	.data
	.p2align 3
empty_idt:
	.word	0
	.long	0
msg_fallback:
	.asciz	"QVMFB fallback\n"
msg_good:
	.asciz	"QVMFB good, counter cleared\n"
msg_again:
	.asciz	"QVMFB good again\n"
