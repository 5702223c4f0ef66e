// SPDX-License-Identifier: GPL-2.0
/*
 * test-cpu.c - the entry state of each mode, and reading guest memory
 * through the guest's page tables.
 */
#include <stdlib.h>

#include "bootstate.h"
#include "gva.h"
#include "tap.h"

/* The module's walker itself, as gva.c builds it (kmod/pagewalk.c). */
typedef uint64_t u64;
#include "../../kmod/pagewalk.h"

#define MEM	(16ULL << 20)

static struct guest new_guest(void)
{
	struct guest g = { calloc(1, MEM), MEM };

	return g;
}

static struct boot_state state(enum cpu_mode mode, uint64_t entry)
{
	struct boot_state bs = { .mode = mode, .entry = entry,
				 .rsp = 0x7000, .rax = 0x2badb002,
				 .rbx = 0x77000 };

	return bs;
}

TEST(real_mode_entry_state)
{
	struct boot_state bs = state(MODE_REAL, 0x7c00);
	struct guest g = new_guest();
	struct vmxlab_sregs s;
	struct vmxlab_regs r;

	boot_setup_cpu(&g, &bs, &r, &s);
	CHECK_EQ(r.rip, 0x7c00);
	CHECK_EQ(r.rsp, 0x7000);
	CHECK_EQ(r.rax, 0x2badb002);
	CHECK_EQ(r.rflags, 0x2);
	CHECK_EQ(s.cs.selector, 0);
	CHECK_EQ(s.cs.base, 0);
	CHECK_EQ(s.cs.limit, 0xffff);
	CHECK_EQ(s.cs.ar, 0x9b);
	CHECK_EQ(s.ss.ar, 0x93);
	CHECK_EQ(s.tr.ar, 0x8b);
	CHECK_EQ(s.ldt.ar, VMXLAB_AR_UNUSABLE);
	CHECK_EQ(s.cr0 & (X86_CR0_PE | X86_CR0_PG), 0);
	CHECK_EQ(s.efer, 0);
	CHECK_EQ(s.apic_base, 0xfee00900);
	CHECK_EQ(g.ram[BOOT_GDT + 8], 0);	/* nothing written */
	CHECK_EQ(cpu_code_bits(&s), 16);
}

TEST(protected_mode_entry_state_and_gdt)
{
	struct boot_state bs = state(MODE_PROTECTED, 0x100000);
	struct guest g = new_guest();
	struct vmxlab_sregs s;
	struct vmxlab_regs r;

	boot_setup_cpu(&g, &bs, &r, &s);
	CHECK_EQ(s.cr0, X86_CR0_PE | X86_CR0_ET | X86_CR0_NE);
	CHECK_EQ(s.cs.selector, 0x08);
	CHECK_EQ(s.cs.limit, 0xffffffff);
	CHECK_EQ(s.cs.ar, 0xc09b);
	CHECK_EQ(s.ds.selector, 0x10);
	CHECK_EQ(s.ds.ar, 0xc093);
	CHECK_EQ(s.tr.selector, 0x20);
	CHECK_EQ(s.tr.base, BOOT_TSS);
	CHECK_EQ(s.gdt.base, BOOT_GDT);
	CHECK_EQ(s.gdt.limit, 47);
	/* The descriptors match the cached segments. */
	CHECK_EQ(guest_r64(&g, BOOT_GDT + 0x08), 0x00cf9b000000ffffULL);
	CHECK_EQ(guest_r64(&g, BOOT_GDT + 0x10), 0x00cf93000000ffffULL);
	CHECK_EQ(guest_r64(&g, BOOT_GDT + 0x18), 0x00af9b000000ffffULL);
	CHECK_EQ(guest_r64(&g, BOOT_GDT + 0x20), 0x00008b0701000067ULL);
	CHECK_EQ(cpu_code_bits(&s), 32);
}

