/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vmxlab_tables.h - the VMCS field and VM-exit reason tables, written once.
 *
 * Both tables are X-macros: the kernel module expands them into enums and
 * name tables, the loader and the stepper into the same names, so a field
 * or an exit reason is spelled the same everywhere.
 *
 * VMCS field encodings: SDM Vol. 3D, Appendix B "Field Encoding in VMCS".
 * The encoding itself tells the width (bits 14:13: 16-bit, 64-bit, 32-bit,
 * natural) and the type (bits 11:10: control, read-only data, guest state,
 * host state), so only the name and the encoding are listed.
 *
 * Exit reasons: SDM Vol. 3D, Appendix C "VMX Basic Exit Reasons".
 */
#ifndef _UAPI_LINUX_VMXLAB_TABLES_H
#define _UAPI_LINUX_VMXLAB_TABLES_H

/* Width of a field, from bits 14:13 of its encoding (SDM Table B-x). */
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

#define VMXLAB_VMCS_FIELDS(X)						\
	/* 16-bit control fields (B.1.1) */				\
	X(VIRTUAL_PROCESSOR_ID,			0x0000)			\
	X(POSTED_INTR_NOTIFICATION_VECTOR,	0x0002)			\
	X(EPTP_INDEX,				0x0004)			\
	/* 16-bit guest-state fields (B.1.2) */				\
	X(GUEST_ES_SELECTOR,			0x0800)			\
	X(GUEST_CS_SELECTOR,			0x0802)			\
	X(GUEST_SS_SELECTOR,			0x0804)			\
	X(GUEST_DS_SELECTOR,			0x0806)			\
	X(GUEST_FS_SELECTOR,			0x0808)			\
	X(GUEST_GS_SELECTOR,			0x080a)			\
	X(GUEST_LDTR_SELECTOR,			0x080c)			\
	X(GUEST_TR_SELECTOR,			0x080e)			\
	X(GUEST_INTR_STATUS,			0x0810)			\
	X(GUEST_PML_INDEX,			0x0812)			\
	/* 16-bit host-state fields (B.1.3) */				\
	X(HOST_ES_SELECTOR,			0x0c00)			\
	X(HOST_CS_SELECTOR,			0x0c02)			\
	X(HOST_SS_SELECTOR,			0x0c04)			\
	X(HOST_DS_SELECTOR,			0x0c06)			\
	X(HOST_FS_SELECTOR,			0x0c08)			\
	X(HOST_GS_SELECTOR,			0x0c0a)			\
	X(HOST_TR_SELECTOR,			0x0c0c)			\
	/* 64-bit control fields (B.2.1) */				\
	X(IO_BITMAP_A,				0x2000)			\
	X(IO_BITMAP_B,				0x2002)			\
	X(MSR_BITMAP,				0x2004)			\
	X(VM_EXIT_MSR_STORE_ADDR,		0x2006)			\
	X(VM_EXIT_MSR_LOAD_ADDR,		0x2008)			\
	X(VM_ENTRY_MSR_LOAD_ADDR,		0x200a)			\
	X(EXECUTIVE_VMCS_POINTER,		0x200c)			\
	X(PML_ADDRESS,				0x200e)			\
	X(TSC_OFFSET,				0x2010)			\
	X(VIRTUAL_APIC_PAGE_ADDR,		0x2012)			\
	X(APIC_ACCESS_ADDR,			0x2014)			\
	X(POSTED_INTR_DESC_ADDR,		0x2016)			\
	X(VM_FUNCTION_CONTROL,			0x2018)			\
	X(EPT_POINTER,				0x201a)			\
	X(EOI_EXIT_BITMAP0,			0x201c)			\
	X(EOI_EXIT_BITMAP1,			0x201e)			\
	X(EOI_EXIT_BITMAP2,			0x2020)			\
	X(EOI_EXIT_BITMAP3,			0x2022)			\
	X(EPTP_LIST_ADDRESS,			0x2024)			\
	X(VMREAD_BITMAP,			0x2026)			\
	X(VMWRITE_BITMAP,			0x2028)			\
	X(VE_INFORMATION_ADDRESS,		0x202a)			\
	X(XSS_EXIT_BITMAP,			0x202c)			\
	X(ENCLS_EXITING_BITMAP,			0x202e)			\
	X(SPP_TABLE_POINTER,			0x2030)			\
	X(TSC_MULTIPLIER,			0x2032)			\
	X(TERTIARY_VM_EXEC_CONTROL,		0x2034)			\
	/* 64-bit read-only data field (B.2.2) */			\
	X(GUEST_PHYSICAL_ADDRESS,		0x2400)			\
	/* 64-bit guest-state fields (B.2.3) */				\
	X(VMCS_LINK_POINTER,			0x2800)			\
	X(GUEST_IA32_DEBUGCTL,			0x2802)			\
	X(GUEST_IA32_PAT,			0x2804)			\
	X(GUEST_IA32_EFER,			0x2806)			\
	X(GUEST_IA32_PERF_GLOBAL_CTRL,		0x2808)			\
	X(GUEST_PDPTE0,				0x280a)			\
	X(GUEST_PDPTE1,				0x280c)			\
	X(GUEST_PDPTE2,				0x280e)			\
	X(GUEST_PDPTE3,				0x2810)			\
	X(GUEST_IA32_BNDCFGS,			0x2812)			\
	X(GUEST_IA32_RTIT_CTL,			0x2814)			\
	X(GUEST_IA32_LBR_CTL,			0x2816)			\
	X(GUEST_IA32_PKRS,			0x2818)			\
	/* 64-bit host-state fields (B.2.4) */				\
	X(HOST_IA32_PAT,			0x2c00)			\
	X(HOST_IA32_EFER,			0x2c02)			\
	X(HOST_IA32_PERF_GLOBAL_CTRL,		0x2c04)			\
	X(HOST_IA32_PKRS,			0x2c06)			\
	/* 32-bit control fields (B.3.1) */				\
	X(PIN_BASED_VM_EXEC_CONTROL,		0x4000)			\
	X(CPU_BASED_VM_EXEC_CONTROL,		0x4002)			\
	X(EXCEPTION_BITMAP,			0x4004)			\
	X(PAGE_FAULT_ERROR_CODE_MASK,		0x4006)			\
	X(PAGE_FAULT_ERROR_CODE_MATCH,		0x4008)			\
	X(CR3_TARGET_COUNT,			0x400a)			\
	X(VM_EXIT_CONTROLS,			0x400c)			\
	X(VM_EXIT_MSR_STORE_COUNT,		0x400e)			\
	X(VM_EXIT_MSR_LOAD_COUNT,		0x4010)			\
	X(VM_ENTRY_CONTROLS,			0x4012)			\
	X(VM_ENTRY_MSR_LOAD_COUNT,		0x4014)			\
	X(VM_ENTRY_INTR_INFO_FIELD,		0x4016)			\
	X(VM_ENTRY_EXCEPTION_ERROR_CODE,	0x4018)			\
	X(VM_ENTRY_INSTRUCTION_LEN,		0x401a)			\
	X(TPR_THRESHOLD,			0x401c)			\
	X(SECONDARY_VM_EXEC_CONTROL,		0x401e)			\
	X(PLE_GAP,				0x4020)			\
	X(PLE_WINDOW,				0x4022)			\
	/* 32-bit read-only data fields (B.3.2) */			\
	X(VM_INSTRUCTION_ERROR,			0x4400)			\
	X(VM_EXIT_REASON,			0x4402)			\
	X(VM_EXIT_INTR_INFO,			0x4404)			\
	X(VM_EXIT_INTR_ERROR_CODE,		0x4406)			\
	X(IDT_VECTORING_INFO_FIELD,		0x4408)			\
	X(IDT_VECTORING_ERROR_CODE,		0x440a)			\
	X(VM_EXIT_INSTRUCTION_LEN,		0x440c)			\
	X(VMX_INSTRUCTION_INFO,			0x440e)			\
	/* 32-bit guest-state fields (B.3.3) */				\
	X(GUEST_ES_LIMIT,			0x4800)			\
	X(GUEST_CS_LIMIT,			0x4802)			\
	X(GUEST_SS_LIMIT,			0x4804)			\
	X(GUEST_DS_LIMIT,			0x4806)			\
	X(GUEST_FS_LIMIT,			0x4808)			\
	X(GUEST_GS_LIMIT,			0x480a)			\
	X(GUEST_LDTR_LIMIT,			0x480c)			\
	X(GUEST_TR_LIMIT,			0x480e)			\
	X(GUEST_GDTR_LIMIT,			0x4810)			\
	X(GUEST_IDTR_LIMIT,			0x4812)			\
	X(GUEST_ES_AR_BYTES,			0x4814)			\
	X(GUEST_CS_AR_BYTES,			0x4816)			\
	X(GUEST_SS_AR_BYTES,			0x4818)			\
	X(GUEST_DS_AR_BYTES,			0x481a)			\
	X(GUEST_FS_AR_BYTES,			0x481c)			\
	X(GUEST_GS_AR_BYTES,			0x481e)			\
	X(GUEST_LDTR_AR_BYTES,			0x4820)			\
	X(GUEST_TR_AR_BYTES,			0x4822)			\
	X(GUEST_INTERRUPTIBILITY_INFO,		0x4824)			\
	X(GUEST_ACTIVITY_STATE,			0x4826)			\
	X(GUEST_SMBASE,				0x4828)			\
	X(GUEST_SYSENTER_CS,			0x482a)			\
	X(VMX_PREEMPTION_TIMER_VALUE,		0x482e)			\
	/* 32-bit host-state field (B.3.4) */				\
	X(HOST_IA32_SYSENTER_CS,		0x4c00)			\
	/* natural-width control fields (B.4.1) */			\
	X(CR0_GUEST_HOST_MASK,			0x6000)			\
	X(CR4_GUEST_HOST_MASK,			0x6002)			\
	X(CR0_READ_SHADOW,			0x6004)			\
	X(CR4_READ_SHADOW,			0x6006)			\
	X(CR3_TARGET_VALUE0,			0x6008)			\
	X(CR3_TARGET_VALUE1,			0x600a)			\
	X(CR3_TARGET_VALUE2,			0x600c)			\
	X(CR3_TARGET_VALUE3,			0x600e)			\
	/* natural-width read-only data fields (B.4.2) */		\
	X(EXIT_QUALIFICATION,			0x6400)			\
	X(IO_RCX,				0x6402)			\
	X(IO_RSI,				0x6404)			\
	X(IO_RDI,				0x6406)			\
	X(IO_RIP,				0x6408)			\
	X(GUEST_LINEAR_ADDRESS,			0x640a)			\
	/* natural-width guest-state fields (B.4.3) */			\
	X(GUEST_CR0,				0x6800)			\
	X(GUEST_CR3,				0x6802)			\
	X(GUEST_CR4,				0x6804)			\
	X(GUEST_ES_BASE,			0x6806)			\
	X(GUEST_CS_BASE,			0x6808)			\
	X(GUEST_SS_BASE,			0x680a)			\
	X(GUEST_DS_BASE,			0x680c)			\
	X(GUEST_FS_BASE,			0x680e)			\
	X(GUEST_GS_BASE,			0x6810)			\
	X(GUEST_LDTR_BASE,			0x6812)			\
	X(GUEST_TR_BASE,			0x6814)			\
	X(GUEST_GDTR_BASE,			0x6816)			\
	X(GUEST_IDTR_BASE,			0x6818)			\
	X(GUEST_DR7,				0x681a)			\
	X(GUEST_RSP,				0x681c)			\
	X(GUEST_RIP,				0x681e)			\
	X(GUEST_RFLAGS,				0x6820)			\
	X(GUEST_PENDING_DBG_EXCEPTIONS,		0x6822)			\
	X(GUEST_SYSENTER_ESP,			0x6824)			\
	X(GUEST_SYSENTER_EIP,			0x6826)			\
	X(GUEST_S_CET,				0x6828)			\
	X(GUEST_SSP,				0x682a)			\
	X(GUEST_INTR_SSP_TABLE_ADDR,		0x682c)			\
	/* natural-width host-state fields (B.4.4) */			\
	X(HOST_CR0,				0x6c00)			\
	X(HOST_CR3,				0x6c02)			\
	X(HOST_CR4,				0x6c04)			\
	X(HOST_FS_BASE,				0x6c06)			\
	X(HOST_GS_BASE,				0x6c08)			\
	X(HOST_TR_BASE,				0x6c0a)			\
	X(HOST_GDTR_BASE,			0x6c0c)			\
	X(HOST_IDTR_BASE,			0x6c0e)			\
	X(HOST_IA32_SYSENTER_ESP,		0x6c10)			\
	X(HOST_IA32_SYSENTER_EIP,		0x6c12)			\
	X(HOST_RSP,				0x6c14)			\
	X(HOST_RIP,				0x6c16)			\
	X(HOST_S_CET,				0x6c18)			\
	X(HOST_SSP,				0x6c1a)			\
	X(HOST_INTR_SSP_TABLE_ADDR,		0x6c1c)

/*
 * Basic exit reasons, bits 15:0 of the exit-reason field (SDM Vol. 3D,
 * Appendix C). X(number, NAME, "what happened").
 */
#define VMXLAB_EXIT_REASONS(X)						\
	X(0,  EXCEPTION_NMI,	  "exception or NMI")			\
	X(1,  EXTERNAL_INTERRUPT, "external interrupt")			\
	X(2,  TRIPLE_FAULT,	  "triple fault")			\
	X(3,  INIT_SIGNAL,	  "INIT signal")			\
	X(4,  SIPI,		  "start-up IPI")			\
	X(5,  IO_SMI,		  "I/O SMI")				\
	X(6,  OTHER_SMI,	  "other SMI")				\
	X(7,  INTERRUPT_WINDOW,	  "interrupt window")			\
	X(8,  NMI_WINDOW,	  "NMI window")				\
	X(9,  TASK_SWITCH,	  "task switch")			\
	X(10, CPUID,		  "CPUID")				\
	X(11, GETSEC,		  "GETSEC")				\
	X(12, HLT,		  "HLT")				\
	X(13, INVD,		  "INVD")				\
	X(14, INVLPG,		  "INVLPG")				\
	X(15, RDPMC,		  "RDPMC")				\
	X(16, RDTSC,		  "RDTSC")				\
	X(17, RSM,		  "RSM")				\
	X(18, VMCALL,		  "VMCALL")				\
	X(19, VMCLEAR,		  "VMCLEAR")				\
	X(20, VMLAUNCH,		  "VMLAUNCH")				\
	X(21, VMPTRLD,		  "VMPTRLD")				\
	X(22, VMPTRST,		  "VMPTRST")				\
	X(23, VMREAD,		  "VMREAD")				\
	X(24, VMRESUME,		  "VMRESUME")				\
	X(25, VMWRITE,		  "VMWRITE")				\
	X(26, VMXOFF,		  "VMXOFF")				\
	X(27, VMXON,		  "VMXON")				\
	X(28, CR_ACCESS,	  "control-register access")		\
	X(29, DR_ACCESS,	  "debug-register access")		\
	X(30, IO_INSTRUCTION,	  "I/O instruction")			\
	X(31, MSR_READ,		  "RDMSR")				\
	X(32, MSR_WRITE,	  "WRMSR")				\
	X(33, INVALID_GUEST_STATE, "VM-entry failure: invalid guest state") \
	X(34, MSR_LOAD_FAIL,	  "VM-entry failure: MSR loading")	\
	X(36, MWAIT,		  "MWAIT")				\
	X(37, MONITOR_TRAP_FLAG,  "monitor trap flag")			\
	X(39, MONITOR,		  "MONITOR")				\
	X(40, PAUSE,		  "PAUSE")				\
	X(41, MCE_DURING_VMENTRY, "VM-entry failure: machine check")	\
	X(43, TPR_BELOW_THRESHOLD, "TPR below threshold")		\
	X(44, APIC_ACCESS,	  "APIC access")			\
	X(45, VIRTUALIZED_EOI,	  "virtualized EOI")			\
	X(46, GDTR_IDTR,	  "GDTR or IDTR access")		\
	X(47, LDTR_TR,		  "LDTR or TR access")			\
	X(48, EPT_VIOLATION,	  "EPT violation")			\
	X(49, EPT_MISCONFIG,	  "EPT misconfiguration")		\
	X(50, INVEPT,		  "INVEPT")				\
	X(51, RDTSCP,		  "RDTSCP")				\
	X(52, PREEMPTION_TIMER,	  "VMX-preemption timer expired")	\
	X(53, INVVPID,		  "INVVPID")				\
	X(54, WBINVD,		  "WBINVD or WBNOINVD")			\
	X(55, XSETBV,		  "XSETBV")				\
	X(56, APIC_WRITE,	  "APIC write")				\
	X(57, RDRAND,		  "RDRAND")				\
	X(58, INVPCID,		  "INVPCID")				\
	X(59, VMFUNC,		  "VMFUNC")				\
	X(60, ENCLS,		  "ENCLS")				\
	X(61, RDSEED,		  "RDSEED")				\
	X(62, PML_FULL,		  "page-modification log full")	\
	X(63, XSAVES,		  "XSAVES")				\
	X(64, XRSTORS,		  "XRSTORS")				\
	X(66, SPP_EVENT,	  "SPP-related event")			\
	X(67, UMWAIT,		  "UMWAIT")				\
	X(68, TPAUSE,		  "TPAUSE")				\
	X(69, LOADIWKEY,	  "LOADIWKEY")				\
	X(74, BUS_LOCK,		  "bus lock")				\
	X(75, NOTIFY,		  "notify window")

/* Bit 31 of the exit-reason field: the VM entry failed (SDM 27.8). */
#define VMX_EXIT_REASON_ENTRY_FAILED	(1U << 31)
#define VMX_EXIT_REASON_BASIC(r)	((r) & 0xffff)

#endif /* _UAPI_LINUX_VMXLAB_TABLES_H */
