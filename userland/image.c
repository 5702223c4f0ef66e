// SPDX-License-Identifier: GPL-2.0
/* image.c - format detection, range bookkeeping and the load dispatcher. */
#include <inttypes.h>
#include <string.h>

#include "image.h"
#include "util.h"

#define FORMATS_SENTENCE \
	"vmxlab loads flat binaries, ELF32, ELF64 and multiboot v1 images"

const char *image_format_name(enum image_format f)
{
	switch (f) {
	case IMAGE_FLAT:
		return "flat binary";
	case IMAGE_ELF32:
		return "ELF32";
	case IMAGE_ELF64:
		return "ELF64";
	case IMAGE_MULTIBOOT:
		return "multiboot";
	}
	return "?";
}

const char *cpu_mode_name(enum cpu_mode m)
{
	switch (m) {
	case MODE_REAL:
		return "real";
	case MODE_PROTECTED:
		return "protected";
	case MODE_LONG:
		return "long";
	}
	return "?";
}

bool parse_cpu_mode(const char *s, enum cpu_mode *m)
{
	if (!strcmp(s, "real"))
		*m = MODE_REAL;
	else if (!strcmp(s, "protected"))
		*m = MODE_PROTECTED;
	else if (!strcmp(s, "long"))
		*m = MODE_LONG;
	else
		return false;
	return true;
}

/* Formats that would otherwise be run as a flat binary by mistake. */
static const char *foreign_format(const uint8_t *d, size_t size)
{
	if (size >= 0x206 && !memcmp(d + 0x202, "HdrS", 4))
		return "a Linux bzImage";
	if (size >= 2 && d[0] == 'M' && d[1] == 'Z')
		return "a DOS or PE executable";
	if (size >= 2 && d[0] == 0x1f && d[1] == 0x8b)
		return "gzip-compressed data";
	if (size >= 4 && !memcmp(d, "\x7f" "ELF", 4))
		return "an ELF file of an unknown class";
	return NULL;
}

int image_detect(const char *path, const uint8_t *data, size_t size,
		 enum image_format *fmt)
{
	const char *foreign;
	size_t off;

	if (size == 0) {
		error("image %s is empty; " FORMATS_SENTENCE, path);
		return -1;
	}
	if (multiboot_find_header(data, size, &off) == 0) {
		*fmt = IMAGE_MULTIBOOT;
		return 0;
	}
	if (size >= 5 && !memcmp(data, "\x7f" "ELF", 4) &&
	    (data[4] == 1 || data[4] == 2)) {
		*fmt = data[4] == 1 ? IMAGE_ELF32 : IMAGE_ELF64;
		return 0;
	}
	foreign = foreign_format(data, size);
	if (foreign) {
		error("image %s is not recognised (it looks like %s); "
		      FORMATS_SENTENCE, path, foreign);
		return -1;
	}
	*fmt = IMAGE_FLAT;
	return 0;
}

int range_claim(struct boot_state *bs, const struct guest *g,
		uint64_t start, uint64_t len, const char *what,
		const char *path)
{
	uint64_t end = start + len;
	unsigned i;

	if (len == 0)
		return 0;
	if (!guest_range_ok(g, start, len)) {
		error("%s: %s at 0x%" PRIx64 "-0x%" PRIx64
		      " lies outside guest memory (0x%" PRIx64
		      " bytes); give more with --mem", path, what, start,
		      start + len - 1, g->ram_size);
		return -1;
	}
	for (i = 0; i < bs->nranges; i++) {
		const struct load_range *r = &bs->ranges[i];

		if (start < r->end && r->start < end) {
			error("%s: %s at 0x%" PRIx64 "-0x%" PRIx64
			      " overlaps %s at 0x%" PRIx64 "-0x%" PRIx64,
			      path, what, start, end - 1, r->what,
			      r->start, r->end - 1);
			return -1;
		}
	}
	if (bs->nranges >= IMAGE_MAX_RANGES) {
		error("%s: too many loadable pieces (more than %d)", path,
		      IMAGE_MAX_RANGES);
		return -1;
	}
	bs->ranges[bs->nranges++] = (struct load_range){ start, end, what };
	return 0;
}

int image_load(const struct load_request *req, const struct guest *g,
	       struct boot_state *bs)
{
	enum image_format fmt;

	memset(bs, 0, sizeof(*bs));
	if (image_detect(req->path, req->data, req->size, &fmt))
		return -1;
	bs->format = fmt;
	if (fmt != IMAGE_FLAT && (req->have_load || req->have_entry ||
				  req->have_mode)) {
		error("%s: --load, --entry and --mode apply to flat binaries "
		      "only, and this image is %s", req->path,
		      image_format_name(fmt));
		return -1;
	}
	if (fmt != IMAGE_MULTIBOOT && req->nmodules) {
		error("%s: --module applies to multiboot images only, and "
		      "this image is %s", req->path, image_format_name(fmt));
		return -1;
	}
	switch (fmt) {
	case IMAGE_FLAT:
		return flat_load(req, g, bs);
	case IMAGE_ELF32:
	case IMAGE_ELF64:
		return elf_load(req, g, bs, false);
	case IMAGE_MULTIBOOT:
		return multiboot_load(req, g, bs);
	}
	return -1;
}
