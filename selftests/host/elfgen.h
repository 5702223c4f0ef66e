/* SPDX-License-Identifier: GPL-2.0 */
/* elfgen.h - builds small ELF files in memory for the loader tests. */
#ifndef VMXLAB_ELFGEN_H
#define VMXLAB_ELFGEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct elfgen_seg {
	uint32_t type;		/* PT_LOAD, ... */
	uint64_t paddr, vaddr;
	const void *data;
	uint64_t filesz, memsz;
};

/*
 * Writes an ELF32 (@is64 false) or ELF64 executable into @buf: headers,
 * then each segment's bytes from file offset 0x1000 on.  Returns its size.
 */
size_t elfgen(uint8_t *buf, size_t cap, bool is64, uint64_t entry,
	      const struct elfgen_seg *segs, unsigned n);

/* Offsets of fields the tests corrupt. */
#define ELFGEN_DATA_OFFSET	0x1000

#endif /* VMXLAB_ELFGEN_H */
