// SPDX-License-Identifier: GPL-2.0
/*
 * api_test.c - the ioctl API: versions, capabilities, and every ioctl with
 * bad arguments, each answered by its documented errno
 * (Documentation/uapi.rst).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/vmxlab_checks.h>
#include <kselftest_harness.h>

#include "lib/vmxlab_test.h"

#define EXPECT_ERRNO(err, call) do {					\
	errno = 0;							\
	EXPECT_EQ(-1, (call));						\
	EXPECT_EQ((err), errno);					\
} while (0)

TEST(api_version_and_caps)
{
	int fd = open("/dev/vmxlab", O_RDWR);

	ASSERT_LE(0, fd);
	EXPECT_EQ(VMXLAB_API_VERSION, ioctl(fd, VMXLAB_GET_API_VERSION, 0));
	EXPECT_EQ(VMXLAB_MAX_VCPUS, ioctl(fd, VMXLAB_CHECK_CAP, VMXLAB_CAP_MAX_VCPUS));
	EXPECT_EQ(VMXLAB_MAX_MEM_SLOTS,
		  ioctl(fd, VMXLAB_CHECK_CAP, VMXLAB_CAP_MAX_MEM_SLOTS));
	EXPECT_EQ(1, ioctl(fd, VMXLAB_CHECK_CAP, VMXLAB_CAP_UNRESTRICTED_GUEST));
	EXPECT_EQ(VMXLAB_CHECK_COUNT, ioctl(fd, VMXLAB_CHECK_CAP, VMXLAB_CAP_ENTRY_CHECK));
	EXPECT_EQ(0, ioctl(fd, VMXLAB_CHECK_CAP, 0xdead));
	EXPECT_EQ(4096, ioctl(fd, VMXLAB_GET_VCPU_MMAP_SIZE, 0));
	EXPECT_ERRNO(ENOTTY, ioctl(fd, _IO(VMXLAB_IO, 0x7f), 0));
	EXPECT_ERRNO(EINVAL, ioctl(fd, VMXLAB_CREATE_VM, 1));
	EXPECT_ERRNO(EINVAL, ioctl(fd, VMXLAB_GET_API_VERSION, 1));
	close(fd);
}

FIXTURE(vm) {
	int sys, vm;
	void *mem;
};

FIXTURE_SETUP(vm)
{
	self->sys = open("/dev/vmxlab", O_RDWR);
	ASSERT_LE(0, self->sys);
	self->vm = ioctl(self->sys, VMXLAB_CREATE_VM, 0);
	ASSERT_LE(0, self->vm);
	self->mem = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->mem);
}

FIXTURE_TEARDOWN(vm)
{
	close(self->vm);
	close(self->sys);
	munmap(self->mem, 1 << 20);
}

static struct vmxlab_memory_region region(uint32_t slot, uint64_t gpa,
					  uint64_t size, void *mem)
{
	struct vmxlab_memory_region mr = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)mem,
	};
	return mr;
}

/*
 * In the static binary's .bss: a low address, so that a range of 512 GiB
 * from it is still a user-space range (mmap()ed memory sits near the top).
 */
static char low_page[4096] __attribute__((aligned(4096)));

TEST_F(vm, memory_region_errors)
{
	struct vmxlab_memory_region mr;
	char *m = self->mem;

	mr = region(0, 0, 1 << 16, m);
	ASSERT_EQ(0, ioctl(self->vm, VMXLAB_SET_MEMORY_REGION, &mr));
	/* Overlap with slot 0. */
	mr = region(1, 0x8000, 1 << 16, m + (1 << 16));
	EXPECT_ERRNO(EEXIST, ioctl(self->vm, VMXLAB_SET_MEMORY_REGION, &mr));
	/* Misaligned address, size, host address. */
	mr = region(1, 0x100001, 4096, m);
	EXPECT_ERRNO(EINVAL, ioctl(self->vm, VMXLAB_SET_MEMORY_REGION, &mr));
	mr = region(1, 0x100000, 100, m);
	EXPECT_ERRNO(EINVAL, ioctl(self->vm, VMXLAB_SET_MEMORY_REGION, &mr));
	mr = region(1, 0x100000, 4096, m + 8);
	EXPECT_ERRNO(EINVAL, ioctl(self->vm, VMXLAB_SET_MEMORY_REGION, &mr));
	/* Slot number out of range, unknown flag. */
	mr = region(VMXLAB_MAX_MEM_SLOTS, 0x100000, 4096, m);
	EXPECT_ERRNO(EINVAL, ioctl(self->vm, VMXLAB_SET_MEMORY_REGION, &mr));
	mr = region(1, 0x100000, 4096, m);
	mr.flags = 0x80;
	EXPECT_ERRNO(EINVAL, ioctl(self->vm, VMXLAB_SET_MEMORY_REGION, &mr));
	/* Beyond the guest-physical limit, or wrapping around. */
	mr = region(1, VMXLAB_MAX_GPA - 4096, 8192, m);
	EXPECT_ERRNO(E2BIG, ioctl(self->vm, VMXLAB_SET_MEMORY_REGION, &mr));
	mr = region(1, ~0xfffULL, 8192, m);
	EXPECT_ERRNO(E2BIG, ioctl(self->vm, VMXLAB_SET_MEMORY_REGION, &mr));
	/*
	 * Larger than the machine's RAM (hundreds of GiB): refused before
	 * the kernel tries to allocate a page array of that size (which
	 * once printed an allocation-failure trace; the suite's kernel-log
	 * check catches that).
	 */
	mr = region(1, 1ULL << 30, VMXLAB_MAX_GPA - (1ULL << 30), low_page);
	EXPECT_ERRNO(ENOMEM, ioctl(self->vm, VMXLAB_SET_MEMORY_REGION, &mr));
	mr = region(1, 1ULL << 32, VMXLAB_MAX_GPA / 2, low_page);
	EXPECT_ERRNO(ENOMEM, ioctl(self->vm, VMXLAB_SET_MEMORY_REGION, &mr));
	/* Host memory that is not mapped, or a kernel address. */
	mr = region(1, 0x100000, 4096, (void *)0x1000);
	EXPECT_ERRNO(EFAULT, ioctl(self->vm, VMXLAB_SET_MEMORY_REGION, &mr));
	mr = region(1, 0x100000, 4096, (void *)0xffff888000000000ULL);
	EXPECT_ERRNO(EFAULT, ioctl(self->vm, VMXLAB_SET_MEMORY_REGION, &mr));
	/* Deleting a slot that does not exist. */
	mr = region(5, 0, 0, NULL);
	EXPECT_ERRNO(ENOENT, ioctl(self->vm, VMXLAB_SET_MEMORY_REGION, &mr));
	/* A bad pointer to the argument itself. */
	EXPECT_ERRNO(EFAULT, ioctl(self->vm, VMXLAB_SET_MEMORY_REGION, (void *)8));
	/* Slot 0 still works after all that: replace it, then delete it. */
	mr = region(0, 0x200000, 1 << 17, m);
	EXPECT_EQ(0, ioctl(self->vm, VMXLAB_SET_MEMORY_REGION, &mr));
	mr = region(0, 0, 0, NULL);
	EXPECT_EQ(0, ioctl(self->vm, VMXLAB_SET_MEMORY_REGION, &mr));
	EXPECT_ERRNO(ENOENT, ioctl(self->vm, VMXLAB_SET_MEMORY_REGION, &mr));
}

TEST_F(vm, readonly_region_not_writable_mapping)
{
	struct vmxlab_memory_region mr;
	void *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, ro);
	/* Pinning needs a writable mapping: refused, nothing half-done. */
	mr = region(0, 0, 4096, ro);
	EXPECT_ERRNO(EFAULT, ioctl(self->vm, VMXLAB_SET_MEMORY_REGION, &mr));
	mr = region(0, 0, 0, NULL);
	EXPECT_ERRNO(ENOENT, ioctl(self->vm, VMXLAB_SET_MEMORY_REGION, &mr));
	munmap(ro, 4096);
}

TEST_F(vm, vcpu_errors)
{
	int v0, v1;

	EXPECT_ERRNO(EINVAL, ioctl(self->vm, VMXLAB_CREATE_VCPU, VMXLAB_MAX_VCPUS));
	EXPECT_ERRNO(EINVAL, ioctl(self->vm, VMXLAB_CREATE_VCPU, -1L));
	v0 = ioctl(self->vm, VMXLAB_CREATE_VCPU, 0);
	ASSERT_LE(0, v0);
	EXPECT_ERRNO(EEXIST, ioctl(self->vm, VMXLAB_CREATE_VCPU, 0));
	v1 = ioctl(self->vm, VMXLAB_CREATE_VCPU, 1);
	EXPECT_LE(0, v1);
	/* The id is free again once its fd is closed. */
	close(v0);
	v0 = ioctl(self->vm, VMXLAB_CREATE_VCPU, 0);
	EXPECT_LE(0, v0);
	close(v0);
	close(v1);
}

TEST_F(vm, vcpu_ioctl_errors)
{
	int v = ioctl(self->vm, VMXLAB_CREATE_VCPU, 0);
	struct vmxlab_regs r;
	struct vmxlab_sregs s;
	struct vmxlab_debug d = { 0 };
	void *p;

	ASSERT_LE(0, v);
	EXPECT_ERRNO(ENOTTY, ioctl(v, _IO(VMXLAB_IO, 0x7e), 0));
	EXPECT_ERRNO(EINVAL, ioctl(v, VMXLAB_RUN, 1));
	EXPECT_ERRNO(EFAULT, ioctl(v, VMXLAB_GET_REGS, (void *)8));
	EXPECT_ERRNO(EFAULT, ioctl(v, VMXLAB_SET_SREGS, (void *)8));

	ASSERT_EQ(0, ioctl(v, VMXLAB_GET_REGS, &r));
	r.rflags = 0;		/* bit 1 must be set */
	EXPECT_ERRNO(EINVAL, ioctl(v, VMXLAB_SET_REGS, &r));
	r.rflags = 2 | (1ULL << 40);
	EXPECT_ERRNO(EINVAL, ioctl(v, VMXLAB_SET_REGS, &r));

	ASSERT_EQ(0, ioctl(v, VMXLAB_GET_SREGS, &s));
	s.cs.reserved = 1;
	EXPECT_ERRNO(EINVAL, ioctl(v, VMXLAB_SET_SREGS, &s));
	ASSERT_EQ(0, ioctl(v, VMXLAB_GET_SREGS, &s));
	s.ds.ar |= 1 << 20;
	EXPECT_ERRNO(EINVAL, ioctl(v, VMXLAB_SET_SREGS, &s));
	ASSERT_EQ(0, ioctl(v, VMXLAB_GET_SREGS, &s));
	s.cr0 |= 0x80000000;	/* PG without PE */
	EXPECT_ERRNO(EINVAL, ioctl(v, VMXLAB_SET_SREGS, &s));
	ASSERT_EQ(0, ioctl(v, VMXLAB_GET_SREGS, &s));
	s.cr4 |= 1 << 13;	/* VMXE: not for guests */
	EXPECT_ERRNO(EINVAL, ioctl(v, VMXLAB_SET_SREGS, &s));
	ASSERT_EQ(0, ioctl(v, VMXLAB_GET_SREGS, &s));
	s.efer = 0x400;		/* LMA without LME and PG */
	EXPECT_ERRNO(EINVAL, ioctl(v, VMXLAB_SET_SREGS, &s));
	ASSERT_EQ(0, ioctl(v, VMXLAB_GET_SREGS, &s));
	s.cr8 = 16;
	EXPECT_ERRNO(EINVAL, ioctl(v, VMXLAB_SET_SREGS, &s));
	ASSERT_EQ(0, ioctl(v, VMXLAB_GET_SREGS, &s));
	s.apic_base &= ~(1ULL << 11);	/* x2APIC with the APIC disabled */
	s.apic_base |= 1 << 10;
	EXPECT_ERRNO(EINVAL, ioctl(v, VMXLAB_SET_SREGS, &s));
	ASSERT_EQ(0, ioctl(v, VMXLAB_GET_SREGS, &s));
	s.apic_base |= 1 << 9;		/* reserved */
	EXPECT_ERRNO(EINVAL, ioctl(v, VMXLAB_SET_SREGS, &s));
	/* The state is unchanged by the failed calls. */
	ASSERT_EQ(0, ioctl(v, VMXLAB_GET_SREGS, &s));
	EXPECT_EQ(0xf000, s.cs.selector);
	EXPECT_EQ(0, s.cr8);

	d.exception_bitmap = 1 << 2;	/* NMI */
	EXPECT_ERRNO(EINVAL, ioctl(v, VMXLAB_SET_DEBUG, &d));
	d.exception_bitmap = 1 << 18;	/* #MC */
	EXPECT_ERRNO(EINVAL, ioctl(v, VMXLAB_SET_DEBUG, &d));
	d.exception_bitmap = 0;
	d.flags = 1U << 31;	/* no such flag */
	EXPECT_ERRNO(EINVAL, ioctl(v, VMXLAB_SET_DEBUG, &d));
	d.flags = 0;
	d.reserved2[1] = 1;
	EXPECT_ERRNO(EINVAL, ioctl(v, VMXLAB_SET_DEBUG, &d));

	/* mmap: only the run page, at offset 0. */
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, v, 0);
	EXPECT_EQ(MAP_FAILED, p);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, v, 4096);
	EXPECT_EQ(MAP_FAILED, p);
	close(v);
}

TEST_F(vm, policy_errors)
{
	struct {
		struct vmxlab_cpuid c;
		struct vmxlab_cpuid_entry e[1];
	} c = { 0 };
	struct vmxlab_user_msrs m = { 0 };
	char *p;

	c.c.nent = VMXLAB_MAX_CPUID_ENTRIES + 1;
	EXPECT_ERRNO(E2BIG, ioctl(self->vm, VMXLAB_SET_CPUID, &c));
	c.c.nent = 1;
	c.c.reserved = 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->vm, VMXLAB_SET_CPUID, &c));
	c.c.reserved = 0;
	c.e[0].flags = 2;
	EXPECT_ERRNO(EINVAL, ioctl(self->vm, VMXLAB_SET_CPUID, &c));
	c.e[0].flags = 0;
	c.e[0].reserved = 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->vm, VMXLAB_SET_CPUID, &c));
	c.e[0].reserved = 0;
	EXPECT_EQ(0, ioctl(self->vm, VMXLAB_SET_CPUID, &c));
	/* nent entries running into an unmapped page. */
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	munmap(p + 4096, 4096);
	c.c.nent = 64;
	memcpy(p + 4096 - sizeof(c.c), &c.c, sizeof(c.c));
	EXPECT_ERRNO(EFAULT, ioctl(self->vm, VMXLAB_SET_CPUID,
				   p + 4096 - sizeof(c.c)));
	munmap(p, 4096);

	m.nmsrs = VMXLAB_MAX_USER_MSRS + 1;
	EXPECT_ERRNO(E2BIG, ioctl(self->vm, VMXLAB_SET_USER_MSRS, &m));
	m.nmsrs = 1;
	m.reserved = 3;
	EXPECT_ERRNO(EINVAL, ioctl(self->vm, VMXLAB_SET_USER_MSRS, &m));
	EXPECT_ERRNO(ENOTTY, ioctl(self->vm, _IO(VMXLAB_IO, 0x1f), 0));
}

TEST(run_from_other_process)
{
	struct tvm t;
	pid_t pid;
	int status;

	ASSERT_EQ(0, tvm_create(&t, 1 << 16));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* A forked child shares the fd, not the guest memory. */
		_exit(ioctl(t.vcpu, VMXLAB_RUN, 0) == -1 && errno == EIO ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	tvm_destroy(&t);
}

TEST_HARNESS_MAIN
