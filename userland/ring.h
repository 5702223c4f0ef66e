/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ring.h - reading the module's exit ring (struct vmxlab_ring).
 *
 * The ring is only ever read by the thread that runs the vCPU, between
 * two RUN calls, so the module is not writing it while we read: no
 * record can change under us except through the next RUN.  The one
 * record that RUN may still change is the newest: its tsc_entry is
 * written at the next VM entry, so the reader holds it back (does not
 * advance the tail past it) until then, unless the run is over.
 */
#ifndef VMXLAB_RING_H
#define VMXLAB_RING_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/vmxlab.h>

#include "trace.h"

/* The loader's default: 1024 records of 128 bytes, lossless. */
#define RING_DEFAULT_RECORDS	1024

struct ring_reader {
	struct vmxlab_ring *ring;
	uint32_t nrecords;	/* as configured, not as read from the ring */
	uint64_t lost;		/* records we found overwritten */
};

typedef void (*ring_fn)(void *arg, const struct vmxlab_exit_record *rec);

void ring_reader_init(struct ring_reader *r, struct vmxlab_ring *ring,
		      uint32_t nrecords);
/*
 * Hands each record between tail and head to @fn in seq order and moves
 * the tail past it.  The newest record is held back while its entry is
 * not done, unless @final or unless holding it would leave the ring full
 * (a lossless ring must make room, or the guest cannot run on).  Returns
 * the number of records handed out.
 */
unsigned ring_drain(struct ring_reader *r, bool final, ring_fn fn,
		    void *arg);
/* The seq the module writes next (the ring's head). */
uint64_t ring_head(const struct ring_reader *r);
/* Records lost in overwrite mode: the module's count or ours if larger. */
uint64_t ring_dropped(const struct ring_reader *r);

/*
 * A trace record from a ring record: seq + 1 (exits count from 1, as
 * without the ring), guest TSC at the exit, cost = tsc_entry - tsc_exit
 * when the entry is done (else TRACE_COST_UNKNOWN).
 */
void ring_to_trace(const struct vmxlab_exit_record *x,
		   struct trace_record *rec);

#endif /* VMXLAB_RING_H */
