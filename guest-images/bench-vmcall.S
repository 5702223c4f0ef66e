/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench-vmcall - instructions per VMCALL round trip (hypercall 0, ping).
 * vmxlab hands it to the loader; KVM answers it in the kernel (-ENOSYS).
 * ELF32, protected mode; bench-lib.S has the method.
 */
#include "bench-lib.S"

.macro SETUP
	xor	%eax, %eax		/* HC_PING */
.endm
.macro OP
	vmcall
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
name:	.asciz	"vmcall"

	.bss
	.balign	16
	.skip	4096
stack_top:
