/* SPDX-License-Identifier: GPL-2.0 */
/*
 * intr.h - the C side of idt256.S, and the interrupt hardware of the PC
 * as the interrupt guests program it: the local APIC (xAPIC page or
 * x2APIC MSRs), the 8259A pair, the 82093AA IOAPIC, the 8254 PIT.
 *
 * A guest defines TEST_NAME ("apic-timer") before including this; its
 * check lines read "TEST_NAME: what: ok", a failed check prints what it
 * got and FAILs the run at once.
 */
#ifndef GUEST_INTR_H
#define GUEST_INTR_H

#include <stdint.h>

#include "io.h"
#include "../../kmod/apic_regs.h"

#ifndef TEST_NAME
#error "define TEST_NAME before including intr.h"
#endif

/* What common: in idt256.S leaves on the stack, lowest address first. */
struct intr_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

typedef void (*intr_handler)(struct intr_frame *);

void idt256_init(void);
void idt256_set_handler(unsigned vec, intr_handler fn);
void apic_eoi(void);
extern volatile uint8_t apic_x2apic;

#define RFLAGS_IF	(1ULL << 9)

/* ---- checks ---- */

static __attribute__((unused)) void ok(const char *what)
{
	puts_(TEST_NAME ": ");
	puts_(what);
	puts_(": ok\n");
}

static __attribute__((unused, noreturn)) void fail(const char *what,
						    uint64_t got,
						    uint64_t want)
{
	puts_(TEST_NAME ": ");
	puts_(what);
	puts_(": FAILED, got ");
	put_hex(got);
	puts_(", expected ");
	put_hex(want);
	puts_("\n");
	guest_exit(GUEST_FAIL);
}

/* want_eq: got must equal want; want_true: cond must hold (got shown). */
static __attribute__((unused)) void want_eq(const char *what, uint64_t got,
					    uint64_t want)
{
	if (got != want)
		fail(what, got, want);
}

static __attribute__((unused)) void want_true(const char *what, int cond,
					      uint64_t got)
{
	if (!cond) {
		puts_(TEST_NAME ": ");
		puts_(what);
		puts_(": FAILED, got ");
		put_hex(got);
		puts_("\n");
		guest_exit(GUEST_FAIL);
	}
}

/* ---- the CPU ---- */

static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void pause_(void) { __asm__ volatile("pause" ::: "memory"); }

/*
 * STI; HLT with IF=0 before: an interrupt that is already pending, or
 * that arrives between, is not taken before HLT because STI delays
 * recognition by one instruction (SDM Vol. 2B, STI); it ends the halt
 * instead, so a wake-up cannot be lost.  Returns with IF=1.
 */
static inline void sti_hlt(void) { __asm__ volatile("sti; hlt" ::: "memory"); }

/* A one-instruction interrupt window: pending interrupts are taken after
 * the NOP (the STI shadow covers it), before CLI. */
static inline void sti_nop_cli(void)
{
	__asm__ volatile("sti; nop; cli" ::: "memory");
}

static inline uint64_t rflags(void)
{
	uint64_t f;

	__asm__ volatile("pushfq; pop %0" : "=r"(f));
	return f;
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr) : "memory");
	return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
			 "d"((uint32_t)(v >> 32)) : "memory");
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b,
			 uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			 : "a"(leaf), "c"(0));
}

static inline uint32_t cpuid_ecx(uint32_t leaf)
{
	uint32_t a, b, c, d;

	cpuid(leaf, &a, &b, &c, &d);
	return c;
}

#define CPUID_1_ECX_X2APIC	(1U << 21)
#define CPUID_1_ECX_TSC_DEADLINE (1U << 24)
#define MSR_IA32_APIC_BASE	0x1b

/* Spin (IF as it is) for @cycles TSC cycles. */
static inline void tsc_delay(uint64_t cycles)
{
	uint64_t t0 = rdtsc();

	while (rdtsc() - t0 < cycles)
		pause_();
}

/* ---- MMIO: plain 32-bit MOVs, which any MMIO decoder handles ---- */

static inline uint32_t mmio_read32(uint64_t gpa)
{
	return *(volatile uint32_t *)gpa;
}

static inline void mmio_write32(uint64_t gpa, uint32_t v)
{
	*(volatile uint32_t *)gpa = v;
}

/* ---- the local APIC (SDM Vol. 3A chapter 11) ---- */

/* x2APIC: register at offset o is MSR 0x800 + o / 16 (SDM 11.12.1.2). */
static inline uint32_t apic_read(uint32_t off)
{
	if (apic_x2apic)
		return (uint32_t)rdmsr(LAPIC_X2APIC_MSR_BASE + (off >> 4));
	return mmio_read32(APIC_GPA + off);
}

static inline void apic_write(uint32_t off, uint32_t v)
{
	if (apic_x2apic)
		wrmsr(LAPIC_X2APIC_MSR_BASE + (off >> 4), v);
	else
		mmio_write32(APIC_GPA + off, v);
}

/* Bit @vec of the 256-bit ISR, TMR or IRR: eight registers 16 bytes
 * apart, 32 vectors each (SDM 11.8.4). */
static inline int apic_bit(uint32_t base, unsigned vec)
{
	return (apic_read(base + (vec / 32) * 0x10) >> (vec % 32)) & 1;
}

#define apic_irr(v)	apic_bit(LAPIC_IRR, v)
#define apic_isr(v)	apic_bit(LAPIC_ISR, v)
#define apic_tmr(v)	apic_bit(LAPIC_TMR, v)

/* This CPU's APIC ID: xAPIC ID register bits 31:24; x2APIC: all 32. */
static inline uint32_t apic_id(void)
{
	uint32_t id = apic_read(LAPIC_ID);

	return apic_x2apic ? id : id >> 24;
}

/*
 * Send an IPI.  xAPIC: the write of the low half sends it, so the high
 * half (destination in bits 63:56) goes first (SDM 11.6.1); x2APIC: one
 * 64-bit WRMSR of MSR 0x830, destination in bits 63:32 (SDM 11.12.9).
 * The Level bit is 1 for everything but INIT level de-assert.
 */
static inline void apic_icr(uint32_t dest, uint32_t low)
{
	unsigned i;

	low |= LAPIC_ICR_ASSERT;
	if (apic_x2apic) {
		wrmsr(LAPIC_X2APIC_MSR_BASE + (LAPIC_ICR_LOW >> 4),
		      (uint64_t)dest << 32 | low);
		return;
	}
	mmio_write32(APIC_GPA + LAPIC_ICR_HIGH, dest << 24);
	mmio_write32(APIC_GPA + LAPIC_ICR_LOW, low);
	/* Delivery status 1 = send pending: wait until the APIC has sent
	 * it, so that a self-IPI is in our IRR when this returns. */
	for (i = 0; i < 100000; i++)
		if (!(mmio_read32(APIC_GPA + LAPIC_ICR_LOW) & LAPIC_ICR_BUSY))
			break;
}

/* A fixed, edge-triggered IPI to ourselves with the Self shorthand. */
static inline void apic_self_ipi(uint8_t vec)
{
	apic_icr(0, LAPIC_ICR_SH_SELF << LAPIC_ICR_SHORTHAND_SHIFT |
		    LAPIC_DM_FIXED << LAPIC_ICR_DM_SHIFT | vec);
}

static volatile unsigned spurious_count;

/* The spurious-interrupt vector gets no EOI (SDM 11.9). */
static __attribute__((unused)) void spurious_handler(struct intr_frame *f)
{
	(void)f;
	spurious_count++;
}

/*
 * Software-enable the APIC: SVR bit 8, spurious vector 0xff.  While it is
 * software-disabled every LVT entry stays masked (SDM 11.4.7.2), so this
 * comes before any LVT write.
 */
static inline void apic_sw_enable(void)
{
	idt256_set_handler(0xff, spurious_handler);
	apic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | 0xff);
}

/*
 * xAPIC -> x2APIC: IA32_APIC_BASE.EXTD with EN already set is the one
 * legal way in (SDM 11.12.5); the APIC keeps its state.
 */
static inline void x2apic_enable(void)
{
	wrmsr(MSR_IA32_APIC_BASE,
	      rdmsr(MSR_IA32_APIC_BASE) | LAPIC_BASE_EXTD | LAPIC_BASE_ENABLE);
	apic_x2apic = 1;
}

/* ---- the 8259A pair: master 0x20/0x21, slave 0xa0/0xa1 on IR2 ---- */

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1
#define PIC_EOI		0x20	/* OCW2: non-specific EOI */
#define PIC_READ_IRR	0x0a	/* OCW3: the next command-port read is IRR */
#define PIC_READ_ISR	0x0b	/* ... ISR */

/*
 * 8259A datasheet initialization: ICW1 (bit 4 = "this is ICW1", 0x01 =
 * ICW4 follows, edge-triggered, cascade), ICW2 the vector base (bits 7:3),
 * ICW3 the cascade wiring (master: a slave on IR2; slave: its ID 2), ICW4
 * 8086 mode, normal EOI.  Then OCW1, the interrupt mask register.
 */
static inline void pic_init(uint8_t base, uint8_t mask1, uint8_t mask2)
{
	outb(PIC1_CMD, 0x11);
	outb(PIC1_DATA, base);
	outb(PIC1_DATA, 0x04);
	outb(PIC1_DATA, 0x01);
	outb(PIC2_CMD, 0x11);
	outb(PIC2_DATA, base + 8);
	outb(PIC2_DATA, 0x02);
	outb(PIC2_DATA, 0x01);
	outb(PIC1_DATA, mask1);
	outb(PIC2_DATA, mask2);
}

/* ---- the 82093AA IOAPIC: IOREGSEL at +0, IOWIN at +0x10 ---- */

#define IOAPIC_GPA		0xfec00000ULL
#define IOAPIC_VER		0x01
#define IOAPIC_REDTBL(pin)	(0x10 + 2 * (pin))	/* low dword */
#define IOAPIC_MASKED		(1U << 16)
#define IOAPIC_LEVEL		(1U << 15)
#define IOAPIC_REMOTE_IRR	(1U << 14)
#define IOAPIC_ACTIVE_LOW	(1U << 13)
#define IOAPIC_DELIVS		(1U << 12)

static inline uint32_t ioapic_read(uint8_t reg)
{
	mmio_write32(IOAPIC_GPA, reg);
	return mmio_read32(IOAPIC_GPA + 0x10);
}

static inline void ioapic_write(uint8_t reg, uint32_t v)
{
	mmio_write32(IOAPIC_GPA, reg);
	mmio_write32(IOAPIC_GPA + 0x10, v);
}

/* Destination (bits 63:56) first, then the low dword, which unmasks. */
static inline void ioapic_route(unsigned pin, uint8_t dest, uint32_t low)
{
	ioapic_write(IOAPIC_REDTBL(pin) + 1, (uint32_t)dest << 24);
	ioapic_write(IOAPIC_REDTBL(pin), low);
}

/* ---- the rest of the PC ---- */

#define COM1_IER	0x3f9
#define COM1_IIR	0x3fa
#define COM1_FCR	0x3fa
#define COM1_MCR	0x3fc
#define MCR_DTR		0x01
#define MCR_RTS		0x02
#define MCR_OUT2	0x08	/* on a PC, gates the UART's INTR onto IRQ 4 */

#endif /* GUEST_INTR_H */
