// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - where vmxlab starts.
 *
 * Loading checks that this processor can run vmxlab (vmx.c) and then
 * offers /dev/vmxlab.  VMX operation itself is turned on only when the
 * first VM is created, so a loaded but idle vmxlab leaves VMX free for
 * another hypervisor.  Documentation/tour.rst follows a VM from here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>

#include "vmxlab.h"
#include "chardev.h"
#include "debugfs.h"
#include "vmx.h"

static int __init vmxlab_init(void)
{
	int r;

	r = vmx_check_features();
	if (r)
		return r;
	r = vmx_init();
	if (r)
		return r;
	vmxlab_debugfs_init();
	r = vmxlab_chardev_init();
	if (r) {
		pr_err("cannot register /dev/vmxlab (error %d)\n", r);
		vmxlab_debugfs_exit();
		vmx_exit();
		return r;
	}
	pr_info("ready: /dev/vmxlab (VMCS revision %#x)\n", vmx_caps.revision_id);
	return 0;
}

static void __exit vmxlab_exit(void)
{
	vmxlab_chardev_exit();
	vmxlab_debugfs_exit();
	vmx_exit();
}

module_init(vmxlab_init);
module_exit(vmxlab_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmxlab: a teaching hypervisor for Intel VMX");
