// SPDX-License-Identifier: GPL-2.0
/*
 * lab03_test.c - lab 03, a hypercall handled in the kernel
 * (Documentation/labs/03-hypercall.rst).
 *
 * What a solved vmxlab does: VMCALL with RAX = 0x100 (MEMSUM) is served
 * by the module without returning from RUN.  RBX is a guest-physical
 * address, RCX a length in bytes; RAX gets the sum of those bytes, each
 * taken as an unsigned number, or all ones if the length is 0 or more
 * than 65536, or if any byte of the range is not guest memory.  RIP moves
 * past the VMCALL.  Every other hypercall number still goes to userspace
 * (VMXLAB_EXIT_HYPERCALL) as before.
 */
#include <string.h>
#include <kselftest_harness.h>

#include "lib/vmxlab_test.h"

#define HC_MEMSUM	0x100
#define MEM_SIZE	(4 << 20)

FIXTURE(vm) {
	struct tvm t;
};

FIXTURE_SETUP(vm)
{
	ASSERT_EQ(0, tvm_create(&self->t, MEM_SIZE));
}

FIXTURE_TEARDOWN(vm)
{
	tvm_destroy(&self->t);
}

/*
 * MEMSUM of 200 bytes into R8, of 5000 bytes across two page boundaries
 * into R9, then the error cases into R10-R13, then hypercall 3 (served by
 * userspace) into R14.
 */
#define MEMSUM(gpa, len, reg)						\
	"mov $0x100, %eax\n mov $" #gpa ", %rbx\n mov $" #len ", %rcx\n"	\
	"vmcall\n mov %rax, %" reg "\n"

GUEST_CODE(sums,
	".code64\n"
	MEMSUM(0x20000, 200, "r8")
	MEMSUM(0x21f00, 5000, "r9")
	MEMSUM(0x20000, 0, "r10")			/* empty */
	MEMSUM(0x20000, 65537, "r11")			/* too long */
	MEMSUM(0xd0000000, 16, "r12")			/* no memory there */
	MEMSUM(0x3ffff0, 32, "r13")			/* runs off the end */
	"mov $3, %eax\n mov $40, %ebx\n mov $2, %ecx\n"
	"xor %edx, %edx\n xor %esi, %esi\n vmcall\n mov %rax, %r14\n"
	"hlt\n");

TEST_F(vm, memsum_in_the_kernel)
{
	struct tvm *t = &self->t;
	uint64_t want200 = 0, want5000 = 0;
	struct vmxlab_regs r;
	int i;

	for (i = 0; i < 0x8000; i++)
		t->mem[0x20000 + i] = (uint8_t)(i * 7 + 3);
	for (i = 0; i < 200; i++)
		want200 += t->mem[0x20000 + i];
	for (i = 0; i < 5000; i++)
		want5000 += t->mem[0x21f00 + i];
	tvm_load_code(t, GUEST_ENTRY, GUEST(sums));
	ASSERT_EQ(0, tvm_set_long(t, GUEST_ENTRY));

	/* The first hypercall that reaches userspace is number 3. */
	ASSERT_EQ(0, tvm_run_to_exit(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HYPERCALL);
	ASSERT_EQ(3, t->run->hypercall.nr);
	EXPECT_EQ(40, t->run->hypercall.args[0]);
	t->run->hypercall.ret = 42;
	ASSERT_EQ(0, tvm_run_to_exit(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);

	ASSERT_EQ(0, tvm_get_regs(t, &r));
	EXPECT_EQ(want200, r.r8);
	EXPECT_EQ(want5000, r.r9);
	EXPECT_EQ(~0ULL, r.r10);
	EXPECT_EQ(~0ULL, r.r11);
	EXPECT_EQ(~0ULL, r.r12);
	EXPECT_EQ(~0ULL, r.r13);
	EXPECT_EQ(42, r.r14);
}

/* The guest's own arguments are untouched, RIP moves past the VMCALL. */
GUEST_CODE(one_sum,
	".code64\n"
	MEMSUM(0x20000, 4, "r8")
	"hlt\n");

TEST_F(vm, memsum_leaves_the_arguments)
{
	struct tvm *t = &self->t;
	struct vmxlab_regs r;

	memcpy(t->mem + 0x20000, "\x01\x02\x03\xff", 4);
	tvm_load_code(t, GUEST_ENTRY, GUEST(one_sum));
	ASSERT_EQ(0, tvm_set_long(t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run_to_exit(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	ASSERT_EQ(0, tvm_get_regs(t, &r));
	EXPECT_EQ(261, r.r8);
	EXPECT_EQ(0x20000, r.rbx);
	EXPECT_EQ(4, r.rcx);
}

TEST_HARNESS_MAIN
