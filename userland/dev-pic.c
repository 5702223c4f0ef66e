// SPDX-License-Identifier: GPL-2.0
/*
 * dev-pic.c - the two Intel 8259A programmable interrupt controllers of
 * the PC/AT, and the PIIX edge/level control registers (ELCR) that go
 * with them on PC chipsets.
 *
 *   IRQ 0-7  --> master 8259A (ports 0x20/0x21) --INT--> the CPU's INTR
 *   IRQ 8-15 --> slave 8259A (ports 0xa0/0xa1) --INT--> master IR2
 *
 * Each chip has three 8-bit registers, one bit per input IR0-IR7: IRR
 * (requests waiting), ISR (requests being serviced, i.e. acknowledged
 * by the CPU and not yet ended by an EOI) and IMR (masked inputs).  The
 * priority resolver puts INT high when the best unmasked IRR bit has a
 * higher priority than everything in service; the CPU's interrupt
 * acknowledge (pic_intack()) then moves that bit from IRR to ISR and
 * returns its vector (8259A datasheet, "Interrupt Sequence").
 *
 * Datasheet features left out, on purpose:
 *  - MCS-80/85 mode (ICW4 uPM = 0, and ICW1's call address interval):
 *    the vector is always given in 8086 form, ICW2 T7-T3 | IR.
 *  - buffered mode and ICW4 M/S: they only concern the board's bus
 *    transceivers.
 *  - the slave's ID (its ICW3) is stored but not compared with the
 *    cascade address: there is one slave and it sits on IR2.
 * Special fully nested mode (ICW4 SFNM) is modelled: it is small.
 */
#include "devices.h"

#define PIC_MASTER_PORT		0x20
#define PIC_SLAVE_PORT		0xa0
#define ELCR_PORT		0x4d0	/* 0x4d0 master, 0x4d1 slave */

/* The slave's INT pin drives master IR2 (PC/AT wiring). */
#define PIC_CASCADE_IR		2

/* ICW1: written to the even port with D4 = 1. */
#define ICW1_IC4		0x01	/* ICW4 follows */
#define ICW1_SNGL		0x02	/* single chip: no ICW3 */
#define ICW1_LTIM		0x08	/* level-triggered inputs */
#define ICW1_INIT		0x10
/* ICW4 */
#define ICW4_UPM		0x01	/* 8086 mode */
#define ICW4_AEOI		0x02	/* automatic EOI */
#define ICW4_SFNM		0x10	/* special fully nested mode */
/* OCW2: even port, D4:D3 = 00; R, SL, EOI in D7:D5, a level in D2:D0. */
#define OCW2_LEVEL		0x07
#define OCW2_EOI		0x20
#define OCW2_SL			0x40
#define OCW2_R			0x80
/* OCW3: even port, D4:D3 = 01. */
#define OCW3_SEL		0x08
#define OCW3_RIS		0x01	/* with RR: read ISR, not IRR */
#define OCW3_RR			0x02
#define OCW3_P			0x04	/* poll */
#define OCW3_SMM		0x20
#define OCW3_ESMM		0x40	/* SMM is meant */
/* The byte a poll returns: I (a request was there), W2-W0 (its level). */
#define POLL_I			0x80

/*
 * PIIX ELCR: the inputs of on-board edge devices (timer, keyboard and
 * cascade; RTC and FPU error) are reserved bits that read as 0, so those
 * IRQs stay edge-triggered whatever is written.
 */
#define ELCR_MASTER_MASK	0xf8	/* not IRQ 0, 1, 2 */
#define ELCR_SLAVE_MASK		0xde	/* not IRQ 8, 13 */

/* init_step: which ICW the next write to the odd port is. */
enum { PIC_READY, PIC_ICW2, PIC_ICW3, PIC_ICW4 };

/*
 * The inputs that are level-sensitive.  A discrete 8259A has one switch
 * for all eight, ICW1 LTIM; on the PIIX, LTIM does nothing and the ELCR
 * chooses per input.  Either one makes an input level-triggered here, so
 * a guest written for either chip works.
 */
static uint8_t level_mask(const struct pic8259 *c)
{
	return (c->icw1 & ICW1_LTIM) ? 0xff : c->elcr;
}

/*
 * The priority of input @ir, 0 the highest.  After ICW1 IR0 is highest
 * and IR7 lowest; rotation makes another IR the lowest (@c->lowest), and
 * the others follow it in circular order.
 */
static unsigned priority(const struct pic8259 *c, unsigned ir)
{
	return (ir - c->lowest - 1) & 7;
}

/* The highest-priority IR among @bits, or -1 if there is none. */
static int highest(const struct pic8259 *c, uint8_t bits)
{
	unsigned i, ir;

	for (i = 0; i < 8; i++) {
		ir = (c->lowest + 1 + i) & 7;
		if (bits & (1U << ir))
			return ir;
	}
	return -1;
}

/* The master inputs that have a slave behind them (ICW3). */
static uint8_t cascade_irs(const struct pic8259 *c)
{
	return (c->icw1 & ICW1_SNGL) ? 0 : c->icw3;
}

/*
 * The priority resolver: the request INT stands for, or -1.  That is the
 * best unmasked IRR bit, if its priority is above every bit in service
 * (fully nested mode: an interrupt handler is interrupted only by more
 * urgent requests).  Two datasheet exceptions:
 *  - special mask mode: in-service levels that are masked in IMR do not
 *    hold anything back ("Special Mask Mode");
 *  - special fully nested mode, master only: a request on a slave input
 *    that is itself in service gets through, so that a more urgent IRQ
 *    of the same slave can nest ("The Special Fully Nest Mode").
 */
static int resolve(const struct pic8259 *c, bool master)
{
	uint8_t in_service = c->isr;
	int req, srv;

	req = highest(c, c->irr & ~c->imr);
	if (req < 0)
		return -1;
	if (c->special_mask)
		in_service &= ~c->imr;
	srv = highest(c, in_service);
	if (srv < 0)
		return req;
	if (req == srv && master && (c->icw4 & ICW4_SFNM) &&
	    (cascade_irs(c) & (1U << req)))
		return req;
	return priority(c, req) < priority(c, srv) ? req : -1;
}

/*
 * A new level on input @ir.  Edge-triggered: a rising edge sets the IRR
 * bit, and a line held high does not request again until it has been low
 * (the "edge sense latch").  Level-triggered: the IRR bit is the line.
 *
 * The datasheet also wants an edge-triggered line to stay high until the
 * first INTA, or the request is lost ("Edge and Level Triggered Modes").
 * The model keeps the latched request after the line falls instead: the
 * loader's devices signal an edge with irq_line_pulse(), a rise and a
 * fall in the same instant, where a real board holds the line for far
 * longer than an INTA takes.
 */
static void set_input(struct pic8259 *c, unsigned ir, int level)
{
	uint8_t bit = 1U << ir;

	if (level) {
		if (!(c->lines & bit) || (level_mask(c) & bit))
			c->irr |= bit;
		c->lines |= bit;
	} else {
		if (level_mask(c) & bit)
			c->irr &= ~bit;
		c->lines &= ~bit;
	}
}

/*
 * The INTA sequence on one chip for input @ir: the IRR bit moves to ISR.
 * An edge request is consumed; a level input keeps requesting while its
 * line is high.  In automatic EOI mode the ISR bit is cleared again at
 * the end of the last INTA pulse, so it is never seen set; with "rotate
 * in automatic EOI mode" on, @ir becomes the lowest priority as well.
 */
static void ack(struct pic8259 *c, unsigned ir)
{
	uint8_t bit = 1U << ir;

	c->irr &= ~bit | (c->lines & level_mask(c));
	if (c->icw4 & ICW4_AEOI) {
		if (c->rotate_aeoi)
			c->lowest = ir;
	} else {
		c->isr |= bit;
	}
}

/*
 * Recomputes both INT pins after any change, and tells the loader when
 * the master's, the CPU's INTR line, moves.
 */
static void update(struct pic *pic)
{
	bool out;

	pic->slave.output = resolve(&pic->slave, false) >= 0;
	set_input(&pic->master, PIC_CASCADE_IR, pic->slave.output);
	out = resolve(&pic->master, true) >= 0;
	if (out == pic->master.output)
		return;
	pic->master.output = out;
	if (pic->intr.changed)
		pic->intr.changed(pic->intr.opaque, out);
}

void pic_set_irq(struct pic *pic, unsigned irq, int level)
{
	/* No device drives IR2: the slave does (ISA's IRQ 2 is IRQ 9). */
	if (irq >= 16 || irq == PIC_CASCADE_IR)
		return;
	set_input(irq < 8 ? &pic->master : &pic->slave, irq & 7, !!level);
	update(pic);
}

bool pic_output(const struct pic *pic)
{
	return pic->master.output;
}

/*
 * The CPU acknowledges INTR.  If the request has gone away in between
 * (a level line dropped, or the input was masked), the 8259A answers with
 * IR7 without setting its ISR bit: the "default IR7", the spurious IRQ 7
 * that operating systems recognise by the clear ISR bit.  A request from
 * the slave is answered by the slave: the master sets its ISR bit for IR2
 * and the slave gives the vector, or its own default IR7 (spurious IRQ
 * 15, with the master's IR2 left in service).
 */
int pic_intack(struct pic *pic)
{
	struct pic8259 *m = &pic->master, *s = &pic->slave;
	int ir, sir, vector;

	ir = resolve(m, true);
	if (ir < 0) {
		vector = m->vector_base | 7;
	} else if (!(cascade_irs(m) & (1U << ir))) {
		ack(m, ir);
		vector = m->vector_base | ir;
	} else if (ir != PIC_CASCADE_IR) {
		/* No slave answers the cascade address: the bus floats. */
		ack(m, ir);
		vector = 0xff;
	} else {
		ack(m, ir);
		sir = resolve(s, false);
		if (sir < 0) {
			vector = s->vector_base | 7;
		} else {
			ack(s, sir);
			vector = s->vector_base | sir;
		}
		/*
		 * The acknowledge consumed the slave's request: its INT
		 * falls, and if the slave still has one to pass on (in
		 * automatic EOI, say) it rises again, a new edge on IR2.
		 * Otherwise an AEOI slave's second request would be stuck
		 * behind a line that never went low.
		 */
		set_input(m, PIC_CASCADE_IR, 0);
	}
	update(pic);
	return vector;
}

/*
 * ICW1 starts the initialisation sequence (8259A datasheet,
 * "Initialization Command Words"): the edge sense latches are reset, so
 * an edge input must go low and high again to request; IMR is cleared,
 * IR7 gets the lowest priority, special mask mode is off and reads return
 * IRR; without IC4 every ICW4 function is zero.  The datasheet does not
 * say what becomes of ISR; it is cleared, as a guest that reinitialises
 * the chip abandons whatever was in service.
 */
static void write_icw1(struct pic8259 *c, uint8_t val)
{
	c->icw1 = val;
	c->icw4 = 0;
	c->irr = c->lines & level_mask(c);
	c->isr = 0;
	c->imr = 0;
	c->lowest = 7;
	c->read_isr = false;
	c->poll = false;
	c->special_mask = false;
	c->rotate_aeoi = false;
	c->init_step = PIC_ICW2;
}

/*
 * OCW2: the EOI and rotation commands, selected by R, SL and EOI.  A
 * non-specific EOI ends the highest-priority level in service, the one
 * that fully nested mode says the handler is running for; in special
 * mask mode, levels masked in IMR are left alone ("IS bits that are
 * masked by an IMR bit will not be cleared by a non-specific EOI").
 */
static void write_ocw2(struct pic8259 *c, uint8_t val)
{
	unsigned level = val & OCW2_LEVEL;
	int ir;

	switch (val & (OCW2_R | OCW2_SL | OCW2_EOI)) {
	case OCW2_EOI:				/* non-specific EOI */
	case OCW2_R | OCW2_EOI:			/* rotate on it */
		ir = highest(c, c->special_mask ? c->isr & ~c->imr : c->isr);
		if (ir < 0)
			break;
		c->isr &= ~(1U << ir);
		if (val & OCW2_R)
			c->lowest = ir;
		break;
	case OCW2_SL | OCW2_EOI:		/* specific EOI */
		c->isr &= ~(1U << level);
		break;
	case OCW2_R | OCW2_SL | OCW2_EOI:	/* rotate on specific EOI */
		c->isr &= ~(1U << level);
		c->lowest = level;
		break;
	case OCW2_R | OCW2_SL:			/* set priority */
		c->lowest = level;
		break;
	case OCW2_R:				/* rotate in AEOI: set */
		c->rotate_aeoi = true;
		break;
	case 0:					/* rotate in AEOI: clear */
		c->rotate_aeoi = false;
		break;
	default:				/* SL alone: no operation */
		break;
	}
}

/* OCW3: special mask mode, poll, and which register the even port reads. */
static void write_ocw3(struct pic8259 *c, uint8_t val)
{
	if (val & OCW3_ESMM)
		c->special_mask = val & OCW3_SMM;
	if (val & OCW3_P)
		c->poll = true;
	if (val & OCW3_RR)
		c->read_isr = val & OCW3_RIS;
}

/* The odd port: ICW2-ICW4 while initialising, then OCW1, the mask. */
static void write_data(struct pic8259 *c, uint8_t val)
{
	switch (c->init_step) {
	case PIC_ICW2:
		c->vector_base = val & 0xf8;
		if (!(c->icw1 & ICW1_SNGL))
			c->init_step = PIC_ICW3;
		else if (c->icw1 & ICW1_IC4)
			c->init_step = PIC_ICW4;
		else
			c->init_step = PIC_READY;
		break;
	case PIC_ICW3:
		c->icw3 = val;
		c->init_step = (c->icw1 & ICW1_IC4) ? PIC_ICW4 : PIC_READY;
		break;
	case PIC_ICW4:
		c->icw4 = val;
		c->init_step = PIC_READY;
		break;
	default:
		c->imr = val;
		break;
	}
}

static struct pic8259 *chip(struct pic *pic, uint64_t port)
{
	return port < PIC_SLAVE_PORT ? &pic->master : &pic->slave;
}

/*
 * The poll command (8259A datasheet, "The Poll Command"): the read that
 * follows an OCW3 with P set is an interrupt acknowledge, and returns
 * I and the level instead of a vector.  Either port will do.
 */
static uint8_t poll(struct pic *pic, struct pic8259 *c)
{
	int ir = resolve(c, c == &pic->master);

	c->poll = false;
	if (ir < 0)
		return 0;
	ack(c, ir);
	update(pic);
	return POLL_I | ir;
}

static uint64_t pic_read(void *opaque, uint64_t port, unsigned size)
{
	struct pic *pic = opaque;
	struct pic8259 *c = chip(pic, port);

	if (c->poll)
		return poll(pic, c);
	if (port & 1)
		return c->imr;
	return c->read_isr ? c->isr : c->irr;
}

static void pic_write(void *opaque, uint64_t port, unsigned size,
		      uint64_t val)
{
	struct pic *pic = opaque;
	struct pic8259 *c = chip(pic, port);

	/* The even port tells ICW1, OCW2 and OCW3 apart by D4 and D3. */
	if (port & 1)
		write_data(c, val);
	else if (val & ICW1_INIT)
		write_icw1(c, val);
	else if (val & OCW3_SEL)
		write_ocw3(c, val);
	else
		write_ocw2(c, val);
	update(pic);
}

static uint64_t elcr_read(void *opaque, uint64_t port, unsigned size)
{
	struct pic *pic = opaque;

	return port == ELCR_PORT ? pic->master.elcr : pic->slave.elcr;
}

static void elcr_write(void *opaque, uint64_t port, unsigned size,
		       uint64_t val)
{
	struct pic *pic = opaque;
	struct pic8259 *c = port == ELCR_PORT ? &pic->master : &pic->slave;
	uint8_t level;

	c->elcr = val & (port == ELCR_PORT ? ELCR_MASTER_MASK :
					     ELCR_SLAVE_MASK);
	/* An input that is now level-triggered requests while it is high. */
	level = level_mask(c);
	c->irr = (c->irr & ~level) | (c->lines & level);
	update(pic);
}

/*
 * The datasheet leaves a chip undefined until its ICW1.  Until the guest
 * initialises them, the chips act as wired on the PC/AT and initialised
 * with vector base 0: cascade on IR2, edge-triggered, 8086 mode, nothing
 * masked.  @pic->intr is kept: the caller may set it before or after.
 */
static void reset_chip(struct pic8259 *c, uint8_t icw3)
{
	*c = (struct pic8259){
		.icw1 = ICW1_INIT | ICW1_IC4,
		.icw3 = icw3,
		.icw4 = ICW4_UPM,
		.lowest = 7,
	};
}

int pic_attach(struct platform *p, struct pic *pic)
{
	struct io_region master = {
		.base = PIC_MASTER_PORT, .len = 2, .name = "pic-master",
		.opaque = pic, .read = pic_read, .write = pic_write,
	};
	struct io_region slave = master;
	struct io_region elcr = {
		.base = ELCR_PORT, .len = 2, .name = "elcr", .opaque = pic,
		.read = elcr_read, .write = elcr_write,
	};

	reset_chip(&pic->master, 1U << PIC_CASCADE_IR);
	reset_chip(&pic->slave, PIC_CASCADE_IR);
	slave.base = PIC_SLAVE_PORT;
	slave.name = "pic-slave";
	if (platform_add_pio(p, &master) || platform_add_pio(p, &slave) ||
	    platform_add_pio(p, &elcr))
		return -1;
	return 0;
}
