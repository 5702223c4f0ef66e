/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hello-long - 64-bit long mode.  Built as an ELF64 (hello-long.elf) and
 * as a flat binary (hello-long.bin, run with --mode long).  Checks
 * EFER.LMA and that a 64-bit register keeps its upper half.
 */
#include "lib.S"

	.code64
	.text
	.globl	_start
_start:
	cli
	mov	$stack_top, %rsp
	mov	$msg, %esi
	call	puts
	mov	$0xc0000080, %ecx	/* IA32_EFER */
	rdmsr
	test	$0x400, %eax		/* LMA */
	jz	fail
	movabs	$0x123456789abcdef0, %rax
	mov	%rax, %rbx
	shr	$32, %rbx
	cmp	$0x12345678, %ebx
	jne	fail
	mov	$ok, %esi
	call	puts
	PASS
fail:
	mov	$bad, %esi
	call	puts
	FAIL

	PUTS_FN puts

	.section .rodata
msg:	.asciz	"hello from long mode\n"
ok:	.asciz	"hello-long: EFER.LMA=1, 64-bit registers: ok\n"
bad:	.asciz	"hello-long: not in long mode\n"

	.bss
	.balign	16
	.skip	4096
stack_top:
