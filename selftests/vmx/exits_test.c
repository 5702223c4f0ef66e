// SPDX-License-Identifier: GPL-2.0
/*
 * exits_test.c - each kind of exit, with a guest that triggers it and an
 * assertion on what userspace sees.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <kselftest_harness.h>

#include "lib/vmxlab_test.h"

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

GUEST_CODE(real_out,
	".code16\n"
	"mov $0x1234, %ax\n"
	"out %ax, $0x80\n"
	"mov $0x56, %al\n"
	"out %al, $0x81\n"
	"hlt\n");

TEST_F(vm, real_mode_out)
{
	struct tvm *t = &self->t;
	struct vmxlab_regs r;

	tvm_load_code(t, GUEST_ENTRY, GUEST(real_out));
	ASSERT_EQ(0, tvm_set_real(t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_IO);
	EXPECT_EQ(VMXLAB_IO_OUT, t->run->io.direction);
	EXPECT_EQ(0x80, t->run->io.port);
	EXPECT_EQ(2, t->run->io.size);
	EXPECT_EQ(0x1234, t->run->io.data);
	EXPECT_EQ(30, t->run->hw_exit_reason);
	EXPECT_EQ(GUEST_ENTRY + 3, t->run->guest_rip);
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_IO);
	EXPECT_EQ(0x81, t->run->io.port);
	EXPECT_EQ(1, t->run->io.size);
	EXPECT_EQ(0x56, t->run->io.data);
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	ASSERT_EQ(0, tvm_get_regs(t, &r));
	/* RIP still points at HLT until the next RUN steps over it. */
	EXPECT_EQ(GUEST_ENTRY + 9, r.rip);
}

GUEST_CODE(real_in,
	".code16\n"
	"mov $0xaaaaaaaa, %eax\n"
	"in $0x60, %al\n"
	"mov %eax, %ebx\n"
	"in $0x61, %ax\n"
	"mov %eax, %ecx\n"
	"in $0x62, %eax\n"
	"hlt\n");

TEST_F(vm, real_mode_in)
{
	struct tvm *t = &self->t;
	struct vmxlab_regs r;
	int i;

	tvm_load_code(t, GUEST_ENTRY, GUEST(real_in));
	ASSERT_EQ(0, tvm_set_real(t, GUEST_ENTRY));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, tvm_run(t));
		EXPECT_EXIT(t, VMXLAB_EXIT_IO);
		EXPECT_EQ(VMXLAB_IO_IN, t->run->io.direction);
		EXPECT_EQ(0x60 + i, t->run->io.port);
		EXPECT_EQ(1 << i, t->run->io.size);
		t->run->io.data = 0x11223344;
	}
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	ASSERT_EQ(0, tvm_get_regs(t, &r));
	EXPECT_EQ(0xaaaaaa44, r.rbx);	/* IN AL keeps the rest */
	EXPECT_EQ(0xaaaa3344, r.rcx);	/* IN AX keeps the rest */
	EXPECT_EQ(0x11223344, r.rax);
}

GUEST_CODE(cpuid_guest,
	".code16\n"
	"mov $1, %eax\n"
	"xor %ecx, %ecx\n"
	"cpuid\n"
	"mov %ecx, %esi\n"
	"mov $0x40000000, %eax\n"
	"cpuid\n"
	"hlt\n");

TEST_F(vm, cpuid_in_kernel)
{
	struct tvm *t = &self->t;
	struct vmxlab_regs r;
	char sig[13];

	tvm_load_code(t, GUEST_ENTRY, GUEST(cpuid_guest));
	ASSERT_EQ(0, tvm_set_real(t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run(t));
	/* Both CPUIDs were handled in the kernel: the first exit is HLT. */
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	ASSERT_EQ(0, tvm_get_regs(t, &r));
	EXPECT_TRUE(r.rsi & (1u << 31));	/* hypervisor present */
	EXPECT_FALSE(r.rsi & (1u << 5));	/* no VMX */
	EXPECT_TRUE(r.rsi & (1u << 21));	/* x2APIC: lapic.c has it */
	EXPECT_TRUE(r.rsi & (1u << 24));	/* and the TSC-deadline timer */
	EXPECT_FALSE(r.rsi & (1u << 15));	/* no PDCM */
	memcpy(sig, &r.rbx, 4);
	memcpy(sig + 4, &r.rcx, 4);
	memcpy(sig + 8, &r.rdx, 4);
	sig[12] = 0;
	EXPECT_STREQ("vmxlabvmxlab", sig);
	EXPECT_EQ(0x40000000, r.rax);
}

TEST_F(vm, cpuid_user_override)
{
	struct tvm *t = &self->t;
	struct {
		struct vmxlab_cpuid c;
		struct vmxlab_cpuid_entry e[1];
	} c = { 0 };
	struct vmxlab_regs r;

	c.c.nent = 1;
	c.e[0].function = 0x40000000;
	c.e[0].flags = VMXLAB_CPUID_ANY_INDEX;
	c.e[0].eax = 0x12345678;
	c.e[0].ebx = 0x61626364;
	ASSERT_EQ(0, ioctl(t->vm, VMXLAB_SET_CPUID, &c));
	tvm_load_code(t, GUEST_ENTRY, GUEST(cpuid_guest));
	ASSERT_EQ(0, tvm_set_real(t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	ASSERT_EQ(0, tvm_get_regs(t, &r));
	EXPECT_EQ(0x12345678, r.rax);
	EXPECT_EQ(0x61626364, r.rbx);
}

GUEST_CODE(vmcall_guest,
	".code16\n"
	"mov $7, %eax\n"
	"mov $1, %ebx\n"
	"mov $2, %ecx\n"
	"mov $3, %edx\n"
	"mov $4, %esi\n"
	"vmcall\n"
	"hlt\n");

TEST_F(vm, hypercall)
{
	struct tvm *t = &self->t;
	struct vmxlab_regs r;

	tvm_load_code(t, GUEST_ENTRY, GUEST(vmcall_guest));
	ASSERT_EQ(0, tvm_set_real(t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HYPERCALL);
	EXPECT_EQ(7, t->run->hypercall.nr);
	EXPECT_EQ(1, t->run->hypercall.args[0]);
	EXPECT_EQ(4, t->run->hypercall.args[3]);
	EXPECT_EQ(18, t->run->hw_exit_reason);
	t->run->hypercall.ret = 0x99;
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	ASSERT_EQ(0, tvm_get_regs(t, &r));
	EXPECT_EQ(0x99, r.rax);
}

GUEST_CODE(prot_guest,
	".code32\n"
	"mov $0xdeadbeef, %eax\n"
	"out %eax, $0x90\n"
	"mov $0xd0000000, %ebx\n"
	"movl $0xcafe1234, (%ebx)\n"
	"mov 8(%ebx), %edx\n"
	"movzbl 4(%ebx), %edi\n"
	"out %eax, $0x91\n"
	"hlt\n");

TEST_F(vm, protected_mode_mmio)
{
	struct tvm *t = &self->t;
	struct vmxlab_regs r;

	tvm_load_code(t, GUEST_ENTRY, GUEST(prot_guest));
	ASSERT_EQ(0, tvm_set_prot(t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_IO);
	EXPECT_EQ(0xdeadbeef, t->run->io.data);
	EXPECT_EQ(4, t->run->io.size);
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_MMIO);
	EXPECT_EQ(GUEST_MMIO, t->run->mmio.phys_addr);
	EXPECT_EQ(1, t->run->mmio.is_write);
	EXPECT_EQ(4, t->run->mmio.len);
	EXPECT_EQ(0xcafe1234, t->run->mmio.data);
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_MMIO);
	EXPECT_EQ(GUEST_MMIO + 8, t->run->mmio.phys_addr);
	EXPECT_EQ(0, t->run->mmio.is_write);
	EXPECT_EQ(4, t->run->mmio.len);
	t->run->mmio.data = 0x87654321;
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_MMIO);
	EXPECT_EQ(GUEST_MMIO + 4, t->run->mmio.phys_addr);
	EXPECT_EQ(1, t->run->mmio.len);
	t->run->mmio.data = 0x1ff;
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_IO);
	EXPECT_EQ(0x91, t->run->io.port);
	ASSERT_EQ(0, tvm_get_regs(t, &r));
	EXPECT_EQ(0x87654321, r.rdx);
	EXPECT_EQ(0xff, r.rdi);
}

GUEST_CODE(long_guest,
	".code64\n"
	"mov $0xffff800012345678, %rax\n"
	"mov $0xc0000082, %ecx\n"	/* LSTAR */
	"mov %rax, %rdx\n"
	"shr $32, %rdx\n"
	"wrmsr\n"
	"xor %eax, %eax\n"
	"xor %edx, %edx\n"
	"rdmsr\n"
	"shl $32, %rdx\n"
	"or %rdx, %rax\n"
	"mov %rax, %r12\n"
	"mov $0xd0000010, %rbx\n"
	"mov %r12, (%rbx)\n"
	"mov (%rbx), %r13\n"
	"hlt\n");

/* A non-canonical LSTAR raises #GP; with no IDT that is a triple fault. */
GUEST_CODE(bad_lstar,
	".code64\n"
	"mov $0xc0000082, %ecx\n"
	"mov $0x11223344, %edx\n"
	"xor %eax, %eax\n"
	"wrmsr\n"
	"hlt\n");

TEST_F(vm, noncanonical_msr_gp)
{
	struct tvm *t = &self->t;

	tvm_load_code(t, GUEST_ENTRY, GUEST(bad_lstar));
	ASSERT_EQ(0, tvm_set_long(t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_TRIPLE_FAULT);
}

TEST_F(vm, long_mode_msr_mmio)
{
	struct tvm *t = &self->t;
	struct vmxlab_regs r;

	tvm_load_code(t, GUEST_ENTRY, GUEST(long_guest));
	ASSERT_EQ(0, tvm_set_long(t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_MMIO);
	EXPECT_EQ(8, t->run->mmio.len);
	EXPECT_EQ(0xffff800012345678ULL, t->run->mmio.data);
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_MMIO);
	EXPECT_EQ(0, t->run->mmio.is_write);
	t->run->mmio.data = 0xfedcba9876543210ULL;
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	ASSERT_EQ(0, tvm_get_regs(t, &r));
	EXPECT_EQ(0xffff800012345678ULL, r.r12);
	EXPECT_EQ(0xfedcba9876543210ULL, r.r13);
}

GUEST_CODE(user_msr_guest,
	".code16\n"
	"mov $0x4b564d00, %ecx\n"
	"rdmsr\n"
	"mov %eax, %esi\n"
	"mov %edx, %edi\n"
	"mov $0x11, %eax\n"
	"mov $0x22, %edx\n"
	"wrmsr\n"
	"wrmsr\n"
	"hlt\n");

TEST_F(vm, user_msr_exits)
{
	struct tvm *t = &self->t;
	struct vmxlab_user_msrs m = { .nmsrs = 1, .indices = { 0x4b564d00 } };
	struct vmxlab_regs r;

	ASSERT_EQ(0, ioctl(t->vm, VMXLAB_SET_USER_MSRS, &m));
	tvm_load_code(t, GUEST_ENTRY, GUEST(user_msr_guest));
	ASSERT_EQ(0, tvm_set_real(t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_MSR);
	EXPECT_EQ(0x4b564d00, t->run->msr.index);
	EXPECT_EQ(0, t->run->msr.is_write);
	EXPECT_EQ(31, t->run->hw_exit_reason);
	t->run->msr.data = 0x1234567887654321ULL;
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_MSR);
	EXPECT_EQ(1, t->run->msr.is_write);
	EXPECT_EQ(0x2200000011ULL, t->run->msr.data);
	/* Refuse the second write: the guest gets #GP, no IVT: it ends. */
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_MSR);
	t->run->msr.error = 1;
	ASSERT_EQ(0, tvm_get_regs(t, &r));
	EXPECT_EQ(0x87654321, r.rsi);
	EXPECT_EQ(0x12345678, r.rdi);
	ASSERT_EQ(0, tvm_run(t));
	/* Real mode #GP through an empty IVT entry: vector 13 at 0:0. */
	EXPECT_NE(VMXLAB_EXIT_HLT, t->run->exit_reason);
}

TEST_F(vm, entry_failure_reported)
{
	struct tvm *t = &self->t;
	struct vmxlab_sregs s;

	tvm_load_code(t, GUEST_ENTRY, GUEST(real_out));
	ASSERT_EQ(0, tvm_set_prot(t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_get_sregs(t, &s));
	/* TR must be usable (SDM 27.3.1.2): mark it unusable. */
	s.tr.ar |= VMXLAB_AR_UNUSABLE;
	ASSERT_EQ(0, tvm_set_sregs(t, &s));
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_FAIL_ENTRY);
	/* Invalid guest state: exit reason 33 with bit 31 set. */
	EXPECT_EQ(0x80000021ULL, t->run->fail_entry.hardware_entry_failure_reason);
	EXPECT_EQ(0x80000021U, t->run->hw_exit_reason);
	/* Fixing the state makes the vCPU usable again. */
	ASSERT_EQ(0, tvm_set_prot(t, GUEST_ENTRY));
	tvm_load_code(t, GUEST_ENTRY, GUEST(prot_guest));
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_IO);
}

TEST_HARNESS_MAIN
