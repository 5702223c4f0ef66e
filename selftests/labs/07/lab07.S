/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lab07 - a guest that needs a state of its own
 * (Documentation/labs/07-break-a-field.rst).
 *
 * A flat image, run with --mode long: the loader enters it in 64-bit
 * mode with its usual state, and lab07.setup then changes six things,
 * with the stepper's `set`, before the first VM entry.  This guest checks
 * that it got what it asked for:
 *
 *   CR0.AM = 1           (alignment checking allowed)
 *   CR4.OSFXSR = 1       (SSE instructions work)
 *   IA32_EFER.NXE = 1    (execute-disable bits in page tables)
 *   FS base = 0x20000    (its per-CPU block: it reads the magic there)
 *   GS base = 0x21000    (a second block, another magic)
 *   RFLAGS.IOPL = 3
 *
 * and ends with PASS if all six hold, FAIL otherwise.  Do not change
 * this file: the lab is in lab07.setup and lab07.predictions.
 */
#include "lib.S"

#define FS_BLOCK	0x20000
#define GS_BLOCK	0x21000
#define FS_MAGIC	0x7366206237306261	/* "ab70b fs" */
#define GS_MAGIC	0x7367206237306261	/* "ab70b gs" */

/* RESULT msg: print msg, then "ok" if ZF=0, else "WRONG" (and count it). */
.macro RESULT msg
	setnz	%bl
	mov	$\msg, %esi
	call	puts
	mov	$ok, %esi
	test	%bl, %bl
	jnz	1f
	mov	$wrong, %esi
	inc	%r12d
1:	call	puts
.endm

	.code64
	.text
	.globl	_start
_start:
	cli
	mov	$stack_top, %rsp
	xor	%r12d, %r12d		/* the number of wrong things */
	mov	$hello, %esi
	call	puts

	/* The two blocks, before FS and GS are used to read them. */
	movabs	$FS_MAGIC, %rax
	mov	%rax, FS_BLOCK
	movabs	$GS_MAGIC, %rax
	mov	%rax, GS_BLOCK

	/* CR0.AM is the guest's own bit: MOV from CR0 reads it as it is. */
	mov	%cr0, %rax
	test	$(1 << 18), %eax
	RESULT	m_cr0

	/* CR4.OSFXSR is the guest's own bit too; then use SSE. */
	mov	%cr4, %rax
	test	$(1 << 9), %eax
	jz	1f
	xorps	%xmm0, %xmm0		/* #UD without OSFXSR */
	movq	%xmm0, %rax
	or	$1, %eax		/* ZF=0 */
1:	RESULT	m_cr4

	mov	$0xc0000080, %ecx	/* IA32_EFER */
	rdmsr
	test	$(1 << 11), %eax	/* NXE */
	RESULT	m_efer

	movabs	$FS_MAGIC, %rdx
	mov	%fs:0, %rax
	cmp	%rdx, %rax
	setz	%al
	test	%al, %al
	RESULT	m_fs

	movabs	$GS_MAGIC, %rdx
	mov	%gs:0, %rax
	cmp	%rdx, %rax
	setz	%al
	test	%al, %al
	RESULT	m_gs

	pushf
	pop	%rax
	and	$0x3000, %eax		/* IOPL */
	cmp	$0x3000, %eax
	setz	%al
	test	%al, %al
	RESULT	m_iopl

	test	%r12d, %r12d
	jnz	fail
	mov	$pass, %esi
	call	puts
	PASS
fail:
	mov	$failed, %esi
	call	puts
	FAIL

	PUTS_FN puts

	.section .rodata
hello:	.asciz	"lab07: entered; checking the state lab07.setup gave me\n"
m_cr0:	.asciz	"lab07: CR0.AM = 1: "
m_cr4:	.asciz	"lab07: CR4.OSFXSR = 1, SSE works: "
m_efer:	.asciz	"lab07: IA32_EFER.NXE = 1: "
m_fs:	.asciz	"lab07: FS base 0x20000: "
m_gs:	.asciz	"lab07: GS base 0x21000: "
m_iopl:	.asciz	"lab07: RFLAGS.IOPL = 3: "
ok:	.asciz	"ok\n"
wrong:	.asciz	"WRONG\n"
pass:	.asciz	"lab07: all six as asked\n"
failed:	.asciz	"lab07: the state is not what I asked for\n"

	.bss
	.balign	16
	.skip	4096
stack_top:
