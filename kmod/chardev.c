// SPDX-License-Identifier: GPL-2.0
/*
 * chardev.c - /dev/vmxlab, the system fd.
 *
 * It answers what this vmxlab can do and creates VMs; everything else
 * happens on the VM and vCPU fds it hands out.  Those are anonymous-inode
 * files whose file_operations name this module as owner, so the module
 * cannot be unloaded while any of them is open.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/fs.h>

#include "vmxlab.h"
#include "checks.h"
#include "chardev.h"
#include "vm.h"
#include "vmx.h"
#include "vmx_bits.h"

static long check_cap(unsigned long cap)
{
	switch (cap) {
	case VMXLAB_CAP_MAX_VCPUS:
		return VMXLAB_MAX_VCPUS;
	case VMXLAB_CAP_MAX_MEM_SLOTS:
		return VMXLAB_MAX_MEM_SLOTS;
	case VMXLAB_CAP_USER_CPUID:
	case VMXLAB_CAP_USER_MSRS:
	case VMXLAB_CAP_UNRESTRICTED_GUEST:
	case VMXLAB_CAP_READONLY_MEM:
		return 1;
	case VMXLAB_CAP_MAX_GPA_BITS:
		return 39;
	case VMXLAB_CAP_MAX_CPUID_ENTRIES:
		return VMXLAB_MAX_CPUID_ENTRIES;
	case VMXLAB_CAP_MAX_USER_MSRS:
		return VMXLAB_MAX_USER_MSRS;
	case VMXLAB_CAP_EXIT_RING:
		return VMXLAB_MAX_RING_RECORDS;
	case VMXLAB_CAP_DEBUG:
		return VMXLAB_DEBUG_FLAGS_ALL;
	case VMXLAB_CAP_ENTRY_CHECK:
		/* Rule numbers run from 1 to this value - 1 (vmxlab_checks.h). */
		return VMXLAB_CHECK_COUNT;
	case VMXLAB_CAP_IRQCHIP:
		return VMXLAB_IRQCHIP_LAPIC | VMXLAB_IRQCHIP_TSC_DEADLINE |
		       (vmx_caps.proc & PROC_TPR_SHADOW ?
			VMXLAB_IRQCHIP_TPR_SHADOW : 0);
	default:
		return 0;
	}
}

static long vmxlab_dev_ioctl(struct file *filp, unsigned int cmd,
			     unsigned long arg)
{
	switch (cmd) {
	case VMXLAB_GET_API_VERSION:
		return arg ? -EINVAL : VMXLAB_API_VERSION;
	case VMXLAB_CREATE_VM:
		return arg ? -EINVAL : vmxlab_vm_create();
	case VMXLAB_CHECK_CAP:
		return check_cap(arg);
	case VMXLAB_GET_VCPU_MMAP_SIZE:
		return arg ? -EINVAL : PAGE_SIZE;
	default:
		return -ENOTTY;
	}
}

static const struct file_operations vmxlab_dev_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= vmxlab_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice vmxlab_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= VMXLAB_NAME,
	.fops	= &vmxlab_dev_fops,
	.mode	= 0660,
};

int vmxlab_chardev_init(void)
{
	return misc_register(&vmxlab_dev);
}

void vmxlab_chardev_exit(void)
{
	misc_deregister(&vmxlab_dev);
}
