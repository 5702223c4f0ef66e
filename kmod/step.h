/* SPDX-License-Identifier: GPL-2.0 */
/* step.h - what step.c exports: VMXLAB_SET_DEBUG and the stops. */
#ifndef VMXLAB_STEP_H
#define VMXLAB_STEP_H

#include "vmxlab.h"

int vcpu_set_debug(struct vmxlab_vcpu *vcpu, const struct vmxlab_debug *d);
void vcpu_arm_trap_flag(struct vmxlab_vcpu *vcpu);
void vcpu_disarm_trap_flag(struct vmxlab_vcpu *vcpu);
bool vcpu_stop_at_exit(struct vmxlab_vcpu *vcpu);
int vcpu_stop_at_inject(struct vmxlab_vcpu *vcpu);
int vcpu_check_stops(struct vmxlab_vcpu *vcpu);

#endif /* VMXLAB_STEP_H */
