// SPDX-License-Identifier: GPL-2.0
/*
 * test-checks.c - the module's VM-entry checker (kmod/checks.c), built
 * here as plain C.  Five valid states (real mode with unrestricted guest,
 * protected mode with and without it, long mode, virtual-8086 mode) must
 * check clean; then, for every rule, a state where the rule holds and one
 * field (or a few) changed so that it breaks.
 */
#include <stddef.h>
#include <stdlib.h>

#include "tap.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK(h, l)		((~0UL << (l)) & (~0UL >> (63 - (h))))
#define GENMASK_ULL(h, l)	((~0ULL << (l)) & (~0ULL >> (63 - (h))))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#include "../../kmod/checks.c"

/* ---- a VMCS as an array indexed by encoding ---------------------------- */

#define NFIELDS 0x7000

struct state {
	u64 f[NFIELDS];
	struct vmx_check_caps caps;
};

static u64 state_read(const void *ctx, u32 enc)
{
	const struct state *s = ctx;

	return enc < NFIELDS ? s->f[enc] : 0;
}

static unsigned int run(const struct state *s, struct vmxlab_check_failure *out,
			unsigned int max)
{
	struct vmx_check_input in = {
		.read = state_read, .ctx = s, .caps = &s->caps,
	};

	return vmx_entry_check(&in, out, max);
}

/* A processor like a recent Core: TRUE_ controls, EPT with A/D, no LA57. */
static void caps_default(struct vmx_check_caps *c)
{
	memset(c, 0, sizeof(*c));
	c->basic = BIT_ULL(55) | BIT_ULL(54) | (6ULL << 50) |
		   (0x1000ULL << 32) | 4;
	c->pinbased = 0x000000ff00000016ULL;
	c->procbased = 0xfff9fffe04006172ULL;
	c->procbased2 = 0x0fffffffULL << 32;
	c->exit = 0x3fffffff00036dfbULL;
	c->entry = 0x007fffff000011fbULL;
	c->misc = 5 | BIT(5) | BIT(6) | BIT(7) | BIT(8) | (4 << 16) | BIT(29);
	c->cr0_fixed0 = 0x80000021;
	c->cr0_fixed1 = 0xffffffff;
	c->cr4_fixed0 = 0x2000;
	c->cr4_fixed1 = 0xb727ff;	/* no LA57, with CET */
	c->ept_vpid_cap = EPT_CAP_WALK4 | EPT_CAP_UC |
			  EPT_CAP_WB | BIT_ULL(16) | BIT_ULL(17) |
			  BIT_ULL(20) | EPT_CAP_AD | BIT_ULL(25) |
			  BIT_ULL(26) | BIT_ULL(32) | GENMASK_ULL(43, 40);
	c->vmfunc = 1;
	c->maxphyaddr = 39;
}

static void seg(struct state *s, unsigned int r, u16 sel, u64 base,
		u32 limit, u32 ar)
{
	s->f[VMCS_GUEST_SEG_SELECTOR(r)] = sel;
	s->f[VMCS_GUEST_SEG_BASE(r)] = base;
	s->f[VMCS_GUEST_SEG_LIMIT(r)] = limit;
	s->f[VMCS_GUEST_SEG_AR(r)] = ar;
}

/* The controls and host state vmxlab itself uses (kmod/vmx.c, vmcs.c). */
static void base_common(struct state *s)
{
	memset(s, 0, sizeof(*s));
	caps_default(&s->caps);
	s->f[FIELD_PIN] = 0x16 | PIN_EXT_INTR | PIN_NMI | PIN_PREEMPTION_TIMER;
	s->f[FIELD_PROC] = 0x04006172 | BIT(3) | BIT(7) | BIT(10) | BIT(11) |
			   BIT(19) | BIT(20) | BIT(23) | BIT(24) | BIT(29) |
			   PROC_SECONDARY;
	s->f[FIELD_PROC2] = PROC2_EPT | PROC2_UNRESTRICTED | BIT(3) |
			    BIT(6) | BIT(12);
	s->f[FIELD_EXIT] = 0x36dfb | BIT(2) | EXIT_HOST_64 | BIT(18) |
			   EXIT_LOAD_PAT | BIT(20) | EXIT_LOAD_EFER;
	s->f[FIELD_ENTRY] = 0x11fb | ENTRY_LOAD_DEBUG | ENTRY_LOAD_PAT |
			    ENTRY_LOAD_EFER;
	s->f[VMCS_EPT_POINTER] = 0x12345000 | 6 | (3 << 3);
	s->f[VMCS_VMX_PREEMPTION_TIMER_VALUE] = 1000000;

	s->f[VMCS_HOST_CR0] = 0x80050033;
	s->f[VMCS_HOST_CR3] = 0x10a000;
	s->f[VMCS_HOST_CR4] = 0x3726a0;
	s->f[VMCS_HOST_CS_SELECTOR] = 0x10;
	s->f[VMCS_HOST_SS_SELECTOR] = 0x18;
	s->f[VMCS_HOST_TR_SELECTOR] = 0x40;
	s->f[VMCS_HOST_FS_BASE] = 0x7f0000001000ULL;
	s->f[VMCS_HOST_GS_BASE] = 0xffff888100000000ULL;
	s->f[VMCS_HOST_TR_BASE] = 0xfffffe0000003000ULL;
	s->f[VMCS_HOST_GDTR_BASE] = 0xfffffe0000001000ULL;
	s->f[VMCS_HOST_IDTR_BASE] = 0xfffffe0000000000ULL;
	s->f[VMCS_HOST_IA32_SYSENTER_ESP] = 0xfffffe0000003000ULL;
	s->f[VMCS_HOST_IA32_SYSENTER_EIP] = 0xffffffff81a00000ULL;
	s->f[VMCS_HOST_IA32_EFER] = 0xd01;
	s->f[VMCS_HOST_IA32_PAT] = 0x0407050600070106ULL;
	s->f[VMCS_HOST_RSP] = 0xffffc90000004000ULL;
	s->f[VMCS_HOST_RIP] = 0xffffffffc0001234ULL;

	s->f[VMCS_GUEST_DR7] = 0x400;
	s->f[VMCS_GUEST_IA32_PAT] = 0x0007040600070406ULL;
	s->f[VMCS_VMCS_LINK_POINTER] = ~0ULL;
	s->f[VMCS_GUEST_RFLAGS] = 2;
}

/* vmcs_guest_reset(): the state after RESET, run with unrestricted guest. */
static void base_real(struct state *s)
{
	base_common(s);
	seg(s, VMX_SEG_CS, 0xf000, 0xffff0000, 0xffff, 0x9b);
	seg(s, VMX_SEG_DS, 0, 0, 0xffff, 0x93);
	seg(s, VMX_SEG_ES, 0, 0, 0xffff, 0x93);
	seg(s, VMX_SEG_FS, 0, 0, 0xffff, 0x93);
	seg(s, VMX_SEG_GS, 0, 0, 0xffff, 0x93);
	seg(s, VMX_SEG_SS, 0, 0, 0xffff, 0x93);
	seg(s, VMX_SEG_LDTR, 0, 0, 0xffff, 0x82);
	seg(s, VMX_SEG_TR, 0, 0, 0xffff, 0x8b);
	s->f[VMCS_GUEST_GDTR_LIMIT] = 0xffff;
	s->f[VMCS_GUEST_IDTR_LIMIT] = 0xffff;
	s->f[VMCS_GUEST_CR0] = 0x30;	/* ET, NE */
	s->f[VMCS_GUEST_CR4] = 0x2000;	/* VMXE */
	s->f[VMCS_GUEST_RIP] = 0xfff0;
}

/* Flat 32-bit protected mode, no paging, with unrestricted guest. */
static void base_prot(struct state *s)
{
	unsigned int r;

	base_common(s);
	seg(s, VMX_SEG_CS, 0x08, 0, 0xffffffff, 0xc09b);
	for (r = VMX_SEG_ES; r <= VMX_SEG_GS; r++)
		if (r != VMX_SEG_CS)
			seg(s, r, 0x10, 0, 0xffffffff, 0xc093);
	seg(s, VMX_SEG_LDTR, 0, 0, 0, VMX_AR_UNUSABLE);
	seg(s, VMX_SEG_TR, 0x18, 0x1000, 0x67, 0x8b);
	s->f[VMCS_GUEST_GDTR_BASE] = 0x800;
	s->f[VMCS_GUEST_GDTR_LIMIT] = 0x1f;
	s->f[VMCS_GUEST_IDTR_BASE] = 0x2000;
	s->f[VMCS_GUEST_IDTR_LIMIT] = 0x7ff;
	s->f[VMCS_GUEST_CR0] = 0x31;	/* PE, ET, NE */
	s->f[VMCS_GUEST_CR4] = 0x2000;
	s->f[VMCS_GUEST_RIP] = 0x100000;
	s->f[VMCS_GUEST_RSP] = 0x90000;
}

/* The same with 32-bit paging and without unrestricted guest. */
static void base_paged(struct state *s)
{
	base_prot(s);
	s->f[FIELD_PROC2] &= ~PROC2_UNRESTRICTED;
	s->f[VMCS_GUEST_CR0] = 0x80000031;
	s->f[VMCS_GUEST_CR3] = 0x200000;
}

