// SPDX-License-Identifier: GPL-2.0
/*
 * dev-uart.c - a 16550A UART (National PC16550D datasheet) on the
 * console.
 *
 * Transmitting takes no time: a byte written to THR goes to the console
 * at once, flushed so that guest output interleaves correctly with the
 * loader's messages, and THR and the shift register are empty again
 * before the guest can look (LSR THRE and TEMT always read 1).
 *
 * Receiving: the loader hands terminal input to uart_receive(), which
 * takes only what the receive FIFO has room for, so input is held back
 * rather than lost (as hardware flow control would).  An overrun can
 * still happen in loopback, where the guest's own bytes arrive with
 * nobody holding them back.
 *
 * Nothing here takes time either, and that matters for the character
 * timeout: the 16550 datasheet raises it when bytes have sat in the
 * FIFO below the trigger level for four character times with nothing
 * received or read.  A receive batch is over by the time the guest can
 * run, so those four character times have always passed: the timeout
 * indication (IIR 0x0C) is up as soon as a batch ends below the trigger
 * level, and again right after each RBR read that leaves bytes below it.
 */
#include "devices.h"

/* Register offsets from the base port. */
#define UART_RBR	0	/* read; THR on write; DLL with DLAB */
#define UART_IER	1	/* DLM with DLAB */
#define UART_IIR	2	/* read; FCR on write */
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_MSR	6
#define UART_SCR	7

#define UART_IER_RDI	0x01	/* received data available */
#define UART_IER_THRI	0x02	/* THR empty */
#define UART_IER_RLSI	0x04	/* receiver line status */
#define UART_IER_MSI	0x08	/* modem status */
#define UART_IER_MASK	0x0f	/* bits 7:4 are always 0 */

/* IIR bits 3:0, in the datasheet's "Interrupt Control Functions" order. */
#define UART_IIR_RLS	0x06
#define UART_IIR_RDA	0x04
#define UART_IIR_TIMEOUT 0x0c
#define UART_IIR_THRE	0x02
#define UART_IIR_MS	0x00
#define UART_IIR_NONE	0x01	/* bit 0 is "no interrupt pending" */
#define UART_IIR_FIFO	0xc0	/* bits 7:6 when FCR bit 0 is set */

#define UART_FCR_ENABLE	0x01
#define UART_FCR_CLR_RX	0x02
#define UART_FCR_CLR_TX	0x04
#define UART_FCR_DMA	0x08
#define UART_FCR_TRIG	0xc0
#define UART_FCR_KEPT	(UART_FCR_ENABLE | UART_FCR_DMA | UART_FCR_TRIG)

#define UART_LCR_DLAB	0x80

#define UART_MCR_DTR	0x01
#define UART_MCR_RTS	0x02
#define UART_MCR_OUT1	0x04
#define UART_MCR_OUT2	0x08
#define UART_MCR_LOOP	0x10
#define UART_MCR_MASK	0x1f	/* bits 7:5 are always 0 */

#define UART_LSR_DR	0x01
#define UART_LSR_OE	0x02
#define UART_LSR_THRE	0x20
#define UART_LSR_TEMT	0x40

#define UART_MSR_DCTS	0x01
#define UART_MSR_DDSR	0x02
#define UART_MSR_TERI	0x04
#define UART_MSR_DDCD	0x08
#define UART_MSR_DELTA	0x0f
#define UART_MSR_CTS	0x10
#define UART_MSR_DSR	0x20
#define UART_MSR_RI	0x40
#define UART_MSR_DCD	0x80
/* A terminal is attached and ready; the phone is not ringing. */
#define UART_MSR_TERMINAL (UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD)

static bool fifo_on(const struct uart *u)
{
	return u->fcr & UART_FCR_ENABLE;
}

static bool loopback(const struct uart *u)
{
	return u->mcr & UART_MCR_LOOP;
}

/* With FIFOs off (16450 mode) the receiver holds one byte, in RBR. */
static unsigned rx_capacity(const struct uart *u)
{
	return fifo_on(u) ? UART_FIFO_SIZE : 1;
}

/* FCR bits 7:6 select 1, 4, 8 or 14 bytes; 16450 mode interrupts at 1. */
static unsigned rx_trigger(const struct uart *u)
{
	static const uint8_t level[4] = { 1, 4, 8, 14 };

	return fifo_on(u) ? level[u->fcr >> 6] : 1;
}

