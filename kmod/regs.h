/* SPDX-License-Identifier: GPL-2.0 */
/* regs.h - what regs.c exports: the guest's registers and their rules. */
#ifndef VMXLAB_REGS_H
#define VMXLAB_REGS_H

#include "vmxlab.h"
#include "cr_rules.h"

/* The guest TSC at the last exit (guest TSC = host TSC + offset). */
static inline u64 vcpu_exit_guest_tsc(const struct vmxlab_vcpu *vcpu)
{
	return vcpu->exit_tsc + vcpu->tsc_offset;
}

int vcpu_cpl(void);
void vcpu_advance_rip(struct vmxlab_vcpu *vcpu, unsigned int len);
void vcpu_skip_instruction(struct vmxlab_vcpu *vcpu);
void vcpu_inject_exception(struct vmxlab_vcpu *vcpu, u8 vector,
			   bool has_error, u32 error);
bool vcpu_load_pdptes(struct vmxlab_vcpu *vcpu);
u64 vcpu_guest_cr0(void);
u64 vcpu_guest_cr4(void);
void vcpu_cr_regs(struct cr_regs *r);
void vcpu_set_cr0(struct vmxlab_vcpu *vcpu, u64 cr0);
void vcpu_set_cr4(struct vmxlab_vcpu *vcpu, u64 cr4);
void vcpu_update_xcr0_switch(struct vmxlab_vcpu *vcpu, u64 cr4);
void vcpu_set_dr7(struct vmxlab_vcpu *vcpu, u64 dr7);
void vcpu_dr7_written(struct vmxlab_vcpu *vcpu, u64 dr7);
void vcpu_write_gpr(struct vmxlab_vcpu *vcpu, unsigned int reg,
		    unsigned int size, bool high, u64 val);
void vcpu_complete_mmio_read(struct vmxlab_vcpu *vcpu, u64 val);
void vcpu_get_regs(struct vmxlab_vcpu *vcpu, struct vmxlab_regs *r);
int vcpu_set_regs(struct vmxlab_vcpu *vcpu, const struct vmxlab_regs *r);
void vcpu_get_sregs(struct vmxlab_vcpu *vcpu, struct vmxlab_sregs *s);
int vcpu_set_sregs(struct vmxlab_vcpu *vcpu, const struct vmxlab_sregs *s);

#endif /* VMXLAB_REGS_H */
