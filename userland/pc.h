/* SPDX-License-Identifier: GPL-2.0 */
/* pc.h - the emulated PC: all device models on one platform. */
#ifndef VMXLAB_PC_H
#define VMXLAB_PC_H

#include "devices.h"
#include "irq.h"
#include "platform.h"

struct pc {
	struct platform plat;
	struct uart com1;
	struct fwcfg fwcfg;
	struct pic pic;
	struct ioapic ioapic;
	struct pit pit;
	struct cmos cmos;
	struct i8042 kbc;
	struct crtc crtc;
	struct scratch scratch;
};

/* Builds the PC with guest text going to @console; 0 or -1. */
int pc_init(struct pc *pc, FILE *console, uint64_t ram_size,
	    time_t (*now)(void));

/*
 * Connects every device's interrupt line to @set (the router, called
 * with the ISA IRQ number) and the timers to @now_ns.
 */
void pc_wire_irqs(struct pc *pc, void (*set)(void *, unsigned, int),
		  void *opaque, uint64_t (*now_ns)(void *), void *clock);

#endif /* VMXLAB_PC_H */
