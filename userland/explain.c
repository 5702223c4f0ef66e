// SPDX-License-Identifier: GPL-2.0
/*
 * explain.c - printing the VM-entry checker's answer.
 *
 * The module runs its copy of the SDM's VM-entry checks on the VMCS and
 * returns each failing rule as a number, the field it read, the value it
 * found, and the value it wanted under a mask.  The words for each rule
 * come from the same list the module is built from.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include <linux/vmxlab_checks.h>

#include "explain.h"
#include "util.h"
#include "vmcs-names.h"

const char *check_rule_name(uint32_t id)
{
	return id < VMXLAB_CHECK_COUNT ? vmxlab_check_names[id] : NULL;
}

const char *check_rule_section(uint32_t id)
{
	return id < VMXLAB_CHECK_COUNT ? vmxlab_check_sections[id] : NULL;
}

const char *check_rule_text(uint32_t id)
{
	return id < VMXLAB_CHECK_COUNT ? vmxlab_check_texts[id] : NULL;
}

void explain_format(const struct vmxlab_check_failure *f, char *buf,
		    size_t size)
{
	const char *text = check_rule_text(f->rule);
	const char *field = vmcs_name(f->field);
	char fname[32];

	if (!field) {
		snprintf(fname, sizeof(fname), "field 0x%x", f->field);
		field = fname;
	}
	if (!text) {
		snprintf(buf, size, "rule %u (unknown to this loader): %s = 0x%"
			 PRIx64, f->rule, field, (uint64_t)f->actual);
		return;
	}
	snprintf(buf, size, "%s: %s = 0x%" PRIx64 ", expected 0x%" PRIx64
		 " under mask 0x%" PRIx64 " (SDM %s, %s)", text, field,
		 (uint64_t)f->actual, (uint64_t)f->expected,
		 (uint64_t)f->mask, check_rule_section(f->rule),
		 check_rule_name(f->rule));
}

int explain_entry(struct backend *be, FILE *out, const char *prefix,
		  bool refused)
{
	struct vmxlab_check_failure f[VMXLAB_CHECK_COUNT];
	uint32_t n = 0, i;
	char line[512];
	int ret;

	if (!be->ops->check_entry)
		ret = -EOPNOTSUPP;
	else
		ret = be->ops->check_entry(be, f, VMXLAB_CHECK_COUNT, &n);
	if (ret) {
		fprintf(out, "%scannot explain the entry: %s\n", prefix,
			backend_strerror(be, ret));
		return ret;
	}
	if (n)
		fprintf(out, "%s%u of the SDM's VM-entry checks fail%s:\n",
			prefix, n, n == 1 ? "s" : "");
	for (i = 0; i < n && i < VMXLAB_CHECK_COUNT; i++) {
		explain_format(&f[i], line, sizeof(line));
		fprintf(out, "%s  - %s\n", prefix, line);
	}
	if (!n && refused)
		fprintf(out, "%sno rule of vmxlab's checker fails, yet the processor refused the entry: the checker has a gap here\n",
			prefix);
	return n;
}
