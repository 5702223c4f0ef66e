// SPDX-License-Identifier: GPL-2.0
/*
 * lab08_test.c - lab 08, EPT write protection and dirty tracking
 * (Documentation/labs/08-dirty-tracking.rst).
 *
 * What a solved vmxlab does: a memory slot created with the flag
 * VMXLAB_MEM_LOG_DIRTY (bit 1) is mapped in EPT without write permission.
 * The first guest write to each of its pages is an EPT violation that
 * vmxlab handles in the kernel, without returning from RUN: it records
 * the page in the slot's dirty bitmap, gives the page its write
 * permission back and re-enters the guest, which completes the write.
 * The VM ioctl VMXLAB_GET_DIRTY_LOG copies the bitmap of one slot out
 * (bit n of byte n / 8: the slot's page n was written), clears it, and
 * write-protects the reported pages again.  LOG_DIRTY together with
 * READONLY is EINVAL, and so is GET_DIRTY_LOG on a slot without the
 * flag; an unknown slot is ENOENT.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <kselftest_harness.h>

#include "lib/vmxlab_test.h"

/* The lab's additions to uapi/linux/vmxlab.h, for the pristine tree. */
#ifndef VMXLAB_MEM_LOG_DIRTY
#define VMXLAB_MEM_LOG_DIRTY	(1U << 1)
struct vmxlab_dirty_log {
	__u32 slot;
	__u32 reserved;
	__u64 bitmap;		/* user pointer: one bit per page of the slot */
};
#define VMXLAB_GET_DIRTY_LOG	_IOW(VMXLAB_IO, 0x14, struct vmxlab_dirty_log)
#endif

#define EXIT_EPT_VIOLATION	48	/* SDM Vol. 3C, Appendix C */
#define MEM_SIZE		(4 << 20)
#define NPAGES			(MEM_SIZE >> 12)

FIXTURE(vm) {
	struct tvm t;
};

FIXTURE_SETUP(vm)
{
	ASSERT_EQ(0, tvm_create(&self->t, MEM_SIZE));
}

FIXTURE_TEARDOWN(vm)
{
	tvm_destroy(&self->t);
}

static int set_slot0(struct tvm *t, uint32_t flags)
{
	struct vmxlab_memory_region mr = {
		.slot = 0, .flags = flags, .guest_phys_addr = 0,
		.memory_size = t->mem_size,
		.userspace_addr = (uintptr_t)t->mem,
	};

	return ioctl(t->vm, VMXLAB_SET_MEMORY_REGION, &mr) ? -errno : 0;
}

static int get_log(struct tvm *t, uint32_t slot, uint8_t *bitmap)
{
	struct vmxlab_dirty_log l = {
		.slot = slot, .bitmap = (uintptr_t)bitmap,
	};

	memset(bitmap, 0xa5, NPAGES / 8);
	return ioctl(t->vm, VMXLAB_GET_DIRTY_LOG, &l) ? -errno : 0;
}

/* The pages whose bits are set, as a string ("0x20 0x25"). */
static const char *dirty_pages(const uint8_t *bitmap, char *buf, size_t len)
{
	size_t pos = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < NPAGES && pos < len; i++)
		if (bitmap[i / 8] & (1 << (i % 8)))
			pos += snprintf(buf + pos, len - pos, "%s%#x",
					pos ? " " : "", i);
	return buf;
}

/*
 * Real mode, data segment at 0x20000: write pages 0x20 and 0x25, read
 * page 0x28, OUT to port 0x10; write page 0x25 again, OUT; write page
 * 0x20's neighbour 0x21, HLT.  No stack, so no other page is written.
 */
GUEST_CODE(writer,
	".code16\n"
	"mov $0x2000, %ax\n"
	"mov %ax, %ds\n"
	"movw $0x1111, 0x0010\n"		/* page 0x20 */
	"movw $0x2222, 0x5020\n"		/* page 0x25 */
	"mov 0x8000, %bx\n"			/* page 0x28, read */
	"out %al, $0x10\n"
	"movw $0x3333, 0x5030\n"		/* page 0x25 again */
	"out %al, $0x10\n"
	"movw $0x4444, 0x1000\n"		/* page 0x21 */
	"hlt\n");

TEST_F(vm, writes_are_logged_per_interval)
{
	struct tvm *t = &self->t;
	uint8_t bitmap[NPAGES / 8];
	char buf[256];

	ASSERT_EQ(0, set_slot0(t, VMXLAB_MEM_LOG_DIRTY));
	tvm_load_code(t, GUEST_ENTRY, GUEST(writer));
	ASSERT_EQ(0, tvm_set_real(t, GUEST_ENTRY));
	/* Nothing is dirty before the guest runs. */
	ASSERT_EQ(0, get_log(t, 0, bitmap));
	EXPECT_STREQ("", dirty_pages(bitmap, buf, sizeof(buf)));

	/* Writes are handled in the kernel: the first exit is the OUT. */
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_IO);
	ASSERT_EQ(0, get_log(t, 0, bitmap));
	EXPECT_STREQ("0x20 0x25", dirty_pages(bitmap, buf, sizeof(buf)));
	/* ... and they happened. */
	EXPECT_EQ(0x1111, *(uint16_t *)(t->mem + 0x20010));
	EXPECT_EQ(0x2222, *(uint16_t *)(t->mem + 0x25020));

	/* Reported pages are write-protected again: 0x25 is caught again. */
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_IO);
	ASSERT_EQ(0, get_log(t, 0, bitmap));
	EXPECT_STREQ("0x25", dirty_pages(bitmap, buf, sizeof(buf)));
	EXPECT_EQ(0x3333, *(uint16_t *)(t->mem + 0x25030));

	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	ASSERT_EQ(0, get_log(t, 0, bitmap));
	EXPECT_STREQ("0x21", dirty_pages(bitmap, buf, sizeof(buf)));
	EXPECT_EQ(0x4444, *(uint16_t *)(t->mem + 0x21000));
}

/*
 * The trap itself: stopped at its exits, the first write to page 0x20 is
 * an EPT violation on a present, readable, not writable page (exit
 * qualification bits 1, 3 and not 4: SDM Table 28-7), and so is the
 * write to page 0x25; the second write to page 0x25 is not.
 */
TEST_F(vm, the_first_write_to_a_page_is_an_ept_violation)
{
	struct tvm *t = &self->t;
	struct vmxlab_debug d = { .flags = VMXLAB_DEBUG_STOP_EXITS };

	ASSERT_EQ(0, set_slot0(t, VMXLAB_MEM_LOG_DIRTY));
	d.stop_reasons[0] = 1ULL << EXIT_EPT_VIOLATION;
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_SET_DEBUG, &d));
	tvm_load_code(t, GUEST_ENTRY, GUEST(writer));
	ASSERT_EQ(0, tvm_set_real(t, GUEST_ENTRY));

	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_STOP);
	EXPECT_EQ(EXIT_EPT_VIOLATION, t->run->hw_exit_reason);
	EXPECT_EQ(0x20010, t->run->guest_phys_addr);
	EXPECT_EQ(0x0a, t->run->exit_qualification & 0x1f);
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_STOP);
	EXPECT_EQ(0x25020, t->run->guest_phys_addr);
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_IO);
	/* Not reported yet: page 0x25 is still writable. */
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_IO);
	EXPECT_EQ(0x3333, *(uint16_t *)(t->mem + 0x25030));
}

TEST_F(vm, the_interface_refuses_nonsense)
{
	struct tvm *t = &self->t;
	uint8_t bitmap[NPAGES / 8];

	EXPECT_EQ(-EINVAL, set_slot0(t, VMXLAB_MEM_LOG_DIRTY | VMXLAB_MEM_READONLY));
	/* Slot 0 without the flag has no log. */
	EXPECT_EQ(-EINVAL, get_log(t, 0, bitmap));
	EXPECT_EQ(-ENOENT, get_log(t, 5, bitmap));
	ASSERT_EQ(0, set_slot0(t, VMXLAB_MEM_LOG_DIRTY));
	EXPECT_EQ(0, get_log(t, 0, bitmap));
}

TEST_HARNESS_MAIN
