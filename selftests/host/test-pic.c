// SPDX-License-Identifier: GPL-2.0
/*
 * test-pic.c - the 8259A pair and the PIIX ELCR through their ports,
 * programmed as Linux (arch/x86/kernel/i8259.c) and xv6 (picirq.c)
 * program them, against what the 8259A datasheet says they do.
 */
#include <stdlib.h>

#include "devices.h"
#include "tap.h"

struct rig {
	struct platform plat;
	struct pic pic;
	unsigned int changes;	/* calls of pic.intr.changed */
	int intr;		/* the level it last reported */
};

static void intr_changed(void *opaque, int level)
{
	struct rig *r = opaque;

	r->changes++;
	r->intr = level;
}

static struct rig *rig(void)
{
	struct rig *r = calloc(1, sizeof(*r));

	platform_init(&r->plat, NULL);
	r->pic.intr.changed = intr_changed;
	r->pic.intr.opaque = r;
	if (pic_attach(&r->plat, &r->pic))
		abort();
	return r;
}

static void out(struct rig *r, uint16_t port, uint8_t val)
{
	platform_pio_write(&r->plat, port, 1, val);
}

static uint8_t in(struct rig *r, uint16_t port)
{
	return platform_pio_read(&r->plat, port, 1);
}

/* ISR through OCW3, then back to IRR, as Linux's i8259A_irq_real() does. */
static uint8_t isr(struct rig *r, uint16_t cmd)
{
	uint8_t v;

	out(r, cmd, 0x0b);
	v = in(r, cmd);
	out(r, cmd, 0x0a);
	return v;
}

static uint8_t irr(struct rig *r, uint16_t cmd)
{
	out(r, cmd, 0x0a);
	return in(r, cmd);
}

static void irq(struct rig *r, unsigned int n, int level)
{
	pic_set_irq(&r->pic, n, level);
}

/*
 * init_8259A(): both masked, ICW1 edge/cascade/ICW4, vectors 0x30 and
 * 0x38, slave on IR2, 8086 mode (plus AEOI on the master if asked), then
 * everything but the cascade masked.
 */
static void linux_init(struct rig *r, bool aeoi)
{
	out(r, 0x21, 0xff);
	out(r, 0xa1, 0xff);
	out(r, 0x20, 0x11);
	out(r, 0x21, 0x30);
	out(r, 0x21, 0x04);
	out(r, 0x21, aeoi ? 0x03 : 0x01);
	out(r, 0xa0, 0x11);
	out(r, 0xa1, 0x38);
	out(r, 0xa1, 0x02);
	out(r, 0xa1, 0x01);
	out(r, 0x21, 0xfb);
	out(r, 0xa1, 0xff);
}

/* Linux's EOI for IRQ @n: specific EOIs, the slave's then the master's. */
static void linux_eoi(struct rig *r, unsigned int n)
{
	if (n >= 8) {
		out(r, 0xa0, 0x60 + (n & 7));
		out(r, 0x20, 0x62);
	} else {
		out(r, 0x20, 0x60 + n);
	}
}

/* xv6 picinit(): AEOI on both chips, then OCW3 0x68 (special mask on). */
static void xv6_init(struct rig *r)
{
	static const uint8_t seq[][2] = {
		{ 0x21, 0xff }, { 0xa1, 0xff },
		{ 0x20, 0x11 }, { 0x21, 0x20 }, { 0x21, 0x04 }, { 0x21, 0x03 },
		{ 0xa0, 0x11 }, { 0xa1, 0x28 }, { 0xa1, 0x02 }, { 0xa1, 0x03 },
		{ 0x20, 0x68 }, { 0x20, 0x0a }, { 0xa0, 0x68 }, { 0xa0, 0x0a },
	};
	unsigned int i;

	for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++)
		out(r, seq[i][0], seq[i][1]);
}

TEST(pic_linux_init_and_a_timer_tick)
{
	struct rig *r = rig();

	/* probe_8259A(): what is written to the mask reads back. */
	out(r, 0xa1, 0xff);
	out(r, 0x21, 0xa5);
	CHECK_EQ(in(r, 0x21), 0xa5);
	linux_init(r, false);
	CHECK_EQ(r->pic.master.vector_base, 0x30);
	CHECK_EQ(r->pic.slave.vector_base, 0x38);
	CHECK_EQ(in(r, 0x21), 0xfb);
	CHECK_EQ(in(r, 0xa1), 0xff);
	CHECK_EQ(in(r, 0x20), 0);		/* IRR */

	/* A masked request waits in IRR; INTR stays low. */
	irq(r, 0, 1);
	CHECK_EQ(irr(r, 0x20), 0x01);
	CHECK(!pic_output(&r->pic));
	CHECK_EQ(r->changes, 0);
	out(r, 0x21, 0xfa);
	CHECK(pic_output(&r->pic));
	CHECK_EQ(r->changes, 1);
	CHECK_EQ(r->intr, 1);

	CHECK_EQ(pic_intack(&r->pic), 0x30);
	CHECK(!pic_output(&r->pic));
	CHECK_EQ(r->changes, 2);
	CHECK_EQ(r->intr, 0);
	CHECK_EQ(isr(r, 0x20), 0x01);
	CHECK_EQ(irr(r, 0x20), 0x00);
	linux_eoi(r, 0);
	CHECK_EQ(isr(r, 0x20), 0x00);

	/* Edge: the line still high asks for nothing; low then high does. */
	CHECK(!pic_output(&r->pic));
	irq(r, 0, 0);
	CHECK(!pic_output(&r->pic));
	irq(r, 0, 1);
	CHECK(pic_output(&r->pic));
	CHECK_EQ(pic_intack(&r->pic), 0x30);
	CHECK_EQ(r->changes, 4);
	CHECK_EQ(r->plat.unknown_pio.n, 0);
}

TEST(pic_priority_and_nesting)
{
	struct rig *r = rig();

	linux_init(r, false);
	out(r, 0x21, 0x00);
	irq(r, 5, 1);
	irq(r, 3, 1);
	CHECK_EQ(irr(r, 0x20), 0x28);
	CHECK_EQ(pic_intack(&r->pic), 0x33);	/* IR3 beats IR5 */
	CHECK(!pic_output(&r->pic));		/* IR5 waits for IR3 */
	irq(r, 1, 1);
	CHECK(pic_output(&r->pic));		/* IR1 interrupts IR3 */
	CHECK_EQ(pic_intack(&r->pic), 0x31);
	CHECK_EQ(isr(r, 0x20), 0x0a);
	out(r, 0x20, 0x20);			/* non-specific EOI */
	CHECK_EQ(isr(r, 0x20), 0x08);		/* ends IR1, the highest */
	CHECK(!pic_output(&r->pic));
	out(r, 0x20, 0x20);
	CHECK_EQ(isr(r, 0x20), 0x00);
	CHECK(pic_output(&r->pic));
	CHECK_EQ(pic_intack(&r->pic), 0x35);
	CHECK_EQ(isr(r, 0x20), 0x20);
}

TEST(pic_specific_eoi)
{
	struct rig *r = rig();

	linux_init(r, false);
	out(r, 0x21, 0x00);
	irq(r, 4, 1);
	CHECK_EQ(pic_intack(&r->pic), 0x34);
	irq(r, 1, 1);
	CHECK_EQ(pic_intack(&r->pic), 0x31);
	CHECK_EQ(isr(r, 0x20), 0x12);
	out(r, 0x20, 0x66);			/* IR6: not in service */
	CHECK_EQ(isr(r, 0x20), 0x12);
	out(r, 0x20, 0x64);			/* IR4, under IR1 */
	CHECK_EQ(isr(r, 0x20), 0x02);
	out(r, 0x20, 0x40);			/* OCW2 "no operation" */
	CHECK_EQ(isr(r, 0x20), 0x02);
	out(r, 0x20, 0x20);
	CHECK_EQ(isr(r, 0x20), 0x00);
}

TEST(pic_rotation_commands)
{
	struct rig *r = rig();

	linux_init(r, false);
	out(r, 0x21, 0x00);
	out(r, 0x20, 0xc4);		/* set priority: IR4 lowest */
	irq(r, 3, 1);
	irq(r, 6, 1);
	CHECK_EQ(pic_intack(&r->pic), 0x36);	/* IR5 first now */
	CHECK(!pic_output(&r->pic));		/* IR3 is below IR6 */
	out(r, 0x20, 0xa0);		/* rotate on non-specific EOI */
	CHECK_EQ(isr(r, 0x20), 0x00);
	/* IR6 is now lowest: IR7, IR0, ... IR5. */
	irq(r, 1, 1);
	CHECK_EQ(pic_intack(&r->pic), 0x31);
	out(r, 0x20, 0xe1);		/* rotate on specific EOI: IR1 */
	/* IR1 is lowest: IR2 ... IR0, so IR3 beats a new IR0. */
	irq(r, 0, 1);
	CHECK_EQ(pic_intack(&r->pic), 0x33);
	CHECK_EQ(isr(r, 0x20), 0x08);
	CHECK(!pic_output(&r->pic));
	out(r, 0x20, 0x63);
	CHECK_EQ(pic_intack(&r->pic), 0x30);
	/* A new ICW1 gives IR0 the highest priority again. */
	linux_init(r, false);
	out(r, 0x21, 0x00);
	irq(r, 0, 0);
	irq(r, 7, 1);
	irq(r, 0, 1);
	CHECK_EQ(pic_intack(&r->pic), 0x30);
}

TEST(pic_automatic_eoi_xv6)
{
	struct rig *r = rig();

	xv6_init(r);
	CHECK_EQ(r->pic.master.vector_base, 0x20);
	CHECK_EQ(r->pic.slave.vector_base, 0x28);
	CHECK(r->pic.master.special_mask);
	out(r, 0x21, 0xf9);			/* keyboard, cascade */
	out(r, 0xa1, 0x3f);			/* IDE: IRQ 14, 15 */
	CHECK_EQ(in(r, 0x21), 0xf9);

	irq(r, 1, 1);
	CHECK_EQ(pic_intack(&r->pic), 0x21);
	CHECK_EQ(isr(r, 0x20), 0x00);		/* never in service */
	CHECK(!pic_output(&r->pic));

	/* Two slave requests, no EOI written: both get through. */
	irq(r, 14, 1);
	irq(r, 15, 1);
	CHECK_EQ(pic_intack(&r->pic), 0x2e);
	CHECK(pic_output(&r->pic));
	CHECK_EQ(pic_intack(&r->pic), 0x2f);
	CHECK(!pic_output(&r->pic));
	CHECK_EQ(isr(r, 0x20), 0x00);
	CHECK_EQ(isr(r, 0xa0), 0x00);
}

TEST(pic_rotate_in_automatic_eoi)
{
	struct rig *r = rig();

	linux_init(r, true);			/* AEOI on the master */
	out(r, 0x21, 0x7c);			/* IR0, IR1, IR7 */
	out(r, 0x20, 0x80);			/* rotate in AEOI: set */
	irq(r, 0, 1);
	irq(r, 1, 1);
	CHECK_EQ(pic_intack(&r->pic), 0x30);	/* then IR0 is lowest */
	CHECK_EQ(pic_intack(&r->pic), 0x31);	/* then IR1 */
	irq(r, 0, 0);
	irq(r, 0, 1);
	irq(r, 7, 1);
	CHECK_EQ(pic_intack(&r->pic), 0x37);	/* IR7 before IR0 */
	CHECK_EQ(pic_intack(&r->pic), 0x30);
	CHECK_EQ(isr(r, 0x20), 0x00);

	out(r, 0x20, 0x00);			/* rotate in AEOI: clear */
	out(r, 0x20, 0xc7);			/* set priority: IR7 lowest */
	irq(r, 0, 0);
	irq(r, 1, 0);
	irq(r, 0, 1);
	irq(r, 1, 1);
	CHECK_EQ(pic_intack(&r->pic), 0x30);
	irq(r, 0, 0);
	irq(r, 0, 1);
	CHECK_EQ(pic_intack(&r->pic), 0x30);	/* no rotation now */
	CHECK_EQ(pic_intack(&r->pic), 0x31);
	CHECK(!pic_output(&r->pic));
}

TEST(pic_cascade_irq8)
{
	struct rig *r = rig();

	linux_init(r, false);
	out(r, 0x21, 0xf1);			/* IR1, IR2, IR3 */
	out(r, 0xa1, 0xee);			/* IRQ 8, IRQ 12 */
	irq(r, 8, 1);				/* the RTC */
	CHECK(pic_output(&r->pic));
	CHECK_EQ(irr(r, 0x20), 0x04);
	CHECK_EQ(irr(r, 0xa0), 0x01);
	CHECK_EQ(pic_intack(&r->pic), 0x38);	/* the slave's vector */
	CHECK_EQ(isr(r, 0x20), 0x04);
	CHECK_EQ(isr(r, 0xa0), 0x01);
	CHECK(!pic_output(&r->pic));

	irq(r, 3, 1);				/* below IR2 */
	irq(r, 12, 1);				/* below IRQ 8 */
	CHECK(!pic_output(&r->pic));
	irq(r, 1, 1);				/* above IR2 */
	CHECK_EQ(pic_intack(&r->pic), 0x31);
	out(r, 0x20, 0x20);
	CHECK_EQ(isr(r, 0x20), 0x04);

	/* Slave EOI: IRQ 12 reaches IR2, which is still in service. */
	out(r, 0xa0, 0x60);
	CHECK_EQ(irr(r, 0x20), 0x0c);
	CHECK(!pic_output(&r->pic));
	out(r, 0x20, 0x62);
	CHECK(pic_output(&r->pic));
	CHECK_EQ(pic_intack(&r->pic), 0x3c);	/* IR2 before IR3 */
	linux_eoi(r, 12);
	CHECK_EQ(pic_intack(&r->pic), 0x33);
	linux_eoi(r, 3);
	CHECK_EQ(isr(r, 0x20), 0x00);
	CHECK_EQ(isr(r, 0xa0), 0x00);
	CHECK(!pic_output(&r->pic));
}

TEST(pic_spurious_irq7_and_irq15)
{
	struct rig *r = rig();

	linux_init(r, false);
	out(r, 0x21, 0x00);
	out(r, 0xa1, 0x00);

	/* A level request that goes away before the acknowledge. */
	out(r, 0x4d0, 0x20);			/* IRQ 5 level */
	irq(r, 5, 1);
	CHECK(pic_output(&r->pic));
	irq(r, 5, 0);
	CHECK(!pic_output(&r->pic));
	CHECK_EQ(r->changes, 2);
	CHECK_EQ(pic_intack(&r->pic), 0x37);	/* default IR7 ... */
	CHECK_EQ(isr(r, 0x20), 0x00);		/* ... its ISR bit clear */

	/* An edge request masked between INTR and INTA (disable_irq). */
	irq(r, 3, 1);
	out(r, 0x21, 0x08);
	CHECK(!pic_output(&r->pic));
	CHECK_EQ(pic_intack(&r->pic), 0x37);
	CHECK_EQ(isr(r, 0x20), 0x00);
	CHECK_EQ(irr(r, 0x20), 0x08);		/* still latched */
	out(r, 0x21, 0x00);
	CHECK_EQ(pic_intack(&r->pic), 0x33);
	linux_eoi(r, 3);

	/*
	 * A slave request gone after the master latched IR2: the slave
	 * answers with its IR7, IRQ 15, and the master's IR2 is left in
	 * service (why Linux EOIs the master for a spurious IRQ 15).
	 */
	out(r, 0x4d1, 0x04);			/* IRQ 10 level */
	irq(r, 10, 1);
	irq(r, 10, 0);
	CHECK(pic_output(&r->pic));
	CHECK_EQ(pic_intack(&r->pic), 0x3f);
	CHECK_EQ(isr(r, 0x20), 0x04);
	CHECK_EQ(isr(r, 0xa0), 0x00);
	CHECK(!pic_output(&r->pic));
}

TEST(pic_edge_latch_and_reinit)
{
	struct rig *r = rig();

	linux_init(r, false);
	out(r, 0x21, 0x00);
	irq(r, 4, 1);
	CHECK_EQ(pic_intack(&r->pic), 0x34);
	linux_eoi(r, 4);
	CHECK_EQ(irr(r, 0x20), 0x00);		/* held high: no request */
	CHECK(!pic_output(&r->pic));

	/* A pulse (irq_line_pulse) is latched until the acknowledge. */
	irq(r, 6, 1);
	irq(r, 6, 0);
	CHECK_EQ(irr(r, 0x20), 0x40);
	CHECK_EQ(pic_intack(&r->pic), 0x36);
	CHECK_EQ(isr(r, 0x20), 0x40);

	/*
	 * ICW1 resets the edge sense latch, ISR and IMR: a request latched
	 * before is forgotten, a line high since must go low and high.
	 */
	irq(r, 6, 1);
	out(r, 0x21, 0xff);
	linux_init(r, false);
	out(r, 0x21, 0x00);
	CHECK_EQ(in(r, 0x21), 0x00);
	CHECK_EQ(isr(r, 0x20), 0x00);
	CHECK_EQ(irr(r, 0x20), 0x00);
	CHECK(!pic_output(&r->pic));
	irq(r, 4, 0);
	irq(r, 4, 1);
	CHECK_EQ(pic_intack(&r->pic), 0x34);

	/* IRQ 2 is the cascade, and there is no IRQ 16. */
	irq(r, 2, 1);
	irq(r, 16, 1);
	CHECK_EQ(irr(r, 0x20), 0x00);
	CHECK_EQ(irr(r, 0xa0), 0x00);
}

TEST(pic_level_from_elcr_and_ltim)
{
	struct rig *r = rig();

	linux_init(r, false);
	out(r, 0x21, 0x00);
	/* IRQ 0-2, 8 and 13 are edge on a PC: their ELCR bits are 0. */
	out(r, 0x4d0, 0xff);
	out(r, 0x4d1, 0xff);
	CHECK_EQ(in(r, 0x4d0), 0xf8);
	CHECK_EQ(in(r, 0x4d1), 0xde);
	platform_pio_write(&r->plat, 0x4d0, 2, 0x0e20);	/* 5; 9-11 */
	CHECK_EQ(platform_pio_read(&r->plat, 0x4d0, 2), 0x0e20);

	/* Level: IRR follows the line, before and after the ack. */
	irq(r, 5, 1);
	CHECK_EQ(pic_intack(&r->pic), 0x35);
	CHECK_EQ(irr(r, 0x20), 0x20);
	CHECK(!pic_output(&r->pic));		/* in service */
	out(r, 0x20, 0x20);
	CHECK(pic_output(&r->pic));		/* not removed: again */
	CHECK_EQ(pic_intack(&r->pic), 0x35);
	irq(r, 5, 0);
	CHECK_EQ(irr(r, 0x20), 0x00);
	out(r, 0x20, 0x20);
	CHECK(!pic_output(&r->pic));

	/* Made level while high: it requests at once. */
	irq(r, 4, 1);
	CHECK_EQ(pic_intack(&r->pic), 0x34);
	out(r, 0x20, 0x20);
	CHECK(!pic_output(&r->pic));
	out(r, 0x4d0, 0x30);
	CHECK_EQ(irr(r, 0x20), 0x10);
	CHECK_EQ(pic_intack(&r->pic), 0x34);
	out(r, 0x20, 0x20);
	irq(r, 4, 0);
	out(r, 0x4d0, 0x00);

	/* ICW1 LTIM: every input of the chip, IRQ 0 too, is level. */
	out(r, 0x20, 0x19);
	out(r, 0x21, 0x30);
	out(r, 0x21, 0x04);
	out(r, 0x21, 0x01);
	irq(r, 0, 1);
	CHECK_EQ(pic_intack(&r->pic), 0x30);
	CHECK_EQ(irr(r, 0x20), 0x01);
	irq(r, 0, 0);
	CHECK_EQ(irr(r, 0x20), 0x00);
	CHECK_EQ(r->plat.unknown_pio.n, 0);
}

TEST(pic_masking)
{
	struct rig *r = rig();

	linux_init(r, false);
	out(r, 0x21, 0xff);
	out(r, 0xa1, 0xff);
	irq(r, 1, 1);
	irq(r, 9, 1);
	CHECK(!pic_output(&r->pic));
	CHECK_EQ(r->changes, 0);
	out(r, 0xa1, 0xfd);			/* IRQ 9, but not IR2 */
	CHECK(!pic_output(&r->pic));
	CHECK_EQ(irr(r, 0x20), 0x06);		/* latched all the same */
	out(r, 0x21, 0xfb);
	CHECK(pic_output(&r->pic));
	out(r, 0x21, 0xff);
	CHECK(!pic_output(&r->pic));
	CHECK_EQ(r->changes, 2);
	out(r, 0x21, 0xf9);
	CHECK_EQ(pic_intack(&r->pic), 0x31);
	out(r, 0x20, 0x20);
	CHECK_EQ(pic_intack(&r->pic), 0x39);
	CHECK_EQ(r->changes, 6);
}

