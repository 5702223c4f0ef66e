/* SPDX-License-Identifier: GPL-2.0 */
/* ept.h - what ept.c exports: the EPT tables of a VM. */
#ifndef VMXLAB_EPT_H
#define VMXLAB_EPT_H

#include <linux/types.h>

struct vmxlab_ept {
	u64 *root;		/* PML4 table */
	u64 eptp;		/* EPT pointer (SDM 25.6.11) */
	unsigned long pages;	/* table pages, for the memory counters */
};

int ept_init(struct vmxlab_ept *ept);
void ept_destroy(struct vmxlab_ept *ept);
int ept_map(struct vmxlab_ept *ept, u64 gpa, u64 hpa, bool writable);
void ept_unmap(struct vmxlab_ept *ept, u64 gpa);
u64 ept_lookup(struct vmxlab_ept *ept, u64 gpa, u64 entries[4]);

#endif /* VMXLAB_EPT_H */
