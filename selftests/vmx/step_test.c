// SPDX-License-Identifier: GPL-2.0
/*
 * step_test.c - what the stepper and the trace stand on: the exit ring
 * (lossless and overwrite), single-stepping with the monitor trap flag,
 * stops at chosen exits, RIP breakpoints, VMCS field access, address
 * translation, the tracepoints and the debugfs counts.
 */
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <kselftest_harness.h>

#include <linux/vmxlab_tables.h>

#include "lib/vmxlab_test.h"

/* 20 CPUIDs (handled in the kernel), then HLT (handled in userspace). */
GUEST_CODE(cpuid20,
	".code16\n"
	"mov $20, %si\n"
	"1: xor %eax, %eax\n"
	"cpuid\n"
	"dec %si\n"
	"jnz 1b\n"
	"hlt\n");

static struct vmxlab_ring *ring_setup(struct __test_metadata *_metadata,
				      struct tvm *t, uint32_t n, uint32_t flags)
{
	struct vmxlab_ring_config cfg = { .nrecords = n, .flags = flags };
	size_t size = (sizeof(struct vmxlab_ring) +
		       n * sizeof(struct vmxlab_exit_record) + 4095) & ~4095UL;
	void *p;

	if (ioctl(t->vcpu, VMXLAB_SET_RING, &cfg)) {
		TH_LOG("VMXLAB_SET_RING: %s", strerror(errno));
		return NULL;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, t->vcpu,
		 VMXLAB_RING_OFFSET);
	return p == MAP_FAILED ? NULL : p;
}

FIXTURE(vm) {
	struct tvm t;
};

FIXTURE_SETUP(vm)
{
	ASSERT_EQ(0, tvm_create(&self->t, 1 << 20));
	tvm_load_code(&self->t, GUEST_ENTRY, GUEST(cpuid20));
	ASSERT_EQ(0, tvm_set_real(&self->t, GUEST_ENTRY));
}

FIXTURE_TEARDOWN(vm)
{
	tvm_destroy(&self->t);
}

TEST_F(vm, ring_lossless)
{
	struct tvm *t = &self->t;
	struct vmxlab_ring *ring = ring_setup(_metadata, t, 8, 0);
	struct vmxlab_ring_config again = { .nrecords = 8 };
	uint64_t seq = 0, cpuids = 0, fulls = 0;

	ASSERT_NE(NULL, ring);
	EXPECT_EQ(-1, ioctl(t->vcpu, VMXLAB_SET_RING, &again));
	EXPECT_EQ(EBUSY, errno);
	for (;;) {
		ASSERT_EQ(0, tvm_run(t));
		/*
		 * Drain in order.  A record whose entry has not happened yet
		 * (no ENTRY_DONE) stays until the next RUN completes it,
		 * except the last one when the guest is done.
		 */
		while (ring->tail < ring->head) {
			struct vmxlab_exit_record *r =
				&ring->records[ring->tail % ring->nrecords];

			if (!(r->flags & VMXLAB_REC_ENTRY_DONE) &&
			    t->run->exit_reason == VMXLAB_EXIT_RING_FULL)
				break;
			ASSERT_EQ(seq, r->seq);
			if ((r->exit_reason & 0xffff) == 10) {
				cpuids++;
				EXPECT_TRUE(r->flags & VMXLAB_REC_KERNEL);
				EXPECT_TRUE(r->flags & VMXLAB_REC_ENTRY_DONE);
				EXPECT_LT(r->tsc_exit, r->tsc_entry);
			}
			seq++;
			ring->tail++;
		}
		if (t->run->exit_reason == VMXLAB_EXIT_RING_FULL) {
			fulls++;
			continue;
		}
		break;
	}
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	/* Every exit is there: 20 CPUIDs and the HLT, nothing lost. */
	EXPECT_EQ(20, cpuids);
	EXPECT_LE(21, seq);
	EXPECT_LE(2, fulls);
	EXPECT_EQ(0, ring->dropped);
	EXPECT_EQ(12, ring->records[(seq - 1) % 8].exit_reason);
	EXPECT_FALSE(ring->records[(seq - 1) % 8].flags & VMXLAB_REC_KERNEL);
}

TEST_F(vm, ring_overwrite_counts_drops)
{
	struct tvm *t = &self->t;
	struct vmxlab_ring *ring = ring_setup(_metadata, t, 8,
					      VMXLAB_RING_OVERWRITE);
	uint64_t i;

	ASSERT_NE(NULL, ring);
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	/* Nothing was read: all but the last 8 records were overwritten. */
	EXPECT_LE(21, ring->head);
	EXPECT_EQ(ring->head - 8, ring->dropped);
	for (i = ring->head - 8; i < ring->head; i++)
		EXPECT_EQ(i, ring->records[i % 8].seq);
}

TEST_F(vm, single_step)
{
	struct tvm *t = &self->t;
	struct vmxlab_debug d = { .flags = VMXLAB_DEBUG_SINGLESTEP };
	/* mov si (3 bytes), xor eax (3), cpuid (2), dec si (1): one RUN each. */
	static const uint64_t rips[] = { 0x1003, 0x1006, 0x1008, 0x1009 };
	unsigned int i;

	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_SET_DEBUG, &d));
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, tvm_run(t));
		EXPECT_EXIT(t, VMXLAB_EXIT_STOP);
		EXPECT_EQ(VMXLAB_STOP_STEP, t->run->stop.kind);
		EXPECT_EQ(rips[i], t->run->guest_rip);
	}
	d.flags = 0;
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_SET_DEBUG, &d));
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
}

TEST_F(vm, stop_at_chosen_exits)
{
	struct tvm *t = &self->t;
	struct vmxlab_debug d = { .flags = VMXLAB_DEBUG_STOP_EXITS };
	struct vmxlab_vmcs_field f = { .encoding = VMCS_GUEST_RIP };
	int stops = 0;

	d.stop_reasons[0] = 1ULL << 10;		/* CPUID */
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_SET_DEBUG, &d));
	for (;;) {
		ASSERT_EQ(0, tvm_run(t));
		if (t->run->exit_reason != VMXLAB_EXIT_STOP)
			break;
		EXPECT_EQ(VMXLAB_STOP_EXIT, t->run->stop.kind);
		EXPECT_EQ(10, t->run->hw_exit_reason);
		/* Stopped before handling: RIP is the CPUID itself. */
		EXPECT_EQ(0x1006, t->run->guest_rip);
		ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_GET_VMCS_FIELD, &f));
		EXPECT_EQ(t->run->guest_rip, f.value);
		stops++;
	}
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	EXPECT_EQ(20, stops);
}

TEST_F(vm, breakpoint)
{
	struct tvm *t = &self->t;
	struct vmxlab_debug d = {
		.flags = VMXLAB_DEBUG_BREAKPOINTS,
		.nbreakpoints = 1,
		.breakpoints = { 0x1008 },	/* the DEC after CPUID */
	};
	int hits = 0;

	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_SET_DEBUG, &d));
	for (;;) {
		ASSERT_EQ(0, tvm_run(t));
		if (t->run->exit_reason != VMXLAB_EXIT_STOP)
			break;
		EXPECT_EQ(VMXLAB_STOP_BREAKPOINT, t->run->stop.kind);
		EXPECT_EQ(0x1008, t->run->guest_rip);
		hits++;
	}
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	EXPECT_EQ(20, hits);
	d.nbreakpoints = VMXLAB_MAX_BREAKPOINTS + 1;
	EXPECT_EQ(-1, ioctl(t->vcpu, VMXLAB_SET_DEBUG, &d));
	EXPECT_EQ(E2BIG, errno);
}

TEST_F(vm, vmcs_fields)
{
	struct tvm *t = &self->t;
	struct vmxlab_vmcs_field f = { .encoding = VMCS_GUEST_RIP };
	struct vmxlab_regs r;

	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_GET_VMCS_FIELD, &f));
	EXPECT_EQ(GUEST_ENTRY, f.value);
	f.value = GUEST_ENTRY + 3;	/* skip the MOV to SI: SI stays 0 */
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_SET_VMCS_FIELD, &f));
	ASSERT_EQ(0, tvm_get_regs(t, &r));
	EXPECT_EQ(GUEST_ENTRY + 3, r.rip);
	/* Host state and controls are not for writing; bad encodings. */
	f.encoding = VMCS_HOST_RIP;
	EXPECT_EQ(-1, ioctl(t->vcpu, VMXLAB_SET_VMCS_FIELD, &f));
	EXPECT_EQ(EPERM, errno);
	f.encoding = VMCS_EPT_POINTER;
	EXPECT_EQ(-1, ioctl(t->vcpu, VMXLAB_SET_VMCS_FIELD, &f));
	EXPECT_EQ(EPERM, errno);
	f.encoding = 0x10000;
	EXPECT_EQ(-1, ioctl(t->vcpu, VMXLAB_GET_VMCS_FIELD, &f));
	EXPECT_EQ(EINVAL, errno);
	/* Reading host state is allowed: HOST_RIP is vmxlab's exit label. */
	f.encoding = VMCS_HOST_RIP;
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_GET_VMCS_FIELD, &f));
	EXPECT_NE(0, f.value);
}

TEST(translate)
{
	struct vmxlab_translation x = { .gva = 0x201234 };
	struct tvm t;
	uint64_t *pd;

	ASSERT_EQ(0, tvm_create(&t, 4 << 20));
	ASSERT_EQ(0, tvm_set_long(&t, GUEST_ENTRY));
	ASSERT_EQ(0, ioctl(t.vcpu, VMXLAB_TRANSLATE, &x));
	EXPECT_EQ(VMXLAB_XLATE_GPA_VALID | VMXLAB_XLATE_HPA_VALID, x.flags);
	EXPECT_EQ(4, x.guest_levels);
	EXPECT_EQ(0x201234, x.gpa);
	EXPECT_EQ(0x234, x.hpa & 0xfff);
	EXPECT_EQ(GUEST_PML4, x.guest_entry_gpa[0]);
	EXPECT_EQ((uint64_t)(GUEST_PML4 + 0x1000) | 3, x.guest_entry[0]);
	EXPECT_EQ(0x200083, x.guest_entry[2]);	/* the 2 MiB page */
	EXPECT_TRUE(x.ept_entry[3] & 1);	/* EPT PTE readable */
	/* Beyond guest memory: a GPA, but no HPA (it would be MMIO). */
	x = (struct vmxlab_translation){ .gva = 0xd0000000 };
	ASSERT_EQ(0, ioctl(t.vcpu, VMXLAB_TRANSLATE, &x));
	EXPECT_EQ(VMXLAB_XLATE_GPA_VALID, x.flags);
	/* Not mapped by the guest at all. */
	pd = (uint64_t *)(t.mem + GUEST_PML4 + 0x2000);
	pd[1] = 0;
	x = (struct vmxlab_translation){ .gva = 0x201234 };
	ASSERT_EQ(0, ioctl(t.vcpu, VMXLAB_TRANSLATE, &x));
	EXPECT_EQ(0, x.flags);
	tvm_destroy(&t);
}

static int file_contains(const char *path, const char *needle)
{
	char line[512];
	int found = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, needle) != NULL;
	fclose(f);
	return found;
}

static int write_file(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");
	int r;

	if (!f)
		return -1;
	r = fputs(s, f) < 0;
	return fclose(f) || r ? -1 : 0;
}

TEST_F(vm, tracepoints_and_debugfs)
{
	const char *ev = "/sys/kernel/tracing/events/vmxlab/vmxlab_exit/enable";
	struct tvm *t = &self->t;
	glob_t g;
	size_t i;
	int counted = 0;

	if (access(ev, W_OK))
		SKIP(return, "no tracefs at /sys/kernel/tracing");
	ASSERT_EQ(0, write_file("/sys/kernel/tracing/trace", ""));
	ASSERT_EQ(0, write_file(ev, "1"));
	ASSERT_EQ(0, write_file("/sys/kernel/tracing/events/vmxlab/vmxlab_entry/enable", "1"));
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	ASSERT_EQ(0, write_file(ev, "0"));
	ASSERT_EQ(0, write_file("/sys/kernel/tracing/events/vmxlab/vmxlab_entry/enable", "0"));
	EXPECT_TRUE(file_contains("/sys/kernel/tracing/trace", "vmxlab_exit: vcpu 0 reason 10"));
	EXPECT_TRUE(file_contains("/sys/kernel/tracing/trace", "vmxlab_entry: vcpu 0 VMLAUNCH"));
	/* debugfs: this VM's directory counts the 20 CPUID exits. */
	ASSERT_EQ(0, glob("/sys/kernel/debug/vmxlab/*/exits", 0, NULL, &g));
	for (i = 0; i < g.gl_pathc; i++)
		counted += file_contains(g.gl_pathv[i], "CPUID                  20");
	globfree(&g);
	EXPECT_EQ(1, counted);
}

TEST_HARNESS_MAIN
