// SPDX-License-Identifier: GPL-2.0
/*
 * dev-uart.c - a 16550 UART that only transmits.
 *
 * The transmitter is always empty (LSR reads 0x60), so a guest's polling
 * loop never waits; every byte goes to the console at once, flushed, so
 * the guest's output interleaves correctly with the loader's messages.
 * Registers without a transmit meaning simply store and read back.
 */
#include "devices.h"

#define UART_LCR_DLAB	0x80
#define UART_LSR_IDLE	0x60	/* THR empty, transmitter empty */
#define UART_IIR_NONE	0x01	/* no interrupt pending */
#define UART_FCR_ENABLE	0x01
#define UART_IIR_FIFO	0xc0

static uint64_t uart_read(void *opaque, uint64_t port, unsigned size)
{
	struct uart *u = opaque;
	bool dlab = u->lcr & UART_LCR_DLAB;

	(void)size;
	switch (port & 7) {
	case 0:
		return dlab ? u->dll : 0;	/* nothing is ever received */
	case 1:
		return dlab ? u->dlm : u->ier;
	case 2:
		return UART_IIR_NONE |
		       ((u->fcr & UART_FCR_ENABLE) ? UART_IIR_FIFO : 0);
	case 3:
		return u->lcr;
	case 4:
		return u->mcr;
	case 5:
		return UART_LSR_IDLE;
	case 6:
		return u->msr;
	default:
		return u->scr;
	}
}

static void uart_write(void *opaque, uint64_t port, unsigned size,
		       uint64_t val)
{
	struct uart *u = opaque;
	bool dlab = u->lcr & UART_LCR_DLAB;

	(void)size;
	switch (port & 7) {
	case 0:
		if (dlab) {
			u->dll = val;
			break;
		}
		if (u->out) {
			fputc((int)(val & 0xff), u->out);
			fflush(u->out);
		}
		break;
	case 1:
		if (dlab)
			u->dlm = val;
		else
			u->ier = val;
		break;
	case 2:
		u->fcr = val;
		break;
	case 3:
		u->lcr = val;
		break;
	case 4:
		u->mcr = val;
		break;
	case 5:
		break;		/* LSR is read-only */
	case 6:
		u->msr = val;
		break;
	default:
		u->scr = val;
		break;
	}
}

int uart_attach(struct platform *p, struct uart *u, uint16_t base)
{
	struct io_region r = {
		.base = base, .len = 8, .name = "uart", .wide = false,
		.opaque = u, .read = uart_read, .write = uart_write,
	};

	*u = (struct uart){ .out = p->console };
	return platform_add_pio(p, &r);
}
