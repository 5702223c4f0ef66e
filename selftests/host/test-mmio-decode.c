// SPDX-License-Identifier: GPL-2.0
/*
 * test-mmio-decode.c - the module's MMIO instruction decoder
 * (kmod/emulate.c), built here as plain C: every supported form, the
 * prefixes, and the instructions it must refuse.
 */
#include "tap.h"

typedef uint8_t u8;
typedef uint64_t u64;
#include "../../kmod/emulate.c"

static struct mmio_insn dec(int mode, const u8 *b, unsigned int n, int *r)
{
	struct mmio_insn m;

	*r = mmio_decode(b, n, mode, &m);
	return m;
}

#define DECODE(mode, ...) ({						\
	static const u8 b_[] = { __VA_ARGS__ };			\
	dec(mode, b_, sizeof(b_), &r);					\
})

TEST(mmio_mov_store_and_load)
{
	struct mmio_insn m;
	int r;

	/* movl $0xcafe1234, (%ebx) */
	m = DECODE(32, 0xc7, 0x03, 0x34, 0x12, 0xfe, 0xca);
	CHECK_EQ(r, 0);
	CHECK(m.is_write && m.has_imm);
	CHECK_EQ(m.size, 4);
	CHECK_EQ(m.imm, 0xcafe1234);
	CHECK_EQ(m.len, 6);
	/* mov 8(%ebx), %edx */
	m = DECODE(32, 0x8b, 0x53, 0x08);
	CHECK_EQ(r, 0);
	CHECK(!m.is_write);
	CHECK_EQ(m.reg, 2);
	CHECK_EQ(m.size, 4);
	CHECK_EQ(m.len, 3);
	/* mov %r12, (%rbx) */
	m = DECODE(64, 0x4c, 0x89, 0x23);
	CHECK_EQ(r, 0);
	CHECK(m.is_write && !m.has_imm);
	CHECK_EQ(m.reg, 12);
	CHECK_EQ(m.size, 8);
	CHECK_EQ(m.len, 3);
}

TEST(mmio_byte_registers_and_extensions)
{
	struct mmio_insn m;
	int r;

	/* mov %ah, (%eax): AH without REX */
	m = DECODE(32, 0x88, 0x20);
	CHECK_EQ(r, 0);
	CHECK(m.high_byte);
	CHECK_EQ(m.reg, 0);
	/* mov %spl, (%rax): with REX it is SPL, not AH */
	m = DECODE(64, 0x40, 0x88, 0x20);
	CHECK_EQ(r, 0);
	CHECK(!m.high_byte);
	CHECK_EQ(m.reg, 4);
	/* movzbl 4(%ebx), %edi */
	m = DECODE(32, 0x0f, 0xb6, 0x7b, 0x04);
	CHECK_EQ(r, 0);
	CHECK_EQ(m.size, 1);
	CHECK_EQ(m.dst_size, 4);
	CHECK_EQ(m.reg, 7);
	CHECK(!m.sign_extend);
	/* movswq (%rax), %rcx */
	m = DECODE(64, 0x48, 0x0f, 0xbf, 0x08);
	CHECK_EQ(r, 0);
	CHECK_EQ(m.size, 2);
	CHECK_EQ(m.dst_size, 8);
	CHECK(m.sign_extend);
}

TEST(mmio_prefixes_and_addressing)
{
	struct mmio_insn m;
	int r;

	/* movw $0x1234, 0xfee000b0 (66 prefix, SIB with no base) */
	m = DECODE(32, 0x66, 0xc7, 0x04, 0x25, 0xb0, 0x00, 0xe0, 0xfe,
		   0x34, 0x12);
	CHECK_EQ(r, 0);
	CHECK_EQ(m.size, 2);
	CHECK_EQ(m.imm, 0x1234);
	CHECK_EQ(m.len, 10);
	/* mov 0xfee00030, %eax as A1 moffs32 */
	m = DECODE(32, 0xa1, 0x30, 0x00, 0xe0, 0xfe);
	CHECK_EQ(r, 0);
	CHECK(!m.is_write);
	CHECK_EQ(m.size, 4);
	CHECK_EQ(m.len, 5);
	/* 64-bit moffs is 8 bytes: movabs %al, 0xd0000000 */
	m = DECODE(64, 0xa2, 0, 0, 0, 0xd0, 0, 0, 0, 0);
	CHECK_EQ(r, 0);
	CHECK(m.is_write);
	CHECK_EQ(m.size, 1);
	CHECK_EQ(m.len, 9);
	/* 16-bit code: mov %ax, 2(%bx,%si) with a disp8 */
	m = DECODE(16, 0x89, 0x40, 0x02);
	CHECK_EQ(r, 0);
	CHECK_EQ(m.size, 2);
	CHECK_EQ(m.len, 3);
	/* 16-bit code with 66: a 32-bit store, disp16 absolute */
	m = DECODE(16, 0x66, 0x89, 0x06, 0x00, 0x20);
	CHECK_EQ(r, 0);
	CHECK_EQ(m.size, 4);
	CHECK_EQ(m.len, 5);
	/* RIP-relative in 64-bit mode: disp32 */
	m = DECODE(64, 0x8b, 0x05, 0x10, 0x00, 0x00, 0x00);
	CHECK_EQ(r, 0);
	CHECK_EQ(m.len, 6);
	/* REX.W C7: imm32 sign-extends to 64 bits */
	m = DECODE(64, 0x48, 0xc7, 0x00, 0x00, 0x00, 0x00, 0x80);
	CHECK_EQ(r, 0);
	CHECK_EQ(m.imm, 0xffffffff80000000ULL);
}

TEST(mmio_refuses_other_instructions)
{
	int r;

	DECODE(32, 0x01, 0x03);			/* add %eax, (%ebx) */
	CHECK(r != 0);
	DECODE(64, 0xf3, 0xa5);			/* rep movsl */
	CHECK(r != 0);
	DECODE(32, 0x89, 0xc3);			/* mov %eax, %ebx: no memory */
	CHECK(r != 0);
	DECODE(32, 0xc7, 0x0b, 1, 0, 0, 0);	/* C7 /1 is not MOV */
	CHECK(r != 0);
	DECODE(32, 0x8b, 0x84);			/* truncated: SIB missing */
	CHECK(r != 0);
	DECODE(64, 0x66, 0x0f, 0x6f, 0x00);	/* movdqa: SSE */
	CHECK(r != 0);
}
