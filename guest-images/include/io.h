/* SPDX-License-Identifier: GPL-2.0 */
/* io.h - port I/O and COM1 output for the guests written in C. */
#ifndef GUEST_IO_H
#define GUEST_IO_H

#include <stdint.h>

#include "guest.h"

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void putc_(char c)
{
	/* The transmitter of vmxlab's UART is always ready. */
	while (!(inb(COM1_LSR) & 0x20))
		;
	outb(COM1, c);
}

static inline void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}

static inline void put_dec(uint64_t v)
{
	char buf[21];
	int i = 20;

	buf[i] = '\0';
	do {
		buf[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	puts_(buf + i);
}

static inline void put_hex(uint64_t v)
{
	static const char digits[] = "0123456789abcdef";
	char buf[19];
	int i = 18;

	buf[i] = '\0';
	do {
		buf[--i] = digits[v & 15];
		v >>= 4;
	} while (v);
	buf[--i] = 'x';
	buf[--i] = '0';
	puts_(buf + i);
}

static inline __attribute__((noreturn)) void guest_exit(uint8_t v)
{
	outb(DEBUG_EXIT, v);
	for (;;)
		__asm__ volatile("cli; hlt");
}

#endif /* GUEST_IO_H */
