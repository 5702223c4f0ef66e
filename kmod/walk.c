// SPDX-License-Identifier: GPL-2.0
/*
 * walk.c - translate a guest linear address through the guest's own page
 * tables, the way the processor would (SDM 4.3 32-bit paging, 4.4 PAE
 * paging, 4.5 4-level paging).  Only the translation matters here (to
 * fetch the instruction behind an MMIO access), not the access rights:
 * the guest was already executing there.
 */
#include <linux/kernel.h>

#include "vmxlab.h"

#define PTE_P		BIT_ULL(0)
#define PTE_PS		BIT_ULL(7)
#define PTE_ADDR	GENMASK_ULL(51, 12)

static bool read_entry(struct vmxlab_vcpu *vcpu, u64 gpa, u64 *e, int size)
{
	*e = 0;
	return !vm_read_gpa(vcpu->vm, gpa, e, size);
}

u64 vcpu_linear_to_gpa(struct vmxlab_vcpu *vcpu, u64 la, bool *ok)
{
	u64 cr0 = vmcs_read(VMCS_GUEST_CR0), cr4 = vmcs_read(VMCS_GUEST_CR4);
	u64 cr3 = vmcs_read(VMCS_GUEST_CR3);
	u64 e, table;
	int level, levels;

	*ok = true;
	if (!(cr0 & X86_CR0_PG))
		return la;

	*ok = false;
	if (!(cr4 & X86_CR4_PAE)) {
		/* 32-bit paging: 4-byte entries, 4 MiB pages with PSE. */
		la = (u32)la;
		if (!read_entry(vcpu, (cr3 & 0xfffff000) + ((la >> 22) << 2), &e, 4) ||
		    !(e & PTE_P))
			return 0;
		if ((e & PTE_PS) && (cr4 & X86_CR4_PSE)) {
			*ok = true;
			return (e & 0xffc00000) | (la & 0x3fffff);
		}
		if (!read_entry(vcpu, (e & 0xfffff000) + (((la >> 12) & 0x3ff) << 2),
				&e, 4) || !(e & PTE_P))
			return 0;
		*ok = true;
		return (e & 0xfffff000) | (la & 0xfff);
	}

	if (vmcs_read(VMCS_GUEST_IA32_EFER) & EFER_LMA) {
		levels = 4;
		table = cr3 & PTE_ADDR;
	} else {
		/* PAE: the PDPTEs are in the VMCS (SDM 26.3.2.4). */
		la = (u32)la;
		e = vmcs_read(VMCS_GUEST_PDPTE0 + 2 * (la >> 30));
		if (!(e & PTE_P))
			return 0;
		levels = 2;
		table = e & PTE_ADDR;
	}
	for (level = levels; level >= 1; level--) {
		unsigned int shift = 12 + 9 * (level - 1);

		if (!read_entry(vcpu, table + (((la >> shift) & 511) << 3), &e, 8) ||
		    !(e & PTE_P))
			return 0;
		/* A 1 GiB (level 3) or 2 MiB (level 2) page ends the walk. */
		if (level <= 3 && level > 1 && (e & PTE_PS)) {
			*ok = true;
			return ((e & PTE_ADDR) & ~((1ULL << shift) - 1)) |
			       (la & ((1ULL << shift) - 1));
		}
		table = e & PTE_ADDR;
	}
	*ok = true;
	return table | (la & 0xfff);
}

/*
 * The same walk as vcpu_linear_to_gpa(), keeping every entry it reads,
 * then the EPT walk, for the stepper's "walk" (VMXLAB_TRANSLATE).
 */
void vcpu_translate(struct vmxlab_vcpu *vcpu, struct vmxlab_translation *t)
{
	u64 cr0 = vmcs_read(VMCS_GUEST_CR0), cr4 = vmcs_read(VMCS_GUEST_CR4);
	u64 cr3 = vmcs_read(VMCS_GUEST_CR3), la = t->gva, e = 0, table;
	int level, levels, n = 0;
	bool lma = vmcs_read(VMCS_GUEST_IA32_EFER) & EFER_LMA;
	u64 gva = t->gva;

	memset(t, 0, sizeof(*t));
	t->gva = gva;
	if (!(cr0 & X86_CR0_PG)) {
		/* Without paging, linear addresses are 32 bits wide. */
		t->gpa = (u32)la;
		goto ept;
	}
	if (!(cr4 & X86_CR4_PAE)) {
		la = (u32)la;
		t->guest_levels = 2;
		table = cr3 & 0xfffff000;
		for (level = 2; level >= 1; level--) {
			u64 addr = table + (((la >> (12 + 10 * (level - 1))) & 0x3ff) << 2);

			t->guest_entry_gpa[n] = addr;
			if (!read_entry(vcpu, addr, &e, 4) || !(e & PTE_P))
				return;
			t->guest_entry[n++] = e;
			if (level == 2 && (e & PTE_PS) && (cr4 & X86_CR4_PSE)) {
				t->gpa = (e & 0xffc00000) | (la & 0x3fffff);
				goto ept;
			}
			table = e & 0xfffff000;
		}
		t->gpa = table | (la & 0xfff);
		goto ept;
	}
	if (lma) {
		levels = 4;
		table = cr3 & PTE_ADDR;
	} else {
		la = (u32)la;
		t->guest_levels = 3;
		e = vmcs_read(VMCS_GUEST_PDPTE0 + 2 * (la >> 30));
		t->guest_entry[n++] = e;
		if (!(e & PTE_P))
			return;
		levels = 2;
		table = e & PTE_ADDR;
	}
	t->guest_levels = lma ? 4 : 3;
	for (level = levels; level >= 1; level--) {
		unsigned int shift = 12 + 9 * (level - 1);
		u64 addr = table + (((la >> shift) & 511) << 3);

		t->guest_entry_gpa[n] = addr;
		if (!read_entry(vcpu, addr, &e, 8) || !(e & PTE_P))
			return;
		t->guest_entry[n++] = e;
		if (level <= 3 && level > 1 && (e & PTE_PS)) {
			t->gpa = ((e & PTE_ADDR) & ~((1ULL << shift) - 1)) |
				 (la & ((1ULL << shift) - 1));
			goto ept;
		}
		table = e & PTE_ADDR;
	}
	t->gpa = table | (la & 0xfff);
ept:
	t->flags |= VMXLAB_XLATE_GPA_VALID;
	t->hpa = ept_lookup(&vcpu->vm->ept, t->gpa, t->ept_entry);
	if (t->hpa != ~0ULL)
		t->flags |= VMXLAB_XLATE_HPA_VALID;
	else
		t->hpa = 0;
}
