/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lab04 - the guest that checks the loader's random number generator
 * (Documentation/labs/04-rng-device.rst).  You do not change it: it is
 * the lab's test.  A flat real-mode image, entered at 0x1000.
 *
 * The device: port 0x540 (DATA, 32-bit, read-only): each IN returns the
 * next 32-bit value, truncated to the size of the access.  Port 0x544
 * (CTRL, 32-bit): IN returns the identifier 0x21474e52 ("RNG!"); OUT of a
 * non-zero value makes the generator xorshift32 seeded with it, OUT of 0
 * returns to the host's random numbers.
 */
#include "lib.S"

#define RNG_DATA	0x540
#define RNG_CTRL	0x544
#define RNG_ID		0x21474e52

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

	mov	$RNG_CTRL, %dx
	in	(%dx), %eax
	cmp	$RNG_ID, %eax
	jne	bad_id
	mov	$ok_id, %si
	call	puts

	/* Seeded with 1, xorshift32 gives these five values. */
	mov	$RNG_CTRL, %dx
	mov	$1, %eax
	out	%eax, (%dx)
	mov	$RNG_DATA, %dx
	in	(%dx), %eax
	cmp	$0x00042021, %eax
	jne	bad_seq
	in	(%dx), %eax
	cmp	$0x04080601, %eax
	jne	bad_seq
	in	(%dx), %eax
	cmp	$0x9dcca8c5, %eax
	jne	bad_seq
	mov	$ok_seq, %si
	call	puts

	/* A 16-bit and an 8-bit IN each take one value, truncated. */
	mov	$RNG_DATA, %dx
	in	(%dx), %ax
	cmp	$0x994f, %ax		/* 0x1255994f */
	jne	bad_size
	in	(%dx), %al
	cmp	$0xd1, %al		/* 0x8ef917d1 */
	jne	bad_size
	mov	$ok_size, %si
	call	puts

	/* The same seed again starts the same sequence again. */
	mov	$RNG_CTRL, %dx
	mov	$1, %eax
	out	%eax, (%dx)
	mov	$RNG_DATA, %dx
	in	(%dx), %eax
	cmp	$0x00042021, %eax
	jne	bad_reseed
	mov	$ok_reseed, %si
	call	puts

	/* Seed 0: the host's random numbers, no two alike (almost surely). */
	mov	$RNG_CTRL, %dx
	xor	%eax, %eax
	out	%eax, (%dx)
	mov	$RNG_DATA, %dx
	in	(%dx), %eax
	mov	%eax, %ebx
	in	(%dx), %eax
	mov	%eax, %ecx
	in	(%dx), %eax
	mov	%eax, %esi
	in	(%dx), %eax
	mov	%eax, %edi
	cmp	$0x00042021, %ebx	/* still xorshift32 from seed 1? */
	je	bad_random
	cmp	$0xffffffff, %ebx	/* nobody answers? */
	je	bad_random
	cmp	%ebx, %ecx
	je	bad_random
	cmp	%ecx, %esi
	je	bad_random
	cmp	%esi, %edi
	je	bad_random
	mov	$ok_random, %si
	call	puts
	PASS

bad_id:
	mov	$no_id, %si
	jmp	fail
bad_seq:
	mov	$no_seq, %si
	jmp	fail
bad_size:
	mov	$no_size, %si
	jmp	fail
bad_reseed:
	mov	$no_reseed, %si
	jmp	fail
bad_random:
	mov	$no_random, %si
fail:
	call	puts
	FAIL

	PUTS_FN puts

	.section .rodata
ok_id:		.asciz	"lab04: CTRL reads the identifier RNG!: ok\n"
ok_seq:		.asciz	"lab04: xorshift32 from seed 1: ok\n"
ok_size:	.asciz	"lab04: 16- and 8-bit reads take one value each: ok\n"
ok_reseed:	.asciz	"lab04: the same seed restarts the sequence: ok\n"
ok_random:	.asciz	"lab04: seed 0 gives the host's random numbers: ok\n"
no_id:		.asciz	"lab04: CTRL (port 0x544) does not read 0x21474e52\n"
no_seq:		.asciz	"lab04: the values after seed 1 are not xorshift32's\n"
no_size:	.asciz	"lab04: a 16- or 8-bit read is not the next value, truncated\n"
no_reseed:	.asciz	"lab04: seeding with 1 again does not restart the sequence\n"
no_random:	.asciz	"lab04: after seed 0 the values are not random\n"
