/* SPDX-License-Identifier: GPL-2.0 */
/* vmx.h - what vmx.c exports: the hardware contract, VMXON and VMXOFF. */
#ifndef VMXLAB_VMX_H
#define VMXLAB_VMX_H

#include <linux/types.h>

#include "checks.h"
#include "cr_rules.h"

struct vmx_caps {
	u32 revision_id;	/* IA32_VMX_BASIC[30:0] (SDM A.1) */
	u32 vmcs_size;		/* IA32_VMX_BASIC[44:32] */
	/* The control values vmxlab runs with, already adjusted (SDM A.3-A.5). */
	u32 pin, proc, proc2, exit, entry;
	u64 ept_vpid_cap;	/* IA32_VMX_EPT_VPID_CAP (SDM A.10) */
	u64 misc;		/* IA32_VMX_MISC (SDM A.6) */
	/* Bits of CR0/CR4 fixed in VMX operation (SDM A.7, A.8). */
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	u32 preemption_timer_shift;
	u32 proc_may_be_one;	/* allowed 1-settings of the proc controls */
	bool invept_single;
	u64 host_xcr0;
	/* What a guest may write to CR4, EFER, XCR0 (cr_rules.h). */
	struct cr_caps guest;
};

extern struct vmx_caps vmx_caps;
/* The raw capability MSRs, for the entry explainer (checks.c). */
extern struct vmx_check_caps vmx_check_caps;

int vmx_check_features(void);
int vmx_get(void);		/* VMXON on every CPU for the first VM */
void vmx_put(void);		/* VMXOFF on every CPU after the last VM */
int vmx_init(void);
void vmx_exit(void);
void vmx_invept_all_cpus(u64 eptp);

#endif /* VMXLAB_VMX_H */
