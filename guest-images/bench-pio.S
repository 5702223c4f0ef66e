/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench-pio - instructions per OUT to and IN from a device in the loader
 * (the UART scratch register, COM1 + 7).  ELF32, protected mode;
 * bench-lib.S has the method.
 */
#include "bench-lib.S"

.macro SETUP
	mov	$COM1_SCR, %dx
	mov	$0x5a, %al
.endm
.macro OP_OUT
	out	%al, (%dx)
.endm
.macro OP_IN
	in	(%dx), %al
.endm

	.code32
	.text
	.globl	_start
_start:
	cli
	mov	$stack_top, %esp
	BENCH	name_out, SETUP, OP_OUT
	BENCH	name_in, SETUP, OP_IN
	PASS

	BENCH_FNS
	BENCH_DATA
	.section .rodata
name_out:	.asciz	"out"
name_in:	.asciz	"in"

	.bss
	.balign	16
	.skip	4096
stack_top:
