// SPDX-License-Identifier: GPL-2.0
/*
 * vm.c - a VM: its guest memory, its CPUID and MSR policy, its vCPUs.
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
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/io.h>

#include "vmxlab.h"

static const struct file_operations vm_fops;

struct vmxlab_slot *vm_find_slot(struct vmxlab_vm *vm, u64 gpa)
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

static int vm_set_memory_region(struct vmxlab_vm *vm, void __user *argp)
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

/* Replace the policy under the VM lock; @edit changes a private copy. */
static int vm_policy_update(struct vmxlab_vm *vm,
			    void (*edit)(struct vmxlab_policy *p, const void *arg),
			    const void *arg)
{
	struct vmxlab_policy *old, *next;

	next = kmalloc(sizeof(*next), GFP_KERNEL_ACCOUNT);
	if (!next)
		return -ENOMEM;
	mutex_lock(&vm->lock);
	old = rcu_dereference_protected(vm->policy, lockdep_is_held(&vm->lock));
	*next = *old;
	edit(next, arg);
	rcu_assign_pointer(vm->policy, next);
	mutex_unlock(&vm->lock);
	kfree_rcu(old, rcu);
	return 0;
}

struct cpuid_arg {
	u32 nent;
	struct vmxlab_cpuid_entry *e;
};

static void edit_cpuid(struct vmxlab_policy *p, const void *arg)
{
	const struct cpuid_arg *a = arg;

	p->ncpuid = a->nent;
	memcpy(p->cpuid, a->e, a->nent * sizeof(*a->e));
}

static int vm_set_cpuid(struct vmxlab_vm *vm, void __user *argp)
{
	struct vmxlab_cpuid hdr;
	struct cpuid_arg a;
	u32 i;
	int r;

	if (copy_from_user(&hdr, argp, sizeof(hdr)))
		return -EFAULT;
	if (hdr.reserved)
		return -EINVAL;
	if (hdr.nent > VMXLAB_MAX_CPUID_ENTRIES)
		return -E2BIG;
	a.nent = hdr.nent;
	a.e = memdup_user(argp + sizeof(hdr), hdr.nent * sizeof(*a.e));
	if (IS_ERR(a.e))
		return PTR_ERR(a.e);
	for (i = 0; i < hdr.nent; i++) {
		if ((a.e[i].flags & ~VMXLAB_CPUID_ANY_INDEX) || a.e[i].reserved) {
			kfree(a.e);
			return -EINVAL;
		}
	}
	r = vm_policy_update(vm, edit_cpuid, &a);
	kfree(a.e);
	return r;
}

static void edit_msrs(struct vmxlab_policy *p, const void *arg)
{
	const struct vmxlab_user_msrs *m = arg;

	p->nmsrs = m->nmsrs;
	memcpy(p->user_msrs, m->indices, sizeof(p->user_msrs));
}

static int vm_set_user_msrs(struct vmxlab_vm *vm, void __user *argp)
{
	struct vmxlab_user_msrs m;

	if (copy_from_user(&m, argp, sizeof(m)))
		return -EFAULT;
	if (m.reserved)
		return -EINVAL;
	if (m.nmsrs > VMXLAB_MAX_USER_MSRS)
		return -E2BIG;
	return vm_policy_update(vm, edit_msrs, &m);
}

static long vm_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct vmxlab_vm *vm = filp->private_data;
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case VMXLAB_SET_MEMORY_REGION:
		return vm_set_memory_region(vm, argp);
	case VMXLAB_CREATE_VCPU:
		return vmxlab_vcpu_create(vm, arg);
	case VMXLAB_SET_CPUID:
		return vm_set_cpuid(vm, argp);
	case VMXLAB_SET_USER_MSRS:
		return vm_set_user_msrs(vm, argp);
	default:
		return -ENOTTY;
	}
}

static void vm_free(struct vmxlab_vm *vm)
{
	struct vmxlab_slots *slots = rcu_dereference_protected(vm->slots, 1);
	u32 i;

	vmxlab_debugfs_vm_remove(vm);
	/* Translations tagged with this EPTP must not outlive its tables. */
	if (vm->ept.root)
		vmx_invept_all_cpus(vm->ept.eptp);
	if (slots) {
		for (i = 0; i < slots->count; i++)
			slot_unpin(vm, slots->slot[i]);
		kfree(slots);
	}
	ept_destroy(&vm->ept);
	kfree(rcu_dereference_protected(vm->policy, 1));
	if (vm->mm)
		mmdrop(vm->mm);
	kfree(vm);
	atomic_long_dec(&vmxlab_counters.vms);
	vmx_put();
}

void vmxlab_vm_put(struct vmxlab_vm *vm)
{
	if (refcount_dec_and_test(&vm->refs))
		vm_free(vm);
}

static int vm_release(struct inode *inode, struct file *filp)
{
	vmxlab_vm_put(filp->private_data);
	return 0;
}

static const struct file_operations vm_fops = {
	.owner		= THIS_MODULE,
	.release	= vm_release,
	.unlocked_ioctl	= vm_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

int vmxlab_vm_create(void)
{
	struct vmxlab_vm *vm;
	struct vmxlab_slots *slots;
	struct vmxlab_policy *policy;
	int r;

	r = vmx_get();
	if (r)
		return r;
	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm) {
		vmx_put();
		return -ENOMEM;
	}
	atomic_long_inc(&vmxlab_counters.vms);
	mutex_init(&vm->lock);
	refcount_set(&vm->refs, 1);
	vm->mm = current->mm;
	mmgrab(vm->mm);
	slots = kzalloc(sizeof(*slots), GFP_KERNEL_ACCOUNT);
	policy = kzalloc(sizeof(*policy), GFP_KERNEL_ACCOUNT);
	RCU_INIT_POINTER(vm->slots, slots);
	RCU_INIT_POINTER(vm->policy, policy);
	r = -ENOMEM;
	if (!slots || !policy)
		goto fail;
	r = ept_init(&vm->ept);
	if (r)
		goto fail;
	vmxlab_debugfs_vm_add(vm);
	r = vmxlab_anon_fd("vmxlab-vm", &vm_fops, vm);
	if (r < 0)
		goto fail;
	return r;
fail:
	vm_free(vm);
	return r;
}
