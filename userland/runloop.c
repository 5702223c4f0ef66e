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
	case 7:
		return "VM entry with invalid control fields";
	case 8:
		return "VM entry with invalid host-state fields";
	case 26:
		return "VM entry with events blocked by MOV SS";
	default:
		return "see SDM Vol. 3C, 31.4";
	}
}

static int stop_status(const struct vcpu_loop *l)
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

static int debug_exit_status(const struct platform *p)
{
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

static int handle_hlt(struct vcpu_loop *l, struct vmxlab_run *run)
{
	struct vmxlab_regs regs;

	if (l->be->ops->get_regs(l->be, &regs) == 0 &&
	    (regs.rflags & X86_RFLAGS_IF))
		info("guest halted at rip 0x%" PRIx64 " with interrupts "
		     "enabled, and no device will ever interrupt it",
		     (uint64_t)run->guest_rip);
	else
		info("guest halted at rip 0x%" PRIx64,
		     (uint64_t)run->guest_rip);
	return STATUS_HALTED;
}

static int handle_fail_entry(struct vmxlab_run *run)
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

/* Fills the parts of @rec that need the guest's state. */
static void trace_fetch(struct vcpu_loop *l, struct trace_record *rec)
{
	struct vmxlab_sregs sregs;

	if (l->be->ops->get_sregs(l->be, &sregs))
		return;
	rec->cpu_bits = cpu_code_bits(&sregs);
	rec->insn_len = fetch_insn(l->g, &sregs, rec->rip, rec->insn,
				   TRACE_INSN_MAX);
}

static void trace_emit(struct vcpu_loop *l, struct trace_record *rec)
{
	char line[512];

	trace_summary_add(&l->summary, rec);
	if (l->trace_json)
		trace_format_json(rec, line, sizeof(line));
	else
		trace_format_text(rec, line, sizeof(line));
	fprintf(l->trace, "%s\n", line);
}

/*
 * Serves one exit.  Returns -1 to keep running, else the final status.
 */
static int handle_exit(struct vcpu_loop *l, struct vmxlab_run *run,
		       struct trace_record *rec)
{
	struct platform *p = l->plat;

	switch (run->exit_reason) {
	case VMXLAB_EXIT_IO:
		if (run->io.direction == VMXLAB_IO_OUT)
			platform_pio_write(p, run->io.port, run->io.size,
					   run->io.data);
		else
			run->io.data = platform_pio_read(p, run->io.port,
							 run->io.size);
		rec->flags |= TRACE_HAS_IO;
		rec->u.io.port = run->io.port;
		rec->u.io.size = run->io.size;
		rec->u.io.in = run->io.direction == VMXLAB_IO_IN;
		rec->u.io.data = run->io.data;
		return -1;
	case VMXLAB_EXIT_MMIO:
		if (run->mmio.is_write)
			platform_mmio_write(p, run->mmio.phys_addr,
					    run->mmio.len, run->mmio.data);
		else
			run->mmio.data = platform_mmio_read(p,
					run->mmio.phys_addr, run->mmio.len);
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
	case VMXLAB_EXIT_TRIPLE_FAULT:
		error("the guest triple-faulted at rip 0x%" PRIx64 " (an "
		      "exception occurred while delivering a double fault); "
		      "a real CPU would reset", (uint64_t)run->guest_rip);
		return STATUS_TRIPLE_FAULT;
	case VMXLAB_EXIT_FAIL_ENTRY:
		return handle_fail_entry(run);
	case VMXLAB_EXIT_INTERNAL_ERROR:
		return handle_internal(run);
	default:
		error("the hypervisor returned exit kind %u, which this loader "
		      "does not know", run->exit_reason);
		return STATUS_UNEXPECTED;
	}
}

int vcpu_loop_run(struct vcpu_loop *l)
{
	struct vmxlab_run *run = l->be->ops->run_struct(l->be);
	int ret, status;

	for (;;) {
		struct trace_record rec;
		uint64_t t0;

		ret = l->be->ops->run(l->be);
		t0 = __rdtsc();
		if (ret == -EINTR ||
		    (ret == 0 && run->exit_reason == VMXLAB_EXIT_INTR)) {
			if (runloop_stop_signal)
				return stop_status(l);
			run->immediate_exit = 0;	/* a stray signal */
			continue;
		}
		if (ret < 0) {
			error("running the guest failed: %s", strerror(-ret));
			return STATUS_UNEXPECTED;
		}

		memset(&rec, 0, sizeof(rec));
		rec.seq = ++l->seq;
		rec.hw_exit_reason = run->hw_exit_reason;
		rec.qualification = run->exit_qualification;
		rec.rip = run->guest_rip;
		rec.where = TRACE_USER;
		status = handle_exit(l, run, &rec);
		rec.cost = __rdtsc() - t0;
		if (l->trace) {
			trace_fetch(l, &rec);
			trace_emit(l, &rec);
		}
		if (status >= 0)
			return status;
		if (l->plat->exit_requested)
			return debug_exit_status(l->plat);
	}
}
