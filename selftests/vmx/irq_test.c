// SPDX-License-Identifier: GPL-2.0
/*
 * irq_test.c - interrupts: the ioctls' errno contract (VMXLAB_INTERRUPT,
 * VMXLAB_SIGNAL_MSI, VMXLAB_GET/SET_LAPIC), the interrupt window as
 * userspace sees it (request_interrupt_window, ready_for_interrupt_injection,
 * if_flag, VMXLAB_EXIT_IRQ_WINDOW_OPEN), and the in-kernel local APIC
 * seen from tiny guests: ExtINT held back by IF = 0 and the STI shadow,
 * a one-shot timer waking a halted guest, self-IPIs, an NMI message, a
 * level-triggered MSI's EOI exit, the exit ring's injection records, and
 * a guest flooding its APIC while the host keeps running.
 *
 * Every guest runs in 32-bit protected mode, paging off, with the same
 * IDT: each of the 256 vectors goes to a stub in irq_handlers (loaded at
 * GUEST_HANDLERS) that counts the vector at GUEST_COUNT + 4 * vector,
 * reports it with OUT to port 0x10 (unless GUEST_QUIET is non-zero), and
 * for vectors 32-255 writes the xAPIC EOI register.  An unexpected
 * exception reports itself and stops in cli; hlt.  The guests' own
 * progress goes out on ports 0x11 and up, so the order of the OUT exits is
 * the order in which things happened in the guest.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <kselftest_harness.h>

#include "lib/progress.h"
#include "lib/vmxlab_test.h"

#define EXPECT_ERRNO(err, call) do {					\
	errno = 0;							\
	EXPECT_EQ(-1, (call));						\
	EXPECT_EQ((err), errno);					\
} while (0)

/* Guest-physical layout beyond lib/vmxlab_test.h's. */
#define GUEST_HANDLERS	0x10000		/* irq_handlers, 4 KiB of stubs + */
#define GUEST_COUNT	GUEST_DATA	/* u32 per vector: deliveries */
#define GUEST_QUIET	(GUEST_DATA + 0x800)	/* non-zero: no OUT 0x10 */

#define PORT_VECTOR	0x10		/* the handlers report here */

/* xAPIC registers (SDM Vol. 3A Table 11-1). */
#define APIC_ID		0x020
#define APIC_VERSION	0x030
#define APIC_TPR	0x080
#define APIC_EOI	0x0b0
#define APIC_DFR	0x0e0
#define APIC_SVR	0x0f0
#define APIC_ISR	0x100
#define APIC_TMR	0x180
#define APIC_IRR	0x200
#define APIC_ICR	0x300
#define APIC_LVT_TIMER	0x320
#define APIC_LVT_LINT0	0x350
#define APIC_LVT_LINT1	0x360
#define APIC_TMICT	0x380
#define APIC_TMCCT	0x390

/* VM-entry interruption information (SDM 25.8.3): valid, type, vector. */
#define INTR_VALID	(1U << 31)
#define INTR_EXT	(0U << 8)
#define INTR_NMI	(2U << 8)

/* VMCS exit reasons (SDM Appendix C). */
#define HW_EXIT_INTR_WINDOW	7
#define HW_EXIT_HLT		12

#define GUEST_LABEL(x)	".globl " #x "\n" #x ":\n"
/* Guest-physical address of @label in guest @name, loaded at GUEST_ENTRY. */
#define GUEST_ADDR(name, label)	\
	(GUEST_ENTRY + (uint64_t)((label) - name##_start))

#define OUT(port)	"mov $" #port ", %al\n out %al, $" #port "\n"
#define SPIN(n)		"mov $" #n ", %ecx\n 71: dec %ecx\n jnz 71b\n"
#define APIC_WRITE(reg, val) "movl $" #val ", 0xfee00000 + " #reg "\n"

/*
 * The IDT's targets: 256 stubs of 16 bytes from irq_stubs on, each
 * pushing its vector, and the common handler described at the top.
 */
extern const unsigned char irq_stubs[];
GUEST_CODE(irq_handlers,
	".code32\n"
	".balign 16\n"
	GUEST_LABEL(irq_stubs)
	".set vec, 0\n"
	".rept 256\n"
	"push $vec\n"
	"jmp .Lirq_common\n"
	".balign 16\n"
	".set vec, vec + 1\n"
	".endr\n"
	".Lirq_common:\n"
	"push %eax\n"
	"mov 4(%esp), %eax\n"
	"and $0xff, %eax\n"
	"incl 0x20000(,%eax,4)\n"
	"cmpb $0, 0x20800\n"
	"jne 1f\n"
	"out %al, $0x10\n"
	"1: cmp $2, %eax\n"
	"je 3f\n"			/* NMI: no EOI */
	"cmp $32, %eax\n"
	"jb 2f\n"			/* an exception: stop */
	"movl $0, 0xfee000b0\n"		/* EOI */
	"3: pop %eax\n"
	"add $4, %esp\n"
	"iret\n"
	"2: cli\n"
	"hlt\n"
	"jmp 2b\n");

static void set_gate(struct tvm *t, unsigned int vector, uint32_t addr)
{
	uint32_t *g = (uint32_t *)(t->mem + GUEST_IDT + vector * 8);

	/* A 32-bit interrupt gate (SDM Vol. 3A Figure 6-2): IF cleared. */
	g[0] = (SEL_CODE32 << 16) | (addr & 0xffff);
	g[1] = (addr & 0xffff0000) | 0x8e00;
}

/* Protected mode at GUEST_ENTRY, the handlers, the IDT; IF = 0. */
static int irq_guest(struct tvm *t, const void *code, size_t len)
{
	uint32_t stubs = GUEST_HANDLERS + (uint32_t)(irq_stubs - irq_handlers_start);
	struct vmxlab_sregs s;
	unsigned int v;
	int r;

	tvm_load_code(t, GUEST_ENTRY, code, len);
	tvm_load_code(t, GUEST_HANDLERS, GUEST(irq_handlers));
	for (v = 0; v < 256; v++)
		set_gate(t, v, stubs + 16 * v);
	memset(t->mem + GUEST_COUNT, 0, 0x1000);
	r = tvm_set_prot(t, GUEST_ENTRY);
	if (r)
		return r;
	r = tvm_get_sregs(t, &s);
	if (r)
		return r;
	s.idt.base = GUEST_IDT;
	s.idt.limit = 256 * 8 - 1;
	return tvm_set_sregs(t, &s);
}

static uint32_t count_of(struct tvm *t, unsigned int vector)
{
	return *(volatile uint32_t *)(t->mem + GUEST_COUNT + 4 * vector);
}

static uint32_t lapic_reg(const struct vmxlab_lapic_state *s, unsigned int off)
{
	uint32_t v;

	memcpy(&v, s->regs + off, 4);
	return v;
}

static void lapic_set_reg(struct vmxlab_lapic_state *s, unsigned int off,
			  uint32_t v)
{
	memcpy(s->regs + off, &v, 4);
}

/* Bit @vector of the ISR, TMR or IRR at @base. */
static int lapic_vec(const struct vmxlab_lapic_state *s, unsigned int base,
		     unsigned int vector)
{
	return !!(lapic_reg(s, base + (vector / 32) * 16) & (1U << (vector % 32)));
}

static int interrupt(struct tvm *t, uint32_t irq, uint32_t reserved)
{
	struct vmxlab_interrupt i = { .irq = irq, .reserved = reserved };

	return ioctl(t->vcpu, VMXLAB_INTERRUPT, &i);
}

static int msi(struct tvm *t, uint32_t address_lo, uint32_t data)
{
	struct vmxlab_msi m = { .address_lo = address_lo, .data = data };

	return ioctl(t->vm, VMXLAB_SIGNAL_MSI, &m);
}

/* Software-enable vCPU 0's APIC (SVR bit 8) from userspace. */
static int lapic_sw_enable(struct tvm *t)
{
	struct vmxlab_lapic_state s;

	if (ioctl(t->vcpu, VMXLAB_GET_LAPIC, &s))
		return -errno;
	lapic_set_reg(&s, APIC_SVR, 0x1ff);
	return ioctl(t->vcpu, VMXLAB_SET_LAPIC, &s) ? -errno : 0;
}

/* RUN; the guest did OUT @data to @port (one byte). */
#define RUN_EXPECT_OUT(t, p, d) do {					\
	ASSERT_EQ(0, tvm_run(t));					\
	EXPECT_EXIT(t, VMXLAB_EXIT_IO);					\
	ASSERT_EQ(VMXLAB_IO_OUT, (t)->run->io.direction);		\
	ASSERT_EQ((p), (t)->run->io.port);				\
	ASSERT_EQ((d), (t)->run->io.data & 0xff);			\
} while (0)

/* RUN; a handler reported @vector. */
#define RUN_EXPECT_VECTOR(t, v)	RUN_EXPECT_OUT(t, PORT_VECTOR, v)

/* ---- the exit ring ---------------------------------------------------- */

#define RING_RECORDS	1024

struct ring {
	struct vmxlab_ring *r;
	size_t size;
};

static int ring_open(struct tvm *t, struct ring *ring)
{
	struct vmxlab_ring_config c = { .nrecords = RING_RECORDS };
	void *p;

	if (ioctl(t->vcpu, VMXLAB_SET_RING, &c))
		return -errno;
	ring->size = (sizeof(struct vmxlab_ring) +
		      RING_RECORDS * sizeof(struct vmxlab_exit_record) + 4095) & ~4095UL;
	p = mmap(NULL, ring->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 t->vcpu, VMXLAB_RING_OFFSET);
	if (p == MAP_FAILED)
		return -errno;
	ring->r = p;
	return 0;
}

static void ring_close(struct ring *ring)
{
	if (ring->r)
		munmap(ring->r, ring->size);
	ring->r = NULL;
}

/*
 * The first record, among those still in the ring, with @flags all set
 * and, when @entry_intr_info is non-zero, that injection; or NULL.
 */
static const struct vmxlab_exit_record *
ring_find(struct ring *ring, uint32_t exit_reason, uint32_t flags,
	  uint32_t entry_intr_info)
{
	uint64_t head = __atomic_load_n(&ring->r->head, __ATOMIC_ACQUIRE);
	uint64_t seq = head > RING_RECORDS ? head - RING_RECORDS : 0;

	for (; seq < head; seq++) {
		const struct vmxlab_exit_record *rec =
			&ring->r->records[seq % RING_RECORDS];
		uint32_t f = __atomic_load_n(&rec->flags, __ATOMIC_ACQUIRE);

		if (rec->seq != seq || (f & flags) != flags)
			continue;
		if (exit_reason != ~0U && (rec->exit_reason & 0xffff) != exit_reason)
			continue;
		if (entry_intr_info && rec->entry_intr_info != entry_intr_info)
			continue;
		return rec;
	}
	return NULL;
}

static void ring_dump(struct ring *ring)
{
	uint64_t head = ring->r->head;
	uint64_t seq = head > 32 ? head - 32 : 0;

	for (; seq < head; seq++) {
		const struct vmxlab_exit_record *rec =
			&ring->r->records[seq % RING_RECORDS];

		fprintf(stderr, "# ring %llu: reason %u flags %#x rip %#llx entry_intr_info %#x source %u\n",
			(unsigned long long)rec->seq, rec->exit_reason, rec->flags,
			(unsigned long long)rec->rip, rec->entry_intr_info,
			rec->inject_source);
	}
}

FIXTURE(irq) {
	struct tvm t;
};

FIXTURE_SETUP(irq)
{
	ASSERT_EQ(0, tvm_create(&self->t, 4 << 20));
}

FIXTURE_TEARDOWN(irq)
{
	tvm_destroy(&self->t);
}

/* ---- 1. the errno contract -------------------------------------------- */

GUEST_CODE(stop_guest, ".code32\n cli\n hlt\n");

TEST_F(irq, cap_and_lapic_reset_state)
{
	struct tvm *t = &self->t;
	struct vmxlab_lapic_state s;
	int cap = ioctl(t->sys, VMXLAB_CHECK_CAP, VMXLAB_CAP_IRQCHIP);

	EXPECT_NE(0, cap);
	EXPECT_TRUE(cap & VMXLAB_IRQCHIP_LAPIC);
	memset(&s, 0xa5, sizeof(s));
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_GET_LAPIC, &s));
	EXPECT_EQ(0x00050014, lapic_reg(&s, APIC_VERSION));
	EXPECT_EQ(0, lapic_reg(&s, APIC_ID));
	/* Power-up state (SDM 11.4.7.1); LINT0/1 in virtual wire (BSP). */
	EXPECT_EQ(0xff, lapic_reg(&s, APIC_SVR));
	EXPECT_EQ(0xffffffff, lapic_reg(&s, APIC_DFR));
	EXPECT_EQ(0x10000, lapic_reg(&s, APIC_LVT_TIMER));
	EXPECT_EQ(0x700, lapic_reg(&s, APIC_LVT_LINT0));
	EXPECT_EQ(0x400, lapic_reg(&s, APIC_LVT_LINT1));
	EXPECT_EQ(0, lapic_reg(&s, APIC_TPR));
	EXPECT_EQ(0, lapic_reg(&s, APIC_TMCCT));
	/* SET_LAPIC round trip; the version stays the kernel's. */
	lapic_set_reg(&s, APIC_SVR, 0x1ff);
	lapic_set_reg(&s, APIC_VERSION, 0x12345678);
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_SET_LAPIC, &s));
	memset(&s, 0, sizeof(s));
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_GET_LAPIC, &s));
	EXPECT_EQ(0x1ff, lapic_reg(&s, APIC_SVR));
	EXPECT_EQ(0x00050014, lapic_reg(&s, APIC_VERSION));
}

/*
 * SET_LAPIC as Documentation/uapi.rst 4.11 describes it: the page is
 * loaded as given, reserved bits included (no EINVAL; the comment in
 * vmxlab.h says otherwise), except the version, which stays vmxlab's,
 * and PPR, recomputed from TPR and ISR; a one-shot timer restarts from
 * the saved current count; IRR vectors are injected from the next RUN on.
 */
GUEST_CODE(irr_guest,
	".code32\n"
	"sti\n"
	"nop\n"
	OUT(0x11)
	"cli\n"
	"hlt\n");

TEST_F(irq, set_lapic_loads_page)
{
	struct tvm *t = &self->t;
	struct vmxlab_lapic_state s, orig;
	uint32_t cur;

	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_GET_LAPIC, &orig));
	s = orig;
	/* Bit 20 of SVR is reserved (SDM 11.9): loaded anyway. */
	lapic_set_reg(&s, APIC_SVR, 0x1ff | (1U << 20));
	lapic_set_reg(&s, APIC_TPR, 0x20);
	lapic_set_reg(&s, 0x0a0, 0xee);			/* PPR */
	lapic_set_reg(&s, APIC_VERSION, 0x12345678);
	/* One-shot, vector 0x40, divide by 1, half of 10 ms left. */
	lapic_set_reg(&s, APIC_LVT_TIMER, 0x40);
	lapic_set_reg(&s, 0x3e0, 0xb);
	lapic_set_reg(&s, APIC_TMICT, 10000000);
	lapic_set_reg(&s, APIC_TMCCT, 5000000);
	/* Vector 0x50 waiting in IRR: above the TPR's class 2. */
	lapic_set_reg(&s, APIC_IRR + 0x20, 1U << (0x50 - 0x40));
	EXPECT_EQ(0, ioctl(t->vcpu, VMXLAB_SET_LAPIC, &s));
	memset(&s, 0, sizeof(s));
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_GET_LAPIC, &s));
	EXPECT_EQ(0x1ff | (1U << 20), lapic_reg(&s, APIC_SVR));
	EXPECT_EQ(0x00050014, lapic_reg(&s, APIC_VERSION));
	EXPECT_EQ(0x20, lapic_reg(&s, 0x0a0));
	EXPECT_EQ(10000000, lapic_reg(&s, APIC_TMICT));
	cur = lapic_reg(&s, APIC_TMCCT);
	EXPECT_LT(0, cur);
	EXPECT_GE(5000000, cur);
	/* Stop the timer before the guest runs: it is not this test's. */
	lapic_set_reg(&s, APIC_LVT_TIMER, 0x10040);
	lapic_set_reg(&s, APIC_TMCCT, 0);
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_SET_LAPIC, &s));

	ASSERT_EQ(0, irq_guest(t, GUEST(irr_guest)));
	RUN_EXPECT_VECTOR(t, 0x50);
	RUN_EXPECT_OUT(t, 0x11, 0x11);
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	EXPECT_EQ(1, count_of(t, 0x50));
	EXPECT_EQ(0, count_of(t, 0x40));
}

