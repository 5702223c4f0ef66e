// SPDX-License-Identifier: GPL-2.0
/*
 * regs.c - the guest's registers as vmxlab changes them: RIP past an
 * emulated instruction, exception injection, CR0, CR4, DR7 and the PAE
 * PDPTEs, a general-purpose register written with an operand size, and
 * the register ioctls (VMXLAB_GET/SET_REGS, VMXLAB_GET/SET_SREGS).  The
 * architectural rules of CR0, CR4 and EFER writes are cr_rules.c's.
 *
 * Everything here runs with the vCPU's VMCS current (vmcs.c).
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <asm/apicdef.h>
#include <asm/trapnr.h>

#include "vmxlab.h"
#include "cr_rules.h"
#include "memory.h"
#include "pagewalk.h"
#include "regs.h"
#include "vmcs.h"
#include "vmx.h"
#include "vmx_bits.h"
#include "vmx_ops.h"

int vcpu_cpl(void)
{
	/* SS.DPL is the CPL (SDM 5.5), real mode included (DPL 0). */
	return (vmcs_read(VMCS_GUEST_SS_AR_BYTES) >> 5) & 3;
}

/*
 * Move RIP past an instruction vmxlab completed for the guest.  It
 * completed, so the blocking by STI or MOV SS it may have been under ends
 * (SDM 25.4.2); outside 64-bit mode RIP wraps at 32 bits; and when
 * single-stepping it counts as one step.
 */
void vcpu_advance_rip(struct vmxlab_vcpu *vcpu, unsigned int len)
{
	u64 rip = vmcs_read(VMCS_GUEST_RIP) + len;
	u64 intr = vmcs_read(VMCS_GUEST_INTERRUPTIBILITY_INFO);

	if (!vcpu->lma)
		rip = (u32)rip;
	vmcs_write(VMCS_GUEST_RIP, rip);
	if (intr & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS))
		vmcs_write(VMCS_GUEST_INTERRUPTIBILITY_INFO,
			   intr & ~(u64)(INTERRUPTIBILITY_STI |
					 INTERRUPTIBILITY_MOV_SS));
	if (vcpu->step.debug.flags & VMXLAB_DEBUG_SINGLESTEP)
		vcpu->step.done = true;
}

/* Step over the instruction that exited. */
void vcpu_skip_instruction(struct vmxlab_vcpu *vcpu)
{
	vcpu_advance_rip(vcpu, vmcs_read(VMCS_VM_EXIT_INSTRUCTION_LEN));
}

static bool exception_is_fault(u8 vector)
{
	/* #DB may be a trap, #BP and #OF are traps (SDM 6.15). */
	return vector != 1 && vector != 3 && vector != 4;
}

/*
 * Inject a hardware exception at the next VM entry (SDM 27.6 "Event
 * Injection").  In real mode no error code is pushed, and VM entry
 * refuses one (SDM 27.2.1.3).  For a fault, RF is set in the RFLAGS image
 * the guest handler sees, as the processor does when it delivers a fault
 * itself (SDM 18.3.1.1), so a breakpoint does not fire twice.
 */
void vcpu_inject_exception(struct vmxlab_vcpu *vcpu, u8 vector,
			   bool has_error, u32 error)
{
	u32 info = vector | INTR_TYPE_HW_EXCEPTION | INTR_INFO_VALID;

	if (!(vmcs_read(VMCS_GUEST_CR0) & X86_CR0_PE))
		has_error = false;
	if (has_error) {
		info |= INTR_INFO_DELIVER_CODE;
		vmcs_write(VMCS_VM_ENTRY_EXCEPTION_ERROR_CODE, error);
	}
	vmcs_write(VMCS_VM_ENTRY_INTR_INFO_FIELD, info);
	vcpu->events.source = VMXLAB_SRC_EXCEPTION;
	if (exception_is_fault(vector))
		vmcs_write(VMCS_GUEST_RFLAGS,
			   vmcs_read(VMCS_GUEST_RFLAGS) | X86_EFLAGS_RF);
}

static bool guest_pae_paging(void)
{
	return pw_pae_paging(vmcs_read(VMCS_GUEST_CR0),
			     vmcs_read(VMCS_GUEST_CR4),
			     vmcs_read(VMCS_GUEST_IA32_EFER));
}

/* The PDPTE registers of the VMCS, loaded at the next VM entry. */
static void vmcs_write_pdptes(const u64 pdpte[4])
{
	int i;

	for (i = 0; i < 4; i++)
		vmcs_write(VMCS_GUEST_PDPTE0 + 2 * i, pdpte[i]);
}

/*
 * With EPT, PAE paging outside long mode takes its four PDPTEs from the
 * VMCS at VM entry (SDM 27.3.2.4), and the processor loads them itself
 * only when the guest writes CR3 without exiting.  When vmxlab performs
 * the write that turns PAE paging on, vmxlab loads them, with the checks
 * MOV to CR would do (SDM 4.4.1): reserved bits raise #GP.
 */
