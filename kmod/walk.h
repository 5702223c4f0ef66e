/* SPDX-License-Identifier: GPL-2.0 */
/* walk.h - what walk.c exports: guest page walks and instruction fetch. */
#ifndef VMXLAB_WALK_H
#define VMXLAB_WALK_H

#include "vmxlab.h"

void vcpu_translate(struct vmxlab_vcpu *vcpu, struct vmxlab_translation *t);
unsigned int vcpu_fetch_insn(struct vmxlab_vcpu *vcpu, u8 *buf, int *bits);

#endif /* VMXLAB_WALK_H */
