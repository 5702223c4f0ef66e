/* SPDX-License-Identifier: GPL-2.0 */
/*
 * image.h - recognising a guest image and loading it into guest RAM.
 *
 * Formats, tried in this order:
 *   multiboot v1  header (magic 0x1BADB002) in the first 8 KiB
 *   ELF32         i386 executable, entered in 32-bit protected mode
 *   ELF64         x86-64 executable, entered in 64-bit long mode
 *   flat          anything else that is not a known foreign format,
 *                 copied to --load and entered at --entry in --mode
 *
 * Every failure prints one sentence through error() and returns -1.
 */
#ifndef VMXLAB_IMAGE_H
#define VMXLAB_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "guest.h"

enum image_format {
	IMAGE_FLAT,
	IMAGE_ELF32,
	IMAGE_ELF64,
	IMAGE_MULTIBOOT,
};

enum cpu_mode {
	MODE_REAL,
	MODE_PROTECTED,
	MODE_LONG,
};

#define IMAGE_MAX_MODULES	32
#define IMAGE_MAX_RANGES	(64 + IMAGE_MAX_MODULES)

struct image_module {
	const char *string;	/* as given to --module: "FILE [ARGS]" */
	const uint8_t *data;
	size_t size;
};

struct load_request {
	const char *path;		/* for messages */
	const uint8_t *data;
	size_t size;
	/* Flat images only; ignored (and refused by the CLI) otherwise. */
	bool have_load, have_entry, have_mode;
	uint64_t load, entry;
	enum cpu_mode mode;
	/* Multiboot only. */
	const char *cmdline;		/* "<image> <args>" */
	const struct image_module *modules;
	unsigned nmodules;
};

/* A range of guest memory that something was loaded into. */
struct load_range {
	uint64_t start, end;		/* [start, end) */
	const char *what;
};

struct boot_state {
	enum image_format format;
	enum cpu_mode mode;
	uint64_t entry;
	uint64_t rsp;
	uint64_t rax, rbx;		/* multiboot: magic and info address */
	struct load_range ranges[IMAGE_MAX_RANGES];
	unsigned nranges;
	uint64_t image_end;		/* end of the highest loaded byte */
	uint64_t mbi;			/* multiboot info GPA, 0 if none */
};

const char *image_format_name(enum image_format f);
const char *cpu_mode_name(enum cpu_mode m);
/* "real", "protected", "long" -> mode; false for anything else. */
bool parse_cpu_mode(const char *s, enum cpu_mode *m);

/*
 * Works out the format of @data without loading it.  Returns 0, or -1
 * (with a message) for an empty file or a foreign format.
 */
int image_detect(const char *path, const uint8_t *data, size_t size,
		 enum image_format *fmt);

/* Detects, loads, and fills @bs with the entry state. */
int image_load(const struct load_request *req, const struct guest *g,
	       struct boot_state *bs);

/* Internal to the image-*.c files. */
int range_claim(struct boot_state *bs, const struct guest *g,
		uint64_t start, uint64_t len, const char *what,
		const char *path);
int flat_load(const struct load_request *req, const struct guest *g,
	      struct boot_state *bs);
int elf_load(const struct load_request *req, const struct guest *g,
	     struct boot_state *bs, bool multiboot);
int multiboot_find_header(const uint8_t *data, size_t size, size_t *off);
int multiboot_load(const struct load_request *req, const struct guest *g,
		   struct boot_state *bs);

#endif /* VMXLAB_IMAGE_H */