/* Read the four PDPTEs at @cr3, with the checks of SDM 4.4.1. */
static bool vcpu_read_pdptes(struct vmxlab_vcpu *vcpu, u64 cr3, u64 pdpte[4])
{
	int i;

	if (vm_read_gpa(vcpu->vm, cr3 & 0xffffffe0ULL, pdpte, 4 * sizeof(u64)))
		return false;
	for (i = 0; i < 4; i++)
		if ((pdpte[i] & 1) && (pdpte[i] & 0xfff00000000001e6ULL))
			return false;
	return true;
}

bool vcpu_load_pdptes(struct vmxlab_vcpu *vcpu)
{
	u64 pdpte[4];

	if (!guest_pae_paging())
		return true;
	if (!vcpu_read_pdptes(vcpu, vmcs_read(VMCS_GUEST_CR3), pdpte))
		return false;
	vmcs_write_pdptes(pdpte);
	return true;
}

/* The guest's view of CR0/CR4: host-owned bits come from the shadow. */
static u64 guest_view(u64 real, u64 shadow, u64 mask)
{
	return (real & ~mask) | (shadow & mask);
}

u64 vcpu_guest_cr0(void)
{
	return guest_view(vmcs_read(VMCS_GUEST_CR0),
			  vmcs_read(VMCS_CR0_READ_SHADOW),
			  vmcs_read(VMCS_CR0_GUEST_HOST_MASK));
}

u64 vcpu_guest_cr4(void)
{
	return guest_view(vmcs_read(VMCS_GUEST_CR4),
			  vmcs_read(VMCS_CR4_READ_SHADOW),
			  vmcs_read(VMCS_CR4_GUEST_HOST_MASK));
}

/* The registers the rules of cr_rules.c read, as the guest sees them. */
void vcpu_cr_regs(struct cr_regs *r)
{
	r->cr0 = vcpu_guest_cr0();
	r->cr3 = vmcs_read(VMCS_GUEST_CR3);
	r->cr4 = vcpu_guest_cr4();
	r->efer = vmcs_read(VMCS_GUEST_IA32_EFER);
	r->cs_ar = vmcs_read(VMCS_GUEST_CS_AR_BYTES);
}

/*
 * Write the guest's CR0 as the guest sees it.  The "IA-32e mode guest"
 * entry control must equal EFER.LMA (SDM 27.3.1.1), and LMA is what the
 * processor would compute on the same write: LME and PG (SDM 10.8.5).
 */
void vcpu_set_cr0(struct vmxlab_vcpu *vcpu, u64 cr0)
{
	u64 efer = vmcs_read(VMCS_GUEST_IA32_EFER);
	u64 entry = vmcs_read(VMCS_VM_ENTRY_CONTROLS);

	vcpu->check.recheck = true;
	if ((efer & EFER_LME) && (cr0 & X86_CR0_PG))
		efer |= EFER_LMA;
	else
		efer &= ~(u64)EFER_LMA;
	vcpu->lma = efer & EFER_LMA;
	if (vcpu->lma)
		entry |= ENTRY_IA32E_GUEST;
	else
		entry &= ~(u64)ENTRY_IA32E_GUEST;
	vmcs_write(VMCS_GUEST_IA32_EFER, efer);
	vmcs_write(VMCS_VM_ENTRY_CONTROLS, entry);
	vmcs_write(VMCS_CR0_READ_SHADOW, cr0);
	vmcs_write(VMCS_GUEST_CR0, vmcs_cr0_guest_value(cr0));
	/* KERNEL_GS_BASE and the SYSCALL MSRs may need switching now. */
	vcpu->reload = true;
}

/*
 * RUN loads the guest's XCR0 around each entry only when the guest has
 * XSAVE on (CR4.OSXSAVE) and its XCR0 differs from the host's: after a
 * CR4 write and after XSETBV (exits.c).
 */
void vcpu_update_xcr0_switch(struct vmxlab_vcpu *vcpu, u64 cr4)
{
	vcpu->xcr0_switch = (cr4 & X86_CR4_OSXSAVE) &&
			    vcpu->xcr0 != vmx_caps.host_xcr0;
}

/* DR7 as written: its L0-L3 and G0-G3 bits (7:0) arm the breakpoints. */
void vcpu_dr7_written(struct vmxlab_vcpu *vcpu, u64 dr7)
{
	vcpu->dr7_armed = dr7 & 0xff;
}

/* Guest DR7 (SDM 18.2.4): bits 15:14 and 12:11 read as 0, bit 10 as 1. */
void vcpu_set_dr7(struct vmxlab_vcpu *vcpu, u64 dr7)
{
	dr7 = (dr7 & ~0xd800ULL) | 0x400;
	vmcs_write(VMCS_GUEST_DR7, dr7);
	vcpu_dr7_written(vcpu, dr7);
}

/* Write the guest's CR4, which cr4_check() (cr_rules.c) has accepted. */
void vcpu_set_cr4(struct vmxlab_vcpu *vcpu, u64 cr4)
{
	vcpu->check.recheck = true;
	vmcs_write(VMCS_CR4_READ_SHADOW, cr4);
	vmcs_write(VMCS_GUEST_CR4, vmcs_cr4_guest_value(cr4));
	vcpu_update_xcr0_switch(vcpu, cr4);
}

/*
 * Write @size bytes of a general-purpose register the way an instruction
 * with that operand size does: 8- and 16-bit writes keep the other bits,
 * 32-bit writes zero the upper half (SDM 3.4.1.1).  @high selects AH, CH,
 * DH or BH.
 */
void vcpu_write_gpr(struct vmxlab_vcpu *vcpu, unsigned int reg,
		    unsigned int size, bool high, u64 val)
{
	unsigned long *r = &vcpu->gprs[reg];

	switch (size) {
	case 1:
		if (high)
			*r = (*r & ~0xff00UL) | ((val & 0xff) << 8);
		else
			*r = (*r & ~0xffUL) | (val & 0xff);
		break;
	case 2:
		*r = (*r & ~0xffffUL) | (val & 0xffff);
		break;
	case 4:
		*r = (u32)val;
		break;
	default:
		*r = val;
	}
}

/*
 * The register an MMIO read loads (vcpu->pending, from the decoder) gets
 * @val: masked to the access size, sign-extended for MOVSX, written at
 * the destination's size.  For the loader's devices (run.c) and the
 * local APIC (exits.c) alike.
 */
void vcpu_complete_mmio_read(struct vmxlab_vcpu *vcpu, u64 val)
{
	unsigned int size = vcpu->pending.size;

	if (size < 8)
		val &= (1ULL << (size * 8)) - 1;
	if (vcpu->pending.sign_extend)
		val = sign_extend64(val, size * 8 - 1);
	vcpu_write_gpr(vcpu, vcpu->pending.reg, vcpu->pending.dst_size,
		       vcpu->pending.high_byte, val);
}

/* ---- register ioctls ------------------------------------------------- */

void vcpu_get_regs(struct vmxlab_vcpu *vcpu, struct vmxlab_regs *r)
{
	const unsigned long *g = vcpu->gprs;

	r->rax = g[VCPU_RAX]; r->rbx = g[VCPU_RBX];
	r->rcx = g[VCPU_RCX]; r->rdx = g[VCPU_RDX];
	r->rsi = g[VCPU_RSI]; r->rdi = g[VCPU_RDI];
	r->rbp = g[VCPU_RBP];
	r->r8 = g[VCPU_R8]; r->r9 = g[VCPU_R9];
	r->r10 = g[VCPU_R10]; r->r11 = g[VCPU_R11];
	r->r12 = g[VCPU_R12]; r->r13 = g[VCPU_R13];
	r->r14 = g[VCPU_R14]; r->r15 = g[VCPU_R15];
	r->rsp = vmcs_read(VMCS_GUEST_RSP);
	r->rip = vmcs_read(VMCS_GUEST_RIP);
	r->rflags = vmcs_read(VMCS_GUEST_RFLAGS);
}

/* RFLAGS bits that are reserved: 1 must be set, 3, 5, 15, 22-63 clear. */
#define RFLAGS_RESERVED (BIT_ULL(3) | BIT_ULL(5) | BIT_ULL(15) | \
			 GENMASK_ULL(63, 22))

int vcpu_set_regs(struct vmxlab_vcpu *vcpu, const struct vmxlab_regs *r)
{
	unsigned long *g = vcpu->gprs;

	if ((r->rflags & RFLAGS_RESERVED) || !(r->rflags & X86_EFLAGS_FIXED))
		return -EINVAL;
	g[VCPU_RAX] = r->rax; g[VCPU_RBX] = r->rbx;
	g[VCPU_RCX] = r->rcx; g[VCPU_RDX] = r->rdx;
	g[VCPU_RSI] = r->rsi; g[VCPU_RDI] = r->rdi;
	g[VCPU_RBP] = r->rbp;
	g[VCPU_R8] = r->r8; g[VCPU_R9] = r->r9;
	g[VCPU_R10] = r->r10; g[VCPU_R11] = r->r11;
	g[VCPU_R12] = r->r12; g[VCPU_R13] = r->r13;
	g[VCPU_R14] = r->r14; g[VCPU_R15] = r->r15;
	vmcs_write(VMCS_GUEST_RSP, r->rsp);
	vmcs_write(VMCS_GUEST_RIP, r->rip);
	vmcs_write(VMCS_GUEST_RFLAGS, r->rflags);
	/* The state userspace set is the state the guest resumes from. */
	vcpu->pending.kind = PENDING_NONE;
	vcpu->step.stopped_exit = false;
	return 0;
}

/* The segments of struct vmxlab_sregs, by their VMCS index. */
static struct vmxlab_segment *sregs_seg(struct vmxlab_sregs *s, enum vmx_seg i)
{
	struct vmxlab_segment *segs[VMX_NR_SEGS] = {
		[VMX_SEG_ES] = &s->es, [VMX_SEG_CS] = &s->cs,
		[VMX_SEG_SS] = &s->ss, [VMX_SEG_DS] = &s->ds,
		[VMX_SEG_FS] = &s->fs, [VMX_SEG_GS] = &s->gs,
		[VMX_SEG_LDTR] = &s->ldt, [VMX_SEG_TR] = &s->tr,
	};

	return segs[i];
}

void vcpu_get_sregs(struct vmxlab_vcpu *vcpu, struct vmxlab_sregs *s)
{
	int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < VMX_NR_SEGS; i++)
		vmcs_read_segment(i, sregs_seg(s, i));
	s->gdt.base = vmcs_read(VMCS_GUEST_GDTR_BASE);
	s->gdt.limit = vmcs_read(VMCS_GUEST_GDTR_LIMIT);
	s->idt.base = vmcs_read(VMCS_GUEST_IDTR_BASE);
	s->idt.limit = vmcs_read(VMCS_GUEST_IDTR_LIMIT);
	s->cr0 = vcpu_guest_cr0();
	s->cr4 = vcpu_guest_cr4();
	s->cr2 = vcpu->cr2;
	s->cr3 = vmcs_read(VMCS_GUEST_CR3);
	s->cr8 = lapic_get_cr8(vcpu);
	s->efer = vmcs_read(VMCS_GUEST_IA32_EFER);
	s->apic_base = lapic_get_base(vcpu);
}

static int sregs_check(const struct vmxlab_sregs *s)
{
	struct vmxlab_sregs tmp = *s;
	struct cr_regs regs;
	int i;

	for (i = 0; i < VMX_NR_SEGS; i++) {
		const struct vmxlab_segment *seg = sregs_seg(&tmp, i);

		if (seg->reserved || seg->reserved2 || (seg->ar & ~VMX_AR_DEFINED))
			return -EINVAL;
	}
	if (memchr_inv(s->gdt.reserved, 0, sizeof(s->gdt.reserved)) ||
	    memchr_inv(s->idt.reserved, 0, sizeof(s->idt.reserved)))
		return -EINVAL;
	/* A state the guest could reach with MOV to CR and WRMSR. */
	regs = (struct cr_regs){ .cr0 = s->cr0, .cr3 = s->cr3, .cr4 = s->cr4,
				 .efer = s->efer, .cs_ar = s->cs.ar };
	if (cr_state_check(&regs, &vmx_caps.guest) != CR_OK)
		return -EINVAL;
	if (s->cr8 > 15 ||
	    apic_base_check(&vmx_caps.guest, s->apic_base, s->apic_base))
		return -EINVAL;
	return 0;
}

int vcpu_set_sregs(struct vmxlab_vcpu *vcpu, const struct vmxlab_sregs *s)
{
	struct vmxlab_sregs tmp = *s;
	int i, r;

	u64 pdpte[4];
	bool pae = pw_pae_paging(s->cr0, s->cr4, s->efer);

	r = sregs_check(s);
	if (r)
		return r;
	/* Checked before anything is written: all or nothing. */
	if (pae && !vcpu_read_pdptes(vcpu, s->cr3, pdpte))
		return -EINVAL;
	for (i = 0; i < VMX_NR_SEGS; i++)
		vmcs_write_segment(i, sregs_seg(&tmp, i));
	vmcs_write(VMCS_GUEST_GDTR_BASE, s->gdt.base);
	vmcs_write(VMCS_GUEST_GDTR_LIMIT, s->gdt.limit);
	vmcs_write(VMCS_GUEST_IDTR_BASE, s->idt.base);
	vmcs_write(VMCS_GUEST_IDTR_LIMIT, s->idt.limit);
	vmcs_write(VMCS_GUEST_CR3, s->cr3);
	vmcs_write(VMCS_GUEST_IA32_EFER, s->efer);
	vcpu_set_cr4(vcpu, s->cr4);
	vcpu_set_cr0(vcpu, s->cr0);
	vcpu->cr2 = s->cr2;
	lapic_set_cr8(vcpu, s->cr8);
	lapic_set_base(vcpu, s->apic_base, true);
	if (pae)
		vmcs_write_pdptes(pdpte);
	vcpu->pending.kind = PENDING_NONE;
	vcpu->step.stopped_exit = false;
	return 0;
}