TEST(pic_poll_command)
{
	struct rig *r = rig();

	linux_init(r, false);
	out(r, 0x21, 0x00);
	out(r, 0xa1, 0x00);
	out(r, 0x20, 0x0c);			/* OCW3: poll */
	CHECK_EQ(in(r, 0x20), 0x00);		/* no request */
	irq(r, 6, 1);
	out(r, 0x20, 0x0c);
	CHECK_EQ(in(r, 0x20), 0x86);		/* I, level 6 */
	CHECK_EQ(in(r, 0x20), 0x00);		/* IRR again */
	CHECK_EQ(isr(r, 0x20), 0x40);		/* acknowledged */
	CHECK(!pic_output(&r->pic));

	/* Polling the slave, through its data port. */
	irq(r, 11, 1);
	out(r, 0xa0, 0x0c);
	CHECK_EQ(in(r, 0xa1), 0x83);
	CHECK_EQ(isr(r, 0xa0), 0x08);
	CHECK_EQ(in(r, 0xa1), 0x00);		/* the mask again */
}

TEST(pic_special_mask_mode)
{
	struct rig *r = rig();

	linux_init(r, false);
	out(r, 0x21, 0x00);
	irq(r, 3, 1);
	CHECK_EQ(pic_intack(&r->pic), 0x33);
	irq(r, 5, 1);
	CHECK(!pic_output(&r->pic));
	out(r, 0x21, 0x08);			/* masking IR3 is not enough */
	CHECK(!pic_output(&r->pic));
	out(r, 0x20, 0x68);			/* special mask mode on */
	CHECK(pic_output(&r->pic));
	CHECK_EQ(pic_intack(&r->pic), 0x35);
	CHECK_EQ(isr(r, 0x20), 0x28);
	out(r, 0x20, 0x20);			/* skips masked IR3 */
	CHECK_EQ(isr(r, 0x20), 0x08);

	out(r, 0x20, 0x48);			/* special mask mode off */
	out(r, 0x21, 0x00);
	irq(r, 4, 1);
	CHECK(!pic_output(&r->pic));		/* IR3 holds it back */
	out(r, 0x20, 0x20);
	CHECK_EQ(isr(r, 0x20), 0x00);
	CHECK_EQ(pic_intack(&r->pic), 0x34);
}

TEST(pic_special_fully_nested_mode)
{
	struct rig *r = rig();

	/* Fully nested: IRQ 8 waits while IRQ 10 is in service. */
	linux_init(r, false);
	out(r, 0x21, 0x00);
	out(r, 0xa1, 0x00);
	irq(r, 10, 1);
	CHECK_EQ(pic_intack(&r->pic), 0x3a);
	irq(r, 8, 1);
	CHECK(!pic_output(&r->pic));

	/* ICW4 SFNM on the master: it nests. */
	r = rig();
	linux_init(r, false);
	out(r, 0x20, 0x11);
	out(r, 0x21, 0x30);
	out(r, 0x21, 0x04);
	out(r, 0x21, 0x11);
	out(r, 0x21, 0x00);
	out(r, 0xa1, 0x00);
	irq(r, 10, 1);
	CHECK_EQ(pic_intack(&r->pic), 0x3a);
	irq(r, 8, 1);
	CHECK(pic_output(&r->pic));
	CHECK_EQ(pic_intack(&r->pic), 0x38);
	CHECK_EQ(isr(r, 0xa0), 0x05);
	CHECK_EQ(isr(r, 0x20), 0x04);
	irq(r, 3, 1);				/* below IR2 still */
	CHECK(!pic_output(&r->pic));
	irq(r, 12, 1);				/* below IRQ 8 in the slave */
	CHECK(!pic_output(&r->pic));
}

TEST(pic_single_mode_and_no_icw4)
{
	struct rig *r = rig();

	/* SNGL: ICW2 then ICW4, no ICW3. */
	out(r, 0x20, 0x13);
	out(r, 0x21, 0x40);
	out(r, 0x21, 0x01);
	out(r, 0x21, 0xfe);
	CHECK_EQ(in(r, 0x21), 0xfe);
	CHECK_EQ(r->pic.master.vector_base, 0x40);
	irq(r, 0, 1);
	CHECK_EQ(pic_intack(&r->pic), 0x40);
	CHECK_EQ(isr(r, 0x20), 0x01);

	/* No IC4 either: only ICW2; ICW4's functions (AEOI) are off. */
	out(r, 0x20, 0x12);
	out(r, 0x21, 0x4d);			/* T2-T0 are ignored */
	out(r, 0x21, 0x5a);
	CHECK_EQ(in(r, 0x21), 0x5a);
	CHECK_EQ(r->pic.master.vector_base, 0x48);
	irq(r, 0, 0);
	irq(r, 0, 1);
	CHECK_EQ(pic_intack(&r->pic), 0x48);
	CHECK_EQ(isr(r, 0x20), 0x01);
}
