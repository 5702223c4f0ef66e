// SPDX-License-Identifier: GPL-2.0
/*
 * test-runloop.c - the vCPU loop against a scripted fake backend: every
 * exit kind, IN and MMIO read completion, statuses and the trace, with
 * and without the exit ring.
 */
#include <errno.h>
#include <stdlib.h>

#include <linux/vmxlab_tables.h>

#include "cli.h"
#include "fake-backend.h"
#include "pc.h"
#include "runloop.h"
#include "tap.h"

struct rig {
	struct fake fake;
	struct backend be;
	struct guest g;
	struct pc pc;
	struct vcpu_loop loop;
	char *out, *trace;
	size_t outlen, tracelen;
	FILE *console, *tracef;
	struct capture msgs;
};

static struct rig *rig(void)
{
	struct rig *r = calloc(1, sizeof(*r));

	r->be.ops = &fake_ops;
	r->be.priv = &r->fake;
	r->g.ram_size = 1 << 20;
	r->g.ram = calloc(1, r->g.ram_size);
	r->console = open_memstream(&r->out, &r->outlen);
	pc_init(&r->pc, r->console, r->g.ram_size, NULL);
	r->loop.be = &r->be;
	r->loop.g = &r->g;
	r->loop.plat = &r->pc.plat;
	r->loop.timeout = 3;
	/* Real mode at CS base 0, for the trace's instruction fetch. */
	r->fake.sregs.cs.ar = 0x9b;
	runloop_stop_signal = 0;
	return r;
}

static void add(struct rig *r, int ret, struct vmxlab_run run)
{
	fake_add(&r->fake, ret, run);
}

static void out(struct rig *r, uint16_t port, uint8_t size, uint64_t v)
{
	struct vmxlab_run run = { .exit_reason = VMXLAB_EXIT_IO,
				  .hw_exit_reason = 30 };

	run.exit_qualification = ((uint64_t)port << 16) | (size - 1);
	run.io.direction = VMXLAB_IO_OUT;
	run.io.size = size;
	run.io.port = port;
	run.io.data = v;
	add(r, 0, run);
}

static void in(struct rig *r, uint16_t port, uint8_t size)
{
	struct vmxlab_run run = { .exit_reason = VMXLAB_EXIT_IO,
				  .hw_exit_reason = 30 };

	run.exit_qualification = ((uint64_t)port << 16) | 8 | (size - 1);
	run.io.direction = VMXLAB_IO_IN;
	run.io.size = size;
	run.io.port = port;
	run.io.data = 0x5555;	/* junk the loader must overwrite */
	add(r, 0, run);
}

static void simple(struct rig *r, uint32_t kind, uint32_t hw)
{
	struct vmxlab_run run = { .exit_reason = kind, .hw_exit_reason = hw,
				  .guest_rip = 0x1234 };

	add(r, 0, run);
}

static int go(struct rig *r)
{
	int status;

	capture_start(&r->msgs);
	status = vcpu_loop_run(&r->loop);
	capture_end(&r->msgs);
	fflush(r->console);
	if (r->tracef)
		fflush(r->tracef);
	return status;
}

TEST(loop_io_then_debug_exit_pass)
{
	struct rig *r = rig();

	out(r, 0x3f8, 1, 'o');
	out(r, 0x3f8, 1, 'k');
	in(r, 0x3fd, 1);
	out(r, 0xf4, 1, 0x10);
	simple(r, VMXLAB_EXIT_HLT, 12);		/* never reached */
	CHECK_EQ(go(r), 33);
	CHECK_STR(r->out, "ok");
	/* The IN was answered in run->io.data before the next RUN. */
	CHECK_EQ(r->fake.seen[3].io.data, 0x60);
	CHECK_EQ(r->fake.next, 4);
	CHECK_CONTAINS(r->msgs.buf, "vmxlab: PASS (the guest wrote 0x10 to "
		       "the debug-exit port; exit status 33)");
}

TEST(loop_debug_exit_fail_and_other_values)
{
	struct rig *r = rig();

	out(r, 0xf4, 1, 0x11);
	CHECK_EQ(go(r), 35);
	CHECK_CONTAINS(r->msgs.buf, "vmxlab: FAIL");
	r = rig();
	out(r, 0xf4, 4, 0);
	CHECK_EQ(go(r), 1);
	CHECK_CONTAINS(r->msgs.buf, "wrote 0x0 to the debug-exit port; exit "
		       "status 1");
	CHECK_EQ(guest_exit_status(0x7f), 255);
	CHECK_EQ(guest_exit_status(0x80), 1);	/* 8 bits, as exit() */
}

