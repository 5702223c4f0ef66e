// SPDX-License-Identifier: GPL-2.0
/*
 * vm.c - a VM's file: its CPUID and MSR policy, its memory slots
 * (memory.c), its vCPUs (vcpu.c), and its life from VMXLAB_CREATE_VM to
 * the last reference.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vmxlab.h"
#include "apic_bus.h"
#include "cpuid.h"
#include "debugfs.h"
#include "ept.h"
#include "memory.h"
#include "vcpu.h"
#include "vm.h"
#include "vmx.h"

static const struct file_operations vm_fops;

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

/* An interrupt message from the loader's IOAPIC (or any device model). */
static long vm_signal_msi(struct vmxlab_vm *vm, void __user *argp)
{
	struct vmxlab_msi msi;

	if (copy_from_user(&msi, argp, sizeof(msi)))
		return -EFAULT;
	return apic_bus_msi(vm, &msi);
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
	case VMXLAB_SIGNAL_MSI:
		return vm_signal_msi(vm, argp);
	default:
		return -ENOTTY;
	}
}

static void vm_free(struct vmxlab_vm *vm)
{
	vmxlab_debugfs_vm_remove(vm);
	/* Translations tagged with this EPTP must not outlive its tables. */
	if (vm->ept.root)
		vmx_invept_all_cpus(vm->ept.eptp);
	vm_memory_free(vm);
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
	r = anon_inode_getfd("vmxlab-vm", &vm_fops, vm, O_RDWR | O_CLOEXEC);
	if (r < 0)
		goto fail;
	return r;
fail:
	vm_free(vm);
	return r;
}
