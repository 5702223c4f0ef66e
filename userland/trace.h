/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace.h - one record per VM exit, its decoding, and the summary.
 *
 * A record describes an exit wherever it was handled: in userspace
 * ("user") or inside the module ("kernel", known from the exit ring,
 * ring.h; without the ring only user exits are seen).  Records hold raw
 * facts; trace_format_text() and trace_format_json() turn one record into
 * one line and depend on nothing else, so they are tested with golden
 * output.
 */
#ifndef VMXLAB_TRACE_H
#define VMXLAB_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum trace_where {
	TRACE_USER,	/* handled by the loader */
	TRACE_KERNEL,	/* handled inside the module */
};

/* Which of the optional fields hold something. */
#define TRACE_HAS_GPA		(1U << 0)
#define TRACE_HAS_INTR_INFO	(1U << 1)
#define TRACE_HAS_IO		(1U << 2)
#define TRACE_HAS_MMIO		(1U << 3)
#define TRACE_HAS_MSR		(1U << 4)
#define TRACE_HAS_HYPERCALL	(1U << 5)
/* t_entry holds the time the guest was entered again. */
#define TRACE_HAS_ENTRY		(1U << 6)
/* The exit's cost is not known (the last exit of a run, from the ring). */
#define TRACE_COST_UNKNOWN	(1U << 7)
/* inject_info: the entry after this exit delivered an event. */
#define TRACE_HAS_INJECT	(1U << 8)
/* u.msr has the index only: the kernel handled it, the data is unknown. */
#define TRACE_MSR_NO_DATA	(1U << 9)

#define TRACE_INSN_MAX		15

struct trace_record {
	uint64_t seq;
	uint64_t tsc;		/* guest TSC at the exit; 0 if unknown */
	uint64_t cost;		/* TSC ticks to handle it; 0 if unknown */
	/*
	 * The timeline (--trace-format perfetto), in one clock: the guest
	 * TSC at exit and entry with the ring, the host TSC around the
	 * loader's handling without it.
	 */
	uint64_t t_exit, t_entry;
	uint32_t hw_exit_reason;	/* raw VMCS exit reason */
	uint32_t flags;		/* TRACE_HAS_* */
	uint64_t qualification;	/* raw exit qualification */
	uint64_t rip;
	uint64_t gpa;		/* guest-physical address (EPT exits) */
	uint32_t intr_info;	/* VM-exit interruption information */
	uint32_t intr_error;	/* and its error code */
	uint32_t inject_info;	/* VM-entry interruption information */
	uint32_t inject_source;	/* VMXLAB_SRC_* */
	uint8_t where;		/* enum trace_where */
	uint8_t cpu_bits;	/* 16, 32 or 64; 0 if unknown */
	uint8_t insn_len;	/* valid bytes in insn[]; 0 if unreadable */
	uint8_t insn[TRACE_INSN_MAX];
	union {
		struct {
			uint16_t port;
			uint8_t size;
			uint8_t in;
			uint64_t data;	/* written, or returned to an IN */
		} io;
		struct {
			uint64_t gpa;
			uint64_t data;
			uint8_t len;
			uint8_t is_write;
		} mmio;
		struct {
			uint32_t index;
			uint8_t is_write;
			uint64_t data;
		} msr;
		struct {
			uint64_t nr;
			uint64_t args[4];
			uint64_t ret;
		} hypercall;
	} u;
};

/* Where an injected event came from (VMXLAB_SRC_*): "lapic", "pic", ... */
const char *inject_source_name(uint32_t src);
/* The name of a basic exit reason ("IO_INSTRUCTION"), NULL if unknown. */
const char *exit_reason_name(uint32_t basic);
/* Its description from the SDM table ("I/O instruction"). */
const char *exit_reason_text(uint32_t basic);

/*
 * One line (no newline) into @buf; returns the length it needed, like
 * snprintf.  Nothing but @r is read.
 */
size_t trace_format_text(const struct trace_record *r, char *buf,
			 size_t len);
size_t trace_format_json(const struct trace_record *r, char *buf,
			 size_t len);
/*
 * The decoded qualification alone, " key=value" for each detail (e.g.
 * " dir=out port=0x3f8 size=1"); empty when there is nothing to decode.
 */
size_t trace_format_details(const struct trace_record *r, char *buf,
			    size_t len);
/* The same as JSON members, "\"dir\":\"out\",\"size\":1", no braces. */
size_t trace_format_details_json(const struct trace_record *r, char *buf,
				 size_t len);
/* The exit's name ("IO_INSTRUCTION", "UNKNOWN_99"). */
void trace_reason_name(uint32_t hw_exit_reason, char *buf, size_t len);

/* Per-reason counts and costs; slot 128 holds failed entries. */
#define TRACE_SUMMARY_SLOTS	129
struct trace_summary {
	uint64_t count[TRACE_SUMMARY_SLOTS];
	uint64_t cost[TRACE_SUMMARY_SLOTS];
	/* Exits whose cost is known: the mean is cost / costed. */
	uint64_t costed[TRACE_SUMMARY_SLOTS];
	/* Exit records the ring lost (overwrite mode); 0 otherwise. */
	uint64_t dropped;
};

void trace_summary_add(struct trace_summary *s, const struct trace_record *r);
void trace_summary_print_text(const struct trace_summary *s, FILE *out);
void trace_summary_print_json(const struct trace_summary *s, FILE *out);

/* Capstone disassembly of one instruction, "??" when it cannot. */
void disasm_one(unsigned bits, uint64_t rip, const uint8_t *bytes,
		size_t len, char *out, size_t outlen);
/* The same; returns the instruction's length, 0 when it cannot decode. */
size_t disasm_insn(unsigned bits, uint64_t rip, const uint8_t *bytes,
		   size_t len, char *out, size_t outlen);

#endif /* VMXLAB_TRACE_H */
