// SPDX-License-Identifier: GPL-2.0
/*
 * uart-echo - the 16550's receive interrupt: IER bit 0 (ERBFI) raises
 * INTR while received data is available, MCR OUT2 puts it on IRQ 4, the
 * IOAPIC's pin 4 (level-triggered: the line stays high while LSR.DR is
 * set) brings it to the local APIC at vector 0x60.  The handler reads
 * RBR until LSR.DR is clear, echoes each byte, and EOIs; a line "quit"
 * ends the run with PASS.  Needs input, so it is not in expected.txt:
 *
 *   printf 'abc\nquit\n' | vmxlab run --timeout 20 uart-echo.elf
 *
 * ELF64, long mode, C.
 */
#define TEST_NAME "uart-echo"
#include "intr.h"

#define UART_PIN	4
#define V_UART		0x60
#define LSR_DR		0x01
#define IER_ERBFI	0x01
#define COM1_LCR	0x3fb

static volatile int done;
static volatile unsigned nchars, nlines;
static char line[16];
static unsigned len;

static void rx_handler(struct intr_frame *f)
{
	(void)f;
	/* Reading RBR clears the data-ready interrupt once the receiver
	 * (FIFO) is empty; until then the line stays high. */
	while (inb(COM1_LSR) & LSR_DR) {
		char c = (char)inb(COM1);

		putc_(c);
		nchars++;
		if (c == '\n' || c == '\r') {
			if (len == 4 && line[0] == 'q' && line[1] == 'u' &&
			    line[2] == 'i' && line[3] == 't')
				done = 1;
			if (len)
				nlines++;
			len = 0;
		} else if (len < sizeof(line)) {
			line[len++] = c;
		}
	}
	apic_eoi();
}

int main(void)
{
	idt256_init();
	idt256_set_handler(V_UART, rx_handler);
	pic_init(0x20, 0xff, 0xff);
	apic_sw_enable();
	apic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED |
		   LAPIC_DM_EXTINT << LAPIC_LVT_DM_SHIFT);
	cli();
	puts_(TEST_NAME ": echoing what it receives until a line \"quit\"\n");

	/* Pin 4 first (fixed, physical, active high, level, masked), so
	 * that it is level-triggered when the line rises: bytes may have
	 * arrived before we ran, and the IER write then raises it at once. */
	ioapic_route(UART_PIN, apic_id(), IOAPIC_MASKED | IOAPIC_LEVEL | V_UART);
	/* 8 data bits, no parity, 1 stop bit, DLAB 0.  FCR is left alone:
	 * changing FIFO mode would clear bytes already received. */
	outb(COM1_LCR, 0x03);
	outb(COM1_MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
	outb(COM1_IER, IER_ERBFI);
	ioapic_write(IOAPIC_REDTBL(UART_PIN), IOAPIC_LEVEL | V_UART);
	while (!done) {
		sti_hlt();
		cli();
	}
	outb(COM1_IER, 0);
	puts_(TEST_NAME ": ");
	put_dec(nlines);
	puts_(" lines, ");
	put_dec(nchars);
	puts_(" characters echoed, \"quit\" received: ok\n");
	return GUEST_PASS;
}
