// SPDX-License-Identifier: GPL-2.0
/*
 * step.c - the stepper's session: running the guest to the next stop and
 * carrying out the commands.
 *
 * The module does the stopping (VMXLAB_SET_DEBUG: stop at chosen exits,
 * at breakpoint RIPs, or after each instruction with the monitor trap
 * flag); this file only chooses what to arm before each RUN and shows
 * where the guest stopped.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/vmxlab_tables.h>

#include "bootstate.h"
#include "cli.h"
#include "generated/vmxlab_names.h"
#include "gva.h"
#include "step.h"
#include "explain.h"
#include "util.h"
#include "vmcs-names.h"
#include "walk.h"

enum resume_result {
	RESUME_STOP,		/* RUN returned VMXLAB_EXIT_STOP */
	RESUME_END,		/* the guest ended: s->status */
	RESUME_INTR,		/* Ctrl-C: back to the prompt */
	RESUME_ERROR,		/* the debug setup was refused */
};

static struct vmxlab_run *run_of(struct stepper *s)
{
	return s->be->ops->run_struct(s->be);
}

void stepper_init(struct stepper *s, struct vcpu_loop *loop, FILE *in,
		  FILE *out, bool prompt)
{
	memset(s, 0, sizeof(*s));
	s->loop = loop;
	s->be = loop->be;
	s->in = in;
	s->out = out;
	s->prompt = prompt;
	s->status = -1;
	step_reasons_guest(s->stop_reasons);
}

/* Sets up the module's stops for a continue (@single false) or a step. */
static int arm(struct stepper *s, bool single)
{
	struct vmxlab_debug d;
	unsigned i;
	int ret;

	memset(&d, 0, sizeof(d));
	if (s->into_handler) {
		/* Only the planted INT3's #BP exit (into_handler()). */
		d.flags = VMXLAB_DEBUG_STOP_EXITS;
		d.exception_bitmap = 1U << 3;
		d.stop_reasons[0] = 1ULL << VMX_EXIT_EXCEPTION_NMI;
	} else if (single) {
		/* One instruction, whatever it is: no other stops. */
		d.flags = VMXLAB_DEBUG_SINGLESTEP;
	} else {
		if (s->stop_reasons[0] || s->stop_reasons[1]) {
			d.flags |= VMXLAB_DEBUG_STOP_EXITS;
			d.stop_reasons[0] = s->stop_reasons[0];
			d.stop_reasons[1] = s->stop_reasons[1];
		}
		for (i = 0; i < VMXLAB_MAX_BREAKPOINTS; i++)
			if (s->bp_used[i])
				d.breakpoints[d.nbreakpoints++] = s->bp[i];
		if (d.nbreakpoints)
			d.flags |= VMXLAB_DEBUG_BREAKPOINTS;
		memcpy(d.stop_vectors, s->stop_vectors, sizeof(d.stop_vectors));
		if (d.stop_vectors[0] | d.stop_vectors[1] | d.stop_vectors[2] |
		    d.stop_vectors[3])
			d.flags |= VMXLAB_DEBUG_STOP_INJECT;
	}
	if (s->have_armed && !memcmp(&d, &s->armed, sizeof(d)))
		return 0;
	ret = be_set_debug(s->be, &d);
	if (ret == -EOPNOTSUPP && s->be->ops == &backend_vmxlab_ops) {
		error("this processor has no monitor trap flag, which "
		      "single-stepping and breakpoints need");
		s->have_armed = false;
		return -1;
	}
	if (ret) {
		error("cannot set up the stops (VMXLAB_SET_DEBUG): %s",
		      backend_strerror(s->be, ret));
		s->have_armed = false;
		return -1;
	}
	s->armed = d;
	s->have_armed = true;
	return 0;
}

static enum resume_result resume(struct stepper *s, bool single)
{
	struct vmxlab_run *run = run_of(s);
	struct vcpu_loop *l = s->loop;
	struct trace_record rec;
	int ret, st;

	if (arm(s, single))
		return RESUME_ERROR;
	for (;;) {
		if (l->chip)
			chipset_before_run(l->chip, run);
		ret = s->be->ops->run(s->be);
		if (ret == -EINTR ||
		    (ret == 0 && run->exit_reason == VMXLAB_EXIT_INTR)) {
			run->immediate_exit = 0;
			if (runloop_stop_signal == SIGINT) {
				/* Ctrl-C stops the guest, not the stepper. */
				runloop_stop_signal = 0;
				return RESUME_INTR;
			}
			if (runloop_stop_signal) {
				s->status = vcpu_loop_stop_status(l);
				return RESUME_END;
			}
			continue;
		}
		if (ret < 0) {
			error("running the guest failed: %s", strerror(-ret));
			s->status = STATUS_UNEXPECTED;
			return RESUME_END;
		}
		if (run->exit_reason == VMXLAB_EXIT_STOP)
			return RESUME_STOP;
		if (run->exit_reason == VMXLAB_EXIT_RING_FULL)
			continue;	/* the stepper keeps no ring */
		memset(&rec, 0, sizeof(rec));
		st = vcpu_loop_handle(l, run, &rec);
		if (st >= 0) {
			s->status = st;
			return RESUME_END;
		}
		if (l->plat->exit_requested) {
			s->status = vcpu_loop_debug_exit_status(l);
			return RESUME_END;
		}
	}
}

static bool get_state(struct stepper *s, struct vmxlab_regs *r,
		      struct vmxlab_sregs *sr)
{
	return !s->be->ops->get_regs(s->be, r) &&
	       !s->be->ops->get_sregs(s->be, sr);
}

/* The code at @rip: 4 instructions, the first marked. */
static void show_code(struct stepper *s, uint64_t rip, unsigned n, bool mark)
{
	struct vmxlab_sregs sr;

	if (s->be->ops->get_sregs(s->be, &sr))
		return;
	view_code(s->out, s->loop->g, &sr, rip, n, mark);
}

static unsigned bp_number(const struct stepper *s, uint64_t rip)
{
	unsigned i;

	for (i = 0; i < VMXLAB_MAX_BREAKPOINTS; i++)
		if (s->bp_used[i] && s->bp[i] == rip)
			return i + 1;
	return 0;
}

/* Everything about a stop: why, where, the code, what changed. */
static void report(struct stepper *s)
{
	struct vmxlab_run *run = run_of(s);
	struct vmcs_snapshot now;

	view_stop_line(s->out, run, run->stop.kind == VMXLAB_STOP_BREAKPOINT ?
		       bp_number(s, run->guest_rip) : 0);
	show_code(s, run->guest_rip, 4, true);
	vmcs_snapshot_take(s->be, &now);
	vmcs_snapshot_diff(&s->last, &now, s->out);
	s->last = now;
}

static bool ended(struct stepper *s)
{
	fprintf(s->out, "end: status %d\n", s->status);
	return false;
}

static void interrupted(struct stepper *s)
{
	struct vmxlab_regs r;

	if (s->be->ops->get_regs(s->be, &r))
		return;
	fprintf(s->out, "stop: interrupted rip=0x%" PRIx64 "\n",
		(uint64_t)r.rip);
	show_code(s, r.rip, 4, true);
}

static bool do_continue(struct stepper *s)
{
	switch (resume(s, false)) {
	case RESUME_STOP:
		report(s);
		return true;
	case RESUME_END:
		return ended(s);
	case RESUME_INTR:
		interrupted(s);
		return true;
	default:
		return true;
	}
}

/*
 * The first step after a "stop irq": the entry delivers the interrupt
 * and the guest is at the first instruction of its handler.  The monitor
 * trap flag would stop there by itself (SDM 26.5.2), but the RFLAGS.TF
 * step that replaces it where MTF is missing would not: delivery clears
 * TF for the handler (SDM 6.12.1.2).  So, like gdb, vmxlab plants an
 * INT3 at the handler's first byte (read from the guest's IDT), lets the
 * guest take the interrupt and the #BP exit (intercepted, never
 * delivered), and puts the byte back.  The handler's first instruction
 * has not run yet: an exit on INT3 saves the RIP of the INT3 itself.
 */
static enum resume_result into_handler(struct stepper *s)
{
	struct vmxlab_run *run = run_of(s);
	uint8_t vector = run->stop.inject_info & INTR_INFO_VECTOR_MASK;
	const struct guest *g = s->loop->g;
	struct vmxlab_sregs sr;
	enum resume_result r;
	uint64_t la, gpa;
	uint8_t *p, saved;

	if (s->be->ops->get_sregs(s->be, &sr) ||
	    !idt_handler(g, &sr, vector, &la) || !gva_translate(g, &sr, la, &gpa) ||
	    !(p = guest_ptr(g, gpa, 1))) {
		error("the handler of vector 0x%x is not in guest RAM; "
		      "stepping over the delivery instead", vector);
		return resume(s, true);
	}
	saved = *p;
	*p = 0xcc;
	s->into_handler = true;
	r = resume(s, false);
	s->into_handler = false;
	*p = saved;
	if (r == RESUME_STOP && run->stop.kind == VMXLAB_STOP_EXIT &&
	    (run->exit_intr_info & INTR_INFO_VECTOR_MASK) == 3 &&
	    !s->be->ops->get_sregs(s->be, &sr) &&
	    sr.cs.base + run->guest_rip == la) {
		/* Not handled: the #BP was ours.  RIP stays at the byte. */
		be_set_vmcs(s->be, VMCS_GUEST_RIP, run->guest_rip);
		run->stop.kind = VMXLAB_STOP_STEP;
		fprintf(s->out, "delivered: vector 0x%02x; the guest is at the "
			"first instruction of its handler (the #BP below is "
			"vmxlab's, gone again)\n", vector);
	}
	return r;
}

static bool do_step(struct stepper *s, uint64_t count)
{
	struct vmxlab_run *run = run_of(s);
	uint64_t i;

	for (i = 0; i < count; i++) {
		enum resume_result r;

		if (i == 0 && s->have_armed && run->exit_reason == VMXLAB_EXIT_STOP &&
		    run->stop.kind == VMXLAB_STOP_INJECT)
			r = into_handler(s);
		else
			r = resume(s, true);
		switch (r) {
		case RESUME_STOP:
			break;
		case RESUME_END:
			return ended(s);
		case RESUME_INTR:
			interrupted(s);
			return true;
		default:
			return true;
		}
		/* The last step, or any other stop, gets the full report. */
		if (i + 1 == count || run->stop.kind != VMXLAB_STOP_STEP) {
			report(s);
			return true;
		}
		show_code(s, run->guest_rip, 1, false);
	}
	return true;
}

/* "stop before: any interrupt" or the vectors chosen. */
static void show_stop_vectors(struct stepper *s)
{
	unsigned v, n = 0;

	for (v = 0; v < 256; v++)
		n += !!(s->stop_vectors[v / 64] & (1ULL << (v % 64)));
	if (!n)
		return;
	if (n == 256) {
		fprintf(s->out, "stop before: any interrupt or NMI is delivered\n");
		return;
	}
	fprintf(s->out, "stop before: delivery of vector");
	for (v = 0; v < 256; v++)
		if (s->stop_vectors[v / 64] & (1ULL << (v % 64)))
			fprintf(s->out, " 0x%02x", v);
	fprintf(s->out, "\n");
}

static void show_stops(struct stepper *s)
{
	uint64_t all[2], guest[2];
	unsigned i;

	step_reasons_all(all);
	step_reasons_guest(guest);
	show_stop_vectors(s);
	if (!s->stop_reasons[0] && !s->stop_reasons[1]) {
		fprintf(s->out, "stop at: no exits\n");
		return;
	}
	if (s->stop_reasons[0] == all[0] && s->stop_reasons[1] == all[1]) {
		fprintf(s->out, "stop at: all exits\n");
		return;
	}
	if (s->stop_reasons[0] == guest[0] && s->stop_reasons[1] == guest[1]) {
		fprintf(s->out, "stop at: the guest's exits (all but EXTERNAL_INTERRUPT and PREEMPTION_TIMER)\n");
		return;
	}
	fprintf(s->out, "stop at:");
	for (i = 0; i < 128; i++)
		if (s->stop_reasons[i / 64] & (1ULL << (i % 64)))
			fprintf(s->out, " %s", i < VMX_EXIT_MAX &&
				vmxlab_exit_names[i] ? vmxlab_exit_names[i] :
				"?");
	fprintf(s->out, "\n");
}

/* $rip and $rsp, read when the command runs. */
static bool resolve(struct stepper *s, const struct step_cmd *c,
		    uint64_t *addr)
{
	struct vmxlab_regs r;

	if (c->addr_reg == ADDR_NUMBER) {
		*addr = c->addr;
		return true;
	}
	if (s->be->ops->get_regs(s->be, &r))
		return false;
	*addr = c->addr_reg == ADDR_RIP ? r.rip : r.rsp;
	return true;
}

static void do_break(struct stepper *s, const struct step_cmd *c)
{
	uint64_t addr;
	unsigned i;

	if (!resolve(s, c, &addr))
		return;
	if (bp_number(s, addr)) {
		error("breakpoint %u is already at 0x%" PRIx64,
		      bp_number(s, addr), addr);
		return;
	}
	for (i = 0; i < VMXLAB_MAX_BREAKPOINTS && s->bp_used[i]; i++)
		;
	if (i == VMXLAB_MAX_BREAKPOINTS) {
		error("all %d breakpoints are in use; delete one first",
		      VMXLAB_MAX_BREAKPOINTS);
		return;
	}
	s->bp[i] = addr;
	s->bp_used[i] = true;
	fprintf(s->out, "breakpoint %u at 0x%" PRIx64 "\n", i + 1, addr);
}

static void do_delete(struct stepper *s, unsigned n)
{
	if (!s->bp_used[n - 1]) {
		error("there is no breakpoint %u", n);
		return;
	}
	s->bp_used[n - 1] = false;
	fprintf(s->out, "deleted breakpoint %u at 0x%" PRIx64 "\n", n,
		s->bp[n - 1]);
}

static void do_breakpoints(struct stepper *s)
{
	unsigned i, n = 0;

	for (i = 0; i < VMXLAB_MAX_BREAKPOINTS; i++) {
		if (!s->bp_used[i])
			continue;
		fprintf(s->out, "breakpoint %u at 0x%" PRIx64 "\n", i + 1,
			s->bp[i]);
		n++;
	}
	if (!n)
		fprintf(s->out, "no breakpoints\n");
}

static void do_regs(struct stepper *s)
{
	struct vmxlab_sregs sr;
	struct vmxlab_regs r;

	if (get_state(s, &r, &sr))
		view_regs(s->out, &r, &sr);
}

/* The local APIC as the hypervisor holds it (VMXLAB_GET_LAPIC). */
static void do_apic(struct stepper *s)
{
	struct vmxlab_lapic_state st;
	int ret = s->be->ops->get_lapic ? s->be->ops->get_lapic(s->be, &st) :
					  -EOPNOTSUPP;

	if (ret) {
		error("cannot read the local APIC: %s",
		      backend_strerror(s->be, ret));
		return;
	}
	view_apic(s->out, &st);
}

/* "GUEST_RIP" or "0x1234" for a field outside the table. */
static const char *field_name(uint32_t enc, char *buf, size_t len)
{
	const char *name = vmcs_name(enc);

	if (name)
		return name;
	snprintf(buf, len, "0x%x", enc);
	return buf;
}

static void print_field(struct stepper *s, uint32_t enc, uint64_t v)
{
	char buf[16];

	fprintf(s->out, "%s (0x%04x, %s %s) = 0x%" PRIx64 "\n",
		field_name(enc, buf, sizeof(buf)), enc, vmcs_width_name(enc),
		vmcs_type_name(enc), v);
}

static void do_vmcs(struct stepper *s, const struct step_cmd *c)
{
	char buf[16];
	unsigned i;
	uint64_t v;
	int ret;

	if (!c->all) {
		ret = be_get_vmcs(s->be, c->encoding, &v);
		if (!ret)
			print_field(s, c->encoding, v);
		else if (ret == -ENOENT)
			error("the processor has no VMCS field %s",
			      field_name(c->encoding, buf, sizeof(buf)));
		else
			error("cannot read VMCS field %s: %s",
			      field_name(c->encoding, buf, sizeof(buf)),
			      backend_strerror(s->be, ret));
		return;
	}
	for (i = 0; i < vmcs_nr_fields(); i++) {
		uint32_t enc = vmcs_field_at(i);

		ret = be_get_vmcs(s->be, enc, &v);
		if (!ret) {
			print_field(s, enc, v);
		} else if (ret != -ENOENT) {
			/* Not the field's fault: say it once and stop. */
			error("cannot read the VMCS: %s",
			      backend_strerror(s->be, ret));
			return;
		}
	}
}

static void do_set(struct stepper *s, const struct step_cmd *c)
{
	char buf[16];
	const char *name = field_name(c->encoding, buf, sizeof(buf));
	int ret = be_set_vmcs(s->be, c->encoding, c->value);

	if (!ret)
		fprintf(s->out, "%s = 0x%" PRIx64 "\n", name, c->value);
	else if (ret == -EPERM)
		error("field %s is not writable from the stepper (teaching "
		      "allowlist)", name);
	else if (ret == -ENOENT)
		error("the processor has no VMCS field %s", name);
	else
		error("cannot write VMCS field %s: %s", name,
		      backend_strerror(s->be, ret));
}

/*
 * Up to @len bytes at @addr, guest-virtual through the guest's page
 * tables (one byte at a time: a range may cross into an unmapped page) or
 * guest-physical; returns how many could be read.
 */
static size_t read_guest(struct stepper *s, const struct vmxlab_sregs *sr,
			 uint64_t addr, bool phys, uint8_t *buf, size_t len)
{
	const struct guest *g = s->loop->g;
	uint64_t gpa;
	size_t i;

	for (i = 0; i < len; i++) {
		if (phys)
			gpa = addr + i;
		else if (!gva_translate(g, sr, addr + i, &gpa))
			break;
		if (!guest_range_ok(g, gpa, 1))
			break;
		buf[i] = g->ram[gpa];
	}
	return i;
}

static void do_x(struct stepper *s, const struct step_cmd *c)
{
	size_t want = c->unit == 'i' ? c->count * 15 :
		      c->count * step_x_size(c->unit);
	struct vmxlab_sregs sr;
	uint8_t *buf;
	uint64_t addr;
	size_t have;

	if (!resolve(s, c, &addr) || s->be->ops->get_sregs(s->be, &sr))
		return;
	buf = malloc(want);
	if (!buf) {
		error("out of memory");
		return;
	}
	have = read_guest(s, &sr, addr, c->phys, buf, want);
	if (c->unit == 'i' && have) {
		view_insns(s->out, buf, have, addr, cpu_code_bits(&sr),
			   c->count, false);
		free(buf);
		return;
	}
	if (c->unit != 'i')
		step_x_print(s->out, c, addr, buf, have);
	free(buf);
	if (have == want)
		return;
	/* The read stopped at the first byte it could not reach. */
	if (c->phys)
		error("guest-physical 0x%" PRIx64 " is not RAM", addr + have);
	else if (!(sr.cr0 & X86_CR0_PG))
		error("guest address 0x%" PRIx64 " is not RAM (paging is off)",
		      addr + have);
	else
		error("guest-virtual 0x%" PRIx64 " is not mapped by the "
		      "guest's page tables", addr + have);
}

