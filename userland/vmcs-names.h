/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmcs-names.h - VMCS fields by name and by encoding, from the table
 * uapi/gen-names.sh generates out of uapi/linux/vmxlab_tables.h.
 */
#ifndef VMXLAB_VMCS_NAMES_H
#define VMXLAB_VMCS_NAMES_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The encoding of field @s: a name from the table in any case, with or
 * without "VMCS_" ("GUEST_RIP", "guest_rip", "vmcs_guest_rip"), or a
 * number ("0x681e"), which need not be in the table (the processor
 * decides).  False for anything else.
 */
bool vmcs_lookup(const char *s, uint32_t *encoding);
/* The table's name ("GUEST_RIP") or NULL. */
const char *vmcs_name(uint32_t encoding);
/* "16-bit", "64-bit", "32-bit", "natural-width". */
const char *vmcs_width_name(uint32_t encoding);
/* "control", "read-only", "guest-state", "host-state". */
const char *vmcs_type_name(uint32_t encoding);
/* Iterating the table: number of fields, and field @i's encoding. */
unsigned vmcs_nr_fields(void);
uint32_t vmcs_field_at(unsigned i);

#endif /* VMXLAB_VMCS_NAMES_H */
