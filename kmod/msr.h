/* SPDX-License-Identifier: GPL-2.0 */
/* msr.h - what msr.c exports: the guest's MSRs. */
#ifndef VMXLAB_MSR_H
#define VMXLAB_MSR_H

#include "vmxlab.h"

bool vmxlab_user_msr(struct vmxlab_vcpu *vcpu, u32 index);
int vmxlab_msr_read(struct vmxlab_vcpu *vcpu, u32 index, u64 *data);
int vmxlab_msr_write(struct vmxlab_vcpu *vcpu, u32 index, u64 data);
void vcpu_msrs_reset(struct vmxlab_vcpu *vcpu);

#endif /* VMXLAB_MSR_H */
