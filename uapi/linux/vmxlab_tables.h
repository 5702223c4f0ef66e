/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vmxlab_tables.h - the VMCS field encodings and the VM-exit reasons,
 * written once for the kernel module, the loader and the stepper.
 *
 * Each field and each exit reason is one #define.  uapi/gen-names.sh reads
 * this file at build time and writes the name tables (field name by
 * encoding, exit name and description by number), so nothing here is
 * ever listed twice.  Keep the one-line format: "#define VMCS_<NAME> <hex>"
 * and "#define VMX_EXIT_<NAME> <n> /" "* <description> *" "/".
 *
 * VMCS field encodings: SDM Vol. 3D, Appendix B "Field Encoding in VMCS".
 * The encoding itself tells the width (bits 14:13: 16-bit, 64-bit, 32-bit,
 * natural) and the type (bits 11:10: control, read-only data, guest state,
 * host state).
 *
 * Exit reasons: SDM Vol. 3D, Appendix C "VMX Basic Exit Reasons".
 */
#ifndef _UAPI_LINUX_VMXLAB_TABLES_H
#define _UAPI_LINUX_VMXLAB_TABLES_H

/* Width of a field, from bits 14:13 of its encoding (SDM B.1-B.4). */
#define VMCS_FIELD_WIDTH(enc)		(((enc) >> 13) & 3)
#define VMCS_WIDTH_16			0
#define VMCS_WIDTH_64			1
#define VMCS_WIDTH_32			2
#define VMCS_WIDTH_NATURAL		3
/* Type of a field, from bits 11:10 of its encoding. */
#define VMCS_FIELD_TYPE(enc)		(((enc) >> 10) & 3)
#define VMCS_TYPE_CONTROL		0
#define VMCS_TYPE_READ_ONLY		1
#define VMCS_TYPE_GUEST			2
#define VMCS_TYPE_HOST			3
/* Bit 0 selects the high 32 bits of a 64-bit field ("access type"). */
#define VMCS_FIELD_HIGH(enc)		((enc) & 1)

/* 16-bit control fields (B.1.1) */
#define VMCS_VIRTUAL_PROCESSOR_ID	0x0000
#define VMCS_POSTED_INTR_NOTIFICATION_VECTOR	0x0002
#define VMCS_EPTP_INDEX			0x0004

/* 16-bit guest-state fields (B.1.2) */
#define VMCS_GUEST_ES_SELECTOR		0x0800
#define VMCS_GUEST_CS_SELECTOR		0x0802
#define VMCS_GUEST_SS_SELECTOR		0x0804
#define VMCS_GUEST_DS_SELECTOR		0x0806
#define VMCS_GUEST_FS_SELECTOR		0x0808
#define VMCS_GUEST_GS_SELECTOR		0x080a
#define VMCS_GUEST_LDTR_SELECTOR	0x080c
#define VMCS_GUEST_TR_SELECTOR		0x080e
#define VMCS_GUEST_INTR_STATUS		0x0810
#define VMCS_GUEST_PML_INDEX		0x0812

/* 16-bit host-state fields (B.1.3) */
#define VMCS_HOST_ES_SELECTOR		0x0c00
#define VMCS_HOST_CS_SELECTOR		0x0c02
#define VMCS_HOST_SS_SELECTOR		0x0c04
#define VMCS_HOST_DS_SELECTOR		0x0c06
#define VMCS_HOST_FS_SELECTOR		0x0c08
#define VMCS_HOST_GS_SELECTOR		0x0c0a
#define VMCS_HOST_TR_SELECTOR		0x0c0c

/* 64-bit control fields (B.2.1) */
#define VMCS_IO_BITMAP_A		0x2000
#define VMCS_IO_BITMAP_B		0x2002
#define VMCS_MSR_BITMAP			0x2004
#define VMCS_VM_EXIT_MSR_STORE_ADDR	0x2006
#define VMCS_VM_EXIT_MSR_LOAD_ADDR	0x2008
#define VMCS_VM_ENTRY_MSR_LOAD_ADDR	0x200a
#define VMCS_EXECUTIVE_VMCS_POINTER	0x200c
#define VMCS_PML_ADDRESS		0x200e
#define VMCS_TSC_OFFSET			0x2010
#define VMCS_VIRTUAL_APIC_PAGE_ADDR	0x2012
#define VMCS_APIC_ACCESS_ADDR		0x2014
#define VMCS_POSTED_INTR_DESC_ADDR	0x2016
#define VMCS_VM_FUNCTION_CONTROL	0x2018
#define VMCS_EPT_POINTER		0x201a
#define VMCS_EOI_EXIT_BITMAP0		0x201c
#define VMCS_EOI_EXIT_BITMAP1		0x201e
#define VMCS_EOI_EXIT_BITMAP2		0x2020
#define VMCS_EOI_EXIT_BITMAP3		0x2022
#define VMCS_EPTP_LIST_ADDRESS		0x2024
#define VMCS_VMREAD_BITMAP		0x2026
#define VMCS_VMWRITE_BITMAP		0x2028
#define VMCS_VE_INFORMATION_ADDRESS	0x202a
#define VMCS_XSS_EXIT_BITMAP		0x202c
#define VMCS_ENCLS_EXITING_BITMAP	0x202e
#define VMCS_SPP_TABLE_POINTER		0x2030
#define VMCS_TSC_MULTIPLIER		0x2032
#define VMCS_TERTIARY_VM_EXEC_CONTROL	0x2034

/* 64-bit read-only data field (B.2.2) */
#define VMCS_GUEST_PHYSICAL_ADDRESS	0x2400

/* 64-bit guest-state fields (B.2.3) */
#define VMCS_VMCS_LINK_POINTER		0x2800
#define VMCS_GUEST_IA32_DEBUGCTL	0x2802
#define VMCS_GUEST_IA32_PAT		0x2804
#define VMCS_GUEST_IA32_EFER		0x2806
#define VMCS_GUEST_IA32_PERF_GLOBAL_CTRL	0x2808
#define VMCS_GUEST_PDPTE0		0x280a
#define VMCS_GUEST_PDPTE1		0x280c
#define VMCS_GUEST_PDPTE2		0x280e
#define VMCS_GUEST_PDPTE3		0x2810
#define VMCS_GUEST_IA32_BNDCFGS		0x2812
#define VMCS_GUEST_IA32_RTIT_CTL	0x2814
#define VMCS_GUEST_IA32_LBR_CTL		0x2816
#define VMCS_GUEST_IA32_PKRS		0x2818

/* 64-bit host-state fields (B.2.4) */
#define VMCS_HOST_IA32_PAT		0x2c00
#define VMCS_HOST_IA32_EFER		0x2c02
#define VMCS_HOST_IA32_PERF_GLOBAL_CTRL	0x2c04
#define VMCS_HOST_IA32_PKRS		0x2c06

/* 32-bit control fields (B.3.1) */
#define VMCS_PIN_BASED_VM_EXEC_CONTROL	0x4000
#define VMCS_CPU_BASED_VM_EXEC_CONTROL	0x4002
#define VMCS_EXCEPTION_BITMAP		0x4004
#define VMCS_PAGE_FAULT_ERROR_CODE_MASK	0x4006
#define VMCS_PAGE_FAULT_ERROR_CODE_MATCH	0x4008
#define VMCS_CR3_TARGET_COUNT		0x400a
#define VMCS_VM_EXIT_CONTROLS		0x400c
#define VMCS_VM_EXIT_MSR_STORE_COUNT	0x400e
#define VMCS_VM_EXIT_MSR_LOAD_COUNT	0x4010
#define VMCS_VM_ENTRY_CONTROLS		0x4012
#define VMCS_VM_ENTRY_MSR_LOAD_COUNT	0x4014
#define VMCS_VM_ENTRY_INTR_INFO_FIELD	0x4016
#define VMCS_VM_ENTRY_EXCEPTION_ERROR_CODE	0x4018
#define VMCS_VM_ENTRY_INSTRUCTION_LEN	0x401a
#define VMCS_TPR_THRESHOLD		0x401c
#define VMCS_SECONDARY_VM_EXEC_CONTROL	0x401e
#define VMCS_PLE_GAP			0x4020
#define VMCS_PLE_WINDOW			0x4022

/* 32-bit read-only data fields (B.3.2) */
#define VMCS_VM_INSTRUCTION_ERROR	0x4400
#define VMCS_VM_EXIT_REASON		0x4402
#define VMCS_VM_EXIT_INTR_INFO		0x4404
#define VMCS_VM_EXIT_INTR_ERROR_CODE	0x4406
#define VMCS_IDT_VECTORING_INFO_FIELD	0x4408
#define VMCS_IDT_VECTORING_ERROR_CODE	0x440a
#define VMCS_VM_EXIT_INSTRUCTION_LEN	0x440c
#define VMCS_VMX_INSTRUCTION_INFO	0x440e

/* 32-bit guest-state fields (B.3.3) */
#define VMCS_GUEST_ES_LIMIT		0x4800
#define VMCS_GUEST_CS_LIMIT		0x4802
#define VMCS_GUEST_SS_LIMIT		0x4804
#define VMCS_GUEST_DS_LIMIT		0x4806
#define VMCS_GUEST_FS_LIMIT		0x4808
#define VMCS_GUEST_GS_LIMIT		0x480a
#define VMCS_GUEST_LDTR_LIMIT		0x480c
#define VMCS_GUEST_TR_LIMIT		0x480e
#define VMCS_GUEST_GDTR_LIMIT		0x4810
#define VMCS_GUEST_IDTR_LIMIT		0x4812
#define VMCS_GUEST_ES_AR_BYTES		0x4814
#define VMCS_GUEST_CS_AR_BYTES		0x4816
#define VMCS_GUEST_SS_AR_BYTES		0x4818
#define VMCS_GUEST_DS_AR_BYTES		0x481a
#define VMCS_GUEST_FS_AR_BYTES		0x481c
#define VMCS_GUEST_GS_AR_BYTES		0x481e
#define VMCS_GUEST_LDTR_AR_BYTES	0x4820
#define VMCS_GUEST_TR_AR_BYTES		0x4822
#define VMCS_GUEST_INTERRUPTIBILITY_INFO	0x4824
#define VMCS_GUEST_ACTIVITY_STATE	0x4826
#define VMCS_GUEST_SMBASE		0x4828
#define VMCS_GUEST_SYSENTER_CS		0x482a
#define VMCS_VMX_PREEMPTION_TIMER_VALUE	0x482e

/* 32-bit host-state field (B.3.4) */
#define VMCS_HOST_IA32_SYSENTER_CS	0x4c00

/* natural-width control fields (B.4.1) */
#define VMCS_CR0_GUEST_HOST_MASK	0x6000
#define VMCS_CR4_GUEST_HOST_MASK	0x6002
#define VMCS_CR0_READ_SHADOW		0x6004
#define VMCS_CR4_READ_SHADOW		0x6006
#define VMCS_CR3_TARGET_VALUE0		0x6008
#define VMCS_CR3_TARGET_VALUE1		0x600a
#define VMCS_CR3_TARGET_VALUE2		0x600c
#define VMCS_CR3_TARGET_VALUE3		0x600e

/* natural-width read-only data fields (B.4.2) */
#define VMCS_EXIT_QUALIFICATION		0x6400
#define VMCS_IO_RCX			0x6402
#define VMCS_IO_RSI			0x6404
#define VMCS_IO_RDI			0x6406
#define VMCS_IO_RIP			0x6408
#define VMCS_GUEST_LINEAR_ADDRESS	0x640a

/* natural-width guest-state fields (B.4.3) */
#define VMCS_GUEST_CR0			0x6800
#define VMCS_GUEST_CR3			0x6802
#define VMCS_GUEST_CR4			0x6804
#define VMCS_GUEST_ES_BASE		0x6806
#define VMCS_GUEST_CS_BASE		0x6808
#define VMCS_GUEST_SS_BASE		0x680a
#define VMCS_GUEST_DS_BASE		0x680c
#define VMCS_GUEST_FS_BASE		0x680e
#define VMCS_GUEST_GS_BASE		0x6810
#define VMCS_GUEST_LDTR_BASE		0x6812
#define VMCS_GUEST_TR_BASE		0x6814
#define VMCS_GUEST_GDTR_BASE		0x6816
#define VMCS_GUEST_IDTR_BASE		0x6818
#define VMCS_GUEST_DR7			0x681a
#define VMCS_GUEST_RSP			0x681c
#define VMCS_GUEST_RIP			0x681e
#define VMCS_GUEST_RFLAGS		0x6820
#define VMCS_GUEST_PENDING_DBG_EXCEPTIONS	0x6822
#define VMCS_GUEST_SYSENTER_ESP		0x6824
#define VMCS_GUEST_SYSENTER_EIP		0x6826
#define VMCS_GUEST_S_CET		0x6828
#define VMCS_GUEST_SSP			0x682a
#define VMCS_GUEST_INTR_SSP_TABLE_ADDR	0x682c

/* natural-width host-state fields (B.4.4) */
#define VMCS_HOST_CR0			0x6c00
#define VMCS_HOST_CR3			0x6c02
#define VMCS_HOST_CR4			0x6c04
#define VMCS_HOST_FS_BASE		0x6c06
#define VMCS_HOST_GS_BASE		0x6c08
#define VMCS_HOST_TR_BASE		0x6c0a
#define VMCS_HOST_GDTR_BASE		0x6c0c
#define VMCS_HOST_IDTR_BASE		0x6c0e
#define VMCS_HOST_IA32_SYSENTER_ESP	0x6c10
#define VMCS_HOST_IA32_SYSENTER_EIP	0x6c12
#define VMCS_HOST_RSP			0x6c14
#define VMCS_HOST_RIP			0x6c16
#define VMCS_HOST_S_CET			0x6c18
#define VMCS_HOST_SSP			0x6c1a
#define VMCS_HOST_INTR_SSP_TABLE_ADDR	0x6c1c

/*
 * Basic exit reasons, bits 15:0 of the exit-reason field (SDM Vol. 3D,
 * Appendix C), each with what happened.
 */
#define VMX_EXIT_EXCEPTION_NMI	0	/* exception or NMI */
#define VMX_EXIT_EXTERNAL_INTERRUPT	1	/* external interrupt */
#define VMX_EXIT_TRIPLE_FAULT	2	/* triple fault */
#define VMX_EXIT_INIT_SIGNAL	3	/* INIT signal */
#define VMX_EXIT_SIPI		4	/* start-up IPI */
#define VMX_EXIT_IO_SMI		5	/* I/O SMI */
#define VMX_EXIT_OTHER_SMI	6	/* other SMI */
#define VMX_EXIT_INTERRUPT_WINDOW	7	/* interrupt window */
#define VMX_EXIT_NMI_WINDOW	8	/* NMI window */
#define VMX_EXIT_TASK_SWITCH	9	/* task switch */
#define VMX_EXIT_CPUID		10	/* CPUID */
#define VMX_EXIT_GETSEC		11	/* GETSEC */
#define VMX_EXIT_HLT		12	/* HLT */
#define VMX_EXIT_INVD		13	/* INVD */
#define VMX_EXIT_INVLPG		14	/* INVLPG */
#define VMX_EXIT_RDPMC		15	/* RDPMC */
#define VMX_EXIT_RDTSC		16	/* RDTSC */
#define VMX_EXIT_RSM		17	/* RSM */
#define VMX_EXIT_VMCALL		18	/* VMCALL */
#define VMX_EXIT_VMCLEAR	19	/* VMCLEAR */
#define VMX_EXIT_VMLAUNCH	20	/* VMLAUNCH */
#define VMX_EXIT_VMPTRLD	21	/* VMPTRLD */
#define VMX_EXIT_VMPTRST	22	/* VMPTRST */
#define VMX_EXIT_VMREAD		23	/* VMREAD */
#define VMX_EXIT_VMRESUME	24	/* VMRESUME */
#define VMX_EXIT_VMWRITE	25	/* VMWRITE */
#define VMX_EXIT_VMXOFF		26	/* VMXOFF */
#define VMX_EXIT_VMXON		27	/* VMXON */
#define VMX_EXIT_CR_ACCESS	28	/* control-register access */
#define VMX_EXIT_DR_ACCESS	29	/* debug-register access */
#define VMX_EXIT_IO_INSTRUCTION	30	/* I/O instruction */
#define VMX_EXIT_MSR_READ	31	/* RDMSR */
#define VMX_EXIT_MSR_WRITE	32	/* WRMSR */
#define VMX_EXIT_INVALID_GUEST_STATE	33	/* VM-entry failure: invalid guest state */
#define VMX_EXIT_MSR_LOAD_FAIL	34	/* VM-entry failure: MSR loading */
#define VMX_EXIT_MWAIT		36	/* MWAIT */
#define VMX_EXIT_MONITOR_TRAP_FLAG	37	/* monitor trap flag */
#define VMX_EXIT_MONITOR	39	/* MONITOR */
#define VMX_EXIT_PAUSE		40	/* PAUSE */
#define VMX_EXIT_MCE_DURING_VMENTRY	41	/* VM-entry failure: machine check */
#define VMX_EXIT_TPR_BELOW_THRESHOLD	43	/* TPR below threshold */
#define VMX_EXIT_APIC_ACCESS	44	/* APIC access */
#define VMX_EXIT_VIRTUALIZED_EOI	45	/* virtualized EOI */
#define VMX_EXIT_GDTR_IDTR	46	/* GDTR or IDTR access */
#define VMX_EXIT_LDTR_TR	47	/* LDTR or TR access */
#define VMX_EXIT_EPT_VIOLATION	48	/* EPT violation */
#define VMX_EXIT_EPT_MISCONFIG	49	/* EPT misconfiguration */
#define VMX_EXIT_INVEPT		50	/* INVEPT */
#define VMX_EXIT_RDTSCP		51	/* RDTSCP */
#define VMX_EXIT_PREEMPTION_TIMER	52	/* VMX-preemption timer expired */
#define VMX_EXIT_INVVPID	53	/* INVVPID */
#define VMX_EXIT_WBINVD		54	/* WBINVD or WBNOINVD */
#define VMX_EXIT_XSETBV		55	/* XSETBV */
#define VMX_EXIT_APIC_WRITE	56	/* APIC write */
#define VMX_EXIT_RDRAND		57	/* RDRAND */
#define VMX_EXIT_INVPCID	58	/* INVPCID */
#define VMX_EXIT_VMFUNC		59	/* VMFUNC */
#define VMX_EXIT_ENCLS		60	/* ENCLS */
#define VMX_EXIT_RDSEED		61	/* RDSEED */
#define VMX_EXIT_PML_FULL	62	/* page-modification log full */
#define VMX_EXIT_XSAVES		63	/* XSAVES */
#define VMX_EXIT_XRSTORS	64	/* XRSTORS */
#define VMX_EXIT_SPP_EVENT	66	/* SPP-related event */
#define VMX_EXIT_UMWAIT		67	/* UMWAIT */
#define VMX_EXIT_TPAUSE		68	/* TPAUSE */
#define VMX_EXIT_LOADIWKEY	69	/* LOADIWKEY */
#define VMX_EXIT_BUS_LOCK	74	/* bus lock */
#define VMX_EXIT_NOTIFY		75	/* notify window */
#define VMX_EXIT_MAX			76	/* one past the largest above */

/* Bit 31 of the exit-reason field: the VM entry failed (SDM 27.8). */
#define VMX_EXIT_REASON_ENTRY_FAILED	(1U << 31)
#define VMX_EXIT_REASON_BASIC(r)	((r) & 0xffff)

/*
 * VM-instruction error numbers of a VM entry that failed with
 * VMfailValid (SDM 31.4 "VM Instruction Error Numbers").
 */
#define VMX_INSN_ERR_ENTRY_CONTROLS	7	/* invalid control fields */
#define VMX_INSN_ERR_ENTRY_HOST_STATE	8	/* invalid host-state fields */
#define VMX_INSN_ERR_ENTRY_MOV_SS	26	/* events blocked by MOV SS */

/*
 * BS, a single-step trap: bit 14 of the guest's pending debug
 * exceptions field (SDM 25.4.2) and of the exit qualification of a
 * debug exception (SDM Table 28-1), as in DR6.
 */
#define VMX_DBG_BS			(1U << 14)

#endif /* _UAPI_LINUX_VMXLAB_TABLES_H */
