// SPDX-License-Identifier: GPL-2.0
/* test-util.c - size and number parsing. */
#include "tap.h"
#include "util.h"

TEST(parse_size_plain_and_hex)
{
	uint64_t v = 0;

	CHECK(parse_size("4096", &v));
	CHECK_EQ(v, 4096);
	CHECK(parse_size("0x1000", &v));
	CHECK_EQ(v, 0x1000);
	CHECK(parse_size("010", &v));	/* decimal, not octal */
	CHECK_EQ(v, 10);
}

TEST(parse_size_suffixes)
{
	uint64_t v = 0;

	CHECK(parse_size("16M", &v));
	CHECK_EQ(v, 16ULL << 20);
	CHECK(parse_size("16m", &v));
	CHECK_EQ(v, 16ULL << 20);
	CHECK(parse_size("640K", &v));
	CHECK_EQ(v, 640ULL << 10);
	CHECK(parse_size("3G", &v));
	CHECK_EQ(v, 3ULL << 30);
	CHECK(parse_size("16MiB", &v));
	CHECK_EQ(v, 16ULL << 20);
	CHECK(parse_size("16MB", &v));
	CHECK_EQ(v, 16ULL << 20);
	CHECK(parse_size("0x10M", &v));
	CHECK_EQ(v, 16ULL << 20);
}

TEST(parse_size_rejects_garbage)
{
	uint64_t v = 1234;

	CHECK(!parse_size("", &v));
	CHECK(!parse_size("M", &v));
	CHECK(!parse_size("-1", &v));
	CHECK(!parse_size(" 16M", &v));
	CHECK(!parse_size("1.5M", &v));
	CHECK(!parse_size("16X", &v));
	CHECK(!parse_size("16MX", &v));
	CHECK(!parse_size("16iB", &v));
	CHECK(!parse_size("0x", &v));
	CHECK(!parse_size("99999999999999999999", &v));
	CHECK(!parse_size("99999999999G", &v));	/* overflows 64 bits */
	CHECK(!parse_size(NULL, &v));
	CHECK_EQ(v, 1234);	/* untouched on failure */
}

TEST(parse_u64_takes_no_suffix)
{
	uint64_t v = 0;

	CHECK(parse_u64("30", &v));
	CHECK_EQ(v, 30);
	CHECK(parse_u64("0xfee00000", &v));
	CHECK_EQ(v, 0xfee00000);
	CHECK(!parse_u64("30s", &v));
	CHECK(!parse_u64("1K", &v));
	CHECK(!parse_u64("", &v));
}

TEST(messages_are_one_prefixed_line)
{
	struct capture c = { 0 };

	capture_start(&c);
	error("image %s not found", "x.bin");
	msg_quiet = true;
	info("this is hidden by --quiet");
	error("errors are not");
	msg_quiet = false;
	CHECK_STR(capture_end(&c),
		  "vmxlab: image x.bin not found\nvmxlab: errors are not\n");
}
