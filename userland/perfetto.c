// SPDX-License-Identifier: GPL-2.0
/* perfetto.c - writing Chrome trace-event JSON, one exit at a time. */
#include <cpuid.h>
#include <inttypes.h>

#include <linux/vmxlab_tables.h>

#include "perfetto.h"

uint64_t perfetto_tsc_hz(void)
{
	unsigned a, b, c, d;

	if (__get_cpuid_max(0, NULL) >= 0x15) {
		__cpuid(0x15, a, b, c, d);
		if (a && b && c)
			return (uint64_t)c * b / a;
	}
	if (__get_cpuid_max(0, NULL) >= 0x16) {
		__cpuid(0x16, a, b, c, d);
		if (a & 0xffff)
			return (uint64_t)(a & 0xffff) * 1000000;
	}
	return 1000000000;
}

/* Ticks to microseconds relative to the first exit, as "%.3f". */
static void us(const struct perfetto *p, uint64_t ticks, char *buf,
	       size_t len)
{
	double v = (double)(int64_t)(ticks - p->t0) * 1e6 / (double)p->tsc_hz;

	snprintf(buf, len, "%.3f", v);
}

static void dur(const struct perfetto *p, uint64_t ticks, char *buf,
		size_t len)
{
	snprintf(buf, len, "%.3f", (double)ticks * 1e6 / (double)p->tsc_hz);
}

static void sep(struct perfetto *p)
{
	fprintf(p->out, "%s\n", p->nevents++ ? "," : "");
}

void perfetto_begin(struct perfetto *p, FILE *out, uint64_t tsc_hz,
		    unsigned vcpu)
{
	*p = (struct perfetto){ .out = out, .tsc_hz = tsc_hz ? tsc_hz : 1,
				.vcpu = vcpu };
	fprintf(out, "[");
	sep(p);
	fprintf(out, "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%u,"
		"\"tid\":%u,\"args\":{\"name\":\"vmxlab vCPU %u\"}}", vcpu,
		vcpu, vcpu);
	sep(p);
	fprintf(out, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":%u,"
		"\"tid\":%u,\"args\":{\"name\":\"vCPU %u (TSC %" PRIu64
		" Hz assumed)\"}}", vcpu, vcpu, vcpu, p->tsc_hz);
}

void perfetto_exit(struct perfetto *p, const struct trace_record *r)
{
	char name[32], ts[32], d[32], details[512];

	if (!p->started) {
		p->started = true;
		p->t0 = r->t_exit;
	}
	if (p->have_entry && r->t_exit >= p->last_entry) {
		us(p, p->last_entry, ts, sizeof(ts));
		dur(p, r->t_exit - p->last_entry, d, sizeof(d));
		sep(p);
		fprintf(p->out, "{\"name\":\"guest\",\"cat\":\"guest\","
			"\"ph\":\"X\",\"ts\":%s,\"dur\":%s,\"pid\":%u,"
			"\"tid\":%u,\"args\":{\"ticks\":%" PRIu64 "}}", ts, d,
			p->vcpu, p->vcpu, r->t_exit - p->last_entry);
	}
	trace_reason_name(r->hw_exit_reason, name, sizeof(name));
	us(p, r->t_exit, ts, sizeof(ts));
	sep(p);
	fprintf(p->out, "{\"name\":\"%s\",\"cat\":\"%s\",", name,
		r->where == TRACE_KERNEL ? "kernel" : "user");
	if (r->flags & TRACE_HAS_ENTRY) {
		dur(p, r->t_entry - r->t_exit, d, sizeof(d));
		fprintf(p->out, "\"ph\":\"X\",\"ts\":%s,\"dur\":%s,", ts, d);
	} else {
		fprintf(p->out, "\"ph\":\"i\",\"s\":\"t\",\"ts\":%s,", ts);
	}
	fprintf(p->out, "\"pid\":%u,\"tid\":%u,\"args\":{\"seq\":%" PRIu64
		",\"rip\":\"0x%" PRIx64 "\"", p->vcpu, p->vcpu, r->seq,
		r->rip);
	if (r->flags & TRACE_HAS_ENTRY)
		fprintf(p->out, ",\"ticks\":%" PRIu64,
			r->t_entry - r->t_exit);
	trace_format_details_json(r, details, sizeof(details));
	if (details[0])
		fprintf(p->out, ",%s", details);
	fprintf(p->out, "}}");
	p->have_entry = r->flags & TRACE_HAS_ENTRY;
	p->last_entry = r->t_entry;
}

void perfetto_end(struct perfetto *p)
{
	fprintf(p->out, "\n]\n");
	fflush(p->out);
}
