/* SPDX-License-Identifier: GPL-2.0 */
/* vcpu.h - what vcpu.c exports: creating a vCPU and its file. */
#ifndef VMXLAB_VCPU_H
#define VMXLAB_VCPU_H

struct vmxlab_vm;

int vmxlab_vcpu_create(struct vmxlab_vm *vm, unsigned long id);

#endif /* VMXLAB_VCPU_H */
