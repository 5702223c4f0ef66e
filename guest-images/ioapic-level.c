// SPDX-License-Identifier: GPL-2.0
/*
 * ioapic-level - a level-triggered IOAPIC input fires again after each
 * EOI for as long as the line stays asserted; an edge-triggered one does
 * not.  The line is the 16550's INTR on IRQ 4 (IOAPIC pin 4), held high
 * by a THRE interrupt: IER bit 1 with the transmitter empty, MCR OUT2
 * letting it onto the bus.  What the datasheets imply:
 *
 *   82093AA: for a level-triggered entry, Remote IRR is set when the
 *   local APIC accepts the interrupt and cleared by an EOI message with
 *   its vector; with Remote IRR clear and the input still asserted, the
 *   IOAPIC sends the message again.  SDM 11.8.4/11.8.5: a level-
 *   triggered vector sets its TMR bit, and the EOI of a vector whose TMR
 *   bit is set is broadcast to the IOAPICs.
 *   16550: the THRE interrupt is cleared by writing THR or by reading
 *   IIR when THRE is its source; with IER = 0 nothing is signalled.
 *
 * So a handler that EOIs three times without touching the UART is
 * entered exactly four times, the fourth time reading IIR (0x02: THRE;
 * then 0x01: none) and clearing IER before its EOI, and then no more.
 * The same line on an edge-triggered entry interrupts exactly once.
 * A one-shot APIC timer ends each wait.  ELF64, long mode, C.
 */
#define TEST_NAME "ioapic-level"
#include "intr.h"

#define UART_PIN	4		/* ISA IRQ 4 */
#define V_UART		0x60
#define V_WATCHDOG	0x31
#define COUNT_PER_MS	(1000000 / 16)	/* APIC timer at /16 */
#define IER_ETBEI	0x02
#define STORM		50		/* entries that mean "never stops" */

static volatile unsigned count, watchdog_count, clear_at;
static volatile uint32_t redir_in;
static volatile int tmr_in, isr_in;
static volatile uint8_t iir_first, iir_second;

static void uart_handler(struct intr_frame *f)
{
	unsigned n = ++count;

	(void)f;
	if (n == 1) {
		redir_in = ioapic_read(IOAPIC_REDTBL(UART_PIN));
		tmr_in = apic_tmr(V_UART);
		isr_in = apic_isr(V_UART);
	}
	if (n == clear_at) {
		iir_first = inb(COM1_IIR);
		iir_second = inb(COM1_IIR);
		outb(COM1_IER, 0);
	}
	if (n == STORM)		/* give up: mask the pin, let the checks say */
		ioapic_write(IOAPIC_REDTBL(UART_PIN), IOAPIC_MASKED | V_UART);
	apic_eoi();
}

static void watchdog_handler(struct intr_frame *f)
{
	(void)f;
	watchdog_count++;
	apic_eoi();
}

/* Take interrupts, halting, until the watchdog fires @ms from now. */
static void run_for(unsigned ms)
{
	unsigned w = watchdog_count;

	cli();
	apic_write(LAPIC_TIMER_INITIAL, ms * COUNT_PER_MS);
	while (watchdog_count == w) {
		sti_hlt();
		cli();
	}
}

int main(void)
{
	uint32_t id, entry;

	idt256_init();
	idt256_set_handler(V_UART, uart_handler);
	idt256_set_handler(V_WATCHDOG, watchdog_handler);
	/* The 8259As masked: IRQ 4 reaches them too. */
	pic_init(0x20, 0xff, 0xff);
	apic_sw_enable();
	apic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED |
		   LAPIC_DM_EXTINT << LAPIC_LVT_DM_SHIFT);
	apic_write(LAPIC_TIMER_DIVIDE, 0x3);
	apic_write(LAPIC_LVT_TIMER, LAPIC_TIMER_ONESHOT << LAPIC_TIMER_MODE_SHIFT
		   | V_WATCHDOG);
	id = apic_id();
	cli();

	/* Pin 4: fixed, physical, active high, level; masked until the
	 * UART is set up, then unmasked: the line is already high. */
	ioapic_route(UART_PIN, id, IOAPIC_MASKED | IOAPIC_LEVEL | V_UART);
	outb(COM1_MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
	count = 0;
	clear_at = 4;
	outb(COM1_IER, IER_ETBEI);
	ioapic_write(IOAPIC_REDTBL(UART_PIN), IOAPIC_LEVEL | V_UART);
	run_for(20);
	entry = ioapic_read(IOAPIC_REDTBL(UART_PIN));
	/* IER is 0 again: the console may be used. */
	want_eq("level: handler entries (3 EOIs with the line high, then cleared)",
		count, 4);
	want_eq("level: Remote IRR in the handler, before the EOI",
		redir_in & IOAPIC_REMOTE_IRR, IOAPIC_REMOTE_IRR);
	want_eq("level: local APIC TMR bit 0x60 in the handler", tmr_in, 1);
	want_eq("level: local APIC ISR bit 0x60 in the handler", isr_in, 1);
	want_eq("level: Remote IRR after the last EOI",
		entry & IOAPIC_REMOTE_IRR, 0);
	want_eq("level: IRR bit 0x60 at the end", apic_irr(V_UART), 0);
	ok("level-triggered pin 4: Remote IRR and TMR set, 4 interrupts for 3 EOIs with the line high");
	want_eq("16550 IIR with THRE pending (bits 3:0)", iir_first & 0xf, 0x2);
	want_eq("16550 IIR after that read (bits 3:0)", iir_second & 0xf, 0x1);
	ok("16550: IIR read 0x02 (THRE) clears it, then 0x01, IER 0 ends the interrupts");

	/* The same line on an edge-triggered entry: one rising edge, one
	 * message, EOI or not. */
	count = 0;
	clear_at = 0;
	ioapic_write(IOAPIC_REDTBL(UART_PIN), V_UART);
	outb(COM1_IER, IER_ETBEI);
	run_for(20);
	(void)inb(COM1_IIR);
	outb(COM1_IER, 0);
	want_eq("edge: handler entries with the line held high", count, 1);
	want_eq("edge: IRR bit 0x60 at the end", apic_irr(V_UART), 0);
	want_eq("edge: local APIC TMR bit 0x60 in the handler", tmr_in, 0);
	ok("edge-triggered pin 4, line held high: one interrupt only, TMR clear");
	ioapic_write(IOAPIC_REDTBL(UART_PIN), IOAPIC_MASKED | V_UART);
	return GUEST_PASS;
}
