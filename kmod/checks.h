/* SPDX-License-Identifier: GPL-2.0 */
/*
 * checks.h - vmxlab's copy of the VM-entry checks (SDM Vol. 3C, chapter
 * 27 "VM Entries", sections 27.2 and 27.3), run on VMCS field values.
 *
 * Plain C with no kernel dependency but the capability read, so the host
 * unit tests build the same source (selftests/host/test-checks.c); the
 * host build provides u8, u16, u32, u64 and bool.
 */
#ifndef VMXLAB_CHECKS_H
#define VMXLAB_CHECKS_H

#ifdef __KERNEL__
#include <linux/types.h>
#endif
#include <linux/vmxlab.h>
#include <linux/vmxlab_checks.h>

/*
 * The raw capability MSRs (SDM Appendix A).  The five control words are
 * the TRUE_ versions where IA32_VMX_BASIC[55] says they exist: low 32
 * bits = allowed 0-settings (a bit set there must be 1), high 32 bits =
 * allowed 1-settings (a bit clear there must be 0).
 */
struct vmx_check_caps {
	u64 basic, pinbased, procbased, procbased2, exit, entry;
	u64 misc, cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1, ept_vpid_cap;
	u64 vmfunc;
	unsigned int maxphyaddr;	/* CPUID.80000008H:EAX[7:0] */
};

struct vmx_check_input {
	/* One VMCS field, by its SDM encoding (uapi/linux/vmxlab_tables.h). */
	u64 (*read)(const void *ctx, u32 encoding);
	const void *ctx;
	const struct vmx_check_caps *caps;
};

/*
 * Runs every rule; writes up to @max failures to @out, in rule order, and
 * returns the number of failing rules (which may be more than @max).
 */
unsigned int vmx_entry_check(const struct vmx_check_input *in,
			     struct vmxlab_check_failure *out,
			     unsigned int max);

#ifdef __KERNEL__
/* Reads the capability MSRs of the CPU it runs on. */
void vmx_check_caps_read(struct vmx_check_caps *caps);
#endif

#endif /* VMXLAB_CHECKS_H */
