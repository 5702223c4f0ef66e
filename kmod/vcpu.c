// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu.c - a virtual CPU: its registers and the RUN loop.
 *
 * The RUN ioctl is where the guest runs.  Its shape:
 *
 *   vcpu_run()                      preemptible; guest FPU state loaded
 *     vcpu_run_once()               preemption off, VMCS current here
 *       for (;;)                    the inner loop
 *         vcpu_enter_guest()        interrupts off: VM entry ... VM exit
 *         vmxlab_handle_exit()      interrupts on: exits.c
 *
 * The inner loop re-enters the guest for every exit the kernel handles
 * itself and leaves when userspace must see an exit, when the scheduler
 * or a signal wants the CPU, or on an error.  The VMCS is current on a CPU
 * only inside vcpu_run_once(): it is VMCLEARed before preemption comes
 * back on, so a vCPU thread that moves to another CPU simply does VMPTRLD
 * there (SDM 24.11.1 "Software Use of Virtual-Machine Control
 * Structures": a VMCS must be cleared before it is made current on
 * another processor).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/file.h>
#include <linux/hw_breakpoint.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/apic.h>
#include <asm/debugreg.h>
#include <asm/desc.h>
#include <asm/fpu/api.h>
#include <asm/fpu/xcr.h>
#include <asm/mce.h>
#include <asm/msr.h>
#include <asm/special_insns.h>
#include <asm/mmu_context.h>
#include <asm/tlbflush.h>
#include <asm/trapnr.h>

#include "vmxlab.h"
#include "trace.h"

/* ---- making the VMCS current ----------------------------------------- */

static int vcpu_vmcs_load(struct vmxlab_vcpu *vcpu)
{
	if (!vmcs_ptrld(__pa(vcpu->vmcs)))
		return -EIO;
	vmcs_refresh_host_state(vcpu, smp_processor_id());
	return 0;
}

static void vcpu_vmcs_clear(struct vmxlab_vcpu *vcpu)
{
	vmcs_clear(__pa(vcpu->vmcs));
	/* A cleared VMCS must be entered with VMLAUNCH (SDM 24.11.3). */
	vcpu->launched = false;
}

/*
 * Register ioctls reach the VMCS between two VMCS_ACCESS calls: the VMCS
 * is current on this CPU only in between, with preemption off.
 */
static int vcpu_access_begin(struct vmxlab_vcpu *vcpu)
{
	preempt_disable();
	if (!vmcs_ptrld(__pa(vcpu->vmcs))) {
		preempt_enable();
		return -EIO;
	}
	return 0;
}

static void vcpu_access_end(struct vmxlab_vcpu *vcpu)
{
	vcpu_vmcs_clear(vcpu);
	preempt_enable();
}

/* ---- helpers for exit handlers --------------------------------------- */

int vcpu_cpl(void)
{
	/* SS.DPL is the CPL (SDM 5.5), real mode included (DPL 0). */
	return (vmcs_read(VMCS_GUEST_SS_AR_BYTES) >> 5) & 3;
}

/*
 * Move RIP past an instruction vmxlab completed for the guest.  It
 * completed, so the blocking by STI or MOV SS it may have been under ends
 * (SDM 24.4.2); outside 64-bit mode RIP wraps at 32 bits; and when
 * single-stepping it counts as one step.
 */
static void vcpu_advance_rip(struct vmxlab_vcpu *vcpu, unsigned int len)
{
	u64 rip = vmcs_read(VMCS_GUEST_RIP) + len;
	u64 intr = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY_INFO);

	if (!vcpu->lma)
		rip = (u32)rip;
	vmcs_write(VMCS_GUEST_RIP, rip);
	if (intr & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS))
		vmcs_write(VMCS_GUEST_INTERRUPTIBILITY_INFO,
			   intr & ~(u64)(INTERRUPTIBILITY_STI |
					 INTERRUPTIBILITY_MOV_SS));
	if (vcpu->debug.flags & VMXLAB_DEBUG_SINGLESTEP)
		vcpu->step_done = true;
}

/* Step over the instruction that exited. */
void vcpu_skip_instruction(struct vmxlab_vcpu *vcpu)
{
	vcpu_advance_rip(vcpu, vmcs_read(VMCS_VM_EXIT_INSTRUCTION_LEN));
}

static bool exception_is_fault(u8 vector)
{
	/* #DB may be a trap, #BP and #OF are traps (SDM 6.15). */
	return vector != 1 && vector != 3 && vector != 4;
}

/*
 * Inject a hardware exception at the next VM entry (SDM 26.6 "Event
 * Injection").  In real mode no error code is pushed, and VM entry
 * refuses one (SDM 26.2.1.3).  For a fault, RF is set in the RFLAGS image
 * the guest handler sees, as the processor does when it delivers a fault
 * itself (SDM 18.3.1.1), so a breakpoint does not fire twice.
 */
void vcpu_inject_exception(struct vmxlab_vcpu *vcpu, u8 vector,
			   bool has_error, u32 error)
{
	u32 info = vector | INTR_TYPE_HW_EXCEPTION | INTR_INFO_VALID;

	if (!(vmcs_read(VMCS_GUEST_CR0) & X86_CR0_PE))
		has_error = false;
	if (has_error) {
		info |= INTR_INFO_DELIVER_CODE;
		vmcs_write(VMCS_VM_ENTRY_EXCEPTION_ERROR_CODE, error);
	}
	vmcs_write(VMCS_VM_ENTRY_INTR_INFO_FIELD, info);
	if (exception_is_fault(vector))
		vmcs_write(VMCS_GUEST_RFLAGS,
			   vmcs_read(VMCS_GUEST_RFLAGS) | X86_EFLAGS_RF);
}

static bool guest_pae_paging(void)
{
	return (vmcs_read(VMCS_GUEST_CR0) & X86_CR0_PG) &&
	       (vmcs_read(VMCS_GUEST_CR4) & X86_CR4_PAE) &&
	       !(vmcs_read(VMCS_GUEST_IA32_EFER) & EFER_LMA);
}

/*
 * With EPT, PAE paging outside long mode takes its four PDPTEs from the
 * VMCS at VM entry (SDM 26.3.2.4), and the processor loads them itself
 * only when the guest writes CR3 without exiting.  When vmxlab performs
 * the write that turns PAE paging on, vmxlab loads them, with the checks
 * MOV to CR would do (SDM 4.4.1): reserved bits raise #GP.
 */
/* Read the four PDPTEs at @cr3, with the checks of SDM 4.4.1. */
static bool vcpu_read_pdptes(struct vmxlab_vcpu *vcpu, u64 cr3, u64 pdpte[4])
{
	int i;

	if (vm_read_gpa(vcpu->vm, cr3 & 0xffffffe0ULL, pdpte, 4 * sizeof(u64)))
		return false;
	for (i = 0; i < 4; i++)
		if ((pdpte[i] & 1) && (pdpte[i] & 0xfff00000000001e6ULL))
			return false;
	return true;
}

bool vcpu_load_pdptrs(struct vmxlab_vcpu *vcpu)
{
	u64 pdpte[4];
	int i;

	if (!guest_pae_paging())
		return true;
	if (!vcpu_read_pdptes(vcpu, vmcs_read(VMCS_GUEST_CR3), pdpte))
		return false;
	for (i = 0; i < 4; i++)
		vmcs_write(VMCS_GUEST_PDPTE0 + 2 * i, pdpte[i]);
	return true;
}

/* The guest's view of CR0/CR4: host-owned bits come from the shadow. */
static u64 guest_view(u64 real, u64 shadow, u64 mask)
{
	return (real & ~mask) | (shadow & mask);
}

u64 vcpu_guest_cr0(void)
{
	return guest_view(vmcs_read(VMCS_GUEST_CR0),
			  vmcs_read(VMCS_CR0_READ_SHADOW),
			  vmcs_read(VMCS_CR0_GUEST_HOST_MASK));
}

u64 vcpu_guest_cr4(void)
{
	return guest_view(vmcs_read(VMCS_GUEST_CR4),
			  vmcs_read(VMCS_CR4_READ_SHADOW),
			  vmcs_read(VMCS_CR4_GUEST_HOST_MASK));
}

/* The registers the rules of cr_rules.c read, as the guest sees them. */
void vcpu_cr_regs(struct cr_regs *r)
{
	r->cr0 = vcpu_guest_cr0();
	r->cr3 = vmcs_read(VMCS_GUEST_CR3);
	r->cr4 = vcpu_guest_cr4();
	r->efer = vmcs_read(VMCS_GUEST_IA32_EFER);
	r->cs_ar = vmcs_read(VMCS_GUEST_CS_AR_BYTES);
}

/*
 * Write the guest's CR0 as the guest sees it.  The "IA-32e mode guest"
 * entry control must equal EFER.LMA (SDM 26.3.1.1), and LMA is what the
 * processor would compute on the same write: LME and PG (SDM 10.8.5).
 */
void vcpu_set_cr0(struct vmxlab_vcpu *vcpu, u64 cr0)
{
	u64 efer = vmcs_read(VMCS_GUEST_IA32_EFER);
	u64 entry = vmcs_read(VMCS_VM_ENTRY_CONTROLS);

	vcpu->recheck = true;
	if ((efer & EFER_LME) && (cr0 & X86_CR0_PG))
		efer |= EFER_LMA;
	else
		efer &= ~(u64)EFER_LMA;
	vcpu->lma = efer & EFER_LMA;
	if (vcpu->lma)
		entry |= ENTRY_IA32E_GUEST;
	else
		entry &= ~(u64)ENTRY_IA32E_GUEST;
	vmcs_write(VMCS_GUEST_IA32_EFER, efer);
	vmcs_write(VMCS_VM_ENTRY_CONTROLS, entry);
	vmcs_write(VMCS_CR0_READ_SHADOW, cr0);
	vmcs_write(VMCS_GUEST_CR0, vmcs_cr0_guest_value(cr0));
	/* KERNEL_GS_BASE and the SYSCALL MSRs may need switching now. */
	vcpu->reload = true;
}

static void vcpu_update_xcr0_switch(struct vmxlab_vcpu *vcpu, u64 cr4)
{
	vcpu->xcr0_switch = (cr4 & X86_CR4_OSXSAVE) &&
			    vcpu->xcr0 != vmx_caps.host_xcr0;
}

/* DR7 as written: its L0-L3 and G0-G3 bits (7:0) arm the breakpoints. */
static void vcpu_dr7_written(struct vmxlab_vcpu *vcpu, u64 dr7)
{
	vcpu->dr7_armed = dr7 & 0xff;
}

/* Guest DR7 (SDM 18.2.4): bits 15:14 and 12:11 read as 0, bit 10 as 1. */
void vcpu_set_dr7(struct vmxlab_vcpu *vcpu, u64 dr7)
{
	dr7 = (dr7 & ~0xd800ULL) | 0x400;
	vmcs_write(VMCS_GUEST_DR7, dr7);
	vcpu_dr7_written(vcpu, dr7);
}

/* Write the guest's CR4, which cr4_check() (cr_rules.c) has accepted. */
void vcpu_set_cr4(struct vmxlab_vcpu *vcpu, u64 cr4)
{
	vcpu->recheck = true;
	vmcs_write(VMCS_CR4_READ_SHADOW, cr4);
	vmcs_write(VMCS_GUEST_CR4, vmcs_cr4_guest_value(cr4));
	vcpu_update_xcr0_switch(vcpu, cr4);
}

/* ---- the run loop ---------------------------------------------------- */

/*
 * Host state that VM exit does not restore the way Linux needs it, saved
 * when the inner loop starts (KVM calls this "prepare switch to guest").
 * The SYSCALL MSRs only matter to a guest with EFER.SCE, and
 * KERNEL_GS_BASE only to a guest in long mode (SWAPGS), so other guests
 * pay nothing for them.
 */
static void vcpu_switch_to_guest(struct vmxlab_vcpu *vcpu)
{
	u64 efer = vmcs_read(VMCS_GUEST_IA32_EFER);

	savesegment(ds, vcpu->host.ds);
	savesegment(es, vcpu->host.es);
	savesegment(fs, vcpu->host.fs);
	savesegment(gs, vcpu->host.gs);
	asm volatile("sldt %0" : "=r"(vcpu->host.ldt));
	if (vcpu->host.fs)
		rdmsrl(MSR_FS_BASE, vcpu->host.fs_base);
	vcpu->host.debugctl = get_debugctlmsr();

	vcpu->host.kgs = efer & EFER_LMA;
	if (vcpu->host.kgs || vcpu->host.gs) {
		rdmsrl(MSR_KERNEL_GS_BASE, vcpu->host.kernel_gs_base);
		if (vcpu->host.kgs)
			wrmsrl(MSR_KERNEL_GS_BASE, vcpu->msrs.kernel_gs_base);
	}
	vcpu->host.syscall_msrs = efer & EFER_SCE;
	if (vcpu->host.syscall_msrs) {
		rdmsrl(MSR_STAR, vcpu->host.star);
		rdmsrl(MSR_LSTAR, vcpu->host.lstar);
		rdmsrl(MSR_CSTAR, vcpu->host.cstar);
		rdmsrl(MSR_SYSCALL_MASK, vcpu->host.sfmask);
		wrmsrl(MSR_STAR, vcpu->msrs.star);
		wrmsrl(MSR_LSTAR, vcpu->msrs.lstar);
		wrmsrl(MSR_CSTAR, vcpu->msrs.cstar);
		wrmsrl(MSR_SYSCALL_MASK, vcpu->msrs.sfmask);
	}
	/* RDTSCP and RDPID read TSC_AUX directly: it must be the guest's. */
	vcpu->host.tsc_aux_swapped = vmx_caps.proc2 & PROC2_RDTSCP;
	if (vcpu->host.tsc_aux_swapped) {
		rdmsrl(MSR_TSC_AUX, vcpu->host.tsc_aux);
		wrmsrl(MSR_TSC_AUX, vcpu->msrs.tsc_aux);
	}
	vcpu->reload = false;
}

static void vcpu_switch_to_host(struct vmxlab_vcpu *vcpu)
{
	int cpu = smp_processor_id();

	if (vcpu->host.tsc_aux_swapped)
		wrmsrl(MSR_TSC_AUX, vcpu->host.tsc_aux);
	if (vcpu->host.syscall_msrs) {
		wrmsrl(MSR_STAR, vcpu->host.star);
		wrmsrl(MSR_LSTAR, vcpu->host.lstar);
		wrmsrl(MSR_CSTAR, vcpu->host.cstar);
		wrmsrl(MSR_SYSCALL_MASK, vcpu->host.sfmask);
	}
	/* SWAPGS in the guest changes KERNEL_GS_BASE without an exit. */
	if (vcpu->host.kgs)
		rdmsrl(MSR_KERNEL_GS_BASE, vcpu->msrs.kernel_gs_base);

	/* VM exit loaded null DS, ES, FS, GS selectors and a null LDTR. */
	if (vcpu->host.ldt)
		asm volatile("lldt %0" : : "rm"(vcpu->host.ldt));
	if (vcpu->host.ds)
		loadsegment(ds, vcpu->host.ds);
	if (vcpu->host.es)
		loadsegment(es, vcpu->host.es);
	if (vcpu->host.fs) {
		loadsegment(fs, vcpu->host.fs);
		wrmsrl(MSR_FS_BASE, vcpu->host.fs_base);
	}
	if (vcpu->host.gs)
		load_gs_index(vcpu->host.gs);
	if (vcpu->host.kgs || vcpu->host.gs)
		wrmsrl(MSR_KERNEL_GS_BASE, vcpu->host.kernel_gs_base);

	/*
	 * VM exit set the GDTR limit to 0xffff and the TR limit to 0x67
	 * (SDM 28.5.2); Linux wants its own GDT limit back, and reloads TR
	 * lazily when a task needs its I/O bitmap.
	 */
	load_fixmap_gdt(cpu);
	invalidate_tss_limit();
	/* VM exit cleared DR7 and IA32_DEBUGCTL (SDM 28.5.1). */
	if (vcpu->host.debugctl)
		update_debugctlmsr(vcpu->host.debugctl);
	if (hw_breakpoint_active())
		hw_breakpoint_restore();
}

/*
 * Single-step with RFLAGS.TF: the guest traps with #DB after the next
 * instruction (SDM 18.3.1.4), which exits (#DB is intercepted).  Under
 * blocking by STI or MOV SS, VM entry requires the pending single-step
 * (BS) to be recorded along with TF (SDM 26.3.1.5).
 */
static void vcpu_arm_trap_flag(struct vmxlab_vcpu *vcpu)
{
	u64 rflags = vmcs_read(VMCS_GUEST_RFLAGS);

	if (rflags & X86_EFLAGS_TF)
		return;
	vmcs_write(VMCS_GUEST_RFLAGS, rflags | X86_EFLAGS_TF);
	vcpu->tf_armed = true;
	if (vmcs_read(VMCS_GUEST_INTERRUPTIBILITY_INFO) &
	    (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS))
		vmcs_write(VMCS_GUEST_PENDING_DBG_EXCEPTIONS,
			   vmcs_read(VMCS_GUEST_PENDING_DBG_EXCEPTIONS) | BIT(14));
}

/*
 * After an exit: take back the TF vmxlab set.  An exit on an instruction
 * executed under TF can leave a single-step trap pending in the VMCS
 * (BS in the pending debug exceptions, SDM 27.3.4); it is vmxlab's, not
 * the guest's, so it goes too, or it would fire at the next entry.
 */
static void vcpu_disarm_trap_flag(struct vmxlab_vcpu *vcpu)
{
	u64 pending = vmcs_read(VMCS_GUEST_PENDING_DBG_EXCEPTIONS);

	/* Was this exit the single-step trap of vmxlab's own TF? */
	vcpu->tf_trapped =
		VMX_EXIT_REASON_BASIC(vcpu->exit_reason) == VMX_EXIT_EXCEPTION_NMI &&
		(vmcs_read(VMCS_VM_EXIT_INTR_INFO) & INTR_INFO_VECTOR_MASK) == X86_TRAP_DB &&
		(vmcs_read(VMCS_EXIT_QUALIFICATION) & BIT(14));
	vcpu->tf_armed = false;
	vmcs_write(VMCS_GUEST_RFLAGS,
		   vmcs_read(VMCS_GUEST_RFLAGS) & ~(u64)X86_EFLAGS_TF);
	if (pending & BIT(14))
		vmcs_write(VMCS_GUEST_PENDING_DBG_EXCEPTIONS,
			   pending & ~BIT_ULL(14));
}

/*
 * A machine check in the guest, or during VM entry, is the host's
 * business: vmxlab always intercepts #MC (vmcs.c) and hands it to Linux's
 * handler, with interrupts still off, as if it had hit user mode.
 */
static void vcpu_machine_check(void)
{
#ifdef CONFIG_X86_MCE
	struct pt_regs regs = { .cs = 3, .flags = X86_EFLAGS_IF };

	do_machine_check(&regs);
#endif
}

/*
 * One VM entry and the VM exit that ends it, with interrupts off.
 * Returns 0 after an exit, 1 when the entry itself failed, and
 * VCPU_EXIT_HANDLED when the fast path already handled the exit.
 */
#define VCPU_EXIT_HANDLED	2

/*
 * The explainer's self-check, for the test suite: with selfcheck=1, the
 * first entry after the guest state changed (an ioctl, a CR0/CR4/EFER
 * write) is checked first, and the processor's verdict is compared with
 * the checker's.  A rule that fails on a state the processor enters is a
 * false alarm; a state it refuses (VM-instruction error 7 or 8, exit
 * reason 33) with no rule failing is a gap.  Both are counted in debugfs
 * (vmxlab/selfcheck) and logged.
 */
static bool selfcheck;
module_param(selfcheck, bool, 0644);
MODULE_PARM_DESC(selfcheck,
		 "compare the VM-entry checker with the processor after state changes (for tests)");

/* Before the entry, with interrupts off: what does the checker say? */
static void vcpu_selfcheck_before(struct vmxlab_vcpu *vcpu)
{
	vcpu->recheck = false;
	vcpu->check_armed = READ_ONCE(selfcheck);
	if (vcpu->check_armed)
		vcpu->check_predicted = vcpu_entry_check(&vcpu->check_first, 1);
}

/*
 * After it (@r from vcpu_enter_guest()): did the processor agree?  Only
 * the entry matters, so the fast path, which re-enters only after exits
 * of a successful entry, needs no part in this.
 */
static void vcpu_selfcheck_after(struct vmxlab_vcpu *vcpu, int r)
{
	const struct vmxlab_check_failure *first = &vcpu->check_first;
	bool refused, judged;
	u64 err = 0;

	vcpu->check_armed = false;
	if (r == 1) {
		/* VMfailValid: 7 and 8 are the controls and the host state. */
		err = vmcs_read(VMCS_VM_INSTRUCTION_ERROR);
		refused = true;
		judged = err == 7 || err == 8;
	} else {
		refused = r == 0 &&
			  (vcpu->exit_reason & VMX_EXIT_REASON_ENTRY_FAILED);
		/* Exit reasons 34 and 41 are not about the VMCS fields. */
		judged = !refused ||
			 VMX_EXIT_REASON_BASIC(vcpu->exit_reason) ==
			 VMX_EXIT_INVALID_GUEST_STATE;
	}
	if (!judged && !vcpu->check_predicted)
		return;
	atomic_long_inc(&vmxlab_counters.check_runs);
	if (vcpu->check_predicted && !refused) {
		atomic_long_inc(&vmxlab_counters.check_false_alarms);
		pr_warn_ratelimited("selfcheck: the processor entered a state in which rule %s fails (field %#x = %#llx)\n",
				    first->rule < VMXLAB_CHECK_COUNT ?
				    vmxlab_check_names[first->rule] : "?",
				    first->field, first->actual);
	} else if (!vcpu->check_predicted && refused) {
		atomic_long_inc(&vmxlab_counters.check_gaps);
		pr_warn_ratelimited("selfcheck: the processor refused an entry (%#x, error %llu) and no rule fails\n",
				    r == 1 ? 0 : vcpu->exit_reason, err);
	}
}

static int vcpu_enter_guest(struct vmxlab_vcpu *vcpu)
{
	unsigned long cr3, cr4;
	int r;

	/* PCID and CR4 bits may change under a running thread. */
	cr3 = __read_cr3();
	if (unlikely(cr3 != vcpu->host.cr3)) {
		vmcs_write(VMCS_HOST_CR3, cr3);
		vcpu->host.cr3 = cr3;
	}
	cr4 = cr4_read_shadow();
	if (unlikely(cr4 != vcpu->host.cr4)) {
		vmcs_write(VMCS_HOST_CR4, cr4);
		vcpu->host.cr4 = cr4;
	}
	/*
	 * The guest's FPU state is this task's FPU state during RUN, but
	 * after a context switch, or kernel FPU use in an interrupt, Linux
	 * only marks it to be reloaded on the way back to user mode
	 * (TIF_NEED_FPU_LOAD).  The guest is that user mode: reload now, or
	 * it would run with some other task's registers.
	 */
	if (test_thread_flag(TIF_NEED_FPU_LOAD))
		switch_fpu_return();
	/* CR2 is not part of the VMCS (SDM 28.3); the host may use it. */
	if (native_read_cr2() != vcpu->cr2)
		native_write_cr2(vcpu->cr2);
	if (vcpu->xcr0_switch)
		xsetbv(XCR_XFEATURE_ENABLED_MASK, vcpu->xcr0);
	/*
	 * VM entry loads the guest's DR7 (SDM 27.3.2.1) but not DR0-DR3:
	 * when the guest arms a breakpoint, its addresses go in by hand.
	 * The host's come back in vcpu_switch_to_host().
	 */
	if (unlikely(vcpu->dr7_armed)) {
		set_debugreg(vcpu->dr[0], 0);
		set_debugreg(vcpu->dr[1], 1);
		set_debugreg(vcpu->dr[2], 2);
		set_debugreg(vcpu->dr[3], 3);
	}
	if (unlikely(vcpu->step_with_tf))
		vcpu_arm_trap_flag(vcpu);
	if (unlikely(vcpu->ring || trace_vmxlab_entry_enabled()))
		vmxlab_ring_entry(vcpu, rdtsc() + vcpu->tsc_offset);
	/*
	 * A new slice.  The fast path below re-enters with interrupts off
	 * until the host TSC passes slice_end, and the timer (saved at each
	 * exit, SDM 28.3.4) bounds the last stretch in the guest: the slow
	 * path, where interrupts come on, is never more than VCPU_SLICE_MS
	 * away.  On hardware, an interrupt that arrives meanwhile makes the
	 * next entry exit at once anyway; Bochs does not notice an interrupt
	 * that came while the host had interrupts off once it is in a guest
	 * with IF=0, so there the slice is all the host has.
	 */
	vmcs_write(VMCS_VMX_PREEMPTION_TIMER_VALUE, vcpu->timer_slice);
	vcpu->slice_end = rdtsc() + vcpu->slice_tsc;

reenter:
	r = vmxlab_vmenter(vcpu->gprs, vcpu->launched);
	vcpu->exit_tsc = rdtsc();

	if (vcpu->xcr0_switch)
		xsetbv(XCR_XFEATURE_ENABLED_MASK, vmx_caps.host_xcr0);
	if (r)
		return 1;
	/* A failed entry (bit 31, SDM 27.8) leaves the VMCS unlaunched. */
	vcpu->exit_reason = vmcs_read(VMCS_VM_EXIT_REASON);
	if (!(vcpu->exit_reason & VMX_EXIT_REASON_ENTRY_FAILED))
		vcpu->launched = true;
	vcpu->cr2 = native_read_cr2();

	/*
	 * The fast path (KVM has one too): an exit the kernel handles
	 * completely, with interrupts still off, goes straight back into the
	 * guest.  Nothing checked above can have changed with interrupts
	 * off, and an interrupt that arrived meanwhile makes the next entry
	 * exit at once, to the slow path.  Not when stops, a tracepoint or an
	 * XCR0 switch need the slow path; the exit ring is written here too,
	 * and a full lossless ring sends RUN back to userspace from the slow
	 * path (vcpu_check_stops()).
	 */
	if (!vcpu->xcr0_switch && !vcpu->debug.flags &&
	    !trace_vmxlab_exit_enabled() && !trace_vmxlab_entry_enabled() &&
	    vmxlab_fastpath_exit(vcpu)) {
		if (unlikely(vcpu->exit_tsc >= vcpu->slice_end)) {
			atomic_long_inc(&vmxlab_counters.slice_ends);
		} else if (!need_resched() && !signal_pending(current) &&
			   !(vcpu->ring && vmxlab_ring_full(vcpu))) {
			if (vcpu->ring)
				vmxlab_ring_entry(vcpu, rdtsc() + vcpu->tsc_offset);
			goto reenter;
		}
		/* Handled already: the slow path must not handle it again. */
		return VCPU_EXIT_HANDLED;
	}

	/*
	 * An NMI that arrived in the guest caused this exit and is not
	 * delivered to the host by it (SDM 27.2).  It belongs to the host
	 * (watchdog, perf): send it again, to ourselves.
	 */
	if (VMX_EXIT_REASON_BASIC(vcpu->exit_reason) == VMX_EXIT_EXCEPTION_NMI) {
		u32 info = vmcs_read(VMCS_VM_EXIT_INTR_INFO);

		if ((info & INTR_INFO_TYPE_MASK) == INTR_TYPE_NMI)
			apic->send_IPI(smp_processor_id(), NMI_VECTOR);
		else if ((info & INTR_INFO_VECTOR_MASK) == X86_TRAP_MC)
			vcpu_machine_check();
	} else if (VMX_EXIT_REASON_BASIC(vcpu->exit_reason) ==
		   VMX_EXIT_MCE_DURING_VMENTRY) {
		vcpu_machine_check();
	}
	return 0;
}

/* ---- the VM-entry explainer (checks.c) -------------------------------- */

static u64 vcpu_check_read(const void *ctx, u32 encoding)
{
	u64 v;

	/* A field this processor lacks reads as 0, like the SDM's default. */
	vmcs_read_checked(encoding, &v);
	return v;
}

/*
 * Run vmxlab's copy of the VM-entry checks (SDM 27.2, 27.3) on the
 * current VMCS: the number of failing rules, the first @max in @out.
 */
unsigned int vcpu_entry_check(struct vmxlab_check_failure *out,
			      unsigned int max)
{
	const struct vmx_check_input in = {
		.read = vcpu_check_read,
		.caps = &vmx_check_caps,
	};

	return vmx_entry_check(&in, out, max);
}

/* VMXLAB_CHECK_ENTRY: the same, on demand, copied to userspace. */
static int vcpu_explain(struct vmxlab_vcpu *vcpu, struct vmxlab_entry_check *c)
{
	unsigned int max = min_t(u32, c->nmax, VMXLAB_CHECK_COUNT);
	struct vmxlab_check_failure *out = NULL;
	int r;

	if (max) {
		out = kcalloc(max, sizeof(*out), GFP_KERNEL);
		if (!out)
			return -ENOMEM;
	}
	r = vcpu_access_begin(vcpu);
	if (r)
		goto out_free;
	/*
	 * The host-state area is filled when RUN makes the VMCS current:
	 * fill it now, so the checks see what the next entry would.
	 */
	vmcs_refresh_host_state(vcpu, smp_processor_id());
	c->nfailed = vcpu_entry_check(out, max);
	vcpu_access_end(vcpu);
	if (max && copy_to_user(u64_to_user_ptr(c->failures), out,
				min(max, c->nfailed) * sizeof(*out)))
		r = -EFAULT;
out_free:
	kfree(out);
	return r;
}

static int vcpu_entry_failed(struct vmxlab_vcpu *vcpu)
{
	struct vmxlab_run *run = vcpu->run;

	run->exit_reason = VMXLAB_EXIT_FAIL_ENTRY;
	run->hw_exit_reason = 0;
	run->exit_qualification = 0;
	run->guest_rip = vmcs_read(VMCS_GUEST_RIP);
	run->guest_tsc = rdtsc() + vmcs_read(VMCS_TSC_OFFSET);
	run->exit_intr_info = 0;
	run->exit_intr_error_code = 0;
	run->guest_phys_addr = 0;
	run->exit_instruction_len = 0;
	run->fail_entry.hardware_entry_failure_reason = 0;
	run->fail_entry.vm_instruction_error =
		vmcs_read(VMCS_VM_INSTRUCTION_ERROR);
	run->fail_entry.nr_failed_rules = vcpu_entry_check(NULL, 0);
	return 0;
}