TEST(long_mode_entry_state_and_identity_map)
{
	struct boot_state bs = state(MODE_LONG, 0x100000);
	struct guest g = new_guest();
	struct vmxlab_sregs s;
	struct vmxlab_regs r;
	uint64_t gpa = 0;

	boot_setup_cpu(&g, &bs, &r, &s);
	CHECK_EQ(s.cr0 & (X86_CR0_PE | X86_CR0_PG), X86_CR0_PE | X86_CR0_PG);
	CHECK_EQ(s.cr4 & X86_CR4_PAE, X86_CR4_PAE);
	CHECK_EQ(s.efer, X86_EFER_LME | X86_EFER_LMA);
	CHECK_EQ(s.cr3, BOOT_PML4);
	CHECK_EQ(s.cs.selector, 0x18);
	CHECK_EQ(s.cs.ar, 0xa09b);
	CHECK_EQ(cpu_code_bits(&s), 64);
	/* 4 GiB identity-mapped, MMIO included; nothing above. */
	CHECK(gva_translate(&g, &s, 0x12345678, &gpa));
	CHECK_EQ(gpa, 0x12345678);
	CHECK(gva_translate(&g, &s, 0xfee00030, &gpa));
	CHECK_EQ(gpa, 0xfee00030);
	CHECK(gva_translate(&g, &s, 0xffffffff, &gpa));
	CHECK_EQ(gpa, 0xffffffff);
	CHECK(!gva_translate(&g, &s, 0x100000000ULL, &gpa));
	CHECK_EQ(guest_r64(&g, BOOT_PD + 8 * 2047), 0xffe00083ULL);
}

TEST(fetch_real_mode_uses_cs_base)
{
	struct guest g = new_guest();
	struct vmxlab_sregs s = { 0 };
	uint8_t buf[15];

	s.cs.base = 0x12340;
	s.cs.ar = 0x9b;
	memcpy(g.ram + 0x12345, "\xb8\x34\x12", 3);
	/* IP wraps at 64 KiB in real mode. */
	CHECK_EQ(fetch_insn(&g, &s, 0x10005, buf, 3), 3);
	CHECK(!memcmp(buf, "\xb8\x34\x12", 3));
	CHECK_EQ(cpu_code_bits(&s), 16);
}

TEST(walk_32bit_paging)
{
	struct guest g = new_guest();
	struct vmxlab_sregs s = { 0 };
	uint64_t gpa = 0;

	s.cr0 = X86_CR0_PE | X86_CR0_PG;
	s.cr3 = 0x10000;
	/* 0x00400000: 4 KiB page via a page table; 0x00800000: 4 MiB. */
	guest_w32(&g, 0x10000 + 4 * 1, 0x11000 | 1);
	guest_w32(&g, 0x11000 + 4 * 5, 0x345000 | 1);
	guest_w32(&g, 0x10000 + 4 * 2, 0x00c00000 | 0x81);
	CHECK(gva_translate(&g, &s, 0x00405abc, &gpa));
	CHECK_EQ(gpa, 0x345abc);
	CHECK(!gva_translate(&g, &s, 0x00406000, &gpa));
	s.cr4 = X86_CR4_PSE;
	CHECK(gva_translate(&g, &s, 0x00812345, &gpa));
	CHECK_EQ(gpa, 0x00c12345);
	CHECK(!gva_translate(&g, &s, 0x00c00000, &gpa));	/* PDE 3 */
}

TEST(walk_pae_paging)
{
	struct guest g = new_guest();
	struct vmxlab_sregs s = { 0 };
	uint64_t gpa = 0;

	s.cr0 = X86_CR0_PE | X86_CR0_PG;
	s.cr4 = X86_CR4_PAE;
	s.cr3 = 0x10020;	/* PDPT: 32-byte aligned */
	guest_w64(&g, 0x10020 + 8 * 3, 0x11000 | 1);	/* 3 GiB */
	guest_w64(&g, 0x11000 + 8 * 1, 0x600000 | 0x81);	/* 2 MiB */
	guest_w64(&g, 0x11000 + 8 * 2, 0x12000 | 1);
	guest_w64(&g, 0x12000 + 8 * 7, 0x9000 | 1);
	CHECK(gva_translate(&g, &s, 0xc0212345, &gpa));
	CHECK_EQ(gpa, 0x612345);
	CHECK(gva_translate(&g, &s, 0xc0407abc, &gpa));
	CHECK_EQ(gpa, 0x9abc);
	CHECK(!gva_translate(&g, &s, 0x00000000, &gpa));
}

