// SPDX-License-Identifier: GPL-2.0
/*
 * test-chipset.c - the loader's half of the split irqchip: ISA IRQs to
 * the 8259A and the IOAPIC, the ExtINT handshake before RUN, IOAPIC
 * messages and level EOIs, and the trace lines, with a recording backend.
 */
#include <stdlib.h>

#include "chipset.h"
#include "tap.h"

static struct {
	int vectors[8], nvectors;
	uint64_t addr[8];
	uint32_t data[8];
	int nmsi;
} seen;

static int rec_interrupt(struct backend *be, uint8_t vector)
{
	seen.vectors[seen.nvectors++ & 7] = vector;
	return 0;
}

static int rec_msi(struct backend *be, uint64_t addr, uint32_t data)
{
	seen.addr[seen.nmsi & 7] = addr;
	seen.data[seen.nmsi++ & 7] = data;
	return 1;
}

static void no_kick(struct backend *be)
{
}

static const struct backend_ops rec_ops = {
	.name = "recording", .kick = no_kick,
	.interrupt = rec_interrupt, .signal_msi = rec_msi,
};

struct rig {
	struct pc pc;
	struct backend be;
	struct chipset c;
	char *trace;
	size_t len;
	FILE *f;
};

static struct rig *rig(void)
{
	struct rig *r = calloc(1, sizeof(*r));

	memset(&seen, 0, sizeof(seen));
	r->be.ops = &rec_ops;
	if (pc_init(&r->pc, NULL, 16 << 20, NULL) ||
	    chipset_init(&r->c, &r->pc, &r->be, -1))
		abort();
	r->f = open_memstream(&r->trace, &r->len);
	r->c.trace = r->f;
	return r;
}

static void out8(struct rig *r, uint16_t port, uint8_t v)
{
	platform_pio_write(&r->pc.plat, port, 1, v);
}

/* Linux's 8259A setup: vectors 0x20/0x28, cascade on IR2. */
static void pic_init(struct rig *r, uint8_t master_mask)
{
	out8(r, 0x20, 0x11);
	out8(r, 0x21, 0x20);
	out8(r, 0x21, 0x04);
	out8(r, 0x21, 0x01);
	out8(r, 0xa0, 0x11);
	out8(r, 0xa1, 0x28);
	out8(r, 0xa1, 0x02);
	out8(r, 0xa1, 0x01);
	out8(r, 0x21, master_mask);
	out8(r, 0xa1, 0xff);
}

TEST(chipset_extint_waits_for_the_window)
{
	struct rig *r = rig();
	struct vmxlab_run run = { 0 };

	pic_init(r, 0xfe);			/* IRQ 0 only */
	chipset_set_irq(&r->c, 0, 1);
	chipset_set_irq(&r->c, 0, 0);
	/* Not ready: the vCPU is asked for a window, nothing injected. */
	CHECK_EQ(chipset_before_run(&r->c, &run), -1);
	CHECK_EQ(run.request_interrupt_window, 1);
	CHECK_EQ(seen.nvectors, 0);
	/* Ready: the 8259A is acknowledged and the vector queued. */
	run.ready_for_interrupt_injection = 1;
	CHECK_EQ(chipset_before_run(&r->c, &run), 0x20);
	CHECK_EQ(run.request_interrupt_window, 0);
	CHECK_EQ(seen.nvectors, 1);
	CHECK_EQ(seen.vectors[0], 0x20);
	/* In service until EOI: INTR is down, no second injection. */
	CHECK_EQ(chipset_before_run(&r->c, &run), -1);
	CHECK_EQ(run.request_interrupt_window, 0);
	fflush(r->f);
	CHECK_CONTAINS(r->trace, "chipset: IRQ 0 up (pit)\n");
	CHECK_CONTAINS(r->trace, "chipset: 8259A acknowledge -> vector 0x20");
}

TEST(chipset_irq0_reaches_ioapic_pin_2)
{
	struct rig *r = rig();
	uint64_t io = IOAPIC_BASE_GPA;

	pic_init(r, 0xff);
	/* Pin 2: vector 0x40, fixed, physical, edge, to APIC 0. */
	platform_mmio_write(&r->pc.plat, io, 4, 0x10 + 2 * 2);
	platform_mmio_write(&r->pc.plat, io + 0x10, 4, 0x40);
	chipset_set_irq(&r->c, 0, 1);
	CHECK_EQ(seen.nmsi, 1);
	CHECK_EQ(seen.addr[0], 0xfee00000);
	CHECK_EQ(seen.data[0], 0x4040);
	/* IRQ 2 is the cascade: no IOAPIC pin answers it. */
	chipset_set_irq(&r->c, 0, 0);
	chipset_set_irq(&r->c, 2, 1);
	CHECK_EQ(seen.nmsi, 1);
	fflush(r->f);
	CHECK_CONTAINS(r->trace, "chipset: IOAPIC message vector 0x40 dest "
		       "0x00 mode 0 -> 1 local APIC(s)");
}

TEST(chipset_level_eoi_refires_the_line)
{
	struct rig *r = rig();
	uint64_t io = IOAPIC_BASE_GPA;

	/* Pin 4 (COM1): vector 0x60, level, active high. */
	platform_mmio_write(&r->pc.plat, io, 4, 0x10 + 2 * 4);
	platform_mmio_write(&r->pc.plat, io + 0x10, 4, 0x8060);
	chipset_set_irq(&r->c, 4, 1);
	CHECK_EQ(seen.nmsi, 1);
	CHECK_EQ(seen.data[0], 0xc060);
	/* Remote IRR holds it back until the EOI, then it fires again. */
	chipset_set_irq(&r->c, 4, 1);
	CHECK_EQ(seen.nmsi, 1);
	chipset_eoi(&r->c, 0x60);
	CHECK_EQ(seen.nmsi, 2);
	chipset_set_irq(&r->c, 4, 0);
	chipset_eoi(&r->c, 0x60);
	CHECK_EQ(seen.nmsi, 2);
	fflush(r->f);
	CHECK_CONTAINS(r->trace, "chipset: EOI of level-triggered vector 0x60");
}
