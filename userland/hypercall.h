/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hypercall.h - vmxlab's hypercall ABI, served by the loader.
 *
 * A guest executes VMCALL with the number in RAX and up to four arguments
 * in RBX, RCX, RDX and RSI; the result comes back in RAX.  An unknown
 * number returns HC_ERROR (all ones).
 */
#ifndef VMXLAB_HYPERCALL_H
#define VMXLAB_HYPERCALL_H

#include <stdint.h>

#include "platform.h"

#define HC_PING		0	/* returns HC_PING_MAGIC */
#define HC_PUTC		1	/* writes the low byte of RBX to the console */
#define HC_EXIT		2	/* ends the run with status (RBX << 1) | 1 */
#define HC_SUM		3	/* returns RBX + RCX + RDX + RSI */

#define HC_PING_MAGIC	0x766d786cULL	/* "vmxl" */
#define HC_ERROR	(~0ULL)

/* Serves hypercall @nr; returns the value for RAX. */
uint64_t hypercall_handle(struct platform *p, uint64_t nr,
			  const uint64_t args[4]);

#endif /* VMXLAB_HYPERCALL_H */
