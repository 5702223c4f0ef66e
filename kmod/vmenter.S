/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmenter.S - VM entry and VM exit.
 *
 * VMLAUNCH/VMRESUME load the guest state from the VMCS except the
 * general-purpose registers (other than RSP, RIP, RFLAGS): software swaps
 * those (SDM 27.3.2, 28.5).  A VM exit does not return here: the processor
 * loads RSP and RIP from the host-state area, so HOST_RSP is set to this
 * frame right before entry and HOST_RIP points at vmxlab_vmexit below.
 *
 * int vmxlab_vmenter(unsigned long *gprs, bool launched)
 *   returns 0 after a VM exit, 1 if the entry failed with VMfail (the
 *   VM-instruction error field says why, SDM 31.4), 2 if VMLAUNCH or
 *   VMRESUME faulted (VMX was turned off under us).
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/bitsperlong.h>
#include <asm/msr-index.h>
#include <asm/nospec-branch.h>
#include <asm/percpu.h>
#include <asm/unwind_hints.h>

#include <linux/vmxlab_tables.h>	/* VMCS_HOST_RSP */
#include "gprs.h"

/* The offset of guest register @r in the gprs array (gprs.h). */
#define G(r)	(VCPU_##r * 8)

	.text

SYM_FUNC_START(vmxlab_vmenter)
	push %rbp
	mov %rsp, %rbp
	push %r15
	push %r14
	push %r13
	push %r12
	push %rbx
	/* The gprs pointer, found again at 0(%rsp) after the exit. */
	push %rdi

	/* The exit comes back with exactly this stack pointer. */
	mov $VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax
	jbe .Lvmfail

	/* ZF=1 means VMLAUNCH; no instruction below changes the flags. */
	test %sil, %sil

	mov G(RAX)(%rdi), %rax
	mov G(RCX)(%rdi), %rcx
	mov G(RDX)(%rdi), %rdx
	mov G(RBX)(%rdi), %rbx
	mov G(RBP)(%rdi), %rbp
	mov G(RSI)(%rdi), %rsi
	mov G(R8)(%rdi), %r8
	mov G(R9)(%rdi), %r9
	mov G(R10)(%rdi), %r10
	mov G(R11)(%rdi), %r11
	mov G(R12)(%rdi), %r12
	mov G(R13)(%rdi), %r13
	mov G(R14)(%rdi), %r14
	mov G(R15)(%rdi), %r15
	mov G(RDI)(%rdi), %rdi

	/*
	 * MDS and related: flush CPU buffers right before entering the
	 * guest when the kernel's mitigation asks for it (VERW, patched
	 * in by alternatives; it does not touch the flags).
	 */
	VM_CLEAR_CPU_BUFFERS

	jz .Llaunch
	/*
	 * A successful entry continues at vmxlab_vmexit, not below: tell
	 * objtool to keep the unwind state for that label.
	 */
	UNWIND_HINT_SAVE
.Lresume:
	vmresume
	jmp .Lvmfail
.Llaunch:
	vmlaunch
	jmp .Lvmfail

	_ASM_EXTABLE(.Lresume, .Lfault)
	_ASM_EXTABLE(.Llaunch, .Lfault)

SYM_INNER_LABEL(vmxlab_vmexit, SYM_L_GLOBAL)
	UNWIND_HINT_RESTORE
	ENDBR
	/* RSP is HOST_RSP: 0(%rsp) holds the gprs pointer. */
	push %rdi
	mov 8(%rsp), %rdi
	mov %rax, G(RAX)(%rdi)
	mov %rcx, G(RCX)(%rdi)
	mov %rdx, G(RDX)(%rdi)
	mov %rbx, G(RBX)(%rdi)
	mov %rbp, G(RBP)(%rdi)
	mov %rsi, G(RSI)(%rdi)
	mov %r8, G(R8)(%rdi)
	mov %r9, G(R9)(%rdi)
	mov %r10, G(R10)(%rdi)
	mov %r11, G(R11)(%rdi)
	mov %r12, G(R12)(%rdi)
	mov %r13, G(R13)(%rdi)
	mov %r14, G(R14)(%rdi)
	mov %r15, G(R15)(%rdi)
	popq G(RDI)(%rdi)

	/*
	 * The guest's return-stack-buffer entries must not steer the
	 * host's RETs (Spectre v2, RSB on VM exit): refill the RSB before
	 * the first RET, when the kernel's mitigation asks for it.
	 */
	FILL_RETURN_BUFFER %rcx, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT, \
			   X86_FEATURE_RSB_VMEXIT_LITE
	/*
	 * Legacy IBRS only protects after it is written in the more
	 * privileged predictor mode, so it is written again after every
	 * exit, before any RET, when the kernel uses IBRS.
	 */
	ALTERNATIVE "jmp .Lno_ibrs", "", X86_FEATURE_KERNEL_IBRS
	mov $MSR_IA32_SPEC_CTRL, %ecx
	mov PER_CPU_VAR(x86_spec_ctrl_current), %rax
	mov %rax, %rdx
	shr $32, %rdx
	wrmsr
.Lno_ibrs:
	CLEAR_BRANCH_HISTORY_VMEXIT

	xor %eax, %eax
.Lclear:
	/* Leave no guest value in a register the C code might spill. */
	xor %ecx, %ecx
	xor %edx, %edx
	xor %esi, %esi
	xor %edi, %edi
	xor %r8d, %r8d
	xor %r9d, %r9d
	xor %r10d, %r10d
	xor %r11d, %r11d

	add $8, %rsp
	pop %rbx
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	pop %rbp
	RET

.Lvmfail:
	mov $1, %eax
	jmp .Lclear
.Lfault:
	mov $2, %eax
	jmp .Lclear
SYM_FUNC_END(vmxlab_vmenter)
