/* SPDX-License-Identifier: GPL-2.0 */
/* exits.h - what exits.c exports: the exit handlers, in one table. */
#ifndef VMXLAB_EXITS_H
#define VMXLAB_EXITS_H

#include "vmxlab.h"

/* 1: re-enter the guest; 0: return to userspace; < 0: an errno. */
int vmxlab_handle_exit(struct vmxlab_vcpu *vcpu, u32 reason);
/* The exits the fast path handles with interrupts still off. */
bool vmxlab_fastpath_exit(struct vmxlab_vcpu *vcpu);
/* The exit's details in vmxlab_run, for any return after an exit. */
void vcpu_fill_exit(struct vmxlab_vcpu *vcpu);
/* End RUN with a VMXLAB_EXIT_STOP of @kind for the stepper. */
int vcpu_stop(struct vmxlab_vcpu *vcpu, u32 kind);

#endif /* VMXLAB_EXITS_H */
