// SPDX-License-Identifier: GPL-2.0
/*
 * test-step-cmds.c - the stepper's command parser (every command, and one
 * clear sentence for bad input) and VMCS field names.
 */
#include <linux/vmxlab_tables.h>

#include <stdlib.h>

#include "step-cmds.h"
#include "tap.h"
#include "util.h"
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

/* stop irq / stop vector N: before an interrupt is delivered. */
TEST(step_parse_stop_vectors)
{
	CHECK(parse("stop irq") && cmd.kind == SC_STOP && !cmd.show);
	CHECK_EQ(cmd.stop_vectors[0] & cmd.stop_vectors[3], ~0ULL);
	CHECK_EQ(cmd.stop_reasons[0] | cmd.stop_reasons[1], 0);
	CHECK(parse("stop vector 0x40 vector 2 hlt"));
	CHECK_EQ(cmd.stop_vectors[1], 1ULL << 0);
	CHECK_EQ(cmd.stop_vectors[0], 1ULL << 2);
	CHECK_EQ(cmd.stop_vectors[2] | cmd.stop_vectors[3], 0);
	CHECK_EQ(cmd.stop_reasons[0], 1ULL << VMX_EXIT_HLT);
	CHECK(parse("stop none") && !cmd.stop_vectors[0] && !cmd.stop_vectors[1]);
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
	CHECK(cmd.stop_reasons[0] & (1ULL << VMX_EXIT_EXTERNAL_INTERRUPT));
	/* The guest's: all of those but the host's asynchronous exits. */
	CHECK(parse("stop guest"));
	CHECK(cmd.stop_reasons[0] & (1ULL << VMX_EXIT_CPUID));
	CHECK(cmd.stop_reasons[0] & (1ULL << VMX_EXIT_IO_INSTRUCTION));
	CHECK_EQ(cmd.stop_reasons[0] & (1ULL << VMX_EXIT_EXTERNAL_INTERRUPT), 0);
	CHECK_EQ(cmd.stop_reasons[0] & (1ULL << VMX_EXIT_PREEMPTION_TIMER), 0);
	CHECK(cmd.stop_reasons[1] & (1ULL << (VMX_EXIT_NOTIFY - 64)));
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
	/* A name of several words: the SDM's, typed as it reads. */
	CHECK(parse("vmcs Exit reason") && cmd.kind == SC_VMCS &&
	      cmd.encoding == VMCS_VM_EXIT_REASON && !cmd.all);
	CHECK(parse("vmcs Primary processor-based VM-execution controls") &&
	      cmd.encoding == VMCS_CPU_BASED_VM_EXEC_CONTROL);
	CHECK(parse("vmcs EXIT_REASON") &&
	      cmd.encoding == VMCS_VM_EXIT_REASON);
	CHECK(parse("set Guest RFLAGS 2") && cmd.kind == SC_SET &&
	      cmd.encoding == VMCS_GUEST_RFLAGS && cmd.value == 2);
	CHECK(parse("set rflags 0x202") &&
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
	CHECK(parse("x/ 16") && cmd.count == 1 && cmd.unit == 'w' &&
	      cmd.format == 'x');
}

/* gdb's x/FMT: a count, then format and size letters in any order. */
static const struct {
	const char *line;
	uint64_t count;
	char unit, format;
} x_formats[] = {
	{ "x 0x1000",		1,  'w', 'x' },
	{ "x/4x 0x1000",	4,  'w', 'x' },
	{ "x/4xw 0x1000",	4,  'w', 'x' },
	{ "x/4wx 0x1000",	4,  'w', 'x' },
	{ "x/8xb 0x1000",	8,  'b', 'x' },
	{ "x/8bx 0x1000",	8,  'b', 'x' },
	{ "x/2g 0x1000",	2,  'g', 'x' },
	{ "x/3i $rip",		3,  'i', 'i' },
	{ "x/2ib $rip",		2,  'i', 'i' },	/* i has no size */
	{ "x/d 0x1000",		1,  'w', 'd' },
	{ "x/10ub 0x1000",	10, 'b', 'u' },
	{ "x/2dh 0x1000",	2,  'h', 'd' },
	{ "x/gd 0x1000",	1,  'g', 'd' },
	{ "x/x 0x1000",		1,  'w', 'x' },
	{ "x/4096b 0x1000",	4096, 'b', 'x' },
	{ "x/xd 0x1000",	1,  'w', 'd' },	/* the last one wins */
	{ "x/bh 0x1000",	1,  'h', 'x' },
	{ "x/ix 0x1000",	1,  'w', 'x' },
	{ "xp/4xg 0xb8000",	4,  'g', 'x' },
	{ "xp/2u 0xb8000",	2,  'w', 'u' },
};

TEST(step_parse_examine_gdb_formats)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(x_formats); i++) {
		if (!parse(x_formats[i].line)) {
			CHECK_STR(err, "");	/* says which line */
			continue;
		}
		CHECK_EQ(cmd.kind, SC_X);
		CHECK_EQ(cmd.count, x_formats[i].count);
		CHECK_EQ(cmd.unit, x_formats[i].unit);
		CHECK_EQ(cmd.format, x_formats[i].format);
	}
	CHECK(parse("xp/4xg 0xb8000") && cmd.phys && cmd.addr == 0xb8000);
	CHECK(parse("x/4x $rsp") && !cmd.phys && cmd.addr_reg == ADDR_RSP);
}

