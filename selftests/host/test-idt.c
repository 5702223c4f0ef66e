// SPDX-License-Identifier: GPL-2.0
/* test-idt.c - idt_handler(): where the handler of a vector starts. */
#include <stdlib.h>
#include <string.h>

#include "gva.h"
#include "tap.h"

static struct guest ram(void)
{
	struct guest g = { calloc(1, 1 << 20), 1 << 20 };

	return g;
}

TEST(idt_real_mode_ivt)
{
	struct guest g = ram();
	struct vmxlab_sregs s = { 0 };
	uint64_t la;

	s.idt.limit = 0x3ff;
	guest_w16(&g, 0x20 * 4, 0x0123);	/* offset */
	guest_w16(&g, 0x20 * 4 + 2, 0x1000);	/* segment */
	CHECK(idt_handler(&g, &s, 0x20, &la));
	CHECK_EQ(la, 0x10123);
	s.idt.limit = 0x20 * 4 + 2;		/* entry not all inside */
	CHECK(!idt_handler(&g, &s, 0x20, &la));
}

TEST(idt_protected_gate_adds_the_segment_base)
{
	struct guest g = ram();
	struct vmxlab_sregs s = { 0 };
	uint64_t la;

	s.cr0 = 1;
	s.idt.base = 0x8000;
	s.idt.limit = 0x7ff;
	s.gdt.base = 0x9000;
	s.gdt.limit = 0x17;
	/* Gate 0x40: selector 0x10, offset 0x00401234, present. */
	guest_w16(&g, 0x8000 + 0x40 * 8, 0x1234);
	guest_w16(&g, 0x8000 + 0x40 * 8 + 2, 0x10);
	guest_w8(&g, 0x8000 + 0x40 * 8 + 5, 0x8e);
	guest_w16(&g, 0x8000 + 0x40 * 8 + 6, 0x0040);
	/* GDT entry 2: base 0x00020000. */
	guest_w8(&g, 0x9000 + 0x10 + 4, 0x02);
	CHECK(idt_handler(&g, &s, 0x40, &la));
	CHECK_EQ(la, 0x00421234);
	/* Not present. */
	guest_w8(&g, 0x8000 + 0x40 * 8 + 5, 0x0e);
	CHECK(!idt_handler(&g, &s, 0x40, &la));
	/* A selector beyond the GDT's limit. */
	guest_w8(&g, 0x8000 + 0x40 * 8 + 5, 0x8e);
	guest_w16(&g, 0x8000 + 0x40 * 8 + 2, 0x18);
	CHECK(!idt_handler(&g, &s, 0x40, &la));
}

TEST(idt_ia32e_gate_is_16_bytes)
{
	struct guest g = ram();
	struct vmxlab_sregs s = { 0 };
	uint64_t la, e = 0x8000 + 0x30 * 16;

	/* Identity map of the first 2 MiB: PML4, PDPT, PD (one 2 MiB page). */
	guest_w64(&g, 0x1000, 0x2003);
	guest_w64(&g, 0x2000, 0x3003);
	guest_w64(&g, 0x3000, 0x83);
	s.cr0 = 0x80000001;
	s.cr3 = 0x1000;
	s.cr4 = 1 << 5;
	s.efer = (1 << 8) | (1 << 10);
	s.idt.base = 0x8000;
	s.idt.limit = 0xfff;
	guest_w16(&g, e, 0x5678);
	guest_w16(&g, e + 2, 0x08);
	guest_w8(&g, e + 5, 0x8e);
	guest_w16(&g, e + 6, 0x1234);
	guest_w32(&g, e + 8, 0xffffffff);
	CHECK(idt_handler(&g, &s, 0x30, &la));
	CHECK_EQ(la, 0xffffffff12345678ULL);
}
