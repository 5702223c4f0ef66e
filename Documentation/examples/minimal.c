// SPDX-License-Identifier: GPL-2.0
/*
 * minimal.c - the smallest complete vmxlab program: one page of guest
 * memory, one vCPU in real mode, a guest that writes 'A' to port 0xe9 and
 * halts.  Documentation/uapi.rst explains every step.
 *
 * Build, from the top of the tree:
 *   gcc -Wall -Wextra -Iuapi -o minimal Documentation/examples/minimal.c
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/vmxlab.h>

#define GUEST_PHYS	0x1000		/* where the page sits in the guest */
#define GUEST_SIZE	0x1000		/* one page: little RLIMIT_MEMLOCK */

/* 16-bit real-mode code, run from guest-physical GUEST_PHYS. */
static const uint8_t guest_code[] = {
	0xb0, 'A',			/* mov al, 'A'  */
	0xe6, 0xe9,			/* out 0xe9, al */
	0xf4,				/* hlt          */
};

int main(void)
{
	struct vmxlab_memory_region mr = { 0 };
	struct vmxlab_sregs sregs;
	struct vmxlab_regs regs;
	struct vmxlab_run *run;
	int sys, vm, vcpu, size;
	void *mem;

	/* The system fd: version, then a VM. */
	sys = open("/dev/vmxlab", O_RDWR | O_CLOEXEC);
	if (sys < 0)
		err(1, "/dev/vmxlab");
	if (ioctl(sys, VMXLAB_GET_API_VERSION, 0) != VMXLAB_API_VERSION)
		errx(1, "unexpected vmxlab API version");
	vm = ioctl(sys, VMXLAB_CREATE_VM, 0);
	if (vm < 0)
		err(1, "VMXLAB_CREATE_VM");

	/* Guest memory: ordinary, writable, page-aligned process memory. */
	mem = mmap(NULL, GUEST_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		err(1, "mmap guest memory");
	memcpy(mem, guest_code, sizeof(guest_code));
	mr.slot = 0;
	mr.flags = 0;
	mr.guest_phys_addr = GUEST_PHYS;
	mr.memory_size = GUEST_SIZE;
	mr.userspace_addr = (uintptr_t)mem;
	if (ioctl(vm, VMXLAB_SET_MEMORY_REGION, &mr) < 0)
		err(1, "VMXLAB_SET_MEMORY_REGION");

	/* One vCPU and its run page, which must be mapped MAP_SHARED. */
	vcpu = ioctl(vm, VMXLAB_CREATE_VCPU, 0);
	if (vcpu < 0)
		err(1, "VMXLAB_CREATE_VCPU");
	size = ioctl(sys, VMXLAB_GET_VCPU_MMAP_SIZE, 0);
	if (size < 0)
		err(1, "VMXLAB_GET_VCPU_MMAP_SIZE");
	run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		err(1, "mmap run page");

	/*
	 * The vCPU starts in the x86 reset state: real mode, CS base
	 * 0xffff0000, RIP 0xfff0.  Keep real mode, move CS to base 0 and
	 * start at the code.
	 */
	if (ioctl(vcpu, VMXLAB_GET_SREGS, &sregs) < 0)
		err(1, "VMXLAB_GET_SREGS");
	sregs.cs.selector = 0;
	sregs.cs.base = 0;
	if (ioctl(vcpu, VMXLAB_SET_SREGS, &sregs) < 0)
		err(1, "VMXLAB_SET_SREGS");
	memset(&regs, 0, sizeof(regs));
	regs.rip = GUEST_PHYS;
	regs.rflags = 0x2;		/* bit 1 is always set */
	if (ioctl(vcpu, VMXLAB_SET_REGS, &regs) < 0)
		err(1, "VMXLAB_SET_REGS");

	for (;;) {
		if (ioctl(vcpu, VMXLAB_RUN, 0) < 0) {
			if (errno == EINTR)	/* a signal: just run again */
				continue;
			err(1, "VMXLAB_RUN");
		}
		switch (run->exit_reason) {
		case VMXLAB_EXIT_IO:
			if (run->io.direction == VMXLAB_IO_OUT &&
			    run->io.port == 0xe9 && run->io.size == 1) {
				/* Nothing to answer: RUN steps over OUT. */
				putchar((int)(run->io.data & 0xff));
				continue;
			}
			errx(1, "unexpected %s of %u bytes at port %#x",
			     run->io.direction == VMXLAB_IO_IN ? "IN" : "OUT",
			     run->io.size, run->io.port);
		case VMXLAB_EXIT_HLT:
			printf("\nguest halted at rip %#llx\n",
			       (unsigned long long)run->guest_rip);
			/* Closing (or exiting) frees the vCPU, VM and pins. */
			munmap(run, size);
			close(vcpu);
			close(vm);
			close(sys);
			munmap(mem, GUEST_SIZE);
			return 0;
		case VMXLAB_EXIT_INTERNAL_ERROR:
			errx(1, "internal error %u: %s",
			     run->internal.suberror, run->internal.msg);
		default:
			errx(1, "exit %u (hardware exit reason %#x) at rip %#llx",
			     run->exit_reason, run->hw_exit_reason,
			     (unsigned long long)run->guest_rip);
		}
	}
}