/* The highest-priority interrupt pending and enabled, as IIR shows it. */
static uint8_t uart_iir(const struct uart *u)
{
	uint8_t fifo = fifo_on(u) ? UART_IIR_FIFO : 0;

	if ((u->ier & UART_IER_RLSI) && u->overrun)
		return UART_IIR_RLS | fifo;
	if (u->ier & UART_IER_RDI) {
		if (u->rx_count >= rx_trigger(u))
			return UART_IIR_RDA | fifo;
		/* See the top of the file for why no time has to pass. */
		if (fifo_on(u) && u->rx_count)
			return UART_IIR_TIMEOUT | fifo;
	}
	if ((u->ier & UART_IER_THRI) && u->thre)
		return UART_IIR_THRE | fifo;
	if ((u->ier & UART_IER_MSI) && (u->msr & UART_MSR_DELTA))
		return UART_IIR_MS | fifo;
	return UART_IIR_NONE | fifo;
}

/*
 * The 16550's INTR output follows IIR bit 0.  On a PC it reaches the
 * IRQ line through a buffer enabled by the OUT2 pin, which Linux's 8250
 * driver sets for that reason; in loopback the datasheet forces the
 * modem-control pins inactive, so the gate is closed then too.
 */
static void uart_update_irq(struct uart *u)
{
	int level = !(uart_iir(u) & UART_IIR_NONE) &&
		    (u->mcr & UART_MCR_OUT2) && !loopback(u);

	if (level != u->irq_level) {
		u->irq_level = level;
		irq_line_set(&u->irq, level);
	}
}

/*
 * MSR bits 7:4 are the modem inputs: the terminal's, or in loopback the
 * MCR outputs wired back (DTR -> DSR, RTS -> CTS, OUT1 -> RI,
 * OUT2 -> DCD).  Bits 3:0 record changes until MSR is read; TERI only
 * for RI going inactive (the datasheet's "trailing edge").
 */
static void uart_update_msr(struct uart *u)
{
	uint8_t old = u->msr, in = UART_MSR_TERMINAL, delta = 0;

	if (loopback(u))
		in = (u->mcr & UART_MCR_DTR) << 5 |
		     (u->mcr & UART_MCR_RTS) << 3 |
		     (u->mcr & (UART_MCR_OUT1 | UART_MCR_OUT2)) << 4;
	if ((old ^ in) & UART_MSR_CTS)
		delta |= UART_MSR_DCTS;
	if ((old ^ in) & UART_MSR_DSR)
		delta |= UART_MSR_DDSR;
	if ((old & UART_MSR_RI) && !(in & UART_MSR_RI))
		delta |= UART_MSR_TERI;
	if ((old ^ in) & UART_MSR_DCD)
		delta |= UART_MSR_DDCD;
	u->msr = in | (old & UART_MSR_DELTA) | delta;
}

static void rx_clear(struct uart *u)
{
	u->rx_head = 0;
	u->rx_count = 0;
}

/*
 * A byte arrives from the receive shift register.  When there is no
 * room, OE is set; in FIFO mode the new byte is lost, in 16450 mode it
 * overwrites RBR (16550 datasheet, LSR bit 1).
 */
static void rx_push(struct uart *u, uint8_t byte)
{
	if (u->rx_count >= rx_capacity(u)) {
		u->overrun = true;
		if (!fifo_on(u))
			u->rx[u->rx_head] = byte;
		return;
	}
	u->rx[(u->rx_head + u->rx_count) % UART_FIFO_SIZE] = byte;
	u->rx_count++;
}

/* RBR: the oldest byte; an empty receiver reads as 0. */
static uint8_t rx_pop(struct uart *u)
{
	uint8_t byte;

	if (!u->rx_count)
		return 0;
	byte = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % UART_FIFO_SIZE;
	u->rx_count--;
	return byte;
}

static void uart_transmit(struct uart *u, uint8_t byte)
{
	/*
	 * Writing THR clears the THRE interrupt; the byte leaves at once
	 * and THR is empty again, which raises it anew.  The line drops
	 * in between, giving the edge an edge-triggered PIC needs.
	 */
	u->thre = false;
	uart_update_irq(u);
	if (loopback(u)) {
		rx_push(u, byte);	/* and nothing on the wire */
	} else if (u->out) {
		fputc(byte, u->out);
		fflush(u->out);
	}
	u->thre = true;
	uart_update_irq(u);
}

