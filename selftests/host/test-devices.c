// SPDX-License-Identifier: GPL-2.0
/* test-devices.c - each device model through the dispatch tables. */
#include <stdlib.h>

#include "hypercall.h"
#include "pc.h"
#include "tap.h"

struct bench {
	struct pc pc;
	char *out;
	size_t outlen;
	FILE *console;
};

/* 2024-02-29 13:45:56 UTC, a Thursday. */
static time_t fixed_time(void)
{
	return 1709214356;
}

static struct bench *bench(uint64_t ram)
{
	struct bench *b = calloc(1, sizeof(*b));

	b->console = open_memstream(&b->out, &b->outlen);
	if (pc_init(&b->pc, b->console, ram, fixed_time))
		abort();
	return b;
}

static const char *console_text(struct bench *b)
{
	fflush(b->console);
	return b->out;
}

#define P(b)	(&(b)->pc.plat)

TEST(uart_transmits_and_stores)
{
	struct bench *b = bench(16 << 20);

	platform_pio_write(P(b), 0x3f8, 1, 'h');
	platform_pio_write(P(b), 0x3f8, 1, 'i');
	platform_pio_write(P(b), 0x3f8, 1, '\n');
	CHECK_STR(console_text(b), "hi\n");
	CHECK_EQ(platform_pio_read(P(b), 0x3fd, 1), 0x60);
	platform_pio_write(P(b), 0x3fd, 1, 0);	/* LSR is read-only */
	CHECK_EQ(platform_pio_read(P(b), 0x3fd, 1), 0x60);
	platform_pio_write(P(b), 0x3ff, 1, 0x5a);
	CHECK_EQ(platform_pio_read(P(b), 0x3ff, 1), 0x5a);
	platform_pio_write(P(b), 0x3f9, 1, 0xff);	/* IER */
	CHECK_EQ(platform_pio_read(P(b), 0x3f9, 1), 0x0f);
	/* IIR: THRE, raised by enabling it; the read clears it. */
	CHECK_EQ(platform_pio_read(P(b), 0x3fa, 1), 0x02);
	CHECK_EQ(platform_pio_read(P(b), 0x3fa, 1), 0x01);
	platform_pio_write(P(b), 0x3fa, 1, 0x07);	/* FCR: FIFO on */
	CHECK_EQ(platform_pio_read(P(b), 0x3fa, 1), 0xc1);
	CHECK_EQ(platform_pio_read(P(b), 0x3f8, 1), 0);	/* no input */
}

TEST(uart_divisor_latch_does_not_transmit)
{
	struct bench *b = bench(16 << 20);

	platform_pio_write(P(b), 0x3fb, 1, 0x80);	/* DLAB */
	platform_pio_write(P(b), 0x3f8, 1, 0x01);
	platform_pio_write(P(b), 0x3f9, 1, 0x00);
	CHECK_EQ(platform_pio_read(P(b), 0x3f8, 1), 0x01);
	platform_pio_write(P(b), 0x3fb, 1, 0x03);	/* 8N1 */
	CHECK_EQ(platform_pio_read(P(b), 0x3f9, 1), 0);	/* IER again */
	CHECK_STR(console_text(b), "");
	CHECK_EQ(b->pc.com1.dll, 1);
}

TEST(wide_access_to_byte_device_is_split)
{
	struct bench *b = bench(16 << 20);

	/* MSR ignores the write: CTS, DSR and DCD of the terminal. */
	platform_pio_write(P(b), 0x3fe, 2, 0xa55a);
	CHECK_EQ(b->pc.com1.msr, 0xb0);
	CHECK_EQ(b->pc.com1.scr, 0xa5);
	CHECK_EQ(platform_pio_read(P(b), 0x3fe, 2), 0xa5b0);
	/* MCR, LSR (read-only), MSR (read-only), SCR. */
	platform_pio_write(P(b), 0x3fc, 4, 0x12345603);
	CHECK_EQ(platform_pio_read(P(b), 0x3fc, 4), 0x12b06003);
	/* Half on the UART, half on nothing. */
	CHECK_EQ(platform_pio_read(P(b), 0x3ff, 2), 0xff12);
	CHECK_EQ(P(b)->unknown_pio.n, 1);
	CHECK_EQ(P(b)->unknown_pio.addr[0], 0x400);
}

TEST(debug_exit_any_size_first_wins)
{
	struct bench *b = bench(16 << 20);

	platform_pio_write(P(b), 0xf4, 4, 0x12345678);
	CHECK(P(b)->exit_requested);
	CHECK_EQ(P(b)->exit_value, 0x12345678);
	platform_pio_write(P(b), 0xf4, 1, 0x10);
	CHECK_EQ(P(b)->exit_value, 0x12345678);

	b = bench(16 << 20);
	platform_pio_write(P(b), 0xf4, 2, 0xbeef);
	CHECK_EQ(P(b)->exit_value, 0xbeef);
	b = bench(16 << 20);
	platform_pio_write(P(b), 0xf4, 1, 0x1ff);	/* masked to a byte */
	CHECK_EQ(P(b)->exit_value, 0xff);
}

static uint64_t fwcfg_read(struct bench *b, uint16_t key, unsigned n)
{
	uint64_t v = 0;
	unsigned i;

	platform_pio_write(P(b), 0x510, 2, key);
	for (i = 0; i < n; i++)
		v |= platform_pio_read(P(b), 0x511, 1) << (8 * i);
	return v;
}

TEST(fw_cfg_items)
{
	struct bench *b = bench(64 << 20);

	CHECK_EQ(fwcfg_read(b, 0x0000, 4), 0x554d4551);	/* "QEMU" */
	CHECK_EQ(fwcfg_read(b, 0x0001, 4), 1);		/* traditional */
	CHECK_EQ(fwcfg_read(b, 0x0003, 8), 64 << 20);
	CHECK_EQ(fwcfg_read(b, 0x0005, 2), 1);
	CHECK_EQ(fwcfg_read(b, 0x0019, 4), 0);		/* no files */
	CHECK_EQ(fwcfg_read(b, 0x1234, 4), 0);		/* unknown key */
	/* Past the end: zeros; reselecting rewinds. */
	CHECK_EQ(fwcfg_read(b, 0x0000, 6), 0x554d4551);
	platform_pio_write(P(b), 0x510, 2, 0);
	CHECK_EQ(platform_pio_read(P(b), 0x511, 1), 'Q');
	CHECK_EQ(platform_pio_read(P(b), 0x511, 1), 'E');
	platform_pio_write(P(b), 0x510, 2, 0);
	CHECK_EQ(platform_pio_read(P(b), 0x511, 1), 'Q');
	CHECK_EQ(P(b)->unknown_pio.n, 0);
}

TEST(pic_init_sequence_then_mask)
{
	struct bench *b = bench(16 << 20);
	static const uint8_t seq[][2] = {
		{ 0x20, 0x11 }, { 0xa0, 0x11 },	/* ICW1, ICW4 needed */
		{ 0x21, 0x20 }, { 0xa1, 0x28 },	/* ICW2: vectors */
		{ 0x21, 0x04 }, { 0xa1, 0x02 },	/* ICW3: cascade */
		{ 0x21, 0x01 }, { 0xa1, 0x01 },	/* ICW4: 8086 mode */
	};
	unsigned i;

	platform_pio_write(P(b), 0x21, 1, 0x55);
	CHECK_EQ(platform_pio_read(P(b), 0x21, 1), 0x55);
	for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++)
		platform_pio_write(P(b), seq[i][0], 1, seq[i][1]);
	/* ICW2..4 went to the data port but are not the mask. */
	CHECK_EQ(platform_pio_read(P(b), 0x21, 1), 0);
	CHECK_EQ(b->pc.pic.master.vector_base, 0x20);
	CHECK_EQ(b->pc.pic.slave.vector_base, 0x28);
	platform_pio_write(P(b), 0x21, 1, 0xfb);
	platform_pio_write(P(b), 0xa1, 1, 0xff);
	CHECK_EQ(platform_pio_read(P(b), 0x21, 1), 0xfb);
	CHECK_EQ(platform_pio_read(P(b), 0xa1, 1), 0xff);
	platform_pio_write(P(b), 0x20, 1, 0x20);	/* EOI */
	platform_pio_write(P(b), 0x20, 1, 0x0b);	/* OCW3: read ISR */
	CHECK_EQ(platform_pio_read(P(b), 0x20, 1), 0);
	CHECK_EQ(P(b)->unknown_pio.n, 0);
}

static uint8_t cmos(struct bench *b, uint8_t idx)
{
	platform_pio_write(P(b), 0x70, 1, idx);
	return platform_pio_read(P(b), 0x71, 1);
}

TEST(cmos_clock_in_bcd_and_binary)
{
	struct bench *b = bench(16 << 20);

	CHECK_EQ(cmos(b, 0x00), 0x56);
	CHECK_EQ(cmos(b, 0x02), 0x45);
	CHECK_EQ(cmos(b, 0x04), 0x13);
	CHECK_EQ(cmos(b, 0x06), 5);		/* Thursday; Sunday is 1 */
	CHECK_EQ(cmos(b, 0x07), 0x29);
	CHECK_EQ(cmos(b, 0x08), 0x02);
	CHECK_EQ(cmos(b, 0x09), 0x24);
	CHECK_EQ(cmos(b, 0x32), 0x20);
	CHECK_EQ(cmos(b, 0x8a), 0x26);	/* NMI-disable bit ignored */
	CHECK_EQ(cmos(b, 0x0b), 0x02);
	CHECK_EQ(cmos(b, 0x0c), 0x00);
	CHECK_EQ(cmos(b, 0x0d), 0x80);

	platform_pio_write(P(b), 0x70, 1, 0x0b);
	platform_pio_write(P(b), 0x71, 1, 0x06);	/* binary, 24h */
	CHECK_EQ(cmos(b, 0x00), 56);
	CHECK_EQ(cmos(b, 0x09), 24);
	platform_pio_write(P(b), 0x70, 1, 0x0b);
	platform_pio_write(P(b), 0x71, 1, 0x00);	/* BCD, 12h */
	CHECK_EQ(cmos(b, 0x04), 0x81);		/* 1 PM */
	/* The clock and status D cannot be written. */
	platform_pio_write(P(b), 0x70, 1, 0x00);
	platform_pio_write(P(b), 0x71, 1, 0x99);
	platform_pio_write(P(b), 0x70, 1, 0x0d);
	platform_pio_write(P(b), 0x71, 1, 0x00);
	CHECK_EQ(cmos(b, 0x0d), 0x80);
	platform_pio_write(P(b), 0x70, 1, 0x0b);
	platform_pio_write(P(b), 0x71, 1, 0x02);
	CHECK_EQ(cmos(b, 0x00), 0x56);
	/* Ordinary CMOS RAM stores. */
	platform_pio_write(P(b), 0x70, 1, 0x40);
	platform_pio_write(P(b), 0x71, 1, 0x77);
	CHECK_EQ(cmos(b, 0x40), 0x77);
}

TEST(cmos_memory_size_matches_mem)
{
	struct bench *b = bench(16 << 20);

	CHECK_EQ(cmos(b, 0x15) | cmos(b, 0x16) << 8, 640);
	CHECK_EQ(cmos(b, 0x17) | cmos(b, 0x18) << 8, 15 * 1024);
	CHECK_EQ(cmos(b, 0x30) | cmos(b, 0x31) << 8, 15 * 1024);
	CHECK_EQ(cmos(b, 0x34) | cmos(b, 0x35) << 8, 0);

	b = bench(128 << 20);
	CHECK_EQ(cmos(b, 0x17) | cmos(b, 0x18) << 8, 0xffff);	/* capped */
	CHECK_EQ(cmos(b, 0x34) | cmos(b, 0x35) << 8, (112 << 20) >> 16);
}