TEST_F(irq, interrupt_errno)
{
	struct tvm *t = &self->t;
	struct vmxlab_lapic_state s, orig;

	EXPECT_ERRNO(EINVAL, interrupt(t, 256, 0));
	EXPECT_ERRNO(EINVAL, interrupt(t, 0x30, 1));
	EXPECT_ERRNO(EFAULT, ioctl(t->vcpu, VMXLAB_INTERRUPT, (void *)8));

	/* LINT0 masked: the APIC takes no ExtINT (SDM 11.5.1). */
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_GET_LAPIC, &orig));
	s = orig;
	lapic_set_reg(&s, APIC_LVT_LINT0, 0x10700);
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_SET_LAPIC, &s));
	EXPECT_ERRNO(ENXIO, interrupt(t, 0x30, 0));
	/* LINT0 unmasked but in fixed mode: not the PIC's pin either. */
	lapic_set_reg(&s, APIC_LVT_LINT0, 0x00030);
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_SET_LAPIC, &s));
	EXPECT_ERRNO(ENXIO, interrupt(t, 0x30, 0));
	/* Back to virtual wire: accepted once, then busy until RUN. */
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_SET_LAPIC, &orig));
	EXPECT_EQ(0, interrupt(t, 0x30, 0));
	EXPECT_ERRNO(EBUSY, interrupt(t, 0x31, 0));
	/* The checks' order: EINVAL first, then EBUSY. */
	EXPECT_ERRNO(EINVAL, interrupt(t, 256, 0));
	EXPECT_ERRNO(EINVAL, interrupt(t, 0x31, 1));
}

/*
 * An APIC disabled in IA32_APIC_BASE passes LINT0 on as the INTR pin
 * (SDM 11.4.3): ExtINT is taken, whatever LINT0 said before.
 */
TEST_F(irq, interrupt_apic_globally_disabled)
{
	struct tvm *t = &self->t;
	struct vmxlab_lapic_state s;
	struct vmxlab_sregs sr;

	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_GET_LAPIC, &s));
	lapic_set_reg(&s, APIC_LVT_LINT0, 0x10700);
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_SET_LAPIC, &s));
	EXPECT_ERRNO(ENXIO, interrupt(t, 0x30, 0));
	ASSERT_EQ(0, tvm_get_sregs(t, &sr));
	EXPECT_EQ(0xfee00900, sr.apic_base);	/* enabled, BSP */
	sr.apic_base &= ~(1ULL << 11);
	ASSERT_EQ(0, tvm_set_sregs(t, &sr));
	EXPECT_EQ(0, interrupt(t, 0x30, 0));
	/* Nor does it take messages. */
	EXPECT_EQ(0, msi(t, 0xfee00000, 0x400));
}

TEST_F(irq, signal_msi_errno)
{
	struct tvm *t = &self->t;
	struct vmxlab_msi m;
	struct vmxlab_lapic_state s;

	/* Not 0xFEExxxxx; reserved address bits 1:0 and 11:4 (SDM 11.11.1). */
	EXPECT_ERRNO(EINVAL, msi(t, 0xfed00000, 0x30));
	EXPECT_ERRNO(EINVAL, msi(t, 0x00000000, 0x30));
	EXPECT_ERRNO(EINVAL, msi(t, 0xfee00001, 0x30));
	EXPECT_ERRNO(EINVAL, msi(t, 0xfee00010, 0x30));
	/* Reserved data bits: 13:11 and 31:16. */
	EXPECT_ERRNO(EINVAL, msi(t, 0xfee00000, 0x30 | (1U << 16)));
	EXPECT_ERRNO(EINVAL, msi(t, 0xfee00000, 0x30 | (1U << 11)));
	memset(&m, 0, sizeof(m));
	m.address_lo = 0xfee00000;
	m.data = 0x30;
	m.address_hi = 1;
	EXPECT_ERRNO(EINVAL, ioctl(t->vm, VMXLAB_SIGNAL_MSI, &m));
	m.address_hi = 0;
	m.flags = 1;
	EXPECT_ERRNO(EINVAL, ioctl(t->vm, VMXLAB_SIGNAL_MSI, &m));
	m.flags = 0;
	m.reserved[3] = 1;
	EXPECT_ERRNO(EINVAL, ioctl(t->vm, VMXLAB_SIGNAL_MSI, &m));
	EXPECT_ERRNO(EFAULT, ioctl(t->vm, VMXLAB_SIGNAL_MSI, (void *)8));

	/* Reset state: software-disabled, fixed interrupts refused (11.4.7.2)... */
	EXPECT_EQ(0, msi(t, 0xfee00000, 0x30));
	/* ... but an NMI is still taken. */
	EXPECT_EQ(1, msi(t, 0xfee00000, 0x400));
	/* Enabled: vCPU 0 (APIC ID 0) takes it; ID 1 is nobody; 0xff all. */
	ASSERT_EQ(0, lapic_sw_enable(t));
	EXPECT_EQ(1, msi(t, 0xfee00000, 0x30));
	EXPECT_EQ(0, msi(t, 0xfee01000, 0x31));
	EXPECT_EQ(1, msi(t, 0xfeeff000, 0x32));
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_GET_LAPIC, &s));
	EXPECT_TRUE(lapic_vec(&s, APIC_IRR, 0x30));
	EXPECT_FALSE(lapic_vec(&s, APIC_IRR, 0x31));
	EXPECT_TRUE(lapic_vec(&s, APIC_IRR, 0x32));
	/* A vector below 16 is accepted (into ESR); SMI, INIT, ExtINT by none. */
	EXPECT_EQ(1, msi(t, 0xfee00000, 0x05));
	EXPECT_EQ(0, msi(t, 0xfee00000, 0x233));
	EXPECT_EQ(0, msi(t, 0xfee00000, 0x500));
	EXPECT_EQ(0, msi(t, 0xfee00000, 0x733));
	/* Level-triggered: TMR too. */
	EXPECT_EQ(1, msi(t, 0xfee00000, 0xc060));
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_GET_LAPIC, &s));
	EXPECT_FALSE(lapic_vec(&s, APIC_IRR, 0x05));
	EXPECT_TRUE(lapic_vec(&s, APIC_IRR, 0x60));
	EXPECT_TRUE(lapic_vec(&s, APIC_TMR, 0x60));
	EXPECT_FALSE(lapic_vec(&s, APIC_TMR, 0x30));
}

