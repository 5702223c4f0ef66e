// SPDX-License-Identifier: GPL-2.0
/* test-crtc.c - the VGA CRTC registers and input status 1. */
#include "devices.h"
#include "tap.h"

static void setup(struct platform *p, struct crtc *v)
{
	platform_init(p, NULL);
	CHECK_EQ(crtc_attach(p, v), 0);
}

static uint8_t crtc(struct platform *p, uint16_t base, uint8_t idx)
{
	platform_pio_write(p, base, 1, idx);
	return platform_pio_read(p, base + 1, 1);
}

TEST(vga_cursor_location_reads_back)
{
	struct platform p;
	struct crtc v;

	setup(&p, &v);
	CHECK_EQ(crtc(&p, 0x3d4, 0x0e), 0);	/* no video BIOS ran */
	/* xv6's cgaputc: cursor at row 3, column 7 = 247 = 0x00f7. */
	platform_pio_write(&p, 0x3d4, 1, 0x0e);
	platform_pio_write(&p, 0x3d5, 1, 0x00);
	platform_pio_write(&p, 0x3d4, 1, 0x0f);
	platform_pio_write(&p, 0x3d5, 1, 0xf7);
	CHECK_EQ(crtc(&p, 0x3d4, 0x0e) << 8 | crtc(&p, 0x3d4, 0x0f), 0xf7);
	/* Row 24, column 79 = 1999 = 0x07cf, as one 16-bit out each. */
	platform_pio_write(&p, 0x3d4, 2, 0x070e);
	platform_pio_write(&p, 0x3d4, 2, 0xcf0f);
	CHECK_EQ(crtc(&p, 0x3d4, 0x0e), 0x07);
	CHECK_EQ(crtc(&p, 0x3d4, 0x0f), 0xcf);
	CHECK_EQ(v.crtc[VGA_CRTC_CURSOR_HI], 0x07);
	/* The mono addresses reach the same registers. */
	CHECK_EQ(crtc(&p, 0x3b4, 0x0f), 0xcf);
	platform_pio_write(&p, 0x3b5, 1, 0x10);
	CHECK_EQ(crtc(&p, 0x3d4, 0x0f), 0x10);
	CHECK_EQ(p.unknown_pio.n, 0);
}

TEST(vga_crtc_index_latch)
{
	struct platform p;
	struct crtc v;
	unsigned i;

	setup(&p, &v);
	platform_pio_write(&p, 0x3d4, 1, 0x0a);
	CHECK_EQ(platform_pio_read(&p, 0x3d4, 1), 0x0a);
	platform_pio_write(&p, 0x3d5, 1, 0x0d);	/* cursor start */
	CHECK_EQ(platform_pio_read(&p, 0x3d4, 1), 0x0a);  /* still 0x0a */
	CHECK_EQ(platform_pio_read(&p, 0x3d5, 1), 0x0d);
	CHECK_EQ(platform_pio_read(&p, 0x3d5, 1), 0x0d);
	/* Five bits of index: 0xee latches 0x0e. */
	platform_pio_write(&p, 0x3d4, 1, 0xee);
	CHECK_EQ(platform_pio_read(&p, 0x3d4, 1), 0x0e);
	/* Every register 0x00-0x18 stores its own value. */
	for (i = 0; i < 25; i++) {
		platform_pio_write(&p, 0x3d4, 1, i);
		platform_pio_write(&p, 0x3d5, 1, 0x40 + i);
	}
	for (i = 0; i < 25; i++)
		CHECK_EQ(crtc(&p, 0x3d4, i), 0x40 + i);
	/* 0x19-0x1f are no registers. */
	platform_pio_write(&p, 0x3d4, 1, 0x19);
	platform_pio_write(&p, 0x3d5, 1, 0x12);
	CHECK_EQ(platform_pio_read(&p, 0x3d5, 1), 0xff);
	CHECK_EQ(crtc(&p, 0x3d4, 0x18), 0x58);
}

TEST(vga_crtc_protect_bit)
{
	struct platform p;
	struct crtc v;

	setup(&p, &v);
	platform_pio_write(&p, 0x3d4, 2, 0x5f00);	/* horizontal total */
	platform_pio_write(&p, 0x3d4, 2, 0x0007);	/* overflow */
	platform_pio_write(&p, 0x3d4, 2, 0x8e11);	/* protect 0-7 */
	platform_pio_write(&p, 0x3d4, 2, 0x1200);
	platform_pio_write(&p, 0x3d4, 2, 0xff07);
	CHECK_EQ(crtc(&p, 0x3d4, 0x00), 0x5f);
	CHECK_EQ(crtc(&p, 0x3d4, 0x07), 0x10);	/* line compare bit only */
	platform_pio_write(&p, 0x3d4, 2, 0x0e11);
	platform_pio_write(&p, 0x3d4, 2, 0x1200);
	CHECK_EQ(crtc(&p, 0x3d4, 0x00), 0x12);
}

TEST(vga_input_status_toggles)
{
	struct platform p;
	struct crtc v;
	unsigned spins = 0;

	setup(&p, &v);
	CHECK_EQ(platform_pio_read(&p, 0x3da, 1), 0x00);
	CHECK_EQ(platform_pio_read(&p, 0x3da, 1), 0x09);
	CHECK_EQ(platform_pio_read(&p, 0x3da, 1), 0x00);
	/* Wait for the end of retrace, then for its start: both come. */
	while ((platform_pio_read(&p, 0x3da, 1) & 0x08) && spins < 100)
		spins++;
	while (!(platform_pio_read(&p, 0x3da, 1) & 0x08) && spins < 100)
		spins++;
	CHECK_EQ(spins, 1);
	platform_pio_write(&p, 0x3da, 1, 0x00);	/* feature control */
	CHECK_EQ(p.unknown_pio.n, 0);
}
