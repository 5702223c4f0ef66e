// SPDX-License-Identifier: GPL-2.0
/*
 * dev-ioapic.c - the Intel 82093AA I/O APIC: 24 interrupt input pins,
 * each with a redirection table entry that turns the pin's signal into
 * an interrupt message to the local APICs.
 *
 * The guest reaches the registers indirectly: it writes a register
 * number to IOREGSEL (offset 0x00), then reads or writes the register
 * through IOWIN (offset 0x10) (82093AA datasheet, section 3.1).  The
 * registers are IOAPICID (0), IOAPICVER (1), IOAPICARB (2) and the
 * redirection table, two 32-bit halves per pin from 0x10 to 0x3f
 * (section 3.2).
 *
 * On the real chip the message crosses the APIC bus; here it is handed
 * at once to @msi, in the format of a message signalled interrupt,
 * which is how KVM's split irqchip and vmxlab take it.  So a message is
 * never pending, and Delivery Status always reads 0 (idle).  The
 * 82093AA has no EOI register (it came with version 0x20); the local
 * APIC's EOI for a level-triggered vector reaches it as ioapic_eoi().
 */
#include "devices.h"

/* The writable bits of an entry; Delivery Status and Remote IRR are RO. */
#define RTE_LOW_RW	(IOAPIC_RTE_VECTOR | 7ULL << IOAPIC_RTE_DM_SHIFT | \
			 IOAPIC_RTE_DEST_LOGICAL | IOAPIC_RTE_ACTIVE_LOW | \
			 IOAPIC_RTE_LEVEL | IOAPIC_RTE_MASKED)
#define RTE_HIGH_RW	0xff000000U	/* destination, bits 63:56 */

/* The pin whose entry has half in register @reg, or -1. */
static int redtbl_pin(unsigned reg)
{
	if (reg < IOAPIC_REG_REDTBL)
		return -1;
	reg = (reg - IOAPIC_REG_REDTBL) / 2;
	return reg < IOAPIC_PINS ? (int)reg : -1;
}

static unsigned delivery_mode(uint64_t rte)
{
	return (rte >> IOAPIC_RTE_DM_SHIFT) & 7;
}

/*
 * Whether an entry is level-triggered.  Only Fixed and Lowest Priority
 * can be: SMI, NMI, INIT and ExtINT "require an edge trigger mode"
 * (section 3.2.4), and they are treated as edge whatever the bit says,
 * as later Intel I/O APICs document, so Remote IRR never sticks on them.
 */
static bool level_triggered(uint64_t rte)
{
	unsigned dm = delivery_mode(rte);

	return (rte & IOAPIC_RTE_LEVEL) &&
	       (dm == IRQ_DM_FIXED || dm == IRQ_DM_LOWEST);
}

/* The pin's signal is asserted: its level, seen through the polarity. */
static bool asserted(const struct ioapic *io, unsigned pin)
{
	bool high = io->pins & (1U << pin);

	return high != !!(io->redir[pin] & IOAPIC_RTE_ACTIVE_LOW);
}

/*
 * Sends the interrupt message of @pin.  Address: the destination (all
 * 8 bits of 63:56; in physical mode the 82093AA defines only 59:56, the
 * 4-bit APIC ID of its day) and the destination mode.  Data: vector,
 * delivery mode, trigger mode, and "assert", as the I/O APIC only sends
 * on assertion.  For a level-triggered entry, acceptance by the local
 * APIC sets Remote IRR (section 3.2.4): here every message is accepted.
 */
static void send(struct ioapic *io, unsigned pin)
{
	uint64_t rte = io->redir[pin];
	uint64_t addr = MSI_ADDR_BASE |
			(rte >> IOAPIC_RTE_DEST_SHIFT) << MSI_ADDR_DEST_SHIFT;
	uint32_t data = (rte & IOAPIC_RTE_VECTOR) |
			delivery_mode(rte) << MSI_DATA_DM_SHIFT |
			MSI_DATA_LEVEL_ASSERT;

	if (rte & IOAPIC_RTE_DEST_LOGICAL)
		addr |= MSI_ADDR_DEST_LOGICAL;
	if (level_triggered(rte)) {
		data |= MSI_DATA_TRIGGER_LEVEL;
		io->redir[pin] |= IOAPIC_RTE_REMOTE_IRR;
	}
	if (io->msi.send)
		io->msi.send(io->msi.opaque, addr, data);
}

/*
 * A level-triggered pin is sampled continuously: while it is asserted,
 * unmasked and its last message has not been EOI'd (Remote IRR clear),
 * a message goes out.  Called whenever one of those three changes.
 * Edge-triggered pins send from ioapic_set_irq() only.
 */
static void sample_level(struct ioapic *io, unsigned pin)
{
	uint64_t rte = io->redir[pin];

	if (!level_triggered(rte) || (rte & IOAPIC_RTE_MASKED) ||
	    (rte & IOAPIC_RTE_REMOTE_IRR) || !asserted(io, pin))
		return;
	send(io, pin);
}

