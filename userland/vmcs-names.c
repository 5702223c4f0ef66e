// SPDX-License-Identifier: GPL-2.0
/* vmcs-names.c - VMCS field names and encodings, both ways. */
#include <strings.h>

#include "generated/vmxlab_names.h"
#include "util.h"
#include "vmcs-names.h"

bool vmcs_lookup(const char *s, uint32_t *encoding)
{
	uint64_t v;
	unsigned i;

	if (parse_u64(s, &v)) {
		/* Encodings are 15 bits wide (SDM 24.11.2); bit 15 is 0. */
		if (v > 0x7fff)
			return false;
		*encoding = v;
		return true;
	}
	if (!strncasecmp(s, "VMCS_", 5))
		s += 5;
	for (i = 0; i < VMXLAB_NR_VMCS_NAMES; i++) {
		if (!strcasecmp(s, vmxlab_vmcs_names[i].name)) {
			*encoding = vmxlab_vmcs_names[i].encoding;
			return true;
		}
	}
	return false;
}

const char *vmcs_name(uint32_t encoding)
{
	unsigned i;

	for (i = 0; i < VMXLAB_NR_VMCS_NAMES; i++)
		if (vmxlab_vmcs_names[i].encoding == encoding)
			return vmxlab_vmcs_names[i].name;
	return NULL;
}

const char *vmcs_width_name(uint32_t encoding)
{
	static const char *const w[4] = {
		[VMCS_WIDTH_16] = "16-bit", [VMCS_WIDTH_64] = "64-bit",
		[VMCS_WIDTH_32] = "32-bit", [VMCS_WIDTH_NATURAL] =
		"natural-width",
	};

	return w[VMCS_FIELD_WIDTH(encoding)];
}

const char *vmcs_type_name(uint32_t encoding)
{
	static const char *const t[4] = {
		[VMCS_TYPE_CONTROL] = "control",
		[VMCS_TYPE_READ_ONLY] = "read-only",
		[VMCS_TYPE_GUEST] = "guest-state",
		[VMCS_TYPE_HOST] = "host-state",
	};

	return t[VMCS_FIELD_TYPE(encoding)];
}

unsigned vmcs_nr_fields(void)
{
	return VMXLAB_NR_VMCS_NAMES;
}

uint32_t vmcs_field_at(unsigned i)
{
	return i < VMXLAB_NR_VMCS_NAMES ? vmxlab_vmcs_names[i].encoding : 0;
}
