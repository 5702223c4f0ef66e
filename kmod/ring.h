/* SPDX-License-Identifier: GPL-2.0 */
/* ring.h - what trace.c exports about the exit ring (its tracepoints are in trace.h). */
#ifndef VMXLAB_RING_H
#define VMXLAB_RING_H

#include "vmxlab.h"

int vmxlab_ring_set(struct vmxlab_vcpu *vcpu,
		    const struct vmxlab_ring_config *cfg);
void vmxlab_ring_free(struct vmxlab_vcpu *vcpu);
int vmxlab_ring_mmap(struct vmxlab_vcpu *vcpu, struct vm_area_struct *vma);
void vmxlab_ring_exit(struct vmxlab_vcpu *vcpu, u64 guest_tsc);
void vmxlab_ring_entry(struct vmxlab_vcpu *vcpu, u64 guest_tsc);

/* Lossless mode: is there room for one more record?  (Every exit asks.) */
static inline bool vmxlab_ring_full(struct vmxlab_vcpu *vcpu)
{
	struct vmxlab_ring *ring = vcpu->ring.buf;

	if (!ring || vcpu->ring.overwrite)
		return false;
	return vcpu->ring.head - READ_ONCE(ring->tail) >= vcpu->ring.nrecords;
}

/* The exit was handled in the kernel: say so in its record. */
static inline void vmxlab_ring_handled_in_kernel(struct vmxlab_vcpu *vcpu)
{
	if (vcpu->ring.last)
		WRITE_ONCE(vcpu->ring.last->flags,
			   vcpu->ring.last->flags | VMXLAB_REC_KERNEL);
}

#endif /* VMXLAB_RING_H */
