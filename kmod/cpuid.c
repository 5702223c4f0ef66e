// SPDX-License-Identifier: GPL-2.0
/*
 * cpuid.c - what CPUID tells a guest.
 *
 * The host's values, filtered: a guest must not be told about features
 * vmxlab does not virtualize (VMX itself, performance monitoring,
 * protection keys, speculation-control MSRs...), and it is told that it
 * runs under a hypervisor (CPUID.1:ECX[31], and leaf 0x40000000 with the
 * signature "vmxlabvmxlab").  Userspace overrides any leaf with
 * VMXLAB_SET_CPUID.
 */
#include <linux/kernel.h>
#include <asm/processor.h>
#include <asm/fpu/types.h>

#include "vmxlab.h"
#include "cpuid.h"
#include "lapic.h"
#include "vmx.h"
#include "vmx_bits.h"
#include "vmx_ops.h"

#define HV_LEAF		0x40000000

/* Size of the XSAVE area for the components in @xcr0 (SDM 14.4, 14.5). */
static u32 xsave_size(u64 xcr0)
{
	u32 size = 512 + 64, a, b, c, d;
	int i;

	for (i = 2; i < 64; i++) {
		if (!(xcr0 & BIT_ULL(i)))
			continue;
		cpuid_count(0xd, i, &a, &b, &c, &d);
		size = max(size, a + b);
	}
	return size;
}

static bool policy_lookup(struct vmxlab_vcpu *vcpu, u32 fn, u32 idx, u32 *eax,
			  u32 *ebx, u32 *ecx, u32 *edx)
{
	struct vmxlab_policy *p = rcu_dereference_sched(vcpu->vm->policy);
	u32 i;

	if (likely(!p->ncpuid))
		return false;
	for (i = 0; i < p->ncpuid; i++) {
		const struct vmxlab_cpuid_entry *e = &p->cpuid[i];

		if (e->function == fn &&
		    ((e->flags & VMXLAB_CPUID_ANY_INDEX) || e->index == idx)) {
			*eax = e->eax;
			*ebx = e->ebx;
			*ecx = e->ecx;
			*edx = e->edx;
			return true;
		}
	}
	return false;
}

