// SPDX-License-Identifier: GPL-2.0
/*
 * test-ioapic.c - the 82093AA I/O APIC through IOREGSEL/IOWIN, and the
 * interrupt messages it sends, against the 82093AA datasheet.
 */
#include <stdlib.h>

#include "devices.h"
#include "tap.h"

#define MAX_MSGS	16

struct rig {
	struct platform plat;
	struct ioapic io;
	unsigned int n;		/* messages sent */
	uint64_t addr[MAX_MSGS];
	uint32_t data[MAX_MSGS];
};

static void msi_send(void *opaque, uint64_t addr, uint32_t data)
{
	struct rig *r = opaque;

	if (r->n < MAX_MSGS) {
		r->addr[r->n] = addr;
		r->data[r->n] = data;
	}
	r->n++;
}

static struct rig *rig(void)
{
	struct rig *r = calloc(1, sizeof(*r));

	platform_init(&r->plat, NULL);
	r->io.msi.send = msi_send;	/* before attach: it is kept */
	r->io.msi.opaque = r;
	if (ioapic_attach(&r->plat, &r->io, 0xfec00000))
		abort();
	return r;
}

static uint32_t rd(struct rig *r, uint8_t reg)
{
	platform_mmio_write(&r->plat, 0xfec00000, 4, reg);
	return platform_mmio_read(&r->plat, 0xfec00010, 4);
}

static void wr(struct rig *r, uint8_t reg, uint32_t val)
{
	platform_mmio_write(&r->plat, 0xfec00000, 4, reg);
	platform_mmio_write(&r->plat, 0xfec00010, 4, val);
}

/* As Linux's ioapic_write_entry(): the high half, then the low one. */
static void set_entry(struct rig *r, unsigned int pin, uint64_t e)
{
	wr(r, 0x11 + 2 * pin, e >> 32);
	wr(r, 0x10 + 2 * pin, (uint32_t)e);
}

static void line(struct rig *r, unsigned int pin, int level)
{
	ioapic_set_irq(&r->io, pin, level);
}

TEST(ioapic_registers_and_reset_state)
{
	struct rig *r = rig();
	unsigned int pin;

	CHECK_EQ(rd(r, 0x01), 0x00170011);	/* 24 entries, v0x11 */
	CHECK_EQ(rd(r, 0x00), 0);
	CHECK_EQ(rd(r, 0x02), 0);
	wr(r, 0x00, 0xffffffff);
	CHECK_EQ(rd(r, 0x00), 0x0f000000);	/* a 4-bit ID */
	CHECK_EQ(rd(r, 0x02), 0x0f000000);	/* loaded with it */
	wr(r, 0x00, 0x02000000);
	CHECK_EQ(rd(r, 0x00), 0x02000000);
	wr(r, 0x01, 0);				/* read-only */
	wr(r, 0x02, 0);
	CHECK_EQ(rd(r, 0x01), 0x00170011);
	CHECK_EQ(rd(r, 0x02), 0x02000000);

	/* Reset: every entry masked, the rest 0. */
	for (pin = 0; pin < 24; pin++) {
		CHECK_EQ(rd(r, 0x10 + 2 * pin), 0x00010000);
		CHECK_EQ(rd(r, 0x11 + 2 * pin), 0);
	}
	CHECK_EQ(rd(r, 0x03), 0);		/* reserved */
	CHECK_EQ(rd(r, 0x40), 0);		/* past the table */
	wr(r, 0x40, 0x1234);
	CHECK_EQ(rd(r, 0x40), 0);

	/* IOREGSEL reads back; only 32-bit accesses do anything. */
	platform_mmio_write(&r->plat, 0xfec00000, 4, 0x112);
	CHECK_EQ(platform_mmio_read(&r->plat, 0xfec00000, 4), 0x12);
	platform_mmio_write(&r->plat, 0xfec00000, 1, 0x01);
	CHECK_EQ(platform_mmio_read(&r->plat, 0xfec00000, 4), 0x12);
	CHECK_EQ(platform_mmio_read(&r->plat, 0xfec00010, 1), 0);
	CHECK_EQ(platform_mmio_read(&r->plat, 0xfec00010, 8), 0);
	platform_mmio_write(&r->plat, 0xfec00010, 2, 0x55);
	CHECK_EQ(rd(r, 0x12), 0x00010000);
	CHECK_EQ(platform_mmio_read(&r->plat, 0xfec00020, 4), 0);
	CHECK_EQ(r->plat.unknown_mmio.n, 0);
	CHECK_EQ(r->n, 0);
}

TEST(ioapic_edge_message)
{
	struct rig *r = rig();

	set_entry(r, 1, 0x31);		/* fixed, physical 0, edge, high */
	CHECK_EQ(r->n, 0);
	line(r, 1, 1);
	CHECK_EQ(r->n, 1);
	CHECK_EQ(r->addr[0], 0xfee00000);
	CHECK_EQ(r->data[0], 0x4031);	/* assert, edge, fixed, 0x31 */
	CHECK_EQ(rd(r, 0x12), 0x31);	/* no Remote IRR for edge */
	line(r, 1, 1);			/* held high: no new edge */
	CHECK_EQ(r->n, 1);
	line(r, 1, 0);
	CHECK_EQ(r->n, 1);
	line(r, 1, 1);
	CHECK_EQ(r->n, 2);

	/* An edge on a masked pin is dropped, not held pending. */
	set_entry(r, 1, 0x10031);
	line(r, 1, 0);
	line(r, 1, 1);
	set_entry(r, 1, 0x31);
	CHECK_EQ(r->n, 2);
	line(r, 1, 0);
	line(r, 1, 1);
	CHECK_EQ(r->n, 3);

	line(r, 5, 1);			/* pin 5 is still masked */
	line(r, 24, 1);			/* there is no pin 24 */
	CHECK_EQ(r->n, 3);
}

TEST(ioapic_destination_and_delivery_mode)
{
	struct rig *r = rig();

	/* Logical destination 0x03, lowest priority, vector 0x40. */
	set_entry(r, 3, 0x0300000000000940ULL);
	CHECK_EQ(rd(r, 0x16), 0x940);
	CHECK_EQ(rd(r, 0x17), 0x03000000);
	line(r, 3, 1);
	CHECK_EQ(r->addr[0], 0xfee03004);	/* dest << 12, DM bit 2 */
	CHECK_EQ(r->data[0], 0x4140);

	/* Physical APIC ID 0x0a. */
	set_entry(r, 4, 0x0a00000000000050ULL);
	line(r, 4, 1);
	CHECK_EQ(r->addr[1], 0xfee0a000);
	CHECK_EQ(r->data[1], 0x4050);

	/* NMI is edge whatever the trigger bit: no Remote IRR, no bit 15. */
	set_entry(r, 5, 0x8400);
	line(r, 5, 1);
	CHECK_EQ(r->n, 3);
	CHECK_EQ(r->addr[2], 0xfee00000);
	CHECK_EQ(r->data[2], 0x4400);
	CHECK_EQ(rd(r, 0x1a), 0x8400);

	/* Only the defined bits store; the two read-only ones do not. */
	wr(r, 0x1f, 0xffffffff);
	CHECK_EQ(rd(r, 0x1f), 0xff000000);
	wr(r, 0x1e, 0xffffffff);
	CHECK_EQ(rd(r, 0x1e), 0x0001afff);
	CHECK_EQ(r->n, 3);
}

TEST(ioapic_level_remote_irr_and_eoi)
{
	struct rig *r = rig();

	set_entry(r, 10, 0x803a);	/* level, high, fixed, 0x3a */
	CHECK_EQ(r->n, 0);
	line(r, 10, 1);
	CHECK_EQ(r->n, 1);
	CHECK_EQ(r->addr[0], 0xfee00000);
	CHECK_EQ(r->data[0], 0xc03a);	/* level, assert, 0x3a */
	CHECK_EQ(rd(r, 0x24), 0xc03a);	/* Remote IRR */

	/* Until the EOI, the line may do anything: nothing is sent. */
	line(r, 10, 1);
	line(r, 10, 0);
	line(r, 10, 1);
	CHECK_EQ(r->n, 1);
	ioapic_eoi(&r->io, 0x3b);	/* another vector */
	CHECK_EQ(rd(r, 0x24), 0xc03a);
	CHECK_EQ(r->n, 1);

	/* EOI with the line still asserted: it interrupts again. */
	ioapic_eoi(&r->io, 0x3a);
	CHECK_EQ(r->n, 2);
	CHECK_EQ(r->data[1], 0xc03a);
	CHECK_EQ(rd(r, 0x24), 0xc03a);

	/* Remote IRR is read-only, both ways. */
	wr(r, 0x24, 0x803a);
	CHECK_EQ(rd(r, 0x24), 0xc03a);
	CHECK_EQ(r->n, 2);

	/* Deasserted, then EOI: quiet. */
	line(r, 10, 0);
	ioapic_eoi(&r->io, 0x3a);
	CHECK_EQ(rd(r, 0x24), 0x803a);
	CHECK_EQ(r->n, 2);
	wr(r, 0x24, 0xc03a);
	CHECK_EQ(rd(r, 0x24), 0x803a);

	/* Two pins sharing a vector: one EOI ends both. */
	set_entry(r, 11, 0x803a);
	line(r, 10, 1);
	line(r, 11, 1);
	CHECK_EQ(r->n, 4);
	ioapic_eoi(&r->io, 0x3a);
	CHECK_EQ(r->n, 6);
	CHECK_EQ(rd(r, 0x24), 0xc03a);
	CHECK_EQ(rd(r, 0x26), 0xc03a);
}

TEST(ioapic_masked_level_sends_on_unmask)
{
	struct rig *r = rig();

	set_entry(r, 9, 0x18039);	/* masked, level, 0x39 */
	line(r, 9, 1);
	CHECK_EQ(r->n, 0);
	CHECK_EQ(rd(r, 0x22), 0x18039);	/* no Remote IRR either */
	set_entry(r, 9, 0x8039);
	CHECK_EQ(r->n, 1);
	CHECK_EQ(r->data[0], 0xc039);

	/* Masked after delivery: the EOI clears Remote IRR, no resend. */
	wr(r, 0x22, 0x18039);
	CHECK_EQ(rd(r, 0x22), 0x1c039);
	ioapic_eoi(&r->io, 0x39);
	CHECK_EQ(rd(r, 0x22), 0x18039);
	CHECK_EQ(r->n, 1);
	/* Gone while masked: unmasking sends nothing. */
	line(r, 9, 0);
	wr(r, 0x22, 0x8039);
	CHECK_EQ(r->n, 1);
}

TEST(ioapic_polarity)
{
	struct rig *r = rig();

	/* A PCI-style line: level, active low, idle high. */
	line(r, 16, 1);
	set_entry(r, 16, 0xa041);
	CHECK_EQ(r->n, 0);
	line(r, 16, 0);
	CHECK_EQ(r->n, 1);
	CHECK_EQ(r->data[0], 0xc041);
	ioapic_eoi(&r->io, 0x41);
	CHECK_EQ(r->n, 2);
	line(r, 16, 1);
	ioapic_eoi(&r->io, 0x41);
	CHECK_EQ(r->n, 2);
	CHECK_EQ(rd(r, 0x30), 0xa041);

	/* Edge, active low: the falling edge is the one that counts. */
	line(r, 17, 1);
	set_entry(r, 17, 0x2042);
	line(r, 17, 0);
	CHECK_EQ(r->n, 3);
	CHECK_EQ(r->data[2], 0x4042);
	line(r, 17, 1);
	CHECK_EQ(r->n, 3);
}

TEST(ioapic_edge_write_clears_remote_irr)
{
	struct rig *r = rig();

	/*
	 * Linux's __eoi_ioapic_pin() for I/O APICs without an EOI register:
	 * mask the entry and make it edge, which clears Remote IRR, then
	 * write it back as it was; the line still asserted sends again.
	 */
	set_entry(r, 12, 0x803c);
	line(r, 12, 1);
	CHECK_EQ(r->n, 1);
	CHECK_EQ(rd(r, 0x28), 0xc03c);
	wr(r, 0x28, 0x1003c);
	CHECK_EQ(rd(r, 0x28), 0x1003c);
	CHECK_EQ(r->n, 1);
	wr(r, 0x28, 0x803c);
	CHECK_EQ(r->n, 2);
	CHECK_EQ(r->data[1], 0xc03c);
	CHECK_EQ(rd(r, 0x28), 0xc03c);
}
