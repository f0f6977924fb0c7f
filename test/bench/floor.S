/* SPDX-License-Identifier: MIT */
/*
 * "Floor" ROM: 64 KiB whose reset vector ends the VM at once through isa-debug-exit (value 0,
 * exit status 1). Timing QEMU with it measures QEMU's own start-up and exit cost, which the
 * benchmark subtracts from every firmware's time.
 * Build: as --32 -o floor.o floor.S && ld -m elf_i386 -Ttext 0 --oformat binary -e 0 -o floor.rom floor.o
 */
	.code16
	.text
	.globl	_start
_start:
	.org	0xfff0			/* reset vector: 16 bytes below the top of the ROM */
	movb	$0, %al
	outb	%al, $0xf4
1:	hlt
	jmp	1b
	.org	0x10000, 0xff
