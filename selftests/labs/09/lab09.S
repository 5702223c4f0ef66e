/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lab09 - long mode from scratch (Documentation/labs/09-long-mode.rst).
 *
 * A flat image, loaded at 0x1000 and entered in real mode, with nothing
 * prepared: no GDT, no page tables (the loader builds those only for
 * --mode protected and long).  Take it to 64-bit mode yourself:
 *
 *   - a GDT with a 64-bit code segment (and a data segment),
 *   - 4-level page tables that identity-map at least the first 4 MiB and
 *     also map the virtual address 0xffff800000000000 to the physical
 *     address 0x200000,
 *   - CR4.PAE, CR3, EFER.LME, then CR0.PG (and PE), and a far jump to the
 *     64-bit code segment;
 *
 * then, in 64-bit mode, print "lab09: hello from long mode" (and a
 * newline) on COM1 and execute HLT.  As given, it stays in real mode.
 */
#include "lib.S"

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
	mov	$real, %si
	call	puts16

	/* TODO: everything.  Leave with HLT once in 64-bit mode. */
	hlt

	PUTS_FN puts16

	.section .rodata
real:	.asciz	"lab09: starting in real mode\n"
