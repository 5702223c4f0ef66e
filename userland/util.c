// SPDX-License-Identifier: GPL-2.0
/* util.c - messages and number parsing shared by the loader. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

FILE *msg_stream;
bool msg_quiet;

static void vmsg(const char *fmt, va_list ap)
{
	FILE *f = msg_stream ? msg_stream : stderr;

	fputs("vmxlab: ", f);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
	fflush(f);
}

void error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

void info(const char *fmt, ...)
{
	va_list ap;

	if (msg_quiet)
		return;
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

/* strtoull() accepts leading spaces and signs; a number must not. */
static bool parse_digits(const char *s, uint64_t *out, char **end)
{
	int base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		if (!isxdigit((unsigned char)s[0]))
			return false;
	} else if (!isdigit((unsigned char)s[0])) {
		return false;
	}
	/* Base 10 unless 0x: "010" is ten, not an octal eight. */
	errno = 0;
	*out = strtoull(s, end, base);
	return errno == 0 && *end != s;
}

bool parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !parse_digits(s, out, &end))
		return false;
	return *end == '\0';
}

bool parse_size(const char *s, uint64_t *out)
{
	uint64_t v, mult = 1;
	char *end;

	if (!s || !parse_digits(s, &v, &end))
		return false;
	switch (tolower((unsigned char)*end)) {
	case '\0':
		break;
	case 'k':
		mult = KiB;
		end++;
		break;
	case 'm':
		mult = MiB;
		end++;
		break;
	case 'g':
		mult = GiB;
		end++;
		break;
	default:
		return false;
	}
	/* Accept "16M", "16MB" and "16MiB", nothing else. */
	if (mult != 1) {
		if (tolower((unsigned char)*end) == 'i' &&
		    tolower((unsigned char)end[1]) == 'b')
			end += 2;
		else if (tolower((unsigned char)*end) == 'b')
			end++;
	}
	if (*end != '\0')
		return false;
	if (v > UINT64_MAX / mult)
		return false;
	*out = v * mult;
	return true;
}
