// SPDX-License-Identifier: GPL-2.0
/*
 * dev-pit.c - the Intel 8254 programmable interval timer, and port 0x61.
 *
 * Ports (8254 datasheet, read and write operations): 0x40-0x42 are
 * counters 0-2, 0x43 the write-only control word register.  The PC
 * feeds all three CLK inputs from one 1.193182 MHz oscillator; counter
 * 0's OUT is IRQ 0, counter 1 once refreshed DRAM, counter 2 drives the
 * speaker and is the one whose GATE and OUT software can reach, through
 * port 0x61.
 *
 * Time.  Nothing here ticks.  CLK pulse number t happens at the first ns
 * at which t * 1e9 / PIT_HZ has been reached, counted from time 0 of the
 * clock, so every channel sees the same pulses.  A counting "run" stores
 * when it started (start_ns) and how many pulses it had counted before
 * (done, non-zero only after the gate paused it); the pulses k since the
 * count was written give the counting element and OUT by arithmetic.
 * Pulse k = 1 is the one that loads the count register into the counting
 * element (8254 datasheet: the initial count is loaded on the first CLK
 * pulse after it is written), pulses 2, 3, ... decrement it.  So in mode
 * 0 OUT goes high N + 1 pulses after the count is written, as specified.
 *
 * Interrupts.  pit_advance() is called by the loader's I/O thread at the
 * deadline it returned; it brings the IRQ 0 line to OUT 0's level and
 * turns any rising edge since the last call into a 0 -> 1 transition.  A
 * rate generator fires for one CLK only, so the line mostly stays high
 * and is dropped and raised again at the next edge: the 8259A and IOAPIC
 * see IRQ 0 as edge triggered, as on the ISA bus.
 */
#include "devices.h"

#define NSEC_PER_SEC	1000000000ULL

/* Control word (8254 datasheet, "Control Word Format"). */
#define CW_SC_SHIFT	6
#define CW_RW_SHIFT	4
#define CW_RW_LATCH	0	/* counter latch command */
#define CW_RW_LSB	1
#define CW_RW_MSB	2
#define CW_RW_BOTH	3	/* LSB first, then MSB */
#define CW_SC_READBACK	3
/* Read-back command: bits 5 and 4 are active low. */
#define RB_NO_COUNT	0x20
#define RB_NO_STATUS	0x10
/* Status byte: OUT, null count, then RW, mode and BCD as programmed. */
#define ST_OUT		0x80
#define ST_NULL		0x40

/* Port 0x61 (NMI status and control, as on the PC/AT and every chipset). */
#define P61_GATE2	0x01	/* counter 2 GATE */
#define P61_SPEAKER	0x02	/* speaker data enable */
#define P61_RW		0x0f	/* + parity and I/O check NMI disables */
#define P61_REFRESH	0x10	/* toggles on every DRAM refresh request */
#define P61_OUT2	0x20	/* counter 2 OUT */
/*
 * The AT programmed counter 1 to 18 pulses (15.09 us) per refresh
 * request; chipsets keep that period for bit 4, which old code times
 * delays with.
 */
#define REFRESH_PULSES	18

enum { PIT_IDLE, PIT_RUNNING, PIT_PAUSED };

static uint64_t ns_to_tick(uint64_t ns)
{
	return (uint64_t)((unsigned __int128)ns * PIT_HZ / NSEC_PER_SEC);
}

/* The first ns at which CLK pulse @tick has happened. */
static uint64_t tick_to_ns(uint64_t tick)
{
	unsigned __int128 ns = (unsigned __int128)tick * NSEC_PER_SEC;

	ns = (ns + PIT_HZ - 1) / PIT_HZ;
	return ns >= IRQ_NO_DEADLINE ? IRQ_NO_DEADLINE - 1 : (uint64_t)ns;
}

static uint32_t from_bcd(uint16_t v)
{
	return (v >> 12 & 15) * 1000 + (v >> 8 & 15) * 100 +
	       (v >> 4 & 15) * 10 + (v & 15);
}

static uint16_t to_bcd(uint32_t v)
{
	return (v / 1000 % 10) << 12 | (v / 100 % 10) << 8 |
	       (v / 10 % 10) << 4 | (v % 10);
}

/* An initial count of 0 is the largest: 2^16 in binary, 10^4 in BCD. */
static uint32_t count_of(const struct pit_channel *c)
{
	uint32_t n = c->bcd ? from_bcd(c->cr) : c->cr;

	return n ? n : (c->bcd ? 10000 : 65536);
}

/* CLK pulses since the run began, the loading pulse included. */
static uint64_t ch_k(const struct pit_channel *c, uint64_t now)
{
	uint64_t t0, t1;

	if (c->state != PIT_RUNNING)
		return c->done;
	t0 = ns_to_tick(c->start_ns);
	t1 = ns_to_tick(now);
	return c->done + (t1 > t0 ? t1 - t0 : 0);
}

/* The counting element after @k pulses, in the programmed format. */
static uint16_t ch_ce(const struct pit_channel *c, uint64_t k)
{
	uint32_t m = c->bcd ? 10000 : 65536, n = c->n, h, p;
	uint64_t v;

	if (c->state == PIT_IDLE || k == 0)
		return c->hold;		/* not loaded yet: the old value */
	switch (c->mode) {
	case 2:
		/* N, N-1, ..., 1, reload N: the period is N pulses. */
		v = n - (k - 1) % n;
		break;
	case 3:
		/*
		 * Decrements by two; an odd N loads N-1 and spends the extra
		 * pulse in the high half, so OUT is high (N+1)/2 pulses and
		 * low (N-1)/2.
		 */
		h = (n + 1) / 2;
		p = (k - 1 + c->phase) % n;
		v = (n & ~1U) - 2 * (p < h ? p : p - h);
		break;
	default:
		/* Modes 0, 1, 4, 5 count on through 0 and wrap around. */
		v = (n + m - (k - 1) % m) % m;
		break;
	}
	v %= m;
	return c->bcd ? to_bcd(v) : v;
}

/* OUT after @k pulses (8254 datasheet, "Mode Definitions"). */
static bool ch_out(const struct pit_channel *c, uint64_t k)
{
	uint32_t n = c->n;

	if (c->state == PIT_IDLE)	/* the control word sets OUT */
		return c->mode != 0;
	switch (c->mode) {
	case 0:		/* interrupt on terminal count: high at 0, stays */
		return k > n;
	case 1:		/* one-shot: low from the pulse after the trigger */
		return k == 0 ? c->out_before : k > n;
	case 2:		/* low for the one pulse the count is 1 */
		return !c->gate || k == 0 || k % n;
	case 3:		/* GATE low forces OUT high at once */
		return !c->gate || k == 0 ||
		       (k - 1 + c->phase) % n < (n + 1) / 2;
	default:	/* 4, 5: strobe, low for one pulse at count 0 */
		return k != (uint64_t)n + 1;
	}
}

/* The first pulse after @k at which OUT rises in this run, or 0. */
static uint64_t rise_k(const struct pit_channel *c, uint64_t k)
{
	uint64_t n = c->n, r;

	switch (c->mode) {
	case 0:
	case 1:
		return k < n + 1 ? n + 1 : 0;
	case 4:
	case 5:
		return k < n + 2 ? n + 2 : 0;
	default:
		/* N = 1 is illegal in modes 2 and 3: OUT never changes. */
		if (!c->gate || n < 2)
			return 0;
		/* Rises where the period wraps, (k - 1 + phase) % n == 0. */
		r = k + 1 + (n - (k + c->phase) % n) % n;
		if (r == 1)	/* the loading pulse: OUT was already high */
			r += n;
		return r;
	}
}

/* The first pulse after @k that ends a half period of mode 3, or 0. */
static uint64_t fall_k(const struct pit_channel *c, uint64_t k)
{
	uint64_t n = c->n, h = (n + 1) / 2;

	if (!c->gate || n < 2)
		return 0;
	return k + 1 + (h + n - (k + c->phase) % n) % n;
}

/* The CLK pulse of the clock at which this run counts pulse @k. */
static uint64_t k_to_tick(const struct pit_channel *c, uint64_t k)
{
	return ns_to_tick(c->start_ns) + (k - c->done);
}

/*
 * Modes 2 and 3: the count written during a run is loaded at the end of
 * the current period (mode 2) or half period (mode 3) and the run goes on
 * from there (8254 datasheet, modes 2 and 3: a new count does not disturb
 * the counting sequence under way).  The new run's pulse 1 is that end.
 */
static void ch_apply_pending(struct pit_channel *c)
{
	c->n = count_of(c);
	c->phase = c->pending_low ? (c->n + 1) / 2 : 0;
	c->start_ns = tick_to_ns(c->pending_tick - 1);
	c->done = 0;
	c->pending = false;
}

/* Brings the run up to @now: loads a pending count whose time came. */
static void ch_sync(struct pit_channel *c, uint64_t now)
{
	if (c->state == PIT_RUNNING && c->pending &&
	    c->pending_tick != IRQ_NO_DEADLINE &&
	    ns_to_tick(now) >= c->pending_tick)
		ch_apply_pending(c);
}

/* The time of the first OUT rising edge after @t, or IRQ_NO_DEADLINE. */
static uint64_t ch_next_rise(const struct pit_channel *c, uint64_t t)
{
	struct pit_channel next;
	uint64_t r;

	if (c->state != PIT_RUNNING)
		return IRQ_NO_DEADLINE;
	r = rise_k(c, ch_k(c, t));
	if (c->pending && c->pending_tick != IRQ_NO_DEADLINE &&
	    (!r || k_to_tick(c, r) > c->pending_tick)) {
		next = *c;
		ch_apply_pending(&next);
		return ch_next_rise(&next, t);
	}
	return r ? tick_to_ns(k_to_tick(c, r)) : IRQ_NO_DEADLINE;
}

static bool ch_null_count(const struct pit_channel *c, uint64_t now)
{
	return c->state == PIT_IDLE || c->pending || ch_k(c, now) == 0;
}

/* Begins a run with the count register, counting or held by GATE. */
static void ch_start(struct pit_channel *c, uint64_t now, bool counting)
{
	c->hold = ch_ce(c, ch_k(c, now));
	c->n = count_of(c);
	c->phase = 0;
	c->start_ns = now;
	c->pending = false;
	c->state = counting ? PIT_RUNNING : PIT_PAUSED;
	/* Held by GATE, the count is still loaded by the next pulse. */
	c->done = counting ? 0 : 1;
}

/* The count register is complete: when does it reach the counter? */
static void ch_load(struct pit_channel *c, uint64_t now)
{
	uint64_t k = ch_k(c, now), b, f;

	c->cr_written = true;
	switch (c->mode) {
	case 0:
	case 4:
		/* Loaded on the next pulse; counting goes on from it. */
		ch_start(c, now, c->gate);
		break;
	case 2:
	case 3:
		if (c->state != PIT_RUNNING || k == 0 || !c->gate) {
			ch_start(c, now, c->gate);
			break;
		}
		b = rise_k(c, k);
		f = c->mode == 3 ? fall_k(c, k) : 0;
		if (!b) {		/* N = 1: no period to finish */
			ch_start(c, now, true);
			break;
		}
		c->pending = true;
		c->pending_low = f && f < b;
		if (c->pending_low)
			b = f;
		c->pending_tick = k_to_tick(c, b);
		break;
	default:
		/* Modes 1 and 5: the next trigger on GATE loads it. */
		if (c->state != PIT_IDLE) {
			c->pending = true;
			c->pending_tick = IRQ_NO_DEADLINE;
		}
		break;
	}
}

static void ch_set_gate(struct pit_channel *c, bool gate, uint64_t now)
{
	if (gate == c->gate)
		return;
	ch_sync(c, now);
	if (!gate) {
		/* Modes 0, 2, 3, 4: GATE low suspends counting. */
		if (c->state == PIT_RUNNING && c->mode != 1 && c->mode != 5) {
			c->done = ch_k(c, now);
			c->state = PIT_PAUSED;
		}
		c->gate = false;
		return;
	}
	switch (c->mode) {
	case 0:
	case 4:
		c->gate = true;
		if (c->state == PIT_PAUSED) {
			c->start_ns = now;
			c->state = PIT_RUNNING;
		}
		break;
	case 1:
	case 5:
		/* A rising edge triggers: reload and count again. */
		if (c->cr_written) {
			c->out_before = ch_out(c, ch_k(c, now));
			ch_start(c, now, true);
		}
		c->gate = true;
		break;
	default:
		/* Modes 2 and 3: a rising edge reloads the initial count. */
		c->gate = true;
		if (c->cr_written)
			ch_start(c, now, true);
		break;
	}
}

static void ch_latch_count(struct pit_channel *c, uint64_t now)
{
	/* A second latch before the first is read is ignored. */
	if (c->count_latched)
		return;
	c->latch = ch_ce(c, ch_k(c, now));
	c->count_latched = true;
}

