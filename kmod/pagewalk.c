// SPDX-License-Identifier: GPL-2.0
/*
 * pagewalk.c - the guest page-table walk (see pagewalk.h).
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#endif
#include "pagewalk.h"

#define PW_CR0_PE	BIT_ULL(0)
#define PW_CR0_PG	BIT_ULL(31)
#define PW_CR4_PSE	BIT_ULL(4)
#define PW_CR4_PAE	BIT_ULL(5)
#define PW_CR4_LA57	BIT_ULL(12)
#define PW_EFER_LMA	BIT_ULL(10)
#define PW_AR_L		BIT_ULL(13)
#define PW_AR_DB	BIT_ULL(14)
#define PTE_P		BIT_ULL(0)
#define PTE_PS		BIT_ULL(7)
#define PTE_ADDR	GENMASK_ULL(51, 12)

int pw_code_bits(const struct pw_regs *r)
{
	if (!(r->cr0 & PW_CR0_PE))
		return 16;
	if ((r->efer & PW_EFER_LMA) && (r->cs_ar & PW_AR_L))
		return 64;
	return (r->cs_ar & PW_AR_DB) ? 32 : 16;
}

u64 pw_insn_linear(const struct pw_regs *r, u64 rip)
{
	int bits = pw_code_bits(r);

	if (bits == 64)
		return rip;		/* CS.base is 0 in 64-bit mode */
	if (bits == 16)
		rip &= 0xffff;
	return (r->cs_base + rip) & 0xffffffffULL;
}

/* Read one entry of @size bytes into the walk; false if it is not present. */
static bool entry(struct pw_walk *w, u64 gpa, unsigned int size,
		  pw_read_fn read, void *ctx, u64 *e)
{
	*e = 0;
	if (w->n >= PW_MAX_LEVELS || !read(ctx, gpa, e, size))
		return false;
	w->entry_gpa[w->n] = gpa;
	w->entry[w->n++] = *e;
	return *e & PTE_P;
}

/* 32-bit paging: 10 bits per level, 4 MiB pages with CR4.PSE (SDM 4.3). */
static bool walk_32(const struct pw_regs *r, u64 la, pw_read_fn read,
		    void *ctx, struct pw_walk *w)
{
	u64 e;

	w->levels = 2;
	if (!entry(w, (r->cr3 & 0xfffff000) + ((la >> 22) << 2), 4, read, ctx, &e))
		return false;
	if ((e & PTE_PS) && (r->cr4 & PW_CR4_PSE)) {
		w->gpa = (e & 0xffc00000) | (la & 0x3fffff);
		return true;
	}
	if (!entry(w, (e & 0xfffff000) + (((la >> 12) & 0x3ff) << 2), 4,
		   read, ctx, &e))
		return false;
	w->gpa = (e & 0xfffff000) | (la & 0xfff);
	return true;
}

/*
 * 9 bits per level below @table, from level @top down; a PS bit at level
 * 3 (1 GiB) or 2 (2 MiB) ends the walk (SDM 4.4.2, 4.5.4).
 */
static bool walk_9bit(u64 table, int top, u64 la, pw_read_fn read,
		      void *ctx, struct pw_walk *w)
{
	int level;
	u64 e;

	for (level = top; level >= 1; level--) {
		unsigned int shift = 12 + 9 * (level - 1);
		u64 mask = BIT_ULL(shift) - 1;

		if (!entry(w, table + (((la >> shift) & 511) << 3), 8, read,
			   ctx, &e))
			return false;
		if (level == 1 || ((level == 2 || level == 3) && (e & PTE_PS))) {
			w->gpa = ((e & PTE_ADDR) & ~mask) | (la & mask);
			return true;
		}
		table = e & PTE_ADDR;
	}
	return false;
}

bool pw_translate(const struct pw_regs *r, u64 la, pw_read_fn read,
		  void *ctx, struct pw_walk *w)
{
	u64 pdpte;

	w->n = 0;
	w->levels = 0;
	if (!(r->cr0 & PW_CR0_PG)) {
		/* Without paging, linear addresses are 32 bits wide. */
		w->gpa = la & 0xffffffffULL;
		return true;
	}
	if (r->efer & PW_EFER_LMA) {
		w->levels = (r->cr4 & PW_CR4_LA57) ? 5 : 4;
		return walk_9bit(r->cr3 & PTE_ADDR, w->levels, la, read, ctx, w);
	}
	la &= 0xffffffffULL;
	if (!(r->cr4 & PW_CR4_PAE))
		return walk_32(r, la, read, ctx, w);
	/* PAE paging: one of four PDPTEs, then two 9-bit levels (SDM 4.4). */
	w->levels = 3;
	if (r->pdpte) {
		pdpte = r->pdpte[la >> 30];
		w->entry_gpa[0] = PW_NO_GPA;
		w->entry[w->n++] = pdpte;
		if (!(pdpte & PTE_P))
			return false;
	} else if (!entry(w, (r->cr3 & 0xffffffe0) + ((la >> 30) << 3), 8,
			  read, ctx, &pdpte)) {
		return false;
	}
	return walk_9bit(pdpte & PTE_ADDR, 2, la, read, ctx, w);
}
