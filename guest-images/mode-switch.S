/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mode-switch - a flat real-mode image that climbs to long mode by
 * itself: its own GDT, protected mode, its own identity page tables
 * (1 GiB of 2 MiB pages), PAE, EFER.LME, paging.  It prints in each mode
 * and checks EFER.LMA at the end.
 */
#include "lib.S"

#define SEL_CODE32	0x08
#define SEL_DATA	0x10
#define SEL_CODE64	0x18

	.code16
	.text
	.globl	_start
_start:
	cli
	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$0x1000, %sp
	mov	$msg_real, %si
	call	puts16

	lgdtl	gdt_desc
	mov	%cr0, %eax
	or	$1, %eax		/* PE */
	mov	%eax, %cr0
	ljmpl	$SEL_CODE32, $prot32

	PUTS_FN puts16

	.code32
prot32:
	mov	$SEL_DATA, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$stack_top, %esp
	mov	$msg_prot, %esi
	call	puts32

	/* Page tables live in .bss: clear them, then map 1 GiB. */
	mov	$pml4, %edi
	xor	%eax, %eax
	mov	$(3 * 4096 / 4), %ecx
	rep stosl
	movl	$(pdpt + 3), pml4	/* present, writable */
	movl	$(pd + 3), pdpt
	mov	$pd, %edi
	mov	$0x83, %eax		/* present, writable, 2 MiB page */
	mov	$512, %ecx
1:	mov	%eax, (%edi)
	add	$0x200000, %eax
	add	$8, %edi
	dec	%ecx
	jnz	1b

	mov	%cr4, %eax
	or	$0x20, %eax		/* PAE */
	mov	%eax, %cr4
	mov	$pml4, %eax
	mov	%eax, %cr3
	mov	$0xc0000080, %ecx	/* IA32_EFER */
	rdmsr
	or	$0x100, %eax		/* LME */
	wrmsr
	mov	%cr0, %eax
	or	$0x80000000, %eax	/* PG: LMA follows */
	mov	%eax, %cr0
	ljmp	$SEL_CODE64, $long64

	PUTS_FN puts32

	.code64
long64:
	mov	$SEL_DATA, %ax
	mov	%ax, %ds
	mov	%ax, %ss
	mov	$msg_long, %esi
	call	puts64
	mov	$0xc0000080, %ecx
	rdmsr
	test	$0x400, %eax		/* LMA */
	jz	fail
	mov	$msg_ok, %esi
	call	puts64
	PASS
fail:
	mov	$msg_bad, %esi
	call	puts64
	FAIL

	PUTS_FN puts64

	.section .rodata
	.balign	8
gdt:
	.quad	0
	.quad	0x00cf9b000000ffff	/* 0x08: 32-bit code */
	.quad	0x00cf93000000ffff	/* 0x10: data */
	.quad	0x00af9b000000ffff	/* 0x18: 64-bit code */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	gdt
msg_real:	.asciz	"mode-switch: real mode\n"
msg_prot:	.asciz	"mode-switch: protected mode\n"
msg_long:	.asciz	"mode-switch: long mode\n"
msg_ok:		.asciz	"mode-switch: EFER.LMA=1: ok\n"
msg_bad:	.asciz	"mode-switch: EFER.LMA is clear\n"

	.bss
	.balign	4096
pml4:	.skip	4096
pdpt:	.skip	4096
pd:	.skip	4096
	.skip	4096
stack_top:
