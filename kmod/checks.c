// SPDX-License-Identifier: GPL-2.0
/*
 * checks.c - the VM-entry explainer: the checks the processor makes at
 * VMLAUNCH and VMRESUME (SDM Vol. 3C, chapter 27 "VM Entries"), one rule
 * per table entry, run on VMCS field values and capability MSRs.
 *
 * The processor says only "invalid control field" (VM-instruction error
 * 7), "invalid host-state field" (error 8) or "invalid guest state" (exit
 * reason 33), never which rule broke.  Running the same rules in software
 * names the rule, the field, and the bits.  The order of the table
 * follows the SDM: controls (27.2.1), host state (27.2.2-27.2.4), guest
 * state (27.3.1).  The words of each rule are in
 * uapi/linux/vmxlab_checks.h; this file has the logic.
 *
 * False alarms are worse than gaps: where the SDM leaves a check to what
 * the processor supports and the capability MSRs do not say, the rule
 * takes the permissive reading (for instance canonical addresses are
 * 57-bit ones whenever 5-level paging is supported at all).
 *
 * The rules assume what is always true for vmxlab: the logical processor
 * is in IA-32e mode (a 64-bit kernel) and not in SMM.  The code has no
 * kernel dependency but vmx_check_caps_read(), so that the host unit
 * tests build this very file (selftests/host/test-checks.c).
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/bits.h>
#include <linux/string.h>
#include <asm/msr.h>
#include <asm/processor.h>
#endif
#include <linux/vmxlab_tables.h>
#include "checks.h"
#include "cr_rules.h"
#include "vmx_bits.h"

/*
 * The VMX bits (controls, capabilities, event fields) are vmx_bits.h's
 * and the control-register bits cr_rules.h's: both plain C like this
 * file.  The bits below are used by the explainer only.
 */
/* SCE, LME, LMA and NXE are the only IA32_EFER bits Intel defines. */
#define CHK_EFER_RESERVED	(~0xd01ULL)
/* RFLAGS (SDM Vol. 1 3.4.3): the reserved bits are 63:22, 15, 5 and 3. */
#define CHK_RFLAGS_TF		BIT_ULL(8)
#define CHK_RFLAGS_IF		BIT_ULL(9)
#define CHK_RFLAGS_VM		BIT_ULL(17)
#define CHK_RFLAGS_RESERVED	(GENMASK_ULL(63, 22) | BIT_ULL(15) | \
				 BIT_ULL(5) | BIT_ULL(3))
#define CHK_DEBUGCTL_BTF	BIT_ULL(1)
/* IA32_S_CET (SDM Vol. 1, CET chapter): reserved, SUPPRESS, TRACKER. */
#define CHK_S_CET_RESERVED	GENMASK_ULL(9, 6)
#define CHK_S_CET_ENDBR		GENMASK_ULL(11, 10)

/* Reserved bits of a present PAE PDPTE, besides 63:MAXPHYADDR (4.4.1). */
#define CHK_PDPTE_RESERVED	(GENMASK_ULL(8, 5) | GENMASK_ULL(2, 1))

/* The control words, for the rules' "applies if" and "needs". */
enum { W_ALL, W_PIN, W_PROC, W_PROC2, W_EXIT, W_ENTRY, W_COUNT };

#define FIELD_PIN	VMCS_PIN_BASED_VM_EXEC_CONTROL
#define FIELD_PROC	VMCS_CPU_BASED_VM_EXEC_CONTROL
#define FIELD_PROC2	VMCS_SECONDARY_VM_EXEC_CONTROL
#define FIELD_EXIT	VMCS_VM_EXIT_CONTROLS
#define FIELD_ENTRY	VMCS_VM_ENTRY_CONTROLS
#define FIELD_EVENT	VMCS_VM_ENTRY_INTR_INFO_FIELD
#define FIELD_BLOCKING	VMCS_GUEST_INTERRUPTIBILITY_INFO
#define FIELD_ACTIVITY	VMCS_GUEST_ACTIVITY_STATE
#define FIELD_PENDING	VMCS_GUEST_PENDING_DBG_EXCEPTIONS

static const u32 chk_word_field[W_COUNT] = {
	[W_PIN] = FIELD_PIN,
	[W_PROC] = FIELD_PROC,
	[W_PROC2] = FIELD_PROC2,
	[W_EXIT] = FIELD_EXIT,
	[W_ENTRY] = FIELD_ENTRY,
};

/* What one run computes once and every rule may look at. */
struct chk {
	const struct vmx_check_input *in;
	const struct vmx_check_caps *caps;
	u32 ctl[W_COUNT];	/* secondary controls 0 unless activated */
	u64 cr0, cr4, rflags;
	u32 ar[8];		/* guest access rights, by S_* */
	u32 intr_info, intr_state, activity;
	unsigned int ev_type, ev_vector;
	bool ug;		/* unrestricted guest */
	bool ia32e;		/* IA-32e mode guest */
	bool v86;		/* RFLAGS.VM: the guest will be virtual-8086 */
	bool host64;		/* host address-space size */
	unsigned int va_bits;	/* linear-address width, for canonical */
	unsigned int pa_bits;	/* MAXPHYADDR */
	unsigned int vmx_pa_bits; /* width of VMX structure addresses */
};

struct chk_rule;
typedef bool (*chk_fn)(const struct chk *c, const struct chk_rule *r,
		       struct vmxlab_check_failure *f);

/*
 * One rule.  It applies only when control word @word has @bit set (W_ALL:
 * always) and, with @event, only when an event is injected; @fails then
 * decides, and on failure fills in actual, expected and mask so that the
 * bits of actual under mask show what is wrong.  @field[0] is the field
 * reported, the others are what else the rule reads.  @rword, @rbit,
 * @rset: the control a "needs" rule requires (set, or clear if !@rset).
 * @seg: the segment register of a segment rule.  @arg: a constant of the
 * rule's own.
 */
struct chk_rule {
	u16 id;
	u8 word, rword, seg;
	bool rset, event;
	u32 bit, rbit;
	u64 arg;
	u32 field[3];
	chk_fn fails;
};

static u64 rd(const struct chk *c, u32 field)
{
	return c->in->read(c->in->ctx, field);
}

/* Records a failure: @actual's bits under @mask should be @expected. */
static bool report(struct vmxlab_check_failure *f, u64 actual, u64 mask,
		   u64 expected)
{
	f->actual = actual;
	f->mask = mask;
	f->expected = expected & mask;
	return true;
}

/* The same, failing only if the bits under @mask differ. */
static bool differ(struct vmxlab_check_failure *f, u64 actual, u64 mask,
		   u64 expected)
{
	report(f, actual, mask, expected);
	return (actual & mask) != (expected & mask);
}

/* Bits 63:@bits, the part of an address beyond a width of @bits. */
static u64 above(unsigned int bits)
{
	return bits >= 64 ? 0 : ~0ULL << bits;
}

/*
 * Canonical: bit 63 down to the top implemented linear-address bit all
 * equal (SDM Vol. 1 3.3.7.1).  The mask covers those bits; expected is
 * the address's top bit repeated.
 */
static bool not_canonical(const struct chk *c,
			  struct vmxlab_check_failure *f, u64 v)
{
	u64 mask = above(c->va_bits - 1);

	return differ(f, v, mask, (v & BIT_ULL(63)) ? mask : 0);
}

/* ---- generic rules ---------------------------------------------------- */

/* The bits of the field under @arg must be 0. */
static bool bits_clear(const struct chk *c, const struct chk_rule *r,
		       struct vmxlab_check_failure *f)
{
	return differ(f, rd(c, r->field[0]), r->arg, 0);
}

/* The field holds a canonical address. */
static bool canonical(const struct chk *c, const struct chk_rule *r,
		      struct vmxlab_check_failure *f)
{
	return not_canonical(c, f, rd(c, r->field[0]));
}

/* A control that requires another control set (or clear). */
static bool needs_control(const struct chk *c, const struct chk_rule *r,
			  struct vmxlab_check_failure *f)
{
	f->field = chk_word_field[r->rword];
	return differ(f, c->ctl[r->rword], r->rbit, r->rset ? r->rbit : 0);
}

static u64 ctl_cap(const struct chk *c, unsigned int word)
{
	switch (word) {
	case W_PIN:
		return c->caps->pinbased;
	case W_PROC:
		return c->caps->procbased;
	case W_PROC2:
		return c->caps->procbased2;
	case W_EXIT:
		return c->caps->exit;
	default:
		return c->caps->entry;
	}
}

/*
 * Reserved control bits (SDM A.3-A.5): a bit set in the low half of the
 * capability MSR must be 1, a bit clear in its high half must be 0.
 * @rword names the control word.
 */
static bool ctl_reserved(const struct chk *c, const struct chk_rule *r,
			 struct vmxlab_check_failure *f)
{
	u64 cap = ctl_cap(c, r->rword);
	u32 must1 = (u32)cap, may1 = (u32)(cap >> 32);

	return differ(f, rd(c, r->field[0]), must1 | ~(u64)may1, must1);
}

/* The physical address of a VMX structure: low bits (@arg) clear... */
static bool addr_align(const struct chk *c, const struct chk_rule *r,
		       struct vmxlab_check_failure *f)
{
	return differ(f, rd(c, r->field[0]), r->arg, 0);
}

/* ...and nothing beyond the physical-address width. */
static bool addr_width(const struct chk *c, const struct chk_rule *r,
		       struct vmxlab_check_failure *f)
{
	return differ(f, rd(c, r->field[0]), above(c->vmx_pa_bits), 0);
}

/*
 * The MSR-store and MSR-load areas (SDM 27.2.1.2, 27.2.1.3), checked only
 * when their count (@field[1]) is not 0: 16-byte aligned, 16 bytes an
 * entry, the last byte within the physical-address width.
 */
static bool msr_area_align(const struct chk *c, const struct chk_rule *r,
			   struct vmxlab_check_failure *f)
{
	if (!rd(c, r->field[1]))
		return false;
	return differ(f, rd(c, r->field[0]), 0xf, 0);
}

static bool msr_area_width(const struct chk *c, const struct chk_rule *r,
			   struct vmxlab_check_failure *f)
{
	u64 addr = rd(c, r->field[0]), count = rd(c, r->field[1]);
	u64 last = addr + count * 16 - 1;

	if (!count)
		return false;
	if (addr & above(c->vmx_pa_bits))
		last = addr;
	return differ(f, last, above(c->vmx_pa_bits), 0);
}

static bool is_cr0(const struct chk_rule *r)
{
	return r->field[0] == VMCS_GUEST_CR0 || r->field[0] == VMCS_HOST_CR0;
}

/* CR0 and CR4 against IA32_VMX_CRn_FIXED0 / FIXED1 (SDM A.7, A.8). */
static bool cr_fixed0(const struct chk *c, const struct chk_rule *r,
		      struct vmxlab_check_failure *f)
{
	u64 must1 = is_cr0(r) ? c->caps->cr0_fixed0 : c->caps->cr4_fixed0;

	/* Unrestricted guest frees guest CR0.PE and PG (SDM 27.3.1.1). */
	if (r->field[0] == VMCS_GUEST_CR0 && c->ug)
		must1 &= ~(CRR_CR0_PE | CRR_CR0_PG);
	return differ(f, rd(c, r->field[0]), must1, must1);
}

static bool cr_fixed1(const struct chk *c, const struct chk_rule *r,
		      struct vmxlab_check_failure *f)
{
	u64 may1 = is_cr0(r) ? c->caps->cr0_fixed1 : c->caps->cr4_fixed1;

	return differ(f, rd(c, r->field[0]), ~may1, 0);
}

/*
 * CR3: bits 63:52, and those of 51:32 beyond MAXPHYADDR, are 0 (SDM
 * 27.2.2, 27.3.1.1).  Bits 62:61 belong to LAM where the processor has
 * it, which shows as CR4.LAM_SUP allowed.
 */
static bool cr3_width(const struct chk *c, const struct chk_rule *r,
		      struct vmxlab_check_failure *f)
{
	unsigned int bits = c->pa_bits;
	u64 mask;

	if (bits < 32)
		bits = 32;
	if (bits > 52)
		bits = 52;
	mask = above(bits);
	if (c->caps->cr4_fixed1 & CRR_CR4_LAM_SUP)
		mask &= ~CRR_CR3_LAM;
	return differ(f, rd(c, r->field[0]), mask, 0);
}

/* CR4.CET=1 needs CR0.WP=1: @field[0] is CR0, @field[1] CR4. */
static bool cet_needs_wp(const struct chk *c, const struct chk_rule *r,
			 struct vmxlab_check_failure *f)
{
	if (!(rd(c, r->field[1]) & CRR_CR4_CET))
		return false;
	return differ(f, rd(c, r->field[0]), CRR_CR0_WP, CRR_CR0_WP);
}

/* IA32_PAT: each byte UC, WC, WT, WP, WB or UC- (SDM Vol. 3A 12.12). */
static bool pat_valid(const struct chk *c, const struct chk_rule *r,
		      struct vmxlab_check_failure *f)
{
	u64 pat = rd(c, r->field[0]);
	unsigned int i;

	for (i = 0; i < 64; i += 8) {
		u64 type = (pat >> i) & 0xff;

		if (type > 7 || type == 2 || type == 3)
			return report(f, pat, 0xffULL << i, 6ULL << i);
	}
	return false;
}

/* A value must be at most @arg. */
static bool at_most(const struct chk *c, const struct chk_rule *r,
		    struct vmxlab_check_failure *f)
{
	u64 v = rd(c, r->field[0]);

	report(f, v, ~0ULL, r->arg);
	return v > r->arg;
}

/* IA32_S_CET: SUPPRESS (bit 10) and TRACKER (bit 11) not both set. */
static bool cet_endbr(const struct chk *c, const struct chk_rule *r,
		      struct vmxlab_check_failure *f)
{
	u64 v = rd(c, r->field[0]);

	return (v & CHK_S_CET_ENDBR) == CHK_S_CET_ENDBR &&
	       report(f, v, CHK_S_CET_ENDBR, 0);
}

/* ---- 27.2.1 controls -------------------------------------------------- */

/*
 * TPR threshold bits 31:4 matter only without virtual-interrupt delivery
 * (SDM 27.2.1.1).  The comparison of bits 3:0 with VTPR needs the
 * virtual-APIC page and is not made here.
 */
static bool tpr_threshold(const struct chk *c, const struct chk_rule *r,
			  struct vmxlab_check_failure *f)
{
	if (c->ctl[W_PROC2] & PROC2_VID)
		return false;
	return differ(f, rd(c, r->field[0]), GENMASK(31, 4), 0);
}

static bool vpid_zero(const struct chk *c, const struct chk_rule *r,
		      struct vmxlab_check_failure *f)
{
	u64 vpid = rd(c, r->field[0]);

	report(f, vpid, 0xffff, 1);
	return !(vpid & 0xffff);
}

/*
 * The EPT pointer (SDM 25.6, 27.2.1.1): a memory type and a walk
 * length IA32_VMX_EPT_VPID_CAP lists, A/D flags only where supported.
 */
static bool eptp_memtype(const struct chk *c, const struct chk_rule *r,
			 struct vmxlab_check_failure *f)
{
	u64 eptp = rd(c, r->field[0]), cap = c->caps->ept_vpid_cap;
	u64 type = eptp & 7;

	if ((type == 0 && (cap & EPT_CAP_UC)) ||
	    (type == 6 && (cap & EPT_CAP_WB)))
		return false;
	return report(f, eptp, 7, (cap & EPT_CAP_WB) ? 6 : 0);
}

static bool eptp_walk(const struct chk *c, const struct chk_rule *r,
		      struct vmxlab_check_failure *f)
{
	u64 eptp = rd(c, r->field[0]), cap = c->caps->ept_vpid_cap;
	u64 len = (eptp >> 3) & 7;

	if ((len == 3 && (cap & EPT_CAP_WALK4)) ||
	    (len == 4 && (cap & EPT_CAP_WALK5)))
		return false;
	return report(f, eptp, GENMASK(5, 3),
		      ((cap & EPT_CAP_WALK4) ? 3 : 4) << 3);
}

static bool eptp_ad(const struct chk *c, const struct chk_rule *r,
		    struct vmxlab_check_failure *f)
{
	if (c->caps->ept_vpid_cap & EPT_CAP_AD)
		return false;
	return differ(f, rd(c, r->field[0]), BIT(6), 0);
}

/* EPTP bits beyond MAXPHYADDR (the 32-bit limit of A.1 is not for it). */
static bool eptp_width(const struct chk *c, const struct chk_rule *r,
		       struct vmxlab_check_failure *f)
{
	return differ(f, rd(c, r->field[0]), above(c->pa_bits), 0);
}

/* VM functions (SDM 27.2.1.1): only those IA32_VMX_VMFUNC reports. */
static bool vmfunc_reserved(const struct chk *c, const struct chk_rule *r,
			    struct vmxlab_check_failure *f)
{
	return differ(f, rd(c, r->field[0]), ~c->caps->vmfunc, 0);
}

static bool eptp_switching(const struct chk *c)
{
	return rd(c, VMCS_VM_FUNCTION_CONTROL) & VMFUNC_EPTP_SWITCH;
}

static bool eptp_switch_needs_ept(const struct chk *c,
				  const struct chk_rule *r,
				  struct vmxlab_check_failure *f)
{
	return eptp_switching(c) && needs_control(c, r, f);
}

static bool eptp_list_align(const struct chk *c, const struct chk_rule *r,
			    struct vmxlab_check_failure *f)
{
	return eptp_switching(c) && addr_align(c, r, f);
}

static bool eptp_list_width(const struct chk *c, const struct chk_rule *r,
			    struct vmxlab_check_failure *f)
{
	return eptp_switching(c) && addr_width(c, r, f);
}

/* ---- 27.2.1.3 event injection (rules with .event) --------------------- */

/* Type 1 is reserved; 7 (other event) needs monitor trap flag support. */
static bool event_type(const struct chk *c, const struct chk_rule *r,
		       struct vmxlab_check_failure *f)
{
	bool mtf = (c->caps->procbased >> 32) & PROC_MTF;

	if (c->ev_type != VMX_EV_RESERVED &&
	    (c->ev_type != VMX_EV_OTHER || mtf))
		return false;
	return report(f, c->intr_info, INTR_INFO_TYPE_MASK,
		      VMX_EV_HW_EXC << INTR_INFO_TYPE_SHIFT);
}

/* The vector for event type @arg: NMI 2, exceptions 0-31, other event 0. */
static bool event_vector(const struct chk *c, const struct chk_rule *r,
			 struct vmxlab_check_failure *f)
{
	if (c->ev_type != r->arg)
		return false;
	switch (r->arg) {
	case VMX_EV_NMI:
		return differ(f, c->intr_info, INTR_INFO_VECTOR_MASK, 2);
	case VMX_EV_HW_EXC:
		return differ(f, c->intr_info, GENMASK(7, 5), 0);
	default:
		return differ(f, c->intr_info, INTR_INFO_VECTOR_MASK, 0);
	}
}

/*
 * Deliver-error-code (SDM 27.2.1.3): 0 for anything but a hardware
 * exception and in real mode; 1 for the exceptions that push an error
 * code (#DF, #TS, #NP, #SS, #GP, #PF, #AC) in protected mode, 0 for the
 * others.  Where IA32_VMX_BASIC[56] is 1 (processors with CET), a hardware
 * exception may go with or without one, whatever its vector.
 */
static bool event_errcode_bit(const struct chk *c, const struct chk_rule *r,
			      struct vmxlab_check_failure *f)
{
	const u32 with_code = BIT(8) | GENMASK(14, 10) | BIT(17);
	bool exc = c->ev_type == VMX_EV_HW_EXC;
	bool pe = c->cr0 & CRR_CR0_PE;
	bool want;

	/* PE=0 without unrestricted guest already breaks the CR0 rules. */
	if (!pe && !c->ug)
		return false;
	if (exc && pe && (c->caps->basic & VMX_BASIC_ANY_ERRCODE))
		return false;
	want = exc && pe && c->ev_vector < 32 &&
	       (with_code & BIT(c->ev_vector));
	return differ(f, c->intr_info, INTR_INFO_DELIVER_CODE,
		      want ? INTR_INFO_DELIVER_CODE : 0);
}

static bool event_errcode_high(const struct chk *c, const struct chk_rule *r,
			       struct vmxlab_check_failure *f)
{
	if (!(c->intr_info & INTR_INFO_DELIVER_CODE))
		return false;
	return differ(f, rd(c, r->field[0]), GENMASK(31, 16), 0);
}

/*
 * Software interrupts and exceptions need the length of the instruction
 * that raised them: 1 to 15, or 0 where IA32_VMX_MISC[30] allows it.
 */
static bool event_insn_len(const struct chk *c, const struct chk_rule *r,
			   struct vmxlab_check_failure *f)
{
	u64 len = rd(c, r->field[0]);
	bool zero_ok = c->caps->misc & VMX_MISC_ZERO_INSN_LEN;

	if (c->ev_type != VMX_EV_SW_INTR && c->ev_type != VMX_EV_PRIV_SW_EXC &&
	    c->ev_type != VMX_EV_SW_EXC)
		return false;
	report(f, len, ~0ULL, len ? 15 : 1);
	return len > 15 || (!len && !zero_ok);
}

/* ---- 27.2.2-27.2.4 host state ----------------------------------------- */

/* Host IA32_EFER.LMA and LME (@arg) equal host address-space size. */
static bool host_efer_bit(const struct chk *c, const struct chk_rule *r,
			  struct vmxlab_check_failure *f)
{
	return differ(f, rd(c, r->field[0]), r->arg, c->host64 ? r->arg : 0);
}

static bool sel_nonzero(const struct chk *c, const struct chk_rule *r,
			struct vmxlab_check_failure *f)
{
	u64 sel = rd(c, r->field[0]);

	report(f, sel, 0xfff8, 8);
	return !(sel & 0xffff);
}

static bool host_ss_nonzero(const struct chk *c, const struct chk_rule *r,
			    struct vmxlab_check_failure *f)
{
	return !c->host64 && sel_nonzero(c, r, f);
}

/*
 * vmxlab runs in a 64-bit kernel, so the processor is in IA-32e mode at
 * VM entry and "host address-space size" must be 1 (SDM 27.2.4).
 */
static bool host_addr_space(const struct chk *c, const struct chk_rule *r,
			    struct vmxlab_check_failure *f)
{
	return differ(f, c->ctl[W_EXIT], EXIT_HOST_64, EXIT_HOST_64);
}

static bool host32_bits_clear(const struct chk *c, const struct chk_rule *r,
			      struct vmxlab_check_failure *f)
{
	return !c->host64 && bits_clear(c, r, f);
}

static bool host64_pae(const struct chk *c, const struct chk_rule *r,
		       struct vmxlab_check_failure *f)
{
	return c->host64 &&
	       differ(f, rd(c, r->field[0]), CRR_CR4_PAE, CRR_CR4_PAE);
}

/*
 * A RIP at entry or exit is not held to "canonical": only bits 63:N must
 * be equal, N being the linear-address width (27.2.4, 27.3.1.4), so bit
 * N-1 may differ.  Such a RIP enters, and faults on the first fetch.
 */
static bool rip_bits_differ(const struct chk *c, struct vmxlab_check_failure *f,
			    u64 rip)
{
	u64 mask = above(c->va_bits);

	return differ(f, rip, mask, (rip & BIT_ULL(63)) ? mask : 0);
}

static bool host64_rip(const struct chk *c, const struct chk_rule *r,
		       struct vmxlab_check_failure *f)
{
	return c->host64 && rip_bits_differ(c, f, rd(c, r->field[0]));
}

/* ---- 27.3.1.1 guest control registers and MSRs ------------------------ */

static bool guest_pg_pe(const struct chk *c, const struct chk_rule *r,
			struct vmxlab_check_failure *f)
{
	return (c->cr0 & CRR_CR0_PG) &&
	       differ(f, c->cr0, CRR_CR0_PE, CRR_CR0_PE);
}

/* A bit (@arg) of the field must be set. */
static bool bit_set(const struct chk *c, const struct chk_rule *r,
		    struct vmxlab_check_failure *f)
{
	return differ(f, rd(c, r->field[0]), r->arg, r->arg);
}

static bool guest_pcide(const struct chk *c, const struct chk_rule *r,
			struct vmxlab_check_failure *f)
{
	return !c->ia32e && differ(f, c->cr4, CRR_CR4_PCIDE, 0);
}

static bool guest_efer_lma(const struct chk *c, const struct chk_rule *r,
			   struct vmxlab_check_failure *f)
{
	return differ(f, rd(c, r->field[0]), CRR_EFER_LMA,
		      c->ia32e ? CRR_EFER_LMA : 0);
}

static bool guest_efer_lme(const struct chk *c, const struct chk_rule *r,
			   struct vmxlab_check_failure *f)
{
	u64 efer = rd(c, r->field[0]);

	if (!(c->cr0 & CRR_CR0_PG))
		return false;
	return differ(f, efer, CRR_EFER_LME,
		      (efer & CRR_EFER_LMA) ? CRR_EFER_LME : 0);
}

/* IA32_BNDCFGS bits 63:12 are a linear address (SDM 27.3.1.1). */
static bool bndcfgs_base(const struct chk *c, const struct chk_rule *r,
			 struct vmxlab_check_failure *f)
{
	return not_canonical(c, f, rd(c, r->field[0]) & ~0xfffULL);
}

/* ---- 27.3.1.2 guest segment registers --------------------------------- */

static bool usable(const struct chk *c, unsigned int s)
{
	return !(c->ar[s] & VMX_AR_UNUSABLE);
}

/*
 * Which registers the access-rights checks cover (SDM 27.3.1.2): outside
 * virtual-8086 mode, CS always and SS, DS, ES, FS, GS when usable; TR
 * always; LDTR when usable.
 */
static bool ar_checked(const struct chk *c, unsigned int s)
{
	switch (s) {
	case VMX_SEG_TR:
		return true;
	case VMX_SEG_LDTR:
		return usable(c, s);
	case VMX_SEG_CS:
		return !c->v86;
	default:
		return !c->v86 && usable(c, s);
	}
}

static unsigned int ar_type(const struct chk *c, unsigned int s)
{
	return c->ar[s] & VMX_AR_TYPE;
}

static unsigned int ar_dpl(const struct chk *c, unsigned int s)
{
	return (c->ar[s] & VMX_AR_DPL) >> VMX_AR_DPL_SHIFT;
}

/* Virtual-8086 mode: base = selector * 16, limit 0xffff, AR 0xf3. */
static bool v86_base(const struct chk *c, const struct chk_rule *r,
		     struct vmxlab_check_failure *f)
{
	u64 sel = rd(c, VMCS_GUEST_SEG_SELECTOR(r->seg)) & 0xffff;

	return c->v86 && differ(f, rd(c, VMCS_GUEST_SEG_BASE(r->seg)), ~0ULL, sel << 4);
}

static bool v86_limit(const struct chk *c, const struct chk_rule *r,
		      struct vmxlab_check_failure *f)
{
	return c->v86 && differ(f, rd(c, VMCS_GUEST_SEG_LIMIT(r->seg)), ~0ULL, 0xffff);
}

static bool v86_ar(const struct chk *c, const struct chk_rule *r,
		   struct vmxlab_check_failure *f)
{
	return c->v86 && differ(f, c->ar[r->seg], ~0ULL, 0xf3);
}

/* CS always, SS, DS, ES when usable: base bits 63:32 are 0. */
static bool seg_base_high(const struct chk *c, const struct chk_rule *r,
			  struct vmxlab_check_failure *f)
{
	if (r->seg != VMX_SEG_CS && !usable(c, r->seg))
		return false;
	return differ(f, rd(c, VMCS_GUEST_SEG_BASE(r->seg)), GENMASK_ULL(63, 32), 0);
}

/* FS, GS and TR bases always, LDTR's when usable, are canonical. */
static bool seg_base_canonical(const struct chk *c, const struct chk_rule *r,
			       struct vmxlab_check_failure *f)
{
	if (r->seg == VMX_SEG_LDTR && !usable(c, r->seg))
		return false;
	return not_canonical(c, f, rd(c, VMCS_GUEST_SEG_BASE(r->seg)));
}

/* Access-rights bits @rbit must be @arg, where the AR are checked. */
static bool ar_bits(const struct chk *c, const struct chk_rule *r,
		    struct vmxlab_check_failure *f)
{
	return ar_checked(c, r->seg) &&
	       differ(f, c->ar[r->seg], r->rbit, r->arg);
}

/* G=1 needs limit bits 11:0 all ones; G=0 needs limit bits 31:20 zero. */
static bool ar_granularity(const struct chk *c, const struct chk_rule *r,
			   struct vmxlab_check_failure *f)
{
	u32 ar = c->ar[r->seg];
	u64 limit = rd(c, VMCS_GUEST_SEG_LIMIT(r->seg));
	bool g = ar & VMX_AR_G;

	if (!ar_checked(c, r->seg))
		return false;
	if (g ? (limit & 0xfff) != 0xfff : !!(limit & GENMASK(31, 20)))
		return report(f, ar, VMX_AR_G, g ? 0 : VMX_AR_G);
	return false;
}

/* TR's selector is in the GDT; LDTR's too when LDTR is usable. */
static bool selector_ti(const struct chk *c, const struct chk_rule *r,
			struct vmxlab_check_failure *f)
{
	if (r->seg == VMX_SEG_LDTR && !usable(c, VMX_SEG_LDTR))
		return false;
	return differ(f, rd(c, VMCS_GUEST_SEG_SELECTOR(r->seg)), BIT(2), 0);
}

static bool ss_rpl(const struct chk *c, const struct chk_rule *r,
		   struct vmxlab_check_failure *f)
{
	if (c->v86 || c->ug)
		return false;
	return differ(f, rd(c, VMCS_GUEST_SS_SELECTOR), 3,
		      rd(c, VMCS_GUEST_CS_SELECTOR) & 3);
}

/* CS: accessed code (9, 11, 13, 15), or 3 with unrestricted guest. */
static bool cs_type(const struct chk *c, const struct chk_rule *r,
		    struct vmxlab_check_failure *f)
{
	unsigned int t = ar_type(c, VMX_SEG_CS);

	if (c->v86 || (t & 9) == 9 || (t == 3 && c->ug))
		return false;
	return report(f, c->ar[VMX_SEG_CS], VMX_AR_TYPE, 11);
}

/* SS: read/write accessed data, expand-up (3) or expand-down (7). */
static bool ss_type(const struct chk *c, const struct chk_rule *r,
		    struct vmxlab_check_failure *f)
{
	unsigned int t = ar_type(c, VMX_SEG_SS);

	if (!ar_checked(c, VMX_SEG_SS) || t == 3 || t == 7)
		return false;
	return report(f, c->ar[VMX_SEG_SS], VMX_AR_TYPE, 3);
}

/* DS, ES, FS, GS: a code segment must be readable. */
static bool data_readable(const struct chk *c, const struct chk_rule *r,
			  struct vmxlab_check_failure *f)
{
	if (!ar_checked(c, r->seg) || !(ar_type(c, r->seg) & 8))
		return false;
	return differ(f, c->ar[r->seg], 2, 2);
}

/*
 * CS.DPL (SDM 27.3.1.2): 0 for a type-3 CS (unrestricted guest), equal to
 * SS.DPL for non-conforming code (9, 11), at most SS.DPL for conforming
 * code (13, 15).  @arg is the type that selects the case: 3, 9 or 13.
 */
static bool cs_dpl(const struct chk *c, const struct chk_rule *r,
		   struct vmxlab_check_failure *f)
{
	unsigned int t = ar_type(c, VMX_SEG_CS), dpl = ar_dpl(c, VMX_SEG_CS);
	u64 ss_dpl = c->ar[VMX_SEG_SS] & VMX_AR_DPL;

	if (c->v86)
		return false;
	switch (r->arg) {
	case 3:
		return t == 3 && c->ug &&
		       differ(f, c->ar[VMX_SEG_CS], VMX_AR_DPL, 0);
	case 9:
		return (t == 9 || t == 11) &&
		       differ(f, c->ar[VMX_SEG_CS], VMX_AR_DPL, ss_dpl);
	default:
		if ((t != 13 && t != 15) || dpl <= ar_dpl(c, VMX_SEG_SS))
			return false;
		return report(f, c->ar[VMX_SEG_CS], VMX_AR_DPL, ss_dpl);
	}
}

static bool ss_dpl_rpl(const struct chk *c, const struct chk_rule *r,
		       struct vmxlab_check_failure *f)
{
	if (c->v86 || c->ug)
		return false;
	return differ(f, c->ar[VMX_SEG_SS], VMX_AR_DPL,
		      (rd(c, VMCS_GUEST_SEG_SELECTOR(VMX_SEG_SS)) & 3) << VMX_AR_DPL_SHIFT);
}

static bool ss_dpl_zero(const struct chk *c, const struct chk_rule *r,
			struct vmxlab_check_failure *f)
{
	if (c->v86 || ((c->cr0 & CRR_CR0_PE) && ar_type(c, VMX_SEG_CS) != 3))
		return false;
	return differ(f, c->ar[VMX_SEG_SS], VMX_AR_DPL, 0);
}

/*
 * DS, ES, FS, GS without unrestricted guest: data and non-conforming code
 * (types 0-11) have DPL >= RPL.
 */
static bool data_dpl(const struct chk *c, const struct chk_rule *r,
		     struct vmxlab_check_failure *f)
{
	unsigned int rpl = rd(c, VMCS_GUEST_SEG_SELECTOR(r->seg)) & 3;

	if (c->ug || !ar_checked(c, r->seg) || ar_type(c, r->seg) > 11 ||
	    ar_dpl(c, r->seg) >= rpl)
		return false;
	return report(f, c->ar[r->seg], VMX_AR_DPL, rpl << VMX_AR_DPL_SHIFT);
}

/* A 64-bit code segment (L=1) of an IA-32e mode guest has D=0. */
static bool cs_db(const struct chk *c, const struct chk_rule *r,
		  struct vmxlab_check_failure *f)
{
	if (c->v86 || !c->ia32e || !(c->ar[VMX_SEG_CS] & VMX_AR_L))
		return false;
	return differ(f, c->ar[VMX_SEG_CS], VMX_AR_DB, 0);
}

/* TR: a busy TSS, 32/64-bit (11), or 16-bit (3) outside IA-32e mode. */
static bool tr_type(const struct chk *c, const struct chk_rule *r,
		    struct vmxlab_check_failure *f)
{
	unsigned int t = ar_type(c, VMX_SEG_TR);

	if (t == 11 || (t == 3 && !c->ia32e))
		return false;
	return report(f, c->ar[VMX_SEG_TR], VMX_AR_TYPE, 11);
}

/* ---- 27.3.1.4 RIP and RFLAGS ------------------------------------------ */

static bool long_mode_code(const struct chk *c)
{
	return c->ia32e && (c->ar[VMX_SEG_CS] & VMX_AR_L);
}

static bool rip_high(const struct chk *c, const struct chk_rule *r,
		     struct vmxlab_check_failure *f)
{
	return !long_mode_code(c) &&
	       differ(f, rd(c, r->field[0]), GENMASK_ULL(63, 32), 0);
}

static bool rip_canonical(const struct chk *c, const struct chk_rule *r,
			  struct vmxlab_check_failure *f)
{
	return long_mode_code(c) && rip_bits_differ(c, f, rd(c, r->field[0]));
}

static bool rflags_vm(const struct chk *c, const struct chk_rule *r,
		      struct vmxlab_check_failure *f)
{
	if (!c->ia32e && (c->cr0 & CRR_CR0_PE))
		return false;
	return differ(f, c->rflags, CHK_RFLAGS_VM, 0);
}

static bool rflags_if(const struct chk *c, const struct chk_rule *r,
		      struct vmxlab_check_failure *f)
{
	return c->ev_type == VMX_EV_EXT_INTR &&
	       differ(f, c->rflags, CHK_RFLAGS_IF, CHK_RFLAGS_IF);
}

/* ---- 27.3.1.5 guest non-register state -------------------------------- */

static bool activity_supported(const struct chk *c, const struct chk_rule *r,
			       struct vmxlab_check_failure *f)
{
	u32 a = c->activity;

	if (a == ACTIVITY_ACTIVE || a > ACTIVITY_WAIT_SIPI ||
	    (c->caps->misc & BIT_ULL(VMX_MISC_ACTIVITY_SHIFT + a)))
		return false;
	return report(f, a, ~0ULL, ACTIVITY_ACTIVE);
}

static bool activity_hlt_dpl(const struct chk *c, const struct chk_rule *r,
			     struct vmxlab_check_failure *f)
{
	return c->activity == ACTIVITY_HLT &&
	       differ(f, c->ar[VMX_SEG_SS], VMX_AR_DPL, 0);
}

static bool activity_blocking(const struct chk *c, const struct chk_rule *r,
			      struct vmxlab_check_failure *f)
{
	if (!(c->intr_state & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS)))
		return false;
	return differ(f, c->activity, ~0ULL, ACTIVITY_ACTIVE);
}

/*
 * The events a logical processor takes in each activity state (SDM
 * 27.3.1.5): in HLT external interrupts, NMIs, #DB, #MC and a pending MTF
 * exit; in shutdown NMIs and #MC; in wait-for-SIPI none.  @arg is the
 * activity state.
 */
static bool event_in_state(const struct chk *c, const struct chk_rule *r,
			   struct vmxlab_check_failure *f)
{
	unsigned int t = c->ev_type, v = c->ev_vector;
	bool ok;

	if (c->activity != r->arg)
		return false;
	switch (r->arg) {
	case ACTIVITY_HLT:
		ok = t == VMX_EV_EXT_INTR || t == VMX_EV_NMI ||
		     (t == VMX_EV_HW_EXC && (v == 1 || v == 18)) ||
		     (t == VMX_EV_OTHER && v == 0);
		break;
	case ACTIVITY_SHUTDOWN:
		ok = t == VMX_EV_NMI || (t == VMX_EV_HW_EXC && v == 18);
		break;
	default:
		ok = false;
	}
	return !ok && report(f, c->intr_info, INTR_INFO_VALID, 0);
}

static bool intr_sti_movss(const struct chk *c, const struct chk_rule *r,
			   struct vmxlab_check_failure *f)
{
	u32 both = INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS;

	return (c->intr_state & both) == both &&
	       report(f, c->intr_state, both, INTERRUPTIBILITY_STI);
}

static bool intr_sti_if(const struct chk *c, const struct chk_rule *r,
			struct vmxlab_check_failure *f)
{
	return !(c->rflags & CHK_RFLAGS_IF) &&
	       differ(f, c->intr_state, INTERRUPTIBILITY_STI, 0);
}

/* Injected event of type @arg: the blocking bits @rbit must be clear. */
static bool event_blocked(const struct chk *c, const struct chk_rule *r,
			  struct vmxlab_check_failure *f)
{
	return c->ev_type == r->arg && differ(f, c->intr_state, r->rbit, 0);
}

/*
 * BS, the pending single-step trap (SDM 27.3.1.5): when blocking by STI
 * or MOV SS, or HLT, holds a trap back, BS must say whether RFLAGS.TF
 * armed one (TF=1 with IA32_DEBUGCTL.BTF=0).  @arg: 1 for the rule "must
 * be set", 0 for "must be clear".
 */
static bool pending_bs(const struct chk *c, const struct chk_rule *r,
		       struct vmxlab_check_failure *f)
{
	bool held = (c->intr_state & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS)) ||
		    c->activity == ACTIVITY_HLT;
	bool armed = (c->rflags & CHK_RFLAGS_TF) &&
		     !(rd(c, VMCS_GUEST_IA32_DEBUGCTL) & CHK_DEBUGCTL_BTF);

	if (!held || armed != !!r->arg)
		return false;
	return differ(f, rd(c, r->field[0]), VMX_DBG_BS,
		      armed ? VMX_DBG_BS : 0);
}

static bool pending_rtm(const struct chk *c, const struct chk_rule *r,
			struct vmxlab_check_failure *f)
{
	u64 v = rd(c, r->field[0]);

	return (v & PENDING_DBG_RTM) &&
	       differ(f, v, GENMASK_ULL(11, 0) | VMX_DBG_BS, 0);
}

/*
 * The VMCS link pointer: all ones unless a shadow VMCS hangs there (SDM
 * 27.3.1.5).  @arg picks the check: 0 alignment, 1 width, 2 shadowing.
 */
static bool link_pointer(const struct chk *c, const struct chk_rule *r,
			 struct vmxlab_check_failure *f)
{
	u64 link = rd(c, r->field[0]);

	if (link == ~0ULL)
		return false;
	switch (r->arg) {
	case 0:
		return differ(f, link, 0xfff, 0);
	case 1:
		return differ(f, link, above(c->vmx_pa_bits), 0);
	default:
		return !(c->ctl[W_PROC2] & PROC2_SHADOW_VMCS) &&
		       report(f, link, ~0ULL, ~0ULL);
	}
}

/*
 * PAE paging outside IA-32e mode with EPT: the processor takes the four
 * PDPTEs from these fields, and a present one sets no reserved bit (SDM
 * 27.3.1.6, Vol. 3A 4.4.1).  Without EPT they come from guest memory and
 * are not checked here.
 */
static bool pdpte(const struct chk *c, const struct chk_rule *r,
		  struct vmxlab_check_failure *f)
{
	u64 v = rd(c, r->field[0]);

	if (!(c->cr0 & CRR_CR0_PG) || !(c->cr4 & CRR_CR4_PAE) || c->ia32e ||
	    !(v & 1))
		return false;
	return differ(f, v, above(c->pa_bits) | CHK_PDPTE_RESERVED, 0);
}

/* ---- the table -------------------------------------------------------- */

/* A rule that applies when control word @w_ has @b_ set. */
#define RULE_IF(id_, w_, b_, fn_, ...) {				\
	.id = VMXLAB_CHECK_##id_, .word = W_##w_, .bit = (b_),		\
	.fails = (fn_), __VA_ARGS__ }
#define RULE(id_, fn_, ...)	RULE_IF(id_, ALL, 0, fn_, __VA_ARGS__)
/* A rule about the injected event: only when the valid bit is set. */
#define EVENT(id_, fn_, ...)	RULE(id_, fn_, .event = true, __VA_ARGS__)
/* "Control @w_ @b_ = 1 needs control @rw_ @rb_ = @set_". */
#define NEEDS(id_, w_, b_, rw_, rb_, set_)				\
	RULE_IF(id_, w_, b_, needs_control, .rword = W_##rw_,		\
		.rbit = (rb_), .rset = (set_), .field = { FIELD_##rw_ })
/* A rule on segment register @s_, reporting its access rights... */
#define SEG(id_, s_, fn_, ...)						\
	RULE(id_, fn_, .seg = VMX_SEG_##s_,				\
	     .field = { VMCS_GUEST_SEG_AR(VMX_SEG_##s_),			\
			VMCS_GUEST_SEG_SELECTOR(VMX_SEG_##s_),		\
			VMCS_GUEST_SEG_LIMIT(VMX_SEG_##s_) }, __VA_ARGS__)
/* ...or another of its fields, @which_ being VMCS_GUEST_SEG_BASE, ... */
#define SEGF(id_, s_, fn_, which_)					\
	RULE(id_, fn_, .seg = VMX_SEG_##s_,				\
	     .field = { which_(VMX_SEG_##s_), VMCS_GUEST_SEG_AR(VMX_SEG_##s_) })
/* The selector of host register @r_: RPL and TI 0 (SDM 27.2.3). */
#define HOST_SEL(r_)							\
	RULE(HOST_##r_##_SEL, bits_clear, .arg = 7,			\
	     .field = { VMCS_HOST_##r_##_SELECTOR })

/*
 * In the SDM's order, which is the order failures are reported in; the
 * numbers of the rules added later do not follow it.
 */
static const struct chk_rule chk_rules[] = {
	/* 27.2.1.1 VM-execution control fields */
	RULE(PIN_RESERVED, ctl_reserved, .rword = W_PIN,
	     .field = { FIELD_PIN }),
	RULE(PROC_RESERVED, ctl_reserved, .rword = W_PROC,
	     .field = { FIELD_PROC }),
	/* Not checked at all unless "activate secondary controls" is 1. */
	RULE_IF(PROC2_RESERVED, PROC, PROC_SECONDARY, ctl_reserved,
		.rword = W_PROC2, .field = { FIELD_PROC2 }),
	RULE(CR3_TARGET_COUNT, at_most, .arg = 4,
	     .field = { VMCS_CR3_TARGET_COUNT }),
	RULE_IF(IO_BITMAP_A_ALIGN, PROC, PROC_IO_BITMAPS, addr_align,
		.arg = 0xfff, .field = { VMCS_IO_BITMAP_A }),
	RULE_IF(IO_BITMAP_A_WIDTH, PROC, PROC_IO_BITMAPS, addr_width,
		.field = { VMCS_IO_BITMAP_A }),
	RULE_IF(IO_BITMAP_B_ALIGN, PROC, PROC_IO_BITMAPS, addr_align,
		.arg = 0xfff, .field = { VMCS_IO_BITMAP_B }),
	RULE_IF(IO_BITMAP_B_WIDTH, PROC, PROC_IO_BITMAPS, addr_width,
		.field = { VMCS_IO_BITMAP_B }),
	RULE_IF(MSR_BITMAP_ALIGN, PROC, PROC_MSR_BITMAPS, addr_align,
		.arg = 0xfff, .field = { VMCS_MSR_BITMAP }),
	RULE_IF(MSR_BITMAP_WIDTH, PROC, PROC_MSR_BITMAPS, addr_width,
		.field = { VMCS_MSR_BITMAP }),
	RULE_IF(VAPIC_ALIGN, PROC, PROC_TPR_SHADOW, addr_align,
		.arg = 0xfff, .field = { VMCS_VIRTUAL_APIC_PAGE_ADDR }),
	RULE_IF(VAPIC_WIDTH, PROC, PROC_TPR_SHADOW, addr_width,
		.field = { VMCS_VIRTUAL_APIC_PAGE_ADDR }),
	RULE_IF(TPR_THRESHOLD, PROC, PROC_TPR_SHADOW, tpr_threshold,
		.field = { VMCS_TPR_THRESHOLD, FIELD_PROC2 }),
	NEEDS(X2APIC_NEEDS_TPR_SHADOW, PROC2, PROC2_X2APIC,
	      PROC, PROC_TPR_SHADOW, true),
	NEEDS(APIC_REG_NEEDS_TPR_SHADOW, PROC2, PROC2_APIC_REG,
	      PROC, PROC_TPR_SHADOW, true),
	NEEDS(VID_NEEDS_TPR_SHADOW, PROC2, PROC2_VID,
	      PROC, PROC_TPR_SHADOW, true),
	NEEDS(VNMI_NEEDS_NMI_EXITING, PIN, PIN_VIRTUAL_NMIS,
	      PIN, PIN_NMI, true),
	NEEDS(NMI_WINDOW_NEEDS_VNMI, PROC, PROC_NMI_WINDOW,
	      PIN, PIN_VIRTUAL_NMIS, true),
	RULE_IF(APIC_ACCESS_ALIGN, PROC2, PROC2_APIC_ACCESS, addr_align,
		.arg = 0xfff, .field = { VMCS_APIC_ACCESS_ADDR }),
	RULE_IF(APIC_ACCESS_WIDTH, PROC2, PROC2_APIC_ACCESS, addr_width,
		.field = { VMCS_APIC_ACCESS_ADDR }),
	NEEDS(X2APIC_AND_APIC_ACCESS, PROC2, PROC2_X2APIC,
	      PROC2, PROC2_APIC_ACCESS, false),
	NEEDS(VID_NEEDS_EXT_INTR_EXITING, PROC2, PROC2_VID,
	      PIN, PIN_EXT_INTR, true),
	NEEDS(PI_NEEDS_VID, PIN, PIN_POSTED_INTR,
	      PROC2, PROC2_VID, true),
	NEEDS(PI_NEEDS_ACK_INTR, PIN, PIN_POSTED_INTR,
	      EXIT, EXIT_ACK_INTR, true),
	RULE_IF(PI_VECTOR, PIN, PIN_POSTED_INTR, bits_clear,
		.arg = GENMASK(15, 8),
		.field = { VMCS_POSTED_INTR_NOTIFICATION_VECTOR }),
	RULE_IF(PI_DESC_ALIGN, PIN, PIN_POSTED_INTR, addr_align,
		.arg = 0x3f, .field = { VMCS_POSTED_INTR_DESC_ADDR }),
	RULE_IF(PI_DESC_WIDTH, PIN, PIN_POSTED_INTR, addr_width,
		.field = { VMCS_POSTED_INTR_DESC_ADDR }),
	RULE_IF(VPID_ZERO, PROC2, PROC2_VPID, vpid_zero,
		.field = { VMCS_VIRTUAL_PROCESSOR_ID }),
	RULE_IF(EPTP_MEMTYPE, PROC2, PROC2_EPT, eptp_memtype,
		.field = { VMCS_EPT_POINTER }),
	RULE_IF(EPTP_WALK_LENGTH, PROC2, PROC2_EPT, eptp_walk,
		.field = { VMCS_EPT_POINTER }),
	RULE_IF(EPTP_AD, PROC2, PROC2_EPT, eptp_ad,
		.field = { VMCS_EPT_POINTER }),
	/* Bit 7 (supervisor shadow-stack control) is left to the CPU. */
	RULE_IF(EPTP_RESERVED, PROC2, PROC2_EPT, bits_clear,
		.arg = GENMASK(11, 8), .field = { VMCS_EPT_POINTER }),
	RULE_IF(EPTP_WIDTH, PROC2, PROC2_EPT, eptp_width,
		.field = { VMCS_EPT_POINTER }),
	NEEDS(UG_NEEDS_EPT, PROC2, PROC2_UNRESTRICTED,
	      PROC2, PROC2_EPT, true),
	NEEDS(PML_NEEDS_EPT, PROC2, PROC2_PML, PROC2, PROC2_EPT, true),
	RULE_IF(PML_ALIGN, PROC2, PROC2_PML, addr_align,
		.arg = 0xfff, .field = { VMCS_PML_ADDRESS }),
	RULE_IF(PML_WIDTH, PROC2, PROC2_PML, addr_width,
		.field = { VMCS_PML_ADDRESS }),
	NEEDS(MBEC_NEEDS_EPT, PROC2, PROC2_MBEC,
	      PROC2, PROC2_EPT, true),
	NEEDS(SPP_NEEDS_EPT, PROC2, PROC2_SPP, PROC2, PROC2_EPT, true),
	RULE_IF(SPPTP_ALIGN, PROC2, PROC2_SPP, addr_align,
		.arg = 0xfff, .field = { VMCS_SPP_TABLE_POINTER }),
	RULE_IF(SPPTP_WIDTH, PROC2, PROC2_SPP, addr_width,
		.field = { VMCS_SPP_TABLE_POINTER }),
	NEEDS(PT_GPA_NEEDS_EPT, PROC2, PROC2_PT_GPA,
	      PROC2, PROC2_EPT, true),
	NEEDS(PT_GPA_NEEDS_LOAD_RTIT, PROC2, PROC2_PT_GPA,
	      ENTRY, ENTRY_LOAD_RTIT, true),
	NEEDS(PT_GPA_NEEDS_CLEAR_RTIT, PROC2, PROC2_PT_GPA,
	      EXIT, EXIT_CLEAR_RTIT, true),
	RULE_IF(VMFUNC_RESERVED, PROC2, PROC2_VMFUNC, vmfunc_reserved,
		.field = { VMCS_VM_FUNCTION_CONTROL }),
	RULE_IF(EPTP_SWITCH_NEEDS_EPT, PROC2, PROC2_VMFUNC,
		eptp_switch_needs_ept, .rword = W_PROC2,
		.rbit = PROC2_EPT, .rset = true,
		.field = { FIELD_PROC2, VMCS_VM_FUNCTION_CONTROL }),
	RULE_IF(EPTP_LIST_ALIGN, PROC2, PROC2_VMFUNC, eptp_list_align,
		.arg = 0xfff, .field = { VMCS_EPTP_LIST_ADDRESS }),
	RULE_IF(EPTP_LIST_WIDTH, PROC2, PROC2_VMFUNC, eptp_list_width,
		.field = { VMCS_EPTP_LIST_ADDRESS }),
	RULE_IF(VMREAD_BITMAP_ALIGN, PROC2, PROC2_SHADOW_VMCS, addr_align,
		.arg = 0xfff, .field = { VMCS_VMREAD_BITMAP }),
	RULE_IF(VMREAD_BITMAP_WIDTH, PROC2, PROC2_SHADOW_VMCS, addr_width,
		.field = { VMCS_VMREAD_BITMAP }),
	RULE_IF(VMWRITE_BITMAP_ALIGN, PROC2, PROC2_SHADOW_VMCS, addr_align,
		.arg = 0xfff, .field = { VMCS_VMWRITE_BITMAP }),
	RULE_IF(VMWRITE_BITMAP_WIDTH, PROC2, PROC2_SHADOW_VMCS, addr_width,
		.field = { VMCS_VMWRITE_BITMAP }),
	RULE_IF(VE_INFO_ALIGN, PROC2, PROC2_EPT_VE, addr_align,
		.arg = 0xfff, .field = { VMCS_VE_INFORMATION_ADDRESS }),
	RULE_IF(VE_INFO_WIDTH, PROC2, PROC2_EPT_VE, addr_width,
		.field = { VMCS_VE_INFORMATION_ADDRESS }),

	/* 27.2.1.2 VM-exit control fields */
	RULE(EXIT_RESERVED, ctl_reserved, .rword = W_EXIT,
	     .field = { FIELD_EXIT }),
	NEEDS(SAVE_TIMER_NEEDS_TIMER, EXIT, EXIT_SAVE_PREEMPT_TIMER,
	      PIN, PIN_PREEMPTION_TIMER, true),
	RULE(EXIT_MSR_STORE_ALIGN, msr_area_align,
	     .field = { VMCS_VM_EXIT_MSR_STORE_ADDR,
			VMCS_VM_EXIT_MSR_STORE_COUNT }),
	RULE(EXIT_MSR_STORE_WIDTH, msr_area_width,
	     .field = { VMCS_VM_EXIT_MSR_STORE_ADDR,
			VMCS_VM_EXIT_MSR_STORE_COUNT }),
	RULE(EXIT_MSR_LOAD_ALIGN, msr_area_align,
	     .field = { VMCS_VM_EXIT_MSR_LOAD_ADDR,
			VMCS_VM_EXIT_MSR_LOAD_COUNT }),
	RULE(EXIT_MSR_LOAD_WIDTH, msr_area_width,
	     .field = { VMCS_VM_EXIT_MSR_LOAD_ADDR,
			VMCS_VM_EXIT_MSR_LOAD_COUNT }),

	/* 27.2.1.3 VM-entry control fields */
	RULE(ENTRY_RESERVED, ctl_reserved, .rword = W_ENTRY,
	     .field = { FIELD_ENTRY }),
	EVENT(EVENT_TYPE, event_type, .field = { FIELD_EVENT }),
	EVENT(EVENT_NMI_VECTOR, event_vector, .arg = VMX_EV_NMI,
	      .field = { FIELD_EVENT }),
	EVENT(EVENT_EXC_VECTOR, event_vector, .arg = VMX_EV_HW_EXC,
	      .field = { FIELD_EVENT }),
	EVENT(EVENT_OTHER_VECTOR, event_vector, .arg = VMX_EV_OTHER,
	      .field = { FIELD_EVENT }),
	EVENT(EVENT_ERRCODE_BIT, event_errcode_bit,
	      .field = { FIELD_EVENT, VMCS_GUEST_CR0 }),
	EVENT(EVENT_RESERVED, bits_clear, .arg = INTR_INFO_RESERVED,
	      .field = { FIELD_EVENT }),
	EVENT(EVENT_ERRCODE_HIGH, event_errcode_high,
	      .field = { VMCS_VM_ENTRY_EXCEPTION_ERROR_CODE, FIELD_EVENT }),
	EVENT(EVENT_INSN_LEN, event_insn_len,
	      .field = { VMCS_VM_ENTRY_INSTRUCTION_LEN, FIELD_EVENT }),
	RULE(ENTRY_MSR_LOAD_ALIGN, msr_area_align,
	     .field = { VMCS_VM_ENTRY_MSR_LOAD_ADDR,
			VMCS_VM_ENTRY_MSR_LOAD_COUNT }),
	RULE(ENTRY_MSR_LOAD_WIDTH, msr_area_width,
	     .field = { VMCS_VM_ENTRY_MSR_LOAD_ADDR,
			VMCS_VM_ENTRY_MSR_LOAD_COUNT }),
	/* vmxlab never runs in SMM, where these two would be allowed. */
	RULE(ENTRY_SMM, bits_clear, .arg = ENTRY_TO_SMM,
	     .field = { FIELD_ENTRY }),
	RULE(ENTRY_DUAL_MONITOR, bits_clear, .arg = ENTRY_DEACT_DUAL_MONITOR,
	     .field = { FIELD_ENTRY }),

	/* 27.2.2 host control registers and MSRs */
	RULE(HOST_CR0_FIXED0, cr_fixed0, .field = { VMCS_HOST_CR0 }),
	RULE(HOST_CR0_FIXED1, cr_fixed1, .field = { VMCS_HOST_CR0 }),
	RULE(HOST_CR4_FIXED0, cr_fixed0, .field = { VMCS_HOST_CR4 }),
	RULE(HOST_CR4_FIXED1, cr_fixed1, .field = { VMCS_HOST_CR4 }),
	RULE(HOST_CR3_WIDTH, cr3_width, .field = { VMCS_HOST_CR3 }),
	RULE(HOST_CET_NEEDS_WP, cet_needs_wp,
	     .field = { VMCS_HOST_CR0, VMCS_HOST_CR4 }),
	RULE(HOST_SYSENTER_ESP, canonical,
	     .field = { VMCS_HOST_IA32_SYSENTER_ESP }),
	RULE(HOST_SYSENTER_EIP, canonical,
	     .field = { VMCS_HOST_IA32_SYSENTER_EIP }),
	RULE_IF(HOST_PAT, EXIT, EXIT_LOAD_PAT, pat_valid,
		.field = { VMCS_HOST_IA32_PAT }),
	RULE_IF(HOST_EFER_RESERVED, EXIT, EXIT_LOAD_EFER, bits_clear,
		.arg = CHK_EFER_RESERVED, .field = { VMCS_HOST_IA32_EFER }),
	RULE_IF(HOST_EFER_LMA, EXIT, EXIT_LOAD_EFER, host_efer_bit,
		.arg = CRR_EFER_LMA, .field = { VMCS_HOST_IA32_EFER }),
	RULE_IF(HOST_EFER_LME, EXIT, EXIT_LOAD_EFER, host_efer_bit,
		.arg = CRR_EFER_LME, .field = { VMCS_HOST_IA32_EFER }),
	RULE_IF(HOST_PKRS, EXIT, EXIT_LOAD_PKRS, bits_clear,
		.arg = GENMASK_ULL(63, 32), .field = { VMCS_HOST_IA32_PKRS }),
	RULE_IF(HOST_S_CET_RESERVED, EXIT, EXIT_LOAD_CET, bits_clear,
		.arg = CHK_S_CET_RESERVED, .field = { VMCS_HOST_S_CET }),
	RULE_IF(HOST_S_CET_CANON, EXIT, EXIT_LOAD_CET, canonical,
		.field = { VMCS_HOST_S_CET }),
	RULE_IF(HOST_S_CET_ENDBR, EXIT, EXIT_LOAD_CET, cet_endbr,
		.field = { VMCS_HOST_S_CET }),
	RULE_IF(HOST_SSP_ALIGN, EXIT, EXIT_LOAD_CET, bits_clear,
		.arg = 3, .field = { VMCS_HOST_SSP }),
	RULE_IF(HOST_SSP_CANON, EXIT, EXIT_LOAD_CET, canonical,
		.field = { VMCS_HOST_SSP }),
	RULE_IF(HOST_ISST_CANON, EXIT, EXIT_LOAD_CET, canonical,
		.field = { VMCS_HOST_INTR_SSP_TABLE_ADDR }),

	/* 27.2.3 host segment and descriptor-table registers */
	HOST_SEL(ES), HOST_SEL(CS), HOST_SEL(SS), HOST_SEL(DS),
	HOST_SEL(FS), HOST_SEL(GS), HOST_SEL(TR),
	RULE(HOST_CS_SEL_ZERO, sel_nonzero,
	     .field = { VMCS_HOST_CS_SELECTOR }),
	RULE(HOST_TR_SEL_ZERO, sel_nonzero,
	     .field = { VMCS_HOST_TR_SELECTOR }),
	RULE(HOST_SS_SEL_ZERO, host_ss_nonzero,
	     .field = { VMCS_HOST_SS_SELECTOR, FIELD_EXIT }),
	RULE(HOST_FS_BASE, canonical, .field = { VMCS_HOST_FS_BASE }),
	RULE(HOST_GS_BASE, canonical, .field = { VMCS_HOST_GS_BASE }),
	RULE(HOST_TR_BASE, canonical, .field = { VMCS_HOST_TR_BASE }),
	RULE(HOST_GDTR_BASE, canonical, .field = { VMCS_HOST_GDTR_BASE }),
	RULE(HOST_IDTR_BASE, canonical, .field = { VMCS_HOST_IDTR_BASE }),

	/* 27.2.4 address-space size */
	RULE(HOST_ADDR_SPACE, host_addr_space, .field = { FIELD_EXIT }),
	NEEDS(HOST32_IA32E_GUEST, ENTRY, ENTRY_IA32E_GUEST,
	      EXIT, EXIT_HOST_64, true),
	RULE(HOST32_PCIDE, host32_bits_clear, .arg = CRR_CR4_PCIDE,
	     .field = { VMCS_HOST_CR4, FIELD_EXIT }),
	RULE(HOST32_RIP, host32_bits_clear, .arg = GENMASK_ULL(63, 32),
	     .field = { VMCS_HOST_RIP, FIELD_EXIT }),
	RULE(HOST64_PAE, host64_pae, .field = { VMCS_HOST_CR4, FIELD_EXIT }),
	RULE(HOST64_RIP, host64_rip, .field = { VMCS_HOST_RIP, FIELD_EXIT }),

	/* 27.3.1.1 guest control registers, debug registers and MSRs */
	RULE(GUEST_CR0_FIXED0, cr_fixed0, .field = { VMCS_GUEST_CR0 }),
	RULE(GUEST_CR0_FIXED1, cr_fixed1, .field = { VMCS_GUEST_CR0 }),
	RULE(GUEST_CR0_PG_PE, guest_pg_pe, .field = { VMCS_GUEST_CR0 }),
	RULE(GUEST_CR4_FIXED0, cr_fixed0, .field = { VMCS_GUEST_CR4 }),
	RULE(GUEST_CR4_FIXED1, cr_fixed1, .field = { VMCS_GUEST_CR4 }),
	RULE(GUEST_CET_NEEDS_WP, cet_needs_wp,
	     .field = { VMCS_GUEST_CR0, VMCS_GUEST_CR4 }),
	/*
	 * Bits 5:3 and 63:16 are reserved on every processor with VMX;
	 * bit 2 (bus-lock detection) and the rest depend on the model.
	 */
	RULE_IF(GUEST_DEBUGCTL, ENTRY, ENTRY_LOAD_DEBUG, bits_clear,
		.arg = GENMASK_ULL(63, 16) | GENMASK_ULL(5, 3),
		.field = { VMCS_GUEST_IA32_DEBUGCTL }),
	RULE_IF(GUEST_IA32E_PG, ENTRY, ENTRY_IA32E_GUEST, bit_set,
		.arg = CRR_CR0_PG, .field = { VMCS_GUEST_CR0 }),
	RULE_IF(GUEST_IA32E_PAE, ENTRY, ENTRY_IA32E_GUEST, bit_set,
		.arg = CRR_CR4_PAE, .field = { VMCS_GUEST_CR4 }),
	RULE(GUEST_PCIDE, guest_pcide, .field = { VMCS_GUEST_CR4, FIELD_ENTRY }),
	RULE(GUEST_CR3_WIDTH, cr3_width, .field = { VMCS_GUEST_CR3 }),
	RULE_IF(GUEST_DR7, ENTRY, ENTRY_LOAD_DEBUG, bits_clear,
		.arg = GENMASK_ULL(63, 32), .field = { VMCS_GUEST_DR7 }),
	RULE(GUEST_SYSENTER_ESP, canonical,
	     .field = { VMCS_GUEST_SYSENTER_ESP }),
	RULE(GUEST_SYSENTER_EIP, canonical,
	     .field = { VMCS_GUEST_SYSENTER_EIP }),
	RULE_IF(GUEST_PAT, ENTRY, ENTRY_LOAD_PAT, pat_valid,
		.field = { VMCS_GUEST_IA32_PAT }),
	RULE_IF(GUEST_EFER_RESERVED, ENTRY, ENTRY_LOAD_EFER, bits_clear,
		.arg = CHK_EFER_RESERVED, .field = { VMCS_GUEST_IA32_EFER }),
	RULE_IF(GUEST_EFER_LMA, ENTRY, ENTRY_LOAD_EFER, guest_efer_lma,
		.field = { VMCS_GUEST_IA32_EFER, FIELD_ENTRY }),
	RULE_IF(GUEST_EFER_LME, ENTRY, ENTRY_LOAD_EFER, guest_efer_lme,
		.field = { VMCS_GUEST_IA32_EFER, VMCS_GUEST_CR0 }),
	RULE_IF(GUEST_BNDCFGS_RESERVED, ENTRY, ENTRY_LOAD_BNDCFGS,
		bits_clear, .arg = GENMASK(11, 2),
		.field = { VMCS_GUEST_IA32_BNDCFGS }),
	RULE_IF(GUEST_BNDCFGS_BASE, ENTRY, ENTRY_LOAD_BNDCFGS,
		bndcfgs_base, .field = { VMCS_GUEST_IA32_BNDCFGS }),
	RULE_IF(GUEST_PKRS, ENTRY, ENTRY_LOAD_PKRS, bits_clear,
		.arg = GENMASK_ULL(63, 32), .field = { VMCS_GUEST_IA32_PKRS }),
	RULE_IF(GUEST_S_CET_RESERVED, ENTRY, ENTRY_LOAD_CET, bits_clear,
		.arg = CHK_S_CET_RESERVED, .field = { VMCS_GUEST_S_CET }),
	RULE_IF(GUEST_S_CET_CANON, ENTRY, ENTRY_LOAD_CET, canonical,
		.field = { VMCS_GUEST_S_CET }),
	RULE_IF(GUEST_S_CET_ENDBR, ENTRY, ENTRY_LOAD_CET, cet_endbr,
		.field = { VMCS_GUEST_S_CET }),
	RULE_IF(GUEST_SSP_ALIGN, ENTRY, ENTRY_LOAD_CET, bits_clear,
		.arg = 3, .field = { VMCS_GUEST_SSP }),
	RULE_IF(GUEST_SSP_CANON, ENTRY, ENTRY_LOAD_CET, canonical,
		.field = { VMCS_GUEST_SSP }),
	RULE_IF(GUEST_ISST_CANON, ENTRY, ENTRY_LOAD_CET, canonical,
		.field = { VMCS_GUEST_INTR_SSP_TABLE_ADDR }),

	/* 27.3.1.2 guest segment registers */
	SEGF(GUEST_TR_TI, TR, selector_ti, VMCS_GUEST_SEG_SELECTOR),
	SEGF(GUEST_LDTR_TI, LDTR, selector_ti, VMCS_GUEST_SEG_SELECTOR),
	RULE(GUEST_SS_RPL, ss_rpl,
	     .field = { VMCS_GUEST_SS_SELECTOR, VMCS_GUEST_CS_SELECTOR }),
	SEGF(GUEST_V86_ES_BASE, ES, v86_base, VMCS_GUEST_SEG_BASE),
	SEGF(GUEST_V86_CS_BASE, CS, v86_base, VMCS_GUEST_SEG_BASE),
	SEGF(GUEST_V86_SS_BASE, SS, v86_base, VMCS_GUEST_SEG_BASE),
	SEGF(GUEST_V86_DS_BASE, DS, v86_base, VMCS_GUEST_SEG_BASE),
	SEGF(GUEST_V86_FS_BASE, FS, v86_base, VMCS_GUEST_SEG_BASE),
	SEGF(GUEST_V86_GS_BASE, GS, v86_base, VMCS_GUEST_SEG_BASE),
	SEGF(GUEST_V86_ES_LIMIT, ES, v86_limit, VMCS_GUEST_SEG_LIMIT),
	SEGF(GUEST_V86_CS_LIMIT, CS, v86_limit, VMCS_GUEST_SEG_LIMIT),
	SEGF(GUEST_V86_SS_LIMIT, SS, v86_limit, VMCS_GUEST_SEG_LIMIT),
	SEGF(GUEST_V86_DS_LIMIT, DS, v86_limit, VMCS_GUEST_SEG_LIMIT),
	SEGF(GUEST_V86_FS_LIMIT, FS, v86_limit, VMCS_GUEST_SEG_LIMIT),
	SEGF(GUEST_V86_GS_LIMIT, GS, v86_limit, VMCS_GUEST_SEG_LIMIT),
	SEGF(GUEST_V86_ES_AR, ES, v86_ar, VMCS_GUEST_SEG_AR),
	SEGF(GUEST_V86_CS_AR, CS, v86_ar, VMCS_GUEST_SEG_AR),
	SEGF(GUEST_V86_SS_AR, SS, v86_ar, VMCS_GUEST_SEG_AR),
	SEGF(GUEST_V86_DS_AR, DS, v86_ar, VMCS_GUEST_SEG_AR),
	SEGF(GUEST_V86_FS_AR, FS, v86_ar, VMCS_GUEST_SEG_AR),
	SEGF(GUEST_V86_GS_AR, GS, v86_ar, VMCS_GUEST_SEG_AR),
	SEGF(GUEST_FS_BASE, FS, seg_base_canonical, VMCS_GUEST_SEG_BASE),
	SEGF(GUEST_GS_BASE, GS, seg_base_canonical, VMCS_GUEST_SEG_BASE),
	SEGF(GUEST_LDTR_BASE, LDTR, seg_base_canonical, VMCS_GUEST_SEG_BASE),
	SEGF(GUEST_TR_BASE, TR, seg_base_canonical, VMCS_GUEST_SEG_BASE),
	SEGF(GUEST_CS_BASE_HIGH, CS, seg_base_high, VMCS_GUEST_SEG_BASE),
	SEGF(GUEST_SS_BASE_HIGH, SS, seg_base_high, VMCS_GUEST_SEG_BASE),
	SEGF(GUEST_DS_BASE_HIGH, DS, seg_base_high, VMCS_GUEST_SEG_BASE),
	SEGF(GUEST_ES_BASE_HIGH, ES, seg_base_high, VMCS_GUEST_SEG_BASE),
	SEG(GUEST_CS_TYPE, CS, cs_type),
	SEG(GUEST_SS_TYPE, SS, ss_type),
	SEG(GUEST_DS_ACCESSED, DS, ar_bits, .rbit = 1, .arg = 1),
	SEG(GUEST_ES_ACCESSED, ES, ar_bits, .rbit = 1, .arg = 1),
	SEG(GUEST_FS_ACCESSED, FS, ar_bits, .rbit = 1, .arg = 1),
	SEG(GUEST_GS_ACCESSED, GS, ar_bits, .rbit = 1, .arg = 1),
	SEG(GUEST_DS_READABLE, DS, data_readable),
	SEG(GUEST_ES_READABLE, ES, data_readable),
	SEG(GUEST_FS_READABLE, FS, data_readable),
	SEG(GUEST_GS_READABLE, GS, data_readable),
	SEG(GUEST_ES_S, ES, ar_bits, .rbit = VMX_AR_S, .arg = VMX_AR_S),
	SEG(GUEST_CS_S, CS, ar_bits, .rbit = VMX_AR_S, .arg = VMX_AR_S),
	SEG(GUEST_SS_S, SS, ar_bits, .rbit = VMX_AR_S, .arg = VMX_AR_S),
	SEG(GUEST_DS_S, DS, ar_bits, .rbit = VMX_AR_S, .arg = VMX_AR_S),
	SEG(GUEST_FS_S, FS, ar_bits, .rbit = VMX_AR_S, .arg = VMX_AR_S),
	SEG(GUEST_GS_S, GS, ar_bits, .rbit = VMX_AR_S, .arg = VMX_AR_S),
	SEG(GUEST_CS_DPL_TYPE3, CS, cs_dpl, .arg = 3),
	SEG(GUEST_CS_DPL_NONCONF, CS, cs_dpl, .arg = 9),
	SEG(GUEST_CS_DPL_CONF, CS, cs_dpl, .arg = 13),
	SEG(GUEST_SS_DPL_RPL, SS, ss_dpl_rpl),
	SEG(GUEST_SS_DPL_ZERO, SS, ss_dpl_zero),
	SEG(GUEST_DS_DPL, DS, data_dpl),
	SEG(GUEST_ES_DPL, ES, data_dpl),
	SEG(GUEST_FS_DPL, FS, data_dpl),
	SEG(GUEST_GS_DPL, GS, data_dpl),
	SEG(GUEST_ES_P, ES, ar_bits, .rbit = VMX_AR_P, .arg = VMX_AR_P),
	SEG(GUEST_CS_P, CS, ar_bits, .rbit = VMX_AR_P, .arg = VMX_AR_P),
	SEG(GUEST_SS_P, SS, ar_bits, .rbit = VMX_AR_P, .arg = VMX_AR_P),
	SEG(GUEST_DS_P, DS, ar_bits, .rbit = VMX_AR_P, .arg = VMX_AR_P),
	SEG(GUEST_FS_P, FS, ar_bits, .rbit = VMX_AR_P, .arg = VMX_AR_P),
	SEG(GUEST_GS_P, GS, ar_bits, .rbit = VMX_AR_P, .arg = VMX_AR_P),
	SEG(GUEST_ES_AR_11_8, ES, ar_bits, .rbit = VMX_AR_11_8),
	SEG(GUEST_CS_AR_11_8, CS, ar_bits, .rbit = VMX_AR_11_8),
	SEG(GUEST_SS_AR_11_8, SS, ar_bits, .rbit = VMX_AR_11_8),
	SEG(GUEST_DS_AR_11_8, DS, ar_bits, .rbit = VMX_AR_11_8),
	SEG(GUEST_FS_AR_11_8, FS, ar_bits, .rbit = VMX_AR_11_8),
	SEG(GUEST_GS_AR_11_8, GS, ar_bits, .rbit = VMX_AR_11_8),
	SEG(GUEST_CS_DB, CS, cs_db),
	SEG(GUEST_ES_G, ES, ar_granularity),
	SEG(GUEST_CS_G, CS, ar_granularity),
	SEG(GUEST_SS_G, SS, ar_granularity),
	SEG(GUEST_DS_G, DS, ar_granularity),
	SEG(GUEST_FS_G, FS, ar_granularity),
	SEG(GUEST_GS_G, GS, ar_granularity),
	SEG(GUEST_ES_AR_31_17, ES, ar_bits, .rbit = VMX_AR_31_17),
	SEG(GUEST_CS_AR_31_17, CS, ar_bits, .rbit = VMX_AR_31_17),
	SEG(GUEST_SS_AR_31_17, SS, ar_bits, .rbit = VMX_AR_31_17),
	SEG(GUEST_DS_AR_31_17, DS, ar_bits, .rbit = VMX_AR_31_17),
	SEG(GUEST_FS_AR_31_17, FS, ar_bits, .rbit = VMX_AR_31_17),
	SEG(GUEST_GS_AR_31_17, GS, ar_bits, .rbit = VMX_AR_31_17),
	SEG(GUEST_TR_TYPE, TR, tr_type),
	SEG(GUEST_TR_S, TR, ar_bits, .rbit = VMX_AR_S),
	SEG(GUEST_TR_P, TR, ar_bits, .rbit = VMX_AR_P, .arg = VMX_AR_P),
	SEG(GUEST_TR_AR_11_8, TR, ar_bits, .rbit = VMX_AR_11_8),
	SEG(GUEST_TR_G, TR, ar_granularity),
	SEG(GUEST_TR_UNUSABLE, TR, ar_bits, .rbit = VMX_AR_UNUSABLE),
	SEG(GUEST_TR_AR_31_17, TR, ar_bits, .rbit = VMX_AR_31_17),
	SEG(GUEST_LDTR_TYPE, LDTR, ar_bits, .rbit = VMX_AR_TYPE, .arg = 2),
	SEG(GUEST_LDTR_S, LDTR, ar_bits, .rbit = VMX_AR_S),
	SEG(GUEST_LDTR_P, LDTR, ar_bits, .rbit = VMX_AR_P, .arg = VMX_AR_P),
	SEG(GUEST_LDTR_AR_11_8, LDTR, ar_bits, .rbit = VMX_AR_11_8),
	SEG(GUEST_LDTR_G, LDTR, ar_granularity),
	SEG(GUEST_LDTR_AR_31_17, LDTR, ar_bits, .rbit = VMX_AR_31_17),

	/* 27.3.1.3 guest descriptor-table registers */
	RULE(GUEST_GDTR_BASE, canonical, .field = { VMCS_GUEST_GDTR_BASE }),
	RULE(GUEST_IDTR_BASE, canonical, .field = { VMCS_GUEST_IDTR_BASE }),
	RULE(GUEST_GDTR_LIMIT, bits_clear, .arg = GENMASK(31, 16),
	     .field = { VMCS_GUEST_GDTR_LIMIT }),
	RULE(GUEST_IDTR_LIMIT, bits_clear, .arg = GENMASK(31, 16),
	     .field = { VMCS_GUEST_IDTR_LIMIT }),

	/* 27.3.1.4 guest RIP and RFLAGS */
	RULE(GUEST_RIP_HIGH, rip_high,
	     .field = { VMCS_GUEST_RIP, VMCS_GUEST_CS_AR_BYTES, FIELD_ENTRY }),
	RULE(GUEST_RIP_CANON, rip_canonical,
	     .field = { VMCS_GUEST_RIP, VMCS_GUEST_CS_AR_BYTES, FIELD_ENTRY }),
	RULE(GUEST_RFLAGS_RESERVED, bits_clear, .arg = CHK_RFLAGS_RESERVED,
	     .field = { VMCS_GUEST_RFLAGS }),
	RULE(GUEST_RFLAGS_BIT1, bit_set, .arg = BIT(1),
	     .field = { VMCS_GUEST_RFLAGS }),
	RULE(GUEST_RFLAGS_VM, rflags_vm,
	     .field = { VMCS_GUEST_RFLAGS, VMCS_GUEST_CR0, FIELD_ENTRY }),
	EVENT(GUEST_RFLAGS_IF, rflags_if,
	      .field = { VMCS_GUEST_RFLAGS, FIELD_EVENT }),

	/* 27.3.1.5 guest non-register state */
	RULE(GUEST_ACTIVITY_RANGE, at_most, .arg = ACTIVITY_WAIT_SIPI,
	     .field = { FIELD_ACTIVITY }),
	RULE(GUEST_ACTIVITY_UNSUPPORTED, activity_supported,
	     .field = { FIELD_ACTIVITY }),
	RULE(GUEST_ACTIVITY_HLT_DPL, activity_hlt_dpl,
	     .field = { VMCS_GUEST_SS_AR_BYTES, FIELD_ACTIVITY }),
	RULE(GUEST_ACTIVITY_BLOCKING, activity_blocking,
	     .field = { FIELD_ACTIVITY, FIELD_BLOCKING }),
	EVENT(GUEST_EVENT_IN_HLT, event_in_state, .arg = ACTIVITY_HLT,
	      .field = { FIELD_EVENT, FIELD_ACTIVITY }),
	EVENT(GUEST_EVENT_IN_SHUTDOWN, event_in_state, .arg = ACTIVITY_SHUTDOWN,
	      .field = { FIELD_EVENT, FIELD_ACTIVITY }),
	EVENT(GUEST_EVENT_IN_SIPI, event_in_state, .arg = ACTIVITY_WAIT_SIPI,
	      .field = { FIELD_EVENT, FIELD_ACTIVITY }),
	RULE(GUEST_INTR_RESERVED, bits_clear, .arg = INTERRUPTIBILITY_RESERVED,
	     .field = { FIELD_BLOCKING }),
	RULE(GUEST_INTR_STI_MOVSS, intr_sti_movss,
	     .field = { FIELD_BLOCKING }),
	RULE(GUEST_INTR_STI_IF, intr_sti_if,
	     .field = { FIELD_BLOCKING, VMCS_GUEST_RFLAGS }),
	EVENT(GUEST_INTR_EXT_BLOCKED, event_blocked, .arg = VMX_EV_EXT_INTR,
	      .rbit = INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS,
	      .field = { FIELD_BLOCKING, FIELD_EVENT }),
	EVENT(GUEST_INTR_NMI_MOVSS, event_blocked, .arg = VMX_EV_NMI,
	      .rbit = INTERRUPTIBILITY_MOV_SS, .field = { FIELD_BLOCKING, FIELD_EVENT }),
	/* vmxlab never runs in SMM. */
	RULE(GUEST_INTR_SMI, bits_clear, .arg = INTERRUPTIBILITY_SMI,
	     .field = { FIELD_BLOCKING }),
	RULE_IF(GUEST_INTR_VNMI, PIN, PIN_VIRTUAL_NMIS, event_blocked,
		.event = true, .arg = VMX_EV_NMI, .rbit = INTERRUPTIBILITY_NMI,
		.field = { FIELD_BLOCKING, FIELD_EVENT }),
	RULE(GUEST_PENDING_DBG_RESERVED, bits_clear,
	     .arg = PENDING_DBG_RESERVED, .field = { FIELD_PENDING }),
	RULE(GUEST_PENDING_BS_SET, pending_bs, .arg = 1,
	     .field = { FIELD_PENDING, VMCS_GUEST_RFLAGS,
			VMCS_GUEST_IA32_DEBUGCTL }),
	RULE(GUEST_PENDING_BS_CLEAR, pending_bs, .arg = 0,
	     .field = { FIELD_PENDING, VMCS_GUEST_RFLAGS,
			VMCS_GUEST_IA32_DEBUGCTL }),
	RULE(GUEST_PENDING_RTM, pending_rtm, .field = { FIELD_PENDING }),
	RULE(GUEST_LINK_ALIGN, link_pointer, .arg = 0,
	     .field = { VMCS_VMCS_LINK_POINTER }),
	RULE(GUEST_LINK_WIDTH, link_pointer, .arg = 1,
	     .field = { VMCS_VMCS_LINK_POINTER }),
	RULE(GUEST_LINK_SHADOW, link_pointer, .arg = 2,
	     .field = { VMCS_VMCS_LINK_POINTER, FIELD_PROC2 }),

	/* 27.3.1.6 PDPTEs */
	RULE_IF(GUEST_PDPTE0, PROC2, PROC2_EPT, pdpte,
		.field = { VMCS_GUEST_PDPTE0, VMCS_GUEST_CR0, VMCS_GUEST_CR4 }),
	RULE_IF(GUEST_PDPTE1, PROC2, PROC2_EPT, pdpte,
		.field = { VMCS_GUEST_PDPTE1, VMCS_GUEST_CR0, VMCS_GUEST_CR4 }),
	RULE_IF(GUEST_PDPTE2, PROC2, PROC2_EPT, pdpte,
		.field = { VMCS_GUEST_PDPTE2, VMCS_GUEST_CR0, VMCS_GUEST_CR4 }),
	RULE_IF(GUEST_PDPTE3, PROC2, PROC2_EPT, pdpte,
		.field = { VMCS_GUEST_PDPTE3, VMCS_GUEST_CR0, VMCS_GUEST_CR4 }),
};

/* ---- the driver ------------------------------------------------------- */

static void chk_init(struct chk *c)
{
	const struct vmx_check_caps *caps = c->caps;
	unsigned int s;

	c->ctl[W_PIN] = rd(c, FIELD_PIN);
	c->ctl[W_PROC] = rd(c, FIELD_PROC);
	/* Secondary controls act as 0 unless activated (SDM 27.2.1.1). */
	if (c->ctl[W_PROC] & PROC_SECONDARY)
		c->ctl[W_PROC2] = rd(c, FIELD_PROC2);
	c->ctl[W_EXIT] = rd(c, FIELD_EXIT);
	c->ctl[W_ENTRY] = rd(c, FIELD_ENTRY);
	c->cr0 = rd(c, VMCS_GUEST_CR0);
	c->cr4 = rd(c, VMCS_GUEST_CR4);
	c->rflags = rd(c, VMCS_GUEST_RFLAGS);
	for (s = VMX_SEG_ES; s <= VMX_SEG_TR; s++)
		c->ar[s] = rd(c, VMCS_GUEST_SEG_AR(s));
	c->intr_info = rd(c, FIELD_EVENT);
	c->intr_state = rd(c, FIELD_BLOCKING);
	c->activity = rd(c, FIELD_ACTIVITY);
	c->ev_type = (c->intr_info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT;
	c->ev_vector = c->intr_info & INTR_INFO_VECTOR_MASK;
	c->ug = c->ctl[W_PROC2] & PROC2_UNRESTRICTED;
	c->ia32e = c->ctl[W_ENTRY] & ENTRY_IA32E_GUEST;
	c->v86 = c->rflags & CHK_RFLAGS_VM;
	c->host64 = c->ctl[W_EXIT] & EXIT_HOST_64;
	/*
	 * Where 5-level paging exists (CR4.LA57 may be 1), accept 57-bit
	 * canonical addresses: the processor may check only 48 bits when
	 * CR4.LA57 is 0, but a missed failure is better than a false one.
	 */
	c->va_bits = (caps->cr4_fixed1 & CRR_CR4_LA57) ? 57 : 48;
	c->pa_bits = caps->maxphyaddr ? caps->maxphyaddr : 52;
	c->vmx_pa_bits = c->pa_bits;
	if ((caps->basic & VMX_BASIC_32BIT_ADDR) && c->vmx_pa_bits > 32)
		c->vmx_pa_bits = 32;
}

unsigned int vmx_entry_check(const struct vmx_check_input *in,
			     struct vmxlab_check_failure *out,
			     unsigned int max)
{
	struct chk c = { .in = in, .caps = in->caps };
	unsigned int i, n = 0;

	chk_init(&c);
	for (i = 0; i < ARRAY_SIZE(chk_rules); i++) {
		const struct chk_rule *r = &chk_rules[i];
		struct vmxlab_check_failure f = {
			.rule = r->id, .field = r->field[0],
		};

		if (r->word != W_ALL && !(c.ctl[r->word] & r->bit))
			continue;
		if (r->event && !(c.intr_info & INTR_INFO_VALID))
			continue;
		if (!r->fails(&c, r, &f))
			continue;
		if (n < max)
			out[n] = f;
		n++;
	}
	return n;
}

#ifdef __KERNEL__
static u64 chk_rdmsr(u32 msr)
{
	u64 v;

	return rdmsrl_safe(msr, &v) ? 0 : v;
}

void vmx_check_caps_read(struct vmx_check_caps *caps)
{
	bool true_ctls;
	u32 may1;

	memset(caps, 0, sizeof(*caps));
	caps->basic = chk_rdmsr(MSR_IA32_VMX_BASIC);
	/* SDM A.2: the TRUE_ MSRs tell which default1 bits may be 0. */
	true_ctls = caps->basic & BIT_ULL(55);
	caps->pinbased = chk_rdmsr(true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS :
				   MSR_IA32_VMX_PINBASED_CTLS);
	caps->procbased = chk_rdmsr(true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
				    MSR_IA32_VMX_PROCBASED_CTLS);
	caps->exit = chk_rdmsr(true_ctls ? MSR_IA32_VMX_TRUE_EXIT_CTLS :
			       MSR_IA32_VMX_EXIT_CTLS);
	caps->entry = chk_rdmsr(true_ctls ? MSR_IA32_VMX_TRUE_ENTRY_CTLS :
				MSR_IA32_VMX_ENTRY_CTLS);
	caps->misc = chk_rdmsr(MSR_IA32_VMX_MISC);
	caps->cr0_fixed0 = chk_rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	caps->cr0_fixed1 = chk_rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	caps->cr4_fixed0 = chk_rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	caps->cr4_fixed1 = chk_rdmsr(MSR_IA32_VMX_CR4_FIXED1);
	/* The optional MSRs exist only with the controls that use them. */
	if ((caps->procbased >> 32) & PROC_SECONDARY)
		caps->procbased2 = chk_rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2);
	may1 = caps->procbased2 >> 32;
	if (may1 & (PROC2_EPT | PROC2_VPID))
		caps->ept_vpid_cap = chk_rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	if (may1 & PROC2_VMFUNC)
		caps->vmfunc = chk_rdmsr(MSR_IA32_VMX_VMFUNC);
	caps->maxphyaddr = 36;
	if (boot_cpu_data.extended_cpuid_level >= 0x80000008)
		caps->maxphyaddr = cpuid_eax(0x80000008) & 0xff;
}
#endif
