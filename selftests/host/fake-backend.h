/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fake-backend.h - a scripted backend for the run loop and the stepper.
 *
 * Each RUN returns the next scripted step.  Around it the fake plays the
 * module's part: the exit ring (kernel exits written before the step,
 * the step's own record for a userspace exit, tsc_entry at the next
 * entry, RING_FULL when a lossless ring has no room), the debug setup
 * (recorded per RUN), VMCS fields and a canned translation.
 */
#ifndef VMXLAB_FAKE_BACKEND_H
#define VMXLAB_FAKE_BACKEND_H

#include "backend.h"

#define FAKE_MAX_STEPS		64
#define FAKE_MAX_KEXITS		8
#define FAKE_MAX_FIELDS		32

struct fake_step {
	int ret;
	struct vmxlab_run run;
	/* Exit reasons the "kernel" handles before this step returns. */
	uint32_t kexits[FAKE_MAX_KEXITS];
	unsigned nkexits;
};

struct fake_field {
	uint32_t enc;
	uint64_t val;
	bool writable;
};

struct fake {
	struct vmxlab_run run;
	struct fake_step steps[FAKE_MAX_STEPS];
	unsigned n, next, kdone;
	/* The run structure and the debug setup as each RUN saw them. */
	struct vmxlab_run seen[FAKE_MAX_STEPS];
	struct vmxlab_debug armed[FAKE_MAX_STEPS];
	struct vmxlab_debug debug;
	unsigned nset_debug;
	int debug_ret;			/* set_debug's answer, 0 by default */
	struct vmxlab_regs regs;
	struct vmxlab_sregs sregs;
	struct fake_field fields[FAKE_MAX_FIELDS];
	unsigned nfields;
	struct vmxlab_translation xlate;
	int xlate_ret;
	/* The ring: NULL until set_ring; ring_ret refuses it. */
	struct vmxlab_ring *ring;
	uint32_t ring_n;
	int ring_ret;
	/* The checker's answer (check_entry); check_ret refuses it. */
	struct vmxlab_check_failure failures[8];
	uint32_t nfailures;
	int check_ret;
	uint64_t clock;			/* the guest TSC */
	unsigned ring_full_returns;
};

extern const struct backend_ops fake_ops;

/* Appends a step; returns it for more setup. */
struct fake_step *fake_add(struct fake *f, int ret, struct vmxlab_run run);
/* A VMXLAB_EXIT_STOP of @kind at @rip, for hardware exit @hw. */
struct fake_step *fake_stop(struct fake *f, uint32_t kind, uint32_t hw,
			    uint64_t rip);
void fake_field(struct fake *f, uint32_t enc, uint64_t val, bool writable);

#endif /* VMXLAB_FAKE_BACKEND_H */
