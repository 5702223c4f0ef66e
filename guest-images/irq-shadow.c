// SPDX-License-Identifier: GPL-2.0
/*
 * irq-shadow - where a pending interrupt is taken.  "If IF = 0, maskable
 * hardware interrupts remain inhibited on the instruction boundary
 * following an execution of STI" (SDM Vol. 2B, STI), so with a self-IPI
 * pending:
 *   STI; HLT  the HLT executes and the interrupt ends the halt; its
 *             saved RIP is the instruction after the HLT (SDM Vol. 2A,
 *             HLT), and the guest does not sleep forever;
 *   STI; NOP  taken after the NOP, not between STI and NOP;
 *   INT3      an interrupt gate clears IF (SDM 6.12.1), so the IPI waits
 *             until the #BP handler's own STI and then nests inside it,
 *             whether IF was 0 at the INT3 or just set by an STI whose
 *             shadow covers the INT3.
 * A one-shot APIC timer is the watchdog of the HLT.  ELF64, long mode, C.
 */
#define TEST_NAME "irq-shadow"
#include "intr.h"

#define V_IPI		0x50
#define V_NEST		0x52
#define V_WATCHDOG	0x31
#define COUNT_PER_MS	(1000000 / 16)		/* APIC timer at /16 */

/* Addresses of the instructions below, from their asm labels. */
extern char hlt_insn[], after_hlt[], after_nop[], after_int3[],
	after_sti_int3[], bp_window_end[];

static volatile unsigned ipi_count, watchdog_count;
static volatile uint64_t ipi_rip;
static volatile char order[8];
static volatile unsigned norder;
static volatile uint64_t bp_rip, bp_rflags, nest_rip;

static void log_event(char c)
{
	if (norder < sizeof(order) - 1)
		order[norder++] = c;
}

static void ipi_handler(struct intr_frame *f)
{
	ipi_count++;
	ipi_rip = f->rip;
	/* Taken before the HLT: returning there would halt with nothing
	 * pending.  Skip it so that the check reports the bad RIP. */
	if (f->rip == (uint64_t)hlt_insn)
		f->rip = (uint64_t)after_hlt;
	apic_eoi();
}

static void watchdog_handler(struct intr_frame *f)
{
	(void)f;
	watchdog_count++;
	apic_eoi();
}

static void nest_handler(struct intr_frame *f)
{
	log_event('I');
	nest_rip = f->rip;
	apic_eoi();
}

/* The #BP handler's interrupt window: the IPI is taken after its NOP. */
static __attribute__((noinline)) void bp_window(void)
{
	__asm__ volatile("sti\n\tnop\n"
			 ".globl bp_window_end\nbp_window_end:\n\tcli"
			 ::: "memory");
}

static void bp_handler(struct intr_frame *f)
{
	log_event('B');
	bp_rip = f->rip;
	bp_rflags = f->rflags;
	bp_window();
	log_event('b');
}

static __attribute__((noinline)) void labelled_sti_hlt(void)
{
	__asm__ volatile("sti\n"
			 ".globl hlt_insn\nhlt_insn:\n\thlt\n"
			 ".globl after_hlt\nafter_hlt:\n\tcli"
			 ::: "memory");
}

static __attribute__((noinline)) void labelled_sti_nop(void)
{
	__asm__ volatile("sti\n\tnop\n"
			 ".globl after_nop\nafter_nop:\n\tcli"
			 ::: "memory");
}

static __attribute__((noinline)) void labelled_int3(void)
{
	__asm__ volatile("int3\n"
			 ".globl after_int3\nafter_int3:\n"
			 ::: "memory");
}

static __attribute__((noinline)) void labelled_sti_int3(void)
{
	__asm__ volatile("sti\n\tint3\n"
			 ".globl after_sti_int3\nafter_sti_int3:\n\tcli"
			 ::: "memory");
}

/* Send the IPI with IF=0 and see it wait in IRR. */
static void ipi_pending(unsigned vec)
{
	cli();
	apic_self_ipi(vec);
	want_eq("self-IPI pending in IRR with IF=0", apic_irr(vec), 1);
}

static void check_nesting(const char *what, uint64_t rip, uint64_t flags)
{
	uint64_t events = 0;
	unsigned i;

	/* As ASCII, one byte each: 0x424962 is "BIb". */
	for (i = 0; i < norder; i++)
		events = events << 8 | (uint8_t)order[i];
	want_eq("events (B #BP handler, I IPI handler, b #BP handler end)",
		events, 'B' << 16 | 'I' << 8 | 'b');
	want_eq("#BP saved RIP (after the INT3: a trap)", bp_rip, rip);
	want_eq("#BP saved RFLAGS.IF", bp_rflags & RFLAGS_IF, flags);
	want_eq("IPI saved RIP (in the #BP handler, after its STI+NOP)",
		nest_rip, (uint64_t)bp_window_end);
	ok(what);
}

int main(void)
{
	idt256_init();
	idt256_set_handler(3, bp_handler);
	idt256_set_handler(V_IPI, ipi_handler);
	idt256_set_handler(V_NEST, nest_handler);
	idt256_set_handler(V_WATCHDOG, watchdog_handler);
	pic_init(0x20, 0xff, 0xff);
	apic_sw_enable();
	apic_write(LAPIC_TIMER_DIVIDE, 0x3);
	apic_write(LAPIC_LVT_TIMER, LAPIC_TIMER_ONESHOT << LAPIC_TIMER_MODE_SHIFT
		   | V_WATCHDOG);

	/* STI; HLT, a 100 ms watchdog in case the IPI does not end it. */
	ipi_pending(V_IPI);
	apic_write(LAPIC_TIMER_INITIAL, 100 * COUNT_PER_MS);
	labelled_sti_hlt();
	apic_write(LAPIC_TIMER_INITIAL, 0);
	want_eq("IPI handler runs", ipi_count, 1);
	want_eq("IPI saved RIP (the instruction after HLT)", ipi_rip,
		(uint64_t)after_hlt);
	want_eq("watchdog ticks (the HLT was not ended by the IPI)",
		watchdog_count, 0);
	ok("STI+HLT with an IPI pending: HLT ends, saved RIP after the HLT");

	ipi_pending(V_IPI);
	labelled_sti_nop();
	want_eq("IPI handler runs", ipi_count, 2);
	want_eq("IPI saved RIP (after the NOP in the STI shadow)", ipi_rip,
		(uint64_t)after_nop);
	ok("STI+NOP with an IPI pending: taken after the NOP");

	ipi_pending(V_NEST);
	norder = 0;
	labelled_int3();
	check_nesting("INT3 with IF=0, IPI pending: the IPI nests in the #BP handler after its STI",
		      (uint64_t)after_int3, 0);

	ipi_pending(V_NEST);
	norder = 0;
	labelled_sti_int3();
	check_nesting("STI+INT3, IPI pending: #BP first (IF=1 saved), the IPI nests after the handler's STI",
		      (uint64_t)after_sti_int3, RFLAGS_IF);
	return GUEST_PASS;
}
