/* SPDX-License-Identifier: MIT */
/*
 * Test boot sector for the system tests. Loaded by the BIOS at 0000:7C00, it reports on the
 * debug console (port 0x402), one line each:
 *   QVMMBR boot dl=<boot drive, hex>
 *   QVMMBR e820 <base, 16 hex> <length, 16 hex> <type, 8 hex>   (per INT 15h/E820 entry)
 *   QVMMBR e820count=<entries, hex>
 *   QVMMBR done
 * then writes 0x10 to isa-debug-exit (port 0xF4), so QEMU exits with status 0x21.
 */
#define DEBUGCON 0x402
#define DEBUG_EXIT 0xf4
#define EXIT_VALUE 0x10
#define SMAP 0x534d4150
#define E820_BUF 0x600

	.code16
	.text
	.globl start
start:
	cli
	xorw %ax, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw $0x7c00, %sp
	ljmp $0, $main
main:
	sti
	cld
	movb %dl, boot_drive
	movw $msg_boot, %si
	call puts
	movb boot_drive, %al
	call puthex8
	call newline

	xorl %ebx, %ebx
	xorw %bp, %bp
e820_next:
	movl $0xe820, %eax
	movl $SMAP, %edx
	movl $20, %ecx
	movw $E820_BUF, %di
	int $0x15
	jc e820_end
	cmpl $SMAP, %eax
	jne e820_end
	incw %bp
	movw $msg_e820, %si
	call puts
	movw $E820_BUF, %si
	call puthex64
	call space
	movw $E820_BUF + 8, %si
	call puthex64
	call space
	movl E820_BUF + 16, %eax
	call puthex32
	call newline
	testl %ebx, %ebx
	jnz e820_next
e820_end:
	movw $msg_count, %si
	call puts
	movw %bp, %ax
	call puthex8
	call newline
	movw $msg_done, %si
	call puts

	movw $DEBUG_EXIT, %dx
	movb $EXIT_VALUE, %al
	outb %al, %dx
halt:
	hlt
	jmp halt

/* Write the NUL-terminated string at %si to the debug console. */
puts:
	pushw %ax
	pushw %dx
	movw $DEBUGCON, %dx
1:
	lodsb
	testb %al, %al
	jz 2f
	outb %al, %dx
	jmp 1b
2:
	popw %dx
	popw %ax
	ret

/* Write %al to the debug console. */
putc:
	pushw %dx
	movw $DEBUGCON, %dx
	outb %al, %dx
	popw %dx
	ret

space:
	movb $' ', %al
	jmp putc

newline:
	movb $'\n', %al
	jmp putc

/* Write the low nibble of %al as a hex digit. */
puthex4:
	andb $0x0f, %al
	addb $'0', %al
	cmpb $'9', %al
	jbe putc
	addb $'a' - '0' - 10, %al
	jmp putc

/* Write %al as two hex digits. */
puthex8:
	pushw %ax
	shrb $4, %al
	call puthex4
	popw %ax
	jmp puthex4

/* Write %eax as eight hex digits. */
puthex32:
	pushl %ecx
	movw $8, %cx
1:
	roll $4, %eax
	pushl %eax
	call puthex4
	popl %eax
	loop 1b
	popl %ecx
	ret

/* Write the 64-bit little-endian value at %si as sixteen hex digits. */
puthex64:
	movl 4(%si), %eax
	call puthex32
	movl (%si), %eax
	jmp puthex32

msg_boot:
	.asciz "QVMMBR boot dl="
msg_e820:
	.asciz "QVMMBR e820 "
msg_count:
	.asciz "QVMMBR e820count="
msg_done:
	.asciz "QVMMBR done\n"
boot_drive:
	.byte 0

	.org 510
	.byte 0x55, 0xaa
