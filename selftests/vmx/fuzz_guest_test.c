// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_guest_test.c - random guest code in real, protected and long mode,
 * from random registers and a randomly changed segment and control
 * register state, with random answers to every exit.
 *
 * Half of the cases are about interrupts (gen_irq_code()): the guest
 * gets a random IDT (or IVT) whose gates lead to small handlers (IRET,
 * EOI and IRET, STI and HLT, noise...), and its code programs the local
 * APIC through the xAPIC page at 0xfee00000 or, after setting
 * IA32_APIC_BASE bit 10, the x2APIC MSRs 0x800-0x8ff: LVT entries, the
 * divider and initial counts down to 1, the TSC-deadline MSR, the ICR
 * with any delivery mode, shorthand and vector, SVR, TPR (and CR8 in long
 * mode), EOI, IA32_APIC_BASE transitions; with STI, CLI, HLT, INT n,
 * exceptions and stacks that make the delivery of an event fault.  The
 * host side loads random APIC pages (VMXLAB_SET_LAPIC), sends interrupt
 * messages (VMXLAB_SIGNAL_MSI), queues ExtINTs (VMXLAB_INTERRUPT), asks
 * for interrupt windows and stops before injections (VMXLAB_SET_DEBUG),
 * before the first RUN and between RUNs.  The guest fuzzer runs guests
 * through the raw uapi: no loader, so no PIC, PIT or IOAPIC.
 *
 * Each case builds its guest from its own seed (VMXLAB_FUZZ_SEED and the
 * case number), so a case can be run again alone with
 * VMXLAB_FUZZ_FIRST_CASE=<n> VMXLAB_FUZZ_CASES=1 (real mode; =2 and =3
 * run it in protected and long mode too).  Cases are split evenly
 * between the three modes; VMXLAB_FUZZ_CASES (default 1000) is the total.
 *
 * Every case must end in a defined way: HLT, halted with IF = 1 and
 * nothing to wake it when the time is up (the vCPU sleeps in RUN until a
 * signal; debugfs tells it from a guest still running), triple fault, a
 * failed entry that vmxlab's VM-entry checker explains (or Bochs's one
 * known extra rule, see unexplained()), internal error, a timeout (an
 * alarm makes RUN return EINTR) or, when the guest keeps exiting to
 * userspace, after MAX_RUNS exits.  Anything else (an errno the
 * documentation does not give, RUN returning 0 with no exit reason, an
 * exit whose fields are out of range, an interrupt-window exit nobody
 * asked for or with IF = 0, VMXLAB_INTERRUPT refused although
 * ready_for_interrupt_injection said it would be taken, an APIC page
 * with another version, an interrupt message refused or taken by more
 * APICs than the VM has, a rejected SET_SREGS that changed the state) is
 * counted as unexpected and fails the test.
 *
 * The host must keep running beside the random guests: a sleeper on the
 * fuzzer's CPU (lib/progress.h) completes at least half of its 10 ms
 * sleeps during each mode's cases.
 */
#include <errno.h>
#include <glob.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>
#include <kselftest_harness.h>

#include "lib/fuzz.h"
#include "lib/progress.h"
#include "lib/vmxlab_test.h"

#define DEFAULT_SEED	0x5eed1e55ULL
#define DEFAULT_CASES	1000
#define MEM_SIZE	0x40000		/* 256 KiB: the rest is MMIO */
#define MAX_RUNS	32		/* exits to userspace per case */
#define CASE_LIMIT_US	10000		/* per case, in the machine's time */
#define CASES_PER_VM	50
#define GUEST_HANDLERS	0x2000		/* interrupt handlers, to 0x2fff */
#define APIC_ADDR	0xfee00000U	/* the xAPIC page (SDM 11.4.1) */
#define NR_EXITS	(VMXLAB_EXIT_EOI + 1)

enum outcome {
	O_HLT, O_HALTED, O_TRIPLE, O_FAIL_ENTRY, O_FAIL_BOCHS_CS,
	O_FAIL_UNEXPLAINED, O_INTERNAL_EXIT,
	O_INTERNAL_EMUL, O_INTERNAL_DELIVERY, O_TIMEOUT, O_EXIT_LIMIT,
	O_UNEXPECTED, NR_OUT
};

static const char *const outcome_names[NR_OUT] = {
	"hlt", "halted(IF=1, nothing to wake it)", "triple_fault",
	"fail_entry(explained)",
	"fail_entry(Bochs: CS.RPL != CS.DPL)", "fail_entry(UNEXPLAINED)",
	"internal(unhandled)",
	"internal(emulation)", "internal(delivery)", "timeout", "exit_limit",
	"UNEXPECTED",
};

static const char *const exit_names[NR_EXITS] = {
	"NONE", "IO", "MMIO", "HLT", "HYPERCALL", "TRIPLE_FAULT",
	"FAIL_ENTRY", "INTERNAL_ERROR", "MSR", "INTR", "STOP", "RING_FULL",
	"IRQ_WINDOW_OPEN", "EOI",
};

/* debugfs's per-vCPU interrupt counts (Documentation/interrupts.rst). */
struct irq_counts {
	unsigned long long injections, halts, wakeups, timer_fires, eois, ipis;
};

struct stats {
	unsigned long out[NR_OUT];
	unsigned long exits[NR_EXITS];
	unsigned long sregs_rejected, sregs_set, debug_rejected;
	unsigned long cases, irq_cases;
	/* The host's part of the interrupt cases. */
	unsigned long lapic_loads, msis, msi_accepted, extints, extint_refused;
	unsigned long stop_inject, counts_unknown;
	struct irq_counts irq;		/* summed over the cases */
};

/* ------------------------------------------------------------------ */
/* Guest code: random bytes with instructions that exit mixed in      */

struct snippet {
	uint8_t len;
	uint8_t b[7];
};

/*
 * Instructions that exit or change the state vmxlab virtualizes; the
 * immediates are filled in at random where noted (0 bytes below).
 */
static const struct snippet snippets[] = {
	{ 1, { 0xf4 } },			/* hlt */
	{ 2, { 0xe6, 0x00 } },			/* out imm8, al */
	{ 2, { 0xe4, 0x00 } },			/* in al, imm8 */
	{ 1, { 0xef } },			/* out dx, (e)ax */
	{ 1, { 0xed } },			/* in (e)ax, dx */
	{ 3, { 0x0f, 0x01, 0xc1 } },		/* vmcall */
	{ 2, { 0x0f, 0xa2 } },			/* cpuid */
	{ 2, { 0x0f, 0x32 } },			/* rdmsr */
	{ 2, { 0x0f, 0x30 } },			/* wrmsr */
	{ 3, { 0x0f, 0x22, 0xc0 } },		/* mov cr0, eax */
	{ 3, { 0x0f, 0x22, 0xd8 } },		/* mov cr3, eax */
	{ 3, { 0x0f, 0x22, 0xe0 } },		/* mov cr4, eax */
	{ 3, { 0x0f, 0x20, 0xc0 } },		/* mov eax, cr0 */
	{ 3, { 0x0f, 0x23, 0xf8 } },		/* mov dr7, eax */
	{ 3, { 0x0f, 0x21, 0xf0 } },		/* mov eax, dr6 */
	{ 1, { 0xcc } },			/* int3 */
	{ 2, { 0xcd, 0x00 } },			/* int imm8 */
	{ 1, { 0xf1 } },			/* icebp */
	{ 2, { 0x0f, 0x0b } },			/* ud2 */
	{ 3, { 0x0f, 0x01, 0xd1 } },		/* xsetbv */
	{ 2, { 0x0f, 0x08 } },			/* invd */
	{ 2, { 0x0f, 0x09 } },			/* wbinvd */
	{ 1, { 0xfb } },			/* sti */
	{ 1, { 0x9d } },			/* popf */
	{ 1, { 0xcf } },			/* iret */
	{ 3, { 0xa1, 0x00, 0x00 } },		/* mov (e)ax, moffs */
	{ 2, { 0x8b, 0x07 } },			/* mov eax, [bx]/[edi] */
	{ 2, { 0x89, 0x07 } },			/* mov [bx]/[edi], eax */
	{ 3, { 0x0f, 0xb6, 0x07 } },		/* movzx eax, byte [edi] */
	{ 3, { 0x48, 0x8b, 0x07 } },		/* mov rax, [rdi] */
	{ 2, { 0xf3, 0xa4 } },			/* rep movsb */
	{ 1, { 0x6c } },			/* insb */
	{ 2, { 0xf3, 0x6e } },			/* rep outsb */
	{ 2, { 0x0f, 0x05 } },			/* syscall */
	{ 2, { 0x0f, 0x34 } },			/* sysenter */
	{ 3, { 0x0f, 0x00, 0xd8 } },		/* ltr ax */
	{ 3, { 0x0f, 0x00, 0xd0 } },		/* lldt ax */
	{ 3, { 0x0f, 0x01, 0x17 } },		/* lgdt [bx]/[edi] */
	{ 3, { 0x0f, 0x01, 0x1f } },		/* lidt [bx]/[edi] */
	{ 2, { 0x8e, 0xd0 } },			/* mov ss, ax */
	{ 2, { 0x8e, 0xd8 } },			/* mov ds, ax */
	{ 5, { 0xea, 0x00, 0x00, 0x00, 0x00 } },	/* jmp far */
	{ 2, { 0x0f, 0x31 } },			/* rdtsc */
	{ 3, { 0x0f, 0x01, 0xf9 } },		/* rdtscp */
	{ 2, { 0x0f, 0x33 } },			/* rdpmc */
	{ 3, { 0x0f, 0x01, 0xc8 } },		/* monitor */
	{ 3, { 0x0f, 0x01, 0xc9 } },		/* mwait */
	{ 3, { 0x0f, 0x78, 0xc0 } },		/* vmread */
	{ 3, { 0x0f, 0xc7, 0x37 } },		/* vmptrld */
	{ 3, { 0x0f, 0x01, 0xd4 } },		/* vmfunc */
	{ 3, { 0x0f, 0x01, 0xf8 } },		/* swapgs */
	{ 2, { 0x0f, 0x06 } },			/* clts */
	{ 3, { 0x0f, 0x01, 0xd0 } },		/* xgetbv */
	{ 5, { 0xb8, 0x00, 0x00, 0x00, 0x00 } },	/* mov eax, imm */
	{ 5, { 0xbf, 0x00, 0x00, 0x00, 0x00 } },	/* mov edi, imm */
	{ 3, { 0xba, 0x00, 0x00 } },		/* mov dx, imm16 */
	{ 1, { 0x66 } },			/* prefixes */
	{ 1, { 0x67 } },
	{ 1, { 0xf0 } },
	{ 1, { 0x48 } },
};

/* MSRs vmxlab knows, some it does not, and some it refuses. */
static const uint32_t msrs[] = {
	0x10, 0x1b, 0x3a, 0x3b, 0x48, 0x8b, 0xfe, 0x174, 0x175, 0x176,
	0x1a0, 0x1d9, 0x277, 0x2ff, 0x480, 0x48b, 0x6e0, 0x802, 0xc0000080,
	0xc0000081, 0xc0000082, 0xc0000084, 0xc0000100, 0xc0000101,
	0xc0000102, 0xc0000103, 0x40000000, 0xdeadbeef,
};

static void gen_code(struct rng *r, uint8_t *p, size_t len)
{
	size_t i = 0, j;

	while (i < len) {
		if (chance(r, 3)) {
			const struct snippet *s =
				&snippets[below(r, sizeof(snippets) / sizeof(snippets[0]))];

			if (i + s->len > len)
				break;
			memcpy(p + i, s->b, s->len);
			/* Random immediates: ports, vectors, addresses. */
			for (j = 1; j < s->len; j++)
				if (!s->b[j])
					p[i + j] = rnd(r);
			/* mov edi, imm: often MMIO, often memory. */
			if (s->b[0] == 0xbf && chance(r, 2)) {
				uint32_t a = chance(r, 2) ? 0xd0000000 + below(r, 64) * 8
							  : below(r, MEM_SIZE);
				memcpy(p + i + 1, &a, 4);
			}
			/* mov eax, imm: sometimes an MSR index before rdmsr. */
			if (s->b[0] == 0xb8 && chance(r, 2)) {
				uint32_t m = msrs[below(r, sizeof(msrs) / sizeof(msrs[0]))];

				p[i] = 0xb9;	/* mov ecx, imm */
				memcpy(p + i + 1, &m, 4);
			}
			i += s->len;
		} else {
			p[i++] = rnd(r);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Interrupt guests: an IDT, handlers, and code that uses the APIC    */

/* xAPIC registers (SDM Vol. 3A Table 11-1); x2APIC MSR 0x800 + off / 16. */
#define APIC_ID		0x020
#define APIC_VERSION	0x030
#define APIC_TPR	0x080
#define APIC_PPR	0x0a0
#define APIC_EOI	0x0b0
#define APIC_LDR	0x0d0
#define APIC_DFR	0x0e0
#define APIC_SVR	0x0f0
#define APIC_ISR	0x100
#define APIC_TMR	0x180
#define APIC_IRR	0x200
#define APIC_ESR	0x280
#define APIC_ICR	0x300
#define APIC_ICR_HI	0x310
#define APIC_LVT_TIMER	0x320
#define APIC_LVT_THERM	0x330
#define APIC_LVT_PERF	0x340
#define APIC_LVT_LINT0	0x350
#define APIC_LVT_LINT1	0x360
#define APIC_LVT_ERROR	0x370
#define APIC_TMICT	0x380
#define APIC_TMCCT	0x390
#define APIC_TDCR	0x3e0
#define APIC_SELF_IPI	0x3f0		/* x2APIC only */
#define APIC_VERSION_VALUE 0x00050014	/* vmxlab's (uapi.rst 4.11) */
#define X2APIC_MSR(off)	(0x800 + ((off) >> 4))
#define MSR_APIC_BASE	0x1b
#define MSR_TSC_DEADLINE 0x6e0
#define APIC_BASE_BSP	(1U << 8)
#define APIC_BASE_EXTD	(1U << 10)	/* x2APIC mode */
#define APIC_BASE_EN	(1U << 11)

/* Guest code being written for one mode: 16, 32 or 64-bit. */
struct code {
	uint8_t *p;
	size_t n, max;
	int bits;
	int x2apic;	/* the guest mostly talks to its APIC by MSR */
};

/* The longest thing the generator writes at once, with room to spare. */
#define SNIPPET_MAX	96

static void b1(struct code *c, uint8_t x)
{
	c->p[c->n++] = x;
}

static void b4(struct code *c, uint32_t v)
{
	memcpy(c->p + c->n, &v, 4);
	c->n += 4;
}

/* Operand and address size prefixes: 32 bits in real mode too. */
static void o32(struct code *c)
{
	if (c->bits == 16)
		b1(c, 0x66);
}

static void a32(struct code *c)
{
	if (c->bits == 16)
		b1(c, 0x67);
}

enum { EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI };

static void mov_imm(struct code *c, int reg, uint32_t v)
{
	o32(c);
	b1(c, 0xb8 + reg);
	b4(c, v);
}

/*
 * The xAPIC page through EDI: "mov edi, imm32" zero-extends in long mode,
 * where an absolute disp32 would sign-extend to 0xfffffffffee00000.
 */
static void apic_mmio_write(struct code *c, uint32_t off, uint32_t v)
{
	mov_imm(c, EDI, APIC_ADDR + off);
	a32(c);
	o32(c);
	b1(c, 0xc7);		/* mov dword [edi], imm32 */
	b1(c, 0x07);
	b4(c, v);
}

static void apic_mmio_read(struct code *c, uint32_t off)
{
	mov_imm(c, EDI, APIC_ADDR + off);
	a32(c);
	o32(c);
	b1(c, 0x8b);		/* mov eax, [edi] */
	b1(c, 0x07);
}

static void wrmsr_imm(struct code *c, uint32_t msr, uint64_t v)
{
	mov_imm(c, ECX, msr);
	mov_imm(c, EAX, v);
	mov_imm(c, EDX, v >> 32);
	b1(c, 0x0f);
	b1(c, 0x30);
}

static void rdmsr_imm(struct code *c, uint32_t msr)
{
	mov_imm(c, ECX, msr);
	b1(c, 0x0f);
	b1(c, 0x32);
}

/*
 * A register write by the way this case's guest mostly uses (xAPIC page
 * or x2APIC MSR), now and then the other way: an MMIO exit in x2APIC
 * mode, #GP for the MSR in xAPIC mode (SDM 11.12.1.2).  @hi is the ICR's
 * destination as x2APIC has it.
 */
static void apic_write(struct rng *r, struct code *c, uint32_t off,
		       uint32_t v, uint32_t hi)
{
	int msr = c->x2apic ? !chance(r, 8) : chance(r, 8);

	if (!msr) {
		if (off == APIC_ICR)
			apic_mmio_write(c, APIC_ICR_HI, hi << 24);
		apic_mmio_write(c, off, v);
	} else {
		wrmsr_imm(c, X2APIC_MSR(off),
			  off == APIC_ICR ? (uint64_t)hi << 32 | v : v);
	}
}

static void apic_read(struct rng *r, struct code *c, uint32_t off)
{
	if (c->x2apic ? !chance(r, 8) : chance(r, 8))
		rdmsr_imm(c, X2APIC_MSR(off));
	else
		apic_mmio_read(c, off);
}

/* A vector: mostly one that can be delivered, sometimes 0-15 (illegal). */
static uint32_t rnd_vector(struct rng *r)
{
	return chance(r, 10) ? below(r, 32) : 32 + below(r, 224);
}

/* Timer counts: tiny ones fire before the next instruction or two. */
static uint32_t rnd_count(struct rng *r)
{
	switch (below(r, 5)) {
	case 0:
	case 1:
		return 1 + below(r, 64);
	case 2:
		return 1000 + below(r, 100000);
	case 3:
		return chance(r, 2) ? 0 : 0xffffffff;
	default:
		return rnd(r);
	}
}

/*
 * VMXLAB_FUZZ_NO_TSC_DEADLINE=1: no timer in TSC-deadline mode, whose
 * IA32_TSC_DEADLINE far ahead crashes the module (selftests/fuzz/README,
 * bug 4); the guest's writes of the MSR are then ignored.
 */
static int no_tsc_deadline;

/* A timer mode for the LVT timer entry (bits 18:17, SDM Figure 11-8). */
static uint32_t rnd_timer_mode(struct rng *r)
{
	uint32_t mode = below(r, 4);

	return no_tsc_deadline && mode == 2 ? 0 : mode;
}

static uint32_t rnd_lvt(struct rng *r, uint32_t off)
{
	uint32_t v = rnd_vector(r) | (chance(r, 4) ? 1U << 16 : 0);

	if (off == APIC_LVT_TIMER)
		return v | rnd_timer_mode(r) << 17;
	/* Delivery mode, polarity, trigger: LINT0 in ExtINT mode too. */
	return v | below(r, 8) << 8 | below(r, 2) << 13 | below(r, 2) << 15;
}

/* ICR: vector, delivery mode, logical, level, trigger, shorthand. */
static uint32_t rnd_icr(struct rng *r)
{
	return rnd_vector(r) | below(r, 8) << 8 | below(r, 2) << 11 |
	       below(r, 2) << 14 | below(r, 2) << 15 | below(r, 4) << 18 |
	       (chance(r, 16) ? 1U << below(r, 32) : 0);
}

static const uint32_t apic_wregs[] = {
	APIC_ID, APIC_TPR, APIC_EOI, APIC_LDR, APIC_DFR, APIC_SVR, APIC_ESR,
	APIC_ICR, APIC_LVT_TIMER, APIC_LVT_THERM, APIC_LVT_PERF,
	APIC_LVT_LINT0, APIC_LVT_LINT1, APIC_LVT_ERROR, APIC_TMICT,
	APIC_TDCR, APIC_SELF_IPI, APIC_VERSION, APIC_PPR, APIC_ISR,
};

static const uint32_t apic_rregs[] = {
	APIC_ID, APIC_VERSION, APIC_TPR, APIC_PPR, APIC_LDR, APIC_DFR,
	APIC_SVR, APIC_ISR + 0x70, APIC_TMR + 0x10, APIC_IRR + 0x10, APIC_ESR,
	APIC_ICR, APIC_LVT_TIMER, APIC_LVT_LINT0, APIC_TMICT, APIC_TMCCT,
	APIC_TDCR, APIC_EOI, APIC_SELF_IPI,
};

static uint32_t apic_value(struct rng *r, uint32_t off)
{
	switch (off) {
	case APIC_TPR:
		/* Mostly low: a high TPR holds every vector back. */
		return chance(r, 4) ? below(r, 256) : below(r, 48);
	case APIC_EOI:
	case APIC_ESR:
		return chance(r, 8) ? rnd(r) : 0;
	case APIC_LDR:
		return below(r, 256) << 24;
	case APIC_DFR:
		return chance(r, 2) ? 0xffffffff : 0x0fffffff;
	case APIC_SVR:
		return (chance(r, 5) ? 0 : 0x100) | rnd_vector(r);
	case APIC_ICR:
		return rnd_icr(r);
	case APIC_TMICT:
		return rnd_count(r);
	case APIC_TDCR:
		return below(r, 16);
	case APIC_SELF_IPI:
		return chance(r, 8) ? rnd(r) : rnd_vector(r);
	case APIC_LVT_TIMER:
	case APIC_LVT_THERM:
	case APIC_LVT_PERF:
	case APIC_LVT_LINT0:
	case APIC_LVT_LINT1:
	case APIC_LVT_ERROR:
		return rnd_lvt(r, off);
	default:
		return rnd(r);
	}
}

/* The software-enabled APIC with a timer: the usual start of a guest. */
static void gen_timer(struct rng *r, struct code *c)
{
	uint32_t mode = rnd_timer_mode(r);

	apic_write(r, c, APIC_SVR, 0x100 | 0xff, 0);
	apic_write(r, c, APIC_TDCR, below(r, 16), 0);
	apic_write(r, c, APIC_LVT_TIMER, rnd_vector(r) | mode << 17 |
		   (chance(r, 8) ? 1U << 16 : 0), 0);
	if (mode != 2) {
		apic_write(r, c, APIC_TMICT, rnd_count(r), 0);
		return;
	}
	/* TSC-deadline (SDM 11.5.4.1): now plus a little, 0, or never. */
	if (chance(r, 4)) {
		wrmsr_imm(c, MSR_TSC_DEADLINE, chance(r, 2) ? 0 : ~0ULL);
		return;
	}
	b1(c, 0x0f);		/* rdtsc */
	b1(c, 0x31);
	o32(c);
	b1(c, 0x05);		/* add eax, imm32 */
	b4(c, chance(r, 2) ? below(r, 1000) : below(r, 10000000));
	o32(c);
	b1(c, 0x83);		/* adc edx, 0 */
	b1(c, 0xd2);
	b1(c, 0x00);
	mov_imm(c, ECX, MSR_TSC_DEADLINE);
	b1(c, 0x0f);		/* wrmsr */
	b1(c, 0x30);
}

/* IA32_APIC_BASE: the transitions of SDM Figure 11-27, legal or not. */
static void gen_apic_base(struct rng *r, struct code *c, int bsp)
{
	static const uint32_t states[] = {
		APIC_BASE_EN, APIC_BASE_EN | APIC_BASE_EXTD, 0, APIC_BASE_EXTD,
	};
	uint32_t base = chance(r, 8) ? 0xfec00000 + below(r, 0x400) * 0x1000
				     : APIC_ADDR;
	uint64_t v = base | states[below(r, 4)] | (bsp ? APIC_BASE_BSP : 0);

	if (chance(r, 16))
		v ^= 1ULL << below(r, 64);
	wrmsr_imm(c, MSR_APIC_BASE, v);
}

/* mov ecx, n; 1: pause; dec ecx; jnz 1b -- time for a timer to fire. */
static void gen_spin(struct rng *r, struct code *c)
{
	mov_imm(c, ECX, 1 + below(r, 2000));
	b1(c, 0xf3);
	b1(c, 0x90);
	o32(c);
	b1(c, 0xff);
	b1(c, 0xc9);
	b1(c, 0x75);
	b1(c, c->bits == 16 ? -7 : -6);
}

static void gen_irq_snippet(struct rng *r, struct code *c, int bsp)
{
	uint32_t off, v;

	switch (below(r, 24)) {
	case 0:
	case 1:
		gen_timer(r, c);
		break;
	case 2:
	case 3:
	case 4:
		off = apic_wregs[below(r, sizeof(apic_wregs) / 4)];
		apic_write(r, c, off, apic_value(r, off), chance(r, 2) ? 0 : rnd(r));
		break;
	case 5:
		/* An IPI: to itself, all, others, or a destination. */
		apic_write(r, c, APIC_ICR, rnd_icr(r),
			   chance(r, 2) ? 0 : chance(r, 2) ? 0xff : below(r, 256));
		break;
	case 6:
		apic_read(r, c, apic_rregs[below(r, sizeof(apic_rregs) / 4)]);
		break;
	case 7:
		apic_write(r, c, APIC_EOI, 0, 0);
		break;
	case 8:
		gen_apic_base(r, c, bsp);
		break;
	case 9:
		/* TPR: in long mode as CR8 (SDM 10.8.6.1), else the register. */
		v = below(r, 16);
		if (c->bits == 64) {
			mov_imm(c, EAX, chance(r, 8) ? rnd(r) : v);
			b1(c, 0x44);		/* mov cr8, rax */
			b1(c, 0x0f);
			b1(c, 0x22);
			b1(c, 0xc0);
			if (chance(r, 2)) {
				b1(c, 0x44);	/* mov rax, cr8 */
				b1(c, 0x0f);
				b1(c, 0x20);
				b1(c, 0xc0);
			}
		} else {
			apic_write(r, c, APIC_TPR, v << 4, 0);
		}
		break;
	case 10:
	case 11:
		b1(c, 0xfb);			/* sti; hlt */
		b1(c, 0xf4);
		break;
	case 12:
		b1(c, 0xfb);			/* sti; nop; cli: one window */
		b1(c, 0x90);
		b1(c, 0xfa);
		break;
	case 13:
		b1(c, chance(r, 2) ? 0xfb : 0xfa);	/* sti or cli */
		break;
	case 14:
		gen_spin(r, c);
		break;
	case 15:
		b1(c, 0xcd);			/* int n */
		b1(c, chance(r, 2) ? rnd_vector(r) : below(r, 32));
		break;
	case 16:
		/* An exception, with interrupts perhaps pending. */
		switch (below(r, 4)) {
		case 0:
			b1(c, 0x0f);		/* ud2 */
			b1(c, 0x0b);
			break;
		case 1:
			b1(c, 0xcc);		/* int3 */
			break;
		case 2:
			o32(c);			/* xor ecx, ecx; div ecx */
			b1(c, 0x31);
			b1(c, 0xc9);
			o32(c);
			b1(c, 0xf7);
			b1(c, 0xf1);
			break;
		default:
			b1(c, 0xf1);		/* icebp: #DB */
		}
		break;
	case 17:
		/*
		 * A stack the delivery of the next event cannot use: MMIO,
		 * the APIC page, past memory, or the top of the address
		 * space.
		 */
		switch (below(r, 4)) {
		case 0:
			v = 0xd0000000 + below(r, 64) * 8;
			break;
		case 1:
			v = APIC_ADDR + 0x400 + below(r, 0xc00);
			break;
		case 2:
			v = MEM_SIZE + below(r, 0x1000);
			break;
		default:
			v = below(r, 16);
		}
		mov_imm(c, ESP, v);
		break;
	case 18:
		b1(c, 0x9c);			/* pushf; popf */
		b1(c, 0x9d);
		break;
	case 19:
		b1(c, 0xf4);			/* hlt, IF as it is */
		break;
	case 20:
		/* Self-IPI, x2APIC's own register (SDM 11.12.11). */
		wrmsr_imm(c, X2APIC_MSR(APIC_SELF_IPI), rnd_vector(r));
		break;
	case 21:
		rdmsr_imm(c, chance(r, 2) ? MSR_TSC_DEADLINE : MSR_APIC_BASE);
		break;
	default: {
		/* One of the plain fuzzer's instructions. */
		const struct snippet *sn =
			&snippets[below(r, sizeof(snippets) / sizeof(snippets[0]))];
		unsigned int j;

		for (j = 0; j < sn->len; j++)
			b1(c, sn->b[j] ? sn->b[j] : rnd(r));
	}
	}
}

/*
 * Interrupt guest code: often the APIC is set up first (x2APIC turned
 * on, a timer armed), then snippets with some noise between, and often
 * an end that waits for an interrupt.
 */
static void gen_irq_code(struct rng *r, uint8_t *p, size_t len, int mode,
			 int x2apic, int bsp)
{
	struct code c = { .p = p, .max = len, .bits = mode == 0 ? 16 :
			  mode == 1 ? 32 : 64, .x2apic = x2apic };

	if (len < 2 * SNIPPET_MAX)
		return;
	if (x2apic == 2) {
		/* The guest turns x2APIC on itself (xAPIC -> x2APIC). */
		wrmsr_imm(&c, MSR_APIC_BASE, APIC_ADDR | APIC_BASE_EN |
			  APIC_BASE_EXTD | (bsp ? APIC_BASE_BSP : 0));
	}
	if (!chance(r, 3))
		gen_timer(r, &c);
	while (c.n + SNIPPET_MAX < c.max - SNIPPET_MAX) {
		/* Some noise, not so much that the snippets never run. */
		if (chance(r, 12))
			b1(&c, rnd(r));
		else
			gen_irq_snippet(r, &c, bsp);
	}
	switch (below(r, 4)) {
	case 0:
	case 1:
		b1(&c, 0xfb);	/* sti; hlt: wait for what was armed */
		b1(&c, 0xf4);
		break;
	case 2:
		gen_spin(r, &c);
		break;
	default:
		break;
	}
	memset(p + c.n, 0xf4, c.max - c.n);
}

/* Handler kinds: what an interrupt or exception leads to. */
enum {
	H_IRET, H_EOI, H_X2EOI, H_OUT_EOI, H_STI_HLT, H_CLI_HLT, H_ERRCODE,
	H_LOOP, H_NOISE, NR_HANDLERS
};
#define HANDLER_SIZE	64

static void iret(struct code *c)
{
	if (c->bits == 64)
		b1(c, 0x48);	/* iretq */
	b1(c, 0xcf);
}

/* The handlers, at GUEST_HANDLERS + kind * HANDLER_SIZE. */
static void write_handlers(struct rng *r, uint8_t *mem, int bits)
{
	int k;

	for (k = 0; k < NR_HANDLERS; k++) {
		struct code c = { .p = mem + GUEST_HANDLERS + k * HANDLER_SIZE,
				  .max = HANDLER_SIZE, .bits = bits };
		unsigned int i;

		memset(c.p, 0xf4, HANDLER_SIZE);
		switch (k) {
		case H_IRET:
			iret(&c);
			break;
		case H_EOI:
			apic_mmio_write(&c, APIC_EOI, 0);
			iret(&c);
			break;
		case H_X2EOI:
			wrmsr_imm(&c, X2APIC_MSR(APIC_EOI), 0);
			iret(&c);
			break;
		case H_OUT_EOI:
			b1(&c, 0xe6);		/* out 0x80, al: a trace */
			b1(&c, 0x80);
			apic_mmio_write(&c, APIC_EOI, 0);
			iret(&c);
			break;
		case H_STI_HLT:
			b1(&c, 0xfb);		/* nested interrupts */
			b1(&c, 0xf4);
			iret(&c);
			break;
		case H_CLI_HLT:
			b1(&c, 0xfa);
			b1(&c, 0xf4);
			break;
		case H_ERRCODE:
			/* add (e/r)sp, 4 or 8: drop the error code. */
			if (bits == 64)
				b1(&c, 0x48);
			b1(&c, 0x83);
			b1(&c, 0xc4);
			b1(&c, bits == 64 ? 8 : 4);
			iret(&c);
			break;
		case H_LOOP:
			b1(&c, 0xeb);		/* jmp $ */
			b1(&c, 0xfe);
			break;
		default:
			for (i = 0; i < 32; i++)
				b1(&c, rnd(r));
		}
	}
}

/* Exceptions that push an error code (SDM Vol. 3A Table 6-1). */
static int has_error_code(unsigned int v)
{
	return v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 ||
	       v == 29 || v == 30;
}

/*
 * A random IDT: mostly gates to the handlers (the right one for an
 * exception with an error code, most of the time), some interrupt and
 * some trap gates, some not present, some noise.  Real mode: the IVT at
 * 0.  Returns the limit to load.
 */
static uint16_t write_idt(struct rng *r, uint8_t *mem, int mode)
{
	static const int pick[] = {
		H_IRET, H_EOI, H_EOI, H_X2EOI, H_OUT_EOI, H_STI_HLT,
		H_CLI_HLT, H_LOOP, H_NOISE, H_IRET, H_EOI,
	};
	unsigned int i, v, gate = mode == 0 ? 4 : mode == 1 ? 8 : 16;
	uint8_t *idt = mem + (mode == 0 ? 0 : GUEST_IDT);
	int errcode_right = !chance(r, 4);

	for (v = 0; v < 256; v++) {
		int k = pick[below(r, sizeof(pick) / sizeof(pick[0]))];
		uint32_t h, lo, hi;
		uint8_t *g = idt + v * gate;

		if (mode && has_error_code(v) && errcode_right)
			k = H_ERRCODE;
		h = GUEST_HANDLERS + k * HANDLER_SIZE;
		if (mode == 0) {
			lo = h;		/* offset, segment 0 */
			memcpy(g, &lo, 4);
			continue;
		}
		if (chance(r, 32)) {
			for (i = 0; i < gate; i++)
				g[i] = rnd(r);
			continue;
		}
		lo = (h & 0xffff) | (mode == 1 ? SEL_CODE32 : SEL_CODE64) << 16;
		/* P, DPL 0, interrupt (14) or trap (15) gate. */
		hi = (h & 0xffff0000) | (chance(r, 48) ? 0 : 1U << 15) |
		     (chance(r, 4) ? 0xf : 0xe) << 8;
		memcpy(g, &lo, 4);
		memcpy(g + 4, &hi, 4);
		if (gate == 16)
			memset(g + 8, 0, 8);
	}
	if (chance(r, 16))
		return below(r, 256 * gate);
	return 256 * gate - 1;
}

/* ------------------------------------------------------------------ */
/* Bounding each case                                                 */

static struct vmxlab_run *volatile current_run;
static volatile sig_atomic_t timed_out;

/*
 * A signal that arrives while the thread is in userspace between two
 * RUNs is not pending at the next one; immediate_exit makes that RUN
 * return EINTR all the same (the pattern section 4.1 describes).
 */
static void on_alarm(int sig)
{
	struct vmxlab_run *run = current_run;

	timed_out = 1;
	if (run)
		run->immediate_exit = 1;
}

static void arm(long us)
{
	struct itimerval it = { { 0, 0 }, { us / 1000000, us % 1000000 } };

	setitimer(ITIMER_REAL, &it, NULL);
}

/* ------------------------------------------------------------------ */
/* One case                                                           */

struct fuzzer {
	struct tvm t;
	int vm_cases;
	int vcpu_id;
	struct stats st;
	uint64_t seed;
	int verbose;
	char dbgfs[96];		/* the VM's debugfs directory, "" unknown */
	uint64_t stop_vectors[4];	/* of VMXLAB_DEBUG_STOP_INJECT, or 0 */
	int window;		/* request_interrupt_window as last set */
};

static unsigned long unexpected;

static void bad(unsigned long n, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void bad(unsigned long n, const char *fmt, ...)
{
	va_list ap;

	if (unexpected++ >= 20)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "# UNEXPECTED (case %lu): ", n);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
}

static int new_vcpu(struct fuzzer *f)
{
	struct tvm *t = &f->t;

	if (t->run)
		munmap(t->run, 4096);
	if (t->vcpu >= 0)
		close(t->vcpu);
	t->run = NULL;
	/* Different ids over time: each has its own reset state (APIC base). */
	f->vcpu_id = (f->vcpu_id + 1) % VMXLAB_MAX_VCPUS;
	t->vcpu = ioctl(t->vm, VMXLAB_CREATE_VCPU, f->vcpu_id);
	if (t->vcpu < 0)
		return -errno;
	t->run = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
		      t->vcpu, 0);
	if (t->run == MAP_FAILED) {
		t->run = NULL;
		return -errno;
	}
	return 0;
}

/*
 * A fresh VM every CASES_PER_VM cases; the new one is made before the old
 * one goes, so VMX stays on and the cases do not pay for VMXON/VMXOFF.
 */
static int prepare_vm(struct fuzzer *f)
{
	struct tvm old = f->t;
	int r;

	if (f->vm_cases++ % CASES_PER_VM == 0 || f->t.vm < 0) {
		f->dbgfs[0] = 0;
		r = tvm_create(&f->t, MEM_SIZE);
		if (old.vm >= 0)
			tvm_destroy(&old);
		if (r)
			return r;
		f->vcpu_id = 0;
		return 0;
	}
	return new_vcpu(f);
}

static void mutate_seg(struct rng *r, struct vmxlab_segment *s)
{
	switch (below(r, 4)) {
	case 0:
		s->base = chance(r, 2) ? below(r, 16) << 16 : (uint32_t)rnd(r);
		break;
	case 1:
		s->limit = chance(r, 2) ? 0xffff : (uint32_t)rnd(r);
		break;
	case 2:
		s->selector = chance(r, 2) ? below(r, 6) * 8 + below(r, 4) : rnd(r);
		break;
	default:
		/* Only the bits the API takes: 7:0 and 16:12. */
		s->ar = rnd(r) & 0x1f0ff;
	}
}

/* Changes of the kind a program might make, legal or not. */
static void mutate_sregs(struct rng *r, struct vmxlab_sregs *s)
{
	static const uint64_t cr0_bits[] = {
		1ULL << 1, 1ULL << 2, 1ULL << 3, 1ULL << 5, 1ULL << 16,
		1ULL << 18, 1ULL << 29 | 1ULL << 30, 1ULL << 30, 1ULL << 0,
		1ULL << 31,
	};
	static const uint64_t cr4_bits[] = {
		1 << 0, 1 << 1, 1 << 2, 1 << 3, 1 << 4, 1 << 5, 1 << 6, 1 << 7,
		1 << 8, 1 << 9, 1 << 10, 1 << 11, 1 << 16, 1 << 17, 1 << 18,
		1 << 20, 1 << 21, 1 << 12,
	};
	struct vmxlab_segment *segs = &s->cs;
	int n = 1 + below(r, 3);

	while (n--) {
		switch (below(r, 10)) {
		case 0:
		case 1:
		case 2:
			mutate_seg(r, &segs[below(r, 8)]);
			break;
		case 3:
			s->cr0 ^= cr0_bits[below(r, sizeof(cr0_bits) / 8)];
			break;
		case 4:
			s->cr4 ^= cr4_bits[below(r, sizeof(cr4_bits) / 8)];
			break;
		case 5:
			s->efer ^= chance(r, 2) ? 1 : 1 << 11;
			break;
		case 6:
			s->idt.base = chance(r, 2) ? below(r, MEM_SIZE) : (uint32_t)rnd(r);
			s->idt.limit = rnd(r);
			break;
		case 7:
			s->gdt.limit = rnd(r);
			break;
		case 8:
			s->cr8 = below(r, 17);
			s->cr2 = rnd(r);
			break;
		default:
			s->cr3 = chance(r, 2) ? below(r, MEM_SIZE >> 12) << 12 : rnd(r) & 0xfffff000;
		}
	}
}

static void random_regs(struct rng *r, struct vmxlab_regs *g, uint64_t rip)
{
	__u64 *q = &g->rax;
	int i;

	for (i = 0; i < 16; i++) {
		switch (below(r, 4)) {
		case 0:
			q[i] = rnd(r);
			break;
		case 1:
			q[i] = below(r, MEM_SIZE);
			break;
		case 2:
			q[i] = 0xd0000000 + below(r, 0x1000);
			break;
		default:
			q[i] = below(r, 256);
		}
	}
	g->rsp = chance(r, 4) ? rnd(r) : GUEST_STACK;
	g->rip = chance(r, 16) ? below(r, MEM_SIZE) : rip;
	/* Any RFLAGS SET_REGS takes: bits 0-21 but 1, 3, 5, 15; TF, VM... */
	g->rflags = chance(r, 2) ? 2 : ((rnd(r) & 0x3f7fd5) | 2);
}

/* Policy and debug settings, now and then. */
static void random_policy(struct fuzzer *f, struct rng *r, uint32_t *umsrs,
			  int *numsrs)
{
	struct tvm *t = &f->t;
	struct vmxlab_user_msrs m = { 0 };
	struct {
		struct vmxlab_cpuid c;
		struct vmxlab_cpuid_entry e[4];
	} c;
	struct vmxlab_debug d = { 0 };
	int i;

	if (chance(r, 4)) {
		m.nmsrs = 1 + below(r, 4);
		for (i = 0; i < (int)m.nmsrs; i++)
			m.indices[i] = msrs[below(r, sizeof(msrs) / sizeof(msrs[0]))];
	}
	*numsrs = m.nmsrs;
	memcpy(umsrs, m.indices, sizeof(m.indices));
	ioctl(t->vm, VMXLAB_SET_USER_MSRS, &m);

	memset(&c, 0, sizeof(c));
	if (chance(r, 8)) {
		c.c.nent = 1 + below(r, 4);
		for (i = 0; i < (int)c.c.nent; i++) {
			c.e[i].function = chance(r, 2) ? below(r, 0x10) : 0x80000000 + below(r, 9);
			c.e[i].flags = below(r, 2);
			c.e[i].eax = rnd(r);
			c.e[i].ebx = rnd(r);
			c.e[i].ecx = rnd(r);
			c.e[i].edx = rnd(r);
		}
	}
	ioctl(t->vm, VMXLAB_SET_CPUID, &c);

	if (chance(r, 4)) {
		/* Every vector but NMI and #MC, which the API refuses. */
		d.exception_bitmap = rnd(r) & ~((1U << 2) | (1U << 18));
		if (chance(r, 8))
			d.flags |= VMXLAB_DEBUG_SINGLESTEP;
		if (chance(r, 8)) {
			d.flags |= VMXLAB_DEBUG_STOP_EXITS;
			d.stop_reasons[0] = rnd(r);
		}
		if (chance(r, 8)) {
			d.flags |= VMXLAB_DEBUG_BREAKPOINTS;
			d.nbreakpoints = 1 + below(r, 4);
			for (i = 0; i < 4; i++)
				d.breakpoints[i] = GUEST_ENTRY + below(r, 64);
		}
		/* Stop before injecting some (or all) vectors. */
		if (chance(r, 4)) {
			d.flags |= VMXLAB_DEBUG_STOP_INJECT;
			for (i = 0; i < 4; i++)
				d.stop_vectors[i] = chance(r, 2) ? ~0ULL : rnd(r);
		}
		if (ioctl(t->vcpu, VMXLAB_SET_DEBUG, &d))
			f->st.debug_rejected++;
		else if (d.flags & VMXLAB_DEBUG_STOP_INJECT)
			memcpy(f->stop_vectors, d.stop_vectors,
			       sizeof(f->stop_vectors));
	}
	if (chance(r, 8)) {
		struct vmxlab_ring_config rc = {
			.nrecords = 1U << below(r, 5), .flags = below(r, 2),
		};

		ioctl(t->vcpu, VMXLAB_SET_RING, &rc);
	}
}

/*
 * VMXLAB_STOP_INJECT (uapi.rst 4.4): an external interrupt (ExtINT or the
 * APIC's) or an NMI, valid, with no error code and no reserved bit, of a
 * vector asked for, from the source its type goes with.
 */
static int valid_inject_stop(struct fuzzer *f, struct vmxlab_run *run,
			     unsigned long n)
{
	uint32_t info = run->stop.inject_info, src = run->stop.inject_source;
	uint32_t v = info & 0xff, type = (info >> 8) & 7;

	if ((info & 0x80000000) && !(info & 0x7ffff800) &&
	    (f->stop_vectors[v / 64] >> (v % 64) & 1) &&
	    ((type == 0 && (src == VMXLAB_SRC_EXTINT || src == VMXLAB_SRC_LAPIC)) ||
	     (type == 2 && v == 2 && src == VMXLAB_SRC_NMI)))
		return 1;
	bad(n, "stop before injecting %#x from source %u", info, src);
	return 0;
}

static int valid_exit(struct fuzzer *f, const uint32_t *umsrs,
		      int numsrs, unsigned long n)
{
	struct vmxlab_run *run = f->t.run;
	int i;

	switch (run->exit_reason) {
	case VMXLAB_EXIT_IO:
		if ((run->io.size != 1 && run->io.size != 2 && run->io.size != 4) ||
		    run->io.direction > 1) {
			bad(n, "I/O exit with size %u direction %u",
			    run->io.size, run->io.direction);
			return 0;
		}
		return 1;
	case VMXLAB_EXIT_MMIO:
		if ((run->mmio.len != 1 && run->mmio.len != 2 &&
		     run->mmio.len != 4 && run->mmio.len != 8) ||
		    run->mmio.is_write > 1 || run->mmio.phys_addr < MEM_SIZE) {
			bad(n, "MMIO exit: gpa %#llx len %u is_write %u",
			    (unsigned long long)run->mmio.phys_addr,
			    run->mmio.len, run->mmio.is_write);
			return 0;
		}
		return 1;
	case VMXLAB_EXIT_MSR:
		for (i = 0; i < numsrs; i++)
			if (umsrs[i] == run->msr.index)
				return 1;
		bad(n, "MSR exit for %#x, which is not a user MSR", run->msr.index);
		return 0;
	case VMXLAB_EXIT_INTERNAL_ERROR:
		if (run->internal.suberror < 1 || run->internal.suberror > 3 ||
		    !memchr(run->internal.msg, 0, sizeof(run->internal.msg))) {
			bad(n, "internal error %u", run->internal.suberror);
			return 0;
		}
		return 1;
	case VMXLAB_EXIT_STOP:
		if (run->stop.kind < VMXLAB_STOP_EXIT ||
		    run->stop.kind > VMXLAB_STOP_INJECT || run->stop.reserved) {
			bad(n, "stop of kind %u (reserved %#x)", run->stop.kind,
			    run->stop.reserved);
			return 0;
		}
		if (run->stop.kind == VMXLAB_STOP_INJECT) {
			f->st.stop_inject++;
			return valid_inject_stop(f, run, n);
		}
		if (run->stop.inject_info || run->stop.inject_source) {
			bad(n, "stop of kind %u with inject_info %#x source %u",
			    run->stop.kind, run->stop.inject_info,
			    run->stop.inject_source);
			return 0;
		}
		return 1;
	case VMXLAB_EXIT_IRQ_WINDOW_OPEN:
		/* Asked for, and the guest can take it (uapi.rst 5.2). */
		if (!f->window || run->if_flag != 1) {
			bad(n, "IRQ_WINDOW_OPEN with request_interrupt_window %d, if_flag %u",
			    f->window, run->if_flag);
			return 0;
		}
		return 1;
	case VMXLAB_EXIT_EOI:
		for (i = 0; i < 7; i++)
			if (run->eoi.reserved[i]) {
				bad(n, "EOI exit (vector %u) with reserved bytes set",
				    run->eoi.vector);
				return 0;
			}
		return 1;
	case VMXLAB_EXIT_HLT:
	case VMXLAB_EXIT_HYPERCALL:
	case VMXLAB_EXIT_TRIPLE_FAULT:
	case VMXLAB_EXIT_FAIL_ENTRY:
	case VMXLAB_EXIT_RING_FULL:
		return 1;
	default:
		bad(n, "RUN returned 0 with exit_reason %u", run->exit_reason);
		return 0;
	}
}

/*
 * The processor refused an entry that vmxlab's checker finds nothing
 * wrong with.  One such refusal is known and is not vmxlab's: Bochs 2.7
 * still wants CS.DPL = CS.RPL for a non-conforming code segment, a rule
 * of SDM editions before "unrestricted guest" (the current 27.3.1.2 wants
 * CS.DPL = SS.DPL, which vmxlab checks; Documentation/explain.rst).
 * Anything else is a gap in the checker: show the state and count it.
 */
static enum outcome unexplained(struct tvm *t, unsigned long n)
{
	struct vmxlab_sregs s;
	unsigned int type, dpl;

	if (tvm_get_sregs(t, &s))
		return O_FAIL_UNEXPLAINED;
	type = s.cs.ar & 0xf;
	dpl = (s.cs.ar >> 5) & 3;
	if ((type == 9 || type == 11) && dpl != (s.cs.selector & 3u))
		return O_FAIL_BOCHS_CS;
	printf("# case %lu: unexplained entry failure %#x: cs %#x/%#x ss %#x/%#x ds %#x/%#x es %#x/%#x tr %#x/%#x cr0 %#llx efer %#llx\n",
	       n, t->run->hw_exit_reason, s.cs.selector, s.cs.ar,
	       s.ss.selector, s.ss.ar, s.ds.selector, s.ds.ar,
	       s.es.selector, s.es.ar, s.tr.selector, s.tr.ar,
	       (unsigned long long)s.cr0, (unsigned long long)s.efer);
	fflush(stdout);
	return O_FAIL_UNEXPLAINED;
}

/* ------------------------------------------------------------------ */
/* The host's side of the interrupt cases                             */

/*
 * This VM's debugfs directory, /sys/kernel/debug/vmxlab/<pid>-<n>/: the
 * process has one VM at a time here, the newest (largest n).
 */
static const char *vm_debugfs(struct fuzzer *f)
{
	char pattern[64];
	unsigned long best = 0;
	glob_t g;
	size_t i;

	if (f->dbgfs[0])
		return f->dbgfs;
	snprintf(pattern, sizeof(pattern), "/sys/kernel/debug/vmxlab/%d-*",
		 (int)getpid());
	if (glob(pattern, 0, NULL, &g))
		return NULL;
	for (i = 0; i < g.gl_pathc; i++) {
		const char *dash = strrchr(g.gl_pathv[i], '-');
		unsigned long serial = dash ? strtoul(dash + 1, NULL, 10) : 0;

		if (serial > best && strlen(g.gl_pathv[i]) < sizeof(f->dbgfs)) {
			best = serial;
			strcpy(f->dbgfs, g.gl_pathv[i]);
		}
	}
	globfree(&g);
	return f->dbgfs[0] ? f->dbgfs : NULL;
}

/* The vCPU's interrupt counts from debugfs; -1 when unavailable. */
static int irq_counts(struct fuzzer *f, struct irq_counts *c)
{
	const char *dir = vm_debugfs(f);
	char path[128], line[256];
	int id, found = -1;
	FILE *fp;

	if (!dir)
		return -1;
	snprintf(path, sizeof(path), "%s/interrupts", dir);
	fp = fopen(path, "r");
	if (!fp)
		return -1;
	while (found < 0 && fgets(line, sizeof(line), fp))
		if (sscanf(line, "%d %llu %llu %llu %llu %llu %llu", &id,
			   &c->injections, &c->halts, &c->wakeups,
			   &c->timer_fires, &c->eois, &c->ipis) == 7 &&
		    id == f->vcpu_id)
			found = 0;
	fclose(fp);
	return found;
}

static uint32_t page_reg(const struct vmxlab_lapic_state *s, uint32_t off)
{
	uint32_t v;

	memcpy(&v, s->regs + off, 4);
	return v;
}

static void page_set(struct vmxlab_lapic_state *s, uint32_t off, uint32_t v)
{
	memcpy(s->regs + off, &v, 4);
}

/*
 * VMXLAB_SET_LAPIC of the vCPU's page with changes a snapshot could hold
 * (or noise): the software enable, a running timer, vectors waiting in
 * IRR (level-triggered ones with TMR), in service in ISR, TPR, LINT0.
 * Both calls must succeed, and the version register stay vmxlab's.
 */
static void host_lapic(struct fuzzer *f, struct rng *r, unsigned long n)
{
	struct vmxlab_lapic_state s;
	unsigned int i, v;

	if (ioctl(f->t.vcpu, VMXLAB_GET_LAPIC, &s)) {
		bad(n, "GET_LAPIC: %s", strerror(errno));
		return;
	}
	if (chance(r, 8)) {
		for (i = 0; i < sizeof(s.regs); i++)
			s.regs[i] = rnd(r);
		if (no_tsc_deadline)	/* bit 18 of the LVT timer entry */
			s.regs[APIC_LVT_TIMER + 2] &= ~(1 << 2);
	} else {
		page_set(&s, APIC_SVR, (chance(r, 6) ? 0 : 0x100) | rnd_vector(r));
		if (chance(r, 2)) {
			page_set(&s, APIC_LVT_TIMER, rnd_lvt(r, APIC_LVT_TIMER));
			page_set(&s, APIC_TDCR, below(r, 16));
			page_set(&s, APIC_TMICT, rnd_count(r));
			page_set(&s, APIC_TMCCT, rnd_count(r));
		}
		for (i = chance(r, 3) ? below(r, 4) : 0; i; i--) {
			v = rnd_vector(r);
			s.regs[APIC_IRR + (v >> 5) * 16 + (v & 31) / 8] |= 1U << (v & 7);
			if (chance(r, 2))
				s.regs[APIC_TMR + (v >> 5) * 16 + (v & 31) / 8] |= 1U << (v & 7);
		}
		if (chance(r, 4)) {
			v = rnd_vector(r);
			s.regs[APIC_ISR + (v >> 5) * 16 + (v & 31) / 8] |= 1U << (v & 7);
		}
		if (chance(r, 4))
			page_set(&s, APIC_TPR, below(r, 256));
		if (chance(r, 4))
			page_set(&s, APIC_LVT_LINT0, chance(r, 2) ? 7 << 8 :
				 rnd_lvt(r, APIC_LVT_LINT0));
		if (chance(r, 4))
			page_set(&s, APIC_LVT_ERROR, rnd_lvt(r, APIC_LVT_ERROR));
	}
	f->st.lapic_loads++;
	if (ioctl(f->t.vcpu, VMXLAB_SET_LAPIC, &s)) {
		bad(n, "SET_LAPIC: %s", strerror(errno));
		return;
	}
	if (ioctl(f->t.vcpu, VMXLAB_GET_LAPIC, &s))
		bad(n, "GET_LAPIC after SET_LAPIC: %s", strerror(errno));
	else if (page_reg(&s, APIC_VERSION) != APIC_VERSION_VALUE)
		bad(n, "APIC version %#x after SET_LAPIC", page_reg(&s, APIC_VERSION));
}

/*
 * VMXLAB_SIGNAL_MSI of a well-formed message, in any delivery mode, to
 * this vCPU's APIC, to all, or to another ID: never EINVAL, and at most
 * one APIC takes it, the VM having one vCPU.
 */
static void host_msi(struct fuzzer *f, struct rng *r, unsigned long n)
{
	static const uint8_t modes[] = { 0, 0, 0, 0, 1, 1, 4, 4, 2, 3, 5, 6, 7 };
	uint32_t dest = chance(r, 3) ? 0xff : chance(r, 2) ? f->vcpu_id : below(r, 256);
	struct vmxlab_msi m = { 0 };
	int ret;

	m.address_lo = APIC_ADDR | dest << 12 | (chance(r, 4) ? 1U << 2 : 0);
	m.data = rnd_vector(r) | modes[below(r, sizeof(modes))] << 8 |
		 (chance(r, 4) ? 3U << 14 : 0);
	ret = ioctl(f->t.vm, VMXLAB_SIGNAL_MSI, &m);
	f->st.msis++;
	if (ret < 0 || ret > 1)
		bad(n, "SIGNAL_MSI(address %#x, data %#x): %d%s%s", m.address_lo,
		    m.data, ret, ret < 0 ? ", " : " APICs",
		    ret < 0 ? strerror(errno) : "");
	else
		f->st.msi_accepted += ret;
}

/*
 * VMXLAB_INTERRUPT of a random vector: taken, or EBUSY (one queued) or
 * ENXIO (LINT0 refuses ExtINT); when the last RUN said
 * ready_for_interrupt_injection, taken (uapi.rst 4.10, 5.1).
 */
static void host_extint(struct fuzzer *f, struct rng *r, unsigned long n,
			int ready)
{
	struct vmxlab_interrupt irq = { .irq = rnd_vector(r) };

	if (!ioctl(f->t.vcpu, VMXLAB_INTERRUPT, &irq)) {
		f->st.extints++;
		return;
	}
	f->st.extint_refused++;
	if (ready || (errno != EBUSY && errno != ENXIO))
		bad(n, "INTERRUPT(%u)%s: %s", irq.irq,
		    ready ? " when ready_for_interrupt_injection" : "",
		    strerror(errno));
}

/* Now and then, between two RUNs, an interrupt from outside. */
static void host_event(struct fuzzer *f, struct rng *r, unsigned long n)
{
	switch (below(r, 8)) {
	case 0:
	case 1:
		host_msi(f, r, n);
		break;
	case 2:
		host_extint(f, r, n, 0);
		break;
	case 3:
		f->window = chance(r, 2);
		f->t.run->request_interrupt_window = f->window;
		break;
	default:
		break;
	}
}

/* What every return of RUN that ran the loop fills (uapi.rst 5.1). */
static int valid_irq_fields(struct vmxlab_run *run, unsigned long n)
{
	if (run->if_flag <= 1 && !run->reserved_out &&
	    run->ready_for_interrupt_injection <= run->if_flag)
		return 1;
	bad(n, "RUN returned if_flag %u, ready_for_interrupt_injection %u, reserved_out %#x",
	    run->if_flag, run->ready_for_interrupt_injection, run->reserved_out);
	return 0;
}

/*
 * Set up an interrupt case before its first RUN: the IDT (IVT in real
 * mode) and the handlers; the APIC's mode in IA32_APIC_BASE (xAPIC,
 * x2APIC, disabled, elsewhere); then, now and then, a loaded APIC page,
 * messages, an ExtINT, the interrupt window.  Returns how the guest
 * talks to its APIC (gen_irq_code()'s x2apic).
 */
static int irq_sregs(struct rng *r, struct fuzzer *f, int mode,
		     struct vmxlab_sregs *s)
{
	uint64_t en = APIC_BASE_EN | (f->vcpu_id == 0 ? APIC_BASE_BSP : 0);
	int x2apic = 0;

	write_handlers(r, f->t.mem, mode == 0 ? 16 : mode == 1 ? 32 : 64);
	s->idt.limit = write_idt(r, f->t.mem, mode);
	s->idt.base = mode == 0 ? 0 : GUEST_IDT;
	switch (below(r, 8)) {
	case 0:
	case 1:
		s->apic_base = APIC_ADDR | en | APIC_BASE_EXTD;
		x2apic = 1;
		break;
	case 2:
		s->apic_base = APIC_ADDR | en;
		x2apic = 2;		/* the guest switches */
		break;
	case 3:
		s->apic_base = APIC_ADDR | (en & ~(uint64_t)APIC_BASE_EN);
		break;
	case 4:
		s->apic_base = 0xfed00000 | en;	/* moved */
		break;
	default:
		s->apic_base = APIC_ADDR | en;
		/* Real mode reaches the xAPIC page only with a 4 GiB DS. */
		if (mode == 0 && chance(r, 2))
			x2apic = 2;
	}
	return x2apic;
}

static void irq_host_setup(struct rng *r, struct fuzzer *f, unsigned long n)
{
	int i;

	if (chance(r, 3))
		host_lapic(f, r, n);
	for (i = chance(r, 3) ? 1 + below(r, 3) : 0; i; i--)
		host_msi(f, r, n);
	if (chance(r, 4))
		host_extint(f, r, n, 0);
	f->window = chance(r, 4);
	f->t.run->request_interrupt_window = f->window;
}

static enum outcome run_case(struct fuzzer *f, int mode, unsigned long n)
{
	struct rng r = { f->seed ^ (n * 0xd1342543de82ef95ULL) };
	struct tvm *t = &f->t;
	struct vmxlab_sregs s, mutated, after;
	struct vmxlab_regs g;
	struct irq_counts ic;
	uint32_t umsrs[VMXLAB_MAX_USER_MSRS];
	int numsrs, i, ret, set, irq, x2apic = 0;
	enum outcome o = O_EXIT_LIMIT;
	size_t code_len;
	void *ring = NULL;

	/* Scramble r with the mode too, so the three tests differ. */
	r.s += mode;
	rnd(&r);
	/* Half of the cases are about interrupts. */
	irq = chance(&r, 2);
	if (prepare_vm(f)) {
		bad(n, "cannot create a VM or vCPU: %s", strerror(errno));
		return O_UNEXPECTED;
	}
	/* Memory: zeros, HLTs or noise, then the code at GUEST_ENTRY. */
	switch (below(&r, 4)) {
	case 0:
	case 1:
		memset(t->mem, 0, MEM_SIZE);
		break;
	case 2:
		memset(t->mem, 0xf4, MEM_SIZE);
		break;
	default:
		for (i = 0; i < MEM_SIZE / 8; i++)
			((uint64_t *)t->mem)[i] = rnd(&r);
	}

	switch (mode) {
	case 0:
		ret = tvm_set_real(t, GUEST_ENTRY);
		break;
	case 1:
		ret = tvm_set_prot(t, GUEST_ENTRY);
		break;
	default:
		ret = tvm_set_long(t, GUEST_ENTRY);
	}
	if (ret) {
		bad(n, "mode setup failed: %s", strerror(-ret));
		return O_UNEXPECTED;
	}
	if (tvm_get_sregs(t, &s)) {
		bad(n, "GET_SREGS failed");
		return O_UNEXPECTED;
	}
	if (irq) {
		f->st.irq_cases++;
		x2apic = irq_sregs(&r, f, mode, &s);
		ret = tvm_set_sregs(t, &s);
		if (ret) {
			bad(n, "SET_SREGS of an IDT and APIC base %#llx: %s",
			    (unsigned long long)s.apic_base, strerror(-ret));
			return O_UNEXPECTED;
		}
		code_len = 256 + below(&r, 1280);
		gen_irq_code(&r, t->mem + GUEST_ENTRY, code_len, mode, x2apic,
			     f->vcpu_id == 0);
	} else {
		code_len = 1 + below(&r, chance(&r, 2) ? 64 : 2048);
		gen_code(&r, t->mem + GUEST_ENTRY, code_len);
	}
	if (chance(&r, 2))
		t->mem[GUEST_ENTRY + code_len] = 0xf4;

	/* A random change of segments and control registers, if accepted. */
	if (chance(&r, irq ? 4 : 2)) {
		mutated = s;
		mutate_sregs(&r, &mutated);
		set = tvm_set_sregs(t, &mutated);
		if (set == -EINVAL) {
			f->st.sregs_rejected++;
			/* All or nothing: a refused state leaves no trace. */
			if (tvm_get_sregs(t, &after) || memcmp(&after, &s, sizeof(s)))
				bad(n, "a rejected SET_SREGS changed the state");
		} else if (set) {
			bad(n, "SET_SREGS failed with %s", strerror(-set));
		} else {
			f->st.sregs_set++;
		}
	}
	random_regs(&r, &g, GUEST_ENTRY);
	if (irq) {
		/* A usable stack and often IF = 1: interrupts get through. */
		if (!chance(&r, 4))
			g.rsp = GUEST_STACK;
		if (!chance(&r, 3))
			g.rflags |= 0x200;
	}
	ret = tvm_set_regs(t, &g);
	if (ret)
		bad(n, "SET_REGS of valid RFLAGS %#llx failed: %s",
		    (unsigned long long)g.rflags, strerror(-ret));
	memset(f->stop_vectors, 0, sizeof(f->stop_vectors));
	random_policy(f, &r, umsrs, &numsrs);
	f->window = 0;
	if (irq)
		irq_host_setup(&r, f, n);

	timed_out = 0;
	current_run = t->run;
	arm(CASE_LIMIT_US);
	for (i = 0; i < MAX_RUNS; i++) {
		ret = tvm_run(t);
		if (ret == -EINTR) {
			if (t->run->exit_reason != VMXLAB_EXIT_INTR)
				bad(n, "EINTR with exit_reason %u", t->run->exit_reason);
			if (!valid_irq_fields(t->run, n)) {
				o = O_UNEXPECTED;
				break;
			}
			o = O_UNEXPECTED;
			if (!timed_out)
				bad(n, "EINTR without a signal");
			/*
			 * Time is up.  A vCPU halted with IF = 1 sleeps in RUN
			 * until an interrupt that nothing will send: a
			 * defined end, told from a guest still running by
			 * debugfs's halts and wake-ups.
			 */
			else if (!irq_counts(f, &ic) && ic.halts > ic.wakeups)
				o = O_HALTED;
			else
				o = O_TIMEOUT;
			break;
		}
		if (ret) {
			bad(n, "RUN failed with %s", strerror(-ret));
			o = O_UNEXPECTED;
			break;
		}
		f->st.exits[t->run->exit_reason < NR_EXITS ? t->run->exit_reason : 0]++;
		if (!valid_exit(f, umsrs, numsrs, n) ||
		    !valid_irq_fields(t->run, n)) {
			o = O_UNEXPECTED;
			break;
		}
		switch (t->run->exit_reason) {
		case VMXLAB_EXIT_HLT:
			o = O_HLT;
			break;
		case VMXLAB_EXIT_TRIPLE_FAULT:
			o = O_TRIPLE;
			break;
		case VMXLAB_EXIT_FAIL_ENTRY:
			/* Explained: vmxlab's checker names a rule (explain). */
			o = t->run->fail_entry.nr_failed_rules ? O_FAIL_ENTRY :
								 unexplained(t, n);
			break;
		case VMXLAB_EXIT_INTERNAL_ERROR:
			o = O_INTERNAL_EXIT + t->run->internal.suberror - 1;
			break;
		case VMXLAB_EXIT_IO:
			if (t->run->io.direction == VMXLAB_IO_IN)
				t->run->io.data = rnd(&r);
			break;
		case VMXLAB_EXIT_MMIO:
			if (!t->run->mmio.is_write)
				t->run->mmio.data = rnd(&r);
			break;
		case VMXLAB_EXIT_HYPERCALL:
			t->run->hypercall.ret = rnd(&r);
			break;
		case VMXLAB_EXIT_MSR:
			t->run->msr.data = rnd(&r);
			t->run->msr.error = chance(&r, 4);
			break;
		case VMXLAB_EXIT_RING_FULL:
			/* Drain the ring (mapped on first use). */
			if (!ring) {
				ring = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					    MAP_SHARED, t->vcpu, VMXLAB_RING_OFFSET);
				if (ring == MAP_FAILED) {
					bad(n, "RING_FULL but the ring cannot be mapped: %s",
					    strerror(errno));
					ring = NULL;
					o = O_UNEXPECTED;
					break;
				}
			}
			__atomic_store_n(&((struct vmxlab_ring *)ring)->tail,
					 __atomic_load_n(&((struct vmxlab_ring *)ring)->head,
							 __ATOMIC_ACQUIRE),
					 __ATOMIC_RELEASE);
			break;
		case VMXLAB_EXIT_IRQ_WINDOW_OPEN:
			/* What the window is for; then usually no more. */
			host_extint(f, &r, n, t->run->ready_for_interrupt_injection);
			if (!chance(&r, 4)) {
				f->window = 0;
				t->run->request_interrupt_window = 0;
			}
			break;
		default:	/* STOP, EOI: nothing to answer */
			break;
		}
		if (o != O_EXIT_LIMIT)
			break;
		/* The guest goes on: now and then something from outside. */
		if (irq && chance(&r, 3))
			host_event(f, &r, n);
	}
	arm(0);
	current_run = NULL;
	if (ring)
		munmap(ring, 4096);
	/* What the guest's interrupts did, for the summary. */
	if (!irq_counts(f, &ic)) {
		f->st.irq.injections += ic.injections;
		f->st.irq.halts += ic.halts;
		f->st.irq.wakeups += ic.wakeups;
		f->st.irq.timer_fires += ic.timer_fires;
		f->st.irq.eois += ic.eois;
		f->st.irq.ipis += ic.ipis;
	} else {
		f->st.counts_unknown++;
	}
	return o;
}

static void run_mode(struct __test_metadata *_metadata, int mode)
{
	static const char *const names[] = { "real", "protected", "long" };
	struct sigaction sa = { .sa_handler = on_alarm };
	uint64_t total = env_u64("VMXLAB_FUZZ_CASES", DEFAULT_CASES);
	uint64_t first = env_u64("VMXLAB_FUZZ_FIRST_CASE", 0);
	uint64_t n, count = total / 3 + (total % 3 > (uint64_t)mode);
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	unsigned long sleeps, expected;
	struct progress p;
	struct fuzzer f;
	int i;

	memset(&f, 0, sizeof(f));
	f.t.vm = f.t.vcpu = f.t.sys = -1;
	f.seed = env_u64("VMXLAB_FUZZ_SEED", DEFAULT_SEED);
	f.verbose = env_u64("VMXLAB_FUZZ_VERBOSE", 0);
	no_tsc_deadline = env_u64("VMXLAB_FUZZ_NO_TSC_DEADLINE", 0);
	setrlimit(RLIMIT_MEMLOCK, &rl);
	/* No SA_RESTART: the alarm must end the RUN it interrupts. */
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	ASSERT_EQ(0, pin_to_cpu(0));
	ASSERT_EQ(0, progress_start(&p, 0));
	for (n = first; n < first + count; n++) {
		enum outcome o;

		if (f.verbose)
			fprintf(stderr, "# case %llu, %s mode\n",
				(unsigned long long)n, names[mode]);
		o = run_case(&f, mode, n);
		f.st.out[o]++;
		f.st.cases++;
	}
	if (f.t.vm >= 0)
		tvm_destroy(&f.t);
	sleeps = progress_stop(&p, &expected);
	printf("# %s mode: seed %#llx, cases %llu..%llu: %lu cases\n",
	       names[mode], (unsigned long long)f.seed,
	       (unsigned long long)first, (unsigned long long)(first + count - 1),
	       f.st.cases);
	printf("#   outcomes:");
	for (i = 0; i < NR_OUT; i++)
		printf(" %s=%lu", outcome_names[i], f.st.out[i]);
	printf("\n#   exits to userspace:");
	for (i = 1; i < NR_EXITS; i++)
		printf(" %s=%lu", exit_names[i], f.st.exits[i]);
	printf("\n#   SET_SREGS: %lu accepted, %lu rejected; SET_DEBUG rejected %lu\n",
	       f.st.sregs_set, f.st.sregs_rejected, f.st.debug_rejected);
	printf("#   interrupt cases %lu: SET_LAPIC %lu, SIGNAL_MSI %lu (taken %lu), INTERRUPT taken %lu refused %lu, stops before injection %lu\n",
	       f.st.irq_cases, f.st.lapic_loads, f.st.msis, f.st.msi_accepted,
	       f.st.extints, f.st.extint_refused, f.st.stop_inject);
	printf("#   in the kernel (debugfs, all cases): injections %llu halts %llu wakeups %llu timer_fires %llu eois %llu ipis %llu; counts unavailable for %lu cases\n",
	       f.st.irq.injections, f.st.irq.halts, f.st.irq.wakeups,
	       f.st.irq.timer_fires, f.st.irq.eois, f.st.irq.ipis,
	       f.st.counts_unknown);
	printf("#   host beside the guests: %lu of %lu sleeps of %d ms\n",
	       sleeps, expected, PROGRESS_SLEEP_MS);
	/* The harness ends a test with _exit(): flush what it printed. */
	fflush(stdout);
	EXPECT_EQ(0, unexpected);
	EXPECT_EQ(0, f.st.out[O_UNEXPECTED]);
	/* Every entry failure is explained by a rule, or the known one. */
	EXPECT_EQ(0, f.st.out[O_FAIL_UNEXPLAINED]);
	EXPECT_EQ(count, f.st.cases);
	EXPECT_LE(expected / 2, sleeps);
}

FIXTURE(guest) {
	int unused;
};

FIXTURE_SETUP(guest)
{
}

FIXTURE_TEARDOWN(guest)
{
}

TEST_F_TIMEOUT(guest, real_mode, 600)
{
	run_mode(_metadata, 0);
}

TEST_F_TIMEOUT(guest, protected_mode, 600)
{
	run_mode(_metadata, 1);
}

TEST_F_TIMEOUT(guest, long_mode, 600)
{
	run_mode(_metadata, 2);
}

GUEST_CODE(hello, ".code16\n mov $0x42, %al\n out %al, $0x10\n hlt");

/* Random guests leave nothing behind that stops a plain one. */
TEST(module_still_works)
{
	struct tvm t;

	ASSERT_EQ(0, tvm_create(&t, 1 << 16));
	tvm_load_code(&t, GUEST_ENTRY, GUEST(hello));
	ASSERT_EQ(0, tvm_set_real(&t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run(&t));
	ASSERT_EQ(VMXLAB_EXIT_IO, t.run->exit_reason);
	EXPECT_EQ(0x42, t.run->io.data);
	ASSERT_EQ(0, tvm_run(&t));
	EXPECT_EQ(VMXLAB_EXIT_HLT, t.run->exit_reason);
	tvm_destroy(&t);
}

TEST_HARNESS_MAIN
