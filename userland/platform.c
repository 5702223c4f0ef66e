// SPDX-License-Identifier: GPL-2.0
/* platform.c - port and MMIO dispatch, and the log of unclaimed accesses. */
#include <inttypes.h>
#include <string.h>

#include "platform.h"

void platform_init(struct platform *p, FILE *console)
{
	memset(p, 0, sizeof(*p));
	p->console = console;
}

static bool overlaps(const struct io_region *a, const struct io_region *b)
{
	return a->base < b->base + b->len && b->base < a->base + a->len;
}

static int add_region(struct io_region *tab, unsigned *n,
		      const struct io_region *r)
{
	unsigned i;

	if (*n >= PLATFORM_MAX_REGIONS || r->len == 0)
		return -1;
	for (i = 0; i < *n; i++)
		if (overlaps(&tab[i], r))
			return -1;
	tab[(*n)++] = *r;
	return 0;
}

int platform_add_pio(struct platform *p, const struct io_region *r)
{
	return add_region(p->pio, &p->npio, r);
}

int platform_add_mmio(struct platform *p, const struct io_region *r)
{
	return add_region(p->mmio, &p->nmmio, r);
}

static struct io_region *find(struct io_region *tab, unsigned n,
			      uint64_t addr)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (addr >= tab[i].base && addr - tab[i].base < tab[i].len)
			return &tab[i];
	return NULL;
}

bool unknown_log_add(struct unknown_log *log, uint64_t addr)
{
	unsigned i;

	for (i = 0; i < log->n; i++)
		if (log->addr[i] == addr)
			return false;
	if (log->n < PLATFORM_MAX_UNKNOWN)
		log->addr[log->n++] = addr;
	else
		log->dropped++;	/* may count a repeat; only a hint */
	return true;
}

static uint64_t pio_read_byte(struct platform *p, uint16_t port)
{
	struct io_region *r = find(p->pio, p->npio, port);

	if (!r || !r->read) {
		unknown_log_add(&p->unknown_pio, port);
		return 0xff;
	}
	return r->read(r->opaque, port, 1) & 0xff;
}

/* True when no device decodes any byte of [port, port + size). */
static bool pio_unclaimed(struct platform *p, uint16_t port, unsigned size)
{
	unsigned i;

	for (i = 0; i < size; i++)
		if (find(p->pio, p->npio, (uint16_t)(port + i)))
			return false;
	return true;
}

uint64_t platform_pio_read(struct platform *p, uint16_t port, unsigned size)
{
	struct io_region *r = find(p->pio, p->npio, port);
	uint64_t val = 0;
	unsigned i;

	if (r && r->wide && r->read)
		return r->read(r->opaque, port, size) & size_mask(size);
	/* An access nobody decodes is logged once, by its first port. */
	if (pio_unclaimed(p, port, size)) {
		unknown_log_add(&p->unknown_pio, port);
		return size_mask(size);
	}
	for (i = 0; i < size; i++)
		val |= pio_read_byte(p, (uint16_t)(port + i)) << (8 * i);
	return val;
}

void platform_pio_write(struct platform *p, uint16_t port, unsigned size,
			uint64_t val)
{
	struct io_region *r = find(p->pio, p->npio, port);
	unsigned i;

	val &= size_mask(size);
	if (r && r->wide && r->write) {
		r->write(r->opaque, port, size, val);
		return;
	}
	if (pio_unclaimed(p, port, size)) {
		unknown_log_add(&p->unknown_pio, port);
		return;
	}
	for (i = 0; i < size; i++) {
		uint16_t pt = (uint16_t)(port + i);

		r = find(p->pio, p->npio, pt);
		if (r && r->write)
			r->write(r->opaque, pt, 1, (val >> (8 * i)) & 0xff);
		else
			unknown_log_add(&p->unknown_pio, pt);
	}
}

uint64_t platform_mmio_read(struct platform *p, uint64_t gpa, unsigned size)
{
	struct io_region *r = find(p->mmio, p->nmmio, gpa);

	if (!r || !r->read) {
		unknown_log_add(&p->unknown_mmio, gpa);
		return size_mask(size);
	}
	return r->read(r->opaque, gpa - r->base, size) & size_mask(size);
}

void platform_mmio_write(struct platform *p, uint64_t gpa, unsigned size,
			 uint64_t val)
{
	struct io_region *r = find(p->mmio, p->nmmio, gpa);

	if (!r || !r->write) {
		unknown_log_add(&p->unknown_mmio, gpa);
		return;
	}
	r->write(r->opaque, gpa - r->base, size, val & size_mask(size));
}

static void report(const struct unknown_log *log, const char *what,
		   FILE *out)
{
	unsigned i;

	if (!log->n)
		return;
	fprintf(out, "vmxlab: %s:", what);
	for (i = 0; i < log->n; i++)
		fprintf(out, "%s 0x%" PRIx64, i ? "," : "", log->addr[i]);
	if (log->dropped)
		fprintf(out, " and %u more", log->dropped);
	fputc('\n', out);
}

void platform_report_unknown(const struct platform *p, FILE *out)
{
	report(&p->unknown_pio,
	       "unknown I/O ports (read as all-ones, writes dropped)", out);
	report(&p->unknown_mmio,
	       "unknown MMIO addresses (read as all-ones, writes dropped)",
	       out);
	report(&p->unknown_hypercall,
	       "unknown hypercall numbers (returned -1)", out);
}
