// SPDX-License-Identifier: GPL-2.0
/*
 * trace.c - the exit ring (struct vmxlab_ring in the uapi) and the
 * tracepoints.
 *
 * Every VM exit is written as one record at ring->head before vmxlab
 * handles it; the entry that follows fills in its tsc_entry, so
 * tsc_entry - tsc_exit is what handling the exit cost, in guest TSC ticks.
 * In lossless mode step.c returns VMXLAB_EXIT_RING_FULL before an entry
 * whenever the ring has no room for the exit that entry could cause.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

#include "vmxlab.h"
#include "debugfs.h"
#include "ring.h"
#include "vmx_bits.h"
#include "vmx_ops.h"

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
	if (vcpu->ring.buf)
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
	vcpu->ring.nrecords = cfg->nrecords;
	vcpu->ring.overwrite = cfg->flags & VMXLAB_RING_OVERWRITE;
	vcpu->ring.dropped = 0;
	vcpu->ring.size = ring_bytes(cfg->nrecords);
	atomic_long_add(vcpu->ring.size, &vmxlab_counters.ring_bytes);
	vcpu->ring.head = 0;
	vcpu->ring.last = NULL;
	/* Pairs with the acquire in vmxlab_ring_mmap(). */
	smp_store_release(&vcpu->ring.buf, ring);
	return 0;
}

void vmxlab_ring_free(struct vmxlab_vcpu *vcpu)
{
	if (vcpu->ring.buf)
		atomic_long_sub(vcpu->ring.size, &vmxlab_counters.ring_bytes);
	vfree(vcpu->ring.buf);
	vcpu->ring.buf = NULL;
}

int vmxlab_ring_mmap(struct vmxlab_vcpu *vcpu, struct vm_area_struct *vma)
{
	/* Pairs with the release in vmxlab_ring_set(). */
	struct vmxlab_ring *ring = smp_load_acquire(&vcpu->ring.buf);

	if (!ring)
		return -ENODEV;
	/* Both sides write (head, tail): a private copy would be useless. */
	if (!(vma->vm_flags & VM_SHARED) ||
	    vma->vm_end - vma->vm_start > vcpu->ring.size)
		return -EINVAL;
	return remap_vmalloc_range(vma, ring, 0);
}

/*
 * Which exit-information fields an exit reason defines (SDM 28.2.1-28.2.5).
 * The others are undefined for that exit: the record holds 0 rather than
 * whatever the processor left there, and the VMREADs are saved, since
 * this runs on every exit while the ring is on.
 */
#define REC_GLA		BIT(0)	/* guest-linear address (28.2.1) */
#define REC_GPA		BIT(1)	/* guest-physical address (28.2.1) */
#define REC_INTR	BIT(2)	/* VM-exit interruption information (28.2.2) */
#define REC_INFO	BIT(3)	/* VM-exit instruction information (28.2.5) */
#define REC_NO_LEN	BIT(4)	/* not caused by an instruction (28.2.5) */
#define REC_NO_IDT	BIT(5)	/* an entry failure: no event information */

