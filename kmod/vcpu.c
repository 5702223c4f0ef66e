// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu.c - a virtual CPU's file: creation, the ioctls (one table that
 * sends each to the file that implements it), the mmap of the run page
 * and the exit ring, and teardown.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/fpu/api.h>

#include "vmxlab.h"
#include "debugfs.h"
#include "events.h"
#include "lapic.h"
#include "msr.h"
#include "regs.h"
#include "ring.h"
#include "run.h"
#include "selfcheck.h"
#include "step.h"
#include "vcpu.h"
#include "vm.h"
#include "vmcs.h"
#include "vmx_ops.h"
#include "walk.h"

/* Guest-state fields a teaching lab may write: none can reach the host. */
static bool vmcs_field_writable(u32 enc)
{
	switch (enc) {
	case VMCS_GUEST_ES_SELECTOR ... VMCS_GUEST_TR_SELECTOR:
	case VMCS_GUEST_ES_LIMIT ... VMCS_GUEST_IDTR_LIMIT:
	case VMCS_GUEST_ES_AR_BYTES ... VMCS_GUEST_ACTIVITY_STATE:
	case VMCS_GUEST_SYSENTER_CS:
	case VMCS_GUEST_CR0 ... VMCS_GUEST_SYSENTER_EIP:
	case VMCS_GUEST_IA32_PAT:
	case VMCS_GUEST_IA32_EFER:
	case VMCS_GUEST_PDPTE0 ... VMCS_GUEST_PDPTE3:
		/* Only the full-width encodings (bit 0 = 0). */
		return !(enc & 1);
	default:
		return false;
	}
}

static int vcpu_vmcs_field(struct vmxlab_vcpu *vcpu,
			   struct vmxlab_vmcs_field *f, bool write)
{
	/* SDM 25.11.2: bits 31:15 of an encoding are reserved. */
	if (f->reserved || (f->encoding >> 15))
		return -EINVAL;
	if (!write)
		return vmcs_read_checked(f->encoding, &f->value) ? 0 : -ENOENT;
	if (!vmcs_field_writable(f->encoding))
		return -EPERM;
	/*
	 * CR4 bits whose state vmxlab does not switch (PKE: the host's
	 * PKRU; CET; ...) would reach the host: only the bits a guest may
	 * have anyway, and VMXE, whose absence makes entry fail.
	 */
	if (f->encoding == VMCS_GUEST_CR4 &&
	    (f->value & ~(u64)(VMXLAB_CR4_ALLOWED | X86_CR4_VMXE)))
		return -EPERM;
	if (!vmcs_write_checked(f->encoding, f->value))
		return -ENOENT;
	if (f->encoding == VMCS_GUEST_RIP) {
		vcpu->pending.kind = PENDING_NONE;
		vcpu->step.stopped_exit = false;
	}
	/* Raw, for labs that break fields; the breakpoints follow it. */
	if (f->encoding == VMCS_GUEST_DR7)
		vcpu_dr7_written(vcpu, f->value);
	return 0;
}

/* ---- the vCPU file --------------------------------------------------- */

union vcpu_ioctl_arg {
	struct vmxlab_interrupt irq;
	struct vmxlab_lapic_state lapic;
	struct vmxlab_regs regs;
	struct vmxlab_sregs sregs;
	struct vmxlab_debug debug;
	struct vmxlab_vmcs_field field;
	struct vmxlab_translation xlate;
	struct vmxlab_ring_config ring;
	struct vmxlab_entry_check check;
};

/* One adapter per ioctl: the argument is already in the kernel. */
static long ioc_get_regs(struct vmxlab_vcpu *vcpu, union vcpu_ioctl_arg *u,
			 unsigned long arg)
{
	vcpu_get_regs(vcpu, &u->regs);
	return 0;
}

static long ioc_set_regs(struct vmxlab_vcpu *vcpu, union vcpu_ioctl_arg *u,
			 unsigned long arg)
{
	return vcpu_set_regs(vcpu, &u->regs);
}

static long ioc_get_sregs(struct vmxlab_vcpu *vcpu, union vcpu_ioctl_arg *u,
			  unsigned long arg)
{
	vcpu_get_sregs(vcpu, &u->sregs);
	return 0;
}

static long ioc_set_sregs(struct vmxlab_vcpu *vcpu, union vcpu_ioctl_arg *u,
			  unsigned long arg)
{
	return vcpu_set_sregs(vcpu, &u->sregs);
}

static long ioc_set_debug(struct vmxlab_vcpu *vcpu, union vcpu_ioctl_arg *u,
			  unsigned long arg)
{
	return vcpu_set_debug(vcpu, &u->debug);
}

static long ioc_get_field(struct vmxlab_vcpu *vcpu, union vcpu_ioctl_arg *u,
			  unsigned long arg)
{
	return vcpu_vmcs_field(vcpu, &u->field, false);
}

static long ioc_set_field(struct vmxlab_vcpu *vcpu, union vcpu_ioctl_arg *u,
			  unsigned long arg)
{
	return vcpu_vmcs_field(vcpu, &u->field, true);
}

static long ioc_translate(struct vmxlab_vcpu *vcpu, union vcpu_ioctl_arg *u,
			  unsigned long arg)
{
	if (memchr_inv(u->xlate.reserved, 0, sizeof(u->xlate.reserved)))
		return -EINVAL;
	vcpu_translate(vcpu, &u->xlate);
	return 0;
}

static long ioc_set_ring(struct vmxlab_vcpu *vcpu, union vcpu_ioctl_arg *u,
			 unsigned long arg)
{
	return vmxlab_ring_set(vcpu, &u->ring);
}

static long ioc_check_entry(struct vmxlab_vcpu *vcpu, union vcpu_ioctl_arg *u,
			    unsigned long arg)
{
	return vcpu_explain(vcpu, &u->check);
}

static long ioc_interrupt(struct vmxlab_vcpu *vcpu, union vcpu_ioctl_arg *u,
			  unsigned long arg)
{
	return vcpu_queue_extint(vcpu, &u->irq);
}

static long ioc_get_lapic(struct vmxlab_vcpu *vcpu, union vcpu_ioctl_arg *u,
			  unsigned long arg)
{
	lapic_get_state(vcpu, &u->lapic);
	return 0;
}

static long ioc_set_lapic(struct vmxlab_vcpu *vcpu, union vcpu_ioctl_arg *u,
			  unsigned long arg)
{
	return lapic_set_state(vcpu, &u->lapic);
}

/*
 * Every vCPU ioctl but RUN, once.  VMCS: it runs with the VMCS current
 * on this CPU, preemption off (vcpu_access_begin()).  RECHECK: it changes
 * the guest state, so the self-check looks at the next entry again.
 */
#define IOC_VMCS	BIT(0)
#define IOC_RECHECK	BIT(1)

static const struct vcpu_ioctl_desc {
	unsigned int cmd;
	long (*fn)(struct vmxlab_vcpu *vcpu, union vcpu_ioctl_arg *u,
		   unsigned long arg);
	unsigned int flags;
} vcpu_ioctls[] = {
	{ VMXLAB_GET_REGS,	ioc_get_regs,	IOC_VMCS },
	{ VMXLAB_SET_REGS,	ioc_set_regs,	IOC_VMCS | IOC_RECHECK },
	{ VMXLAB_GET_SREGS,	ioc_get_sregs,	IOC_VMCS },
	{ VMXLAB_SET_SREGS,	ioc_set_sregs,	IOC_VMCS | IOC_RECHECK },
	{ VMXLAB_SET_DEBUG,	ioc_set_debug,	IOC_VMCS | IOC_RECHECK },
	{ VMXLAB_GET_VMCS_FIELD, ioc_get_field,	IOC_VMCS },
	{ VMXLAB_SET_VMCS_FIELD, ioc_set_field,	IOC_VMCS | IOC_RECHECK },
	{ VMXLAB_TRANSLATE,	ioc_translate,	IOC_VMCS },
	{ VMXLAB_SET_RING,	ioc_set_ring,	0 },
	/* It makes the VMCS current itself, after allocating. */
	{ VMXLAB_CHECK_ENTRY,	ioc_check_entry, 0 },
	{ VMXLAB_INTERRUPT,	ioc_interrupt,	0 },
	{ VMXLAB_GET_LAPIC,	ioc_get_lapic,	0 },
	{ VMXLAB_SET_LAPIC,	ioc_set_lapic,	0 },
};

static long vcpu_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct vmxlab_vcpu *vcpu = filp->private_data;
	void __user *argp = (void __user *)arg;
	const struct vcpu_ioctl_desc *d = NULL;
	unsigned int size = _IOC_SIZE(cmd), i;
	union vcpu_ioctl_arg *u;
	long r;

	/*
	 * RUN has no argument to copy and makes the VMCS current itself
	 * (run.c): the path of every exit to userspace, kept short.
	 */
	if (cmd == VMXLAB_RUN) {
		if (arg)
			return -EINVAL;
		if (mutex_lock_killable(&vcpu->mutex))
			return -EINTR;
		r = vcpu_run(vcpu);
		mutex_unlock(&vcpu->mutex);
		return r;
	}
	for (i = 0; i < ARRAY_SIZE(vcpu_ioctls); i++)
		if (vcpu_ioctls[i].cmd == cmd)
			d = &vcpu_ioctls[i];
	if (!d)
		return -ENOTTY;
	u = kzalloc(sizeof(*u), GFP_KERNEL);
	if (!u)
		return -ENOMEM;
	if ((_IOC_DIR(cmd) & _IOC_WRITE) && copy_from_user(u, argp, size)) {
		r = -EFAULT;
		goto out_free;
	}
	/* RUN and the register ioctls wait for each other (one at a time). */
	if (mutex_lock_killable(&vcpu->mutex)) {
		r = -EINTR;
		goto out_free;
	}
	if (d->flags & IOC_VMCS) {
		r = vcpu_access_begin(vcpu);
		if (r)
			goto out_unlock;
	}
	r = d->fn(vcpu, u, arg);
	if (!r && (d->flags & IOC_RECHECK))
		vcpu->check.recheck = true;
	if (d->flags & IOC_VMCS)
		vcpu_access_end(vcpu);
	if (!r && (_IOC_DIR(cmd) & _IOC_READ) && copy_to_user(argp, u, size))
		r = -EFAULT;
out_unlock:
	mutex_unlock(&vcpu->mutex);
out_free:
	kfree(u);
	return r;
}

