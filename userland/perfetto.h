/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perfetto.h - the exit trace as Chrome trace-event JSON, which
 * ui.perfetto.dev and chrome://tracing load.
 *
 * The file is one JSON array.  Per exit there are two complete ("X")
 * events on the vCPU's track: "guest" from the previous entry to the
 * exit, and the exit itself (named by its reason, category "user" or
 * "kernel") from the exit to the next entry.  The last exit of a run has
 * no entry after it and is an instant ("i") event.
 *
 * Timestamps are microseconds since the first exit.  Trace-event files
 * have no notion of TSC ticks, so ticks are converted with a frequency
 * the caller gives (perfetto_tsc_hz(): the host's nominal TSC frequency,
 * assuming the guest TSC ticks at the host's rate, which holds without TSC
 * scaling).  The exact tick counts are in each event's args.
 */
#ifndef VMXLAB_PERFETTO_H
#define VMXLAB_PERFETTO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "trace.h"

struct perfetto {
	FILE *out;
	uint64_t tsc_hz;
	unsigned vcpu;
	bool started;		/* t0 is set */
	uint64_t t0;		/* ticks of the first exit: ts 0 */
	bool have_entry;	/* last_entry is set */
	uint64_t last_entry;
	unsigned nevents;
};

/* Writes the opening of the array and the track names. */
void perfetto_begin(struct perfetto *p, FILE *out, uint64_t tsc_hz,
		    unsigned vcpu);
/* The events of one exit (uses t_exit, t_entry and TRACE_HAS_ENTRY). */
void perfetto_exit(struct perfetto *p, const struct trace_record *r);
/* Closes the array. */
void perfetto_end(struct perfetto *p);

/*
 * The host's TSC frequency: CPUID leaf 0x15 (crystal clock times ratio),
 * else leaf 0x16 (base MHz), else 1 GHz (then 1 tick counts as 1 ns).
 */
uint64_t perfetto_tsc_hz(void);

#endif /* VMXLAB_PERFETTO_H */
