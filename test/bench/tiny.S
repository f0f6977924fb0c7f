/* SPDX-License-Identifier: MIT */
/*
 * Benchmark "kernel": an 8 KiB Linux boot-protocol 2.15 bzImage whose every entry point ends
 * the VM at once by writing to isa-debug-exit (port 0xf4); QEMU then exits with (value << 1) | 1.
 *   real-mode setup entry (BIOS loaders: SeaBIOS, qboot)      value 1, exit status 3
 *   32-bit entry at code32_start (OVMF's legacy Linux loader) value 2, exit status 5
 *   64-bit entry at code32_start + 0x200 (XLF_KERNEL_64)      value 3, exit status 7
 * The setup is 4 KiB (setup_sects = 7) because OVMF refuses a setup shorter than boot_params.
 * Build: as --32 -o tiny.o tiny.S && ld -m elf_i386 -Ttext 0 --oformat binary -e 0 -o tiny.bzImage tiny.o
 */
	.code16
	.text
	.globl	_start
_start:
	.org	0x1f1
	.byte	7			/* setup_sects: 7 + 1 sectors of setup */
	.word	0			/* root_flags */
	.long	0x100			/* syssize: 4 KiB protected-mode part, 16-byte units */
	.word	0			/* ram_size */
	.word	0xffff			/* vid_mode: normal */
	.word	0			/* root_dev */
	.word	0xaa55			/* boot_flag */
	.org	0x200
	jmp	real_mode_entry		/* setup entry: CS = setup segment + 0x20 */
	.ascii	"HdrS"			/* header magic */
	.word	0x020f			/* boot protocol 2.15 */
	.long	0			/* realmode_swtch */
	.word	0x1000			/* start_sys_seg */
	.word	0			/* kernel_version: none */
	.byte	0			/* type_of_loader: filled by the loader */
	.byte	0x01			/* loadflags: LOADED_HIGH */
	.word	0x8000			/* setup_move_size */
	.long	0x100000		/* code32_start */
	.long	0			/* ramdisk_image */
	.long	0			/* ramdisk_size */
	.long	0			/* bootsect_kludge */
	.word	0			/* heap_end_ptr */
	.byte	0			/* ext_loader_ver */
	.byte	0			/* ext_loader_type */
	.long	0			/* cmd_line_ptr */
	.long	0x7fffffff		/* initrd_addr_max */
	.long	0x200000		/* kernel_alignment */
	.byte	1			/* relocatable_kernel */
	.byte	21			/* min_alignment: 2 MiB */
	.word	0x0001			/* xloadflags: XLF_KERNEL_64, no EFI handover */
	.long	0x7ff			/* cmdline_size */
	.long	0			/* hardware_subarch */
	.quad	0			/* hardware_subarch_data */
	.long	0			/* payload_offset */
	.long	0			/* payload_length */
	.quad	0			/* setup_data */
	.quad	0x1000000		/* pref_address */
	.long	0x100000		/* init_size */
	.long	0			/* handover_offset */

	.org	0x280
real_mode_entry:
	movb	$1, %al
	outb	%al, $0xf4
1:	hlt
	jmp	1b

	/* Protected-mode part: loaded at code32_start. "mov al, imm8; out imm8, al" encodes the
	 * same in 16-, 32- and 64-bit mode, so these stubs need no .code32/.code64. */
	.org	0x1000
entry_32:
	movb	$2, %al
	outb	%al, $0xf4
2:	hlt
	jmp	2b

	.org	0x1200
entry_64:
	movb	$3, %al
	outb	%al, $0xf4
3:	hlt
	jmp	3b

	.org	0x2000, 0