static const char *x_print(const char *line, const uint8_t *buf,
			   size_t have)
{
	static char *out;
	size_t len;
	FILE *f;

	free(out);
	out = NULL;
	f = open_memstream(&out, &len);
	if (!parse(line))
		return err;
	step_x_print(f, &cmd, 0x1000, buf, have);
	fclose(f);
	return out;
}

TEST(step_x_prints_hex_and_decimal)
{
	static const uint8_t b[16] = {
		0xff, 0xff, 0xff, 0xff, 0x01, 0x00, 0x00, 0x00,
		0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80,
	};

	CHECK_STR(x_print("x/4x 0", b, 16),
		  "0x1000: 0xffffffff 0x00000001 0x00000080 0x80000000\n");
	CHECK_STR(x_print("x/4d 0", b, 16),
		  "0x1000: -1 1 128 -2147483648\n");
	CHECK_STR(x_print("x/4u 0", b, 16),
		  "0x1000: 4294967295 1 128 2147483648\n");
	/* Signed for the unit's size, 8 bytes a line for b and h. */
	CHECK_STR(x_print("x/10db 0", b, 16),
		  "0x1000: -1 -1 -1 -1 1 0 0 0\n0x1008: -128 0\n");
	CHECK_STR(x_print("x/10ub 0", b, 16),
		  "0x1000: 255 255 255 255 1 0 0 0\n0x1008: 128 0\n");
	CHECK_STR(x_print("x/3dh 0", b, 16), "0x1000: -1 -1 1\n");
	CHECK_STR(x_print("x/2dg 0", b, 16),
		  "0x1000: 8589934591 -9223372036854775680\n");
	CHECK_STR(x_print("x/2ug 0", b, 16),
		  "0x1000: 8589934591 9223372036854775936\n");
	CHECK_STR(x_print("x/2xg 0", b, 16),
		  "0x1000: 0x00000001ffffffff 0x8000000000000080\n");
	CHECK_STR(x_print("x/3xb 0", b, 16), "0x1000: 0xff 0xff 0xff\n");
	/* Only whole units of what could be read; none: no line. */
	CHECK_STR(x_print("x/4d 0", b, 6), "0x1000: -1\n");
	CHECK_STR(x_print("x/2g 0", b, 7), "");
	CHECK_EQ(step_x_size('b'), 1);
	CHECK_EQ(step_x_size('h'), 2);
	CHECK_EQ(step_x_size('w'), 4);
	CHECK_EQ(step_x_size('g'), 8);
}

static const struct {
	const char *line, *msg;
} bad[] = {
	{ "frobnicate", "unknown command 'frobnicate'; type help for the "
	  "commands" },
	{ "continue now", "continue takes no arguments" },
	{ "stop vector 256", "'256' is not a vector (0 to 255)" },
	{ "stop vector", "vector needs a number, 0 to 255" },
	{ "step 0", "'0' is not a number of instructions from 1 to 1000000" },
	{ "step many", "'many' is not a number of instructions" },
	{ "step 1 2", "step needs at most one number of instructions" },
	{ "stop cpuid bogus", "'bogus' is not an exit reason (all, none, irq, "
	  "vector N, or names such as cpuid io_instruction hlt)" },
	{ "stop none hlt", "'none' is not an exit reason" },
	{ "break", "break needs one guest RIP, such as 0x1000" },
	{ "break here", "'here' is not an address (a number such as 0x1000, "
	  "or $rip or $rsp)" },
	{ "delete 5", "'5' is not a breakpoint number from 1 to 4" },
	{ "delete", "delete needs the number of a breakpoint" },
	{ "breakpoints 1", "breakpoints takes no arguments" },
	{ "regs all", "regs takes no arguments" },
	{ "vmcs", "vmcs needs a field name, an encoding or all" },
	{ "vmcs GUEST_RIPP", "unknown VMCS field 'GUEST_RIPP'; did you mean "
	  "GUEST_RIP or GUEST_RSP?" },
	{ "vmcs EXIT_RESON", "unknown VMCS field 'EXIT_RESON'; did you mean "
	  "VM_EXIT_REASON?" },
	{ "vmcs exit reson", "unknown VMCS field 'exit reson'; did you mean "
	  "VM_EXIT_REASON?" },
	{ "vmcs rip", "VMCS field 'rip' is ambiguous: GUEST_RIP (0x681e) or "
	  "HOST_RIP (0x6c16)" },
	{ "vmcs 0x10000", "'0x10000' is not a VMCS encoding" },
	{ "vmcs all all", "unknown VMCS field 'all all'" },
	{ "set GUEST_RIP", "set needs a field name and a value" },
	{ "set GUEST_RIP zero", "'zero' is not a value (decimal, or "
	  "hexadecimal with 0x)" },
	{ "set NOPE 1", "unknown VMCS field 'NOPE' (a name such as GUEST_RIP "
	  "or exit_reason, or an encoding such as 0x681e)" },
	{ "set cr3 0", "VMCS field 'cr3' is ambiguous: GUEST_CR3 (0x6802) or "
	  "HOST_CR3 (0x6c02)" },
	{ "x/4q 0x1000", "'/4q' is not a format: a count from 1 to 4096, then "
	  "x, d, u or i and b, h, w or g in any order" },
	{ "x/0x 0x1000", "'/0x' is not a format" },
	{ "x/x4 0x1000", "'/x4' is not a format" },
	{ "x/0b 0x1000", "'/0b' is not a format" },
	{ "x/5000b 0", "'/5000b' is not a format" },
	{ "x/4s 0x1000", "'/4s' is not a format" },
	{ "x/4X 0x1000", "'/4X' is not a format" },
	{ "x/-4x 0x1000", "'/-4x' is not a format" },
	{ "x/4 x 0x1000", "x/4 needs one address" },
	{ "x/99999999999999999999x 0", "is not a format" },
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
		"continue", "step [N]", "stop [guest|all|none|irq|vector N|REASON...]",
		"break ADDR", "delete N", "breakpoints", "regs",
		"vmcs NAME|ENCODING|all", "set NAME VALUE", "x/NFU ADDR",
		"xp/NFU ADDR", "walk GVA", "help", "quit",
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
	CHECK_CONTAINS(buf, "Exit reason");
	CHECK_CONTAINS(buf, "d or u (signed or unsigned decimal)");
	free(buf);
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

/* Spellings a user types: KVM's names, the SDM's, and short forms. */
static const struct {
	const char *name;
	uint32_t encoding;
} spellings[] = {
	/* The issue's: the exit reason, however it is written. */
	{ "EXIT_REASON",			VMCS_VM_EXIT_REASON },
	{ "exit_reason",			VMCS_VM_EXIT_REASON },
	{ "exit reason",			VMCS_VM_EXIT_REASON },
	{ "Exit reason",			VMCS_VM_EXIT_REASON },
	{ "exit-reason",			VMCS_VM_EXIT_REASON },
	{ "VM_EXIT_REASON",			VMCS_VM_EXIT_REASON },
	{ "VMCS_VM_EXIT_REASON",		VMCS_VM_EXIT_REASON },
	{ "vmcs_exit_reason",			VMCS_VM_EXIT_REASON },
	{ "vm-exit-reason",			VMCS_VM_EXIT_REASON },
	{ "VM-exit reason",			VMCS_VM_EXIT_REASON },
	{ "\"exit reason\"",			VMCS_VM_EXIT_REASON },
	{ "0x4402",				VMCS_VM_EXIT_REASON },
	/* KVM's names (arch/x86/include/asm/vmx.h). */
	{ "EXIT_QUALIFICATION",			VMCS_EXIT_QUALIFICATION },
	{ "GUEST_RIP",				VMCS_GUEST_RIP },
	{ "GUEST_RSP",				VMCS_GUEST_RSP },
	{ "CPU_BASED_VM_EXEC_CONTROL", VMCS_CPU_BASED_VM_EXEC_CONTROL },
	{ "PIN_BASED_VM_EXEC_CONTROL", VMCS_PIN_BASED_VM_EXEC_CONTROL },
	{ "SECONDARY_VM_EXEC_CONTROL", VMCS_SECONDARY_VM_EXEC_CONTROL },
	{ "VM_INSTRUCTION_ERROR",		VMCS_VM_INSTRUCTION_ERROR },
	{ "VM_EXIT_INTR_INFO",			VMCS_VM_EXIT_INTR_INFO },
	{ "IDT_VECTORING_INFO_FIELD",		VMCS_IDT_VECTORING_INFO_FIELD },
	{ "VM_ENTRY_INTR_INFO_FIELD",		VMCS_VM_ENTRY_INTR_INFO_FIELD },
	{ "GUEST_PHYSICAL_ADDRESS",		VMCS_GUEST_PHYSICAL_ADDRESS },
	{ "GUEST_LINEAR_ADDRESS",		VMCS_GUEST_LINEAR_ADDRESS },
	{ "EXCEPTION_BITMAP",			VMCS_EXCEPTION_BITMAP },
	{ "TSC_OFFSET",				VMCS_TSC_OFFSET },
	{ "EPT_POINTER",			VMCS_EPT_POINTER },
	{ "VMCS_LINK_POINTER",			VMCS_VMCS_LINK_POINTER },
	{ "VMCS_VMCS_LINK_POINTER",		VMCS_VMCS_LINK_POINTER },
	{ "GUEST_ES_SELECTOR",			VMCS_GUEST_ES_SELECTOR },
	{ "POSTED_INTR_NV",		VMCS_POSTED_INTR_NOTIFICATION_VECTOR },
	{ "GUEST_PDPTR0",			VMCS_GUEST_PDPTE0 },
	{ "GUEST_PDPTR3",			VMCS_GUEST_PDPTE3 },
	{ "GUEST_BNDCFGS",			VMCS_GUEST_IA32_BNDCFGS },
	{ "GUEST_INTR_SSP_TABLE", VMCS_GUEST_INTR_SSP_TABLE_ADDR },
	{ "HOST_INTR_SSP_TABLE",		VMCS_HOST_INTR_SSP_TABLE_ADDR },
	/* KVM's FIELD_HIGH: the high half of a 64-bit field. */
	{ "IO_BITMAP_A_HIGH",			VMCS_IO_BITMAP_A + 1 },
	{ "EPT_POINTER_HIGH",			VMCS_EPT_POINTER + 1 },
	{ "GUEST_PDPTR1_HIGH",			VMCS_GUEST_PDPTE1 + 1 },
	/* The SDM's names (Vol. 3D, Appendix B), as printed there. */
	{ "Virtual-processor identifier",	VMCS_VIRTUAL_PROCESSOR_ID },
	{ "VPID",				VMCS_VIRTUAL_PROCESSOR_ID },
	{ "Posted-interrupt notification vector",
	  VMCS_POSTED_INTR_NOTIFICATION_VECTOR },
	{ "EPTP index",				VMCS_EPTP_INDEX },
	{ "Guest ES selector",			VMCS_GUEST_ES_SELECTOR },
	{ "Guest interrupt status",		VMCS_GUEST_INTR_STATUS },
	{ "PML index",				VMCS_GUEST_PML_INDEX },
	{ "Host TR selector",			VMCS_HOST_TR_SELECTOR },
	{ "Address of I/O bitmap A",		VMCS_IO_BITMAP_A },
	{ "Address of I/O bitmap B",		VMCS_IO_BITMAP_B },
	{ "Address of MSR bitmaps",		VMCS_MSR_BITMAP },
	{ "VM-exit MSR-store address",		VMCS_VM_EXIT_MSR_STORE_ADDR },
	{ "VM-exit MSR-load address",		VMCS_VM_EXIT_MSR_LOAD_ADDR },
	{ "VM-entry MSR-load address",		VMCS_VM_ENTRY_MSR_LOAD_ADDR },
	{ "Executive-VMCS pointer",		VMCS_EXECUTIVE_VMCS_POINTER },
	{ "PML address",			VMCS_PML_ADDRESS },
	{ "TSC offset",				VMCS_TSC_OFFSET },
	{ "Virtual-APIC address",		VMCS_VIRTUAL_APIC_PAGE_ADDR },
	{ "APIC-access address",		VMCS_APIC_ACCESS_ADDR },
	{ "Posted-interrupt descriptor address", VMCS_POSTED_INTR_DESC_ADDR },
	{ "VM-function controls",		VMCS_VM_FUNCTION_CONTROL },
	{ "EPT pointer",			VMCS_EPT_POINTER },
	{ "EPTP",				VMCS_EPT_POINTER },
	{ "EOI-exit bitmap 0",			VMCS_EOI_EXIT_BITMAP0 },
	{ "EOI-exit bitmap 3",			VMCS_EOI_EXIT_BITMAP3 },
	{ "EPTP-list address",			VMCS_EPTP_LIST_ADDRESS },
	{ "VMREAD-bitmap address",		VMCS_VMREAD_BITMAP },
	{ "VMWRITE-bitmap address",		VMCS_VMWRITE_BITMAP },
	{ "Virtualization-exception information address",
	  VMCS_VE_INFORMATION_ADDRESS },
	{ "XSS-exiting bitmap",			VMCS_XSS_EXIT_BITMAP },
	{ "ENCLS-exiting bitmap",		VMCS_ENCLS_EXITING_BITMAP },
	{ "Sub-page-permission-table pointer",	VMCS_SPP_TABLE_POINTER },
	{ "TSC multiplier",			VMCS_TSC_MULTIPLIER },
	{ "Tertiary processor-based VM-execution controls",
	  VMCS_TERTIARY_VM_EXEC_CONTROL },
	{ "Guest-physical address",		VMCS_GUEST_PHYSICAL_ADDRESS },
	{ "VMCS link pointer",			VMCS_VMCS_LINK_POINTER },
	{ "Guest IA32_DEBUGCTL",		VMCS_GUEST_IA32_DEBUGCTL },
	{ "Guest IA32_EFER",			VMCS_GUEST_IA32_EFER },
	{ "Guest PDPTE0",			VMCS_GUEST_PDPTE0 },
	{ "Guest IA32_BNDCFGS",			VMCS_GUEST_IA32_BNDCFGS },
	{ "Host IA32_PAT",			VMCS_HOST_IA32_PAT },
	{ "Pin-based VM-execution controls", VMCS_PIN_BASED_VM_EXEC_CONTROL },
	{ "Primary processor-based VM-execution controls",
	  VMCS_CPU_BASED_VM_EXEC_CONTROL },
	{ "Processor-based VM-execution controls",
	  VMCS_CPU_BASED_VM_EXEC_CONTROL },
	{ "Secondary processor-based VM-execution controls",
	  VMCS_SECONDARY_VM_EXEC_CONTROL },
	{ "Exception bitmap",			VMCS_EXCEPTION_BITMAP },
	{ "Page-fault error-code mask",	VMCS_PAGE_FAULT_ERROR_CODE_MASK },
	{ "Page-fault error-code match",
	  VMCS_PAGE_FAULT_ERROR_CODE_MATCH },
	{ "CR3-target count",			VMCS_CR3_TARGET_COUNT },
	{ "Primary VM-exit controls",		VMCS_VM_EXIT_CONTROLS },
	{ "VM-exit controls",			VMCS_VM_EXIT_CONTROLS },
	{ "VM-exit MSR-store count",		VMCS_VM_EXIT_MSR_STORE_COUNT },
	{ "VM-entry controls",			VMCS_VM_ENTRY_CONTROLS },
	{ "VM-entry interruption-information field",
	  VMCS_VM_ENTRY_INTR_INFO_FIELD },
	{ "VM-entry exception error code",
	  VMCS_VM_ENTRY_EXCEPTION_ERROR_CODE },
	{ "VM-entry instruction length",	VMCS_VM_ENTRY_INSTRUCTION_LEN },
	{ "TPR threshold",			VMCS_TPR_THRESHOLD },
	{ "PLE_Gap",				VMCS_PLE_GAP },
	{ "PLE_Window",				VMCS_PLE_WINDOW },
	{ "VM-instruction error",		VMCS_VM_INSTRUCTION_ERROR },
	{ "VM-exit interruption information",	VMCS_VM_EXIT_INTR_INFO },
	{ "VM-exit interruption error code",
	  VMCS_VM_EXIT_INTR_ERROR_CODE },
	{ "IDT-vectoring information field",
	  VMCS_IDT_VECTORING_INFO_FIELD },
	{ "IDT-vectoring error code",		VMCS_IDT_VECTORING_ERROR_CODE },
	{ "VM-exit instruction length",		VMCS_VM_EXIT_INSTRUCTION_LEN },
	{ "VM-exit instruction information",	VMCS_VMX_INSTRUCTION_INFO },
	{ "Guest ES limit",			VMCS_GUEST_ES_LIMIT },
	{ "Guest GDTR limit",			VMCS_GUEST_GDTR_LIMIT },
	{ "Guest ES access rights",		VMCS_GUEST_ES_AR_BYTES },
	{ "Guest CS access rights",		VMCS_GUEST_CS_AR_BYTES },
	{ "Guest LDTR access rights",		VMCS_GUEST_LDTR_AR_BYTES },
	{ "Guest TR access rights",		VMCS_GUEST_TR_AR_BYTES },
	{ "Guest interruptibility state",
	  VMCS_GUEST_INTERRUPTIBILITY_INFO },
	{ "Guest activity state",		VMCS_GUEST_ACTIVITY_STATE },
	{ "Guest SMBASE",			VMCS_GUEST_SMBASE },
	{ "Guest IA32_SYSENTER_CS",		VMCS_GUEST_SYSENTER_CS },
	{ "VMX-preemption timer value",	VMCS_VMX_PREEMPTION_TIMER_VALUE },
	{ "Host IA32_SYSENTER_CS",		VMCS_HOST_IA32_SYSENTER_CS },
	{ "CR0 guest/host mask",		VMCS_CR0_GUEST_HOST_MASK },
	{ "CR4 read shadow",			VMCS_CR4_READ_SHADOW },
	{ "CR3-target value 0",			VMCS_CR3_TARGET_VALUE0 },
	{ "CR3-target value 3",			VMCS_CR3_TARGET_VALUE3 },
	{ "Exit qualification",			VMCS_EXIT_QUALIFICATION },
	{ "I/O RCX",				VMCS_IO_RCX },
	{ "I/O RIP",				VMCS_IO_RIP },
	{ "Guest-linear address",		VMCS_GUEST_LINEAR_ADDRESS },
	{ "Guest CR0",				VMCS_GUEST_CR0 },
	{ "Guest ES base",			VMCS_GUEST_ES_BASE },
	{ "Guest IDTR base",			VMCS_GUEST_IDTR_BASE },
	{ "Guest DR7",				VMCS_GUEST_DR7 },
	{ "Guest RIP",				VMCS_GUEST_RIP },
	{ "Guest RFLAGS",			VMCS_GUEST_RFLAGS },
	{ "Guest pending debug exceptions",
	  VMCS_GUEST_PENDING_DBG_EXCEPTIONS },
	{ "Guest IA32_SYSENTER_ESP",		VMCS_GUEST_SYSENTER_ESP },
	{ "Guest IA32_SYSENTER_EIP",		VMCS_GUEST_SYSENTER_EIP },
	{ "Guest IA32_S_CET",			VMCS_GUEST_S_CET },
	{ "Guest SSP",				VMCS_GUEST_SSP },
	{ "Guest IA32_INTERRUPT_SSP_TABLE_ADDR",
	  VMCS_GUEST_INTR_SSP_TABLE_ADDR },
	{ "Host FS base",			VMCS_HOST_FS_BASE },
	{ "Host IA32_SYSENTER_ESP",		VMCS_HOST_IA32_SYSENTER_ESP },
	{ "Host RIP",				VMCS_HOST_RIP },
	{ "Host IA32_S_CET",			VMCS_HOST_S_CET },
	{ "Host IA32_INTERRUPT_SSP_TABLE_ADDR",
	  VMCS_HOST_INTR_SSP_TABLE_ADDR },
	/* Short forms where only one field fits. */
	{ "rflags",				VMCS_GUEST_RFLAGS },
	{ "activity state",			VMCS_GUEST_ACTIVITY_STATE },
	{ "guest_efer",				VMCS_GUEST_IA32_EFER },
	{ "HOST_EFER",				VMCS_HOST_IA32_EFER },
	{ "host_sysenter_cs",			VMCS_HOST_IA32_SYSENTER_CS },
	{ "entry controls",			VMCS_VM_ENTRY_CONTROLS },
	{ "VM_EXIT_QUALIFICATION",		VMCS_EXIT_QUALIFICATION },
	{ "exit-instruction-len",		VMCS_VM_EXIT_INSTRUCTION_LEN },
	{ "ES_BASE",				VMCS_GUEST_ES_BASE },
};

TEST(vmcs_names_kvm_and_sdm_spellings)
{
	char msg[160];
	uint32_t e;
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(spellings); i++) {
		e = ~0u;
		msg[0] = '\0';
		if (!vmcs_resolve(spellings[i].name, &e, msg, sizeof(msg)))
			CHECK_STR(msg, spellings[i].name);	/* which */
		else if (e != spellings[i].encoding)
			tap_fail(__FILE__, __LINE__, "'%s' is 0x%04x, not "
				 "0x%04x", spellings[i].name, e,
				 spellings[i].encoding);
	}
}

TEST(vmcs_names_every_table_name_in_any_spelling)
{
	char lower[80], spaced[96];
	uint32_t enc, e;
	unsigned i, k;

	for (i = 0; i < vmcs_nr_fields(); i++) {
		const char *name = vmcs_name(vmcs_field_at(i));

		enc = vmcs_field_at(i);
		CHECK(name && strlen(name) < sizeof(lower));
		for (k = 0; name[k]; k++) {
			lower[k] = name[k] >= 'A' && name[k] <= 'Z' ?
				   name[k] - 'A' + 'a' : name[k];
			lower[k] = lower[k] == '_' ? (k % 2 ? '-' : ' ') :
				   lower[k];
		}
		lower[k] = '\0';
		snprintf(spaced, sizeof(spaced), "vmcs-%s", lower);
		e = ~0u;
		if (!vmcs_lookup(name, &e) || e != enc)
			CHECK_STR(name, "resolves to itself");
		e = ~0u;
		if (!vmcs_lookup(lower, &e) || e != enc)
			CHECK_STR(lower, "resolves to its field");
		e = ~0u;
		if (!vmcs_lookup(spaced, &e) || e != enc)
			CHECK_STR(spaced, "resolves to its field");
	}
}

TEST(vmcs_names_unknown_get_the_closest_names)
{
	char msg[160];
	uint32_t e;

	CHECK(!vmcs_resolve("EXIT_RESON", &e, msg, sizeof(msg)));
	CHECK_STR(msg, "unknown VMCS field 'EXIT_RESON'; did you mean "
		  "VM_EXIT_REASON?");
	CHECK(!vmcs_resolve("exitqual", &e, msg, sizeof(msg)));
	CHECK_STR(msg, "unknown VMCS field 'exitqual'; did you mean "
		  "EXIT_QUALIFICATION?");
	CHECK(!vmcs_resolve("guest cr5", &e, msg, sizeof(msg)));
	CHECK_STR(msg, "unknown VMCS field 'guest cr5'; did you mean "
		  "GUEST_CR0, GUEST_CR3 or GUEST_CR4?");
	CHECK(!vmcs_resolve("preemption", &e, msg, sizeof(msg)));
	CHECK_CONTAINS(msg, "did you mean VMX_PREEMPTION_TIMER_VALUE?");
	CHECK(!vmcs_resolve("VMCS_GUEST_RIPX", &e, msg, sizeof(msg)));
	CHECK_CONTAINS(msg, "did you mean GUEST_RIP");
	CHECK(!vmcs_resolve("NOPE", &e, msg, sizeof(msg)));
	CHECK_STR(msg, "unknown VMCS field 'NOPE' (a name such as GUEST_RIP "
		  "or exit_reason, or an encoding such as 0x681e)");
	/* A short buffer: whole names only, and still one sentence. */
	CHECK(!vmcs_resolve("guest cr5", &e, msg, 64));
	CHECK_STR(msg, "unknown VMCS field 'guest cr5'; did you mean "
		  "GUEST_CR0?");
	/* A natural-width field has no high half. */
	CHECK(!vmcs_lookup("GUEST_RIP_HIGH", &e));
	CHECK(!vmcs_lookup("EPT_POINTER_HIGH_HIGH", &e));
}

TEST(vmcs_names_ambiguous_are_refused)
{
	char msg[160];
	uint32_t e = 0x1234;

	CHECK(!vmcs_resolve("RIP", &e, msg, sizeof(msg)));
	CHECK_STR(msg, "VMCS field 'RIP' is ambiguous: GUEST_RIP (0x681e) or "
		  "HOST_RIP (0x6c16)");
	CHECK_EQ(e, 0x1234);
	CHECK(!vmcs_resolve("efer", &e, msg, sizeof(msg)));
	CHECK_STR(msg, "VMCS field 'efer' is ambiguous: GUEST_IA32_EFER "
		  "(0x2806) or HOST_IA32_EFER (0x2c02)");
	CHECK(!vmcs_resolve("IA32_SYSENTER_CS", &e, msg, sizeof(msg)));
	CHECK_STR(msg, "VMCS field 'IA32_SYSENTER_CS' is ambiguous: "
		  "GUEST_SYSENTER_CS (0x482a) or HOST_IA32_SYSENTER_CS "
		  "(0x4c00)");
	CHECK(!vmcs_resolve("es selector", &e, msg, sizeof(msg)));
	CHECK_CONTAINS(msg, "GUEST_ES_SELECTOR (0x0800) or HOST_ES_SELECTOR "
		       "(0x0c00)");
	CHECK(!vmcs_resolve("vmcs_cr3", &e, msg, sizeof(msg)));
	CHECK_CONTAINS(msg, "is ambiguous");
	CHECK(!vmcs_lookup("rsp", &e));
	CHECK_EQ(e, 0x1234);
}
