// SPDX-License-Identifier: GPL-2.0
/*
 * chipset.c - interrupt routing and device time in the loader (KVM's
 * split irqchip, the VMM half); chipset.h draws it.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "chipset.h"
#include "util.h"

/* The signal that kicks the vCPU thread out of RUN (or out of HLT). */
#define CHIPSET_KICK_SIGNAL	SIGUSR1

static struct chipset *kick_target;

static void on_kick(int sig)
{
	(void)sig;
	if (kick_target)
		kick_target->be->ops->kick(kick_target->be);
}

static uint64_t now_ns(void *opaque)
{
	struct timespec ts;

	(void)opaque;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * ISA IRQ n reaches both the 8259A (input n) and the IOAPIC: pin n,
 * except IRQ 0, which PCs wire to pin 2 (the MADT and MP table say so
 * with an interrupt source override; the 8259A cascade owns IRQ 2).
 */
/* Who drives each ISA IRQ on this PC (pc.c wires them). */
static const char *irq_owner(unsigned irq)
{
	switch (irq) {
	case 0: return "pit";
	case 1: return "i8042 keyboard";
	case COM1_IRQ: return "com1";
	case RTC_IRQ: return "rtc";
	case 12: return "i8042 aux";
	default: return "?";
	}
}

void chipset_set_irq(void *opaque, unsigned gsi, int level)
{
	struct chipset *c = opaque;

	if (c->trace && gsi < 32 && level && !(c->levels & (1U << gsi)))
		fprintf(c->trace, "chipset: IRQ %u up (%s)\n", gsi,
			irq_owner(gsi));
	if (gsi < 32)
		c->levels = level ? c->levels | 1U << gsi :
				    c->levels & ~(1U << gsi);

	if (gsi < 16)
		pic_set_irq(&c->pc->pic, gsi, level);
	if (gsi == 0)
		ioapic_set_irq(&c->pc->ioapic, 2, level);
	else if (gsi != 2 && gsi < IOAPIC_PINS)
		ioapic_set_irq(&c->pc->ioapic, gsi, level);
}

/* The 8259A's INTR went up: the vCPU thread must look (before_run). */
static void pic_intr_changed(void *opaque, int level)
{
	struct chipset *c = opaque;

	if (!level || pthread_equal(pthread_self(), c->vcpu_thread))
		return;
	c->kicks++;
	pthread_kill(c->vcpu_thread, CHIPSET_KICK_SIGNAL);
}

/* The IOAPIC's messages go straight to the kernel's local APICs. */
static void ioapic_send(void *opaque, uint64_t addr, uint32_t data)
{
	struct chipset *c = opaque;
	int n = -EOPNOTSUPP;

	c->msis++;
	if (c->be->ops->signal_msi)
		n = c->be->ops->signal_msi(c->be, addr, data);
	if (c->trace)
		fprintf(c->trace, "chipset: IOAPIC message vector 0x%02x "
			"dest 0x%02x%s mode %u%s -> %d local APIC(s)\n",
			data & MSI_DATA_VECTOR_MASK,
			(unsigned)(addr >> MSI_ADDR_DEST_SHIFT) & 0xff,
			(addr & MSI_ADDR_DEST_LOGICAL) ? " logical" : "",
			(data >> MSI_DATA_DM_SHIFT) & 7,
			(data & MSI_DATA_TRIGGER_LEVEL) ? " level" : "", n);
}

int chipset_before_run(struct chipset *c, struct vmxlab_run *run)
{
	int vector = -1;

	/*
	 * The common case without the lock: INTR low and no window asked
	 * for.  If the I/O thread raises INTR just after, it kicks this
	 * thread, whose RUN then returns at once and comes back here.
	 */
	if (!run->request_interrupt_window && !c->pc->pic.master.output)
		return -1;
	pthread_mutex_lock(&c->lock);
	if (!pic_output(&c->pc->pic)) {
		run->request_interrupt_window = 0;
	} else if (run->ready_for_interrupt_injection &&
		   c->be->ops->interrupt) {
		/* The INTA cycle: the 8259A names the vector now. */
		vector = pic_intack(&c->pc->pic);
		if (c->trace)
			fprintf(c->trace, "chipset: 8259A acknowledge -> vector "
				"0x%02x, queued as ExtINT (VMXLAB_INTERRUPT)\n",
				vector);
		if (c->be->ops->interrupt(c->be, vector) == 0) {
			c->extints++;
			run->request_interrupt_window = 0;
		} else {
			vector = -1;
			run->request_interrupt_window = 1;
		}
	} else {
		run->request_interrupt_window = 1;
	}
	pthread_mutex_unlock(&c->lock);
	return vector;
}

void chipset_lock(struct chipset *c)
{
	pthread_mutex_lock(&c->lock);
}

void chipset_unlock(struct chipset *c, bool timers_touched)
{
	uint64_t one = 1;

	pthread_mutex_unlock(&c->lock);
	if (timers_touched && c->wake_fd >= 0 &&
	    write(c->wake_fd, &one, sizeof(one)) < 0)
		error("cannot wake the device thread: %s", strerror(errno));
}

void chipset_eoi(struct chipset *c, uint8_t vector)
{
	pthread_mutex_lock(&c->lock);
	c->eois++;
	if (c->trace)
		fprintf(c->trace, "chipset: EOI of level-triggered vector "
			"0x%02x -> IOAPIC Remote IRR\n", vector);
	ioapic_eoi(&c->pc->ioapic, vector);
	pthread_mutex_unlock(&c->lock);
}

/* Moves what stdin has into COM1's FIFO, as much as fits. */
static bool feed_uart(struct chipset *c)
{
	uint8_t buf[16];
	size_t room = uart_rx_room(&c->pc->com1);
	ssize_t n;

	if (!room)
		return true;
	if (room > sizeof(buf))
		room = sizeof(buf);
	n = read(c->in_fd, buf, room);
	if (n <= 0)
		return n < 0 && (errno == EAGAIN || errno == EINTR);
	uart_receive(&c->pc->com1, buf, n);
	return true;
}

static void *io_thread(void *arg)
{
	struct chipset *c = arg;

	for (;;) {
		struct itimerspec its = { 0 };
		struct pollfd pfd[4];
		uint64_t next, t, now;
		nfds_t n = 3;

		pthread_mutex_lock(&c->lock);
		now = now_ns(NULL);
		next = pit_advance(&c->pc->pit, now);
		t = cmos_advance(&c->pc->cmos, now);
		if (t < next)
			next = t;
		pfd[3].fd = c->in_fd;
		pfd[3].events = POLLIN;
		if (c->in_fd >= 0 && uart_rx_room(&c->pc->com1))
			n = 4;
		pthread_mutex_unlock(&c->lock);

		if (next != IRQ_NO_DEADLINE) {
			its.it_value.tv_sec = next / 1000000000ULL;
			its.it_value.tv_nsec = next % 1000000000ULL;
			if (!its.it_value.tv_sec && !its.it_value.tv_nsec)
				its.it_value.tv_nsec = 1;
		}
		timerfd_settime(c->timer_fd, TFD_TIMER_ABSTIME, &its, NULL);
		pfd[0].fd = c->stop_fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = c->timer_fd;
		pfd[1].events = POLLIN;
		pfd[2].fd = c->wake_fd;
		pfd[2].events = POLLIN;
		if (poll(pfd, n, -1) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents)
			break;
		if (pfd[1].revents) {
			uint64_t ticks;

			if (read(c->timer_fd, &ticks, sizeof(ticks)) < 0)
				ticks = 0;
		}
		if (pfd[2].revents) {
			uint64_t v;

			if (read(c->wake_fd, &v, sizeof(v)) < 0)
				v = 0;
		}
		/*
		 * The guest may also be waiting for its input to leave the
		 * UART's FIFO: n stays 3 until there is room again, and the
		 * next exit that reads RBR wakes this loop.
		 */
		if (n == 4 && pfd[3].revents) {
			pthread_mutex_lock(&c->lock);
			if (!feed_uart(c))
				c->in_fd = -1;	/* end of input */
			pthread_mutex_unlock(&c->lock);
		}
	}
	return NULL;
}

int chipset_init(struct chipset *c, struct pc *pc, struct backend *be,
		 int in_fd)
{
	struct sigaction sa;

	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->lock, NULL);
	c->pc = pc;
	c->be = be;
	c->vcpu_thread = pthread_self();
	c->timer_fd = c->stop_fd = c->wake_fd = -1;
	c->in_fd = in_fd;

	pc_wire_irqs(pc, chipset_set_irq, c, now_ns, NULL);
	pc->pic.intr.changed = pic_intr_changed;
	pc->pic.intr.opaque = c;
	pc->ioapic.msi.send = ioapic_send;
	pc->ioapic.msi.opaque = c;

	kick_target = c;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_kick;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(CHIPSET_KICK_SIGNAL, &sa, NULL);

	if (in_fd >= 0 && isatty(in_fd) && tcgetattr(in_fd, &c->saved_tty) == 0) {
		struct termios raw = c->saved_tty;

		/* Keys go to the guest as typed; ISIG keeps Ctrl-C ours. */
		raw.c_lflag &= ~(ICANON | ECHO);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		if (tcsetattr(in_fd, TCSANOW, &raw) == 0)
			c->in_tty = true;
	}
	return 0;
}

