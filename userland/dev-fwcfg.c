// SPDX-License-Identifier: GPL-2.0
/*
 * dev-fwcfg.c - QEMU's fw_cfg, legacy I/O port interface.
 *
 * A 16-bit write to the selector port picks an item and rewinds it; each
 * byte read from the data port returns the next byte of the item, and 0
 * past its end or for an unknown key, as QEMU does.  Only the items a
 * firmware probes first are provided; the DMA interface is absent (bit 1
 * of the ID item is clear).
 */
#include <string.h>

#include "devices.h"

#define FW_CFG_WRITE_FLAG	0x4000	/* guests may not write items */
#define FW_CFG_ID_TRADITIONAL	0x1

static void put_le(uint8_t *buf, uint64_t v, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i++)
		buf[i] = v >> (8 * i);
}

/* Fills @buf (at least 16 bytes) with item @key; returns its length. */
static unsigned fwcfg_item(const struct fwcfg *f, uint16_t key,
			   uint8_t *buf)
{
	switch (key) {
	case FW_CFG_SIGNATURE:
		memcpy(buf, "QEMU", 4);
		return 4;
	case FW_CFG_ID:
		put_le(buf, FW_CFG_ID_TRADITIONAL, 4);
		return 4;
	case FW_CFG_UUID:
		memset(buf, 0, 16);
		return 16;
	case FW_CFG_RAM_SIZE:
		put_le(buf, f->ram_size, 8);
		return 8;
	case FW_CFG_NB_CPUS:
	case FW_CFG_MAX_CPUS:
		put_le(buf, f->ncpus, 2);
		return 2;
	case FW_CFG_FILE_DIR:
		memset(buf, 0, 4);	/* big-endian count: no files */
		return 4;
	default:
		return 0;
	}
}

static uint8_t fwcfg_next_byte(struct fwcfg *f)
{
	uint8_t buf[16];
	unsigned len = fwcfg_item(f, f->selector & ~FW_CFG_WRITE_FLAG, buf);

	if (f->offset >= len)
		return 0;
	return buf[f->offset++];
}

static uint64_t fwcfg_read(void *opaque, uint64_t port, unsigned size)
{
	struct fwcfg *f = opaque;
	uint64_t val = 0;
	unsigned i;

	if (port != FW_CFG_PORT_DATA)
		return 0;
	/* A wider read returns consecutive bytes, lowest first. */
	for (i = 0; i < size; i++)
		val |= (uint64_t)fwcfg_next_byte(f) << (8 * i);
	return val;
}

static void fwcfg_write(void *opaque, uint64_t port, unsigned size,
			uint64_t val)
{
	struct fwcfg *f = opaque;

	if (port != FW_CFG_PORT_SEL)
		return;		/* data writes are ignored, as in QEMU */
	f->selector = size == 1 ? (uint8_t)val : (uint16_t)val;
	f->offset = 0;
}

int fwcfg_attach(struct platform *p, struct fwcfg *f, uint64_t ram_size,
		 unsigned ncpus)
{
	struct io_region r = {
		.base = FW_CFG_PORT_SEL, .len = 2, .name = "fw_cfg",
		.wide = true, .opaque = f,
		.read = fwcfg_read, .write = fwcfg_write,
	};

	*f = (struct fwcfg){ .ram_size = ram_size, .ncpus = ncpus };
	return platform_add_pio(p, &r);
}
