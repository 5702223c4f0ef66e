/* SPDX-License-Identifier: GPL-2.0 */
/*
 * apic_regs.h - the local APIC's register map and bits, written once in
 * plain C for the kernel's LAPIC (lapic.c) and the loader (the stepper's
 * `apic` command, the guests' tests).  SDM Vol. 3A chapter 11, Table 11-1
 * "Local APIC Register Address Map" and Table 11-6 for x2APIC MSRs.
 *
 * The LAPIC_ prefix keeps clear of Linux's own <asm/apicdef.h>.
 */
#ifndef VMXLAB_APIC_REGS_H
#define VMXLAB_APIC_REGS_H

/* Registers are 32 bits; IA32_APIC_BASE is 64. */
#define LAPIC_BIT(n)		(1U << (n))
#define LAPIC_BIT_ULL(n)	(1ULL << (n))

/* Offsets in the 4 KiB xAPIC page; each register heads a 16-byte slot. */
#define LAPIC_ID		0x020
#define LAPIC_VERSION		0x030
#define LAPIC_TPR		0x080
#define LAPIC_APR		0x090
#define LAPIC_PPR		0x0a0
#define LAPIC_EOI		0x0b0
#define LAPIC_RRD		0x0c0
#define LAPIC_LDR		0x0d0
#define LAPIC_DFR		0x0e0
#define LAPIC_SVR		0x0f0
#define LAPIC_ISR		0x100	/* 8 registers, 32 vectors each */
#define LAPIC_TMR		0x180
#define LAPIC_IRR		0x200
#define LAPIC_ESR		0x280
#define LAPIC_LVT_CMCI		0x2f0
#define LAPIC_ICR_LOW		0x300
#define LAPIC_ICR_HIGH		0x310
#define LAPIC_LVT_TIMER		0x320
#define LAPIC_LVT_THERMAL	0x330
#define LAPIC_LVT_PERF		0x340
#define LAPIC_LVT_LINT0		0x350
#define LAPIC_LVT_LINT1		0x360
#define LAPIC_LVT_ERROR		0x370
#define LAPIC_TIMER_INITIAL	0x380
#define LAPIC_TIMER_CURRENT	0x390
#define LAPIC_TIMER_DIVIDE	0x3e0
#define LAPIC_SELF_IPI		0x3f0	/* x2APIC only (MSR 0x83f) */
#define LAPIC_REGS_SIZE		0x400	/* struct vmxlab_lapic_state */

/* x2APIC: MSR 0x800 + offset / 16 (SDM 11.12.1.2). */
#define LAPIC_X2APIC_MSR_BASE	0x800
#define LAPIC_X2APIC_MSR_LAST	0x8ff
#define LAPIC_MSR_TSC_DEADLINE	0x6e0

/*
 * The registers that exist as x2APIC MSRs, and those it may write (SDM
 * 11.12.1.2, Table 11-6): a RDMSR or WRMSR of any other is #GP.  DFR,
 * APR and ICR_HIGH are gone; EOI and SELF IPI are write-only.
 */
static inline int lapic_x2apic_reg_exists(unsigned int off)
{
	switch (off) {
	case LAPIC_ID: case LAPIC_VERSION: case LAPIC_TPR: case LAPIC_PPR:
	case LAPIC_EOI: case LAPIC_LDR: case LAPIC_SVR: case LAPIC_ESR:
	case LAPIC_ICR_LOW: case LAPIC_LVT_TIMER: case LAPIC_LVT_THERMAL:
	case LAPIC_LVT_PERF: case LAPIC_LVT_LINT0: case LAPIC_LVT_LINT1:
	case LAPIC_LVT_ERROR: case LAPIC_TIMER_INITIAL:
	case LAPIC_TIMER_CURRENT: case LAPIC_TIMER_DIVIDE: case LAPIC_SELF_IPI:
		return 1;
	default:
		return off >= LAPIC_ISR && off < LAPIC_ESR;
	}
}

static inline int lapic_x2apic_reg_writable(unsigned int off)
{
	switch (off) {
	case LAPIC_TPR: case LAPIC_EOI: case LAPIC_SVR: case LAPIC_ESR:
	case LAPIC_ICR_LOW: case LAPIC_LVT_TIMER: case LAPIC_LVT_THERMAL:
	case LAPIC_LVT_PERF: case LAPIC_LVT_LINT0: case LAPIC_LVT_LINT1:
	case LAPIC_LVT_ERROR: case LAPIC_TIMER_INITIAL: case LAPIC_TIMER_DIVIDE:
	case LAPIC_SELF_IPI:
		return 1;
	default:
		return 0;
	}
}

/* Version: 0x14 (integrated APIC), max LVT entry 5 (six LVTs, no CMCI). */
#define LAPIC_VERSION_VALUE	0x00050014

/* Spurious-interrupt vector register (SDM 11.9). */
#define LAPIC_SVR_ENABLE	LAPIC_BIT(8)
#define LAPIC_SVR_VECTOR	0xffU

/* LVT entries (SDM 11.5.1, Figure 11-8). */
#define LAPIC_LVT_VECTOR	0xffU
#define LAPIC_LVT_DM_SHIFT	8
#define LAPIC_LVT_DM_MASK	(7U << 8)
#define LAPIC_LVT_PENDING	LAPIC_BIT(12)	/* delivery status */
#define LAPIC_LVT_LEVEL_LOW	LAPIC_BIT(13)	/* input pin polarity */
#define LAPIC_LVT_REMOTE_IRR	LAPIC_BIT(14)
#define LAPIC_LVT_LEVEL		LAPIC_BIT(15)	/* trigger mode */
#define LAPIC_LVT_MASKED	LAPIC_BIT(16)
#define LAPIC_TIMER_MODE_SHIFT	17
#define LAPIC_TIMER_MODE_MASK	(3U << 17)
#define LAPIC_TIMER_ONESHOT	0
#define LAPIC_TIMER_PERIODIC	1
#define LAPIC_TIMER_TSC_DEADLINE 2

/* Delivery modes, LVT and ICR (SDM Table 11-2, Figure 11-12). */
#define LAPIC_DM_FIXED		0
#define LAPIC_DM_LOWEST		1
#define LAPIC_DM_SMI		2
#define LAPIC_DM_NMI		4
#define LAPIC_DM_INIT		5
#define LAPIC_DM_SIPI		6
#define LAPIC_DM_EXTINT		7

/* Interrupt command register, low word (SDM 11.6.1, Figure 11-12). */
#define LAPIC_ICR_VECTOR	0xffU
#define LAPIC_ICR_DM_SHIFT	8
#define LAPIC_ICR_LOGICAL	LAPIC_BIT(11)
#define LAPIC_ICR_BUSY		LAPIC_BIT(12)
#define LAPIC_ICR_ASSERT	LAPIC_BIT(14)
#define LAPIC_ICR_LEVEL		LAPIC_BIT(15)
#define LAPIC_ICR_SHORTHAND_SHIFT 18
#define LAPIC_ICR_SH_NONE	0
#define LAPIC_ICR_SH_SELF	1
#define LAPIC_ICR_SH_ALL	2
#define LAPIC_ICR_SH_OTHERS	3
/* Bits of the low word that exist (x2APIC: the rest is reserved). */
#define LAPIC_ICR_LOW_DEFINED	0x000ccfffU

/* Error status register (SDM 11.5.3, Figure 11-9). */
#define LAPIC_ESR_SEND_ILLEGAL	LAPIC_BIT(5)
#define LAPIC_ESR_RECV_ILLEGAL	LAPIC_BIT(6)
#define LAPIC_ESR_ILLEGAL_REG	LAPIC_BIT(7)

/* Destination format register: flat (0xf) or cluster (0x0) model. */
#define LAPIC_DFR_FLAT		0xffffffffU
#define LAPIC_DFR_CLUSTER	0x0fffffffU

/* IA32_APIC_BASE (SDM 11.4.4, 11.12.1). */
#define LAPIC_BASE_BSP		LAPIC_BIT_ULL(8)
#define LAPIC_BASE_EXTD		LAPIC_BIT_ULL(10)
#define LAPIC_BASE_ENABLE	LAPIC_BIT_ULL(11)
#define LAPIC_DEFAULT_BASE	0xfee00000ULL

/*
 * The timer's input: vmxlab's APIC runs at a 1 GHz bus clock (one count
 * per nanosecond before the divider), as KVM's does; CPUID does not
 * report it, so guests calibrate it as on real hardware.
 */
#define LAPIC_BUS_HZ		1000000000ULL

/* Divide configuration (SDM 11.5.4, Figure 11-10): bits 3, 1:0. */
static inline unsigned int lapic_divisor(unsigned int dcr)
{
	unsigned int v = (dcr & 3) | ((dcr >> 1) & 4);

	return v == 7 ? 1 : 2U << v;
}

#endif /* VMXLAB_APIC_REGS_H */
