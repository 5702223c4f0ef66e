// SPDX-License-Identifier: GPL-2.0
/* backend.c - choosing a backend by name (--backend). */
#include <string.h>

#include "backend.h"

const struct backend_ops *backend_find(const char *name)
{
	if (!strcmp(name, "vmxlab"))
		return &backend_vmxlab_ops;
	if (!strcmp(name, "kvm"))
		return &backend_kvm_ops;
	return NULL;
}
