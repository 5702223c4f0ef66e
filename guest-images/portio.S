/* SPDX-License-Identifier: GPL-2.0 */
/*
 * portio - IN and OUT of every size, in real mode, against registers
 * whose answer is known: the UART's scratch register (0x3ff) stores
 * and reads back, modem status (0x3fe) reads the terminal's CTS, DSR and
 * DCD (0xb0) whatever is written, LSR (0x3fd) is 0x60 with nothing
 * received, MCR (0x3fc) stores, and nothing answers port 0x1234.  A 2- or 4-byte
 * access to the byte-wide UART is split into byte accesses, as on ISA.
 */
#include "lib.S"

/* CHECK reg, value, message: FAIL with @message unless reg == value. */
.macro CHECK reg, value, what
	cmp	$\value, \reg
	je	1f
	mov	$\what, %si
	jmp	fail
1:
.endm

	.code16
	.text
	.globl	_start
_start:
	cli
	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %ss
	mov	$0x1000, %sp

	mov	$0x3ff, %dx
	mov	$0x5a, %al
	out	%al, (%dx)
	xor	%al, %al
	in	(%dx), %al
	CHECK	%al, 0x5a, e_byte
	mov	$m_byte, %si
	call	puts

	mov	$0x3fe, %dx
	mov	$0xa55a, %ax
	out	%ax, (%dx)
	xor	%ax, %ax
	in	(%dx), %ax
	CHECK	%ax, 0xa5b0, e_word
	mov	$m_word, %si
	call	puts

	mov	$0x3fc, %dx
	/*
	 * MCR = 0x03 (DTR, RTS), LSR and MSR are read-only, SCR = 0x12.
	 * MSR reads the modem inputs of the attached terminal: CTS, DSR
	 * and DCD (16550 datasheet, MSR bits 4, 5, 7).
	 */
	mov	$0x12345603, %eax
	out	%eax, (%dx)
	xor	%eax, %eax
	in	(%dx), %eax
	CHECK	%eax, 0x12b06003, e_dword
	mov	$m_dword, %si
	call	puts

	mov	$0x3fd, %dx
	in	(%dx), %al
	CHECK	%al, 0x60, e_lsr
	mov	$m_lsr, %si
	call	puts

	mov	$0x1234, %dx
	xor	%eax, %eax
	in	(%dx), %eax
	CHECK	%eax, 0xffffffff, e_unknown
	mov	$m_unknown, %si
	call	puts
	PASS

fail:	call	puts
	FAIL

	PUTS_FN puts

	.section .rodata
m_byte:		.asciz	"portio: 8-bit scratch register read-back: ok\n"
m_word:		.asciz	"portio: 16-bit read-back: ok\n"
m_dword:	.asciz	"portio: 32-bit access split over MCR/LSR/MSR/SCR: ok\n"
m_lsr:		.asciz	"portio: LSR reads 0x60: ok\n"
m_unknown:	.asciz	"portio: unknown port reads all-ones: ok\n"
e_byte:		.asciz	"portio: 8-bit read-back of 0x3ff failed\n"
e_word:		.asciz	"portio: 16-bit read-back of 0x3fe failed\n"
e_dword:	.asciz	"portio: 32-bit access at 0x3fc is not 0x12b06003\n"
e_lsr:		.asciz	"portio: LSR is not 0x60\n"
e_unknown:	.asciz	"portio: port 0x1234 did not read all-ones\n"
