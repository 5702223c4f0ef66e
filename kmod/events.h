/* SPDX-License-Identifier: GPL-2.0 */
/* events.h - what events.c exports: injection, windows, HLT, kicks. */
#ifndef VMXLAB_EVENTS_H
#define VMXLAB_EVENTS_H

#include <linux/types.h>

#include <linux/vmxlab.h>

struct vmxlab_vcpu;

/* Make the vCPU look at its pending events soon (any thread, any context). */
void vcpu_kick(struct vmxlab_vcpu *vcpu);
/* Around guest mode, interrupts off: who vcpu_kick() must interrupt. */
void vcpu_enter_mode(struct vmxlab_vcpu *vcpu);
void vcpu_exit_mode(struct vmxlab_vcpu *vcpu);

/*
 * Before each VM entry, interrupts off, VMCS current: inject what the
 * guest can take and arm the windows for the rest.  1: enter; 0: return
 * to userspace (VMXLAB_EXIT_IRQ_WINDOW_OPEN, run filled).
 */
int vcpu_inject_events(struct vmxlab_vcpu *vcpu);
/* A maskable interrupt waits (ExtINT or the local APIC's). */
bool vcpu_irq_pending(struct vmxlab_vcpu *vcpu);
void vcpu_recover_nmi_blocking(struct vmxlab_vcpu *vcpu, bool unblocked);
/* run->ready_for_interrupt_injection and run->if_flag. */
void vcpu_fill_irq_state(struct vmxlab_vcpu *vcpu);
/* VMXLAB_INTERRUPT. */
int vcpu_queue_extint(struct vmxlab_vcpu *vcpu,
		      const struct vmxlab_interrupt *irq);

/* HLT with RFLAGS.IF = 1, and the sleep that follows it. */
#define VCPU_HALT_BLOCK	2
void vcpu_halt(struct vmxlab_vcpu *vcpu);
int vcpu_check_halt(struct vmxlab_vcpu *vcpu);
int vcpu_halt_wait(struct vmxlab_vcpu *vcpu);

#endif /* VMXLAB_EVENTS_H */
