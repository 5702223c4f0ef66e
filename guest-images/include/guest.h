/* SPDX-License-Identifier: GPL-2.0 */
/*
 * guest.h - what every vmxlab guest image knows about its platform.
 * Only #defines, so both assembly (.S) and C include it.
 */
#ifndef GUEST_H
#define GUEST_H

#define COM1		0x3f8
#define COM1_LSR	0x3fd
#define COM1_SCR	0x3ff
#define DEBUG_EXIT	0xf4

/* The pass/fail convention (README.md): exit status 33 or 35. */
#define GUEST_PASS	0x10
#define GUEST_FAIL	0x11

#define APIC_GPA	0xfee00000
#define SCRATCH_GPA	0xd0000000

/* The hypercall ABI (userland/hypercall.h). */
#define HC_PING		0
#define HC_PUTC		1
#define HC_EXIT		2
#define HC_SUM		3
#define HC_PING_MAGIC	0x766d786c

#define MB_HEADER_MAGIC	0x1badb002
#define MB_BOOT_MAGIC	0x2badb002

#endif /* GUEST_H */
