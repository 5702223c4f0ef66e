/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hlt - HLT with interrupts disabled ends the run: vmxlab reports
 * "guest halted" and exits 0.  Real mode, flat.
 */
#include "lib.S"

	.code16
	.text
	.globl	_start
_start:
	cli
	xor	%ax, %ax
	mov	%ax, %ds
	mov	$msg, %si
	call	puts
	hlt
	/* Nothing can wake us; if the loader resumes us anyway, fail. */
	mov	$again, %si
	call	puts
	FAIL

	PUTS_FN puts

	.section .rodata
msg:	.asciz	"hlt: halting with interrupts disabled\n"
again:	.asciz	"hlt: resumed after HLT\n"
