// SPDX-License-Identifier: GPL-2.0
/*
 * ept.c - extended page tables: guest-physical to host-physical.
 *
 * With EPT (SDM 29.3) every guest-physical address the guest uses, its
 * page-table walks included, goes through a second set of 4-level tables
 * that vmxlab owns.  vmxlab maps only the pages of the memory slots, 4 KiB
 * at a time; every other guest-physical address has no mapping, so an
 * access to it is an EPT violation that exits to vmxlab (exits.c), which
 * turns it into an MMIO exit for userspace.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/gfp.h>

#include "vmxlab.h"
#include "debugfs.h"
#include "ept.h"

/* EPT paging-structure entries (SDM 29.3.2, Tables 29-1 to 29-6). */
#define EPT_READ		BIT_ULL(0)
#define EPT_WRITE		BIT_ULL(1)
#define EPT_EXEC		BIT_ULL(2)
#define EPT_MT_SHIFT		3
#define EPT_MT_WB		6ULL
#define EPT_ADDR_MASK		GENMASK_ULL(51, 12)
#define EPT_LEVELS		4

/* EPTP (SDM 25.6.11): memory type WB, page-walk length 4 (encoded as 3). */
#define EPTP_WB			6ULL
#define EPTP_WALK4		(3ULL << 3)

static u64 *ept_alloc_table(struct vmxlab_ept *ept)
{
	u64 *table = (u64 *)get_zeroed_page(GFP_KERNEL_ACCOUNT);

	if (table) {
		ept->pages++;
		atomic_long_inc(&vmxlab_counters.ept_pages);
	}
	return table;
}

int ept_init(struct vmxlab_ept *ept)
{
	ept->pages = 0;
	ept->root = ept_alloc_table(ept);
	if (!ept->root)
		return -ENOMEM;
	ept->eptp = __pa(ept->root) | EPTP_WB | EPTP_WALK4;
	return 0;
}

static void ept_free_table(u64 *table, int level)
{
	int i;

	if (level > 1) {
		for (i = 0; i < 512; i++)
			if (table[i] & EPT_READ)
				ept_free_table(__va(table[i] & EPT_ADDR_MASK),
					       level - 1);
	}
	free_page((unsigned long)table);
	atomic_long_dec(&vmxlab_counters.ept_pages);
}

void ept_destroy(struct vmxlab_ept *ept)
{
	if (ept->root)
		ept_free_table(ept->root, EPT_LEVELS);
	ept->root = NULL;
	ept->pages = 0;
}

static unsigned int ept_index(u64 gpa, int level)
{
	return (gpa >> (12 + 9 * (level - 1))) & 511;
}

/*
 * Find the last-level entry for @gpa, creating the tables above it when
 * @create.  Non-leaf entries grant everything; the leaf decides.
 */
static u64 *ept_walk(struct vmxlab_ept *ept, u64 gpa, bool create)
{
	u64 *table = ept->root;
	int level;

	for (level = EPT_LEVELS; level > 1; level--) {
		u64 *entry = &table[ept_index(gpa, level)];
		u64 e = READ_ONCE(*entry);

		if (!(e & EPT_READ)) {
			u64 *next;

			if (!create)
				return NULL;
			next = ept_alloc_table(ept);
			if (!next)
				return NULL;
			e = __pa(next) | EPT_READ | EPT_WRITE | EPT_EXEC;
			/* The table is zeroed before it becomes visible. */
			WRITE_ONCE(*entry, e);
		}
		table = __va(e & EPT_ADDR_MASK);
	}
	return &table[ept_index(gpa, 1)];
}

int ept_map(struct vmxlab_ept *ept, u64 gpa, u64 hpa, bool writable)
{
	u64 *pte = ept_walk(ept, gpa, true);

	if (!pte)
		return -ENOMEM;
	/*
	 * Memory type WB with the guest's PAT honoured (IPAT=0): the guest
	 * sees what a real machine with RAM there would give it (SDM 12.11).
	 */
	WRITE_ONCE(*pte, (hpa & EPT_ADDR_MASK) | EPT_READ | EPT_EXEC |
		   (writable ? EPT_WRITE : 0) | (EPT_MT_WB << EPT_MT_SHIFT));
	return 0;
}

/* The caller flushes with vmx_invept_all_cpus() once it is done. */
void ept_unmap(struct vmxlab_ept *ept, u64 gpa)
{
	u64 *pte = ept_walk(ept, gpa, false);

	if (pte)
		WRITE_ONCE(*pte, 0);
}

/* Walk EPT for @gpa, keeping each entry; the HPA, or ~0 if unmapped. */
u64 ept_lookup(struct vmxlab_ept *ept, u64 gpa, u64 entries[4])
{
	u64 *table = ept->root;
	int level;

	/* Beyond what vmxlab maps (and what 4 levels can translate). */
	if (gpa >= VMXLAB_MAX_GPA)
		return ~0ULL;
	for (level = EPT_LEVELS; level >= 1; level--) {
		u64 e = READ_ONCE(table[ept_index(gpa, level)]);

		entries[EPT_LEVELS - level] = e;
		if (!(e & EPT_READ))
			return ~0ULL;
		if (level == 1)
			return (e & EPT_ADDR_MASK) | (gpa & 0xfff);
		table = __va(e & EPT_ADDR_MASK);
	}
	return ~0ULL;
}
