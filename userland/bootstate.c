// SPDX-License-Identifier: GPL-2.0
/* bootstate.c - builds the entry state described in bootstate.h. */
#include <string.h>

#include "bootstate.h"

/* A GDT descriptor from its base, 20-bit limit and access/flag bytes. */
static uint64_t gdt_entry(uint32_t base, uint32_t limit, uint32_t ar)
{
	return (limit & 0xffffULL) |
	       ((uint64_t)(base & 0xffffff) << 16) |
	       ((uint64_t)(ar & 0xff) << 40) |
	       ((uint64_t)((limit >> 16) & 0xf) << 48) |
	       ((uint64_t)((ar >> 12) & 0xf) << 52) |
	       ((uint64_t)(base >> 24) << 56);
}

static void write_gdt(const struct guest *g)
{
	memset(g->ram + BOOT_GDT, 0, 8 * 8);
	guest_w64(g, BOOT_GDT + BOOT_CS32, gdt_entry(0, 0xfffff, AR_CODE32));
	guest_w64(g, BOOT_GDT + BOOT_DS, gdt_entry(0, 0xfffff, AR_DATA32));
	guest_w64(g, BOOT_GDT + BOOT_CS64, gdt_entry(0, 0xfffff, AR_CODE64));
	/* 16 bytes in long mode; the upper half (base 63:32) is zero. */
	guest_w64(g, BOOT_GDT + BOOT_TSS_SEL,
		  gdt_entry(BOOT_TSS, 0x67, AR_TSS_BUSY));
	memset(g->ram + BOOT_TSS, 0, 0x68);
	/* No I/O bitmap: its offset points past the limit. */
	guest_w16(g, BOOT_TSS + 0x66, 0x68);
}

/* PML4 -> one PDPT -> four page directories of 2 MiB pages. */
static void write_page_tables(const struct guest *g)
{
	unsigned i;

	memset(g->ram + BOOT_PML4, 0, 6 * 0x1000);
	guest_w64(g, BOOT_PML4, BOOT_PDPT | 0x3);	/* present, writable */
	for (i = 0; i < 4; i++)
		guest_w64(g, BOOT_PDPT + 8 * i, (BOOT_PD + 0x1000 * i) | 0x3);
	for (i = 0; i < 4 * 512; i++)
		guest_w64(g, BOOT_PD + 8 * i,
			  ((uint64_t)i << 21) | 0x83);	/* + page size */
}

static struct vmxlab_segment seg(uint16_t sel, uint64_t base,
				 uint32_t limit, uint32_t ar)
{
	return (struct vmxlab_segment){ .base = base, .limit = limit,
					.selector = sel, .ar = ar };
}

void boot_setup_cpu(const struct guest *g, const struct boot_state *bs,
		    struct vmxlab_regs *regs, struct vmxlab_sregs *sregs)
{
	struct vmxlab_segment code, data;

	memset(regs, 0, sizeof(*regs));
	memset(sregs, 0, sizeof(*sregs));
	regs->rip = bs->entry;
	regs->rsp = bs->rsp;
	regs->rax = bs->rax;
	regs->rbx = bs->rbx;
	regs->rflags = X86_RFLAGS_FIXED;
	sregs->apic_base = APIC_BASE_MSR_VALUE;
	sregs->ldt = seg(0, 0, 0, VMXLAB_AR_UNUSABLE);

	if (bs->mode == MODE_REAL) {
		code = seg(0, 0, 0xffff, AR_CODE_REAL);
		data = seg(0, 0, 0xffff, AR_DATA_REAL);
		sregs->tr = seg(0, 0, 0xffff, AR_TSS_BUSY);
		sregs->gdt.limit = 0xffff;
		sregs->idt.limit = 0x3ff;	/* the real-mode IVT */
		sregs->cr0 = X86_CR0_ET | X86_CR0_NE;
	} else {
		write_gdt(g);
		sregs->gdt.base = BOOT_GDT;
		sregs->gdt.limit = 6 * 8 - 1;
		sregs->tr = seg(BOOT_TSS_SEL, BOOT_TSS, 0x67, AR_TSS_BUSY);
		data = seg(BOOT_DS, 0, 0xffffffff, AR_DATA32);
		sregs->cr0 = X86_CR0_PE | X86_CR0_ET | X86_CR0_NE;
		if (bs->mode == MODE_PROTECTED) {
			code = seg(BOOT_CS32, 0, 0xffffffff, AR_CODE32);
		} else {
			write_page_tables(g);
			code = seg(BOOT_CS64, 0, 0xffffffff, AR_CODE64);
			sregs->cr0 |= X86_CR0_WP | X86_CR0_PG;
			sregs->cr3 = BOOT_PML4;
			sregs->cr4 = X86_CR4_PAE;
			sregs->efer = X86_EFER_LME | X86_EFER_LMA;
		}
	}
	sregs->cs = code;
	sregs->ds = sregs->es = sregs->fs = sregs->gs = sregs->ss = data;
}
