// SPDX-License-Identifier: GPL-2.0
/*
 * pc.c - wires the device models into the port and MMIO maps, and their
 * interrupt lines to the ISA IRQs a PC gives them.  The local APIC is
 * not here: it is the hypervisor's (kmod/lapic.c, or KVM's).
 */
#include "pc.h"
#include "util.h"

/* The keyboard controller's reset pulse (0xFE): the run ends. */
static void pc_reset(void *opaque)
{
	struct platform *p = opaque;

	p->reset_requested = true;
}

int pc_init(struct pc *pc, FILE *console, uint64_t ram_size,
	    time_t (*now)(void))
{
	struct platform *p = &pc->plat;

	platform_init(p, console);
	if (uart_attach(p, &pc->com1, COM1_BASE) ||
	    debugexit_attach(p, DEBUG_EXIT_PORT) ||
	    fwcfg_attach(p, &pc->fwcfg, ram_size, 1) ||
	    pic_attach(p, &pc->pic) ||
	    ioapic_attach(p, &pc->ioapic, IOAPIC_BASE_GPA) ||
	    pit_attach(p, &pc->pit, NULL, NULL) ||
	    cmos_attach(p, &pc->cmos, ram_size, now) ||
	    i8042_attach(p, &pc->kbc) ||
	    crtc_attach(p, &pc->crtc) ||
	    scratch_attach(p, &pc->scratch, SCRATCH_GPA)) {
		error("the device map is inconsistent (overlapping devices)");
		return -1;
	}
	pc->kbc.reset = pc_reset;
	pc->kbc.reset_opaque = p;
	return 0;
}

void pc_wire_irqs(struct pc *pc, void (*set)(void *, unsigned, int),
		  void *opaque, uint64_t (*now_ns)(void *), void *clock)
{
	pc->pit.irq0 = (struct irq_line){ set, opaque, 0 };
	pc->pit.now_ns = now_ns;
	pc->pit.clock_opaque = clock;
	pc->kbc.irq1 = (struct irq_line){ set, opaque, 1 };
	pc->com1.irq = (struct irq_line){ set, opaque, COM1_IRQ };
	pc->cmos.irq = (struct irq_line){ set, opaque, RTC_IRQ };
	pc->cmos.now_ns = now_ns;
	pc->cmos.clock_opaque = clock;
	pc->kbc.irq12 = (struct irq_line){ set, opaque, 12 };
}