static const u8 rec_fields[VMX_EXIT_MAX] = {
	[VMX_EXIT_EXCEPTION_NMI]	= REC_INTR,
	[VMX_EXIT_EXTERNAL_INTERRUPT]	= REC_INTR | REC_NO_LEN,
	[VMX_EXIT_TRIPLE_FAULT]		= REC_NO_LEN,
	[VMX_EXIT_INIT_SIGNAL]		= REC_NO_LEN,
	[VMX_EXIT_SIPI]			= REC_NO_LEN,
	[VMX_EXIT_IO_SMI]		= REC_NO_LEN,
	[VMX_EXIT_OTHER_SMI]		= REC_NO_LEN,
	[VMX_EXIT_INTERRUPT_WINDOW]	= REC_NO_LEN,
	[VMX_EXIT_NMI_WINDOW]		= REC_NO_LEN,
	[VMX_EXIT_VMCLEAR]		= REC_INFO,
	[VMX_EXIT_VMPTRLD]		= REC_INFO,
	[VMX_EXIT_VMPTRST]		= REC_INFO,
	[VMX_EXIT_VMREAD]		= REC_INFO,
	[VMX_EXIT_VMWRITE]		= REC_INFO,
	[VMX_EXIT_VMXON]		= REC_INFO,
	/* Only some of these: see rec_fields_of(). */
	[VMX_EXIT_CR_ACCESS]		= REC_GLA,
	[VMX_EXIT_IO_INSTRUCTION]	= REC_GLA | REC_INFO,
	[VMX_EXIT_INVALID_GUEST_STATE]	= REC_NO_LEN,
	[VMX_EXIT_MSR_LOAD_FAIL]	= REC_NO_LEN,
	[VMX_EXIT_MONITOR_TRAP_FLAG]	= REC_NO_LEN,
	[VMX_EXIT_MCE_DURING_VMENTRY]	= REC_NO_LEN,
	[VMX_EXIT_TPR_BELOW_THRESHOLD]	= REC_NO_LEN,
	[VMX_EXIT_APIC_ACCESS]		= REC_NO_LEN,
	[VMX_EXIT_VIRTUALIZED_EOI]	= REC_NO_LEN,
	[VMX_EXIT_GDTR_IDTR]		= REC_INFO,
	[VMX_EXIT_LDTR_TR]		= REC_INFO,
	[VMX_EXIT_EPT_VIOLATION]	= REC_GLA | REC_GPA | REC_NO_LEN,
	[VMX_EXIT_EPT_MISCONFIG]	= REC_GPA | REC_NO_LEN,
	[VMX_EXIT_INVEPT]		= REC_INFO,
	[VMX_EXIT_PREEMPTION_TIMER]	= REC_NO_LEN,
	[VMX_EXIT_INVVPID]		= REC_INFO,
	[VMX_EXIT_APIC_WRITE]		= REC_NO_LEN,
	[VMX_EXIT_RDRAND]		= REC_INFO,
	[VMX_EXIT_INVPCID]		= REC_INFO,
	[VMX_EXIT_RDSEED]		= REC_INFO,
	[VMX_EXIT_PML_FULL]		= REC_NO_LEN,
	[VMX_EXIT_XSAVES]		= REC_INFO,
	[VMX_EXIT_XRSTORS]		= REC_INFO,
	[VMX_EXIT_UMWAIT]		= REC_INFO,
	[VMX_EXIT_TPAUSE]		= REC_INFO,
};

/*
 * The fields an exit defines, where the qualification decides: a linear
 * address only for LMSW from memory and for INS/OUTS, instruction
 * information only for INS/OUTS, and for an EPT violation the linear
 * address only when its qualification says it is valid (28.2.1).  An
 * entry failure (27.8) writes the reason and qualification alone.
 */
static unsigned int rec_fields_of(u32 reason, u64 qual)
{
	u32 basic = VMX_EXIT_REASON_BASIC(reason);
	unsigned int have;

	if (reason & VMX_EXIT_REASON_ENTRY_FAILED)
		return REC_NO_LEN | REC_NO_IDT;
	have = basic < VMX_EXIT_MAX ? rec_fields[basic] : REC_NO_LEN;
	switch (basic) {
	case VMX_EXIT_CR_ACCESS:
		/* Access type 3 (LMSW) with a memory operand (bit 6). */
		if (((qual >> 4) & 3) != 3 || !(qual & BIT(6)))
			have &= ~REC_GLA;
		break;
	case VMX_EXIT_IO_INSTRUCTION:
		if (!(qual & BIT(4)))		/* not a string instruction */
			have &= ~(REC_GLA | REC_INFO);
		break;
	case VMX_EXIT_EPT_VIOLATION:
		if (!(qual & BIT(7)))		/* no valid linear address */
			have &= ~REC_GLA;
		break;
	}
	return have;
}

static __always_inline u64 rec_read(unsigned int have, unsigned int bit,
				    unsigned long field)
{
	return (have & bit) ? vmcs_read(field) : 0;
}

static bool rec_software_event(u32 info)
{
	u32 type = info & INTR_INFO_TYPE_MASK;

	return (info & INTR_INFO_VALID) &&
	       (type == INTR_TYPE_SW_INTR || type == INTR_TYPE_SW_EXCEPTION ||
		type == INTR_TYPE_PRIV_SW_EXC);
}

