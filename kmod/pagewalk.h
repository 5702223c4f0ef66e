/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagewalk.h - a guest linear address to guest-physical, through the
 * guest's own page tables, the way the processor walks them (SDM Vol. 3A
 * 4.3 32-bit paging, 4.4 PAE paging, 4.5 4-level and 5-level paging),
 * and the code size and linear address of CS:RIP.  Only the translation
 * matters (to fetch an instruction, to show a student the walk), not the
 * access rights.
 *
 * Plain C with no kernel dependency: the module (walk.c, exits.c) and
 * the loader (userland/gva.c) build this same source, each with its own
 * way of reading guest-physical memory.  The host build provides u64,
 * bool, BIT_ULL() and GENMASK_ULL().
 */
#ifndef VMXLAB_PAGEWALK_H
#define VMXLAB_PAGEWALK_H

#ifdef __KERNEL__
#include <linux/bits.h>
#include <linux/types.h>
#endif

/* The guest registers a walk depends on. */
struct pw_regs {
	u64 cr0, cr3, cr4, efer;
	u64 cs_base, cs_ar;	/* CS access rights, VMCS layout */
	/*
	 * PAE paging: the four PDPTEs as the processor holds them (the
	 * VMCS's, SDM 27.3.2.4 in the VM-entry chapter), or NULL to read
	 * them at CR3 as MOV to CR3 would.
	 */
	const u64 *pdpte;
};

/* Read @size bytes of guest-physical memory at @gpa; false if none. */
typedef bool (*pw_read_fn)(void *ctx, u64 gpa, void *buf, unsigned int size);

#define PW_MAX_LEVELS	5

/* One walk: the entries read, top level first. */
struct pw_walk {
	u64 gpa;		/* the result, when pw_translate() succeeds */
	unsigned int levels;	/* 0 (no paging), 2 (32-bit), 3 (PAE), 4, 5 */
	unsigned int n;		/* entries read into the arrays below */
	u64 entry[PW_MAX_LEVELS];
	u64 entry_gpa[PW_MAX_LEVELS];	/* PW_NO_GPA: a PDPTE register */
};

#define PW_NO_GPA	(~0ULL)

/*
 * PAE paging (SDM 4.1.1): CR0.PG=1, CR4.PAE=1 and IA32_EFER.LMA=0, the
 * one mode whose PDPTEs the processor holds in registers.
 */
static inline bool pw_pae_paging(u64 cr0, u64 cr4, u64 efer)
{
	return (cr0 & (1ULL << 31)) && (cr4 & (1ULL << 5)) &&
	       !(efer & (1ULL << 10));
}

/* 16, 32 or 64: the size of the code the CPU executes (CS.L, CS.D). */
int pw_code_bits(const struct pw_regs *r);
/* The linear address of CS:RIP. */
u64 pw_insn_linear(const struct pw_regs *r, u64 rip);
/*
 * Translate @la.  True with @w->gpa set; false where an entry is not
 * present or cannot be read, with the entries read so far in @w.
 */
bool pw_translate(const struct pw_regs *r, u64 la, pw_read_fn read,
		  void *ctx, struct pw_walk *w);

#endif /* VMXLAB_PAGEWALK_H */
