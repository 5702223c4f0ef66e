// SPDX-License-Identifier: GPL-2.0
/* elfgen.c - builds small ELF files in memory for the loader tests. */
#include <elf.h>
#include <string.h>

#include "elfgen.h"

size_t elfgen(uint8_t *buf, size_t cap, bool is64, uint64_t entry,
	      const struct elfgen_seg *segs, unsigned n)
{
	uint64_t off = ELFGEN_DATA_OFFSET;
	unsigned i;

	memset(buf, 0, cap);
	if (is64) {
		Elf64_Ehdr h = {
			.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3,
				     ELFCLASS64, ELFDATA2LSB, EV_CURRENT },
			.e_type = ET_EXEC, .e_machine = EM_X86_64,
			.e_version = EV_CURRENT, .e_entry = entry,
			.e_phoff = sizeof(Elf64_Ehdr),
			.e_ehsize = sizeof(Elf64_Ehdr),
			.e_phentsize = sizeof(Elf64_Phdr), .e_phnum = n,
		};

		memcpy(buf, &h, sizeof(h));
	} else {
		Elf32_Ehdr h = {
			.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3,
				     ELFCLASS32, ELFDATA2LSB, EV_CURRENT },
			.e_type = ET_EXEC, .e_machine = EM_386,
			.e_version = EV_CURRENT, .e_entry = entry,
			.e_phoff = sizeof(Elf32_Ehdr),
			.e_ehsize = sizeof(Elf32_Ehdr),
			.e_phentsize = sizeof(Elf32_Phdr), .e_phnum = n,
		};

		memcpy(buf, &h, sizeof(h));
	}
	for (i = 0; i < n; i++) {
		const struct elfgen_seg *s = &segs[i];

		if (is64) {
			Elf64_Phdr p = {
				.p_type = s->type, .p_offset = off,
				.p_vaddr = s->vaddr, .p_paddr = s->paddr,
				.p_filesz = s->filesz, .p_memsz = s->memsz,
				.p_flags = PF_R | PF_X, .p_align = 0x1000,
			};

			memcpy(buf + sizeof(Elf64_Ehdr) + i * sizeof(p), &p,
			       sizeof(p));
		} else {
			Elf32_Phdr p = {
				.p_type = s->type, .p_offset = off,
				.p_vaddr = s->vaddr, .p_paddr = s->paddr,
				.p_filesz = s->filesz, .p_memsz = s->memsz,
				.p_flags = PF_R | PF_X, .p_align = 0x1000,
			};

			memcpy(buf + sizeof(Elf32_Ehdr) + i * sizeof(p), &p,
			       sizeof(p));
		}
		if (s->data && off + s->filesz <= cap)
			memcpy(buf + off, s->data, s->filesz);
		off += (s->filesz + 0xfff) & ~0xfffULL;
	}
	return off;
}
