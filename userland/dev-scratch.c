// SPDX-License-Identifier: GPL-2.0
/*
 * dev-scratch.c - a page of MMIO that remembers the last value written.
 *
 * It exists so a guest can check an MMIO write and the read after it
 * round-trip through the loader, whatever instruction it uses.
 */
#include "devices.h"

static uint64_t scratch_read(void *opaque, uint64_t off, unsigned size)
{
	struct scratch *s = opaque;

	(void)off;
	return s->last & size_mask(size);
}

static void scratch_write(void *opaque, uint64_t off, unsigned size,
			  uint64_t val)
{
	struct scratch *s = opaque;

	(void)off;
	s->last = val & size_mask(size);
}

int scratch_attach(struct platform *p, struct scratch *s, uint64_t gpa)
{
	struct io_region r = {
		.base = gpa, .len = 0x1000, .name = "scratch", .opaque = s,
		.read = scratch_read, .write = scratch_write,
	};

	s->last = 0;
	return platform_add_mmio(p, &r);
}
