/* SPDX-License-Identifier: MIT */
/*
 * Benchmark EFI application: a 1 KiB PE32+ x64 image (\EFI\BOOT\BOOTX64.EFI on a FAT disk)
 * whose entry point ends the VM at once through isa-debug-exit (port 0xf4) with value 4,
 * so QEMU exits with status 9. Used for firmwares that boot from a disk rather than -kernel
 * (qvmloader with the EDK2 UEFI payload). The code is position independent and the image has
 * no relocations, so a UEFI loader may place it anywhere.
 * Build: as --32 -I test -o tiny-efi.o tiny-efi.S && ld -m elf_i386 -Ttext 0 --oformat binary \
 *        -e 0 -o BOOTX64.EFI tiny-efi.o
 */
	.include "efi-app.inc"
entry:					/* these bytes decode the same in 64-bit mode */
	movb	$4, %al
	outb	%al, $0xf4
1:	hlt
	jmp	1b
	.org	0x400
