/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cpuid - checks what vmxlab's CPUID tells a guest: the hypervisor bit
 * (CPUID.1:ECX[31]) set, VMX (CPUID.1:ECX[5]) hidden, and the signature
 * "vmxlabvmxlab" at leaf 0x40000000.  ELF32, protected mode.
 */
#include "lib.S"

	.code32
	.text
	.globl	_start
_start:
	cli
	mov	$stack_top, %esp

	mov	$1, %eax
	xor	%ecx, %ecx
	cpuid
	mov	%ecx, leaf1_ecx
	bt	$31, %ecx
	jnc	no_hv
	mov	$msg_hv, %esi
	call	puts
	mov	leaf1_ecx, %ecx
	bt	$5, %ecx
	jc	has_vmx
	mov	$msg_novmx, %esi
	call	puts

	mov	$0x40000000, %eax
	xor	%ecx, %ecx
	cpuid
	mov	%ebx, sig
	mov	%ecx, sig + 4
	mov	%edx, sig + 8
	mov	$msg_sig, %esi
	call	puts
	mov	$sig, %esi
	call	puts
	PUTC	'\n'
	cmpl	$0x6c786d76, sig	/* "vmxl" */
	jne	bad_sig
	cmpl	$0x6d766261, sig + 4	/* "abvm" */
	jne	bad_sig
	cmpl	$0x62616c78, sig + 8	/* "xlab" */
	jne	bad_sig
	mov	$msg_ok, %esi
	call	puts
	PASS

no_hv:	mov	$msg_no_hv, %esi
	jmp	fail
has_vmx:
	mov	$msg_vmx, %esi
	jmp	fail
bad_sig:
	mov	$msg_bad_sig, %esi
fail:	call	puts
	FAIL

	PUTS_FN puts

	.section .rodata
msg_hv:		.asciz	"cpuid: hypervisor bit set\n"
msg_novmx:	.asciz	"cpuid: VMX hidden\n"
msg_sig:	.asciz	"cpuid: leaf 0x40000000 signature: "
msg_ok:		.asciz	"cpuid: ok\n"
msg_no_hv:	.asciz	"cpuid: CPUID.1:ECX[31] (hypervisor) is clear\n"
msg_vmx:	.asciz	"cpuid: CPUID.1:ECX[5] (VMX) is visible to the guest\n"
msg_bad_sig:	.asciz	"cpuid: the signature is not vmxlabvmxlab\n"

	.bss
leaf1_ecx:	.long	0
sig:		.skip	16		/* 12 characters and a NUL */
	.balign	16
	.skip	4096
stack_top:
