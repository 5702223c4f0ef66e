// SPDX-License-Identifier: GPL-2.0
/*
 * test-uart-rx.c - the 16550A's receiver, interrupt identification,
 * IRQ line and loopback (dev-uart.c), through the port dispatch table.
 */
#include <stdlib.h>

#include "devices.h"
#include "tap.h"

#define RBR	0
#define IER	1
#define IIR	2
#define FCR	2
#define LCR	3
#define MCR	4
#define LSR	5
#define MSR	6

/* An IRQ line that remembers its level and counts rising edges. */
struct irq_rec {
	int level;
	unsigned edges, calls;
};

static void rec_set(void *opaque, unsigned line, int level)
{
	struct irq_rec *r = opaque;

	CHECK_EQ(line, COM1_IRQ);
	if (level && !r->level)
		r->edges++;
	r->level = level;
	r->calls++;
}

struct rig {
	struct platform p;
	struct uart u;
	struct irq_rec irq;
	char *out;
	size_t outlen;
	FILE *console;
};

static struct rig *rig(void)
{
	struct rig *r = calloc(1, sizeof(*r));

	r->console = open_memstream(&r->out, &r->outlen);
	platform_init(&r->p, r->console);
	/* Wired before attaching: uart_attach() keeps the line. */
	r->u.irq = (struct irq_line){ rec_set, &r->irq, COM1_IRQ };
	if (uart_attach(&r->p, &r->u, COM1_BASE))
		abort();
	return r;
}

static uint8_t in(struct rig *r, unsigned reg)
{
	return platform_pio_read(&r->p, COM1_BASE + reg, 1);
}

static void out(struct rig *r, unsigned reg, uint8_t v)
{
	platform_pio_write(&r->p, COM1_BASE + reg, 1, v);
}

static size_t rx(struct rig *r, const char *s)
{
	return uart_receive(&r->u, (const uint8_t *)s, strlen(s));
}

static const char *console_text(struct rig *r)
{
	fflush(r->console);
	return r->out;
}

TEST(uart_rx_16450_mode_holds_one_byte)
{
	struct rig *r = rig();

	CHECK_EQ(uart_rx_room(&r->u), 1);
	CHECK_EQ(rx(r, "ab"), 1);		/* the caller keeps "b" */
	CHECK_EQ(uart_rx_room(&r->u), 0);
	CHECK_EQ(rx(r, "b"), 0);
	CHECK_EQ(in(r, LSR), 0x61);		/* DR, THRE, TEMT */
	CHECK_EQ(in(r, RBR), 'a');
	CHECK_EQ(in(r, LSR), 0x60);
	CHECK_EQ(in(r, RBR), 0);		/* empty */
	CHECK_EQ(uart_rx_room(&r->u), 1);
	/* The divisor latch hides RBR but does not consume it. */
	CHECK_EQ(rx(r, "c"), 1);
	out(r, LCR, 0x83);
	CHECK_EQ(in(r, RBR), 0);		/* DLL */
	out(r, LCR, 0x03);
	CHECK_EQ(in(r, RBR), 'c');
}

TEST(uart_rx_fifo_fills_drains_and_clears)
{
	struct rig *r = rig();
	unsigned i;

	out(r, FCR, 0xc7);			/* FIFOs on, clear, 14 */
	CHECK_EQ(uart_rx_room(&r->u), 16);
	CHECK_EQ(rx(r, "0123456789abcdefghij"), 16);
	CHECK_EQ(uart_rx_room(&r->u), 0);
	CHECK_EQ(in(r, LSR), 0x61);		/* no OE: nothing was lost */
	for (i = 0; i < 16; i++)
		CHECK_EQ(in(r, RBR), "0123456789abcdef"[i]);
	CHECK_EQ(in(r, LSR), 0x60);
	CHECK_EQ(rx(r, "ghij"), 4);
	CHECK_EQ(in(r, RBR), 'g');
	CHECK_EQ(uart_rx_room(&r->u), 13);

	out(r, FCR, 0xc3);			/* FCR bit 1: clear RX */
	CHECK_EQ(in(r, LSR), 0x60);
	CHECK_EQ(uart_rx_room(&r->u), 16);
	CHECK_EQ(in(r, IIR), 0xc1);

	/* Other bits need FCR0; clearing FCR0 empties the FIFO. */
	CHECK_EQ(rx(r, "xyz"), 3);
	out(r, FCR, 0xc6);
	CHECK_EQ(in(r, IIR), 0x01);
	CHECK_EQ(in(r, LSR), 0x60);
	CHECK_EQ(uart_rx_room(&r->u), 1);
}

