/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench-mmio - instructions per MMIO read and write of the scratch device
 * at 0xd0000000 (emulated in the loader), with the MOV forms mmio.S
 * uses.  ELF32, protected mode, paging off; bench-lib.S has the method.
 */
#include "bench-lib.S"

.macro SETUP
	mov	$0x12345678, %ebx
.endm
.macro OP_READ
	mov	SCRATCH_GPA, %ecx
.endm
.macro OP_WRITE
	mov	%ebx, SCRATCH_GPA
.endm

	.code32
	.text
	.globl	_start
_start:
	cli
	mov	$stack_top, %esp
	BENCH	name_read, SETUP, OP_READ
	BENCH	name_write, SETUP, OP_WRITE
	PASS

	BENCH_FNS
	BENCH_DATA
	.section .rodata
name_read:	.asciz	"mmio-read"
name_write:	.asciz	"mmio-write"

	.bss
	.balign	16
	.skip	4096
stack_top:
