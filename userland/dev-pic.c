// SPDX-License-Identifier: GPL-2.0
/*
 * dev-pic.c - the master and slave 8259A, as far as a guest that only
 * programs and masks them can tell.
 *
 * Guests initialise the PICs (ICW1..ICW4) and then mask everything; the
 * initialisation sequence is followed so that ICW2..4 written to the data
 * port are not mistaken for a new mask.  No interrupt is ever raised, so
 * IRR and ISR read as zero.
 */
#include "devices.h"

#define ICW1_INIT	0x10
#define ICW1_ICW4	0x01	/* ICW4 follows */
#define ICW1_SINGLE	0x02	/* no ICW3 */
#define OCW3_SEL	0x08
#define OCW3_READ_REG	0x02
#define OCW3_READ_ISR	0x01

/* init_step: which ICW the next data-port write is. */
enum { PIC_READY, PIC_ICW2, PIC_ICW3, PIC_ICW4 };

static struct pic8259 *chip(struct pic *pic, uint64_t port)
{
	return port < 0xa0 ? &pic->master : &pic->slave;
}

static uint64_t pic_read(void *opaque, uint64_t port, unsigned size)
{
	struct pic8259 *c = chip(opaque, port);

	(void)size;
	if (port & 1)
		return c->imr;
	return c->read_isr ? c->isr : c->irr;
}

static void pic_write_cmd(struct pic8259 *c, uint8_t val)
{
	if (val & ICW1_INIT) {
		c->icw1 = val;
		c->imr = 0;
		c->read_isr = 0;
		c->init_step = PIC_ICW2;
	} else if ((val & 0x18) == OCW3_SEL) {
		if (val & OCW3_READ_REG)
			c->read_isr = val & OCW3_READ_ISR;
	}
	/* Otherwise OCW2 (EOI, rotation): nothing is ever in service. */
}

static void pic_write_data(struct pic8259 *c, uint8_t val)
{
	switch (c->init_step) {
	case PIC_ICW2:
		c->vector_base = val & 0xf8;
		if (!(c->icw1 & ICW1_SINGLE))
			c->init_step = PIC_ICW3;
		else if (c->icw1 & ICW1_ICW4)
			c->init_step = PIC_ICW4;
		else
			c->init_step = PIC_READY;
		break;
	case PIC_ICW3:
		c->init_step = (c->icw1 & ICW1_ICW4) ? PIC_ICW4 : PIC_READY;
		break;
	case PIC_ICW4:
		c->init_step = PIC_READY;
		break;
	default:
		c->imr = val;	/* OCW1: the interrupt mask */
		break;
	}
}

static void pic_write(void *opaque, uint64_t port, unsigned size,
		      uint64_t val)
{
	struct pic8259 *c = chip(opaque, port);

	(void)size;
	if (port & 1)
		pic_write_data(c, val);
	else
		pic_write_cmd(c, val);
}

int pic_attach(struct platform *p, struct pic *pic)
{
	struct io_region master = {
		.base = 0x20, .len = 2, .name = "pic-master", .opaque = pic,
		.read = pic_read, .write = pic_write,
	};
	struct io_region slave = master;

	*pic = (struct pic){ 0 };
	slave.base = 0xa0;
	slave.name = "pic-slave";
	if (platform_add_pio(p, &master) || platform_add_pio(p, &slave))
		return -1;
	return 0;
}
