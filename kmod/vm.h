/* SPDX-License-Identifier: GPL-2.0 */
/* vm.h - what vm.c exports: a VM's file. */
#ifndef VMXLAB_VM_H
#define VMXLAB_VM_H

struct vmxlab_vm;

int vmxlab_vm_create(void);
void vmxlab_vm_put(struct vmxlab_vm *vm);

#endif /* VMXLAB_VM_H */
