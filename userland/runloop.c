// SPDX-License-Identifier: GPL-2.0
/* runloop.c - the vCPU loop: run, serve the exit, trace it, repeat. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>
#include <x86intrin.h>

#include <linux/vmxlab_tables.h>

#include "bootstate.h"
#include "cli.h"
#include "gva.h"
#include "hypercall.h"
#include "runloop.h"
#include "explain.h"
#include "util.h"

volatile sig_atomic_t runloop_stop_signal;
static struct backend *signal_backend;

static void on_signal(int sig)
{
	if (!runloop_stop_signal)
		runloop_stop_signal = sig;
	if (signal_backend)
		signal_backend->ops->kick(signal_backend);
}

void runloop_install_signals(struct backend *be, unsigned timeout)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: RUN must come back with EINTR. */
	signal_backend = be;
	runloop_stop_signal = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (timeout) {
		sigaction(SIGALRM, &sa, NULL);
		alarm(timeout);
	}
}

int guest_exit_status(uint64_t value)
{
	return (int)(((value << 1) | 1) & 0xff);
}

/* SDM Vol. 3C, 31.4 "VM Instruction Error Numbers", the entry ones. */
static const char *vm_instruction_error(uint32_t n)
{
	switch (n) {
	case VMX_INSN_ERR_ENTRY_CONTROLS:
		return "VM entry with invalid control fields";
	case VMX_INSN_ERR_ENTRY_HOST_STATE:
		return "VM entry with invalid host-state fields";
	case VMX_INSN_ERR_ENTRY_MOV_SS:
		return "VM entry with events blocked by MOV SS";
	default:
		return "see SDM Vol. 3C, 31.4";
	}
}

int vcpu_loop_stop_status(const struct vcpu_loop *l)
{
	struct vmxlab_regs regs;
	char where[48] = "";

	/* Where it was spinning is the first thing one wants to know. */
	if (l->be->ops->get_regs(l->be, &regs) == 0)
		snprintf(where, sizeof(where), " at rip 0x%" PRIx64,
			 (uint64_t)regs.rip);
	switch (runloop_stop_signal) {
	case SIGALRM:
		error("timed out after %u s; the guest was stopped%s",
		      l->timeout, where);
		return STATUS_TIMEOUT;
	case SIGINT:
		error("interrupted: the guest was stopped%s", where);
		return STATUS_INTERRUPTED;
	default:
		error("terminated: the guest was stopped%s", where);
		return STATUS_TERMINATED;
	}
}

int vcpu_loop_debug_exit_status(const struct vcpu_loop *l)
{
	const struct platform *p = l->plat;
	int status = guest_exit_status(p->exit_value);

	if (p->exit_value == GUEST_PASS_VALUE)
		info("PASS (the guest wrote 0x%" PRIx64 " to the debug-exit "
		     "port; exit status %d)", p->exit_value, status);
	else if (p->exit_value == GUEST_FAIL_VALUE)
		info("FAIL (the guest wrote 0x%" PRIx64 " to the debug-exit "
		     "port; exit status %d)", p->exit_value, status);
	else
		info("the guest wrote 0x%" PRIx64 " to the debug-exit port; "
		     "exit status %d", p->exit_value, status);
	return status;
}

/*
 * A HLT that reaches the loader is one nothing can end: interrupts are
 * off (a HLT with IF = 1 waits in the hypervisor for an interrupt).
 */
static int handle_hlt(struct vcpu_loop *l, struct vmxlab_run *run)
{
	(void)l;
	info("guest halted at rip 0x%" PRIx64 " with interrupts disabled",
	     (uint64_t)run->guest_rip);
	return STATUS_HALTED;
}

/* I/O to the PIT's or the RTC's ports may move a timer's deadline. */
static bool timer_port(uint16_t port)
{
	/* ... and reading COM1's RBR makes room for more input. */
	return (port >= 0x40 && port <= 0x43) || port == 0x61 ||
	       port == 0x70 || port == 0x71 || port == COM1_BASE;
}

static int handle_fail_entry(struct vcpu_loop *l, struct vmxlab_run *run)
{
	uint32_t basic = VMX_EXIT_REASON_BASIC(run->hw_exit_reason);
	const char *name = exit_reason_name(basic);

	if (run->fail_entry.vm_instruction_error)
		error("VM entry failed: VM-instruction error %u (%s)",
		      run->fail_entry.vm_instruction_error,
		      vm_instruction_error(
			      run->fail_entry.vm_instruction_error));
	else
		error("VM entry failed: exit reason 0x%08x (%s), "
		      "qualification 0x%" PRIx64 ", hardware reason 0x%"
		      PRIx64, run->hw_exit_reason, name ? name : "unknown",
		      (uint64_t)run->exit_qualification,
		      (uint64_t)run->fail_entry.hardware_entry_failure_reason);
	/* Which of the SDM's VM-entry checks fail, in words (explain.c). */
	explain_entry(l->be, msg_stream ? msg_stream : stderr, "vmxlab: ",
		      true);
	return STATUS_ENTRY_FAILED;
}

static int handle_internal(struct vmxlab_run *run)
{
	static const char *const sub[] = {
		[VMXLAB_INTERNAL_UNHANDLED_EXIT] = "unhandled exit",
		[VMXLAB_INTERNAL_EMULATION] = "emulation failed",
		[VMXLAB_INTERNAL_DELIVERY] = "exit during event delivery",
	};
	uint32_t s = run->internal.suberror;
	char msg[sizeof(run->internal.msg) + 1];

	memcpy(msg, run->internal.msg, sizeof(run->internal.msg));
	msg[sizeof(run->internal.msg)] = '\0';
	error("internal error in the hypervisor (%s) at rip 0x%" PRIx64
	      ": %s", s < 4 && sub[s] ? sub[s] : "unknown suberror",
	      (uint64_t)run->guest_rip, msg[0] ? msg : "no message");
	return STATUS_INTERNAL;
}

/*
 * Fills the parts of @rec that need the guest's state.  A record from the
 * ring is read after the fact: its own CR0, CR3 and CR4 are used, but CS
 * and EFER are today's, so the bytes of an old exit may be decoded in the
 * wrong mode across a mode switch.
 */
static void trace_fetch(struct vcpu_loop *l, struct trace_record *rec,
			const struct vmxlab_exit_record *x)
{
	struct vmxlab_sregs sregs;

	if (l->be->ops->get_sregs(l->be, &sregs))
		return;
	if (x) {
		sregs.cr0 = x->cr0;
		sregs.cr3 = x->cr3;
		sregs.cr4 = x->cr4;
	}
	rec->cpu_bits = cpu_code_bits(&sregs);
	rec->insn_len = fetch_insn(l->g, &sregs, rec->rip, rec->insn,
				   TRACE_INSN_MAX);
}

static void trace_emit(struct vcpu_loop *l, struct trace_record *rec)
{
	char line[512];

	trace_summary_add(&l->summary, rec);
	if (l->perfetto) {
		perfetto_exit(l->perfetto, rec);
		return;
	}
	if (l->trace_json)
		trace_format_json(rec, line, sizeof(line));
	else
		trace_format_text(rec, line, sizeof(line));
	fprintf(l->trace, "%s\n", line);
}

/* One ring record, merged with what the loader saw if it handled it. */
static void trace_ring_record(void *arg, const struct vmxlab_exit_record *x)
{
	struct vcpu_loop *l = arg;
	struct trace_record rec;

	ring_to_trace(x, &rec);
	if (l->have_pending && x->seq == l->pending_seq &&
	    !(x->flags & VMXLAB_REC_KERNEL)) {
		rec.flags &= ~TRACE_MSR_NO_DATA;
		rec.flags |= l->pending.flags &
			     (TRACE_HAS_IO | TRACE_HAS_MMIO | TRACE_HAS_MSR |
			      TRACE_HAS_HYPERCALL);
		rec.u = l->pending.u;
		l->have_pending = false;
	}
	trace_fetch(l, &rec, x);
	trace_emit(l, &rec);
}

static void trace_drain(struct vcpu_loop *l, bool final)
{
	if (l->trace && l->ring)
		ring_drain(l->ring, final, trace_ring_record, l);
}

void vcpu_loop_flush_trace(struct vcpu_loop *l)
{
	trace_drain(l, true);
	if (l->ring)
		l->summary.dropped = ring_dropped(l->ring);
}

bool vcpu_loop_enable_ring(struct vcpu_loop *l, struct ring_reader *r)
{
	struct vmxlab_ring *ring;
	int ret;

	ret = be_set_ring(l->be, RING_DEFAULT_RECORDS, 0, &ring);
	if (ret) {
		if (ret == -EOPNOTSUPP)
			info("the %s backend has no exit ring, so the trace "
			     "shows only the exits that reach userspace, not "
			     "the ones handled in the kernel",
			     l->be->ops->name);
		else
			info("this vmxlab module has no exit ring (%s), so "
			     "the trace shows only the exits that reach "
			     "userspace, not the ones handled in the kernel",
			     strerror(-ret));
		return false;
	}
	ring_reader_init(r, ring, RING_DEFAULT_RECORDS);
	l->ring = r;
	return true;
}

int vcpu_loop_handle(struct vcpu_loop *l, struct vmxlab_run *run,
		     struct trace_record *rec)
{
	struct platform *p = l->plat;

	switch (run->exit_reason) {
	case VMXLAB_EXIT_IO:
		if (l->chip)
			chipset_lock(l->chip);
		if (run->io.direction == VMXLAB_IO_OUT)
			platform_pio_write(p, run->io.port, run->io.size,
					   run->io.data);
		else
			run->io.data = platform_pio_read(p, run->io.port,
							 run->io.size);
		if (l->chip)
			chipset_unlock(l->chip, timer_port(run->io.port));
		rec->flags |= TRACE_HAS_IO;
		rec->u.io.port = run->io.port;
		rec->u.io.size = run->io.size;
		rec->u.io.in = run->io.direction == VMXLAB_IO_IN;
		rec->u.io.data = run->io.data;
		return -1;
	case VMXLAB_EXIT_MMIO:
		if (l->chip)
			chipset_lock(l->chip);
		if (run->mmio.is_write)
			platform_mmio_write(p, run->mmio.phys_addr,
					    run->mmio.len, run->mmio.data);
		else
			run->mmio.data = platform_mmio_read(p,
					run->mmio.phys_addr, run->mmio.len);
		if (l->chip)
			chipset_unlock(l->chip, false);
		rec->flags |= TRACE_HAS_MMIO;
		rec->u.mmio.gpa = run->mmio.phys_addr;
		rec->u.mmio.len = run->mmio.len;
		rec->u.mmio.is_write = run->mmio.is_write;
		rec->u.mmio.data = run->mmio.data;
		return -1;
	case VMXLAB_EXIT_HYPERCALL: {
		uint64_t args[4] = {
			run->hypercall.args[0], run->hypercall.args[1],
			run->hypercall.args[2], run->hypercall.args[3],
		};

		run->hypercall.ret = hypercall_handle(p, run->hypercall.nr,
						      args);
		rec->flags |= TRACE_HAS_HYPERCALL;
		memcpy(&rec->u.hypercall, &run->hypercall,
		       sizeof(rec->u.hypercall));
		return -1;
	}
	case VMXLAB_EXIT_MSR:
		/* No MSR is handed to userspace yet: refuse it with #GP. */
		run->msr.error = 1;
		rec->flags |= TRACE_HAS_MSR;
		rec->u.msr.index = run->msr.index;
		rec->u.msr.is_write = run->msr.is_write;
		rec->u.msr.data = run->msr.data;
		return -1;
	case VMXLAB_EXIT_HLT:
		return handle_hlt(l, run);
	case VMXLAB_EXIT_IRQ_WINDOW_OPEN:
		/* chipset_before_run() injects before the next RUN. */
		return -1;
	case VMXLAB_EXIT_EOI:
		if (l->chip)
			chipset_eoi(l->chip, run->eoi.vector);
		return -1;
	case VMXLAB_EXIT_TRIPLE_FAULT:
		error("the guest triple-faulted at rip 0x%" PRIx64 " (an "
		      "exception occurred while delivering a double fault); "
		      "a real CPU would reset", (uint64_t)run->guest_rip);
		return STATUS_TRIPLE_FAULT;
	case VMXLAB_EXIT_FAIL_ENTRY:
		return handle_fail_entry(l, run);
	case VMXLAB_EXIT_INTERNAL_ERROR:
		return handle_internal(run);
	default:
		error("the hypervisor returned exit kind %u, which this loader "
		      "does not know", run->exit_reason);
		return STATUS_UNEXPECTED;
	}
}

/* The loop's own record of a user exit, from the run structure. */
static void record_from_run(struct vcpu_loop *l, const struct vmxlab_run *run,
			    struct trace_record *rec)
{
	uint32_t basic = VMX_EXIT_REASON_BASIC(run->hw_exit_reason);

	memset(rec, 0, sizeof(*rec));
	rec->seq = ++l->seq;
	rec->tsc = run->guest_tsc;
	rec->hw_exit_reason = run->hw_exit_reason;
	rec->qualification = run->exit_qualification;
	rec->rip = run->guest_rip;
	rec->where = TRACE_USER;
	if (basic == VMX_EXIT_EPT_VIOLATION ||
	    basic == VMX_EXIT_EPT_MISCONFIG) {
		rec->gpa = run->guest_phys_addr;
		if (rec->gpa)
			rec->flags |= TRACE_HAS_GPA;
	}
	if (run->exit_intr_info & INTR_INFO_VALID) {
		rec->intr_info = run->exit_intr_info;
		rec->intr_error = run->exit_intr_error_code;
		rec->flags |= TRACE_HAS_INTR_INFO;
	}
}

int vcpu_loop_run(struct vcpu_loop *l)
{
	struct vmxlab_run *run = l->be->ops->run_struct(l->be);
	int ret, status;

	for (;;) {
		struct trace_record rec;
		uint64_t t0;

		if (l->chip)
			chipset_before_run(l->chip, run);
		ret = l->be->ops->run(l->be);
		t0 = __rdtsc();
		/*
		 * Everything complete goes out first, so the kernel's exits
		 * appear before the one the loader is about to handle.
		 */
		trace_drain(l, false);
		if (ret == -EINTR ||
		    (ret == 0 && run->exit_reason == VMXLAB_EXIT_INTR)) {
			if (runloop_stop_signal)
				return vcpu_loop_stop_status(l);
			run->immediate_exit = 0;	/* a stray signal */
			continue;
		}
		if (ret < 0) {
			error("running the guest failed: %s", strerror(-ret));
			return STATUS_UNEXPECTED;
		}
		/* The drain above made room; the guest can run on. */
		if (run->exit_reason == VMXLAB_EXIT_RING_FULL)
			continue;

		record_from_run(l, run, &rec);
		status = vcpu_loop_handle(l, run, &rec);
		rec.cost = __rdtsc() - t0;
		rec.t_exit = t0;
		rec.t_entry = t0 + rec.cost;
		rec.flags |= TRACE_HAS_ENTRY;
		if (l->trace && l->ring) {
			/* The newest record is this exit's; it waits. */
			uint64_t head = ring_head(l->ring);

			l->pending = rec;
			l->pending_seq = head - 1;
			l->have_pending = head > 0;
		} else if (l->trace) {
			trace_fetch(l, &rec, NULL);
			trace_emit(l, &rec);
		}
		if (status >= 0)
			return status;
		if (l->plat->exit_requested)
			return vcpu_loop_debug_exit_status(l);
		if (l->plat->reset_requested) {
			info("the guest reset the machine (keyboard controller "
			     "reset line); a PC would reboot, vmxlab stops");
			return STATUS_HALTED;
		}
	}
}
