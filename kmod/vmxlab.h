/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmxlab.h - the objects of vmxlab and how the files fit together.
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
 *   selfcheck.c the VM-entry explainer on a vCPU
 *   cpuid.c, msr.c, walk.c, emulate.c   what the handlers need
 *   cr_rules.c, pagewalk.c, checks.c    plain-C rules shared with userland
 */
#ifndef VMXLAB_H
#define VMXLAB_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/fs.h>
#include <asm/fpu/types.h>

#include <linux/vmxlab.h>
#include "vmx_ops.h"
#include "emulate.h"
#include "checks.h"
#include "cr_rules.h"
#include "pagewalk.h"

#define VMXLAB_NAME "vmxlab"

/*
 * The longest a guest may keep the host's interrupts waiting, and its
 * thread off the scheduler: vcpu_enter_guest(), vcpu_setup() (vmcs.c).
 */
#define VCPU_SLICE_MS	10

/* ---- vmx.c: the hardware contract ------------------------------------ */

struct vmx_caps {
	u32 revision_id;	/* IA32_VMX_BASIC[30:0] (SDM A.1) */
	u32 vmcs_size;		/* IA32_VMX_BASIC[44:32] */
	/* The control values vmxlab runs with, already adjusted (SDM A.3-A.5). */
	u32 pin, proc, proc2, exit, entry;
	u64 ept_vpid_cap;	/* IA32_VMX_EPT_VPID_CAP (SDM A.10) */
	u64 misc;		/* IA32_VMX_MISC (SDM A.6) */
	/* Bits of CR0/CR4 fixed in VMX operation (SDM A.7, A.8). */
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	u32 preemption_timer_shift;
	u32 proc_may_be_one;	/* allowed 1-settings of the proc controls */
	bool invept_single;
	u64 host_xcr0;
	/* What a guest may write to CR4, EFER, XCR0 (cr_rules.h). */
	struct cr_caps guest;
};

extern struct vmx_caps vmx_caps;
/* The raw capability MSRs, for the entry explainer (checks.c). */
extern struct vmx_check_caps vmx_check_caps;

int vmx_check_features(void);
int vmx_get(void);		/* VMXON on every CPU for the first VM */
void vmx_put(void);		/* VMXOFF on every CPU after the last VM */
int vmx_init(void);
void vmx_exit(void);
void vmx_invept_all_cpus(u64 eptp);

/* ---- ept.c ----------------------------------------------------------- */

struct vmxlab_ept {
	u64 *root;		/* PML4 table */
	u64 eptp;		/* EPT pointer (SDM 25.6.11) */
	unsigned long pages;	/* table pages, for the memory counters */
};

int ept_init(struct vmxlab_ept *ept);
void ept_destroy(struct vmxlab_ept *ept);
int ept_map(struct vmxlab_ept *ept, u64 gpa, u64 hpa, bool writable);
void ept_unmap(struct vmxlab_ept *ept, u64 gpa);

/* ---- vm.c, memory.c --------------------------------------------------- */

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

int vmxlab_vm_create(void);
void vmxlab_vm_put(struct vmxlab_vm *vm);

/* ---- memory.c: guest memory ------------------------------------------ */

int vm_set_memory_region(struct vmxlab_vm *vm, void __user *argp);
void vm_memory_free(struct vmxlab_vm *vm);
int vm_read_gpa(struct vmxlab_vm *vm, u64 gpa, void *buf, unsigned int len);

/* ---- vcpu.c ---------------------------------------------------------- */

/* vcpu->gprs[]: the guest's general-purpose registers (gprs.h). */
#include "gprs.h"

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
	u64 apic_base;
	u64 misc_enable;
	u64 mtrr_def_type;
};

struct vmxlab_vcpu {
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
	bool recheck;		/* state changed: the self-check looks again */
	u32 timer_slice;	/* preemption timer of a slow-path entry */
	u64 slice_tsc;		/* TSC ticks the fast path may re-enter for */
	u64 slice_end;		/* host TSC: the fast path stops re-entering */
	bool check_armed;	/* the self-check judges this entry */
	unsigned int check_predicted;	/* rules failing before it */
	struct vmxlab_check_failure check_first;
	unsigned long cr2;	/* not in the VMCS: swapped by hand */
	u64 cr8;
	u32 exit_reason;	/* of the last exit */
	u64 exit_tsc;		/* host TSC right after it */
	u64 exits[VMX_EXIT_MAX];	/* per basic exit reason */
	u64 entry_failures;
	u64 tsc_offset;		/* cached VMCS TSC_OFFSET */

	/* The exit ring (trace.c). */
	struct vmxlab_ring *ring;
	size_t ring_size;
	u32 ring_nrecords;	/* the kernel's copies: never read back */
	bool ring_overwrite;
	u64 ring_dropped;
	u64 ring_head;
	struct vmxlab_exit_record *last_rec;

	/* Stops for the stepper (VMXLAB_SET_DEBUG). */
	struct vmxlab_debug debug;
	bool stopped_exit;	/* RUN returned before handling the exit */
	bool step_done;		/* single-step: an emulated insn completed */
	bool step_with_tf;	/* no MTF: step with RFLAGS.TF and #DB */
	bool tf_armed;		/* vmxlab set the guest's TF */
	bool tf_trapped;	/* this exit is that TF's single-step #DB */
	u64 bp_skip;		/* breakpoint RIP just reported */
	u64 dr[4], dr6;
	struct vcpu_msrs msrs;
	u32 exception_bitmap;	/* what userspace asked to intercept */

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
		bool syscall_msrs, kgs, tsc_aux_swapped;
	} host;
};

/* The guest TSC at the last exit (guest TSC = host TSC + offset). */
static inline u64 vcpu_exit_guest_tsc(const struct vmxlab_vcpu *vcpu)
{
	return vcpu->exit_tsc + vcpu->tsc_offset;
}

int vmxlab_vcpu_create(struct vmxlab_vm *vm, unsigned long id);

/* ---- regs.c: the guest's registers ----------------------------------- */

int vcpu_cpl(void);
void vcpu_advance_rip(struct vmxlab_vcpu *vcpu, unsigned int len);
void vcpu_skip_instruction(struct vmxlab_vcpu *vcpu);
void vcpu_inject_exception(struct vmxlab_vcpu *vcpu, u8 vector,
			   bool has_error, u32 error);
bool vcpu_load_pdptes(struct vmxlab_vcpu *vcpu);
u64 vcpu_guest_cr0(void);
u64 vcpu_guest_cr4(void);
void vcpu_cr_regs(struct cr_regs *r);
void vcpu_set_cr0(struct vmxlab_vcpu *vcpu, u64 cr0);
void vcpu_set_cr4(struct vmxlab_vcpu *vcpu, u64 cr4);
void vcpu_update_xcr0_switch(struct vmxlab_vcpu *vcpu, u64 cr4);
void vcpu_set_dr7(struct vmxlab_vcpu *vcpu, u64 dr7);
void vcpu_dr7_written(struct vmxlab_vcpu *vcpu, u64 dr7);
void vcpu_write_gpr(struct vmxlab_vcpu *vcpu, unsigned int reg,
		    unsigned int size, bool high, u64 val);
void vcpu_get_regs(struct vmxlab_vcpu *vcpu, struct vmxlab_regs *r);
int vcpu_set_regs(struct vmxlab_vcpu *vcpu, const struct vmxlab_regs *r);
void vcpu_get_sregs(struct vmxlab_vcpu *vcpu, struct vmxlab_sregs *s);
int vcpu_set_sregs(struct vmxlab_vcpu *vcpu, const struct vmxlab_sregs *s);

/* ---- step.c: VMXLAB_SET_DEBUG and the stops --------------------------- */

int vcpu_set_debug(struct vmxlab_vcpu *vcpu, const struct vmxlab_debug *d);
void vcpu_arm_trap_flag(struct vmxlab_vcpu *vcpu);
void vcpu_disarm_trap_flag(struct vmxlab_vcpu *vcpu);
bool vcpu_stop_at_exit(struct vmxlab_vcpu *vcpu);
int vcpu_check_stops(struct vmxlab_vcpu *vcpu);

/* ---- selfcheck.c: the explainer on this vCPU -------------------------- */

unsigned int vcpu_entry_check(struct vmxlab_check_failure *out,
			      unsigned int max);
int vcpu_explain(struct vmxlab_vcpu *vcpu, struct vmxlab_entry_check *c);
void vcpu_selfcheck_before(struct vmxlab_vcpu *vcpu);
void vcpu_selfcheck_after(struct vmxlab_vcpu *vcpu, int r);

/* ---- run.c: VMXLAB_RUN ------------------------------------------------ */

int vcpu_run(struct vmxlab_vcpu *vcpu);

/* vmenter.S */
int vmxlab_vmenter(unsigned long *gprs, bool launched);
void vmxlab_vmexit(void);

/* ---- vmcs.c ---------------------------------------------------------- */

void *vmcs_alloc(void);
void vmcs_free(void *vmcs);
void vmcs_setup(struct vmxlab_vcpu *vcpu);
u32 vmcs_exception_bitmap(struct vmxlab_vcpu *vcpu);
void vmcs_refresh_host_state(struct vmxlab_vcpu *vcpu, int cpu);
u64 vmcs_cr0_guest_value(u64 cr0);
u64 vmcs_cr4_guest_value(u64 cr4);
void vmcs_read_segment(enum vmx_seg i, struct vmxlab_segment *seg);
void vmcs_write_segment(enum vmx_seg i, const struct vmxlab_segment *seg);

/*
 * Make the vCPU's VMCS current on this CPU with its host state, or clear
 * it.  Inline: RUN does both once per stretch, on the exit-to-userspace
 * path that make bench measures.
 */
static inline int vcpu_vmcs_load(struct vmxlab_vcpu *vcpu)
{
	if (!vmcs_ptrld(__pa(vcpu->vmcs)))
		return -EIO;
	vmcs_refresh_host_state(vcpu, smp_processor_id());
	return 0;
}

static inline void vcpu_vmcs_clear(struct vmxlab_vcpu *vcpu)
{
	vmcs_clear(__pa(vcpu->vmcs));
	/* A cleared VMCS must be entered with VMLAUNCH (SDM 25.11.3). */
	vcpu->launched = false;
}

int vcpu_access_begin(struct vmxlab_vcpu *vcpu);
void vcpu_access_end(struct vmxlab_vcpu *vcpu);

#define VMXLAB_CR0_TRAPPED (X86_CR0_PE | X86_CR0_PG | X86_CR0_NE | X86_CR0_ET | \
			    X86_CR0_CD | X86_CR0_NW)
#define VMXLAB_CR4_GUEST_OWNED (X86_CR4_VME | X86_CR4_PVI | X86_CR4_TSD | \
				X86_CR4_DE | X86_CR4_PCE | X86_CR4_OSFXSR | \
				X86_CR4_OSXMMEXCPT | X86_CR4_FSGSBASE)
/* CR4 bits a guest may set at all; the others raise #GP. */
#define VMXLAB_CR4_ALLOWED (VMXLAB_CR4_GUEST_OWNED | X86_CR4_PSE |	    \
			    X86_CR4_PAE | X86_CR4_MCE | X86_CR4_PGE |	    \
			    X86_CR4_UMIP | X86_CR4_PCIDE | X86_CR4_SMEP |  \
			    X86_CR4_SMAP | X86_CR4_OSXSAVE)

/* ---- trace.c --------------------------------------------------------- */

int vmxlab_ring_set(struct vmxlab_vcpu *vcpu,
		    const struct vmxlab_ring_config *cfg);
void vmxlab_ring_free(struct vmxlab_vcpu *vcpu);
int vmxlab_ring_mmap(struct vmxlab_vcpu *vcpu, struct vm_area_struct *vma);
void vmxlab_ring_exit(struct vmxlab_vcpu *vcpu, u64 guest_tsc);
void vmxlab_ring_entry(struct vmxlab_vcpu *vcpu, u64 guest_tsc);

/* Lossless mode: is there room for one more record?  (Every exit asks.) */
static inline bool vmxlab_ring_full(struct vmxlab_vcpu *vcpu)
{
	struct vmxlab_ring *ring = vcpu->ring;

	if (!ring || vcpu->ring_overwrite)
		return false;
	return vcpu->ring_head - READ_ONCE(ring->tail) >= vcpu->ring_nrecords;
}

/* The exit was handled in the kernel: say so in its record. */
static inline void vmxlab_ring_handled_in_kernel(struct vmxlab_vcpu *vcpu)
{
	if (vcpu->last_rec)
		WRITE_ONCE(vcpu->last_rec->flags,
			   vcpu->last_rec->flags | VMXLAB_REC_KERNEL);
}

/* ---- walk.c ---------------------------------------------------------- */

void vcpu_translate(struct vmxlab_vcpu *vcpu, struct vmxlab_translation *t);
unsigned int vcpu_fetch_insn(struct vmxlab_vcpu *vcpu, u8 *buf, int *bits);
void vcpu_pw_regs(struct pw_regs *r, u64 pdpte[4]);
u64 ept_lookup(struct vmxlab_ept *ept, u64 gpa, u64 entries[4]);

/* ---- exits.c, cpuid.c, msr.c, emulate.c ------------------------------ */

/* An exit handler returns 1 to re-enter the guest, 0 to return to userspace. */
typedef int (*vmxlab_exit_handler)(struct vmxlab_vcpu *vcpu);
int vmxlab_handle_exit(struct vmxlab_vcpu *vcpu, u32 reason);
bool vmxlab_fastpath_exit(struct vmxlab_vcpu *vcpu);
int vcpu_internal_error(struct vmxlab_vcpu *vcpu, u32 suberror,
			const char *fmt, ...) __printf(3, 4);
int vcpu_stop(struct vmxlab_vcpu *vcpu, u32 kind);
void vmxlab_fill_exit(struct vmxlab_vcpu *vcpu);

void vmxlab_cpuid(struct vmxlab_vcpu *vcpu, u32 fn, u32 idx, u32 *eax,
		  u32 *ebx, u32 *ecx, u32 *edx);
bool vmxlab_user_msr(struct vmxlab_vcpu *vcpu, u32 index);
int vmxlab_msr_read(struct vmxlab_vcpu *vcpu, u32 index, u64 *data);
int vmxlab_msr_write(struct vmxlab_vcpu *vcpu, u32 index, u64 data);
void vcpu_msrs_reset(struct vmxlab_vcpu *vcpu);

/* ---- debugfs.c: /sys/kernel/debug/vmxlab ---------------------------- */

/*
 * What the module holds, all VMs together, for leak checks: each counter
 * goes back to 0 when the last VM is gone (debugfs "memory").
 */
struct vmxlab_counters {
	atomic_long_t vms, vcpus;
	atomic_long_t pinned_pages, ept_pages, ring_bytes;
	/* The explainer's self-check (selfcheck.c, parameter selfcheck). */
	atomic_long_t check_runs, check_false_alarms, check_gaps;
	/* Fast-path stretches that ran to the end of their slice (run.c). */
	atomic_long_t slice_ends;
};

extern struct vmxlab_counters vmxlab_counters;

void vmxlab_debugfs_init(void);
void vmxlab_debugfs_exit(void);
void vmxlab_debugfs_vm_add(struct vmxlab_vm *vm);
void vmxlab_debugfs_vm_remove(struct vmxlab_vm *vm);

/* ---- chardev.c ------------------------------------------------------- */

int vmxlab_chardev_init(void);
void vmxlab_chardev_exit(void);

#endif /* VMXLAB_H */
