// SPDX-License-Identifier: GPL-2.0
/* disasm.c - one instruction through Capstone, in the guest's mode. */
#include <capstone/capstone.h>
#include <stdio.h>
#include <string.h>

#include "trace.h"

/* Handles are opened once per mode and kept for the whole run. */
static csh handles[3];
static bool opened[3];

static bool get_handle(unsigned bits, csh *h)
{
	unsigned i = bits == 16 ? 0 : bits == 32 ? 1 : 2;
	cs_mode mode = bits == 16 ? CS_MODE_16 :
		       bits == 32 ? CS_MODE_32 : CS_MODE_64;

	if (!opened[i]) {
		if (cs_open(CS_ARCH_X86, mode, &handles[i]) != CS_ERR_OK)
			return false;
		opened[i] = true;
	}
	*h = handles[i];
	return true;
}

size_t disasm_insn(unsigned bits, uint64_t rip, const uint8_t *bytes,
		   size_t len, char *out, size_t outlen)
{
	cs_insn *insn;
	size_t size;
	csh h;

	snprintf(out, outlen, "??");
	if (!len || (bits != 16 && bits != 32 && bits != 64) ||
	    !get_handle(bits, &h))
		return 0;
	if (cs_disasm(h, bytes, len, rip, 1, &insn) != 1)
		return 0;
	if (insn->op_str[0])
		snprintf(out, outlen, "%s %s", insn->mnemonic, insn->op_str);
	else
		snprintf(out, outlen, "%s", insn->mnemonic);
	size = insn->size;
	cs_free(insn, 1);
	return size;
}

void disasm_one(unsigned bits, uint64_t rip, const uint8_t *bytes,
		size_t len, char *out, size_t outlen)
{
	disasm_insn(bits, rip, bytes, len, out, outlen);
}
