/* SPDX-License-Identifier: GPL-2.0 */
/*
 * backend.h - what the loader needs from a hypervisor.
 *
 * vmxlab's own uapi structures are the common language: a backend for
 * another hypervisor (backend-kvm.c) translates to and from them, so the
 * run loop, the devices and the trace never know which one runs the guest.
 * Every operation returns 0 or -1 after printing one sentence, except
 * run(), which returns 0 or -errno so that the caller can tell a signal
 * (-EINTR) from a failure.
 */
#ifndef VMXLAB_BACKEND_H
#define VMXLAB_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/vmxlab.h>

struct backend;

struct backend_ops {
	const char *name;
	/* Opens the device and creates a VM. */
	int (*create_vm)(struct backend *be);
	/* True when capability @cap (VMXLAB_CAP_*) is present. */
	bool (*has_cap)(struct backend *be, unsigned cap);
	int (*set_memory)(struct backend *be, uint32_t slot, uint64_t gpa,
			  uint64_t size, void *hva);
	int (*create_vcpu)(struct backend *be, unsigned id);
	int (*get_regs)(struct backend *be, struct vmxlab_regs *regs);
	int (*set_regs)(struct backend *be, const struct vmxlab_regs *regs);
	int (*get_sregs)(struct backend *be, struct vmxlab_sregs *sregs);
	int (*set_sregs)(struct backend *be,
			 const struct vmxlab_sregs *sregs);
	/* Runs until the next exit userspace must handle. */
	int (*run)(struct backend *be);
	/* The run structure of the vCPU: why run() returned. */
	struct vmxlab_run *(*run_struct)(struct backend *be);
	/*
	 * Makes the current or the next run() return -EINTR soon.  Called
	 * from signal handlers, so it only stores to memory.
	 */
	void (*kick)(struct backend *be);
	void (*destroy)(struct backend *be);
};

struct backend {
	const struct backend_ops *ops;
	const char *device;	/* path of the device node */
	void *priv;
};

extern const struct backend_ops backend_vmxlab_ops;
extern const struct backend_ops backend_kvm_ops;

/* "vmxlab" or "kvm"; NULL for an unknown name. */
const struct backend_ops *backend_find(const char *name);

#endif /* VMXLAB_BACKEND_H */
