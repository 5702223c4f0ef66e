/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cr_rules.h - what the processor checks when software writes CR0, CR3,
 * CR4, IA32_EFER, XCR0 or IA32_APIC_BASE: the #GP(0) cases of the SDM's
 * instruction descriptions "MOV—Move to/from Control Registers", "WRMSR"
 * and "XSETBV" (Vol. 2), with Vol. 3A "Control Registers", "Initializing
 * IA-32e Mode" and "Local APIC Status and Location".  Written once, for
 * every path that changes them: the guest's MOV to CR exits and XSETBV
 * (exits.c), its WRMSR (msr.c), and VMXLAB_SET_SREGS (regs.c), which
 * accepts only a state that a guest could have reached by such writes.
 *
 * Plain C with no kernel dependency, so the host unit tests build the same
 * source (selftests/host/test-cr-rules.c); the host build provides u64,
 * bool, BIT_ULL() and GENMASK_ULL().
 */
#ifndef VMXLAB_CR_RULES_H
#define VMXLAB_CR_RULES_H

#ifdef __KERNEL__
#include <linux/bits.h>
#include <linux/types.h>
#endif
#include "vmx_bits.h"

/* Architectural bits (SDM Vol. 3A "Control Registers", "IA32_EFER"). */
#define CRR_CR0_PE		BIT_ULL(0)
#define CRR_CR0_ET		BIT_ULL(4)
#define CRR_CR0_WP		BIT_ULL(16)
#define CRR_CR0_NW		BIT_ULL(29)
#define CRR_CR0_CD		BIT_ULL(30)
#define CRR_CR0_PG		BIT_ULL(31)
/* PE MP EM TS ET NE WP AM NW CD PG: every bit Intel defines in CR0. */
#define CRR_CR0_DEFINED		0xe005003fULL
#define CRR_CR4_PAE		BIT_ULL(5)
#define CRR_CR4_LA57		BIT_ULL(12)
#define CRR_CR4_PCIDE		BIT_ULL(17)
#define CRR_CR4_OSXSAVE		BIT_ULL(18)
#define CRR_CR4_CET		BIT_ULL(23)
#define CRR_CR4_LAM_SUP		BIT_ULL(28)
/* CR3 bits 62:61: LAM_U57 and LAM_U48. */
#define CRR_CR3_LAM		GENMASK_ULL(62, 61)
#define CRR_EFER_LME		BIT_ULL(8)
#define CRR_EFER_LMA		BIT_ULL(10)
/* XCR0 state components (SDM Vol. 1 "XSAVE-Supported Features"). */
#define CRR_XCR0_X87		BIT_ULL(0)
#define CRR_XCR0_SSE		BIT_ULL(1)
#define CRR_XCR0_AVX		BIT_ULL(2)
#define CRR_XCR0_BNDREGS	BIT_ULL(3)
#define CRR_XCR0_BNDCSR		BIT_ULL(4)
#define CRR_XCR0_AVX512		GENMASK_ULL(7, 5)	/* opmask, ZMM_Hi256, Hi16_ZMM */
#define CRR_XCR0_TILECFG	BIT_ULL(17)
#define CRR_XCR0_TILEDATA	BIT_ULL(18)
/* IA32_APIC_BASE (SDM Vol. 3A "Local APIC Status and Location"). */
#define CRR_APIC_BASE_BSP	BIT_ULL(8)
#define CRR_APIC_BASE_EXTD	BIT_ULL(10)	/* x2APIC mode */
#define CRR_APIC_BASE_EN	BIT_ULL(11)
#define CRR_APIC_BASE_RESERVED	(GENMASK_ULL(7, 0) | BIT_ULL(9))

/* The registers the rules read: the guest's view, before the write. */
struct cr_regs {
	u64 cr0, cr3, cr4, efer;
	u64 cs_ar;		/* CS access rights, VMCS layout */
};

/* What the vCPU offers: a bit outside these is reserved. */
struct cr_caps {
	u64 cr4;		/* CR4 bits a guest may set */
	u64 efer;		/* IA32_EFER bits a guest may set (LMA too) */
	u64 xcr0;		/* state components XSETBV may enable */
	unsigned int maxphyaddr;	/* CPUID.80000008H:EAX[7:0] */
};

/* The rule a write breaks: the processor raises #GP(0).  CR_OK: none. */
enum cr_rule {
	CR_OK,
	CR0_HIGH_BITS,		/* CR0[63:32] is reserved */
	CR0_UNDEFINED,		/* SET_SREGS only: a bit no processor has */
	CR0_PG_WITHOUT_PE,
	CR0_NW_WITHOUT_CD,
	CR0_LONG_WITHOUT_PAE,	/* PG 0->1 with EFER.LME=1, CR4.PAE=0 */
	CR0_LONG_FROM_64BIT_CS,	/* PG 0->1 with EFER.LME=1, CS.L=1 */
	CR0_CLEAR_PG_IN_64BIT,	/* PG 1->0 in 64-bit mode */
	CR0_CLEAR_PG_WITH_PCIDE,	/* PG 1->0 with CR4.PCIDE=1 */
	CR3_RESERVED,		/* bits above MAXPHYADDR (IA-32e mode) */
	CR4_RESERVED,		/* a bit the vCPU does not offer */
	CR4_PCIDE_OUTSIDE_LONG,	/* PCIDE=1 with EFER.LMA=0 */
	CR4_PCIDE_WITH_CR3_PCID,	/* PCIDE 0->1 with CR3[11:0] != 0 */
	CR4_CLEAR_PAE_IN_LONG,	/* PAE=0 with EFER.LMA=1 */
	CR4_LA57_IN_LONG,	/* LA57 changed with EFER.LMA=1 */
	EFER_RESERVED,		/* a bit the vCPU does not offer */
	EFER_LME_WITH_PG,	/* LME changed with CR0.PG=1 */
	EFER_LMA_MISMATCH,	/* SET_SREGS only: LMA != LME && PG */
	XCR0_RESERVED,		/* a component the vCPU does not offer */
	XCR0_NO_X87,		/* bit 0 must be 1 */
	XCR0_AVX_WITHOUT_SSE,
	XCR0_AVX512_PARTIAL,	/* bits 7:5 all or none, and with AVX */
	XCR0_MPX_PARTIAL,	/* bits 4:3 equal */
	XCR0_AMX_PARTIAL,	/* bits 18:17 equal */
	APIC_BASE_RESERVED,	/* a reserved bit */
	APIC_BASE_EXTD_WITHOUT_EN,	/* x2APIC mode with the APIC disabled */
	APIC_BASE_X2APIC_TO_XAPIC,	/* leaving x2APIC except to disabled */
	APIC_BASE_DISABLED_TO_X2APIC,	/* entering x2APIC except from xAPIC */
	CR_NR_RULES
};

/* "CR0.PG=1 with CR0.PE=0", ...: for messages and the tests. */
extern const char *const cr_rule_names[CR_NR_RULES];

/*
 * MOV to CR0 of *@cr0.  On CR_OK, *@cr0 is the value CR0 takes (ET is
 * always 1).  PAE paging also reloads the PDPTEs, which may fault: that
 * needs guest memory and stays with the caller.
 */
enum cr_rule cr0_check(const struct cr_regs *r, u64 *cr0);
/* MOV to CR3 of *@cr3; on CR_OK, the value CR3 takes (bit 63 dropped). */
enum cr_rule cr3_check(const struct cr_regs *r, const struct cr_caps *c,
		       u64 *cr3);
/* MOV to CR4. */
enum cr_rule cr4_check(const struct cr_regs *r, const struct cr_caps *c,
		       u64 cr4);
/* WRMSR to IA32_EFER of *@efer; on CR_OK, the value it takes (LMA kept). */
enum cr_rule efer_check(const struct cr_regs *r, const struct cr_caps *c,
			u64 *efer);
/* XSETBV to XCR0 (ECX = 0 and CPL 0 are the instruction's own checks). */
enum cr_rule xcr0_check(const struct cr_caps *c, u64 xcr0);
/*
 * WRMSR to IA32_APIC_BASE, from @old to @val: reserved bits and the
 * x2APIC state machine (SDM 11.12.5, Figure 11-27).  SET_SREGS checks a
 * state with @old == @val (any valid state may be set from outside).
 */
enum cr_rule apic_base_check(const struct cr_caps *c, u64 old, u64 val);
/*
 * A whole state at once (VMXLAB_SET_SREGS): consistent as if each
 * register had been written in turn by the instructions above.
 */
enum cr_rule cr_state_check(const struct cr_regs *r, const struct cr_caps *c);

#endif /* VMXLAB_CR_RULES_H */
