/* SPDX-License-Identifier: GPL-2.0 */
/*
 * idt64.S - a 64-bit GDT and IDT for guests that catch their own
 * exceptions.  Link it in and call idt64_init (clobbers RAX, RCX, RDI).
 *
 * To expect a fault, store the address to resume at in fault_resume; the
 * handler records the vector, the error code (0 if none) and CR2, then
 * returns there.  An exception nobody expected prints its vector and
 * FAILs the run.
 */
#include "lib.S"

#define SEL_CODE64	0x08
#define SEL_DATA	0x10

	.code64
	.text
	.globl	idt64_init
idt64_init:
	lgdt	gdt_desc
	/* Reload CS with a far return, the data segments by hand. */
	pushq	$SEL_CODE64
	lea	1f(%rip), %rax
	push	%rax
	lretq
1:	mov	$SEL_DATA, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss

	/* 32 interrupt gates, each to its stub (stubs are 16 bytes). */
	lea	idt(%rip), %rdi
	lea	stubs(%rip), %rax
	xor	%ecx, %ecx
2:	mov	%ax, (%rdi)			/* offset 15:0 */
	movw	$SEL_CODE64, 2(%rdi)
	movw	$0x8e00, 4(%rdi)		/* present, DPL0, 64-bit intr gate */
	mov	%rax, %rdx
	shr	$16, %rdx
	mov	%dx, 6(%rdi)			/* offset 31:16 */
	shr	$16, %rdx
	mov	%edx, 8(%rdi)			/* offset 63:32 */
	movl	$0, 12(%rdi)
	add	$16, %rdi
	add	$16, %rax
	inc	%ecx
	cmp	$32, %ecx
	jne	2b
	lidt	idt_desc
	ret

/* Vectors that push an error code: 8, 10-14, 17, 21. */
.macro STUB vec
	.balign	16
	.if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21)
	pushq	$\vec
	jmp	common
	.else
	pushq	$0
	pushq	$\vec
	jmp	common
	.endif
.endm

	.balign	16
stubs:
	.irp	v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	STUB	\v
	.endr

/* Stack: vector, error code, RIP, CS, RFLAGS, RSP, SS. */
common:
	push	%rax
	mov	8(%rsp), %rax
	mov	%rax, fault_vector(%rip)
	mov	16(%rsp), %rax
	mov	%rax, fault_error(%rip)
	mov	%cr2, %rax
	mov	%rax, fault_cr2(%rip)
	incq	fault_count(%rip)
	mov	fault_resume(%rip), %rax
	test	%rax, %rax
	jz	unexpected
	mov	%rax, 24(%rsp)
	movq	$0, fault_resume(%rip)
	pop	%rax
	add	$16, %rsp
	iretq

unexpected:
	lea	msg_unexpected(%rip), %rsi
	call	idt64_puts
	mov	fault_vector(%rip), %eax
	call	idt64_hex
	PUTC	'\n'
	FAIL

	PUTS_FN idt64_puts
	HEX_FN idt64_hex

	.section .rodata
	.balign	8
gdt:
	.quad	0
	.quad	0x00af9b000000ffff	/* 0x08: 64-bit code */
	.quad	0x00cf93000000ffff	/* 0x10: data */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.quad	gdt
idt_desc:
	.word	32 * 16 - 1
	.quad	idt
msg_unexpected:	.asciz	"unexpected exception, vector 0x"

	.data
	.balign	8
	.globl	fault_vector, fault_error, fault_cr2, fault_resume, fault_count
fault_vector:	.quad	0
fault_error:	.quad	0
fault_cr2:	.quad	0
fault_resume:	.quad	0
fault_count:	.quad	0

	.bss
	.balign	16
idt:	.skip	32 * 16
