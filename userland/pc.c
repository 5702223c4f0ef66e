// SPDX-License-Identifier: GPL-2.0
/* pc.c - wires the device models into the port and MMIO maps. */
#include "pc.h"
#include "util.h"

int pc_init(struct pc *pc, FILE *console, uint64_t ram_size,
	    time_t (*now)(void))
{
	struct platform *p = &pc->plat;

	platform_init(p, console);
	if (uart_attach(p, &pc->com1, COM1_BASE) ||
	    debugexit_attach(p, DEBUG_EXIT_PORT) ||
	    fwcfg_attach(p, &pc->fwcfg, ram_size, 1) ||
	    pic_attach(p, &pc->pic) ||
	    cmos_attach(p, &pc->cmos, ram_size, now) ||
	    apic_attach(p, &pc->apic, APIC_BASE_GPA) ||
	    scratch_attach(p, &pc->scratch, SCRATCH_GPA)) {
		error("the device map is inconsistent (overlapping devices)");
		return -1;
	}
	return 0;
}
