// SPDX-License-Identifier: GPL-2.0
/*
 * exit-names.c - exit reason names, from the tables uapi/gen-names.sh
 * generates out of uapi/linux/vmxlab_tables.h (the same ones the module
 * uses).
 */
#include <stddef.h>
#include <stdint.h>

#include "generated/vmxlab_names.h"
#include "trace.h"

const char *exit_reason_name(uint32_t basic)
{
	return basic < VMX_EXIT_MAX ? vmxlab_exit_names[basic] : NULL;
}

const char *exit_reason_text(uint32_t basic)
{
	return basic < VMX_EXIT_MAX ? vmxlab_exit_texts[basic] : NULL;
}
