// SPDX-License-Identifier: GPL-2.0
/*
 * step.c - the stepper's side in the kernel: VMXLAB_SET_DEBUG (which
 * exceptions exit, single steps, breakpoints, stops at exits), the
 * RFLAGS.TF single step where the monitor trap flag is missing, and the
 * checks before each entry that return to userspace with
 * VMXLAB_EXIT_STOP (run.c calls them).
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/trapnr.h>

#include "vmxlab.h"
#include "exits.h"
#include "ring.h"
#include "step.h"
#include "vmcs.h"
#include "vmx.h"
#include "vmx_bits.h"
#include "vmx_ops.h"

/*
 * Single-step with RFLAGS.TF: the guest traps with #DB after the next
 * instruction (SDM 18.3.1.4), which exits (#DB is intercepted).  Under
 * blocking by STI or MOV SS, VM entry requires the pending single-step
 * (BS) to be recorded along with TF (SDM 27.3.1.5).
 */
void vcpu_arm_trap_flag(struct vmxlab_vcpu *vcpu)
{
	u64 rflags = vmcs_read(VMCS_GUEST_RFLAGS);

	if (rflags & X86_EFLAGS_TF)
		return;
	vmcs_write(VMCS_GUEST_RFLAGS, rflags | X86_EFLAGS_TF);
	vcpu->step.tf_armed = true;
	if (vmcs_read(VMCS_GUEST_INTERRUPTIBILITY_INFO) &
	    (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS))
		vmcs_write(VMCS_GUEST_PENDING_DBG_EXCEPTIONS,
			   vmcs_read(VMCS_GUEST_PENDING_DBG_EXCEPTIONS) | VMX_DBG_BS);
}

/*
 * After an exit: take back the TF vmxlab set.  An exit on an instruction
 * executed under TF can leave a single-step trap pending in the VMCS
 * (BS in the pending debug exceptions, SDM 28.3.4); it is vmxlab's, not
 * the guest's, so it goes too, or it would fire at the next entry.
 */
void vcpu_disarm_trap_flag(struct vmxlab_vcpu *vcpu)
{
	u64 pending = vmcs_read(VMCS_GUEST_PENDING_DBG_EXCEPTIONS);

	/* Was this exit the single-step trap of vmxlab's own TF? */
	vcpu->step.tf_trapped =
		VMX_EXIT_REASON_BASIC(vcpu->exit_reason) == VMX_EXIT_EXCEPTION_NMI &&
		(vmcs_read(VMCS_VM_EXIT_INTR_INFO) & INTR_INFO_VECTOR_MASK) == X86_TRAP_DB &&
		(vmcs_read(VMCS_EXIT_QUALIFICATION) & VMX_DBG_BS);
	vcpu->step.tf_armed = false;
	vmcs_write(VMCS_GUEST_RFLAGS,
		   vmcs_read(VMCS_GUEST_RFLAGS) & ~(u64)X86_EFLAGS_TF);
	if (pending & VMX_DBG_BS)
		vmcs_write(VMCS_GUEST_PENDING_DBG_EXCEPTIONS,
			   pending & ~(u64)VMX_DBG_BS);
}

/*
 * An interrupt or NMI events.c has just put in the VM-entry
 * interruption-information field: does the stepper want to see it
 * before the entry delivers it?  The event stays there, and the next
 * RUN's entry delivers it (events.c injects nothing over it).
 */
int vcpu_stop_at_inject(struct vmxlab_vcpu *vcpu)
{
	u32 info = vmcs_read(VMCS_VM_ENTRY_INTR_INFO_FIELD);
	u8 vector = info & INTR_INFO_VECTOR_MASK;

	if (!(vcpu->step.debug.flags & VMXLAB_DEBUG_STOP_INJECT) ||
	    !(vcpu->step.debug.stop_vectors[vector / 64] & BIT_ULL(vector % 64)))
		return 1;
	vcpu_stop(vcpu, VMXLAB_STOP_INJECT);
	vcpu->run->stop.inject_info = info;
	vcpu->run->stop.inject_source = vcpu->events.source;
	return 0;
}

