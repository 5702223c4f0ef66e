/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench-hlt - instructions per HLT exit to userspace and back.  The
 * loader ends a run at HLT, so this image is run by selftests/bench/
 * vmbench, whose loop resumes the guest after each HLT.  Flat, real
 * mode, at 0x1000; bench-lib.S has the method.
 */
#include "bench-lib.S"

.macro SETUP
.endm
.macro OP
	hlt
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
	BENCH	name, SETUP, OP
	PASS

	BENCH_FNS
	BENCH_DATA
	.section .rodata
name:	.asciz	"hlt"
