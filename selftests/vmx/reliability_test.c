// SPDX-License-Identifier: GPL-2.0
/*
 * reliability_test.c - nothing leaks, nothing leaks through:
 *  - the module's own memory counters (debugfs "memory") come back to
 *    their baseline after VMs, vCPUs, rings, and kill -9 in mid-run;
 *  - a guest probing guest-physical memory sees its memory below its
 *    size and an MMIO exit at exactly each address above it;
 *  - a register ioctl on a vCPU that is in RUN waits for RUN to return
 *    (RUN and the register ioctls are serialized by waiting, as
 *    Documentation/uapi.rst says);
 *  - 100 VMs running at once in 10 processes, torn down by process exit
 *    while their vCPUs run, with module unload attempts all along.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <fcntl.h>
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

/*
 * 100 VMs whose guests all run at once: 10 processes of 10 VMs, one vCPU
 * thread each, every guest counting in its own memory.  A process exits
 * (its vCPUs still in RUN, like a kill) once all ten of its counters have
 * moved.  Meanwhile the parent keeps trying to unload the module, which
 * must refuse without disturbing anyone, and at the end the module's
 * memory counters are back at their baseline.
 */
#define PROCS		10
#define VMS_PER_PROC	10

static void *vcpu_thread(void *arg)
{
	struct tvm *t = arg;

	for (;;)
		tvm_run(t);	/* the preemption-timer slice returns, and in again */
	return NULL;
}

static void vm_process(int p)
{
	static struct tvm t[VMS_PER_PROC];
	pthread_t th[VMS_PER_PROC];
	uint32_t start[VMS_PER_PROC];
	int i, moved = 0, tries;

	for (i = 0; i < VMS_PER_PROC; i++) {
		if (tvm_create(&t[i], 1 << 16))
			_exit(2);
		tvm_load_code(&t[i], GUEST_ENTRY, GUEST(count_spin));
		*(uint32_t *)(t[i].mem + 0x2000) = p * 1000000 + i * 10000;
		start[i] = guest_counter(&t[i]);
		if (tvm_set_real(&t[i], GUEST_ENTRY) ||
		    pthread_create(&th[i], NULL, vcpu_thread, &t[i]))
			_exit(3);
	}
	/* Every guest must get to run: 60 s is far more than it needs. */
	for (tries = 0; tries < 600 && moved != (1 << VMS_PER_PROC) - 1; tries++) {
		usleep(100 * 1000);
		for (i = 0; i < VMS_PER_PROC; i++)
			if (guest_counter(&t[i]) != start[i])
				moved |= 1 << i;
	}
	/* Out with every vCPU still in RUN: the kernel tears it all down. */
	_exit(moved == (1 << VMS_PER_PROC) - 1 ? 0 : 1);
}

TEST(hundred_vms_running_at_once)
{
	long base[NR_C], after[NR_C];
	pid_t pids[PROCS];
	int i, status, ok = 0, live, refusals = 0, unloaded = 0;
	int keep = open("/dev/vmxlab", O_RDWR);

	/* Our own fd keeps the module in: an unload attempt can only fail. */
	ASSERT_LE(0, keep);
	ASSERT_EQ(0, read_counters(base));
	for (i = 0; i < PROCS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0)
			vm_process(i);
	}
	do {
		live = 0;
		for (i = 0; i < PROCS; i++) {
			if (!pids[i])
				continue;
			if (waitpid(pids[i], &status, WNOHANG) == pids[i]) {
				ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
				pids[i] = 0;
			} else {
				live++;
			}
		}
		if (syscall(SYS_delete_module, "vmxlab", O_NONBLOCK) == 0)
			unloaded++;
		else
			refusals += errno == EWOULDBLOCK || errno == EBUSY;
		usleep(50 * 1000);
	} while (live);
	printf("# %d of %d processes saw all %d guests run; %d unload attempts refused\n",
	       ok, PROCS, VMS_PER_PROC, refusals);
	EXPECT_EQ(PROCS, ok);
	EXPECT_EQ(0, unloaded);
	EXPECT_LT(0, refusals);
	close(keep);
	/* The last references may go a moment after the processes. */
	for (status = 0; status < 30; status++) {
		ASSERT_EQ(0, read_counters(after));
		if (!memcmp(base, after, sizeof(base)))
			break;
		usleep(100 * 1000);
	}
	for (i = 0; i < NR_C; i++)
		EXPECT_EQ(base[i], after[i]) TH_LOG("counter %d", i);
}

TEST_HARNESS_MAIN