static vm_fault_t vcpu_fault(struct vm_fault *vmf)
{
	struct vmxlab_vcpu *vcpu = vmf->vma->vm_file->private_data;
	struct page *page;

	if (vmf->pgoff != 0)
		return VM_FAULT_SIGBUS;
	page = virt_to_page(vcpu->run);
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct vcpu_vm_ops = {
	.fault = vcpu_fault,
};

/* Offset 0: the run page.  VMXLAB_RING_OFFSET: the exit ring. */
static int vcpu_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct vmxlab_vcpu *vcpu = filp->private_data;

	/*
	 * No vcpu->mutex here: mmap holds mmap_lock, and the ioctls take
	 * the mutex before faulting on user memory.  The ring is set once
	 * and lives as long as the vCPU, so a plain acquire is enough.
	 */
	if (vma->vm_pgoff == VMXLAB_RING_OFFSET >> PAGE_SHIFT)
		return vmxlab_ring_mmap(vcpu, vma);
	/* A private copy would hide what each side writes from the other. */
	if (vma->vm_pgoff != 0 || vma_pages(vma) != 1 ||
	    !(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	/*
	 * One page, exactly: no mremap() growing it, no merging with a
	 * neighbouring mapping of the same file (which would reach offsets
	 * without coming through here).
	 */
	vma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
	vma->vm_ops = &vcpu_vm_ops;
	return 0;
}

static void vcpu_free(struct vmxlab_vcpu *vcpu)
{
	struct vmxlab_vm *vm = vcpu->vm;

	mutex_lock(&vm->lock);
	if (vm->vcpus[vcpu->id] == vcpu)
		vm->vcpus[vcpu->id] = NULL;
	mutex_unlock(&vm->lock);
	lapic_destroy(vcpu);
	if (vcpu->fpu.fpstate)
		fpu_free_guest_fpstate(&vcpu->fpu);
	vmxlab_ring_free(vcpu);
	if (vcpu->run)
		free_page((unsigned long)vcpu->run);
	if (vcpu->vmcs)
		vmcs_free(vcpu->vmcs);
	/*
	 * Interrupt messages look vCPUs up without the lock (lapic.c) and
	 * touch only the struct itself: it goes after a grace period.
	 */
	kfree_rcu(vcpu, rcu);
	atomic_long_dec(&vmxlab_counters.vcpus);
	vmxlab_vm_put(vm);
}

static int vcpu_release(struct inode *inode, struct file *filp)
{
	vcpu_free(filp->private_data);
	return 0;
}

static const struct file_operations vcpu_fops = {
	.owner		= THIS_MODULE,
	.release	= vcpu_release,
	.unlocked_ioctl	= vcpu_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.mmap		= vcpu_mmap,
	.llseek		= noop_llseek,
};

int vmxlab_vcpu_create(struct vmxlab_vm *vm, unsigned long id)
{
	struct vmxlab_vcpu *vcpu;
	int r;

	if (id >= VMXLAB_MAX_VCPUS)
		return -EINVAL;
	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu)
		return -ENOMEM;
	vcpu->id = id;
	vcpu->vm = vm;
	mutex_init(&vcpu->mutex);
	init_waitqueue_head(&vcpu->wq);
	vcpu->guest_cpu = -1;
	vcpu->events.eoi_vector = -1;
	if (lapic_init(vcpu)) {
		kfree(vcpu);
		return -ENOMEM;
	}
	refcount_inc(&vm->refs);

	mutex_lock(&vm->lock);
	if (vm->vcpus[id]) {
		mutex_unlock(&vm->lock);
		lapic_destroy(vcpu);
		kfree(vcpu);
		vmxlab_vm_put(vm);
		return -EEXIST;
	}
	vm->vcpus[id] = vcpu;
	mutex_unlock(&vm->lock);
	atomic_long_inc(&vmxlab_counters.vcpus);

	r = -ENOMEM;
	vcpu->vmcs = vmcs_alloc();
	vcpu->run = (void *)get_zeroed_page(GFP_KERNEL_ACCOUNT);
	if (!vcpu->vmcs || !vcpu->run || !fpu_alloc_guest_fpstate(&vcpu->fpu))
		goto fail;
	/* XCR0 after RESET: x87 only (SDM 14.3). */
	vcpu->xcr0 = XFEATURE_MASK_FP;
	vcpu->check.recheck = true;
	vcpu_msrs_reset(vcpu);

	/* VMCLEAR initializes a new VMCS before first use (SDM 25.11.3). */
	preempt_disable();
	if (!vmcs_clear(__pa(vcpu->vmcs)) || !vmcs_ptrld(__pa(vcpu->vmcs))) {
		preempt_enable();
		r = -EIO;
		goto fail;
	}
	vmcs_setup(vcpu);
	vcpu_access_end(vcpu);

	r = anon_inode_getfd("vmxlab-vcpu", &vcpu_fops, vcpu,
			     O_RDWR | O_CLOEXEC);
	if (r < 0)
		goto fail;
	return r;
fail:
	vcpu_free(vcpu);
	return r;
}
