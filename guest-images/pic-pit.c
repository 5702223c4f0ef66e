// SPDX-License-Identifier: GPL-2.0
/*
 * pic-pit - the 8254 PIT's channel 0 (mode 2, 100 Hz) on ISA IRQ 0, the
 * guest halting between ticks: first through the 8259A pair and the
 * local APIC's LINT0 in ExtINT mode (virtual wire; EOI to the 8259A),
 * then through the 82093AA IOAPIC's pin 2 to the local APIC (EOI to the
 * local APIC).  The masked APIC timer, counting at 62.5 MHz, is the
 * stopwatch that checks the rate.  ELF64, long mode, C.
 */
#define TEST_NAME "pic-pit"
#include "intr.h"

#define PIT_CH0		0x40
#define PIT_CMD		0x43
#define PIT_HZ		1193182
#define PIT_COUNT	((PIT_HZ + 50) / 100)	/* 11932: 100 Hz */
#define V_PIC_BASE	0x20			/* IRQ0 -> 0x20 */
#define V_PIC_IR7	(V_PIC_BASE + 7)
#define V_IOAPIC	0x40
#define IOAPIC_PIN_IRQ0	2	/* ISA IRQ 0 is wired to pin 2 */
#define TICKS		5
#define COUNT_PER_MS	(1000000 / 16)		/* APIC timer at /16 */

static volatile unsigned pic_ticks, ioapic_ticks, pic_spurious;
static volatile uint8_t pic_isr_in, pic_isr_after;
static volatile int lapic_isr_pic, lapic_isr_ioapic, lapic_tmr_ioapic;
static volatile uint32_t stamp1, stamp5;

/* The APIC timer's count at tick 1 and tick TICKS. */
static void stamp(unsigned n)
{
	if (n == 1)
		stamp1 = apic_read(LAPIC_TIMER_CURRENT);
	else if (n == TICKS)
		stamp5 = apic_read(LAPIC_TIMER_CURRENT);
}

/*
 * The 8259A's vector, by the INTA cycle of an ExtINT: the local APIC
 * neither sets IRR/ISR nor wants an EOI for it (SDM 11.8.5: "except
 * those delivered with the NMI, SMI, INIT, ExtINT ... delivery mode");
 * the 8259A does: its ISR bit stays set until the non-specific EOI.
 */
static void pic_handler(struct intr_frame *f)
{
	unsigned n = ++pic_ticks;

	(void)f;
	stamp(n);
	if (n == 1) {
		outb(PIC1_CMD, PIC_READ_ISR);	/* OCW3: reads give ISR */
		pic_isr_in = inb(PIC1_CMD);
		lapic_isr_pic = apic_isr(V_PIC_BASE);
	}
	outb(PIC1_CMD, PIC_EOI);
	if (n == 1) {
		pic_isr_after = inb(PIC1_CMD);
		outb(PIC1_CMD, PIC_READ_IRR);
	}
}

/* An 8259A with nothing to give at INTA answers IR7 without setting its
 * ISR bit: no EOI (8259A datasheet). */
static void pic_spurious_handler(struct intr_frame *f)
{
	(void)f;
	pic_spurious++;
}

static void ioapic_handler(struct intr_frame *f)
{
	unsigned n = ++ioapic_ticks;

	(void)f;
	stamp(n);
	if (n == 1) {
		lapic_isr_ioapic = apic_isr(V_IOAPIC);
		lapic_tmr_ioapic = apic_tmr(V_IOAPIC);
	}
	apic_eoi();
}

static uint16_t pit_read(void)
{
	uint8_t lo, hi;

	outb(PIT_CMD, 0x00);	/* counter latch, channel 0 */
	lo = inb(PIT_CH0);
	hi = inb(PIT_CH0);
	return (uint16_t)(hi << 8 | lo);
}

/* Ticks 1 to TICKS are TICKS - 1 periods of 10 ms; allow for late
 * ticks of a loaded host, not for a wrong rate. */
static void check_rate(const char *what)
{
	uint32_t ms = (stamp1 - stamp5) / COUNT_PER_MS;

	want_true(what, ms >= 30 && ms <= 80, ms);
}

int main(void)
{
	uint16_t c0, c1;
	uint32_t ver, id, low;
	unsigned before;

	idt256_init();
	idt256_set_handler(V_PIC_BASE, pic_handler);
	idt256_set_handler(V_PIC_IR7, pic_spurious_handler);
	idt256_set_handler(V_IOAPIC, ioapic_handler);
	apic_sw_enable();
	id = apic_id();
	/* The stopwatch: one-shot, masked, counting down from 2^32 - 1. */
	apic_write(LAPIC_TIMER_DIVIDE, 0x3);
	apic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED);
	apic_write(LAPIC_TIMER_INITIAL, 0xffffffff);

	/* Virtual wire: the 8259A's INTR reaches the CPU through LINT0 in
	 * ExtINT mode (SDM 11.5.1; ExtINT implies level, bit 15 ignored). */
	apic_write(LAPIC_LVT_LINT0, LAPIC_DM_EXTINT << LAPIC_LVT_DM_SHIFT);
	pic_init(V_PIC_BASE, 0xfe, 0xff);
	want_eq("master IMR (OCW1) reads back", inb(PIC1_DATA), 0xfe);
	want_eq("slave IMR (OCW1) reads back", inb(PIC2_DATA), 0xff);
	ok("8259A pair initialised, vectors 0x20/0x28, only IRQ0 unmasked");

	/* 8254 control word 0x34: channel 0, LSB then MSB, mode 2 (rate
	 * generator: OUT low for one clock every PIT_COUNT clocks), binary. */
	cli();
	outb(PIT_CMD, 0x34);
	outb(PIT_CH0, PIT_COUNT & 0xff);
	outb(PIT_CH0, PIT_COUNT >> 8);
	c0 = pit_read();
	tsc_delay(100000);
	c1 = pit_read();
	/* Mode 2 counts N, N-1, ..., 1, then reloads N: never 0. */
	want_true("PIT count within 1..11932", c0 >= 1 && c0 <= PIT_COUNT &&
		  c1 >= 1 && c1 <= PIT_COUNT, c0 << 16 | c1);
	want_true("PIT count moves", c0 != c1, c0);
	ok("PIT channel 0 mode 2, count 11932: latched count moves");

	while (pic_ticks < TICKS) {
		sti_hlt();
		cli();
	}
	want_eq("8259A ISR in the handler (bit 0 = IR0)", pic_isr_in & 1, 1);
	want_eq("8259A ISR after the EOI", pic_isr_after & 1, 0);
	want_eq("local APIC ISR bit 0x20 in an ExtINT handler", lapic_isr_pic, 0);
	ok("PIC: 5 ticks of IRQ0 at vector 0x20 with HLT between them");
	ok("PIC: 8259A ISR bit 0 set in the handler, clear after EOI, no local APIC ISR bit");
	check_rate("PIC: ms between tick 1 and tick 5 (40 expected)");
	ok("PIC: 4 periods take about 40 ms of the APIC timer");

	/* To the IOAPIC: the 8259A masked (OCW1) and LINT0 masked, so IRQ0
	 * reaches the CPU only as the IOAPIC's message. */
	cli();
	outb(PIC1_DATA, 0xff);
	apic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED |
		   LAPIC_DM_EXTINT << LAPIC_LVT_DM_SHIFT);
	/* 82093AA IOAPICVER: version 0x11 in bits 7:0, maximum redirection
	 * entry (pins - 1) in bits 23:16. */
	ver = ioapic_read(IOAPIC_VER);
	want_eq("IOAPIC version", ver & 0xff, 0x11);
	want_eq("IOAPIC maximum redirection entry", (ver >> 16) & 0xff, 23);
	ok("IOAPIC version 0x11, 24 redirection entries");
	/* Fixed, physical destination, active high, edge, unmasked. */
	ioapic_route(IOAPIC_PIN_IRQ0, id, V_IOAPIC);
	low = ioapic_read(IOAPIC_REDTBL(IOAPIC_PIN_IRQ0));
	want_eq("redirection entry 2 low dword reads back",
		low & ~(IOAPIC_DELIVS | IOAPIC_REMOTE_IRR), V_IOAPIC);
	want_eq("redirection entry 2 destination reads back",
		ioapic_read(IOAPIC_REDTBL(IOAPIC_PIN_IRQ0) + 1) >> 24, id);
	before = pic_ticks;
	while (ioapic_ticks < TICKS) {
		sti_hlt();
		cli();
	}
	want_eq("ticks at 0x20 with the 8259A masked", pic_ticks, before);
	want_eq("local APIC ISR bit 0x40 in the handler", lapic_isr_ioapic, 1);
	want_eq("local APIC TMR bit 0x40 (edge)", lapic_tmr_ioapic, 0);
	ok("IOAPIC: 5 ticks of IRQ0 through pin 2 at vector 0x40, EOI to the local APIC");
	ok("IOAPIC: local APIC ISR bit set, TMR clear (edge), none at 0x20 with the 8259A masked");
	check_rate("IOAPIC: ms between tick 1 and tick 5 (40 expected)");
	ok("IOAPIC: 4 periods take about 40 ms of the APIC timer");
	ioapic_write(IOAPIC_REDTBL(IOAPIC_PIN_IRQ0), IOAPIC_MASKED | V_IOAPIC);
	return GUEST_PASS;
}
