/* SPDX-License-Identifier: GPL-2.0 */
/* loop - spins forever without exits; only --timeout or Ctrl-C ends it. */
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
1:	jmp	1b

	PUTS_FN puts

	.section .rodata
msg:	.asciz	"loop: spinning forever\n"
