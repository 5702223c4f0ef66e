// SPDX-License-Identifier: GPL-2.0
/*
 * vmcs.c - what goes into a VMCS.
 *
 * A VMCS (SDM chapter 24) has six parts: guest state, host state, and the
 * VM-execution, VM-exit and VM-entry controls, plus read-only exit
 * information.  This file fills the first five: the controls once at vCPU
 * creation (from vmx_caps, chosen in vmx.c), the guest state with the x86
 * reset values, and the host state each time a vCPU is loaded on a CPU.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/gfp.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/special_insns.h>
#include <asm/mmu_context.h>
#include <asm/tlbflush.h>
#include <asm/trapnr.h>
#include <asm/cpu_entry_area.h>

#include "vmxlab.h"
#include "run.h"
#include "vmcs.h"
#include "vmx.h"
#include "vmx_bits.h"
#include "vmx_ops.h"

/* Access rights of segments at reset (SDM 25.4.1, Table 25-2). */
#define AR_CODE_RESET	0x9b	/* present, S, execute/read, accessed */
#define AR_DATA_RESET	0x93	/* present, S, read/write, accessed */
#define AR_LDT		0x82	/* present, LDT */
#define AR_TSS_BUSY16	0x83	/* present, 16-bit busy TSS */
#define AR_TSS_BUSY32	0x8b	/* present, 32/64-bit busy TSS */

/* IA32_PAT at reset (SDM 12.12.4). */
#define PAT_RESET	0x0007040600070406ULL

/*
 * The VMCS is one page of write-back memory whose first word is the
 * revision identifier (SDM 25.2); the processor owns the rest.
 */
void *vmcs_alloc(void)
{
	u32 *vmcs = (u32 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);

	if (vmcs)
		vmcs[0] = vmx_caps.revision_id;
	return vmcs;
}

void vmcs_free(void *vmcs)
{
	free_page((unsigned long)vmcs);
}

/*
 * CR0 as the processor holds it while the guest runs.  The guest sees its
 * own value through the read shadow; the real register must obey the
 * fixed bits (SDM A.7), except PE and PG which unrestricted guest frees
 * (SDM 27.3.1.1).  CD and NW are cleared: guest memory is ordinary
 * write-back host memory and EPT gives its memory type.
 */
u64 vmcs_cr0_guest_value(u64 cr0)
{
	u64 fixed0 = vmx_caps.cr0_fixed0 & ~(u64)(X86_CR0_PE | X86_CR0_PG);

	cr0 &= ~(u64)(X86_CR0_CD | X86_CR0_NW);
	return (cr0 | fixed0) & vmx_caps.cr0_fixed1;
}

/* CR4 likewise: VMXE must stay set in VMX non-root operation (SDM A.8). */
u64 vmcs_cr4_guest_value(u64 cr4)
{
	return (cr4 | vmx_caps.cr4_fixed0) & vmx_caps.cr4_fixed1;
}

/* A guest segment register's four fields, by its index (vmx_bits.h). */
void vmcs_read_segment(enum vmx_seg i, struct vmxlab_segment *seg)
{
	seg->selector = vmcs_read(VMCS_GUEST_SEG_SELECTOR(i));
	seg->limit = vmcs_read(VMCS_GUEST_SEG_LIMIT(i));
	seg->ar = vmcs_read(VMCS_GUEST_SEG_AR(i));
	seg->base = vmcs_read(VMCS_GUEST_SEG_BASE(i));
}

void vmcs_write_segment(enum vmx_seg i, const struct vmxlab_segment *seg)
{
	vmcs_write(VMCS_GUEST_SEG_SELECTOR(i), seg->selector);
	vmcs_write(VMCS_GUEST_SEG_LIMIT(i), seg->limit);
	vmcs_write(VMCS_GUEST_SEG_AR(i), seg->ar);
	vmcs_write(VMCS_GUEST_SEG_BASE(i), seg->base);
}

