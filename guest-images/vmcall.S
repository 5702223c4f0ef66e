/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmcall - the hypercall ABI (README.md): ping answers 0x766d786c, sum
 * adds RBX+RCX+RDX+RSI, putc prints, an unknown number returns all-ones,
 * and the exit hypercall ends the run with PASS.  ELF32, protected mode.
 */
#include "lib.S"

.macro CHECK reg, value, what
	cmp	$\value, \reg
	je	1f
	mov	$\what, %esi
	jmp	fail
1:
.endm

	.code32
	.text
	.globl	_start
_start:
	cli
	mov	$stack_top, %esp

	mov	$HC_PING, %eax
	vmcall
	CHECK	%eax, HC_PING_MAGIC, e_ping
	mov	$m_ping, %esi
	call	puts

	mov	$HC_SUM, %eax
	mov	$1, %ebx
	mov	$20, %ecx
	mov	$300, %edx
	mov	$4000, %esi
	vmcall
	CHECK	%eax, 4321, e_sum
	mov	$m_sum, %esi
	call	puts

	mov	$m_putc, %esi
	call	puts
	mov	$HC_PUTC, %eax
	mov	$'!', %ebx
	vmcall
	mov	$HC_PUTC, %eax
	mov	$'\n', %ebx
	vmcall

	mov	$0x7777, %eax
	vmcall
	CHECK	%eax, 0xffffffff, e_unknown
	mov	$m_unknown, %esi
	call	puts

	mov	$HC_EXIT, %eax
	mov	$GUEST_PASS, %ebx
	vmcall
	mov	$e_exit, %esi
fail:	call	puts
	FAIL

	PUTS_FN puts

	.section .rodata
m_ping:		.asciz	"vmcall: ping answered 0x766d786c: ok\n"
m_sum:		.asciz	"vmcall: sum of four arguments: ok\n"
m_putc:		.asciz	"vmcall: putc says: "
m_unknown:	.asciz	"vmcall: unknown hypercall returned -1: ok\n"
e_ping:		.asciz	"vmcall: ping returned the wrong value\n"
e_sum:		.asciz	"vmcall: sum returned the wrong value\n"
e_unknown:	.asciz	"vmcall: unknown hypercall did not return -1\n"
e_exit:		.asciz	"vmcall: the exit hypercall returned\n"

	.bss
	.balign	16
	.skip	4096
stack_top:
