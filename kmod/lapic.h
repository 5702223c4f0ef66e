/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lapic.h - what lapic.c exports: a local APIC per vCPU, in the kernel
 * (KVM's split irqchip: the PIC, IOAPIC and PIT are the loader's).
 */
#ifndef VMXLAB_LAPIC_H
#define VMXLAB_LAPIC_H

#include <linux/hrtimer.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include <linux/vmxlab.h>
#include "apic_regs.h"

struct vmxlab_vcpu;
struct vmxlab_vm;

/*
 * One local APIC.  @lock guards everything: the vCPU's thread, the
 * timer (hard interrupt context) and other threads delivering messages
 * (VMXLAB_SIGNAL_MSI, IPIs) all take it.
 */
struct vmxlab_lapic {
	spinlock_t lock;		/* see above */
	/*
	 * The register page, offset / 4: a page of its own, because with
	 * the TPR shadow it is also the virtual-APIC page, whose VTPR (at
	 * 0x80, the TPR's offset) the processor reads and writes on MOV
	 * CR8 without an exit (SDM 30.3).
	 */
	u32 *regs;
	u32 tpr_threshold;		/* as last written to the VMCS */
	u64 base;			/* IA32_APIC_BASE */
	u32 esr_pending;		/* errors since the last ESR write */
	bool nmi_pending;		/* an NMI waits for injection */
	/* The timer (SDM 11.5.4). */
	struct hrtimer timer;
	u64 period_ns;			/* one-shot/periodic: a full count */
	ktime_t expires;		/* when the count reaches zero */
	bool armed;			/* a callback for @expires is due */
	u64 tsc_deadline;		/* IA32_TSC_DEADLINE, 0: disarmed */
	/* For the trace and debugfs (lapic.c counts; the ring shows). */
	u64 timer_fires, eois, ipis;
};

int lapic_init(struct vmxlab_vcpu *vcpu);
void lapic_destroy(struct vmxlab_vcpu *vcpu);

/* xAPIC page: is @gpa in it (and the APIC in xAPIC mode)? */
bool lapic_mmio_hit(struct vmxlab_vcpu *vcpu, u64 gpa);
/*
 * An access of @size bytes at @gpa in the xAPIC page.  A write returns
 * the vector of a level-triggered EOI (userspace's IOAPIC must hear of
 * it), else -1.
 */
u64 lapic_mmio_read(struct vmxlab_vcpu *vcpu, u64 gpa, unsigned int size);
int lapic_mmio_write(struct vmxlab_vcpu *vcpu, u64 gpa, unsigned int size,
		     u64 val);

/*
 * x2APIC MSRs, IA32_APIC_BASE and IA32_TSC_DEADLINE: 0, or -EINVAL for
 * #GP.  A write stores a level-triggered EOI's vector in *@eoi, else -1.
 */
bool lapic_is_msr(u32 index);
int lapic_msr_read(struct vmxlab_vcpu *vcpu, u32 index, u64 *data);
int lapic_msr_write(struct vmxlab_vcpu *vcpu, u32 index, u64 data, int *eoi);
u64 lapic_get_base(struct vmxlab_vcpu *vcpu);
int lapic_set_base(struct vmxlab_vcpu *vcpu, u64 val, bool from_user);

/* CR8 is TPR[7:4] (SDM 10.8.6.1). */
u64 lapic_get_cr8(struct vmxlab_vcpu *vcpu);
void lapic_set_cr8(struct vmxlab_vcpu *vcpu, u64 cr8);

/*
 * Interrupt acceptance, for the injection logic (events.c): the highest
 * vector in IRR whose priority class is above PPR, or -1; and moving it
 * from IRR to ISR when it is injected.
 */
int lapic_pending_vector(struct vmxlab_vcpu *vcpu);
int lapic_take_pending(struct vmxlab_vcpu *vcpu);
/* LINT0 is unmasked in ExtINT mode, or the APIC is off: PIC may inject. */
bool lapic_accepts_extint(struct vmxlab_vcpu *vcpu);
bool lapic_take_nmi(struct vmxlab_vcpu *vcpu);
bool lapic_nmi_pending(struct vmxlab_vcpu *vcpu);
bool lapic_irr_empty(struct vmxlab_vcpu *vcpu);
/* The TPR threshold the next entry needs (TPR shadow, events.c). */
u32 lapic_tpr_threshold(struct vmxlab_vcpu *vcpu);

/*
 * For apic_bus.c: does @dest (physical or logical) name this APIC; take
 * a message (delivery mode, vector, level-triggered) and kick the vCPU;
 * the TPR for lowest-priority arbitration.
 */
bool lapic_match(struct vmxlab_vcpu *vcpu, u32 dest, bool logical);
bool lapic_accept(struct vmxlab_vcpu *vcpu, u32 dm, u8 vector, bool level);
u8 lapic_tpr(struct vmxlab_vcpu *vcpu);

/* VMXLAB_GET_LAPIC / VMXLAB_SET_LAPIC. */
void lapic_get_state(struct vmxlab_vcpu *vcpu, struct vmxlab_lapic_state *s);
int lapic_set_state(struct vmxlab_vcpu *vcpu,
		    const struct vmxlab_lapic_state *s);

#endif /* VMXLAB_LAPIC_H */
