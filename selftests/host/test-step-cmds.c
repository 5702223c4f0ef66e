// SPDX-License-Identifier: GPL-2.0
/*
 * test-step-cmds.c - the stepper's command parser (every command, and one
 * clear sentence for bad input) and VMCS field names.
 */
#include <linux/vmxlab_tables.h>

#include "step-cmds.h"
#include "tap.h"
#include "vmcs-names.h"

static struct step_cmd cmd;
static char err[160];

static bool parse(const char *line)
{
	err[0] = '\0';
	return step_parse(line, &cmd, err, sizeof(err));
}

TEST(step_parse_run_control)
{
	CHECK(parse("continue") && cmd.kind == SC_CONTINUE);
	CHECK(parse("  c\n") && cmd.kind == SC_CONTINUE);
	CHECK(parse("step") && cmd.kind == SC_STEP && cmd.count == 1);
	CHECK(parse("s 25") && cmd.kind == SC_STEP && cmd.count == 25);
	CHECK(parse("step 0x10") && cmd.count == 16);
	CHECK(parse("quit") && cmd.kind == SC_QUIT);
	CHECK(parse("q") && cmd.kind == SC_QUIT);
	CHECK(parse("") && cmd.kind == SC_NONE);
	CHECK(parse("   \n") && cmd.kind == SC_NONE);
	CHECK(parse("help") && cmd.kind == SC_HELP && !cmd.topic[0]);
	CHECK(parse("help walk") && !strcmp(cmd.topic, "walk"));
	CHECK(parse("CONTINUE") && cmd.kind == SC_CONTINUE);
}

TEST(step_parse_stop_sets)
{
	CHECK(parse("stop") && cmd.kind == SC_STOP && cmd.show);
	CHECK(parse("stop none") && !cmd.show && !cmd.stop_reasons[0] &&
	      !cmd.stop_reasons[1]);
	CHECK(parse("stop all"));
	CHECK_EQ(cmd.stop_reasons[0] & (1ULL << VMX_EXIT_CPUID),
		 1ULL << VMX_EXIT_CPUID);
	CHECK_EQ(cmd.stop_reasons[1] & (1ULL << (VMX_EXIT_NOTIFY - 64)),
		 1ULL << (VMX_EXIT_NOTIFY - 64));
	/* Reasons without a name (35, 38, 42) are never armed. */
	CHECK_EQ(cmd.stop_reasons[0] & (1ULL << 35), 0);
	CHECK(parse("stop cpuid IO_Instruction hlt"));
	CHECK_EQ(cmd.stop_reasons[0], (1ULL << 10) | (1ULL << 30) |
		 (1ULL << 12));
	CHECK_EQ(cmd.stop_reasons[1], 0);
	CHECK(parse("stop 48 xsetbv") && cmd.stop_reasons[0] ==
	      ((1ULL << 48) | (1ULL << 55)));
	CHECK(parse("stop xrstors") && cmd.stop_reasons[1] == 1);
	CHECK_EQ(step_exit_reason("ept_violation"), 48);
	CHECK_EQ(step_exit_reason("35"), -1);
	CHECK_EQ(step_exit_reason("bogus"), -1);
}

TEST(step_parse_breakpoints_and_state)
{
	CHECK(parse("break 0x1004") && cmd.kind == SC_BREAK &&
	      cmd.addr == 0x1004 && cmd.addr_reg == ADDR_NUMBER);
	CHECK(parse("b $rip") && cmd.addr_reg == ADDR_RIP);
	CHECK(parse("delete 2") && cmd.kind == SC_DELETE && cmd.index == 2);
	CHECK(parse("d 4") && cmd.index == 4);
	CHECK(parse("breakpoints") && cmd.kind == SC_BREAKPOINTS);
	CHECK(parse("regs") && cmd.kind == SC_REGS);
	CHECK(parse("vmcs guest_rip") && cmd.kind == SC_VMCS &&
	      cmd.encoding == 0x681e && !cmd.all);
	CHECK(parse("vmcs all") && cmd.all);
	CHECK(parse("set GUEST_RFLAGS 0x202") && cmd.kind == SC_SET &&
	      cmd.encoding == VMCS_GUEST_RFLAGS && cmd.value == 0x202);
	CHECK(parse("walk 0x401000") && cmd.kind == SC_WALK &&
	      cmd.addr == 0x401000);
}

TEST(step_parse_examine)
{
	CHECK(parse("x 0x1000") && cmd.kind == SC_X && !cmd.phys &&
	      cmd.count == 1 && cmd.unit == 'w');
	CHECK(parse("x/16b 0x1000") && cmd.count == 16 && cmd.unit == 'b');
	CHECK(parse("x/4i $rip") && cmd.unit == 'i' &&
	      cmd.addr_reg == ADDR_RIP);
	CHECK(parse("x/g $rsp") && cmd.count == 1 && cmd.unit == 'g' &&
	      cmd.addr_reg == ADDR_RSP);
	CHECK(parse("xp/2h 0xb8000") && cmd.phys && cmd.count == 2 &&
	      cmd.unit == 'h' && cmd.addr == 0xb8000);
	CHECK(parse("x/3 16") && cmd.count == 3 && cmd.unit == 'w' &&
	      cmd.addr == 16);
}

static const struct {
	const char *line, *msg;
} bad[] = {
	{ "frobnicate", "unknown command 'frobnicate'; type help for the "
	  "commands" },
	{ "continue now", "continue takes no arguments" },
	{ "step 0", "'0' is not a number of instructions from 1 to 1000000" },
	{ "step many", "'many' is not a number of instructions" },
	{ "step 1 2", "step needs at most one number of instructions" },
	{ "stop cpuid bogus", "'bogus' is not an exit reason (all, none, or "
	  "names such as cpuid io_instruction hlt)" },
	{ "stop none hlt", "'none' is not an exit reason" },
	{ "break", "break needs one guest RIP, such as 0x1000" },
	{ "break here", "'here' is not an address (a number such as 0x1000, "
	  "or $rip or $rsp)" },
	{ "delete 5", "'5' is not a breakpoint number from 1 to 4" },
	{ "delete", "delete needs the number of a breakpoint" },
	{ "breakpoints 1", "breakpoints takes no arguments" },
	{ "regs all", "regs takes no arguments" },
	{ "vmcs", "vmcs needs a field name, an encoding or all" },
	{ "vmcs GUEST_RIPP", "'GUEST_RIPP' is not a VMCS field (a name such "
	  "as GUEST_RIP, or an encoding such as 0x681e)" },
	{ "set GUEST_RIP", "set needs a field name and a value" },
	{ "set GUEST_RIP zero", "'zero' is not a value (decimal, or "
	  "hexadecimal with 0x)" },
	{ "set NOPE 1", "'NOPE' is not a VMCS field" },
	{ "x/4q 0x1000", "'/4q' is not a format: /N followed by b, h, w, g "
	  "or i, with N from 1 to 4096" },
	{ "x/0b 0x1000", "'/0b' is not a format" },
	{ "x/5000b 0", "'/5000b' is not a format" },
	{ "x", "x needs one address" },
	{ "xp/4b", "xp/4b needs one address" },
	{ "c/4 1", "unknown command 'c/4'" },
	{ "walk", "walk needs one guest-virtual address" },
	{ "help a b", "help needs at most one command name" },
	{ "quit now", "quit takes no arguments" },
};

TEST(step_parse_errors_are_one_sentence)
{
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(!parse(bad[i].line));
		CHECK_CONTAINS(err, bad[i].msg);
		CHECK(!strchr(err, '\n'));
	}
}

TEST(step_help_lists_every_command)
{
	static const char *const names[] = {
		"continue", "step [N]", "stop [all|none|REASON...]",
		"break ADDR", "delete N", "breakpoints", "regs",
		"vmcs NAME|ENCODING|all", "set NAME VALUE", "x/NU ADDR",
		"xp/NU ADDR", "walk GVA", "help", "quit",
	};
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	CHECK(step_help(f, NULL));
	CHECK(step_help(f, "s"));
	CHECK(!step_help(f, "nope"));
	fclose(f);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		CHECK_CONTAINS(buf, names[i]);
	CHECK_CONTAINS(buf, "step [N] (s)\n  execute N guest instructions");
}

TEST(vmcs_names_resolve)
{
	uint32_t e = 0;

	CHECK(vmcs_lookup("GUEST_RIP", &e) && e == 0x681e);
	e = 0;
	CHECK(vmcs_lookup("guest_rip", &e) && e == 0x681e);
	e = 0;
	CHECK(vmcs_lookup("vmcs_guest_rip", &e) && e == 0x681e);
	e = 0;
	CHECK(vmcs_lookup("VMCS_GUEST_RIP", &e) && e == 0x681e);
	e = 0;
	CHECK(vmcs_lookup("0x681e", &e) && e == 0x681e);
	CHECK(vmcs_lookup("exit_qualification", &e) && e == 0x6400);
	/* An encoding outside the table: the processor will say. */
	CHECK(vmcs_lookup("0x1234", &e) && e == 0x1234);
	CHECK(!vmcs_lookup("GUEST_RIPX", &e));
	CHECK(!vmcs_lookup("RIP", &e));
	CHECK(!vmcs_lookup("vmcs_", &e));
	CHECK(!vmcs_lookup("", &e));
	CHECK(!vmcs_lookup("0x10000", &e));
	CHECK_STR(vmcs_name(0x681e), "GUEST_RIP");
	CHECK(vmcs_name(0x1234) == NULL);
	CHECK_STR(vmcs_width_name(0x681e), "natural-width");
	CHECK_STR(vmcs_type_name(0x681e), "guest-state");
	CHECK_STR(vmcs_width_name(0x0802), "16-bit");
	CHECK_STR(vmcs_type_name(0x4402), "read-only");
	CHECK_STR(vmcs_width_name(0x2806), "64-bit");
	CHECK_STR(vmcs_type_name(0x6c16), "host-state");
	CHECK_STR(vmcs_width_name(0x4000), "32-bit");
	CHECK_STR(vmcs_type_name(0x4000), "control");
	CHECK(vmcs_nr_fields() > 150);
	CHECK_EQ(vmcs_field_at(0), 0x0000);
}
