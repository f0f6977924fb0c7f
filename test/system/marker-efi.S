/* SPDX-License-Identifier: MIT */
/*
 * Test EFI application: a 1 KiB PE32+ x64 image that prints "QVM-MARKER-EFI" on COM1 (port
 * 0x3f8, directly) and returns EFI_NOT_FOUND, so the boot manager goes on to the next boot
 * option. A boot entry pointing at it shows on the serial console when it was tried.
 * Position independent and without relocations, so a UEFI loader may place it anywhere.
 * Build: as --64 -o marker-efi.o marker-efi.S && ld -m elf_x86_64 -Ttext 0 --oformat binary \
 *        -e 0 -o marker.efi marker-efi.o
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
	.long	0, 0, 0			/* TimeDateStamp, symbol table, symbol count */
	.word	optional_end - optional	/* SizeOfOptionalHeader */
	.word	0x0022			/* Characteristics: executable, large-address aware */
optional:
	.word	0x20b			/* Magic: PE32+ */
	.byte	1, 0			/* linker version */
	.long	0x200, 0, 0		/* SizeOfCode, initialized data, uninitialized data */
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
	.fill	16, 8, 0		/* data directories: none */
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
