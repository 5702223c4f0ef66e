// SPDX-License-Identifier: GPL-2.0
/*
 * apic-timer - the local APIC timer in its three modes (SDM Vol. 3A
 * 11.5.4), the guest halting between ticks: periodic, one-shot and
 * TSC-deadline through the xAPIC page, then periodic again through the
 * x2APIC MSRs.  The periodic run also calibrates the TSC against the
 * timer (1 GHz bus clock / 16 = 62.5 counts per microsecond), which the
 * later waits use.  ELF64, long mode, C.
 */
#define TEST_NAME "apic-timer"
#include "intr.h"

#define V_PERIODIC	0x30
#define V_ONESHOT	0x31
#define V_DEADLINE	0x32
#define V_X2APIC	0x33

#define DCR_DIV16	0x3			/* SDM 11.5.4: DCR 0011 = /16 */
#define COUNT_PER_MS	(1000000 / 16)		/* 1 GHz / 16 */
#define MSR_TSC_DEADLINE LAPIC_MSR_TSC_DEADLINE

static volatile unsigned ticks, stop_at;
static volatile uint64_t tick_tsc[8];
static volatile uint64_t tick_vector;
static uint64_t tsc_per_ms;

static void timer_handler(struct intr_frame *f)
{
	unsigned n = ++ticks;

	if (n < 8)
		tick_tsc[n] = rdtsc();
	tick_vector = f->vector;
	/* "A write of 0 to the initial-count register effectively stops
	 * the local APIC timer, in both one-shot and periodic mode." */
	if (n == stop_at)
		apic_write(LAPIC_TIMER_INITIAL, 0);
	apic_eoi();
}

static uint32_t lvt_timer(unsigned mode, unsigned vec)
{
	return mode << LAPIC_TIMER_MODE_SHIFT | vec;
}

/* Halt until @n ticks have come; returns how many HLTs it took. */
static unsigned wait_ticks(unsigned n)
{
	unsigned wakes = 0;

	cli();
	while (ticks < n) {
		sti_hlt();
		cli();
		wakes++;
	}
	return wakes;
}

/* Let anything pending or due in the next @ms come in, IF=1. */
static void window_ms(unsigned ms)
{
	sti();
	tsc_delay(ms * tsc_per_ms);
	cli();
}

/*
 * Periodic: the current count counts down from the initial count and
 * reloads it at zero, one interrupt each time (SDM 11.5.4).  The handler
 * stops the timer at tick @n, so exactly @n ticks must come.
 */
static void periodic(unsigned vec, unsigned n, const char *what_count,
		     const char *what_ticks)
{
	uint32_t c0, c1, c2, lvt;
	unsigned wakes;

	ticks = 0;
	stop_at = n;
	cli();
	apic_write(LAPIC_TIMER_DIVIDE, DCR_DIV16);
	apic_write(LAPIC_LVT_TIMER, lvt_timer(LAPIC_TIMER_PERIODIC, vec));
	apic_write(LAPIC_TIMER_INITIAL, COUNT_PER_MS);
	c0 = apic_read(LAPIC_TIMER_CURRENT);
	c1 = apic_read(LAPIC_TIMER_CURRENT);
	c2 = apic_read(LAPIC_TIMER_CURRENT);
	lvt = apic_read(LAPIC_LVT_TIMER) & ~LAPIC_LVT_PENDING;
	want_eq("LVT timer reads back (periodic, unmasked)", lvt,
		lvt_timer(LAPIC_TIMER_PERIODIC, vec));
	want_eq("divide configuration reads back", apic_read(LAPIC_TIMER_DIVIDE)
		& 0xb, DCR_DIV16);
	want_true("current count <= initial count", c0 <= COUNT_PER_MS &&
		  c1 <= COUNT_PER_MS && c2 <= COUNT_PER_MS, c0);
	/* Three reads: at most one reload between them. */
	want_true("current count moves down", c0 > c1 || c1 > c2, c2);
	ok(what_count);

	wakes = wait_ticks(n);
	want_eq("periodic: interrupt vector", tick_vector, vec);
	want_true("periodic: at least one HLT before the ticks", wakes >= 1,
		  wakes);
	want_eq("periodic: current count after the stop",
		apic_read(LAPIC_TIMER_CURRENT), 0);
	if (!tsc_per_ms) {
		tsc_per_ms = (tick_tsc[n] - tick_tsc[1]) / (n - 1);
		puts_(TEST_NAME ": info: 1 ms of APIC timer = ");
		put_dec(tsc_per_ms);
		puts_(" TSC cycles\n");
		want_true("periodic: ticks spread over time (TSC between ticks)",
			  tsc_per_ms >= 1000, tsc_per_ms);
	}
	window_ms(3);
	want_eq("periodic: ticks (no more after initial count 0)", ticks, n);
	ok(what_ticks);
}

/*
 * One-shot: "After the timer reaches zero, a timer interrupt is
 * generated and the timer remains at its 0 value until reprogrammed."
 */
static void one_shot(void)
{
	uint32_t c0;

	ticks = 0;
	stop_at = 0;
	cli();
	apic_write(LAPIC_LVT_TIMER, lvt_timer(LAPIC_TIMER_ONESHOT, V_ONESHOT));
	apic_write(LAPIC_TIMER_INITIAL, 5 * COUNT_PER_MS);
	c0 = apic_read(LAPIC_TIMER_CURRENT);
	want_true("one-shot: current count in (0, initial]",
		  c0 > 0 && c0 <= 5 * COUNT_PER_MS, c0);
	wait_ticks(1);
	want_eq("one-shot: interrupt vector", tick_vector, V_ONESHOT);
	want_eq("one-shot: current count after the tick",
		apic_read(LAPIC_TIMER_CURRENT), 0);
	/* Not HLT: with nothing armed it would never wake. */
	window_ms(15);
	want_eq("one-shot: ticks 15 ms later", ticks, 1);
	ok("one-shot: 5 ms, fired once, current count then 0");
	apic_write(LAPIC_TIMER_INITIAL, 0);
}

/*
 * TSC-deadline (SDM 11.5.4.1): LVT timer mode 10b; the initial-count
 * register ignores writes and the current count reads 0; a non-zero
 * write of IA32_TSC_DEADLINE arms the timer, the interrupt comes when
 * TSC >= the deadline, and the hardware then clears the MSR; writing 0
 * disarms it.
 */
static void tsc_deadline(void)
{
	uint64_t deadline;

	want_true("CPUID.1:ECX.TSC-Deadline[24]",
		  cpuid_ecx(1) & CPUID_1_ECX_TSC_DEADLINE, cpuid_ecx(1));
	ticks = 0;
	stop_at = 0;
	cli();
	apic_write(LAPIC_LVT_TIMER,
		   lvt_timer(LAPIC_TIMER_TSC_DEADLINE, V_DEADLINE));
	/* "software must order the memory-mapped write to the LVT entry
	 * that enables TSC-deadline mode and any subsequent WRMSR to the
	 * TSC-deadline MSR ... by executing the MFENCE instruction". */
	__asm__ volatile("mfence" ::: "memory");
	apic_write(LAPIC_TIMER_INITIAL, COUNT_PER_MS);
	want_eq("TSC-deadline: initial count ignores writes",
		apic_read(LAPIC_TIMER_INITIAL), 0);
	want_eq("TSC-deadline: current count reads 0",
		apic_read(LAPIC_TIMER_CURRENT), 0);
	ok("TSC-deadline mode: initial count ignored, current count 0");

	deadline = rdtsc() + 2 * tsc_per_ms;
	wrmsr(MSR_TSC_DEADLINE, deadline);
	want_eq("TSC-deadline: the armed MSR reads back",
		rdmsr(MSR_TSC_DEADLINE), deadline);
	wait_ticks(1);
	want_eq("TSC-deadline: interrupt vector", tick_vector, V_DEADLINE);
	want_true("TSC-deadline: not before the deadline (TSC in the handler)",
		  tick_tsc[1] >= deadline, deadline - tick_tsc[1]);
	want_eq("TSC-deadline: MSR after the interrupt",
		rdmsr(MSR_TSC_DEADLINE), 0);
	window_ms(6);
	want_eq("TSC-deadline: ticks 6 ms later", ticks, 1);
	ok("TSC-deadline: fired once, not early, MSR then 0");

	/* A deadline already passed fires at once. */
	ticks = 0;
	wrmsr(MSR_TSC_DEADLINE, rdtsc());
	sti();
	deadline = rdtsc();
	while (!ticks && rdtsc() - deadline < 2 * tsc_per_ms)
		pause_();
	cli();
	want_eq("TSC-deadline in the past: ticks within 2 ms", ticks, 1);
	/* Writing 0 disarms. */
	wrmsr(MSR_TSC_DEADLINE, rdtsc() + 2 * tsc_per_ms);
	wrmsr(MSR_TSC_DEADLINE, 0);
	window_ms(6);
	want_eq("TSC-deadline disarmed by 0: ticks", ticks, 1);
	ok("TSC-deadline: a past deadline fires at once, 0 disarms");
	apic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
}

int main(void)
{
	uint32_t id, version;

	idt256_init();
	idt256_set_handler(V_PERIODIC, timer_handler);
	idt256_set_handler(V_ONESHOT, timer_handler);
	idt256_set_handler(V_DEADLINE, timer_handler);
	idt256_set_handler(V_X2APIC, timer_handler);
	pic_init(0x20, 0xff, 0xff);	/* the 8259As masked: APIC only */
	apic_sw_enable();
	id = apic_id();
	version = apic_read(LAPIC_VERSION);

	periodic(V_PERIODIC, 5, "periodic: current count moves down from 62500",
		 "periodic: 1 ms, divider 16, 5 ticks with HLT between, then stopped");
	one_shot();
	tsc_deadline();

	want_true("CPUID.1:ECX.x2APIC[21]",
		  cpuid_ecx(1) & CPUID_1_ECX_X2APIC, cpuid_ecx(1));
	x2apic_enable();
	want_eq("x2APIC: IA32_APIC_BASE EN and EXTD",
		rdmsr(MSR_IA32_APIC_BASE) & (LAPIC_BASE_ENABLE | LAPIC_BASE_EXTD),
		LAPIC_BASE_ENABLE | LAPIC_BASE_EXTD);
	want_eq("x2APIC: ID MSR 0x802", apic_id(), id);
	want_eq("x2APIC: version MSR 0x803", apic_read(LAPIC_VERSION), version);
	ok("x2APIC mode: ID and version through MSRs");
	periodic(V_X2APIC, 3, "x2APIC periodic: current count MSR 0x839 moves down",
		 "x2APIC periodic: 3 ticks through MSRs 0x832/0x838/0x80b, then stopped");
	return GUEST_PASS;
}
