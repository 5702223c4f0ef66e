/* SPDX-License-Identifier: GPL-2.0 */
/*
 * devices.h - the device models of the emulated PC, one file each.
 *
 * Each model keeps its state in a struct the caller owns (so tests can
 * look inside) and registers its ports or MMIO page with *_attach().
 */
#ifndef VMXLAB_DEVICES_H
#define VMXLAB_DEVICES_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "platform.h"

#include "irq.h"		/* struct irq_line, for the UART and the RTC */

/*
 * dev-uart.c: 16550A UART.  Transmits to the console at once; receives
 * into a 16-byte FIFO from uart_receive(); interrupts on @irq (level,
 * gated by MCR OUT2 as on a PC).  uart_attach() resets the registers
 * but keeps @irq, so the line may be wired before or after it.
 */
#define COM1_BASE		0x3f8
#define COM1_IRQ		4
#define UART_FIFO_SIZE		16
struct uart {
	FILE *out;		/* the platform console */
	struct irq_line irq;
	uint8_t ier, lcr, mcr, msr, scr, fcr, dll, dlm;
	uint8_t rx[UART_FIFO_SIZE];	/* receive FIFO (RBR is its head) */
	uint8_t rx_head, rx_count;
	bool overrun;		/* LSR OE, until LSR is read */
	bool thre;		/* THRE interrupt pending */
	int irq_level;		/* last level driven onto @irq */
};
int uart_attach(struct platform *p, struct uart *u, uint16_t base);
/*
 * Bytes from the terminal: returns how many were accepted, which is
 * what the FIFO (one byte with FIFOs off, none in loopback) has room
 * for; the caller keeps the rest and offers it again later.
 */
size_t uart_receive(struct uart *u, const uint8_t *buf, size_t n);
size_t uart_rx_room(const struct uart *u);

/* dev-debugexit.c: QEMU's isa-debug-exit; status is (value << 1) | 1. */
#define DEBUG_EXIT_PORT		0xf4
int debugexit_attach(struct platform *p, uint16_t port);

/* dev-fwcfg.c: QEMU fw_cfg, legacy port interface only. */
#define FW_CFG_PORT_SEL		0x510
#define FW_CFG_PORT_DATA	0x511
#define FW_CFG_SIGNATURE	0x0000
#define FW_CFG_ID		0x0001
#define FW_CFG_UUID		0x0002
#define FW_CFG_RAM_SIZE		0x0003
#define FW_CFG_NB_CPUS		0x0005
#define FW_CFG_MAX_CPUS		0x000f
#define FW_CFG_FILE_DIR		0x0019
struct fwcfg {
	uint16_t selector;
	uint32_t offset;
	uint64_t ram_size;
	uint16_t ncpus;
};
int fwcfg_attach(struct platform *p, struct fwcfg *f, uint64_t ram_size,
		 unsigned ncpus);

/*
 * dev-pic.c: the two 8259A PICs (master 0x20/0x21, slave 0xa0/0xa1 on
 * master IR2) and the PIIX ELCR at 0x4d0/0x4d1 (1 = level-triggered).
 * pic_set_irq() moves IRQ line 0-15 (IRQ 2 is the cascade: ignored);
 * the master's INT is pic_output(), and @intr.changed hears every change
 * of it.  pic_intack() is the CPU's interrupt acknowledge: it returns
 * the vector, base + 7 of the chip for a spurious (default IR7) one.
 * pic_attach() resets both chips but keeps @intr, so it may be set
 * before or after.
 */
struct pic8259 {
	uint8_t irr;		/* requests waiting */
	uint8_t isr;		/* requests being serviced */
	uint8_t imr;		/* OCW1, the mask */
	uint8_t lines;		/* the IR input levels, for edge detection */
	uint8_t elcr;		/* PIIX ELCR: level-triggered inputs */
	uint8_t vector_base;	/* ICW2 & 0xf8 */
	uint8_t icw1, icw3, icw4;
	uint8_t init_step;	/* which ICW the next data write is */
	uint8_t lowest;		/* the lowest-priority IR (rotation) */
	bool read_isr;		/* OCW3 RR/RIS: the even port reads ISR */
	bool poll;		/* OCW3 P: the next read is a poll */
	bool special_mask;	/* OCW3 SMM */
	bool rotate_aeoi;	/* OCW2: rotate in automatic EOI mode */
	bool output;		/* the INT pin */
};
struct pic {
	struct pic8259 master, slave;
	struct {
		void (*changed)(void *opaque, int level);
		void *opaque;
	} intr;
};
int pic_attach(struct platform *p, struct pic *pic);
void pic_set_irq(struct pic *pic, unsigned irq, int level);
int pic_intack(struct pic *pic);
bool pic_output(const struct pic *pic);

/*
 * dev-ioapic.c: Intel 82093AA I/O APIC, 24 pins, whose interrupt
 * messages go out through @msi in MSI format.  ioapic_set_irq() sets
 * the electrical level of a pin (the entry's polarity says which level
 * is asserted; ISA IRQs are active high).  ioapic_eoi() is the local
 * APIC's EOI for a level-triggered @vector.  ioapic_attach() resets
 * the chip (every entry masked) but keeps @msi.
 */
#define IOAPIC_BASE_GPA		0xfec00000ULL
#define IOAPIC_PINS		24
#define IOAPIC_IOREGSEL		0x00	/* MMIO offsets */
#define IOAPIC_IOWIN		0x10
#define IOAPIC_REG_ID		0x00	/* IOREGSEL values */
#define IOAPIC_REG_VER		0x01
#define IOAPIC_REG_ARB		0x02
#define IOAPIC_REG_REDTBL	0x10	/* pin n: 0x10 + 2n low, + 1 high */
#define IOAPIC_VERSION_VALUE	0x00170011	/* 24 entries, version 0x11 */
/* Redirection table entry bits. */
#define IOAPIC_RTE_VECTOR	0xffULL
#define IOAPIC_RTE_DM_SHIFT	8
#define IOAPIC_RTE_DEST_LOGICAL	(1ULL << 11)
#define IOAPIC_RTE_DELIVS	(1ULL << 12)
#define IOAPIC_RTE_ACTIVE_LOW	(1ULL << 13)
#define IOAPIC_RTE_REMOTE_IRR	(1ULL << 14)
#define IOAPIC_RTE_LEVEL	(1ULL << 15)
#define IOAPIC_RTE_MASKED	(1ULL << 16)
#define IOAPIC_RTE_DEST_SHIFT	56
struct ioapic {
	uint8_t regsel;		/* IOREGSEL */
	uint8_t id;		/* IOAPICID bits 27:24 */
	uint8_t arb;		/* IOAPICARB bits 27:24 */
	uint32_t pins;		/* electrical level of each pin */
	uint64_t redir[IOAPIC_PINS];
	struct irq_msi_sink msi;
};
int ioapic_attach(struct platform *p, struct ioapic *io, uint64_t gpa);
void ioapic_set_irq(struct ioapic *io, unsigned pin, int level);
void ioapic_eoi(struct ioapic *io, uint8_t vector);

/*
 * dev-cmos.c: MC146818 RTC and CMOS RAM.  The time registers follow
 * @now (wall clock, seconds); the update cycle, periodic interrupt and
 * alarm run on nanoseconds of CLOCK_MONOTONIC, driven by cmos_advance()
 * and, when @now_ns is set, brought up to date by register reads.  The
 * interrupt is @irq, level, high while register C's IRQF is.
 * cmos_attach() resets the chip but keeps @irq, @now_ns and
 * @clock_opaque, so they may be wired before or after it.
 */
