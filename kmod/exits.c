// SPDX-License-Identifier: GPL-2.0
/*
 * exits.c - what vmxlab does for each VM exit: one function per exit
 * reason, in one table indexed by the basic exit reason (SDM Appendix C).
 *
 * A handler returns 1 to re-enter the guest at once (the exit was handled
 * in the kernel, the fast path) or 0 to return from RUN so that userspace
 * handles it; then it has filled struct vmxlab_run and, where the
 * instruction must be finished after userspace answers, vcpu->pending.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/nospec.h>
#include <asm/fpu/xcr.h>
#include <asm/processor-flags.h>
#include <asm/trapnr.h>

#include "vmxlab.h"
#include "cpuid.h"
#include "cr_rules.h"
#include "emulate.h"
#include "events.h"
#include "exits.h"
#include "lapic.h"
#include "msr.h"
#include "regs.h"
#include "ring.h"
#include "selfcheck.h"
#include "vmx.h"
#include "vmx_bits.h"
#include "vmx_ops.h"
#include "walk.h"
#include "generated/vmxlab_names.h"

__printf(3, 4)
static int vcpu_internal_error(struct vmxlab_vcpu *vcpu, u32 suberror,
			       const char *fmt, ...)
{
	struct vmxlab_run *run = vcpu->run;
	va_list ap;

	run->exit_reason = VMXLAB_EXIT_INTERNAL_ERROR;
	run->internal.suberror = suberror;
	run->internal.reserved = 0;
	va_start(ap, fmt);
	vsnprintf(run->internal.msg, sizeof(run->internal.msg), fmt, ap);
	va_end(ap);
	return 0;
}

/* Return to userspace at the next RUN's completion of @kind. */
static int exit_to_user(struct vmxlab_vcpu *vcpu, u32 exit,
			enum vcpu_pending kind)
{
	vcpu->run->exit_reason = exit;
	vcpu->pending.kind = kind;
	vcpu->pending.insn_len = vmcs_read(VMCS_VM_EXIT_INSTRUCTION_LEN);
	return 0;
}

static int handle_resume(struct vmxlab_vcpu *vcpu)
{
	/*
	 * External interrupt (the host took it when interrupts came back
	 * on), preemption timer (the time slice ended): the run loop checks
	 * need_resched and signals before the next entry.  Interrupt and
	 * NMI window (SDM 26.2), TPR below threshold (SDM 30.1.2, the guest
	 * lowered its TPR with MOV CR8 under the TPR shadow): the guest can
	 * now take what waits, and the run loop injects it (events.c).
	 */
	return 1;
}

/*
 * The guest wrote EOI for a level-triggered vector: the loader's IOAPIC
 * clears Remote IRR and looks at its line again.  The instruction is
 * complete; nothing comes back from userspace.
 */
static int eoi_exit(struct vmxlab_vcpu *vcpu, int vector)
{
	vcpu->events.eoi_vector = -1;
	vcpu->run->exit_reason = VMXLAB_EXIT_EOI;
	vcpu->run->eoi.vector = vector;
	memset(vcpu->run->eoi.reserved, 0, sizeof(vcpu->run->eoi.reserved));
	vcpu->pending.kind = PENDING_NONE;
	return 0;
}

static int handle_mtf(struct vmxlab_vcpu *vcpu);

static bool exception_is_contributory(u8 v)
{
	/* SDM 6.15, Table 6-4. */
	return v == X86_TRAP_DE || (v >= X86_TRAP_TS && v <= X86_TRAP_GP);
}

/*
 * An exception userspace asked to intercept (VMXLAB_SET_DEBUG): give it
 * back to the guest as the processor would have delivered it.  If it
 * happened while another exception was being delivered, apply the
 * double-fault rules (SDM 6.15, Table 6-5).
 */
