/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmenter.S - VM entry and VM exit.
 *
 * VMLAUNCH/VMRESUME load the guest state from the VMCS except the
 * general-purpose registers (other than RSP, RIP, RFLAGS): software swaps
 * those (SDM 26.3.2, 28.5).  A VM exit does not return here: the processor
 * loads RSP and RIP from the host-state area, so HOST_RSP is set to this
 * frame right before entry and HOST_RIP points at vmxlab_vmexit below.
 *
 * int vmxlab_vmenter(unsigned long *gprs, bool launched)
 *   returns 0 after a VM exit, 1 if the entry failed with VMfail (the
 *   VM-instruction error field says why, SDM 30.4), 2 if VMLAUNCH or
 *   VMRESUME faulted (VMX was turned off under us).
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/bitsperlong.h>
#include <asm/msr-index.h>
#include <asm/nospec-branch.h>
#include <asm/percpu.h>
#include <asm/unwind_hints.h>

/* Offsets in the gprs array, in x86 register-number order (vmxlab.h). */
#define G_RAX	(0 * 8)
#define G_RCX	(1 * 8)
#define G_RDX	(2 * 8)
#define G_RBX	(3 * 8)
#define G_RBP	(5 * 8)
#define G_RSI	(6 * 8)
#define G_RDI	(7 * 8)
#define G_R8	(8 * 8)
#define G_R9	(9 * 8)
#define G_R10	(10 * 8)
#define G_R11	(11 * 8)
#define G_R12	(12 * 8)
#define G_R13	(13 * 8)
#define G_R14	(14 * 8)
#define G_R15	(15 * 8)

/* VMCS encoding of HOST_RSP (SDM Appendix B.4.4). */
#define VMCS_HOST_RSP	0x6c14

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

	mov G_RAX(%rdi), %rax
	mov G_RCX(%rdi), %rcx
	mov G_RDX(%rdi), %rdx
	mov G_RBX(%rdi), %rbx
	mov G_RBP(%rdi), %rbp
	mov G_RSI(%rdi), %rsi
	mov G_R8(%rdi), %r8
	mov G_R9(%rdi), %r9
	mov G_R10(%rdi), %r10
	mov G_R11(%rdi), %r11
	mov G_R12(%rdi), %r12
	mov G_R13(%rdi), %r13
	mov G_R14(%rdi), %r14
	mov G_R15(%rdi), %r15
	mov G_RDI(%rdi), %rdi

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
	mov %rax, G_RAX(%rdi)
	mov %rcx, G_RCX(%rdi)
	mov %rdx, G_RDX(%rdi)
	mov %rbx, G_RBX(%rdi)
	mov %rbp, G_RBP(%rdi)
	mov %rsi, G_RSI(%rdi)
	mov %r8, G_R8(%rdi)
	mov %r9, G_R9(%rdi)
	mov %r10, G_R10(%rdi)
	mov %r11, G_R11(%rdi)
	mov %r12, G_R12(%rdi)
	mov %r13, G_R13(%rdi)
	mov %r14, G_R14(%rdi)
	mov %r15, G_R15(%rdi)
	popq G_RDI(%rdi)

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
