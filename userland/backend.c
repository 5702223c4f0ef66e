// SPDX-License-Identifier: GPL-2.0
/* backend.c - choosing a backend by name (--backend), shared helpers. */
#include <errno.h>
#include <stdio.h>
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

const char *backend_strerror(const struct backend *be, int err)
{
	static char buf[64];

	if (err < 0)
		err = -err;
	/* From the module itself, EOPNOTSUPP is about the processor. */
	if (err != EOPNOTSUPP || (be && be->ops == &backend_vmxlab_ops))
		return strerror(err);
	snprintf(buf, sizeof(buf), "not supported by the %s backend",
		 be && be->ops ? be->ops->name : "this");
	return buf;
}

size_t backend_ring_bytes(uint32_t nrecords)
{
	size_t bytes = sizeof(struct vmxlab_ring) +
		       (size_t)nrecords * sizeof(struct vmxlab_exit_record);

	/* mmap() works in pages; the module backs whole pages. */
	return (bytes + 4095) & ~(size_t)4095;
}
