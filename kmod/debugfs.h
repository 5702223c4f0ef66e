/* SPDX-License-Identifier: GPL-2.0 */
/* debugfs.h - what debugfs.c exports: the module's counters and /sys/kernel/debug/vmxlab. */
#ifndef VMXLAB_DEBUGFS_H
#define VMXLAB_DEBUGFS_H

#include <linux/atomic.h>

struct vmxlab_vm;

/*
 * What the module holds, all VMs together, for leak checks: each counter
 * goes back to 0 when the last VM is gone (debugfs "memory").
 */
struct vmxlab_counters {
	atomic_long_t vms, vcpus;
	atomic_long_t pinned_pages, ept_pages, ring_bytes;
	/* The explainer's self-check (selfcheck.c, parameter selfcheck). */
	atomic_long_t check_runs, check_false_alarms, check_gaps;
	/* Fast-path stretches that ran to the end of their slice (run.c). */
	atomic_long_t slice_ends;
};

extern struct vmxlab_counters vmxlab_counters;

void vmxlab_debugfs_init(void);
void vmxlab_debugfs_exit(void);
void vmxlab_debugfs_vm_add(struct vmxlab_vm *vm);
void vmxlab_debugfs_vm_remove(struct vmxlab_vm *vm);

#endif /* VMXLAB_DEBUGFS_H */
