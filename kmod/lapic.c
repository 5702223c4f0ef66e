// SPDX-License-Identifier: GPL-2.0
/*
 * lapic.c - a local APIC per vCPU: the teaching one.
 *
 * What a guest's APIC does (SDM Vol. 3A chapter 11), kept in a 1 KiB copy
 * of the xAPIC register page:
 *
 *   message in ----> accept() --> IRR ---- events.c injects the highest
 *   (apic_bus.c:                  |        vector whose class is above
 *    MSI, IPI; LVT timer)         |        PPR, at the next VM entry
 *                                 v
 *             lapic_take_pending(): IRR -> ISR, PPR rises
 *                                 |
 *   guest writes EOI -----------> eoi(): highest ISR bit cleared; if it was
 *                                 level-triggered (TMR), RUN returns
 *                                 VMXLAB_EXIT_EOI so the loader's IOAPIC
 *                                 can clear Remote IRR
 *
 * The guest reaches it through the xAPIC page (an EPT violation that
 * exits.c decodes and hands here) or, in x2APIC mode, through RDMSR and
 * WRMSR of MSRs 0x800-0x8ff (SDM 11.12).  The timer is a host hrtimer:
 * it keeps counting while the vCPU is halted or not running at all, which
 * is why CPUID may report ARAT (always-running APIC timer).
 *
 * Not here (each an issue of its own): INIT and start-up IPIs (smp),
 * lowest-priority arbitration beyond "lowest TPR wins", SMIs, the
 * thermal, performance and CMCI interrupts (no such sources), and the
 * APIC-virtualization VM-execution controls.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/hrtimer.h>
#include <linux/math64.h>
#include <asm/msr.h>
#include <asm/tsc.h>

#include "vmxlab.h"
#include "cr_rules.h"
#include "apic_bus.h"
#include "events.h"
#include "lapic.h"
#include "vmx.h"
#include "trace.h"

/*
 * A periodic timer faster than this would keep the host busy delivering
 * ticks; KVM has the same floor (min_timer_period_us).  A guest that asks
 * for less gets this period, which it can see in the current count.
 */
#define LAPIC_MIN_PERIOD_NS	(100 * NSEC_PER_USEC)
/* A timer this far away (about 146 years) is as good as never. */
#define LAPIC_FAR_NS		((u64)KTIME_MAX / 2)

static struct vmxlab_vcpu *apic_vcpu(struct vmxlab_lapic *a)
{
	return container_of(a, struct vmxlab_vcpu, apic);
}

static u32 reg(const struct vmxlab_lapic *a, u32 off)
{
	return a->regs[off >> 2];
}

static void set_reg(struct vmxlab_lapic *a, u32 off, u32 val)
{
	a->regs[off >> 2] = val;
}

/* ISR, TMR and IRR: 256 bits as eight registers, 16 bytes apart. */
static u32 vec_off(u32 base, u8 v)
{
	return base + (v >> 5) * 16;
}

static bool vec_test(const struct vmxlab_lapic *a, u32 base, u8 v)
{
	return reg(a, vec_off(base, v)) & BIT(v & 31);
}

static void vec_set(struct vmxlab_lapic *a, u32 base, u8 v)
{
	a->regs[vec_off(base, v) >> 2] |= BIT(v & 31);
}

static void vec_clear(struct vmxlab_lapic *a, u32 base, u8 v)
{
	a->regs[vec_off(base, v) >> 2] &= ~BIT(v & 31);
}

static int vec_highest(const struct vmxlab_lapic *a, u32 base)
{
	int i;

	for (i = 7; i >= 0; i--) {
		u32 w = reg(a, base + i * 16);

		if (w)
			return i * 32 + fls(w) - 1;
	}
	return -1;
}

static bool hw_enabled(const struct vmxlab_lapic *a)
{
	return a->base & LAPIC_BASE_ENABLE;
}

static bool sw_enabled(const struct vmxlab_lapic *a)
{
	return reg(a, LAPIC_SVR) & LAPIC_SVR_ENABLE;
}

static bool x2apic(const struct vmxlab_lapic *a)
{
	return a->base & LAPIC_BASE_EXTD;
}

/*
 * PPR (SDM 11.8.3.1): the task priority, or the class of the highest
 * vector in service if that is higher.  Only a vector of a class above
 * PPR's is dispatched.
 */
static void update_ppr(struct vmxlab_lapic *a)
{
	u32 tpr = reg(a, LAPIC_TPR) & 0xff;
	int isrv = max(vec_highest(a, LAPIC_ISR), 0);

	set_reg(a, LAPIC_PPR, (tpr & 0xf0) >= (isrv & 0xf0) ? tpr :
			      (isrv & 0xf0));
}

/* ---- the timer (SDM 11.5.4) ------------------------------------------ */

static u32 timer_mode(const struct vmxlab_lapic *a)
{
	return (reg(a, LAPIC_LVT_TIMER) & LAPIC_TIMER_MODE_MASK) >>
	       LAPIC_TIMER_MODE_SHIFT;
}