#define RTC_IRQ			8
struct cmos {
	uint8_t index;
	uint8_t nmi_disabled;
	uint8_t ram[128];
	time_t (*now)(void);	/* the host clock; tests substitute one */
	uint64_t (*now_ns)(void *opaque);	/* NULL: no UIP, no catch-up */
	void *clock_opaque;
	struct irq_line irq;
	int irq_level;		/* last level driven onto @irq */
	/* The divider chain: 32768 Hz cycles counted from an origin. */
	uint64_t origin_ns, origin_cycles;
	uint64_t last_ns;	/* events are done up to here */
	bool started;		/* last_ns is valid */
	time_t frozen;		/* the time shown while updates are stopped */
	uint64_t deadline;	/* what the last cmos_advance() returned */
};
#define CMOS_REG_A		0x0a
#define CMOS_REG_B		0x0b
#define CMOS_REG_C		0x0c
#define CMOS_REG_D		0x0d
int cmos_attach(struct platform *p, struct cmos *c, uint64_t ram_size,
		time_t (*now)(void));
/*
 * Sets the register C flags due by @now_ns and moves the IRQ line;
 * returns the next time at which something the guest enabled can
 * happen (a periodic tick with PIE, an update with UIE or AIE), or
 * IRQ_NO_DEADLINE.  Guest accesses to ports 0x70/0x71 can move that
 * deadline (a write to A or B, a read of C), so call it again after
 * them; @deadline holds the latest answer.
 */
uint64_t cmos_advance(struct cmos *c, uint64_t now_ns);

/*
 * dev-pit.c: Intel 8254 programmable interval timer at 0x40-0x43, and
 * port 0x61, where the PC wires counter 2's GATE and OUT.  Counts are
 * derived from @now_ns on demand, nothing ticks (@now_ns may be NULL at
 * attach and set later; until then time stands at 0).  Counter 0's OUT
 * drives @irq0, which the caller sets after pit_attach().  Channels 0
 * and 1 have GATE tied high, so their modes 1 and 5 never trigger, as on
 * a PC.
 */
#include "irq.h"
#define PIT_HZ			1193182	/* the 8254's CLK input on a PC */
#define PIT_PORT		0x40	/* counters 0-2, then control word */
#define PIT_PORT_61		0x61	/* NMI status and control */
struct pit_channel {
	uint8_t mode;		/* 0-5 */
	uint8_t mode_bits;	/* M2..M0 as written, for the status byte */
	uint8_t rw;		/* 1 LSB, 2 MSB, 3 LSB then MSB */
	bool bcd;
	bool gate;
	uint16_t cr;		/* the count register, as written */
	uint8_t cr_lsb;		/* rw 3: the LSB waiting for its MSB */
	bool write_msb;		/* rw 3: the next write is the MSB */
	bool read_msb;		/* rw 3: the next read is the MSB */
	bool cr_written;	/* a count was written since the control word */
	bool count_latched, status_latched;
	uint16_t latch;
	uint8_t status;
	/* The counting run; see "Time" in dev-pit.c. */
	uint8_t state;		/* idle, running or paused */
	uint32_t n;		/* the count being used, 1..65536 */
	uint32_t phase;		/* mode 3: where in the period the run began */
	uint64_t start_ns;	/* when counting (re)started */
	uint64_t done;		/* CLK pulses counted before start_ns */
	uint16_t hold;		/* the counting element until it is loaded */
	bool out_before;	/* mode 1: OUT when the trigger came */
	bool pending;		/* the count register waits to be loaded */
	uint64_t pending_tick;	/* ... at this CLK pulse (modes 2, 3) */
	bool pending_low;	/* mode 3: ... starting with the low half */
};
struct pit {
	struct pit_channel ch[3];
	uint8_t port61;		/* the read/write bits 0-3 of port 0x61 */
	uint64_t (*now_ns)(void *opaque);
	void *clock_opaque;
	struct irq_line irq0;	/* counter 0's OUT; set after attach */
	/*
	 * Optional: counter 0 was reprogrammed, its deadline moved; call
	 * pit_advance() again.  Called from the port write, with the
	 * platform lock held.
	 */
	void (*timer_changed)(void *opaque);
	void *timer_changed_opaque;
	int irq0_level;		/* the level irq0 is at (OUT 0 at reset) */
	uint64_t irq0_checked_ns; /* OUT 0 edges up to here are delivered */
};
int pit_attach(struct platform *p, struct pit *pit,
	       uint64_t (*now_ns)(void *), void *clock_opaque);
