/* SPDX-License-Identifier: GPL-2.0 */
/* cpuid.h - what cpuid.c exports: what CPUID tells a guest. */
#ifndef VMXLAB_CPUID_H
#define VMXLAB_CPUID_H

#include "vmxlab.h"

void vmxlab_cpuid(struct vmxlab_vcpu *vcpu, u32 fn, u32 idx, u32 *eax,
		  u32 *ebx, u32 *ecx, u32 *edx);

#endif /* VMXLAB_CPUID_H */
