/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bios.h - what a PC BIOS leaves in low memory for the OS it boots: the
 * BIOS data area, the extended BIOS data area, and the tables that name
 * the interrupt hardware, both the Intel MultiProcessor Specification
 * 1.4 ones (what xv6 reads) and ACPI's RSDP, RSDT and MADT (what Linux
 * reads).
 *
 *   0x00400 - 0x004ff  BDA: COM1 port, equipment word, EBDA segment,
 *                      base memory size (639 KiB: the EBDA is above)
 *   0x9fc00 - 0x9ffff  EBDA, 1 KiB (it holds only its size)
 *   0xf0000 - 0xf0fff  MP floating pointer, RSDP, MP configuration
 *                      table, RSDT and MADT, where a BIOS ROM has them
 */
#ifndef VMXLAB_BIOS_H
#define VMXLAB_BIOS_H

#include <linux/vmxlab.h>

#include "guest.h"

/* The BIOS data area, segment 0x40, and the fields written in it. */
#define BIOS_BDA		0x400ULL
#define BIOS_BDA_SIZE		0x100ULL
#define BDA_COM1_PORT		0x400ULL	/* u16: I/O base of COM1 */
#define BDA_EBDA_SEGMENT	0x40eULL	/* u16: real-mode segment */
#define BDA_EQUIPMENT		0x410ULL	/* u16: equipment list */
#define BDA_BASE_MEM_KB		0x413ULL	/* u16: KiB below the EBDA */

/* The extended BIOS data area: the last KiB of the 640 KiB. */
#define BIOS_EBDA		0x9fc00ULL
#define BIOS_EBDA_SIZE		0x400ULL

/* The table area in the BIOS ROM segment, and each table in it. */
#define BIOS_TABLES		0xf0000ULL
#define BIOS_TABLES_SIZE	0x1000ULL
#define BIOS_MP_FLOATING	0xf0000ULL	/* 16 bytes, 16-aligned */
#define BIOS_ACPI_RSDP		0xf0010ULL	/* 20 bytes, 16-aligned */
#define BIOS_MP_CONFIG		0xf0100ULL	/* up to 516 bytes */
#define BIOS_ACPI_RSDT		0xf0400ULL	/* 40 bytes */
#define BIOS_ACPI_MADT		0xf0440ULL	/* up to 200 bytes */

#define BIOS_MAX_CPUS		VMXLAB_MAX_VCPUS

/*
 * Writes the BDA, EBDA, MP and ACPI tables for @ncpus CPUs (APIC IDs
 * 0..ncpus-1, CPU 0 the bootstrap processor, one IOAPIC with ID ncpus).
 *
 * Call it after the image is loaded: the tables go only where guest RAM
 * still holds nothing but zeros, so that an image (a flat binary, say)
 * that occupies one of the three areas keeps its bytes.  The guest then
 * finds no tables, as on a PC whose BIOS has none; an image that uses
 * them is never loaded there.  (An image's bss is zeros too, and not
 * told apart: loaders put kernels at 1 MiB and above.)
 *
 * Returns 0 when written, 1 when skipped for that reason (with a
 * message through info()), -1 with a message through error() when
 * guest RAM is smaller than 1 MiB or @ncpus is not 1..BIOS_MAX_CPUS.
 */
int bios_tables_write(const struct guest *g, unsigned ncpus);

#endif /* VMXLAB_BIOS_H */