/*
 * Raises the IRQ 0 edge due by @now_ns, at most one however late the
 * call: ticks missed in between are lost, as on a PC whose CPU had
 * interrupts masked for several periods.  Returns the time of channel 0's
 * next OUT rising edge, or IRQ_NO_DEADLINE.
 */
uint64_t pit_advance(struct pit *pit, uint64_t now_ns);

/*
 * dev-i8042.c: 8042 keyboard controller at 0x60/0x64 with a keyboard that
 * answers commands but never has a key pressed and no mouse; and System
 * Control Port A (0x92, "fast A20" and fast reset).  Set after attach:
 * @reset, called when the guest pulses the reset line (none: ignored),
 * and optionally @irq1/@irq12 (output buffer full from the keyboard / aux
 * port).  A20 is stored only: guest RAM does not wrap at 1 MiB either way.
 */
#define I8042_DATA_PORT		0x60
#define I8042_CMD_PORT		0x64
#define PORT_92			0x92
#define I8042_QUEUE		8
struct i8042 {
	uint8_t ram[32];	/* controller RAM; byte 0 is the command byte */
	uint8_t out_port;	/* output port: bit 0 reset (low), 1 A20 */
	uint8_t port92;
	bool sys;		/* status bit 2, the system flag */
	bool last_cmd;		/* status bit 3: last write went to 0x64 */
	uint8_t pending;	/* the command waiting for its data byte */
	uint8_t kbd_pending;	/* keyboard command waiting for its argument */
	uint8_t kbd_last;	/* the keyboard's last byte, for "resend" */
	struct {
		uint8_t byte;
		bool aux;
	} queue[I8042_QUEUE];	/* the output buffer and what waits for it */
	unsigned head, count;
	uint8_t last_read;	/* port 0x60 keeps its value once read */
	void (*reset)(void *opaque);
	void *reset_opaque;
	struct irq_line irq1, irq12;
	int irq1_level, irq12_level;
};
int i8042_attach(struct platform *p, struct i8042 *k);

/*
 * dev-crtc.c: the VGA CRT controller's index/data registers (0x3d4/0x3d5,
 * mono aliases 0x3b4/0x3b5) and input status register 1 (0x3da).  The
 * text framebuffer at 0xb8000 is plain guest RAM.
 */
#define VGA_CRTC_INDEX		0x3d4
#define VGA_CRTC_INDEX_MONO	0x3b4
#define VGA_INPUT_STATUS_1	0x3da
#define VGA_CRTC_REGS		25	/* 0x00-0x18 */
#define VGA_CRTC_CURSOR_HI	0x0e
#define VGA_CRTC_CURSOR_LO	0x0f
struct crtc {
	uint8_t crtc_index;
	uint8_t crtc[VGA_CRTC_REGS];
	bool retrace;		/* what the next status read reports */
};
int crtc_attach(struct platform *p, struct crtc *v);

/*
 * dev-scratch.c: vmxlab's scratch MMIO page at 0xd0000000.  Any write
 * stores its value; any read returns the last value written, truncated
 * to the access size.  It lets a guest check MMIO emulation end to end.
 */
#define SCRATCH_GPA		0xd0000000ULL
struct scratch {
	uint64_t last;
};
int scratch_attach(struct platform *p, struct scratch *s, uint64_t gpa);

#endif /* VMXLAB_DEVICES_H */