TEST_F(irq, run_reserved_in)
{
	struct tvm *t = &self->t;

	ASSERT_EQ(0, irq_guest(t, GUEST(stop_guest)));
	t->run->reserved_in[0] = 1;
	EXPECT_EQ(-EINVAL, tvm_run(t));
	t->run->reserved_in[0] = 0;
	t->run->reserved_in[5] = 0x80;
	EXPECT_EQ(-EINVAL, tvm_run(t));
	t->run->reserved_in[5] = 0;
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	/* HLT with IF = 0: the guest stopped for good. */
	EXPECT_EQ(0, t->run->if_flag);
	EXPECT_EQ(0, t->run->ready_for_interrupt_injection);
}

/* ---- 2. windows and delivery ------------------------------------------ */

/*
 * (a) The window opens only once IF = 1 and the STI shadow is over: at
 * window_a_open, not at the NOP that STI shields (SDM 6.8.3, 27.7.5).
 */
extern const unsigned char window_a_open[];
GUEST_CODE(window_a,
	".code32\n"
	"cli\n"
	OUT(0x11)
	SPIN(1000)
	"sti\n"
	"nop\n"
	GUEST_LABEL(window_a_open)
	"cli\n"
	OUT(0x12)
	"hlt\n");

TEST_F(irq, window_opens_after_sti_shadow)
{
	struct tvm *t = &self->t;
	uint64_t state;

	ASSERT_EQ(0, irq_guest(t, GUEST(window_a)));
	t->run->request_interrupt_window = 1;
	/* IF = 0: the window is closed, the guest runs on to its OUT. */
	RUN_EXPECT_OUT(t, 0x11, 0x11);
	EXPECT_EQ(0, t->run->if_flag);
	EXPECT_EQ(0, t->run->ready_for_interrupt_injection);
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_IRQ_WINDOW_OPEN);
	EXPECT_EQ(GUEST_ADDR(window_a, window_a_open), t->run->guest_rip);
	EXPECT_EQ(HW_EXIT_INTR_WINDOW, t->run->hw_exit_reason);
	EXPECT_EQ(1, t->run->if_flag);
	EXPECT_EQ(1, t->run->ready_for_interrupt_injection);
	/* Interruptibility state (0x4824): no STI or MOV-SS blocking. */
	ASSERT_EQ(0, tvm_get_vmcs(t, 0x4824, &state));
	EXPECT_EQ(0, state & 3);

	t->run->request_interrupt_window = 0;
	ASSERT_EQ(0, interrupt(t, 0x30, 0));
	RUN_EXPECT_VECTOR(t, 0x30);
	EXPECT_EQ(1, count_of(t, 0x30));
	/* The handler returned to window_a_open: CLI, OUT 0x12, HLT. */
	RUN_EXPECT_OUT(t, 0x12, 0x12);
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	EXPECT_EQ(1, count_of(t, 0x30));
	/* It was delivered: another may be queued now. */
	EXPECT_EQ(0, interrupt(t, 0x31, 0));
}

/*
 * A halted vCPU with IF = 1 has its window open: RUN returns at once
 * instead of sleeping, and the interrupt queued then wakes the guest
 * after its HLT (KVM's userspace-PIC flow).
 */
GUEST_CODE(window_halted,
	".code32\n"
	"sti\n"
	"hlt\n"
	"cli\n"
	OUT(0x13)
	"hlt\n");

TEST_F(irq, window_while_halted)
{
	struct tvm *t = &self->t;

	ASSERT_EQ(0, irq_guest(t, GUEST(window_halted)));
	t->run->request_interrupt_window = 1;
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_IRQ_WINDOW_OPEN);
	EXPECT_EQ(1, t->run->if_flag);
	EXPECT_EQ(1, t->run->ready_for_interrupt_injection);
	t->run->request_interrupt_window = 0;
	ASSERT_EQ(0, interrupt(t, 0x31, 0));
	RUN_EXPECT_VECTOR(t, 0x31);
	RUN_EXPECT_OUT(t, 0x13, 0x13);
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	EXPECT_EQ(1, count_of(t, 0x31));
}

/*
 * (b) An ExtINT queued while IF = 0 (KVM accepts it too) waits: the guest
 * goes on to OUT 0x12, and takes the interrupt only after STI and its
 * shadow, before OUT 0x13.
 */
GUEST_CODE(extint_if0,
	".code32\n"
	"cli\n"
	OUT(0x11)
	SPIN(1000)
	OUT(0x12)
	"sti\n"
	"nop\n"
	OUT(0x13)
	"cli\n"
	"hlt\n");

TEST_F(irq, extint_waits_for_sti)
{
	struct tvm *t = &self->t;

	ASSERT_EQ(0, irq_guest(t, GUEST(extint_if0)));
	RUN_EXPECT_OUT(t, 0x11, 0x11);
	EXPECT_EQ(0, t->run->if_flag);
	EXPECT_EQ(0, t->run->ready_for_interrupt_injection);
	ASSERT_EQ(0, interrupt(t, 0x31, 0));
	EXPECT_ERRNO(EBUSY, interrupt(t, 0x32, 0));
	RUN_EXPECT_OUT(t, 0x12, 0x12);
	EXPECT_EQ(0, count_of(t, 0x31));
	EXPECT_EQ(0, t->run->ready_for_interrupt_injection);
	/* Still queued: busy. */
	EXPECT_ERRNO(EBUSY, interrupt(t, 0x32, 0));
	RUN_EXPECT_VECTOR(t, 0x31);
	RUN_EXPECT_OUT(t, 0x13, 0x13);
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	EXPECT_EQ(1, count_of(t, 0x31));
	EXPECT_EQ(0, count_of(t, 0x32));
}

/* LINT0 masked by the guest: if_flag = 1 but not ready, and ENXIO. */
GUEST_CODE(lint0_masked,
	".code32\n"
	APIC_WRITE(0x350, 0x10700)
	"sti\n"
	"nop\n"
	OUT(0x11)
	"cli\n"
	"hlt\n");

TEST_F(irq, lint0_masked_by_guest)
{
	struct tvm *t = &self->t;
	struct vmxlab_lapic_state s;

	ASSERT_EQ(0, irq_guest(t, GUEST(lint0_masked)));
	RUN_EXPECT_OUT(t, 0x11, 0x11);
	EXPECT_EQ(1, t->run->if_flag);
	EXPECT_EQ(0, t->run->ready_for_interrupt_injection);
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_GET_LAPIC, &s));
	EXPECT_EQ(0x10700, lapic_reg(&s, APIC_LVT_LINT0));
	EXPECT_ERRNO(ENXIO, interrupt(t, 0x30, 0));
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	EXPECT_EQ(0, count_of(t, 0x30));
}

/*
 * (c) + (f) HLT with IF = 1 sleeps in the kernel until the guest's
 * one-shot timer (vector 0x40, divide by 1, 10 ms at the 1 GHz bus
 * clock) fires; the handler reports, EOIs, and the guest reports once
 * more and stops (HLT with IF = 0).  The exit ring shows the HLT handled
 * in the kernel and the entry that injected vector 0x40 from the APIC.
 */
GUEST_CODE(timer_guest,
	".code32\n"
	APIC_WRITE(0x0f0, 0x1ff)
	APIC_WRITE(0x320, 0x40)
	APIC_WRITE(0x3e0, 0xb)
	APIC_WRITE(0x380, 10000000)
	"1: cli\n"
	"cmpl $0, 0x20000 + 0x40 * 4\n"
	"jne 2f\n"
	"sti\n"
	"hlt\n"
	"jmp 1b\n"
	"2:\n"
	OUT(0x14)
	"hlt\n");

TEST_F(irq, timer_wakes_halted_guest)
{
	struct tvm *t = &self->t;
	const struct vmxlab_exit_record *rec;
	struct vmxlab_lapic_state s;
	struct ring ring = { 0 };
	double t0, waited;

	ASSERT_EQ(0, irq_guest(t, GUEST(timer_guest)));
	ASSERT_EQ(0, ring_open(t, &ring));
	t0 = now_seconds();
	RUN_EXPECT_VECTOR(t, 0x40);
	waited = now_seconds() - t0;
	/* In service until the handler's EOI. */
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_GET_LAPIC, &s));
	EXPECT_TRUE(lapic_vec(&s, APIC_ISR, 0x40));
	EXPECT_FALSE(lapic_vec(&s, APIC_IRR, 0x40));
	EXPECT_FALSE(lapic_vec(&s, APIC_TMR, 0x40));
	RUN_EXPECT_OUT(t, 0x14, 0x14);
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	EXPECT_EQ(1, count_of(t, 0x40));
	EXPECT_LE(0.009, waited);
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_GET_LAPIC, &s));
	EXPECT_FALSE(lapic_vec(&s, APIC_ISR, 0x40));
	EXPECT_FALSE(lapic_vec(&s, APIC_IRR, 0x40));
	/* One-shot: expired, not re-armed. */
	EXPECT_EQ(0, lapic_reg(&s, APIC_TMCCT));
	EXPECT_EQ(10000000, lapic_reg(&s, APIC_TMICT));

	rec = ring_find(&ring, HW_EXIT_HLT, VMXLAB_REC_KERNEL, 0);
	EXPECT_TRUE(rec != NULL);
	rec = ring_find(&ring, ~0U, VMXLAB_REC_INJECTED | VMXLAB_REC_ENTRY_DONE,
			INTR_VALID | INTR_EXT | 0x40);
	EXPECT_TRUE(rec != NULL);
	if (rec) {
		EXPECT_EQ(VMXLAB_SRC_LAPIC, rec->inject_source);
		EXPECT_EQ(0, rec->entry_error);
	}
	if (_metadata->passed == 0)
		ring_dump(&ring);
	ring_close(&ring);
}

