// SPDX-License-Identifier: GPL-2.0
/*
 * apic-tpr - task and processor priority (SDM Vol. 3A 11.8.3): the APIC
 * delivers a fixed interrupt only if its priority class (vector bits 7:4)
 * is above the class of PPR, and PPR is TPR or, when higher, the class of
 * the highest vector in ISR.  Self-IPIs 0x45, 0x55 and 0x65 against TPR
 * 0x50, 0x40 and 0; the order of three pending vectors; a higher class
 * nesting in a running handler, a lower one waiting for its EOI; ISR,
 * IRR and PPR read while a handler runs; CR8 as TPR[7:4] (SDM 11.8.6).
 * ELF64, long mode, C.
 */
#define TEST_NAME "apic-tpr"
#include "intr.h"

#define V_LOW		0x45
#define V_MID		0x55
#define V_HIGH		0x65
#define V_NEST_LOW	0x46	/* its handler sends V_HIGH */
#define V_NEST_HIGH	0x66	/* its handler sends V_MID */

static volatile unsigned count[256];
static volatile uint64_t seq;		/* vectors in the order taken */
static volatile uint32_t ppr_in[256];
static volatile int isr_in[256], irr_in[256], low_irr_in[256],
	mid_irr_in[256];
static volatile unsigned inner_before_eoi, inner_after_eoi;

static void handler(struct intr_frame *f)
{
	unsigned v = f->vector;

	count[v]++;
	seq = seq << 8 | v;
	ppr_in[v] = apic_read(LAPIC_PPR);
	isr_in[v] = apic_isr(v);
	irr_in[v] = apic_irr(v);
	low_irr_in[v] = apic_irr(V_LOW);
	mid_irr_in[v] = apic_irr(V_MID);
	apic_eoi();
}

/* Class 4 running (PPR 0x40): a class-6 IPI is above it and nests. */
static void nest_low_handler(struct intr_frame *f)
{
	(void)f;
	apic_self_ipi(V_HIGH);
	sti_nop_cli();
	inner_before_eoi = count[V_HIGH];
	apic_eoi();
}

/* Class 6 running (PPR 0x60): a class-5 IPI waits for the EOI. */
static void nest_high_handler(struct intr_frame *f)
{
	(void)f;
	apic_self_ipi(V_MID);
	sti_nop_cli();
	inner_before_eoi = count[V_MID];
	apic_eoi();
	sti_nop_cli();
	inner_after_eoi = count[V_MID];
}

static inline uint64_t read_cr8(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr8, %0" : "=r"(v));
	return v;
}

static inline void write_cr8(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr8" : : "r"(v) : "memory");
}

/* CPUID serializes, as SDM 11.8.6.1 asks between MOV CR8 and stores to
 * the APIC's TPR. */
static inline void serialize(void)
{
	uint32_t a, b, c, d;

	cpuid(0, &a, &b, &c, &d);
}

static void set_tpr(uint32_t tpr)
{
	apic_write(LAPIC_TPR, tpr);
	want_eq("TPR reads back", apic_read(LAPIC_TPR) & 0xff, tpr);
	/* Nothing in service: PPR = TPR. */
	want_eq("PPR with ISR empty", apic_read(LAPIC_PPR) & 0xff, tpr);
}

int main(void)
{
	idt256_init();
	idt256_set_handler(V_LOW, handler);
	idt256_set_handler(V_MID, handler);
	idt256_set_handler(V_HIGH, handler);
	idt256_set_handler(V_NEST_LOW, nest_low_handler);
	idt256_set_handler(V_NEST_HIGH, nest_high_handler);
	pic_init(0x20, 0xff, 0xff);
	apic_sw_enable();
	cli();

	set_tpr(0x50);
	apic_self_ipi(V_LOW);
	apic_self_ipi(V_MID);
	apic_self_ipi(V_HIGH);
	want_eq("IRR 0x45, 0x55, 0x65 with IF=0",
		apic_irr(V_LOW) << 2 | apic_irr(V_MID) << 1 | apic_irr(V_HIGH), 7);
	seq = 0;
	sti_nop_cli();
	want_eq("vectors taken with TPR 0x50", seq, V_HIGH);
	want_eq("IRR 0x45 and 0x55 after the window",
		apic_irr(V_LOW) << 1 | apic_irr(V_MID), 3);
	ok("TPR 0x50: 0x65 taken, 0x55 (same class) and 0x45 held in IRR");
	want_eq("PPR in the 0x65 handler (ISR class 6 > TPR class 5)",
		ppr_in[V_HIGH] & 0xff, 0x60);
	want_eq("ISR bit 0x65 in its handler", isr_in[V_HIGH], 1);
	want_eq("IRR bit 0x65 in its handler", irr_in[V_HIGH], 0);
	want_eq("IRR 0x45, 0x55 in the 0x65 handler",
		low_irr_in[V_HIGH] << 1 | mid_irr_in[V_HIGH], 3);
	want_eq("ISR bit 0x65 after EOI", apic_isr(V_HIGH), 0);
	want_eq("PPR after EOI", apic_read(LAPIC_PPR) & 0xff, 0x50);
	ok("in the 0x65 handler: ISR 0x65 set, IRR 0x65 clear, PPR 0x60, after EOI PPR 0x50");

	set_tpr(0x40);
	seq = 0;
	sti_nop_cli();
	want_eq("vectors taken with TPR 0x40", seq, V_MID);
	want_eq("PPR in the 0x55 handler", ppr_in[V_MID] & 0xff, 0x50);
	want_eq("IRR 0x45 in the 0x55 handler", low_irr_in[V_MID], 1);
	want_eq("IRR 0x45 after the window", apic_irr(V_LOW), 1);
	ok("TPR 0x40: 0x55 taken (PPR 0x50 in its handler), 0x45 still held");

	set_tpr(0);
	seq = 0;
	sti_nop_cli();
	want_eq("vectors taken with TPR 0", seq, V_LOW);
	want_eq("PPR in the 0x45 handler", ppr_in[V_LOW] & 0xff, 0x40);
	want_eq("IRR 0x45 after the window", apic_irr(V_LOW), 0);
	ok("TPR 0: 0x45 taken (PPR 0x40 in its handler)");

	/* Three pending: each EOI and IRETQ lets the next in, highest
	 * vector first (SDM 11.8.3), all in one window. */
	apic_self_ipi(V_LOW);
	apic_self_ipi(V_HIGH);
	apic_self_ipi(V_MID);
	seq = 0;
	sti_nop_cli();
	want_eq("vectors taken, in order", seq,
		V_HIGH << 16 | V_MID << 8 | V_LOW);
	ok("0x45, 0x65, 0x55 pending: taken as 0x65, 0x55, 0x45");

	count[V_HIGH] = 0;
	apic_self_ipi(V_NEST_LOW);
	sti_nop_cli();
	want_eq("0x65 taken inside the 0x46 handler, before its EOI",
		inner_before_eoi, 1);
	ok("0x65 nests in the 0x46 handler (class 6 > PPR class 4)");

	count[V_MID] = 0;
	apic_self_ipi(V_NEST_HIGH);
	sti_nop_cli();
	want_eq("0x55 taken inside the 0x66 handler before its EOI",
		inner_before_eoi, 0);
	want_eq("0x55 taken inside the 0x66 handler after its EOI",
		inner_after_eoi, 1);
	ok("0x55 waits for the 0x66 handler's EOI (class 5 < PPR class 6)");

	/* CR8[3:0] is TPR[7:4]; writing CR8 clears TPR[3:0] (SDM 11.8.6). */
	write_cr8(6);
	serialize();
	want_eq("TPR after MOV CR8, 6", apic_read(LAPIC_TPR) & 0xff, 0x60);
	apic_write(LAPIC_TPR, 0x3c);
	serialize();
	want_eq("CR8 after TPR = 0x3c", read_cr8(), 3);
	write_cr8(0);
	serialize();
	want_eq("TPR after MOV CR8, 0", apic_read(LAPIC_TPR) & 0xff, 0);
	ok("CR8 reads and writes TPR[7:4]");

	/*
	 * Lowering CR8 with IF = 1 releases a vector TPR held back: it is
	 * taken right after the MOV (under vmxlab's TPR shadow, through a
	 * TPR-below-threshold exit, SDM 30.1.2; without it, a CR8 exit).
	 */
	write_cr8(5);
	apic_self_ipi(V_LOW);
	seq = 0;
	sti();
	__asm__ volatile("nop" ::: "memory");
	want_eq("0x45 held by CR8 = 5 with IF = 1", seq, 0);
	write_cr8(0);
	__asm__ volatile("nop" ::: "memory");
	cli();
	want_eq("0x45 taken right after MOV CR8, 0", seq, V_LOW);
	ok("MOV CR8 lowering TPR releases a held vector at once");
	return GUEST_PASS;
}
