/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench-cpuid - instructions per CPUID round trip (an exit the hypervisor
 * handles in the kernel).  `make bench` also runs it with --trace, the
 * exit ring on.  ELF32, protected mode; bench-lib.S has the method.
 */
#include "bench-lib.S"

.macro SETUP
	xor	%eax, %eax
	xor	%ecx, %ecx
.endm
.macro OP
	cpuid
.endm

	.code32
	.text
	.globl	_start
_start:
	cli
	mov	$stack_top, %esp
	BENCH	name, SETUP, OP
	PASS

	BENCH_FNS
	BENCH_DATA
	.section .rodata
name:	.asciz	"cpuid"

	.bss
	.balign	16
	.skip	4096
stack_top:
