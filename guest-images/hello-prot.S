/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hello-prot - 32-bit protected mode, paging off.  Built twice: as an
 * ELF32 (hello-prot.elf, linked at 1 MiB) and as a flat binary
 * (hello-prot.bin, linked at 0x1000, run with --mode protected).
 */
#include "lib.S"

	.code32
	.text
	.globl	_start
_start:
	cli
	mov	$stack_top, %esp
	mov	$msg, %esi
	call	puts
	mov	%cr0, %eax
	test	$1, %al			/* PE */
	jz	fail
	test	%eax, %eax		/* PG must be clear */
	js	fail
	mov	$ok, %esi
	call	puts
	PASS
fail:
	mov	$bad, %esi
	call	puts
	FAIL

	PUTS_FN puts

	.section .rodata
msg:	.asciz	"hello from protected mode\n"
ok:	.asciz	"hello-prot: CR0.PE=1, PG=0: ok\n"
bad:	.asciz	"hello-prot: not in 32-bit protected mode\n"

	.bss
	.balign	16
	.skip	4096
stack_top:
