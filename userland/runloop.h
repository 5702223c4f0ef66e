/* SPDX-License-Identifier: GPL-2.0 */
/*
 * runloop.h - running the vCPU and serving its exits.
 *
 * The loop returns the loader's exit status (cli.h): the guest's own
 * status after a debug-exit write, 0 after HLT, or one of the loader's
 * statuses for a triple fault, a failed entry, a timeout and so on.
 */
#ifndef VMXLAB_RUNLOOP_H
#define VMXLAB_RUNLOOP_H

#include <signal.h>
#include <stdio.h>

#include "backend.h"
#include "chipset.h"
#include "guest.h"
#include "perfetto.h"
#include "platform.h"
#include "ring.h"
#include "trace.h"

struct chipset;

struct vcpu_loop {
	struct backend *be;
	struct chipset *chip;	/* NULL: no interrupts (unit tests) */
	const struct guest *g;
	struct platform *plat;
	FILE *trace;		/* NULL: no trace */
	bool trace_json;
	struct perfetto *perfetto;	/* non-NULL: the trace is perfetto */
	unsigned timeout;	/* seconds, for the message */
	struct trace_summary summary;
	uint64_t seq;
	/*
	 * With the exit ring, every exit is traced from its ring record;
	 * the loader's own findings about the exit it handled (I/O data,
	 * hypercall arguments) wait in @pending until that record is
	 * complete, and are merged into it then.
	 */
	struct ring_reader *ring;	/* NULL: trace from the run struct */
	struct trace_record pending;
	uint64_t pending_seq;
	bool have_pending;
};

int vcpu_loop_run(struct vcpu_loop *l);

/*
 * Serves one exit that reached userspace (I/O, MMIO, hypercall, MSR, and
 * the ones that end the run), noting what it did in @rec.  Returns -1 to
 * keep running, else the final status.  The stepper uses it too.
 */
int vcpu_loop_handle(struct vcpu_loop *l, struct vmxlab_run *run,
		     struct trace_record *rec);
/* After a debug-exit write: the status, and the PASS/FAIL message. */
int vcpu_loop_debug_exit_status(const struct vcpu_loop *l);
/* After a signal: the status, and the message saying where it stopped. */
int vcpu_loop_stop_status(const struct vcpu_loop *l);

/*
 * Turns on the exit ring for --trace; false (after saying once that
 * kernel-handled exits are not shown) when the module has no ring.
 */
bool vcpu_loop_enable_ring(struct vcpu_loop *l, struct ring_reader *r);
/* Traces whatever the ring still holds (end of run). */
void vcpu_loop_flush_trace(struct vcpu_loop *l);

/*
 * SIGINT, SIGTERM and (with @timeout) SIGALRM stop the guest: the handler
 * kicks the backend so RUN returns -EINTR.
 */
void runloop_install_signals(struct backend *be, unsigned timeout);
/* The signal that asked the loop to stop, 0 if none. */
extern volatile sig_atomic_t runloop_stop_signal;

/* Status for a debug-exit value: (value << 1) | 1, as QEMU exits. */
int guest_exit_status(uint64_t value);

#endif /* VMXLAB_RUNLOOP_H */
