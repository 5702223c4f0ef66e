/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmx_bits.h - the bits of the VMX control words, capability MSRs and
 * event fields, as the SDM defines them: written once, for the module
 * (vmx_ops.h and everything above it), the VM-entry explainer (checks.c,
 * which the host tests build too) and the loader (userland/).
 *
 * Plain C with no dependency at all, so that each of those can include
 * it.  The 32-bit fields' bits are unsigned long like the kernel's BIT(),
 * so that ~X clears only X in a 64-bit variable too.
 *
 * Section numbers are those of the SDM edition named in
 * Documentation/sdm.rst.
 */
#ifndef VMXLAB_VMX_BITS_H
#define VMXLAB_VMX_BITS_H

#define VMX_BIT(n)		(1UL << (n))
#define VMX_BIT_ULL(n)		(1ULL << (n))
#define VMX_MASK(hi, lo)	((~0UL >> (63 - (hi))) & ~((1UL << (lo)) - 1))

/* Pin-based VM-execution controls (SDM 25.6.1). */
#define PIN_EXT_INTR		VMX_BIT(0)
#define PIN_NMI			VMX_BIT(3)
#define PIN_VIRTUAL_NMIS	VMX_BIT(5)
#define PIN_PREEMPTION_TIMER	VMX_BIT(6)
#define PIN_POSTED_INTR		VMX_BIT(7)

/* Primary processor-based VM-execution controls (SDM 25.6.2). */
#define PROC_INTR_WINDOW	VMX_BIT(2)
#define PROC_TSC_OFFSET		VMX_BIT(3)
#define PROC_HLT		VMX_BIT(7)
#define PROC_MWAIT		VMX_BIT(10)
#define PROC_RDPMC		VMX_BIT(11)
#define PROC_CR3_LOAD		VMX_BIT(15)
#define PROC_CR3_STORE		VMX_BIT(16)
#define PROC_CR8_LOAD		VMX_BIT(19)
#define PROC_CR8_STORE		VMX_BIT(20)
#define PROC_TPR_SHADOW		VMX_BIT(21)
#define PROC_NMI_WINDOW		VMX_BIT(22)
#define PROC_MOV_DR		VMX_BIT(23)
#define PROC_UNCOND_IO		VMX_BIT(24)
#define PROC_IO_BITMAPS		VMX_BIT(25)
#define PROC_MTF		VMX_BIT(27)
#define PROC_MSR_BITMAPS	VMX_BIT(28)
#define PROC_MONITOR		VMX_BIT(29)
#define PROC_SECONDARY		VMX_BIT(31)

/* Secondary processor-based VM-execution controls (SDM 25.6.2). */
#define PROC2_APIC_ACCESS	VMX_BIT(0)
#define PROC2_EPT		VMX_BIT(1)
#define PROC2_RDTSCP		VMX_BIT(3)
#define PROC2_X2APIC		VMX_BIT(4)
#define PROC2_VPID		VMX_BIT(5)
#define PROC2_WBINVD		VMX_BIT(6)
#define PROC2_UNRESTRICTED	VMX_BIT(7)
#define PROC2_APIC_REG		VMX_BIT(8)
#define PROC2_VID		VMX_BIT(9)
#define PROC2_INVPCID		VMX_BIT(12)
#define PROC2_VMFUNC		VMX_BIT(13)
#define PROC2_SHADOW_VMCS	VMX_BIT(14)
#define PROC2_PML		VMX_BIT(17)
#define PROC2_EPT_VE		VMX_BIT(18)
#define PROC2_MBEC		VMX_BIT(22)
#define PROC2_SPP		VMX_BIT(23)
#define PROC2_PT_GPA		VMX_BIT(24)

/* VM-function controls (SDM 25.6.14): function 0, EPTP switching. */
#define VMFUNC_EPTP_SWITCH	VMX_BIT_ULL(0)