static void uart_write_fcr(struct uart *u, uint8_t val)
{
	/*
	 * "FCR0 must be 1 when other FCR bits are written to or they will
	 * not be programmed", and clearing FCR0 empties both FIFOs.  The
	 * transmit FIFO is always empty, so bit 2 has nothing to clear.
	 */
	if (!(val & UART_FCR_ENABLE)) {
		if (fifo_on(u))
			rx_clear(u);
		u->fcr = 0;
		return;
	}
	u->fcr = val & UART_FCR_KEPT;
	if (val & UART_FCR_CLR_RX)
		rx_clear(u);
}

static uint64_t uart_read(void *opaque, uint64_t port, unsigned size)
{
	struct uart *u = opaque;
	bool dlab = u->lcr & UART_LCR_DLAB;
	uint8_t v;

	(void)size;
	switch (port & 7) {
	case UART_RBR:
		if (dlab)
			return u->dll;
		v = rx_pop(u);
		break;
	case UART_IER:
		return dlab ? u->dlm : u->ier;
	case UART_IIR:
		v = uart_iir(u);
		/* Reading IIR clears THRE when that is what it reports. */
		if ((v & 0x0f) == UART_IIR_THRE)
			u->thre = false;
		break;
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		v = UART_LSR_THRE | UART_LSR_TEMT |
		    (u->rx_count ? UART_LSR_DR : 0) |
		    (u->overrun ? UART_LSR_OE : 0);
		u->overrun = false;	/* OE is cleared by reading LSR */
		break;
	case UART_MSR:
		v = u->msr;
		u->msr &= ~UART_MSR_DELTA;
		break;
	default:
		return u->scr;
	}
	uart_update_irq(u);
	return v;
}

static void uart_write(void *opaque, uint64_t port, unsigned size,
		       uint64_t val)
{
	struct uart *u = opaque;
	bool dlab = u->lcr & UART_LCR_DLAB;
	uint8_t old;

	(void)size;
	switch (port & 7) {
	case UART_RBR:
		if (dlab)
			u->dll = val;
		else
			uart_transmit(u, val);
		return;
	case UART_IER:
		if (dlab) {
			u->dlm = val;
			return;
		}
		old = u->ier;
		u->ier = val & UART_IER_MASK;
		/*
		 * Enabling the THRE interrupt while THR is empty (it always
		 * is) raises it at once; Linux's 8250 driver starts
		 * transmitting this way.
		 */
		if (!(old & UART_IER_THRI) && (u->ier & UART_IER_THRI))
			u->thre = true;
		break;
	case UART_IIR:
		uart_write_fcr(u, val);
		break;
	case UART_LCR:
		u->lcr = val;
		return;
	case UART_MCR:
		u->mcr = val & UART_MCR_MASK;
		uart_update_msr(u);
		break;
	case UART_LSR:
	case UART_MSR:
		/* Status registers; writes are for factory testing only. */
		return;
	default:
		u->scr = val;
		return;
	}
	uart_update_irq(u);
}

size_t uart_rx_room(const struct uart *u)
{
	/* In loopback the receiver input is disconnected from the line. */
	if (loopback(u))
		return 0;
	return rx_capacity(u) - u->rx_count;
}

size_t uart_receive(struct uart *u, const uint8_t *buf, size_t n)
{
	size_t room = uart_rx_room(u), i;

	if (n > room)
		n = room;
	for (i = 0; i < n; i++)
		rx_push(u, buf[i]);
	uart_update_irq(u);
	return n;
}

int uart_attach(struct platform *p, struct uart *u, uint16_t base)
{
	struct io_region r = {
		.base = base, .len = 8, .name = "uart", .wide = false,
		.opaque = u, .read = uart_read, .write = uart_write,
	};
	struct irq_line irq = u->irq;

	/* The master-reset state of the 16550 datasheet's reset table. */
	*u = (struct uart){
		.out = p->console, .irq = irq, .msr = UART_MSR_TERMINAL,
	};
	return platform_add_pio(p, &r);
}
