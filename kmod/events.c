// SPDX-License-Identifier: GPL-2.0
/*
 * events.c - getting interrupts into the guest: event injection, the
 * interrupt and NMI windows, HLT, and kicking a vCPU.
 *
 * Before every VM entry, with interrupts off, vcpu_inject_events() looks
 * at what is pending, in the order the processor would take it (SDM Vol.
 * 3A 6.9, Table 6-2):
 *
 *   1. an event already in the VM-entry interruption-information field
 *      (an exception exits.c raised, or an event whose delivery a VM exit
 *      cut short, re-injected from the IDT-vectoring information): it
 *      goes first, and nothing else can be injected with it;
 *   2. an NMI (from an interrupt message), unless NMIs are blocked;
 *   3. an external interrupt: ExtINT from the loader's 8259A
 *      (VMXLAB_INTERRUPT), then the local APIC's highest vector above PPR.
 *
 * An event the guest cannot take yet (RFLAGS.IF = 0, blocking by STI or
 * MOV SS, NMI blocking) waits, and the interrupt-window or NMI-window
 * exiting control makes the processor exit as soon as it could take it
 * (SDM 26.2, 27.7.5, 27.7.6): the next pass injects it.  Injection
 * itself is the processor's job at VM entry (SDM 27.6 "Event
 * Injection"): it delivers the event through the guest's IDT as if it
 * had just arrived.
 */
#include <linux/kernel.h>
#include <linux/sched/signal.h>
#include <linux/smp.h>
#include <linux/wait.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>

#include "vmxlab.h"
#include "events.h"
#include "lapic.h"
#include "vmx.h"
#include "vmx_bits.h"
#include "vmx_ops.h"
#include "trace.h"

/*
 * Make @vcpu notice new work: wake it if it sleeps in HLT, or send its
 * CPU an interrupt if it is in guest mode there (any interrupt exits the
 * guest: external-interrupt exiting).  Pairs with the barrier in
 * vcpu_enter_mode(): either the vCPU sees the new state before it
 * enters, or this sees it in guest mode and interrupts it.
 */
void vcpu_kick(struct vmxlab_vcpu *vcpu)
{
	int cpu;

	/* The new state before guest_cpu; pairs with vcpu_enter_mode(). */
	smp_mb();
	cpu = READ_ONCE(vcpu->guest_cpu);
	if (cpu >= 0 && cpu != raw_smp_processor_id())
		smp_send_reschedule(cpu);
	wake_up_interruptible(&vcpu->wq);
}

void vcpu_enter_mode(struct vmxlab_vcpu *vcpu)
{
	WRITE_ONCE(vcpu->guest_cpu, smp_processor_id());
	/* guest_cpu before reading what is pending; pairs with vcpu_kick(). */
	smp_mb();
}

void vcpu_exit_mode(struct vmxlab_vcpu *vcpu)
{
	WRITE_ONCE(vcpu->guest_cpu, -1);
}

/* Maskable interrupts reach the guest only with IF set and no shadow. */
static bool irq_window_open(u64 rflags, u32 state)
{
	return (rflags & X86_EFLAGS_IF) &&
	       !(state & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS));
}

/*
 * NMIs: not while one is being handled (blocking by NMI, until IRET),
 * nor in an STI or MOV-SS shadow, which VM entry refuses with an NMI on
 * some processors (SDM 27.3.1.5).
 */
static bool nmi_window_open(u32 state)
{
	return !(state & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS |
			  INTERRUPTIBILITY_NMI));
}

static void set_windows(struct vmxlab_vcpu *vcpu, u32 want)
{
	u32 proc;

	if (want == vcpu->events.windows)
		return;
	proc = vmcs_read(VMCS_CPU_BASED_VM_EXEC_CONTROL);
	proc = (proc & ~(PROC_INTR_WINDOW | PROC_NMI_WINDOW)) | want;
	vmcs_write(VMCS_CPU_BASED_VM_EXEC_CONTROL, proc);
	vcpu->events.windows = want;
}

