/* SPDX-License-Identifier: GPL-2.0 */
/*
 * emulate.h - decoding the instruction behind an MMIO access.
 *
 * Plain C with no kernel dependency, so the host unit tests build the same
 * source (selftests/host).
 */
#ifndef VMXLAB_EMULATE_H
#define VMXLAB_EMULATE_H

/* The host build provides u8, u64 and bool (selftests/host). */
#ifdef __KERNEL__
#include <linux/types.h>
#endif

struct mmio_insn {
	u8 len;			/* instruction length in bytes */
	u8 size;		/* memory access size: 1, 2, 4 or 8 */
	u8 dst_size;		/* register bytes a read writes */
	u8 reg;			/* GPR (x86 number) read by a write, written by a read */
	bool is_write;
	bool has_imm;		/* a write of @imm rather than of @reg */
	bool high_byte;		/* @reg is AH, CH, DH or BH */
	bool sign_extend;	/* MOVSX */
	u64 imm;
};

/*
 * Decode the instruction in @insn (@avail bytes fetched) for a CPU in
 * @mode (16, 32 or 64-bit code).  Returns 0, or -1 if it is not one of the
 * instructions vmxlab emulates for MMIO: MOV (88, 89, 8A, 8B, C6, C7,
 * A0-A3), MOVZX (0F B6, 0F B7) and MOVSX (0F BE, 0F BF).
 */
int mmio_decode(const u8 *insn, unsigned int avail, int mode,
		struct mmio_insn *out);

#endif /* VMXLAB_EMULATE_H */