static void timer_arm(struct vmxlab_lapic *a, ktime_t expires)
{
	a->expires = expires;
	a->armed = true;
	hrtimer_start(&a->timer, expires, HRTIMER_MODE_ABS_HARD);
	trace_vmxlab_apic(apic_vcpu(a)->id, "timer-arm",
			  reg(a, LAPIC_LVT_TIMER) & LAPIC_LVT_VECTOR);
}

/*
 * Under the lock: a callback already running waits for the lock and then
 * sees !armed (or a later expiry), so it never fires for an old arming.
 */
static void timer_disarm(struct vmxlab_lapic *a)
{
	a->armed = false;
	hrtimer_try_to_cancel(&a->timer);
}

/* Nanoseconds for @count ticks of the bus clock through the divider. */
static u64 timer_ns(const struct vmxlab_lapic *a, u64 count)
{
	/*
	 * count * divisor < 2^39 (a 32-bit count, a divisor up to 128);
	 * the product with NSEC_PER_SEC would not fit 64 bits, so the
	 * scaling goes through mul_u64_u32_div's 128-bit intermediate.
	 */
	return mul_u64_u32_div(count * lapic_divisor(reg(a, LAPIC_TIMER_DIVIDE)),
			       NSEC_PER_SEC, LAPIC_BUS_HZ);
}

/*
 * Start counting (one-shot and periodic modes): a full period from the
 * initial count, the first one @first_ns long.
 */
static void timer_start(struct vmxlab_lapic *a, u64 first_ns)
{
	a->period_ns = timer_ns(a, reg(a, LAPIC_TIMER_INITIAL));
	if (timer_mode(a) == LAPIC_TIMER_PERIODIC)
		a->period_ns = max_t(u64, a->period_ns, LAPIC_MIN_PERIOD_NS);
	timer_arm(a, ktime_add_ns(ktime_get(), first_ns ?: a->period_ns));
}

/* Initial count written (one-shot and periodic modes). */
static void timer_start_count(struct vmxlab_lapic *a)
{
	timer_disarm(a);
	if (reg(a, LAPIC_TIMER_INITIAL) &&
	    timer_mode(a) != LAPIC_TIMER_TSC_DEADLINE)
		timer_start(a, 0);
}

/* The current-count register: what is left of this period. */
static u32 timer_current(const struct vmxlab_lapic *a)
{
	s64 left;

	if (!a->armed || timer_mode(a) == LAPIC_TIMER_TSC_DEADLINE)
		return 0;
	left = ktime_to_ns(ktime_sub(a->expires, ktime_get()));
	if (left <= 0)
		return 0;
	/* Bus ticks left, through the divider; at most the 32-bit count. */
	return min_t(u64, div64_u64(mul_u64_u32_div(left, LAPIC_BUS_HZ,
						    NSEC_PER_SEC),
				    lapic_divisor(reg(a, LAPIC_TIMER_DIVIDE))),
		     U32_MAX);
}

/* IA32_TSC_DEADLINE: fire when the guest's TSC reaches @deadline. */
static void timer_set_deadline(struct vmxlab_lapic *a, u64 deadline)
{
	struct vmxlab_vcpu *vcpu = apic_vcpu(a);
	u64 now = rdtsc() + vcpu->tsc_offset, ns = 0;

	timer_disarm(a);
	a->tsc_deadline = deadline;
	if (!deadline)
		return;
	/*
	 * The guest TSC runs at the host's rate (an offset, SDM 25.6.5).
	 * A deadline centuries away (any 64-bit value is allowed) must not
	 * overflow the conversion, whose quotient has to fit 64 bits
	 * (mul_u64_u32_div divides with DIV, which faults otherwise), nor
	 * ktime: it is clamped to LAPIC_FAR_NS, which never comes.
	 */
	if (deadline > now && tsc_khz) {
		if (div64_u64(deadline - now, tsc_khz) >= LAPIC_FAR_NS / 1000000)
			ns = LAPIC_FAR_NS;
		else
			ns = mul_u64_u32_div(deadline - now, 1000000, tsc_khz);
	}
	timer_arm(a, ktime_add_ns(ktime_get(), ns));
}

static bool accept(struct vmxlab_lapic *a, u32 dm, u8 vector, bool level);

static enum hrtimer_restart timer_fired(struct hrtimer *t)
{
	struct vmxlab_lapic *a = container_of(t, struct vmxlab_lapic, timer);
	enum hrtimer_restart restart = HRTIMER_NORESTART;
	bool delivered = false;
	unsigned long flags;
	u32 lvt;