/*
 * "Edge-sensitive interrupts signaled on a masked interrupt pin are
 * ignored (i.e., not delivered or held pending).  Level-asserts or
 * negates occurring on a masked level-sensitive pin are also ignored"
 * (section 3.2.4, Interrupt Mask): a masked level pin still has a level,
 * though, and it is sampled when the entry is unmasked.
 */
void ioapic_set_irq(struct ioapic *io, unsigned pin, int level)
{
	bool was;

	if (pin >= IOAPIC_PINS)
		return;
	was = asserted(io, pin);
	if (level)
		io->pins |= 1U << pin;
	else
		io->pins &= ~(1U << pin);
	if (io->redir[pin] & IOAPIC_RTE_MASKED)
		return;
	if (level_triggered(io->redir[pin]))
		sample_level(io, pin);
	else if (!was && asserted(io, pin))
		send(io, pin);
}

/*
 * "The Remote IRR bit is set to 0 when an EOI message with a matching
 * interrupt vector is received from a local APIC" (section 3.2.4); a
 * line still asserted then interrupts again.
 */
void ioapic_eoi(struct ioapic *io, uint8_t vector)
{
	unsigned pin;

	for (pin = 0; pin < IOAPIC_PINS; pin++) {
		if (!(io->redir[pin] & IOAPIC_RTE_REMOTE_IRR) ||
		    (io->redir[pin] & IOAPIC_RTE_VECTOR) != vector)
			continue;
		io->redir[pin] &= ~IOAPIC_RTE_REMOTE_IRR;
		sample_level(io, pin);
	}
}

static uint32_t read_reg(struct ioapic *io)
{
	unsigned reg = io->regsel;
	int pin;

	switch (reg) {
	case IOAPIC_REG_ID:
		return (uint32_t)io->id << 24;
	case IOAPIC_REG_VER:
		return IOAPIC_VERSION_VALUE;
	case IOAPIC_REG_ARB:
		return (uint32_t)io->arb << 24;
	}
	pin = redtbl_pin(reg);
	if (pin < 0)
		return 0;	/* reserved */
	if (reg & 1)
		return io->redir[pin] >> 32;
	return io->redir[pin];
}

static void write_reg(struct ioapic *io, uint32_t val)
{
	unsigned reg = io->regsel;
	uint64_t *rte;
	int pin;

	if (reg == IOAPIC_REG_ID) {
		/*
		 * "The APIC bus arbitration ID for the I/O unit is also
		 * written during a write to the APICID Register (same data
		 * is loaded into both)" (section 3.2.1).
		 */
		io->id = (val >> 24) & 0xf;
		io->arb = io->id;
		return;
	}
	/* IOAPICVER and IOAPICARB are read-only; others reserved. */
	pin = redtbl_pin(reg);
	if (pin < 0)
		return;
	rte = &io->redir[pin];
	if (reg & 1) {
		*rte = (*rte & 0xffffffffULL) |
		       (uint64_t)(val & RTE_HIGH_RW) << 32;
		return;
	}
	*rte = (*rte & ~RTE_LOW_RW) | (val & RTE_LOW_RW);
	/*
	 * Remote IRR is "undefined for edge triggered interrupts"; an
	 * entry switched to edge clears it.  Linux counts on this to end a
	 * stuck level interrupt on I/O APICs without an EOI register, like
	 * this one: it masks the entry, sets it to edge, and back to level.
	 */
	if (!level_triggered(*rte))
		*rte &= ~IOAPIC_RTE_REMOTE_IRR;
	/* Unmasked, or made level, with the pin asserted: it sends now. */
	sample_level(io, pin);
}

/*
 * "All APIC registers are accessed using 32-bit loads and stores"
 * (82374EB/SB datasheet, the 82093AA's sibling): any other size, or
 * any offset but IOREGSEL's and IOWIN's, reads as 0 and drops writes.
 */
static uint64_t ioapic_read(void *opaque, uint64_t off, unsigned size)
{
	struct ioapic *io = opaque;

	if (size != 4)
		return 0;
	if (off == IOAPIC_IOREGSEL)
		return io->regsel;
	if (off == IOAPIC_IOWIN)
		return read_reg(io);
	return 0;
}

static void ioapic_write(void *opaque, uint64_t off, unsigned size,
			 uint64_t val)
{
	struct ioapic *io = opaque;

	if (size != 4)
		return;
	if (off == IOAPIC_IOREGSEL)
		io->regsel = val;	/* bits 31:8 are reserved */
	else if (off == IOAPIC_IOWIN)
		write_reg(io, val);
}

/*
 * The region is the whole 4 KiB page that firmware tables reserve for
 * an I/O APIC: the chip decodes two registers in it, the rest reads 0.
 */
int ioapic_attach(struct platform *p, struct ioapic *io, uint64_t gpa)
{
	struct io_region r = {
		.base = gpa, .len = 0x1000, .name = "ioapic", .opaque = io,
		.read = ioapic_read, .write = ioapic_write,
	};
	unsigned pin;

	/* Reset: ID 0, every entry masked (the other bits are undefined). */
	io->regsel = 0;
	io->id = 0;
	io->arb = 0;
	io->pins = 0;
	for (pin = 0; pin < IOAPIC_PINS; pin++)
		io->redir[pin] = IOAPIC_RTE_MASKED;
	return platform_add_mmio(p, &r);
}
