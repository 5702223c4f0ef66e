/* SPDX-License-Identifier: GPL-2.0 */
/* pc.h - the emulated PC: all device models on one platform. */
#ifndef VMXLAB_PC_H
#define VMXLAB_PC_H

#include "devices.h"
#include "platform.h"

struct pc {
	struct platform plat;
	struct uart com1;
	struct fwcfg fwcfg;
	struct pic pic;
	struct cmos cmos;
	struct apic apic;
	struct scratch scratch;
};

/* Builds the PC with guest text going to @console; 0 or -1. */
int pc_init(struct pc *pc, FILE *console, uint64_t ram_size,
	    time_t (*now)(void));

#endif /* VMXLAB_PC_H */
