// SPDX-License-Identifier: GPL-2.0
/* ring.c - draining the exit ring in seq order, and record conversion. */
#include <string.h>

#include <linux/vmxlab_tables.h>

#include "../kmod/vmx_bits.h"

#include "ring.h"

void ring_reader_init(struct ring_reader *r, struct vmxlab_ring *ring,
		      uint32_t nrecords)
{
	memset(r, 0, sizeof(*r));
	r->ring = ring;
	r->nrecords = nrecords;
}

uint64_t ring_head(const struct ring_reader *r)
{
	/* Acquire: the records below head are complete when we see it. */
	return __atomic_load_n(&r->ring->head, __ATOMIC_ACQUIRE);
}

unsigned ring_drain(struct ring_reader *r, bool final, ring_fn fn,
		    void *arg)
{
	struct vmxlab_ring *ring = r->ring;
	uint64_t head = ring_head(r), tail = ring->tail;
	unsigned n = 0;

	/*
	 * Overwrite mode: whatever is more than a ring behind the head is
	 * gone (the module may or may not have moved the tail itself).
	 */
	if (head - tail > r->nrecords) {
		r->lost += head - tail - r->nrecords;
		tail = head - r->nrecords;
	}
	for (; tail < head; tail++) {
		const struct vmxlab_exit_record *x =
			&ring->records[tail & (r->nrecords - 1)];

		if (x->seq != tail) {
			/* Rewritten by a newer exit since we looked. */
			r->lost++;
			continue;
		}
		if (!final && tail + 1 == head &&
		    !(x->flags & VMXLAB_REC_ENTRY_DONE) &&
		    head - tail < r->nrecords)
			break;
		fn(arg, x);
		n++;
	}
	/* Release: the module may reuse the slots only after our reads. */
	__atomic_store_n(&ring->tail, tail, __ATOMIC_RELEASE);
	return n;
}

uint64_t ring_dropped(const struct ring_reader *r)
{
	uint64_t d = r->ring->dropped;

	return d > r->lost ? d : r->lost;
}

void ring_to_trace(const struct vmxlab_exit_record *x,
		   struct trace_record *rec)
{
	uint32_t basic = VMX_EXIT_REASON_BASIC(x->exit_reason);

	memset(rec, 0, sizeof(*rec));
	rec->seq = x->seq + 1;
	rec->tsc = x->tsc_exit;
	rec->hw_exit_reason = x->exit_reason;
	rec->qualification = x->qualification;
	rec->rip = x->rip;
	rec->where = (x->flags & VMXLAB_REC_KERNEL) ? TRACE_KERNEL :
						      TRACE_USER;
	if (basic == VMX_EXIT_EPT_VIOLATION ||
	    basic == VMX_EXIT_EPT_MISCONFIG) {
		rec->gpa = x->guest_phys_addr;
		rec->flags |= TRACE_HAS_GPA;
	}
	/* Bit 31: the interruption information is valid (SDM 25.9.2). */
	if (x->intr_info & INTR_INFO_VALID) {
		rec->intr_info = x->intr_info;
		rec->intr_error = x->intr_error;
		rec->flags |= TRACE_HAS_INTR_INFO;
	}
	rec->t_exit = x->tsc_exit;
	if (basic == VMX_EXIT_MSR_READ || basic == VMX_EXIT_MSR_WRITE) {
		rec->u.msr.index = x->msr_index;
		rec->u.msr.is_write = basic == VMX_EXIT_MSR_WRITE;
		rec->flags |= TRACE_HAS_MSR | TRACE_MSR_NO_DATA;
	}
	if (x->flags & VMXLAB_REC_INJECTED) {
		rec->inject_info = x->entry_intr_info;
		rec->inject_source = x->inject_source;
		rec->flags |= TRACE_HAS_INJECT;
	}
	if (x->flags & VMXLAB_REC_ENTRY_DONE) {
		rec->t_entry = x->tsc_entry;
		rec->cost = x->tsc_entry - x->tsc_exit;
		rec->flags |= TRACE_HAS_ENTRY;
	} else {
		rec->flags |= TRACE_COST_UNKNOWN;
	}
}
