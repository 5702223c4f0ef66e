// SPDX-License-Identifier: GPL-2.0
/*
 * msr.c - the guest's model-specific registers.
 *
 * Every RDMSR and WRMSR of a guest exits (vmxlab uses no MSR bitmap), and
 * lands here unless userspace asked for it (VMXLAB_SET_USER_MSRS).  The
 * MSRs a small OS uses are kept: some in the VMCS, which the processor
 * switches at entry and exit (EFER, PAT, SYSENTER, FS/GS base), the others
 * in struct vcpu_msrs, switched by run.c.  Any other MSR raises #GP(0),
 * as it would on a processor that does not have it.
 */
#include <linux/kernel.h>
#include <asm/msr.h>
#include <asm/msr-index.h>
#include <asm/apicdef.h>

#include "vmxlab.h"
#include "cr_rules.h"
#include "lapic.h"
#include "msr.h"
#include "regs.h"
#include "vmx.h"
#include "vmx_ops.h"

/* IA32_MISC_ENABLE: fast strings; BTS and PEBS unavailable. */
#define MISC_ENABLE_RESET	(BIT_ULL(0) | BIT_ULL(11) | BIT_ULL(12))

void vcpu_msrs_reset(struct vmxlab_vcpu *vcpu)
{
	memset(&vcpu->msrs, 0, sizeof(vcpu->msrs));
	vcpu->msrs.misc_enable = MISC_ENABLE_RESET;
}

bool vmxlab_user_msr(struct vmxlab_vcpu *vcpu, u32 index)
{
	struct vmxlab_policy *p = rcu_dereference_sched(vcpu->vm->policy);
	u32 i;

	for (i = 0; i < p->nmsrs; i++)
		if (p->user_msrs[i] == index)
			return true;
	return false;
}

static bool canonical(u64 v)
{
	return (u64)((s64)(v << 16) >> 16) == v;
}

/* Each byte of IA32_PAT must name a memory type (SDM 12.12.2). */
static bool pat_valid(u64 pat)
{
	int i;

	for (i = 0; i < 8; i++) {
		u8 t = pat >> (i * 8);

		if (t == 2 || t == 3 || t > 7)
			return false;
	}
	return true;
}

