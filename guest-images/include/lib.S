/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lib.S - assembly helpers shared by the guest images, as GNU as macros.
 *
 * The same instruction text assembles in 16-, 32- and 64-bit code: lodsb
 * uses SI, ESI or RSI, and the 32-bit registers are reachable in every
 * mode.  Instantiate each routine once in the mode that calls it.
 */
#include "guest.h"

/* PUTS_FN name: print the NUL-terminated string at (E/R)SI; clobbers
 * AL, DX, SI. */
.macro PUTS_FN name
\name:
1:	lodsb
	test	%al, %al
	jz	2f
	mov	$COM1, %dx
	out	%al, (%dx)
	jmp	1b
2:	ret
.endm

/* HEX_FN name: print EAX as 8 hex digits; clobbers EAX, EBX, ECX, EDX. */
.macro HEX_FN name
\name:
	mov	%eax, %ebx
	mov	$8, %ecx
1:	rol	$4, %ebx
	mov	%ebx, %eax
	and	$0xf, %eax
	cmp	$10, %al
	jb	2f
	add	$('a' - '0' - 10), %al
2:	add	$'0', %al
	mov	$COM1, %dx
	out	%al, (%dx)
	dec	%ecx
	jnz	1b
	ret
.endm

/* PUTC 'c': print one character; clobbers AL, DX. */
.macro PUTC c
	mov	$\c, %al
	mov	$COM1, %dx
	out	%al, (%dx)
.endm

/* Ends the run with status 33 (PASS) or 35 (FAIL). */
.macro PASS
	mov	$GUEST_PASS, %al
	out	%al, $DEBUG_EXIT
	cli
	hlt
.endm

.macro FAIL
	mov	$GUEST_FAIL, %al
	out	%al, $DEBUG_EXIT
	cli
	hlt
.endm
