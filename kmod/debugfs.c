// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.c - /sys/kernel/debug/vmxlab: one directory per VM, named
 * <pid>-<n>, with the exit counts of its vCPUs by exit reason, their
 * interrupts, and the memory the VM holds.  For looking, not for programs: the exit ring and
 * the trace are the interfaces.
 */
#include <linux/kernel.h>
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#include "vmxlab.h"
#include "debugfs.h"
#include "generated/vmxlab_names.h"

struct vmxlab_counters vmxlab_counters;

static struct dentry *vmxlab_debugfs_root;
static atomic_t vm_serial = ATOMIC_INIT(0);

static int exits_show(struct seq_file *m, void *unused)
{
	struct vmxlab_vm *vm = m->private;
	u64 total[VMX_EXIT_MAX] = { 0 }, failures = 0;
	int i, r;

	mutex_lock(&vm->lock);
	for (i = 0; i < VMXLAB_MAX_VCPUS; i++) {
		struct vmxlab_vcpu *vcpu = vm->vcpus[i];

		if (!vcpu)
			continue;
		for (r = 0; r < VMX_EXIT_MAX; r++)
			total[r] += READ_ONCE(vcpu->stats.exits[r]);
		failures += READ_ONCE(vcpu->stats.entry_failures);
	}
	mutex_unlock(&vm->lock);
	for (r = 0; r < VMX_EXIT_MAX; r++)
		if (total[r])
			seq_printf(m, "%-22s %llu\n", vmxlab_exit_names[r] ?: "?", total[r]);
	seq_printf(m, "%-22s %llu\n", "ENTRY_FAILURES", failures);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(exits);

/*
 * Interrupts per vCPU (events.c, lapic.c): what was injected, how often
 * the vCPU halted and woke, and the local APIC's timer, EOIs and IPIs.
 */
static int interrupts_show(struct seq_file *m, void *unused)
{
	struct vmxlab_vm *vm = m->private;
	int i;

	seq_puts(m, "vcpu injections halts wakeups timer_fires eois ipis\n");
	mutex_lock(&vm->lock);
	for (i = 0; i < VMXLAB_MAX_VCPUS; i++) {
		struct vmxlab_vcpu *vcpu = vm->vcpus[i];

		if (!vcpu)
			continue;
		seq_printf(m, "%d %llu %llu %llu %llu %llu %llu\n", i,
			   READ_ONCE(vcpu->events.injections),
			   READ_ONCE(vcpu->events.halts),
			   READ_ONCE(vcpu->events.wakeups),
			   READ_ONCE(vcpu->apic.timer_fires),
			   READ_ONCE(vcpu->apic.eois),
			   READ_ONCE(vcpu->apic.ipis));
	}
	mutex_unlock(&vm->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(interrupts);

static int memory_show(struct seq_file *m, void *unused)
{
	struct vmxlab_vm *vm = m->private;

	mutex_lock(&vm->lock);
	seq_printf(m, "pinned_pages %lu\nept_pages %lu\n", vm->pinned_pages,
		   vm->ept.pages);
	mutex_unlock(&vm->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(memory);

void vmxlab_debugfs_vm_add(struct vmxlab_vm *vm)
{
	char name[32];

	snprintf(name, sizeof(name), "%d-%d", task_tgid_nr(current),
		 atomic_inc_return(&vm_serial));
	vm->debugfs = debugfs_create_dir(name, vmxlab_debugfs_root);
	debugfs_create_file("exits", 0444, vm->debugfs, vm, &exits_fops);
	debugfs_create_file("memory", 0444, vm->debugfs, vm, &memory_fops);
	debugfs_create_file("interrupts", 0444, vm->debugfs, vm,
			    &interrupts_fops);
}

void vmxlab_debugfs_vm_remove(struct vmxlab_vm *vm)
{
	debugfs_remove_recursive(vm->debugfs);
	vm->debugfs = NULL;
}

static int counters_show(struct seq_file *m, void *unused)
{
	struct vmxlab_counters *c = &vmxlab_counters;

	seq_printf(m, "vms %ld\nvcpus %ld\npinned_pages %ld\nept_pages %ld\nring_bytes %ld\n",
		   atomic_long_read(&c->vms), atomic_long_read(&c->vcpus),
		   atomic_long_read(&c->pinned_pages),
		   atomic_long_read(&c->ept_pages),
		   atomic_long_read(&c->ring_bytes));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(counters);

/* The explainer's self-check (module parameter selfcheck, selfcheck.c). */
static int selfcheck_show(struct seq_file *m, void *unused)
{
	struct vmxlab_counters *c = &vmxlab_counters;

	seq_printf(m, "runs %ld\nfalse_alarms %ld\ngaps %ld\n",
		   atomic_long_read(&c->check_runs),
		   atomic_long_read(&c->check_false_alarms),
		   atomic_long_read(&c->check_gaps));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(selfcheck);

/*
 * The host's share of the CPU (VCPU_SLICE_MS, vcpu_enter_guest()): how
 * often the fast path stopped re-entering because the slice ran out.
 */
static int slices_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "slice_ms %d\nfastpath_slice_ends %ld\n", VCPU_SLICE_MS,
		   atomic_long_read(&vmxlab_counters.slice_ends));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(slices);

void vmxlab_debugfs_init(void)
{
	vmxlab_debugfs_root = debugfs_create_dir(VMXLAB_NAME, NULL);
	debugfs_create_file("memory", 0444, vmxlab_debugfs_root, NULL,
			    &counters_fops);
	debugfs_create_file("selfcheck", 0444, vmxlab_debugfs_root, NULL,
			    &selfcheck_fops);
	debugfs_create_file("slices", 0444, vmxlab_debugfs_root, NULL,
			    &slices_fops);
}

void vmxlab_debugfs_exit(void)
{
	debugfs_remove_recursive(vmxlab_debugfs_root);
}
