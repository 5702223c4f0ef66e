/* SPDX-License-Identifier: GPL-2.0 */
/*
 * walk.h - printing a VMXLAB_TRANSLATE result: each guest page-table
 * entry, the GPA, each EPT entry, the HPA.
 */
#ifndef VMXLAB_WALK_H
#define VMXLAB_WALK_H

#include <stdio.h>

#include <linux/vmxlab.h>

void walk_print(FILE *out, const struct vmxlab_translation *t);

#endif /* VMXLAB_WALK_H */
