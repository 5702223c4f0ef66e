// SPDX-License-Identifier: GPL-2.0
/*
 * test-image.c - format detection and loading of flat, ELF32, ELF64
 * and multiboot images, well-formed and malformed.
 */
#include <elf.h>
#include <stdlib.h>

#include "elfgen.h"
#include "image.h"
#include "multiboot.h"
#include "tap.h"
#include "util.h"

#define MEM	(16ULL << 20)

static uint8_t file[64 * 1024];

/* Guest RAM full of 0xaa, so that zeroing (bss) is visible. */
static struct guest new_guest(uint64_t size)
{
	struct guest g = { malloc(size), size };

	memset(g.ram, 0xaa, size);
	return g;
}

static int load(const struct load_request *req, struct guest *g,
		struct boot_state *bs, struct capture *c)
{
	int ret;

	capture_start(c);
	ret = image_load(req, g, bs);
	capture_end(c);
	return ret;
}

static struct load_request request(const uint8_t *data, size_t size)
{
	return (struct load_request){ .path = "t.img", .data = data,
				      .size = size, .cmdline = "t.img" };
}

TEST(flat_defaults_real_mode_at_0x1000)
{
	static const uint8_t code[] = { 0xfa, 0xf4 };
	struct load_request req = request(code, sizeof(code));
	struct guest g = new_guest(MEM);
	struct capture c = { 0 };
	struct boot_state bs;

	CHECK_EQ(load(&req, &g, &bs, &c), 0);
	CHECK_EQ(bs.format, IMAGE_FLAT);
	CHECK_EQ(bs.mode, MODE_REAL);
	CHECK_EQ(bs.entry, 0x1000);
	CHECK_EQ(bs.rsp, 0x1000);
	CHECK_EQ(g.ram[0x1000], 0xfa);
	CHECK_EQ(g.ram[0x1001], 0xf4);
	CHECK_EQ(g.ram[0x1002], 0xaa);	/* nothing else written */
	CHECK_EQ(g.ram[BOOT_GDT + 8], 0xaa);
	CHECK_EQ(bs.nranges, 1);	/* real mode reserves nothing */
}

TEST(flat_load_entry_and_mode)
{
	static const uint8_t code[16] = { 1, 2, 3 };
	struct load_request req = request(code, sizeof(code));
	struct guest g = new_guest(MEM);
	struct capture c = { 0 };
	struct boot_state bs;

	req.have_load = req.have_entry = req.have_mode = true;
	req.load = 0x200000;
	req.entry = 0x200004;
	req.mode = MODE_LONG;
	CHECK_EQ(load(&req, &g, &bs, &c), 0);
	CHECK_EQ(bs.mode, MODE_LONG);
	CHECK_EQ(bs.entry, 0x200004);
	CHECK_EQ(bs.rsp, BOOT_STACK_TOP);
	CHECK_EQ(g.ram[0x200002], 3);
	CHECK_EQ(bs.image_end, 0x200010);
}

TEST(flat_errors)
{
	static uint8_t big[0x71000];
	struct load_request req = request(big, 16);
	struct guest g = new_guest(1 << 20);
	struct capture c = { 0 };
	struct boot_state bs;

	/* Larger than guest memory. */
	req.size = sizeof(big);
	g.ram_size = 0x40000;
	CHECK_EQ(load(&req, &g, &bs, &c), -1);
	CHECK_CONTAINS(c.buf, "is larger than guest memory");
	g.ram_size = 1 << 20;

	/* Runs into the boot area in protected mode. */
	req.have_mode = true;
	req.mode = MODE_PROTECTED;
	CHECK_EQ(load(&req, &g, &bs, &c), -1);
	CHECK_CONTAINS(c.buf, "the image at 0x1000-0x71fff overlaps the "
		       "loader's boot area at 0x70000-0x7ffff");
	/* The same image is fine in real mode, which needs no boot area. */
	req.mode = MODE_REAL;
	CHECK_EQ(load(&req, &g, &bs, &c), 0);

	/* Real mode cannot start above 64 KiB. */
	req.size = 16;
	req.have_load = true;
	req.load = 0x20000;
	CHECK_EQ(load(&req, &g, &bs, &c), -1);
	CHECK_CONTAINS(c.buf, "unsupported mode: real-mode entry 0x20000");

	/* Outside memory. */
	req.mode = MODE_PROTECTED;
	req.load = 0xffff8;
	CHECK_EQ(load(&req, &g, &bs, &c), -1);
	CHECK_CONTAINS(c.buf, "lies outside guest memory");
	req.load = 0x1000;
	req.have_entry = true;
	req.entry = 0x100000;
	CHECK_EQ(load(&req, &g, &bs, &c), -1);
	CHECK_CONTAINS(c.buf, "entry point 0x100000 is outside guest memory");
}

TEST(detect_rejects_empty_and_foreign_files)
{
	struct capture c = { 0 };
	enum image_format f;
	static uint8_t bz[0x300];

	capture_start(&c);
	CHECK_EQ(image_detect("e.bin", file, 0, &f), -1);
	capture_end(&c);
	CHECK_CONTAINS(c.buf, "image e.bin is empty");

	memcpy(bz + 0x202, "HdrS", 4);
	capture_start(&c);
	CHECK_EQ(image_detect("bz", bz, sizeof(bz), &f), -1);
	capture_end(&c);
	CHECK_CONTAINS(c.buf, "not recognised (it looks like a Linux bzImage)");
	CHECK_CONTAINS(c.buf, "vmxlab loads flat binaries, ELF32, ELF64 "
		       "and multiboot v1 images");

	capture_start(&c);
	CHECK_EQ(image_detect("pe", (const uint8_t *)"MZ\x90", 3, &f), -1);
	CHECK_EQ(image_detect("gz", (const uint8_t *)"\x1f\x8b\x08", 3, &f),
		 -1);
	CHECK_EQ(image_detect("elf3", (const uint8_t *)"\x7f" "ELF\x03", 5,
			      &f), -1);
	capture_end(&c);
	CHECK_CONTAINS(c.buf, "DOS or PE executable");
	CHECK_CONTAINS(c.buf, "gzip-compressed data");
	CHECK_CONTAINS(c.buf, "an ELF file of an unknown class");

	CHECK_EQ(image_detect("f", (const uint8_t *)"\xeb\xfe", 2, &f), 0);
	CHECK_EQ(f, IMAGE_FLAT);
}

static const uint8_t text[] = "TEXTTEXT";
static const uint8_t data[] = "DATA";

static size_t two_segments(bool is64, uint64_t entry)
{
	struct elfgen_seg segs[] = {
		/* vaddr differs from paddr: the loader must use paddr. */
		{ PT_LOAD, 0x100000, 0xc0100000, text, 8, 8 },
		{ PT_NOTE, 0, 0, data, 4, 4 },
		{ PT_LOAD, 0x102000, 0xc0102000, data, 4, 0x100 },
	};

	return elfgen(file, sizeof(file), is64, entry, segs, 3);
}

static void check_two_segments(const struct guest *g,
			       const struct boot_state *bs)
{
	CHECK(!memcmp(g->ram + 0x100000, "TEXTTEXT", 8));
	CHECK_EQ(g->ram[0x100008], 0xaa);	/* past memsz: untouched */
	CHECK(!memcmp(g->ram + 0x102000, "DATA", 4));
	CHECK_EQ(g->ram[0x102004], 0);		/* bss zeroed ... */
	CHECK_EQ(g->ram[0x1020ff], 0);		/* ... to the end */
	CHECK_EQ(g->ram[0x102100], 0xaa);
	CHECK_EQ(g->ram[0xc0], 0xaa);
	CHECK_EQ(bs->image_end, 0x102100);
}

TEST(elf32_loads_at_paddr_with_bss)
{
	struct load_request req = request(file, two_segments(false, 0x100004));
	struct guest g = new_guest(MEM);
	struct capture c = { 0 };
	struct boot_state bs;

	CHECK_EQ(load(&req, &g, &bs, &c), 0);
	CHECK_STR(c.buf, "");
	CHECK_EQ(bs.format, IMAGE_ELF32);
	CHECK_EQ(bs.mode, MODE_PROTECTED);
	CHECK_EQ(bs.entry, 0x100004);
	check_two_segments(&g, &bs);
}

TEST(elf64_loads_in_long_mode)
{
	struct load_request req = request(file, two_segments(true, 0x100000));
	struct guest g = new_guest(MEM);
	struct capture c = { 0 };
	struct boot_state bs;

	CHECK_EQ(load(&req, &g, &bs, &c), 0);
	CHECK_EQ(bs.format, IMAGE_ELF64);
	CHECK_EQ(bs.mode, MODE_LONG);
	CHECK_EQ(bs.entry, 0x100000);
	check_two_segments(&g, &bs);
}

/* Builds a one-segment ELF, lets @mangle break it, expects @msg. */
static void elf_error(bool is64, struct elfgen_seg seg,
		      void (*mangle)(size_t *size), const char *msg)
{
	size_t size = elfgen(file, sizeof(file), is64, seg.paddr, &seg, 1);
	struct guest g = new_guest(MEM);
	struct capture c = { 0 };
	struct boot_state bs;
	struct load_request req;

	if (mangle)
		mangle(&size);
	req = request(file, size);
	CHECK_EQ(load(&req, &g, &bs, &c), -1);
	CHECK_CONTAINS(c.buf, msg);
	free(g.ram);
}

static void truncate_header(size_t *size) { *size = 20; }
static void phdrs_outside(size_t *size) { file[0x1c] = 0xf0; file[0x1d] = 0xff; }
static void wrong_machine(size_t *size) { file[0x12] = 0x28; }	/* ARM */
static void shared_object(size_t *size) { file[0x10] = ET_DYN; }
static void big_endian(size_t *size) { file[EI_DATA] = ELFDATA2MSB; }
static void no_phdrs(size_t *size) { file[0x2c] = 0; }
static void cut_data(size_t *size) { *size = ELFGEN_DATA_OFFSET + 2; }

TEST(elf_malformed_headers)
{
	struct elfgen_seg ok = { PT_LOAD, 0x100000, 0x100000, text, 8, 8 };

	elf_error(false, ok, truncate_header, "truncated ELF header (20 bytes)");
	elf_error(false, ok, phdrs_outside,
		  "ELF program headers lie outside the file");
	elf_error(false, ok, wrong_machine, "ELF32 file for machine 40, not i386");
	elf_error(false, ok, shared_object, "is not an executable (ET_EXEC)");
	elf_error(true, ok, big_endian, "not a little-endian ELF file");
	elf_error(false, ok, no_phdrs, "ELF file has no program headers");
}

TEST(elf_malformed_segments)
{
	struct elfgen_seg ok = { PT_LOAD, 0x100000, 0x100000, text, 8, 8 };
	struct elfgen_seg s;

	elf_error(false, ok, cut_data, "segment 0 (file offset 0x1000, 0x8 "
		  "bytes) lies outside the file");
	s = ok;
	s.memsz = 4;
	elf_error(false, s, NULL, "segment 0 has a file size larger than its "
		  "memory size");
	s = ok;
	s.paddr = MEM - 4;
	elf_error(true, s, NULL, "a loadable segment at 0xfffffc-0x1000003 "
		  "lies outside guest memory");
	s = ok;
	s.paddr = 0xfffffffffffffff0ULL;	/* wraps around */
	elf_error(true, s, NULL, "lies outside guest memory");
	s = ok;
	s.paddr = 0x7f000;
	elf_error(false, s, NULL, "overlaps the loader's boot area");
	s = ok;
	s.type = PT_NOTE;
	elf_error(false, s, NULL, "ELF file has no loadable segments");
}

TEST(elf_overlapping_segments_and_bad_entry)
{
	struct elfgen_seg segs[] = {
		{ PT_LOAD, 0x100000, 0x100000, text, 8, 0x2000 },
		{ PT_LOAD, 0x101000, 0x101000, data, 4, 4 },
	};
	struct guest g = new_guest(MEM);
	struct capture c = { 0 };
	struct boot_state bs;
	struct load_request req;

	req = request(file, elfgen(file, sizeof(file), false, 0x100000,
				   segs, 2));
	CHECK_EQ(load(&req, &g, &bs, &c), -1);
	CHECK_CONTAINS(c.buf, "a loadable segment at 0x101000-0x101003 "
		       "overlaps a loadable segment at 0x100000-0x101fff");

	req = request(file, elfgen(file, sizeof(file), true, 0x40000000,
				   segs, 1));
	CHECK_EQ(load(&req, &g, &bs, &c), -1);
	CHECK_CONTAINS(c.buf, "entry point 0x40000000 is outside guest memory");
}

TEST(flat_options_refused_for_elf)
{
	struct load_request req = request(file, two_segments(false, 0x100000));
	struct guest g = new_guest(MEM);
	struct capture c = { 0 };
	struct boot_state bs;

	req.have_mode = true;
	CHECK_EQ(load(&req, &g, &bs, &c), -1);
	CHECK_CONTAINS(c.buf, "--load, --entry and --mode apply to flat "
		       "binaries only, and this image is ELF32");
}

/* A multiboot header at @off of @buf. */
static void put_mb_header(uint8_t *buf, size_t off, uint32_t flags)
{
	uint32_t h[3] = { MB_HEADER_MAGIC, flags,
			  -(MB_HEADER_MAGIC + flags) };

	memcpy(buf + off, h, sizeof(h));
}

static uint32_t rd32(const struct guest *g, uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, g->ram + gpa, 4);
	return v;
}

