/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmcs-names.h - VMCS fields by name and by encoding, from the table
 * uapi/gen-names.sh generates out of uapi/linux/vmxlab_tables.h.
 */
#ifndef VMXLAB_VMCS_NAMES_H
#define VMXLAB_VMCS_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The encoding of field @s: a number ("0x681e", up to 0x7fff), which need
 * not be in the table (the processor decides), or a name in any case,
 * with spaces, hyphens or underscores alike, with or without "VMCS_":
 * the table's (KVM's) names ("GUEST_RIP", "vmcs_guest_rip"), the SDM's
 * ("Exit reason", "Primary processor-based VM-execution controls"), and
 * short forms where only one field fits ("exit_reason", "rflags",
 * "guest_efer"; not "rip": GUEST_RIP or HOST_RIP).  KVM's NAME_HIGH is a
 * 64-bit field's encoding plus one.  False for anything else, after
 * writing one sentence into @err (if not NULL): the closest names for an
 * unknown name, the candidates for an ambiguous one.
 */
bool vmcs_resolve(const char *s, uint32_t *encoding, char *err,
		  size_t errlen);
/* vmcs_resolve() without the sentence. */
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
