// SPDX-License-Identifier: GPL-2.0
/*
 * test-cr-rules.c - the rules of writing CR0, CR3, CR4, IA32_EFER and
 * XCR0 (kmod/cr_rules.c), built here as plain C: each #GP(0) case of the
 * SDM's MOV to CR, WRMSR and XSETBV once with the write that breaks it
 * and once with the nearest write that does not.
 */
#include "tap.h"

typedef uint64_t u64;
#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK_ULL(h, l)	((~0ULL << (l)) & (~0ULL >> (63 - (h))))
#include "../../kmod/cr_rules.c"

#define PE	CRR_CR0_PE
#define PG	CRR_CR0_PG
#define ET	CRR_CR0_ET
#define PAE	CRR_CR4_PAE
#define PCIDE	CRR_CR4_PCIDE
#define LME	CRR_EFER_LME
#define LMA	CRR_EFER_LMA
#define CS_L	VMX_AR_L

static const struct cr_caps caps = {
	/* the CR4 bits vmxlab offers, roughly: no LA57 */
	.cr4 = 0x1f0fff & ~CRR_CR4_LA57,
	.efer = 0xd01,
	.xcr0 = 0xe7,		/* x87, SSE, AVX, AVX-512 */
	.maxphyaddr = 39,
};

/* Protected mode, paging off; flat 32-bit code. */
static const struct cr_regs prot = { .cr0 = PE | ET, .cs_ar = 0xc09b };
/* 64-bit mode: IA-32e paging, a 64-bit code segment. */
static const struct cr_regs lm = {
	.cr0 = PE | ET | PG, .cr3 = 0x9000, .cr4 = PAE,
	.efer = LME | LMA, .cs_ar = 0xa09b,
};

static enum cr_rule cr0(const struct cr_regs *r, u64 v)
{
	return cr0_check(r, &v);
}

TEST(cr0_rules)
{
	struct cr_regs r = prot;
	u64 v;

	CHECK_EQ(cr0(&r, PE | (1ULL << 32)), CR0_HIGH_BITS);
	CHECK_EQ(cr0(&r, PG), CR0_PG_WITHOUT_PE);
	CHECK_EQ(cr0(&r, PE | PG), CR_OK);
	CHECK_EQ(cr0(&r, PE | CRR_CR0_NW), CR0_NW_WITHOUT_CD);
	CHECK_EQ(cr0(&r, PE | CRR_CR0_NW | CRR_CR0_CD), CR_OK);
	/* ET is always 1 in what CR0 takes. */
	v = PE;
	CHECK_EQ(cr0_check(&r, &v), CR_OK);
	CHECK_EQ(v, PE | ET);
}

TEST(cr0_entering_long_mode)
{
	struct cr_regs r = prot;

	r.efer = LME;
	CHECK_EQ(cr0(&r, PE | PG), CR0_LONG_WITHOUT_PAE);
	r.cr4 = PAE;
	CHECK_EQ(cr0(&r, PE | PG), CR_OK);
	r.cs_ar |= CS_L;
	CHECK_EQ(cr0(&r, PE | PG), CR0_LONG_FROM_64BIT_CS);
	/* Without LME, PG makes 32-bit paging: neither rule applies. */
	r.efer = 0;
	r.cr4 = 0;
	CHECK_EQ(cr0(&r, PE | PG), CR_OK);
}

TEST(cr0_leaving_paging)
{
	struct cr_regs r = lm;

	CHECK_EQ(cr0(&r, PE), CR0_CLEAR_PG_IN_64BIT);
	/* From compatibility mode it is how IA-32e mode is left ... */
	r.cs_ar &= ~CS_L;
	CHECK_EQ(cr0(&r, PE), CR_OK);
	/* ... unless PCIDE is on. */
	r.cr4 |= PCIDE;
	CHECK_EQ(cr0(&r, PE), CR0_CLEAR_PG_WITH_PCIDE);
	/* Keeping PG is fine either way. */
	CHECK_EQ(cr0(&r, PE | PG), CR_OK);
}

