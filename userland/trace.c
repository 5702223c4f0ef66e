// SPDX-License-Identifier: GPL-2.0
/*
 * trace.c - decoding a trace record into text or JSON, and the summary.
 *
 * The decoding is done once, into key/value pairs (decode_details()), and
 * rendered twice, so the two formats cannot drift apart.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include <linux/vmxlab.h>
#include <linux/vmxlab_tables.h>

#include "../kmod/apic_regs.h"
#include "../kmod/vmx_bits.h"

#include "trace.h"


/* A growing line that reports the length it needed, like snprintf. */
struct sb {
	char *buf;
	size_t len, pos;
};

static void sb_printf(struct sb *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_printf(struct sb *b, const char *fmt, ...)
{
	size_t room = b->pos < b->len ? b->len - b->pos : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? b->buf + b->pos : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->pos += n;
}

#define MAX_DETAILS	12

struct detail {
	const char *key;
	char val[48];
	bool quoted;	/* a string in JSON, a number otherwise */
};

struct details {
	struct detail d[MAX_DETAILS];
	unsigned n;
};

static void add(struct details *ds, const char *key, bool quoted,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void add(struct details *ds, const char *key, bool quoted,
		const char *fmt, ...)
{
	struct detail *d;
	va_list ap;

	if (ds->n >= MAX_DETAILS)
		return;
	d = &ds->d[ds->n++];
	d->key = key;
	d->quoted = quoted;
	va_start(ap, fmt);
	vsnprintf(d->val, sizeof(d->val), fmt, ap);
	va_end(ap);
}

static void add_hex(struct details *ds, const char *key, uint64_t v)
{
	add(ds, key, true, "0x%" PRIx64, v);
}

static const char *const gpr_names[16] = {
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
};

static const char *const vector_names[32] = {
	"DE", "DB", "NMI", "BP", "OF", "BR", "UD", "NM",
	"DF", "CSO", "TS", "NP", "SS", "GP", "PF", NULL,
	"MF", "AC", "MC", "XM", "VE", "CP",
};

static const char *const intr_types[8] = {
	"external", NULL, "nmi", "hw-exception", "sw-interrupt",
	"priv-sw-exception", "sw-exception", "other",
};

/* SDM Table 28-5. */
static void decode_io(const struct trace_record *r, struct details *ds)
{
	uint64_t q = r->qualification;
	unsigned size = (q & 7) + 1;

	add(ds, "dir", true, "%s", (q & (1 << 3)) ? "in" : "out");
	add(ds, "port", true, "0x%" PRIx64, (q >> 16) & 0xffff);
	add(ds, "size", false, "%u", size);
	if (q & (1 << 4))
		add(ds, "string", false, "1");
	if (q & (1 << 5))
		add(ds, "rep", false, "1");
	if (r->flags & TRACE_HAS_IO)
		add(ds, "data", true, "0x%0*" PRIx64, (int)(2 * size),
		    r->u.io.data);
}

/* SDM Table 28-3. */
static void decode_cr(const struct trace_record *r, struct details *ds)
{
	static const char *const types[4] = {
		"mov-to-cr", "mov-from-cr", "clts", "lmsw",
	};
	uint64_t q = r->qualification;
	unsigned type = (q >> 4) & 3;

	add(ds, "cr", false, "%u", (unsigned)(q & 15));
	add(ds, "access", true, "%s", types[type]);
	if (type < 2)
		add(ds, "reg", true, "%s", gpr_names[(q >> 8) & 15]);
	else if (type == 3)
		add(ds, "src", true, "0x%x", (unsigned)((q >> 16) & 0xffff));
}

/* SDM Table 28-7: bits 2:0 the access, 5:3 what the EPT entry allowed. */
static void add_apic(struct details *ds, uint64_t gpa);

static void decode_ept(const struct trace_record *r, struct details *ds,
		       bool violation)
{
	uint64_t q = r->qualification;

	if (r->flags & TRACE_HAS_GPA)
		add_hex(ds, "gpa", r->gpa);
	else if (r->flags & TRACE_HAS_MMIO)
		add_hex(ds, "gpa", r->u.mmio.gpa);
	if (violation) {
		add(ds, "access", true, "%s%s%s", (q & 1) ? "r" : "",
		    (q & 2) ? "w" : "", (q & 4) ? "x" : "");
		add(ds, "perm", true, "%c%c%c", (q & 8) ? 'r' : '-',
		    (q & 16) ? 'w' : '-', (q & 32) ? 'x' : '-');
	}
	if (r->flags & TRACE_HAS_MMIO) {
		add(ds, "len", false, "%u", r->u.mmio.len);
		add(ds, "data", true, "0x%0*" PRIx64,
		    (int)(2 * r->u.mmio.len), r->u.mmio.data);
	}
	/* The local APIC's page: which register (SDM Table 11-1). */
	if ((r->flags & TRACE_HAS_GPA) &&
	    (r->gpa & ~0xfffULL) == LAPIC_DEFAULT_BASE)
		add_apic(ds, r->gpa);
}

/* The local APIC registers a teaching trace names. */
static const char *apic_reg_name(uint64_t gpa)
{
	static const struct {
		uint32_t off;
		const char *name;
	} regs[] = {
		{ LAPIC_ID, "ID" }, { LAPIC_VERSION, "VERSION" },
		{ LAPIC_TPR, "TPR" }, { LAPIC_PPR, "PPR" },
		{ LAPIC_EOI, "EOI" }, { LAPIC_LDR, "LDR" },
		{ LAPIC_DFR, "DFR" }, { LAPIC_SVR, "SVR" },
		{ LAPIC_ESR, "ESR" }, { LAPIC_ICR_LOW, "ICR_LOW" },
		{ LAPIC_ICR_HIGH, "ICR_HIGH" }, { LAPIC_LVT_TIMER, "LVT_TIMER" },
		{ LAPIC_LVT_LINT0, "LVT_LINT0" }, { LAPIC_LVT_LINT1, "LVT_LINT1" },
		{ LAPIC_LVT_ERROR, "LVT_ERROR" },
		{ LAPIC_TIMER_INITIAL, "TIMER_INITIAL" },
		{ LAPIC_TIMER_CURRENT, "TIMER_CURRENT" },
		{ LAPIC_TIMER_DIVIDE, "TIMER_DIVIDE" },
		{ LAPIC_SELF_IPI, "SELF_IPI" },
	};
	uint32_t off = gpa & 0xff0;
	unsigned i;

	for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		if (regs[i].off == off)
			return regs[i].name;
	if (off >= LAPIC_ISR && off < LAPIC_TMR)
		return "ISR";
	if (off >= LAPIC_TMR && off < LAPIC_IRR)
		return "TMR";
	if (off >= LAPIC_IRR && off < LAPIC_ESR)
		return "IRR";
	return NULL;
}

/* "apic=EOI" for an access to a register the trace names. */
static void add_apic(struct details *ds, uint64_t gpa)
{
	const char *name = apic_reg_name(gpa);

	if (name)
		add(ds, "apic", true, "%s", name);
}

/* Where an injected event came from (VMXLAB_SRC_*). */
const char *inject_source_name(uint32_t src)
{
	static const char *const names[] = {
		[VMXLAB_SRC_NONE] = "?",
		[VMXLAB_SRC_EXCEPTION] = "exception",
		[VMXLAB_SRC_REINJECT] = "reinjected",
		[VMXLAB_SRC_EXTINT] = "pic",
		[VMXLAB_SRC_LAPIC] = "lapic",
		[VMXLAB_SRC_NMI] = "nmi",
	};

	return src < sizeof(names) / sizeof(names[0]) ? names[src] : "?";
}

/* The event the next entry injected: "extint:0x30" and its source. */
static void decode_inject(const struct trace_record *r, struct details *ds)
{
	static const char *const types[8] = {
		"extint", "?", "nmi", "exception", "swint", "privswexc",
		"swexc", "other",
	};
	uint32_t info = r->inject_info;

	add(ds, "inject", true, "%s:0x%x",
	    types[(info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT],
	    info & INTR_INFO_VECTOR_MASK);
	add(ds, "from", true, "%s", inject_source_name(r->inject_source));
}

/* The VM-exit interruption information (vmx_bits.h, SDM 25.9.2). */
static void decode_exception(const struct trace_record *r,
			     struct details *ds)
{
	uint32_t info = r->intr_info;
	unsigned vec = info & INTR_INFO_VECTOR_MASK;
	unsigned type = (info & INTR_INFO_TYPE_MASK) >> INTR_INFO_TYPE_SHIFT;

	if (!(r->flags & TRACE_HAS_INTR_INFO) || !(info & INTR_INFO_VALID))
		return;
	if (vec < 32 && vector_names[vec] && type != VMX_EV_EXT_INTR)
		add(ds, "vector", true, "%u/#%s", vec, vector_names[vec]);
	else
		add(ds, "vector", true, "%u", vec);
	add(ds, "type", true, "%s",
	    intr_types[type] ? intr_types[type] : "reserved");
	if (info & INTR_INFO_DELIVER_CODE)
		add(ds, "error", true, "0x%x", r->intr_error);
	if (vec == 14 && type == VMX_EV_HW_EXC)
		add_hex(ds, "cr2", r->qualification);
}

static void decode_details(const struct trace_record *r, struct details *ds)
{
	uint32_t basic = VMX_EXIT_REASON_BASIC(r->hw_exit_reason);

	memset(ds, 0, sizeof(*ds));
	if (r->hw_exit_reason & VMX_EXIT_REASON_ENTRY_FAILED) {
		add(ds, "entry_failed", false, "1");
		add_hex(ds, "qual", r->qualification);
		return;
	}
	switch (basic) {
	case VMX_EXIT_EXCEPTION_NMI:
		decode_exception(r, ds);
		break;
	case VMX_EXIT_IO_INSTRUCTION:
		decode_io(r, ds);
		break;
	case VMX_EXIT_CR_ACCESS:
		decode_cr(r, ds);
		break;
	case VMX_EXIT_EPT_VIOLATION:
	case VMX_EXIT_EPT_MISCONFIG:
		decode_ept(r, ds, basic == VMX_EXIT_EPT_VIOLATION);
		break;
	case VMX_EXIT_MSR_READ:
	case VMX_EXIT_MSR_WRITE:
		if (r->flags & TRACE_HAS_MSR) {
			uint32_t i = r->u.msr.index;

			add(ds, "msr", true, "0x%x", i);
			if (!(r->flags & TRACE_MSR_NO_DATA))
				add_hex(ds, "data", r->u.msr.data);
			/* x2APIC registers and the TSC deadline (lapic.c). */
			if (i >= LAPIC_X2APIC_MSR_BASE &&
			    i <= LAPIC_X2APIC_MSR_LAST)
				add_apic(ds, LAPIC_DEFAULT_BASE +
					 ((i - LAPIC_X2APIC_MSR_BASE) << 4));
			else if (i == LAPIC_MSR_TSC_DEADLINE)
				add(ds, "apic", true, "TSC_DEADLINE");
		}
		break;
	case VMX_EXIT_VMCALL:
		if (r->flags & TRACE_HAS_HYPERCALL) {
			add_hex(ds, "nr", r->u.hypercall.nr);
			add(ds, "args", true,
			    "0x%" PRIx64 ",0x%" PRIx64 ",0x%" PRIx64
			    ",0x%" PRIx64, r->u.hypercall.args[0],
			    r->u.hypercall.args[1], r->u.hypercall.args[2],
			    r->u.hypercall.args[3]);
			add_hex(ds, "ret", r->u.hypercall.ret);
		}
		break;
	default:
		if (r->qualification)
			add_hex(ds, "qual", r->qualification);
		break;
	}
	if (r->flags & TRACE_HAS_INJECT)
		decode_inject(r, ds);
}

void trace_reason_name(uint32_t hw_exit_reason, char *buf, size_t len)
{
	uint32_t basic = VMX_EXIT_REASON_BASIC(hw_exit_reason);
	const char *name = exit_reason_name(basic);

	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "UNKNOWN_%u", basic);
}

static void reason_name(const struct trace_record *r, char *buf, size_t len)
{
	trace_reason_name(r->hw_exit_reason, buf, len);
}

size_t trace_format_details(const struct trace_record *r, char *buf,
			    size_t len)
{
	struct sb b = { buf, len, 0 };
	struct details ds;
	unsigned i;

	if (len)
		buf[0] = '\0';
	decode_details(r, &ds);
	for (i = 0; i < ds.n; i++)
		sb_printf(&b, " %s=%s", ds.d[i].key, ds.d[i].val);
	return b.pos;
}

static const char *where_name(const struct trace_record *r)
{
	return r->where == TRACE_KERNEL ? "kernel" : "user";
}

static void insn_text(const struct trace_record *r, char *hex, char *dis,
		      size_t dislen)
{
	unsigned i, n = r->insn_len > TRACE_INSN_MAX ? TRACE_INSN_MAX :
			 r->insn_len;

	hex[0] = '\0';
	for (i = 0; i < n; i++)
		sprintf(hex + 2 * i, "%02x", r->insn[i]);
	disasm_one(r->cpu_bits, r->rip, r->insn, n, dis, dislen);
}

size_t trace_format_text(const struct trace_record *r, char *buf,
			 size_t len)
{
	char name[32], hex[2 * TRACE_INSN_MAX + 1], dis[96];
	struct sb b = { buf, len, 0 };
	struct details ds;
	unsigned i;

	if (len)
		buf[0] = '\0';
	reason_name(r, name, sizeof(name));
	decode_details(r, &ds);
	insn_text(r, hex, dis, sizeof(dis));
	sb_printf(&b, "#%" PRIu64 " tsc=%" PRIu64 " %s", r->seq, r->tsc,
		  name);
	for (i = 0; i < ds.n; i++)
		sb_printf(&b, " %s=%s", ds.d[i].key, ds.d[i].val);
	sb_printf(&b, " rip=0x%" PRIx64 " bytes=%s insn=\"%s\" where=%s ",
		  r->rip, hex[0] ? hex : "-", dis, where_name(r));
	if (r->flags & TRACE_COST_UNKNOWN)
		sb_printf(&b, "cost=?");
	else
		sb_printf(&b, "cost=%" PRIu64, r->cost);
	return b.pos;
}

static void json_string(struct sb *b, const char *s)
{
	sb_printf(b, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			sb_printf(b, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			sb_printf(b, "\\u%04x", *s);
		else
			sb_printf(b, "%c", *s);
	}
	sb_printf(b, "\"");
}

size_t trace_format_json(const struct trace_record *r, char *buf,
			 size_t len)
{
	char name[32], hex[2 * TRACE_INSN_MAX + 1], dis[96];
	struct sb b = { buf, len, 0 };
	struct details ds;
	unsigned i;

	if (len)
		buf[0] = '\0';
	reason_name(r, name, sizeof(name));
	decode_details(r, &ds);
	insn_text(r, hex, dis, sizeof(dis));
	sb_printf(&b, "{\"seq\":%" PRIu64 ",\"tsc\":%" PRIu64
		  ",\"reason\":\"%s\",\"reason_nr\":%u,\"qualification\":"
		  "\"0x%" PRIx64 "\",\"detail\":{", r->seq, r->tsc, name,
		  VMX_EXIT_REASON_BASIC(r->hw_exit_reason), r->qualification);
	for (i = 0; i < ds.n; i++) {
		sb_printf(&b, "%s\"%s\":", i ? "," : "", ds.d[i].key);
		if (ds.d[i].quoted)
			json_string(&b, ds.d[i].val);
		else
			sb_printf(&b, "%s", ds.d[i].val);
	}
	sb_printf(&b, "},\"rip\":\"0x%" PRIx64 "\",\"bits\":%u,\"bytes\":\"%s\""
		  ",\"insn\":", r->rip, r->cpu_bits, hex);
	json_string(&b, dis);
	sb_printf(&b, ",\"where\":\"%s\",\"cost\":", where_name(r));
	if (r->flags & TRACE_COST_UNKNOWN)
		sb_printf(&b, "null}");
	else
		sb_printf(&b, "%" PRIu64 "}", r->cost);
	return b.pos;
}

size_t trace_format_details_json(const struct trace_record *r, char *buf,
				 size_t len)
{
	struct sb b = { buf, len, 0 };
	struct details ds;
	unsigned i;

	if (len)
		buf[0] = '\0';
	decode_details(r, &ds);
	for (i = 0; i < ds.n; i++) {
		sb_printf(&b, "%s\"%s\":", i ? "," : "", ds.d[i].key);
		if (ds.d[i].quoted)
			json_string(&b, ds.d[i].val);
		else
			sb_printf(&b, "%s", ds.d[i].val);
	}
	return b.pos;
}

static unsigned slot_of(const struct trace_record *r)
{
	uint32_t basic = VMX_EXIT_REASON_BASIC(r->hw_exit_reason);

	if (r->hw_exit_reason & VMX_EXIT_REASON_ENTRY_FAILED)
		return TRACE_SUMMARY_SLOTS - 1;
	return basic < TRACE_SUMMARY_SLOTS - 1 ? basic :
	       TRACE_SUMMARY_SLOTS - 1;
}

void trace_summary_add(struct trace_summary *s, const struct trace_record *r)
{
	unsigned slot = slot_of(r);

	s->count[slot]++;
	if (!(r->flags & TRACE_COST_UNKNOWN)) {
		s->cost[slot] += r->cost;
		s->costed[slot]++;
	}
}

static void slot_name(unsigned slot, char *buf, size_t len)
{
	const char *name = exit_reason_name(slot);

	if (slot == TRACE_SUMMARY_SLOTS - 1)
		snprintf(buf, len, "ENTRY_FAILED_OR_OTHER");
	else if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "UNKNOWN_%u", slot);
}

/* Mean over the exits whose cost is known. */
static uint64_t mean(uint64_t cost, uint64_t costed)
{
	return costed ? cost / costed : 0;
}

void trace_summary_print_text(const struct trace_summary *s, FILE *out)
{
	uint64_t count = 0, cost = 0, costed = 0;
	char name[32];
	unsigned i;

	fprintf(out, "%-24s %10s %16s %12s\n", "exit reason", "count",
		"total cost", "mean cost");
	for (i = 0; i < TRACE_SUMMARY_SLOTS; i++) {
		if (!s->count[i])
			continue;
		slot_name(i, name, sizeof(name));
		fprintf(out, "%-24s %10" PRIu64 " %16" PRIu64 " %12" PRIu64
			"\n", name, s->count[i], s->cost[i],
			mean(s->cost[i], s->costed[i]));
		count += s->count[i];
		cost += s->cost[i];
		costed += s->costed[i];
	}
	fprintf(out, "%-24s %10" PRIu64 " %16" PRIu64 " %12" PRIu64 "\n",
		"total", count, cost, mean(cost, costed));
	if (s->dropped)
		fprintf(out, "%" PRIu64 " exit records were overwritten in "
			"the ring before the loader read them\n", s->dropped);
}

void trace_summary_print_json(const struct trace_summary *s, FILE *out)
{
	uint64_t count = 0, cost = 0, costed = 0;
	char name[32];
	unsigned i;
	bool first = true;

	fprintf(out, "{\"summary\":[");
	for (i = 0; i < TRACE_SUMMARY_SLOTS; i++) {
		if (!s->count[i])
			continue;
		slot_name(i, name, sizeof(name));
		fprintf(out, "%s{\"reason\":\"%s\",\"reason_nr\":%u,"
			"\"count\":%" PRIu64 ",\"total_cost\":%" PRIu64
			",\"mean_cost\":%" PRIu64 "}", first ? "" : ",",
			name, i, s->count[i], s->cost[i],
			mean(s->cost[i], s->costed[i]));
		first = false;
		count += s->count[i];
		cost += s->cost[i];
		costed += s->costed[i];
	}
	fprintf(out, "],\"total\":{\"count\":%" PRIu64 ",\"total_cost\":%"
		PRIu64 ",\"mean_cost\":%" PRIu64 "}", count, cost,
		mean(cost, costed));
	if (s->dropped)
		fprintf(out, ",\"dropped\":%" PRIu64, s->dropped);
	fprintf(out, "}\n");
}
