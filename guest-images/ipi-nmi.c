// SPDX-License-Identifier: GPL-2.0
/*
 * ipi-nmi - interprocessor interrupts to ourselves (SDM Vol. 3A 11.6):
 * a fixed IPI through the xAPIC ICR with the Self shorthand and one with
 * our own APIC ID as physical destination, an NMI through the ICR, then
 * in x2APIC mode the SELF IPI MSR 0x83f, the 64-bit ICR MSR 0x830 and an
 * NMI through it.  Each fixed IPI is sent with IF=0, seen pending in IRR,
 * then taken in a one-instruction interrupt window.  ELF64, long mode, C.
 */
#define TEST_NAME "ipi-nmi"
#include "intr.h"

#define V_SELF		0x50
#define V_PHYS		0x51
#define V_X2_SELF_MSR	0x52
#define V_X2_ICR	0x53
#define NMI_VECTOR	2

static volatile unsigned count[256];
static volatile uint64_t got_vector;
static volatile int isr_in, irr_in;
static volatile uint64_t nmi_rflags;

/* A fixed interrupt: in ISR (not IRR) while its handler runs, until the
 * EOI (SDM 11.8.4, 11.8.5). */
static void ipi_handler(struct intr_frame *f)
{
	count[f->vector]++;
	got_vector = f->vector;
	isr_in = apic_isr(f->vector);
	irr_in = apic_irr(f->vector);
	apic_eoi();
}

/* NMIs take vector 2 whatever the ICR's vector field says, are not
 * masked by IF and get no EOI (SDM 11.6.1, 6.8.1, 11.8.5). */
static void nmi_handler(struct intr_frame *f)
{
	count[NMI_VECTOR]++;
	nmi_rflags = f->rflags;
}

/* With IF=0: sent, so pending in IRR; then taken after sti; nop. */
static void check_fixed(unsigned vec, const char *what)
{
	want_eq("IPI pending in IRR with IF=0", apic_irr(vec), 1);
	want_eq("IPI not taken with IF=0", count[vec], 0);
	sti_nop_cli();
	want_eq("IPI taken in the interrupt window", count[vec], 1);
	want_eq("handler vector", got_vector, vec);
	want_eq("ISR bit set in the handler", isr_in, 1);
	want_eq("IRR bit clear in the handler", irr_in, 0);
	want_eq("ISR bit clear after EOI", apic_isr(vec), 0);
	ok(what);
}

/* NMI with IF=0: it must come without an interrupt window.  The write
 * that sends it exits to the hypervisor, so it is due at once; a few
 * thousand instructions is plenty. */
static void check_nmi(unsigned expect, const char *what)
{
	unsigned i;

	for (i = 0; i < 100000 && count[NMI_VECTOR] < expect; i++)
		pause_();
	want_eq("NMIs taken with IF=0", count[NMI_VECTOR], expect);
	want_eq("RFLAGS.IF of the context the NMI interrupted",
		nmi_rflags & RFLAGS_IF, 0);
	ok(what);
}

int main(void)
{
	uint32_t id;

	idt256_init();
	idt256_set_handler(NMI_VECTOR, nmi_handler);
	idt256_set_handler(V_SELF, ipi_handler);
	idt256_set_handler(V_PHYS, ipi_handler);
	idt256_set_handler(V_X2_SELF_MSR, ipi_handler);
	idt256_set_handler(V_X2_ICR, ipi_handler);
	pic_init(0x20, 0xff, 0xff);
	apic_sw_enable();
	id = apic_id();
	cli();

	apic_self_ipi(V_SELF);
	want_eq("ICR delivery status idle after the send",
		apic_read(LAPIC_ICR_LOW) & LAPIC_ICR_BUSY, 0);
	check_fixed(V_SELF, "xAPIC self IPI (shorthand self, fixed, vector 0x50)");

	/* No shorthand, physical destination mode, destination our ID. */
	apic_icr(id, LAPIC_DM_FIXED << LAPIC_ICR_DM_SHIFT | V_PHYS);
	check_fixed(V_PHYS, "xAPIC IPI to our own APIC ID (physical, fixed, vector 0x51)");

	/* The Self shorthand is valid with the fixed delivery mode only
	 * (SDM 11.6.1, the valid ICR combinations of Pentium 4 and later):
	 * an NMI to ourselves names our APIC ID. */
	apic_icr(id, LAPIC_DM_NMI << LAPIC_ICR_DM_SHIFT);
	check_nmi(1, "xAPIC NMI to our own APIC ID: vector 2 handler ran with IF=0");

	want_true("CPUID.1:ECX.x2APIC[21]",
		  cpuid_ecx(1) & CPUID_1_ECX_X2APIC, cpuid_ecx(1));
	x2apic_enable();
	/* SELF IPI: "identical to sending a self targeted edge triggered
	 * fixed interrupt with the specified vector" (SDM 11.12.11). */
	wrmsr(LAPIC_X2APIC_MSR_BASE + (LAPIC_SELF_IPI >> 4), V_X2_SELF_MSR);
	check_fixed(V_X2_SELF_MSR, "x2APIC SELF IPI MSR 0x83f (vector 0x52)");
	apic_self_ipi(V_X2_ICR);
	check_fixed(V_X2_ICR, "x2APIC ICR MSR 0x830, shorthand self (vector 0x53)");
	apic_icr(apic_id(), LAPIC_DM_NMI << LAPIC_ICR_DM_SHIFT);
	check_nmi(2, "x2APIC NMI through ICR MSR 0x830 to our x2APIC ID");
	return GUEST_PASS;
}
