// SPDX-License-Identifier: GPL-2.0
/*
 * cr_rules.c - the rules of writing CR0, CR3, CR4, IA32_EFER, XCR0 and
 * IA32_APIC_BASE
 * (see cr_rules.h).  Each function is the list of #GP(0) conditions of
 * one instruction's description in the SDM, in the order it gives them.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#endif
#include "cr_rules.h"

const char *const cr_rule_names[CR_NR_RULES] = {
	[CR_OK]			  = "no rule broken",
	[CR0_HIGH_BITS]		  = "CR0 bits 63:32 set",
	[CR0_UNDEFINED]		  = "a CR0 bit no processor defines",
	[CR0_PG_WITHOUT_PE]	  = "CR0.PG=1 with CR0.PE=0",
	[CR0_NW_WITHOUT_CD]	  = "CR0.NW=1 with CR0.CD=0",
	[CR0_LONG_WITHOUT_PAE]	  = "CR0.PG set with EFER.LME=1 and CR4.PAE=0",
	[CR0_LONG_FROM_64BIT_CS]  = "CR0.PG set with EFER.LME=1 and CS.L=1",
	[CR0_CLEAR_PG_IN_64BIT]	  = "CR0.PG cleared in 64-bit mode",
	[CR0_CLEAR_PG_WITH_PCIDE] = "CR0.PG cleared with CR4.PCIDE=1",
	[CR3_RESERVED]		  = "CR3 bits above MAXPHYADDR set",
	[CR4_RESERVED]		  = "a CR4 bit this vCPU does not offer",
	[CR4_PCIDE_OUTSIDE_LONG]  = "CR4.PCIDE=1 outside IA-32e mode",
	[CR4_PCIDE_WITH_CR3_PCID] = "CR4.PCIDE set with CR3[11:0] != 0",
	[CR4_CLEAR_PAE_IN_LONG]	  = "CR4.PAE cleared in IA-32e mode",
	[CR4_LA57_IN_LONG]	  = "CR4.LA57 changed in IA-32e mode",
	[EFER_RESERVED]		  = "an IA32_EFER bit this vCPU does not offer",
	[EFER_LME_WITH_PG]	  = "EFER.LME changed with CR0.PG=1",
	[EFER_LMA_MISMATCH]	  = "EFER.LMA differs from EFER.LME and CR0.PG",
	[XCR0_RESERVED]		  = "an XCR0 bit this vCPU does not offer",
	[XCR0_NO_X87]		  = "XCR0[0] (x87) clear",
	[XCR0_AVX_WITHOUT_SSE]	  = "XCR0 AVX without SSE",
	[XCR0_AVX512_PARTIAL]	  = "XCR0 AVX-512 bits 7:5 not all set, or without AVX",
	[XCR0_MPX_PARTIAL]	  = "XCR0[3] differs from XCR0[4]",
	[XCR0_AMX_PARTIAL]	  = "XCR0[17] differs from XCR0[18]",
	[APIC_BASE_RESERVED]	  = "an IA32_APIC_BASE bit that is reserved",
	[APIC_BASE_EXTD_WITHOUT_EN] = "IA32_APIC_BASE.EXTD=1 with EN=0",
	[APIC_BASE_X2APIC_TO_XAPIC] = "x2APIC mode straight back to xAPIC mode",
	[APIC_BASE_DISABLED_TO_X2APIC] = "a disabled APIC straight to x2APIC mode",
};

static bool lma(const struct cr_regs *r)
{
	return r->efer & CRR_EFER_LMA;
}

/* 64-bit mode: IA-32e mode with a 64-bit code segment. */
static bool in_64bit(const struct cr_regs *r)
{
	return lma(r) && (r->cs_ar & VMX_AR_L);
}

enum cr_rule cr0_check(const struct cr_regs *r, u64 *cr0)
{
	u64 val = *cr0 | CRR_CR0_ET;

	if (val >> 32)
		return CR0_HIGH_BITS;
	if ((val & CRR_CR0_PG) && !(val & CRR_CR0_PE))
		return CR0_PG_WITHOUT_PE;
	if ((val & CRR_CR0_NW) && !(val & CRR_CR0_CD))
		return CR0_NW_WITHOUT_CD;
	/* Activating IA-32e mode ("Initializing IA-32e Mode"). */
	if ((val & CRR_CR0_PG) && !(r->cr0 & CRR_CR0_PG) &&
	    (r->efer & CRR_EFER_LME)) {
		if (!(r->cr4 & CRR_CR4_PAE))
			return CR0_LONG_WITHOUT_PAE;
		if (r->cs_ar & VMX_AR_L)
			return CR0_LONG_FROM_64BIT_CS;
	}
	if (!(val & CRR_CR0_PG) && (r->cr0 & CRR_CR0_PG)) {
		/* Leaving IA-32e mode goes through compatibility mode. */
		if (in_64bit(r))
			return CR0_CLEAR_PG_IN_64BIT;
		if (r->cr4 & CRR_CR4_PCIDE)
			return CR0_CLEAR_PG_WITH_PCIDE;
	}
	*cr0 = val;
	return CR_OK;
}