/* 64-bit mode: IA-32e mode guest, 4-level paging. */
static void base_long(struct state *s)
{
	base_prot(s);
	s->f[FIELD_ENTRY] |= ENTRY_IA32E_GUEST;
	s->f[VMCS_GUEST_CR0] = 0x80010031;	/* PG, WP, NE, ET, PE */
	s->f[VMCS_GUEST_CR3] = 0x300000;
	s->f[VMCS_GUEST_CR4] = 0x20a0;		/* VMXE, PGE, PAE */
	s->f[VMCS_GUEST_IA32_EFER] = 0xd01;
	s->f[VMCS_GUEST_SEG_AR(VMX_SEG_CS)] = 0xa09b;		/* L=1, D=0 */
	s->f[VMCS_GUEST_SEG_BASE(VMX_SEG_FS)] = 0x7fff00000000ULL;
	s->f[VMCS_GUEST_SEG_BASE(VMX_SEG_GS)] = 0xffff800000000000ULL;
	s->f[VMCS_GUEST_SEG_BASE(VMX_SEG_TR)] = 0xffffffff80002000ULL;
	s->f[VMCS_GUEST_GDTR_BASE] = 0xffffffff80003000ULL;
	s->f[VMCS_GUEST_IDTR_BASE] = 0xffffffff80004000ULL;
	s->f[VMCS_GUEST_SYSENTER_EIP] = 0xffffffff80005000ULL;
	s->f[VMCS_GUEST_RIP] = 0xffffffff80001000ULL;
}

/* Virtual-8086 mode, the way to run real-mode code without it. */
static void base_v86(struct state *s)
{
	base_paged(s);
	seg(s, VMX_SEG_CS, 0xf000, 0xf0000, 0xffff, 0xf3);
	seg(s, VMX_SEG_SS, 0x9000, 0x90000, 0xffff, 0xf3);
	seg(s, VMX_SEG_DS, 0x1234, 0x12340, 0xffff, 0xf3);
	seg(s, VMX_SEG_ES, 0, 0, 0xffff, 0xf3);
	seg(s, VMX_SEG_FS, 0xb800, 0xb8000, 0xffff, 0xf3);
	seg(s, VMX_SEG_GS, 0xffff, 0xffff0, 0xffff, 0xf3);
	s->f[VMCS_GUEST_RFLAGS] = CHK_RFLAGS_VM | CHK_RFLAGS_IF | 2;
	s->f[VMCS_GUEST_RIP] = 0xfff0;
}

enum { REAL, PROT, PAGED, LONG, V86, NBASES };

static void (*const bases[NBASES])(struct state *) = {
	base_real, base_prot, base_paged, base_long, base_v86,
};

static const char *const base_names[NBASES] = {
	"real", "protected", "paged", "long", "v86",
};

static void print_failures(const struct vmxlab_check_failure *f,
			   unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		printf("#   %s (SDM %s): field %#x actual %#llx expected %#llx mask %#llx\n",
		       vmxlab_check_texts[f[i].rule],
		       vmxlab_check_sections[f[i].rule], f[i].field,
		       (unsigned long long)f[i].actual,
		       (unsigned long long)f[i].expected,
		       (unsigned long long)f[i].mask);
}

TEST(checks_valid_states_are_clean)
{
	struct vmxlab_check_failure out[16];
	static struct state s;
	unsigned int b, n;

	for (b = 0; b < NBASES; b++) {
		bases[b](&s);
		n = run(&s, out, ARRAY_SIZE(out));
		if (n) {
			printf("# base state %s:\n", base_names[b]);
			print_failures(out, n < 16 ? n : 16);
		}
		CHECK_EQ(n, 0);
	}
}

/* ---- one passing and one failing state per rule ------------------------ */

/* A write to a field: set it, or OR or clear bits. */
enum { END, SET, OR, CLR };
struct write {
	u32 field;
	u8 op;
	u64 v;
};

#define W(f, v)		{ (f), SET, (v) }
#define O(f, v)		{ (f), OR, (v) }
#define C(f, v)		{ (f), CLR, (v) }

/*
 * @base, plus the writes @ok (and @caps), is a state where the rule holds
 * (and, unless @dirty, every other rule too); the writes @bad (with
 * @bad_caps) then break it.
 */
struct mutation {
	unsigned int rule;
	unsigned int base;
	struct write ok[10];
	struct write bad[4];
	void (*caps)(struct vmx_check_caps *caps);
	void (*bad_caps)(struct vmx_check_caps *caps);
	bool dirty;
	unsigned int line;
};

#define M(rule_, base_, ...)						\
	{ .rule = VMXLAB_CHECK_##rule_, .base = (base_),		\
	  .line = __LINE__, __VA_ARGS__ }
#define OK(...)		.ok = { __VA_ARGS__ }
#define BAD(...)	.bad = { __VA_ARGS__ }

#define V39		(1ULL << 39)		/* beyond MAXPHYADDR */
#define NONCANON	0x0000800000000000ULL	/* beyond 48 bits */
#define VALID		INTR_INFO_VALID
#define EV(type, vec)	(VALID | ((type) << 8) | (vec))
#define INFO		VMCS_VM_ENTRY_INTR_INFO_FIELD
#define EXT_INTR(v)	EV(VMX_EV_EXT_INTR, v)
#define NMI		EV(VMX_EV_NMI, 2)
#define UD		EV(VMX_EV_HW_EXC, 6)
#define GP		(EV(VMX_EV_HW_EXC, 13) | INTR_INFO_DELIVER_CODE)
#define ACT		FIELD_ACTIVITY
#define BLK		FIELD_BLOCKING
#define RFL		VMCS_GUEST_RFLAGS
#define IFL		CHK_RFLAGS_IF

/* Usable LDTR in the GDT, and TPR shadow with its page. */
#define LDTR_OK		W(VMCS_GUEST_SEG_AR(VMX_SEG_LDTR), 0x82), W(VMCS_GUEST_SEG_SELECTOR(VMX_SEG_LDTR), 0x20), \
			W(VMCS_GUEST_SEG_LIMIT(VMX_SEG_LDTR), 0xffff)
#define TPR_OK		O(FIELD_PROC, PROC_TPR_SHADOW),		\
			W(VMCS_VIRTUAL_APIC_PAGE_ADDR, 0x13000)
#define PI_OK		TPR_OK, O(FIELD_PROC2, PROC2_VID),		\
			O(FIELD_PIN, PIN_POSTED_INTR),		\
			O(FIELD_EXIT, EXIT_ACK_INTR),		\
			W(VMCS_POSTED_INTR_NOTIFICATION_VECTOR, 0xf2),	\
			W(VMCS_POSTED_INTR_DESC_ADDR, 0x15000)
#define VMFUNC_OK	O(FIELD_PROC2, PROC2_VMFUNC),		\
			W(VMCS_VM_FUNCTION_CONTROL, 1),			\
			W(VMCS_EPTP_LIST_ADDRESS, 0x17000)
#define SHADOW_OK	O(FIELD_PROC2, PROC2_SHADOW_VMCS),		\
			W(VMCS_VMREAD_BITMAP, 0x18000),			\
			W(VMCS_VMWRITE_BITMAP, 0x19000)
#define PAE_OK		O(VMCS_GUEST_CR0, CRR_CR0_PG),			\
			O(VMCS_GUEST_CR4, CRR_CR4_PAE),			\
			W(VMCS_GUEST_CR3, 0x5000),			\
			W(VMCS_GUEST_PDPTE0, 0x6001),			\
			W(VMCS_GUEST_PDPTE1, 0x7001),			\
			W(VMCS_GUEST_PDPTE2, 0x8001),			\
			W(VMCS_GUEST_PDPTE3, 0x9002)
/* Loaded CET state: 64-bit supervisor shadow stacks with ENDBRANCH. */
#define CET_HOST_OK	O(FIELD_EXIT, EXIT_LOAD_CET),		\
			W(VMCS_HOST_S_CET, 0xffffffff81000000ULL | 0x5), \
			W(VMCS_HOST_SSP, 0xffffc90000008ff8ULL),	\
			W(VMCS_HOST_INTR_SSP_TABLE_ADDR, 0xffffffff82000000ULL)
#define CET_GUEST_OK	O(FIELD_ENTRY, ENTRY_LOAD_CET),		\
			W(VMCS_GUEST_S_CET, 0xffffffff80100000ULL | 0x4), \
			W(VMCS_GUEST_SSP, 0xffffc90000001000ULL),	\
			W(VMCS_GUEST_INTR_SSP_TABLE_ADDR, 0x3000)
#define PT_GPA_OK	O(FIELD_PROC2, PROC2_PT_GPA),		\
			O(FIELD_ENTRY, ENTRY_LOAD_RTIT),		\
			O(FIELD_EXIT, EXIT_CLEAR_RTIT)
#define HOST32_OK	C(FIELD_EXIT, EXIT_HOST_64),		\
			C(VMCS_HOST_CR4, CRR_CR4_PCIDE),		\
			W(VMCS_HOST_RIP, 0x1000)

/* An address rule pair: aligned and within MAXPHYADDR. */
#define ADDR_M(id, base, field, good, ...)				\
	M(id##_ALIGN, base, OK(__VA_ARGS__, W(field, good)),		\
	  BAD(W(field, (good) + 0x10))),				\
	M(id##_WIDTH, base, OK(__VA_ARGS__, W(field, good)),		\
	  BAD(W(field, (good) | V39)))

#define MSR_AREA_M(id, addr, count)					\
	M(id##_ALIGN, PROT, OK(W(count, 2), W(addr, 0x1b000)),		\
	  BAD(W(addr, 0x1b008))),					\
	M(id##_WIDTH, PROT, OK(W(count, 2), W(addr, 0x1b000)),		\
	  BAD(W(addr, V39 - 16)))

