// SPDX-License-Identifier: GPL-2.0
/*
 * test-pit.c - the 8254 model and port 0x61 against a fake clock.
 *
 * The expected times are the datasheet's, worked out by hand: CLK pulse
 * t of the 1193182 Hz clock happens at ceil(t * 1e9 / 1193182) ns, a
 * count written at time 0 is loaded by pulse 1 and decremented from
 * pulse 2 on.  So 100 Hz (N = 11932) rises OUT 0 at pulse 11933 =
 * 10000989 ns, then every 11932 pulses (10000151 ns, give or take 1).
 */
#include "devices.h"
#include "tap.h"

struct rig {
	struct platform plat;
	struct pit pit;
	uint64_t now;
	unsigned edges;		/* 0 -> 1 transitions on IRQ 0 */
	int level;
	unsigned line;
};

static uint64_t fake_now(void *opaque)
{
	return ((struct rig *)opaque)->now;
}

static void irq_set(void *opaque, unsigned line, int level)
{
	struct rig *r = opaque;

	if (level && !r->level)
		r->edges++;
	r->level = level;
	r->line = line;
}

static void setup(struct rig *r)
{
	memset(r, 0, sizeof(*r));
	platform_init(&r->plat, NULL);
	CHECK_EQ(pit_attach(&r->plat, &r->pit, fake_now, r), 0);
	r->pit.irq0 = (struct irq_line){ .set = irq_set, .opaque = r,
					 .line = 0 };
}

static void out8(struct rig *r, uint16_t port, uint8_t v)
{
	platform_pio_write(&r->plat, port, 1, v);
}

static uint8_t in8(struct rig *r, uint16_t port)
{
	return platform_pio_read(&r->plat, port, 1);
}

/* Read-back of counter @ch's status alone (0xE2, 0xE4, 0xE8). */
static uint8_t status(struct rig *r, unsigned ch)
{
	out8(r, 0x43, 0xe0 | 2 << ch);
	return in8(r, 0x40 + ch);
}

static uint16_t read16(struct rig *r, uint16_t port)
{
	uint8_t lo = in8(r, port);

	return lo | in8(r, port) << 8;
}

TEST(pit_mode2_rate_generator_100hz)
{
	struct rig r;

	setup(&r);
	CHECK_EQ(pit_advance(&r.pit, 0), IRQ_NO_DEADLINE);	/* idle */
	out8(&r, 0x43, 0x34);	/* counter 0, LSB then MSB, mode 2 */
	out8(&r, 0x40, 11932 & 0xff);
	out8(&r, 0x40, 11932 >> 8);
	CHECK_EQ(r.edges, 0);
	CHECK_EQ(pit_advance(&r.pit, 0), 10000989);
	CHECK_EQ(pit_advance(&r.pit, 10000988), 10000989);
	CHECK_EQ(r.edges, 0);
	CHECK_EQ(pit_advance(&r.pit, 10000989), 20001140);
	CHECK_EQ(r.edges, 1);
	CHECK_EQ(r.line, 0);
	CHECK_EQ(pit_advance(&r.pit, 20001140), 30001291);
	CHECK_EQ(r.edges, 2);
	/* Late by five periods: one edge, the lost ones are dropped. */
	CHECK_EQ(pit_advance(&r.pit, 65000000), 70001895);
	CHECK_EQ(r.edges, 3);
	CHECK_EQ(pit_advance(&r.pit, 65000001), 70001895);
	CHECK_EQ(r.edges, 3);
	/* Mid-period, OUT is high; the status says mode 2, LSB/MSB. */
	r.now = 65000001;
	CHECK_EQ(status(&r, 0), 0xb4);
}

TEST(pit_mode3_square_wave_100hz)
{
	struct rig r;

	setup(&r);
	out8(&r, 0x43, 0x36);	/* counter 0, LSB then MSB, mode 3 */
	out8(&r, 0x40, 11932 & 0xff);
	out8(&r, 0x40, 11932 >> 8);
	/* Rising edges where mode 2's are: pulse 1 + m * N. */
	CHECK_EQ(pit_advance(&r.pit, 0), 10000989);
	CHECK_EQ(pit_advance(&r.pit, 10000989), 20001140);
	CHECK_EQ(r.edges, 1);
	/* High for N/2 = 5966 pulses (pulses 1..5966), then low. */
	r.now = 5000076;		/* pulse 5966 */
	CHECK_EQ(status(&r, 0), 0xb6);
	r.now = 5000914;		/* pulse 5967 */
	CHECK_EQ(status(&r, 0), 0x36);
	/* The count goes down by two: N - 2 * 5964 at pulse 5965. */
	r.now = 5000000;
	out8(&r, 0x43, 0x00);
	CHECK_EQ(read16(&r, 0x40), 11932 - 2 * 5964);
	/* The line went low with OUT when the I/O thread came by. */
	r.now = 16000000;		/* pulse 19090: the low half */
	CHECK_EQ(pit_advance(&r.pit, r.now), 20001140);
	CHECK_EQ(r.level, 0);
	CHECK_EQ(pit_advance(&r.pit, 20001140), 30001291);
	CHECK_EQ(r.edges, 2);
	CHECK_EQ(r.level, 1);
}

TEST(pit_mode3_odd_count)
{
	struct rig r;

	setup(&r);
	out8(&r, 0x43, 0x16);	/* counter 0, LSB only, mode 3 */
	out8(&r, 0x40, 5);
	/* N = 5: high for 3 pulses (1-3), low for 2 (4-5), high at 6. */
	r.now = 2515;			/* pulse 3 */
	CHECK_EQ(status(&r, 0) & 0x80, 0x80);
	r.now = 3353;			/* pulse 4 */
	CHECK_EQ(status(&r, 0) & 0x80, 0);
	r.now = 4191;			/* pulse 5 */
	CHECK_EQ(status(&r, 0) & 0x80, 0);
	r.now = 5029;			/* pulse 6 */
	CHECK_EQ(status(&r, 0) & 0x80, 0x80);
	CHECK_EQ(pit_advance(&r.pit, 0), 5029);
}

TEST(pit_counter_latch_mid_period)
{
	struct rig r;

	setup(&r);
	out8(&r, 0x43, 0x34);
	out8(&r, 0x40, 11932 & 0xff);
	out8(&r, 0x40, 11932 >> 8);
	/* 5 ms in: pulse 5965, count 11932 - 5964 = 5968 = 0x1750. */
	r.now = 5000000;
	out8(&r, 0x43, 0x00);	/* counter latch, counter 0 */
	r.now = 7000000;
	out8(&r, 0x43, 0x00);	/* ignored: the first is not read yet */
	CHECK_EQ(in8(&r, 0x40), 0x50);
	CHECK_EQ(in8(&r, 0x40), 0x17);
	/* Released by the MSB: now it counts live, pulse 8352. */
	CHECK_EQ(read16(&r, 0x40), 0x0dfd);
	/* The control word register reads as a floating bus. */
	CHECK_EQ(in8(&r, 0x43), 0xff);
}

TEST(pit_readback_status_and_count)
{
	struct rig r;

	setup(&r);
	out8(&r, 0x43, 0x34);
	/* OUT high (mode 2), null count: no count written yet. */
	CHECK_EQ(status(&r, 0), 0xf4);
	out8(&r, 0x40, 0x9c);
	out8(&r, 0x40, 0x2e);
	CHECK_EQ(status(&r, 0), 0xf4);	/* not loaded until pulse 1 */
	r.now = 839;			/* pulse 1 loads it */
	CHECK_EQ(status(&r, 0), 0xb4);
	/* Count and status of counters 0 and 2 at once: status first. */
	out8(&r, 0x43, 0xb0);		/* counter 2: LSB/MSB, mode 0 */
	r.now = 9220;			/* pulse 11: count 11932 - 10 */
	out8(&r, 0x43, 0xca);		/* read-back: count, status, 0, 2 */
	r.now = 100000;
	CHECK_EQ(in8(&r, 0x40), 0xb4);
	CHECK_EQ(read16(&r, 0x40), 11922);
	CHECK_EQ(in8(&r, 0x42), 0x70);	/* OUT low, null count, mode 0 */
	/*
	 * Latching the status again before reading it is ignored: counter
	 * 0 in mode 0 latched with OUT low still says so after its count
	 * expired.
	 */
	out8(&r, 0x43, 0x10);		/* counter 0, LSB only, mode 0 */
	out8(&r, 0x40, 10);		/* in pulse 119 */
	r.now = 101000;			/* pulse 120 loads it */
	CHECK_EQ(status(&r, 0), 0x10);
	r.now = 102000;
	out8(&r, 0x43, 0xe2);
	r.now = 200000;			/* pulse 238: OUT went high */
	out8(&r, 0x43, 0xe2);
	CHECK_EQ(in8(&r, 0x40), 0x10);
	CHECK_EQ(status(&r, 0), 0x90);
	/* BCD: 1234 counts 1234, 1233, ... in BCD digits. */
	setup(&r);
	out8(&r, 0x43, 0x75);		/* counter 1, LSB/MSB, mode 2, BCD */
	out8(&r, 0x41, 0x34);
	out8(&r, 0x41, 0x12);
	r.now = 9220;			/* pulse 11 */
	out8(&r, 0x43, 0x40);
	CHECK_EQ(read16(&r, 0x41), 0x1224);
	CHECK_EQ(status(&r, 1), 0xb5);
}

TEST(pit_mode0_terminal_count)
{
	struct rig r;

	setup(&r);
	out8(&r, 0x43, 0x30);	/* counter 0, LSB then MSB, mode 0 */
	CHECK_EQ(r.level, 0);
	out8(&r, 0x40, 100);
	CHECK_EQ(status(&r, 0) & 0x80, 0);	/* first byte: OUT low */
	out8(&r, 0x40, 0);
	/* N + 1 = 101 pulses: pulse 101 is at 84648 ns. */
	CHECK_EQ(pit_advance(&r.pit, 0), 84648);
	r.now = 84647;
	CHECK_EQ(status(&r, 0), 0x30);
	CHECK_EQ(pit_advance(&r.pit, 84647), 84648);
	CHECK_EQ(r.edges, 0);
	r.now = 84648;
	CHECK_EQ(status(&r, 0), 0xb0);
	CHECK_EQ(pit_advance(&r.pit, 84648), IRQ_NO_DEADLINE);
	CHECK_EQ(r.edges, 1);
	CHECK_EQ(r.level, 1);
	/* OUT stays high while the count wraps to 0xffff and on. */
	r.now = 93029;				/* pulse 111: 100 - 110 */
	CHECK_EQ(read16(&r, 0x40), 0xfff6);
	r.now = 1000000000;
	CHECK_EQ(status(&r, 0) & 0x80, 0x80);
	CHECK_EQ(pit_advance(&r.pit, 1000000000), IRQ_NO_DEADLINE);
	CHECK_EQ(r.edges, 1);
	/* A new control word drops OUT and the line at once. */
	out8(&r, 0x43, 0x30);
	CHECK_EQ(r.level, 0);
}

TEST(pit_mode4_oneshot_and_count_zero)
{
	struct rig r;

	setup(&r);
	out8(&r, 0x43, 0x38);	/* Linux's oneshot clockevent: mode 4 */
	out8(&r, 0x40, 100);
	out8(&r, 0x40, 0);
	/* Strobe: low for pulse 101, rising again at pulse 102. */
	CHECK_EQ(pit_advance(&r.pit, 0), 85486);
	CHECK_EQ(pit_advance(&r.pit, 85486), IRQ_NO_DEADLINE);
	CHECK_EQ(r.edges, 1);
	/* A count of 0 is 65536 (rises at 65537), in BCD 10000. */
	setup(&r);
	out8(&r, 0x43, 0x34);
	out8(&r, 0x40, 0);
	out8(&r, 0x40, 0);
	CHECK_EQ(pit_advance(&r.pit, 0), 54926240);
	setup(&r);
	out8(&r, 0x43, 0x35);
	out8(&r, 0x40, 0);
	out8(&r, 0x40, 0);
	CHECK_EQ(pit_advance(&r.pit, 0), 8381790);
}

TEST(pit_mode2_new_count_waits_for_period_end)
{
	struct rig r;

	setup(&r);
	out8(&r, 0x43, 0x34);
	out8(&r, 0x40, 1000 & 0xff);
	out8(&r, 0x40, 1000 >> 8);
	r.now = 419048;			/* pulse 500 */
	out8(&r, 0x40, 2000 & 0xff);
	out8(&r, 0x40, 2000 >> 8);
	CHECK_EQ(status(&r, 0), 0xf4);	/* null count until it loads */
	/* This period ends at pulse 1001, the next at 1001 + 2000. */
	CHECK_EQ(pit_advance(&r.pit, 419048), 838934);
	CHECK_EQ(pit_advance(&r.pit, 838934), 2515124);
	CHECK_EQ(r.edges, 1);
	r.now = 838934;
	CHECK_EQ(status(&r, 0), 0xb4);
	out8(&r, 0x43, 0x00);
	CHECK_EQ(read16(&r, 0x40), 2000);
}