enum cr_rule cr3_check(const struct cr_regs *r, const struct cr_caps *c,
		       u64 *cr3)
{
	u64 val = *cr3;

	/* Outside IA-32e mode CR3 is 32 bits wide: nothing is reserved. */
	if (!lma(r)) {
		*cr3 = val & 0xffffffffULL;
		return CR_OK;
	}
	/* With PCIDE, bit 63 only says "do not invalidate". */
	if (r->cr4 & CRR_CR4_PCIDE)
		val &= ~BIT_ULL(63);
	if (c->maxphyaddr < 64 && (val >> c->maxphyaddr))
		return CR3_RESERVED;
	*cr3 = val;
	return CR_OK;
}

enum cr_rule cr4_check(const struct cr_regs *r, const struct cr_caps *c,
		       u64 cr4)
{
	if (cr4 & ~c->cr4)
		return CR4_RESERVED;
	if ((cr4 & CRR_CR4_PCIDE) && !lma(r))
		return CR4_PCIDE_OUTSIDE_LONG;
	if ((cr4 & CRR_CR4_PCIDE) && !(r->cr4 & CRR_CR4_PCIDE) &&
	    (r->cr3 & 0xfff))
		return CR4_PCIDE_WITH_CR3_PCID;
	if (lma(r) && !(cr4 & CRR_CR4_PAE))
		return CR4_CLEAR_PAE_IN_LONG;
	if (lma(r) && ((cr4 ^ r->cr4) & CRR_CR4_LA57))
		return CR4_LA57_IN_LONG;
	return CR_OK;
}

enum cr_rule efer_check(const struct cr_regs *r, const struct cr_caps *c,
			u64 *efer)
{
	u64 val = *efer;

	if (val & ~c->efer)
		return EFER_RESERVED;
	if (((val ^ r->efer) & CRR_EFER_LME) && (r->cr0 & CRR_CR0_PG))
		return EFER_LME_WITH_PG;
	/* LMA is the processor's: a write leaves it as it is. */
	*efer = (val & ~CRR_EFER_LMA) | (r->efer & CRR_EFER_LMA);
	return CR_OK;
}

enum cr_rule xcr0_check(const struct cr_caps *c, u64 xcr0)
{
	u64 avx512 = xcr0 & CRR_XCR0_AVX512;

	if (xcr0 & ~c->xcr0)
		return XCR0_RESERVED;
	if (!(xcr0 & CRR_XCR0_X87))
		return XCR0_NO_X87;
	if ((xcr0 & CRR_XCR0_AVX) && !(xcr0 & CRR_XCR0_SSE))
		return XCR0_AVX_WITHOUT_SSE;
	if (avx512 && (avx512 != CRR_XCR0_AVX512 || !(xcr0 & CRR_XCR0_AVX)))
		return XCR0_AVX512_PARTIAL;
	if (!(xcr0 & CRR_XCR0_BNDREGS) != !(xcr0 & CRR_XCR0_BNDCSR))
		return XCR0_MPX_PARTIAL;
	if (!(xcr0 & CRR_XCR0_TILECFG) != !(xcr0 & CRR_XCR0_TILEDATA))
		return XCR0_AMX_PARTIAL;
	return CR_OK;
}

enum cr_rule apic_base_check(const struct cr_caps *c, u64 old, u64 val)
{
	const u64 x2 = CRR_APIC_BASE_EN | CRR_APIC_BASE_EXTD;
	/* Bits 7:0, 9, and MAXPHYADDR and up. */
	u64 reserved = CRR_APIC_BASE_RESERVED;

	if (c->maxphyaddr < 64)
		reserved |= ~0ULL << c->maxphyaddr;
	if (val & reserved)
		return APIC_BASE_RESERVED;
	/* The three states and their transitions (SDM Figure 11-27). */
	if ((val & x2) == CRR_APIC_BASE_EXTD)
		return APIC_BASE_EXTD_WITHOUT_EN;
	if ((old & x2) == x2 && (val & x2) == CRR_APIC_BASE_EN)
		return APIC_BASE_X2APIC_TO_XAPIC;
	if (!(old & x2) && (val & x2) == x2)
		return APIC_BASE_DISABLED_TO_X2APIC;
	return CR_OK;
}

enum cr_rule cr_state_check(const struct cr_regs *r, const struct cr_caps *c)
{
	bool long_mode = (r->efer & CRR_EFER_LME) && (r->cr0 & CRR_CR0_PG);
	enum cr_rule e;

	/* The instruction rules that hold for any state, not a change. */
	if (r->cr0 & ~CRR_CR0_DEFINED)
		return (r->cr0 >> 32) ? CR0_HIGH_BITS : CR0_UNDEFINED;
	if ((r->cr0 & CRR_CR0_PG) && !(r->cr0 & CRR_CR0_PE))
		return CR0_PG_WITHOUT_PE;
	if ((r->cr0 & CRR_CR0_NW) && !(r->cr0 & CRR_CR0_CD))
		return CR0_NW_WITHOUT_CD;
	if (r->efer & ~c->efer)
		return EFER_RESERVED;
	if (!(r->efer & CRR_EFER_LMA) != !long_mode)
		return EFER_LMA_MISMATCH;
	if (long_mode && !(r->cr4 & CRR_CR4_PAE))
		return CR0_LONG_WITHOUT_PAE;
	/* CR4 as written in that mode; PCIDE may come with a PCID in CR3. */
	e = cr4_check(r, c, r->cr4);
	if (e != CR_OK && e != CR4_PCIDE_WITH_CR3_PCID)
		return e;
	/* Bit 63 of a MOV to CR3 is an operand flag, never CR3's. */
	if (c->maxphyaddr < 64 && (r->cr3 >> c->maxphyaddr))
		return CR3_RESERVED;
	return CR_OK;
}
