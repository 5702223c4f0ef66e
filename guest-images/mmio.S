/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmio - memory-mapped I/O.  Reads the local APIC's version register
 * (0xfee00030: version 0x14, an integrated APIC, in bits 7:0; the LVT
 * count above it differs between hypervisors) and ID (0), checks that
 * ICR never shows a send pending, and round-trips 8-, 16- and 32-bit values through
 * vmxlab's scratch device at 0xd0000000.  An address nothing decodes reads
 * all-ones.  ELF32, protected mode, paging off, plain MOV instructions.
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

	mov	APIC_GPA + 0x30, %eax
	and	$0xff, %eax
	CHECK	%eax, 0x14, e_version
	mov	APIC_GPA + 0x20, %eax
	CHECK	%eax, 0, e_id
	mov	$m_apic, %esi
	call	puts

	movl	$0x000c4500, APIC_GPA + 0x310	/* ICR high */
	movl	$0x000c4500, APIC_GPA + 0x300	/* ICR low: INIT IPI */
	mov	APIC_GPA + 0x300, %eax
	test	$0x1000, %eax			/* delivery status */
	jz	1f
	mov	$e_icr, %esi
	jmp	fail
1:	mov	$m_icr, %esi
	call	puts

	movl	$0x12345678, SCRATCH_GPA
	mov	SCRATCH_GPA, %eax
	CHECK	%eax, 0x12345678, e_scratch32
	movw	$0xbeef, SCRATCH_GPA
	xor	%eax, %eax
	mov	SCRATCH_GPA, %ax
	CHECK	%eax, 0xbeef, e_scratch16
	movb	$0xa5, SCRATCH_GPA
	xor	%eax, %eax
	mov	SCRATCH_GPA, %al
	CHECK	%eax, 0xa5, e_scratch8
	mov	$0xcafef00d, %ebx
	mov	%ebx, SCRATCH_GPA + 8
	mov	SCRATCH_GPA + 8, %ecx
	CHECK	%ecx, 0xcafef00d, e_scratch32
	mov	$m_scratch, %esi
	call	puts

	mov	0xe0000000, %eax
	CHECK	%eax, 0xffffffff, e_unknown
	mov	$m_unknown, %esi
	call	puts
	PASS

fail:	call	puts
	FAIL

	PUTS_FN puts

	.section .rodata
m_apic:		.asciz	"mmio: xAPIC version 0x14, ID 0: ok\n"
m_icr:		.asciz	"mmio: ICR delivery status reads idle: ok\n"
m_scratch:	.asciz	"mmio: scratch device 8/16/32-bit round trips: ok\n"
m_unknown:	.asciz	"mmio: unmapped address reads all-ones: ok\n"
e_version:	.asciz	"mmio: xAPIC version (bits 7:0) is not 0x14\n"
e_id:		.asciz	"mmio: xAPIC ID is not 0\n"
e_icr:		.asciz	"mmio: ICR reports a send pending\n"
e_scratch32:	.asciz	"mmio: 32-bit scratch round trip failed\n"
e_scratch16:	.asciz	"mmio: 16-bit scratch round trip failed\n"
e_scratch8:	.asciz	"mmio: 8-bit scratch round trip failed\n"
e_unknown:	.asciz	"mmio: unmapped address did not read all-ones\n"

	.bss
	.balign	16
	.skip	4096
stack_top:
