// SPDX-License-Identifier: GPL-2.0
/*
 * image-elf.c - ELF32 (i386) and ELF64 (x86-64) executables.
 *
 * Each PT_LOAD segment is copied to its physical address (p_paddr), as a
 * boot loader does, and its bss tail is zeroed.  Everything read from the
 * file is bounds-checked first: a malformed image gets one sentence, not
 * a crash.
 */
#include <elf.h>
#include <inttypes.h>
#include <string.h>

#include "image.h"
#include "util.h"

/* The fields we use, the same for both classes. */
struct elf_info {
	bool is64;
	uint16_t type, machine, phentsize, phnum;
	uint64_t entry, phoff;
};

struct elf_phdr {
	uint32_t type;
	uint64_t offset, paddr, filesz, memsz;
};

static int read_ehdr(const struct load_request *req, struct elf_info *e)
{
	const uint8_t *d = req->data;

	e->is64 = req->size > EI_CLASS && d[EI_CLASS] == ELFCLASS64;
	if (req->size < (e->is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr))) {
		error("%s: truncated ELF header (%zu bytes)", req->path,
		      req->size);
		return -1;
	}
	if (d[EI_DATA] != ELFDATA2LSB) {
		error("%s: not a little-endian ELF file", req->path);
		return -1;
	}
	if (e->is64) {
		Elf64_Ehdr h;

		memcpy(&h, d, sizeof(h));
		e->type = h.e_type;
		e->machine = h.e_machine;
		e->entry = h.e_entry;
		e->phoff = h.e_phoff;
		e->phentsize = h.e_phentsize;
		e->phnum = h.e_phnum;
	} else {
		Elf32_Ehdr h;

		memcpy(&h, d, sizeof(h));
		e->type = h.e_type;
		e->machine = h.e_machine;
		e->entry = h.e_entry;
		e->phoff = h.e_phoff;
		e->phentsize = h.e_phentsize;
		e->phnum = h.e_phnum;
	}
	if (e->machine != (e->is64 ? EM_X86_64 : EM_386)) {
		error("%s: ELF%d file for machine %u, not %s", req->path,
		      e->is64 ? 64 : 32, e->machine,
		      e->is64 ? "x86-64" : "i386");
		return -1;
	}
	if (e->type != ET_EXEC) {
		error("%s: ELF file of type %u is not an executable (ET_EXEC)",
		      req->path, e->type);
		return -1;
	}
	if (e->phnum == 0) {
		error("%s: ELF file has no program headers", req->path);
		return -1;
	}
	if (e->phentsize != (e->is64 ? sizeof(Elf64_Phdr) :
			     sizeof(Elf32_Phdr))) {
		error("%s: ELF program header size %u is wrong", req->path,
		      e->phentsize);
		return -1;
	}
	if (e->phoff > req->size ||
	    (uint64_t)e->phnum * e->phentsize > req->size - e->phoff) {
		error("%s: ELF program headers lie outside the file",
		      req->path);
		return -1;
	}
	return 0;
}

static void read_phdr(const struct load_request *req,
		      const struct elf_info *e, unsigned i,
		      struct elf_phdr *ph)
{
	const uint8_t *p = req->data + e->phoff + (uint64_t)i * e->phentsize;

	if (e->is64) {
		Elf64_Phdr h;

		memcpy(&h, p, sizeof(h));
		*ph = (struct elf_phdr){ h.p_type, h.p_offset, h.p_paddr,
					 h.p_filesz, h.p_memsz };
	} else {
		Elf32_Phdr h;

		memcpy(&h, p, sizeof(h));
		*ph = (struct elf_phdr){ h.p_type, h.p_offset, h.p_paddr,
					 h.p_filesz, h.p_memsz };
	}
}

static int load_segment(const struct load_request *req,
			const struct guest *g, struct boot_state *bs,
			unsigned i, const struct elf_phdr *ph)
{
	if (ph->filesz > ph->memsz) {
		error("%s: segment %u has a file size larger than its memory "
		      "size", req->path, i);
		return -1;
	}
	if (ph->offset > req->size || ph->filesz > req->size - ph->offset) {
		error("%s: segment %u (file offset 0x%" PRIx64 ", 0x%" PRIx64
		      " bytes) lies outside the file", req->path, i,
		      ph->offset, ph->filesz);
		return -1;
	}
	if (range_claim(bs, g, ph->paddr, ph->memsz, "a loadable segment",
			req->path))
		return -1;
	memcpy(g->ram + ph->paddr, req->data + ph->offset, ph->filesz);
	/* bss: fresh RAM is zero, but be explicit about it. */
	memset(g->ram + ph->paddr + ph->filesz, 0, ph->memsz - ph->filesz);
	if (ph->paddr + ph->memsz > bs->image_end)
		bs->image_end = ph->paddr + ph->memsz;
	return 0;
}

int elf_load(const struct load_request *req, const struct guest *g,
	     struct boot_state *bs, bool multiboot)
{
	struct elf_info e;
	unsigned i, loaded = 0;

	if (read_ehdr(req, &e))
		return -1;
	if (range_claim(bs, g, BOOT_AREA_START,
			BOOT_AREA_END - BOOT_AREA_START,
			"the loader's boot area", req->path))
		return -1;
	for (i = 0; i < e.phnum; i++) {
		struct elf_phdr ph;

		read_phdr(req, &e, i, &ph);
		if (ph.type != PT_LOAD || ph.memsz == 0)
			continue;
		if (load_segment(req, g, bs, i, &ph))
			return -1;
		loaded++;
	}
	if (!loaded) {
		error("%s: ELF file has no loadable segments", req->path);
		return -1;
	}
	if (e.entry >= g->ram_size) {
		error("entry point 0x%" PRIx64 " is outside guest memory "
		      "(0x%" PRIx64 " bytes)", e.entry, g->ram_size);
		return -1;
	}
	bs->entry = e.entry;
	bs->rsp = BOOT_STACK_TOP;
	/* A multiboot kernel is always entered in 32-bit protected mode. */
	bs->mode = (e.is64 && !multiboot) ? MODE_LONG : MODE_PROTECTED;
	return 0;
}
