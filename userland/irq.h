/* SPDX-License-Identifier: GPL-2.0 */
/*
 * irq.h - how the loader's devices raise interrupts (KVM's "split
 * irqchip": the chipset here, the local APIC in the kernel).
 *
 *   PIT, RTC, UART, ...                                  the kernel
 *        |  irq_line_set(line, level)
 *        v
 *   pc_set_irq(gsi) --+--> 8259A pair (IRQ 0-15) --INTR--> ExtINT, injected
 *                     |                                    through LINT0 with
 *                     |                                    VMXLAB_INTERRUPT
 *                     +--> 82093AA IOAPIC (GSI 0-23) --MSI--> local APIC
 *                                                  (VMXLAB_SIGNAL_MSI)
 *
 * Every device model is called with the platform lock held (one thread
 * at a time), so models need no locking of their own.  Time is passed in
 * explicitly, in nanoseconds of CLOCK_MONOTONIC, so that the host unit
 * tests drive the clock.
 */
#ifndef VMXLAB_IRQ_H
#define VMXLAB_IRQ_H

#include <stdint.h>

/*
 * One interrupt request line, from a device to the interrupt router.
 * @set is called with the new level (0 or 1) of line @line; an edge is
 * a 0 -> 1 transition.  A line with no @set goes nowhere (unit tests).
 */
struct irq_line {
	void (*set)(void *opaque, unsigned line, int level);
	void *opaque;
	unsigned line;
};

static inline void irq_line_set(const struct irq_line *l, int level)
{
	if (l->set)
		l->set(l->opaque, l->line, level);
}

/* A pulse: the edge a device makes when its output is a short pulse. */
static inline void irq_line_pulse(const struct irq_line *l)
{
	irq_line_set(l, 1);
	irq_line_set(l, 0);
}

/*
 * An interrupt message (MSI format, Intel SDM Vol. 3A 11.11 "Message
 * Signalled Interrupts"): what the IOAPIC sends to the local APICs.
 * Address: 0xfee00000 | destination ID << 12 | RH << 3 | DM << 2.
 * Data: vector 7:0, delivery mode 10:8, level 14, trigger mode 15.
 */
struct irq_msi_sink {
	void (*send)(void *opaque, uint64_t addr, uint32_t data);
	void *opaque;
};

#define MSI_ADDR_BASE		0xfee00000ULL
#define MSI_ADDR_DEST_SHIFT	12
#define MSI_ADDR_DEST_LOGICAL	(1U << 2)
#define MSI_DATA_VECTOR_MASK	0xffU
#define MSI_DATA_DM_SHIFT	8
#define MSI_DATA_LEVEL_ASSERT	(1U << 14)
#define MSI_DATA_TRIGGER_LEVEL	(1U << 15)

/* Delivery modes (SDM Vol. 3A Table 11-2 and the 82093AA datasheet). */
#define IRQ_DM_FIXED		0
#define IRQ_DM_LOWEST		1
#define IRQ_DM_SMI		2
#define IRQ_DM_NMI		4
#define IRQ_DM_INIT		5
#define IRQ_DM_SIPI		6
#define IRQ_DM_EXTINT		7

/* "No deadline": a timer device with nothing armed returns this. */
#define IRQ_NO_DEADLINE		UINT64_MAX

#endif /* VMXLAB_IRQ_H */
