/* SPDX-License-Identifier: GPL-2.0 */
/*
 * step.h - vmxlab step: an interactive stepper over VMXLAB_SET_DEBUG.
 *
 * Commands are read line by line (step-cmds.h); a prompt is printed only
 * when the input is a terminal, so a piped script gives a clean
 * transcript on the output.  The guest's devices keep working while it
 * is stepped: exits that reach userspace are served by the same code as
 * "vmxlab run" (vcpu_loop_handle()), and the session ends, with run's
 * exit status, when the guest does.
 */
#ifndef VMXLAB_STEP_H
#define VMXLAB_STEP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/vmxlab.h>

#include "runloop.h"
#include "step-cmds.h"
#include "step-view.h"

struct stepper {
	struct vcpu_loop *loop;
	struct backend *be;
	FILE *in, *out;
	bool prompt;
	uint64_t stop_reasons[2];	/* what continue stops at */
	uint64_t stop_vectors[4];	/* ... and before which interrupts */
	/*
	 * Into a handler: the INT3 planted at its first byte while the
	 * guest takes the interrupt the last stop showed (step.c).
	 */
	bool into_handler;
	uint64_t bp[VMXLAB_MAX_BREAKPOINTS];
	bool bp_used[VMXLAB_MAX_BREAKPOINTS];
	/* The VMCS at the previous report, for "changed:" lines. */
	struct vmcs_snapshot last;
	/* The debug setup the module has, to skip redundant ioctls. */
	struct vmxlab_debug armed;
	bool have_armed;
	int status;		/* the guest's end status; -1 while it runs */
};

/* Stops at every exit, no breakpoints, the guest not started. */
void stepper_init(struct stepper *s, struct vcpu_loop *loop, FILE *in,
		  FILE *out, bool prompt);
/* Reads and runs commands until quit, end of input or the guest's end. */
int stepper_run(struct stepper *s);
/* One command line; false when the session is over. */
bool stepper_command(struct stepper *s, const char *line);

#endif /* VMXLAB_STEP_H */
