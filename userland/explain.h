/* SPDX-License-Identifier: GPL-2.0 */
/*
 * explain.h - why a VM entry failed, in words: the rules of the module's
 * VM-entry checker (VMXLAB_CHECK_ENTRY, <linux/vmxlab_checks.h>).
 */
#ifndef VMXLAB_EXPLAIN_H
#define VMXLAB_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "backend.h"

/* Rule @id's name ("GUEST_CS_DB"), SDM section and text; NULL if unknown. */
const char *check_rule_name(uint32_t id);
const char *check_rule_section(uint32_t id);
const char *check_rule_text(uint32_t id);

/* One failure as one line, without a newline, into @buf. */
void explain_format(const struct vmxlab_check_failure *f, char *buf,
		    size_t size);

/*
 * Asks the backend's checker about the vCPU's current VMCS and prints a
 * heading and each failing rule, one per line, each line starting with
 * @prefix.  When @refused (the processor refused the entry) and no rule
 * fails, says that the checker has a gap.  Returns the number of failing
 * rules, or -errno when the backend cannot check (said in one line too).
 */
int explain_entry(struct backend *be, FILE *out, const char *prefix,
		  bool refused);

#endif /* VMXLAB_EXPLAIN_H */