TEST(loop_mmio_read_completion)
{
	struct rig *r = rig();
	struct vmxlab_run run = { .exit_reason = VMXLAB_EXIT_MMIO,
				  .hw_exit_reason = 48 };

	/* The IOAPIC's version register: IOREGSEL = 1, then IOWIN. */
	run.mmio.phys_addr = 0xfec00000;
	run.mmio.len = 4;
	run.mmio.is_write = 1;
	run.mmio.data = 1;
	add(r, 0, run);
	run.mmio.phys_addr = 0xfec00010;
	run.mmio.is_write = 0;
	run.mmio.data = 0;
	add(r, 0, run);
	run.mmio.phys_addr = 0xd0000000;
	run.mmio.is_write = 1;
	run.mmio.data = 0xabcd;
	add(r, 0, run);
	run.mmio.is_write = 0;
	run.mmio.data = 0;
	run.mmio.len = 1;
	add(r, 0, run);
	out(r, 0xf4, 1, 0x10);
	CHECK_EQ(go(r), 33);
	CHECK_EQ(r->fake.seen[2].mmio.data, 0x00170011);
	CHECK_EQ(r->fake.seen[4].mmio.data, 0xcd);
}

TEST(loop_hypercall_and_msr)
{
	struct rig *r = rig();
	struct vmxlab_run run = { .exit_reason = VMXLAB_EXIT_HYPERCALL,
				  .hw_exit_reason = 18 };

	run.hypercall.nr = 0;
	add(r, 0, run);
	run = (struct vmxlab_run){ .exit_reason = VMXLAB_EXIT_MSR,
				   .hw_exit_reason = 31 };
	run.msr.index = 0x12345;
	add(r, 0, run);
	run = (struct vmxlab_run){ .exit_reason = VMXLAB_EXIT_HYPERCALL,
				   .hw_exit_reason = 18 };
	run.hypercall.nr = 2;
	run.hypercall.args[0] = 0x10;
	add(r, 0, run);
	CHECK_EQ(go(r), 33);
	CHECK_EQ(r->fake.seen[1].hypercall.ret, 0x766d786c);
	CHECK_EQ(r->fake.seen[2].msr.error, 1);
}

TEST(loop_halt_statuses)
{
	struct rig *r = rig();

	/* Only a HLT nothing can end reaches the loader (IF = 0). */
	simple(r, VMXLAB_EXIT_HLT, 12);
	CHECK_EQ(go(r), STATUS_HALTED);
	CHECK_STR(r->msgs.buf, "vmxlab: guest halted at rip 0x1234 with "
		  "interrupts disabled\n");
}

TEST(loop_failure_statuses)
{
	struct rig *r = rig();
	struct vmxlab_run run = { .exit_reason = VMXLAB_EXIT_FAIL_ENTRY,
				  .hw_exit_reason = 0x80000021,
				  .exit_qualification = 0 };

	simple(r, VMXLAB_EXIT_TRIPLE_FAULT, 2);
	CHECK_EQ(go(r), STATUS_TRIPLE_FAULT);
	CHECK_CONTAINS(r->msgs.buf, "the guest triple-faulted at rip 0x1234");

	r = rig();
	add(r, 0, run);
	CHECK_EQ(go(r), STATUS_ENTRY_FAILED);
	CHECK_CONTAINS(r->msgs.buf, "VM entry failed: exit reason 0x80000021 "
		       "(INVALID_GUEST_STATE), qualification 0x0");
	r = rig();
	run.hw_exit_reason = 0;
	run.fail_entry.vm_instruction_error = 7;
	add(r, 0, run);
	CHECK_EQ(go(r), STATUS_ENTRY_FAILED);
	CHECK_CONTAINS(r->msgs.buf, "VM-instruction error 7 (VM entry with "
		       "invalid control fields)");

	r = rig();
	run = (struct vmxlab_run){ .exit_reason = VMXLAB_EXIT_INTERNAL_ERROR,
				   .guest_rip = 0x42 };
	run.internal.suberror = VMXLAB_INTERNAL_EMULATION;
	strcpy(run.internal.msg, "cannot emulate opcode 0f 0b");
	add(r, 0, run);
	CHECK_EQ(go(r), STATUS_INTERNAL);
	CHECK_CONTAINS(r->msgs.buf, "internal error in the hypervisor "
		       "(emulation failed) at rip 0x42: cannot emulate opcode "
		       "0f 0b");

	r = rig();
	simple(r, 77, 0);
	CHECK_EQ(go(r), STATUS_UNEXPECTED);
	CHECK_CONTAINS(r->msgs.buf, "exit kind 77");

	r = rig();	/* the script runs out: RUN fails with EIO */
	CHECK_EQ(go(r), STATUS_UNEXPECTED);
	CHECK_CONTAINS(r->msgs.buf, "running the guest failed: Input/output "
		       "error");
}

TEST(loop_signals)
{
	struct rig *r = rig();

	/* A stray EINTR (no stop requested) just runs again. */
	add(r, -EINTR, (struct vmxlab_run){ 0 });
	out(r, 0xf4, 1, 0x10);
	CHECK_EQ(go(r), 33);

	r = rig();
	r->fake.regs.rip = 0x1001;
	add(r, -EINTR, (struct vmxlab_run){ 0 });
	runloop_stop_signal = SIGALRM;
	CHECK_EQ(go(r), STATUS_TIMEOUT);
	CHECK_STR(r->msgs.buf, "vmxlab: timed out after 3 s; the guest was "
		  "stopped at rip 0x1001\n");

	r = rig();
	add(r, 0, (struct vmxlab_run){ .exit_reason = VMXLAB_EXIT_INTR });
	runloop_stop_signal = SIGINT;
	CHECK_EQ(go(r), STATUS_INTERRUPTED);
	CHECK_CONTAINS(r->msgs.buf, "interrupted");
}

TEST(loop_real_signal_kicks_the_backend)
{
	struct rig *r = rig();

	runloop_install_signals(&r->be, 0);
	raise(SIGINT);
	CHECK_EQ(runloop_stop_signal, SIGINT);
	CHECK_EQ(r->fake.run.immediate_exit, 1);
	add(r, -EINTR, (struct vmxlab_run){ 0 });
	CHECK_EQ(go(r), STATUS_INTERRUPTED);
}

TEST(loop_trace_lines_and_summary)
{
	struct rig *r = rig();

	r->tracef = open_memstream(&r->trace, &r->tracelen);
	r->loop.trace = r->tracef;
	r->g.ram[0x1000] = 0xee;	/* out dx, al */
	out(r, 0x3f8, 1, 'A');
	r->fake.steps[0].run.guest_rip = 0x1000;
	simple(r, VMXLAB_EXIT_HLT, 12);
	CHECK_EQ(go(r), 0);
	CHECK_CONTAINS(r->trace, "#1 tsc=0 IO_INSTRUCTION dir=out port=0x3f8 "
		       "size=1 data=0x41 rip=0x1000 bytes=ee");
	CHECK_CONTAINS(r->trace, "insn=\"out dx, al\" where=user cost=");
	CHECK_CONTAINS(r->trace, "\n#2 tsc=0 HLT rip=0x1234");
	CHECK_EQ(r->loop.summary.count[30], 1);
	CHECK_EQ(r->loop.summary.count[12], 1);
}

/* Lines of @text that contain @needle. */
static unsigned count_lines(const char *text, const char *needle)
{
	const char *p = text;
	unsigned n = 0;

	while (p && (p = strstr(p, needle))) {
		n++;
		p += strlen(needle);
	}
	return n;
}

static struct rig *ring_rig(uint32_t nrecords)
{
	static struct ring_reader rd;
	struct rig *r = rig();
	struct vmxlab_ring *ring;

	r->tracef = open_memstream(&r->trace, &r->tracelen);
	r->loop.trace = r->tracef;
	/* As vcpu_loop_enable_ring() would, but with a small ring. */
	CHECK_EQ(be_set_ring(&r->be, nrecords, 0, &ring), 0);
	ring_reader_init(&rd, ring, nrecords);
	r->loop.ring = &rd;
	return r;
}

static int go_and_flush(struct rig *r)
{
	int status = go(r);

	vcpu_loop_flush_trace(&r->loop);
	fflush(r->tracef);
	return status;
}

TEST(loop_ring_interleaves_kernel_and_user_exits)
{
	struct rig *r = ring_rig(8);
	struct fake_step *st;

	out(r, 0x3f8, 1, 'A');
	st = &r->fake.steps[0];
	st->kexits[st->nkexits++] = VMX_EXIT_CPUID;
	st->kexits[st->nkexits++] = VMX_EXIT_CPUID;
	simple(r, VMXLAB_EXIT_HLT, VMX_EXIT_HLT);
	st = &r->fake.steps[1];
	st->kexits[st->nkexits++] = VMX_EXIT_RDTSC;
	CHECK_EQ(go_and_flush(r), STATUS_HALTED);
	CHECK_CONTAINS(r->trace, "#1 tsc=100 CPUID rip=0x1000");
	CHECK_CONTAINS(r->trace, "where=kernel cost=7\n#2 tsc=200 CPUID");
	/* The user exit once, from its record, with the loader's data. */
	CHECK_CONTAINS(r->trace, "where=kernel cost=7\n#3 tsc=300 "
		       "IO_INSTRUCTION dir=out port=0x3f8 size=1 data=0x41");
	CHECK_EQ(count_lines(r->trace, "IO_INSTRUCTION"), 1);
	CHECK_CONTAINS(r->trace, "where=user cost=50\n#4 tsc=400 RDTSC");
	/* The last exit has no entry after it. */
	CHECK_CONTAINS(r->trace, "#5 tsc=500 HLT rip=0x1234");
	CHECK_CONTAINS(r->trace, "where=user cost=?\n");
	CHECK_EQ(count_lines(r->trace, "\n"), 5);
	CHECK_EQ(r->loop.summary.count[VMX_EXIT_CPUID], 2);
	CHECK_EQ(r->loop.summary.cost[VMX_EXIT_CPUID], 14);
	CHECK_EQ(r->loop.summary.cost[VMX_EXIT_IO_INSTRUCTION], 50);
	CHECK_EQ(r->loop.summary.count[VMX_EXIT_HLT], 1);
	CHECK_EQ(r->loop.summary.costed[VMX_EXIT_HLT], 0);
}

TEST(loop_ring_full_is_drained_and_run_again)
{
	struct rig *r = ring_rig(4);
	struct fake_step *st;
	unsigned i;
	char want[16];

	out(r, 0xf4, 1, 0x10);
	st = &r->fake.steps[0];
	for (i = 0; i < 6; i++)
		st->kexits[st->nkexits++] = VMX_EXIT_CPUID;
	CHECK_EQ(go_and_flush(r), 33);
	CHECK(r->fake.ring_full_returns >= 1);
	/* Seven exits, each once, in order. */
	CHECK_EQ(count_lines(r->trace, "\n"), 7);
	for (i = 1; i <= 7; i++) {
		snprintf(want, sizeof(want), "#%u tsc=", i);
		CHECK_EQ(count_lines(r->trace, want), 1);
	}
	CHECK_EQ(count_lines(r->trace, "where=kernel cost=7"), 6);
	CHECK_CONTAINS(r->trace, "#7 tsc=");
	CHECK_CONTAINS(r->trace, "IO_INSTRUCTION dir=out port=0xf4");
	CHECK_EQ(r->loop.summary.count[VMX_EXIT_CPUID], 6);
}

TEST(loop_without_ring_says_so_once)
{
	struct rig *r = rig();
	struct ring_reader rd;

	r->fake.ring_ret = -ENOTTY;
	r->tracef = open_memstream(&r->trace, &r->tracelen);
	r->loop.trace = r->tracef;
	capture_start(&r->msgs);
	CHECK(!vcpu_loop_enable_ring(&r->loop, &rd));
	capture_end(&r->msgs);
	CHECK_STR(r->msgs.buf, "vmxlab: this vmxlab module has no exit ring "
		  "(Inappropriate ioctl for device), so the trace shows only "
		  "the exits that reach userspace, not the ones handled in "
		  "the kernel\n");
	CHECK(r->loop.ring == NULL);
	out(r, 0x3f8, 1, 'A');
	simple(r, VMXLAB_EXIT_HLT, 12);
	CHECK_EQ(go_and_flush(r), 0);
	CHECK_CONTAINS(r->trace, "#1 tsc=0 IO_INSTRUCTION");
	CHECK_CONTAINS(r->trace, "#2 tsc=0 HLT");
	CHECK(!strstr(r->msgs.buf, "exit ring"));
}

TEST(loop_ring_on_kvm_says_not_supported)
{
	struct backend be = { .ops = &backend_kvm_ops };
	struct vcpu_loop l = { .be = &be };
	struct ring_reader rd;
	struct capture c = { 0 };

	capture_start(&c);
	CHECK(!vcpu_loop_enable_ring(&l, &rd));
	capture_end(&c);
	CHECK_CONTAINS(c.buf, "the kvm backend has no exit ring, so the "
		       "trace shows only the exits that reach userspace");
	CHECK_STR(backend_strerror(&be, -EOPNOTSUPP),
		  "not supported by the kvm backend");
}
