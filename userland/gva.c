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

/* @len bytes at linear address @la (within one page or not). */
static bool read_linear(const struct guest *g, const struct vmxlab_sregs *s,
			uint64_t la, void *buf, size_t len)
{
	uint8_t *out = buf;
	size_t i;

	for (i = 0; i < len; i++) {
		uint64_t gpa;
		const uint8_t *p;

		if (!gva_translate(g, s, la + i, &gpa))
			return false;
		p = guest_ptr(g, gpa, 1);
		if (!p)
			return false;
		out[i] = *p;
	}
	return true;
}

bool idt_handler(const struct guest *g, const struct vmxlab_sregs *s,
		 uint8_t vector, uint64_t *linear)
{
	bool ia32e = s->efer & (1ULL << 10);	/* EFER.LMA */
	unsigned size = !(s->cr0 & 1) ? 4 : ia32e ? 16 : 8;
	uint8_t e[16], d[8];
	uint16_t sel;
	uint64_t base;

	if ((uint64_t)vector * size + size - 1 > s->idt.limit ||
	    !read_linear(g, s, s->idt.base + (uint64_t)vector * size, e, size))
		return false;
	if (size == 4) {
		/* Real mode: offset, then segment (SDM 20.1.4). */
		*linear = ((uint64_t)(e[2] | e[3] << 8) << 4) + (e[0] | e[1] << 8);
		return true;
	}
	if (!(e[5] & 0x80))
		return false;		/* gate not present */
	*linear = e[0] | e[1] << 8 | (uint64_t)(e[6] | e[7] << 8) << 16;
	if (ia32e) {
		*linear |= (uint64_t)(e[8] | e[9] << 8 | e[10] << 16 |
				      (uint32_t)e[11] << 24) << 32;
		return true;		/* code segment bases are 0 */
	}
	/* The gate's code segment, from the GDT (or the LDT: not read). */
	sel = e[2] | e[3] << 8;
	if ((sel & 4) || (sel | 7) > s->gdt.limit ||
	    !read_linear(g, s, s->gdt.base + (sel & ~7), d, 8))
		return false;
	base = d[2] | d[3] << 8 | d[4] << 16 | (uint32_t)d[7] << 24;
	*linear = (uint32_t)(base + *linear);
	return true;
}
