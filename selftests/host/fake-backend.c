// SPDX-License-Identifier: GPL-2.0
/* fake-backend.c - the scripted backend of fake-backend.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/vmxlab_tables.h>

#include "fake-backend.h"

static struct fake *fk(struct backend *be)
{
	return be->priv;
}

static bool ring_full(struct fake *f)
{
	return f->ring->head - f->ring->tail >= f->ring_n;
}

static void ring_write(struct fake *f, uint32_t reason, uint32_t flags,
		       uint64_t rip, uint64_t qual)
{
	struct vmxlab_exit_record *x =
		&f->ring->records[f->ring->head & (f->ring_n - 1)];

	memset(x, 0, sizeof(*x));
	x->seq = f->ring->head;
	x->exit_reason = reason;
	x->flags = flags;
	x->rip = rip;
	x->qualification = qual;
	x->tsc_exit = f->clock += 100;
	f->ring->head++;
}

/* VM entry: the newest record learns its entry time. */
static void ring_entry(struct fake *f, uint64_t cost)
{
	struct vmxlab_exit_record *x;

	if (!f->ring || !f->ring->head)
		return;
	x = &f->ring->records[(f->ring->head - 1) & (f->ring_n - 1)];
	if (x->flags & VMXLAB_REC_ENTRY_DONE)
		return;
	x->tsc_entry = x->tsc_exit + cost;
	x->flags |= VMXLAB_REC_ENTRY_DONE;
}

static struct vmxlab_run ring_full_run(struct fake *f)
{
	struct vmxlab_run r = { .exit_reason = VMXLAB_EXIT_RING_FULL };

	f->ring_full_returns++;
	return r;
}

static int f_run(struct backend *be)
{
	struct fake *f = fk(be);
	uint8_t kick = f->run.immediate_exit;
	struct fake_step *st;

	if (f->next >= f->n)
		return -EIO;
	st = &f->steps[f->next];
	f->seen[f->next] = f->run;
	f->armed[f->next] = f->debug;
	/* The loader's handling of a user exit costs 50 ticks. */
	ring_entry(f, 50);
	for (; f->ring && f->kdone < st->nkexits; f->kdone++) {
		if (ring_full(f)) {
			f->run = ring_full_run(f);
			return 0;
		}
		ring_write(f, st->kexits[f->kdone], VMXLAB_REC_KERNEL,
			   0x1000 + f->kdone, 0);
		ring_entry(f, 7);	/* a kernel exit costs 7 */
	}
	if (f->ring && st->ret == 0 && st->run.hw_exit_reason) {
		if (ring_full(f)) {
			f->run = ring_full_run(f);
			return 0;
		}
		ring_write(f, st->run.hw_exit_reason, 0, st->run.guest_rip,
			   st->run.exit_qualification);
	}
	f->run = st->run;
	f->run.immediate_exit = kick;
	if (st->run.exit_reason == VMXLAB_EXIT_STOP)
		f->regs.rip = st->run.guest_rip;
	f->kdone = 0;
	return f->steps[f->next++].ret;
}

static int f_get_regs(struct backend *be, struct vmxlab_regs *r)
{
	*r = fk(be)->regs;
	return 0;
}

static int f_get_sregs(struct backend *be, struct vmxlab_sregs *s)
{
	*s = fk(be)->sregs;
	return 0;
}

static struct vmxlab_run *f_run_struct(struct backend *be)
{
	return &fk(be)->run;
}

static void f_kick(struct backend *be)
{
	fk(be)->run.immediate_exit = 1;
}

static int f_set_debug(struct backend *be, const struct vmxlab_debug *d)
{
	struct fake *f = fk(be);

	if (f->debug_ret)
		return f->debug_ret;
	f->debug = *d;
	f->nset_debug++;
	return 0;
}

static struct fake_field *find_field(struct fake *f, uint32_t enc)
{
	unsigned i;

	for (i = 0; i < f->nfields; i++)
		if (f->fields[i].enc == enc)
			return &f->fields[i];
	return NULL;
}

/* RIP and the exit reason follow the script; the rest is the table. */
static int f_get_vmcs(struct backend *be, uint32_t enc, uint64_t *v)
{
	struct fake *f = fk(be);
	struct fake_field *ff;

	if (enc == VMCS_GUEST_RIP) {
		*v = f->regs.rip;
		return 0;
	}
	if (enc == VMCS_VM_EXIT_REASON) {
		*v = f->run.hw_exit_reason;
		return 0;
	}
	ff = find_field(f, enc);
	if (!ff)
		return -ENOENT;
	*v = ff->val;
	return 0;
}

static int f_set_vmcs(struct backend *be, uint32_t enc, uint64_t v)
{
	struct fake *f = fk(be);
	struct fake_field *ff;

	if (enc == VMCS_GUEST_RIP) {
		f->regs.rip = v;
		return 0;
	}
	ff = find_field(f, enc);
	if (!ff)
		return -ENOENT;
	if (!ff->writable)
		return -EPERM;
	ff->val = v;
	return 0;
}

static int f_translate(struct backend *be, struct vmxlab_translation *t)
{
	struct fake *f = fk(be);
	uint64_t gva = t->gva;

	if (f->xlate_ret)
		return f->xlate_ret;
	*t = f->xlate;
	t->gva = gva;
	return 0;
}

static int f_set_ring(struct backend *be, uint32_t n, uint32_t flags,
		      struct vmxlab_ring **ring)
{
	struct fake *f = fk(be);

	if (f->ring_ret)
		return f->ring_ret;
	f->ring = calloc(1, backend_ring_bytes(n));
	f->ring->nrecords = n;
	f->ring->flags = flags;
	f->ring_n = n;
	*ring = f->ring;
	return 0;
}

static int f_check_entry(struct backend *be, struct vmxlab_check_failure *out,
			 uint32_t max, uint32_t *nfailed)
{
	struct fake *f = fk(be);
	uint32_t i;

	if (f->check_ret)
		return f->check_ret;
	for (i = 0; i < f->nfailures && i < max; i++)
		out[i] = f->failures[i];
	*nfailed = f->nfailures;
	return 0;
}

const struct backend_ops fake_ops = {
	.name = "fake", .run = f_run, .run_struct = f_run_struct,
	.get_regs = f_get_regs, .get_sregs = f_get_sregs, .kick = f_kick,
	.set_debug = f_set_debug, .get_vmcs = f_get_vmcs,
	.set_vmcs = f_set_vmcs, .translate = f_translate,
	.set_ring = f_set_ring, .check_entry = f_check_entry,
};

struct fake_step *fake_add(struct fake *f, int ret, struct vmxlab_run run)
{
	struct fake_step *st = &f->steps[f->n++];

	st->ret = ret;
	st->run = run;
	return st;
}

struct fake_step *fake_stop(struct fake *f, uint32_t kind, uint32_t hw,
			    uint64_t rip)
{
	struct vmxlab_run run = { .exit_reason = VMXLAB_EXIT_STOP,
				  .hw_exit_reason = hw, .guest_rip = rip };

	run.stop.kind = kind;
	return fake_add(f, 0, run);
}

void fake_field(struct fake *f, uint32_t enc, uint64_t val, bool writable)
{
	f->fields[f->nfields++] = (struct fake_field){ enc, val, writable };
}
