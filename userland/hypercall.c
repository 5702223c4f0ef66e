// SPDX-License-Identifier: GPL-2.0
/* hypercall.c - the loader's side of the hypercall ABI (hypercall.h). */
#include "hypercall.h"

uint64_t hypercall_handle(struct platform *p, uint64_t nr,
			  const uint64_t args[4])
{
	switch (nr) {
	case HC_PING:
		return HC_PING_MAGIC;
	case HC_PUTC:
		if (p->console) {
			fputc((int)(args[0] & 0xff), p->console);
			fflush(p->console);
		}
		return 0;
	case HC_EXIT:
		if (!p->exit_requested) {
			p->exit_requested = true;
			p->exit_value = args[0];
		}
		return 0;
	case HC_SUM:
		return args[0] + args[1] + args[2] + args[3];
	default:
		unknown_log_add(&p->unknown_hypercall, nr);
		return HC_ERROR;
	}
}
