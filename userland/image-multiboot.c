// SPDX-License-Identifier: GPL-2.0
/*
 * image-multiboot.c - multiboot v1 kernels, loaded the way QEMU's -kernel
 * loads them.
 *
 * The kernel is an ELF file (program headers at physical addresses) or,
 * with header flag 16, a raw image placed by the header's address fields.
 * Modules follow the kernel on 4 KiB boundaries (above 1 MiB); the
 * information structure, memory map and strings live in the boot area.
 * Entry is in 32-bit flat protected mode, EAX = 0x2BADB002, EBX = info.
 */
#include <inttypes.h>
#include <string.h>

#include "bios.h"
#include "image.h"
#include "multiboot.h"
#include "util.h"

static uint32_t rd32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

int multiboot_find_header(const uint8_t *data, size_t size, size_t *off)
{
	size_t o, lim = size < MB_SEARCH_LEN ? size : MB_SEARCH_LEN;

	for (o = 0; o + 12 <= lim; o += 4) {
		uint32_t magic = rd32(data + o);
		uint32_t flags = rd32(data + o + MB_H_FLAGS);
		uint32_t sum = rd32(data + o + MB_H_CHECKSUM);

		if (magic == MB_HEADER_MAGIC &&
		    (uint32_t)(magic + flags + sum) == 0) {
			*off = o;
			return 0;
		}
	}
	return -1;
}

/* Flag 16: load by the header's address fields. */
static int load_kludge(const struct load_request *req, const struct guest *g,
		       struct boot_state *bs, size_t hoff)
{
	const uint8_t *h = req->data + hoff;
	uint32_t header_addr, load_addr, load_end, bss_end;
	uint64_t file_off, len;

	if (hoff + MB_H_KLUDGE_END > req->size) {
		error("%s: truncated multiboot header", req->path);
		return -1;
	}
	header_addr = rd32(h + MB_H_HEADER_ADDR);
	load_addr = rd32(h + MB_H_LOAD_ADDR);
	load_end = rd32(h + MB_H_LOAD_END_ADDR);
	bss_end = rd32(h + MB_H_BSS_END_ADDR);
	bs->entry = rd32(h + MB_H_ENTRY_ADDR);

	/* The header's file offset and header_addr pin the image. */
	if (header_addr < load_addr || header_addr - load_addr > hoff) {
		error("%s: multiboot load_addr 0x%x is inconsistent with "
		      "header_addr 0x%x", req->path, load_addr, header_addr);
		return -1;
	}
	file_off = hoff - (header_addr - load_addr);
	len = load_end ? (uint64_t)load_end - load_addr :
			 req->size - file_off;
	if (load_end && load_end < load_addr) {
		error("%s: multiboot load_end_addr is below load_addr",
		      req->path);
		return -1;
	}
	if (len > req->size - file_off) {
		error("%s: multiboot load range extends past the end of the "
		      "file", req->path);
		return -1;
	}
	if (bss_end && bss_end < load_addr + len) {
		error("%s: multiboot bss_end_addr is below the loaded image",
		      req->path);
		return -1;
	}
	if (range_claim(bs, g, load_addr,
			(bss_end ? bss_end : load_addr + len) - load_addr,
			"the kernel", req->path))
		return -1;
	memcpy(g->ram + load_addr, req->data + file_off, len);
	if (bss_end)
		memset(g->ram + load_addr + len, 0, bss_end - load_addr - len);
	bs->image_end = bss_end ? bss_end : load_addr + len;
	return 0;
}

struct strtab {
	uint64_t next, end;
};

/* Copies @s with its NUL into the string area; returns its GPA or 0. */
static uint64_t put_string(const struct guest *g, struct strtab *st,
			   const char *s)
{
	size_t n = strlen(s) + 1;
	uint64_t at = st->next;

	if (n > st->end - st->next)
		return 0;
	memcpy(g->ram + at, s, n);
	st->next += n;
	return at;
}

static void put_mmap_entry(const struct guest *g, uint64_t at,
			   uint64_t base, uint64_t len, uint32_t type)
{
	guest_w32(g, at, MB_MMAP_ENTRY_SIZE - 4);
	guest_w64(g, at + 4, base);
	guest_w64(g, at + 12, len);
	guest_w32(g, at + 20, type);
}

static int write_info(const struct load_request *req, const struct guest *g,
		      struct boot_state *bs)
{
	uint64_t mbi = BOOT_MBI, mmap = BOOT_MBI + MBI_MMAP_OFFSET;
	uint64_t mods = BOOT_MBI + MBI_MODS_OFFSET;
	struct strtab st = { BOOT_MBI_STRINGS, BOOT_AREA_END };
	uint64_t cmdline, name, at;
	uint64_t next_mod;
	unsigned i;

	memset(g->ram + BOOT_MBI, 0, BOOT_AREA_END - BOOT_MBI);
	cmdline = put_string(g, &st, req->cmdline ? req->cmdline : "");
	name = put_string(g, &st, "vmxlab");
	if (!cmdline || !name) {
		error("%s: the multiboot command line is longer than %llu "
		      "bytes", req->path, BOOT_AREA_END - BOOT_MBI_STRINGS);
		return -1;
	}

	/* Modules: page-aligned, after the kernel and above 1 MiB. */
	next_mod = bs->image_end > 0x100000 ? bs->image_end : 0x100000;
	for (i = 0; i < req->nmodules; i++) {
		const struct image_module *m = &req->modules[i];
		uint64_t start = (next_mod + 0xfff) & ~0xfffULL;
		uint64_t str = put_string(g, &st, m->string);

		if (!str) {
			error("%s: the multiboot module strings are longer "
			      "than the boot area allows", req->path);
			return -1;
		}
		if (range_claim(bs, g, start, m->size ? m->size : 1,
				"a multiboot module", m->string))
			return -1;
		if (start + m->size > 0xffffffffULL) {
			error("%s: module does not fit below 4 GiB",
			      m->string);
			return -1;
		}
		memcpy(g->ram + start, m->data, m->size);
		at = mods + (uint64_t)i * MB_MOD_SIZE;
		guest_w32(g, at, start);
		guest_w32(g, at + 4, start + m->size);
		guest_w32(g, at + 8, str);
		guest_w32(g, at + 12, 0);
		next_mod = start + m->size;
	}

	/*
	 * The EBDA (bios.c) and the legacy hole stay out of the map, as on
	 * a PC: base memory ends where the BDA says, at 639 KiB.
	 */
	put_mmap_entry(g, mmap, 0, BIOS_EBDA, MB_MEMORY_AVAILABLE);
	put_mmap_entry(g, mmap + 24, BIOS_EBDA, 0x100000 - BIOS_EBDA,
		       MB_MEMORY_RESERVED);
	put_mmap_entry(g, mmap + 48, 0x100000, g->ram_size - 0x100000,
		       MB_MEMORY_AVAILABLE);

	guest_w32(g, mbi + MBI_FLAGS, MB_INFO_MEMORY | MB_INFO_CMDLINE |
		  MB_INFO_MODS | MB_INFO_MMAP | MB_INFO_LOADER_NAME);
	guest_w32(g, mbi + MBI_MEM_LOWER, BIOS_EBDA >> 10);
	guest_w32(g, mbi + MBI_MEM_UPPER, (g->ram_size - 0x100000) >> 10);
	guest_w32(g, mbi + MBI_CMDLINE, cmdline);
	guest_w32(g, mbi + MBI_MODS_COUNT, req->nmodules);
	guest_w32(g, mbi + MBI_MODS_ADDR, mods);
	guest_w32(g, mbi + MBI_MMAP_LENGTH, 3 * MB_MMAP_ENTRY_SIZE);
	guest_w32(g, mbi + MBI_MMAP_ADDR, mmap);
	guest_w32(g, mbi + MBI_LOADER_NAME, name);
	bs->mbi = mbi;
	bs->rax = MB_BOOT_MAGIC;
	bs->rbx = mbi;
	return 0;
}

int multiboot_load(const struct load_request *req, const struct guest *g,
		   struct boot_state *bs)
{
	size_t hoff;
	uint32_t flags;

	if (req->nmodules > IMAGE_MAX_MODULES) {
		error("too many modules (%u, at most %d)", req->nmodules,
		      IMAGE_MAX_MODULES);
		return -1;
	}
	if (multiboot_find_header(req->data, req->size, &hoff))
		return -1;
	flags = rd32(req->data + hoff + MB_H_FLAGS);
	if ((flags & 0xffff) & ~MB_HF_SUPPORTED) {
		error("%s: the multiboot header requires features vmxlab does "
		      "not provide (flags 0x%x; a video mode is flag 0x4)",
		      req->path, (flags & 0xffff) & ~MB_HF_SUPPORTED);
		return -1;
	}
	if (flags & MB_HF_AOUT_KLUDGE) {
		if (range_claim(bs, g, BOOT_AREA_START,
				BOOT_AREA_END - BOOT_AREA_START,
				"the loader's boot area", req->path) ||
		    load_kludge(req, g, bs, hoff))
			return -1;
		if (bs->entry >= g->ram_size) {
			error("entry point 0x%" PRIx64 " is outside guest "
			      "memory (0x%" PRIx64 " bytes)", bs->entry,
			      g->ram_size);
			return -1;
		}
	} else if (req->size >= 4 && !memcmp(req->data, "\x7f" "ELF", 4)) {
		if (elf_load(req, g, bs, true))
			return -1;
	} else {
		error("%s: multiboot image is neither ELF nor marked with "
		      "the address fields of flag 16", req->path);
		return -1;
	}
	bs->format = IMAGE_MULTIBOOT;
	bs->mode = MODE_PROTECTED;
	bs->rsp = BOOT_STACK_TOP;
	return write_info(req, g, bs);
}