/*
 * The stepper's "stop irq" (VMXLAB_DEBUG_STOP_INJECT): RUN stops before
 * the entry that would deliver vector 0x40, with the event and its
 * source; the handler has not run.  A vector not in stop_vectors does
 * not stop.  The next RUN delivers it; stop_vectors without the flag is
 * refused.
 */
TEST_F(irq, stop_before_injection)
{
	struct vmxlab_debug d = { .flags = VMXLAB_DEBUG_STOP_INJECT };
	struct tvm *t = &self->t;

	ASSERT_EQ(0, irq_guest(t, GUEST(timer_guest)));
	d.stop_vectors[0x41 / 64] = 1ULL << (0x41 % 64);
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_SET_DEBUG, &d));
	RUN_EXPECT_VECTOR(t, 0x40);		/* 0x41 is not 0x40 */
	RUN_EXPECT_OUT(t, 0x14, 0x14);
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);

	ASSERT_EQ(0, irq_guest(t, GUEST(timer_guest)));
	d.stop_vectors[0x40 / 64] |= 1ULL << (0x40 % 64);
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_SET_DEBUG, &d));
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_STOP);
	EXPECT_EQ(VMXLAB_STOP_INJECT, t->run->stop.kind);
	EXPECT_EQ(INTR_VALID | INTR_EXT | 0x40, t->run->stop.inject_info);
	EXPECT_EQ(VMXLAB_SRC_LAPIC, t->run->stop.inject_source);
	EXPECT_EQ(0, count_of(t, 0x40));
	RUN_EXPECT_VECTOR(t, 0x40);
	EXPECT_EQ(1, count_of(t, 0x40));

	memset(&d, 0, sizeof(d));
	d.stop_vectors[3] = 1;
	EXPECT_EQ(-1, ioctl(t->vcpu, VMXLAB_SET_DEBUG, &d));
	EXPECT_EQ(EINVAL, errno);
}

/*
 * (d) Self-IPIs through the ICR (shorthand self, fixed): with IF = 0 it
 * waits in IRR until STI; with IF = 1 it is taken right after the write.
 */
GUEST_CODE(self_ipi,
	".code32\n"
	APIC_WRITE(0x0f0, 0x1ff)
	"cli\n"
	APIC_WRITE(0x300, 0x00044050)
	OUT(0x15)
	"sti\n"
	"nop\n"
	OUT(0x16)
	APIC_WRITE(0x300, 0x00044051)
	OUT(0x17)
	"cli\n"
	"hlt\n");

TEST_F(irq, self_ipi)
{
	struct tvm *t = &self->t;
	struct vmxlab_lapic_state s;

	ASSERT_EQ(0, irq_guest(t, GUEST(self_ipi)));
	RUN_EXPECT_OUT(t, 0x15, 0x15);
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_GET_LAPIC, &s));
	EXPECT_TRUE(lapic_vec(&s, APIC_IRR, 0x50));
	/* Delivery status (bit 12) idle, the rest as written. */
	EXPECT_EQ(0x00044050, lapic_reg(&s, APIC_ICR));
	EXPECT_EQ(0, count_of(t, 0x50));
	RUN_EXPECT_VECTOR(t, 0x50);
	RUN_EXPECT_OUT(t, 0x16, 0x16);
	RUN_EXPECT_VECTOR(t, 0x51);
	RUN_EXPECT_OUT(t, 0x17, 0x17);
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	EXPECT_EQ(1, count_of(t, 0x50));
	EXPECT_EQ(1, count_of(t, 0x51));
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_GET_LAPIC, &s));
	EXPECT_EQ(0, lapic_reg(&s, APIC_ISR + 0x20));	/* 0x40-0x5f */
	EXPECT_EQ(0, lapic_reg(&s, APIC_IRR + 0x20));
}

/*
 * (e) An NMI message reaches vector 2 although IF = 0, with the APIC
 * still software-disabled; a second one, sent while the guest is
 * stopped in HLT with IF = 0, is taken after that HLT.
 */
GUEST_CODE(nmi_guest,
	".code32\n"
	"cli\n"
	OUT(0x11)
	SPIN(1000)
	OUT(0x12)
	"hlt\n"
	OUT(0x13)
	"hlt\n");

TEST_F(irq, nmi_message)
{
	struct tvm *t = &self->t;
	const struct vmxlab_exit_record *rec;
	struct ring ring = { 0 };

	ASSERT_EQ(0, irq_guest(t, GUEST(nmi_guest)));
	ASSERT_EQ(0, ring_open(t, &ring));
	RUN_EXPECT_OUT(t, 0x11, 0x11);
	EXPECT_EQ(1, msi(t, 0xfee00000, 0x400));	/* delivery mode NMI */
	RUN_EXPECT_VECTOR(t, 2);
	RUN_EXPECT_OUT(t, 0x12, 0x12);
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	EXPECT_EQ(1, count_of(t, 2));
	EXPECT_EQ(1, msi(t, 0xfee00000, 0x400));
	RUN_EXPECT_VECTOR(t, 2);
	RUN_EXPECT_OUT(t, 0x13, 0x13);
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	EXPECT_EQ(2, count_of(t, 2));
	rec = ring_find(&ring, ~0U, VMXLAB_REC_INJECTED, INTR_VALID | INTR_NMI | 2);
	EXPECT_TRUE(rec != NULL);
	if (rec)
		EXPECT_EQ(VMXLAB_SRC_NMI, rec->inject_source);
	if (_metadata->passed == 0)
		ring_dump(&ring);
	ring_close(&ring);
}

/*
 * (g) A level-triggered MSI (trigger mode bit 15, assert bit 14): TMR
 * set, and the guest's EOI returns VMXLAB_EXIT_EOI with the vector, for
 * the IOAPIC in userspace (SDM 11.8.5).
 */
GUEST_CODE(level_guest,
	".code32\n"
	APIC_WRITE(0x0f0, 0x1ff)
	"sti\n"
	"nop\n"
	OUT(0x11)
	"cli\n"
	OUT(0x12)
	"hlt\n");

TEST_F(irq, level_msi_eoi_exit)
{
	struct tvm *t = &self->t;
	struct vmxlab_lapic_state s;

	ASSERT_EQ(0, irq_guest(t, GUEST(level_guest)));
	RUN_EXPECT_OUT(t, 0x11, 0x11);
	EXPECT_EQ(1, msi(t, 0xfee00000, 0xc060));
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_GET_LAPIC, &s));
	EXPECT_TRUE(lapic_vec(&s, APIC_IRR, 0x60));
	EXPECT_TRUE(lapic_vec(&s, APIC_TMR, 0x60));
	RUN_EXPECT_VECTOR(t, 0x60);
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_GET_LAPIC, &s));
	EXPECT_TRUE(lapic_vec(&s, APIC_ISR, 0x60));
	EXPECT_FALSE(lapic_vec(&s, APIC_IRR, 0x60));
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_EOI);
	EXPECT_EQ(0x60, t->run->eoi.vector);
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_GET_LAPIC, &s));
	EXPECT_FALSE(lapic_vec(&s, APIC_ISR, 0x60));
	RUN_EXPECT_OUT(t, 0x12, 0x12);
	ASSERT_EQ(0, tvm_run(t));
	EXPECT_EXIT(t, VMXLAB_EXIT_HLT);
	EXPECT_EQ(1, count_of(t, 0x60));
}

/* ---- 3. the host stays in charge -------------------------------------- */

/*
 * A periodic timer with initial count 1 (1 ns: the kernel makes it
 * 100 us) and self-IPIs in a tight loop, every handler silent: the guest
 * never exits to userspace by itself.
 */
GUEST_CODE(flood_guest,
	".code32\n"
	APIC_WRITE(0x0f0, 0x1ff)
	APIC_WRITE(0x3e0, 0xb)
	APIC_WRITE(0x320, 0x20040)
	APIC_WRITE(0x380, 1)
	"sti\n"
	"1:\n"
	APIC_WRITE(0x300, 0x00044050)
	"jmp 1b\n");

#define FLOOD_SECONDS	2
#define MIN_PERIOD	100e-6

static struct vmxlab_run *flood_run;

static void on_alarm(int sig)
{
	/* KVM's pattern: a signal just before RUN must not be lost. */
	if (flood_run)
		flood_run->immediate_exit = 1;
}

TEST_F(irq, flood_host_keeps_running)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct tvm *t = &self->t;
	struct vmxlab_lapic_state s;
	unsigned long sleeps, expected;
	struct progress p;
	uint32_t ticks, ipis;
	double t0, ran;
	int r;

	ASSERT_EQ(0, irq_guest(t, GUEST(flood_guest)));
	*(volatile uint32_t *)(t->mem + GUEST_QUIET) = 1;
	/* The guest and the sleeper share CPU 0. */
	ASSERT_EQ(0, pin_to_cpu(0));
	ASSERT_EQ(0, progress_start(&p, 0));
	/* No SA_RESTART: the alarm must end the RUN it interrupts. */
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	flood_run = t->run;
	t0 = now_seconds();
	alarm(FLOOD_SECONDS);
	r = tvm_run(t);
	ran = now_seconds() - t0;
	alarm(0);
	flood_run = NULL;
	sleeps = progress_stop(&p, &expected);
	t->run->immediate_exit = 0;

	ticks = count_of(t, 0x40);
	ipis = count_of(t, 0x50);
	fprintf(stderr, "# RUN returned %d after %.2f s: %u timer ticks, %u self-IPIs; sleeper %lu of %lu sleeps\n",
	       r, ran, ticks, ipis, sleeps, expected);
	if (r != -EINTR)
		tvm_dump_exit(t);
	EXPECT_EQ(-EINTR, r);
	EXPECT_EQ(VMXLAB_EXIT_INTR, t->run->exit_reason);
	EXPECT_LE(FLOOD_SECONDS - 0.5, ran);
	EXPECT_GE(FLOOD_SECONDS + 3.0, ran);
	EXPECT_LT(0, sleeps);
	EXPECT_LT(0, ticks);
	EXPECT_LT(0, ipis);
	/* At most one tick per 100 us: the period was clamped. */
	EXPECT_GE((uint32_t)(ran / MIN_PERIOD) + 2, ticks);
	/* The current count runs over the clamped period (100 us = 100000). */
	ASSERT_EQ(0, ioctl(t->vcpu, VMXLAB_GET_LAPIC, &s));
	EXPECT_EQ(1, lapic_reg(&s, APIC_TMICT));
	EXPECT_GE(100000, lapic_reg(&s, APIC_TMCCT));
	/* The vCPU is still usable: RUN again, stopped by immediate_exit. */
	t->run->immediate_exit = 1;
	EXPECT_EQ(-EINTR, tvm_run(t));
	EXPECT_EQ(VMXLAB_EXIT_INTR, t->run->exit_reason);
	t->run->immediate_exit = 0;
}

TEST_HARNESS_MAIN
