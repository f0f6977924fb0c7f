/* SPDX-License-Identifier: MIT */
/*
 * Benchmark EFI application: a 1 KiB PE32+ x64 image (\EFI\BOOT\BOOTX64.EFI on a FAT disk)
 * whose entry point ends the VM at once through isa-debug-exit (port 0xf4) with value 4,
 * so QEMU exits with status 9. Used for firmwares that boot from a disk rather than -kernel
 * (qvmloader with the EDK2 UEFI payload). The code is position independent and the image has
 * no relocations, so a UEFI loader may place it anywhere.
 * Build: as --32 -o tiny-efi.o tiny-efi.S && ld -m elf_i386 -Ttext 0 --oformat binary -e 0 \
 *        -o BOOTX64.EFI tiny-efi.o
 */
	.text
	.globl	_start
_start:
	.ascii	"MZ"			/* DOS header: only the magic and e_lfanew matter */
	.org	0x3c
	.long	pe_header		/* e_lfanew */
	.org	0x40
pe_header:
	.ascii	"PE\0\0"
	.word	0x8664			/* Machine: x86-64 */
	.word	1			/* NumberOfSections */
	.long	0			/* TimeDateStamp */
	.long	0			/* PointerToSymbolTable */
	.long	0			/* NumberOfSymbols */
	.word	optional_end - optional	/* SizeOfOptionalHeader */
	.word	0x0022			/* Characteristics: executable, large-address aware */
optional:
	.word	0x20b			/* Magic: PE32+ */
	.byte	1, 0			/* linker version */
	.long	0x200			/* SizeOfCode */
	.long	0			/* SizeOfInitializedData */
	.long	0			/* SizeOfUninitializedData */
	.long	0x1000			/* AddressOfEntryPoint */
	.long	0x1000			/* BaseOfCode */
	.quad	0x10000000		/* ImageBase */
	.long	0x1000			/* SectionAlignment */
	.long	0x200			/* FileAlignment */
	.word	0, 0, 0, 0, 0, 0	/* OS, image and subsystem versions */
	.long	0			/* Win32VersionValue */
	.long	0x2000			/* SizeOfImage */
	.long	0x200			/* SizeOfHeaders */
	.long	0			/* CheckSum */
	.word	10			/* Subsystem: EFI application */
	.word	0			/* DllCharacteristics */
	.quad	0x10000, 0x1000		/* stack reserve, commit */
	.quad	0, 0			/* heap reserve, commit */
	.long	0			/* LoaderFlags */
	.long	16			/* NumberOfRvaAndSizes */
	.fill	16, 8, 0		/* data directories: none (no relocations, no imports) */
optional_end:
	.ascii	".text\0\0\0"		/* the one section */
	.long	0x200			/* VirtualSize */
	.long	0x1000			/* VirtualAddress */
	.long	0x200			/* SizeOfRawData */
	.long	0x200			/* PointerToRawData */
	.long	0, 0			/* relocations, line numbers */
	.word	0, 0			/* their counts */
	.long	0x60000020		/* code, execute, read */
	.org	0x200
entry:					/* these bytes decode the same in 64-bit mode */
	movb	$4, %al
	outb	%al, $0xf4
1:	hlt
	jmp	1b
	.org	0x400
