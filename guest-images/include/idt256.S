/* SPDX-License-Identifier: GPL-2.0 */
/*
 * idt256.S - a 64-bit GDT and a full 256-vector IDT for the guests that
 * take interrupts (intr.h is its C side).  idt64.S stays as it is for the
 * guests that only catch exceptions.
 *
 *   idt256_init()                     GDT, IDT, all vectors unhandled
 *   idt256_set_handler(vec, fn)       fn(struct intr_frame *) for vec
 *   apic_eoi()                        EOI to the local APIC, xAPIC or
 *                                     x2APIC as apic_x2apic says
 *
 * Every vector enters through a 16-byte stub that pushes an error code
 * (0 where the CPU pushes none) and the vector, then `common` saves the
 * 15 GPRs and calls the vector's handler with RDI = the frame (SysV ABI:
 * asm handlers may clobber RAX, RCX, RDX, RSI, RDI, R8-R11).  The handler
 * may change the frame (RIP, RFLAGS, registers); IRETQ uses it.  A vector
 * with no handler prints its number and RIP and FAILs the run.
 *
 * All gates are interrupt gates (type 0xE): delivery clears RFLAGS.IF
 * (SDM Vol. 3A 6.12.1), so a handler runs with interrupts off until it
 * executes STI itself or IRETQ restores the interrupted RFLAGS.
 */
#include "lib.S"

#define SEL_CODE64	0x08
#define SEL_DATA	0x10
#define APIC_EOI_GPA	0xfee000b0	/* SDM 11.8.5, Table 11-1 */
#define X2APIC_EOI_MSR	0x80b		/* SDM 11.12.1.2, Table 11-6 */

	.code64
	.text
	.globl	idt256_init
idt256_init:
	lgdt	gdt_desc(%rip)
	pushq	$SEL_CODE64
	lea	1f(%rip), %rax
	push	%rax
	lretq
1:	mov	$SEL_DATA, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss

	/* 256 gates: 16 bytes each in long mode (SDM 6.14.1, Figure 6-8). */
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
	cmp	$256, %ecx
	jne	2b
	lidt	idt_desc(%rip)
	ret

/* idt256_set_handler(unsigned vec, void (*fn)(struct intr_frame *)) */
	.globl	idt256_set_handler
idt256_set_handler:
	movzbl	%dil, %edi
	lea	idt_handlers(%rip), %rax
	mov	%rsi, (%rax,%rdi,8)
	ret

/* apic_eoi(): any value written to the xAPIC EOI register signals EOI;
 * the x2APIC EOI MSR takes only 0 (other values #GP, SDM 11.12.1.2).
 * Clobbers RAX, RCX, RDX. */
	.globl	apic_eoi
apic_eoi:
	cmpb	$0, apic_x2apic(%rip)
	jne	1f
	mov	$APIC_EOI_GPA, %eax
	movl	$0, (%rax)
	ret
1:	mov	$X2APIC_EOI_MSR, %ecx
	xor	%eax, %eax
	xor	%edx, %edx
	wrmsr
	ret

/* The CPU pushes an error code for 8, 10-14, 17 and 21 only (SDM 6.15);
 * for the others the stub pushes 0 so that every frame looks the same.
 * pushq $0 (2 bytes), pushq $vec (2 or 5), jmp (5): 12 bytes at most,
 * so stub n is at stubs + 16 * n. */
	.balign	16
stubs:
	.set	vec, 0
	.rept	256
	.balign	16
	.if (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17) || (vec == 21)
	.else
	pushq	$0
	.endif
	pushq	$vec
	jmp	common
	.set	vec, vec + 1
	.endr

/*
 * In 64-bit mode the CPU aligns RSP to 16 bytes before it pushes SS, RSP,
 * RFLAGS, CS, RIP and the error code (SDM 6.14.2): 48 bytes with ours;
 * the vector and 15 GPRs make 176, so RSP is 16-byte aligned at the call
 * as the ABI wants.  The stack is the interrupted one (CPL 0 to CPL 0, no
 * IST): a nested interrupt pushes its frame below this one.
 */
common:
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	cld
	mov	%rsp, %rdi
	mov	15 * 8(%rsp), %rax		/* the vector */
	lea	idt_handlers(%rip), %rcx
	mov	(%rcx,%rax,8), %rax
	test	%rax, %rax
	jz	unexpected
	call	*%rax
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	add	$16, %rsp			/* vector, error code */
	iretq

unexpected:
	lea	msg_vector(%rip), %rsi
	call	idt256_puts
	mov	15 * 8(%rsp), %eax
	call	idt256_hex
	lea	msg_rip(%rip), %rsi
	call	idt256_puts
	mov	17 * 8 + 4(%rsp), %eax		/* RIP 63:32 */
	call	idt256_hex
	mov	17 * 8(%rsp), %eax		/* RIP 31:0 */
	call	idt256_hex
	lea	msg_error(%rip), %rsi
	call	idt256_puts
	mov	16 * 8(%rsp), %eax
	call	idt256_hex
	PUTC	'\n'
	FAIL

	PUTS_FN idt256_puts
	HEX_FN idt256_hex

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
	.word	256 * 16 - 1
	.quad	idt
msg_vector:	.asciz	"idt256: unexpected vector 0x"
msg_rip:	.asciz	" at RIP 0x"
msg_error:	.asciz	", error code 0x"

	.data
	.globl	apic_x2apic
apic_x2apic:	.byte	0	/* 1 once IA32_APIC_BASE.EXTD is set */

	.bss
	.balign	16
	.globl	idt_handlers
idt_handlers:	.skip	256 * 8
idt:		.skip	256 * 16