	spin_lock_irqsave(&a->lock, flags);
	if (!a->armed || ktime_before(hrtimer_cb_get_time(t), a->expires))
		goto out;
	lvt = reg(a, LAPIC_LVT_TIMER);
	a->timer_fires++;
	/* A masked timer still counts; it just interrupts no one. */
	if (!(lvt & LAPIC_LVT_MASKED))
		delivered = accept(a, LAPIC_DM_FIXED, lvt & LAPIC_LVT_VECTOR,
				   false);
	switch (timer_mode(a)) {
	case LAPIC_TIMER_PERIODIC:
		/*
		 * The next period starts at this expiry, not now, so the
		 * ticks do not drift; ticks missed meanwhile are dropped,
		 * as IRR holds one of each vector anyway.
		 */
		a->expires = ktime_add_ns(a->expires, a->period_ns);
		if (ktime_before(a->expires, ktime_get()))
			a->expires = ktime_add_ns(ktime_get(), a->period_ns);
		hrtimer_set_expires(t, a->expires);
		restart = HRTIMER_RESTART;
		break;
	case LAPIC_TIMER_TSC_DEADLINE:
		a->tsc_deadline = 0;	/* SDM 11.5.4.1: reads 0 after */
		a->armed = false;
		break;
	default:
		a->armed = false;
		break;
	}
out:
	spin_unlock_irqrestore(&a->lock, flags);
	if (delivered) {
		trace_vmxlab_apic(apic_vcpu(a)->id, "timer-fire",
				  lvt & LAPIC_LVT_VECTOR);
		vcpu_kick(apic_vcpu(a));
	}
	return restart;
}

/* ---- accepting interrupts (SDM 11.5-11.8) ---------------------------- */

static void log_error(struct vmxlab_lapic *a, u32 err)
{
	u32 lvt = reg(a, LAPIC_LVT_ERROR);

	a->esr_pending |= err;
	/* The error interrupt (SDM 11.5.3); never for a vector below 16. */
	if (!(lvt & LAPIC_LVT_MASKED) && (lvt & LAPIC_LVT_VECTOR) >= 16 &&
	    hw_enabled(a) && sw_enabled(a)) {
		vec_set(a, LAPIC_IRR, lvt & LAPIC_LVT_VECTOR);
		vec_clear(a, LAPIC_TMR, lvt & LAPIC_LVT_VECTOR);
	}
}

/*
 * One APIC takes a message, lock held.  Fixed and lowest-priority
 * interrupts set IRR (and TMR for level-triggered ones, SDM 11.8.4);
 * a software-disabled APIC refuses them (SDM 11.4.7.2) but still takes
 * NMIs.  Vectors 0-15 are illegal (SDM 11.5.2).
 */
static bool accept(struct vmxlab_lapic *a, u32 dm, u8 vector, bool level)
{
	if (!hw_enabled(a))
		return false;
	switch (dm) {
	case LAPIC_DM_FIXED:
	case LAPIC_DM_LOWEST:
		if (!sw_enabled(a))
			return false;
		if (vector < 16) {
			log_error(a, LAPIC_ESR_RECV_ILLEGAL);
			return true;
		}
		vec_set(a, LAPIC_IRR, vector);
		if (level)
			vec_set(a, LAPIC_TMR, vector);
		else
			vec_clear(a, LAPIC_TMR, vector);
		return true;
	case LAPIC_DM_NMI:
		a->nmi_pending = true;
		return true;
	default:
		/* INIT and SIPI come with several vCPUs; SMM is not modelled. */
		return false;
	}
}

bool lapic_accept(struct vmxlab_vcpu *vcpu, u32 dm, u8 vector, bool level)
{
	struct vmxlab_lapic *a = &vcpu->apic;
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&a->lock, flags);
	ok = accept(a, dm, vector, level);
	spin_unlock_irqrestore(&a->lock, flags);
	if (ok) {
		trace_vmxlab_apic(vcpu->id, "accept", vector);
		vcpu_kick(vcpu);
	}
	return ok;
}

static u32 apic_id(const struct vmxlab_lapic *a)
{
	return x2apic(a) ? reg(a, LAPIC_ID) : reg(a, LAPIC_ID) >> 24;
}

/* Does @dest name this APIC (SDM 11.6.2, 11.12.10)? */
bool lapic_match(struct vmxlab_vcpu *vcpu, u32 dest, bool logical)
{
	const struct vmxlab_lapic *a = &vcpu->apic;
	u32 ldr = reg(a, LAPIC_LDR);

	if (x2apic(a)) {
		if (dest == 0xffffffff)
			return true;
		if (!logical)
			return dest == apic_id(a);
		return (dest >> 16) == (ldr >> 16) && (dest & ldr & 0xffff);
	}
	dest &= 0xff;
	if (dest == 0xff)
		return true;		/* broadcast, both models */
	if (!logical)
		return dest == apic_id(a);
	ldr >>= 24;
	if ((reg(a, LAPIC_DFR) >> 28) == 0xf)
		return dest & ldr;	/* flat: a bit per APIC */
	/* Cluster: cluster in bits 7:4, a bit per APIC in 3:0. */
	return (dest >> 4) == (ldr >> 4) && (dest & ldr & 0xf);
}

