/* SPDX-License-Identifier: GPL-2.0 */
/*
 * step-view.h - what the stepper prints: registers, code, the stop line
 * and the VMCS fields that changed between two stops.  These read only
 * their arguments (and guest memory), so they are tested with golden text.
 */
#ifndef VMXLAB_STEP_VIEW_H
#define VMXLAB_STEP_VIEW_H

#include <stdint.h>
#include <stdio.h>

#include <linux/vmxlab.h>

#include "backend.h"
#include "guest.h"

/*
 * The guest-state fields compared at each stop: where the guest is, its
 * mode, and what the last exit said.
 */
#define STEP_WATCH_FIELDS	17
extern const uint32_t step_watch[STEP_WATCH_FIELDS];

struct vmcs_snapshot {
	uint64_t val[STEP_WATCH_FIELDS];
	uint32_t valid;		/* bit i: val[i] was read */
};

/* Reads the watched fields; the ones that fail stay invalid. */
void vmcs_snapshot_take(struct backend *be, struct vmcs_snapshot *s);
/*
 * "changed: NAME 0xOLD -> 0xNEW" for each field valid in both and
 * different, in step_watch order.  Returns how many lines it printed.
 */
unsigned vmcs_snapshot_diff(const struct vmcs_snapshot *old,
			    const struct vmcs_snapshot *new, FILE *out);

/* "[ PF ZF IF ]", with IOPL=n when it is not 0. */
void view_rflags(uint64_t rflags, char *buf, size_t len);
/* The `apic` command: vectors pending and in service, priorities, LVT. */
void view_apic(FILE *out, const struct vmxlab_lapic_state *st);
void view_regs(FILE *out, const struct vmxlab_regs *r,
	       const struct vmxlab_sregs *s);

/*
 * @n (at most 4) instructions from CS:@rip, read through the guest's
 * page tables, the first marked "=>" when @mark:
 *   "=> 0x1004:  ee                       out dx, al"
 */
void view_code(FILE *out, const struct guest *g,
	       const struct vmxlab_sregs *s, uint64_t rip, unsigned n,
	       bool mark);
/* The same for bytes already read, shown at addresses from @addr. */
void view_insns(FILE *out, const uint8_t *buf, size_t have, uint64_t addr,
		unsigned bits, unsigned n, bool mark);

/*
 * "stop: exit IO_INSTRUCTION dir=out port=0x3f8 size=1 rip=0x1004", or
 * "stop: step MONITOR_TRAP_FLAG rip=...", or "stop: breakpoint N ...".
 * @bp is the breakpoint's number (1-based), 0 if none matches.
 */
void view_stop_line(FILE *out, const struct vmxlab_run *run, unsigned bp);

#endif /* VMXLAB_STEP_VIEW_H */