static void do_walk(struct stepper *s, const struct step_cmd *c)
{
	struct vmxlab_translation t;
	uint64_t gva;
	int ret;

	memset(&t, 0, sizeof(t));
	if (!resolve(s, c, &gva))
		return;
	t.gva = gva;
	ret = be_translate(s->be, &t);
	if (ret) {
		error("cannot translate 0x%" PRIx64 " (VMXLAB_TRANSLATE): %s",
		      (uint64_t)t.gva, backend_strerror(s->be, ret));
		return;
	}
	walk_print(s->out, &t);
}

bool stepper_command(struct stepper *s, const char *line)
{
	struct step_cmd c;
	char err[160];

	if (!step_parse(line, &c, err, sizeof(err))) {
		error("%s", err);
		return true;
	}
	switch (c.kind) {
	case SC_NONE:
		return true;
	case SC_CONTINUE:
		return do_continue(s);
	case SC_STEP:
		return do_step(s, c.count);
	case SC_STOP:
		if (!c.show) {
			s->stop_reasons[0] = c.stop_reasons[0];
			s->stop_reasons[1] = c.stop_reasons[1];
			memcpy(s->stop_vectors, c.stop_vectors,
			       sizeof(s->stop_vectors));
		}
		show_stops(s);
		return true;
	case SC_BREAK:
		do_break(s, &c);
		return true;
	case SC_DELETE:
		do_delete(s, c.index);
		return true;
	case SC_BREAKPOINTS:
		do_breakpoints(s);
		return true;
	case SC_REGS:
		do_regs(s);
		return true;
	case SC_VMCS:
		do_vmcs(s, &c);
		return true;
	case SC_SET:
		do_set(s, &c);
		return true;
	case SC_X:
		do_x(s, &c);
		return true;
	case SC_WALK:
		do_walk(s, &c);
		return true;
	case SC_APIC:
		do_apic(s);
		return true;
	case SC_EXPLAIN:
		if (explain_entry(s->be, s->out, "", false) == 0)
			fprintf(s->out, "no rule of the SDM's VM-entry checks fails: the next entry should succeed\n");
		return true;
	case SC_HELP:
		if (!step_help(s->out, c.topic))
			error("unknown command '%s'; type help for the "
			      "commands", c.topic);
		return true;
	case SC_QUIT:
		return false;
	}
	return true;
}

int stepper_run(struct stepper *s)
{
	struct vmxlab_debug none;
	struct vmxlab_regs r;
	char *line = NULL;
	size_t cap = 0;
	int ret;

	/* Asking for no stops at all tells whether stops are possible. */
	memset(&none, 0, sizeof(none));
	ret = be_set_debug(s->be, &none);
	if (ret) {
		error("the stepper needs VMXLAB_SET_DEBUG, which is %s",
		      ret == -EOPNOTSUPP ? backend_strerror(s->be, ret) :
		      "refused by this vmxlab module");
		return STATUS_SETUP;
	}
	s->armed = none;
	s->have_armed = true;
	vmcs_snapshot_take(s->be, &s->last);
	if (!s->be->ops->get_regs(s->be, &r)) {
		fprintf(s->out, "start: rip=0x%" PRIx64 "\n", (uint64_t)r.rip);
		show_code(s, r.rip, 4, true);
	}
	for (;;) {
		if (s->prompt)
			fprintf(s->out, "(vmxlab) ");
		fflush(s->out);
		errno = 0;
		if (getline(&line, &cap, s->in) < 0) {
			/* Ctrl-C at the prompt: a fresh prompt. */
			if (errno == EINTR && runloop_stop_signal == SIGINT) {
				runloop_stop_signal = 0;
				run_of(s)->immediate_exit = 0;
				clearerr(s->in);
				fprintf(s->out, "\n");
				continue;
			}
			if (s->prompt)
				fprintf(s->out, "\n");
			break;
		}
		if (!stepper_command(s, line))
			break;
	}
	fflush(s->out);
	free(line);
	return s->status >= 0 ? s->status : 0;
}
