// SPDX-License-Identifier: GPL-2.0
/*
 * image-flat.c - a raw binary: copied to --load (default 0x1000) and
 * entered at --entry (default: the load address) in --mode (default real).
 */
#include <inttypes.h>
#include <string.h>

#include "image.h"
#include "util.h"

int flat_load(const struct load_request *req, const struct guest *g,
	      struct boot_state *bs)
{
	uint64_t load = req->have_load ? req->load : FLAT_LOAD_DEFAULT;
	uint64_t entry = req->have_entry ? req->entry : load;

	bs->mode = req->have_mode ? req->mode : MODE_REAL;
	if (req->size > g->ram_size) {
		error("image %s (%zu bytes) is larger than guest memory "
		      "(0x%" PRIx64 " bytes); give more with --mem",
		      req->path, req->size, g->ram_size);
		return -1;
	}
	if (bs->mode == MODE_REAL && entry > 0xffff) {
		error("unsupported mode: real-mode entry 0x%" PRIx64 " is "
		      "above 0xffff, and vmxlab enters real mode with CS "
		      "base 0", entry);
		return -1;
	}
	if (entry >= g->ram_size) {
		error("entry point 0x%" PRIx64 " is outside guest memory "
		      "(0x%" PRIx64 " bytes)", entry, g->ram_size);
		return -1;
	}
	/* Real mode needs no boot structures, so all of RAM is free. */
	if (bs->mode != MODE_REAL &&
	    range_claim(bs, g, BOOT_AREA_START,
			BOOT_AREA_END - BOOT_AREA_START,
			"the loader's boot area", req->path))
		return -1;
	if (range_claim(bs, g, load, req->size, "the image", req->path))
		return -1;
	memcpy(g->ram + load, req->data, req->size);
	bs->entry = entry;
	bs->image_end = load + req->size;
	/* Real mode: the stack grows down from just below the image. */
	bs->rsp = bs->mode == MODE_REAL ? entry : BOOT_STACK_TOP;
	return 0;
}
