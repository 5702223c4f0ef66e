/* SPDX-License-Identifier: GPL-2.0 */
/*
 * step-cmds.h - the stepper's command language: parsing one line into a
 * struct step_cmd, and the help text.  Nothing here touches the VM, so
 * every command and every error is tested on the host.
 */
#ifndef VMXLAB_STEP_CMDS_H
#define VMXLAB_STEP_CMDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum step_cmd_kind {
	SC_NONE,		/* an empty line */
	SC_CONTINUE,		/* continue, c */
	SC_STEP,		/* step [N], s [N] */
	SC_STOP,		/* stop [all|none|REASON...] */
	SC_BREAK,		/* break ADDR, b ADDR */
	SC_DELETE,		/* delete N, d N */
	SC_BREAKPOINTS,		/* breakpoints */
	SC_REGS,		/* regs */
	SC_VMCS,		/* vmcs NAME|ENCODING|all */
	SC_SET,			/* set NAME VALUE */
	SC_X,			/* x/NFU ADDR, xp/NFU ADDR */
	SC_WALK,		/* walk GVA */
	SC_EXPLAIN,		/* explain */
	SC_APIC,		/* apic */
	SC_HELP,		/* help [COMMAND] */
	SC_QUIT,		/* quit, q */
};

/* An address operand: a number, or a register read when it runs. */
enum step_addr_reg {
	ADDR_NUMBER,
	ADDR_RIP,		/* $rip */
	ADDR_RSP,		/* $rsp */
};

#define STEP_MAX_COUNT		1000000
#define STEP_X_MAX		4096	/* units one x command shows */

struct step_cmd {
	enum step_cmd_kind kind;
	uint64_t count;		/* step N, x/N */
	uint64_t addr;		/* break, x, walk */
	enum step_addr_reg addr_reg;
	uint64_t value;		/* set */
	uint32_t encoding;	/* vmcs, set */
	bool all;		/* vmcs all */
	unsigned index;		/* delete N (1-based) */
	bool phys;		/* xp: guest-physical */
	char unit;		/* x: 'b', 'h', 'w', 'g' or 'i' */
	char format;		/* x: 'x', 'd', 'u' or 'i' (unit 'i') */
	bool show;		/* stop with no argument: show the set */
	uint64_t stop_reasons[2];	/* stop */
	uint64_t stop_vectors[4];	/* stop irq, stop vector N */
	char topic[16];		/* help TOPIC, "" for all */
};

/*
 * Parses one line (without or with its newline).  False after writing
 * one sentence into @err.
 */
bool step_parse(const char *line, struct step_cmd *cmd, char *err,
		size_t errlen);
/* The basic exit reason named @s (any case) or numbered; -1 if none. */
int step_exit_reason(const char *s);
/*
 * The stop sets: every exit reason there is, and the guest's own, which
 * leaves out the host's asynchronous ones (an external interrupt, the
 * preemption timer: they say nothing about the guest, and would make
 * the same session stop at different places from run to run).
 */
void step_reasons_all(uint64_t r[2]);
void step_reasons_guest(uint64_t r[2]);
/* The bytes in an x unit: 1, 2, 4 or 8 (b, h, w, g). */
unsigned step_x_size(char unit);
/*
 * Prints the units of x command @c (not x/i) read from @addr into @buf
 * (@have bytes), as many as are whole in @buf: "ADDR: V V ..." lines, V
 * in @c's format (0x-prefixed hexadecimal zero-padded to the unit, or
 * signed or unsigned decimal).  Returns how many it printed.
 */
uint64_t step_x_print(FILE *out, const struct step_cmd *c, uint64_t addr,
		      const uint8_t *buf, size_t have);
/* Help for every command, or for @topic; false for an unknown topic. */
bool step_help(FILE *out, const char *topic);

#endif /* VMXLAB_STEP_CMDS_H */
