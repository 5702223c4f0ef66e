/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmxlab.h - the objects of vmxlab: the VM, its memory and its vCPUs.
 * What each file exports is in its own header (vm.h for vm.c, ring.h for
 * trace.c's exit ring, ...), and a file includes the headers of the
 * files it calls: its #include lines are its place in the layers that
 * Documentation/tour.rst draws.
 *
 * Reading order (Documentation/tour.rst says more):
 *   main.c      module init: check the hardware, register /dev/vmxlab
 *   vmx.c       the hardware contract (vmx_check_features) and VMXON/VMXOFF
 *   chardev.c   /dev/vmxlab: VMXLAB_CREATE_VM
 *   vm.c        a VM's file: CPUID and MSR policy, its vCPUs
 *   memory.c    guest memory slots
 *   ept.c       the EPT tables that map guest-physical to host-physical
 *   vcpu.c      a vCPU's file: creation, the ioctls
 *   vmcs.c      what the VMCS holds: controls, host state, guest state
 *   regs.c      the guest's registers, the register ioctls
 *   run.c       VMXLAB_RUN: the run loop
 *   vmenter.S   the VM entry and the VM exit, in assembly
 *   step.c      VMXLAB_SET_DEBUG and the stops
 *   exits.c     one handler per exit reason, in one table
 *   events.c    event injection, interrupt windows, HLT
 *   lapic.c     the local APIC and its timer
 *   apic_bus.c  who receives an interrupt message (IPI, MSI)
 *   selfcheck.c the VM-entry explainer on a vCPU
 *   cpuid.c, msr.c, walk.c, emulate.c   what the handlers need
 *   cr_rules.c, pagewalk.c, checks.c    plain-C rules shared with userland
 */
#ifndef VMXLAB_H
#define VMXLAB_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/wait.h>
#include <asm/fpu/types.h>

#include <linux/vmxlab.h>
#include <linux/vmxlab_tables.h>
#include "ept.h"
#include "gprs.h"
#include "lapic.h"

#define VMXLAB_NAME "vmxlab"

/*
 * The longest a guest may keep the host's interrupts waiting, and its
 * thread off the scheduler: vcpu_enter_guest(), vcpu_setup() (vmcs.c).
 */
#define VCPU_SLICE_MS	10

/* ---- the objects: a VM, its memory, its vCPUs --------------------------- */

struct vmxlab_slot {
	u32 id;
	u32 flags;		/* VMXLAB_MEM_* */
	u64 gpa;
	u64 size;
	u64 uaddr;
	unsigned long npages;
	struct page **pages;
};

struct vmxlab_slots {
	struct rcu_head rcu;
	u32 count;
	struct vmxlab_slot *slot[VMXLAB_MAX_MEM_SLOTS];
};

/* What userspace configured about CPUID and MSRs; replaced as a whole. */
struct vmxlab_policy {
	struct rcu_head rcu;
	u32 ncpuid;
	u32 nmsrs;
	struct vmxlab_cpuid_entry cpuid[VMXLAB_MAX_CPUID_ENTRIES];
	u32 user_msrs[VMXLAB_MAX_USER_MSRS];
};

struct vmxlab_vcpu;

struct vmxlab_vm {
	struct mutex lock;	/* memory slots, policy, vCPU creation */
	refcount_t refs;	/* the VM fd and each vCPU fd */
	struct mm_struct *mm;	/* whose RLIMIT_MEMLOCK pinned pages count */
	struct vmxlab_ept ept;
	struct vmxlab_slots __rcu *slots;
	struct vmxlab_policy __rcu *policy;
	struct vmxlab_vcpu *vcpus[VMXLAB_MAX_VCPUS];
	unsigned long pinned_pages;
	struct dentry *debugfs;		/* debugfs.c */
};

/* What the next RUN must finish for an exit userspace handled. */
enum vcpu_pending {
	PENDING_NONE,
	PENDING_SKIP,		/* OUT, MMIO write, HLT: step over it */
	PENDING_IN,		/* IN: RAX gets run->io.data */
	PENDING_MMIO_READ,	/* a register gets run->mmio.data */
	PENDING_HYPERCALL,	/* RAX gets run->hypercall.ret */
	PENDING_RDMSR,		/* EDX:EAX get run->msr.data, or #GP */
	PENDING_WRMSR,		/* done, or #GP */
};

/* Guest MSRs the in-kernel store keeps (msr.c). */
struct vcpu_msrs {
	u64 kernel_gs_base;
	u64 star, lstar, cstar, sfmask;
	u64 tsc_aux;
	u64 misc_enable;
	u64 mtrr_def_type;
};

/* The exit ring (trace.c): the kernel's copies, never read back. */
struct vcpu_ring {
	struct vmxlab_ring *buf;	/* mapped by userspace too */
	size_t size;
	u32 nrecords;
	bool overwrite;
	u64 dropped;
	u64 head;
	struct vmxlab_exit_record *last;	/* the record of this exit */
};

/* The stepper's stops (step.c, VMXLAB_SET_DEBUG). */
struct vcpu_step {
	struct vmxlab_debug debug;
	bool stopped_exit;	/* RUN returned before handling the exit */
	bool done;		/* single-step: an emulated insn completed */
	bool with_tf;		/* no MTF: step with RFLAGS.TF and #DB */
	bool tf_armed;		/* vmxlab set the guest's TF */
	bool tf_trapped;	/* this exit is that TF's single-step #DB */
	u64 bp_skip;		/* breakpoint RIP just reported */
};

/* The explainer run on each entry (selfcheck.c, parameter selfcheck). */
struct vcpu_selfcheck {
	bool recheck;		/* state changed: look again at the next entry */
	bool armed;		/* the self-check judges this entry */
	unsigned int predicted;	/* rules failing before it */
	struct vmxlab_check_failure first;
};

/* How long the guest may run before the host gets its CPU (run.c). */
struct vcpu_slice {
	u32 timer;		/* preemption timer of a slow-path entry */
	u64 tsc;		/* TSC ticks the fast path may re-enter for */
	u64 end;		/* host TSC: the fast path stops re-entering */
};

/* Interrupts on their way in (events.c). */
struct vcpu_events {
	bool extint_pending;	/* VMXLAB_INTERRUPT queued one */
	int eoi_vector;		/* a level-triggered EOI for userspace, or -1 */
	u8 extint_vector;
	bool halted;		/* HLT with IF = 1: sleeping until woken */
	bool halt_if;		/* RFLAGS.IF when the halt was last looked at */
	u32 windows;		/* PROC_INTR_WINDOW/PROC_NMI_WINDOW now set */
	u32 source;		/* VMXLAB_SRC_* of the event being injected */
	bool injected_now;	/* this pass put an interrupt or NMI there */
	u64 injections, halts, wakeups;
};

/* The exit census (debugfs.c). */
struct vcpu_stats {
	u64 exits[VMX_EXIT_MAX];	/* per basic exit reason */
	u64 entry_failures;
};

struct vmxlab_vcpu {
	struct rcu_head rcu;	/* freed after interrupt senders let go */
	struct vmxlab_vm *vm;
	u32 id;
	struct mutex mutex;	/* RUN and register ioctls wait for each other */
	unsigned long gprs[VCPU_NR_GPRS];
	void *vmcs;
	bool launched;		/* VMLAUNCH done since the last VMCLEAR */
	struct vmxlab_run *run;
	struct fpu_guest fpu;
	u64 xcr0;
	bool xcr0_switch;	/* guest has CR4.OSXSAVE and its own XCR0 */
	bool dr7_armed;		/* guest DR7 enables a breakpoint */
	bool lma;		/* guest EFER.LMA, as the entry control says */
	bool reload;		/* leave the inner loop to re-switch MSRs */
	unsigned long cr2;	/* not in the VMCS: swapped by hand */
	u64 dr[4], dr6;
	struct vcpu_msrs msrs;
	u32 exception_bitmap;	/* what userspace asked to intercept */
	u32 exit_reason;	/* of the last exit */
	u64 exit_tsc;		/* host TSC right after it */
	u64 tsc_offset;		/* cached VMCS TSC_OFFSET */

	struct vcpu_slice slice;
	struct vcpu_stats stats;
	struct vcpu_ring ring;
	struct vcpu_step step;
	struct vcpu_selfcheck check;
	struct vcpu_events events;
	struct vmxlab_lapic apic;
	wait_queue_head_t wq;	/* a halted vCPU sleeps here */
	int guest_cpu;		/* the CPU it is in guest mode on, or -1 */

	/* What the next RUN must finish for an exit userspace handled. */
	struct {
		enum vcpu_pending kind;
		u8 insn_len;
		u8 size;	/* bytes accessed */
		u8 dst_size;	/* bytes of the register written */
		u8 reg;		/* destination GPR for MMIO reads */
		bool high_byte;	/* AH, CH, DH or BH */
		bool sign_extend;
	} pending;

	/* Host state vmxlab restores by hand after the inner loop. */
	struct {
		u16 ds, es, fs, gs, ldt;
		unsigned long fs_base, kernel_gs_base;
		u64 star, lstar, cstar, sfmask, tsc_aux;
		u64 debugctl;
		unsigned long cr3, cr4;
		int cpu;	/* whose host state the VMCS holds, or -1 */
		bool syscall_msrs, kgs, tsc_aux_swapped;
	} host;
};

#endif /* VMXLAB_H */
