/* SPDX-License-Identifier: GPL-2.0 */
/*
 * triple-fault - loads an IDT with limit 0 and executes INT3: the #BP
 * cannot be delivered (#GP), nor can the #GP (#DF), nor the #DF, so the
 * CPU shuts down and vmxlab reports a triple fault.  Flat, protected mode.
 */
#include "lib.S"

	.code32
	.text
	.globl	_start
_start:
	cli
	mov	$msg, %esi
	call	puts
	lidt	empty_idt
	int3
	mov	$survived, %esi
	call	puts
	FAIL

	PUTS_FN puts

	.section .rodata
	.balign	8
empty_idt:
	.word	0
	.long	0
msg:		.asciz	"triple-fault: loading an empty IDT and raising #BP\n"
survived:	.asciz	"triple-fault: still running after int3\n"
