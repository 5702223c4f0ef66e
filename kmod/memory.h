/* SPDX-License-Identifier: GPL-2.0 */
/* memory.h - what memory.c exports: guest memory slots and reads. */
#ifndef VMXLAB_MEMORY_H
#define VMXLAB_MEMORY_H

#include <linux/types.h>
#include <linux/compiler_types.h>

struct vmxlab_vm;

int vm_set_memory_region(struct vmxlab_vm *vm, void __user *argp);
void vm_memory_free(struct vmxlab_vm *vm);
int vm_read_gpa(struct vmxlab_vm *vm, u64 gpa, void *buf, unsigned int len);

#endif /* VMXLAB_MEMORY_H */