TEST(cr3_rules)
{
	struct cr_regs r = lm;
	u64 v;

	v = 1ULL << 39;
	CHECK_EQ(cr3_check(&r, &caps, &v), CR3_RESERVED);
	v = (1ULL << 39) - 4096;
	CHECK_EQ(cr3_check(&r, &caps, &v), CR_OK);
	/* Bit 63 is reserved without PCIDE, "no flush" with it. */
	v = (1ULL << 63) | 0x9000;
	CHECK_EQ(cr3_check(&r, &caps, &v), CR3_RESERVED);
	r.cr4 |= PCIDE;
	CHECK_EQ(cr3_check(&r, &caps, &v), CR_OK);
	CHECK_EQ(v, 0x9000);
	/* Outside IA-32e mode CR3 has 32 bits. */
	v = 0x123456789000ULL;
	CHECK_EQ(cr3_check(&prot, &caps, &v), CR_OK);
	CHECK_EQ(v, 0x56789000);
}

TEST(cr4_rules)
{
	struct cr_regs r = lm;

	CHECK_EQ(cr4_check(&prot, &caps, CRR_CR4_LA57), CR4_RESERVED);
	CHECK_EQ(cr4_check(&prot, &caps, 1ULL << 40), CR4_RESERVED);
	CHECK_EQ(cr4_check(&prot, &caps, PCIDE), CR4_PCIDE_OUTSIDE_LONG);
	CHECK_EQ(cr4_check(&r, &caps, PAE | PCIDE), CR_OK);
	r.cr3 |= 5;
	CHECK_EQ(cr4_check(&r, &caps, PAE | PCIDE), CR4_PCIDE_WITH_CR3_PCID);
	/* Already on: CR3[11:0] is the PCID. */
	r.cr4 |= PCIDE;
	CHECK_EQ(cr4_check(&r, &caps, PAE | PCIDE), CR_OK);
	CHECK_EQ(cr4_check(&lm, &caps, 0), CR4_CLEAR_PAE_IN_LONG);
	CHECK_EQ(cr4_check(&prot, &caps, 0), CR_OK);
}

TEST(cr4_la57_in_long_mode)
{
	struct cr_caps c = caps;

	c.cr4 |= CRR_CR4_LA57;
	CHECK_EQ(cr4_check(&lm, &c, PAE | CRR_CR4_LA57), CR4_LA57_IN_LONG);
	CHECK_EQ(cr4_check(&prot, &c, CRR_CR4_LA57), CR_OK);
}

TEST(efer_rules)
{
	struct cr_regs r = prot;
	u64 v;

	v = 1ULL << 9;
	CHECK_EQ(efer_check(&r, &caps, &v), EFER_RESERVED);
	v = LME;
	CHECK_EQ(efer_check(&r, &caps, &v), CR_OK);
	CHECK_EQ(v, LME);
	/* LMA is the processor's: written or not, it stays. */
	v = LME | LMA;
	CHECK_EQ(efer_check(&r, &caps, &v), CR_OK);
	CHECK_EQ(v, LME);
	r = lm;
	v = 0x800;
	CHECK_EQ(efer_check(&r, &caps, &v), EFER_LME_WITH_PG);
	v = LME | 0x800 | 1;
	CHECK_EQ(efer_check(&r, &caps, &v), CR_OK);
	CHECK_EQ(v, LME | LMA | 0x800 | 1);
}

TEST(xcr0_rules)
{
	struct cr_caps c = caps;

	CHECK_EQ(xcr0_check(&c, 1 << 9), XCR0_RESERVED);
	CHECK_EQ(xcr0_check(&c, 2), XCR0_NO_X87);
	CHECK_EQ(xcr0_check(&c, 1), CR_OK);
	CHECK_EQ(xcr0_check(&c, 5), XCR0_AVX_WITHOUT_SSE);
	CHECK_EQ(xcr0_check(&c, 7), CR_OK);
	CHECK_EQ(xcr0_check(&c, 0x27), XCR0_AVX512_PARTIAL);
	CHECK_EQ(xcr0_check(&c, 0xe3), XCR0_AVX512_PARTIAL);
	CHECK_EQ(xcr0_check(&c, 0xe7), CR_OK);
	c.xcr0 |= 0x18 | (3ULL << 17);
	CHECK_EQ(xcr0_check(&c, 0x0b), XCR0_MPX_PARTIAL);
	CHECK_EQ(xcr0_check(&c, 0x1b), CR_OK);
	CHECK_EQ(xcr0_check(&c, 3 | (1ULL << 17)), XCR0_AMX_PARTIAL);
	CHECK_EQ(xcr0_check(&c, 3 | (3ULL << 17)), CR_OK);
}