u8 lapic_tpr(struct vmxlab_vcpu *vcpu)
{
	return READ_ONCE(vcpu->apic.regs[LAPIC_TPR >> 2]);
}

/* ---- the registers --------------------------------------------------- */

/* What a register write asks of the caller once the lock is dropped. */
struct lapic_after {
	int eoi_vector;		/* a level-triggered EOI, or -1 */
	bool send;		/* ICR written: send the IPI */
	u32 icr, dest;
};

/* EOI (SDM 11.8.5): the highest vector in service is done. */
static int eoi(struct vmxlab_lapic *a)
{
	int v = vec_highest(a, LAPIC_ISR);

	if (v < 0)
		return -1;
	vec_clear(a, LAPIC_ISR, v);
	update_ppr(a);
	a->eois++;
	return vec_test(a, LAPIC_TMR, v) ? v : -1;
}

/* Writable bits of each LVT (SDM Figure 11-8). */
static u32 lvt_writable(u32 off)
{
	switch (off) {
	case LAPIC_LVT_TIMER:
		return LAPIC_LVT_VECTOR | LAPIC_LVT_MASKED | LAPIC_TIMER_MODE_MASK;
	case LAPIC_LVT_LINT0:
	case LAPIC_LVT_LINT1:
		return LAPIC_LVT_VECTOR | LAPIC_LVT_DM_MASK | LAPIC_LVT_LEVEL_LOW |
		       LAPIC_LVT_LEVEL | LAPIC_LVT_MASKED;
	case LAPIC_LVT_ERROR:
		return LAPIC_LVT_VECTOR | LAPIC_LVT_MASKED;
	default:
		return LAPIC_LVT_VECTOR | LAPIC_LVT_DM_MASK | LAPIC_LVT_MASKED;
	}
}

static const u32 lvt_regs[] = {
	LAPIC_LVT_TIMER, LAPIC_LVT_THERMAL, LAPIC_LVT_PERF,
	LAPIC_LVT_LINT0, LAPIC_LVT_LINT1, LAPIC_LVT_ERROR,
};

static void write_lvt(struct vmxlab_lapic *a, u32 off, u32 val)
{
	u32 old = reg(a, off);

	val &= lvt_writable(off);
	/* While software-disabled, the masks cannot be cleared (11.4.7.2). */
	if (!sw_enabled(a))
		val |= LAPIC_LVT_MASKED;
	/* TSC-deadline mode exists only where CPUID says so: it does. */
	if (off == LAPIC_LVT_TIMER &&
	    (val & LAPIC_TIMER_MODE_MASK) == LAPIC_TIMER_MODE_MASK)
		val &= ~LAPIC_TIMER_MODE_MASK;
	set_reg(a, off, val);
	/* Changing the timer mode disarms the timer (SDM 11.5.4.1). */
	if (off == LAPIC_LVT_TIMER &&
	    ((old ^ val) & LAPIC_TIMER_MODE_MASK)) {
		timer_disarm(a);
		a->tsc_deadline = 0;
		set_reg(a, LAPIC_TIMER_INITIAL, 0);
	}
}

/* A register write of the guest (xAPIC layout, 32 bits), lock held. */
static void write_reg(struct vmxlab_lapic *a, u32 off, u32 val,
		      struct lapic_after *after)
{
	unsigned int i;

	switch (off) {
	case LAPIC_ID:
		if (!x2apic(a))
			set_reg(a, off, val & 0xff000000);
		break;
	case LAPIC_TPR:
		set_reg(a, off, val & 0xff);
		update_ppr(a);
		break;
	case LAPIC_EOI:
		after->eoi_vector = eoi(a);
		break;
	case LAPIC_LDR:
		if (!x2apic(a))
			set_reg(a, off, val & 0xff000000);
		break;
	case LAPIC_DFR:
		if (!x2apic(a))
			set_reg(a, off, val | 0x0fffffff);
		break;
	case LAPIC_SVR:
		/* Bit 12 (EOI-broadcast suppression) is not offered. */
		set_reg(a, off, val & (LAPIC_SVR_ENABLE | LAPIC_SVR_VECTOR));
		if (!(val & LAPIC_SVR_ENABLE))
			for (i = 0; i < ARRAY_SIZE(lvt_regs); i++)
				set_reg(a, lvt_regs[i],
					reg(a, lvt_regs[i]) | LAPIC_LVT_MASKED);
		break;
	case LAPIC_ESR:
		/* A write makes the errors since the last one readable. */
		set_reg(a, off, a->esr_pending);
		a->esr_pending = 0;
		break;
	case LAPIC_ICR_LOW:
		set_reg(a, off, val & LAPIC_ICR_LOW_DEFINED & ~LAPIC_ICR_BUSY);
		after->send = true;
		after->icr = val;
		after->dest = x2apic(a) ? reg(a, LAPIC_ICR_HIGH) :
			      reg(a, LAPIC_ICR_HIGH) >> 24;
		break;
	case LAPIC_ICR_HIGH:
		set_reg(a, off, x2apic(a) ? val : val & 0xff000000);
		break;
	case LAPIC_LVT_TIMER:
	case LAPIC_LVT_THERMAL:
	case LAPIC_LVT_PERF:
	case LAPIC_LVT_LINT0:
	case LAPIC_LVT_LINT1:
	case LAPIC_LVT_ERROR:
		write_lvt(a, off, val);
		break;
	case LAPIC_TIMER_INITIAL:
		/* Ignored in TSC-deadline mode (SDM 11.5.4.1). */
		if (timer_mode(a) == LAPIC_TIMER_TSC_DEADLINE)
			break;
		set_reg(a, off, val);
		timer_start_count(a);
		break;
	case LAPIC_TIMER_DIVIDE:
		/* The divider applies from the next count written. */
		set_reg(a, off, val & 0xb);
		break;
	default:
		/* Read-only and reserved registers ignore xAPIC writes. */
		break;
	}
}