/*
 * Write @size bytes of a general-purpose register the way an instruction
 * with that operand size does: 8- and 16-bit writes keep the other bits,
 * 32-bit writes zero the upper half (SDM 3.4.1.1).  @high selects AH, CH,
 * DH or BH.
 */
static void vcpu_write_gpr(struct vmxlab_vcpu *vcpu, unsigned int reg,
			   unsigned int size, bool high, u64 val)
{
	unsigned long *r = &vcpu->gprs[reg];

	switch (size) {
	case 1:
		if (high)
			*r = (*r & ~0xff00UL) | ((val & 0xff) << 8);
		else
			*r = (*r & ~0xffUL) | (val & 0xff);
		break;
	case 2:
		*r = (*r & ~0xffffUL) | (val & 0xffff);
		break;
	case 4:
		*r = (u32)val;
		break;
	default:
		*r = val;
	}
}

/* Finish the instruction whose exit userspace handled (vmxlab_run). */
static int vcpu_complete_pending(struct vmxlab_vcpu *vcpu)
{
	struct vmxlab_run *run = vcpu->run;
	unsigned int size = vcpu->pending.size;
	u64 val;

	switch (vcpu->pending.kind) {
	case PENDING_IN:
		vcpu_write_gpr(vcpu, VCPU_RAX, size, false, run->io.data);
		break;
	case PENDING_MMIO_READ:
		/* exits.c refused RSP as a destination already. */
		val = run->mmio.data;
		if (size < 8)
			val &= (1ULL << (size * 8)) - 1;
		if (vcpu->pending.sign_extend)
			val = sign_extend64(val, size * 8 - 1);
		vcpu_write_gpr(vcpu, vcpu->pending.reg, vcpu->pending.dst_size,
			       vcpu->pending.high_byte, val);
		break;
	case PENDING_HYPERCALL:
		vcpu->gprs[VCPU_RAX] = run->hypercall.ret;
		break;
	case PENDING_RDMSR:
		if (run->msr.error) {
			vcpu_inject_exception(vcpu, X86_TRAP_GP, true, 0);
			goto done;
		}
		vcpu->gprs[VCPU_RAX] = (u32)run->msr.data;
		vcpu->gprs[VCPU_RDX] = run->msr.data >> 32;
		break;
	case PENDING_WRMSR:
		if (run->msr.error) {
			vcpu_inject_exception(vcpu, X86_TRAP_GP, true, 0);
			goto done;
		}
		break;
	default:
		break;
	}
	vcpu_advance_rip(vcpu, vcpu->pending.insn_len);
done:
	vcpu->pending.kind = PENDING_NONE;
	return 1;
}

static int vcpu_handle_exit(struct vmxlab_vcpu *vcpu)
{
	int r = vmxlab_handle_exit(vcpu, vcpu->exit_reason);

	if (r == 1 && vcpu->ring)
		vmxlab_ring_handled_in_kernel(vcpu);
	return r;
}

/* Return to userspace with VMXLAB_EXIT_STOP and the exit's details. */
int vcpu_stop(struct vmxlab_vcpu *vcpu, u32 kind)
{
	struct vmxlab_run *run = vcpu->run;

	run->exit_reason = VMXLAB_EXIT_STOP;
	run->stop.kind = kind;
	run->stop.reserved = 0;
	run->hw_exit_reason = vcpu->exit_reason;
	run->exit_qualification = vmcs_read(VMCS_EXIT_QUALIFICATION);
	run->guest_rip = vmcs_read(VMCS_GUEST_RIP);
	run->guest_tsc = vcpu->exit_tsc + vcpu->tsc_offset;
	run->exit_intr_info = vmcs_read(VMCS_VM_EXIT_INTR_INFO);
	run->exit_intr_error_code = vmcs_read(VMCS_VM_EXIT_INTR_ERROR_CODE);
	run->guest_phys_addr = VMX_EXIT_REASON_BASIC(vcpu->exit_reason) ==
			       VMX_EXIT_EPT_VIOLATION ?
			       vmcs_read(VMCS_GUEST_PHYSICAL_ADDRESS) : 0;
	run->exit_instruction_len = vmcs_read(VMCS_VM_EXIT_INSTRUCTION_LEN);
	return 0;
}

static bool vcpu_stop_at_exit(struct vmxlab_vcpu *vcpu)
{
	u32 basic = VMX_EXIT_REASON_BASIC(vcpu->exit_reason);

	return (vcpu->debug.flags & VMXLAB_DEBUG_STOP_EXITS) && basic < 128 &&
	       !(vcpu->exit_reason & VMX_EXIT_REASON_ENTRY_FAILED) &&
	       (vcpu->debug.stop_reasons[basic / 64] & BIT_ULL(basic % 64));
}

/*
 * Before each entry: a finished single step, a breakpoint RIP about to
 * run, or a full exit ring (lossless mode) each return to userspace.
 * Returns 1 to go on, 0 to return.
 */
static int vcpu_check_stops(struct vmxlab_vcpu *vcpu)
{
	u32 i;
	u64 rip;

	if (vmxlab_ring_full(vcpu)) {
		vcpu->run->exit_reason = VMXLAB_EXIT_RING_FULL;
		return 0;
	}
	if (vcpu->step_done) {
		vcpu->step_done = false;
		return vcpu_stop(vcpu, VMXLAB_STOP_STEP);
	}
	if (!(vcpu->debug.flags & VMXLAB_DEBUG_BREAKPOINTS))
		return 1;
	rip = vmcs_read(VMCS_GUEST_RIP);
	if (rip == vcpu->bp_skip)
		return 1;	/* reported already: now execute it */
	vcpu->bp_skip = ~0ULL;
	for (i = 0; i < vcpu->debug.nbreakpoints; i++) {
		if (vcpu->debug.breakpoints[i] == rip) {
			vcpu->bp_skip = rip;
			return vcpu_stop(vcpu, VMXLAB_STOP_BREAKPOINT);
		}
	}
	return 1;
}

/*
 * One stretch of guest execution on one CPU.  Returns 0 when userspace
 * must look at run, 1 when the caller should simply call again (after
 * rescheduling), or a negative errno.
 */
static int vcpu_run_once(struct vmxlab_vcpu *vcpu)
{
	struct vmxlab_run *run = vcpu->run;
	int r;

	preempt_disable();
	r = vcpu_vmcs_load(vcpu);
	if (r) {
		preempt_enable();
		return r;
	}
	vcpu_switch_to_guest(vcpu);

	if (vcpu->pending.kind != PENDING_NONE) {
		r = vcpu_complete_pending(vcpu);
		if (r <= 0)
			goto out;
	}
	if (READ_ONCE(run->immediate_exit)) {
		r = -EINTR;
		goto out;
	}

	/* RUN stopped before handling this exit: handle it now. */
	if (vcpu->stopped_exit) {
		vcpu->stopped_exit = false;
		r = vcpu_handle_exit(vcpu);
		if (r != 1)
			goto out;
	}

	for (;;) {
		if (unlikely(vcpu->ring || vcpu->step_done ||
			     (vcpu->debug.flags & VMXLAB_DEBUG_BREAKPOINTS))) {
			r = vcpu_check_stops(vcpu);
			if (r != 1)
				break;
		}
		local_irq_disable();
		if (need_resched() || signal_pending(current) || vcpu->reload) {
			local_irq_enable();
			r = signal_pending(current) ? -EINTR : 1;
			break;
		}
		if (unlikely(vcpu->recheck))
			vcpu_selfcheck_before(vcpu);
		r = vcpu_enter_guest(vcpu);
		if (unlikely(vcpu->check_armed))
			vcpu_selfcheck_after(vcpu, r);
		local_irq_enable();
		if (r == VCPU_EXIT_HANDLED)
			continue;
		if (r) {
			vcpu->entry_failures++;
			r = vcpu_entry_failed(vcpu);
			break;
		}
		vcpu->exits[array_index_nospec(VMX_EXIT_REASON_BASIC(vcpu->exit_reason),
					      VMX_EXIT_MAX)]++;
		vcpu->tf_trapped = false;
		if (unlikely(vcpu->tf_armed))
			vcpu_disarm_trap_flag(vcpu);
		if (unlikely(vcpu->ring || trace_vmxlab_exit_enabled()))
			vmxlab_ring_exit(vcpu, vcpu->exit_tsc + vcpu->tsc_offset);
		if (unlikely(vcpu_stop_at_exit(vcpu))) {
			vcpu->stopped_exit = true;
			r = vcpu_stop(vcpu, VMXLAB_STOP_EXIT);
			break;
		}
		r = vcpu_handle_exit(vcpu);
		if (r != 1)
			break;
	}
out:
	vcpu_switch_to_host(vcpu);
	vcpu_vmcs_clear(vcpu);
	preempt_enable();
	return r;
}

static int vcpu_run(struct vmxlab_vcpu *vcpu)
{
	int r;

	if (current->mm != vcpu->vm->mm)
		return -EIO;
	if (memchr_inv(vcpu->run->reserved_in, 0,
		       sizeof(vcpu->run->reserved_in)))
		return -EINVAL;

	/*
	 * The guest's FPU, SSE and AVX state becomes this task's FPU state
	 * for the duration of RUN: a context switch saves it like any other
	 * task state, and nothing of it reaches the host or another guest.
	 */
	fpu_swap_kvm_fpstate(&vcpu->fpu, true);
	vcpu->run->exit_reason = VMXLAB_EXIT_NONE;
	do {
		r = vcpu_run_once(vcpu);
		if (r == 1)
			cond_resched();
	} while (r == 1);
	fpu_swap_kvm_fpstate(&vcpu->fpu, false);

	if (r == -EINTR)
		vcpu->run->exit_reason = VMXLAB_EXIT_INTR;
	return r;
}

/* ---- register ioctls ------------------------------------------------- */

static void vcpu_get_regs(struct vmxlab_vcpu *vcpu, struct vmxlab_regs *r)
{
	const unsigned long *g = vcpu->gprs;

	r->rax = g[VCPU_RAX]; r->rbx = g[VCPU_RBX];
	r->rcx = g[VCPU_RCX]; r->rdx = g[VCPU_RDX];
	r->rsi = g[VCPU_RSI]; r->rdi = g[VCPU_RDI];
	r->rbp = g[VCPU_RBP];
	r->r8 = g[VCPU_R8]; r->r9 = g[VCPU_R9];
	r->r10 = g[VCPU_R10]; r->r11 = g[VCPU_R11];
	r->r12 = g[VCPU_R12]; r->r13 = g[VCPU_R13];
	r->r14 = g[VCPU_R14]; r->r15 = g[VCPU_R15];
	r->rsp = vmcs_read(VMCS_GUEST_RSP);
	r->rip = vmcs_read(VMCS_GUEST_RIP);
	r->rflags = vmcs_read(VMCS_GUEST_RFLAGS);
}

/* RFLAGS bits that are reserved: 1 must be set, 3, 5, 15, 22-63 clear. */
#define RFLAGS_RESERVED (BIT_ULL(3) | BIT_ULL(5) | BIT_ULL(15) | \
			 GENMASK_ULL(63, 22))

static int vcpu_set_regs(struct vmxlab_vcpu *vcpu, const struct vmxlab_regs *r)
{
	unsigned long *g = vcpu->gprs;

	if ((r->rflags & RFLAGS_RESERVED) || !(r->rflags & X86_EFLAGS_FIXED))
		return -EINVAL;
	g[VCPU_RAX] = r->rax; g[VCPU_RBX] = r->rbx;
	g[VCPU_RCX] = r->rcx; g[VCPU_RDX] = r->rdx;
	g[VCPU_RSI] = r->rsi; g[VCPU_RDI] = r->rdi;
	g[VCPU_RBP] = r->rbp;
	g[VCPU_R8] = r->r8; g[VCPU_R9] = r->r9;
	g[VCPU_R10] = r->r10; g[VCPU_R11] = r->r11;
	g[VCPU_R12] = r->r12; g[VCPU_R13] = r->r13;
	g[VCPU_R14] = r->r14; g[VCPU_R15] = r->r15;
	vmcs_write(VMCS_GUEST_RSP, r->rsp);
	vmcs_write(VMCS_GUEST_RIP, r->rip);
	vmcs_write(VMCS_GUEST_RFLAGS, r->rflags);
	/* The state userspace set is the state the guest resumes from. */
	vcpu->pending.kind = PENDING_NONE;
	vcpu->stopped_exit = false;
	return 0;
}

/* The selector field of each segment; the other fields follow from it. */
static const u32 seg_fields[] = {
	VMCS_GUEST_CS_SELECTOR, VMCS_GUEST_DS_SELECTOR, VMCS_GUEST_ES_SELECTOR,
	VMCS_GUEST_FS_SELECTOR, VMCS_GUEST_GS_SELECTOR, VMCS_GUEST_SS_SELECTOR,
	VMCS_GUEST_TR_SELECTOR, VMCS_GUEST_LDTR_SELECTOR,
};

static struct vmxlab_segment *sregs_seg(struct vmxlab_sregs *s, int i)
{
	struct vmxlab_segment *segs[] = {
		&s->cs, &s->ds, &s->es, &s->fs, &s->gs, &s->ss, &s->tr, &s->ldt,
	};

	return segs[i];
}

static void vcpu_get_sregs(struct vmxlab_vcpu *vcpu, struct vmxlab_sregs *s)
{
	int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < ARRAY_SIZE(seg_fields); i++) {
		struct vmxlab_segment *seg = sregs_seg(s, i);

		seg->selector = vmcs_read(seg_fields[i]);
		seg->limit = vmcs_read(seg_fields[i] + 0x4000);
		seg->ar = vmcs_read(seg_fields[i] + 0x4014);
		seg->base = vmcs_read(seg_fields[i] + 0x6006);
	}
	s->gdt.base = vmcs_read(VMCS_GUEST_GDTR_BASE);
	s->gdt.limit = vmcs_read(VMCS_GUEST_GDTR_LIMIT);
	s->idt.base = vmcs_read(VMCS_GUEST_IDTR_BASE);
	s->idt.limit = vmcs_read(VMCS_GUEST_IDTR_LIMIT);
	s->cr0 = vcpu_guest_cr0();
	s->cr4 = vcpu_guest_cr4();
	s->cr2 = vcpu->cr2;
	s->cr3 = vmcs_read(VMCS_GUEST_CR3);
	s->cr8 = vcpu->cr8;
	s->efer = vmcs_read(VMCS_GUEST_IA32_EFER);
	s->apic_base = vcpu->msrs.apic_base;
}

/* Access-rights bits that exist (SDM Table 24-2): 7:0 and 16:12. */
#define AR_DEFINED	(GENMASK(7, 0) | GENMASK(16, 12))
#define APIC_BASE_RESERVED (GENMASK_ULL(7, 0) | BIT_ULL(9) | BIT_ULL(10) | \
			    GENMASK_ULL(63, 52))

static int sregs_check(const struct vmxlab_sregs *s)
{
	struct vmxlab_sregs tmp = *s;
	struct cr_regs regs;
	int i;

	for (i = 0; i < ARRAY_SIZE(seg_fields); i++) {
		const struct vmxlab_segment *seg = sregs_seg(&tmp, i);

		if (seg->reserved || seg->reserved2 || (seg->ar & ~AR_DEFINED))
			return -EINVAL;
	}
	if (memchr_inv(s->gdt.reserved, 0, sizeof(s->gdt.reserved)) ||
	    memchr_inv(s->idt.reserved, 0, sizeof(s->idt.reserved)))
		return -EINVAL;
	/* A state the guest could reach with MOV to CR and WRMSR. */
	regs = (struct cr_regs){ .cr0 = s->cr0, .cr3 = s->cr3, .cr4 = s->cr4,
				 .efer = s->efer, .cs_ar = s->cs.ar };
	if (cr_state_check(&regs, &vmx_caps.guest) != CR_OK)
		return -EINVAL;
	if (s->cr8 > 15 || (s->apic_base & APIC_BASE_RESERVED))
		return -EINVAL;
	return 0;
}

static int vcpu_set_sregs(struct vmxlab_vcpu *vcpu,
			  const struct vmxlab_sregs *s)
{
	struct vmxlab_sregs tmp = *s;
	int i, r;

	u64 pdpte[4];
	bool pae = (s->cr0 & X86_CR0_PG) && (s->cr4 & X86_CR4_PAE) &&
		   !(s->efer & EFER_LMA);

	r = sregs_check(s);
	if (r)
		return r;
	/* Checked before anything is written: all or nothing. */
	if (pae && !vcpu_read_pdptes(vcpu, s->cr3, pdpte))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(seg_fields); i++) {
		const struct vmxlab_segment *seg = sregs_seg(&tmp, i);

		vmcs_write(seg_fields[i], seg->selector);
		vmcs_write(seg_fields[i] + 0x4000, seg->limit);
		vmcs_write(seg_fields[i] + 0x4014, seg->ar);
		vmcs_write(seg_fields[i] + 0x6006, seg->base);
	}
	vmcs_write(VMCS_GUEST_GDTR_BASE, s->gdt.base);
	vmcs_write(VMCS_GUEST_GDTR_LIMIT, s->gdt.limit);
	vmcs_write(VMCS_GUEST_IDTR_BASE, s->idt.base);
	vmcs_write(VMCS_GUEST_IDTR_LIMIT, s->idt.limit);
	vmcs_write(VMCS_GUEST_CR3, s->cr3);
	vmcs_write(VMCS_GUEST_IA32_EFER, s->efer);
	vcpu_set_cr4(vcpu, s->cr4);
	vcpu_set_cr0(vcpu, s->cr0);
	vcpu->cr2 = s->cr2;
	vcpu->cr8 = s->cr8;
	vcpu->msrs.apic_base = s->apic_base;
	if (pae)
		for (i = 0; i < 4; i++)
			vmcs_write(VMCS_GUEST_PDPTE0 + 2 * i, pdpte[i]);
	vcpu->pending.kind = PENDING_NONE;
	vcpu->stopped_exit = false;
	return 0;
}

static int vcpu_set_debug(struct vmxlab_vcpu *vcpu, const struct vmxlab_debug *d)
{
	u32 proc = vmcs_read(VMCS_CPU_BASED_VM_EXEC_CONTROL);
	bool mtf = d->flags & (VMXLAB_DEBUG_SINGLESTEP | VMXLAB_DEBUG_BREAKPOINTS);

	if ((d->flags & ~VMXLAB_DEBUG_FLAGS_ALL) || d->reserved ||
	    memchr_inv(d->reserved2, 0, sizeof(d->reserved2)))
		return -EINVAL;
	if (d->nbreakpoints > VMXLAB_MAX_BREAKPOINTS)
		return -E2BIG;
	/* NMIs and machine checks belong to the host. */
	if (d->exception_bitmap & (BIT(X86_TRAP_NMI) | BIT(X86_TRAP_MC)))
		return -EINVAL;
	vcpu->debug = *d;
	vcpu->bp_skip = ~0ULL;
	vcpu->step_done = false;
	vcpu->exception_bitmap = d->exception_bitmap;
	/*
	 * The monitor trap flag makes the processor exit after each guest
	 * instruction (SDM 26.5.2); breakpoints are checked at those exits.
	 * Without it (Bochs's Skylake-X model), RFLAGS.TF and an
	 * intercepted #DB do the same, as KVM's guest debugging does.
	 */
	vcpu->step_with_tf = mtf && !(vmx_caps.proc_may_be_one & PROC_MTF);
	vmcs_write(VMCS_EXCEPTION_BITMAP, vmcs_exception_bitmap(vcpu));
	vmcs_write(VMCS_CPU_BASED_VM_EXEC_CONTROL,
		   mtf && !vcpu->step_with_tf ? proc | PROC_MTF : proc & ~PROC_MTF);
	return 0;
}

/* Guest-state fields a teaching lab may write: none can reach the host. */
static bool vmcs_field_writable(u32 enc)
{
	switch (enc) {
	case VMCS_GUEST_ES_SELECTOR ... VMCS_GUEST_TR_SELECTOR:
	case VMCS_GUEST_ES_LIMIT ... VMCS_GUEST_IDTR_LIMIT:
	case VMCS_GUEST_ES_AR_BYTES ... VMCS_GUEST_ACTIVITY_STATE:
	case VMCS_GUEST_SYSENTER_CS:
	case VMCS_GUEST_CR0 ... VMCS_GUEST_SYSENTER_EIP:
	case VMCS_GUEST_IA32_PAT:
	case VMCS_GUEST_IA32_EFER:
	case VMCS_GUEST_PDPTE0 ... VMCS_GUEST_PDPTE3:
		/* Only the full-width encodings (bit 0 = 0). */
		return !(enc & 1);
	default:
		return false;
	}
}

static int vcpu_vmcs_field(struct vmxlab_vcpu *vcpu,
			   struct vmxlab_vmcs_field *f, bool write)
{
	/* SDM 24.11.2: bits 31:15 of an encoding are reserved. */
	if (f->reserved || (f->encoding >> 15))
		return -EINVAL;
	if (!write)
		return vmcs_read_checked(f->encoding, &f->value) ? 0 : -ENOENT;
	if (!vmcs_field_writable(f->encoding))
		return -EPERM;
	/*
	 * CR4 bits whose state vmxlab does not switch (PKE: the host's
	 * PKRU; CET; ...) would reach the host: only the bits a guest may
	 * have anyway, and VMXE, whose absence makes entry fail.
	 */
	if (f->encoding == VMCS_GUEST_CR4 &&
	    (f->value & ~(u64)(VMXLAB_CR4_ALLOWED | X86_CR4_VMXE)))
		return -EPERM;
	if (!vmcs_write_checked(f->encoding, f->value))
		return -ENOENT;
	if (f->encoding == VMCS_GUEST_RIP) {
		vcpu->pending.kind = PENDING_NONE;
		vcpu->stopped_exit = false;
	}
	/* Raw, for labs that break fields; the breakpoints follow it. */
	if (f->encoding == VMCS_GUEST_DR7)
		vcpu_dr7_written(vcpu, f->value);
	return 0;
}

/* ---- the vCPU file --------------------------------------------------- */

union vcpu_ioctl_arg {
	struct vmxlab_regs regs;
	struct vmxlab_sregs sregs;
	struct vmxlab_debug debug;
	struct vmxlab_vmcs_field field;
	struct vmxlab_translation xlate;
	struct vmxlab_ring_config ring;
	struct vmxlab_entry_check check;
};

