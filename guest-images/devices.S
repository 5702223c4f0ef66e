/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devices - the rest of the PC, as a firmware would probe it: the fw_cfg
 * signature and CPU count, the CMOS status and base-memory bytes, and the
 * PIC initialisation sequence followed by a mask that reads back.
 * Flat, real mode.
 */
#include "lib.S"

.macro CHECK reg, value, what
	cmp	$\value, \reg
	je	1f
	mov	$\what, %si
	jmp	fail
1:
.endm

/* AL := CMOS register \idx */
.macro CMOS idx
	mov	$\idx, %al
	out	%al, $0x70
	in	$0x71, %al
.endm

	.code16
	.text
	.globl	_start
_start:
	cli
	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %ss
	mov	$0x1000, %sp

	/* fw_cfg: select the signature, read four bytes. */
	mov	$0x510, %dx
	xor	%ax, %ax
	out	%ax, (%dx)
	mov	$0x511, %dx
	xor	%ebx, %ebx
	mov	$4, %cx
2:	in	(%dx), %al
	shl	$8, %ebx
	mov	%al, %bl
	dec	%cx
	jnz	2b
	CHECK	%ebx, 0x51454d55, e_sig		/* "QEMU", first byte high */
	mov	$0x510, %dx
	mov	$0x0005, %ax			/* number of CPUs */
	out	%ax, (%dx)
	mov	$0x511, %dx
	in	(%dx), %al
	CHECK	%al, 1, e_cpus
	mov	$m_fwcfg, %si
	call	puts

	CMOS	0x0d
	CHECK	%al, 0x80, e_cmos_d
	CMOS	0x0a
	test	$0x80, %al			/* no update in progress */
	jz	3f
	mov	$e_cmos_a, %si
	jmp	fail
3:	CMOS	0x15
	CHECK	%al, 0x80, e_cmos_mem
	CMOS	0x16
	CHECK	%al, 0x02, e_cmos_mem		/* 0x280 = 640 KiB */
	mov	$m_cmos, %si
	call	puts

	mov	$0x11, %al			/* ICW1 */
	out	%al, $0x20
	out	%al, $0xa0
	mov	$0x20, %al			/* ICW2: vectors */
	out	%al, $0x21
	mov	$0x28, %al
	out	%al, $0xa1
	mov	$0x04, %al			/* ICW3 */
	out	%al, $0x21
	mov	$0x02, %al
	out	%al, $0xa1
	mov	$0x01, %al			/* ICW4 */
	out	%al, $0x21
	out	%al, $0xa1
	in	$0x21, %al
	CHECK	%al, 0, e_pic_init
	mov	$0xfb, %al			/* all but the cascade */
	out	%al, $0x21
	mov	$0xff, %al
	out	%al, $0xa1
	in	$0x21, %al
	CHECK	%al, 0xfb, e_pic_mask
	in	$0xa1, %al
	CHECK	%al, 0xff, e_pic_mask
	mov	$m_pic, %si
	call	puts
	PASS

fail:	call	puts
	FAIL

	PUTS_FN puts

	.section .rodata
m_fwcfg:	.asciz	"devices: fw_cfg signature QEMU, 1 CPU: ok\n"
m_cmos:		.asciz	"devices: CMOS status and 640 KiB base memory: ok\n"
m_pic:		.asciz	"devices: PIC initialised and masked: ok\n"
e_sig:		.asciz	"devices: fw_cfg signature is not QEMU\n"
e_cpus:		.asciz	"devices: fw_cfg CPU count is not 1\n"
e_cmos_d:	.asciz	"devices: CMOS status D is not 0x80\n"
e_cmos_a:	.asciz	"devices: CMOS reports an update in progress\n"
e_cmos_mem:	.asciz	"devices: CMOS base memory is not 640 KiB\n"
e_pic_init:	.asciz	"devices: the PIC mask is not 0 after ICW1-4\n"
e_pic_mask:	.asciz	"devices: the PIC mask did not read back\n"
