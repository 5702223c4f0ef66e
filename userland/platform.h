/* SPDX-License-Identifier: GPL-2.0 */
/*
 * platform.h - the port and MMIO dispatch tables of the emulated PC.
 *
 * Each device registers the ranges it decodes with a read and a write
 * callback.  Anything no device claims reads as all-ones and swallows
 * writes, like an empty ISA bus; each such port or address is remembered
 * once so the end-of-run summary can name it.
 */
#ifndef VMXLAB_PLATFORM_H
#define VMXLAB_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PLATFORM_MAX_REGIONS	32
#define PLATFORM_MAX_UNKNOWN	32

/* @addr is the port number for port I/O, the offset in the region for MMIO. */
typedef uint64_t (*dev_read_fn)(void *opaque, uint64_t addr, unsigned size);
typedef void (*dev_write_fn)(void *opaque, uint64_t addr, unsigned size,
			     uint64_t val);

struct io_region {
	uint64_t base, len;
	const char *name;
	/*
	 * A byte-wide device sees a 2- or 4-byte port access as separate
	 * byte accesses to consecutive ports, as the ISA bus splits them;
	 * a wide one gets the whole access at its first port.
	 */
	bool wide;
	void *opaque;
	dev_read_fn read;
	dev_write_fn write;
};

struct unknown_log {
	uint64_t addr[PLATFORM_MAX_UNKNOWN];
	unsigned n;
	unsigned dropped;	/* distinct ones that did not fit */
};

struct platform {
	struct io_region pio[PLATFORM_MAX_REGIONS];
	unsigned npio;
	struct io_region mmio[PLATFORM_MAX_REGIONS];
	unsigned nmmio;

	struct unknown_log unknown_pio;
	struct unknown_log unknown_mmio;
	struct unknown_log unknown_hypercall;

	/* Where guest text goes (COM1 and the putc hypercall). */
	FILE *console;

	/* Set by the debug-exit device or the exit hypercall. */
	bool exit_requested;
	uint64_t exit_value;
	/* Set by the keyboard controller's reset line (dev-i8042.c). */
	bool reset_requested;
};

void platform_init(struct platform *p, FILE *console);
/* Returns 0, or -1 when the table is full or the range overlaps another. */
int platform_add_pio(struct platform *p, const struct io_region *r);
int platform_add_mmio(struct platform *p, const struct io_region *r);

uint64_t platform_pio_read(struct platform *p, uint16_t port, unsigned size);
void platform_pio_write(struct platform *p, uint16_t port, unsigned size,
			uint64_t val);
uint64_t platform_mmio_read(struct platform *p, uint64_t gpa, unsigned size);
void platform_mmio_write(struct platform *p, uint64_t gpa, unsigned size,
			 uint64_t val);

/* Remembers @addr once; true the first time it is seen. */
bool unknown_log_add(struct unknown_log *log, uint64_t addr);
/* The unknown ports, MMIO addresses and hypercalls, one line each. */
void platform_report_unknown(const struct platform *p, FILE *out);

/* All-ones of @size bytes. */
static inline uint64_t size_mask(unsigned size)
{
	return size >= 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

#endif /* VMXLAB_PLATFORM_H */