bool vcpu_stop_at_exit(struct vmxlab_vcpu *vcpu)
{
	u32 basic = VMX_EXIT_REASON_BASIC(vcpu->exit_reason);

	return (vcpu->step.debug.flags & VMXLAB_DEBUG_STOP_EXITS) && basic < 128 &&
	       !(vcpu->exit_reason & VMX_EXIT_REASON_ENTRY_FAILED) &&
	       (vcpu->step.debug.stop_reasons[basic / 64] & BIT_ULL(basic % 64));
}

/*
 * Before each entry: a finished single step, a breakpoint RIP about to
 * run, or a full exit ring (lossless mode) each return to userspace.
 * Returns 1 to go on, 0 to return.
 */
int vcpu_check_stops(struct vmxlab_vcpu *vcpu)
{
	u32 i;
	u64 rip;

	if (vmxlab_ring_full(vcpu)) {
		vcpu->run->exit_reason = VMXLAB_EXIT_RING_FULL;
		return 0;
	}
	if (vcpu->step.done) {
		vcpu->step.done = false;
		return vcpu_stop(vcpu, VMXLAB_STOP_STEP);
	}
	if (!(vcpu->step.debug.flags & VMXLAB_DEBUG_BREAKPOINTS))
		return 1;
	rip = vmcs_read(VMCS_GUEST_RIP);
	if (rip == vcpu->step.bp_skip)
		return 1;	/* reported already: now execute it */
	vcpu->step.bp_skip = ~0ULL;
	for (i = 0; i < vcpu->step.debug.nbreakpoints; i++) {
		if (vcpu->step.debug.breakpoints[i] == rip) {
			vcpu->step.bp_skip = rip;
			return vcpu_stop(vcpu, VMXLAB_STOP_BREAKPOINT);
		}
	}
	return 1;
}

int vcpu_set_debug(struct vmxlab_vcpu *vcpu, const struct vmxlab_debug *d)
{
	u32 proc = vmcs_read(VMCS_CPU_BASED_VM_EXEC_CONTROL);
	bool mtf = d->flags & (VMXLAB_DEBUG_SINGLESTEP | VMXLAB_DEBUG_BREAKPOINTS);

	if ((d->flags & ~VMXLAB_DEBUG_FLAGS_ALL) || d->reserved ||
	    memchr_inv(d->reserved2, 0, sizeof(d->reserved2)) ||
	    (!(d->flags & VMXLAB_DEBUG_STOP_INJECT) &&
	     memchr_inv(d->stop_vectors, 0, sizeof(d->stop_vectors))))
		return -EINVAL;
	if (d->nbreakpoints > VMXLAB_MAX_BREAKPOINTS)
		return -E2BIG;
	/* NMIs and machine checks belong to the host. */
	if (d->exception_bitmap & (BIT(X86_TRAP_NMI) | BIT(X86_TRAP_MC)))
		return -EINVAL;
	vcpu->step.debug = *d;
	vcpu->step.bp_skip = ~0ULL;
	vcpu->step.done = false;
	vcpu->exception_bitmap = d->exception_bitmap;
	/*
	 * The monitor trap flag makes the processor exit after each guest
	 * instruction (SDM 26.5.2); breakpoints are checked at those exits.
	 * Without it (Bochs's Skylake-X model), RFLAGS.TF and an
	 * intercepted #DB do the same, as KVM's guest debugging does.
	 */
	vcpu->step.with_tf = mtf && !(vmx_caps.proc_may_be_one & PROC_MTF);
	vmcs_write(VMCS_EXCEPTION_BITMAP, vmcs_exception_bitmap(vcpu));
	vmcs_write(VMCS_CPU_BASED_VM_EXEC_CONTROL,
		   mtf && !vcpu->step.with_tf ? proc | PROC_MTF : proc & ~PROC_MTF);
	return 0;
}