/* Primary VM-exit controls (SDM 25.7.1). */
#define EXIT_SAVE_DEBUG		VMX_BIT(2)
#define EXIT_HOST_64		VMX_BIT(9)
#define EXIT_ACK_INTR		VMX_BIT(15)
#define EXIT_SAVE_PAT		VMX_BIT(18)
#define EXIT_LOAD_PAT		VMX_BIT(19)
#define EXIT_SAVE_EFER		VMX_BIT(20)
#define EXIT_LOAD_EFER		VMX_BIT(21)
#define EXIT_SAVE_PREEMPT_TIMER	VMX_BIT(22)
#define EXIT_CLEAR_RTIT		VMX_BIT(25)
#define EXIT_LOAD_CET		VMX_BIT(28)
#define EXIT_LOAD_PKRS		VMX_BIT(29)

/* VM-entry controls (SDM 25.8.1). */
#define ENTRY_LOAD_DEBUG	VMX_BIT(2)
#define ENTRY_IA32E_GUEST	VMX_BIT(9)
#define ENTRY_TO_SMM		VMX_BIT(10)
#define ENTRY_DEACT_DUAL_MONITOR VMX_BIT(11)
#define ENTRY_LOAD_PAT		VMX_BIT(14)
#define ENTRY_LOAD_EFER		VMX_BIT(15)
#define ENTRY_LOAD_BNDCFGS	VMX_BIT(16)
#define ENTRY_LOAD_RTIT		VMX_BIT(18)
#define ENTRY_LOAD_CET		VMX_BIT(20)
#define ENTRY_LOAD_PKRS		VMX_BIT(22)

/* IA32_VMX_BASIC (SDM A.1). */
#define VMX_BASIC_32BIT_ADDR	VMX_BIT_ULL(48)
#define VMX_BASIC_ANY_ERRCODE	VMX_BIT_ULL(56)

/* IA32_VMX_MISC (SDM A.6): bit 6 HLT, 7 shutdown, 8 wait-for-SIPI. */
#define VMX_MISC_ACTIVITY_SHIFT	5
#define VMX_MISC_ZERO_INSN_LEN	VMX_BIT_ULL(30)

/* IA32_VMX_EPT_VPID_CAP (SDM A.10). */
#define EPT_CAP_WALK4		VMX_BIT_ULL(6)
#define EPT_CAP_WALK5		VMX_BIT_ULL(7)
#define EPT_CAP_UC		VMX_BIT_ULL(8)
#define EPT_CAP_WB		VMX_BIT_ULL(14)
#define EPT_CAP_INVEPT		VMX_BIT_ULL(20)
#define EPT_CAP_AD		VMX_BIT_ULL(21)
#define EPT_CAP_INVEPT_SINGLE	VMX_BIT_ULL(25)
#define EPT_CAP_INVEPT_ALL	VMX_BIT_ULL(26)

/*
 * The guest segment registers in the VMCS's order.  Each field group
 * (selectors, limits, access rights, bases) lists them in this order, two
 * encodings apart (SDM Appendix B), so one index names all four fields.
 * The macros need vmxlab_tables.h.
 */
enum vmx_seg {
	VMX_SEG_ES, VMX_SEG_CS, VMX_SEG_SS, VMX_SEG_DS, VMX_SEG_FS,
	VMX_SEG_GS, VMX_SEG_LDTR, VMX_SEG_TR, VMX_NR_SEGS
};

#define VMCS_GUEST_SEG_SELECTOR(s)	(VMCS_GUEST_ES_SELECTOR + 2 * (s))
#define VMCS_GUEST_SEG_LIMIT(s)		(VMCS_GUEST_ES_LIMIT + 2 * (s))
#define VMCS_GUEST_SEG_AR(s)		(VMCS_GUEST_ES_AR_BYTES + 2 * (s))
#define VMCS_GUEST_SEG_BASE(s)		(VMCS_GUEST_ES_BASE + 2 * (s))

/* Segment access rights as the VMCS holds them (SDM 25.4.1). */
#define VMX_AR_TYPE			VMX_MASK(3, 0)
#define VMX_AR_S			VMX_BIT(4)
#define VMX_AR_DPL			VMX_MASK(6, 5)
#define VMX_AR_DPL_SHIFT		5
#define VMX_AR_P			VMX_BIT(7)
#define VMX_AR_11_8			VMX_MASK(11, 8)
#define VMX_AR_L			VMX_BIT(13)
#define VMX_AR_DB			VMX_BIT(14)
#define VMX_AR_G			VMX_BIT(15)
#define VMX_AR_UNUSABLE		VMX_BIT(16)
#define VMX_AR_31_17		VMX_MASK(31, 17)
/* The bits that exist: 7:0 and 16:12. */
#define VMX_AR_DEFINED		(VMX_MASK(7, 0) | VMX_MASK(16, 12))

/*
 * The interruption-information fields: VM-entry (SDM 25.8.3), VM-exit
 * (25.9.2) and IDT-vectoring (25.9.3) share this layout.
 */
#define INTR_INFO_VECTOR_MASK	0xffU
#define INTR_INFO_TYPE_SHIFT	8
#define INTR_INFO_TYPE_MASK	(7U << INTR_INFO_TYPE_SHIFT)
#define INTR_INFO_DELIVER_CODE	VMX_BIT(11)
#define INTR_INFO_NMI_UNBLOCK	VMX_BIT(12)
/* Bits 30:12 are reserved at VM entry; bit 13 is FRED's nested exception. */
#define INTR_INFO_RESERVED	(VMX_MASK(30, 14) | VMX_BIT(12))
#define INTR_INFO_VALID		VMX_BIT(31)
/* The interruption types, the value of bits 10:8. */
enum vmx_event_type {
	VMX_EV_EXT_INTR = 0,
	VMX_EV_RESERVED = 1,
	VMX_EV_NMI = 2,
	VMX_EV_HW_EXC = 3,
	VMX_EV_SW_INTR = 4,
	VMX_EV_PRIV_SW_EXC = 5,
	VMX_EV_SW_EXC = 6,
	VMX_EV_OTHER = 7,
};

#define INTR_TYPE(ev)		((unsigned int)(ev) << INTR_INFO_TYPE_SHIFT)
#define INTR_TYPE_EXT_INTR	INTR_TYPE(VMX_EV_EXT_INTR)
#define INTR_TYPE_NMI		INTR_TYPE(VMX_EV_NMI)
#define INTR_TYPE_HW_EXCEPTION	INTR_TYPE(VMX_EV_HW_EXC)
#define INTR_TYPE_SW_INTR	INTR_TYPE(VMX_EV_SW_INTR)
#define INTR_TYPE_PRIV_SW_EXC	INTR_TYPE(VMX_EV_PRIV_SW_EXC)
#define INTR_TYPE_SW_EXCEPTION	INTR_TYPE(VMX_EV_SW_EXC)

/* Guest interruptibility state (SDM 25.4.2). */
#define INTERRUPTIBILITY_STI	VMX_BIT(0)
#define INTERRUPTIBILITY_MOV_SS	VMX_BIT(1)
#define INTERRUPTIBILITY_SMI	VMX_BIT(2)
#define INTERRUPTIBILITY_NMI	VMX_BIT(3)
#define INTERRUPTIBILITY_RESERVED VMX_MASK(31, 5)

/* Guest activity state (SDM 25.4.2). */
enum vmx_activity {
	ACTIVITY_ACTIVE = 0,
	ACTIVITY_HLT = 1,
	ACTIVITY_SHUTDOWN = 2,
	ACTIVITY_WAIT_SIPI = 3,
};

/* Pending debug exceptions (SDM 25.4.2); BS is VMX_DBG_BS. */
#define PENDING_DBG_RTM		VMX_BIT_ULL(16)
#define PENDING_DBG_RESERVED	((~0ULL << 17) | VMX_BIT_ULL(15) | \
				 VMX_BIT_ULL(13) | (0xffULL << 4))

#endif /* VMXLAB_VMX_BITS_H */
