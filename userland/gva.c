// SPDX-License-Identifier: GPL-2.0
/*
 * gva.c - reading guest memory as the guest's CPU sees it: the module's
 * own page walker (kmod/pagewalk.c, plain C, built here too) over the
 * loader's mapping of guest RAM.
 */
#include <string.h>

#include "bootstate.h"
#include "gva.h"

typedef uint64_t u64;
#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK_ULL(h, l)	((~0ULL << (l)) & (~0ULL >> (63 - (h))))
#include "../kmod/pagewalk.c"

static void regs_of(const struct vmxlab_sregs *s, struct pw_regs *r)
{
	r->cr0 = s->cr0;
	r->cr3 = s->cr3;
	r->cr4 = s->cr4;
	r->efer = s->efer;
	r->cs_base = s->cs.base;
	r->cs_ar = s->cs.ar;
	/* The loader has no PDPTE registers: read them at CR3. */
	r->pdpte = NULL;
}

static bool read_guest(void *ctx, u64 gpa, void *buf, unsigned int size)
{
	const struct guest *g = ctx;

	if (!guest_range_ok(g, gpa, size))
		return false;
	memcpy(buf, g->ram + gpa, size);
	return true;
}

unsigned cpu_code_bits(const struct vmxlab_sregs *s)
{
	struct pw_regs r;

	regs_of(s, &r);
	return pw_code_bits(&r);
}

bool gva_translate(const struct guest *g, const struct vmxlab_sregs *s,
		   uint64_t la, uint64_t *gpa)
{
	struct pw_regs r;
	struct pw_walk w;

	regs_of(s, &r);
	if (!pw_translate(&r, la, read_guest, (void *)g, &w))
		return false;
	*gpa = w.gpa;
	return true;
}

size_t fetch_insn(const struct guest *g, const struct vmxlab_sregs *s,
		  uint64_t rip, uint8_t *buf, size_t len)
{
	struct pw_regs r;
	uint64_t la, gpa;
	size_t i;

	regs_of(s, &r);
	la = pw_insn_linear(&r, rip);
	/* Byte by byte: the instruction may straddle two pages. */
	for (i = 0; i < len; i++) {
		if (!gva_translate(g, s, la + i, &gpa) ||
		    !guest_range_ok(g, gpa, 1))
			break;
		buf[i] = g->ram[gpa];
	}
	return i;
}
