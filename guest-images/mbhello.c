// SPDX-License-Identifier: GPL-2.0
/*
 * mbhello - a multiboot v1 kernel in C.  Prints what the boot loader
 * handed over: the command line, mem_lower/mem_upper, the memory map and
 * the modules (with the first line of each).  Passes when the magic is
 * right, the required information is flagged, and mem_upper agrees with
 * the memory map.  ELF32, entered in protected mode.
 */
#include <stdint.h>

#include "io.h"

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr, syms[4], mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr, config_table, boot_loader_name;
};

struct mb_module {
	uint32_t start, end, string, reserved;
};

struct mb_mmap {
	uint32_t size;
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));

#define MBI_MEM		(1U << 0)
#define MBI_CMDLINE	(1U << 2)
#define MBI_MODS	(1U << 3)
#define MBI_MMAP	(1U << 6)
#define MBI_NAME	(1U << 9)

static void print_modules(const struct mb_info *mbi)
{
	const struct mb_module *m = (void *)(uintptr_t)mbi->mods_addr;
	uint32_t i;

	puts_("modules: ");
	put_dec(mbi->mods_count);
	putc_('\n');
	for (i = 0; i < mbi->mods_count; i++) {
		const char *p = (const char *)(uintptr_t)m[i].start;

		puts_("module ");
		put_dec(i);
		puts_(": ");
		put_hex(m[i].start);
		putc_('-');
		put_hex(m[i].end);
		puts_(" '");
		puts_((const char *)(uintptr_t)m[i].string);
		puts_("' starts with: ");
		while (p < (const char *)(uintptr_t)m[i].end && *p != '\n')
			putc_(*p++);
		putc_('\n');
	}
}

/* The end of the available range that starts at 1 MiB, 0 if none. */
static uint64_t print_mmap(const struct mb_info *mbi)
{
	uint32_t off = 0;
	uint64_t upper_end = 0;

	while (off < mbi->mmap_length) {
		const struct mb_mmap *e =
			(void *)(uintptr_t)(mbi->mmap_addr + off);

		puts_("mmap: ");
		put_hex(e->addr);
		puts_(" len ");
		put_hex(e->len);
		puts_(" type ");
		put_dec(e->type);
		putc_('\n');
		if (e->type == 1 && e->addr == 0x100000)
			upper_end = e->addr + e->len;
		off += e->size + 4;
	}
	return upper_end;
}

int kmain(uint32_t magic, const struct mb_info *mbi)
{
	const uint32_t need = MBI_MEM | MBI_CMDLINE | MBI_MODS | MBI_MMAP;
	uint64_t upper_end;

	puts_("mbhello: multiboot magic ");
	put_hex(magic);
	putc_('\n');
	if (magic != MB_BOOT_MAGIC) {
		puts_("mbhello: wrong magic\n");
		return GUEST_FAIL;
	}
	if ((mbi->flags & need) != need) {
		puts_("mbhello: information missing, flags ");
		put_hex(mbi->flags);
		putc_('\n');
		return GUEST_FAIL;
	}
	if (mbi->flags & MBI_NAME) {
		puts_("boot loader: ");
		puts_((const char *)(uintptr_t)mbi->boot_loader_name);
		putc_('\n');
	}
	puts_("cmdline: ");
	puts_((const char *)(uintptr_t)mbi->cmdline);
	putc_('\n');
	puts_("mem_lower: ");
	put_dec(mbi->mem_lower);
	puts_(" KiB, mem_upper: ");
	put_dec(mbi->mem_upper);
	puts_(" KiB\n");
	upper_end = print_mmap(mbi);
	print_modules(mbi);
	if (upper_end != 0x100000 + (uint64_t)mbi->mem_upper * 1024) {
		puts_("mbhello: mem_upper disagrees with the memory map\n");
		return GUEST_FAIL;
	}
	puts_("mbhello: ok\n");
	return GUEST_PASS;
}
