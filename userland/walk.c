// SPDX-License-Identifier: GPL-2.0
/*
 * walk.c - printing a translation, level by level.
 *
 * The module reports raw entries; this file knows the paging formats
 * (SDM Vol. 3A, 4.3-4.5, and 29.3.2 for EPT) well enough to name each
 * level, tell which entry is the leaf, and decode the bits students look
 * at: P/RW/US/PS for the guest, R/W/X and the memory type for EPT.
 */
#include <inttypes.h>
#include <stdbool.h>

#include "walk.h"

#define PTE_P		(1ULL << 0)
#define PTE_RW		(1ULL << 1)
#define PTE_US		(1ULL << 2)
#define PTE_PS		(1ULL << 7)
#define EPT_RWX		7ULL
#define EPT_PS		(1ULL << 7)

struct level {
	const char *name;
	unsigned shift, bits;
	const char *big;	/* page size when PS is set here, else NULL */
};

static const struct level lv4[4] = {
	{ "PML4E", 39, 9, NULL }, { "PDPTE", 30, 9, "1 GiB" },
	{ "PDE", 21, 9, "2 MiB" }, { "PTE", 12, 9, NULL },
};
static const struct level lv_pae[3] = {
	{ "PDPTE", 30, 2, NULL }, { "PDE", 21, 9, "2 MiB" },
	{ "PTE", 12, 9, NULL },
};
static const struct level lv32[2] = {
	{ "PDE", 22, 10, "4 MiB" }, { "PTE", 12, 10, NULL },
};

static const char *ept_type(uint64_t e)
{
	static const char *const types[8] = {
		"UC", "WC", "type2", "type3", "WT", "WP", "WB", "type7",
	};

	return types[(e >> 3) & 7];
}

/* Prints the guest levels; true when the walk reached a present leaf. */
static bool print_guest(FILE *out, const struct vmxlab_translation *t)
{
	const struct level *lv = t->guest_levels == 4 ? lv4 :
				 t->guest_levels == 3 ? lv_pae : lv32;
	unsigned i, n = t->guest_levels;
	int digits = n == 2 ? 8 : 16;

	for (i = 0; i < n; i++) {
		uint64_t e = t->guest_entry[i];
		unsigned idx = (t->gva >> lv[i].shift) &
			       ((1U << lv[i].bits) - 1);
		bool leaf = i == n - 1 || (lv[i].big && (e & PTE_PS));
		char name[24];

		snprintf(name, sizeof(name), "%s[%u]", lv[i].name, idx);
		fprintf(out, "  guest %-10s at GPA 0x%" PRIx64 ": 0x%0*"
			PRIx64 "  P=%d RW=%d US=%d PS=%d", name,
			(uint64_t)t->guest_entry_gpa[i], digits, e,
			!!(e & PTE_P), !!(e & PTE_RW), !!(e & PTE_US),
			!!(e & PTE_PS));
		if (!(e & PTE_P)) {
			fprintf(out, "  not present\n");
			return false;
		}
		if (leaf && lv[i].big && (e & PTE_PS))
			fprintf(out, "  (%s page)", lv[i].big);
		fprintf(out, "\n");
		if (leaf)
			return true;
	}
	return false;
}

/* Prints the EPT levels; true when they map the GPA. */
static bool print_ept(FILE *out, const struct vmxlab_translation *t)
{
	static const char *const names[4] = { "PML4E", "PDPTE", "PDE", "PTE" };
	static const char *const big[4] = { NULL, "1 GiB", "2 MiB", NULL };
	unsigned i;

	for (i = 0; i < 4; i++) {
		uint64_t e = t->ept_entry[i];
		unsigned idx = (t->gpa >> (39 - 9 * i)) & 511;
		bool leaf = i == 3 || (big[i] && (e & EPT_PS));
		char name[24];

		snprintf(name, sizeof(name), "%s[%u]", names[i], idx);
		fprintf(out, "  EPT   %-10s: 0x%016" PRIx64
			"  R=%d W=%d X=%d", name, e, !!(e & 1), !!(e & 2),
			!!(e & 4));
		if (!(e & EPT_RWX)) {
			fprintf(out, "  not present\n");
			return false;
		}
		if (leaf)
			fprintf(out, "  type=%s%s%s%s", ept_type(e),
				big[i] && (e & EPT_PS) ? " (" : "",
				big[i] && (e & EPT_PS) ? big[i] : "",
				big[i] && (e & EPT_PS) ? " page)" : "");
		fprintf(out, "\n");
		if (leaf)
			return true;
	}
	return false;
}

void walk_print(FILE *out, const struct vmxlab_translation *t)
{
	static const char *const modes[5] = {
		"paging off: GPA = GVA", NULL, "32-bit paging",
		"PAE paging", "4-level paging",
	};
	unsigned n = t->guest_levels;

	fprintf(out, "walk 0x%" PRIx64 ": %s\n", (uint64_t)t->gva,
		n <= 4 && modes[n] ? modes[n] : "unknown paging mode");
	if (n >= 2 && n <= 4)
		print_guest(out, t);
	if (!(t->flags & VMXLAB_XLATE_GPA_VALID)) {
		fprintf(out, "GVA 0x%" PRIx64 " -> not mapped by the guest "
			"page tables (an access would #PF)\n",
			(uint64_t)t->gva);
		return;
	}
	fprintf(out, "  GPA 0x%" PRIx64 "\n", (uint64_t)t->gpa);
	print_ept(out, t);
	if (!(t->flags & VMXLAB_XLATE_HPA_VALID)) {
		fprintf(out, "GVA 0x%" PRIx64 " -> GPA 0x%" PRIx64 " -> not "
			"mapped by EPT (an access exits: EPT violation, "
			"MMIO)\n", (uint64_t)t->gva, (uint64_t)t->gpa);
		return;
	}
	fprintf(out, "  HPA 0x%" PRIx64 "\n", (uint64_t)t->hpa);
	fprintf(out, "GVA 0x%" PRIx64 " -> GPA 0x%" PRIx64 " -> HPA 0x%"
		PRIx64 "\n", (uint64_t)t->gva, (uint64_t)t->gpa,
		(uint64_t)t->hpa);
}
