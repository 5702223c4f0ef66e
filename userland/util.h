/* SPDX-License-Identifier: GPL-2.0 */
/* util.h - messages and number parsing shared by the loader. */
#ifndef VMXLAB_UTIL_H
#define VMXLAB_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define KiB		1024ULL
#define MiB		(1024ULL * KiB)
#define GiB		(1024ULL * MiB)

/* Where messages go; tests point this at a memory stream. */
extern FILE *msg_stream;
/* --quiet: only errors are printed. */
extern bool msg_quiet;

/* "vmxlab: <sentence>\n" on msg_stream. */
void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Like error() but silenced by --quiet. */
void info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * "16M", "4096", "0x1000", "1G": a byte count with an optional K/M/G
 * suffix (powers of 1024, case-insensitive, optional trailing "iB" or
 * "B").  Returns false on garbage, overflow or an empty string.
 */
bool parse_size(const char *s, uint64_t *out);
/* A plain number, decimal or 0x-prefixed hexadecimal, no suffix. */
bool parse_u64(const char *s, uint64_t *out);

#endif /* VMXLAB_UTIL_H */
