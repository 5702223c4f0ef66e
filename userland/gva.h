/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gva.h - reading guest memory as the guest's CPU sees it.
 *
 * The loader maps guest RAM itself, so it can fetch the bytes of an
 * exiting instruction without asking the module: it applies the CS base
 * and walks the guest's page tables (32-bit, PAE, 4- and 5-level).
 */
#ifndef VMXLAB_GVA_H
#define VMXLAB_GVA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/vmxlab.h>

#include "guest.h"

/* 16, 32 or 64: the code size the CPU is executing in. */
unsigned cpu_code_bits(const struct vmxlab_sregs *s);
/* Linear address to guest-physical address; false if not mapped. */
bool gva_translate(const struct guest *g, const struct vmxlab_sregs *s,
		   uint64_t la, uint64_t *gpa);
/*
 * The linear address where the handler of @vector starts, read from the
 * guest's IDT as the processor would on delivery (SDM Vol. 3A 6.10-6.14:
 * the real-mode IVT, a protected-mode gate and its code segment's base,
 * or a 16-byte IA-32e gate).  False when the IDT or GDT entry is beyond
 * its limit, not present, or not in RAM.
 */
bool idt_handler(const struct guest *g, const struct vmxlab_sregs *s,
		 uint8_t vector, uint64_t *linear);
/* Up to @len bytes at CS:RIP; returns how many could be read. */
size_t fetch_insn(const struct guest *g, const struct vmxlab_sregs *s,
		  uint64_t rip, uint8_t *buf, size_t len);

#endif /* VMXLAB_GVA_H */