static void inject(struct vmxlab_vcpu *vcpu, u32 info, u32 source)
{
	vmcs_write(VMCS_VM_ENTRY_INTR_INFO_FIELD, info | INTR_INFO_VALID);
	vcpu->events.source = source;
	vcpu->events.injected_now = true;
	vcpu->events.injections++;
	trace_vmxlab_inject(vcpu->id, info | INTR_INFO_VALID, source);
}

bool vcpu_irq_pending(struct vmxlab_vcpu *vcpu)
{
	return vcpu->events.extint_pending ||
	       (!lapic_irr_empty(vcpu) && lapic_pending_vector(vcpu) >= 0);
}

/*
 * Nothing pending, no window armed, no threshold set: the common case,
 * which must cost next to nothing on every entry.
 */
static bool nothing_pending(struct vmxlab_vcpu *vcpu)
{
	return !vcpu->events.extint_pending && !vcpu->events.windows &&
	       !vcpu->apic.tpr_threshold &&
	       !READ_ONCE(vcpu->run->request_interrupt_window) &&
	       !lapic_nmi_pending(vcpu) && lapic_irr_empty(vcpu);
}

int vcpu_inject_events(struct vmxlab_vcpu *vcpu)
{
	u32 entry, state;
	u64 rflags;
	bool vnmi = vmx_caps.pin & PIN_VIRTUAL_NMIS;
	bool user_window;
	u32 want = 0;
	int vector;

	vcpu->events.injected_now = false;
	if (likely(nothing_pending(vcpu)))
		return 1;
	entry = vmcs_read(VMCS_VM_ENTRY_INTR_INFO_FIELD);
	state = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY_INFO);
	rflags = vmcs_read(VMCS_GUEST_RFLAGS);
	user_window = vcpu->run->request_interrupt_window;
	if (!(entry & INTR_INFO_VALID)) {
		vcpu->events.source = VMXLAB_SRC_NONE;
		if (lapic_nmi_pending(vcpu) && nmi_window_open(state)) {
			lapic_take_nmi(vcpu);
			inject(vcpu, X86_TRAP_NMI | INTR_TYPE_NMI, VMXLAB_SRC_NMI);
		} else if (irq_window_open(rflags, state)) {
			if (vcpu->events.extint_pending) {
				vcpu->events.extint_pending = false;
				inject(vcpu, vcpu->events.extint_vector |
				       INTR_TYPE_EXT_INTR, VMXLAB_SRC_EXTINT);
			} else {
				vector = lapic_take_pending(vcpu);
				if (vector >= 0) {
					inject(vcpu, vector | INTR_TYPE_EXT_INTR,
					       VMXLAB_SRC_LAPIC);
				} else if (user_window) {
					/* Userspace may inject now. */
					vcpu->run->exit_reason =
						VMXLAB_EXIT_IRQ_WINDOW_OPEN;
					set_windows(vcpu, 0);
					return 0;
				}
			}
		}
	}
	/*
	 * Whatever still waits: exit as soon as the guest could take it,
	 * which is after the event being injected now, if any, has been
	 * delivered (its handler runs with IF = 0 until it sets IF again).
	 */
	if (vcpu_irq_pending(vcpu) || user_window)
		want |= PROC_INTR_WINDOW;
	/* NMI-window exiting needs virtual NMIs (SDM 27.2.1.1). */
	if (lapic_nmi_pending(vcpu) && vnmi)
		want |= PROC_NMI_WINDOW;
	set_windows(vcpu, want & vmx_caps.proc_may_be_one);
	if (vmx_caps.proc & PROC_TPR_SHADOW) {
		u32 threshold = lapic_tpr_threshold(vcpu);

		if (threshold != vcpu->apic.tpr_threshold) {
			vmcs_write(VMCS_TPR_THRESHOLD, threshold);
			vcpu->apic.tpr_threshold = threshold;
		}
	}
	return 1;
}

/*
 * An exception or EPT violation that happened while IRET unblocked
 * virtual NMIs left them unblocked although the IRET never completed;
 * the blocking comes back before the guest retries it (SDM 28.2.3).
 */