static void vmcs_set_segment(enum vmx_seg i, u16 sel, u64 base, u32 limit,
			     u32 ar)
{
	vmcs_write_segment(i, &(struct vmxlab_segment){
		.selector = sel, .base = base, .limit = limit, .ar = ar });
}

/* The state of an x86 processor after RESET (SDM 10.1.1, Table 10-1). */
static void vmcs_guest_reset(void)
{
	vmcs_set_segment(VMX_SEG_CS, 0xf000, 0xffff0000, 0xffff,
			 AR_CODE_RESET);
	vmcs_set_segment(VMX_SEG_DS, 0, 0, 0xffff, AR_DATA_RESET);
	vmcs_set_segment(VMX_SEG_ES, 0, 0, 0xffff, AR_DATA_RESET);
	vmcs_set_segment(VMX_SEG_FS, 0, 0, 0xffff, AR_DATA_RESET);
	vmcs_set_segment(VMX_SEG_GS, 0, 0, 0xffff, AR_DATA_RESET);
	vmcs_set_segment(VMX_SEG_SS, 0, 0, 0xffff, AR_DATA_RESET);
	vmcs_set_segment(VMX_SEG_LDTR, 0, 0, 0xffff, AR_LDT);
	/* TR must be a busy TSS even in real mode (SDM 27.3.1.2). */
	vmcs_set_segment(VMX_SEG_TR, 0, 0, 0xffff, AR_TSS_BUSY32);
	vmcs_write(VMCS_GUEST_GDTR_BASE, 0);
	vmcs_write(VMCS_GUEST_GDTR_LIMIT, 0xffff);
	vmcs_write(VMCS_GUEST_IDTR_BASE, 0);
	vmcs_write(VMCS_GUEST_IDTR_LIMIT, 0xffff);

	vmcs_write(VMCS_CR0_READ_SHADOW, X86_CR0_ET | X86_CR0_CD | X86_CR0_NW);
	vmcs_write(VMCS_GUEST_CR0, vmcs_cr0_guest_value(X86_CR0_ET));
	vmcs_write(VMCS_CR4_READ_SHADOW, 0);
	vmcs_write(VMCS_GUEST_CR4, vmcs_cr4_guest_value(0));
	vmcs_write(VMCS_GUEST_CR3, 0);
	vmcs_write(VMCS_GUEST_DR7, 0x400);
	vmcs_write(VMCS_GUEST_RSP, 0);
	vmcs_write(VMCS_GUEST_RIP, 0xfff0);
	vmcs_write(VMCS_GUEST_RFLAGS, X86_EFLAGS_FIXED);
	vmcs_write(VMCS_GUEST_IA32_EFER, 0);
	vmcs_write(VMCS_GUEST_IA32_PAT, PAT_RESET);
	vmcs_write(VMCS_GUEST_IA32_DEBUGCTL, 0);
	vmcs_write(VMCS_GUEST_SYSENTER_CS, 0);
	vmcs_write(VMCS_GUEST_SYSENTER_ESP, 0);
	vmcs_write(VMCS_GUEST_SYSENTER_EIP, 0);
	vmcs_write(VMCS_GUEST_ACTIVITY_STATE, 0);
	vmcs_write(VMCS_GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write(VMCS_GUEST_PENDING_DBG_EXCEPTIONS, 0);
	/* SDM 27.3.1.5: no shadow VMCS, so the link pointer is all ones. */
	vmcs_write(VMCS_VMCS_LINK_POINTER, ~0ULL);
}

/*
 * Exceptions that exit: what userspace asked to see; always #MC, which
 * belongs to the host (run.c hands it to Linux right after the exit);
 * and always #DB and #AC, which exits.c gives back to the guest.  A guest
 * can make either recur on every instruction it delivers, for example a
 * data breakpoint on its own stack: delivered inside the guest, a debug
 * trap outranks external interrupts (SDM 6.9, Table 6-2), so the host's
 * timer would never get in and the CPU would be the guest's for good
 * (the "benign exception" loops of CVE-2015-5307 and CVE-2015-8104).
 * Through an exit, the run loop sees interrupts, signals and reschedules
 * between any two of them.  The same exit also keeps the guest's DR6 up
 * to date (exits.c), since a #DB exit leaves DR6 alone (SDM 28.2.1).
 */
u32 vmcs_exception_bitmap(struct vmxlab_vcpu *vcpu)
{
	return vcpu->exception_bitmap | BIT(X86_TRAP_MC) | BIT(X86_TRAP_DB) |
	       BIT(X86_TRAP_AC);
}

/*
 * The controls, written once per vCPU.  Which exits happen at all is
 * decided here; exits.c says what each one does.
 */
void vmcs_setup(struct vmxlab_vcpu *vcpu)
{
	u64 slice;

	vmcs_write(VMCS_PIN_BASED_VM_EXEC_CONTROL, vmx_caps.pin);
	vmcs_write(VMCS_CPU_BASED_VM_EXEC_CONTROL, vmx_caps.proc);
	vmcs_write(VMCS_SECONDARY_VM_EXEC_CONTROL, vmx_caps.proc2);
	vmcs_write(VMCS_VM_EXIT_CONTROLS, vmx_caps.exit);
	vmcs_write(VMCS_VM_ENTRY_CONTROLS, vmx_caps.entry);
	vmcs_write(VMCS_EXCEPTION_BITMAP, vmcs_exception_bitmap(vcpu));
	vmcs_write(VMCS_PAGE_FAULT_ERROR_CODE_MASK, 0);
	vmcs_write(VMCS_PAGE_FAULT_ERROR_CODE_MATCH, 0);
	vmcs_write(VMCS_CR3_TARGET_COUNT, 0);
	vmcs_write(VMCS_VM_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write(VMCS_VM_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write(VMCS_VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write(VMCS_VM_ENTRY_INTR_INFO_FIELD, 0);

	/*
	 * A set bit in a guest/host mask makes the bit host-owned: reads
	 * return the shadow, writes that change it exit (SDM 26.3).  vmxlab
	 * owns every CR0 and CR4 bit that touches paging, caching or VMX.
	 */
	vmcs_write(VMCS_CR0_GUEST_HOST_MASK, ~(u64)(X86_CR0_TS | X86_CR0_MP |
						    X86_CR0_EM | X86_CR0_WP |
						    X86_CR0_AM));
	vmcs_write(VMCS_CR4_GUEST_HOST_MASK, ~(u64)VMXLAB_CR4_GUEST_OWNED);

	vmcs_write(VMCS_EPT_POINTER, vcpu->vm->ept.eptp);
	/* The TPR shadow reads and writes VTPR in lapic.c's page. */
	if (vmx_caps.proc & PROC_TPR_SHADOW) {
		vmcs_write(VMCS_VIRTUAL_APIC_PAGE_ADDR, __pa(vcpu->apic.regs));
		vmcs_write(VMCS_TPR_THRESHOLD, 0);
	}
	/* Guest TSC = host TSC + offset (SDM 25.6.5): start near zero. */
	vcpu->tsc_offset = -rdtsc();
	vmcs_write(VMCS_TSC_OFFSET, vcpu->tsc_offset);

	/*
	 * The host's interrupts wait at most VCPU_SLICE_MS for a guest,
	 * whatever it does (vcpu_enter_guest()): half of it is the
	 * preemption timer, which counts down at the TSC rate divided by
	 * 2^IA32_VMX_MISC[4:0] and only in VMX non-root operation (SDM
	 * 26.5.1), the other half bounds in host TSC ticks how long the
	 * fast path may keep re-entering with interrupts off.
	 */
	vcpu->slice.tsc = (u64)tsc_khz * VCPU_SLICE_MS / 2;
	slice = vcpu->slice.tsc >> vmx_caps.preemption_timer_shift;
	vcpu->slice.timer = clamp_val(slice, 1, U32_MAX);
	vmcs_write(VMCS_VMX_PREEMPTION_TIMER_VALUE, vcpu->slice.timer);

	vmcs_guest_reset();

	/* Host state that never changes. */
	vmcs_write(VMCS_HOST_CS_SELECTOR, __KERNEL_CS);
	vmcs_write(VMCS_HOST_SS_SELECTOR, __KERNEL_DS);
	vmcs_write(VMCS_HOST_DS_SELECTOR, 0);
	vmcs_write(VMCS_HOST_ES_SELECTOR, 0);
	vmcs_write(VMCS_HOST_FS_SELECTOR, 0);
	vmcs_write(VMCS_HOST_GS_SELECTOR, 0);
	vmcs_write(VMCS_HOST_TR_SELECTOR, GDT_ENTRY_TSS * 8);
	vmcs_write(VMCS_HOST_RIP, (unsigned long)vmxlab_vmexit);
	/* The per-CPU host state comes with the first vcpu_vmcs_load(). */
	vcpu->host.cpu = -1;
}

/*
 * Host state the processor loads at every VM exit (SDM 28.5).  Part of it
 * belongs to the CPU (TSS, GDT, per-CPU GS base, SYSENTER stack), part to
 * the thread (FS base) and part can change under us (CR3 with PCID, CR4):
 * all of it is written each time the VMCS is made current.
 */
void vmcs_refresh_host_fs(struct vmxlab_vcpu *vcpu)
{
	unsigned long v;

	rdmsrl(MSR_FS_BASE, v);
	vmcs_write(VMCS_HOST_FS_BASE, v);
}

void vmcs_refresh_host_state(struct vmxlab_vcpu *vcpu, int cpu)
{
	struct desc_ptr idt;
	unsigned long v;
	u64 msr;

	vcpu->host.cpu = cpu;
	vcpu->host.cr3 = __read_cr3();
	vcpu->host.cr4 = cr4_read_shadow();
	vmcs_write(VMCS_HOST_CR0, read_cr0());
	vmcs_write(VMCS_HOST_CR3, vcpu->host.cr3);
	vmcs_write(VMCS_HOST_CR4, vcpu->host.cr4);

	rdmsrl(MSR_FS_BASE, v);
	vmcs_write(VMCS_HOST_FS_BASE, v);
	rdmsrl(MSR_GS_BASE, v);
	vmcs_write(VMCS_HOST_GS_BASE, v);
	vmcs_write(VMCS_HOST_TR_BASE,
		   (unsigned long)&get_cpu_entry_area(cpu)->tss.x86_tss);
	vmcs_write(VMCS_HOST_GDTR_BASE, (unsigned long)get_cpu_gdt_ro(cpu));
	store_idt(&idt);
	vmcs_write(VMCS_HOST_IDTR_BASE, idt.address);

	rdmsrl(MSR_IA32_SYSENTER_CS, msr);
	vmcs_write(VMCS_HOST_IA32_SYSENTER_CS, msr);
	rdmsrl(MSR_IA32_SYSENTER_ESP, msr);
	vmcs_write(VMCS_HOST_IA32_SYSENTER_ESP, msr);
	rdmsrl(MSR_IA32_SYSENTER_EIP, msr);
	vmcs_write(VMCS_HOST_IA32_SYSENTER_EIP, msr);
	rdmsrl(MSR_EFER, msr);
	vmcs_write(VMCS_HOST_IA32_EFER, msr);
	rdmsrl(MSR_IA32_CR_PAT, msr);
	vmcs_write(VMCS_HOST_IA32_PAT, msr);
}

/* ---- making the VMCS current ----------------------------------------- */

/* vcpu_vmcs_load() and vcpu_vmcs_clear() are inline, in vmxlab.h. */

/*
 * Register ioctls reach the VMCS between two VMCS_ACCESS calls: the VMCS
 * is current on this CPU only in between, with preemption off.
 */
int vcpu_access_begin(struct vmxlab_vcpu *vcpu)
{
	preempt_disable();
	if (!vmcs_ptrld(__pa(vcpu->vmcs))) {
		preempt_enable();
		return -EIO;
	}
	return 0;
}

void vcpu_access_end(struct vmxlab_vcpu *vcpu)
{
	vcpu_vmcs_clear(vcpu);
	preempt_enable();
}
