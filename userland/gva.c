// SPDX-License-Identifier: GPL-2.0
/* gva.c - linear-to-physical translation by walking guest page tables. */
#include "bootstate.h"
#include "gva.h"

#define PTE_P		(1ULL << 0)
#define PTE_PS		(1ULL << 7)
#define PTE_ADDR	0x000ffffffffff000ULL

unsigned cpu_code_bits(const struct vmxlab_sregs *s)
{
	if (!(s->cr0 & X86_CR0_PE))
		return 16;
	if ((s->efer & X86_EFER_LMA) && (s->cs.ar & AR_L))
		return 64;
	return (s->cs.ar & AR_DB) ? 32 : 16;
}

static bool read_pte(const struct guest *g, uint64_t gpa, unsigned size,
		     uint64_t *pte)
{
	if (!guest_range_ok(g, gpa, size))
		return false;
	*pte = size == 8 ? guest_r64(g, gpa) : guest_r32(g, gpa);
	return *pte & PTE_P;
}

/* 4- or 5-level paging: 9 bits per level, 1 GiB and 2 MiB leaves. */
static bool walk_long(const struct guest *g, const struct vmxlab_sregs *s,
		      uint64_t la, uint64_t *gpa)
{
	int levels = (s->cr4 & X86_CR4_LA57) ? 5 : 4, lvl;
	uint64_t table = s->cr3 & PTE_ADDR, pte;

	for (lvl = levels; lvl >= 1; lvl--) {
		unsigned shift = 12 + 9 * (lvl - 1);

		if (!read_pte(g, table + 8 * ((la >> shift) & 511), 8, &pte))
			return false;
		if (lvl == 1 || ((lvl == 2 || lvl == 3) && (pte & PTE_PS))) {
			uint64_t mask = (1ULL << shift) - 1;

			*gpa = ((pte & PTE_ADDR) & ~mask) | (la & mask);
			return true;
		}
		table = pte & PTE_ADDR;
	}
	return false;
}

/* PAE: 4-entry PDPT, then 2 MiB or 4 KiB pages. */
static bool walk_pae(const struct guest *g, const struct vmxlab_sregs *s,
		     uint64_t la, uint64_t *gpa)
{
	uint64_t pte;

	if (!read_pte(g, (s->cr3 & 0xffffffe0) + 8 * ((la >> 30) & 3), 8,
		      &pte))
		return false;
	if (!read_pte(g, (pte & PTE_ADDR) + 8 * ((la >> 21) & 511), 8, &pte))
		return false;
	if (pte & PTE_PS) {
		*gpa = (pte & PTE_ADDR & ~0x1fffffULL) | (la & 0x1fffff);
		return true;
	}
	if (!read_pte(g, (pte & PTE_ADDR) + 8 * ((la >> 12) & 511), 8, &pte))
		return false;
	*gpa = (pte & PTE_ADDR) | (la & 0xfff);
	return true;
}

/* 32-bit paging: 10 bits per level, 4 MiB pages with CR4.PSE. */
static bool walk_32(const struct guest *g, const struct vmxlab_sregs *s,
		    uint64_t la, uint64_t *gpa)
{
	uint64_t pde, pte;

	if (!read_pte(g, (s->cr3 & 0xfffff000) + 4 * ((la >> 22) & 1023), 4,
		      &pde))
		return false;
	if ((pde & PTE_PS) && (s->cr4 & X86_CR4_PSE)) {
		*gpa = (pde & 0xffc00000) | (la & 0x3fffff);
		return true;
	}
	if (!read_pte(g, (pde & 0xfffff000) + 4 * ((la >> 12) & 1023), 4,
		      &pte))
		return false;
	*gpa = (pte & 0xfffff000) | (la & 0xfff);
	return true;
}

bool gva_translate(const struct guest *g, const struct vmxlab_sregs *s,
		   uint64_t la, uint64_t *gpa)
{
	if (!(s->cr0 & X86_CR0_PG)) {
		*gpa = la & 0xffffffff;
		return true;
	}
	if (s->efer & X86_EFER_LMA)
		return walk_long(g, s, la, gpa);
	if (s->cr4 & X86_CR4_PAE)
		return walk_pae(g, s, la & 0xffffffff, gpa);
	return walk_32(g, s, la & 0xffffffff, gpa);
}

size_t fetch_insn(const struct guest *g, const struct vmxlab_sregs *s,
		  uint64_t rip, uint8_t *buf, size_t len)
{
	unsigned bits = cpu_code_bits(s);
	uint64_t la, gpa;
	size_t i;

	if (bits == 64)
		la = rip;
	else if (bits == 16 && !(s->cr0 & X86_CR0_PE))
		la = s->cs.base + (rip & 0xffff);
	else
		la = (s->cs.base + rip) & 0xffffffff;
	/* Byte by byte: the instruction may straddle two pages. */
	for (i = 0; i < len; i++) {
		if (!gva_translate(g, s, la + i, &gpa) ||
		    !guest_range_ok(g, gpa, 1))
			break;
		buf[i] = g->ram[gpa];
	}
	return i;
}
