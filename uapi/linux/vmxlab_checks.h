/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vmxlab_checks.h - the VM-entry rules vmxlab checks, written once for the
 * kernel module (kmod/checks.c) and for the programs that print what
 * VMXLAB_CHECK_ENTRY returns (struct vmxlab_check_failure, <linux/vmxlab.h>).
 *
 * Each rule is one VMXLAB_CHECK(ID, SECTION, TEXT) line below:
 *
 *   ID       the rule's name; VMXLAB_CHECK_<ID> is its number, the @rule
 *            of struct vmxlab_check_failure
 *   SECTION  where the SDM states it: Vol. 3C, chapter 27 "VM Entries",
 *            27.2 (VMX controls and host state), 27.3.1 (guest state)
 *   TEXT     the broken condition, worded to read well followed by the
 *            field's actual and expected values
 *
 * Numbers start at 1 and are stable: a new rule goes at the end of the
 * list, an old one is never removed or moved.  A rule about a control or
 * a mode is only evaluated when that control or mode applies.
 *
 * The list is an "X macro" kept in this file: define VMXLAB_CHECK(id,
 * section, text), include this header again and undefine it, and each rule
 * expands in order.  The enum and the three tables below are built that
 * way; a program that needs another shape builds it the same way.
 */
#ifdef VMXLAB_CHECK

/* 27.2.1.1 VM-execution control fields */
VMXLAB_CHECK(PIN_RESERVED, "27.2.1.1",
	     "pin-based VM-execution controls: a bit the capability MSR fixes has the other value")
VMXLAB_CHECK(PROC_RESERVED, "27.2.1.1",
	     "primary processor-based controls: a bit the capability MSR fixes has another value")
VMXLAB_CHECK(PROC2_RESERVED, "27.2.1.1",
	     "secondary processor-based controls set a bit IA32_VMX_PROCBASED_CTLS2 forbids")
VMXLAB_CHECK(CR3_TARGET_COUNT, "27.2.1.1", "CR3-target count greater than 4")
VMXLAB_CHECK(IO_BITMAP_A_ALIGN, "27.2.1.1",
	     "use I/O bitmaps=1 but I/O-bitmap A address bits 11:0 not 0")
VMXLAB_CHECK(IO_BITMAP_A_WIDTH, "27.2.1.1",
	     "use I/O bitmaps=1 but I/O-bitmap A address beyond the physical-address width")
VMXLAB_CHECK(IO_BITMAP_B_ALIGN, "27.2.1.1",
	     "use I/O bitmaps=1 but I/O-bitmap B address bits 11:0 not 0")
VMXLAB_CHECK(IO_BITMAP_B_WIDTH, "27.2.1.1",
	     "use I/O bitmaps=1 but I/O-bitmap B address beyond the physical-address width")
VMXLAB_CHECK(MSR_BITMAP_ALIGN, "27.2.1.1",
	     "use MSR bitmaps=1 but MSR-bitmap address bits 11:0 not 0")
VMXLAB_CHECK(MSR_BITMAP_WIDTH, "27.2.1.1",
	     "use MSR bitmaps=1 but MSR-bitmap address beyond the physical-address width")
VMXLAB_CHECK(VAPIC_ALIGN, "27.2.1.1", "use TPR shadow=1 but virtual-APIC address bits 11:0 not 0")
VMXLAB_CHECK(VAPIC_WIDTH, "27.2.1.1",
	     "use TPR shadow=1 but virtual-APIC address beyond the physical-address width")
VMXLAB_CHECK(TPR_THRESHOLD, "27.2.1.1",
	     "use TPR shadow=1 and virtual-interrupt delivery=0 but TPR threshold bits 31:4 not 0")
VMXLAB_CHECK(X2APIC_NEEDS_TPR_SHADOW, "27.2.1.1",
	     "virtualize x2APIC mode=1 while use TPR shadow=0")
VMXLAB_CHECK(APIC_REG_NEEDS_TPR_SHADOW, "27.2.1.1",
	     "APIC-register virtualization=1 while use TPR shadow=0")
VMXLAB_CHECK(VID_NEEDS_TPR_SHADOW, "27.2.1.1",
	     "virtual-interrupt delivery=1 while use TPR shadow=0")
VMXLAB_CHECK(VNMI_NEEDS_NMI_EXITING, "27.2.1.1", "virtual NMIs=1 while NMI exiting=0")
VMXLAB_CHECK(NMI_WINDOW_NEEDS_VNMI, "27.2.1.1", "NMI-window exiting=1 while virtual NMIs=0")
VMXLAB_CHECK(APIC_ACCESS_ALIGN, "27.2.1.1",
	     "virtualize APIC accesses=1 but APIC-access address bits 11:0 not 0")
VMXLAB_CHECK(APIC_ACCESS_WIDTH, "27.2.1.1",
	     "virtualize APIC accesses=1 but APIC-access address beyond physical-address width")
VMXLAB_CHECK(X2APIC_AND_APIC_ACCESS, "27.2.1.1",
	     "virtualize x2APIC mode=1 while virtualize APIC accesses=1")
VMXLAB_CHECK(VID_NEEDS_EXT_INTR_EXITING, "27.2.1.1",
	     "virtual-interrupt delivery=1 while external-interrupt exiting=0")
VMXLAB_CHECK(PI_NEEDS_VID, "27.2.1.1",
	     "process posted interrupts=1 while virtual-interrupt delivery=0")
VMXLAB_CHECK(PI_NEEDS_ACK_INTR, "27.2.1.1",
	     "process posted interrupts=1 while acknowledge interrupt on exit=0")
VMXLAB_CHECK(PI_VECTOR, "27.2.1.1",
	     "process posted interrupts=1 but notification vector bits 15:8 not 0")
VMXLAB_CHECK(PI_DESC_ALIGN, "27.2.1.1",
	     "process posted interrupts=1 but descriptor address bits 5:0 not 0")
VMXLAB_CHECK(PI_DESC_WIDTH, "27.2.1.1",
	     "process posted interrupts=1 but descriptor address beyond physical-address width")
VMXLAB_CHECK(VPID_ZERO, "27.2.1.1", "enable VPID=1 with VPID 0")
VMXLAB_CHECK(EPTP_MEMTYPE, "27.2.1.1",
	     "EPT pointer memory type (bits 2:0) not UC or WB as IA32_VMX_EPT_VPID_CAP allows")
VMXLAB_CHECK(EPTP_WALK_LENGTH, "27.2.1.1",
	     "EPT pointer page-walk length - 1 (bits 5:3) not one IA32_VMX_EPT_VPID_CAP allows")
VMXLAB_CHECK(EPTP_AD, "27.2.1.1",
	     "EPT pointer enables accessed/dirty flags (bit 6) but IA32_VMX_EPT_VPID_CAP[21]=0")
VMXLAB_CHECK(EPTP_RESERVED, "27.2.1.1", "EPT pointer reserved bits 11:8 not 0")
VMXLAB_CHECK(EPTP_WIDTH, "27.2.1.1", "EPT pointer beyond the physical-address width")
VMXLAB_CHECK(UG_NEEDS_EPT, "27.2.1.1", "unrestricted guest=1 while enable EPT=0")
VMXLAB_CHECK(PML_NEEDS_EPT, "27.2.1.1", "enable PML=1 while enable EPT=0")
VMXLAB_CHECK(PML_ALIGN, "27.2.1.1", "enable PML=1 but PML address bits 11:0 not 0")
VMXLAB_CHECK(PML_WIDTH, "27.2.1.1",
	     "enable PML=1 but PML address beyond the physical-address width")
VMXLAB_CHECK(MBEC_NEEDS_EPT, "27.2.1.1", "mode-based execute control for EPT=1 while enable EPT=0")
VMXLAB_CHECK(SPP_NEEDS_EPT, "27.2.1.1", "sub-page write permissions for EPT=1 while enable EPT=0")
VMXLAB_CHECK(VMFUNC_RESERVED, "27.2.1.1",
	     "VM-function controls set a bit IA32_VMX_VMFUNC does not allow")
VMXLAB_CHECK(EPTP_SWITCH_NEEDS_EPT, "27.2.1.1",
	     "EPTP switching (VM function 0) enabled while enable EPT=0")
VMXLAB_CHECK(EPTP_LIST_ALIGN, "27.2.1.1",
	     "EPTP switching enabled but EPTP-list address bits 11:0 not 0")
VMXLAB_CHECK(EPTP_LIST_WIDTH, "27.2.1.1",
	     "EPTP switching enabled but EPTP-list address beyond the physical-address width")
VMXLAB_CHECK(VMREAD_BITMAP_ALIGN, "27.2.1.1",
	     "VMCS shadowing=1 but VMREAD-bitmap address bits 11:0 not 0")
VMXLAB_CHECK(VMREAD_BITMAP_WIDTH, "27.2.1.1",
	     "VMCS shadowing=1 but VMREAD-bitmap address beyond the physical-address width")
VMXLAB_CHECK(VMWRITE_BITMAP_ALIGN, "27.2.1.1",
	     "VMCS shadowing=1 but VMWRITE-bitmap address bits 11:0 not 0")
VMXLAB_CHECK(VMWRITE_BITMAP_WIDTH, "27.2.1.1",
	     "VMCS shadowing=1 but VMWRITE-bitmap address beyond the physical-address width")
VMXLAB_CHECK(VE_INFO_ALIGN, "27.2.1.1",
	     "EPT-violation #VE=1 but #VE information address bits 11:0 not 0")
VMXLAB_CHECK(VE_INFO_WIDTH, "27.2.1.1",
	     "EPT-violation #VE=1 but #VE information address beyond the physical-address width")

/* 27.2.1.2 VM-exit control fields */
VMXLAB_CHECK(EXIT_RESERVED, "27.2.1.2",
	     "VM-exit controls: a bit the capability MSR fixes has the other value")
VMXLAB_CHECK(SAVE_TIMER_NEEDS_TIMER, "27.2.1.2",
	     "save VMX-preemption timer value=1 while activate VMX-preemption timer=0")
VMXLAB_CHECK(EXIT_MSR_STORE_ALIGN, "27.2.1.2",
	     "VM-exit MSR-store count not 0 but the address's bits 3:0 not 0")
VMXLAB_CHECK(EXIT_MSR_STORE_WIDTH, "27.2.1.2",
	     "VM-exit MSR-store area ends beyond the physical-address width")
VMXLAB_CHECK(EXIT_MSR_LOAD_ALIGN, "27.2.1.2",
	     "VM-exit MSR-load count not 0 but the address's bits 3:0 not 0")
VMXLAB_CHECK(EXIT_MSR_LOAD_WIDTH, "27.2.1.2",
	     "VM-exit MSR-load area ends beyond the physical-address width")

/* 27.2.1.3 VM-entry control fields */
VMXLAB_CHECK(ENTRY_RESERVED, "27.2.1.3",
	     "VM-entry controls: a bit the capability MSR fixes has the other value")
VMXLAB_CHECK(EVENT_TYPE, "27.2.1.3",
	     "injected event with a reserved type (1, or 7 without monitor trap flag support)")
VMXLAB_CHECK(EVENT_NMI_VECTOR, "27.2.1.3", "injected NMI with a vector other than 2")
VMXLAB_CHECK(EVENT_EXC_VECTOR, "27.2.1.3", "injected hardware exception with a vector above 31")
VMXLAB_CHECK(EVENT_OTHER_VECTOR, "27.2.1.3",
	     "injected other event (pending MTF VM exit) with a vector other than 0")
VMXLAB_CHECK(EVENT_ERRCODE_BIT, "27.2.1.3",
	     "injected event's deliver-error-code bit does not match the vector, type and CR0.PE")
VMXLAB_CHECK(EVENT_RESERVED, "27.2.1.3",
	     "VM-entry interruption-information reserved bits (30:14, 12) not 0")
VMXLAB_CHECK(EVENT_ERRCODE_HIGH, "27.2.1.3", "injected error code bits 31:16 not 0")
VMXLAB_CHECK(EVENT_INSN_LEN, "27.2.1.3",
	     "injected software interrupt or exception with an instruction length outside 1-15")
VMXLAB_CHECK(ENTRY_MSR_LOAD_ALIGN, "27.2.1.3",
	     "VM-entry MSR-load count not 0 but the address's bits 3:0 not 0")
VMXLAB_CHECK(ENTRY_MSR_LOAD_WIDTH, "27.2.1.3",
	     "VM-entry MSR-load area ends beyond the physical-address width")
VMXLAB_CHECK(ENTRY_SMM, "27.2.1.3", "entry to SMM=1 outside SMM")
VMXLAB_CHECK(ENTRY_DUAL_MONITOR, "27.2.1.3", "deactivate dual-monitor treatment=1 outside SMM")

/* 27.2.2 host control registers and MSRs */
VMXLAB_CHECK(HOST_CR0_FIXED0, "27.2.2", "host CR0 clears a bit IA32_VMX_CR0_FIXED0 requires")
VMXLAB_CHECK(HOST_CR0_FIXED1, "27.2.2", "host CR0 sets a bit IA32_VMX_CR0_FIXED1 forbids")
VMXLAB_CHECK(HOST_CR4_FIXED0, "27.2.2", "host CR4 clears a bit IA32_VMX_CR4_FIXED0 requires")
VMXLAB_CHECK(HOST_CR4_FIXED1, "27.2.2", "host CR4 sets a bit IA32_VMX_CR4_FIXED1 forbids")
VMXLAB_CHECK(HOST_CR3_WIDTH, "27.2.2", "host CR3 sets bits beyond the physical-address width")
VMXLAB_CHECK(HOST_CET_NEEDS_WP, "27.2.2", "host CR4.CET=1 while CR0.WP=0")
VMXLAB_CHECK(HOST_SYSENTER_ESP, "27.2.2", "host IA32_SYSENTER_ESP not canonical")
VMXLAB_CHECK(HOST_SYSENTER_EIP, "27.2.2", "host IA32_SYSENTER_EIP not canonical")
VMXLAB_CHECK(HOST_PAT, "27.2.2",
	     "load IA32_PAT=1 (VM exit) but a host IA32_PAT byte not a memory type (0, 1, 4-7)")
VMXLAB_CHECK(HOST_EFER_RESERVED, "27.2.2",
	     "load IA32_EFER=1 (VM exit) but host IA32_EFER sets reserved bits")
VMXLAB_CHECK(HOST_EFER_LMA, "27.2.2", "host IA32_EFER.LMA differs from host address-space size")
VMXLAB_CHECK(HOST_EFER_LME, "27.2.2", "host IA32_EFER.LME differs from host address-space size")

/* 27.2.3 host segment and descriptor-table registers */
VMXLAB_CHECK(HOST_ES_SEL, "27.2.3", "host ES selector RPL or TI not 0")
VMXLAB_CHECK(HOST_CS_SEL, "27.2.3", "host CS selector RPL or TI not 0")
VMXLAB_CHECK(HOST_SS_SEL, "27.2.3", "host SS selector RPL or TI not 0")
VMXLAB_CHECK(HOST_DS_SEL, "27.2.3", "host DS selector RPL or TI not 0")
VMXLAB_CHECK(HOST_FS_SEL, "27.2.3", "host FS selector RPL or TI not 0")
VMXLAB_CHECK(HOST_GS_SEL, "27.2.3", "host GS selector RPL or TI not 0")
VMXLAB_CHECK(HOST_TR_SEL, "27.2.3", "host TR selector RPL or TI not 0")
VMXLAB_CHECK(HOST_CS_SEL_ZERO, "27.2.3", "host CS selector is 0")
VMXLAB_CHECK(HOST_TR_SEL_ZERO, "27.2.3", "host TR selector is 0")
VMXLAB_CHECK(HOST_SS_SEL_ZERO, "27.2.3", "host SS selector is 0 with host address-space size=0")
VMXLAB_CHECK(HOST_FS_BASE, "27.2.3", "host FS base not canonical")
VMXLAB_CHECK(HOST_GS_BASE, "27.2.3", "host GS base not canonical")
VMXLAB_CHECK(HOST_TR_BASE, "27.2.3", "host TR base not canonical")
VMXLAB_CHECK(HOST_GDTR_BASE, "27.2.3", "host GDTR base not canonical")
VMXLAB_CHECK(HOST_IDTR_BASE, "27.2.3", "host IDTR base not canonical")

/* 27.2.4 address-space size */
VMXLAB_CHECK(HOST_ADDR_SPACE, "27.2.4",
	     "host address-space size=0 while the processor is in IA-32e mode")
VMXLAB_CHECK(HOST32_IA32E_GUEST, "27.2.4", "IA-32e mode guest=1 with host address-space size=0")
VMXLAB_CHECK(HOST32_PCIDE, "27.2.4", "host CR4.PCIDE=1 with host address-space size=0")
VMXLAB_CHECK(HOST32_RIP, "27.2.4", "host RIP bits 63:32 not 0 with host address-space size=0")
VMXLAB_CHECK(HOST64_PAE, "27.2.4", "host CR4.PAE=0 with host address-space size=1")
VMXLAB_CHECK(HOST64_RIP, "27.2.4",
	     "host RIP bits 63:N (N = linear-address width) differ, host address-space size=1")

/* 27.3.1.1 guest control registers, debug registers and MSRs */
VMXLAB_CHECK(GUEST_CR0_FIXED0, "27.3.1.1",
	     "guest CR0 clears a bit IA32_VMX_CR0_FIXED0 requires (PE, PG free if unrestricted)")
VMXLAB_CHECK(GUEST_CR0_FIXED1, "27.3.1.1", "guest CR0 sets a bit IA32_VMX_CR0_FIXED1 forbids")
VMXLAB_CHECK(GUEST_CR0_PG_PE, "27.3.1.1", "guest CR0.PG=1 while CR0.PE=0")
VMXLAB_CHECK(GUEST_CR4_FIXED0, "27.3.1.1", "guest CR4 clears a bit IA32_VMX_CR4_FIXED0 requires")
VMXLAB_CHECK(GUEST_CR4_FIXED1, "27.3.1.1", "guest CR4 sets a bit IA32_VMX_CR4_FIXED1 forbids")
VMXLAB_CHECK(GUEST_CET_NEEDS_WP, "27.3.1.1", "guest CR4.CET=1 while CR0.WP=0")
VMXLAB_CHECK(GUEST_DEBUGCTL, "27.3.1.1",
	     "load debug controls=1 but guest IA32_DEBUGCTL sets reserved bits (5:3, 63:16)")
VMXLAB_CHECK(GUEST_IA32E_PG, "27.3.1.1", "IA-32e mode guest=1 while guest CR0.PG=0")
VMXLAB_CHECK(GUEST_IA32E_PAE, "27.3.1.1", "IA-32e mode guest=1 while guest CR4.PAE=0")
VMXLAB_CHECK(GUEST_PCIDE, "27.3.1.1", "guest CR4.PCIDE=1 while IA-32e mode guest=0")
VMXLAB_CHECK(GUEST_CR3_WIDTH, "27.3.1.1", "guest CR3 sets bits beyond the physical-address width")
VMXLAB_CHECK(GUEST_DR7, "27.3.1.1", "load debug controls=1 but guest DR7 bits 63:32 not 0")
VMXLAB_CHECK(GUEST_SYSENTER_ESP, "27.3.1.1", "guest IA32_SYSENTER_ESP not canonical")
VMXLAB_CHECK(GUEST_SYSENTER_EIP, "27.3.1.1", "guest IA32_SYSENTER_EIP not canonical")
VMXLAB_CHECK(GUEST_PAT, "27.3.1.1",
	     "load IA32_PAT=1 (VM entry) but a guest IA32_PAT byte not a memory type (0, 1, 4-7)")
VMXLAB_CHECK(GUEST_EFER_RESERVED, "27.3.1.1",
	     "load IA32_EFER=1 (VM entry) but guest IA32_EFER sets reserved bits")
VMXLAB_CHECK(GUEST_EFER_LMA, "27.3.1.1", "guest IA32_EFER.LMA differs from IA-32e mode guest")
VMXLAB_CHECK(GUEST_EFER_LME, "27.3.1.1", "guest IA32_EFER.LME differs from LMA while CR0.PG=1")
VMXLAB_CHECK(GUEST_BNDCFGS_RESERVED, "27.3.1.1",
	     "load IA32_BNDCFGS=1 but guest IA32_BNDCFGS bits 11:2 not 0")
VMXLAB_CHECK(GUEST_BNDCFGS_BASE, "27.3.1.1",
	     "load IA32_BNDCFGS=1 but guest IA32_BNDCFGS base (bits 63:12) not canonical")
VMXLAB_CHECK(GUEST_PKRS, "27.3.1.1", "load PKRS=1 but guest IA32_PKRS bits 63:32 not 0")

/* 27.3.1.2 guest segment registers */
VMXLAB_CHECK(GUEST_TR_TI, "27.3.1.2", "guest TR selector TI=1 (a TSS is always in the GDT)")
VMXLAB_CHECK(GUEST_LDTR_TI, "27.3.1.2", "guest LDTR usable but its selector TI=1")
VMXLAB_CHECK(GUEST_SS_RPL, "27.3.1.2",
	     "guest SS.RPL differs from CS.RPL (unrestricted guest=0, not virtual-8086)")
VMXLAB_CHECK(GUEST_V86_ES_BASE, "27.3.1.2",
	     "virtual-8086 guest: ES base differs from selector * 16")
VMXLAB_CHECK(GUEST_V86_CS_BASE, "27.3.1.2",
	     "virtual-8086 guest: CS base differs from selector * 16")
VMXLAB_CHECK(GUEST_V86_SS_BASE, "27.3.1.2",
	     "virtual-8086 guest: SS base differs from selector * 16")
VMXLAB_CHECK(GUEST_V86_DS_BASE, "27.3.1.2",
	     "virtual-8086 guest: DS base differs from selector * 16")
VMXLAB_CHECK(GUEST_V86_FS_BASE, "27.3.1.2",
	     "virtual-8086 guest: FS base differs from selector * 16")
VMXLAB_CHECK(GUEST_V86_GS_BASE, "27.3.1.2",
	     "virtual-8086 guest: GS base differs from selector * 16")
VMXLAB_CHECK(GUEST_V86_ES_LIMIT, "27.3.1.2", "virtual-8086 guest: ES limit not 0xffff")
VMXLAB_CHECK(GUEST_V86_CS_LIMIT, "27.3.1.2", "virtual-8086 guest: CS limit not 0xffff")
VMXLAB_CHECK(GUEST_V86_SS_LIMIT, "27.3.1.2", "virtual-8086 guest: SS limit not 0xffff")
VMXLAB_CHECK(GUEST_V86_DS_LIMIT, "27.3.1.2", "virtual-8086 guest: DS limit not 0xffff")
VMXLAB_CHECK(GUEST_V86_FS_LIMIT, "27.3.1.2", "virtual-8086 guest: FS limit not 0xffff")
VMXLAB_CHECK(GUEST_V86_GS_LIMIT, "27.3.1.2", "virtual-8086 guest: GS limit not 0xffff")
VMXLAB_CHECK(GUEST_V86_ES_AR, "27.3.1.2", "virtual-8086 guest: ES access rights not 0xf3")
VMXLAB_CHECK(GUEST_V86_CS_AR, "27.3.1.2", "virtual-8086 guest: CS access rights not 0xf3")
VMXLAB_CHECK(GUEST_V86_SS_AR, "27.3.1.2", "virtual-8086 guest: SS access rights not 0xf3")
VMXLAB_CHECK(GUEST_V86_DS_AR, "27.3.1.2", "virtual-8086 guest: DS access rights not 0xf3")
VMXLAB_CHECK(GUEST_V86_FS_AR, "27.3.1.2", "virtual-8086 guest: FS access rights not 0xf3")
VMXLAB_CHECK(GUEST_V86_GS_AR, "27.3.1.2", "virtual-8086 guest: GS access rights not 0xf3")
VMXLAB_CHECK(GUEST_FS_BASE, "27.3.1.2", "guest FS base not canonical")
VMXLAB_CHECK(GUEST_GS_BASE, "27.3.1.2", "guest GS base not canonical")
VMXLAB_CHECK(GUEST_LDTR_BASE, "27.3.1.2", "guest LDTR usable but its base not canonical")
VMXLAB_CHECK(GUEST_TR_BASE, "27.3.1.2", "guest TR base not canonical")
VMXLAB_CHECK(GUEST_CS_BASE_HIGH, "27.3.1.2", "guest CS base bits 63:32 not 0")
VMXLAB_CHECK(GUEST_SS_BASE_HIGH, "27.3.1.2", "guest SS usable but its base bits 63:32 not 0")
VMXLAB_CHECK(GUEST_DS_BASE_HIGH, "27.3.1.2", "guest DS usable but its base bits 63:32 not 0")
VMXLAB_CHECK(GUEST_ES_BASE_HIGH, "27.3.1.2", "guest ES usable but its base bits 63:32 not 0")
VMXLAB_CHECK(GUEST_CS_TYPE, "27.3.1.2",
	     "guest CS type not accessed code (9, 11, 13, 15; or 3 with unrestricted guest)")
VMXLAB_CHECK(GUEST_SS_TYPE, "27.3.1.2",
	     "guest SS usable but its type not read/write accessed data (3 or 7)")
VMXLAB_CHECK(GUEST_DS_ACCESSED, "27.3.1.2",
	     "guest DS usable but its type not accessed (type bit 0 clear)")
VMXLAB_CHECK(GUEST_ES_ACCESSED, "27.3.1.2",
	     "guest ES usable but its type not accessed (type bit 0 clear)")
VMXLAB_CHECK(GUEST_FS_ACCESSED, "27.3.1.2",
	     "guest FS usable but its type not accessed (type bit 0 clear)")
VMXLAB_CHECK(GUEST_GS_ACCESSED, "27.3.1.2",
	     "guest GS usable but its type not accessed (type bit 0 clear)")
VMXLAB_CHECK(GUEST_DS_READABLE, "27.3.1.2",
	     "guest DS usable code segment but not readable (type bit 1 clear)")
VMXLAB_CHECK(GUEST_ES_READABLE, "27.3.1.2",
	     "guest ES usable code segment but not readable (type bit 1 clear)")
VMXLAB_CHECK(GUEST_FS_READABLE, "27.3.1.2",
	     "guest FS usable code segment but not readable (type bit 1 clear)")
VMXLAB_CHECK(GUEST_GS_READABLE, "27.3.1.2",
	     "guest GS usable code segment but not readable (type bit 1 clear)")
VMXLAB_CHECK(GUEST_ES_S, "27.3.1.2", "guest ES usable but S=0 (a system descriptor)")
VMXLAB_CHECK(GUEST_CS_S, "27.3.1.2", "guest CS S=0 (a system descriptor)")
VMXLAB_CHECK(GUEST_SS_S, "27.3.1.2", "guest SS usable but S=0 (a system descriptor)")
VMXLAB_CHECK(GUEST_DS_S, "27.3.1.2", "guest DS usable but S=0 (a system descriptor)")
VMXLAB_CHECK(GUEST_FS_S, "27.3.1.2", "guest FS usable but S=0 (a system descriptor)")
VMXLAB_CHECK(GUEST_GS_S, "27.3.1.2", "guest GS usable but S=0 (a system descriptor)")
VMXLAB_CHECK(GUEST_CS_DPL_TYPE3, "27.3.1.2", "guest CS type 3 (unrestricted guest) with DPL not 0")
VMXLAB_CHECK(GUEST_CS_DPL_NONCONF, "27.3.1.2",
	     "guest CS non-conforming code (type 9, 11) with DPL differing from SS.DPL")
VMXLAB_CHECK(GUEST_CS_DPL_CONF, "27.3.1.2",
	     "guest CS conforming code (type 13, 15) with DPL greater than SS.DPL")
VMXLAB_CHECK(GUEST_SS_DPL_RPL, "27.3.1.2",
	     "guest SS.DPL differs from SS.RPL (unrestricted guest=0)")
VMXLAB_CHECK(GUEST_SS_DPL_ZERO, "27.3.1.2", "guest SS.DPL not 0 while CR0.PE=0 or CS type is 3")
VMXLAB_CHECK(GUEST_DS_DPL, "27.3.1.2",
	     "guest DS usable data or non-conforming code, DPL below RPL (unrestricted guest=0)")
VMXLAB_CHECK(GUEST_ES_DPL, "27.3.1.2",
	     "guest ES usable data or non-conforming code, DPL below RPL (unrestricted guest=0)")
VMXLAB_CHECK(GUEST_FS_DPL, "27.3.1.2",
	     "guest FS usable data or non-conforming code, DPL below RPL (unrestricted guest=0)")
VMXLAB_CHECK(GUEST_GS_DPL, "27.3.1.2",
	     "guest GS usable data or non-conforming code, DPL below RPL (unrestricted guest=0)")
VMXLAB_CHECK(GUEST_ES_P, "27.3.1.2", "guest ES usable but not present (P=0)")
VMXLAB_CHECK(GUEST_CS_P, "27.3.1.2", "guest CS not present (P=0)")
VMXLAB_CHECK(GUEST_SS_P, "27.3.1.2", "guest SS usable but not present (P=0)")
VMXLAB_CHECK(GUEST_DS_P, "27.3.1.2", "guest DS usable but not present (P=0)")
VMXLAB_CHECK(GUEST_FS_P, "27.3.1.2", "guest FS usable but not present (P=0)")
VMXLAB_CHECK(GUEST_GS_P, "27.3.1.2", "guest GS usable but not present (P=0)")
VMXLAB_CHECK(GUEST_ES_AR_11_8, "27.3.1.2", "guest ES usable but access-rights bits 11:8 not 0")
VMXLAB_CHECK(GUEST_CS_AR_11_8, "27.3.1.2", "guest CS access-rights bits 11:8 not 0")
VMXLAB_CHECK(GUEST_SS_AR_11_8, "27.3.1.2", "guest SS usable but access-rights bits 11:8 not 0")
VMXLAB_CHECK(GUEST_DS_AR_11_8, "27.3.1.2", "guest DS usable but access-rights bits 11:8 not 0")
VMXLAB_CHECK(GUEST_FS_AR_11_8, "27.3.1.2", "guest FS usable but access-rights bits 11:8 not 0")
VMXLAB_CHECK(GUEST_GS_AR_11_8, "27.3.1.2", "guest GS usable but access-rights bits 11:8 not 0")
VMXLAB_CHECK(GUEST_CS_DB, "27.3.1.2", "guest CS.D=1 and CS.L=1 in an IA-32e mode guest")
VMXLAB_CHECK(GUEST_ES_G, "27.3.1.2",
	     "guest ES (usable) G wrong for the limit (G=1: limit 11:0 all ones; G=0: < 1 MB)")
VMXLAB_CHECK(GUEST_CS_G, "27.3.1.2",
	     "guest CS G wrong for the limit (G=1: limit 11:0 all ones; G=0: limit < 1 MB)")
VMXLAB_CHECK(GUEST_SS_G, "27.3.1.2",
	     "guest SS (usable) G wrong for the limit (G=1: limit 11:0 all ones; G=0: < 1 MB)")
VMXLAB_CHECK(GUEST_DS_G, "27.3.1.2",
	     "guest DS (usable) G wrong for the limit (G=1: limit 11:0 all ones; G=0: < 1 MB)")
VMXLAB_CHECK(GUEST_FS_G, "27.3.1.2",
	     "guest FS (usable) G wrong for the limit (G=1: limit 11:0 all ones; G=0: < 1 MB)")
VMXLAB_CHECK(GUEST_GS_G, "27.3.1.2",
	     "guest GS (usable) G wrong for the limit (G=1: limit 11:0 all ones; G=0: < 1 MB)")
VMXLAB_CHECK(GUEST_ES_AR_31_17, "27.3.1.2", "guest ES usable but access-rights bits 31:17 not 0")
VMXLAB_CHECK(GUEST_CS_AR_31_17, "27.3.1.2", "guest CS access-rights bits 31:17 not 0")
VMXLAB_CHECK(GUEST_SS_AR_31_17, "27.3.1.2", "guest SS usable but access-rights bits 31:17 not 0")
VMXLAB_CHECK(GUEST_DS_AR_31_17, "27.3.1.2", "guest DS usable but access-rights bits 31:17 not 0")
VMXLAB_CHECK(GUEST_FS_AR_31_17, "27.3.1.2", "guest FS usable but access-rights bits 31:17 not 0")
VMXLAB_CHECK(GUEST_GS_AR_31_17, "27.3.1.2", "guest GS usable but access-rights bits 31:17 not 0")
VMXLAB_CHECK(GUEST_TR_TYPE, "27.3.1.2",
	     "guest TR not a busy TSS (type 11, or 3 outside IA-32e mode)")
VMXLAB_CHECK(GUEST_TR_S, "27.3.1.2", "guest TR S=1 (a TSS is a system descriptor)")
VMXLAB_CHECK(GUEST_TR_P, "27.3.1.2", "guest TR not present (P=0)")
VMXLAB_CHECK(GUEST_TR_AR_11_8, "27.3.1.2", "guest TR access-rights bits 11:8 not 0")
VMXLAB_CHECK(GUEST_TR_G, "27.3.1.2",
	     "guest TR G wrong for the limit (G=1: limit 11:0 all ones; G=0: limit < 1 MB)")
VMXLAB_CHECK(GUEST_TR_UNUSABLE, "27.3.1.2", "guest TR marked unusable")
VMXLAB_CHECK(GUEST_TR_AR_31_17, "27.3.1.2", "guest TR access-rights bits 31:17 not 0")
VMXLAB_CHECK(GUEST_LDTR_TYPE, "27.3.1.2", "guest LDTR usable but its type not 2 (LDT)")
VMXLAB_CHECK(GUEST_LDTR_S, "27.3.1.2", "guest LDTR usable but S=1 (an LDT is a system descriptor)")
VMXLAB_CHECK(GUEST_LDTR_P, "27.3.1.2", "guest LDTR usable but not present (P=0)")
VMXLAB_CHECK(GUEST_LDTR_AR_11_8, "27.3.1.2", "guest LDTR usable but access-rights bits 11:8 not 0")
VMXLAB_CHECK(GUEST_LDTR_G, "27.3.1.2",
	     "guest LDTR (usable) G wrong for limit (G=1: limit 11:0 all ones; G=0: limit < 1 MB)")
VMXLAB_CHECK(GUEST_LDTR_AR_31_17, "27.3.1.2",
	     "guest LDTR usable but access-rights bits 31:17 not 0")

/* 27.3.1.3 guest descriptor-table registers */
VMXLAB_CHECK(GUEST_GDTR_BASE, "27.3.1.3", "guest GDTR base not canonical")
VMXLAB_CHECK(GUEST_IDTR_BASE, "27.3.1.3", "guest IDTR base not canonical")
VMXLAB_CHECK(GUEST_GDTR_LIMIT, "27.3.1.3", "guest GDTR limit bits 31:16 not 0")
VMXLAB_CHECK(GUEST_IDTR_LIMIT, "27.3.1.3", "guest IDTR limit bits 31:16 not 0")

/* 27.3.1.4 guest RIP and RFLAGS */
VMXLAB_CHECK(GUEST_RIP_HIGH, "27.3.1.4",
	     "guest RIP bits 63:32 not 0 outside 64-bit mode (IA-32e mode guest=0 or CS.L=0)")
VMXLAB_CHECK(GUEST_RIP_CANON, "27.3.1.4",
	     "guest RIP bits 63:N (N = linear-address width) not all equal in 64-bit mode")
VMXLAB_CHECK(GUEST_RFLAGS_RESERVED, "27.3.1.4",
	     "guest RFLAGS reserved bits (63:22, 15, 5, 3) not 0")
VMXLAB_CHECK(GUEST_RFLAGS_BIT1, "27.3.1.4", "guest RFLAGS bit 1 not 1")
VMXLAB_CHECK(GUEST_RFLAGS_VM, "27.3.1.4",
	     "guest RFLAGS.VM=1 in an IA-32e mode guest or with CR0.PE=0")
VMXLAB_CHECK(GUEST_RFLAGS_IF, "27.3.1.4", "external interrupt injected while guest RFLAGS.IF=0")

/* 27.3.1.5 guest non-register state */
VMXLAB_CHECK(GUEST_ACTIVITY_RANGE, "27.3.1.5", "guest activity state not 0-3")
VMXLAB_CHECK(GUEST_ACTIVITY_UNSUPPORTED, "27.3.1.5",
	     "guest activity state not supported (IA32_VMX_MISC bits 8:6)")
VMXLAB_CHECK(GUEST_ACTIVITY_HLT_DPL, "27.3.1.5", "guest activity state HLT while SS.DPL not 0")
VMXLAB_CHECK(GUEST_ACTIVITY_BLOCKING, "27.3.1.5",
	     "guest activity state not active while blocking by STI or MOV SS")
VMXLAB_CHECK(GUEST_EVENT_IN_HLT, "27.3.1.5",
	     "event injected in HLT state: not an external interrupt, NMI, #DB, #MC or MTF")
VMXLAB_CHECK(GUEST_EVENT_IN_SHUTDOWN, "27.3.1.5",
	     "event injected in shutdown state is not an NMI or #MC")
VMXLAB_CHECK(GUEST_EVENT_IN_SIPI, "27.3.1.5", "event injected in wait-for-SIPI state")
VMXLAB_CHECK(GUEST_INTR_RESERVED, "27.3.1.5", "guest interruptibility-state bits 31:5 not 0")
VMXLAB_CHECK(GUEST_INTR_STI_MOVSS, "27.3.1.5", "guest blocking by STI and by MOV SS both set")
VMXLAB_CHECK(GUEST_INTR_STI_IF, "27.3.1.5", "guest blocking by STI while RFLAGS.IF=0")
VMXLAB_CHECK(GUEST_INTR_EXT_BLOCKED, "27.3.1.5",
	     "external interrupt injected while blocking by STI or MOV SS")
VMXLAB_CHECK(GUEST_INTR_NMI_MOVSS, "27.3.1.5", "NMI injected while blocking by MOV SS")
VMXLAB_CHECK(GUEST_INTR_SMI, "27.3.1.5", "guest blocking by SMI outside SMM")
VMXLAB_CHECK(GUEST_INTR_VNMI, "27.3.1.5", "NMI injected with virtual NMIs=1 while blocking by NMI")
VMXLAB_CHECK(GUEST_PENDING_DBG_RESERVED, "27.3.1.5",
	     "guest pending debug exceptions reserved bits (11:4, 13, 15, 63:17) not 0")
VMXLAB_CHECK(GUEST_PENDING_BS_SET, "27.3.1.5",
	     "guest pending BS=0, RFLAGS.TF=1, DEBUGCTL.BTF=0, STI/MOV SS blocking or HLT")
VMXLAB_CHECK(GUEST_PENDING_BS_CLEAR, "27.3.1.5",
	     "guest pending BS=1, RFLAGS.TF=0 or DEBUGCTL.BTF=1, STI/MOV SS blocking or HLT")
VMXLAB_CHECK(GUEST_PENDING_RTM, "27.3.1.5",
	     "guest pending debug RTM (bit 16) with bits 11:0 or 14 set")
VMXLAB_CHECK(GUEST_LINK_ALIGN, "27.3.1.5", "VMCS link pointer not all ones but bits 11:0 not 0")
VMXLAB_CHECK(GUEST_LINK_WIDTH, "27.3.1.5",
	     "VMCS link pointer not all ones but beyond the physical-address width")
VMXLAB_CHECK(GUEST_LINK_SHADOW, "27.3.1.5",
	     "VMCS link pointer not FFFFFFFF_FFFFFFFFH while VMCS shadowing=0")

/* 27.3.1.6 PDPTEs */
VMXLAB_CHECK(GUEST_PDPTE0, "27.3.1.6",
	     "guest PDPTE0 present with reserved bits set (PAE paging, EPT, not IA-32e mode)")
VMXLAB_CHECK(GUEST_PDPTE1, "27.3.1.6",
	     "guest PDPTE1 present with reserved bits set (PAE paging, EPT, not IA-32e mode)")
VMXLAB_CHECK(GUEST_PDPTE2, "27.3.1.6",
	     "guest PDPTE2 present with reserved bits set (PAE paging, EPT, not IA-32e mode)")
VMXLAB_CHECK(GUEST_PDPTE3, "27.3.1.6",
	     "guest PDPTE3 present with reserved bits set (PAE paging, EPT, not IA-32e mode)")

/* Added later: numbers never change, so these come last whatever their section. */
VMXLAB_CHECK(SPPTP_ALIGN, "27.2.1.1",
	     "sub-page write permissions=1 but SPPTP bits 11:0 not 0")
VMXLAB_CHECK(SPPTP_WIDTH, "27.2.1.1",
	     "sub-page write permissions=1 but SPPTP beyond the physical-address width")
VMXLAB_CHECK(HOST_PKRS, "27.2.2", "load PKRS=1 (VM exit) but host IA32_PKRS bits 63:32 not 0")
VMXLAB_CHECK(HOST_S_CET_RESERVED, "27.2.2",
	     "load CET state=1 (VM exit) but host IA32_S_CET bits 9:6 not 0")
VMXLAB_CHECK(HOST_S_CET_CANON, "27.2.2",
	     "load CET state=1 (VM exit) but host IA32_S_CET not canonical")
VMXLAB_CHECK(HOST_S_CET_ENDBR, "27.2.2",
	     "load CET state=1 (VM exit) but host IA32_S_CET sets both SUPPRESS and TRACKER")
VMXLAB_CHECK(HOST_SSP_ALIGN, "27.2.2", "load CET state=1 (VM exit) but host SSP bits 1:0 not 0")
VMXLAB_CHECK(HOST_SSP_CANON, "27.2.2", "load CET state=1 (VM exit) but host SSP not canonical")
VMXLAB_CHECK(HOST_ISST_CANON, "27.2.2",
	     "load CET state=1 (VM exit) but host IA32_INTERRUPT_SSP_TABLE_ADDR not canonical")
VMXLAB_CHECK(GUEST_S_CET_RESERVED, "27.3.1.1",
	     "load CET state=1 (VM entry) but guest IA32_S_CET bits 9:6 not 0")
VMXLAB_CHECK(GUEST_S_CET_CANON, "27.3.1.1",
	     "load CET state=1 (VM entry) but guest IA32_S_CET not canonical")
VMXLAB_CHECK(GUEST_S_CET_ENDBR, "27.3.1.1",
	     "load CET state=1 (VM entry) but guest IA32_S_CET sets both SUPPRESS and TRACKER")
VMXLAB_CHECK(GUEST_SSP_ALIGN, "27.3.1.1",
	     "load CET state=1 (VM entry) but guest SSP bits 1:0 not 0")
VMXLAB_CHECK(GUEST_SSP_CANON, "27.3.1.1",
	     "load CET state=1 (VM entry) but guest SSP not canonical")
VMXLAB_CHECK(GUEST_ISST_CANON, "27.3.1.1",
	     "load CET state=1 (VM entry) but guest IA32_INTERRUPT_SSP_TABLE_ADDR not canonical")

VMXLAB_CHECK(PT_GPA_NEEDS_EPT, "27.2.1.1",
	     "Intel PT uses guest physical addresses=1 while enable EPT=0")
VMXLAB_CHECK(PT_GPA_NEEDS_LOAD_RTIT, "27.2.1.1",
	     "Intel PT uses guest physical addresses=1 while load IA32_RTIT_CTL (entry)=0")
VMXLAB_CHECK(PT_GPA_NEEDS_CLEAR_RTIT, "27.2.1.1",
	     "Intel PT uses guest physical addresses=1 while clear IA32_RTIT_CTL (exit)=0")
#else /* !VMXLAB_CHECK */

#ifndef _UAPI_LINUX_VMXLAB_CHECKS_H
#define _UAPI_LINUX_VMXLAB_CHECKS_H

enum vmxlab_check_rule {
	VMXLAB_CHECK_NONE,	/* 0: no rule */
#define VMXLAB_CHECK(id, section, text)	VMXLAB_CHECK_##id,
#include <linux/vmxlab_checks.h>
#undef VMXLAB_CHECK
	VMXLAB_CHECK_COUNT	/* one past the last rule */
};

/*
 * The words of each rule, indexed by VMXLAB_CHECK_* (entry 0 is NULL):
 * the ID as a string, the SDM section and the one-line text.  A failure
 * reads best as "<text> (SDM <section>)" followed by the field and its
 * actual and expected values under the mask.
 */
static const char * const vmxlab_check_names[VMXLAB_CHECK_COUNT] = {
#define VMXLAB_CHECK(id, section, text)					\
	[VMXLAB_CHECK_##id] = #id,
#include <linux/vmxlab_checks.h>
#undef VMXLAB_CHECK
};

static const char * const vmxlab_check_sections[VMXLAB_CHECK_COUNT] = {
#define VMXLAB_CHECK(id, section, text)					\
	[VMXLAB_CHECK_##id] = section,
#include <linux/vmxlab_checks.h>
#undef VMXLAB_CHECK
};

static const char * const vmxlab_check_texts[VMXLAB_CHECK_COUNT] = {
#define VMXLAB_CHECK(id, section, text)					\
	[VMXLAB_CHECK_##id] = text,
#include <linux/vmxlab_checks.h>
#undef VMXLAB_CHECK
};

#endif /* _UAPI_LINUX_VMXLAB_CHECKS_H */
#endif /* VMXLAB_CHECK */