static u32 read_reg(const struct vmxlab_lapic *a, u32 off)
{
	switch (off) {
	case LAPIC_EOI:
	case LAPIC_SELF_IPI:
		return 0;
	case LAPIC_TIMER_CURRENT:
		return timer_current(a);
	default:
		return off < LAPIC_REGS_SIZE ? reg(a, off) : 0;
	}
}

/* Send what an ICR write asked for (SDM 11.6.1), lock dropped. */
static void send_ipi(struct vmxlab_vcpu *vcpu, const struct lapic_after *after)
{
	u32 icr = after->icr, dm = (icr >> LAPIC_ICR_DM_SHIFT) & 7;
	u8 vector = icr & LAPIC_ICR_VECTOR;
	struct vmxlab_lapic *a = &vcpu->apic;
	unsigned long flags;

	if ((dm == LAPIC_DM_FIXED || dm == LAPIC_DM_LOWEST) && vector < 16) {
		spin_lock_irqsave(&a->lock, flags);
		log_error(a, LAPIC_ESR_SEND_ILLEGAL);
		spin_unlock_irqrestore(&a->lock, flags);
		return;
	}
	a->ipis++;
	trace_vmxlab_apic(vcpu->id, "ipi", vector);
	apic_bus_send(vcpu->vm, vcpu, (icr >> LAPIC_ICR_SHORTHAND_SHIFT) & 3,
		      after->dest, icr & LAPIC_ICR_LOGICAL, dm, vector,
		      icr & LAPIC_ICR_LEVEL);
}

static int finish_write(struct vmxlab_vcpu *vcpu, struct lapic_after *after)
{
	if (after->send)
		send_ipi(vcpu, after);
	if (after->eoi_vector >= 0)
		trace_vmxlab_apic(vcpu->id, "eoi-level", after->eoi_vector);
	return after->eoi_vector;
}

/* ---- the xAPIC page -------------------------------------------------- */

bool lapic_mmio_hit(struct vmxlab_vcpu *vcpu, u64 gpa)
{
	struct vmxlab_lapic *a = &vcpu->apic;

	return hw_enabled(a) && !x2apic(a) &&
	       (gpa & PAGE_MASK) == (a->base & PAGE_MASK & ~0xfffULL);
}

/*
 * Registers are 32 bits at 16-byte boundaries; the SDM defines only
 * aligned 32-bit accesses (11.4.1).  vmxlab answers narrower reads with
 * the bytes they cover and ignores other writes.
 */
u64 lapic_mmio_read(struct vmxlab_vcpu *vcpu, u64 gpa, unsigned int size)
{
	struct vmxlab_lapic *a = &vcpu->apic;
	u32 off = gpa & 0xfff, byte = off & 15;
	unsigned long flags;
	u64 val;

	if (byte >= 4)
		return 0;
	spin_lock_irqsave(&a->lock, flags);
	val = read_reg(a, off & ~15U) >> (8 * byte);
	spin_unlock_irqrestore(&a->lock, flags);
	return size >= 4 ? val : val & GENMASK_ULL(size * 8 - 1, 0);
}

int lapic_mmio_write(struct vmxlab_vcpu *vcpu, u64 gpa, unsigned int size,
		     u64 val)
{
	struct lapic_after after = { .eoi_vector = -1 };
	struct vmxlab_lapic *a = &vcpu->apic;
	u32 off = gpa & 0xfff;
	unsigned long flags;

	if (size != 4 || (off & 15))
		return -1;
	spin_lock_irqsave(&a->lock, flags);
	write_reg(a, off, val, &after);
	spin_unlock_irqrestore(&a->lock, flags);
	return finish_write(vcpu, &after);
}

/* ---- MSRs: x2APIC, IA32_APIC_BASE, IA32_TSC_DEADLINE ----------------- */

