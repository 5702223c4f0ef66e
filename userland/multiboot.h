/* SPDX-License-Identifier: GPL-2.0 */
/* multiboot.h - the multiboot v1 structures vmxlab reads and writes. */
#ifndef VMXLAB_MULTIBOOT_H
#define VMXLAB_MULTIBOOT_H

#define MB_HEADER_MAGIC		0x1badb002U
#define MB_BOOT_MAGIC		0x2badb002U	/* in EAX at entry */
#define MB_SEARCH_LEN		8192

/* Header flags; bits 0-15 are requirements, 16-31 optional. */
#define MB_HF_PAGE_ALIGN	(1U << 0)	/* modules 4 KiB aligned */
#define MB_HF_MEMINFO		(1U << 1)	/* mem_* and mmap wanted */
#define MB_HF_VIDEO		(1U << 2)	/* video mode wanted */
#define MB_HF_AOUT_KLUDGE	(1U << 16)	/* address fields valid */
#define MB_HF_SUPPORTED		(MB_HF_PAGE_ALIGN | MB_HF_MEMINFO)

/* Header offsets (from the magic). */
#define MB_H_FLAGS		4
#define MB_H_CHECKSUM		8
#define MB_H_HEADER_ADDR	12
#define MB_H_LOAD_ADDR		16
#define MB_H_LOAD_END_ADDR	20
#define MB_H_BSS_END_ADDR	24
#define MB_H_ENTRY_ADDR		28
#define MB_H_KLUDGE_END		32

/* Information structure flags and offsets. */
#define MB_INFO_MEMORY		(1U << 0)
#define MB_INFO_CMDLINE		(1U << 2)
#define MB_INFO_MODS		(1U << 3)
#define MB_INFO_MMAP		(1U << 6)
#define MB_INFO_LOADER_NAME	(1U << 9)

#define MBI_FLAGS		0
#define MBI_MEM_LOWER		4
#define MBI_MEM_UPPER		8
#define MBI_BOOT_DEVICE		12
#define MBI_CMDLINE		16
#define MBI_MODS_COUNT		20
#define MBI_MODS_ADDR		24
#define MBI_MMAP_LENGTH		44
#define MBI_MMAP_ADDR		48
#define MBI_LOADER_NAME		64
#define MBI_SIZE		88

/* Where the pieces go inside the boot area (guest.h). */
#define MBI_MMAP_OFFSET		0x100	/* from BOOT_MBI */
#define MBI_MODS_OFFSET		0x200
#define MB_MOD_SIZE		16	/* mod_start, mod_end, string, 0 */
#define MB_MMAP_ENTRY_SIZE	24	/* size field (20) + 20 bytes */
#define MB_MEMORY_AVAILABLE	1
#define MB_MEMORY_RESERVED	2

#endif /* VMXLAB_MULTIBOOT_H */
