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

/* dev-uart.c: 16550 UART, output only. */
#define COM1_BASE		0x3f8
struct uart {
	FILE *out;		/* the platform console */
	uint8_t ier, lcr, mcr, msr, scr, fcr, dll, dlm;
};
int uart_attach(struct platform *p, struct uart *u, uint16_t base);

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

/* dev-pic.c: the two 8259A PICs; no interrupt is ever raised. */
struct pic8259 {
	uint8_t imr, irr, isr;
	uint8_t icw1, init_step, vector_base;
	uint8_t read_isr;
};
struct pic {
	struct pic8259 master, slave;
};
int pic_attach(struct platform *p, struct pic *pic);

/* dev-cmos.c: MC146818 RTC and CMOS RAM. */
struct cmos {
	uint8_t index;
	uint8_t nmi_disabled;
	uint8_t ram[128];
	time_t (*now)(void);	/* the host clock; tests substitute one */
};
#define CMOS_REG_A		0x0a
#define CMOS_REG_B		0x0b
#define CMOS_REG_C		0x0c
#define CMOS_REG_D		0x0d
int cmos_attach(struct platform *p, struct cmos *c, uint64_t ram_size,
		time_t (*now)(void));

/* dev-apic.c: the xAPIC register page, without interrupt delivery. */
#define APIC_BASE_GPA		0xfee00000ULL
#define APIC_ID			0x020
#define APIC_VERSION		0x030
#define APIC_TPR		0x080
#define APIC_EOI		0x0b0
#define APIC_LDR		0x0d0
#define APIC_DFR		0x0e0
#define APIC_SPIV		0x0f0
#define APIC_ICR_LOW		0x300
#define APIC_ICR_HIGH		0x310
#define APIC_LVT_TIMER		0x320
#define APIC_LVT_ERROR		0x370
/* 6 LVT entries (max LVT index 5), version 0x14. */
#define APIC_VERSION_VALUE	0x00050014
#define APIC_ICR_BUSY		(1U << 12)
struct apic {
	uint32_t regs[256];	/* one per 16-byte slot of the 4 KiB page */
};
int apic_attach(struct platform *p, struct apic *a, uint64_t gpa);

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
