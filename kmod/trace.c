// SPDX-License-Identifier: GPL-2.0
/*
 * trace.c - the exit ring (struct vmxlab_ring in the uapi) and the
 * tracepoints.
 *
 * Every VM exit is written as one record at ring->head before vmxlab
 * handles it; the entry that follows fills in its tsc_entry, so
 * tsc_entry - tsc_exit is what handling the exit cost, in guest TSC ticks.
 * In lossless mode vcpu.c returns VMXLAB_EXIT_RING_FULL before an entry
 * whenever the ring has no room for the exit that entry could cause.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

#include "vmxlab.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

static size_t ring_bytes(u32 nrecords)
{
	return PAGE_ALIGN(sizeof(struct vmxlab_ring) +
			  (size_t)nrecords * sizeof(struct vmxlab_exit_record));
}

int vmxlab_ring_set(struct vmxlab_vcpu *vcpu,
		    const struct vmxlab_ring_config *cfg)
{
	struct vmxlab_ring *ring;

	if (cfg->flags & ~VMXLAB_RING_OVERWRITE)
		return -EINVAL;
	if (!cfg->nrecords || !is_power_of_2(cfg->nrecords) ||
	    cfg->nrecords > VMXLAB_MAX_RING_RECORDS)
		return -EINVAL;
	/* Set once: a mapped ring must not change under its reader. */
	if (vcpu->ring)
		return -EBUSY;
	ring = vmalloc_user(ring_bytes(cfg->nrecords));
	if (!ring)
		return -ENOMEM;
	ring->nrecords = cfg->nrecords;
	ring->flags = cfg->flags;
	/*
	 * Userspace can write the whole shared ring: the kernel keeps its
	 * own copy of everything it relies on (size, mode, head, drops) and
	 * only ever reads @tail from it, as a number to compare.
	 */
	vcpu->ring_nrecords = cfg->nrecords;
	vcpu->ring_overwrite = cfg->flags & VMXLAB_RING_OVERWRITE;
	vcpu->ring_dropped = 0;
	vcpu->ring_size = ring_bytes(cfg->nrecords);
	atomic_long_add(vcpu->ring_size, &vmxlab_counters.ring_bytes);
	vcpu->ring_head = 0;
	vcpu->last_rec = NULL;
	/* Pairs with the acquire in vmxlab_ring_mmap(). */
	smp_store_release(&vcpu->ring, ring);
	return 0;
}

void vmxlab_ring_free(struct vmxlab_vcpu *vcpu)
{
	if (vcpu->ring)
		atomic_long_sub(vcpu->ring_size, &vmxlab_counters.ring_bytes);
	vfree(vcpu->ring);
	vcpu->ring = NULL;
}

int vmxlab_ring_mmap(struct vmxlab_vcpu *vcpu, struct vm_area_struct *vma)
{
	/* Pairs with the release in vmxlab_ring_set(). */
	struct vmxlab_ring *ring = smp_load_acquire(&vcpu->ring);

	if (!ring)
		return -ENODEV;
	/* Both sides write (head, tail): a private copy would be useless. */
	if (!(vma->vm_flags & VM_SHARED) ||
	    vma->vm_end - vma->vm_start > vcpu->ring_size)
		return -EINVAL;
	return remap_vmalloc_range(vma, ring, 0);
}

/* Lossless mode: is there room for one more record? */
bool vmxlab_ring_full(struct vmxlab_vcpu *vcpu)
{
	struct vmxlab_ring *ring = vcpu->ring;

	if (!ring || vcpu->ring_overwrite)
		return false;
	return vcpu->ring_head - READ_ONCE(ring->tail) >= vcpu->ring_nrecords;
}

/* Called right after a VM exit, with the VMCS current. */
void vmxlab_ring_exit(struct vmxlab_vcpu *vcpu, u64 guest_tsc)
{
	struct vmxlab_ring *ring = vcpu->ring;
	struct vmxlab_exit_record *rec;
	u64 head = vcpu->ring_head;

	trace_vmxlab_exit(vcpu->id, vcpu->exit_reason,
			  vmcs_read(VMCS_EXIT_QUALIFICATION),
			  vmcs_read(VMCS_GUEST_RIP));
	if (!ring)
		return;
	if (head - READ_ONCE(ring->tail) >= vcpu->ring_nrecords)
		WRITE_ONCE(ring->dropped, ++vcpu->ring_dropped);
	rec = &ring->records[head & (vcpu->ring_nrecords - 1)];
	rec->seq = head;
	rec->exit_reason = vcpu->exit_reason;
	rec->flags = 0;
	rec->qualification = vmcs_read(VMCS_EXIT_QUALIFICATION);
	rec->guest_linear_addr = vmcs_read(VMCS_GUEST_LINEAR_ADDRESS);
	rec->guest_phys_addr = vmcs_read(VMCS_GUEST_PHYSICAL_ADDRESS);
	rec->insn_len = vmcs_read(VMCS_VM_EXIT_INSTRUCTION_LEN);
	rec->insn_info = vmcs_read(VMCS_VMX_INSTRUCTION_INFO);
	rec->intr_info = vmcs_read(VMCS_VM_EXIT_INTR_INFO);
	rec->intr_error = vmcs_read(VMCS_VM_EXIT_INTR_ERROR_CODE);
	rec->idt_vectoring_info = vmcs_read(VMCS_IDT_VECTORING_INFO_FIELD);
	rec->idt_vectoring_error = vmcs_read(VMCS_IDT_VECTORING_ERROR_CODE);
	rec->rip = vmcs_read(VMCS_GUEST_RIP);
	rec->rsp = vmcs_read(VMCS_GUEST_RSP);
	rec->rflags = vmcs_read(VMCS_GUEST_RFLAGS);
	rec->cr0 = vmcs_read(VMCS_GUEST_CR0);
	rec->cr3 = vmcs_read(VMCS_GUEST_CR3);
	rec->cr4 = vmcs_read(VMCS_GUEST_CR4);
	rec->tsc_exit = guest_tsc;
	rec->tsc_entry = 0;
	/*
	 * The record is complete before userspace can see it: pairs with
	 * the reader's acquire of head.
	 */
	smp_store_release(&ring->head, head + 1);
	vcpu->ring_head = head + 1;
	vcpu->last_rec = rec;
}

/* The exit was handled in the kernel: say so in its record. */
void vmxlab_ring_handled_in_kernel(struct vmxlab_vcpu *vcpu)
{
	if (vcpu->last_rec)
		WRITE_ONCE(vcpu->last_rec->flags,
			   vcpu->last_rec->flags | VMXLAB_REC_KERNEL);
}

/* Called right before a VM entry. */
void vmxlab_ring_entry(struct vmxlab_vcpu *vcpu, u64 guest_tsc)
{
	struct vmxlab_exit_record *rec = vcpu->last_rec;

	trace_vmxlab_entry(vcpu->id, !vcpu->launched);
	if (!rec)
		return;
	rec->tsc_entry = guest_tsc;
	/* Pairs with the reader's acquire: tsc_entry before the flag. */
	smp_store_release(&rec->flags, rec->flags | VMXLAB_REC_ENTRY_DONE);
	vcpu->last_rec = NULL;
}
