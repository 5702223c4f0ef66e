// SPDX-License-Identifier: GPL-2.0
/*
 * apic_bus.c - who receives an interrupt message.
 *
 * On a real machine the local APICs and the I/O APIC share a bus (the
 * system bus on current processors, SDM Vol. 3A 11.1); a message names
 * its destination and every APIC decides whether it is meant (SDM
 * 11.6.2).  Here a message comes from a vCPU's ICR (an IPI) or from the
 * loader's IOAPIC and other devices (VMXLAB_SIGNAL_MSI), and this file
 * does what the bus and the APICs' matching do: a destination shorthand,
 * or a physical or logical destination, then each matching APIC takes
 * it (lapic.c).
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "vmxlab.h"
#include "apic_bus.h"
#include "lapic.h"
#include "trace.h"

/*
 * Lowest priority goes to the matching APIC with the lowest TPR: the
 * SDM leaves the arbitration to the model (11.6.2.4), and focus
 * processors are not modelled.  Called without any APIC lock held.
 */
int apic_bus_send(struct vmxlab_vm *vm, struct vmxlab_vcpu *src, u32 sh,
		  u32 dest, bool logical, u32 dm, u8 vector, bool level)
{
	struct vmxlab_vcpu *lowest = NULL;
	int i, n = 0;

	rcu_read_lock();
	for (i = 0; i < VMXLAB_MAX_VCPUS; i++) {
		/* vcpu.c frees a vCPU only after a grace period. */
		struct vmxlab_vcpu *v = READ_ONCE(vm->vcpus[i]);
		bool match;

		if (!v)
			continue;
		switch (sh) {
		case LAPIC_ICR_SH_SELF:
			match = v == src;
			break;
		case LAPIC_ICR_SH_ALL:
			match = true;
			break;
		case LAPIC_ICR_SH_OTHERS:
			match = v != src;
			break;
		default:
			match = lapic_match(v, dest, logical);
			break;
		}
		if (!match)
			continue;
		if (dm == LAPIC_DM_LOWEST) {
			if (!lowest || lapic_tpr(v) < lapic_tpr(lowest))
				lowest = v;
			continue;
		}
		n += lapic_accept(v, dm, vector, level);
	}
	if (lowest)
		n += lapic_accept(lowest, dm, vector, level);
	rcu_read_unlock();
	return n;
}

/*
 * VMXLAB_SIGNAL_MSI: the message format of SDM 11.11.1: 0xFEE in
 * address bits 31:20, the destination in 19:12, the destination mode in
 * bit 2; bits 11:4 and 1:0 are reserved.  Data: vector 7:0, delivery
 * mode 10:8, level 14, trigger mode 15.
 */
int apic_bus_msi(struct vmxlab_vm *vm, const struct vmxlab_msi *msi)
{
	if ((msi->address_lo & 0xfff00000) != LAPIC_DEFAULT_BASE ||
	    (msi->address_lo & 0xff3) || msi->address_hi || msi->flags ||
	    (msi->data & ~0xc7ffU) ||
	    memchr_inv(msi->reserved, 0, sizeof(msi->reserved)))
		return -EINVAL;
	trace_vmxlab_apic(U32_MAX, "msi", msi->data & 0xff);
	return apic_bus_send(vm, NULL, LAPIC_ICR_SH_NONE,
			     (msi->address_lo >> 12) & 0xff,
			     msi->address_lo & BIT(2), (msi->data >> 8) & 7,
			     msi->data & 0xff, msi->data & BIT(15));
}
