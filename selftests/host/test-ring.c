// SPDX-License-Identifier: GPL-2.0
/*
 * test-ring.c - the exit-ring reader on hand-made ring memory: order,
 * wraparound, a full ring, the held newest record, overwrite mode.
 */
#include <stdlib.h>

#include <linux/vmxlab_tables.h>

#include "ring.h"
#include "tap.h"

#define N	4

struct seen {
	uint64_t seq[64];
	struct trace_record rec[64];
	unsigned n;
};

static void collect(void *arg, const struct vmxlab_exit_record *x)
{
	struct seen *s = arg;

	s->seq[s->n] = x->seq;
	ring_to_trace(x, &s->rec[s->n]);
	s->n++;
}

static struct vmxlab_ring *ring(void)
{
	struct vmxlab_ring *r = calloc(1, sizeof(*r) +
				       N * sizeof(struct vmxlab_exit_record));

	r->nrecords = N;
	return r;
}

/* The module writing exit @seq: kernel or user, entry done or not. */
static void put(struct vmxlab_ring *r, uint64_t seq, bool kernel, bool done)
{
	struct vmxlab_exit_record *x = &r->records[seq % N];

	x->seq = seq;
	x->exit_reason = kernel ? VMX_EXIT_CPUID : VMX_EXIT_IO_INSTRUCTION;
	x->flags = (kernel ? VMXLAB_REC_KERNEL : 0) |
		   (done ? VMXLAB_REC_ENTRY_DONE : 0);
	x->tsc_exit = 1000 * seq;
	x->tsc_entry = done ? 1000 * seq + 10 + seq : 0;
	r->head = seq + 1;
}

TEST(ring_order_costs_and_the_held_newest_record)
{
	struct vmxlab_ring *r = ring();
	struct ring_reader rd;
	struct seen s = { 0 };

	ring_reader_init(&rd, r, N);
	put(r, 0, true, true);
	put(r, 1, true, true);
	put(r, 2, false, false);	/* the user exit RUN returned with */
	CHECK_EQ(ring_drain(&rd, false, collect, &s), 2);
	CHECK_EQ(r->tail, 2);		/* record 2 is held */
	CHECK_EQ(s.seq[0], 0);
	CHECK_EQ(s.seq[1], 1);
	CHECK_EQ(s.rec[0].seq, 1);	/* traces count from 1 */
	CHECK_EQ(s.rec[1].cost, 11);
	CHECK_EQ(s.rec[1].where, TRACE_KERNEL);
	CHECK_EQ(s.rec[1].tsc, 1000);
	/* The next RUN enters (record 2 done) and wraps around. */
	r->records[2].flags |= VMXLAB_REC_ENTRY_DONE;
	r->records[2].tsc_entry = 2050;
	put(r, 3, true, true);
	put(r, 4, true, true);		/* slot 0 again */
	put(r, 5, false, false);
	CHECK_EQ(ring_drain(&rd, false, collect, &s), 3);
	CHECK_EQ(s.n, 5);
	CHECK_EQ(s.seq[2], 2);
	CHECK_EQ(s.rec[2].where, TRACE_USER);
	CHECK_EQ(s.rec[2].cost, 50);
	CHECK_EQ(s.seq[3], 3);
	CHECK_EQ(s.seq[4], 4);
	CHECK_EQ(s.rec[4].cost, 14);
	/* Nothing new: nothing handed out twice. */
	CHECK_EQ(ring_drain(&rd, false, collect, &s), 0);
	/* The end of the run: the held record goes, cost unknown. */
	CHECK_EQ(ring_drain(&rd, true, collect, &s), 1);
	CHECK_EQ(s.seq[5], 5);
	CHECK(s.rec[5].flags & TRACE_COST_UNKNOWN);
	CHECK_EQ(r->tail, 6);
	CHECK_EQ(ring_dropped(&rd), 0);
}

TEST(ring_full_hands_out_everything)
{
	struct vmxlab_ring *r = ring();
	struct ring_reader rd;
	struct seen s = { 0 };
	unsigned i;

	ring_reader_init(&rd, r, N);
	/* RING_FULL: four records, the newest without its entry. */
	for (i = 0; i < 3; i++)
		put(r, i, true, true);
	put(r, 3, true, false);
	r->tail = 0;
	CHECK_EQ(ring_drain(&rd, false, collect, &s), 3);
	/* Holding the newest leaves room, so it is held... */
	CHECK_EQ(r->tail, 3);
	/* ...but a one-record ring must give it up to make room. */
	r = calloc(1, sizeof(*r) + sizeof(struct vmxlab_exit_record));
	ring_reader_init(&rd, r, 1);
	r->records[0].seq = 0;
	r->head = 1;
	s.n = 0;
	CHECK_EQ(ring_drain(&rd, false, collect, &s), 1);
	CHECK_EQ(r->tail, 1);
}

TEST(ring_overwrite_mode_reports_dropped)
{
	struct vmxlab_ring *r = ring();
	struct ring_reader rd;
	struct seen s = { 0 };
	uint64_t i;

	ring_reader_init(&rd, r, N);
	r->flags = VMXLAB_RING_OVERWRITE;
	/* Ten exits into four slots, the reader never ran: 6 lost. */
	for (i = 0; i < 10; i++)
		put(r, i, true, true);
	CHECK_EQ(ring_drain(&rd, true, collect, &s), 4);
	CHECK_EQ(s.seq[0], 6);
	CHECK_EQ(s.seq[3], 9);
	CHECK_EQ(ring_dropped(&rd), 6);
	/* The module's own count wins when it is larger. */
	r->dropped = 9;
	CHECK_EQ(ring_dropped(&rd), 9);
	/* A slot rewritten under a stale tail is skipped, not misread. */
	r = ring();
	ring_reader_init(&rd, r, N);
	put(r, 0, true, true);
	put(r, 1, true, true);
	r->records[0].seq = 4;	/* overwritten by exit 4 */
	s.n = 0;
	CHECK_EQ(ring_drain(&rd, true, collect, &s), 1);
	CHECK_EQ(s.seq[0], 1);
	CHECK_EQ(ring_dropped(&rd), 1);
}

TEST(ring_record_to_trace_fields)
{
	struct vmxlab_exit_record x = {
		.seq = 41, .exit_reason = VMX_EXIT_EPT_VIOLATION,
		.flags = VMXLAB_REC_KERNEL | VMXLAB_REC_ENTRY_DONE,
		.qualification = 0x181, .guest_phys_addr = 0xfee00030,
		.intr_info = 0x80000b0e, .intr_error = 2, .rip = 0x4000,
		.tsc_exit = 5000, .tsc_entry = 5600,
	};
	struct trace_record t;
	char line[512];

	ring_to_trace(&x, &t);
	CHECK_EQ(t.seq, 42);
	CHECK_EQ(t.cost, 600);
	CHECK_EQ(t.t_exit, 5000);
	CHECK_EQ(t.t_entry, 5600);
	CHECK(t.flags & TRACE_HAS_GPA);
	CHECK(t.flags & TRACE_HAS_INTR_INFO);
	trace_format_text(&t, line, sizeof(line));
	CHECK_CONTAINS(line, "#42 tsc=5000 EPT_VIOLATION gpa=0xfee00030 "
		       "access=r perm=---");
	CHECK_CONTAINS(line, "where=kernel cost=600");
}
