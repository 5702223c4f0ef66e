// SPDX-License-Identifier: GPL-2.0
/*
 * dev-crtc.c - the VGA CRT controller registers and input status 1.
 *
 * Teaching kernels print by writing character/attribute pairs to the
 * text framebuffer at 0xb8000 (plain guest RAM here) and move the
 * cursor through the CRT controller (IBM VGA CRTC): write an index to
 * 0x3d4, then the register at 0x3d5; 0x0E/0x0F hold the cursor location,
 * high and low byte.  xv6's cgaputc() reads the cursor back the same
 * way, so every register stores what is written.  The mono addresses
 * 0x3b4/0x3b5 reach the same registers (the Miscellaneous Output
 * register that chooses between them is not modelled).
 *
 * No video BIOS ran: the registers read 0 until written.  Nothing is
 * displayed; the model only keeps the guest's view consistent.
 */
#include "devices.h"

#define CRTC_INDEX_MASK		0x1f	/* the index register has 5 bits */
#define CRTC_OVERFLOW		0x07
#define CRTC_OVERFLOW_LC8	0x10	/* line compare bit 8 */
#define CRTC_VRETRACE_END	0x11
#define CRTC_PROTECT		0x80	/* protect registers 0-7 */

/* Input status register 1. */
#define ST1_DISPLAY_OFF		0x01	/* in horizontal or vertical retrace */
#define ST1_VRETRACE		0x08	/* in vertical retrace */

static uint64_t crtc_read(void *opaque, uint64_t port, unsigned size)
{
	struct crtc *v = opaque;

	(void)size;
	if (!(port & 1))
		return v->crtc_index;
	/* 0x19-0x1f select no register: nothing drives the bus. */
	return v->crtc_index < VGA_CRTC_REGS ? v->crtc[v->crtc_index] : 0xff;
}

static void crtc_write(void *opaque, uint64_t port, unsigned size,
		       uint64_t val)
{
	struct crtc *v = opaque;
	uint8_t i = v->crtc_index;

	(void)size;
	if (!(port & 1)) {
		v->crtc_index = val & CRTC_INDEX_MASK;
		return;
	}
	if (i >= VGA_CRTC_REGS)
		return;
	/*
	 * IBM VGA: with Vertical Retrace End bit 7 set, registers 0-7 are
	 * write-protected, except the line compare bit of the Overflow
	 * register, so that old EGA software cannot break VGA timings.
	 */
	if (i <= CRTC_OVERFLOW && (v->crtc[CRTC_VRETRACE_END] & CRTC_PROTECT)) {
		if (i == CRTC_OVERFLOW)
			v->crtc[i] = (v->crtc[i] & ~CRTC_OVERFLOW_LC8) |
				     (val & CRTC_OVERFLOW_LC8);
		return;
	}
	v->crtc[i] = val;
}

/*
 * Input status register 1.  There is no beam to follow, so successive
 * reads alternate between "displaying" and "in vertical retrace": a guest
 * that waits for retrace to end and then to begin sees both within two
 * reads instead of spinning forever.  (The attribute controller flip-flop
 * a read also resets is not modelled.)
 */
static uint64_t st1_read(void *opaque, uint64_t port, unsigned size)
{
	struct crtc *v = opaque;
	uint8_t st = v->retrace ? ST1_VRETRACE | ST1_DISPLAY_OFF : 0;

	(void)port;
	(void)size;
	v->retrace = !v->retrace;
	return st;
}

/* A write to 0x3da is the Feature Control register: nothing to control. */
static void st1_write(void *opaque, uint64_t port, unsigned size,
		      uint64_t val)
{
	(void)opaque;
	(void)port;
	(void)size;
	(void)val;
}

int crtc_attach(struct platform *p, struct crtc *v)
{
	struct io_region color = {
		.base = VGA_CRTC_INDEX, .len = 2, .name = "vga-crtc",
		.opaque = v, .read = crtc_read, .write = crtc_write,
	};
	struct io_region mono = color;
	struct io_region st1 = {
		.base = VGA_INPUT_STATUS_1, .len = 1, .name = "vga-status",
		.opaque = v, .read = st1_read, .write = st1_write,
	};

	mono.base = VGA_CRTC_INDEX_MONO;
	*v = (struct crtc){ 0 };
	if (platform_add_pio(p, &color) || platform_add_pio(p, &mono) ||
	    platform_add_pio(p, &st1))
		return -1;
	return 0;
}
