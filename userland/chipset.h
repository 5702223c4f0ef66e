/* SPDX-License-Identifier: GPL-2.0 */
/*
 * chipset.h - the loader's half of the split irqchip: routing device
 * interrupts to the PIC and IOAPIC, and from them to the hypervisor, and
 * the I/O thread that keeps the devices' time (PIT, RTC) and feeds stdin
 * to the UART.
 *
 *   I/O thread (timerfd, stdin)          vCPU thread (runloop.c)
 *     pit_advance(), cmos_advance(),       chipset_before_run(): PIC INTR
 *     uart_receive()                         high and the vCPU ready?
 *        |  raise a line                       -> pic_intack(), interrupt()
 *        v                                     else request_interrupt_window
 *     chipset_set_irq() -> PIC, IOAPIC     chipset_eoi(): VMXLAB_EXIT_EOI
 *        IOAPIC -> signal_msi() (kernel LAPIC)   -> ioapic_eoi()
 *        PIC INTR rises -> kick the vCPU thread
 *
 * One mutex (chipset->lock) serializes every device model: the vCPU
 * thread takes it around each exit it hands to the devices.
 */
#ifndef VMXLAB_CHIPSET_H
#define VMXLAB_CHIPSET_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <termios.h>

#include "backend.h"
#include "pc.h"

struct chipset {
	pthread_mutex_t lock;
	struct pc *pc;
	struct backend *be;
	pthread_t vcpu_thread;
	pthread_t io_thread;
	bool io_running;
	int timer_fd, stop_fd, wake_fd;
	int in_fd;			/* stdin for the UART, or -1 */
	bool in_tty;
	struct termios saved_tty;
	/* Counted for the end-of-run summary and the tests. */
	uint64_t extints, msis, eois, kicks;
	/*
	 * The text trace (--trace), or NULL: a "chipset:" line for each
	 * IRQ line that rises, each 8259A acknowledge, each IOAPIC message
	 * and each level-triggered EOI, the loader's half of a delivery.
	 */
	FILE *trace;
	uint32_t levels;	/* the ISA IRQ lines, for the trace's edges */
};

/*
 * Wires the PC's devices to the hypervisor behind @be.  @in_fd (stdin,
 * or -1) is fed to COM1's receiver; a terminal is put in non-canonical
 * mode without echo (Ctrl-C still stops the loader) and restored by
 * chipset_stop().  Returns 0 or -1 after one sentence.
 */
int chipset_init(struct chipset *c, struct pc *pc, struct backend *be,
		 int in_fd);
/* Starts and stops the I/O thread; stop is idempotent. */
int chipset_start(struct chipset *c);
void chipset_stop(struct chipset *c);

/*
 * The vCPU thread, right before each RUN: hand a pending 8259A interrupt
 * to the vCPU if it can take one, else ask for an interrupt window.
 * Returns the vector injected, or -1.
 */
int chipset_before_run(struct chipset *c, struct vmxlab_run *run);
/*
 * Around each exit the vCPU thread hands to the devices: the lock, and
 * after a guest access to a timer's ports (PIT, RTC), a wake-up for the
 * I/O thread, whose next deadline may have moved.
 */
void chipset_lock(struct chipset *c);
void chipset_unlock(struct chipset *c, bool timers_touched);
/* VMXLAB_EXIT_EOI: the IOAPIC hears of a level-triggered EOI. */
void chipset_eoi(struct chipset *c, uint8_t vector);

/* The interrupt router, irq_line.set for every device: ISA IRQ / GSI. */
void chipset_set_irq(void *opaque, unsigned gsi, int level);

#endif /* VMXLAB_CHIPSET_H */
