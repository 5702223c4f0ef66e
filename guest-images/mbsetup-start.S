/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbsetup-start.S - entry of mbsetup: a multiboot v1 kernel that climbs
 * to long mode by itself, as test kernels do, before its C part runs:
 *
 *   1. its own GDT: the boot loader's GDTR may be invalid (multiboot
 *      specification, 3.2 "Machine state");
 *   2. page tables that identity-map the first 4 GiB with 2 MiB pages,
 *      the last GiB (the APIC, the scratch device) uncached;
 *   3. CR4.PAE, CR3, EFER.LME, then CR0.PG, and a far jump to a 64-bit
 *      code segment (SDM Vol. 3A 10.8.5 "Initializing IA-32e Mode");
 *   4. an IDT for the 32 exception vectors, each to a stub that calls
 *      mbsetup_exception() in C with the frame (SDM Vol. 3A 6.14.2
 *      "64-Bit Mode Stack Frame").
 *
 * Assembled as a 64-bit object; the first part is .code32.  mbsetup.c
 * has the rest, and mbsetup_main()'s return value goes to the
 * debug-exit port.
 */
#include "guest.h"

/* Header flags: modules page-aligned (0), memory information (1). */
#define MB_FLAGS	0x3

#define SEL_CODE32	0x08
#define SEL_CODE64	0x10
#define SEL_DATA	0x18

#define CR0_PE		0x00000001
#define CR0_PG		0x80000000
#define CR4_PAE		0x00000020
#define MSR_EFER	0xc0000080
#define EFER_LME	0x00000100

/* Page-table entry bits (SDM Vol. 3A 4.5, Tables 4-15, 4-17 and 4-18). */
#define PTE_P		0x001
#define PTE_RW		0x002
#define PTE_PWT		0x008
#define PTE_PCD		0x010
#define PTE_PS		0x080

/* Bytes between two exception stubs. */
#define STUB_SIZE	16

	.section .multiboot, "a"
	.balign	4
	.long	MB_HEADER_MAGIC
	.long	MB_FLAGS
	.long	-(MB_HEADER_MAGIC + MB_FLAGS)

	.code32
	.section .text.start, "ax"
	.globl	_start
_start:
	cli
	mov	$stack_top, %esp
	mov	%eax, mb_magic
	mov	%ebx, mb_info

	lgdt	gdt_desc
	ljmp	$SEL_CODE32, $1f
1:	mov	$SEL_DATA, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	%ax, %fs
	mov	%ax, %gs

	/* The tables are in .bss; whoever loaded us may not have zeroed it. */
	cld
	mov	$page_tables, %edi
	mov	$(page_tables_end - page_tables) / 4, %ecx
	xor	%eax, %eax
	rep stosl

	/* PML4[0] -> PDPT; PDPT[0..3] -> the four page directories. */
	movl	$pdpt + (PTE_P | PTE_RW), pml4
	mov	$pd + (PTE_P | PTE_RW), %eax
	xor	%ecx, %ecx
2:	mov	%eax, pdpt(, %ecx, 8)
	add	$4096, %eax
	inc	%ecx
	cmp	$4, %ecx
	jne	2b

	/* 2048 PDEs of 2 MiB each; from 3 GiB on, devices: PCD | PWT. */
	xor	%ecx, %ecx
3:	mov	%ecx, %eax
	shl	$21, %eax
	or	$(PTE_P | PTE_RW | PTE_PS), %eax
	cmp	$1536, %ecx
	jb	4f
	or	$(PTE_PCD | PTE_PWT), %eax
4:	mov	%eax, pd(, %ecx, 8)
	inc	%ecx
	cmp	$2048, %ecx
	jne	3b

	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$pml4, %eax
	mov	%eax, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	%cr0, %eax
	or	$(CR0_PG | CR0_PE), %eax
	mov	%eax, %cr0
	/* IA-32e mode is active (EFER.LMA); this jump enters 64-bit code. */
	ljmp	$SEL_CODE64, $start64

	.code64
start64:
	mov	$SEL_DATA, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	%ax, %fs
	mov	%ax, %gs
	lea	stack_top(%rip), %rsp

	/* 32 interrupt gates, one per exception vector, each to its stub. */
	lea	idt(%rip), %rdi
	lea	stubs(%rip), %rax
	xor	%ecx, %ecx
5:	mov	%ax, (%rdi)			/* offset 15:0 */
	movw	$SEL_CODE64, 2(%rdi)
	movw	$0x8e00, 4(%rdi)		/* P, DPL 0, interrupt gate */
	mov	%rax, %rdx
	shr	$16, %rdx
	mov	%dx, 6(%rdi)			/* offset 31:16 */
	shr	$16, %rdx
	mov	%edx, 8(%rdi)			/* offset 63:32 */
	movl	$0, 12(%rdi)
	add	$16, %rdi
	add	$STUB_SIZE, %rax
	inc	%ecx
	cmp	$32, %ecx
	jne	5b
	lidt	idt_desc(%rip)

	mov	mb_magic(%rip), %edi
	mov	mb_info(%rip), %esi
	call	mbsetup_main
	out	%al, $DEBUG_EXIT
6:	cli
	hlt
	jmp	6b

/*
 * Exception stubs, STUB_SIZE bytes apart.  Vectors 8, 10-14, 17 and 21
 * push an error code (SDM Vol. 3A 6.15); the others get a 0 in its
 * place, so that every frame has the same shape.
 */
.macro STUB vec
	.balign	STUB_SIZE
	.if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || \
	    (\vec == 21)
	pushq	$\vec
	jmp	exception_common
	.else
	pushq	$0
	pushq	$\vec
	jmp	exception_common
	.endif
.endm

	.balign	STUB_SIZE
stubs:
	.irp	v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	STUB	\v
	.endr
	.irp	v, 16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	STUB	\v
	.endr

/*
 * The caller-saved registers, then mbsetup_exception(frame): it either
 * ends the run or moves the frame's RIP to where an expected fault
 * resumes.  The processor aligned RSP to 16 bytes before its 5 pushes;
 * with the error code, the vector and 9 registers, the call below is
 * made on a 16-byte boundary as the ABI wants.
 */
exception_common:
	push	%rax
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	mov	%rsp, %rdi
	call	mbsetup_exception
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rax
	add	$16, %rsp			/* vector and error code */
	iretq

	.section .rodata
	.balign	8
gdt:
	.quad	0
	.quad	0x00cf9b000000ffff	/* 0x08: 32-bit code, 4 GiB */
	.quad	0x00af9b000000ffff	/* 0x10: 64-bit code (L = 1) */
	.quad	0x00cf93000000ffff	/* 0x18: data, 4 GiB */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.quad	gdt			/* 32-bit LGDT uses the low 4 bytes */
idt_desc:
	.word	32 * 16 - 1
	.quad	idt

	.data
	.balign	4
	.globl	mb_magic, mb_info
mb_magic:	.long	0
mb_info:	.long	0

	.bss
	.balign	4096
page_tables:
pml4:	.skip	4096
pdpt:	.skip	4096
pd:	.skip	4 * 4096
page_tables_end:
idt:	.skip	32 * 16
	.balign	16
	.skip	16384
stack_top:
