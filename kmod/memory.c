// SPDX-License-Identifier: GPL-2.0
/*
 * memory.c - a VM's guest memory: slots of the creating process's memory,
 * pinned and mapped in the EPT (ept.c), and reads of guest-physical
 * memory for the exit handlers and the page walker.
 *
 * Guest memory is ordinary memory of the process that created the VM.  A
 * memory slot pins those pages for as long as the slot exists (so they
 * cannot move while EPT points at them) and counts them against the
 * process's RLIMIT_MEMLOCK; the pages stay charged to the process's memory
 * cgroup and every table vmxlab allocates for the VM is charged there too
 * (GFP_KERNEL_ACCOUNT).
 *
 * Exit handlers look slots up without taking the VM lock: the slot list is
 * replaced as a whole and published with RCU, and a removed slot's pages
 * are unpinned only after every reader is done.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/io.h>

#include "vmxlab.h"
#include "debugfs.h"
#include "ept.h"
#include "memory.h"
#include "vmx.h"

static struct vmxlab_slot *vm_find_slot(struct vmxlab_vm *vm, u64 gpa)
{
	struct vmxlab_slots *slots = rcu_dereference_sched(vm->slots);
	u32 i;

	for (i = 0; i < slots->count; i++) {
		struct vmxlab_slot *s = slots->slot[i];

		if (gpa >= s->gpa && gpa - s->gpa < s->size)
			return s;
	}
	return NULL;
}

/* Copy guest-physical memory; -EFAULT where no slot backs it. */
int vm_read_gpa(struct vmxlab_vm *vm, u64 gpa, void *buf, unsigned int len)
{
	u8 *out = buf;

	while (len) {
		struct vmxlab_slot *s = vm_find_slot(vm, gpa);
		unsigned int off = offset_in_page(gpa);
		unsigned int n = min_t(unsigned int, len, PAGE_SIZE - off);
		void *p;

		if (!s)
			return -EFAULT;
		p = kmap_local_page(s->pages[(gpa - s->gpa) >> PAGE_SHIFT]);
		memcpy(out, p + off, n);
		kunmap_local(p);
		out += n;
		gpa += n;
		len -= n;
	}
	return 0;
}

static void slot_unpin(struct vmxlab_vm *vm, struct vmxlab_slot *s)
{
	unpin_user_pages_dirty_lock(s->pages, s->npages, true);
	account_locked_vm(vm->mm, s->npages, false);
	vm->pinned_pages -= s->npages;
	atomic_long_sub(s->npages, &vmxlab_counters.pinned_pages);
	kvfree(s->pages);
	kfree(s);
}

static void slot_unmap(struct vmxlab_vm *vm, struct vmxlab_slot *s)
{
	unsigned long i;

	for (i = 0; i < s->npages; i++)
		ept_unmap(&vm->ept, s->gpa + i * PAGE_SIZE);
}

static int slot_map(struct vmxlab_vm *vm, struct vmxlab_slot *s)
{
	bool writable = !(s->flags & VMXLAB_MEM_READONLY);
	unsigned long i;
	int r;

	for (i = 0; i < s->npages; i++) {
		r = ept_map(&vm->ept, s->gpa + i * PAGE_SIZE,
			    page_to_phys(s->pages[i]), writable);
		if (r) {
			while (i--)
				ept_unmap(&vm->ept, s->gpa + i * PAGE_SIZE);
			return r;
		}
	}
	return 0;
}

/*
 * Pin the userspace pages of a new slot.  The size comes from userspace,
 * so nothing of that size is allocated before the limits say yes: first
 * RLIMIT_MEMLOCK (account_locked_vm), then RAM itself (no one can pin more
 * pages than the machine has, CAP_IPC_LOCK or not).  The page array may
 * still be big: it may fail quietly, and must not wake the OOM killer.
 */
static struct vmxlab_slot *slot_pin(struct vmxlab_vm *vm,
				    const struct vmxlab_memory_region *mr)
{
	unsigned long npages = mr->memory_size >> PAGE_SHIFT;
	struct vmxlab_slot *s;
	unsigned long done = 0;
	int r;

	if (npages > totalram_pages()) {
		pr_info_ratelimited("a slot of %lu pages is larger than this machine's memory\n",
				    npages);
		return ERR_PTR(-ENOMEM);
	}
	r = account_locked_vm(vm->mm, npages, true);
	if (r) {
		pr_info_ratelimited("pinning %lu pages of guest memory exceeds RLIMIT_MEMLOCK; raise it (ulimit -l)\n",
				    npages);
		return ERR_PTR(r);
	}
	r = -ENOMEM;
	s = kzalloc(sizeof(*s), GFP_KERNEL_ACCOUNT);
	if (!s)
		goto fail_unaccount;
	s->id = mr->slot;
	s->flags = mr->flags;
	s->gpa = mr->guest_phys_addr;
	s->size = mr->memory_size;
	s->uaddr = mr->userspace_addr;
	s->npages = npages;
	s->pages = kvcalloc(npages, sizeof(*s->pages),
			    GFP_KERNEL_ACCOUNT | __GFP_NOWARN | __GFP_RETRY_MAYFAIL);
	if (!s->pages)
		goto fail_free;
	/*
	 * FOLL_LONGTERM: the pin lasts as long as the slot, so the pages
	 * must not sit in a movable zone or CMA (Documentation/core-api/
	 * pin_user_pages.rst, case 2).  A big slot takes a while: let a
	 * kill -9 through, and let others run.
	 */
	while (done < npages) {
		unsigned long n = min_t(unsigned long, npages - done, 512);

		if (fatal_signal_pending(current)) {
			r = -EINTR;
			goto fail_unpin;
		}
		r = pin_user_pages_fast(s->uaddr + done * PAGE_SIZE, n,
					FOLL_WRITE | FOLL_LONGTERM,
					s->pages + done);
		if (r <= 0) {
			r = r == -ENOMEM ? -ENOMEM : -EFAULT;
			goto fail_unpin;
		}
		done += r;
		cond_resched();
	}
	vm->pinned_pages += npages;
	atomic_long_add(npages, &vmxlab_counters.pinned_pages);
	return s;

fail_unpin:
	unpin_user_pages(s->pages, done);
fail_free:
	kvfree(s->pages);
	kfree(s);
fail_unaccount:
	account_locked_vm(vm->mm, npages, false);
	return ERR_PTR(r);
}

static bool overlaps(const struct vmxlab_slot *s, u64 gpa, u64 size)
{
	return gpa < s->gpa + s->size && s->gpa < gpa + size;
}

/*
 * Publish @next as the slot list.  When a slot goes away (@wait), wait
 * until no exit handler can still be reading its pages before the caller
 * unpins them; otherwise the old list is simply freed after a grace
 * period, and adding memory does not wait at all.
 */
static void slots_publish(struct vmxlab_vm *vm, struct vmxlab_slots *next,
			  bool wait)
{
	struct vmxlab_slots *old = rcu_dereference_protected(vm->slots,
						lockdep_is_held(&vm->lock));

	rcu_assign_pointer(vm->slots, next);
	if (wait) {
		synchronize_rcu();
		kfree(old);
	} else {
		kfree_rcu(old, rcu);
	}
}

int vm_set_memory_region(struct vmxlab_vm *vm, void __user *argp)
{
	struct vmxlab_memory_region mr;
	struct vmxlab_slots *cur, *next;
	struct vmxlab_slot *old = NULL, *s = NULL;
	u32 i;
	int r;

	if (copy_from_user(&mr, argp, sizeof(mr)))
		return -EFAULT;
	if (mr.slot >= VMXLAB_MAX_MEM_SLOTS || (mr.flags & ~VMXLAB_MEM_FLAGS_ALL))
		return -EINVAL;
	if (!PAGE_ALIGNED(mr.guest_phys_addr) || !PAGE_ALIGNED(mr.memory_size) ||
	    !PAGE_ALIGNED(mr.userspace_addr))
		return -EINVAL;
	if (mr.memory_size > VMXLAB_MAX_GPA ||
	    mr.guest_phys_addr > VMXLAB_MAX_GPA - mr.memory_size)
		return -E2BIG;
	if (mr.memory_size &&
	    !access_ok((void __user *)(unsigned long)mr.userspace_addr,
		       mr.memory_size))
		return -EFAULT;
	if (current->mm != vm->mm)
		return -EIO;

	mutex_lock(&vm->lock);
	cur = rcu_dereference_protected(vm->slots, lockdep_is_held(&vm->lock));
	for (i = 0; i < cur->count; i++) {
		if (cur->slot[i]->id == mr.slot) {
			old = cur->slot[i];
		} else if (mr.memory_size &&
			   overlaps(cur->slot[i], mr.guest_phys_addr,
				    mr.memory_size)) {
			r = -EEXIST;
			goto out;
		}
	}
	if (!old && !mr.memory_size) {
		r = -ENOENT;
		goto out;
	}

	next = kzalloc(sizeof(*next), GFP_KERNEL_ACCOUNT);
	if (!next) {
		r = -ENOMEM;
		goto out;
	}
	if (mr.memory_size) {
		s = slot_pin(vm, &mr);
		if (IS_ERR(s)) {
			kfree(next);
			r = PTR_ERR(s);
			goto out;
		}
	}
	/* Take the old mapping away first: the new slot may overlap it. */
	if (old) {
		slot_unmap(vm, old);
		vmx_invept_all_cpus(vm->ept.eptp);
	}
	if (s) {
		r = slot_map(vm, s);
		if (r) {
			/* Put things back as they were. */
			if (old && slot_map(vm, old))
				pr_err("could not restore a memory slot after running out of memory\n");
			slot_unpin(vm, s);
			kfree(next);
			goto out;
		}
	}
	for (i = 0; i < cur->count; i++)
		if (cur->slot[i] != old)
			next->slot[next->count++] = cur->slot[i];
	if (s)
		next->slot[next->count++] = s;
	slots_publish(vm, next, old);
	if (old)
		slot_unpin(vm, old);
	r = 0;
out:
	mutex_unlock(&vm->lock);
	return r;
}

/* The VM is going: every slot's pages go back to the process. */
void vm_memory_free(struct vmxlab_vm *vm)
{
	struct vmxlab_slots *slots = rcu_dereference_protected(vm->slots, 1);
	u32 i;

	if (!slots)
		return;
	for (i = 0; i < slots->count; i++)
		slot_unpin(vm, slots->slot[i]);
	kfree(slots);
}