TEST(uart_rx_interrupt_at_trigger_level_timeout_below)
{
	struct rig *r = rig();
	static const uint8_t trig[4][2] = {
		{ 0x01, 1 }, { 0x41, 4 }, { 0x81, 8 }, { 0xc1, 14 },
	};
	char buf[17] = "ABCDEFGHIJKLMNOP";
	unsigned i, j;

	out(r, IER, 0x01);			/* received data */
	out(r, MCR, 0x08);			/* OUT2 */
	CHECK_EQ(in(r, IIR), 0x01);
	CHECK_EQ(r->irq.level, 0);

	/* 16450 mode: one byte is data available, no FIFO bits. */
	CHECK_EQ(rx(r, "a"), 1);
	CHECK_EQ(in(r, IIR), 0x04);
	CHECK_EQ(r->irq.level, 1);
	CHECK_EQ(in(r, RBR), 'a');
	CHECK_EQ(in(r, IIR), 0x01);
	CHECK_EQ(r->irq.level, 0);

	for (i = 0; i < 4; i++) {
		unsigned level = trig[i][1];

		out(r, FCR, trig[i][0] | 0x02);
		CHECK_EQ(in(r, IIR), 0xc1);
		/* A batch ending below the level: character timeout. */
		if (level > 1) {
			CHECK_EQ(uart_receive(&r->u, (uint8_t *)buf,
					      level - 1), level - 1);
			CHECK_EQ(in(r, IIR), 0xcc);
			CHECK_EQ(r->irq.level, 1);
		}
		/* Reaching it: data available. */
		CHECK_EQ(uart_receive(&r->u, (uint8_t *)buf + level - 1, 1), 1);
		CHECK_EQ(in(r, IIR), 0xc4);
		CHECK_EQ(r->irq.level, 1);
		/* One read drops below: the timeout indication again. */
		CHECK_EQ(in(r, RBR), 'A');
		CHECK_EQ(in(r, IIR), level > 1 ? 0xcc : 0xc1);
		for (j = 1; j < level; j++)
			CHECK_EQ(in(r, RBR), buf[j]);
		CHECK_EQ(in(r, IIR), 0xc1);
		CHECK_EQ(r->irq.level, 0);
	}
	/* Disabled, the condition stays in LSR only. */
	out(r, IER, 0x00);
	CHECK_EQ(rx(r, "q"), 1);
	CHECK_EQ(in(r, IIR), 0xc1);
	CHECK_EQ(in(r, LSR), 0x61);
	CHECK_EQ(r->irq.level, 0);
}

TEST(uart_overrun_in_loopback_and_line_status_interrupt)
{
	struct rig *r = rig();
	unsigned i;

	out(r, FCR, 0x01);			/* FIFO, trigger 1 */
	out(r, MCR, 0x18);			/* loopback, OUT2 */
	out(r, IER, 0x05);			/* data, line status */
	/* The terminal is disconnected in loopback: input waits. */
	CHECK_EQ(uart_rx_room(&r->u), 0);
	CHECK_EQ(rx(r, "z"), 0);
	for (i = 0; i < 17; i++)
		out(r, RBR, 'a' + i);
	CHECK_STR(console_text(r), "");
	CHECK_EQ(in(r, IIR), 0xc6);		/* line status first */
	CHECK_EQ(in(r, LSR), 0x63);		/* DR, OE, THRE, TEMT */
	CHECK_EQ(in(r, LSR), 0x61);		/* reading cleared OE */
	CHECK_EQ(in(r, IIR), 0xc4);
	for (i = 0; i < 16; i++)		/* the 17th byte was lost */
		CHECK_EQ(in(r, RBR), 'a' + i);
	CHECK_EQ(in(r, LSR), 0x60);
	CHECK_EQ(in(r, IIR), 0xc1);
	/* The loopback closes the OUT2 gate even with OUT2 set. */
	CHECK_EQ(r->irq.calls, 0);

	/* 16450 mode: the new byte overwrites RBR. */
	out(r, FCR, 0x00);
	out(r, RBR, 'x');
	out(r, RBR, 'y');
	CHECK_EQ(in(r, LSR), 0x63);
	CHECK_EQ(in(r, RBR), 'y');
	CHECK_EQ(in(r, LSR), 0x60);
}

TEST(uart_thre_interrupt_set_and_clear)
{
	struct rig *r = rig();

	out(r, MCR, 0x08);			/* OUT2 */
	CHECK_EQ(in(r, IIR), 0x01);
	/* Enabling it while THR is empty raises it. */
	out(r, IER, 0x02);
	CHECK_EQ(r->irq.level, 1);
	CHECK_EQ(r->irq.edges, 1);
	/* Reading IIR that reports it clears it. */
	CHECK_EQ(in(r, IIR), 0x02);
	CHECK_EQ(r->irq.level, 0);
	CHECK_EQ(in(r, IIR), 0x01);
	/* Writing IER without a 0 -> 1 change of bit 1 does not. */
	out(r, IER, 0x02);
	CHECK_EQ(in(r, IIR), 0x01);
	/* Each byte written empties THR again at once... */
	out(r, RBR, 'A');
	CHECK_EQ(in(r, IIR), 0x02);
	CHECK_EQ(r->irq.edges, 2);
	/* ... and a write clears it first: a fresh edge each time. */
	out(r, RBR, 'B');
	CHECK_EQ(r->irq.edges, 3);
	out(r, RBR, 'C');
	CHECK_EQ(r->irq.edges, 4);
	CHECK_EQ(r->irq.level, 1);
	CHECK_STR(console_text(r), "ABC");
	/* Masked, it stays pending; unmasked again, it shows. */
	out(r, IER, 0x00);
	CHECK_EQ(r->irq.level, 0);
	CHECK_EQ(in(r, IIR), 0x01);
	out(r, IER, 0x02);
	CHECK_EQ(in(r, IIR), 0x02);

	/* Priority: received data over THRE; THRE survives that read. */
	out(r, IER, 0x00);
	out(r, IER, 0x03);
	CHECK_EQ(rx(r, "k"), 1);
	CHECK_EQ(in(r, IIR), 0x04);
	CHECK_EQ(in(r, RBR), 'k');
	CHECK_EQ(in(r, IIR), 0x02);
	CHECK_EQ(in(r, IIR), 0x01);
}

TEST(uart_out2_gates_the_irq_line)
{
	struct rig *r = rig();

	out(r, IER, 0x01);
	CHECK_EQ(rx(r, "a"), 1);
	CHECK_EQ(in(r, IIR), 0x04);		/* pending, but ... */
	CHECK_EQ(r->irq.level, 0);		/* ... OUT2 is off */
	CHECK_EQ(r->irq.calls, 0);
	out(r, MCR, 0x0b);			/* DTR, RTS, OUT2 */
	CHECK_EQ(r->irq.level, 1);
	out(r, MCR, 0x03);
	CHECK_EQ(r->irq.level, 0);
	out(r, MCR, 0x0b);
	CHECK_EQ(r->irq.level, 1);
	CHECK_EQ(r->irq.edges, 2);
	CHECK_EQ(in(r, RBR), 'a');
	CHECK_EQ(r->irq.level, 0);
	/* Only changes reach the line. */
	CHECK_EQ(r->irq.calls, 4);
	out(r, MCR, 0x1b);
	CHECK_EQ(r->irq.calls, 4);
}

TEST(uart_loopback_like_the_linux_8250_probe)
{
	struct rig *r = rig();

	CHECK_EQ(in(r, MSR), 0xb0);		/* CTS, DSR, DCD */
	/* Linux: MCR = LOOP | OUT2 | RTS, expects DCD | CTS. */
	out(r, MCR, 0x1a);
	CHECK_EQ(in(r, MCR), 0x1a);
	CHECK_EQ(in(r, MSR) & 0xf0, 0x90);
	out(r, MCR, 0xff);			/* bits 7:5 read 0 */
	CHECK_EQ(in(r, MCR), 0x1f);
	CHECK_EQ(in(r, MSR) & 0xf0, 0xf0);
	/* What is sent comes back and does not reach the console. */
	out(r, RBR, 'L');
	CHECK_EQ(in(r, LSR), 0x61);
	CHECK_EQ(in(r, RBR), 'L');
	CHECK_STR(console_text(r), "");
	out(r, MCR, 0x03);
	CHECK_EQ(in(r, MSR) & 0xf0, 0xb0);
	out(r, RBR, '!');
	CHECK_EQ(in(r, LSR), 0x60);
	CHECK_STR(console_text(r), "!");
}

TEST(uart_modem_status_deltas_and_interrupt)
{
	struct rig *r = rig();

	out(r, IER, 0x08);
	out(r, MCR, 0x08);			/* OUT2 */
	CHECK_EQ(in(r, IIR), 0x01);
	/* Loopback with OUT2 | RTS: DSR falls (DDSR). */
	out(r, MCR, 0x1a);
	CHECK_EQ(in(r, IIR), 0x00);		/* modem status */
	CHECK_EQ(r->irq.level, 0);		/* loopback: gate closed */
	CHECK_EQ(in(r, MSR), 0x92);
	CHECK_EQ(in(r, MSR), 0x90);		/* deltas cleared by reading */
	CHECK_EQ(in(r, IIR), 0x01);
	/* OUT1 alone: CTS and DCD fall, RI rises (no TERI yet). */
	out(r, MCR, 0x14);
	CHECK_EQ(in(r, MSR), 0x49);
	/* RI's trailing edge: TERI. */
	out(r, MCR, 0x10);
	CHECK_EQ(in(r, MSR), 0x04);
	/* Back to the terminal: CTS, DSR, DCD rise. */
	out(r, MCR, 0x08);
	CHECK_EQ(in(r, IIR), 0x00);
	CHECK_EQ(r->irq.level, 1);
	CHECK_EQ(in(r, MSR), 0xbb);
	CHECK_EQ(r->irq.level, 0);
}