static long vcpu_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct vmxlab_vcpu *vcpu = filp->private_data;
	void __user *argp = (void __user *)arg;
	union vcpu_ioctl_arg *u;
	unsigned int size = _IOC_SIZE(cmd);
	long r;

	switch (cmd) {
	case VMXLAB_RUN:
	case VMXLAB_GET_REGS:
	case VMXLAB_SET_REGS:
	case VMXLAB_GET_SREGS:
	case VMXLAB_SET_SREGS:
	case VMXLAB_SET_DEBUG:
	case VMXLAB_GET_VMCS_FIELD:
	case VMXLAB_SET_VMCS_FIELD:
	case VMXLAB_TRANSLATE:
	case VMXLAB_SET_RING:
	case VMXLAB_CHECK_ENTRY:
		break;
	default:
		return -ENOTTY;
	}
	u = kzalloc(sizeof(*u), GFP_KERNEL);
	if (!u)
		return -ENOMEM;
	if ((_IOC_DIR(cmd) & _IOC_WRITE) && copy_from_user(u, argp, size)) {
		r = -EFAULT;
		goto out_free;
	}
	/* RUN and the register ioctls wait for each other (one at a time). */
	if (mutex_lock_killable(&vcpu->mutex)) {
		r = -EINTR;
		goto out_free;
	}
	if (cmd == VMXLAB_RUN) {
		r = arg ? -EINVAL : vcpu_run(vcpu);
		goto out_unlock;
	}
	if (cmd == VMXLAB_SET_RING) {
		r = vmxlab_ring_set(vcpu, &u->ring);
		goto out_unlock;
	}
	if (cmd == VMXLAB_CHECK_ENTRY) {
		r = vcpu_explain(vcpu, &u->check);
		goto out_copy;
	}
	r = vcpu_access_begin(vcpu);
	if (r)
		goto out_unlock;
	switch (cmd) {
	case VMXLAB_GET_REGS:
		vcpu_get_regs(vcpu, &u->regs);
		break;
	case VMXLAB_SET_REGS:
		r = vcpu_set_regs(vcpu, &u->regs);
		break;
	case VMXLAB_GET_SREGS:
		vcpu_get_sregs(vcpu, &u->sregs);
		break;
	case VMXLAB_SET_SREGS:
		r = vcpu_set_sregs(vcpu, &u->sregs);
		break;
	case VMXLAB_SET_DEBUG:
		r = vcpu_set_debug(vcpu, &u->debug);
		break;
	case VMXLAB_GET_VMCS_FIELD:
		r = vcpu_vmcs_field(vcpu, &u->field, false);
		break;
	case VMXLAB_SET_VMCS_FIELD:
		r = vcpu_vmcs_field(vcpu, &u->field, true);
		break;
	case VMXLAB_TRANSLATE:
		if (memchr_inv(u->xlate.reserved, 0, sizeof(u->xlate.reserved)))
			r = -EINVAL;
		else
			vcpu_translate(vcpu, &u->xlate);
		break;
	}
	/* The self-check looks at the next entry of a changed state. */
	if (!r && (cmd == VMXLAB_SET_REGS || cmd == VMXLAB_SET_SREGS ||
		   cmd == VMXLAB_SET_DEBUG || cmd == VMXLAB_SET_VMCS_FIELD))
		vcpu->recheck = true;
	vcpu_access_end(vcpu);
out_copy:
	if (!r && (_IOC_DIR(cmd) & _IOC_READ) && copy_to_user(argp, u, size))
		r = -EFAULT;
out_unlock:
	mutex_unlock(&vcpu->mutex);
out_free:
	kfree(u);
	return r;
}

static vm_fault_t vcpu_fault(struct vm_fault *vmf)
{
	struct vmxlab_vcpu *vcpu = vmf->vma->vm_file->private_data;
	struct page *page;

	if (vmf->pgoff != 0)
		return VM_FAULT_SIGBUS;
	page = virt_to_page(vcpu->run);
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct vcpu_vm_ops = {
	.fault = vcpu_fault,
};

/* Offset 0: the run page.  VMXLAB_RING_OFFSET: the exit ring. */
static int vcpu_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct vmxlab_vcpu *vcpu = filp->private_data;

	/*
	 * No vcpu->mutex here: mmap holds mmap_lock, and the ioctls take
	 * the mutex before faulting on user memory.  The ring is set once
	 * and lives as long as the vCPU, so a plain acquire is enough.
	 */
	if (vma->vm_pgoff == VMXLAB_RING_OFFSET >> PAGE_SHIFT)
		return vmxlab_ring_mmap(vcpu, vma);
	/* A private copy would hide what each side writes from the other. */
	if (vma->vm_pgoff != 0 || vma_pages(vma) != 1 ||
	    !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	/*
	 * One page, exactly: no mremap() growing it, no merging with a
	 * neighbouring mapping of the same file (which would reach offsets
	 * without coming through here).
	 */
	vma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
	vma->vm_ops = &vcpu_vm_ops;
	return 0;
}

static void vcpu_free(struct vmxlab_vcpu *vcpu)
{
	struct vmxlab_vm *vm = vcpu->vm;

	mutex_lock(&vm->lock);
	vm->vcpus[vcpu->id] = NULL;
	mutex_unlock(&vm->lock);
	if (vcpu->fpu.fpstate)
		fpu_free_guest_fpstate(&vcpu->fpu);
	vmxlab_ring_free(vcpu);
	if (vcpu->run)
		free_page((unsigned long)vcpu->run);
	if (vcpu->vmcs)
		vmcs_free(vcpu->vmcs);
	kfree(vcpu);
	atomic_long_dec(&vmxlab_counters.vcpus);
	vmxlab_vm_put(vm);
}

static int vcpu_release(struct inode *inode, struct file *filp)
{
	vcpu_free(filp->private_data);
	return 0;
}

static const struct file_operations vcpu_fops = {
	.owner		= THIS_MODULE,
	.release	= vcpu_release,
	.unlocked_ioctl	= vcpu_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= vcpu_mmap,
	.llseek		= noop_llseek,
};

int vmxlab_vcpu_create(struct vmxlab_vm *vm, unsigned long id)
{
	struct vmxlab_vcpu *vcpu;
	int r;

	if (id >= VMXLAB_MAX_VCPUS)
		return -EINVAL;
	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return -ENOMEM;
	vcpu->id = id;
	vcpu->vm = vm;
	mutex_init(&vcpu->mutex);
	refcount_inc(&vm->refs);

	mutex_lock(&vm->lock);
	if (vm->vcpus[id]) {
		mutex_unlock(&vm->lock);
		kfree(vcpu);
		vmxlab_vm_put(vm);
		return -EEXIST;
	}
	vm->vcpus[id] = vcpu;
	mutex_unlock(&vm->lock);
	atomic_long_inc(&vmxlab_counters.vcpus);

	r = -ENOMEM;
	vcpu->vmcs = vmcs_alloc();
	vcpu->run = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!vcpu->vmcs || !vcpu->run || !fpu_alloc_guest_fpstate(&vcpu->fpu))
		goto fail;
	/* XCR0 after RESET: x87 only (SDM 13.3). */
	vcpu->xcr0 = XFEATURE_MASK_FP;
	vcpu->recheck = true;
	vcpu_msrs_reset(vcpu);

	/* VMCLEAR initializes a new VMCS before first use (SDM 24.11.3). */
	preempt_disable();
	if (!vmcs_clear(__pa(vcpu->vmcs)) || !vmcs_ptrld(__pa(vcpu->vmcs))) {
		preempt_enable();
		r = -EIO;
		goto fail;
	}
	vmcs_setup(vcpu);
	vcpu_access_end(vcpu);

	r = vmxlab_anon_fd("vmxlab-vcpu", &vcpu_fops, vcpu);
	if (r < 0)
		goto fail;
	return r;
fail:
	vcpu_free(vcpu);
	return r;
}