static void ch_latch_status(struct pit_channel *c, uint64_t now)
{
	if (c->status_latched)
		return;
	c->status = (ch_out(c, ch_k(c, now)) ? ST_OUT : 0) |
		    (ch_null_count(c, now) ? ST_NULL : 0) |
		    c->rw << CW_RW_SHIFT | c->mode_bits << 1 | c->bcd;
	c->status_latched = true;
}

static void ch_control(struct pit_channel *c, uint8_t val, uint64_t now)
{
	/*
	 * A control word resets the counter's control logic at once: OUT
	 * goes to the mode's initial level, nothing counts until a count is
	 * written, and latched values are dropped (8254 datasheet,
	 * "Programming the 8254").
	 */
	ch_sync(c, now);
	c->hold = ch_ce(c, ch_k(c, now));
	c->rw = val >> CW_RW_SHIFT & 3;
	c->mode_bits = val >> 1 & 7;
	c->mode = c->mode_bits > 5 ? c->mode_bits & 3 : c->mode_bits;
	c->bcd = val & 1;
	c->state = PIT_IDLE;
	c->cr_written = false;
	c->pending = false;
	c->write_msb = c->read_msb = false;
	c->count_latched = c->status_latched = false;
}

static void ch_write(struct pit_channel *c, uint8_t val, uint64_t now)
{
	switch (c->rw) {
	case CW_RW_LSB:		/* the other byte is zero */
		c->cr = val;
		break;
	case CW_RW_MSB:
		c->cr = val << 8;
		break;
	default:
		if (!c->write_msb) {
			c->cr_lsb = val;
			c->write_msb = true;
			/* Mode 0: the first byte stops counting, OUT low. */
			if (c->mode == 0) {
				ch_sync(c, now);
				c->hold = ch_ce(c, ch_k(c, now));
				c->state = PIT_IDLE;
			}
			return;
		}
		c->cr = c->cr_lsb | val << 8;
		c->write_msb = false;
		break;
	}
	ch_sync(c, now);
	ch_load(c, now);
}

static uint8_t ch_read(struct pit_channel *c, uint64_t now)
{
	uint16_t v;

	/* Status first if both are latched, whatever the order. */
	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	ch_sync(c, now);
	v = c->count_latched ? c->latch : ch_ce(c, ch_k(c, now));
	switch (c->rw) {
	case CW_RW_LSB:
		c->count_latched = false;
		return v & 0xff;
	case CW_RW_MSB:
		c->count_latched = false;
		return v >> 8;
	default:
		if (!c->read_msb) {
			c->read_msb = true;
			return v & 0xff;
		}
		c->read_msb = false;
		c->count_latched = false;	/* released by its last byte */
		return v >> 8;
	}
}

/* Counter 0's OUT on IRQ 0: deliver due edges, then follow the level. */
static uint64_t irq0_update(struct pit *pit, uint64_t now)
{
	struct pit_channel *c = &pit->ch[0];
	uint64_t due;
	bool out;

	if (now < pit->irq0_checked_ns)
		now = pit->irq0_checked_ns;
	due = ch_next_rise(c, pit->irq0_checked_ns);
	ch_sync(c, now);
	if (due <= now) {
		/*
		 * One edge, however many periods passed: later ones are lost
		 * like ticks a CPU with interrupts masked never saw.
		 */
		if (pit->irq0_level)
			irq_line_set(&pit->irq0, 0);
		irq_line_set(&pit->irq0, 1);
		pit->irq0_level = 1;
	}
	out = ch_out(c, ch_k(c, now));
	if (out != pit->irq0_level) {
		irq_line_set(&pit->irq0, out);
		pit->irq0_level = out;
	}
	pit->irq0_checked_ns = now;
	return ch_next_rise(c, now);
}

uint64_t pit_advance(struct pit *pit, uint64_t now_ns)
{
	return irq0_update(pit, now_ns);
}

/* The clock may be wired after attach; until then time stands at 0. */
static uint64_t pit_now(const struct pit *pit)
{
	return pit->now_ns ? pit->now_ns(pit->clock_opaque) : 0;
}

static uint64_t pit_read(void *opaque, uint64_t port, unsigned size)
{
	struct pit *pit = opaque;
	uint64_t now = pit_now(pit);
	unsigned i = port - PIT_PORT;

	(void)size;
	if (i == 3)
		return 0xff;	/* control word register: a read floats */
	return ch_read(&pit->ch[i], now);
}

static void pit_write(void *opaque, uint64_t port, unsigned size,
		      uint64_t val)
{
	struct pit *pit = opaque;
	uint64_t now = pit_now(pit);
	unsigned i = port - PIT_PORT, sc = val >> CW_SC_SHIFT & 3;
	bool ch0;

	(void)size;
	if (i < 3) {
		ch0 = i == 0;
	} else {
		/* Latch and read-back commands change no OUT. */
		ch0 = sc == 0 && (val >> CW_RW_SHIFT & 3) != CW_RW_LATCH;
		i = sc;
	}
	/* Edges due before this write happened before it. */
	if (ch0)
		irq0_update(pit, now);

	if (port - PIT_PORT < 3) {
		ch_write(&pit->ch[i], val, now);
	} else if (sc == CW_SC_READBACK) {
		for (i = 0; i < 3; i++) {
			if (!(val & 2U << i))
				continue;
			ch_sync(&pit->ch[i], now);
			if (!(val & RB_NO_COUNT))
				ch_latch_count(&pit->ch[i], now);
			if (!(val & RB_NO_STATUS))
				ch_latch_status(&pit->ch[i], now);
		}
	} else if ((val >> CW_RW_SHIFT & 3) == CW_RW_LATCH) {
		ch_sync(&pit->ch[i], now);
		ch_latch_count(&pit->ch[i], now);
	} else {
		ch_control(&pit->ch[i], val, now);
	}

	if (ch0) {
		irq0_update(pit, now);	/* e.g. mode 0: OUT low at once */
		if (pit->timer_changed)
			pit->timer_changed(pit->timer_changed_opaque);
	}
}

static uint64_t port61_read(void *opaque, uint64_t port, unsigned size)
{
	struct pit *pit = opaque;
	uint64_t now = pit_now(pit);
	struct pit_channel *c = &pit->ch[2];
	uint8_t v = pit->port61 & P61_RW;

	(void)port;
	(void)size;
	ch_sync(c, now);
	if (ch_out(c, ch_k(c, now)))
		v |= P61_OUT2;
	if (ns_to_tick(now) / REFRESH_PULSES & 1)
		v |= P61_REFRESH;
	return v;	/* bits 6, 7: no parity or I/O check NMI pending */
}

static void port61_write(void *opaque, uint64_t port, unsigned size,
			 uint64_t val)
{
	struct pit *pit = opaque;
	uint64_t now = pit_now(pit);

	(void)port;
	(void)size;
	pit->port61 = val & P61_RW;
	ch_set_gate(&pit->ch[2], val & P61_GATE2, now);
}

int pit_attach(struct platform *p, struct pit *pit,
	       uint64_t (*now_ns)(void *), void *clock_opaque)
{
	struct io_region timer = {
		.base = PIT_PORT, .len = 4, .name = "pit", .opaque = pit,
		.read = pit_read, .write = pit_write,
	};
	struct io_region p61 = {
		.base = PIT_PORT_61, .len = 1, .name = "port61", .opaque = pit,
		.read = port61_read, .write = port61_write,
	};
	unsigned i;

	*pit = (struct pit){
		.now_ns = now_ns,
		.clock_opaque = clock_opaque,
	};
	/*
	 * The power-up state is undefined (8254 datasheet).  With no BIOS
	 * to program the timer, each counter is as if told "mode 3, LSB
	 * then MSB" and given no count: OUT high, nothing counts, so no
	 * interrupt reaches a guest that never uses the PIT, and the
	 * guest's first mode 2 or 3 control word makes no stray IRQ 0
	 * edge.  The PC ties GATE 0 and 1 high; GATE 2 is port 0x61 bit
	 * 0, low.
	 */
	for (i = 0; i < 3; i++) {
		pit->ch[i].rw = CW_RW_BOTH;
		pit->ch[i].mode = pit->ch[i].mode_bits = 3;
		pit->ch[i].gate = i != 2;
	}
	/*
	 * OUT 0 is high; the router has seen no edge.  Counting the line
	 * as high means it is not raised until a real rising edge, which
	 * irq0_update() makes a 0 -> 1 transition.
	 */
	pit->irq0_level = 1;
	pit->irq0_checked_ns = pit_now(pit);
	if (platform_add_pio(p, &timer) || platform_add_pio(p, &p61))
		return -1;
	return 0;
}
