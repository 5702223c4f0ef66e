/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exceptions - #UD (ud2), #PF (a read and a write of an unmapped page,
 * with CR2 and the error code checked) and #GP with an error code
 * (loading a selector beyond the GDT limit), all caught by the guest's
 * own IDT.  ELF64, long mode; the guest builds its own page tables that
 * map only the first 4 MiB.
 */
#include "lib.S"

#define UNMAPPED	0x40000000	/* 1 GiB: outside our 4 MiB */

/* Expect vector @vec with error code @err at the instruction that
 * follows; FAIL with @what otherwise. */
.macro EXPECT vec, err, what
	lea	9f(%rip), %rax
	mov	%rax, fault_resume(%rip)
.endm
.macro CAUGHT vec, err, what
9:	lea	\what(%rip), %rsi
	cmpq	$0, fault_resume(%rip)		/* handler cleared it */
	jne	fail
	cmpq	$\vec, fault_vector(%rip)
	jne	fail
	cmpq	$\err, fault_error(%rip)
	jne	fail
.endm

	.code64
	.text
	.globl	_start
_start:
	cli
	lea	stack_top(%rip), %rsp
	call	idt64_init

	/* Own page tables: 2 x 2 MiB pages, nothing else present. */
	lea	pml4(%rip), %rdi
	xor	%eax, %eax
	mov	$(3 * 4096 / 8), %ecx
	rep stosq
	lea	pdpt(%rip), %rax
	or	$3, %rax
	mov	%rax, pml4(%rip)
	lea	pd(%rip), %rax
	or	$3, %rax
	mov	%rax, pdpt(%rip)
	movq	$0x000083, pd(%rip)
	movq	$0x200083, pd + 8(%rip)
	lea	pml4(%rip), %rax
	mov	%rax, %cr3

	EXPECT	6, 0, e_ud
	ud2
	CAUGHT	6, 0, e_ud
	lea	m_ud(%rip), %rsi
	call	puts

	EXPECT	14, 0, e_pf_read
	mov	UNMAPPED, %rax
	CAUGHT	14, 0, e_pf_read		/* not present, read */
	lea	e_cr2(%rip), %rsi
	cmpq	$UNMAPPED, fault_cr2(%rip)
	jne	fail
	EXPECT	14, 2, e_pf_write
	movq	$1, UNMAPPED + 8
	CAUGHT	14, 2, e_pf_write		/* not present, write */
	lea	e_cr2(%rip), %rsi
	cmpq	$(UNMAPPED + 8), fault_cr2(%rip)
	jne	fail
	lea	m_pf(%rip), %rsi
	call	puts

	EXPECT	13, 0x1230, e_gp
	mov	$0x1233, %ax			/* index 0x246, GDT, RPL 3 */
	mov	%ax, %ds
	CAUGHT	13, 0x1230, e_gp		/* error code: selector & ~3 */
	lea	m_gp(%rip), %rsi
	call	puts
	PASS

fail:	call	puts
	FAIL

	PUTS_FN puts

	.section .rodata
m_ud:		.asciz	"exceptions: #UD from ud2 caught: ok\n"
m_pf:		.asciz	"exceptions: #PF read/write with CR2 and error code: ok\n"
m_gp:		.asciz	"exceptions: #GP(0x1230) from a bad selector caught: ok\n"
e_ud:		.asciz	"exceptions: ud2 did not raise #UD\n"
e_pf_read:	.asciz	"exceptions: reading an unmapped page did not raise #PF(0)\n"
e_pf_write:	.asciz	"exceptions: writing an unmapped page did not raise #PF(2)\n"
e_cr2:		.asciz	"exceptions: CR2 does not hold the faulting address\n"
e_gp:		.asciz	"exceptions: a bad selector did not raise #GP(0x1230)\n"

	.bss
	.balign	4096
pml4:	.skip	4096
pdpt:	.skip	4096
pd:	.skip	4096
	.skip	8192
stack_top:
