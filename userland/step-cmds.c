// SPDX-License-Identifier: GPL-2.0
/*
 * step-cmds.c - parsing the stepper's commands.
 *
 * One table lists every command with its alias, its parser and its help,
 * so "help" and the parser cannot disagree.  Errors are one sentence that
 * names the bad word and says what was expected.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "generated/vmxlab_names.h"
#include "step-cmds.h"
#include "util.h"
#include "vmcs-names.h"

#define MAX_WORDS	160

struct words {
	char *w[MAX_WORDS];
	unsigned n;
	char buf[512];
};

struct cmd_def {
	const char *name, *alias;
	enum step_cmd_kind kind;
	/* Parses words 1..n-1; false after filling the error. */
	bool (*parse)(const struct words *ws, struct step_cmd *c,
		      char *err, size_t errlen);
	const char *usage, *help;
};

static bool fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return false;
}

static bool nargs(const struct words *ws, unsigned min, unsigned max,
		  const char *usage, char *err, size_t errlen)
{
	if (ws->n - 1 < min || ws->n - 1 > max)
		return fail(err, errlen, "%s needs %s", ws->w[0], usage);
	return true;
}

/* A number or $rip/$rsp. */
static bool parse_addr(const char *s, struct step_cmd *c, char *err,
		       size_t errlen)
{
	c->addr_reg = ADDR_NUMBER;
	if (!strcasecmp(s, "$rip")) {
		c->addr_reg = ADDR_RIP;
		return true;
	}
	if (!strcasecmp(s, "$rsp")) {
		c->addr_reg = ADDR_RSP;
		return true;
	}
	if (!parse_u64(s, &c->addr))
		return fail(err, errlen, "'%s' is not an address (a number "
			    "such as 0x1000, or $rip or $rsp)", s);
	return true;
}

static bool p_none(const struct words *ws, struct step_cmd *c, char *err,
		   size_t errlen)
{
	if (ws->n > 1)
		return fail(err, errlen, "%s takes no arguments", ws->w[0]);
	return true;
}

static bool p_step(const struct words *ws, struct step_cmd *c, char *err,
		   size_t errlen)
{
	c->count = 1;
	if (!nargs(ws, 0, 1, "at most one number of instructions", err,
		   errlen))
		return false;
	if (ws->n == 2 && (!parse_u64(ws->w[1], &c->count) || !c->count ||
			   c->count > STEP_MAX_COUNT))
		return fail(err, errlen, "'%s' is not a number of "
			    "instructions from 1 to %d", ws->w[1],
			    STEP_MAX_COUNT);
	return true;
}

int step_exit_reason(const char *s)
{
	uint64_t v;
	unsigned i;

	if (parse_u64(s, &v))
		return v < VMX_EXIT_MAX && vmxlab_exit_names[v] ? (int)v : -1;
	for (i = 0; i < VMX_EXIT_MAX; i++)
		if (vmxlab_exit_names[i] &&
		    !strcasecmp(s, vmxlab_exit_names[i]))
			return i;
	return -1;
}

void step_reasons_all(uint64_t r[2])
{
	unsigned i;

	/* Only reasons that exist: the module may refuse others. */
	r[0] = r[1] = 0;
	for (i = 0; i < VMX_EXIT_MAX; i++)
		if (vmxlab_exit_names[i])
			r[i / 64] |= 1ULL << (i % 64);
}

void step_reasons_guest(uint64_t r[2])
{
	step_reasons_all(r);
	r[0] &= ~(1ULL << VMX_EXIT_EXTERNAL_INTERRUPT);
	r[VMX_EXIT_PREEMPTION_TIMER / 64] &=
		~(1ULL << (VMX_EXIT_PREEMPTION_TIMER % 64));
}

static bool p_stop(const struct words *ws, struct step_cmd *c, char *err,
		   size_t errlen)
{
	unsigned i;
	int r;

	if (ws->n == 1) {
		c->show = true;
		return true;
	}
	if (ws->n == 2 && !strcasecmp(ws->w[1], "none"))
		return true;
	if (ws->n == 2 && !strcasecmp(ws->w[1], "all")) {
		step_reasons_all(c->stop_reasons);
		return true;
	}
	if (ws->n == 2 && !strcasecmp(ws->w[1], "guest")) {
		step_reasons_guest(c->stop_reasons);
		return true;
	}
	for (i = 1; i < ws->n; i++) {
		char *end;
		unsigned long v;

		/* Interrupts about to be delivered (VMXLAB_STOP_INJECT). */
		if (!strcasecmp(ws->w[i], "irq")) {
			memset(c->stop_vectors, 0xff, sizeof(c->stop_vectors));
			continue;
		}
		if (!strcasecmp(ws->w[i], "vector")) {
			if (++i >= ws->n)
				return fail(err, errlen, "vector needs a number, "
					    "0 to 255");
			errno = 0;
			v = strtoul(ws->w[i], &end, 0);
			if (errno || *end || end == ws->w[i] || v > 255)
				return fail(err, errlen, "'%s' is not a vector "
					    "(0 to 255)", ws->w[i]);
			c->stop_vectors[v / 64] |= 1ULL << (v % 64);
			continue;
		}
		r = step_exit_reason(ws->w[i]);
		if (r < 0)
			return fail(err, errlen, "'%s' is not an exit reason "
				    "(all, none, irq, vector N, or names such "
				    "as cpuid io_instruction hlt)", ws->w[i]);
		c->stop_reasons[r / 64] |= 1ULL << (r % 64);
	}
	return true;
}

static bool p_break(const struct words *ws, struct step_cmd *c, char *err,
		    size_t errlen)
{
	if (!nargs(ws, 1, 1, "one guest RIP, such as 0x1000", err, errlen))
		return false;
	return parse_addr(ws->w[1], c, err, errlen);
}

static bool p_delete(const struct words *ws, struct step_cmd *c, char *err,
		     size_t errlen)
{
	uint64_t v;

	if (!nargs(ws, 1, 1, "the number of a breakpoint (see breakpoints)",
		   err, errlen))
		return false;
	if (!parse_u64(ws->w[1], &v) || v < 1 || v > 4)
		return fail(err, errlen, "'%s' is not a breakpoint number "
			    "from 1 to 4", ws->w[1]);
	c->index = v;
	return true;
}

/* Words @from to @to - 1 joined by spaces: a field name ("Exit reason"). */
static const char *join(const struct words *ws, unsigned from, unsigned to,
			char *buf, size_t size)
{
	size_t n = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = from; i < to && n < size; i++)
		n += snprintf(buf + n, size - n, "%s%s", i > from ? " " : "",
			      ws->w[i]);
	return buf;
}

static bool p_vmcs(const struct words *ws, struct step_cmd *c, char *err,
		   size_t errlen)
{
	char name[sizeof(ws->buf)];

	if (!nargs(ws, 1, MAX_WORDS, "a field name, an encoding or all", err,
		   errlen))
		return false;
	if (ws->n == 2 && !strcasecmp(ws->w[1], "all")) {
		c->all = true;
		return true;
	}
	return vmcs_resolve(join(ws, 1, ws->n, name, sizeof(name)),
			    &c->encoding, err, errlen);
}

static bool p_set(const struct words *ws, struct step_cmd *c, char *err,
		  size_t errlen)
{
	char name[sizeof(ws->buf)];

	if (!nargs(ws, 2, MAX_WORDS, "a field name and a value", err, errlen))
		return false;
	if (!vmcs_resolve(join(ws, 1, ws->n - 1, name, sizeof(name)),
			  &c->encoding, err, errlen))
		return false;
	if (!parse_u64(ws->w[ws->n - 1], &c->value))
		return fail(err, errlen, "'%s' is not a value (decimal, or "
			    "hexadecimal with 0x)", ws->w[ws->n - 1]);
	return true;
}

/*
 * gdb's x/FMT: FMT is an optional count N (default 1), then format and
 * size letters in any order, the last of each kind winning as in gdb:
 * format x (hexadecimal, the default), d (signed decimal), u (unsigned
 * decimal) or i (instructions, which have no size); size b, h, w (the
 * default) or g.
 */
static bool p_x(const struct words *ws, struct step_cmd *c, char *err,
		size_t errlen)
{
	const char *fmt = strchr(ws->w[0], '/');
	char size = 'w';

	c->phys = !strncasecmp(ws->w[0], "xp", 2);
	c->count = 1;
	c->format = 'x';
	if (fmt) {
		const char *p = fmt + 1;
		bool ok = true;

		if (isdigit((unsigned char)*p)) {
			char *end;

			errno = 0;
			c->count = strtoull(p, &end, 10);
			if (errno)
				ok = false;
			p = end;
		}
		for (; *p && ok; p++) {
			if (strchr("bhwg", *p))
				size = *p;
			else if (strchr("xdui", *p))
				c->format = *p;
			else
				ok = false;
		}
		if (!ok || c->count < 1 || c->count > STEP_X_MAX)
			return fail(err, errlen, "'%s' is not a format: a "
				    "count from 1 to %d, then x, d, u or i "
				    "and b, h, w or g in any order", fmt,
				    STEP_X_MAX);
	}
	c->unit = c->format == 'i' ? 'i' : size;
	if (!nargs(ws, 1, 1, "one address", err, errlen))
		return false;
	return parse_addr(ws->w[1], c, err, errlen);
}

unsigned step_x_size(char unit)
{
	return unit == 'b' ? 1 : unit == 'h' ? 2 : unit == 'w' ? 4 : 8;
}

uint64_t step_x_print(FILE *out, const struct step_cmd *c, uint64_t addr,
		      const uint8_t *buf, size_t have)
{
	unsigned size = step_x_size(c->unit);
	unsigned per_line = size == 8 ? 2 : size == 4 ? 4 : 8;
	unsigned shift = 64 - 8 * size;
	uint64_t i;

	for (i = 0; i < c->count && (i + 1) * size <= have; i++) {
		uint64_t v = 0;
		unsigned k;

		for (k = 0; k < size; k++)
			v |= (uint64_t)buf[i * size + k] << (8 * k);
		if (i % per_line == 0)
			fprintf(out, "%s0x%" PRIx64 ":", i ? "\n" : "",
				addr + i * size);
		if (c->format == 'd')	/* sign-extended from the unit */
			fprintf(out, " %" PRId64, (int64_t)(v << shift) >>
				shift);
		else if (c->format == 'u')
			fprintf(out, " %" PRIu64, v);
		else
			fprintf(out, " 0x%0*" PRIx64, (int)(2 * size), v);
	}
	if (i)
		fprintf(out, "\n");
	return i;
}

static bool p_walk(const struct words *ws, struct step_cmd *c, char *err,
		   size_t errlen)
{
	if (!nargs(ws, 1, 1, "one guest-virtual address", err, errlen))
		return false;
	return parse_addr(ws->w[1], c, err, errlen);
}

static bool p_help(const struct words *ws, struct step_cmd *c, char *err,
		   size_t errlen)
{
	if (!nargs(ws, 0, 1, "at most one command name", err, errlen))
		return false;
	if (ws->n == 2)
		snprintf(c->topic, sizeof(c->topic), "%s", ws->w[1]);
	return true;
}

static const struct cmd_def cmds[] = {
	{ "continue", "c", SC_CONTINUE, p_none, "continue",
	  "run the guest until the next stop: an exit chosen with stop, or a "
	  "breakpoint" },
	{ "step", "s", SC_STEP, p_step, "step [N]",
	  "execute N guest instructions (default 1), one at a time, "
	  "printing each" },
	{ "stop", NULL, SC_STOP, p_stop,
	  "stop [guest|all|none|irq|vector N|REASON...]",
	  "choose where continue stops: at these exit reasons (default "
	  "guest: all but the host's external interrupts and preemption "
	  "timer), and with irq or vector N right before an interrupt (any, "
	  "or vector N) is delivered; with no argument, show them" },
	{ "break", "b", SC_BREAK, p_break, "break ADDR",
	  "stop before the guest executes the instruction at RIP ADDR (at "
	  "most 4)" },
	{ "delete", "d", SC_DELETE, p_delete, "delete N",
	  "remove breakpoint N" },
	{ "breakpoints", NULL, SC_BREAKPOINTS, p_none, "breakpoints",
	  "list the breakpoints" },
	{ "regs", NULL, SC_REGS, p_none, "regs",
	  "show the general registers, RIP, RFLAGS, segments, control "
	  "registers and EFER" },
	{ "vmcs", NULL, SC_VMCS, p_vmcs, "vmcs NAME|ENCODING|all",
	  "read a VMCS field by KVM's or the SDM's name, any case, spaces, - "
	  "and _ alike (GUEST_RIP, exit_reason, Exit reason), or by encoding "
	  "(0x681e); all: every field the processor has" },
	{ "set", NULL, SC_SET, p_set, "set NAME VALUE",
	  "write a guest-state VMCS field the module allows (NAME as for "
	  "vmcs)" },
	{ "x", NULL, SC_X, p_x, "x/NFU ADDR",
	  "show N units (default 1) of guest memory at guest-virtual ADDR; "
	  "as in gdb, F is x (hex), d or u (signed or unsigned decimal) or i "
	  "(instructions), U is b (1 byte), h (2), w (4) or g (8), in any "
	  "order (x/4x, x/8xb, x/2g, x/3i)" },
	{ "xp", NULL, SC_X, p_x, "xp/NFU ADDR",
	  "the same at guest-physical ADDR" },
	{ "walk", NULL, SC_WALK, p_walk, "walk GVA",
	  "translate GVA through the guest page tables and EPT, showing "
	  "every entry: GVA -> GPA -> HPA" },
	{ "explain", NULL, SC_EXPLAIN, p_none, "explain",
	  "run the SDM's VM-entry checks on the VMCS as it is now, and name "
	  "each rule that would make the next entry fail" },
	{ "apic", NULL, SC_APIC, p_none, "apic",
	  "show the local APIC: IRR, ISR and TMR vectors, TPR and PPR, the "
	  "LVT entries and the timer's current count" },
	{ "help", "h", SC_HELP, p_help, "help [COMMAND]",
	  "show the commands, or one command" },
	{ "quit", "q", SC_QUIT, p_none, "quit",
	  "leave the stepper" },
};

static const struct cmd_def *find_cmd(const char *word)
{
	char name[16];
	size_t n = strcspn(word, "/");
	unsigned i;

	/* "x/4i" is command "x" with a format. */
	if (n >= sizeof(name))
		return NULL;
	memcpy(name, word, n);
	name[n] = '\0';
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcasecmp(name, cmds[i].name) ||
		    (cmds[i].alias && !strcasecmp(name, cmds[i].alias)))
			break;
	if (i == ARRAY_SIZE(cmds))
		return NULL;
	/* Only x and xp take a format. */
	if (word[n] == '/' && cmds[i].kind != SC_X)
		return NULL;
	return &cmds[i];
}

static bool split(const char *line, struct words *ws)
{
	char *p;

	ws->n = 0;
	snprintf(ws->buf, sizeof(ws->buf), "%s", line);
	for (p = strtok(ws->buf, " \t\r\n"); p; p = strtok(NULL, " \t\r\n")) {
		if (ws->n == MAX_WORDS)
			return false;
		ws->w[ws->n++] = p;
	}
	return true;
}

bool step_parse(const char *line, struct step_cmd *cmd, char *err,
		size_t errlen)
{
	const struct cmd_def *d;
	struct words ws;

	memset(cmd, 0, sizeof(*cmd));
	if (strlen(line) >= sizeof(ws.buf) || !split(line, &ws))
		return fail(err, errlen, "the line is too long");
	if (!ws.n)
		return true;	/* SC_NONE */
	d = find_cmd(ws.w[0]);
	if (!d)
		return fail(err, errlen, "unknown command '%s'; type help for "
			    "the commands", ws.w[0]);
	cmd->kind = d->kind;
	return d->parse(&ws, cmd, err, errlen);
}

bool step_help(FILE *out, const char *topic)
{
	const struct cmd_def *d;
	unsigned i;

	if (topic && topic[0]) {
		d = find_cmd(topic);
		if (!d)
			return false;
		fprintf(out, "%s%s%s%s\n  %s\n", d->usage,
			d->alias ? " (" : "", d->alias ? d->alias : "",
			d->alias ? ")" : "", d->help);
		return true;
	}
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		d = &cmds[i];
		fprintf(out, "%-26s %s\n", d->usage, d->help);
	}
	fprintf(out, "Addresses are numbers (0x1000, 4096) or $rip or $rsp.  "
		"Short forms: c s b d h q.\n");
	return true;
}
