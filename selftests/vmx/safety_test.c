// SPDX-License-Identifier: GPL-2.0
/*
 * safety_test.c - the host stays in charge: signals stop a spinning guest,
 * many VMs run at once, guest FPU state never leaks, a vCPU survives
 * moving between host CPUs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <kselftest_harness.h>

#include <linux/vmxlab_tables.h>
#include "lib/vmxlab_test.h"

GUEST_CODE(spin, ".code16\n1: jmp 1b\n");

static void on_alarm(int sig)
{
}

TEST(signal_stops_tight_loop)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct tvm t;

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	ASSERT_EQ(0, tvm_create(&t, 1 << 16));
	tvm_load_code(&t, GUEST_ENTRY, GUEST(spin));
	ASSERT_EQ(0, tvm_set_real(&t, GUEST_ENTRY));
	alarm(2);
	EXPECT_EQ(-EINTR, tvm_run(&t));
	EXPECT_EQ(VMXLAB_EXIT_INTR, t.run->exit_reason);
	/* The guest can go on afterwards, and stop again. */
	alarm(1);
	EXPECT_EQ(-EINTR, tvm_run(&t));
	tvm_destroy(&t);
}

TEST(immediate_exit)
{
	struct tvm t;

	ASSERT_EQ(0, tvm_create(&t, 1 << 16));
	tvm_load_code(&t, GUEST_ENTRY, GUEST(spin));
	ASSERT_EQ(0, tvm_set_real(&t, GUEST_ENTRY));
	t.run->immediate_exit = 1;
	EXPECT_EQ(-EINTR, tvm_run(&t));
	t.run->immediate_exit = 0;
	t.run->reserved_in[0] = 1;
	EXPECT_EQ(-EINVAL, tvm_run(&t));
	tvm_destroy(&t);
}

/* Each guest reports a value derived from its own memory: no sharing. */
GUEST_CODE(count_guest,
	".code16\n"
	"mov $0x2000, %bx\n"
	"mov (%bx), %eax\n"
	"add $1, %eax\n"
	"out %eax, $0x70\n"
	"hlt\n");

#define NVMS 100

TEST(hundred_vms)
{
	static struct tvm t[NVMS];
	int i;

	for (i = 0; i < NVMS; i++) {
		ASSERT_EQ(0, tvm_create(&t[i], 1 << 16));
		tvm_load_code(&t[i], GUEST_ENTRY, GUEST(count_guest));
		*(uint32_t *)(t[i].mem + 0x2000) = i * 1000;
		ASSERT_EQ(0, tvm_set_real(&t[i], GUEST_ENTRY));
	}
	for (i = 0; i < NVMS; i++) {
		ASSERT_EQ(0, tvm_run(&t[i]));
		ASSERT_EQ(VMXLAB_EXIT_IO, t[i].run->exit_reason);
		EXPECT_EQ(i * 1000 + 1, t[i].run->io.data);
	}
	for (i = 0; i < NVMS; i++)
		tvm_destroy(&t[i]);
}

TEST(vms_in_many_processes)
{
	pid_t pids[8];
	int i, status, ok = 0;

	for (i = 0; i < 8; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			struct tvm t;
			int j, good = 1;

			for (j = 0; j < 5 && good; j++) {
				if (tvm_create(&t, 1 << 16))
					_exit(2);
				tvm_load_code(&t, GUEST_ENTRY, GUEST(count_guest));
				*(uint32_t *)(t.mem + 0x2000) = i * 100 + j;
				good = !tvm_set_real(&t, GUEST_ENTRY) && !tvm_run(&t) &&
				       t.run->exit_reason == VMXLAB_EXIT_IO &&
				       t.run->io.data == (uint64_t)(i * 100 + j + 1);
				tvm_destroy(&t);
			}
			_exit(good ? 0 : 1);
		}
	}
	for (i = 0; i < 8; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	EXPECT_EQ(8, ok);
}

/*
 * The guest loads XMM0 and XMM1 from its memory, swaps them through the
 * host (an OUT exit in between), and stores them back.
 */
GUEST_CODE(fpu_guest,
	".code32\n"
	"mov %cr4, %eax\n"
	"or $0x600, %eax\n"		/* OSFXSR | OSXMMEXCPT */
	"mov %eax, %cr4\n"
	"mov %cr0, %eax\n"
	"and $0xfffffffb, %eax\n"	/* clear EM */
	"or $0x2, %eax\n"		/* set MP */
	"mov %eax, %cr0\n"
	"movdqu 0x20000, %xmm0\n"
	"out %al, $0x71\n"
	"movdqu %xmm0, 0x20010\n"
	"hlt\n");

static void set_xmm0(const uint8_t *v)
{
	asm volatile("movdqu (%0), %%xmm0" : : "r"(v) : "xmm0");
}

static void get_xmm0(uint8_t *v)
{
	asm volatile("movdqu %%xmm0, (%0)" : : "r"(v) : "memory");
}

TEST(fpu_isolation)
{
	uint8_t host[16], seen[16], g1[16], g2[16];
	struct tvm a, b;
	int i;

	for (i = 0; i < 16; i++) {
		host[i] = 0xa0 + i;
		g1[i] = 0x10 + i;
		g2[i] = 0x50 + i;
	}
	ASSERT_EQ(0, tvm_create(&a, 1 << 18));
	ASSERT_EQ(0, tvm_create(&b, 1 << 18));
	tvm_load_code(&a, GUEST_ENTRY, GUEST(fpu_guest));
	tvm_load_code(&b, GUEST_ENTRY, GUEST(fpu_guest));
	memcpy(a.mem + GUEST_DATA, g1, 16);
	memcpy(b.mem + GUEST_DATA, g2, 16);
	ASSERT_EQ(0, tvm_set_prot(&a, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_set_prot(&b, GUEST_ENTRY));

	set_xmm0(host);
	ASSERT_EQ(0, tvm_run(&a));	/* guest a has g1 in XMM0 now */
	ASSERT_EQ(VMXLAB_EXIT_IO, a.run->exit_reason);
	get_xmm0(seen);
	EXPECT_EQ(0, memcmp(seen, host, 16));
	ASSERT_EQ(0, tvm_run(&b));	/* guest b has g2 in XMM0 now */
	ASSERT_EQ(VMXLAB_EXIT_IO, b.run->exit_reason);
	set_xmm0(host);
	ASSERT_EQ(0, tvm_run(&a));
	ASSERT_EQ(VMXLAB_EXIT_HLT, a.run->exit_reason);
	ASSERT_EQ(0, tvm_run(&b));
	ASSERT_EQ(VMXLAB_EXIT_HLT, b.run->exit_reason);
	get_xmm0(seen);
	EXPECT_EQ(0, memcmp(seen, host, 16));
	/* Each guest got its own XMM0 back, not the host's or the other's. */
	EXPECT_EQ(0, memcmp(a.mem + GUEST_DATA + 16, g1, 16)) {
		for (i = 0; i < 16; i++)
			TH_LOG("a stored %02x (want %02x)", a.mem[GUEST_DATA + 16 + i], g1[i]);
	}
	EXPECT_EQ(0, memcmp(b.mem + GUEST_DATA + 16, g2, 16)) {
		for (i = 0; i < 16; i++)
			TH_LOG("b stored %02x (want %02x)", b.mem[GUEST_DATA + 16 + i], g2[i]);
	}
	tvm_destroy(&a);
	tvm_destroy(&b);
}

GUEST_CODE(loop_out,
	".code16\n"
	"xor %eax, %eax\n"
	"1: inc %eax\n"
	"out %eax, $0x72\n"
	"jmp 1b\n");

/* Move the vCPU thread between host CPUs between (and during) runs. */
TEST(vcpu_migrates_between_cpus)
{
	int ncpu = sysconf(_SC_NPROCESSORS_ONLN), i;
	struct tvm t;

	if (ncpu < 2)
		SKIP(return, "the machine has one CPU; run with --cpus 2");
	ASSERT_EQ(0, tvm_create(&t, 1 << 16));
	tvm_load_code(&t, GUEST_ENTRY, GUEST(loop_out));
	ASSERT_EQ(0, tvm_set_real(&t, GUEST_ENTRY));
	for (i = 0; i < 200; i++) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(i % ncpu, &set);
		ASSERT_EQ(0, sched_setaffinity(0, sizeof(set), &set));
		ASSERT_EQ(0, tvm_run(&t));
		ASSERT_EQ(VMXLAB_EXIT_IO, t.run->exit_reason);
		ASSERT_EQ(i + 1, t.run->io.data);
		ASSERT_EQ(i % ncpu, sched_getcpu());
	}
	tvm_destroy(&t);
}

/* The VM holds the module: rmmod must refuse while a VM fd is open. */
TEST(no_unload_while_vm_open)
{
	struct tvm t;

	if (access("/proc/modules", R_OK) || system("grep -q '^vmxlab ' /proc/modules"))
		SKIP(return, "vmxlab is not a loaded module here");
	ASSERT_EQ(0, tvm_create(&t, 1 << 16));
	EXPECT_NE(0, system("rmmod vmxlab 2>/dev/null"));
	EXPECT_EQ(0, system("grep -q '^vmxlab ' /proc/modules"));
	/* ...and the VM still works. */
	tvm_load_code(&t, GUEST_ENTRY, GUEST(count_guest));
	*(uint32_t *)(t.mem + 0x2000) = 41;
	ASSERT_EQ(0, tvm_set_real(&t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run(&t));
	EXPECT_EQ(42, t.run->io.data);
	tvm_destroy(&t);
}

static void pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/*
 * A guest spinning forever must not keep other tasks off its CPU: the
 * parent, pinned to the same CPU, must get to run and kill it.  If vmxlab
 * ignored need_resched, the parent would never run again and the test
 * would hang until the suite's time limit.
 */
TEST(need_resched_lets_others_run)
{
	pid_t child;
	int status;

	pin_to(0);
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		struct tvm t;

		if (tvm_create(&t, 1 << 16))
			_exit(2);
		tvm_load_code(&t, GUEST_ENTRY, GUEST(spin));
		tvm_set_real(&t, GUEST_ENTRY);
		tvm_run(&t);
		_exit(3);
	}
	usleep(300 * 1000);
	/* kill -9 in the middle of a run: the child's VM is torn down. */
	ASSERT_EQ(0, kill(child, SIGKILL));
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGKILL, WTERMSIG(status));
}

static int cpu_online(int cpu, int on)
{
	char path[64];
	FILE *f;
	int r;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online", cpu);
	f = fopen(path, "w");
	if (!f)
		return -1;
	r = fprintf(f, "%d\n", on) < 0;
	return fclose(f) || r ? -1 : 0;
}

/*
 * A CPU that goes offline while a VM exists leaves VMX operation; when it
 * comes back it enters it again (vmx.c hotplug callbacks), and vCPUs can
 * run there.
 */
TEST(cpu_hotplug_with_vm)
{
	struct tvm t;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "the machine has one CPU; run with --cpus 2");
	ASSERT_EQ(0, tvm_create(&t, 1 << 16));
	tvm_load_code(&t, GUEST_ENTRY, GUEST(count_guest));
	pin_to(0);
	ASSERT_EQ(0, cpu_online(1, 0));
	*(uint32_t *)(t.mem + 0x2000) = 10;
	ASSERT_EQ(0, tvm_set_real(&t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run(&t));
	EXPECT_EQ(11, t.run->io.data);
	ASSERT_EQ(0, cpu_online(1, 1));
	pin_to(1);
	ASSERT_EQ(1, sched_getcpu());
	*(uint32_t *)(t.mem + 0x2000) = 20;
	ASSERT_EQ(0, tvm_set_real(&t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run(&t));
	EXPECT_EQ(21, t.run->io.data);
	tvm_destroy(&t);
	/* A new VM after the last one went: VMXON again on both CPUs. */
	ASSERT_EQ(0, tvm_create(&t, 1 << 16));
	tvm_load_code(&t, GUEST_ENTRY, GUEST(count_guest));
	ASSERT_EQ(0, tvm_set_real(&t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run(&t));
	ASSERT_EQ(VMXLAB_EXIT_IO, t.run->exit_reason);
	EXPECT_EQ(1, t.run->io.data);	/* fresh memory: 0 + 1 */
	tvm_destroy(&t);
	pin_to(0);
}

/*
 * The guest holds a value in XMM0 across millions of instructions while a
 * task on the same CPU keeps loading another value into its own XMM0.
 * Every time the scheduler switches between them, Linux reloads FPU state
 * lazily; the guest must always get its own back (vcpu.c reloads it
 * before each entry).
 */
GUEST_CODE(fpu_spin,
	".code32\n"
	"mov %cr4, %eax\n"
	"or $0x600, %eax\n"
	"mov %eax, %cr4\n"
	"movdqu 0x20000, %xmm0\n"
	"mov $3000000, %ecx\n"
	"1: dec %ecx\n"
	"jnz 1b\n"
	"movdqu %xmm0, 0x20010\n"
	"hlt\n");

TEST(fpu_survives_context_switches)
{
	uint8_t mine[16], theirs[16];
	struct tvm t;
	pid_t child;
	int i, status;

	for (i = 0; i < 16; i++) {
		mine[i] = 0x31 + i;
		theirs[i] = 0xe0 + i;
	}
	pin_to(0);
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		for (;;) {
			set_xmm0(theirs);
			sched_yield();
		}
	}
	ASSERT_EQ(0, tvm_create(&t, 1 << 18));
	tvm_load_code(&t, GUEST_ENTRY, GUEST(fpu_spin));
	memcpy(t.mem + GUEST_DATA, mine, 16);
	ASSERT_EQ(0, tvm_set_prot(&t, GUEST_ENTRY));
	EXPECT_EQ(0, tvm_run(&t));
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	EXPECT_EQ(VMXLAB_EXIT_HLT, t.run->exit_reason);
	EXPECT_EQ(0, memcmp(t.mem + GUEST_DATA + 16, mine, 16));
	tvm_destroy(&t);
}

/*
 * #DB and #AC always exit (kmod/vmcs.c): delivered inside the guest, a
 * debug trap that recurs on every delivery would keep the host's
 * interrupts out for good (CVE-2015-8104, CVE-2015-5307).  Whatever
 * userspace asks to intercept, the bits stay set, and the guest still
 * gets its exceptions: here a data breakpoint its own #DB handler counts.
 */
GUEST_CODE(db_guest,
	".code16\n"
	"0: xor %ax, %ax\n"
	"mov %ax, %ds\n"
	"movw $(0x1000 + 2f - 0b), (4)\n"	/* IVT[1]: the handler below */
	"movw $0, (6)\n"
	"mov $0x2000, %eax\n"
	"mov %eax, %dr0\n"
	"mov $0x00050001, %eax\n"		/* L0, write, 2 bytes */
	"mov %eax, %dr7\n"
	"1: movw $1, (0x2000)\n"		/* three writes: three traps */
	"movw $2, (0x2000)\n"
	"movw $3, (0x2000)\n"
	"mov (0x2010), %ax\n"
	"out %ax, $0x70\n"
	"hlt\n"
	"2: incw (0x2010)\n"			/* the #DB handler */
	"iret\n");

TEST(debug_and_alignment_exceptions_always_exit)
{
	struct vmxlab_debug d = { 0 };
	uint64_t bitmap;
	struct tvm t;

	ASSERT_EQ(0, tvm_create(&t, 1 << 16));
	ASSERT_EQ(0, tvm_get_vmcs(&t, VMCS_EXCEPTION_BITMAP, &bitmap));
	EXPECT_EQ((1U << 1) | (1U << 17), bitmap & ((1U << 1) | (1U << 17)));
	/* Userspace asks for nothing: they stay. */
	ASSERT_EQ(0, ioctl(t.vcpu, VMXLAB_SET_DEBUG, &d));
	ASSERT_EQ(0, tvm_get_vmcs(&t, VMCS_EXCEPTION_BITMAP, &bitmap));
	EXPECT_EQ((1U << 1) | (1U << 17), bitmap & ((1U << 1) | (1U << 17)));

	/* The guest's own breakpoint still reaches the guest, three times. */
	tvm_load_code(&t, GUEST_ENTRY, GUEST(db_guest));
	ASSERT_EQ(0, tvm_set_real(&t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run(&t));
	EXPECT_EXIT(&t, VMXLAB_EXIT_IO);
	EXPECT_EQ(3, t.run->io.data & 0xffff);
	tvm_destroy(&t);
}

TEST_HARNESS_MAIN
