/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vmxlab.h - the ioctl interface of /dev/vmxlab.
 *
 * The shape follows KVM's, so that kernel developers feel at home:
 *
 *   open("/dev/vmxlab")            system fd: version, capabilities
 *     ioctl(VMXLAB_CREATE_VM)      -> VM fd: guest memory, CPUID
 *       ioctl(VMXLAB_CREATE_VCPU)  -> vCPU fd: registers, RUN
 *         mmap(vcpu fd, 0)         -> struct vmxlab_run, why RUN returned
 *
 * Every structure has explicit sizes and padding and carries no kernel
 * pointers.  Reserved fields and unknown flags must be zero: the module
 * checks them and returns -EINVAL otherwise, so they can gain a meaning
 * later without breaking old binaries.  Documentation/uapi.rst lists the
 * errno of every failure.
 */
#ifndef _UAPI_LINUX_VMXLAB_H
#define _UAPI_LINUX_VMXLAB_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define VMXLAB_API_VERSION	1

/* 0xB8 is unused in Documentation/userspace-api/ioctl/ioctl-number.rst. */
#define VMXLAB_IO		0xB8

/* Limits, also reported through VMXLAB_CHECK_CAP. */
#define VMXLAB_MAX_VCPUS	16
#define VMXLAB_MAX_MEM_SLOTS	32
#define VMXLAB_MAX_CPUID_ENTRIES 64
#define VMXLAB_MAX_USER_MSRS	32
/* Guest-physical addresses are limited to 39 bits (512 GiB). */
#define VMXLAB_MAX_GPA		(1ULL << 39)

/* ---------------------------------------------------------------------- */
/* ioctls on /dev/vmxlab                                                   */

/* Returns VMXLAB_API_VERSION. */
#define VMXLAB_GET_API_VERSION	_IO(VMXLAB_IO, 0x00)
/* Argument must be 0.  Returns a new VM fd. */
#define VMXLAB_CREATE_VM	_IO(VMXLAB_IO, 0x01)
/* Argument is a VMXLAB_CAP_*; returns 0 when absent, else a value >= 1. */
#define VMXLAB_CHECK_CAP	_IO(VMXLAB_IO, 0x02)
/* Returns the size to mmap() on a vCPU fd. */
#define VMXLAB_GET_VCPU_MMAP_SIZE _IO(VMXLAB_IO, 0x03)

#define VMXLAB_CAP_MAX_VCPUS		1	/* value: VMXLAB_MAX_VCPUS */
#define VMXLAB_CAP_MAX_MEM_SLOTS	2	/* value: VMXLAB_MAX_MEM_SLOTS */
#define VMXLAB_CAP_USER_CPUID		3	/* VMXLAB_SET_CPUID */
#define VMXLAB_CAP_USER_MSRS		4	/* VMXLAB_SET_USER_MSRS */
#define VMXLAB_CAP_UNRESTRICTED_GUEST	5	/* real mode guests */
#define VMXLAB_CAP_MAX_GPA_BITS		6	/* value: 39 */
#define VMXLAB_CAP_READONLY_MEM		7	/* VMXLAB_MEM_READONLY */
#define VMXLAB_CAP_MAX_CPUID_ENTRIES	8	/* value: the limit */
#define VMXLAB_CAP_MAX_USER_MSRS	9	/* value: the limit */
#define VMXLAB_CAP_EXIT_RING		10	/* value: most records */
#define VMXLAB_CAP_DEBUG		11	/* value: VMXLAB_DEBUG_* */
#define VMXLAB_CAP_ENTRY_CHECK		12	/* value: number of rules + 1 */
/*
 * The in-kernel local APIC (KVM's split irqchip: the PIC, IOAPIC and
 * timers live in userspace).  Always on; value: VMXLAB_IRQCHIP_*.
 */
#define VMXLAB_CAP_IRQCHIP		13
#define VMXLAB_IRQCHIP_LAPIC		(1U << 0)	/* xAPIC + x2APIC */
#define VMXLAB_IRQCHIP_TSC_DEADLINE	(1U << 1)	/* timer mode 2 */
/* MOV CR8 does not exit (the TPR shadow; module parameter tpr_shadow). */
#define VMXLAB_IRQCHIP_TPR_SHADOW	(1U << 2)

/* ---------------------------------------------------------------------- */
/* ioctls on a VM fd                                                       */

/*
 * Add, replace or (memory_size == 0) remove guest memory slot @slot.
 * guest_phys_addr, memory_size and userspace_addr are 4 KiB aligned.
 * The pages are pinned and charged to the caller's memory cgroup for as
 * long as the slot exists.  Slots must not overlap in guest-physical space.
 */
struct vmxlab_memory_region {
	__u32 slot;
	__u32 flags;			/* VMXLAB_MEM_* */
	__u64 guest_phys_addr;
	__u64 memory_size;		/* bytes; 0 removes the slot */
	__u64 userspace_addr;
};

#define VMXLAB_MEM_READONLY	(1U << 0)	/* guest writes exit as MMIO */
#define VMXLAB_MEM_FLAGS_ALL	(VMXLAB_MEM_READONLY)

#define VMXLAB_SET_MEMORY_REGION _IOW(VMXLAB_IO, 0x10, struct vmxlab_memory_region)
/* Argument is the vCPU id, 0..VMXLAB_MAX_VCPUS-1.  Returns a vCPU fd. */
#define VMXLAB_CREATE_VCPU	_IO(VMXLAB_IO, 0x11)

/*
 * CPUID overrides.  A guest CPUID for (function, index) returns the matching
 * entry if there is one, else the host's value filtered by vmxlab (no VMX,
 * no x2APIC, no PDCM, hypervisor bit set, signature "vmxlabvmxlab" at leaf
 * 0x40000000).  An entry with VMXLAB_CPUID_ANY_INDEX matches every index.
 * The call replaces the whole table; nent == 0 clears it.
 */
struct vmxlab_cpuid_entry {
	__u32 function;
	__u32 index;
	__u32 flags;			/* VMXLAB_CPUID_* */
	__u32 eax, ebx, ecx, edx;
	__u32 reserved;
};

#define VMXLAB_CPUID_ANY_INDEX	(1U << 0)

struct vmxlab_cpuid {
	__u32 nent;			/* <= VMXLAB_MAX_CPUID_ENTRIES */
	__u32 reserved;
	struct vmxlab_cpuid_entry entries[];
};

#define VMXLAB_SET_CPUID	_IOW(VMXLAB_IO, 0x12, struct vmxlab_cpuid)

/*
 * MSRs whose RDMSR and WRMSR exit to userspace (VMXLAB_EXIT_MSR) instead of
 * being handled by the in-kernel store.  Replaces the whole list.
 */
struct vmxlab_user_msrs {
	__u32 nmsrs;			/* <= VMXLAB_MAX_USER_MSRS */
	__u32 reserved;
	__u32 indices[VMXLAB_MAX_USER_MSRS];
};

#define VMXLAB_SET_USER_MSRS	_IOW(VMXLAB_IO, 0x13, struct vmxlab_user_msrs)

/*
 * Deliver an interrupt message to the local APICs, as the IOAPIC or a
 * PCI device would (SDM Vol. 3A 11.11 "Message Signalled Interrupts"):
 * @address_lo is 0xfee00000 | destination ID << 12 | DM << 2, @data holds
 * the vector (7:0), the delivery mode (10:8: fixed, lowest priority,
 * NMI, INIT, SIPI, ExtINT), level (14) and trigger mode (15).  Returns
 * the number of local APICs that accepted it (0: none matched, or the
 * APIC is software-disabled), or -EINVAL for a malformed message.
 */
struct vmxlab_msi {
	__u32 address_lo;
	__u32 address_hi;		/* must be 0 */
	__u32 data;
	__u32 flags;			/* must be 0 */
	__u32 reserved[4];
};

#define VMXLAB_SIGNAL_MSI	_IOW(VMXLAB_IO, 0x14, struct vmxlab_msi)

/* ---------------------------------------------------------------------- */
/* ioctls on a vCPU fd                                                     */

/* Runs the guest until an exit userspace must see; see struct vmxlab_run. */
#define VMXLAB_RUN		_IO(VMXLAB_IO, 0x20)

struct vmxlab_regs {
	__u64 rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp;
	__u64 r8, r9, r10, r11, r12, r13, r14, r15;
	__u64 rip, rflags;
};

#define VMXLAB_GET_REGS		_IOR(VMXLAB_IO, 0x21, struct vmxlab_regs)
#define VMXLAB_SET_REGS		_IOW(VMXLAB_IO, 0x22, struct vmxlab_regs)

/*
 * A segment register as VMX holds it: base, limit (in bytes, already
 * scaled by G) and the access-rights bytes in the VMCS layout (SDM 25.4.1,
 * Table 25-2): type 3:0, S 4, DPL 6:5, P 7, AVL 12, L 13, D/B 14, G 15,
 * unusable 16.
 */
struct vmxlab_segment {
	__u64 base;
	__u32 limit;
	__u16 selector;
	__u16 reserved;
	__u32 ar;
	__u32 reserved2;
};

#define VMXLAB_AR_UNUSABLE	(1U << 16)

struct vmxlab_dtable {
	__u64 base;
	__u16 limit;
	__u16 reserved[3];
};

struct vmxlab_sregs {
	struct vmxlab_segment cs, ds, es, fs, gs, ss, tr, ldt;
	struct vmxlab_dtable gdt, idt;
	__u64 cr0, cr2, cr3, cr4, cr8;
	__u64 efer;
	__u64 apic_base;
};

#define VMXLAB_GET_SREGS	_IOR(VMXLAB_IO, 0x23, struct vmxlab_sregs)
#define VMXLAB_SET_SREGS	_IOW(VMXLAB_IO, 0x24, struct vmxlab_sregs)

/*
 * Exceptions to intercept: each exception whose bit is set in
 * @exception_bitmap exits to vmxlab, which reflects it back into the guest
 * unchanged (error code, CR2, RF as the processor would).  Useful to see a
 * guest's exceptions in the exit ring and trace.  NMI (2) and #MC (18) belong to
 * the host and are refused.  The reserved fields must be zero.
 */
struct vmxlab_debug {
	__u32 flags;			/* VMXLAB_DEBUG_* */
	__u32 exception_bitmap;
	/*
	 * With VMXLAB_DEBUG_STOP_EXITS: basic exit reasons (bit n of
	 * word n / 64) at which RUN returns VMXLAB_EXIT_STOP before vmxlab
	 * handles the exit; the next RUN handles it.
	 */
	__u64 stop_reasons[2];
	/* With VMXLAB_DEBUG_BREAKPOINTS: stop before executing these RIPs. */
	__u32 nbreakpoints;		/* <= VMXLAB_MAX_BREAKPOINTS */
	__u32 reserved;
	__u64 breakpoints[4];
	/*
	 * With VMXLAB_DEBUG_STOP_INJECT: RUN returns VMXLAB_EXIT_STOP
	 * (VMXLAB_STOP_INJECT) right before the VM entry that would deliver
	 * an interrupt or NMI whose vector's bit is set here (bit n of word
	 * n / 64); the next RUN delivers it.  Zero without the flag.
	 */
	__u64 stop_vectors[4];
	__u64 reserved2[4];
};

#define VMXLAB_MAX_BREAKPOINTS	4
/* Stop after every guest instruction (monitor trap flag, SDM 26.5.2). */
#define VMXLAB_DEBUG_SINGLESTEP		(1U << 0)
#define VMXLAB_DEBUG_STOP_EXITS		(1U << 1)
#define VMXLAB_DEBUG_BREAKPOINTS	(1U << 2)
#define VMXLAB_DEBUG_STOP_INJECT	(1U << 3)
#define VMXLAB_DEBUG_FLAGS_ALL		(VMXLAB_DEBUG_SINGLESTEP | \
					 VMXLAB_DEBUG_STOP_EXITS | \
					 VMXLAB_DEBUG_BREAKPOINTS | \
					 VMXLAB_DEBUG_STOP_INJECT)

#define VMXLAB_SET_DEBUG	_IOW(VMXLAB_IO, 0x25, struct vmxlab_debug)

/*
 * Read any VMCS field, or write a guest-state field from the teaching
 * allowlist (Documentation/uapi.rst), by its SDM encoding
 * (vmxlab_tables.h).  A field the processor does not have: -ENOENT.
 * A field outside the allowlist for writing: -EPERM.
 */
struct vmxlab_vmcs_field {
	__u32 encoding;
	__u32 reserved;
	__u64 value;
};

#define VMXLAB_GET_VMCS_FIELD	_IOWR(VMXLAB_IO, 0x26, struct vmxlab_vmcs_field)
#define VMXLAB_SET_VMCS_FIELD	_IOW(VMXLAB_IO, 0x27, struct vmxlab_vmcs_field)

/*
 * Translate a guest address the way the processor would: through the
 * guest's page tables (GVA -> GPA, with the entry read at each level), then
 * through EPT (GPA -> HPA, with each EPT entry).  @flags says how far it
 * got.  Host physical addresses are shown for teaching; they are
 * meaningless to userspace otherwise.
 */
struct vmxlab_translation {
	__u64 gva;			/* in */
	__u32 flags;			/* out: VMXLAB_XLATE_* */
	__u32 guest_levels;		/* out: 0 (no paging), 2, 3 or 4 */
	__u64 gpa;			/* out */
	__u64 hpa;			/* out */
	__u64 guest_entry_gpa[4];	/* out: where each entry was read */
	__u64 guest_entry[4];		/* out: its value, top level first */
	__u64 ept_entry[4];		/* out: PML4E, PDPTE, PDE, PTE */
	__u64 reserved[4];
};

#define VMXLAB_XLATE_GPA_VALID	(1U << 0)	/* the guest walk succeeded */
#define VMXLAB_XLATE_HPA_VALID	(1U << 1)	/* and EPT maps the GPA */
#define VMXLAB_TRANSLATE	_IOWR(VMXLAB_IO, 0x28, struct vmxlab_translation)

/*
 * The VM-entry explainer: run vmxlab's copy of the SDM's VM-entry checks
 * (Vol. 3C, chapter 27 "VM Entries", sections 27.2 and 27.3) on the vCPU's
 * current VMCS and return the rules that fail.  RUN does the same when the
 * processor refuses an entry and stores the count in
 * run->fail_entry.nr_failed_rules; this ioctl fetches the details, and can
 * be called at any time (a lab predicts a failure before RUN).  The rules
 * and their words are in <linux/vmxlab_checks.h>.
 */
struct vmxlab_check_failure {
	__u32 rule;			/* VMXLAB_CHECK_* */
	__u32 field;			/* VMCS encoding the rule reads first */
	__u64 actual;			/* that field's value (or the MSR's) */
	__u64 expected;			/* what the rule wanted, under @mask */
	__u64 mask;			/* the bits the rule looks at */
};

struct vmxlab_entry_check {
	__u32 nmax;			/* in: room in @failures */
	__u32 nfailed;			/* out: failing rules (may be > nmax) */
	__u64 failures;			/* in: struct vmxlab_check_failure * */
};

#define VMXLAB_CHECK_ENTRY	_IOWR(VMXLAB_IO, 0x2a, struct vmxlab_entry_check)

/*
 * The exit ring: every VM exit, the ones vmxlab handles in the kernel
 * included, as one record, in a ring userspace mmaps (MAP_SHARED) from the
 * vCPU fd at VMXLAB_RING_OFFSET.  VMXLAB_SET_RING sizes it, once per vCPU:
 * a power of two, 1 to VMXLAB_MAX_RING_RECORDS records.
 *
 * Lossless by default: when the ring is full, RUN returns with
 * VMXLAB_EXIT_RING_FULL before the guest runs on, so that userspace can
 * drain it (advance @tail) and call RUN again.  With VMXLAB_RING_OVERWRITE
 * the oldest records are overwritten instead and @dropped counts them.
 */
struct vmxlab_exit_record {
	__u64 seq;			/* 0, 1, 2, ... per vCPU */
	__u32 exit_reason;		/* raw VMCS exit reason */
	__u32 flags;			/* VMXLAB_REC_* */
	__u64 qualification;
	__u64 guest_linear_addr;
	__u64 guest_phys_addr;
	__u32 insn_len;
	__u32 insn_info;
	__u32 intr_info;
	__u32 intr_error;
	__u32 idt_vectoring_info;
	__u32 idt_vectoring_error;
	__u64 rip, rsp, rflags;
	__u64 cr0, cr3, cr4;
	__u64 tsc_exit;			/* guest TSC at the exit */
	__u64 tsc_entry;		/* ... at the next entry; 0 until then */
	/*
	 * The event the next entry injected (VM-entry interruption
	 * information, SDM 25.8.3; valid with VMXLAB_REC_INJECTED) and
	 * where it came from (VMXLAB_SRC_*): the exit that delivered it.
	 */
	__u32 entry_intr_info;
	__u32 entry_error;
	__u32 inject_source;
	__u32 msr_index;		/* RDMSR and WRMSR exits: ECX */
};

#define VMXLAB_REC_KERNEL	(1U << 0)	/* handled in the kernel */
#define VMXLAB_REC_ENTRY_DONE	(1U << 1)	/* tsc_entry is valid */
#define VMXLAB_REC_INJECTED	(1U << 2)	/* entry_intr_info is valid */

/* Where an injected event came from (inject_source). */
#define VMXLAB_SRC_NONE		0
#define VMXLAB_SRC_EXCEPTION	1	/* an exception vmxlab raised */
#define VMXLAB_SRC_REINJECT	2	/* delivery cut short by an exit */
#define VMXLAB_SRC_EXTINT	3	/* VMXLAB_INTERRUPT (the PIC) */
#define VMXLAB_SRC_LAPIC	4	/* the local APIC's IRR */
#define VMXLAB_SRC_NMI		5	/* an NMI message */

struct vmxlab_ring {
	__u32 nrecords;			/* power of two */
	__u32 flags;			/* VMXLAB_RING_* */
	__u64 head;			/* kernel: next seq it writes */
	__u64 tail;			/* userspace: next seq it reads */
	__u64 dropped;			/* overwrite mode: records lost */
	__u64 reserved[4];
	struct vmxlab_exit_record records[];	/* [seq % nrecords] */
};

#define VMXLAB_RING_OVERWRITE	(1U << 0)
#define VMXLAB_MAX_RING_RECORDS	4096
#define VMXLAB_RING_OFFSET	4096	/* mmap offset on the vCPU fd */

struct vmxlab_ring_config {
	__u32 nrecords;
	__u32 flags;
};

#define VMXLAB_SET_RING		_IOW(VMXLAB_IO, 0x29, struct vmxlab_ring_config)

/*
 * Queue an external interrupt (ExtINT: the vector comes from the 8259A
 * PIC in userspace, as KVM_INTERRUPT does with a split irqchip).  Call it
 * only when run->ready_for_interrupt_injection says the vCPU can take
 * one; it is injected at the next entry.  -EINVAL: @irq > 255 or
 * reserved bits set; -EBUSY: one is still queued; -ENXIO: the local
 * APIC does not accept ExtINT (LINT0 masked or not in ExtINT mode, SDM
 * Vol. 3A 11.5.1).  An APIC disabled in IA32_APIC_BASE accepts it: LINT0
 * is then the processor's INTR pin (SDM 11.4.3).
 */
struct vmxlab_interrupt {
	__u32 irq;
	__u32 reserved;
};

#define VMXLAB_INTERRUPT	_IOW(VMXLAB_IO, 0x2b, struct vmxlab_interrupt)

/*
 * The local APIC's registers as the xAPIC page lays them out (offset
 * 0x000-0x3ff, SDM Vol. 3A Table 11-1), KVM's layout: the stepper's
 * `apic` command reads them, snapshots will save them.  The current
 * count (0x390) reads as the timer has it now.  SET_LAPIC loads the
 * page as given (a snapshot's), keeps vmxlab's version register,
 * recomputes PPR and restarts the timer from the saved current count.
 */
struct vmxlab_lapic_state {
	__u8 regs[1024];
};

#define VMXLAB_GET_LAPIC	_IOR(VMXLAB_IO, 0x2c, struct vmxlab_lapic_state)
#define VMXLAB_SET_LAPIC	_IOW(VMXLAB_IO, 0x2d, struct vmxlab_lapic_state)

/* ---------------------------------------------------------------------- */
/* The run structure, mmap()ed at offset 0 of a vCPU fd                    */

enum vmxlab_exit {
	VMXLAB_EXIT_NONE		= 0,
	VMXLAB_EXIT_IO			= 1,	/* io */
	VMXLAB_EXIT_MMIO		= 2,	/* mmio */
	VMXLAB_EXIT_HLT			= 3,
	VMXLAB_EXIT_HYPERCALL		= 4,	/* hypercall */
	VMXLAB_EXIT_TRIPLE_FAULT	= 5,
	VMXLAB_EXIT_FAIL_ENTRY		= 6,	/* fail_entry */
	VMXLAB_EXIT_INTERNAL_ERROR	= 7,	/* internal */
	VMXLAB_EXIT_MSR			= 8,	/* msr */
	VMXLAB_EXIT_INTR		= 9,	/* a signal, or immediate_exit */
	VMXLAB_EXIT_STOP		= 10,	/* a VMXLAB_SET_DEBUG stop */
	VMXLAB_EXIT_RING_FULL		= 11,	/* drain the exit ring */
	VMXLAB_EXIT_IRQ_WINDOW_OPEN	= 12,	/* VMXLAB_INTERRUPT now */
	VMXLAB_EXIT_EOI			= 13,	/* eoi */
};

#define VMXLAB_IO_IN		0
#define VMXLAB_IO_OUT		1

struct vmxlab_run {
	/* in */
	__u8 immediate_exit;		/* return -EINTR before entering */
	/*
	 * Return VMXLAB_EXIT_IRQ_WINDOW_OPEN as soon as the guest can take
	 * an external interrupt (RFLAGS.IF = 1, no STI or MOV SS blocking,
	 * nothing else being injected), so that userspace can call
	 * VMXLAB_INTERRUPT; KVM's request_interrupt_window.
	 */
	__u8 request_interrupt_window;
	__u8 reserved_in[6];
	/* out */
	__u32 exit_reason;		/* VMXLAB_EXIT_* */
	__u32 hw_exit_reason;		/* raw VMCS exit reason of this exit */
	__u64 exit_qualification;	/* raw VMCS exit qualification */
	__u64 guest_rip;		/* RIP of the exiting instruction */
	__u64 guest_tsc;		/* guest TSC when the exit happened */
	__u32 exit_intr_info;		/* VM-exit interruption information */
	__u32 exit_intr_error_code;	/* and its error code (SDM 25.9.2) */
	__u64 guest_phys_addr;		/* EPT violations: the address */
	__u32 exit_instruction_len;	/* VM-exit instruction length */
	/* At every return: VMXLAB_INTERRUPT would be injected next entry. */
	__u8 ready_for_interrupt_injection;
	__u8 if_flag;			/* the guest's RFLAGS.IF */
	__u16 reserved_out;
	union {
		/*
		 * VMXLAB_EXIT_IO: IN or OUT of @size bytes to @port.  For
		 * OUT, @data holds the value; for IN, userspace stores the
		 * value in @data before the next RUN, which completes the
		 * instruction.
		 */
		struct {
			__u8 direction;		/* VMXLAB_IO_IN or _OUT */
			__u8 size;		/* 1, 2 or 4 */
			__u16 port;
			__u32 reserved;
			__u64 data;
		} io;
		/*
		 * VMXLAB_EXIT_MMIO: an access to guest-physical memory that
		 * no slot maps (or a write to a read-only slot).  For reads,
		 * userspace fills @data before the next RUN.
		 */
		struct {
			__u64 phys_addr;
			__u64 data;
			__u8 len;		/* 1, 2, 4 or 8 */
			__u8 is_write;
			__u8 reserved[6];
		} mmio;
		/*
		 * VMXLAB_EXIT_HYPERCALL: VMCALL.  @nr = RAX, @args = RBX,
		 * RCX, RDX, RSI; @ret goes back to RAX on the next RUN.
		 */
		struct {
			__u64 nr;
			__u64 args[4];
			__u64 ret;
		} hypercall;
		/*
		 * VMXLAB_EXIT_FAIL_ENTRY: the processor refused VM entry.
		 * @vm_instruction_error is set for VMfailValid (SDM 31.4);
		 * otherwise @hw_exit_reason has bit 31 set (SDM 27.8).
		 */
		struct {
			__u64 hardware_entry_failure_reason;
			__u32 vm_instruction_error;
			__u32 nr_failed_rules;	/* VMXLAB_CHECK_ENTRY */
		} fail_entry;
		/* VMXLAB_EXIT_INTERNAL_ERROR: vmxlab cannot go on. */
		struct {
			__u32 suberror;		/* VMXLAB_INTERNAL_* */
			__u32 reserved;
			char msg[96];		/* one NUL-terminated sentence */
		} internal;
		/*
		 * VMXLAB_EXIT_MSR: RDMSR or WRMSR of an MSR listed with
		 * VMXLAB_SET_USER_MSRS.  For reads, userspace fills @data;
		 * setting @error to 1 injects #GP instead.
		 */
		struct {
			__u32 index;
			__u8 is_write;
			__u8 error;
			__u8 reserved[2];
			__u64 data;
		} msr;
		/*
		 * VMXLAB_EXIT_STOP: why RUN stopped (VMXLAB_STOP_*).  For
		 * VMXLAB_STOP_EXIT the exit (hw_exit_reason and the other
		 * fields above) has not been handled yet; the next RUN
		 * handles it.  For a step or a breakpoint, guest_rip is the
		 * next instruction to execute.
		 */
		struct {
			__u32 kind;
			/* VMXLAB_STOP_INJECT: the event and its source. */
			__u32 inject_info;
			__u32 inject_source;	/* VMXLAB_SRC_* */
			__u32 reserved;
		} stop;
		/*
		 * VMXLAB_EXIT_EOI: the guest wrote EOI for a level-triggered
		 * vector (its TMR bit was set), so the IOAPIC that sent it
		 * can clear Remote IRR and look at its line again (82093AA
		 * datasheet, 3.2.4).  Nothing to answer.
		 */
		struct {
			__u8 vector;
			__u8 reserved[7];
		} eoi;
		char padding[256];
	};
};

#define VMXLAB_STOP_EXIT	1	/* an exit listed in stop_reasons */
#define VMXLAB_STOP_STEP	2	/* one instruction done (MTF) */
#define VMXLAB_STOP_BREAKPOINT	3	/* about to execute a breakpoint RIP */
#define VMXLAB_STOP_INJECT	4	/* about to deliver an interrupt */

#define VMXLAB_INTERNAL_UNHANDLED_EXIT	1	/* no handler for the exit */
#define VMXLAB_INTERNAL_EMULATION	2	/* MMIO instruction unsupported */
#define VMXLAB_INTERNAL_DELIVERY	3	/* exit while delivering an event */

#endif /* _UAPI_LINUX_VMXLAB_H */
