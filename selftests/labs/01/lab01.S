/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lab01 - trace your first exit (Documentation/labs/01-first-exit.rst).
 *
 * A flat real-mode image, loaded and entered at 0x1000.  As given, it
 * prints a greeting and halts.  Your work is the two TODOs below.
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
	mov	$hello, %si
	call	puts

	/*
	 * TODO 1: ask the hypervisor who it is.  Execute CPUID with
	 * EAX = 0x40000000 and print "lab01: hypervisor " followed by the
	 * 12 characters it returns in EBX, ECX and EDX (in that order, four
	 * characters per register, lowest byte first) and a newline.
	 */

	/* TODO 2: end the run with the PASS macro instead of halting. */
	hlt

	PUTS_FN puts

	.section .rodata
hello:	.asciz	"lab01: hello\n"
