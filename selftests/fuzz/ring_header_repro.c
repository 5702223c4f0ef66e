// SPDX-License-Identifier: GPL-2.0
/*
 * ring_header_repro.c - reproducer: the kernel trusts the exit ring's
 * header, which userspace can write.
 *
 * kmod/trace.c reads ring->nrecords and ring->flags from the ring itself,
 * i.e. from pages mapped writable into the process (VMXLAB_RING_OFFSET):
 *
 *	rec = &ring->records[head & (ring->nrecords - 1)];
 *
 * With nrecords set to 0 by userspace, the mask is ~0 and record n is
 * written at 64 + 128 * n bytes, past the end of the vmalloc()ed ring as
 * soon as n reaches the number of records the ring's pages hold (31 for a
 * one-page ring).  ring->flags decides lossless or overwrite mode in the
 * same way.  Expected: a kernel page fault (Oops) in vmxlab_ring_exit()
 * at the 32nd exit.  Not built by default (selftests/fuzz/).
 *
 *	gcc -static -Iuapi -Iselftests/vmx -o ring_header_repro \
 *		selftests/fuzz/ring_header_repro.c selftests/vmx/lib/vmxlab_test.c
 */
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "lib/vmxlab_test.h"

int main(void)
{
	struct vmxlab_ring_config rc = { .nrecords = 1, .flags = 0 };
	struct vmxlab_ring *ring;
	struct tvm t;
	int i, r;

	r = tvm_create(&t, 1 << 16);
	if (r) {
		fprintf(stderr, "tvm_create: %s\n", strerror(-r));
		return 1;
	}
	memset(t.mem, 0xf4, 1 << 16);	/* every instruction is HLT */
	if (tvm_set_real(&t, GUEST_ENTRY) ||
	    ioctl(t.vcpu, VMXLAB_SET_RING, &rc)) {
		perror("setup");
		return 1;
	}
	ring = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, t.vcpu,
		    VMXLAB_RING_OFFSET);
	if (ring == MAP_FAILED) {
		perror("mmap ring");
		return 1;
	}
	/* The two fields only the kernel should write. */
	ring->nrecords = 0;
	ring->flags = VMXLAB_RING_OVERWRITE;
	for (i = 0; i < 64; i++) {
		r = tvm_run(&t);
		printf("run %d: ret %d exit %u head %llu\n", i, r,
		       t.run->exit_reason, (unsigned long long)ring->head);
	}
	printf("survived: the kernel did not write past the ring\n");
	return 0;
}
