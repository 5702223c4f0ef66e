// SPDX-License-Identifier: GPL-2.0
/* step-view.c - the stepper's displays. */
#include <inttypes.h>
#include <string.h>

#include <linux/vmxlab_tables.h>

#include "../kmod/apic_regs.h"
#include "bootstate.h"
#include "gva.h"
#include "step-view.h"
#include "trace.h"
#include "vmcs-names.h"

const uint32_t step_watch[STEP_WATCH_FIELDS] = {
	VMCS_GUEST_RIP, VMCS_GUEST_RSP, VMCS_GUEST_RFLAGS,
	VMCS_GUEST_CR0, VMCS_GUEST_CR3, VMCS_GUEST_CR4, VMCS_GUEST_IA32_EFER,
	VMCS_GUEST_CS_SELECTOR, VMCS_GUEST_CS_AR_BYTES,
	VMCS_GUEST_SS_SELECTOR, VMCS_GUEST_SS_AR_BYTES,
	VMCS_GUEST_INTERRUPTIBILITY_INFO, VMCS_GUEST_ACTIVITY_STATE,
	VMCS_VM_EXIT_REASON, VMCS_EXIT_QUALIFICATION,
	VMCS_GUEST_LINEAR_ADDRESS, VMCS_GUEST_PHYSICAL_ADDRESS,
};

void vmcs_snapshot_take(struct backend *be, struct vmcs_snapshot *s)
{
	unsigned i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < STEP_WATCH_FIELDS; i++)
		if (!be_get_vmcs(be, step_watch[i], &s->val[i]))
			s->valid |= 1U << i;
}

unsigned vmcs_snapshot_diff(const struct vmcs_snapshot *old,
			    const struct vmcs_snapshot *new, FILE *out)
{
	unsigned i, n = 0;

	for (i = 0; i < STEP_WATCH_FIELDS; i++) {
		if (!(old->valid & new->valid & (1U << i)) ||
		    old->val[i] == new->val[i])
			continue;
		fprintf(out, "changed: %s 0x%" PRIx64 " -> 0x%" PRIx64 "\n",
			vmcs_name(step_watch[i]), old->val[i], new->val[i]);
		n++;
	}
	return n;
}

void view_rflags(uint64_t rflags, char *buf, size_t len)
{
	static const struct { unsigned bit; const char *name; } flags[] = {
		{ 0, "CF" }, { 2, "PF" }, { 4, "AF" }, { 6, "ZF" },
		{ 7, "SF" }, { 8, "TF" }, { 9, "IF" }, { 10, "DF" },
		{ 11, "OF" }, { 14, "NT" }, { 16, "RF" }, { 17, "VM" },
		{ 18, "AC" }, { 19, "VIF" }, { 20, "VIP" }, { 21, "ID" },
	};
	size_t pos;
	unsigned i;

	pos = snprintf(buf, len, "[");
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]) && pos < len; i++)
		if (rflags & (1ULL << flags[i].bit))
			pos += snprintf(buf + pos, len - pos, " %s",
					flags[i].name);
	if ((rflags >> 12) & 3 && pos < len)
		pos += snprintf(buf + pos, len - pos, " IOPL=%u",
				(unsigned)((rflags >> 12) & 3));
	if (pos < len)
		snprintf(buf + pos, len - pos, " ]");
}

static void seg(FILE *out, const char *name, const struct vmxlab_segment *s)
{
	fprintf(out, "%-4s 0x%04x base 0x%016" PRIx64 " limit 0x%08x ar "
		"0x%05x%s\n", name, s->selector, (uint64_t)s->base, s->limit,
		s->ar, (s->ar & VMXLAB_AR_UNUSABLE) ? " unusable" : "");
}

void view_regs(FILE *out, const struct vmxlab_regs *r,
	       const struct vmxlab_sregs *s)
{
	const uint64_t gpr[16] = {
		r->rax, r->rbx, r->rcx, r->rdx, r->rsi, r->rdi, r->rsp,
		r->rbp, r->r8, r->r9, r->r10, r->r11, r->r12, r->r13,
		r->r14, r->r15,
	};
	static const char *const names[16] = {
		"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	};
	char fl[96];
	unsigned i;

	for (i = 0; i < 16; i++)
		fprintf(out, "%-3s 0x%016" PRIx64 "%s", names[i], gpr[i],
			i % 4 == 3 ? "\n" : "  ");
	view_rflags(r->rflags, fl, sizeof(fl));
	fprintf(out, "rip 0x%016" PRIx64 "  rflags 0x%08" PRIx64 " %s\n",
		(uint64_t)r->rip, (uint64_t)r->rflags, fl);
	seg(out, "cs", &s->cs);
	seg(out, "ds", &s->ds);
	seg(out, "es", &s->es);
	seg(out, "fs", &s->fs);
	seg(out, "gs", &s->gs);
	seg(out, "ss", &s->ss);
	seg(out, "tr", &s->tr);
	seg(out, "ldt", &s->ldt);
	fprintf(out, "gdt  base 0x%016" PRIx64 " limit 0x%04x\n",
		(uint64_t)s->gdt.base, s->gdt.limit);
	fprintf(out, "idt  base 0x%016" PRIx64 " limit 0x%04x\n",
		(uint64_t)s->idt.base, s->idt.limit);
	fprintf(out, "cr0 0x%016" PRIx64 "  cr2 0x%016" PRIx64 "  cr3 0x%016"
		PRIx64 "\n", (uint64_t)s->cr0, (uint64_t)s->cr2,
		(uint64_t)s->cr3);
	fprintf(out, "cr4 0x%016" PRIx64 "  cr8 0x%016" PRIx64 "  efer 0x%016"
		PRIx64 "\n", (uint64_t)s->cr4, (uint64_t)s->cr8,
		(uint64_t)s->efer);
}

void view_insns(FILE *out, const uint8_t *buf, size_t have, uint64_t addr,
		unsigned bits, unsigned n, bool mark)
{
	size_t off = 0, len, pos;
	unsigned i, k;

	for (i = 0; i < n; i++) {
		char dis[96], hex[3 * 15 + 1] = "";
		const char *m = mark && !i ? "=> " : "   ";

		len = off < have ? disasm_insn(bits, addr + off, buf + off,
					       have - off, dis, sizeof(dis)) :
				   0;
		if (!len) {
			fprintf(out, "%s0x%" PRIx64 ":  %s\n", m, addr + off,
				off < have ? "(cannot decode)" :
				"(not readable: outside RAM or unmapped)");
			return;
		}
		for (k = 0, pos = 0; k < len; k++)
			pos += sprintf(hex + pos, "%s%02x", k ? " " : "",
				       buf[off + k]);
		fprintf(out, "%s0x%" PRIx64 ":  %-24s %s\n", m, addr + off,
			hex, dis);
		off += len;
	}
}

void view_code(FILE *out, const struct guest *g,
	       const struct vmxlab_sregs *s, uint64_t rip, unsigned n,
	       bool mark)
{
	uint8_t buf[4 * 15];
	size_t have;

	/* fetch_insn applies CS and walks the page tables byte by byte. */
	have = fetch_insn(g, s, rip, buf, n * 15 < sizeof(buf) ? n * 15 :
			  sizeof(buf));
	view_insns(out, buf, have, rip, cpu_code_bits(s), n, mark);
}

void view_stop_line(FILE *out, const struct vmxlab_run *run, unsigned bp)
{
	struct trace_record rec;
	char name[32], details[256];

	memset(&rec, 0, sizeof(rec));
	rec.hw_exit_reason = run->hw_exit_reason;
	rec.qualification = run->exit_qualification;
	rec.rip = run->guest_rip;
	rec.gpa = run->guest_phys_addr;
	if (rec.gpa)
		rec.flags |= TRACE_HAS_GPA;
	if (run->exit_intr_info & INTR_INFO_VALID) {
		rec.intr_info = run->exit_intr_info;
		rec.intr_error = run->exit_intr_error_code;
		rec.flags |= TRACE_HAS_INTR_INFO;
	}
	trace_reason_name(run->hw_exit_reason, name, sizeof(name));
	trace_format_details(&rec, details, sizeof(details));
	switch (run->stop.kind) {
	case VMXLAB_STOP_EXIT:
		fprintf(out, "stop: exit");
		break;
	case VMXLAB_STOP_STEP:
		fprintf(out, "stop: step");
		break;
	case VMXLAB_STOP_BREAKPOINT:
		if (bp)
			fprintf(out, "stop: breakpoint %u", bp);
		else
			fprintf(out, "stop: breakpoint");
		break;
	case VMXLAB_STOP_INJECT:
		/* The next entry delivers it; the exit shown came before. */
		fprintf(out, "stop: about to deliver %s vector 0x%02x from %s "
			"rip=0x%" PRIx64 " (after",
			(run->stop.inject_info & INTR_INFO_TYPE_MASK) ==
			INTR_TYPE_NMI ? "NMI" : "interrupt",
			run->stop.inject_info & INTR_INFO_VECTOR_MASK,
			inject_source_name(run->stop.inject_source),
			(uint64_t)run->guest_rip);
		fprintf(out, " %s%s)\n", name, details);
		return;
	default:
		fprintf(out, "stop: kind %u", run->stop.kind);
		break;
	}
	fprintf(out, " %s%s rip=0x%" PRIx64 "\n", name, details,
		(uint64_t)run->guest_rip);
}

static uint32_t apic_reg(const struct vmxlab_lapic_state *st, unsigned off)
{
	uint32_t v;

	memcpy(&v, st->regs + off, sizeof(v));
	return v;
}

/* The set bits of a 256-bit register (IRR, ISR, TMR) as vectors. */
static void apic_vectors(FILE *out, const char *name,
			 const struct vmxlab_lapic_state *st, unsigned base)
{
	unsigned v, n = 0;

	fprintf(out, "%-4s", name);
	for (v = 0; v < 256; v++)
		if (apic_reg(st, base + (v / 32) * 16) & (1U << (v % 32))) {
			fprintf(out, " 0x%02x", v);
			n++;
		}
	fprintf(out, "%s\n", n ? "" : " -");
}

void view_apic(FILE *out, const struct vmxlab_lapic_state *st)
{
	static const struct {
		unsigned off;
		const char *name;
	} lvts[] = {
		{ LAPIC_LVT_TIMER, "timer" }, { LAPIC_LVT_LINT0, "lint0" },
		{ LAPIC_LVT_LINT1, "lint1" }, { LAPIC_LVT_ERROR, "error" },
		{ LAPIC_LVT_THERMAL, "thermal" }, { LAPIC_LVT_PERF, "perf" },
	};
	static const char *const dm[8] = {
		"fixed", "lowest", "smi", "?", "nmi", "init", "sipi", "extint",
	};
	static const char *const mode[4] = {
		"one-shot", "periodic", "tsc-deadline", "?",
	};
	uint32_t svr = apic_reg(st, LAPIC_SVR);
	unsigned i;

	fprintf(out, "id 0x%x  version 0x%08x  svr 0x%03x (%s)\n",
		apic_reg(st, LAPIC_ID), apic_reg(st, LAPIC_VERSION), svr,
		(svr & LAPIC_SVR_ENABLE) ? "enabled" : "software-disabled");
	fprintf(out, "tpr 0x%02x  ppr 0x%02x  esr 0x%02x\n",
		apic_reg(st, LAPIC_TPR), apic_reg(st, LAPIC_PPR),
		apic_reg(st, LAPIC_ESR));
	apic_vectors(out, "irr", st, LAPIC_IRR);
	apic_vectors(out, "isr", st, LAPIC_ISR);
	apic_vectors(out, "tmr", st, LAPIC_TMR);
	for (i = 0; i < sizeof(lvts) / sizeof(lvts[0]); i++) {
		uint32_t v = apic_reg(st, lvts[i].off);

		fprintf(out, "lvt %-7s 0x%08x vector 0x%02x %s%s%s", lvts[i].name,
			v, v & LAPIC_LVT_VECTOR,
			lvts[i].off == LAPIC_LVT_TIMER ?
			mode[(v & LAPIC_TIMER_MODE_MASK) >> LAPIC_TIMER_MODE_SHIFT] :
			dm[(v & LAPIC_LVT_DM_MASK) >> LAPIC_LVT_DM_SHIFT],
			(v & LAPIC_LVT_LEVEL) ? " level" : "",
			(v & LAPIC_LVT_MASKED) ? " masked" : "");
		fprintf(out, "\n");
	}
	fprintf(out, "timer initial %u current %u divide by %u\n",
		apic_reg(st, LAPIC_TIMER_INITIAL),
		apic_reg(st, LAPIC_TIMER_CURRENT),
		lapic_divisor(apic_reg(st, LAPIC_TIMER_DIVIDE)));
}
