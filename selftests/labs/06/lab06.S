/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lab06 - a guest with a bug (Documentation/labs/06-stepper.rst).
 *
 * It computes a checksum of a table, prints which hypervisor it runs on,
 * and compares the checksum with the value it should have, 0x1cd0.  It
 * fails.  Find out why with `vmxlab step`, then fix it here; the fix is
 * small.  An ELF32 image, entered in flat protected mode.
 */
#include "lib.S"

#define EXPECTED	0x1cd0

	.code32
	.text
	.globl	_start
_start:
	mov	$hello, %esi
	call	puts
	mov	$table, %esi
	mov	$TABLE_LEN, %ecx
	call	checksum
	call	banner
	.globl	checkpoint
checkpoint:
	cmp	$EXPECTED, %ebx
	jne	wrong
	mov	$right, %esi
	call	puts
	PASS
wrong:
	mov	$bad, %esi
	call	puts
	FAIL

/*
 * checksum: EBX = the sum of dword[i] * (i + 1) over the ECX dwords at
 * ESI.  Clobbers EAX, ECX, EDX, ESI, EDI.
 */
checksum:
	xor	%ebx, %ebx
	mov	$1, %edi
1:	lodsl
	mul	%edi
	add	%eax, %ebx
	inc	%edi
	loop	1b
	ret

/*
 * banner: print "lab06: running on <hypervisor signature>".  Clobbers
 * EAX, ECX, EDX, ESI.
 */
banner:
	mov	$0x40000000, %eax
	cpuid
	mov	%ebx, signature
	mov	%ecx, signature + 4
	mov	%edx, signature + 8
	mov	$running, %esi
	call	puts
	mov	$signature, %esi
	call	puts
	mov	$newline, %esi
	call	puts
	ret

	PUTS_FN puts

	.section .rodata
	.balign	4
table:
	.long	0x03, 0x1f, 0x42, 0x07, 0x99, 0x10, 0x2a, 0x05
	.long	0x64, 0x08, 0x11, 0xc3, 0x01, 0x77, 0x20, 0x0e
	.set	TABLE_LEN, (. - table) / 4
hello:	.asciz	"lab06: checksumming the table\n"
running: .asciz	"lab06: running on "
newline: .asciz	"\n"
right:	.asciz	"lab06: checksum 0x1cd0: ok\n"
bad:	.asciz	"lab06: wrong checksum\n"

	.data
signature:
	.fill	13, 1, 0