bool lapic_is_msr(u32 index)
{
	return index == MSR_IA32_APICBASE || index == LAPIC_MSR_TSC_DEADLINE ||
	       (index >= LAPIC_X2APIC_MSR_BASE && index <= LAPIC_X2APIC_MSR_LAST);
}

int lapic_msr_read(struct vmxlab_vcpu *vcpu, u32 index, u64 *data)
{
	struct vmxlab_lapic *a = &vcpu->apic;
	u32 off = (index - LAPIC_X2APIC_MSR_BASE) << 4;
	unsigned long flags;
	int r = 0;

	if (index == MSR_IA32_APICBASE) {
		*data = a->base;
		return 0;
	}
	spin_lock_irqsave(&a->lock, flags);
	if (index == LAPIC_MSR_TSC_DEADLINE) {
		*data = timer_mode(a) == LAPIC_TIMER_TSC_DEADLINE ?
			a->tsc_deadline : 0;
	} else if (!x2apic(a) || !lapic_x2apic_reg_exists(off) ||
		   off == LAPIC_EOI || off == LAPIC_SELF_IPI) {
		r = -EINVAL;		/* SDM 11.12.1.2: #GP */
	} else {
		*data = read_reg(a, off);
		if (off == LAPIC_ICR_LOW)
			*data |= (u64)reg(a, LAPIC_ICR_HIGH) << 32;
	}
	spin_unlock_irqrestore(&a->lock, flags);
	return r;
}

int lapic_msr_write(struct vmxlab_vcpu *vcpu, u32 index, u64 data, int *eoi)
{
	struct lapic_after after = { .eoi_vector = -1 };
	struct vmxlab_lapic *a = &vcpu->apic;
	u32 off = (index - LAPIC_X2APIC_MSR_BASE) << 4;
	unsigned long flags;

	*eoi = -1;
	if (index == MSR_IA32_APICBASE)
		return lapic_set_base(vcpu, data, false);
	spin_lock_irqsave(&a->lock, flags);
	if (index == LAPIC_MSR_TSC_DEADLINE) {
		/* Ignored outside TSC-deadline mode (SDM 11.5.4.1). */
		if (timer_mode(a) == LAPIC_TIMER_TSC_DEADLINE)
			timer_set_deadline(a, data);
		goto out;
	}
	/*
	 * SDM 11.12.1.2-3: #GP for a register that does not exist or is
	 * read-only, for reserved bits, and for EOI with a non-zero value.
	 */
	if (!x2apic(a) || !lapic_x2apic_reg_exists(off) || !lapic_x2apic_reg_writable(off) ||
	    (off != LAPIC_ICR_LOW && (data >> 32)) ||
	    (off == LAPIC_EOI && data) ||
	    (off == LAPIC_SELF_IPI && (data & ~0xffULL)) ||
	    (off == LAPIC_ICR_LOW && ((u32)data & ~LAPIC_ICR_LOW_DEFINED))) {
		spin_unlock_irqrestore(&a->lock, flags);
		return -EINVAL;
	}
	if (off == LAPIC_SELF_IPI) {
		/* SDM 11.12.11: a fixed, edge IPI to oneself. */
		after.send = true;
		after.icr = (data & 0xff) | (LAPIC_ICR_SH_SELF << LAPIC_ICR_SHORTHAND_SHIFT);
	} else {
		if (off == LAPIC_ICR_LOW)
			set_reg(a, LAPIC_ICR_HIGH, data >> 32);
		write_reg(a, off, data, &after);
	}
out:
	spin_unlock_irqrestore(&a->lock, flags);
	*eoi = finish_write(vcpu, &after);
	return 0;
}

/* ---- IA32_APIC_BASE and reset ---------------------------------------- */

/* The power-up state (SDM 11.4.7.1), which a disabled APIC returns to. */
static void reset_regs(struct vmxlab_vcpu *vcpu)
{
	struct vmxlab_lapic *a = &vcpu->apic;
	unsigned int i;

	timer_disarm(a);
	memset(a->regs, 0, LAPIC_REGS_SIZE);
	a->esr_pending = 0;
	a->nmi_pending = false;
	a->tsc_deadline = 0;
	set_reg(a, LAPIC_ID, vcpu->id << 24);
	set_reg(a, LAPIC_VERSION, LAPIC_VERSION_VALUE);
	set_reg(a, LAPIC_DFR, LAPIC_DFR_FLAT);
	set_reg(a, LAPIC_SVR, 0xff);
	for (i = 0; i < ARRAY_SIZE(lvt_regs); i++)
		set_reg(a, lvt_regs[i], LAPIC_LVT_MASKED);
	/*
	 * The loader plays the BIOS, which leaves the bootstrap processor
	 * in virtual-wire mode (MP spec 1.4, 3.6.2.2): LINT0 passes the
	 * 8259A's ExtINT, LINT1 the NMI pin.  KVM resets LINT0 the same.
	 */
	if (vcpu->id == 0) {
		set_reg(a, LAPIC_LVT_LINT0, LAPIC_DM_EXTINT << LAPIC_LVT_DM_SHIFT);
		set_reg(a, LAPIC_LVT_LINT1, LAPIC_DM_NMI << LAPIC_LVT_DM_SHIFT);
	}
}

