/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hello-real - a flat real-mode image: prints on COM1 and passes.
 * Checks that it really runs in real mode (CR0.PE clear) at CS:IP 0:0x1000.
 */
#include "lib.S"

	.code16
	.text
	.globl	_start
_start:
	cli
	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$0x1000, %sp
	mov	$msg, %si
	call	puts
	mov	%cr0, %eax
	test	$1, %al
	jnz	fail
	mov	%cs, %ax
	test	%ax, %ax
	jnz	fail
	call	1f		/* the return address is our IP */
1:	pop	%ax
	cmp	$1b, %ax
	jne	fail
	mov	$ok, %si
	call	puts
	PASS
fail:
	mov	$bad, %si
	call	puts
	FAIL

	PUTS_FN puts

	.section .rodata
msg:	.asciz	"hello from real mode\n"
ok:	.asciz	"hello-real: CR0.PE=0, CS=0: ok\n"
bad:	.asciz	"hello-real: not in real mode at CS=0\n"
