/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lab05 - the guest that uses the text screen at 0xb8000
 * (Documentation/labs/05-mmio-device.rst).  You do not change it: it is
 * the lab's test.  An ELF32 image, entered in flat protected mode.
 *
 * It writes two lines on the 80x25 text screen (a character byte and an
 * attribute byte per cell, row after row), reads cells back with 8-, 16-
 * and 32-bit accesses, and checks that the page after the screen is
 * still ordinary memory.
 */
#include "lib.S"

#define SCREEN		0xb8000
#define ROW(n)		(SCREEN + 160 * (n))
#define ATTR		0x07		/* grey on black */

	.code32
	.text
	.globl	_start
_start:
	mov	$hello, %esi
	call	puts

	mov	$line0, %esi
	mov	$ROW(0), %edi
	call	write_row
	mov	$line2, %esi
	mov	$ROW(2), %edi
	call	write_row

	/* 16-bit read of the first cell: 'l' in grey. */
	movzwl	ROW(0), %eax
	cmp	$(ATTR << 8 | 'l'), %eax
	jne	bad_read
	/* 8-bit read of an attribute byte. */
	movzbl	ROW(2) + 1, %eax
	cmp	$ATTR, %eax
	jne	bad_read
	/* A 32-bit write and read in the unused tail of the page. */
	movl	$0x12345678, SCREEN + 0xfa0
	mov	SCREEN + 0xfa0, %eax
	cmp	$0x12345678, %eax
	jne	bad_read
	mov	$ok_read, %esi
	call	puts

	/* The page after the screen is RAM, as before. */
	movl	$0xcafef00d, SCREEN + 0x1000
	mov	SCREEN + 0x1000, %eax
	cmp	$0xcafef00d, %eax
	jne	bad_ram
	mov	$ok_ram, %esi
	call	puts
	PASS

bad_read:
	mov	$no_read, %esi
	jmp	fail
bad_ram:
	mov	$no_ram, %esi
fail:
	call	puts
	FAIL

/* write_row: the string at ESI to the cells from EDI on, attribute ATTR. */
write_row:
1:	movb	(%esi), %al
	test	%al, %al
	jz	2f
	movb	%al, (%edi)
	movb	$ATTR, 1(%edi)
	inc	%esi
	add	$2, %edi
	jmp	1b
2:	ret

	PUTS_FN puts

	.section .rodata
hello:	.asciz	"lab05: writing to the text screen\n"
line0:	.asciz	"lab05: hello, text screen"
line2:	.asciz	"lab05: row 2, after an empty row"
ok_read: .asciz	"lab05: screen cells read back (8, 16, 32 bits): ok\n"
ok_ram:	.asciz	"lab05: the page after the screen is RAM: ok\n"
no_read: .asciz	"lab05: a screen cell did not read back\n"
no_ram:	.asciz	"lab05: the page after the screen is not RAM\n"
