// SPDX-License-Identifier: GPL-2.0
/*
 * dev-cmos.c - the MC146818 real-time clock and CMOS RAM at 0x70/0x71.
 *
 * The time registers are computed from the host clock (UTC) on every
 * read, so they always tick; guest writes to them are ignored.  The
 * memory-size bytes are the ones a PC BIOS leaves for its OS, derived
 * from --mem the same way QEMU derives them.
 *
 * The rest of the chip runs on a nanosecond clock (CLOCK_MONOTONIC, as
 * everywhere in the loader): its divider chain counts the 32.768 kHz
 * time base, and from it come
 *   - the update cycle, once a second: UF, the alarm compare (AF), and
 *     UIP for the 244 us before it (MC146818 datasheet, "Update Cycle").
 *     The update itself is instant here, so UIP does not stay up for
 *     the 1984 us the real transfer takes;
 *   - the periodic flag PF at the rate register A selects.
 * The loader calls cmos_advance() at the deadlines it returns; register
 * reads catch up by themselves when @now_ns is set, so a guest polling
 * register C sees flags on time without interrupts enabled.
 *
 * The update cycle turns at whole monotonic seconds, the time registers
 * at whole wall-clock seconds, and the two need not line up: a guest
 * waiting for UIP to fall before it reads still gets a consistent time,
 * since every read of the host clock is.
 */
#include <string.h>

#include "devices.h"

#define CMOS_SECONDS	0x00
#define CMOS_SECONDS_ALARM 0x01
#define CMOS_MINUTES	0x02
#define CMOS_MINUTES_ALARM 0x03
#define CMOS_HOURS	0x04
#define CMOS_HOURS_ALARM 0x05
#define CMOS_WEEKDAY	0x06
#define CMOS_DAY	0x07
#define CMOS_MONTH	0x08
#define CMOS_YEAR	0x09
#define CMOS_CENTURY	0x32

#define REG_A_UIP	0x80	/* update in progress (read-only) */
#define REG_A_DV	0x70	/* divider select */
#define REG_A_DV_32K	0x20	/* 32.768 kHz time base: the only one run */
#define REG_A_RS	0x0f	/* periodic rate select */
#define REG_A_DEFAULT	0x26	/* 32.768 kHz base, 1024 Hz rate, no UIP */

#define REG_B_SET	0x80	/* stop updates so the time can be set */
#define REG_B_PIE	0x40
#define REG_B_AIE	0x20
#define REG_B_UIE	0x10
#define REG_B_BINARY	0x04	/* DM: binary rather than BCD */
#define REG_B_24H	0x02
#define REG_B_DEFAULT	REG_B_24H

#define REG_C_IRQF	0x80
#define REG_C_PF	0x40
#define REG_C_AF	0x20
#define REG_C_UF	0x10

#define REG_D_VRT	0x80	/* battery good */

#define ALARM_DONT_CARE	0xc0	/* both top bits set: matches any value */

#define NS_PER_SEC	1000000000ULL
#define RTC_HZ		32768ULL	/* divider chain cycles a second */
#define UIP_CYCLES	8		/* 244 us, in 32.768 kHz cycles */
/* Released from reset, the chain starts half a second before an update. */
#define RESET_RELEASE_CYCLES (RTC_HZ / 2)
/* Alarms repeat at most daily: a longer gap need not be replayed. */
#define MAX_REPLAYED_UPDATES 86400

static uint8_t to_bcd(unsigned v)
{
	return (uint8_t)(((v / 10) << 4) | (v % 10));
}

static time_t host_time(const struct cmos *c)
{
	return c->now ? c->now() : time(NULL);
}

/* Of the divider settings, vmxlab runs the chain for 32.768 kHz only. */
static bool chain_running(const struct cmos *c)
{
	return (c->ram[CMOS_REG_A] & REG_A_DV) == REG_A_DV_32K;
}

/* Update cycles happen: the chain runs and SET does not inhibit them. */
static bool updating(const struct cmos *c)
{
	return chain_running(c) && !(c->ram[CMOS_REG_B] & REG_B_SET);
}

/* While updates are stopped the time registers hold still. */
static time_t shown_time(const struct cmos *c)
{
	return updating(c) ? host_time(c) : c->frozen;
}

static uint8_t clock_reg(const struct cmos *c, uint8_t idx, time_t t)
{
	uint8_t b = c->ram[CMOS_REG_B];
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

/* The chain's cycle count at @t (it does not run backwards). */
static uint64_t cycles_at(const struct cmos *c, uint64_t t)
{
	if (t < c->origin_ns)
		return c->origin_cycles;
	return c->origin_cycles +
	       (uint64_t)((unsigned __int128)(t - c->origin_ns) * RTC_HZ /
			  NS_PER_SEC);
}

/* The first nanosecond at which the count has reached @cycles. */
static uint64_t ns_of_cycle(const struct cmos *c, uint64_t cycles)
{
	unsigned __int128 d = (unsigned __int128)(cycles - c->origin_cycles) *
			      NS_PER_SEC;

	return c->origin_ns + (uint64_t)((d + RTC_HZ - 1) / RTC_HZ);
}

/*
 * The periodic interrupt's period in chain cycles: rates 3..15 tap the
 * chain at 32768 >> (rate - 1) Hz; with the 32.768 kHz time base rates
 * 1 and 2 give 256 and 128 Hz instead (the datasheet's periodic
 * interrupt rate table); 0 is off.
 */
static uint64_t periodic_cycles(const struct cmos *c)
{
	unsigned rs = c->ram[CMOS_REG_A] & REG_A_RS;

	if (rs == 0)
		return 0;
	if (rs <= 2)
		return 64ULL << rs;
	return 1ULL << (rs - 1);
}

/* IRQF = PF.PIE + AF.AIE + UF.UIE; the IRQ pin is asserted with it. */
static bool irqf(const struct cmos *c)
{
	uint8_t b = c->ram[CMOS_REG_B], f = c->ram[CMOS_REG_C];

	return ((f & REG_C_PF) && (b & REG_B_PIE)) ||
	       ((f & REG_C_AF) && (b & REG_B_AIE)) ||
	       ((f & REG_C_UF) && (b & REG_B_UIE));
}

static void cmos_update_irq(struct cmos *c)
{
	int level = irqf(c);

	if (level != c->irq_level) {
		c->irq_level = level;
		irq_line_set(&c->irq, level);
	}
}

/*
 * The alarm fires on the update at which each of the seconds, minutes
 * and hours alarm bytes equals its time byte (in the format register B
 * selects) or is a "don't care" code, 0xC0-0xFF.
 */
static bool alarm_matches(const struct cmos *c, time_t t)
{
	static const uint8_t pair[3][2] = {
		{ CMOS_SECONDS_ALARM, CMOS_SECONDS },
		{ CMOS_MINUTES_ALARM, CMOS_MINUTES },
		{ CMOS_HOURS_ALARM, CMOS_HOURS },
	};
	unsigned i;

	for (i = 0; i < 3; i++) {
		uint8_t a = c->ram[pair[i][0]];

		if ((a & ALARM_DONT_CARE) == ALARM_DONT_CARE)
			continue;
		if (a != clock_reg(c, pair[i][1], t))
			return false;
	}
	return true;
}

/*
 * @n update cycles happened, the last at about the host's time now.
 * Every one sets UF; the alarm is compared against the time each one
 * showed, so a late call still finds a match in between.
 */
static void update_cycles(struct cmos *c, uint64_t n)
{
	time_t t = host_time(c);
	uint64_t i;

	c->ram[CMOS_REG_C] |= REG_C_UF;
	if (n > MAX_REPLAYED_UPDATES)
		n = MAX_REPLAYED_UPDATES;
	for (i = 0; i < n; i++) {
		if (alarm_matches(c, t - (time_t)i)) {
			c->ram[CMOS_REG_C] |= REG_C_AF;
			break;
		}
	}
}

static uint64_t next_deadline(const struct cmos *c, uint64_t now)
{
	uint8_t b = c->ram[CMOS_REG_B];
	uint64_t best = IRQ_NO_DEADLINE, cyc, p, t;

	if (!chain_running(c))
		return best;
	cyc = cycles_at(c, now);
	p = periodic_cycles(c);
	if (p && (b & REG_B_PIE))
		best = ns_of_cycle(c, (cyc / p + 1) * p);
	if (!(b & REG_B_SET) && (b & (REG_B_UIE | REG_B_AIE))) {
		t = ns_of_cycle(c, (cyc / RTC_HZ + 1) * RTC_HZ);
		if (t < best)
			best = t;
	}
	return best;
}

uint64_t cmos_advance(struct cmos *c, uint64_t now_ns)
{
	uint64_t c0, c1, p;

	if (!c->started) {
		/* Nothing is due from before the first look. */
		c->started = true;
		c->last_ns = now_ns;
	}
	if (now_ns < c->last_ns)
		now_ns = c->last_ns;
	if (chain_running(c)) {
		c0 = cycles_at(c, c->last_ns);
		c1 = cycles_at(c, now_ns);
		p = periodic_cycles(c);
		/* PF is set even with PIE off; only IRQF needs PIE. */
		if (p && c1 / p != c0 / p)
			c->ram[CMOS_REG_C] |= REG_C_PF;
		if (c1 / RTC_HZ != c0 / RTC_HZ &&
		    !(c->ram[CMOS_REG_B] & REG_B_SET))
			update_cycles(c, c1 / RTC_HZ - c0 / RTC_HZ);
	}
	c->last_ns = now_ns;
	cmos_update_irq(c);
	c->deadline = next_deadline(c, now_ns);
	return c->deadline;
}

/* Brings the flags up to now before an access looks at or changes them. */
static uint64_t cmos_catch_up(struct cmos *c)
{
	if (c->now_ns)
		cmos_advance(c, c->now_ns(c->clock_opaque));
	return c->last_ns;
}

/* UIP: the 244 us before an update, while updates are not stopped. */
static bool uip(struct cmos *c)
{
	uint64_t now;

	if (!c->now_ns || !updating(c))
		return false;
	now = c->now_ns(c->clock_opaque);
	return cycles_at(c, now) % RTC_HZ >= RTC_HZ - UIP_CYCLES;
}

static uint64_t cmos_read(void *opaque, uint64_t port, unsigned size)
{
	struct cmos *c = opaque;
	uint8_t v;

	(void)size;
	if (port == 0x70)
		return 0xff;	/* the index port is write-only */
	if (is_clock_reg(c->index))
		return clock_reg(c, c->index, shown_time(c));
	switch (c->index) {
	case CMOS_REG_A:
		return (c->ram[CMOS_REG_A] & ~REG_A_UIP) |
		       (uip(c) ? REG_A_UIP : 0);
	case CMOS_REG_C:
		/* Reading C clears every flag and releases the IRQ pin. */
		cmos_catch_up(c);
		v = c->ram[CMOS_REG_C] | (irqf(c) ? REG_C_IRQF : 0);
		c->ram[CMOS_REG_C] = 0;
		cmos_update_irq(c);
		return v;
	default:
		return c->ram[c->index];
	}
}

static void cmos_write_a(struct cmos *c, uint8_t val)
{
	bool ran = chain_running(c);
	uint64_t now = cmos_catch_up(c);

	c->ram[CMOS_REG_A] = val & ~REG_A_UIP;
	if (!ran && chain_running(c)) {
		/*
		 * "When the divider reset is removed, the first update cycle
		 * begins one-half second later."
		 */
		c->origin_ns = now;
		c->origin_cycles = RESET_RELEASE_CYCLES;
	}
}

static void cmos_write_b(struct cmos *c, uint8_t val)
{
	cmos_catch_up(c);
	/* SET going high also clears UIE (datasheet, register B bit 4). */
	if ((val & REG_B_SET) && !(c->ram[CMOS_REG_B] & REG_B_SET))
		val &= ~REG_B_UIE;
	c->ram[CMOS_REG_B] = val;
}

static void cmos_write(void *opaque, uint64_t port, unsigned size,
		       uint64_t val)
{
	struct cmos *c = opaque;
	bool was_updating;

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
	if (c->index != CMOS_REG_A && c->index != CMOS_REG_B) {
		c->ram[c->index] = val;
		return;
	}
	was_updating = updating(c);
	if (c->index == CMOS_REG_A)
		cmos_write_a(c, val);
	else
		cmos_write_b(c, val);
	if (was_updating && !updating(c))
		c->frozen = host_time(c);
	/* PIE, AIE or UIE set with its flag already up raises IRQF now. */
	cmos_update_irq(c);
	c->deadline = next_deadline(c, c->last_ns);
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
	uint64_t (*now_ns)(void *opaque) = c->now_ns;
	void *clock_opaque = c->clock_opaque;
	struct irq_line irq = c->irq;

	memset(c, 0, sizeof(*c));
	c->now = now;
	c->now_ns = now_ns;
	c->clock_opaque = clock_opaque;
	c->irq = irq;
	c->deadline = IRQ_NO_DEADLINE;
	c->ram[CMOS_REG_A] = REG_A_DEFAULT;
	c->ram[CMOS_REG_B] = REG_B_DEFAULT;
	c->ram[CMOS_REG_D] = REG_D_VRT;
	cmos_set_memory(c, ram_size);
	return platform_add_pio(p, &r);
}
