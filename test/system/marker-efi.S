/* SPDX-License-Identifier: MIT */
/*
 * Test EFI application: a 1 KiB PE32+ x64 image that prints "QVM-MARKER-EFI" on COM1 (port
 * 0x3f8, directly) and returns EFI_NOT_FOUND, so the boot manager goes on to the next boot
 * option. A boot entry pointing at it shows on the serial console when it was tried.
 * Position independent and without relocations, so a UEFI loader may place it anywhere.
 * Build: as --64 -I test -o marker-efi.o marker-efi.S && ld -m elf_x86_64 -Ttext 0 \
 *        --oformat binary -e 0 -o marker.efi marker-efi.o
 */
	.include "efi-app.inc"
entry:					/* EFIAPI: image handle in rcx, system table in rdx */
	leaq	message(%rip), %rsi
	movw	$0x3f8, %dx
1:	lodsb
	testb	%al, %al
	jz	2f
	outb	%al, %dx
	jmp	1b
2:	movabsq	$0x800000000000000e, %rax	/* EFI_NOT_FOUND */
	ret
message:
	.asciz	"\r\nQVM-MARKER-EFI\r\n"
	.org	0x400
