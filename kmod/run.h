/* SPDX-License-Identifier: GPL-2.0 */
/* run.h - what run.c and vmenter.S export: VMXLAB_RUN. */
#ifndef VMXLAB_RUN_H
#define VMXLAB_RUN_H

#include "vmxlab.h"

int vcpu_run(struct vmxlab_vcpu *vcpu);

/* vmenter.S */
int vmxlab_vmenter(unsigned long *gprs, bool launched);
void vmxlab_vmexit(void);

#endif /* VMXLAB_RUN_H */
