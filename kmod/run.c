// SPDX-License-Identifier: GPL-2.0
/*
 * run.c - VMXLAB_RUN: where the guest runs.
 *
 * The RUN ioctl's shape:
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
 * there (SDM 25.11.1 "Software Use of Virtual-Machine Control
 * Structures": a VMCS must be cleared before it is made current on
 * another processor).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/hw_breakpoint.h>
#include <linux/nospec.h>
#include <linux/sched/signal.h>
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
#include "debugfs.h"
#include "events.h"
#include "exits.h"
#include "regs.h"
#include "ring.h"
#include "run.h"
#include "selfcheck.h"
#include "step.h"
#include "vmcs.h"
#include "vmx.h"
#include "vmx_bits.h"
#include "vmx_ops.h"
#include "trace.h"

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
	if (unlikely(vcpu->step.with_tf))
		vcpu_arm_trap_flag(vcpu);
	if (unlikely(vcpu->ring.buf || trace_vmxlab_entry_enabled()))
		vmxlab_ring_entry(vcpu, rdtsc() + vcpu->tsc_offset);
	/*
	 * A new slice.  The fast path below re-enters with interrupts off
	 * until the host TSC passes slice.end, and the timer (saved at each
	 * exit, SDM 28.3.4) bounds the last stretch in the guest: the slow
	 * path, where interrupts come on, is never more than VCPU_SLICE_MS
	 * away.  On hardware, an interrupt that arrives meanwhile makes the
	 * next entry exit at once anyway; Bochs does not notice an interrupt
	 * that came while the host had interrupts off once it is in a guest
	 * with IF=0, so there the slice is all the host has.
	 */
	vmcs_write(VMCS_VMX_PREEMPTION_TIMER_VALUE, vcpu->slice.timer);
	vcpu->slice.end = rdtsc() + vcpu->slice.tsc;

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
	if (!vcpu->xcr0_switch && !vcpu->step.debug.flags &&
	    !trace_vmxlab_exit_enabled() && !trace_vmxlab_entry_enabled() &&
	    vmxlab_fastpath_exit(vcpu)) {
		if (unlikely(vcpu->exit_tsc >= vcpu->slice.end)) {
			atomic_long_inc(&vmxlab_counters.slice_ends);
		} else if (!need_resched() && !signal_pending(current) &&
			   !(vcpu->ring.buf && vmxlab_ring_full(vcpu))) {
			if (vcpu->ring.buf)
				vmxlab_ring_entry(vcpu, rdtsc() + vcpu->tsc_offset);
			goto reenter;
		}
		/* Handled already: the slow path must not handle it again. */
		return VCPU_EXIT_HANDLED;
	}

	/*
	 * An NMI that arrived in the guest caused this exit and is not
	 * delivered to the host by it (SDM 26.2).  It belongs to the host
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

static int vcpu_entry_failed(struct vmxlab_vcpu *vcpu)
{
	struct vmxlab_run *run = vcpu->run;

	run->exit_reason = VMXLAB_EXIT_FAIL_ENTRY;
	run->hw_exit_reason = 0;
	run->exit_qualification = 0;
	run->guest_rip = vmcs_read(VMCS_GUEST_RIP);
	run->guest_tsc = vcpu_exit_guest_tsc(vcpu);
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

/* Finish the instruction whose exit userspace handled (vmxlab_run). */
static int vcpu_complete_pending(struct vmxlab_vcpu *vcpu)
{
	struct vmxlab_run *run = vcpu->run;
	unsigned int size = vcpu->pending.size;

	switch (vcpu->pending.kind) {
	case PENDING_IN:
		vcpu_write_gpr(vcpu, VCPU_RAX, size, false, run->io.data);
		break;
	case PENDING_MMIO_READ:
		/* exits.c refused RSP as a destination already. */
		vcpu_complete_mmio_read(vcpu, run->mmio.data);
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

	if (r == 1 && vcpu->ring.buf)
		vmxlab_ring_handled_in_kernel(vcpu);
	return r;
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
	if (vcpu->step.stopped_exit) {
		vcpu->step.stopped_exit = false;
		r = vcpu_handle_exit(vcpu);
		if (r != 1)
			goto out;
	}

	for (;;) {
		if (unlikely(vcpu->ring.buf || vcpu->step.done ||
			     (vcpu->step.debug.flags & VMXLAB_DEBUG_BREAKPOINTS))) {
			r = vcpu_check_stops(vcpu);
			if (r != 1)
				break;
		}
		/* HLT: go on only once something can wake the guest. */
		if (unlikely(vcpu->events.halted)) {
			r = vcpu_check_halt(vcpu);
			if (r == 0)
				vcpu_fill_exit(vcpu);
			if (r != 1)
				break;
		}
		local_irq_disable();
		if (need_resched() || signal_pending(current) || vcpu->reload) {
			local_irq_enable();
			r = signal_pending(current) ? -EINTR : 1;
			break;
		}
		/*
		 * From here a kick (events.c) interrupts this CPU; what was
		 * pending before it is injected now.
		 */
		vcpu_enter_mode(vcpu);
		if (!vcpu_inject_events(vcpu)) {
			vcpu_exit_mode(vcpu);
			local_irq_enable();
			vcpu_fill_exit(vcpu);
			r = 0;
			break;
		}
		/* The stepper's "stop irq": before the entry delivers it. */
		if (unlikely(vcpu->events.injected_now &&
			     (vcpu->step.debug.flags & VMXLAB_DEBUG_STOP_INJECT))) {
			vcpu_exit_mode(vcpu);
			local_irq_enable();
			r = vcpu_stop_at_inject(vcpu);
			if (!r)
				break;
			local_irq_disable();
			vcpu_enter_mode(vcpu);
		}
		if (unlikely(vcpu->check.recheck))
			vcpu_selfcheck_before(vcpu);
		r = vcpu_enter_guest(vcpu);
		vcpu_exit_mode(vcpu);
		if (unlikely(vcpu->check.armed))
			vcpu_selfcheck_after(vcpu, r);
		local_irq_enable();
		if (r == VCPU_EXIT_HANDLED)
			continue;
		if (r) {
			vcpu->stats.entry_failures++;
			r = vcpu_entry_failed(vcpu);
			break;
		}
		vcpu->stats.exits[array_index_nospec(VMX_EXIT_REASON_BASIC(vcpu->exit_reason),
					      VMX_EXIT_MAX)]++;
		vcpu->step.tf_trapped = false;
		if (unlikely(vcpu->step.tf_armed))
			vcpu_disarm_trap_flag(vcpu);
		if (unlikely(vcpu->ring.buf || trace_vmxlab_exit_enabled()))
			vmxlab_ring_exit(vcpu, vcpu_exit_guest_tsc(vcpu));
		if (unlikely(vcpu_stop_at_exit(vcpu))) {
			vcpu->step.stopped_exit = true;
			r = vcpu_stop(vcpu, VMXLAB_STOP_EXIT);
			break;
		}
		r = vcpu_handle_exit(vcpu);
		if (r != 1)
			break;
	}
out:
	vcpu_fill_irq_state(vcpu);
	vcpu_switch_to_host(vcpu);
	vcpu_vmcs_clear(vcpu);
	preempt_enable();
	return r;
}

int vcpu_run(struct vmxlab_vcpu *vcpu)
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
		/* A halted vCPU sleeps here, preemptible (events.c). */
		if (r == VCPU_HALT_BLOCK)
			r = vcpu_halt_wait(vcpu) ? -EINTR : 1;
		if (r == 1)
			cond_resched();
	} while (r == 1);
	fpu_swap_kvm_fpstate(&vcpu->fpu, false);

	if (r == -EINTR)
		vcpu->run->exit_reason = VMXLAB_EXIT_INTR;
	return r;
}