u64 lapic_get_base(struct vmxlab_vcpu *vcpu)
{
	return vcpu->apic.base;
}

/*
 * The rules are cr_rules.c's (SDM Figure 11-27); userspace (SET_SREGS)
 * may set any valid state, the guest only make the allowed transitions.
 * Disabling the APIC resets it (SDM 11.4.3).
 */
int lapic_set_base(struct vmxlab_vcpu *vcpu, u64 val, bool from_user)
{
	struct vmxlab_lapic *a = &vcpu->apic;
	u64 old = a->base;
	unsigned long flags;

	if (apic_base_check(&vmx_caps.guest, from_user ? val : old, val) != CR_OK)
		return -EINVAL;
	spin_lock_irqsave(&a->lock, flags);
	a->base = val;
	if (!(val & LAPIC_BASE_ENABLE)) {
		reset_regs(vcpu);
	} else if ((val & LAPIC_BASE_EXTD) && !(old & LAPIC_BASE_EXTD)) {
		/* x2APIC: the 32-bit ID and the derived LDR (11.12.10.2). */
		set_reg(a, LAPIC_ID, vcpu->id);
		set_reg(a, LAPIC_LDR, ((vcpu->id >> 4) << 16) | BIT(vcpu->id & 15));
		set_reg(a, LAPIC_ICR_HIGH, 0);
	} else if (!(val & LAPIC_BASE_EXTD) && (old & LAPIC_BASE_EXTD)) {
		set_reg(a, LAPIC_ID, vcpu->id << 24);
		set_reg(a, LAPIC_LDR, 0);
	}
	spin_unlock_irqrestore(&a->lock, flags);
	return 0;
}

u64 lapic_get_cr8(struct vmxlab_vcpu *vcpu)
{
	return (READ_ONCE(vcpu->apic.regs[LAPIC_TPR >> 2]) >> 4) & 0xf;
}

void lapic_set_cr8(struct vmxlab_vcpu *vcpu, u64 cr8)
{
	struct vmxlab_lapic *a = &vcpu->apic;
	unsigned long flags;

	spin_lock_irqsave(&a->lock, flags);
	set_reg(a, LAPIC_TPR, (cr8 & 0xf) << 4);
	update_ppr(a);
	spin_unlock_irqrestore(&a->lock, flags);
}

/* ---- for events.c ---------------------------------------------------- */

/*
 * On the vCPU's own thread it needs no lock: ISR, TPR and PPR change
 * only there (the guest, and ioctls that hold the vCPU's mutex), and
 * other threads only add bits to IRR, so a stale read can only miss a
 * vector whose sender kicks the vCPU anyway.  HLT asks this on every
 * wake-up, the injection after it.
 */
int lapic_pending_vector(struct vmxlab_vcpu *vcpu)
{
	struct vmxlab_lapic *a = &vcpu->apic;
	int v;

	/* With the TPR shadow, MOV CR8 changed TPR without an exit. */
	update_ppr(a);
	v = hw_enabled(a) ? vec_highest(a, LAPIC_IRR) : -1;
	if (v >= 0 && (v & 0xf0) <= (reg(a, LAPIC_PPR) & 0xf0))
		v = -1;
	return v;
}

/*
 * The highest deliverable vector, moved from IRR to ISR at once (the
 * INTA of a real APIC), or -1: what events.c injects.
 */
int lapic_take_pending(struct vmxlab_vcpu *vcpu)
{
	struct vmxlab_lapic *a = &vcpu->apic;
	unsigned long flags;
	int v;

	/* The lock keeps IRR whole while this vector leaves it. */
	spin_lock_irqsave(&a->lock, flags);
	v = lapic_pending_vector(vcpu);
	if (v >= 0) {
		vec_clear(a, LAPIC_IRR, v);
		vec_set(a, LAPIC_ISR, v);
		update_ppr(a);
	}
	spin_unlock_irqrestore(&a->lock, flags);
	return v;
}

bool lapic_accepts_extint(struct vmxlab_vcpu *vcpu)
{
	struct vmxlab_lapic *a = &vcpu->apic;
	u32 lint0 = READ_ONCE(a->regs[LAPIC_LVT_LINT0 >> 2]);

	/* A globally disabled APIC leaves LINT0 as the INTR pin (11.4.3). */
	if (!hw_enabled(a))
		return true;
	return !(lint0 & LAPIC_LVT_MASKED) &&
	       ((lint0 & LAPIC_LVT_DM_MASK) >> LAPIC_LVT_DM_SHIFT) == LAPIC_DM_EXTINT;
}