TEST(walk_4level_and_straddling_fetch)
{
	struct guest g = new_guest();
	struct vmxlab_sregs s = { 0 };
	uint64_t va = 0xffffffff80000ffeULL, gpa = 0;
	uint8_t buf[15];

	s.cr0 = X86_CR0_PE | X86_CR0_PG;
	s.cr4 = X86_CR4_PAE;
	s.efer = X86_EFER_LME | X86_EFER_LMA;
	s.cs.ar = AR_CODE64;
	s.cr3 = 0x20000;
	/* va: PML4 511, PDPT 510, PD 0, PT 0 and 1 -> scattered pages. */
	guest_w64(&g, 0x20000 + 8 * 511, 0x21000 | 3);
	guest_w64(&g, 0x21000 + 8 * 510, 0x22000 | 3);
	guest_w64(&g, 0x22000 + 8 * 0, 0x23000 | 3);
	guest_w64(&g, 0x23000 + 8 * 0, 0x50000 | 3);
	guest_w64(&g, 0x23000 + 8 * 1, 0x30000 | 3);
	CHECK(gva_translate(&g, &s, va, &gpa));
	CHECK_EQ(gpa, 0x50ffe);
	/* mov rax, rbx split over the two pages. */
	g.ram[0x50ffe] = 0x48;
	g.ram[0x50fff] = 0x89;
	g.ram[0x30000] = 0xd8;
	CHECK_EQ(fetch_insn(&g, &s, va, buf, 15), 15);
	CHECK(!memcmp(buf, "\x48\x89\xd8", 3));
	/* The next page of the table is absent: a short fetch. */
	CHECK_EQ(fetch_insn(&g, &s, va + 0x1000, buf, 15), 2);
	/* A 1 GiB page. */
	guest_w64(&g, 0x21000 + 8 * 0, 0x40000000 | 0x83);
	CHECK(gva_translate(&g, &s, 0xffffff8000123456ULL, &gpa));
	CHECK_EQ(gpa, 0x40123456);
	/* Page tables outside RAM do not crash the walk. */
	s.cr3 = 0x7fff0000;
	CHECK(!gva_translate(&g, &s, va, &gpa));
}

static bool read_ram(void *ctx, u64 gpa, void *buf, unsigned int size)
{
	struct guest *g = ctx;

	if (!guest_range_ok(g, gpa, size))
		return false;
	memcpy(buf, g->ram + gpa, size);
	return true;
}

/*
 * The module's case: PAE paging with the PDPTEs the VMCS holds, not the
 * ones in memory at CR3; every entry read is reported, top level first.
 */
TEST(walk_pae_with_pdpte_registers)
{
	struct guest g = new_guest();
	const u64 pdpte[4] = { 0x11000 | 1, 0, 0, 0 };
	struct pw_regs r = {
		.cr0 = X86_CR0_PE | X86_CR0_PG, .cr4 = X86_CR4_PAE,
		.cr3 = 0x10000, .pdpte = pdpte,
	};
	struct pw_walk w;

	/* What is at CR3 must not matter: make it point elsewhere. */
	guest_w64(&g, 0x10000, 0x77000 | 1);
	guest_w64(&g, 0x11000 + 8 * 2, 0x12000 | 1);
	guest_w64(&g, 0x12000 + 8 * 7, 0x9000 | 1);
	CHECK(pw_translate(&r, 0x407abc, read_ram, &g, &w));
	CHECK_EQ(w.gpa, 0x9abc);
	CHECK_EQ(w.levels, 3);
	CHECK_EQ(w.n, 3);
	CHECK_EQ(w.entry[0], pdpte[0]);
	CHECK_EQ(w.entry_gpa[0], PW_NO_GPA);
	CHECK_EQ(w.entry_gpa[1], 0x11000 + 8 * 2);
	CHECK_EQ(w.entry[2], 0x9000 | 1);
	/* PDPTE 1 is not present: the walk stops there, one entry read. */
	CHECK(!pw_translate(&r, 0x40000000, read_ram, &g, &w));
	CHECK_EQ(w.n, 1);
	/* 64-bit code: RIP is the linear address; 16-bit code wraps IP. */
	r.efer = 0x500;
	r.cs_ar = AR_CODE64;
	CHECK_EQ(pw_code_bits(&r), 64);
	CHECK_EQ(pw_insn_linear(&r, 0xffffffff80001000ULL), 0xffffffff80001000ULL);
	r.efer = 0;
	r.cs_ar = 0x9b;
	r.cs_base = 0x10000;
	CHECK_EQ(pw_code_bits(&r), 16);
	CHECK_EQ(pw_insn_linear(&r, 0x1fffe), 0x1fffe);
}
