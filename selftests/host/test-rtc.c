// SPDX-License-Identifier: GPL-2.0
/*
 * test-rtc.c - the MC146818's update cycle, periodic interrupt, alarm
 * and IRQ line (dev-cmos.c), on a fake clock that the test moves.
 */
#include <stdlib.h>

#include "devices.h"
#include "tap.h"

#define SEC		1000000000ULL
/* 2024-02-29 13:45:56 UTC, at fake monotonic time 0. */
#define BASE_TIME	1709214356

/* One clock for both callbacks: wall seconds turn with the updates. */
static uint64_t clock_ns;

static time_t fake_time(void)
{
	return BASE_TIME + (time_t)(clock_ns / SEC);
}

static uint64_t fake_ns(void *opaque)
{
	CHECK(opaque == &clock_ns);
	return clock_ns;
}

struct irq_rec {
	int level;
	unsigned edges;
};

static void rec_set(void *opaque, unsigned line, int level)
{
	struct irq_rec *r = opaque;

	CHECK_EQ(line, RTC_IRQ);
	if (level && !r->level)
		r->edges++;
	r->level = level;
}

struct rig {
	struct platform p;
	struct cmos c;
	struct irq_rec irq;
};

static struct rig *rig(uint64_t start_ns)
{
	struct rig *r = calloc(1, sizeof(*r));

	clock_ns = start_ns;
	platform_init(&r->p, stdout);
	if (cmos_attach(&r->p, &r->c, 16 << 20, fake_time))
		abort();
	/* Wired after attaching this time; before works too. */
	r->c.now_ns = fake_ns;
	r->c.clock_opaque = &clock_ns;
	r->c.irq = (struct irq_line){ rec_set, &r->irq, RTC_IRQ };
	return r;
}

static uint8_t rd(struct rig *r, uint8_t idx)
{
	platform_pio_write(&r->p, 0x70, 1, idx);
	return platform_pio_read(&r->p, 0x71, 1);
}

static void wr(struct rig *r, uint8_t idx, uint8_t v)
{
	platform_pio_write(&r->p, 0x70, 1, idx);
	platform_pio_write(&r->p, 0x71, 1, v);
}

/* Moves the fake clock and lets the loader's timer call in. */
static uint64_t at(struct rig *r, uint64_t ns)
{
	clock_ns = ns;
	return cmos_advance(&r->c, ns);
}

TEST(rtc_uip_in_the_244us_before_each_update)
{
	struct rig *r = rig(4 * SEC + SEC / 2);

	CHECK_EQ(rd(r, 0x0a), 0x26);
	clock_ns = 5 * SEC - 250000;
	CHECK_EQ(rd(r, 0x0a), 0x26);
	clock_ns = 5 * SEC - 244000;
	CHECK_EQ(rd(r, 0x0a), 0xa6);
	clock_ns = 5 * SEC - 1;
	CHECK_EQ(rd(r, 0x0a), 0xa6);
	clock_ns = 5 * SEC;			/* the update is instant */
	CHECK_EQ(rd(r, 0x0a), 0x26);
	clock_ns = 6 * SEC - 100000;
	CHECK_EQ(rd(r, 0x0a), 0xa6);
	/* UIP is read-only. */
	wr(r, 0x0a, 0xa6);
	CHECK_EQ(r->c.ram[0x0a], 0x26);
	/* SET stops updates, and with them UIP. */
	wr(r, 0x0b, 0x82);
	CHECK_EQ(rd(r, 0x0a), 0x26);
	wr(r, 0x0b, 0x02);
	CHECK_EQ(rd(r, 0x0a), 0xa6);
	/* So does any divider but 010. */
	wr(r, 0x0a, 0x76);
	CHECK_EQ(rd(r, 0x0a), 0x76);
}

TEST(rtc_periodic_flag_at_1024hz_without_pie)
{
	struct rig *r = rig(10 * SEC);
	unsigned ticks = 0;
	uint64_t t;

	/* Nothing enabled: no deadline, but PF still comes. */
	CHECK_EQ(at(r, 10 * SEC), IRQ_NO_DEADLINE);
	CHECK_EQ(r->c.deadline, IRQ_NO_DEADLINE);
	CHECK_EQ(rd(r, 0x0c), 0x00);
	/* 32 cycles of 32.768 kHz: 976562.5 ns. */
	CHECK_EQ(at(r, 10 * SEC + 976562), IRQ_NO_DEADLINE);
	CHECK_EQ(rd(r, 0x0c), 0x00);
	at(r, 10 * SEC + 976563);
	CHECK_EQ(rd(r, 0x0c), 0x40);		/* PF, no IRQF */
	CHECK_EQ(rd(r, 0x0c), 0x00);		/* reading cleared it */
	CHECK_EQ(r->irq.edges, 0);

	/* A guest polling C sees PF on time with no timer call at all. */
	clock_ns = 10 * SEC + 1953124;
	CHECK_EQ(rd(r, 0x0c), 0x00);
	clock_ns = 10 * SEC + 1953125;
	CHECK_EQ(rd(r, 0x0c), 0x40);

	/* With PIE, the deadlines are the ticks: 1024 of them a second. */
	wr(r, 0x0b, 0x42);
	CHECK_EQ(r->c.deadline, 10 * SEC + 2929688);
	t = at(r, 11 * SEC);
	CHECK_EQ(t, 11 * SEC + 976563);
	rd(r, 0x0c);
	while (t <= 12 * SEC) {
		CHECK_EQ(r->irq.level, 0);
		uint64_t now = t;

		t = at(r, now);
		CHECK_EQ(r->irq.level, 1);
		/* The 1024th tick comes with the update: UF too. */
		CHECK_EQ(rd(r, 0x0c), now == 12 * SEC ? 0xd0 : 0xc0);
		ticks++;
	}
	CHECK_EQ(ticks, 1024);
	CHECK_EQ(t, 12 * SEC + 976563);
}

TEST(rtc_periodic_rates)
{
	struct rig *r = rig(20 * SEC);

	wr(r, 0x0b, 0x42);			/* PIE */
	wr(r, 0x0a, 0x20);			/* rate 0: none */
	CHECK_EQ(r->c.deadline, IRQ_NO_DEADLINE);
	CHECK_EQ(at(r, 21 * SEC), IRQ_NO_DEADLINE);
	CHECK_EQ(rd(r, 0x0c), 0x10);		/* UF at 21 s, no PF */
	wr(r, 0x0a, 0x2f);			/* 15: 2 Hz */
	CHECK_EQ(r->c.deadline, 21 * SEC + SEC / 2);
	wr(r, 0x0a, 0x23);			/* 3: 8192 Hz */
	CHECK_EQ(r->c.deadline, 21 * SEC + 122071);	/* 122070.3 */
	wr(r, 0x0a, 0x21);			/* 1: 256 Hz, not 16384 */
	CHECK_EQ(r->c.deadline, 21 * SEC + 3906250);
	wr(r, 0x0a, 0x22);			/* 2: 128 Hz, not 8192 */
	CHECK_EQ(r->c.deadline, 21 * SEC + 7812500);
	CHECK_EQ(at(r, 21 * SEC + 7812499), 21 * SEC + 7812500);
	CHECK_EQ(r->irq.level, 0);
	at(r, 21 * SEC + 7812500);
	CHECK_EQ(r->irq.level, 1);
}

TEST(rtc_pie_raises_the_line_and_reading_c_drops_it)
{
	struct rig *r = rig(30 * SEC);

	at(r, 30 * SEC);
	/* PF comes with PIE off; setting PIE then asserts IRQF at once. */
	at(r, 30 * SEC + 976563);
	CHECK_EQ(r->irq.level, 0);
	wr(r, 0x0b, 0x42);
	CHECK_EQ(r->irq.level, 1);
	CHECK_EQ(r->irq.edges, 1);
	/* Clearing PIE drops IRQF while PF stays. */
	wr(r, 0x0b, 0x02);
	CHECK_EQ(r->irq.level, 0);
	wr(r, 0x0b, 0x42);
	CHECK_EQ(r->irq.level, 1);
	CHECK_EQ(rd(r, 0x0c), 0xc0);
	CHECK_EQ(r->irq.level, 0);
	/* Flags are sticky: a late timer still gives one interrupt. */
	at(r, 31 * SEC);
	CHECK_EQ(r->irq.level, 1);
	CHECK_EQ(r->irq.edges, 3);
	/* Register C is read-only. */
	wr(r, 0x0c, 0x00);
	CHECK_EQ(r->irq.level, 1);
	CHECK_EQ(rd(r, 0x0c), 0xd0);		/* PF, and UF at 31 s */
	CHECK_EQ(rd(r, 0x0c), 0x00);
	CHECK_EQ(r->irq.level, 0);
}

TEST(rtc_uie_once_a_second)
{
	struct rig *r = rig(10 * SEC + SEC / 2);

	wr(r, 0x0a, 0x20);			/* no periodic flag */
	wr(r, 0x0b, 0x12);			/* UIE, 24 h */
	CHECK_EQ(r->c.deadline, 11 * SEC);
	CHECK_EQ(at(r, 11 * SEC - 1), 11 * SEC);
	CHECK_EQ(r->irq.level, 0);
	CHECK_EQ(at(r, 11 * SEC), 12 * SEC);
	CHECK_EQ(r->irq.level, 1);
	CHECK_EQ(rd(r, 0x00), 0x07);		/* 13:46:07, BCD */
	CHECK_EQ(rd(r, 0x0c), 0x90);		/* IRQF, UF */
	CHECK_EQ(r->irq.level, 0);
	CHECK_EQ(at(r, 11 * SEC + SEC / 2), 12 * SEC);
	CHECK_EQ(rd(r, 0x0c), 0x00);
	/* Two updates missed: one UF, one interrupt. */
	CHECK_EQ(at(r, 13 * SEC + SEC / 2), 14 * SEC);
	CHECK_EQ(r->irq.edges, 2);
	CHECK_EQ(rd(r, 0x0c), 0x90);
	/* UF without UIE: the flag but no IRQF. */
	wr(r, 0x0b, 0x02);
	CHECK_EQ(r->c.deadline, IRQ_NO_DEADLINE);
	at(r, 14 * SEC);
	CHECK_EQ(r->irq.level, 0);
	CHECK_EQ(rd(r, 0x0c), 0x10);
}

TEST(rtc_alarm_match_and_dont_care)
{
	struct rig *r = rig(SEC / 2);

	wr(r, 0x0a, 0x20);
	wr(r, 0x01, 0x59);			/* alarm 13:45:59 (BCD) */
	wr(r, 0x03, 0x45);
	wr(r, 0x05, 0x13);
	wr(r, 0x0b, 0x22);			/* AIE, 24 h */
	CHECK_EQ(r->c.deadline, SEC);
	at(r, 1 * SEC);				/* 13:45:57 */
	CHECK_EQ(r->irq.level, 0);
	CHECK_EQ(rd(r, 0x0c), 0x10);		/* UF only */
	at(r, 2 * SEC);				/* 13:45:58 */
	CHECK_EQ(rd(r, 0x0c), 0x10);
	at(r, 3 * SEC);				/* 13:45:59 */
	CHECK_EQ(r->irq.level, 1);
	CHECK_EQ(rd(r, 0x0c), 0xb0);		/* IRQF, AF, UF */
	at(r, 4 * SEC);
	CHECK_EQ(rd(r, 0x0c), 0x10);

	/* Don't care hours and minutes: every minute at :00. */
	wr(r, 0x01, 0x00);
	wr(r, 0x03, 0xc5);
	wr(r, 0x05, 0xff);
	at(r, 63 * SEC);			/* 13:46:59 */
	CHECK_EQ(rd(r, 0x0c), 0x10);
	at(r, 64 * SEC);			/* 13:47:00 */
	CHECK_EQ(rd(r, 0x0c), 0xb0);
	at(r, 65 * SEC);
	CHECK_EQ(rd(r, 0x0c), 0x10);
	/* All don't care: every second. */
	wr(r, 0x01, 0xc0);
	at(r, 66 * SEC);
	CHECK_EQ(rd(r, 0x0c), 0xb0);
	at(r, 67 * SEC);
	CHECK_EQ(rd(r, 0x0c), 0xb0);

	/* A late timer finds a match among the updates it missed. */
	wr(r, 0x01, 0x10);			/* 13:47:10 is at 74 s */
	wr(r, 0x03, 0x47);
	wr(r, 0x05, 0x13);
	at(r, 76 * SEC + 1);
	CHECK_EQ(rd(r, 0x0c), 0xb0);

	/* Binary mode compares binary bytes; 12-hour mode, with PM. */
	wr(r, 0x0b, 0x26);			/* AIE, binary, 24 h */
	wr(r, 0x01, 20);			/* 13:47:20 is at 84 s */
	wr(r, 0x03, 47);
	wr(r, 0x05, 13);
	at(r, 83 * SEC);
	CHECK_EQ(rd(r, 0x0c), 0x10);
	at(r, 84 * SEC);
	CHECK_EQ(rd(r, 0x0c), 0xb0);
	wr(r, 0x0b, 0x20);			/* AIE, BCD, 12 h */
	wr(r, 0x01, 0x30);			/* 1:47:30 PM is at 94 s */
	wr(r, 0x03, 0x47);
	wr(r, 0x05, 0x81);
	at(r, 94 * SEC);
	CHECK_EQ(rd(r, 0x0c), 0xb0);
}

TEST(rtc_set_bit_freezes_updates)
{
	struct rig *r = rig(SEC / 2);

	wr(r, 0x0a, 0x20);
	CHECK_EQ(rd(r, 0x00), 0x56);		/* 13:45:56 */
	/* SET going high clears UIE. */
	wr(r, 0x0b, 0x92);
	CHECK_EQ(rd(r, 0x0b), 0x82);
	wr(r, 0x0b, 0xb2);			/* SET, AIE, UIE kept now */
	CHECK_EQ(rd(r, 0x0b), 0xb2);
	wr(r, 0x01, 0xc0);			/* alarm every second */
	wr(r, 0x03, 0xc0);
	wr(r, 0x05, 0xc0);
	CHECK_EQ(r->c.deadline, IRQ_NO_DEADLINE);
	CHECK_EQ(at(r, 3 * SEC + SEC / 2), IRQ_NO_DEADLINE);
	CHECK_EQ(rd(r, 0x0c), 0x00);		/* no UF, no AF */
	CHECK_EQ(rd(r, 0x00), 0x56);		/* frozen */
	CHECK_EQ(r->irq.edges, 0);
	/* Writes to the clock are ignored still; it follows the host. */
	wr(r, 0x00, 0x10);
	wr(r, 0x0b, 0x32);
	CHECK_EQ(rd(r, 0x00), 0x59);
	CHECK_EQ(r->c.deadline, 4 * SEC);
	at(r, 4 * SEC);
	CHECK_EQ(r->irq.level, 1);
	CHECK_EQ(rd(r, 0x0c), 0xb0);
}

TEST(rtc_divider_reset_and_release)
{
	struct rig *r = rig(10 * SEC);

	wr(r, 0x0b, 0x52);			/* PIE, UIE */
	CHECK_EQ(r->c.deadline, 10 * SEC + 976563);
	wr(r, 0x0a, 0x76);			/* divider chain in reset */
	CHECK_EQ(r->c.deadline, IRQ_NO_DEADLINE);
	CHECK_EQ(at(r, 12 * SEC), IRQ_NO_DEADLINE);
	CHECK_EQ(rd(r, 0x0c), 0x00);
	CHECK_EQ(rd(r, 0x00), 0x06);		/* 13:46:06, frozen */
	clock_ns = 12 * SEC + SEC / 4;
	CHECK_EQ(rd(r, 0x00), 0x06);
	/* The first update comes half a second after the release. */
	wr(r, 0x0a, 0x2f);			/* 2 Hz */
	CHECK_EQ(rd(r, 0x00), 0x08);
	CHECK_EQ(r->c.deadline, 12 * SEC + SEC / 4 + SEC / 2);
	CHECK_EQ(at(r, 12 * SEC + 3 * SEC / 4), 12 * SEC + 5 * SEC / 4);
	CHECK_EQ(rd(r, 0x0c), 0xd0);		/* IRQF, PF, UF */
}