TEST(scratch_mmio_and_unknown_mmio)
{
	struct bench *b = bench(16 << 20);

	platform_mmio_write(P(b), 0xd0000000, 4, 0x12345678);
	CHECK_EQ(platform_mmio_read(P(b), 0xd0000000, 4), 0x12345678);
	CHECK_EQ(platform_mmio_read(P(b), 0xd0000ff0, 2), 0x5678);
	platform_mmio_write(P(b), 0xd0000008, 8, 0x1122334455667788ULL);
	CHECK_EQ(platform_mmio_read(P(b), 0xd0000000, 8),
		 0x1122334455667788ULL);
	platform_mmio_write(P(b), 0xd0000000, 1, 0x1ab);
	CHECK_EQ(platform_mmio_read(P(b), 0xd0000000, 4), 0xab);

	CHECK_EQ(platform_mmio_read(P(b), 0xe0000000, 4), 0xffffffff);
	CHECK_EQ(platform_mmio_read(P(b), 0xe0000000, 1), 0xff);
	platform_mmio_write(P(b), 0xd0001000, 4, 1);
	CHECK_EQ(P(b)->unknown_mmio.n, 2);
	CHECK_EQ(P(b)->unknown_mmio.addr[1], 0xd0001000);
}

TEST(unknown_ports_are_reported_once)
{
	struct bench *b = bench(16 << 20);
	struct capture c = { 0 };
	unsigned i;

	CHECK_EQ(platform_pio_read(P(b), 0x80, 1), 0xff);
	CHECK_EQ(platform_pio_read(P(b), 0x1234, 4), 0xffffffff);
	CHECK_EQ(platform_pio_read(P(b), 0x1234, 2), 0xffff);
	platform_pio_write(P(b), 0x80, 1, 0x12);
	platform_pio_write(P(b), 0x2f8, 1, 'x');
	CHECK_STR(console_text(b), "");
	for (i = 0; i < 40; i++)
		platform_pio_write(P(b), 0x5000 + i, 1, 0);
	capture_start(&c);
	platform_report_unknown(P(b), c.f);
	capture_end(&c);
	CHECK_CONTAINS(c.buf, "vmxlab: unknown I/O ports (read as all-ones, "
		       "writes dropped): 0x80, 0x1234, 0x2f8, 0x5000,");
	CHECK_CONTAINS(c.buf, " and 11 more\n");
	CHECK(!strstr(c.buf, "MMIO"));
}

TEST(hypercalls)
{
	struct bench *b = bench(16 << 20);
	uint64_t args[4] = { 1, 20, 300, 4000 };
	struct capture c = { 0 };

	CHECK_EQ(hypercall_handle(P(b), HC_PING, args), 0x766d786c);
	CHECK_EQ(hypercall_handle(P(b), HC_SUM, args), 4321);
	args[0] = '!';
	CHECK_EQ(hypercall_handle(P(b), HC_PUTC, args), 0);
	CHECK_STR(console_text(b), "!");
	CHECK_EQ(hypercall_handle(P(b), 0x99, args), ~0ULL);
	CHECK_EQ(hypercall_handle(P(b), 0x99, args), ~0ULL);
	CHECK(!P(b)->exit_requested);
	args[0] = 0x10;
	hypercall_handle(P(b), HC_EXIT, args);
	CHECK(P(b)->exit_requested);
	CHECK_EQ(P(b)->exit_value, 0x10);
	capture_start(&c);
	platform_report_unknown(P(b), c.f);
	capture_end(&c);
	CHECK_STR(c.buf, "vmxlab: unknown hypercall numbers (returned -1): "
		  "0x99\n");
}
