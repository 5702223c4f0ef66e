// SPDX-License-Identifier: GPL-2.0
/*
 * walk.c - the guest's page tables walked from the VMCS (pagewalk.c does
 * the walk): the instruction fetch behind an MMIO exit (exits.c), and
 * VMXLAB_TRANSLATE, the stepper's "walk", which adds the EPT walk.
 */
#include <linux/kernel.h>
#include <linux/mm.h>

#include "vmxlab.h"
#include "ept.h"
#include "memory.h"
#include "pagewalk.h"
#include "vmx_ops.h"
#include "walk.h"

static bool walk_read(void *ctx, u64 gpa, void *buf, unsigned int size)
{
	struct vmxlab_vcpu *vcpu = ctx;

	return !vm_read_gpa(vcpu->vm, gpa, buf, size);
}

/*
 * The registers the processor walks with: the VMCS's own CR0 and CR4
 * (with unrestricted guest, PG and PAE are the guest's), and under PAE
 * paging the PDPTEs the VMCS holds (SDM 27.3.2.4).
 */
static void vcpu_pw_regs(struct pw_regs *r, u64 pdpte[4])
{
	int i;

	r->cr0 = vmcs_read(VMCS_GUEST_CR0);
	r->cr3 = vmcs_read(VMCS_GUEST_CR3);
	r->cr4 = vmcs_read(VMCS_GUEST_CR4);
	r->efer = vmcs_read(VMCS_GUEST_IA32_EFER);
	r->cs_base = vmcs_read(VMCS_GUEST_CS_BASE);
	r->cs_ar = vmcs_read(VMCS_GUEST_CS_AR_BYTES);
	r->pdpte = pdpte;
	/* Only PAE paging uses them: four VMREADs saved on every MMIO exit. */
	if (pw_pae_paging(r->cr0, r->cr4, r->efer))
		for (i = 0; i < 4; i++)
			pdpte[i] = vmcs_read(VMCS_GUEST_PDPTE0 + 2 * i);
}

/*
 * The instruction at CS:RIP, up to 15 bytes, page by page (it may
 * straddle two); returns how many were read, and in @bits its code size.
 */
unsigned int vcpu_fetch_insn(struct vmxlab_vcpu *vcpu, u8 *buf, int *bits)
{
	unsigned int got = 0, n;
	struct pw_regs r;
	struct pw_walk w;
	u64 la, pdpte[4];

	vcpu_pw_regs(&r, pdpte);
	*bits = pw_code_bits(&r);
	la = pw_insn_linear(&r, vmcs_read(VMCS_GUEST_RIP));
	while (got < 15) {
		n = min_t(unsigned int, 15 - got,
			  PAGE_SIZE - offset_in_page(la + got));
		if (!pw_translate(&r, la + got, walk_read, vcpu, &w) ||
		    vm_read_gpa(vcpu->vm, w.gpa, buf + got, n))
			break;
		got += n;
	}
	return got;
}

/* The guest walk, entry by entry, then the EPT walk (VMXLAB_TRANSLATE). */
void vcpu_translate(struct vmxlab_vcpu *vcpu, struct vmxlab_translation *t)
{
	u64 gva = t->gva, pdpte[4];
	struct pw_regs r;
	struct pw_walk w;
	unsigned int i;
	bool ok;

	vcpu_pw_regs(&r, pdpte);
	ok = pw_translate(&r, gva, walk_read, vcpu, &w);
	memset(t, 0, sizeof(*t));
	t->gva = gva;
	t->guest_levels = w.levels;
	/* LA57 is never offered to a guest: at most 4 levels to report. */
	for (i = 0; i < w.n && i < ARRAY_SIZE(t->guest_entry); i++) {
		t->guest_entry[i] = w.entry[i];
		/* A PDPTE register was read from no address. */
		t->guest_entry_gpa[i] = w.entry_gpa[i] == PW_NO_GPA ? 0 :
					w.entry_gpa[i];
	}
	if (!ok)
		return;
	t->gpa = w.gpa;
	t->flags |= VMXLAB_XLATE_GPA_VALID;
	t->hpa = ept_lookup(&vcpu->vm->ept, t->gpa, t->ept_entry);
	if (t->hpa != ~0ULL)
		t->flags |= VMXLAB_XLATE_HPA_VALID;
	else
		t->hpa = 0;
}
