// SPDX-License-Identifier: GPL-2.0
/*
 * dev-apic.c - the xAPIC register page, reached through MMIO exits.
 *
 * Enough for a guest that identifies its APIC, enables it and sends an
 * EOI or an IPI: the identification registers are constant, ICR never
 * reports a send pending, and the rest store and read back.  Nothing is
 * delivered: there is no second CPU and no timer yet.
 */
#include <string.h>

#include "devices.h"

static uint64_t apic_read(void *opaque, uint64_t off, unsigned size)
{
	struct apic *a = opaque;
	unsigned byte = off & 15;
	uint32_t val;

	/* Each register is the low 4 bytes of a 16-byte slot. */
	if (byte >= 4)
		return 0;
	switch (off & ~15ULL) {
	case APIC_ID:
		val = 0;
		break;
	case APIC_VERSION:
		val = APIC_VERSION_VALUE;
		break;
	case APIC_EOI:
		val = 0;
		break;
	default:
		val = a->regs[off >> 4];
		break;
	}
	return ((uint64_t)val >> (8 * byte)) & size_mask(size);
}

static void apic_write(void *opaque, uint64_t off, unsigned size,
		       uint64_t val)
{
	struct apic *a = opaque;

	/* The SDM makes only aligned 32-bit accesses defined. */
	if (size != 4 || (off & 15))
		return;
	switch (off) {
	case APIC_ID:
	case APIC_VERSION:
	case APIC_EOI:
		break;
	case APIC_ICR_LOW:
		a->regs[off >> 4] = (uint32_t)val & ~APIC_ICR_BUSY;
		break;
	default:
		a->regs[off >> 4] = (uint32_t)val;
		break;
	}
}

int apic_attach(struct platform *p, struct apic *a, uint64_t gpa)
{
	struct io_region r = {
		.base = gpa, .len = 0x1000, .name = "xapic", .opaque = a,
		.read = apic_read, .write = apic_write,
	};
	unsigned off;

	memset(a, 0, sizeof(*a));
	/* Reset values (SDM 11.4.7.1): flat model, LVTs masked. */
	a->regs[APIC_DFR >> 4] = 0xffffffff;
	a->regs[APIC_SPIV >> 4] = 0xff;
	for (off = APIC_LVT_TIMER; off <= APIC_LVT_ERROR; off += 16)
		a->regs[off >> 4] = 0x10000;
	return platform_add_mmio(p, &r);
}
