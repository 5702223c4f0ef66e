// SPDX-License-Identifier: GPL-2.0
/*
 * cr_rules_test.c - guests that write CR0, CR4, IA32_EFER and
 * IA32_APIC_BASE the way the SDM says raises #GP(0), and the nearest
 * writes that do not
 * (kmod/cr_rules.c; selftests/host/test-cr-rules.c has every rule on the
 * host).  The guests have an empty IDT, so a #GP is a triple fault and
 * a write that is accepted reaches the HLT after it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <kselftest_harness.h>

#include "lib/vmxlab_test.h"

#define CR0_PG		(1U << 31)
#define CR4_PCIDE	(1U << 17)
#define EFER_LME	(1U << 8)
#define CR4_PSE		(1U << 4)
/* 32-bit paging: one 4 MiB page at 0, its directory here (PROT cases). */
#define PD32		GUEST_DATA

enum mode { PROT, LONG64, COMPAT };

/* 32-bit code runs in PROT and COMPAT, 64-bit code in LONG64. */
GUEST_CODE(clear_pg32, ".code32\n mov %cr0, %eax\n and $0x7fffffff, %eax\n"
	   "mov %eax, %cr0\n hlt\n");
GUEST_CODE(clear_pg64, ".code64\n mov %cr0, %rax\n and $0x7fffffff, %eax\n"
	   "mov %rax, %cr0\n hlt\n");
GUEST_CODE(pg_without_pe, ".code32\n mov $0x80000010, %eax\n"
	   "mov %eax, %cr0\n hlt\n");
GUEST_CODE(nw_without_cd, ".code32\n mov %cr0, %eax\n"
	   "and $0xbfffffff, %eax\n or $0x20000000, %eax\n"
	   "mov %eax, %cr0\n hlt\n");
GUEST_CODE(nw_with_cd, ".code32\n mov %cr0, %eax\n or $0x60000000, %eax\n"
	   "mov %eax, %cr0\n hlt\n");
GUEST_CODE(set_pg32, ".code32\n mov %cr0, %eax\n or $0x80000000, %eax\n"
	   "mov %eax, %cr0\n hlt\n");
GUEST_CODE(set_pcide32, ".code32\n mov %cr4, %eax\n or $0x20000, %eax\n"
	   "mov %eax, %cr4\n hlt\n");
GUEST_CODE(set_pcide64, ".code64\n mov %cr4, %rax\n or $0x20000, %rax\n"
	   "mov %rax, %cr4\n hlt\n");
GUEST_CODE(clear_pae64, ".code64\n mov %cr4, %rax\n and $~0x20, %rax\n"
	   "mov %rax, %cr4\n hlt\n");
GUEST_CODE(set_pke64, ".code64\n mov %cr4, %rax\n or $0x400000, %rax\n"
	   "mov %rax, %cr4\n hlt\n");
GUEST_CODE(clear_lme64, ".code64\n mov $0xc0000080, %ecx\n rdmsr\n"
	   "and $~0x100, %eax\n wrmsr\n hlt\n");
GUEST_CODE(set_sce64, ".code64\n mov $0xc0000080, %ecx\n rdmsr\n"
	   "or $1, %eax\n wrmsr\n hlt\n");
GUEST_CODE(efer_bit9_64, ".code64\n mov $0xc0000080, %ecx\n rdmsr\n"
	   "or $0x200, %eax\n wrmsr\n hlt\n");
GUEST_CODE(apic_x2apic64, ".code64\n mov $0x1b, %ecx\n rdmsr\n"
	   "or $0x400, %eax\n wrmsr\n hlt\n");
GUEST_CODE(apic_extd_only64, ".code64\n mov $0x1b, %ecx\n rdmsr\n"
	   "or $0x400, %eax\n and $~0x800, %eax\n wrmsr\n hlt\n");
GUEST_CODE(apic_x2_to_x64, ".code64\n mov $0x1b, %ecx\n rdmsr\n"
	   "or $0x400, %eax\n wrmsr\n and $~0x400, %eax\n wrmsr\n hlt\n");
GUEST_CODE(apic_bit9_64, ".code64\n mov $0x1b, %ecx\n rdmsr\n"
	   "or $0x200, %eax\n wrmsr\n hlt\n");
GUEST_CODE(apic_bit63_64, ".code64\n mov $0x1b, %ecx\n rdmsr\n"
	   "or $0x80000000, %edx\n wrmsr\n hlt\n");
GUEST_CODE(apic_rewrite64, ".code64\n mov $0x1b, %ecx\n rdmsr\n"
	   "wrmsr\n hlt\n");

struct cr_case {
	const char *name;
	enum mode mode;
	const unsigned char *start, *end;	/* the guest's code */
	uint64_t cr4_or, cr3_or, efer_or;
	bool gp;		/* the write must raise #GP(0) */
};

#define C(n, m, code, c4, c3, ef, g)					\
	{ n, m, code##_start, code##_end, c4, c3, ef, g }

static const struct cr_case cases[] = {
	C("MOV CR0: clear PG in 64-bit mode", LONG64, clear_pg64, 0, 0, 0, true),
	C("MOV CR0: clear PG in compatibility mode", COMPAT, clear_pg32, 0, 0, 0, false),
	C("MOV CR0: clear PG with CR4.PCIDE=1", COMPAT, clear_pg32, CR4_PCIDE, 0, 0, true),
	C("MOV CR0: PG without PE", PROT, pg_without_pe, 0, 0, 0, true),
	C("MOV CR0: NW without CD", PROT, nw_without_cd, 0, 0, 0, true),
	C("MOV CR0: NW with CD", PROT, nw_with_cd, 0, 0, 0, false),
	C("MOV CR0: set PG with EFER.LME=1, CR4.PAE=0", PROT, set_pg32, 0, 0, EFER_LME, true),
	C("MOV CR0: set PG (32-bit paging)", PROT, set_pg32, CR4_PSE, PD32, 0, false),
	C("MOV CR4: PCIDE outside IA-32e mode", PROT, set_pcide32, 0, 0, 0, true),
	C("MOV CR4: PCIDE with CR3[11:0] != 0", LONG64, set_pcide64, 0, 0x8, 0, true),
	C("MOV CR4: PCIDE with CR3[11:0] = 0", LONG64, set_pcide64, 0, 0, 0, false),
	C("MOV CR4: clear PAE in IA-32e mode", LONG64, clear_pae64, 0, 0, 0, true),
	C("MOV CR4: PKE, which vmxlab does not offer", LONG64, set_pke64, 0, 0, 0, true),
	C("WRMSR EFER: clear LME with CR0.PG=1", LONG64, clear_lme64, 0, 0, 0, true),
	C("WRMSR EFER: set SCE", LONG64, set_sce64, 0, 0, 0, false),
	C("WRMSR EFER: reserved bit 9", LONG64, efer_bit9_64, 0, 0, 0, true),
	C("WRMSR APIC_BASE: xAPIC to x2APIC mode", LONG64, apic_x2apic64, 0, 0, 0, false),
	C("WRMSR APIC_BASE: EXTD without EN", LONG64, apic_extd_only64, 0, 0, 0, true),
	C("WRMSR APIC_BASE: x2APIC straight back to xAPIC", LONG64, apic_x2_to_x64, 0, 0, 0, true),
	C("WRMSR APIC_BASE: reserved bit 9", LONG64, apic_bit9_64, 0, 0, 0, true),
	C("WRMSR APIC_BASE: bit 63, above MAXPHYADDR", LONG64, apic_bit63_64, 0, 0, 0, true),
	C("WRMSR APIC_BASE: its own value", LONG64, apic_rewrite64, 0, 0, 0, false),
};

/* Set up @c's mode and state; run; 1 for #GP (triple fault), 0 for HLT. */
static int run_case(struct __test_metadata *_metadata, const struct cr_case *c)
{
	struct vmxlab_sregs s;
	struct tvm t;
	int gp = -1;

	ASSERT_EQ(0, tvm_create(&t, 1 << 20));
	memset(t.mem + GUEST_ENTRY, 0xf4, 0x1000);
	/* PDE 0: present, writable, 4 MiB page at 0. */
	*(uint32_t *)(t.mem + PD32) = 0x83;
	tvm_load_code(&t, GUEST_ENTRY, c->start, c->end - c->start);
	if (c->mode == PROT) {
		ASSERT_EQ(0, tvm_set_prot(&t, GUEST_ENTRY));
	} else {
		ASSERT_EQ(0, tvm_set_long(&t, GUEST_ENTRY));
	}
	ASSERT_EQ(0, tvm_get_sregs(&t, &s));
	if (c->mode == COMPAT)
		s.cs.ar = 0xc09b;	/* L=0, D=1: compatibility mode */
	s.cr4 |= c->cr4_or;
	s.cr3 |= c->cr3_or;
	s.efer |= c->efer_or;
	ASSERT_EQ(0, tvm_set_sregs(&t, &s)) TH_LOG("%s: state refused", c->name);
	ASSERT_EQ(0, tvm_run(&t));
	if (t.run->exit_reason == VMXLAB_EXIT_TRIPLE_FAULT)
		gp = 1;
	else if (t.run->exit_reason == VMXLAB_EXIT_HLT)
		gp = 0;
	else
		tvm_dump_exit(&t);
	tvm_destroy(&t);
	return gp;
}

TEST(each_rule)
{
	unsigned int i, bad = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int gp = run_case(_metadata, &cases[i]);

		printf("# %-50s %s (want %s)\n", cases[i].name,
		       gp < 0 ? "other exit" : gp ? "#GP" : "accepted",
		       cases[i].gp ? "#GP" : "accepted");
		if (gp != cases[i].gp)
			bad++;
	}
	EXPECT_EQ(0, bad);
}

/* The state SET_SREGS refuses is the one no write could reach. */
TEST(set_sregs_refuses_pcide_outside_long_mode)
{
	struct vmxlab_sregs s;
	struct tvm t;

	ASSERT_EQ(0, tvm_create(&t, 1 << 16));
	ASSERT_EQ(0, tvm_set_prot(&t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_get_sregs(&t, &s));
	s.cr4 |= CR4_PCIDE;
	EXPECT_EQ(-EINVAL, tvm_set_sregs(&t, &s));
	s.cr4 &= ~CR4_PCIDE;
	s.cr0 |= CR0_PG;
	s.cr0 &= ~1ULL;			/* PG without PE */
	EXPECT_EQ(-EINVAL, tvm_set_sregs(&t, &s));
	tvm_destroy(&t);
}

TEST_HARNESS_MAIN