int vmxlab_msr_read(struct vmxlab_vcpu *vcpu, u32 index, u64 *data)
{
	struct vcpu_msrs *m = &vcpu->msrs;

	/* IA32_APIC_BASE, TSC_DEADLINE and the x2APIC MSRs: lapic.c's. */
	if (lapic_is_msr(index))
		return lapic_msr_read(vcpu, index, data);

	switch (index) {
	case MSR_EFER:
		*data = vmcs_read(VMCS_GUEST_IA32_EFER);
		break;
	case MSR_FS_BASE:
		*data = vmcs_read(VMCS_GUEST_FS_BASE);
		break;
	case MSR_GS_BASE:
		*data = vmcs_read(VMCS_GUEST_GS_BASE);
		break;
	case MSR_KERNEL_GS_BASE:
		if (vcpu->host.kgs)
			rdmsrl(MSR_KERNEL_GS_BASE, m->kernel_gs_base);
		*data = m->kernel_gs_base;
		break;
	case MSR_STAR:
		*data = m->star;
		break;
	case MSR_LSTAR:
		*data = m->lstar;
		break;
	case MSR_CSTAR:
		*data = m->cstar;
		break;
	case MSR_SYSCALL_MASK:
		*data = m->sfmask;
		break;
	case MSR_TSC_AUX:
		*data = m->tsc_aux;
		break;
	case MSR_IA32_SYSENTER_CS:
		*data = vmcs_read(VMCS_GUEST_SYSENTER_CS);
		break;
	case MSR_IA32_SYSENTER_ESP:
		*data = vmcs_read(VMCS_GUEST_SYSENTER_ESP);
		break;
	case MSR_IA32_SYSENTER_EIP:
		*data = vmcs_read(VMCS_GUEST_SYSENTER_EIP);
		break;
	case MSR_IA32_CR_PAT:
		*data = vmcs_read(VMCS_GUEST_IA32_PAT);
		break;
	case MSR_IA32_TSC:
		*data = rdtsc() + vcpu->tsc_offset;
		break;
	case MSR_IA32_MISC_ENABLE:
		*data = m->misc_enable;
		break;
	case MSR_MTRRdefType:
		*data = m->mtrr_def_type;
		break;
	case MSR_MTRRcap:		/* no variable or fixed ranges */
	case MSR_IA32_PLATFORM_ID:
	case MSR_IA32_UCODE_REV:
	case MSR_IA32_MCG_CAP:
	case MSR_IA32_MCG_STATUS:
		*data = 0;
		break;
	case MSR_IA32_FEAT_CTL:
		/* Locked, with VMX off: the guest has no VMX. */
		*data = FEAT_CTL_LOCKED;
		break;
	case MSR_IA32_DEBUGCTLMSR:
		*data = vmcs_read(VMCS_GUEST_IA32_DEBUGCTL);
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

/*
 * The SYSCALL MSRs: kept in struct vcpu_msrs, and in the processor too
 * while run.c has switched them to the guest's (EFER.SCE).
 */
static int syscall_msr_write(struct vmxlab_vcpu *vcpu, u32 index, u64 data)
{
	struct vcpu_msrs *m = &vcpu->msrs;

	switch (index) {
	case MSR_STAR:
		m->star = data;
		break;
	case MSR_LSTAR:
	case MSR_CSTAR:
		if (!canonical(data))
			return -EINVAL;
		if (index == MSR_LSTAR)
			m->lstar = data;
		else
			m->cstar = data;
		break;
	default:
		/* IA32_FMASK: only bits 31:0 exist (SDM 5.8.8). */
		data = (u32)data;
		m->sfmask = data;
		break;
	}
	if (vcpu->host.syscall_msrs)
		wrmsrl(index, data);
	return 0;
}

int vmxlab_msr_write(struct vmxlab_vcpu *vcpu, u32 index, u64 data)
{
	struct vcpu_msrs *m = &vcpu->msrs;
	struct cr_regs r;

	if (lapic_is_msr(index))
		return lapic_msr_write(vcpu, index, data,
				       &vcpu->events.eoi_vector);

	switch (index) {
	case MSR_EFER:
		/* The rules of WRMSR to IA32_EFER are cr_rules.c's. */
		vcpu_cr_regs(&r);
		if (efer_check(&r, &vmx_caps.guest, &data) != CR_OK)
			return -EINVAL;
		vmcs_write(VMCS_GUEST_IA32_EFER, data);
		vcpu->check.recheck = true;
		if ((data ^ r.efer) & EFER_SCE)
			vcpu->reload = true;
		break;
	case MSR_FS_BASE:
	case MSR_GS_BASE:
		if (!canonical(data))
			return -EINVAL;
		vmcs_write(index == MSR_FS_BASE ? VMCS_GUEST_FS_BASE :
			   VMCS_GUEST_GS_BASE, data);
		break;
	case MSR_KERNEL_GS_BASE:
		if (!canonical(data))
			return -EINVAL;
		m->kernel_gs_base = data;
		if (vcpu->host.kgs)
			wrmsrl(MSR_KERNEL_GS_BASE, data);
		break;
	case MSR_STAR:
	case MSR_LSTAR:
	case MSR_CSTAR:
	case MSR_SYSCALL_MASK:
		return syscall_msr_write(vcpu, index, data);
	case MSR_TSC_AUX:
		if (data >> 32)
			return -EINVAL;
		m->tsc_aux = data;
		vcpu->reload = true;
		break;
	case MSR_IA32_SYSENTER_CS:
		vmcs_write(VMCS_GUEST_SYSENTER_CS, (u32)data);
		break;
	case MSR_IA32_SYSENTER_ESP:
	case MSR_IA32_SYSENTER_EIP:
		if (!canonical(data))
			return -EINVAL;
		vmcs_write(index == MSR_IA32_SYSENTER_ESP ?
			   VMCS_GUEST_SYSENTER_ESP : VMCS_GUEST_SYSENTER_EIP,
			   data);
		break;
	case MSR_IA32_CR_PAT:
		if (!pat_valid(data))
			return -EINVAL;
		vmcs_write(VMCS_GUEST_IA32_PAT, data);
		break;
	case MSR_IA32_TSC:
		/* The guest TSC becomes @data now: move the offset. */
		vcpu->tsc_offset = data - rdtsc();
		vmcs_write(VMCS_TSC_OFFSET, vcpu->tsc_offset);
		break;
	case MSR_IA32_MISC_ENABLE:
		m->misc_enable = data;
		break;
	case MSR_MTRRdefType:
		if (data & ~0xcffULL)
			return -EINVAL;
		m->mtrr_def_type = data;
		break;
	case MSR_IA32_UCODE_REV:
		break;
	case MSR_IA32_DEBUGCTLMSR:
		/* LBR, BTF and friends would reach the real processor. */
		if (data)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}
