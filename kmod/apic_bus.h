/* SPDX-License-Identifier: GPL-2.0 */
/* apic_bus.h - what apic_bus.c exports: delivering interrupt messages. */
#ifndef VMXLAB_APIC_BUS_H
#define VMXLAB_APIC_BUS_H

#include <linux/types.h>

#include <linux/vmxlab.h>

struct vmxlab_vm;
struct vmxlab_vcpu;

/*
 * A message to the APICs of @vm: a shorthand (LAPIC_ICR_SH_*, relative
 * to @src, NULL for a device) or @dest, physical or logical.  Returns
 * how many APICs accepted it.
 */
int apic_bus_send(struct vmxlab_vm *vm, struct vmxlab_vcpu *src, u32 sh,
		  u32 dest, bool logical, u32 dm, u8 vector, bool level);
/* VMXLAB_SIGNAL_MSI: the count that accepted, or -EINVAL. */
int apic_bus_msi(struct vmxlab_vm *vm, const struct vmxlab_msi *msi);

#endif /* VMXLAB_APIC_BUS_H */