/*
 * Without virtual-interrupt delivery, the TPR shadow exits only when the
 * guest lowers VTPR[7:4] below the threshold (SDM 30.1.2), and VM entry
 * requires threshold <= VTPR[7:4] (SDM 27.2.1.1).  So: the class of the
 * highest pending vector when TPR alone holds it back, else 0.
 */
u32 lapic_tpr_threshold(struct vmxlab_vcpu *vcpu)
{
	struct vmxlab_lapic *a = &vcpu->apic;
	u32 tpr_class, irr_class, isr_class;
	unsigned long flags;
	int irr, isr;

	if (lapic_irr_empty(vcpu))
		return 0;
	spin_lock_irqsave(&a->lock, flags);
	irr = vec_highest(a, LAPIC_IRR);
	isr = vec_highest(a, LAPIC_ISR);
	tpr_class = (reg(a, LAPIC_TPR) >> 4) & 0xf;
	spin_unlock_irqrestore(&a->lock, flags);
	if (irr < 0)
		return 0;
	irr_class = irr >> 4;
	isr_class = isr < 0 ? 0 : isr >> 4;
	return irr_class <= tpr_class && irr_class > isr_class ? irr_class : 0;
}

/*
 * Nothing in IRR: the common case, read without the lock before every
 * entry.  A vector set right after is not lost: its sender kicks the
 * vCPU, which then exits at once (events.c, vcpu_kick()).
 */
bool lapic_irr_empty(struct vmxlab_vcpu *vcpu)
{
	const u32 *irr = vcpu->apic.regs + LAPIC_IRR / 4;
	u32 any = 0;
	int i;

	for (i = 0; i < 8; i++)
		any |= READ_ONCE(irr[i * 4]);
	return !any;
}

bool lapic_nmi_pending(struct vmxlab_vcpu *vcpu)
{
	return READ_ONCE(vcpu->apic.nmi_pending);
}

bool lapic_take_nmi(struct vmxlab_vcpu *vcpu)
{
	struct vmxlab_lapic *a = &vcpu->apic;
	unsigned long flags;
	bool was;

	spin_lock_irqsave(&a->lock, flags);
	was = a->nmi_pending;
	a->nmi_pending = false;
	spin_unlock_irqrestore(&a->lock, flags);
	return was;
}

/* ---- state for userspace --------------------------------------------- */

void lapic_get_state(struct vmxlab_vcpu *vcpu, struct vmxlab_lapic_state *s)
{
	struct vmxlab_lapic *a = &vcpu->apic;
	unsigned long flags;
	u32 cur;

	spin_lock_irqsave(&a->lock, flags);
	memcpy(s->regs, a->regs, LAPIC_REGS_SIZE);
	cur = timer_current(a);
	spin_unlock_irqrestore(&a->lock, flags);
	memcpy(s->regs + LAPIC_TIMER_CURRENT, &cur, sizeof(cur));
}

/*
 * Loads the page as it is (a snapshot's), except for what is not state:
 * the version stays vmxlab's and PPR is recomputed.  A running one-shot
 * or periodic timer restarts from the current count saved with it.
 */
int lapic_set_state(struct vmxlab_vcpu *vcpu, const struct vmxlab_lapic_state *s)
{
	struct vmxlab_lapic *a = &vcpu->apic;
	unsigned long flags;
	u32 cur;

	memcpy(&cur, s->regs + LAPIC_TIMER_CURRENT, sizeof(cur));
	spin_lock_irqsave(&a->lock, flags);
	timer_disarm(a);
	memcpy(a->regs, s->regs, LAPIC_REGS_SIZE);
	set_reg(a, LAPIC_VERSION, LAPIC_VERSION_VALUE);
	set_reg(a, LAPIC_TIMER_CURRENT, 0);
	update_ppr(a);
	if (cur && timer_mode(a) != LAPIC_TIMER_TSC_DEADLINE)
		timer_start(a, timer_ns(a, cur));
	spin_unlock_irqrestore(&a->lock, flags);
	return 0;
}

int lapic_init(struct vmxlab_vcpu *vcpu)
{
	struct vmxlab_lapic *a = &vcpu->apic;

	a->regs = (u32 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!a->regs)
		return -ENOMEM;
	spin_lock_init(&a->lock);
	hrtimer_init(&a->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_HARD);
	a->timer.function = timer_fired;
	/* The bootstrap processor's xAPIC at its architectural address. */
	a->base = LAPIC_DEFAULT_BASE | LAPIC_BASE_ENABLE |
		  (vcpu->id == 0 ? LAPIC_BASE_BSP : 0);
	reset_regs(vcpu);
	return 0;
}

void lapic_destroy(struct vmxlab_vcpu *vcpu)
{
	struct vmxlab_lapic *a = &vcpu->apic;
	unsigned long flags;

	spin_lock_irqsave(&a->lock, flags);
	a->armed = false;
	spin_unlock_irqrestore(&a->lock, flags);
	hrtimer_cancel(&a->timer);
	free_page((unsigned long)a->regs);
	a->regs = NULL;
}
