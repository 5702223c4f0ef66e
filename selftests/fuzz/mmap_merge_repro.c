// SPDX-License-Identifier: GPL-2.0
/*
 * mmap_merge_repro.c - reproducer: an mmap() of the exit ring offset can
 * succeed without reaching vcpu_mmap(), giving a mapping that SIGBUSes.
 *
 * The run-page VMA (kmod/vcpu.c, vcpu_mmap()) has no VM_DONTEXPAND (no
 * VM_SPECIAL flag), so the core mm may satisfy a later mmap() of the same
 * vCPU file at the next file offset, placed right after it, by expanding
 * that VMA (mmap_region()'s "can we just expand an old mapping") without
 * calling ->mmap at all.  Then:
 *
 *  - mmap(VMXLAB_RING_OFFSET) succeeds on a vCPU without a ring, where
 *    Documentation/uapi.rst 4.8 promises ENODEV, and bypasses every check
 *    of vmxlab_ring_mmap();
 *  - the "ring" is really page 1 of the run-page VMA, which vcpu_fault()
 *    answers with SIGBUS (same with a ring set: the ring is not mapped).
 *
 * mremap() can grow a run-page mapping for the same reason.  Expected:
 * ENODEV (or, with a ring, a readable ring).  Not a kernel crash.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "lib/vmxlab_test.h"

static sigjmp_buf jb;

static void on_bus(int sig)
{
	siglongjmp(jb, sig);
}

int main(void)
{
	struct tvm t;
	uint8_t *x, *run, *ring;
	int r, sig;

	r = tvm_create(&t, 1 << 16);
	if (r) {
		fprintf(stderr, "tvm_create: %s\n", strerror(-r));
		return 1;
	}
	/* Two free pages in a row, then the run page in the first ... */
	x = mmap(NULL, 8192, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(x, 8192);
	run = mmap(x, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		   t.vcpu, 0);
	/* ... and the ring offset (no ring was set) right after it. */
	ring = mmap(x + 4096, 4096, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_FIXED, t.vcpu, VMXLAB_RING_OFFSET);
	printf("run page at %p; ring mmap without a ring: %s\n", run,
	       ring == MAP_FAILED ? strerror(errno) : "succeeded (expected ENODEV)");
	if (ring == MAP_FAILED)
		return 0;
	signal(SIGBUS, on_bus);
	sig = sigsetjmp(jb, 1);
	if (!sig)
		printf("reading it: %#x\n", *(volatile uint32_t *)ring);
	else
		printf("reading it: signal %d (SIGBUS)\n", sig);
	return 1;
}
