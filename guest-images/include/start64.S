/* SPDX-License-Identifier: GPL-2.0 */
/*
 * start64.S - entry of the 64-bit C guests: a stack, then main(); its
 * return value (GUEST_PASS or GUEST_FAIL) goes to the debug-exit port.
 */
#include "guest.h"

	.code64
	.section .text.start, "ax"
	.globl	_start
_start:
	cli
	lea	stack_top(%rip), %rsp
	call	main
	out	%al, $DEBUG_EXIT
1:	cli
	hlt
	jmp	1b

	.bss
	.balign	16
	.skip	16384
stack_top:
