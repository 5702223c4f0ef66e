// SPDX-License-Identifier: GPL-2.0
/*
 * emulate.c - decode the instruction that touched MMIO.
 *
 * An EPT violation tells the guest-physical address and whether it was a
 * read or a write (SDM 28.2.1), but not the size, the register or the
 * data.  Those come from the instruction, so vmxlab decodes the few that
 * compilers emit for device registers: the MOV family.  The address
 * itself needs no computing: the exit gives it.  The layout of prefixes,
 * ModRM, SIB and displacement is SDM Vol. 2A, chapter 2.
 */
#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif
#include "emulate.h"

/* Length of ModRM + SIB + displacement for the given address size. */
static int modrm_length(const u8 *p, unsigned int avail, int addr_size)
{
	u8 modrm, mod, rm;
	int len = 1;

	if (avail < 1)
		return -1;
	modrm = p[0];
	mod = modrm >> 6;
	rm = modrm & 7;
	if (mod == 3)
		return -1;	/* a register operand: not a memory access */
	if (addr_size == 16) {
		if (mod == 1)
			len += 1;
		else if (mod == 2 || (mod == 0 && rm == 6))
			len += 2;
		return len <= (int)avail ? len : -1;
	}
	if (rm == 4) {
		if (avail < 2)
			return -1;
		len++;
		if (mod == 0 && (p[1] & 7) == 5)
			len += 4;	/* SIB with no base: disp32 */
	}
	if (mod == 1)
		len += 1;
	else if (mod == 2 || (mod == 0 && rm == 5))
		len += 4;	/* disp32, or RIP-relative in 64-bit mode */
	return len <= (int)avail ? len : -1;
}

static u64 read_le(const u8 *p, int n)
{
	u64 v = 0;
	int i;

	for (i = n - 1; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

int mmio_decode(const u8 *insn, unsigned int avail, int mode,
		struct mmio_insn *out)
{
	int opsize = mode == 16 ? 2 : 4, addr_size = mode;
	unsigned int i = 0;
	u8 rex = 0, op;
	int mlen, imm_size = 0;
	bool two_byte = false;

	memset(out, 0, sizeof(*out));

	/* Legacy prefixes (SDM 2.1.1), in any order. */
	for (; i < avail && i < 14; i++) {
		u8 b = insn[i];

		if (b == 0x66)
			opsize = mode == 16 ? 4 : 2;
		else if (b == 0x67)
			addr_size = mode == 16 ? 32 : (mode == 32 ? 16 : 32);
		else if (b == 0x26 || b == 0x2e || b == 0x36 || b == 0x3e ||
			 b == 0x64 || b == 0x65 || b == 0xf0)
			continue;
		else
			break;
	}
	/* REX must come right before the opcode (SDM 2.2.1). */
	if (mode == 64 && i < avail && (insn[i] & 0xf0) == 0x40)
		rex = insn[i++];
	if (rex & 8)
		opsize = 8;
	if (i >= avail)
		return -1;
	op = insn[i++];
	if (op == 0x0f) {
		if (i >= avail)
			return -1;
		two_byte = true;
		op = insn[i++];
	}

	if (!two_byte && op >= 0xa0 && op <= 0xa3) {
		/* MOV AL/rAX <-> moffs: the offset is address-size wide. */
		int off = addr_size / 8;

		if (i + off > avail)
			return -1;
		out->size = (op & 1) ? opsize : 1;
		out->dst_size = out->size;
		out->reg = 0;
		out->is_write = op >= 0xa2;
		out->len = i + off;
		return 0;
	}

	if (two_byte) {
		if (op != 0xb6 && op != 0xb7 && op != 0xbe && op != 0xbf)
			return -1;
		out->size = (op & 1) ? 2 : 1;
		out->dst_size = opsize;
		out->sign_extend = op >= 0xbe;
		out->is_write = false;
	} else {
		switch (op) {
		case 0x88: case 0x8a: case 0xc6:
			out->size = 1;
			break;
		case 0x89: case 0x8b: case 0xc7:
			out->size = opsize;
			break;
		default:
			return -1;
		}
		out->dst_size = out->size;
		out->is_write = op != 0x8a && op != 0x8b;
		if (op == 0xc6 || op == 0xc7) {
			/* C6/C7 /0 only; the immediate is at most 32 bits. */
			if (i >= avail || ((insn[i] >> 3) & 7) != 0)
				return -1;
			out->has_imm = true;
			imm_size = op == 0xc6 ? 1 : (opsize == 2 ? 2 : 4);
		}
	}

	if (i >= avail)
		return -1;
	out->reg = ((insn[i] >> 3) & 7) | ((rex & 4) ? 8 : 0);
	/* Without REX, byte registers 4-7 are AH, CH, DH, BH (SDM 3.4.1). */
	if (!two_byte && out->size == 1 && !out->has_imm && !rex &&
	    out->reg >= 4 && out->reg < 8) {
		out->high_byte = true;
		out->reg -= 4;
	}
	mlen = modrm_length(insn + i, avail - i, addr_size);
	if (mlen < 0)
		return -1;
	i += mlen;
	if (imm_size) {
		if (i + imm_size > avail)
			return -1;
		out->imm = read_le(insn + i, imm_size);
		/* imm32 sign-extends to 64 bits with REX.W. */
		if (imm_size == 4 && opsize == 8 && (out->imm & 0x80000000))
			out->imm |= 0xffffffff00000000ULL;
		i += imm_size;
	}
	if (i > 15)
		return -1;
	out->len = i;
	return 0;
}