TEST(apic_base_rules)
{
	/* The reset value: xAPIC at 0xfee00000, enabled, BSP. */
	const u64 xapic = 0xfee00900ULL, x2apic = 0xfee00d00ULL;
	const u64 off = 0xfee00100ULL;

	CHECK_EQ(apic_base_check(&caps, xapic, 0xfee00900ULL), CR_OK);
	CHECK_EQ(apic_base_check(&caps, xapic, 0xfee00000ULL), CR_OK);
	CHECK_EQ(apic_base_check(&caps, xapic, 0xfee00901ULL), APIC_BASE_RESERVED);
	CHECK_EQ(apic_base_check(&caps, xapic, 0xfee00a00ULL), APIC_BASE_RESERVED);
	/* The x2APIC state machine (SDM Figure 11-27). */
	CHECK_EQ(apic_base_check(&caps, xapic, x2apic), CR_OK);
	CHECK_EQ(apic_base_check(&caps, x2apic, off), CR_OK);
	CHECK_EQ(apic_base_check(&caps, off, xapic), CR_OK);
	CHECK_EQ(apic_base_check(&caps, x2apic, xapic), APIC_BASE_X2APIC_TO_XAPIC);
	CHECK_EQ(apic_base_check(&caps, off, x2apic), APIC_BASE_DISABLED_TO_X2APIC);
	CHECK_EQ(apic_base_check(&caps, xapic, 0xfee00500ULL),
		 APIC_BASE_EXTD_WITHOUT_EN);
	/* From outside (SET_SREGS: old == new) any valid state goes. */
	CHECK_EQ(apic_base_check(&caps, x2apic, x2apic), CR_OK);
	/* A base above MAXPHYADDR (39 here) is reserved, just below is not. */
	CHECK_EQ(apic_base_check(&caps, xapic, (1ULL << 38) | 0x800), CR_OK);
	CHECK_EQ(apic_base_check(&caps, xapic, (1ULL << 39) | 0x800),
		 APIC_BASE_RESERVED);
	CHECK_EQ(apic_base_check(&caps, xapic, 1ULL << 63), APIC_BASE_RESERVED);
}

TEST(state_rules)
{
	struct cr_regs r;

	CHECK_EQ(cr_state_check(&prot, &caps), CR_OK);
	CHECK_EQ(cr_state_check(&lm, &caps), CR_OK);
	r = prot;
	r.cr0 |= 1ULL << 7;
	CHECK_EQ(cr_state_check(&r, &caps), CR0_UNDEFINED);
	r = prot;
	r.cr0 = PG;
	CHECK_EQ(cr_state_check(&r, &caps), CR0_PG_WITHOUT_PE);
	r = lm;
	r.efer = LME;
	CHECK_EQ(cr_state_check(&r, &caps), EFER_LMA_MISMATCH);
	r = prot;
	r.efer = LMA;
	CHECK_EQ(cr_state_check(&r, &caps), EFER_LMA_MISMATCH);
	r = lm;
	r.cr4 = 0;
	CHECK_EQ(cr_state_check(&r, &caps), CR0_LONG_WITHOUT_PAE);
	r = prot;
	r.cr4 = PCIDE;
	CHECK_EQ(cr_state_check(&r, &caps), CR4_PCIDE_OUTSIDE_LONG);
	/* A PCID in CR3 with PCIDE on is a state, not a change. */
	r = lm;
	r.cr4 |= PCIDE;
	r.cr3 |= 7;
	CHECK_EQ(cr_state_check(&r, &caps), CR_OK);
	r.cr3 |= 1ULL << 63;
	CHECK_EQ(cr_state_check(&r, &caps), CR3_RESERVED);
	r = prot;
	r.cr3 = 1ULL << 40;
	CHECK_EQ(cr_state_check(&r, &caps), CR3_RESERVED);
}

TEST(every_rule_has_a_name)
{
	int i;

	for (i = 0; i < CR_NR_RULES; i++)
		CHECK(cr_rule_names[i] && cr_rule_names[i][0]);
}
