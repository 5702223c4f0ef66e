/* SPDX-License-Identifier: GPL-2.0 */
/*
 * guest.h - guest RAM as the loader sees it, and the guest-physical map.
 *
 * Guest-physical address map (also in userland/README.md):
 *
 *   0x00000000 - mem-1       RAM (one slot; --mem, 1 MiB .. 3 GiB)
 *   0x00070000 - 0x0007ffff  boot area, written by the loader in protected
 *                            and long mode: GDT, TSS, page tables, the
 *                            multiboot information and strings
 *   0x00001000               default load address (and entry) of flat images
 *   0x00000400 - 0x000004ff  BIOS data area      } firmware tables, bios.c;
 *   0x0009fc00 - 0x0009ffff  extended BDA        } written only where the
 *   0x000f0000 - 0x000f0fff  MP and ACPI tables  } image left zeros
 *   0xd0000000 - 0xd0000fff  scratch MMIO device (dev-scratch.c)
 *   0xfee00000 - 0xfee00fff  xAPIC registers (dev-apic.c)
 *
 * RAM stops at 3 GiB so that the MMIO devices never sit inside it.
 */
#ifndef VMXLAB_GUEST_H
#define VMXLAB_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GUEST_MEM_MIN		(1ULL << 20)
#define GUEST_MEM_MAX		(3ULL << 30)
#define GUEST_MEM_DEFAULT	(16ULL << 20)

#define FLAT_LOAD_DEFAULT	0x1000ULL

/* The boot area: what the loader itself writes into guest memory. */
#define BOOT_AREA_START		0x70000ULL
#define BOOT_AREA_END		0x80000ULL
#define BOOT_GDT		0x70000ULL	/* 8 descriptors */
#define BOOT_TSS		0x70100ULL	/* 104-byte TSS */
#define BOOT_PML4		0x71000ULL
#define BOOT_PDPT		0x72000ULL
#define BOOT_PD			0x73000ULL	/* 4 pages: 4 GiB of 2 MiB */
#define BOOT_MBI		0x77000ULL	/* multiboot info + mmap */
#define BOOT_MBI_STRINGS	0x78000ULL	/* cmdline, module strings */
#define BOOT_STACK_TOP		0x70000ULL	/* initial rsp, grows down */

/* Selectors of the boot GDT. */
#define BOOT_CS32		0x08
#define BOOT_DS			0x10
#define BOOT_CS64		0x18
#define BOOT_TSS_SEL		0x20		/* 16 bytes in long mode */

struct guest {
	uint8_t *ram;
	uint64_t ram_size;
};

/* True when [gpa, gpa+len) lies inside RAM (and does not wrap). */
static inline bool guest_range_ok(const struct guest *g, uint64_t gpa,
				  uint64_t len)
{
	return gpa <= g->ram_size && len <= g->ram_size - gpa;
}

/* Host pointer to [gpa, gpa+len), or NULL when that is not all RAM. */
static inline void *guest_ptr(const struct guest *g, uint64_t gpa,
			      uint64_t len)
{
	return guest_range_ok(g, gpa, len) ? g->ram + gpa : NULL;
}

/* Little-endian stores into guest RAM; the caller checked the range. */
static inline void guest_w8(const struct guest *g, uint64_t gpa, uint8_t v)
{
	g->ram[gpa] = v;
}

static inline void guest_w16(const struct guest *g, uint64_t gpa, uint16_t v)
{
	g->ram[gpa] = v;
	g->ram[gpa + 1] = v >> 8;
}

static inline void guest_w32(const struct guest *g, uint64_t gpa, uint32_t v)
{
	guest_w16(g, gpa, v);
	guest_w16(g, gpa + 2, v >> 16);
}

static inline void guest_w64(const struct guest *g, uint64_t gpa, uint64_t v)
{
	guest_w32(g, gpa, v);
	guest_w32(g, gpa + 4, v >> 32);
}

static inline uint32_t guest_r32(const struct guest *g, uint64_t gpa)
{
	const uint8_t *p = g->ram + gpa;

	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t guest_r64(const struct guest *g, uint64_t gpa)
{
	return guest_r32(g, gpa) | (uint64_t)guest_r32(g, gpa + 4) << 32;
}

#endif /* VMXLAB_GUEST_H */
