/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bootstate.h - the vCPU state a loaded image starts in.
 *
 * real       CS=DS=ES=SS=FS=GS=0 (base 0, limit 0xffff), IP=entry,
 *            SP=entry, CR0=ET|NE
 * protected  flat 4 GiB segments from the boot GDT (CS=0x08, data 0x10),
 *            CR0=PE|ET|NE, paging off, ESP=0x70000
 * long       CS=0x18 (64-bit), data 0x10, CR0=PE|ET|NE|WP|PG, CR4=PAE,
 *            EFER=LME|LMA, CR3=0x71000: 4 GiB identity-mapped with
 *            2 MiB pages, RSP=0x70000
 *
 * In every mode RFLAGS=0x2 (interrupts off), the TSS is a busy 32-bit TSS
 * (VM entry requires a usable TR), LDTR is unusable and the APIC base MSR
 * is 0xfee00900 (enabled, BSP).
 */
#ifndef VMXLAB_BOOTSTATE_H
#define VMXLAB_BOOTSTATE_H

#include <linux/vmxlab.h>

#include "../kmod/vmx_bits.h"
#include "guest.h"
#include "image.h"

#define X86_CR0_PE	(1ULL << 0)
#define X86_CR0_ET	(1ULL << 4)
#define X86_CR0_NE	(1ULL << 5)
#define X86_CR0_WP	(1ULL << 16)
#define X86_CR0_PG	(1ULL << 31)
#define X86_CR4_PSE	(1ULL << 4)
#define X86_CR4_PAE	(1ULL << 5)
#define X86_CR4_LA57	(1ULL << 12)
#define X86_EFER_LME	(1ULL << 8)
#define X86_EFER_LMA	(1ULL << 10)
#define X86_RFLAGS_FIXED (1ULL << 1)
#define X86_RFLAGS_IF	(1ULL << 9)

/* VMX access-rights bytes (SDM Table 25-2). */
#define AR_CODE_REAL	0x009b
#define AR_DATA_REAL	0x0093
#define AR_CODE32	0xc09b
#define AR_CODE64	0xa09b
#define AR_DATA32	0xc093
#define AR_TSS_BUSY	0x008b

#define APIC_BASE_MSR_VALUE	0xfee00900ULL

/*
 * Writes the boot GDT, TSS and (long mode) page tables into the boot area
 * and fills @regs and @sregs for the entry described by @bs.
 */
void boot_setup_cpu(const struct guest *g, const struct boot_state *bs,
		    struct vmxlab_regs *regs, struct vmxlab_sregs *sregs);

#endif /* VMXLAB_BOOTSTATE_H */
