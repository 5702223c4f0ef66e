// SPDX-License-Identifier: GPL-2.0
/*
 * reliability_test.c - nothing leaks, nothing leaks through:
 *  - the module's own memory counters (debugfs "memory") come back to
 *    their baseline after VMs, vCPUs, rings, and kill -9 in mid-run;
 *  - a guest probing guest-physical memory sees its memory below its
 *    size and an MMIO exit at exactly each address above it;
 *  - a register ioctl on a vCPU that is in RUN waits for RUN to return
 *    (RUN and the register ioctls are serialized by waiting, as
 *    Documentation/uapi.rst says).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <kselftest_harness.h>

#include "lib/vmxlab_test.h"

#define COUNTERS "/sys/kernel/debug/vmxlab/memory"
enum { C_VMS, C_VCPUS, C_PINNED, C_EPT, C_RING, NR_C };

static int read_counters(long c[NR_C])
{
	static const char *const names[NR_C] = {
		"vms", "vcpus", "pinned_pages", "ept_pages", "ring_bytes",
	};
	char name[32];
	long v;
	int i, found = 0;
	FILE *f = fopen(COUNTERS, "r");

	if (!f)
		return -1;
	while (fscanf(f, "%31s %ld", name, &v) == 2)
		for (i = 0; i < NR_C; i++)
			if (!strcmp(name, names[i])) {
				c[i] = v;
				found++;
			}
	fclose(f);
	return found == NR_C ? 0 : -1;
}

GUEST_CODE(spin16, ".code16\n1: jmp 1b\n");
GUEST_CODE(out16, ".code16\n out %al, $0x70\n hlt\n");

static void on_alarm(int sig)
{
}

TEST(counters_back_to_baseline)
{
	long base[NR_C], mid[NR_C], after[NR_C];
	struct vmxlab_ring_config ring = { .nrecords = 64 };
	struct sigaction sa = { .sa_handler = on_alarm };
	static struct tvm t[20];
	pid_t kids[4];
	int i, status;

	if (read_counters(base))
		SKIP(return, "no " COUNTERS " (debugfs not mounted?)");
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, tvm_create(&t[i], 1 << 20));
		if (i % 2)
			ASSERT_EQ(0, ioctl(t[i].vcpu, VMXLAB_SET_RING, &ring));
		tvm_load_code(&t[i], GUEST_ENTRY, GUEST(out16));
		ASSERT_EQ(0, tvm_set_real(&t[i], GUEST_ENTRY));
		ASSERT_EQ(0, tvm_run(&t[i]));
	}
	/* Children killed in the middle of RUN, their VMs still open. */
	for (i = 0; i < 4; i++) {
		kids[i] = fork();
		ASSERT_LE(0, kids[i]);
		if (kids[i] == 0) {
			struct tvm k;

			if (tvm_create(&k, 2 << 20))
				_exit(2);
			tvm_load_code(&k, GUEST_ENTRY, GUEST(spin16));
			tvm_set_real(&k, GUEST_ENTRY);
			tvm_run(&k);
			_exit(3);
		}
	}
	usleep(300 * 1000);
	ASSERT_EQ(0, read_counters(mid));
	/* The counters see what is open: they can tell a leak. */
	EXPECT_LE(base[C_VMS] + 20, mid[C_VMS]);
	EXPECT_LE(base[C_VCPUS] + 20, mid[C_VCPUS]);
	EXPECT_LE(base[C_PINNED] + 20 * 256, mid[C_PINNED]);
	EXPECT_LT(base[C_EPT], mid[C_EPT]);
	EXPECT_LT(base[C_RING], mid[C_RING]);
	for (i = 0; i < 4; i++) {
		kill(kids[i], SIGKILL);
		ASSERT_EQ(kids[i], waitpid(kids[i], &status, 0));
	}
	for (i = 0; i < 20; i++)
		tvm_destroy(&t[i]);
	ASSERT_EQ(0, read_counters(after));
	for (i = 0; i < NR_C; i++)
		EXPECT_EQ(base[i], after[i]) TH_LOG("counter %d", i);
}

/*
 * Long mode, 4 MiB of memory, identity-mapped: the guest reads one byte
 * at every MiB from 0 to 7 MiB.  The first four come from its memory (the
 * test put a marker there), the others are MMIO exits at exactly that
 * address; nothing of the host or another VM is ever seen.
 */
GUEST_CODE(probe,
	".code64\n"
	"xor %ebx, %ebx\n"
	"1: movzbl (%rbx), %eax\n"
	"out %eax, $0x71\n"
	"add $0x100000, %rbx\n"
	"cmp $0x800000, %rbx\n"
	"jb 1b\n"
	"hlt\n");

TEST(gpa_probe_sees_only_own_memory)
{
	struct tvm t, other;
	uint64_t gpa;

	ASSERT_EQ(0, tvm_create(&t, 4 << 20));
	ASSERT_EQ(0, tvm_create(&other, 8 << 20));
	/* Another VM with memory everywhere the probe looks. */
	memset(other.mem, 0xee, 8 << 20);
	tvm_load_code(&t, 0x10000, GUEST(probe));
	ASSERT_EQ(0, tvm_set_long(&t, 0x10000));
	for (gpa = 0; gpa < (4 << 20); gpa += 1 << 20)
		if (gpa)
			t.mem[gpa] = 0x40 + (gpa >> 20);
	for (gpa = 0; gpa < (8 << 20); gpa += 1 << 20) {
		ASSERT_EQ(0, tvm_run(&t));
		if (gpa < (4 << 20)) {
			EXPECT_EXIT(&t, VMXLAB_EXIT_IO);
			if (gpa)
				EXPECT_EQ(0x40 + (gpa >> 20), t.run->io.data);
			continue;
		}
		EXPECT_EXIT(&t, VMXLAB_EXIT_MMIO);
		EXPECT_EQ(gpa, t.run->mmio.phys_addr);
		EXPECT_EQ(0, t.run->mmio.is_write);
		t.run->mmio.data = 0x5a;
		ASSERT_EQ(0, tvm_run(&t));
		EXPECT_EXIT(&t, VMXLAB_EXIT_IO);
		EXPECT_EQ(0x5a, t.run->io.data);
	}
	ASSERT_EQ(0, tvm_run(&t));
	EXPECT_EXIT(&t, VMXLAB_EXIT_HLT);
	tvm_destroy(&other);
	tvm_destroy(&t);
}

/* Counts in its memory as long as it runs. */
GUEST_CODE(count_spin, ".code16\n1: incl (0x2000)\n jmp 1b\n");

struct race {
	struct tvm *t;
	int ran_before, regs_ok, ran_after;
};

static uint32_t guest_counter(struct tvm *t)
{
	return __atomic_load_n((uint32_t *)(t->mem + 0x2000), __ATOMIC_RELAXED);
}

/* Did the guest's counter move within @ms milliseconds? */
static int guest_moves(struct tvm *t, int ms)
{
	uint32_t c = guest_counter(t);

	usleep(ms * 1000);
	return guest_counter(t) != c;
}

static void *regs_thread(void *arg)
{
	struct race *r = arg;
	struct vmxlab_regs regs;

	/* The main thread is in RUN once its guest counts. */
	r->ran_before = guest_moves(r->t, 200);
	/* RUN holds the vCPU: this returns only once RUN has returned... */
	r->regs_ok = !tvm_get_regs(r->t, &regs);
	/* ...so the guest no longer runs. */
	r->ran_after = guest_moves(r->t, 200);
	return NULL;
}

TEST(register_ioctls_wait_for_run)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct race r = { 0 };
	pthread_t th;
	struct tvm t;

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	ASSERT_EQ(0, tvm_create(&t, 1 << 16));
	tvm_load_code(&t, GUEST_ENTRY, GUEST(count_spin));
	ASSERT_EQ(0, tvm_set_real(&t, GUEST_ENTRY));
	r.t = &t;
	ASSERT_EQ(0, pthread_create(&th, NULL, regs_thread, &r));
	alarm(2);
	EXPECT_EQ(-EINTR, tvm_run(&t));
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_TRUE(r.ran_before);	/* GET_REGS came during RUN */
	EXPECT_TRUE(r.regs_ok);
	EXPECT_FALSE(r.ran_after);	/* and returned only after it */
	tvm_destroy(&t);
}

TEST_HARNESS_MAIN
