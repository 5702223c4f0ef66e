/* SPDX-License-Identifier: GPL-2.0 */
/* selfcheck.h - what selfcheck.c exports: the VM-entry explainer on a vCPU. */
#ifndef VMXLAB_SELFCHECK_H
#define VMXLAB_SELFCHECK_H

#include "vmxlab.h"

unsigned int vcpu_entry_check(struct vmxlab_check_failure *out,
			      unsigned int max);
int vcpu_explain(struct vmxlab_vcpu *vcpu, struct vmxlab_entry_check *c);
void vcpu_selfcheck_before(struct vmxlab_vcpu *vcpu);
void vcpu_selfcheck_after(struct vmxlab_vcpu *vcpu, int r);

#endif /* VMXLAB_SELFCHECK_H */