/* One mutation per code/data register of a segment rule. */
#define SEG6_M(id, base, f, ok_, bad_op)				\
	M(GUEST_ES_##id, base, OK(ok_), BAD(bad_op(f(VMX_SEG_ES)))),		\
	M(GUEST_CS_##id, base, OK(ok_), BAD(bad_op(f(VMX_SEG_CS)))),		\
	M(GUEST_SS_##id, base, OK(ok_), BAD(bad_op(f(VMX_SEG_SS)))),		\
	M(GUEST_DS_##id, base, OK(ok_), BAD(bad_op(f(VMX_SEG_DS)))),		\
	M(GUEST_FS_##id, base, OK(ok_), BAD(bad_op(f(VMX_SEG_FS)))),		\
	M(GUEST_GS_##id, base, OK(ok_), BAD(bad_op(f(VMX_SEG_GS))))
#define SEG4_M(id, base, f, bad_op)					\
	M(GUEST_DS_##id, base, BAD(bad_op(f(VMX_SEG_DS)))),			\
	M(GUEST_ES_##id, base, BAD(bad_op(f(VMX_SEG_ES)))),			\
	M(GUEST_FS_##id, base, BAD(bad_op(f(VMX_SEG_FS)))),			\
	M(GUEST_GS_##id, base, BAD(bad_op(f(VMX_SEG_GS))))
#define V86_M(what, f, bad_op)						\
	M(GUEST_V86_ES_##what, V86, BAD(bad_op(f(VMX_SEG_ES)))),		\
	M(GUEST_V86_CS_##what, V86, BAD(bad_op(f(VMX_SEG_CS)))),		\
	M(GUEST_V86_SS_##what, V86, BAD(bad_op(f(VMX_SEG_SS)))),		\
	M(GUEST_V86_DS_##what, V86, BAD(bad_op(f(VMX_SEG_DS)))),		\
	M(GUEST_V86_FS_##what, V86, BAD(bad_op(f(VMX_SEG_FS)))),		\
	M(GUEST_V86_GS_##what, V86, BAD(bad_op(f(VMX_SEG_GS))))

#define BASE_PLUS_16(f)		W(f, 0x12350)
#define LIMIT_1M(f)		W(f, 0xfffff)
#define AR_G(f)			O(f, VMX_AR_G)
#define AR_SYSTEM(f)		C(f, VMX_AR_S)
#define AR_NOT_PRESENT(f)	C(f, VMX_AR_P)
#define AR_BIT8(f)		O(f, BIT(8))
#define AR_BIT17(f)		O(f, BIT(17))
#define LIMIT_NOT_4K(f)		W(f, 0xffff0)
#define NOT_ACCESSED(f)		C(f, 1)
#define EXEC_ONLY(f)		W(f, 0xc099)
#define DPL1(f)			W(f, 0xc0b3)
#define HIGH_BASE(f)		W(f, 1ULL << 32)
#define W_RPL3(f)		W(f, 0x13)

static void caps_no_ad(struct vmx_check_caps *c)
{
	c->ept_vpid_cap &= ~EPT_CAP_AD;
}

static void caps_no_sipi(struct vmx_check_caps *c)
{
	c->misc &= ~BIT_ULL(8);
}

static void caps_any_errcode(struct vmx_check_caps *c)
{
	c->basic |= VMX_BASIC_ANY_ERRCODE;
}

static void caps_no_mtf(struct vmx_check_caps *c)
{
	c->procbased &= ~((u64)PROC_MTF << 32);
}

static const struct mutation mutations[] = {
	/* 27.2.1.1 VM-execution control fields */
	M(PIN_RESERVED, PROT, BAD(C(FIELD_PIN, BIT(1)))),
	M(PIN_RESERVED, PROT, BAD(O(FIELD_PIN, BIT(8)))),
	M(PROC_RESERVED, PROT, BAD(O(FIELD_PROC, BIT(0)))),
	M(PROC_RESERVED, PROT, BAD(C(FIELD_PROC, BIT(26)))),
	/* Junk in the secondary controls is fine while they are off. */
	M(PROC2_RESERVED, PAGED,
	  OK(C(FIELD_PROC, PROC_SECONDARY), O(FIELD_PROC2, BIT(30))),
	  BAD(O(FIELD_PROC, PROC_SECONDARY))),
	M(CR3_TARGET_COUNT, PROT, OK(W(VMCS_CR3_TARGET_COUNT, 4)),
	  BAD(W(VMCS_CR3_TARGET_COUNT, 5))),
	ADDR_M(IO_BITMAP_A, PROT, VMCS_IO_BITMAP_A, 0x10000,
	       O(FIELD_PROC, PROC_IO_BITMAPS), W(VMCS_IO_BITMAP_B, 0x11000)),
	ADDR_M(IO_BITMAP_B, PROT, VMCS_IO_BITMAP_B, 0x11000,
	       O(FIELD_PROC, PROC_IO_BITMAPS), W(VMCS_IO_BITMAP_A, 0x10000)),
	ADDR_M(MSR_BITMAP, PROT, VMCS_MSR_BITMAP, 0x12000,
	       O(FIELD_PROC, PROC_MSR_BITMAPS)),
	ADDR_M(VAPIC, PROT, VMCS_VIRTUAL_APIC_PAGE_ADDR, 0x13000,
	       O(FIELD_PROC, PROC_TPR_SHADOW)),
	M(TPR_THRESHOLD, PROT, OK(TPR_OK, W(VMCS_TPR_THRESHOLD, 0xf)),
	  BAD(W(VMCS_TPR_THRESHOLD, 0x10))),
	M(X2APIC_NEEDS_TPR_SHADOW, PROT,
	  OK(TPR_OK, O(FIELD_PROC2, PROC2_X2APIC)),
	  BAD(C(FIELD_PROC, PROC_TPR_SHADOW))),
	M(APIC_REG_NEEDS_TPR_SHADOW, PROT,
	  OK(TPR_OK, O(FIELD_PROC2, PROC2_APIC_REG)),
	  BAD(C(FIELD_PROC, PROC_TPR_SHADOW))),
	M(VID_NEEDS_TPR_SHADOW, PROT,
	  OK(TPR_OK, O(FIELD_PROC2, PROC2_VID)),
	  BAD(C(FIELD_PROC, PROC_TPR_SHADOW))),
	M(VNMI_NEEDS_NMI_EXITING, PROT, OK(O(FIELD_PIN, PIN_VIRTUAL_NMIS)),
	  BAD(C(FIELD_PIN, PIN_NMI))),
	M(NMI_WINDOW_NEEDS_VNMI, PROT,
	  OK(O(FIELD_PIN, PIN_VIRTUAL_NMIS),
	     O(FIELD_PROC, PROC_NMI_WINDOW)),
	  BAD(C(FIELD_PIN, PIN_VIRTUAL_NMIS))),
	ADDR_M(APIC_ACCESS, PROT, VMCS_APIC_ACCESS_ADDR, 0x14000,
	       O(FIELD_PROC2, PROC2_APIC_ACCESS)),
	M(X2APIC_AND_APIC_ACCESS, PROT,
	  OK(TPR_OK, O(FIELD_PROC2, PROC2_X2APIC)),
	  BAD(O(FIELD_PROC2, PROC2_APIC_ACCESS),
	      W(VMCS_APIC_ACCESS_ADDR, 0x14000))),
	M(VID_NEEDS_EXT_INTR_EXITING, PROT,
	  OK(TPR_OK, O(FIELD_PROC2, PROC2_VID)),
	  BAD(C(FIELD_PIN, PIN_EXT_INTR))),
	M(PI_NEEDS_VID, PROT, OK(PI_OK), BAD(C(FIELD_PROC2, PROC2_VID))),
	M(PI_NEEDS_ACK_INTR, PROT, OK(PI_OK),
	  BAD(C(FIELD_EXIT, EXIT_ACK_INTR))),
	M(PI_VECTOR, PROT, OK(PI_OK),
	  BAD(W(VMCS_POSTED_INTR_NOTIFICATION_VECTOR, 0x1f2))),
	M(PI_DESC_ALIGN, PROT, OK(PI_OK),
	  BAD(W(VMCS_POSTED_INTR_DESC_ADDR, 0x15020))),
	M(PI_DESC_WIDTH, PROT, OK(PI_OK),
	  BAD(W(VMCS_POSTED_INTR_DESC_ADDR, 0x15000 | V39))),
	M(VPID_ZERO, PROT,
	  OK(O(FIELD_PROC2, PROC2_VPID), W(VMCS_VIRTUAL_PROCESSOR_ID, 1)),
	  BAD(W(VMCS_VIRTUAL_PROCESSOR_ID, 0))),
	/* UC is allowed too; WP (5) is not. */
	M(EPTP_MEMTYPE, PROT, OK(W(VMCS_EPT_POINTER, 0x12345018)),
	  BAD(W(VMCS_EPT_POINTER, 0x1234501d))),
	M(EPTP_WALK_LENGTH, PROT, BAD(W(VMCS_EPT_POINTER, 0x12345026))),
	M(EPTP_AD, PROT, OK(O(VMCS_EPT_POINTER, BIT(6))), .bad_caps = caps_no_ad),
	M(EPTP_RESERVED, PROT, BAD(O(VMCS_EPT_POINTER, BIT(8)))),
	M(EPTP_WIDTH, PROT, BAD(O(VMCS_EPT_POINTER, V39))),
	M(UG_NEEDS_EPT, REAL, BAD(C(FIELD_PROC2, PROC2_EPT))),
	M(PML_NEEDS_EPT, PAGED,
	  OK(O(FIELD_PROC2, PROC2_PML), W(VMCS_PML_ADDRESS, 0x16000)),
	  BAD(C(FIELD_PROC2, PROC2_EPT))),
	ADDR_M(PML, PROT, VMCS_PML_ADDRESS, 0x16000,
	       O(FIELD_PROC2, PROC2_PML)),
	M(MBEC_NEEDS_EPT, PAGED, OK(O(FIELD_PROC2, PROC2_MBEC)),
	  BAD(C(FIELD_PROC2, PROC2_EPT))),
	M(SPP_NEEDS_EPT, PAGED, OK(O(FIELD_PROC2, PROC2_SPP)),
	  BAD(C(FIELD_PROC2, PROC2_EPT))),
	M(VMFUNC_RESERVED, PROT, OK(VMFUNC_OK),
	  BAD(W(VMCS_VM_FUNCTION_CONTROL, 3))),
	M(EPTP_SWITCH_NEEDS_EPT, PAGED, OK(VMFUNC_OK),
	  BAD(C(FIELD_PROC2, PROC2_EPT))),
	M(EPTP_LIST_ALIGN, PROT, OK(VMFUNC_OK),
	  BAD(W(VMCS_EPTP_LIST_ADDRESS, 0x17008))),
	M(EPTP_LIST_WIDTH, PROT, OK(VMFUNC_OK),
	  BAD(W(VMCS_EPTP_LIST_ADDRESS, 0x17000 | V39))),
	/* Without EPTP switching the list address is not looked at. */
	M(EPTP_LIST_ALIGN, PROT,
	  OK(VMFUNC_OK, W(VMCS_VM_FUNCTION_CONTROL, 0),
	     W(VMCS_EPTP_LIST_ADDRESS, 0x17008)),
	  BAD(W(VMCS_VM_FUNCTION_CONTROL, 1))),
	ADDR_M(VMREAD_BITMAP, PROT, VMCS_VMREAD_BITMAP, 0x18000, SHADOW_OK),
	ADDR_M(VMWRITE_BITMAP, PROT, VMCS_VMWRITE_BITMAP, 0x19000, SHADOW_OK),
	ADDR_M(VE_INFO, PROT, VMCS_VE_INFORMATION_ADDRESS, 0x1a000,
	       O(FIELD_PROC2, PROC2_EPT_VE)),

	/* 27.2.1.2 VM-exit control fields */
	M(EXIT_RESERVED, PROT, BAD(C(FIELD_EXIT, BIT(0)))),
	M(EXIT_RESERVED, PROT, BAD(O(FIELD_EXIT, BIT(31)))),
	M(SAVE_TIMER_NEEDS_TIMER, PROT, OK(O(FIELD_EXIT, EXIT_SAVE_PREEMPT_TIMER)),
	  BAD(C(FIELD_PIN, PIN_PREEMPTION_TIMER))),
	MSR_AREA_M(EXIT_MSR_STORE, VMCS_VM_EXIT_MSR_STORE_ADDR,
		   VMCS_VM_EXIT_MSR_STORE_COUNT),
	MSR_AREA_M(EXIT_MSR_LOAD, VMCS_VM_EXIT_MSR_LOAD_ADDR,
		   VMCS_VM_EXIT_MSR_LOAD_COUNT),
	/* A count of 0 means no area, wherever the address points. */
	M(EXIT_MSR_LOAD_ALIGN, PROT, OK(W(VMCS_VM_EXIT_MSR_LOAD_ADDR, 0x1b008)),
	  BAD(W(VMCS_VM_EXIT_MSR_LOAD_COUNT, 1))),

	/* 27.2.1.3 VM-entry control fields */
	M(ENTRY_RESERVED, PROT, BAD(C(FIELD_ENTRY, BIT(0)))),
	M(ENTRY_RESERVED, PROT, BAD(O(FIELD_ENTRY, BIT(31)))),
	M(EVENT_TYPE, PROT, OK(W(INFO, UD)), BAD(W(INFO, EV(1, 6)))),
	M(EVENT_TYPE, PROT, OK(W(INFO, EV(VMX_EV_OTHER, 0))),
	  .bad_caps = caps_no_mtf),
	M(EVENT_NMI_VECTOR, PROT, OK(W(INFO, NMI)),
	  BAD(W(INFO, EV(VMX_EV_NMI, 3)))),
	M(EVENT_EXC_VECTOR, PROT, OK(W(INFO, UD)),
	  BAD(W(INFO, EV(VMX_EV_HW_EXC, 32)))),
	M(EVENT_OTHER_VECTOR, PROT, OK(W(INFO, EV(VMX_EV_OTHER, 0))),
	  BAD(W(INFO, EV(VMX_EV_OTHER, 1)))),
	M(EVENT_ERRCODE_BIT, PROT, OK(W(INFO, GP)),
	  BAD(C(INFO, INTR_INFO_DELIVER_CODE))),
	/* Real mode with unrestricted guest: no error code, even for #GP. */
	M(EVENT_ERRCODE_BIT, REAL, OK(W(INFO, EV(VMX_EV_HW_EXC, 13))),
	  BAD(O(INFO, INTR_INFO_DELIVER_CODE))),
	M(EVENT_ERRCODE_BIT, PROT, OK(W(INFO, UD)),
	  BAD(O(INFO, INTR_INFO_DELIVER_CODE))),
	/* #CP without CET: no error code. */
	M(EVENT_ERRCODE_BIT, PROT, OK(W(INFO, EV(VMX_EV_HW_EXC, 21))),
	  BAD(O(INFO, INTR_INFO_DELIVER_CODE))),
	/* IA32_VMX_BASIC[56]: any hardware exception, with or without. */
	M(EVENT_ERRCODE_BIT, PROT, OK(W(INFO, UD | INTR_INFO_DELIVER_CODE)),
	  BAD(W(INFO, EV(VMX_EV_SW_EXC, 3) | INTR_INFO_DELIVER_CODE),
	      W(VMCS_VM_ENTRY_INSTRUCTION_LEN, 1)),
	  .caps = caps_any_errcode),
	M(EVENT_ERRCODE_BIT, REAL, OK(W(INFO, EV(VMX_EV_HW_EXC, 13))),
	  BAD(O(INFO, INTR_INFO_DELIVER_CODE)), .caps = caps_any_errcode),
	M(EVENT_RESERVED, PROT, OK(W(INFO, UD)), BAD(O(INFO, BIT(20)))),
	M(EVENT_ERRCODE_HIGH, PROT,
	  OK(W(INFO, GP), W(VMCS_VM_ENTRY_EXCEPTION_ERROR_CODE, 0xffff)),
	  BAD(W(VMCS_VM_ENTRY_EXCEPTION_ERROR_CODE, 0x10000))),
	M(EVENT_INSN_LEN, PROT,
	  OK(W(INFO, EV(VMX_EV_SW_INTR, 0x80)),
	     W(VMCS_VM_ENTRY_INSTRUCTION_LEN, 2)),
	  BAD(W(VMCS_VM_ENTRY_INSTRUCTION_LEN, 0))),
	M(EVENT_INSN_LEN, PROT,
	  OK(W(INFO, EV(VMX_EV_SW_EXC, 3)),
	     W(VMCS_VM_ENTRY_INSTRUCTION_LEN, 15)),
	  BAD(W(VMCS_VM_ENTRY_INSTRUCTION_LEN, 16))),
	MSR_AREA_M(ENTRY_MSR_LOAD, VMCS_VM_ENTRY_MSR_LOAD_ADDR,
		   VMCS_VM_ENTRY_MSR_LOAD_COUNT),
	M(ENTRY_SMM, PROT, BAD(O(FIELD_ENTRY, ENTRY_TO_SMM))),
	M(ENTRY_DUAL_MONITOR, PROT, BAD(O(FIELD_ENTRY, ENTRY_DEACT_DUAL_MONITOR))),

	/* 27.2.2 host control registers and MSRs */
	M(HOST_CR0_FIXED0, PROT, BAD(C(VMCS_HOST_CR0, BIT(5)))),
	M(HOST_CR0_FIXED1, PROT, BAD(O(VMCS_HOST_CR0, BIT_ULL(32)))),
	M(HOST_CR4_FIXED0, PROT, BAD(C(VMCS_HOST_CR4, BIT(13)))),
	M(HOST_CR4_FIXED1, PROT, BAD(O(VMCS_HOST_CR4, CRR_CR4_LA57))),
	M(HOST_CR3_WIDTH, PROT, BAD(O(VMCS_HOST_CR3, 1ULL << 40))),
	M(HOST_CET_NEEDS_WP, PROT, OK(O(VMCS_HOST_CR4, CRR_CR4_CET)),
	  BAD(C(VMCS_HOST_CR0, CRR_CR0_WP))),
	M(HOST_SYSENTER_ESP, PROT, BAD(W(VMCS_HOST_IA32_SYSENTER_ESP, NONCANON))),
	M(HOST_SYSENTER_EIP, PROT, BAD(W(VMCS_HOST_IA32_SYSENTER_EIP, NONCANON))),
	M(HOST_PAT, PROT, BAD(W(VMCS_HOST_IA32_PAT, 0x0407050600070102ULL))),
	M(HOST_PAT, PROT, BAD(W(VMCS_HOST_IA32_PAT, 0x0807050600070106ULL))),
	/* Not loaded, not checked. */
	M(HOST_PAT, PROT,
	  OK(C(FIELD_EXIT, EXIT_LOAD_PAT), W(VMCS_HOST_IA32_PAT, 2)),
	  BAD(O(FIELD_EXIT, EXIT_LOAD_PAT))),
	M(HOST_EFER_RESERVED, PROT, BAD(O(VMCS_HOST_IA32_EFER, BIT(1)))),
	M(HOST_EFER_LMA, PROT, BAD(C(VMCS_HOST_IA32_EFER, CRR_EFER_LMA))),
	M(HOST_EFER_LME, PROT, BAD(C(VMCS_HOST_IA32_EFER, CRR_EFER_LME))),

	/* 27.2.3 host segment and descriptor-table registers */
	M(HOST_ES_SEL, PROT, BAD(W(VMCS_HOST_ES_SELECTOR, 3))),
	M(HOST_CS_SEL, PROT, BAD(W(VMCS_HOST_CS_SELECTOR, 0x13))),
	M(HOST_SS_SEL, PROT, BAD(W(VMCS_HOST_SS_SELECTOR, 0x1c))),
	M(HOST_DS_SEL, PROT, BAD(W(VMCS_HOST_DS_SELECTOR, 0x2b))),
	M(HOST_FS_SEL, PROT, BAD(W(VMCS_HOST_FS_SELECTOR, 4))),
	M(HOST_GS_SEL, PROT, BAD(W(VMCS_HOST_GS_SELECTOR, 1))),
	M(HOST_TR_SEL, PROT, BAD(W(VMCS_HOST_TR_SELECTOR, 0x44))),
	M(HOST_CS_SEL_ZERO, PROT, BAD(W(VMCS_HOST_CS_SELECTOR, 0))),
	M(HOST_TR_SEL_ZERO, PROT, BAD(W(VMCS_HOST_TR_SELECTOR, 0))),
	M(HOST_SS_SEL_ZERO, PROT, OK(HOST32_OK),
	  BAD(W(VMCS_HOST_SS_SELECTOR, 0)), .dirty = true),
	/* A 64-bit host may have a null SS. */
	M(HOST_SS_SEL_ZERO, PROT, OK(W(VMCS_HOST_SS_SELECTOR, 0)),
	  BAD(HOST32_OK)),
	M(HOST_FS_BASE, PROT, BAD(W(VMCS_HOST_FS_BASE, NONCANON))),
	M(HOST_GS_BASE, PROT, BAD(W(VMCS_HOST_GS_BASE, NONCANON))),
	M(HOST_TR_BASE, PROT, BAD(W(VMCS_HOST_TR_BASE, NONCANON))),
	M(HOST_GDTR_BASE, PROT, BAD(W(VMCS_HOST_GDTR_BASE, NONCANON))),
	M(HOST_IDTR_BASE, PROT, BAD(W(VMCS_HOST_IDTR_BASE, 0xfff0800000000000ULL))),

	/* 27.2.4 address-space size */
	M(HOST_ADDR_SPACE, PROT, BAD(C(FIELD_EXIT, EXIT_HOST_64))),
	M(HOST32_IA32E_GUEST, LONG, BAD(C(FIELD_EXIT, EXIT_HOST_64))),
	M(HOST32_PCIDE, PROT, OK(HOST32_OK),
	  BAD(O(VMCS_HOST_CR4, CRR_CR4_PCIDE)), .dirty = true),
	M(HOST32_RIP, PROT, OK(HOST32_OK),
	  BAD(W(VMCS_HOST_RIP, 1ULL << 32)), .dirty = true),
	M(HOST64_PAE, PROT, BAD(C(VMCS_HOST_CR4, CRR_CR4_PAE))),
	M(HOST64_RIP, PROT, OK(W(VMCS_HOST_RIP, 1ULL << 47)),
	  BAD(W(VMCS_HOST_RIP, 1ULL << 48))),

	/* 27.3.1.1 guest control registers, debug registers and MSRs */
	M(GUEST_CR0_FIXED0, PROT, BAD(C(VMCS_GUEST_CR0, BIT(5)))),
	M(GUEST_CR0_FIXED0, PAGED, BAD(C(VMCS_GUEST_CR0, CRR_CR0_PG))),
	M(GUEST_CR0_FIXED0, PAGED, BAD(C(VMCS_GUEST_CR0, CRR_CR0_PE))),
	M(GUEST_CR0_FIXED1, PROT, BAD(O(VMCS_GUEST_CR0, BIT_ULL(32)))),
	M(GUEST_CR0_PG_PE, REAL, BAD(O(VMCS_GUEST_CR0, CRR_CR0_PG))),
	M(GUEST_CR4_FIXED0, PROT, BAD(C(VMCS_GUEST_CR4, BIT(13)))),
	M(GUEST_CR4_FIXED1, PROT, BAD(O(VMCS_GUEST_CR4, CRR_CR4_LA57))),
	M(GUEST_CET_NEEDS_WP, LONG, OK(O(VMCS_GUEST_CR4, CRR_CR4_CET)),
	  BAD(C(VMCS_GUEST_CR0, CRR_CR0_WP))),
	M(GUEST_DEBUGCTL, PROT, OK(W(VMCS_GUEST_IA32_DEBUGCTL, 3)),
	  BAD(O(VMCS_GUEST_IA32_DEBUGCTL, BIT(3)))),
	M(GUEST_DEBUGCTL, PROT, BAD(O(VMCS_GUEST_IA32_DEBUGCTL, BIT(16)))),
	M(GUEST_IA32E_PG, LONG, BAD(C(VMCS_GUEST_CR0, CRR_CR0_PG))),
	M(GUEST_IA32E_PAE, LONG, BAD(C(VMCS_GUEST_CR4, CRR_CR4_PAE))),
	M(GUEST_PCIDE, PROT, BAD(O(VMCS_GUEST_CR4, CRR_CR4_PCIDE))),
	M(GUEST_PCIDE, LONG, OK(O(VMCS_GUEST_CR4, CRR_CR4_PCIDE)),
	  BAD(C(FIELD_ENTRY, ENTRY_IA32E_GUEST))),
	M(GUEST_CR3_WIDTH, PAGED, BAD(O(VMCS_GUEST_CR3, V39))),
	M(GUEST_CR3_WIDTH, PAGED, BAD(O(VMCS_GUEST_CR3, BIT_ULL(63)))),
	M(GUEST_DR7, PROT, BAD(O(VMCS_GUEST_DR7, BIT_ULL(32)))),
	M(GUEST_SYSENTER_ESP, PROT, BAD(W(VMCS_GUEST_SYSENTER_ESP, NONCANON))),
	M(GUEST_SYSENTER_EIP, PROT, BAD(W(VMCS_GUEST_SYSENTER_EIP, NONCANON))),
	M(GUEST_PAT, PROT, BAD(W(VMCS_GUEST_IA32_PAT, 0x0007040600070403ULL))),
	M(GUEST_EFER_RESERVED, PROT, BAD(O(VMCS_GUEST_IA32_EFER, BIT(2)))),
	M(GUEST_EFER_LMA, PROT, BAD(O(VMCS_GUEST_IA32_EFER, CRR_EFER_LMA))),
	M(GUEST_EFER_LMA, LONG, BAD(C(VMCS_GUEST_IA32_EFER, CRR_EFER_LMA))),
	M(GUEST_EFER_LME, LONG, BAD(C(VMCS_GUEST_IA32_EFER, CRR_EFER_LME))),
	M(GUEST_EFER_LME, PAGED, BAD(O(VMCS_GUEST_IA32_EFER, CRR_EFER_LME))),
	/* Without paging LME may be set ahead of LMA. */
	M(GUEST_EFER_LME, PROT, OK(O(VMCS_GUEST_IA32_EFER, CRR_EFER_LME)),
	  BAD(O(VMCS_GUEST_CR0, CRR_CR0_PG))),
	M(GUEST_BNDCFGS_RESERVED, PROT,
	  OK(O(FIELD_ENTRY, ENTRY_LOAD_BNDCFGS),
	     W(VMCS_GUEST_IA32_BNDCFGS, 0xffffffff80000003ULL)),
	  BAD(O(VMCS_GUEST_IA32_BNDCFGS, BIT(2)))),
	M(GUEST_BNDCFGS_BASE, PROT,
	  OK(O(FIELD_ENTRY, ENTRY_LOAD_BNDCFGS),
	     W(VMCS_GUEST_IA32_BNDCFGS, 0x12345001)),
	  BAD(W(VMCS_GUEST_IA32_BNDCFGS, NONCANON | 1))),
	M(GUEST_PKRS, PROT,
	  OK(O(FIELD_ENTRY, ENTRY_LOAD_PKRS),
	     W(VMCS_GUEST_IA32_PKRS, 0xffffffff)),
	  BAD(W(VMCS_GUEST_IA32_PKRS, BIT_ULL(32)))),

	/* 27.3.1.2 guest segment registers */
	M(GUEST_TR_TI, PROT, BAD(W(VMCS_GUEST_SEG_SELECTOR(VMX_SEG_TR), 0x1c))),
	M(GUEST_LDTR_TI, PROT, OK(LDTR_OK), BAD(W(VMCS_GUEST_SEG_SELECTOR(VMX_SEG_LDTR), 0x24))),
	/* An unusable LDTR's selector is not looked at. */
	M(GUEST_LDTR_TI, PROT, OK(W(VMCS_GUEST_SEG_SELECTOR(VMX_SEG_LDTR), 0x24)),
	  BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_LDTR), 0x82))),
	M(GUEST_SS_RPL, PAGED, BAD(W(VMCS_GUEST_SEG_SELECTOR(VMX_SEG_SS), 0x13))),
	/* Unrestricted guest lifts it. */
	M(GUEST_SS_RPL, PROT, OK(W(VMCS_GUEST_SEG_SELECTOR(VMX_SEG_SS), 0x13)),
	  BAD(C(FIELD_PROC2, PROC2_UNRESTRICTED),
	      O(VMCS_GUEST_CR0, CRR_CR0_PG))),
	V86_M(BASE, VMCS_GUEST_SEG_BASE, BASE_PLUS_16),
	V86_M(LIMIT, VMCS_GUEST_SEG_LIMIT, LIMIT_1M),
	V86_M(AR, VMCS_GUEST_SEG_AR, AR_G),
	M(GUEST_FS_BASE, PROT, BAD(W(VMCS_GUEST_SEG_BASE(VMX_SEG_FS), NONCANON))),
	M(GUEST_GS_BASE, PROT, BAD(W(VMCS_GUEST_SEG_BASE(VMX_SEG_GS), NONCANON))),
	M(GUEST_LDTR_BASE, PROT, OK(LDTR_OK),
	  BAD(W(VMCS_GUEST_SEG_BASE(VMX_SEG_LDTR), NONCANON))),
	M(GUEST_TR_BASE, PROT, BAD(W(VMCS_GUEST_SEG_BASE(VMX_SEG_TR), NONCANON))),
	M(GUEST_CS_BASE_HIGH, PROT, BAD(HIGH_BASE(VMCS_GUEST_SEG_BASE(VMX_SEG_CS)))),
	M(GUEST_SS_BASE_HIGH, PROT, BAD(HIGH_BASE(VMCS_GUEST_SEG_BASE(VMX_SEG_SS)))),
	M(GUEST_DS_BASE_HIGH, PROT, BAD(HIGH_BASE(VMCS_GUEST_SEG_BASE(VMX_SEG_DS)))),
	M(GUEST_ES_BASE_HIGH, PROT, BAD(HIGH_BASE(VMCS_GUEST_SEG_BASE(VMX_SEG_ES)))),
	/* An unusable DS may hold anything (here a 64-bit base). */
	M(GUEST_DS_BASE_HIGH, PROT,
	  OK(W(VMCS_GUEST_SEG_AR(VMX_SEG_DS), VMX_AR_UNUSABLE), HIGH_BASE(VMCS_GUEST_SEG_BASE(VMX_SEG_DS))),
	  BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_DS), 0xc093))),
	M(GUEST_CS_TYPE, PROT, BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_CS), 0xc09a))),
	M(GUEST_CS_TYPE, PAGED, BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_CS), 0xc093))),
	/* Type 3 (data) for CS: real mode with unrestricted guest only. */
	M(GUEST_CS_TYPE, REAL, OK(W(VMCS_GUEST_SEG_AR(VMX_SEG_CS), 0x93)),
	  BAD(C(FIELD_PROC2, PROC2_UNRESTRICTED))),
	M(GUEST_SS_TYPE, PROT, BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_SS), 0xc09b))),
	M(GUEST_SS_TYPE, PROT, OK(W(VMCS_GUEST_SEG_AR(VMX_SEG_SS), 0xc097)),
	  BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_SS), 0xc091))),
	SEG4_M(ACCESSED, PROT, VMCS_GUEST_SEG_AR, NOT_ACCESSED),
	SEG4_M(READABLE, PROT, VMCS_GUEST_SEG_AR, EXEC_ONLY),
	M(GUEST_DS_READABLE, PROT, OK(W(VMCS_GUEST_SEG_AR(VMX_SEG_DS), 0xc09b)),
	  BAD(C(VMCS_GUEST_SEG_AR(VMX_SEG_DS), 2))),
	SEG6_M(S, PROT, VMCS_GUEST_SEG_AR, W(VMCS_GUEST_CR3, 0), AR_SYSTEM),
	M(GUEST_CS_DPL_TYPE3, REAL, OK(W(VMCS_GUEST_SEG_AR(VMX_SEG_CS), 0x93)),
	  BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_CS), 0xb3))),
	M(GUEST_CS_DPL_NONCONF, PROT, BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_CS), 0xc0bb))),
	M(GUEST_CS_DPL_NONCONF, PROT,
	  OK(W(VMCS_GUEST_SEG_AR(VMX_SEG_CS), 0xc0fb), W(VMCS_GUEST_SEG_AR(VMX_SEG_SS), 0xc0f3),
	     W(VMCS_GUEST_SEG_SELECTOR(VMX_SEG_CS), 0x0b), W(VMCS_GUEST_SEG_SELECTOR(VMX_SEG_SS), 0x13)),
	  BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_SS), 0xc0d3))),
	M(GUEST_CS_DPL_CONF, PROT, OK(W(VMCS_GUEST_SEG_AR(VMX_SEG_CS), 0xc09f)),
	  BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_CS), 0xc0bf))),
	M(GUEST_SS_DPL_RPL, PAGED, BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_SS), 0xc0b3))),
	M(GUEST_SS_DPL_ZERO, REAL, BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_SS), 0xf3))),
	M(GUEST_SS_DPL_ZERO, REAL, OK(W(VMCS_GUEST_SEG_AR(VMX_SEG_CS), 0x93)),
	  BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_SS), 0xb3))),
	M(GUEST_DS_DPL, PAGED,
	  OK(W(VMCS_GUEST_SEG_SELECTOR(VMX_SEG_DS), 0x13), W(VMCS_GUEST_SEG_AR(VMX_SEG_DS), 0xc0f3)),
	  BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_DS), 0xc0b3))),
	SEG4_M(DPL, PAGED, VMCS_GUEST_SEG_SELECTOR, W_RPL3),
	/* Conforming code may have any DPL. */
	M(GUEST_FS_DPL, PAGED,
	  OK(W(VMCS_GUEST_SEG_SELECTOR(VMX_SEG_FS), 0x13), W(VMCS_GUEST_SEG_AR(VMX_SEG_FS), 0xc09f)),
	  BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_FS), 0xc09b))),
	SEG6_M(P, PROT, VMCS_GUEST_SEG_AR, W(VMCS_GUEST_CR3, 0), AR_NOT_PRESENT),
	SEG6_M(AR_11_8, PROT, VMCS_GUEST_SEG_AR, W(VMCS_GUEST_CR3, 0), AR_BIT8),
	M(GUEST_CS_DB, LONG, BAD(O(VMCS_GUEST_SEG_AR(VMX_SEG_CS), VMX_AR_DB))),
	/* D=1 is compatibility mode's 32-bit code. */
	M(GUEST_CS_DB, LONG,
	  OK(W(VMCS_GUEST_SEG_AR(VMX_SEG_CS), 0xc09b), W(VMCS_GUEST_RIP, 0x1000)),
	  BAD(O(VMCS_GUEST_SEG_AR(VMX_SEG_CS), VMX_AR_L))),
	SEG6_M(G, PROT, VMCS_GUEST_SEG_LIMIT, W(VMCS_GUEST_CR3, 0), LIMIT_NOT_4K),
	M(GUEST_DS_G, REAL, OK(W(VMCS_GUEST_SEG_LIMIT(VMX_SEG_DS), 0xfffff)),
	  BAD(W(VMCS_GUEST_SEG_LIMIT(VMX_SEG_DS), 0x100000))),
	SEG6_M(AR_31_17, PROT, VMCS_GUEST_SEG_AR, W(VMCS_GUEST_CR3, 0), AR_BIT17),
	M(GUEST_TR_TYPE, LONG, BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_TR), 0x83))),
	M(GUEST_TR_TYPE, PROT, OK(W(VMCS_GUEST_SEG_AR(VMX_SEG_TR), 0x83)),
	  BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_TR), 0x89))),
	M(GUEST_TR_S, PROT, BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_TR), 0x9b))),
	M(GUEST_TR_P, PROT, BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_TR), 0x0b))),
	M(GUEST_TR_AR_11_8, PROT, BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_TR), 0x18b))),
	M(GUEST_TR_G, PROT, BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_TR), 0x808b))),
	M(GUEST_TR_UNUSABLE, PROT, BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_TR), 0x1008b))),
	M(GUEST_TR_AR_31_17, PROT, BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_TR), 0x2008b))),
	M(GUEST_LDTR_TYPE, PROT, OK(LDTR_OK), BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_LDTR), 0x83))),
	M(GUEST_LDTR_S, PROT, OK(LDTR_OK), BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_LDTR), 0x92))),
	M(GUEST_LDTR_P, PROT, OK(LDTR_OK), BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_LDTR), 0x02))),
	M(GUEST_LDTR_AR_11_8, PROT, OK(LDTR_OK),
	  BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_LDTR), 0x182))),
	M(GUEST_LDTR_G, PROT, OK(LDTR_OK),
	  BAD(W(VMCS_GUEST_SEG_LIMIT(VMX_SEG_LDTR), 0x100000))),
	M(GUEST_LDTR_AR_31_17, PROT, OK(LDTR_OK),
	  BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_LDTR), 0x20082))),

	/* 27.3.1.3 guest descriptor-table registers */
	M(GUEST_GDTR_BASE, PROT, BAD(W(VMCS_GUEST_GDTR_BASE, NONCANON))),
	M(GUEST_IDTR_BASE, PROT, BAD(W(VMCS_GUEST_IDTR_BASE, NONCANON))),
	M(GUEST_GDTR_LIMIT, PROT, BAD(W(VMCS_GUEST_GDTR_LIMIT, 0x10000))),
	M(GUEST_IDTR_LIMIT, PROT, BAD(W(VMCS_GUEST_IDTR_LIMIT, 0x10000))),

	/* 27.3.1.4 guest RIP and RFLAGS */
	M(GUEST_RIP_HIGH, PROT, BAD(W(VMCS_GUEST_RIP, 1ULL << 32))),
	/* Compatibility mode (CS.L=0) in an IA-32e mode guest. */
	M(GUEST_RIP_HIGH, LONG,
	  OK(W(VMCS_GUEST_SEG_AR(VMX_SEG_CS), 0xc09b), W(VMCS_GUEST_RIP, 0x1000)),
	  BAD(W(VMCS_GUEST_RIP, 1ULL << 32))),
	/* Bit 47 alone may differ at entry: only bits 63:48 must agree. */
	M(GUEST_RIP_CANON, LONG, OK(W(VMCS_GUEST_RIP, 1ULL << 47)),
	  BAD(W(VMCS_GUEST_RIP, 1ULL << 48))),
	M(GUEST_RFLAGS_RESERVED, PROT, BAD(O(RFL, BIT(15)))),
	M(GUEST_RFLAGS_RESERVED, PROT, BAD(O(RFL, BIT_ULL(22)))),
	M(GUEST_RFLAGS_BIT1, PROT, BAD(W(RFL, 0))),
	M(GUEST_RFLAGS_VM, REAL, BAD(O(RFL, CHK_RFLAGS_VM))),
	M(GUEST_RFLAGS_VM, LONG, BAD(O(RFL, CHK_RFLAGS_VM))),
	M(GUEST_RFLAGS_IF, PROT, OK(O(RFL, IFL), W(INFO, EXT_INTR(0x20))),
	  BAD(C(RFL, IFL))),

	/* 27.3.1.5 guest non-register state */
	M(GUEST_ACTIVITY_RANGE, PROT, OK(W(ACT, 3)), BAD(W(ACT, 4))),
	M(GUEST_ACTIVITY_UNSUPPORTED, PROT, OK(W(ACT, 3)),
	  .bad_caps = caps_no_sipi),
	M(GUEST_ACTIVITY_HLT_DPL, PROT, OK(W(ACT, 1)),
	  BAD(W(VMCS_GUEST_SEG_AR(VMX_SEG_SS), 0xc0b3))),
	M(GUEST_ACTIVITY_BLOCKING, PROT, OK(O(RFL, IFL), W(BLK, 1)),
	  BAD(W(ACT, 1))),
	M(GUEST_EVENT_IN_HLT, PROT,
	  OK(W(ACT, 1), O(RFL, IFL), W(INFO, EXT_INTR(0x20))),
	  BAD(W(INFO, UD))),
	M(GUEST_EVENT_IN_HLT, PROT,
	  OK(W(ACT, 1), W(INFO, EV(VMX_EV_HW_EXC, 1))),
	  BAD(W(INFO, EV(VMX_EV_SW_INTR, 0x80)),
	      W(VMCS_VM_ENTRY_INSTRUCTION_LEN, 2))),
	M(GUEST_EVENT_IN_SHUTDOWN, PROT, OK(W(ACT, 2), W(INFO, NMI)),
	  BAD(W(INFO, UD))),
	M(GUEST_EVENT_IN_SHUTDOWN, PROT,
	  OK(W(ACT, 2), W(INFO, EV(VMX_EV_HW_EXC, 18))),
	  BAD(O(RFL, IFL), W(INFO, EXT_INTR(0x20)))),
	M(GUEST_EVENT_IN_SIPI, PROT, OK(W(ACT, 3)), BAD(W(INFO, NMI))),
	M(GUEST_INTR_RESERVED, PROT, BAD(W(BLK, BIT(5)))),
	M(GUEST_INTR_STI_MOVSS, PROT, OK(O(RFL, IFL), W(BLK, 1)),
	  BAD(W(BLK, 3))),
	M(GUEST_INTR_STI_IF, PROT, OK(O(RFL, IFL), W(BLK, 1)),
	  BAD(C(RFL, IFL))),
	M(GUEST_INTR_EXT_BLOCKED, PROT,
	  OK(O(RFL, IFL), W(INFO, EXT_INTR(0x20))), BAD(W(BLK, 1))),
	M(GUEST_INTR_EXT_BLOCKED, PROT,
	  OK(O(RFL, IFL), W(INFO, EXT_INTR(0x20))), BAD(W(BLK, 2))),
	M(GUEST_INTR_NMI_MOVSS, PROT, OK(W(INFO, NMI)), BAD(W(BLK, 2))),
	M(GUEST_INTR_SMI, PROT, BAD(W(BLK, 4))),
	M(GUEST_INTR_VNMI, PROT,
	  OK(O(FIELD_PIN, PIN_VIRTUAL_NMIS), W(INFO, NMI)),
	  BAD(W(BLK, 8))),
	M(GUEST_PENDING_DBG_RESERVED, PROT, BAD(W(FIELD_PENDING, BIT(4)))),
	M(GUEST_PENDING_DBG_RESERVED, PROT, BAD(W(FIELD_PENDING, BIT_ULL(17)))),
	M(GUEST_PENDING_BS_SET, PROT,
	  OK(O(RFL, IFL | CHK_RFLAGS_TF), W(BLK, 1),
	     W(FIELD_PENDING, VMX_DBG_BS)),
	  BAD(W(FIELD_PENDING, 0))),
	/* With BTF, TF traps on branches only: no single-step pending. */
	M(GUEST_PENDING_BS_SET, PROT,
	  OK(O(RFL, CHK_RFLAGS_TF), W(ACT, 1),
	     W(VMCS_GUEST_IA32_DEBUGCTL, CHK_DEBUGCTL_BTF)),
	  BAD(W(VMCS_GUEST_IA32_DEBUGCTL, 0))),
	M(GUEST_PENDING_BS_CLEAR, PROT, OK(O(RFL, IFL), W(BLK, 1)),
	  BAD(W(FIELD_PENDING, VMX_DBG_BS))),
	/* Nothing held back, so BS may be anything. */
	M(GUEST_PENDING_BS_CLEAR, PROT, OK(W(FIELD_PENDING, VMX_DBG_BS)),
	  BAD(W(ACT, 1))),
	M(GUEST_PENDING_RTM, PROT, OK(W(FIELD_PENDING, BIT(16))),
	  BAD(O(FIELD_PENDING, 1))),
	M(GUEST_LINK_ALIGN, PROT, OK(SHADOW_OK,
				     W(VMCS_VMCS_LINK_POINTER, 0x1c000)),
	  BAD(W(VMCS_VMCS_LINK_POINTER, 0x1c008))),
	M(GUEST_LINK_WIDTH, PROT, OK(SHADOW_OK,
				     W(VMCS_VMCS_LINK_POINTER, 0x1c000)),
	  BAD(W(VMCS_VMCS_LINK_POINTER, 0x1c000 | V39))),
	M(GUEST_LINK_SHADOW, PROT, OK(SHADOW_OK,
				      W(VMCS_VMCS_LINK_POINTER, 0x1c000)),
	  BAD(C(FIELD_PROC2, PROC2_SHADOW_VMCS))),

	/* CET state (SDM 27.2.2, 27.3.1.1) */
	M(HOST_S_CET_RESERVED, PROT, OK(CET_HOST_OK),
	  BAD(O(VMCS_HOST_S_CET, BIT(6)))),
	M(HOST_S_CET_CANON, PROT, OK(CET_HOST_OK),
	  BAD(W(VMCS_HOST_S_CET, NONCANON))),
	M(HOST_S_CET_ENDBR, PROT, OK(CET_HOST_OK, O(VMCS_HOST_S_CET, BIT(10))),
	  BAD(O(VMCS_HOST_S_CET, BIT(11)))),
	M(HOST_SSP_ALIGN, PROT, OK(CET_HOST_OK), BAD(O(VMCS_HOST_SSP, 4 | 2))),
	M(HOST_SSP_CANON, PROT, OK(CET_HOST_OK), BAD(W(VMCS_HOST_SSP, NONCANON))),
	M(HOST_ISST_CANON, PROT, OK(CET_HOST_OK),
	  BAD(W(VMCS_HOST_INTR_SSP_TABLE_ADDR, NONCANON))),
	M(GUEST_S_CET_RESERVED, LONG, OK(CET_GUEST_OK),
	  BAD(O(VMCS_GUEST_S_CET, BIT(9)))),
	M(GUEST_S_CET_CANON, LONG, OK(CET_GUEST_OK),
	  BAD(W(VMCS_GUEST_S_CET, NONCANON | 1))),
	M(GUEST_S_CET_ENDBR, LONG, OK(CET_GUEST_OK, O(VMCS_GUEST_S_CET, BIT(11))),
	  BAD(O(VMCS_GUEST_S_CET, BIT(10)))),
	M(GUEST_SSP_ALIGN, LONG, OK(CET_GUEST_OK), BAD(O(VMCS_GUEST_SSP, 1))),
	M(GUEST_SSP_CANON, LONG, OK(CET_GUEST_OK),
	  BAD(W(VMCS_GUEST_SSP, NONCANON))),
	M(GUEST_ISST_CANON, LONG, OK(CET_GUEST_OK),
	  BAD(W(VMCS_GUEST_INTR_SSP_TABLE_ADDR, NONCANON))),
	M(HOST_PKRS, PROT,
	  OK(O(FIELD_EXIT, EXIT_LOAD_PKRS), W(VMCS_HOST_IA32_PKRS, 0x55555554)),
	  BAD(O(VMCS_HOST_IA32_PKRS, BIT_ULL(40)))),
	M(SPPTP_ALIGN, PAGED,
	  OK(O(FIELD_PROC2, PROC2_SPP), W(VMCS_SPP_TABLE_POINTER, 0x1d000)),
	  BAD(W(VMCS_SPP_TABLE_POINTER, 0x1d800))),
	M(SPPTP_WIDTH, PAGED,
	  OK(O(FIELD_PROC2, PROC2_SPP), W(VMCS_SPP_TABLE_POINTER, 0x1d000)),
	  BAD(W(VMCS_SPP_TABLE_POINTER, 0x1d000 | V39))),

	M(PT_GPA_NEEDS_EPT, PAGED, OK(PT_GPA_OK),
	  BAD(C(FIELD_PROC2, PROC2_EPT))),
	M(PT_GPA_NEEDS_LOAD_RTIT, PROT, OK(PT_GPA_OK),
	  BAD(C(FIELD_ENTRY, ENTRY_LOAD_RTIT))),
	M(PT_GPA_NEEDS_CLEAR_RTIT, PROT, OK(PT_GPA_OK),
	  BAD(C(FIELD_EXIT, EXIT_CLEAR_RTIT))),

	/* 27.3.1.6 PDPTEs */
	M(GUEST_PDPTE0, PROT, OK(PAE_OK), BAD(W(VMCS_GUEST_PDPTE0, 0x6003))),
	M(GUEST_PDPTE1, PROT, OK(PAE_OK), BAD(W(VMCS_GUEST_PDPTE1, 0x7021))),
	M(GUEST_PDPTE2, PROT, OK(PAE_OK),
	  BAD(W(VMCS_GUEST_PDPTE2, 0x8001 | V39))),
	M(GUEST_PDPTE3, PROT, OK(PAE_OK),
	  BAD(W(VMCS_GUEST_PDPTE3, 0x9001 | BIT_ULL(63)))),
	/* Long mode has no PDPTE registers; without EPT they are in memory. */
	M(GUEST_PDPTE0, LONG, OK(W(VMCS_GUEST_PDPTE0, 0x6003)),
	  BAD(C(FIELD_ENTRY, ENTRY_IA32E_GUEST), C(VMCS_GUEST_IA32_EFER, 0x500))),
	M(GUEST_PDPTE1, PROT,
	  OK(PAE_OK, C(FIELD_PROC2, PROC2_EPT | PROC2_UNRESTRICTED),
	     W(VMCS_GUEST_PDPTE1, 0x7003)),
	  BAD(O(FIELD_PROC2, PROC2_EPT))),
};

static void apply(struct state *s, const struct write *w, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n && w[i].op != END; i++) {
		u64 *f = &s->f[w[i].field];

		if (w[i].op == SET)
			*f = w[i].v;
		else if (w[i].op == OR)
			*f |= w[i].v;
		else
			*f &= ~w[i].v;
	}
}

static const struct chk_rule *rule_entry(unsigned int id)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(chk_rules); i++)
		if (chk_rules[i].id == id)
			return &chk_rules[i];
	return NULL;
}

static const struct vmxlab_check_failure *
find(const struct vmxlab_check_failure *f, unsigned int n, unsigned int id)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (f[i].rule == id)
			return &f[i];
	return NULL;
}

#define MAXF	64

TEST(checks_every_rule_once_in_the_table)
{
	unsigned int count[VMXLAB_CHECK_COUNT] = { 0 };
	unsigned int i;

	CHECK_EQ(ARRAY_SIZE(chk_rules), VMXLAB_CHECK_COUNT - 1);
	for (i = 0; i < ARRAY_SIZE(chk_rules); i++) {
		CHECK(chk_rules[i].id > 0 && chk_rules[i].id < VMXLAB_CHECK_COUNT);
		if (chk_rules[i].id < VMXLAB_CHECK_COUNT)
			count[chk_rules[i].id]++;
	}
	for (i = 1; i < VMXLAB_CHECK_COUNT; i++)
		if (count[i] != 1)
			tap_fail(__FILE__, __LINE__, "rule %s is in the table %u times",
				 vmxlab_check_names[i], count[i]);
}

TEST(checks_words_for_every_rule)
{
	unsigned int i;

	CHECK(!vmxlab_check_names[0]);
	CHECK_STR(vmxlab_check_names[VMXLAB_CHECK_PIN_RESERVED], "PIN_RESERVED");
	CHECK_EQ(VMXLAB_CHECK_PIN_RESERVED, 1);
	for (i = 1; i < VMXLAB_CHECK_COUNT; i++) {
		CHECK(vmxlab_check_names[i] && vmxlab_check_sections[i] &&
		      vmxlab_check_texts[i]);
		CHECK(!strncmp(vmxlab_check_sections[i], "27.", 3));
		CHECK(strlen(vmxlab_check_texts[i]) < 100);
	}
}

TEST(checks_every_rule_has_a_test)
{
	bool seen[VMXLAB_CHECK_COUNT] = { false };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mutations); i++)
		if (mutations[i].rule < VMXLAB_CHECK_COUNT)
			seen[mutations[i].rule] = true;
	for (i = 1; i < VMXLAB_CHECK_COUNT; i++)
		if (!seen[i])
			tap_fail(__FILE__, __LINE__, "rule %s has no test",
				 vmxlab_check_names[i]);
}

/*
 * For each mutation: the state with @ok holds (no failure at all unless
 * @dirty), then with @bad the rule fails, names its first field, and its
 * bits under the mask differ from the expected ones.
 */
TEST(checks_each_rule_passes_and_fails)
{
	struct vmxlab_check_failure out[MAXF];
	const struct vmxlab_check_failure *f;
	static struct state s;
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(mutations); i++) {
		const struct mutation *m = &mutations[i];
		const struct chk_rule *r = rule_entry(m->rule);
		const char *name = vmxlab_check_names[m->rule];

		bases[m->base](&s);
		if (m->caps)
			m->caps(&s.caps);
		apply(&s, m->ok, ARRAY_SIZE(m->ok));
		n = run(&s, out, MAXF);
		if (find(out, n, m->rule) || (!m->dirty && n)) {
			tap_fail(__FILE__, m->line, "%s: the passing state fails",
				 name);
			print_failures(out, n < MAXF ? n : MAXF);
		}

		apply(&s, m->bad, ARRAY_SIZE(m->bad));
		if (m->bad_caps)
			m->bad_caps(&s.caps);
		n = run(&s, out, MAXF);
		f = find(out, n < MAXF ? n : MAXF, m->rule);
		if (!f) {
			tap_fail(__FILE__, m->line, "%s: the failing state passes",
				 name);
			print_failures(out, n < MAXF ? n : MAXF);
			continue;
		}
		if (r && f->field != r->field[0])
			tap_fail(__FILE__, m->line, "%s: field %#x, want %#x",
				 name, f->field, r->field[0]);
		if ((f->actual & f->mask) == f->expected || f->expected & ~f->mask)
			tap_fail(__FILE__, m->line,
				 "%s: actual %#llx expected %#llx mask %#llx",
				 name, (unsigned long long)f->actual,
				 (unsigned long long)f->expected,
				 (unsigned long long)f->mask);
	}
}

TEST(checks_counts_beyond_max)
{
	struct vmxlab_check_failure out[2];
	static struct state s;
	unsigned int n;

	base_prot(&s);
	s.f[VMCS_HOST_CS_SELECTOR] = 0;
	s.f[VMCS_HOST_TR_SELECTOR] = 0;
	s.f[VMCS_GUEST_RFLAGS] = 0;
	memset(out, 0xa5, sizeof(out));
	n = run(&s, out, 1);
	CHECK_EQ(n, 3);
	CHECK_EQ(out[0].rule, VMXLAB_CHECK_HOST_CS_SEL_ZERO);
	CHECK_EQ(out[1].rule, 0xa5a5a5a5);
	CHECK_EQ(run(&s, NULL, 0), 3);
}

/* How the loader prints a failure: the words read with the values. */
TEST(checks_failure_reads_well)
{
	struct vmxlab_check_failure out[4];
	static struct state s;
	char line[200];
	unsigned int n;

	base_real(&s);
	s.f[VMCS_GUEST_CR0] |= CRR_CR0_PG;
	n = run(&s, out, 4);
	CHECK_EQ(n, 1);
	snprintf(line, sizeof(line), "%s (SDM %s): %#llx, expected %#llx under %#llx",
		 vmxlab_check_texts[out[0].rule],
		 vmxlab_check_sections[out[0].rule],
		 (unsigned long long)out[0].actual,
		 (unsigned long long)out[0].expected,
		 (unsigned long long)out[0].mask);
	CHECK_STR(line, "guest CR0.PG=1 while CR0.PE=0 (SDM 27.3.1.1): 0x80000030, expected 0x1 under 0x1");
	CHECK_EQ(out[0].field, VMCS_GUEST_CR0);
}
