// SPDX-License-Identifier: GPL-2.0
/*
 * dev-cmos.c - the MC146818 real-time clock and CMOS RAM at 0x70/0x71.
 *
 * The clock registers are computed from the host clock (UTC) on every
 * read, so they always tick and never show an update in progress.  The
 * memory-size bytes are the ones a PC BIOS leaves for its OS, derived
 * from --mem the same way QEMU derives them.
 */
#include <string.h>

#include "devices.h"

#define CMOS_SECONDS	0x00
#define CMOS_MINUTES	0x02
#define CMOS_HOURS	0x04
#define CMOS_WEEKDAY	0x06
#define CMOS_DAY	0x07
#define CMOS_MONTH	0x08
#define CMOS_YEAR	0x09
#define CMOS_CENTURY	0x32

#define REG_A_DEFAULT	0x26	/* 32.768 kHz base, 1024 Hz rate, no UIP */
#define REG_B_24H	0x02
#define REG_B_BINARY	0x04
#define REG_B_DEFAULT	REG_B_24H
#define REG_D_VRT	0x80	/* battery good */

static uint8_t to_bcd(unsigned v)
{
	return (uint8_t)(((v / 10) << 4) | (v % 10));
}

static uint8_t clock_reg(const struct cmos *c, uint8_t idx)
{
	uint8_t b = c->ram[CMOS_REG_B];
	time_t t = c->now ? c->now() : time(NULL);
	bool pm = false;
	struct tm tm;
	unsigned v;

	gmtime_r(&t, &tm);
	switch (idx) {
	case CMOS_SECONDS:
		v = tm.tm_sec;
		break;
	case CMOS_MINUTES:
		v = tm.tm_min;
		break;
	case CMOS_HOURS:
		v = tm.tm_hour;
		if (!(b & REG_B_24H)) {
			pm = v >= 12;
			v %= 12;
			if (v == 0)
				v = 12;
		}
		break;
	case CMOS_WEEKDAY:
		v = tm.tm_wday + 1;	/* Sunday is 1 */
		break;
	case CMOS_DAY:
		v = tm.tm_mday;
		break;
	case CMOS_MONTH:
		v = tm.tm_mon + 1;
		break;
	case CMOS_YEAR:
		v = tm.tm_year % 100;
		break;
	default:		/* CMOS_CENTURY */
		v = (tm.tm_year + 1900) / 100;
		break;
	}
	v = (b & REG_B_BINARY) ? v : to_bcd(v);
	return (uint8_t)(v | (pm ? 0x80 : 0));
}

static bool is_clock_reg(uint8_t idx)
{
	switch (idx) {
	case CMOS_SECONDS:
	case CMOS_MINUTES:
	case CMOS_HOURS:
	case CMOS_WEEKDAY:
	case CMOS_DAY:
	case CMOS_MONTH:
	case CMOS_YEAR:
	case CMOS_CENTURY:
		return true;
	default:
		return false;
	}
}

static uint64_t cmos_read(void *opaque, uint64_t port, unsigned size)
{
	struct cmos *c = opaque;

	(void)size;
	if (port == 0x70)
		return 0xff;	/* the index port is write-only */
	if (is_clock_reg(c->index))
		return clock_reg(c, c->index);
	return c->ram[c->index];
}

static void cmos_write(void *opaque, uint64_t port, unsigned size,
		       uint64_t val)
{
	struct cmos *c = opaque;

	(void)size;
	if (port == 0x70) {
		c->index = val & 0x7f;
		c->nmi_disabled = !!(val & 0x80);
		return;
	}
	/* The clock follows the host; C and D are read-only. */
	if (is_clock_reg(c->index) || c->index == CMOS_REG_C ||
	    c->index == CMOS_REG_D)
		return;
	c->ram[c->index] = val;
}

static void cmos_set_memory(struct cmos *c, uint64_t ram_size)
{
	uint64_t ext_kib, high;

	/* 640 KiB of base memory. */
	c->ram[0x15] = 640 & 0xff;
	c->ram[0x16] = 640 >> 8;
	/* KiB above 1 MiB, capped at 0xffff. */
	ext_kib = ram_size > (1 << 20) ? (ram_size >> 10) - 1024 : 0;
	if (ext_kib > 0xffff)
		ext_kib = 0xffff;
	c->ram[0x17] = c->ram[0x30] = ext_kib & 0xff;
	c->ram[0x18] = c->ram[0x31] = ext_kib >> 8;
	/* 64 KiB blocks above 16 MiB, capped at 0xffff. */
	high = ram_size > (16 << 20) ? (ram_size - (16 << 20)) >> 16 : 0;
	if (high > 0xffff)
		high = 0xffff;
	c->ram[0x34] = high & 0xff;
	c->ram[0x35] = high >> 8;
}

int cmos_attach(struct platform *p, struct cmos *c, uint64_t ram_size,
		time_t (*now)(void))
{
	struct io_region r = {
		.base = 0x70, .len = 2, .name = "cmos", .opaque = c,
		.read = cmos_read, .write = cmos_write,
	};

	memset(c, 0, sizeof(*c));
	c->now = now;
	c->ram[CMOS_REG_A] = REG_A_DEFAULT;
	c->ram[CMOS_REG_B] = REG_B_DEFAULT;
	c->ram[CMOS_REG_D] = REG_D_VRT;
	cmos_set_memory(c, ram_size);
	return platform_add_pio(p, &r);
}