static int handle_exception_nmi(struct vmxlab_vcpu *vcpu)
{
	u32 info = vmcs_read(VMCS_VM_EXIT_INTR_INFO);
	u32 idt = vmcs_read(VMCS_IDT_VECTORING_INFO_FIELD);
	u32 type = info & INTR_INFO_TYPE_MASK;
	u8 vector = info & INTR_INFO_VECTOR_MASK;
	u32 error = vmcs_read(VMCS_VM_EXIT_INTR_ERROR_CODE);
	bool has_error = info & INTR_INFO_DELIVER_CODE;

	/* Both belong to the host and were dealt with in run.c. */
	if (type == INTR_TYPE_NMI || vector == X86_TRAP_MC)
		return 1;
	vcpu_recover_nmi_blocking(vcpu, info & INTR_INFO_NMI_UNBLOCK);

	if ((idt & INTR_INFO_VALID) &&
	    (idt & INTR_INFO_TYPE_MASK) == INTR_TYPE_HW_EXCEPTION) {
		u8 first = idt & INTR_INFO_VECTOR_MASK;

		if (first == X86_TRAP_DF) {
			vcpu->run->exit_reason = VMXLAB_EXIT_TRIPLE_FAULT;
			return 0;
		}
		if ((exception_is_contributory(first) &&
		     exception_is_contributory(vector)) ||
		    (first == X86_TRAP_PF &&
		     (vector == X86_TRAP_PF || exception_is_contributory(vector)))) {
			vcpu_inject_exception(vcpu, X86_TRAP_DF, true, 0);
			return 1;
		}
	}

	/*
	 * The single-step #DB vmxlab caused with RFLAGS.TF (step.c): DR6.BS
	 * in the qualification (SDM Table 28-1).  It is vmxlab's, not the
	 * guest's: it ends a step, like an MTF exit.
	 */
	if (vector == X86_TRAP_DB && vcpu->step.tf_trapped)
		return handle_mtf(vcpu);

	switch (vector) {
	case X86_TRAP_PF:
		/* A #PF exit leaves CR2 alone; the address is here (SDM 28.2.1). */
		vcpu->cr2 = vmcs_read(VMCS_EXIT_QUALIFICATION);
		break;
	case X86_TRAP_DB:
		/* ... and a #DB exit leaves DR6 alone (SDM 28.2.1). */
		vcpu->dr6 = (vcpu->dr6 & ~0xfULL) |
			    (vmcs_read(VMCS_EXIT_QUALIFICATION) & 0x600f);
		break;
	}

	if (type == INTR_TYPE_SW_EXCEPTION || type == INTR_TYPE_PRIV_SW_EXC) {
		/*
		 * INT3 and INTO (software exceptions) and ICEBP (privileged
		 * software exception) are re-injected as what they were, with
		 * their instruction length, so the guest resumes after them
		 * (SDM 27.6.1.1).
		 */
		vmcs_write(VMCS_VM_ENTRY_INSTRUCTION_LEN,
			   vmcs_read(VMCS_VM_EXIT_INSTRUCTION_LEN));
		vmcs_write(VMCS_VM_ENTRY_INTR_INFO_FIELD,
			   vector | type | INTR_INFO_VALID);
		return 1;
	}
	vcpu_inject_exception(vcpu, vector, has_error, error);
	return 1;
}

static int handle_triple_fault(struct vmxlab_vcpu *vcpu)
{
	vcpu->run->exit_reason = VMXLAB_EXIT_TRIPLE_FAULT;
	return 0;
}

static int handle_cpuid(struct vmxlab_vcpu *vcpu)
{
	unsigned long *g = vcpu->gprs;
	u32 a, b, c, d;

	vmxlab_cpuid(vcpu, g[VCPU_RAX], g[VCPU_RCX], &a, &b, &c, &d);
	g[VCPU_RAX] = a;
	g[VCPU_RBX] = b;
	g[VCPU_RCX] = c;
	g[VCPU_RDX] = d;
	vcpu_skip_instruction(vcpu);
	return 1;
}

/*
 * HLT (SDM HLT): with interrupts enabled the vCPU sleeps in the kernel
 * until an interrupt or NMI can wake it (events.c).  With RFLAGS.IF = 0
 * only an NMI could, and none waits: the guest has stopped for good,
 * which userspace hears about (VMXLAB_EXIT_HLT).
 */
static int handle_hlt(struct vmxlab_vcpu *vcpu)
{
	if (!(vmcs_read(VMCS_GUEST_RFLAGS) & X86_EFLAGS_IF) &&
	    !lapic_nmi_pending(vcpu))
		return exit_to_user(vcpu, VMXLAB_EXIT_HLT, PENDING_SKIP);
	vcpu_skip_instruction(vcpu);
	vcpu_halt(vcpu);
	return 1;
}

/* Instructions a vmxlab guest does not have: raise #UD (SDM 26.1.2). */
static int handle_ud(struct vmxlab_vcpu *vcpu)
{
	vcpu_inject_exception(vcpu, X86_TRAP_UD, false, 0);
	return 1;
}

static int handle_gp(struct vmxlab_vcpu *vcpu)
{
	vcpu_inject_exception(vcpu, X86_TRAP_GP, true, 0);
	return 1;
}

static int handle_skip(struct vmxlab_vcpu *vcpu)
{
	/* INVD, WBINVD: guest memory is coherent host memory. */
	vcpu_skip_instruction(vcpu);
	return 1;
}

static int handle_vmcall(struct vmxlab_vcpu *vcpu)
{
	struct vmxlab_run *run = vcpu->run;
	unsigned long *g = vcpu->gprs;

	run->hypercall.nr = g[VCPU_RAX];
	run->hypercall.args[0] = g[VCPU_RBX];
	run->hypercall.args[1] = g[VCPU_RCX];
	run->hypercall.args[2] = g[VCPU_RDX];
	run->hypercall.args[3] = g[VCPU_RSI];
	run->hypercall.ret = 0;
	return exit_to_user(vcpu, VMXLAB_EXIT_HYPERCALL, PENDING_HYPERCALL);
}

/* Exit qualification of I/O instructions (SDM 28.2.1, Table 28-5). */
#define IO_SIZE(q)	(((q) & 7) + 1)
#define IO_IN		BIT(3)
#define IO_STRING	BIT(4)
#define IO_PORT(q)	((q) >> 16)

static int handle_io(struct vmxlab_vcpu *vcpu)
{
	u64 q = vmcs_read(VMCS_EXIT_QUALIFICATION);
	struct vmxlab_run *run = vcpu->run;
	unsigned int size = IO_SIZE(q);

	if (q & IO_STRING)
		return vcpu_internal_error(vcpu, VMXLAB_INTERNAL_EMULATION,
					   "string I/O (INS/OUTS) to port %#llx is not supported",
					   IO_PORT(q));
	run->io.port = IO_PORT(q);
	run->io.size = size;
	run->io.reserved = 0;
	vcpu->pending.size = size;
	if (q & IO_IN) {
		run->io.direction = VMXLAB_IO_IN;
		run->io.data = 0;
		return exit_to_user(vcpu, VMXLAB_EXIT_IO, PENDING_IN);
	}
	run->io.direction = VMXLAB_IO_OUT;
	run->io.data = vcpu->gprs[VCPU_RAX] & GENMASK_ULL(size * 8 - 1, 0);
	return exit_to_user(vcpu, VMXLAB_EXIT_IO, PENDING_SKIP);
}

static int handle_msr(struct vmxlab_vcpu *vcpu, bool write)
{
	unsigned long *g = vcpu->gprs;
	u32 index = g[VCPU_RCX];
	u64 data = (g[VCPU_RDX] << 32) | (u32)g[VCPU_RAX];
	struct vmxlab_run *run = vcpu->run;

	if (vmxlab_user_msr(vcpu, index)) {
		run->msr.index = index;
		run->msr.is_write = write;
		run->msr.error = 0;
		memset(run->msr.reserved, 0, sizeof(run->msr.reserved));
		run->msr.data = write ? data : 0;
		return exit_to_user(vcpu, VMXLAB_EXIT_MSR,
				    write ? PENDING_WRMSR : PENDING_RDMSR);
	}
	if (write ? vmxlab_msr_write(vcpu, index, data) :
		    vmxlab_msr_read(vcpu, index, &data)) {
		vcpu->events.eoi_vector = -1;
		vcpu_inject_exception(vcpu, X86_TRAP_GP, true, 0);
		return 1;
	}
	if (!write) {
		g[VCPU_RAX] = (u32)data;
		g[VCPU_RDX] = data >> 32;
	}
	vcpu_skip_instruction(vcpu);
	/* An x2APIC EOI of a level-triggered vector (lapic.c). */
	if (vcpu->events.eoi_vector >= 0)
		return eoi_exit(vcpu, vcpu->events.eoi_vector);
	return 1;
}

static int handle_rdmsr(struct vmxlab_vcpu *vcpu)
{
	return handle_msr(vcpu, false);
}

static int handle_wrmsr(struct vmxlab_vcpu *vcpu)
{
	return handle_msr(vcpu, true);
}

static unsigned long gpr_read(struct vmxlab_vcpu *vcpu, unsigned int reg)
{
	return reg == VCPU_RSP ? vmcs_read(VMCS_GUEST_RSP) : vcpu->gprs[reg];
}

static void gpr_write(struct vmxlab_vcpu *vcpu, unsigned int reg,
		      unsigned long val)
{
	if (!vcpu->lma)
		val = (u32)val;
	if (reg == VCPU_RSP)
		vmcs_write(VMCS_GUEST_RSP, val);
	else
		vcpu->gprs[reg] = val;
}

/*
 * MOV to CR0, CR3 and CR4: the rules are cr_rules.c's; a broken one is
 * #GP(0).  Under PAE paging the instruction also loads the PDPTEs, and
 * an invalid one is #GP(0) too, with the old value kept (SDM Vol. 3A
 * "PDPTE Registers").  MOV to CR3 exits only on processors that force
 * CR3-load exiting.
 */
static void cr_set(struct vmxlab_vcpu *vcpu, unsigned int cr, u64 val)
{
	if (cr == 0)
		vcpu_set_cr0(vcpu, val);
	else if (cr == 3)
		vmcs_write(VMCS_GUEST_CR3, val);
	else
		vcpu_set_cr4(vcpu, val);
}

static bool cr_write(struct vmxlab_vcpu *vcpu, unsigned int cr, u64 val)
{
	enum cr_rule broken;
	struct cr_regs r;
	u64 old;

	vcpu_cr_regs(&r);
	if (cr == 0) {
		broken = cr0_check(&r, &val);
		old = r.cr0;
	} else if (cr == 3) {
		broken = cr3_check(&r, &vmx_caps.guest, &val);
		old = r.cr3;
	} else {
		broken = cr4_check(&r, &vmx_caps.guest, val);
		old = r.cr4;
	}
	if (broken != CR_OK)
		return false;
	cr_set(vcpu, cr, val);
	if (!vcpu_load_pdptes(vcpu)) {
		cr_set(vcpu, cr, old);
		return false;
	}
	return true;
}

/* Exit qualification of control-register accesses (SDM Table 28-3). */
#define CR_NUM(q)	((q) & 15)
#define CR_TYPE(q)	(((q) >> 4) & 3)
#define CR_GPR(q)	(((q) >> 8) & 15)
/* LMSW loads only CR0 bits 3:0 (SDM LMSW). */
#define CR_LMSW_DATA(q)	(((q) >> 16) & 0xf)
enum { CR_MOV_TO, CR_MOV_FROM, CR_CLTS, CR_LMSW };

static int handle_cr(struct vmxlab_vcpu *vcpu)
{
	u64 q = vmcs_read(VMCS_EXIT_QUALIFICATION);
	unsigned int cr = CR_NUM(q), reg = CR_GPR(q);
	bool ok = true;
	u64 val;

	switch (CR_TYPE(q)) {
	case CR_MOV_TO:
		val = gpr_read(vcpu, reg);
		if (cr == 0 || cr == 3 || cr == 4)
			ok = cr_write(vcpu, cr, val);
		else if (cr == 8 && val <= 15)
			lapic_set_cr8(vcpu, val);	/* TPR[7:4] */
		else
			ok = false;
		break;
	case CR_MOV_FROM:
		if (cr == 3)
			gpr_write(vcpu, reg, vmcs_read(VMCS_GUEST_CR3));
		else if (cr == 8)
			gpr_write(vcpu, reg, lapic_get_cr8(vcpu));
		else
			ok = false;
		break;
	case CR_CLTS:
		/* TS is guest-owned; CLTS only exits if the mask says so. */
		vmcs_write(VMCS_CR0_READ_SHADOW,
			   vmcs_read(VMCS_CR0_READ_SHADOW) & ~(u64)X86_CR0_TS);
		vmcs_write(VMCS_GUEST_CR0,
			   vmcs_read(VMCS_GUEST_CR0) & ~(u64)X86_CR0_TS);
		break;
	case CR_LMSW:
		/* LMSW sets PE but never clears it (SDM LMSW). */
		val = vcpu_guest_cr0();
		ok = cr_write(vcpu, 0, (val & ~0xeULL) | CR_LMSW_DATA(q) |
				   (val & X86_CR0_PE));
		break;
	}
	if (!ok)
		return handle_gp(vcpu);
	vcpu_skip_instruction(vcpu);
	return 1;
}

/*
 * MOV DR exits always (vmxlab sets MOV-DR exiting): DR0-DR3 and DR6 are
 * kept in software so a guest never changes the host's breakpoints; DR7
 * is in the VMCS.  DR4/DR5 alias DR6/DR7 unless CR4.DE (SDM 18.2.2).
 */
#define DR_NUM(q)	((q) & 7)
/* DR6 bits that read as 1 (SDM 18.2.3). */
#define DR6_FIXED_1	0xffff0ff0ULL
#define DR_FROM		BIT(4)
#define DR_GPR(q)	(((q) >> 8) & 15)

static int handle_dr(struct vmxlab_vcpu *vcpu)
{
	u64 q = vmcs_read(VMCS_EXIT_QUALIFICATION);
	unsigned int dr = DR_NUM(q), reg = DR_GPR(q);
	u64 val;

	/*
	 * MOV-DR exits take priority over the #UD for DR4/DR5 with CR4.DE
	 * and over the #GP for CPL > 0 (SDM "Instructions That Cause VM
	 * Exits Conditionally", MOV DR): both checks are vmxlab's to make.
	 */
	if (vcpu_cpl() != 0)
		return handle_gp(vcpu);
	if (dr == 4 || dr == 5) {
		if (vcpu_guest_cr4() & X86_CR4_DE)
			return handle_ud(vcpu);
		dr += 2;
	}
	if (q & DR_FROM) {
		if (dr < 4)
			val = vcpu->dr[dr];
		else if (dr == 6)
			val = vcpu->dr6 | DR6_FIXED_1;
		else
			val = vmcs_read(VMCS_GUEST_DR7);
		gpr_write(vcpu, reg, val);
	} else {
		val = gpr_read(vcpu, reg);
		if (dr < 4) {
			vcpu->dr[dr] = val;
		} else {
			if (val >> 32)
				return handle_gp(vcpu);
			if (dr == 6)
				vcpu->dr6 = val;
			else
				vcpu_set_dr7(vcpu, val);
		}
	}
	vcpu_skip_instruction(vcpu);
	return 1;
}

/* XSETBV (SDM XSETBV): only XCR0, at CPL 0, by the rules of cr_rules.c. */
static int handle_xsetbv(struct vmxlab_vcpu *vcpu)
{
	u64 val = (vcpu->gprs[VCPU_RDX] << 32) | (u32)vcpu->gprs[VCPU_RAX];

	if ((u32)vcpu->gprs[VCPU_RCX] != 0 || vcpu_cpl() != 0 ||
	    xcr0_check(&vmx_caps.guest, val) != CR_OK)
		return handle_gp(vcpu);
	vcpu->xcr0 = val;
	vcpu_update_xcr0_switch(vcpu, vcpu_guest_cr4());
	vcpu_skip_instruction(vcpu);
	return 1;
}

/*
 * The xAPIC page, decoded like any MMIO but served in the kernel: the
 * local APIC is the kernel's (lapic.c).  No RUN round trip, which is
 * what keeps an EOI or a timer re-arm cheap.
 */
static int apic_access(struct vmxlab_vcpu *vcpu, u64 gpa, unsigned int size)
{
	int eoi = -1;

	if (vcpu->pending.kind == PENDING_MMIO_READ)
		vcpu_complete_mmio_read(vcpu, lapic_mmio_read(vcpu, gpa, size));
	else
		eoi = lapic_mmio_write(vcpu, gpa, size, vcpu->run->mmio.data);
	vcpu->pending.kind = PENDING_NONE;
	vcpu_advance_rip(vcpu, vcpu->pending.insn_len);
	return eoi >= 0 ? eoi_exit(vcpu, eoi) : 1;
}

/* Exit qualification of EPT violations (SDM Table 28-7). */
#define EPT_Q_READ	BIT(0)
#define EPT_Q_WRITE	BIT(1)
#define EPT_Q_FETCH	BIT(2)
#define EPT_Q_LA_VALID	BIT(7)
#define EPT_Q_LA_XLATED	BIT(8)

/*
 * A guest access to a guest-physical address with no memory behind it:
 * decode the instruction and hand userspace an MMIO exit.
 */
static int handle_ept_violation(struct vmxlab_vcpu *vcpu)
{
	u64 q = vmcs_read(VMCS_EXIT_QUALIFICATION);
	u64 gpa = vmcs_read(VMCS_GUEST_PHYSICAL_ADDRESS);
	struct vmxlab_run *run = vcpu->run;
	struct mmio_insn insn;
	u8 bytes[15];
	unsigned int n;
	int bits;

	/* IRET unblocked NMIs, then faulted (SDM 28.2.3, Table 28-7). */
	vcpu_recover_nmi_blocking(vcpu, q & BIT(12));
	if (q & EPT_Q_FETCH)
		return vcpu_internal_error(vcpu, VMXLAB_INTERNAL_EMULATION,
					   "the guest fetched code from guest-physical %#llx, where there is no memory",
					   gpa);
	if ((q & EPT_Q_LA_VALID) && !(q & EPT_Q_LA_XLATED))
		return vcpu_internal_error(vcpu, VMXLAB_INTERNAL_EMULATION,
					   "the guest page tables reach guest-physical %#llx, where there is no memory",
					   gpa);
	n = vcpu_fetch_insn(vcpu, bytes, &bits);
	if (mmio_decode(bytes, n, bits, &insn) ||
	    insn.is_write != !!(q & EPT_Q_WRITE))
		return vcpu_internal_error(vcpu, VMXLAB_INTERNAL_EMULATION,
					   "MMIO at %#llx: %*phN is not MOV, MOVZX or MOVSX",
					   gpa, min(n, 6U), bytes);
	if (!insn.is_write && insn.reg == VCPU_RSP)
		return vcpu_internal_error(vcpu, VMXLAB_INTERNAL_EMULATION,
					   "MMIO at %#llx: a read into RSP is not emulated",
					   gpa);

	run->mmio.phys_addr = gpa;
	run->mmio.len = insn.size;
	run->mmio.is_write = insn.is_write;
	memset(run->mmio.reserved, 0, sizeof(run->mmio.reserved));
	run->mmio.data = 0;
	vcpu->pending.kind = PENDING_SKIP;
	if (insn.is_write) {
		u64 v = insn.has_imm ? insn.imm : gpr_read(vcpu, insn.reg);

		if (insn.high_byte)
			v >>= 8;
		run->mmio.data = insn.size == 8 ? v :
				 v & GENMASK_ULL(insn.size * 8 - 1, 0);
	} else {
		vcpu->pending.kind = PENDING_MMIO_READ;
		vcpu->pending.reg = insn.reg;
		vcpu->pending.size = insn.size;
		vcpu->pending.dst_size = insn.dst_size;
		vcpu->pending.high_byte = insn.high_byte;
		vcpu->pending.sign_extend = insn.sign_extend;
	}
	/* The EPT violation's instruction length is not defined: decoded. */
	vcpu->pending.insn_len = insn.len;
	if (lapic_mmio_hit(vcpu, gpa))
		return apic_access(vcpu, gpa, insn.size);
	run->exit_reason = VMXLAB_EXIT_MMIO;
	return 0;
}

static int handle_ept_misconfig(struct vmxlab_vcpu *vcpu)
{
	return vcpu_internal_error(vcpu, VMXLAB_INTERNAL_UNHANDLED_EXIT,
				   "EPT misconfiguration at guest-physical %#llx: a vmxlab bug",
				   vmcs_read(VMCS_GUEST_PHYSICAL_ADDRESS));
}

/*
 * Monitor trap flag (SDM 26.5.2): one guest instruction is done.  A
 * single step returns to userspace; for breakpoints, step.c looks at the
 * new RIP before the next entry.
 */
static int handle_mtf(struct vmxlab_vcpu *vcpu)
{
	if (vcpu->step.debug.flags & VMXLAB_DEBUG_SINGLESTEP)
		return vcpu_stop(vcpu, VMXLAB_STOP_STEP);
	return 1;
}

static int handle_task_switch(struct vmxlab_vcpu *vcpu)
{
	return vcpu_internal_error(vcpu, VMXLAB_INTERNAL_UNHANDLED_EXIT,
				   "hardware task switches are not supported");
}

/* An exit handler returns 1 to re-enter the guest, 0 to return to userspace. */
typedef int (*vmxlab_exit_handler)(struct vmxlab_vcpu *vcpu);

static const vmxlab_exit_handler exit_handlers[VMX_EXIT_MAX] = {
	[VMX_EXIT_EXCEPTION_NMI]	= handle_exception_nmi,
	[VMX_EXIT_EXTERNAL_INTERRUPT]	= handle_resume,
	[VMX_EXIT_TRIPLE_FAULT]		= handle_triple_fault,
	[VMX_EXIT_INTERRUPT_WINDOW]	= handle_resume,
	[VMX_EXIT_NMI_WINDOW]		= handle_resume,
	[VMX_EXIT_TPR_BELOW_THRESHOLD]	= handle_resume,
	[VMX_EXIT_TASK_SWITCH]		= handle_task_switch,
	[VMX_EXIT_MONITOR_TRAP_FLAG]	= handle_mtf,
	[VMX_EXIT_CPUID]		= handle_cpuid,
	[VMX_EXIT_HLT]			= handle_hlt,
	[VMX_EXIT_INVD]			= handle_skip,
	[VMX_EXIT_RDPMC]		= handle_gp,
	[VMX_EXIT_VMCALL]		= handle_vmcall,
	[VMX_EXIT_VMCLEAR]		= handle_ud,
	[VMX_EXIT_VMLAUNCH]		= handle_ud,
	[VMX_EXIT_VMPTRLD]		= handle_ud,
	[VMX_EXIT_VMPTRST]		= handle_ud,
	[VMX_EXIT_VMREAD]		= handle_ud,
	[VMX_EXIT_VMRESUME]		= handle_ud,
	[VMX_EXIT_VMWRITE]		= handle_ud,
	[VMX_EXIT_VMXOFF]		= handle_ud,
	[VMX_EXIT_VMXON]		= handle_ud,
	[VMX_EXIT_CR_ACCESS]		= handle_cr,
	[VMX_EXIT_DR_ACCESS]		= handle_dr,
	[VMX_EXIT_IO_INSTRUCTION]	= handle_io,
	[VMX_EXIT_MSR_READ]		= handle_rdmsr,
	[VMX_EXIT_MSR_WRITE]		= handle_wrmsr,
	[VMX_EXIT_MWAIT]		= handle_ud,
	[VMX_EXIT_MONITOR]		= handle_ud,
	[VMX_EXIT_EPT_VIOLATION]	= handle_ept_violation,
	[VMX_EXIT_EPT_MISCONFIG]	= handle_ept_misconfig,
	[VMX_EXIT_INVEPT]		= handle_ud,
	[VMX_EXIT_PREEMPTION_TIMER]	= handle_resume,
	[VMX_EXIT_INVVPID]		= handle_ud,
	[VMX_EXIT_WBINVD]		= handle_skip,
	[VMX_EXIT_XSETBV]		= handle_xsetbv,
};

/*
 * An exit during event delivery (SDM 28.2.4, IDT-vectoring information)
 * means the event was not delivered: inject it again at the next entry,
 * unless the handler decides otherwise.
 */
static void requeue_event(struct vmxlab_vcpu *vcpu, u32 idt)
{
	u32 type = idt & INTR_INFO_TYPE_MASK;

	vcpu->events.source = VMXLAB_SRC_REINJECT;
	if (idt & INTR_INFO_DELIVER_CODE)
		vmcs_write(VMCS_VM_ENTRY_EXCEPTION_ERROR_CODE,
			   vmcs_read(VMCS_IDT_VECTORING_ERROR_CODE));
	if (type == INTR_TYPE_SW_INTR || type == INTR_TYPE_SW_EXCEPTION ||
	    type == INTR_TYPE_PRIV_SW_EXC)
		vmcs_write(VMCS_VM_ENTRY_INSTRUCTION_LEN,
			   vmcs_read(VMCS_VM_EXIT_INSTRUCTION_LEN));
	/* Bit 12 is undefined in the entry field (SDM 25.8.3). */
	vmcs_write(VMCS_VM_ENTRY_INTR_INFO_FIELD, idt & ~INTR_INFO_NMI_UNBLOCK);
}

/*
 * Called with interrupts off right after the exit (run.c): handle the
 * exits that need nothing but the VMCS and the registers, and say so.
 * Anything unusual (event delivery in progress, another reason) is left
 * to vmxlab_handle_exit().
 */
bool vmxlab_fastpath_exit(struct vmxlab_vcpu *vcpu)
{
	if (vcpu->exit_reason != VMX_EXIT_CPUID ||
	    (vmcs_read(VMCS_IDT_VECTORING_INFO_FIELD) & INTR_INFO_VALID))
		return false;
	vcpu->stats.exits[VMX_EXIT_CPUID]++;
	/* The ring sees this exit like any other (run.c checked it has room). */
	if (vcpu->ring.buf)
		vmxlab_ring_exit(vcpu, vcpu_exit_guest_tsc(vcpu));
	handle_cpuid(vcpu);
	if (vcpu->ring.buf)
		vmxlab_ring_handled_in_kernel(vcpu);
	return true;
}

/*
 * The exit's details in vmxlab_run, the same for every return to
 * userspace after an exit; the guest-physical address only where the
 * SDM defines it (EPT violations).
 */
void vcpu_fill_exit(struct vmxlab_vcpu *vcpu)
{
	struct vmxlab_run *run = vcpu->run;

	run->hw_exit_reason = vcpu->exit_reason;
	run->exit_qualification = vmcs_read(VMCS_EXIT_QUALIFICATION);
	run->guest_rip = vmcs_read(VMCS_GUEST_RIP);
	run->guest_tsc = vcpu_exit_guest_tsc(vcpu);
	run->exit_intr_info = vmcs_read(VMCS_VM_EXIT_INTR_INFO);
	run->exit_intr_error_code = vmcs_read(VMCS_VM_EXIT_INTR_ERROR_CODE);
	run->guest_phys_addr = VMX_EXIT_REASON_BASIC(vcpu->exit_reason) ==
			       VMX_EXIT_EPT_VIOLATION ?
			       vmcs_read(VMCS_GUEST_PHYSICAL_ADDRESS) : 0;
	run->exit_instruction_len = vmcs_read(VMCS_VM_EXIT_INSTRUCTION_LEN);
}

/* Return to userspace with VMXLAB_EXIT_STOP and the exit's details. */
int vcpu_stop(struct vmxlab_vcpu *vcpu, u32 kind)
{
	struct vmxlab_run *run = vcpu->run;

	run->exit_reason = VMXLAB_EXIT_STOP;
	run->stop.kind = kind;
	run->stop.inject_info = 0;
	run->stop.inject_source = 0;
	run->stop.reserved = 0;
	vcpu_fill_exit(vcpu);
	return 0;
}

int vmxlab_handle_exit(struct vmxlab_vcpu *vcpu, u32 reason)
{
	u32 basic = VMX_EXIT_REASON_BASIC(reason);
	struct vmxlab_run *run = vcpu->run;
	vmxlab_exit_handler handler = NULL;
	u32 idt;
	int r;

	if (reason & VMX_EXIT_REASON_ENTRY_FAILED) {
		/* SDM 27.8: the entry failed after the VMCS checks passed. */
		run->exit_reason = VMXLAB_EXIT_FAIL_ENTRY;
		run->fail_entry.hardware_entry_failure_reason = reason;
		run->fail_entry.vm_instruction_error = 0;
		run->fail_entry.nr_failed_rules = vcpu_entry_check(NULL, 0);
		r = 0;
		goto out;
	}

	idt = vmcs_read(VMCS_IDT_VECTORING_INFO_FIELD);
	if (idt & INTR_INFO_VALID) {
		if (basic == VMX_EXIT_EPT_VIOLATION || basic == VMX_EXIT_EPT_MISCONFIG) {
			r = vcpu_internal_error(vcpu, VMXLAB_INTERNAL_DELIVERY,
						"delivering vector %u needs guest-physical %#llx, where there is no memory",
						idt & INTR_INFO_VECTOR_MASK,
						vmcs_read(VMCS_GUEST_PHYSICAL_ADDRESS));
			goto out;
		}
		/*
		 * An exception exit during delivery is the double-fault
		 * case, decided by its handler; any other exit (an NMI
		 * included) leaves the event to be delivered again.
		 */
		if (basic != VMX_EXIT_EXCEPTION_NMI ||
		    (vmcs_read(VMCS_VM_EXIT_INTR_INFO) & INTR_INFO_TYPE_MASK) ==
		    INTR_TYPE_NMI)
			requeue_event(vcpu, idt);
	}

	if (basic < VMX_EXIT_MAX)
		handler = exit_handlers[array_index_nospec(basic, VMX_EXIT_MAX)];
	if (!handler) {
		r = vcpu_internal_error(vcpu, VMXLAB_INTERNAL_UNHANDLED_EXIT,
					"exit reason %u (%s) is not handled by vmxlab",
					basic, basic < VMX_EXIT_MAX && vmxlab_exit_names[basic] ?
					vmxlab_exit_names[basic] : "unknown");
		goto out;
	}
	/*
	 * The handler table is the reference; the most frequent exits are
	 * called directly, because with retpolines an indirect call costs
	 * more than the comparison (KVM does the same).
	 */
	if (basic == VMX_EXIT_CPUID)
		r = handle_cpuid(vcpu);
	else if (basic == VMX_EXIT_IO_INSTRUCTION)
		r = handle_io(vcpu);
	else if (basic == VMX_EXIT_EPT_VIOLATION)
		r = handle_ept_violation(vcpu);
	else if (basic == VMX_EXIT_EXTERNAL_INTERRUPT)
		r = handle_resume(vcpu);
	else
		r = handler(vcpu);
out:
	if (r == 0)
		vcpu_fill_exit(vcpu);
	return r;
}
