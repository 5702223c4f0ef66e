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
#include "guest.h"
#include "platform.h"
#include "trace.h"

struct vcpu_loop {
	struct backend *be;
	const struct guest *g;
	struct platform *plat;
	FILE *trace;		/* NULL: no trace */
	bool trace_json;
	unsigned timeout;	/* seconds, for the message */
	struct trace_summary summary;
	uint64_t seq;
};

int vcpu_loop_run(struct vcpu_loop *l);

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
