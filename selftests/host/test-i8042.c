// SPDX-License-Identifier: GPL-2.0
/* test-i8042.c - the 8042 keyboard controller and port 0x92. */
#include "devices.h"
#include "tap.h"

struct rig {
	struct platform plat;
	struct i8042 kbc;
	unsigned resets;
	unsigned irq1_edges;
	int irq1;
};

static void count_reset(void *opaque)
{
	((struct rig *)opaque)->resets++;
}

static void irq_set(void *opaque, unsigned line, int level)
{
	struct rig *r = opaque;

	CHECK_EQ(line, 1);
	if (level && !r->irq1)
		r->irq1_edges++;
	r->irq1 = level;
}

static void setup(struct rig *r)
{
	memset(r, 0, sizeof(*r));
	platform_init(&r->plat, NULL);
	CHECK_EQ(i8042_attach(&r->plat, &r->kbc), 0);
	r->kbc.reset = count_reset;
	r->kbc.reset_opaque = r;
}

static void out8(struct rig *r, uint16_t port, uint8_t v)
{
	platform_pio_write(&r->plat, port, 1, v);
}

static uint8_t in8(struct rig *r, uint16_t port)
{
	return platform_pio_read(&r->plat, port, 1);
}

/* A controller command whose one-byte answer is then read. */
static uint8_t ask(struct rig *r, uint8_t cmd)
{
	out8(r, 0x64, cmd);
	CHECK_EQ(in8(r, 0x64) & 0x21, 0x01);	/* OBF, not from aux */
	return in8(r, 0x60);
}

TEST(i8042_idle_status)
{
	struct rig r;

	setup(&r);
	/* Unlocked, system flag; no OBF, no IBF, and not a floating bus. */
	CHECK_EQ(in8(&r, 0x64), 0x14);
	CHECK_EQ(in8(&r, 0x64), 0x14);
	CHECK_EQ(in8(&r, 0x60), 0x00);	/* nothing was ever there */
	CHECK_EQ(r.plat.unknown_pio.n, 0);
}

TEST(i8042_self_tests)
{
	struct rig r;

	setup(&r);
	out8(&r, 0x64, 0x60);
	out8(&r, 0x60, 0x00);		/* clears the system flag */
	CHECK_EQ(in8(&r, 0x64), 0x10);	/* last write was data */
	CHECK_EQ(ask(&r, 0xaa), 0x55);
	CHECK_EQ(in8(&r, 0x64), 0x1c);	/* system flag; was a command */
	CHECK_EQ(in8(&r, 0x60), 0x55);	/* the buffer keeps its byte */
	CHECK_EQ(ask(&r, 0xab), 0x00);
	CHECK_EQ(ask(&r, 0xa9), 0x00);
	CHECK_EQ(in8(&r, 0x64) & 0x01, 0);
}

TEST(i8042_command_byte)
{
	struct rig r;

	setup(&r);
	CHECK_EQ(ask(&r, 0x20), 0x45);	/* XLAT, SYS, keyboard IRQ */
	out8(&r, 0x64, 0x60);
	CHECK_EQ(in8(&r, 0x64) & 0x03, 0);	/* no IBF while waiting */
	out8(&r, 0x60, 0x65);
	CHECK_EQ(ask(&r, 0x20), 0x65);
	out8(&r, 0x64, 0xad);		/* disable keyboard: bit 4 */
	out8(&r, 0x64, 0xa8);		/* enable aux: bit 5 clear */
	CHECK_EQ(ask(&r, 0x20), 0x55);
	out8(&r, 0x64, 0xae);
	out8(&r, 0x64, 0xa7);
	CHECK_EQ(ask(&r, 0x20), 0x65);
	/* The rest of controller RAM: 0x21-0x3f, 0x61-0x7f. */
	out8(&r, 0x64, 0x7f);
	out8(&r, 0x60, 0x99);
	CHECK_EQ(ask(&r, 0x3f), 0x99);
	CHECK_EQ(ask(&r, 0x20), 0x65);
}

TEST(i8042_output_port_a20_and_reset)
{
	struct rig r;
	unsigned spins = 0;

	setup(&r);
	CHECK_EQ(ask(&r, 0xd0), 0x03);	/* reset high, A20 on */
	out8(&r, 0x64, 0xd1);
	out8(&r, 0x60, 0x01);		/* A20 off */
	CHECK_EQ(ask(&r, 0xd0), 0x01);
	/* A classic bootloader enabling A20: wait for !IBF around 0xD1. */
	while ((in8(&r, 0x64) & 0x02) && spins < 1000)
		spins++;
	out8(&r, 0x64, 0xd1);
	while ((in8(&r, 0x64) & 0x02) && spins < 1000)
		spins++;
	out8(&r, 0x60, 0xdf);
	while ((in8(&r, 0x64) & 0x02) && spins < 1000)
		spins++;
	CHECK_EQ(spins, 0);
	CHECK_EQ(ask(&r, 0xd0), 0xdf);
	CHECK_EQ(r.resets, 0);
	/* Output port bit 0 low is the reset line. */
	out8(&r, 0x64, 0xd1);
	out8(&r, 0x60, 0xde);
	CHECK_EQ(r.resets, 1);
}

TEST(i8042_pulse_reset)
{
	struct rig r;

	setup(&r);
	out8(&r, 0x64, 0xff);		/* pulses nothing */
	out8(&r, 0x64, 0xfd);		/* pulses A20 only */
	CHECK_EQ(r.resets, 0);
	out8(&r, 0x64, 0xfe);		/* Linux's reboot=k */
	CHECK_EQ(r.resets, 1);
	out8(&r, 0x64, 0xf0);
	CHECK_EQ(r.resets, 2);
	/* With no callback a reset is ignored. */
	r.kbc.reset = NULL;
	out8(&r, 0x64, 0xfe);
	CHECK_EQ(r.resets, 2);
}

TEST(i8042_keyboard_replies)
{
	struct rig r;

	setup(&r);
	r.kbc.irq1 = (struct irq_line){ .set = irq_set, .opaque = &r,
					.line = 1 };
	out8(&r, 0x60, 0xff);		/* reset the keyboard */
	CHECK_EQ(r.irq1_edges, 1);
	CHECK_EQ(in8(&r, 0x64) & 0x21, 0x01);
	CHECK_EQ(in8(&r, 0x60), 0xfa);
	CHECK_EQ(r.irq1, 1);		/* the next byte is waiting */
	CHECK_EQ(in8(&r, 0x60), 0xaa);
	CHECK_EQ(r.irq1, 0);
	CHECK_EQ(in8(&r, 0x64) & 0x01, 0);
	/* atkbd's probe: identify, translated by the controller. */
	out8(&r, 0x60, 0xf2);
	CHECK_EQ(in8(&r, 0x60), 0xfa);
	CHECK_EQ(in8(&r, 0x60), 0xab);
	CHECK_EQ(in8(&r, 0x60), 0x41);
	out8(&r, 0x60, 0xed);		/* LEDs, then their argument */
	out8(&r, 0x60, 0x07);
	CHECK_EQ(in8(&r, 0x60), 0xfa);
	CHECK_EQ(in8(&r, 0x60), 0xfa);
	out8(&r, 0x60, 0xf4);
	CHECK_EQ(in8(&r, 0x60), 0xfa);
	out8(&r, 0x60, 0xee);
	CHECK_EQ(in8(&r, 0x60), 0xee);
	out8(&r, 0x60, 0x12);		/* not a command */
	CHECK_EQ(in8(&r, 0x60), 0xfe);
	CHECK_EQ(in8(&r, 0x64) & 0x01, 0);
	/* Keyboard IRQ off in the command byte: no edge. */
	out8(&r, 0x64, 0x60);
	out8(&r, 0x60, 0x44);
	out8(&r, 0x60, 0xf4);
	CHECK_EQ(r.irq1_edges, 6);
	CHECK_EQ(r.irq1, 0);
	CHECK_EQ(in8(&r, 0x60), 0xfa);
}

TEST(i8042_aux_port_without_mouse)
{
	struct rig r;

	setup(&r);
	out8(&r, 0x64, 0xd4);		/* to the aux device: reset */
	out8(&r, 0x60, 0xff);
	CHECK_EQ(in8(&r, 0x64) & 0x21, 0x21);	/* aux data */
	CHECK_EQ(in8(&r, 0x60), 0xfe);
	/* Linux's i8042_check_aux loopback: 0xD3 echoes as aux data. */
	out8(&r, 0x64, 0xd3);
	out8(&r, 0x60, 0x5a);
	CHECK_EQ(in8(&r, 0x64) & 0x21, 0x21);
	CHECK_EQ(in8(&r, 0x60), 0x5a);
	out8(&r, 0x64, 0xd2);		/* ... 0xD2 as keyboard data */
	out8(&r, 0x60, 0xa5);
	CHECK_EQ(in8(&r, 0x64) & 0x21, 0x01);
	CHECK_EQ(in8(&r, 0x60), 0xa5);
	/* A command cancels a pending data byte: 0x12 goes to the kbd. */
	out8(&r, 0x64, 0xd4);
	out8(&r, 0x64, 0xae);
	out8(&r, 0x60, 0x12);
	CHECK_EQ(in8(&r, 0x64) & 0x21, 0x01);
	CHECK_EQ(in8(&r, 0x60), 0xfe);
}

TEST(port92_fast_a20_and_reset)
{
	struct rig r;

	setup(&r);
	CHECK_EQ(in8(&r, 0x92), 0x00);
	out8(&r, 0x92, 0x02);		/* fast A20 */
	CHECK_EQ(in8(&r, 0x92), 0x02);
	CHECK_EQ(r.resets, 0);
	out8(&r, 0x92, 0x03);		/* 0 -> 1 on bit 0: reset */
	CHECK_EQ(r.resets, 1);
	out8(&r, 0x92, 0x03);		/* no new edge */
	CHECK_EQ(r.resets, 1);
	CHECK_EQ(in8(&r, 0x92), 0x03);
	out8(&r, 0x92, 0xff);		/* bits 2, 4, 5 read as 0 */
	CHECK_EQ(in8(&r, 0x92), 0xcb);
	/* Independent of the output port's A20 bit. */
	CHECK_EQ(ask(&r, 0xd0), 0x03);
}
