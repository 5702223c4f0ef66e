// SPDX-License-Identifier: GPL-2.0
/*
 * lab02_test.c - lab 02, RDTSC exiting and a fake clock
 * (Documentation/labs/02-rdtsc.rst).
 *
 * What a solved vmxlab does: RDTSC (and RDTSCP, where the processor lets
 * guests use it) exits to vmxlab, which answers from a per-vCPU clock
 * that starts at 0 when the vCPU is created and advances by exactly 1000
 * at each read: the first RDTSC returns 1000, the next 2000, and so on.
 * EDX:EAX get the value, the upper halves of RAX and RDX are cleared;
 * RDTSCP also loads ECX with the guest's IA32_TSC_AUX.  RUN does not
 * return for these exits.
 */
#include <cpuid.h>
#include <sys/ioctl.h>
#include <kselftest_harness.h>

#include "lib/vmxlab_test.h"

#define EXIT_RDTSC	16	/* SDM Vol. 3C, Appendix C */
#define EXIT_RDTSCP	51

FIXTURE(vm) {
	struct tvm t;
};

FIXTURE_SETUP(vm)
{
	ASSERT_EQ(0, tvm_create(&self->t, 4 << 20));
}

FIXTURE_TEARDOWN(vm)
{
	tvm_destroy(&self->t);
}

/* Three RDTSCs into R8, R9, R10 (EDX:EAX joined), then HLT. */
GUEST_CODE(three_reads,
	".code64\n"
	"mov $-1, %rax\n"
	"mov $-1, %rdx\n"
	"rdtsc\n"
	"mov %rax, %r11\n"		/* upper half of RAX must be 0 */
	"mov %rdx, %r12\n"		/* and of RDX */
	"shl $32, %rdx\n"
	"or %rdx, %rax\n"
	"mov %rax, %r8\n"
	"rdtsc\n"
	"shl $32, %rdx\n"
	"or %rdx, %rax\n"
	"mov %rax, %r9\n"
	"rdtsc\n"
	"shl $32, %rdx\n"
	"or %rdx, %rax\n"
	"mov %rax, %r10\n"
	"hlt\n");

TEST_F(vm, rdtsc_reads_the_fake_clock)
{
	struct tvm *t = &self->t;
	struct vmxlab_regs r;

	tvm_load_code(t, GUEST_ENTRY, GUEST(three_reads));
	ASSERT_EQ(0, tvm_set_long(t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run_to_exit(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	ASSERT_EQ(0, tvm_get_regs(t, &r));
	EXPECT_EQ(1000, r.r8);
	EXPECT_EQ(2000, r.r9);
	EXPECT_EQ(3000, r.r10);
	EXPECT_EQ(1000, r.r11);
	EXPECT_EQ(0, r.r12);
}

/* One RDTSC, stopped at its exit: it must exit, with reason 16. */
GUEST_CODE(one_read, ".code64\n rdtsc\n hlt\n");

TEST_F(vm, rdtsc_exits)
{
	struct tvm *t = &self->t;
	struct vmxlab_debug d = { .flags = VMXLAB_DEBUG_STOP_EXITS };

	d.stop_reasons[0] = 1ULL << EXIT_RDTSC;
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_SET_DEBUG, &d));
	tvm_load_code(t, GUEST_ENTRY, GUEST(one_read));
	ASSERT_EQ(0, tvm_set_long(t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_STOP);
	EXPECT_EQ(VMXLAB_STOP_EXIT, t->run->stop.kind);
	EXPECT_EQ(EXIT_RDTSC, t->run->hw_exit_reason);
	EXPECT_EQ(GUEST_ENTRY, t->run->guest_rip);
	/* The next RUN handles it in the kernel and goes on to the HLT. */
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
}

/* Each vCPU has its own clock, from 0: a second VM starts over. */
TEST_F(vm, every_vcpu_starts_at_zero)
{
	struct tvm *t = &self->t, t2;
	struct vmxlab_regs r;

	tvm_load_code(t, GUEST_ENTRY, GUEST(three_reads));
	ASSERT_EQ(0, tvm_set_long(t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run_to_exit(t));
	ASSERT_EQ(0, tvm_create(&t2, 4 << 20));
	tvm_load_code(&t2, GUEST_ENTRY, GUEST(one_read));
	ASSERT_EQ(0, tvm_set_long(&t2, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run_to_exit(&t2));
	ASSERT_EQ(0, tvm_get_regs(&t2, &r));
	tvm_destroy(&t2);
	EXPECT_EQ(1000, r.rax);
	EXPECT_EQ(0, r.rdx);
}

/* RDTSCP: the next value of the same clock, and ECX = IA32_TSC_AUX. */
GUEST_CODE(rdtscp_read,
	".code64\n"
	"mov $0xc0000103, %ecx\n"	/* IA32_TSC_AUX */
	"mov $7, %eax\n"
	"xor %edx, %edx\n"
	"wrmsr\n"
	"rdtsc\n"
	"mov $-1, %rcx\n"
	"rdtscp\n"
	"hlt\n");

TEST_F(vm, rdtscp_reads_the_same_clock)
{
	struct tvm *t = &self->t;
	unsigned int a, b, c, d;
	struct vmxlab_regs r;

	if (!__get_cpuid(0x80000001, &a, &b, &c, &d) || !(d & (1U << 27)))
		SKIP(return, "this processor has no RDTSCP");
	tvm_load_code(t, GUEST_ENTRY, GUEST(rdtscp_read));
	ASSERT_EQ(0, tvm_set_long(t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run_to_exit(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	ASSERT_EQ(0, tvm_get_regs(t, &r));
	EXPECT_EQ(2000, r.rax);
	EXPECT_EQ(0, r.rdx);
	EXPECT_EQ(7, r.rcx);
}

TEST_HARNESS_MAIN
