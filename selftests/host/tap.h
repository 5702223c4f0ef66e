/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tap.h - a minimal TAP harness for vmxlab's host unit tests.
 *
 *	TEST(parse_size_suffixes) { CHECK_EQ(x, 16 << 20); }
 *
 * Tests run in file/line order, each in its own child process so that a
 * crash fails one test, not the run.  Output: "ok N - name" or
 * "not ok N - name", diagnostics as "# ..." lines before it.
 */
#ifndef VMXLAB_TAP_H
#define VMXLAB_TAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct tap_test {
	const char *name, *file;
	int line;
	void (*fn)(void);
};

void tap_register(const struct tap_test *t);
void tap_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define TEST(name)							\
	static void test_##name(void);					\
	static const struct tap_test tap_##name = {			\
		#name, __FILE__, __LINE__, test_##name };		\
	__attribute__((constructor)) static void tap_reg_##name(void)	\
	{								\
		tap_register(&tap_##name);				\
	}								\
	static void test_##name(void)

#define CHECK(cond)							\
	do {								\
		if (!(cond))						\
			tap_fail(__FILE__, __LINE__, "%s", #cond);	\
	} while (0)

#define CHECK_EQ(a, b)							\
	do {								\
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);	\
		if (a_ != b_)						\
			tap_fail(__FILE__, __LINE__,			\
				 "%s == %s: 0x%llx != 0x%llx", #a, #b,	\
				 (unsigned long long)a_,		\
				 (unsigned long long)b_);		\
	} while (0)

#define CHECK_STR(a, b)							\
	do {								\
		const char *a_ = (a), *b_ = (b);			\
		if (!a_ || !b_ || strcmp(a_, b_))			\
			tap_fail(__FILE__, __LINE__,			\
				 "%s == %s:\n#   got  '%s'\n#   want '%s'",	\
				 #a, #b, a_ ? a_ : "(null)",		\
				 b_ ? b_ : "(null)");			\
	} while (0)

#define CHECK_CONTAINS(hay, needle)					\
	do {								\
		const char *h_ = (hay), *n_ = (needle);			\
		if (!h_ || !strstr(h_, n_))				\
			tap_fail(__FILE__, __LINE__,			\
				 "'%s' not in '%s'", n_,		\
				 h_ ? h_ : "(null)");			\
	} while (0)

/*
 * Captures what the loader's error()/info() print (and anything else
 * written to capture.f) into a string.
 */
struct capture {
	FILE *f;
	char *buf;
	size_t len;
};
void capture_start(struct capture *c);
/* Stops capturing; returns the text (valid until the next start). */
const char *capture_end(struct capture *c);

#endif /* VMXLAB_TAP_H */
