// SPDX-License-Identifier: GPL-2.0
/*
 * modes_test.c - CPU modes and the exits around them: a guest that goes
 * from real mode to long mode by itself, exceptions the guest handles
 * (and that vmxlab reflects when asked to intercept them), control and
 * debug registers, XSETBV, read-only memory, and memory changed at run
 * time.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
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

/*
 * Real mode -> protected mode -> long mode, with the GDT and page tables
 * the helpers put at GUEST_GDT and GUEST_PML4 (the guest only uses them,
 * as a boot loader would use tables it built).  Reports each stage with
 * OUT to port 0x50.  Position-dependent addresses are computed from
 * GUEST_ENTRY (0x1000) with the label offsets.
 */
GUEST_CODE(switcher,
	".code16\n"
	"cli\n"
	"mov $1, %al\n"
	"out %al, $0x50\n"
	"lgdtl (0x7f00)\n"			/* descriptor written by the test */
	"mov %cr0, %eax\n"
	"or $1, %eax\n"
	"mov %eax, %cr0\n"
	"ljmpl $0x08, $(0x1000 + 2f - switcher_start)\n"
	".code32\n"
	"2: mov $0x10, %ax\n"
	"mov %ax, %ds\n"
	"mov %ax, %ss\n"
	"mov $2, %al\n"
	"out %al, $0x50\n"
	"mov %cr4, %eax\n"
	"or $0x20, %eax\n"			/* PAE */
	"mov %eax, %cr4\n"
	"mov $0x9000, %eax\n"
	"mov %eax, %cr3\n"
	"mov $0xc0000080, %ecx\n"
	"rdmsr\n"
	"or $0x100, %eax\n"			/* LME */
	"wrmsr\n"
	"mov %cr0, %eax\n"
	"or $0x80000000, %eax\n"		/* PG: long mode is active */
	"mov %eax, %cr0\n"
	"ljmpl $0x18, $(0x1000 + 3f - switcher_start)\n"
	".code64\n"
	"3: mov $3, %al\n"
	"out %al, $0x50\n"
	"mov $0xc0000080, %ecx\n"
	"rdmsr\n"
	"mov %rax, %r15\n"
	"hlt\n");

TEST_F(vm, real_to_long_mode_switch)
{
	struct tvm *t = &self->t;
	struct vmxlab_regs r;
	struct vmxlab_sregs s;
	int stage;

	/* Build the tables with the long-mode helper, then reset to real. */
	ASSERT_EQ(0, tvm_set_long(t, GUEST_ENTRY));
	*(uint16_t *)(t->mem + 0x7f00) = 6 * 8 - 1;
	*(uint32_t *)(t->mem + 0x7f02) = GUEST_GDT;
	ASSERT_EQ(0, tvm_get_sregs(t, &s));
	memset(&s, 0, sizeof(s));
	{
		struct tvm fresh;

		/* Real-mode state as after reset, from a new vCPU. */
		ASSERT_EQ(0, tvm_create(&fresh, 1 << 16));
		ASSERT_EQ(0, tvm_get_sregs(&fresh, &s));
		tvm_destroy(&fresh);
	}
	ASSERT_EQ(0, tvm_set_sregs(t, &s));
	tvm_load_code(t, GUEST_ENTRY, GUEST(switcher));
	ASSERT_EQ(0, tvm_set_real(t, GUEST_ENTRY));
	for (stage = 1; stage <= 3; stage++) {
		ASSERT_EQ(0, tvm_run(t));
		EXPECT_EXIT(t, VMXLAB_EXIT_IO);
		EXPECT_EQ(0x50, t->run->io.port);
		EXPECT_EQ(stage, t->run->io.data);
	}
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	ASSERT_EQ(0, tvm_get_regs(t, &r));
	EXPECT_EQ(0x500, r.r15 & 0x500);	/* LME and LMA */
	ASSERT_EQ(0, tvm_get_sregs(t, &s));
	EXPECT_EQ(0x500, s.efer & 0x500);
	EXPECT_TRUE(s.cr0 & 0x80000000);
	EXPECT_TRUE(s.cs.ar & (1 << 13));	/* CS.L */
}

/*
 * Real mode: RDMSR of an MSR nobody has raises #GP(0); the guest's own
 * IVT entry 13 catches it (no error code in real mode) and reports.
 */
GUEST_CODE(real_gp,
	".code16\n"
	"movw $(0x1000 + 1f - real_gp_start), (13 * 4)\n"
	"movw $0, (13 * 4 + 2)\n"
	"mov $0x12345, %ecx\n"
	"rdmsr\n"
	"hlt\n"
	"1: pop %ax\n"			/* IP of the faulting RDMSR */
	"out %ax, $0x51\n"
	"hlt\n");

TEST_F(vm, unknown_msr_gp_caught_by_guest)
{
	struct tvm *t = &self->t;

	tvm_load_code(t, GUEST_ENTRY, GUEST(real_gp));
	ASSERT_EQ(0, tvm_set_real(t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_IO);
	EXPECT_EQ(0x51, t->run->io.port);
	/* The pushed IP is the RDMSR itself: #GP is a fault. */
	EXPECT_EQ(GUEST_ENTRY + 18, t->run->io.data);
}

/*
 * Long mode with an IDT: #UD (UD2), #GP with an error code (loading a
 * selector beyond the GDT limit), #PF with its error code and CR2.  Each
 * handler reports vector, error code and (for #PF) CR2 on ports 0x60-62,
 * then steps over the faulting instruction (2, 2 and 12 bytes long).
 */
GUEST_CODE(lm_exceptions,
	".code64\n"
	"ud2\n"
	"mov $0x1b8, %ax\n"			/* index 0x37: beyond the GDT */
	"mov %ax, %ds\n"
	"movq $0x42, 0x40000000\n"		/* not mapped: #PF, write */
	"hlt\n"
	".globl lm_h_ud\n"
	"lm_h_ud: mov 16(%rsp), %rax\n"		/* pushed RFLAGS */
	"out %eax, $0x64\n"
	"mov $6, %al\n"
	"out %al, $0x60\n"
	"addq $2, (%rsp)\n"
	"iretq\n"
	".globl lm_h_gp\n"
	"lm_h_gp: pop %rax\n"
	"out %eax, $0x61\n"
	"addq $2, (%rsp)\n"
	"iretq\n"
	".globl lm_h_pf\n"
	"lm_h_pf: pop %rax\n"
	"out %eax, $0x61\n"
	"mov %cr2, %rax\n"
	"out %eax, $0x62\n"
	"addq $12, (%rsp)\n"
	"iretq\n");
extern const unsigned char lm_h_ud[], lm_h_gp[], lm_h_pf[];
#define LM_HANDLER(h) (GUEST_ENTRY + (uint64_t)((h) - lm_exceptions_start))

static void idt_gate(struct tvm *t, int vec, uint64_t handler)
{
	uint64_t *g = (uint64_t *)(t->mem + GUEST_IDT + vec * 16);

	g[0] = (handler & 0xffff) | ((uint64_t)SEL_CODE64 << 16) |
	       (0x8eULL << 40) | ((handler >> 16 & 0xffff) << 48);
	g[1] = handler >> 32;
}

static void lm_exceptions_setup(struct __test_metadata *_metadata,
				struct tvm *t)
{
	struct vmxlab_sregs s;
	uint64_t *pd = (uint64_t *)(t->mem + GUEST_PML4 + 0x2000);

	tvm_load_code(t, GUEST_ENTRY, GUEST(lm_exceptions));
	ASSERT_EQ(0, tvm_set_long(t, GUEST_ENTRY));
	pd[0x40000000 >> 21] = 0;	/* unmap 2 MiB at 1 GiB */
	idt_gate(t, 6, LM_HANDLER(lm_h_ud));
	idt_gate(t, 13, LM_HANDLER(lm_h_gp));
	idt_gate(t, 14, LM_HANDLER(lm_h_pf));
	ASSERT_EQ(0, tvm_get_sregs(t, &s));
	s.idt.limit = 256 * 16 - 1;
	ASSERT_EQ(0, tvm_set_sregs(t, &s));
}

static void lm_exceptions_check(struct __test_metadata *_metadata,
				struct tvm *t)
{
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_IO);
	EXPECT_EQ(0x64, t->run->io.port);
	/* A fault pushes RFLAGS with RF set (SDM 18.3.1.1), injected or not. */
	EXPECT_TRUE(t->run->io.data & (1 << 16));
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_IO);
	EXPECT_EQ(0x60, t->run->io.port);
	EXPECT_EQ(6, t->run->io.data & 0xff);
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_IO);
	EXPECT_EQ(0x61, t->run->io.port);
	EXPECT_EQ(0x1b8, t->run->io.data);	/* #GP error code: the selector */
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_IO);
	EXPECT_EQ(0x61, t->run->io.port);
	EXPECT_EQ(0x2, t->run->io.data & 0x7);	/* #PF: write, not present */
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_IO);
	EXPECT_EQ(0x62, t->run->io.port);
	EXPECT_EQ(0x40000000, t->run->io.data);	/* CR2 */
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
}

TEST_F(vm, exceptions_in_guest)
{
	lm_exceptions_setup(_metadata, &self->t);
	lm_exceptions_check(_metadata, &self->t);
}

/* The same guest, with vmxlab intercepting and reflecting each one. */
TEST_F(vm, exceptions_reflected)
{
	struct vmxlab_debug d = {
		.exception_bitmap = (1 << 6) | (1 << 13) | (1 << 14),
	};

	lm_exceptions_setup(_metadata, &self->t);
	ASSERT_EQ(0, ioctl(self->t.vcpu, VMXLAB_SET_DEBUG, &d));
	lm_exceptions_check(_metadata, &self->t);
}

GUEST_CODE(regs_guest,
	".code64\n"
	"mov $9, %rax\n"
	"mov %rax, %cr8\n"
	"mov %cr8, %rbx\n"
	"mov $0x1234, %rax\n"
	"mov %rax, %dr0\n"
	"mov %dr0, %rcx\n"
	"invd\n"
	"wbinvd\n"
	"rdtsc\n"
	"shl $32, %rdx\n"
	"or %rax, %rdx\n"
	"mov %rdx, %rdi\n"
	"mov %dr7, %rdx\n"
	"hlt\n");

TEST_F(vm, control_and_debug_registers)
{
	struct tvm *t = &self->t;
	struct vmxlab_regs r;
	struct vmxlab_sregs s;

	tvm_load_code(t, GUEST_ENTRY, GUEST(regs_guest));
	ASSERT_EQ(0, tvm_set_long(t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	ASSERT_EQ(0, tvm_get_regs(t, &r));
	EXPECT_EQ(9, r.rbx);
	EXPECT_EQ(0x1234, r.rcx);
	EXPECT_EQ(0x400, r.rdx);
	/* The guest TSC starts at 0 when the vCPU is created. */
	EXPECT_LT(r.rdi, 1ULL << 40);
	ASSERT_EQ(0, tvm_get_sregs(t, &s));
	EXPECT_EQ(9, s.cr8);
	EXPECT_FALSE(s.cr4 & (1 << 13));	/* VMXE is hidden from the guest */
}

/*
 * XSAVE: if CPUID offers it, the guest enables it and sets XCR0 to
 * x87|SSE; if not, setting CR4.OSXSAVE must raise #GP (a triple fault:
 * this guest has no IDT).
 */
GUEST_CODE(xsave_guest,
	".code64\n"
	"mov $1, %eax\n"
	"xor %ecx, %ecx\n"
	"cpuid\n"
	"mov %ecx, %r8d\n"
	"out %eax, $0x63\n"
	"mov %cr4, %rax\n"
	"or $0x40000, %eax\n"			/* OSXSAVE */
	"mov %rax, %cr4\n"
	"xor %ecx, %ecx\n"
	"mov $3, %eax\n"			/* x87 | SSE */
	"xor %edx, %edx\n"
	"xsetbv\n"
	"xgetbv\n"
	"mov %rax, %rsi\n"
	"hlt\n");

TEST_F(vm, xsave_as_cpuid_says)
{
	struct tvm *t = &self->t;
	struct vmxlab_regs r;
	struct vmxlab_sregs s;
	int xsave;

	tvm_load_code(t, GUEST_ENTRY, GUEST(xsave_guest));
	ASSERT_EQ(0, tvm_set_long(t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_IO);
	ASSERT_EQ(0, tvm_get_regs(t, &r));
	xsave = !!(r.r8 & (1 << 26));
	EXPECT_FALSE(r.r8 & (1 << 27));		/* OSXSAVE follows the guest CR4 */
	ASSERT_EQ(0, tvm_run(t));
	if (xsave) {
		EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
		ASSERT_EQ(0, tvm_get_regs(t, &r));
		EXPECT_EQ(3, r.rsi);
		ASSERT_EQ(0, tvm_get_sregs(t, &s));
		EXPECT_TRUE(s.cr4 & 0x40000);
	} else {
		EXPECT_EXIT(t, VMXLAB_EXIT_TRIPLE_FAULT);
		ASSERT_EQ(0, tvm_get_sregs(t, &s));
		EXPECT_FALSE(s.cr4 & 0x40000);
		ksft_print_msg("the host kernel runs without XSAVE: checked that guests cannot enable it\n");
	}
}

GUEST_CODE(ro_guest,
	".code32\n"
	"mov 0x300000, %eax\n"
	"movl $0x77, 0x300000\n"
	"out %eax, $0x52\n"
	"hlt\n");

TEST_F(vm, readonly_slot_and_runtime_regions)
{
	struct tvm *t = &self->t;
	struct vmxlab_memory_region mr = { 0 };
	uint8_t *ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, ro);
	*(uint32_t *)ro = 0xabcd;
	/* A 4 MiB guest: 0x300000 is inside slot 0; move slot 0 down. */
	mr.slot = 0;
	mr.memory_size = 2 << 20;
	mr.userspace_addr = (uintptr_t)t->mem;
	ASSERT_EQ(0, ioctl(t->vm, VMXLAB_SET_MEMORY_REGION, &mr));
	mr.slot = 1;
	mr.flags = VMXLAB_MEM_READONLY;
	mr.guest_phys_addr = 0x300000;
	mr.memory_size = 4096;
	mr.userspace_addr = (uintptr_t)ro;
	ASSERT_EQ(0, ioctl(t->vm, VMXLAB_SET_MEMORY_REGION, &mr));

	tvm_load_code(t, GUEST_ENTRY, GUEST(ro_guest));
	ASSERT_EQ(0, tvm_set_prot(t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run(t));
	/* The read came from the slot; the write exits as MMIO. */
	EXPECT_EXIT(t, VMXLAB_EXIT_MMIO);
	EXPECT_EQ(0x300000, t->run->mmio.phys_addr);
	EXPECT_EQ(1, t->run->mmio.is_write);
	EXPECT_EQ(0x77, t->run->mmio.data);
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_IO);
	EXPECT_EQ(0xabcd, t->run->io.data);
	EXPECT_EQ(0xabcd, *(uint32_t *)ro);

	/* Remove the slot while the VM lives: the read becomes MMIO. */
	mr.memory_size = 0;
	ASSERT_EQ(0, ioctl(t->vm, VMXLAB_SET_MEMORY_REGION, &mr));
	ASSERT_EQ(0, tvm_set_prot(t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_MMIO);
	EXPECT_EQ(0, t->run->mmio.is_write);
	EXPECT_EQ(0x300000, t->run->mmio.phys_addr);
	munmap(ro, 4096);
}

TEST_HARNESS_MAIN
