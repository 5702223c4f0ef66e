/* SPDX-License-Identifier: GPL-2.0 */
/* vmcs.h - what vmcs.c exports: the VMCS's contents, making it current. */
#ifndef VMXLAB_VMCS_H
#define VMXLAB_VMCS_H

#include <linux/smp.h>
#include <asm/page.h>
#include <asm/processor-flags.h>

#include "vmxlab.h"
#include "vmx_ops.h"

void *vmcs_alloc(void);
void vmcs_free(void *vmcs);
void vmcs_setup(struct vmxlab_vcpu *vcpu);
u32 vmcs_exception_bitmap(struct vmxlab_vcpu *vcpu);
void vmcs_refresh_host_state(struct vmxlab_vcpu *vcpu, int cpu);
void vmcs_refresh_host_fs(struct vmxlab_vcpu *vcpu);
u64 vmcs_cr0_guest_value(u64 cr0);
u64 vmcs_cr4_guest_value(u64 cr4);
void vmcs_read_segment(enum vmx_seg i, struct vmxlab_segment *seg);
void vmcs_write_segment(enum vmx_seg i, const struct vmxlab_segment *seg);

/*
 * Make the vCPU's VMCS current on this CPU with its host state, or clear
 * it.  Inline: RUN does both once per stretch, on the exit-to-userspace
 * path that make bench measures.
 */
/*
 * The host state stays in the VMCS across VMCLEAR and VMPTRLD: only a
 * move to another CPU changes the per-CPU part (TSS, GDT, IDT, GS base,
 * SYSENTER stack); FS base belongs to the calling thread.
 */
static inline int vcpu_vmcs_load(struct vmxlab_vcpu *vcpu)
{
	int cpu = smp_processor_id();

	if (!vmcs_ptrld(__pa(vcpu->vmcs)))
		return -EIO;
	if (cpu != vcpu->host.cpu)
		vmcs_refresh_host_state(vcpu, cpu);
	else
		vmcs_refresh_host_fs(vcpu);
	return 0;
}

static inline void vcpu_vmcs_clear(struct vmxlab_vcpu *vcpu)
{
	vmcs_clear(__pa(vcpu->vmcs));
	/* A cleared VMCS must be entered with VMLAUNCH (SDM 25.11.3). */
	vcpu->launched = false;
}

int vcpu_access_begin(struct vmxlab_vcpu *vcpu);
void vcpu_access_end(struct vmxlab_vcpu *vcpu);

#define VMXLAB_CR0_TRAPPED (X86_CR0_PE | X86_CR0_PG | X86_CR0_NE | X86_CR0_ET | \
			    X86_CR0_CD | X86_CR0_NW)
#define VMXLAB_CR4_GUEST_OWNED (X86_CR4_VME | X86_CR4_PVI | X86_CR4_TSD | \
				X86_CR4_DE | X86_CR4_PCE | X86_CR4_OSFXSR | \
				X86_CR4_OSXMMEXCPT | X86_CR4_FSGSBASE)
/* CR4 bits a guest may set at all; the others raise #GP. */
#define VMXLAB_CR4_ALLOWED (VMXLAB_CR4_GUEST_OWNED | X86_CR4_PSE |	    \
			    X86_CR4_PAE | X86_CR4_MCE | X86_CR4_PGE |	    \
			    X86_CR4_UMIP | X86_CR4_PCIDE | X86_CR4_SMEP |  \
			    X86_CR4_SMAP | X86_CR4_OSXSAVE)

#endif /* VMXLAB_VMCS_H */
