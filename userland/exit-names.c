// SPDX-License-Identifier: GPL-2.0
/* exit-names.c - exit reason names, expanded from the shared uapi table. */
#include <stddef.h>

#include <linux/vmxlab_tables.h>

#include "trace.h"

#define NAME(nr, name, text)	[nr] = #name,
static const char *const names[] = { VMXLAB_EXIT_REASONS(NAME) };
#undef NAME

#define TEXT(nr, name, text)	[nr] = text,
static const char *const texts[] = { VMXLAB_EXIT_REASONS(TEXT) };
#undef TEXT

const char *exit_reason_name(uint32_t basic)
{
	return basic < sizeof(names) / sizeof(names[0]) ? names[basic] : NULL;
}

const char *exit_reason_text(uint32_t basic)
{
	return basic < sizeof(texts) / sizeof(texts[0]) ? texts[basic] : NULL;
}