TEST(pit_channel2_linux_calibration_via_port61)
{
	struct rig r;
	uint64_t polls = 0;

	setup(&r);
	/* pit_calibrate_tsc(): gate on, speaker off; mode 0; 10 ms. */
	r.now = 1000;			/* pulse 1 */
	out8(&r, 0x61, (in8(&r, 0x61) & ~0x02) | 0x01);
	out8(&r, 0x43, 0xb0);
	out8(&r, 0x42, 11931 & 0xff);
	out8(&r, 0x42, 11931 >> 8);
	CHECK_EQ(in8(&r, 0x61) & 0x20, 0);
	/* Written in pulse 1: OUT 2 high at pulse 1 + 11932 = 11933. */
	while (!(in8(&r, 0x61) & 0x20) && polls < 1000000) {
		r.now += 100;
		polls++;
	}
	CHECK_EQ(r.now, 10001000);	/* first poll at or after 10000989 */
	r.now = 10000988;
	CHECK_EQ(in8(&r, 0x61) & 0x20, 0);
	r.now = 10000989;
	CHECK_EQ(in8(&r, 0x61) & 0x21, 0x21);
	/* Channel 2 is no IRQ: IRQ 0 saw nothing. */
	CHECK_EQ(pit_advance(&r.pit, r.now), IRQ_NO_DEADLINE);
	CHECK_EQ(r.edges, 0);
}

TEST(pit_channel2_gate_stops_and_starts)
{
	struct rig r;

	setup(&r);
	/* Gate low (the reset value): the count loads but does not run. */
	CHECK_EQ(in8(&r, 0x61) & 0x01, 0);
	out8(&r, 0x43, 0xb0);
	out8(&r, 0x42, 10);
	out8(&r, 0x42, 0);
	r.now = 1000000;
	CHECK_EQ(read16(&r, 0x42), 10);
	CHECK_EQ(in8(&r, 0x61) & 0x20, 0);
	/* Gate high at pulse 1193: OUT high N = 10 pulses later. */
	r.now = 1000000;
	out8(&r, 0x61, 0x01);
	r.now = 1007543;		/* pulse 1202 */
	CHECK_EQ(in8(&r, 0x61) & 0x20, 0);
	CHECK_EQ(read16(&r, 0x42), 1);
	/* Gate low for a while: the count holds. */
	out8(&r, 0x61, 0x00);
	r.now = 5000000;
	CHECK_EQ(read16(&r, 0x42), 1);
	CHECK_EQ(in8(&r, 0x61) & 0x20, 0);
	out8(&r, 0x61, 0x01);		/* pulse 5965 */
	r.now = 5000913;		/* pulse 5966: count reaches 0 */
	CHECK_EQ(in8(&r, 0x61) & 0x20, 0x20);
	CHECK_EQ(read16(&r, 0x42), 0);

	/* Mode 1 one-shot: a rising gate triggers N pulses of OUT low. */
	setup(&r);
	out8(&r, 0x43, 0x92);		/* counter 2, LSB only, mode 1 */
	out8(&r, 0x42, 10);
	CHECK_EQ(in8(&r, 0x61) & 0x20, 0x20);	/* waits for a trigger */
	out8(&r, 0x61, 0x01);
	r.now = 839;			/* pulse 1: low */
	CHECK_EQ(in8(&r, 0x61) & 0x20, 0);
	r.now = 9220;			/* pulse 11: high */
	CHECK_EQ(in8(&r, 0x61) & 0x20, 0x20);
}

TEST(port61_bits)
{
	struct rig r;

	setup(&r);
	/* Counter 2 waits for its first control word with OUT high. */
	CHECK_EQ(in8(&r, 0x61), 0x20);
	out8(&r, 0x61, 0xff);		/* 4-7 are read-only */
	r.now = 15085;			/* pulse 17 */
	CHECK_EQ(in8(&r, 0x61) & 0xdf, 0x0f);
	/* The refresh bit toggles every 18 pulses (15.09 us). */
	r.now = 15086;			/* pulse 18 */
	CHECK_EQ(in8(&r, 0x61) & 0xdf, 0x1f);
	r.now = 30171;
	CHECK_EQ(in8(&r, 0x61) & 0x10, 0x10);
	r.now = 30172;			/* pulse 36 */
	CHECK_EQ(in8(&r, 0x61) & 0x10, 0);
	out8(&r, 0x61, 0x02);		/* OUT 2 still high, idle */
	CHECK_EQ(in8(&r, 0x61), 0x22);
	CHECK_EQ(r.plat.unknown_pio.n, 0);
}