void vcpu_recover_nmi_blocking(struct vmxlab_vcpu *vcpu, bool unblocked)
{
	if (!unblocked || !(vmx_caps.pin & PIN_VIRTUAL_NMIS))
		return;
	vmcs_write(VMCS_GUEST_INTERRUPTIBILITY_INFO,
		   vmcs_read(VMCS_GUEST_INTERRUPTIBILITY_INFO) |
		   INTERRUPTIBILITY_NMI);
}

/* For run->ready_for_interrupt_injection and if_flag, VMCS current. */
void vcpu_fill_irq_state(struct vmxlab_vcpu *vcpu)
{
	u64 rflags = vmcs_read(VMCS_GUEST_RFLAGS);
	u32 state = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY_INFO);
	u32 entry = vmcs_read(VMCS_VM_ENTRY_INTR_INFO_FIELD);
	struct vmxlab_run *run = vcpu->run;

	run->if_flag = !!(rflags & X86_EFLAGS_IF);
	run->ready_for_interrupt_injection =
		irq_window_open(rflags, state) && !(entry & INTR_INFO_VALID) &&
		!vcpu->events.extint_pending && lapic_accepts_extint(vcpu);
	run->reserved_out = 0;
}

int vcpu_queue_extint(struct vmxlab_vcpu *vcpu, const struct vmxlab_interrupt *irq)
{
	if (irq->irq > 255 || irq->reserved)
		return -EINVAL;
	if (vcpu->events.extint_pending)
		return -EBUSY;
	if (!lapic_accepts_extint(vcpu))
		return -ENXIO;
	vcpu->events.extint_vector = irq->irq;
	vcpu->events.extint_pending = true;
	return 0;
}

/* ---- HLT ------------------------------------------------------------- */

/* What ends a HLT (SDM HLT): an interrupt it may take, or an NMI. */
static bool vcpu_wake_pending(struct vmxlab_vcpu *vcpu)
{
	return lapic_nmi_pending(vcpu) || vcpu_irq_pending(vcpu);
}

/*
 * HLT with interrupts enabled (exits.c): the vCPU stops until something
 * can wake it.  It is not runnable meanwhile, so RUN sleeps in
 * vcpu_halt_wait() instead of entering the guest.
 */
void vcpu_halt(struct vmxlab_vcpu *vcpu)
{
	vcpu->events.halted = true;
	vcpu->events.halts++;
}

/*
 * At the top of the run loop while halted (VMCS current): 1 to run on
 * (woken), 0 to return to userspace (it asked for an interrupt window,
 * which a halted vCPU with IF = 1 has open), or VCPU_HALT_BLOCK to sleep.
 */
int vcpu_check_halt(struct vmxlab_vcpu *vcpu)
{
	if (vcpu_wake_pending(vcpu)) {
		vcpu->events.halted = false;
		vcpu->events.wakeups++;
		trace_vmxlab_apic(vcpu->id, "wake", 0);
		return 1;
	}
	/*
	 * Halted with IF = 1, the window is open; userspace may have
	 * cleared IF meanwhile (SET_REGS), and then it is not.
	 */
	vcpu->events.halt_if = vmcs_read(VMCS_GUEST_RFLAGS) & X86_EFLAGS_IF;
	if (READ_ONCE(vcpu->run->request_interrupt_window) &&
	    vcpu->events.halt_if) {
		vcpu->run->exit_reason = VMXLAB_EXIT_IRQ_WINDOW_OPEN;
		return 0;
	}
	return VCPU_HALT_BLOCK;
}

/*
 * RUN sleeps here, preemptible, until a kick: 0 when something may have
 * changed, -EINTR for a signal.
 */
int vcpu_halt_wait(struct vmxlab_vcpu *vcpu)
{
	struct vmxlab_run *run = vcpu->run;

	return wait_event_interruptible(vcpu->wq, vcpu_wake_pending(vcpu) ||
					(READ_ONCE(run->request_interrupt_window) &&
					 vcpu->events.halt_if) ||
					READ_ONCE(run->immediate_exit)) ? -EINTR : 0;
}
