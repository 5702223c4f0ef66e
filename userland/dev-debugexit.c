// SPDX-License-Identifier: GPL-2.0
/*
 * dev-debugexit.c - QEMU's isa-debug-exit: a write ends the run.
 *
 * The loader then exits with (value << 1) | 1, as QEMU does, so a status
 * from a guest is always odd and never mistaken for one of the loader's
 * own (even) statuses.  1-, 2- and 4-byte writes are all accepted.
 */
#include "devices.h"

static uint64_t debugexit_read(void *opaque, uint64_t port, unsigned size)
{
	(void)opaque;
	(void)port;
	(void)size;
	return 0;
}

static void debugexit_write(void *opaque, uint64_t port, unsigned size,
			    uint64_t val)
{
	struct platform *p = opaque;

	(void)port;
	/* The first request wins: later writes cannot change the verdict. */
	if (p->exit_requested)
		return;
	p->exit_requested = true;
	p->exit_value = val & size_mask(size);
}

int debugexit_attach(struct platform *p, uint16_t port)
{
	struct io_region r = {
		.base = port, .len = 4, .name = "debug-exit", .wide = true,
		.opaque = p, .read = debugexit_read, .write = debugexit_write,
	};

	return platform_add_pio(p, &r);
}
