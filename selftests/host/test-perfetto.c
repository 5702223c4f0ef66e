// SPDX-License-Identifier: GPL-2.0
/*
 * test-perfetto.c - the Chrome trace-event writer: valid JSON (checked
 * by python3 -m json.tool when the host has it, and always by a small
 * structural check), the spans, the timestamps.
 */
#include <stdlib.h>
#include <unistd.h>

#include <linux/vmxlab_tables.h>

#include "perfetto.h"
#include "tap.h"

/* Brackets and braces balance outside strings; one top-level array. */
static bool json_shape_ok(const char *s)
{
	char stack[64];
	int depth = 0;
	bool in_str = false, seen_top = false;

	for (; *s; s++) {
		if (in_str) {
			if (*s == '\\' && s[1])
				s++;
			else if (*s == '"')
				in_str = false;
			continue;
		}
		if (*s == '"') {
			in_str = true;
		} else if (*s == '[' || *s == '{') {
			if (!depth && seen_top)
				return false;
			if (depth == 64)
				return false;
			stack[depth++] = *s == '[' ? ']' : '}';
			seen_top = true;
		} else if (*s == ']' || *s == '}') {
			if (!depth || stack[--depth] != *s)
				return false;
		} else if (!depth && *s != ' ' && *s != '\n') {
			return false;
		}
	}
	return !in_str && !depth && seen_top;
}

static bool python_says_ok(const char *text)
{
	char path[64], cmd[160];
	FILE *f;

	if (system("command -v python3 >/dev/null 2>&1"))
		return true;	/* no python3: the structural check alone */
	snprintf(path, sizeof(path), "/tmp/vmxlab-perfetto-%d.json", getpid());
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "python3 -m json.tool %s >/dev/null", path);
	return system(cmd) == 0 && !unlink(path);
}

static struct trace_record rec(uint64_t seq, uint32_t reason, bool kernel,
			       uint64_t t_exit, uint64_t t_entry)
{
	struct trace_record r = { .seq = seq, .hw_exit_reason = reason,
				  .where = kernel ? TRACE_KERNEL : TRACE_USER,
				  .t_exit = t_exit, .t_entry = t_entry,
				  .rip = 0x1000 + seq };

	if (t_entry)
		r.flags |= TRACE_HAS_ENTRY;
	else
		r.flags |= TRACE_COST_UNKNOWN;
	return r;
}

TEST(perfetto_json_is_valid_with_spans)
{
	struct trace_record r;
	struct perfetto p;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	/* 2 GHz: 2000 ticks per microsecond. */
	perfetto_begin(&p, f, 2000000000, 0);
	r = rec(1, VMX_EXIT_CPUID, true, 10000, 12000);
	perfetto_exit(&p, &r);
	r = rec(2, VMX_EXIT_IO_INSTRUCTION, false, 16000, 36000);
	r.qualification = 0x3f80000;	/* out to 0x3f8, 1 byte */
	perfetto_exit(&p, &r);
	r = rec(3, VMX_EXIT_HLT, false, 40000, 0);
	perfetto_exit(&p, &r);
	perfetto_end(&p);
	fclose(f);
	CHECK(json_shape_ok(buf));
	CHECK(python_says_ok(buf));
	CHECK_CONTAINS(buf, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":0,"
		       "\"tid\":0,\"args\":{\"name\":\"vCPU 0 (TSC "
		       "2000000000 Hz assumed)\"}}");
	/* The exit from 10000 to 12000 ticks: 0 us, 1 us long. */
	CHECK_CONTAINS(buf, "{\"name\":\"CPUID\",\"cat\":\"kernel\",\"ph\":"
		       "\"X\",\"ts\":0.000,\"dur\":1.000,\"pid\":0,\"tid\":0,"
		       "\"args\":{\"seq\":1,\"rip\":\"0x1001\",\"ticks\":2000}}");
	/* The guest ran from 12000 to 16000. */
	CHECK_CONTAINS(buf, "{\"name\":\"guest\",\"cat\":\"guest\",\"ph\":\"X\","
		       "\"ts\":1.000,\"dur\":2.000,");
	CHECK_CONTAINS(buf, "\"name\":\"IO_INSTRUCTION\",\"cat\":\"user\","
		       "\"ph\":\"X\",\"ts\":3.000,\"dur\":10.000,");
	CHECK_CONTAINS(buf, "\"dir\":\"out\",\"port\":\"0x3f8\",\"size\":1}");
	CHECK_CONTAINS(buf, "\"ts\":13.000,\"dur\":2.000,");
	/* The last exit: an instant event. */
	CHECK_CONTAINS(buf, "{\"name\":\"HLT\",\"cat\":\"user\",\"ph\":\"i\","
		       "\"s\":\"t\",\"ts\":15.000,");
	/* The structural check itself catches a broken file. */
	buf[strlen(buf) - 2] = ' ';
	CHECK(!json_shape_ok(buf));
}

TEST(perfetto_empty_trace_is_valid)
{
	struct perfetto p;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	perfetto_begin(&p, f, 0, 3);
	perfetto_end(&p);
	fclose(f);
	CHECK(json_shape_ok(buf));
	CHECK(python_says_ok(buf));
	CHECK_CONTAINS(buf, "\"pid\":3,\"tid\":3");
	CHECK(perfetto_tsc_hz() > 0);
}