/* Called right after a VM exit, with the VMCS current. */
void vmxlab_ring_exit(struct vmxlab_vcpu *vcpu, u64 guest_tsc)
{
	struct vmxlab_ring *ring = vcpu->ring.buf;
	struct vmxlab_exit_record *rec;
	u64 head = vcpu->ring.head;
	u32 basic = VMX_EXIT_REASON_BASIC(vcpu->exit_reason);
	unsigned int have;
	u32 intr, idt;
	u64 qual;

	/* An argument list of VMREADs is not free: only when enabled. */
	if (trace_vmxlab_exit_enabled())
		trace_vmxlab_exit(vcpu->id, vcpu->exit_reason,
				  vmcs_read(VMCS_EXIT_QUALIFICATION),
				  vmcs_read(VMCS_GUEST_RIP));
	if (!ring)
		return;
	qual = vmcs_read(VMCS_EXIT_QUALIFICATION);
	have = rec_fields_of(vcpu->exit_reason, qual);
	if (head - READ_ONCE(ring->tail) >= vcpu->ring.nrecords)
		WRITE_ONCE(ring->dropped, ++vcpu->ring.dropped);
	rec = &ring->records[head & (vcpu->ring.nrecords - 1)];
	rec->seq = head;
	rec->exit_reason = vcpu->exit_reason;
	rec->flags = 0;
	rec->qualification = qual;
	rec->guest_linear_addr = rec_read(have, REC_GLA, VMCS_GUEST_LINEAR_ADDRESS);
	rec->guest_phys_addr = rec_read(have, REC_GPA, VMCS_GUEST_PHYSICAL_ADDRESS);
	rec->insn_info = rec_read(have, REC_INFO, VMCS_VMX_INSTRUCTION_INFO);
	intr = rec_read(have, REC_INTR, VMCS_VM_EXIT_INTR_INFO);
	rec->intr_info = intr;
	/* The error code is defined when the information says so (28.2.2). */
	rec->intr_error = (intr & INTR_INFO_VALID) && (intr & INTR_INFO_DELIVER_CODE) ?
			  vmcs_read(VMCS_VM_EXIT_INTR_ERROR_CODE) : 0;
	/* Any exit can happen while an event is being delivered (28.2.4). */
	idt = (have & REC_NO_IDT) ? 0 : vmcs_read(VMCS_IDT_VECTORING_INFO_FIELD);
	rec->idt_vectoring_info = idt;
	rec->idt_vectoring_error = (idt & INTR_INFO_VALID) && (idt & INTR_INFO_DELIVER_CODE) ?
				   vmcs_read(VMCS_IDT_VECTORING_ERROR_CODE) : 0;
	/*
	 * The instruction length is defined for exits caused by an
	 * instruction, by a software exception (INT1, INT3, INTO), or during
	 * the delivery of a software interrupt or exception (28.2.5).
	 */
	if (basic == VMX_EXIT_EXCEPTION_NMI && !rec_software_event(intr))
		have |= REC_NO_LEN;
	if (rec_software_event(idt))
		have &= ~REC_NO_LEN;
	rec->insn_len = (have & REC_NO_LEN) ? 0 :
			vmcs_read(VMCS_VM_EXIT_INSTRUCTION_LEN);
	rec->rip = vmcs_read(VMCS_GUEST_RIP);
	rec->rsp = vmcs_read(VMCS_GUEST_RSP);
	rec->rflags = vmcs_read(VMCS_GUEST_RFLAGS);
	rec->cr0 = vmcs_read(VMCS_GUEST_CR0);
	rec->cr3 = vmcs_read(VMCS_GUEST_CR3);
	rec->cr4 = vmcs_read(VMCS_GUEST_CR4);
	rec->tsc_exit = guest_tsc;
	rec->tsc_entry = 0;
	rec->entry_intr_info = 0;
	rec->entry_error = 0;
	rec->inject_source = 0;
	/* Which MSR: an x2APIC EOI or timer write is one (lapic.c). */
	rec->msr_index = VMX_EXIT_REASON_BASIC(vcpu->exit_reason) == VMX_EXIT_MSR_READ ||
			 VMX_EXIT_REASON_BASIC(vcpu->exit_reason) == VMX_EXIT_MSR_WRITE ?
			 (u32)vcpu->gprs[VCPU_RCX] : 0;
	/*
	 * The record is complete before userspace can see it: pairs with
	 * the reader's acquire of head.
	 */
	smp_store_release(&ring->head, head + 1);
	vcpu->ring.head = head + 1;
	vcpu->ring.last = rec;
}

/* Called right before a VM entry. */
void vmxlab_ring_entry(struct vmxlab_vcpu *vcpu, u64 guest_tsc)
{
	struct vmxlab_exit_record *rec = vcpu->ring.last;

	if (trace_vmxlab_entry_enabled())
		trace_vmxlab_entry(vcpu->id, !vcpu->launched);
	if (!rec)
		return;
	rec->tsc_entry = guest_tsc;
	/* The event this entry delivers, and whose it is (events.c). */
	rec->entry_intr_info = vmcs_read(VMCS_VM_ENTRY_INTR_INFO_FIELD);
	if (rec->entry_intr_info & INTR_INFO_VALID) {
		rec->entry_error = (rec->entry_intr_info & INTR_INFO_DELIVER_CODE) ?
				   vmcs_read(VMCS_VM_ENTRY_EXCEPTION_ERROR_CODE) : 0;
		rec->inject_source = vcpu->events.source;
		rec->flags |= VMXLAB_REC_INJECTED;
	}
	/* Pairs with the reader's acquire: tsc_entry before the flag. */
	smp_store_release(&rec->flags, rec->flags | VMXLAB_REC_ENTRY_DONE);
	vcpu->ring.last = NULL;
}