int chipset_start(struct chipset *c)
{
	sigset_t all, old;
	int r;

	c->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	c->stop_fd = eventfd(0, EFD_CLOEXEC);
	c->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (c->timer_fd < 0 || c->stop_fd < 0 || c->wake_fd < 0) {
		error("cannot create the device timer: %s", strerror(errno));
		return -1;
	}
	/*
	 * The I/O thread takes no signals: SIGINT, SIGALRM and the kick
	 * must reach the vCPU thread, the only one that can be asleep in
	 * RUN (a halted guest).
	 */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r = pthread_create(&c->io_thread, NULL, io_thread, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r) {
		error("cannot start the device thread: %s", strerror(r));
		return -1;
	}
	c->io_running = true;
	return 0;
}

void chipset_stop(struct chipset *c)
{
	uint64_t one = 1;

	if (c->io_running) {
		if (write(c->stop_fd, &one, sizeof(one)) < 0)
			pthread_cancel(c->io_thread);
		pthread_join(c->io_thread, NULL);
		c->io_running = false;
	}
	if (c->timer_fd >= 0)
		close(c->timer_fd);
	if (c->stop_fd >= 0)
		close(c->stop_fd);
	if (c->wake_fd >= 0)
		close(c->wake_fd);
	c->timer_fd = c->stop_fd = c->wake_fd = -1;
	if (c->in_tty) {
		tcsetattr(c->in_fd >= 0 ? c->in_fd : STDIN_FILENO, TCSANOW,
			  &c->saved_tty);
		c->in_tty = false;
	}
	kick_target = NULL;
}