TEST(multiboot_elf_info_and_modules)
{
	static const uint8_t mod0[] = "first module";
	static const uint8_t mod1[5000] = "second";
	struct image_module mods[] = {
		{ "m0.txt", mod0, sizeof(mod0) },
		{ "m1.bin arg1 arg2", mod1, sizeof(mod1) },
	};
	uint8_t kernel[64] = { 0 };
	struct elfgen_seg seg = { PT_LOAD, 0x100000, 0x100000, kernel,
				  sizeof(kernel), 0x3000 };
	struct guest g = new_guest(MEM);
	struct capture c = { 0 };
	struct boot_state bs;
	struct load_request req;
	uint32_t mbi, mmap, m;

	put_mb_header(kernel, 16, MB_HF_PAGE_ALIGN | MB_HF_MEMINFO);
	req = request(file, elfgen(file, sizeof(file), false, 0x100020,
				   &seg, 1));
	req.cmdline = "kernel.elf hello world";
	req.modules = mods;
	req.nmodules = 2;
	CHECK_EQ(load(&req, &g, &bs, &c), 0);
	CHECK_STR(c.buf, "");
	CHECK_EQ(bs.format, IMAGE_MULTIBOOT);
	CHECK_EQ(bs.mode, MODE_PROTECTED);
	CHECK_EQ(bs.entry, 0x100020);
	CHECK_EQ(bs.rax, MB_BOOT_MAGIC);
	CHECK_EQ(bs.rbx, BOOT_MBI);

	mbi = BOOT_MBI;
	CHECK_EQ(rd32(&g, mbi + MBI_FLAGS), MB_INFO_MEMORY | MB_INFO_CMDLINE |
		 MB_INFO_MODS | MB_INFO_MMAP | MB_INFO_LOADER_NAME);
	CHECK_EQ(rd32(&g, mbi + MBI_MEM_LOWER), 639);	/* the EBDA's below */
	CHECK_EQ(rd32(&g, mbi + MBI_MEM_UPPER), 15 * 1024);
	CHECK_STR((char *)g.ram + rd32(&g, mbi + MBI_CMDLINE),
		  "kernel.elf hello world");
	CHECK_STR((char *)g.ram + rd32(&g, mbi + MBI_LOADER_NAME), "vmxlab");

	/* Memory map: low RAM, the EBDA and legacy hole, RAM above 1 MiB. */
	mmap = rd32(&g, mbi + MBI_MMAP_ADDR);
	CHECK_EQ(rd32(&g, mbi + MBI_MMAP_LENGTH), 72);
	CHECK_EQ(rd32(&g, mmap), 20);
	CHECK_EQ(rd32(&g, mmap + 12), 0x9fc00);
	CHECK_EQ(rd32(&g, mmap + 20), 1);
	CHECK_EQ(rd32(&g, mmap + 24 + 4), 0x9fc00);
	CHECK_EQ(rd32(&g, mmap + 24 + 12), 0x60400);
	CHECK_EQ(rd32(&g, mmap + 24 + 20), 2);
	CHECK_EQ(rd32(&g, mmap + 48 + 4), 0x100000);
	CHECK_EQ(rd32(&g, mmap + 48 + 12), MEM - 0x100000);

	/* Modules: page-aligned after the kernel's bss, in order. */
	CHECK_EQ(rd32(&g, mbi + MBI_MODS_COUNT), 2);
	m = rd32(&g, mbi + MBI_MODS_ADDR);
	CHECK_EQ(rd32(&g, m), 0x103000);
	CHECK_EQ(rd32(&g, m + 4), 0x103000 + sizeof(mod0));
	CHECK_STR((char *)g.ram + rd32(&g, m + 8), "m0.txt");
	CHECK_STR((char *)g.ram + 0x103000, "first module");
	CHECK_EQ(rd32(&g, m + 16), 0x104000);
	CHECK_EQ(rd32(&g, m + 20), 0x104000 + sizeof(mod1));
	CHECK_STR((char *)g.ram + rd32(&g, m + 24), "m1.bin arg1 arg2");
	CHECK_EQ(g.ram[0x104000 + 4999], 0);
	CHECK_EQ(g.ram[0x102fff], 0);		/* kernel bss zeroed */
}

TEST(multiboot_aout_kludge)
{
	uint32_t h[8] = { MB_HEADER_MAGIC, MB_HF_AOUT_KLUDGE, 0,
			  0x200010,	/* header_addr */
			  0x200000,	/* load_addr */
			  0x200100,	/* load_end_addr */
			  0x201000,	/* bss_end_addr */
			  0x200040 };	/* entry_addr */
	struct guest g = new_guest(MEM);
	struct capture c = { 0 };
	struct boot_state bs;
	struct load_request req;

	h[2] = -(h[0] + h[1]);
	memset(file, 0x5c, 0x200);
	memcpy(file + 0x10, h, sizeof(h));
	req = request(file, 0x200);
	CHECK_EQ(load(&req, &g, &bs, &c), 0);
	CHECK_STR(c.buf, "");
	CHECK_EQ(bs.format, IMAGE_MULTIBOOT);
	CHECK_EQ(bs.entry, 0x200040);
	CHECK_EQ(g.ram[0x200000], 0x5c);
	CHECK_EQ(g.ram[0x2000ff], 0x5c);	/* up to load_end_addr */
	CHECK_EQ(g.ram[0x200100], 0);		/* then bss */
	CHECK_EQ(g.ram[0x200fff], 0);
	CHECK_EQ(g.ram[0x201000], 0xaa);
	CHECK_EQ(rd32(&g, BOOT_MBI + MBI_MODS_COUNT), 0);

	/* header_addr below load_addr cannot be. */
	h[3] = 0x1ff000;
	memcpy(file + 0x10, h, sizeof(h));
	CHECK_EQ(load(&req, &g, &bs, &c), -1);
	CHECK_CONTAINS(c.buf, "load_addr 0x200000 is inconsistent with "
		       "header_addr 0x1ff000");

	/* load_end_addr past the end of the file. */
	h[3] = 0x200010;
	h[5] = 0x200400;
	memcpy(file + 0x10, h, sizeof(h));
	CHECK_EQ(load(&req, &g, &bs, &c), -1);
	CHECK_CONTAINS(c.buf, "extends past the end of the file");
}

TEST(multiboot_header_rules)
{
	struct guest g = new_guest(MEM);
	struct capture c = { 0 };
	struct boot_state bs;
	struct load_request req = request(file, 0x3000);
	enum image_format f;
	size_t off;

	/* A bad checksum is no header: the file is flat. */
	memset(file, 0, sizeof(file));
	put_mb_header(file, 0x100, 0);
	file[0x108] ^= 1;
	CHECK_EQ(multiboot_find_header(file, 0x3000, &off), -1);
	CHECK_EQ(image_detect("f", file, 0x3000, &f), 0);
	CHECK_EQ(f, IMAGE_FLAT);

	/* Only the first 8 KiB are searched, at 4-byte alignment. */
	memset(file, 0, sizeof(file));
	put_mb_header(file, 0x2000, 0);
	CHECK_EQ(multiboot_find_header(file, 0x3000, &off), -1);
	put_mb_header(file, 0x1ff4, 0);
	CHECK_EQ(multiboot_find_header(file, 0x3000, &off), 0);
	CHECK_EQ(off, 0x1ff4);
	memset(file, 0, sizeof(file));
	put_mb_header(file, 0x102, 0);
	CHECK_EQ(multiboot_find_header(file, 0x3000, &off), -1);

	/* A video mode is a requirement vmxlab cannot meet. */
	memset(file, 0, sizeof(file));
	put_mb_header(file, 0, MB_HF_VIDEO);
	CHECK_EQ(load(&req, &g, &bs, &c), -1);
	CHECK_CONTAINS(c.buf, "requires features vmxlab does not provide "
		       "(flags 0x4");

	/* Neither ELF nor flag 16. */
	memset(file, 0, sizeof(file));
	put_mb_header(file, 0, MB_HF_MEMINFO);
	CHECK_EQ(load(&req, &g, &bs, &c), -1);
	CHECK_CONTAINS(c.buf, "neither ELF nor marked with the address "
		       "fields of flag 16");
}

TEST(multiboot_module_must_fit)
{
	static uint8_t huge[0x10000];
	struct image_module mod = { "huge.bin", huge, sizeof(huge) };
	uint8_t kernel[64] = { 0 };
	struct elfgen_seg seg = { PT_LOAD, 0x100000, 0x100000, kernel,
				  sizeof(kernel), sizeof(kernel) };
	struct guest g = new_guest(0x108000);
	struct capture c = { 0 };
	struct boot_state bs;
	struct load_request req;

	put_mb_header(kernel, 0, 0);
	req = request(file, elfgen(file, sizeof(file), false, 0x100000,
				   &seg, 1));
	req.modules = &mod;
	req.nmodules = 1;
	CHECK_EQ(load(&req, &g, &bs, &c), -1);
	CHECK_CONTAINS(c.buf, "huge.bin: a multiboot module at "
		       "0x101000-0x110fff lies outside guest memory");
}
