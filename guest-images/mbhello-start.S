/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mbhello-start.S - multiboot v1 header and entry of mbhello.
 * Flags: modules page-aligned (0) and memory information (1).
 */
#include "guest.h"

#define MB_FLAGS	0x3

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
	push	%ebx			/* multiboot information */
	push	%eax			/* magic */
	call	kmain
	out	%al, $DEBUG_EXIT
1:	cli
	hlt
	jmp	1b

	.bss
	.balign	16
	.skip	16384
stack_top:
