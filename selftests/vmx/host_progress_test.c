// SPDX-License-Identifier: GPL-2.0
/*
 * host_progress_test.c - whatever a guest does, the host keeps its clock
 * ticks and its other tasks keep running (issue #19).
 *
 * Each case runs one guest that exits as often as it can (xAPIC MMIO to
 * userspace, port I/O to userspace, CPUID in the kernel's fast path, a
 * faulting RDMSR whose #GP the guest handles, #UD the guest handles with
 * no exit at all, HLT), with IF=0 and IF=1, on CPU 0, beside a sleeper on
 * the same CPU (lib/progress.h) that must complete at least half of its
 * 10 ms sleeps in RUN_SECONDS.  A host whose timer interrupt waits behind
 * the guest completes a few sleeps a second, not a hundred.  Then a
 * signal must end the guest within a second.  Each guest runs twice:
 * through the module's API in a child of this test, and through the
 * loader (userland/vmxlab, whose devices answer the exits), which
 * SIGTERM (IF=0 guests) or SIGINT (IF=1), and --timeout, must stop.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <kselftest_harness.h>

#include "lib/progress.h"
#include "lib/vmxlab_test.h"

#define VMXLAB "/vmxlab/userland/vmxlab"

#define RUN_SECONDS	2

/*
 * Protected mode, paging off.  The prologue installs 32-bit interrupt
 * gates for #UD (6) and #GP (13) in the IDT at GUEST_IDT (position
 * independent: the handlers' address comes from a CALL), and loads IDTR
 * from GUEST_DATA.  #UD handler: skip the 2-byte UD2; #GP handler: drop
 * the error code, skip the 2-byte RDMSR.
 */
#define PROLOGUE							\
	".code32\n"							\
	"call 1f\n"							\
	"1: pop %ebx\n"							\
	"lea 8f-1b(%ebx), %eax\n"					\
	"call 7f\n"							\
	"mov %edx, 0x3000 + 6 * 8\n"					\
	"mov %ecx, 0x3004 + 6 * 8\n"					\
	"lea 9f-1b(%ebx), %eax\n"					\
	"call 7f\n"							\
	"mov %edx, 0x3000 + 13 * 8\n"					\
	"mov %ecx, 0x3004 + 13 * 8\n"					\
	"movw $0x7ff, 0x20000\n"					\
	"movl $0x3000, 0x20002\n"					\
	"lidt 0x20000\n"						\
	"jmp 2f\n"							\
	/* gate for handler %eax in %edx (low) and %ecx (high) */	\
	"7: mov %eax, %edx\n"						\
	"and $0xffff, %edx\n"						\
	"or $0x80000, %edx\n"						\
	"mov %eax, %ecx\n"						\
	"and $0xffff0000, %ecx\n"					\
	"or $0x8e00, %ecx\n"						\
	"ret\n"								\
	"8: addl $2, (%esp)\n"						\
	"iret\n"							\
	"9: add $4, %esp\n"						\
	"addl $2, (%esp)\n"						\
	"iret\n"							\
	"2:\n"

#define LOOP(body) "3: " body "\njmp 3b\n"

#define XAPIC	"movl $0, 0xfee00310\n"					\
		"movl $0x000c4500, 0xfee00300\n"			\
		"mov 0xfee00030, %eax\n"
#define PIO	"out %al, $0x80\n in $0x81, %al\n"
#define CPUID	"xor %eax, %eax\n cpuid\n"
#define RDMSR	"mov $0x4b564dff, %ecx\n rdmsr\n"
#define UD2	"ud2\n"
#define HLT	"hlt\n"

GUEST_CODE(xapic_if0, PROLOGUE "cli\n" LOOP(XAPIC));
GUEST_CODE(xapic_if1, PROLOGUE "sti\n" LOOP(XAPIC));
GUEST_CODE(pio_if0, PROLOGUE "cli\n" LOOP(PIO));
GUEST_CODE(pio_if1, PROLOGUE "sti\n" LOOP(PIO));
GUEST_CODE(cpuid_if0, PROLOGUE "cli\n" LOOP(CPUID));
GUEST_CODE(cpuid_if1, PROLOGUE "sti\n" LOOP(CPUID));
GUEST_CODE(rdmsr_if0, PROLOGUE "cli\n" LOOP(RDMSR));
GUEST_CODE(rdmsr_if1, PROLOGUE "sti\n" LOOP(RDMSR));
GUEST_CODE(ud2_if0, PROLOGUE "cli\n" LOOP(UD2));
GUEST_CODE(ud2_if1, PROLOGUE "sti\n" LOOP(UD2));
GUEST_CODE(hlt_if0, PROLOGUE "cli\n" LOOP(HLT));

/* The child: run the guest forever, answering its exits as a VMM would. */
static void __attribute__((noreturn))
run_guest(const void *code, size_t len, volatile int *ready)
{
	struct tvm t;
	int r;

	if (tvm_create(&t, 1 << 20))
		_exit(2);
	tvm_load_code(&t, GUEST_ENTRY, code, len);
	if (tvm_set_prot(&t, GUEST_ENTRY))
		_exit(3);
	*ready = 1;
	for (;;) {
		r = tvm_run(&t);
		if (r == -EINTR)
			continue;
		if (r)
			_exit(4);
		switch (t.run->exit_reason) {
		case VMXLAB_EXIT_MMIO:
			if (!t.run->mmio.is_write)
				t.run->mmio.data = 0x00050014;
			break;
		case VMXLAB_EXIT_IO:
			if (t.run->io.direction == VMXLAB_IO_IN)
				t.run->io.data = 0;
			break;
		case VMXLAB_EXIT_HLT:
		case VMXLAB_EXIT_INTR:
			break;
		default:
			tvm_dump_exit(&t);
			_exit(5);
		}
	}
}

/*
 * The loader on the same guest, as a flat protected-mode image, with
 * --timeout @timeout (seconds) unless it is NULL.
 */
static pid_t start_loader(const void *code, size_t len, const char *timeout)
{
	static const char path[] = "/tmp/host_progress_guest.bin";
	FILE *f = fopen(path, "w");
	pid_t pid;

	if (!f || fwrite(code, 1, len, f) != len || fclose(f))
		return -1;
	pid = fork();
	if (pid == 0) {
		pin_to_cpu(0);
		if (!freopen("/dev/null", "w", stdout))
			_exit(126);
		if (timeout)
			execl(VMXLAB, VMXLAB, "run", "--quiet", "--mode",
			      "protected", "--timeout", timeout, path,
			      (char *)NULL);
		else
			execl(VMXLAB, VMXLAB, "run", "--quiet", "--mode",
			      "protected", path, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/*
 * @guest (a process on CPU 0, started already) runs for RUN_SECONDS
 * beside a sleeper on CPU 0, which must complete at least half of its
 * sleeps; then @sig must end @guest within a second.  Returns the wait
 * status.
 */
static int check_beside(struct __test_metadata *_metadata, pid_t guest,
			int sig)
{
	struct timespec run = { RUN_SECONDS, 0 };
	unsigned long sleeps, expected;
	struct progress p;
	double t0, t1;
	int status;

	ASSERT_LT(0, guest);
	ASSERT_EQ(0, progress_start(&p, 0));
	nanosleep(&run, NULL);
	sleeps = progress_stop(&p, &expected);
	TH_LOG("host: %lu of %lu sleeps of %d ms beside the guest",
	       sleeps, expected, PROGRESS_SLEEP_MS);
	/* Still running: the guest did not end by itself. */
	ASSERT_EQ(0, waitpid(guest, &status, WNOHANG));
	EXPECT_LE(expected / 2, sleeps);

	t0 = now_seconds();
	ASSERT_EQ(0, kill(guest, sig));
	ASSERT_EQ(guest, waitpid(guest, &status, 0));
	t1 = now_seconds();
	TH_LOG("signal %d ended the guest in %.3f s", sig, t1 - t0);
	EXPECT_GT(1.0, t1 - t0);
	return status;
}

/* Through the module's API: the guest's process dies of SIGTERM. */
static void api_case(struct __test_metadata *_metadata, const void *code,
		     size_t len)
{
	struct timespec nap = { 0, 1000000 };
	volatile int *ready;
	pid_t child;
	int status;

	ready = mmap(NULL, sizeof(*ready), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ready);
	*ready = 0;
	pin_to_cpu(0);
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0)
		run_guest(code, len, ready);
	while (!*ready && waitpid(child, &status, WNOHANG) == 0)
		nanosleep(&nap, NULL);
	ASSERT_EQ(1, *ready);
	status = check_beside(_metadata, child, SIGTERM);
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ(SIGTERM, WTERMSIG(status));
	munmap((void *)ready, sizeof(*ready));
}

/*
 * Through the loader (its devices answer the exits): @sig (SIGTERM or
 * SIGINT) stops it within a second, with the loader's status for it, and
 * so does --timeout.
 */
static void loader_case(struct __test_metadata *_metadata, const void *code,
			size_t len, int sig)
{
	double t0, t1;
	pid_t pid;
	int status;

	if (access(VMXLAB, X_OK))
		SKIP(return, "no loader in this machine");
	status = check_beside(_metadata, start_loader(code, len, NULL), sig);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(sig == SIGINT ? 130 : 143, WEXITSTATUS(status));

	t0 = now_seconds();
	pid = start_loader(code, len, "1");
	ASSERT_LT(0, pid);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	t1 = now_seconds();
	TH_LOG("--timeout 1 ended the loader after %.3f s", t1 - t0);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(124, WEXITSTATUS(status));
	EXPECT_GT(2.0, t1 - t0);
}

/* Each guest through the API and the loader; SIGTERM for IF=0, SIGINT for IF=1. */
#define CASE(name, sig)							\
	TEST(name)							\
	{								\
		api_case(_metadata, GUEST(name));			\
	}								\
	TEST(name##_loader)						\
	{								\
		loader_case(_metadata, GUEST(name), sig);		\
	}

CASE(xapic_if0, SIGTERM)
CASE(xapic_if1, SIGINT)
CASE(pio_if0, SIGTERM)
CASE(pio_if1, SIGINT)
CASE(cpuid_if0, SIGTERM)
CASE(cpuid_if1, SIGINT)
CASE(rdmsr_if0, SIGTERM)
CASE(rdmsr_if1, SIGINT)
CASE(ud2_if0, SIGTERM)
CASE(ud2_if1, SIGINT)

/* HLT ends the loader's run (the guest halted): the module's API only. */
TEST(hlt_if0)
{
	api_case(_metadata, GUEST(hlt_if0));
}

TEST_HARNESS_MAIN