void vmxlab_cpuid(struct vmxlab_vcpu *vcpu, u32 fn, u32 idx, u32 *eax,
		  u32 *ebx, u32 *ecx, u32 *edx)
{
	u64 cr4;

	if (policy_lookup(vcpu, fn, idx, eax, ebx, ecx, edx))
		return;

	if ((fn & 0xffffff00) == HV_LEAF) {
		*eax = *ebx = *ecx = *edx = 0;
		if (fn == HV_LEAF) {
			*eax = HV_LEAF;
			memcpy(ebx, "vmxl", 4);
			memcpy(ecx, "abvm", 4);
			memcpy(edx, "xlab", 4);
		}
		return;
	}

	cpuid_count(fn, idx, eax, ebx, ecx, edx);
	switch (fn) {
	case 1:
		/* One logical processor, whose initial APIC ID is the vCPU id. */
		*ebx = (*ebx & 0xffff) | (1 << 16) | (vcpu->id << 24);
		/*
		 * ECX: no MONITOR(3), DS-CPL(4), VMX(5), SMX(6), EST(7),
		 * TM2(8), PDCM(15); hypervisor present (31).  x2APIC (21)
		 * and TSC-deadline (24) are lapic.c's, whatever the host has.
		 */
		*ecx &= ~(BIT(3) | BIT(4) | BIT(5) | BIT(6) | BIT(7) | BIT(8) |
			  BIT(15));
		*ecx |= BIT(21) | BIT(24) | BIT(31);
		/* APIC (EDX 9) reads 0 while IA32_APIC_BASE.EN = 0 (11.4.3). */
		if (!(vcpu->apic.base & LAPIC_BASE_ENABLE))
			*edx &= ~BIT(9);
		else
			*edx |= BIT(9);
		/* OSXSAVE mirrors the guest's CR4, not the host's. */
		cr4 = vmcs_read(VMCS_CR4_READ_SHADOW);
		*ecx &= ~BIT(27);
		if (cr4 & X86_CR4_OSXSAVE)
			*ecx |= BIT(27);
		/* EDX: no MCE(7), MCA(14), DS(21), ACPI(22), HTT(28), TM(29), PBE(31). */
		*edx &= ~(BIT(7) | BIT(14) | BIT(21) | BIT(22) | BIT(28) |
			  BIT(29) | BIT(31));
		/*
		 * Features whose state XCR0 must enable exist only if the
		 * guest can enable it: no XSAVE at all when the host kernel
		 * runs without it, no AVX without the YMM component.
		 */
		if (!vmx_caps.guest.xcr0)
			*ecx &= ~(BIT(26) | BIT(27));		/* XSAVE, OSXSAVE */
		if (!(vmx_caps.guest.xcr0 & XFEATURE_MASK_YMM))
			*ecx &= ~(BIT(12) | BIT(28) | BIT(29));	/* FMA, AVX, F16C */
		break;
	case 7:
		if (idx != 0) {
			*eax = *ebx = *ecx = *edx = 0;
			break;
		}
		/* EBX: no SGX(2), INVPCID(10) unless enabled, RDT(12,15), MPX(14), PT(25). */
		*ebx &= ~(BIT(2) | BIT(12) | BIT(14) | BIT(15) | BIT(25));
		if (!(vmx_caps.proc2 & PROC2_INVPCID))
			*ebx &= ~BIT(10);
		/* ECX: no PKU(3), OSPKE(4), WAITPKG(5), LA57(16), SGX_LC(30). */
		*ecx &= ~(BIT(3) | BIT(4) | BIT(5) | BIT(16) | BIT(30));
		/*
		 * EDX: no AMX (22, 24, 25), no speculation-control MSRs
		 * (26, 27, 29, 30, 31).
		 */
		*edx &= ~(BIT(22) | BIT(24) | BIT(25) | BIT(26) | BIT(27) |
			  BIT(29) | BIT(30) | BIT(31));
		if (!(vmx_caps.guest.xcr0 & XFEATURE_MASK_YMM))
			*ebx &= ~BIT(5);			/* AVX2 */
		if ((vmx_caps.guest.xcr0 & XFEATURE_MASK_AVX512) !=
		    XFEATURE_MASK_AVX512) {
			/* AVX-512 F, DQ, IFMA, PF, ER, CD, BW, VL; VBMI etc. */
			*ebx &= ~(BIT(16) | BIT(17) | BIT(21) | BIT(26) |
				  BIT(27) | BIT(28) | BIT(30) | BIT(31));
			*ecx &= ~(BIT(1) | BIT(6) | BIT(11) | BIT(12) | BIT(14));
			*edx &= ~(BIT(2) | BIT(3) | BIT(8) | BIT(23));
		}
		break;
	case 0xd:
		if (!vmx_caps.guest.xcr0) {
			*eax = *ebx = *ecx = *edx = 0;
		} else if (idx == 0) {
			*eax &= vmx_caps.guest.xcr0;
			*edx &= vmx_caps.guest.xcr0 >> 32;
			/* EBX depends on the XCR0 in force: the guest's. */
			*ebx = xsave_size(vcpu->xcr0);
			*ecx = xsave_size(vmx_caps.guest.xcr0);
		} else if (idx == 1) {
			/* No XSAVES (3) or XFD (4): no supervisor states. */
			*eax &= ~(BIT(3) | BIT(4));
			*ebx = xsave_size(vcpu->xcr0);
			*ecx = *edx = 0;
		} else if (idx >= 64 || !(vmx_caps.guest.xcr0 & BIT_ULL(idx))) {
			*eax = *ebx = *ecx = *edx = 0;
		}
		break;
	case 6:		/* thermal and power management: ARAT, below */
	case 0xa:	/* architectural performance monitoring */
	case 0xb:	/* x2APIC topology */
	case 0xf:	/* resource monitoring */
	case 0x10:	/* resource allocation */
	case 0x12:	/* SGX */
	case 0x14:	/* processor trace */
	case 0x1d:	/* AMX tiles */
	case 0x1e:	/* AMX TMUL */
	case 0x1f:	/* x2APIC topology, v2 */
		*eax = *ebx = *ecx = *edx = 0;
		/*
		 * Of leaf 6 only ARAT (EAX 2): lapic.c's timer is a host
		 * timer, which runs in any state of the vCPU.
		 */
		if (fn == 6)
			*eax = BIT(2);
		break;
	}
}
