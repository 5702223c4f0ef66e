/* SPDX-License-Identifier: GPL-2.0 */
/*
 * msr - RDMSR/WRMSR round trips of IA32_SYSENTER_CS, IA32_LSTAR and
 * IA32_PAT, a jump of IA32_TSC by 2^40 seen by RDTSC, and RDMSR of the
 * nonexistent MSR 0x12345, whose #GP(0) the guest's own IDT handler
 * catches.  ELF64, long mode.
 */
#include "lib.S"

.macro WRMSR64 msr, hi, lo
	mov	$\msr, %ecx
	mov	$\hi, %edx
	mov	$\lo, %eax
	wrmsr
.endm

/* RDMSR and FAIL with @what unless EDX:EAX == hi:lo. */
.macro EXPECT_MSR msr, hi, lo, what
	mov	$\msr, %ecx
	rdmsr
	lea	\what(%rip), %rsi
	cmp	$\lo, %eax
	jne	fail
	cmp	$\hi, %edx
	jne	fail
.endm

	.code64
	.text
	.globl	_start
_start:
	cli
	lea	stack_top(%rip), %rsp
	call	idt64_init

	WRMSR64	0x174, 0, 0x10			/* IA32_SYSENTER_CS */
	EXPECT_MSR 0x174, 0, 0x10, e_sysenter
	WRMSR64	0xc0000082, 0xffffffff, 0x81234560	/* IA32_LSTAR */
	EXPECT_MSR 0xc0000082, 0xffffffff, 0x81234560, e_lstar
	WRMSR64	0x277, 0x00070106, 0x00070106	/* IA32_PAT */
	EXPECT_MSR 0x277, 0x00070106, 0x00070106, e_pat
	WRMSR64	0x277, 0x00070406, 0x00070406	/* back to the default */
	lea	m_rw(%rip), %rsi
	call	puts

	/* TSC += 2^40: RDTSC must then count on from the new value. */
	rdtsc
	add	$0x100, %edx
	mov	%edx, %r13d			/* high half written */
	mov	$0x10, %ecx			/* IA32_TSC */
	wrmsr
	rdtsc
	cmp	%r13d, %edx
	jb	bad_tsc
	sub	%r13d, %edx
	cmp	$0x10, %edx			/* and not run away */
	ja	bad_tsc
	lea	m_tsc(%rip), %rsi
	call	puts

	lea	1f(%rip), %rax
	mov	%rax, fault_resume(%rip)
	mov	$0x12345, %ecx
	rdmsr
	lea	e_nogp(%rip), %rsi
	jmp	fail
1:	lea	e_vector(%rip), %rsi
	cmpq	$13, fault_vector(%rip)
	jne	fail
	cmpq	$0, fault_error(%rip)
	jne	fail
	lea	m_gp(%rip), %rsi
	call	puts
	PASS

fail:	call	puts
	FAIL

bad_tsc:
	mov	%edx, %r12d
	lea	e_tsc(%rip), %rsi
	call	puts
	mov	%r12d, %eax
	call	hex
	PUTC	'\n'
	FAIL

	PUTS_FN puts
	HEX_FN hex

	.section .rodata
m_rw:		.asciz	"msr: SYSENTER_CS, LSTAR, PAT read back: ok\n"
m_tsc:		.asciz	"msr: TSC write seen by RDTSC: ok\n"
m_gp:		.asciz	"msr: RDMSR 0x12345 raised #GP(0), caught: ok\n"
e_sysenter:	.asciz	"msr: IA32_SYSENTER_CS did not read back\n"
e_lstar:	.asciz	"msr: IA32_LSTAR did not read back\n"
e_pat:		.asciz	"msr: IA32_PAT did not read back\n"
e_tsc:		.asciz	"msr: RDTSC does not follow the IA32_TSC write; high half off by 0x"
e_nogp:		.asciz	"msr: RDMSR 0x12345 did not fault\n"
e_vector:	.asciz	"msr: RDMSR 0x12345 raised the wrong exception\n"

	.bss
	.balign	16
	.skip	8192
stack_top:
