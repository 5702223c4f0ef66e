// SPDX-License-Identifier: GPL-2.0
/* test-trace.c - trace decoding against golden text and JSON. */
#include <linux/vmxlab.h>

#include "tap.h"
#include "trace.h"

static char line[1024];

static const char *text(const struct trace_record *r)
{
	trace_format_text(r, line, sizeof(line));
	return line;
}

static const char *json(const struct trace_record *r)
{
	trace_format_json(r, line, sizeof(line));
	return line;
}

/* OUT DX, AL in real mode: "ee". */
static struct trace_record io_out(void)
{
	struct trace_record r = {
		.seq = 3, .tsc = 0, .cost = 1200, .hw_exit_reason = 30,
		.flags = TRACE_HAS_IO,
		.qualification = 0x3f80000 | (0 << 3) | 0,
		.rip = 0x1049, .where = TRACE_USER, .cpu_bits = 16,
		.insn_len = 1, .insn = { 0xee },
	};

	r.u.io.port = 0x3f8;
	r.u.io.size = 1;
	r.u.io.data = 0x68;
	return r;
}

TEST(trace_text_io_out)
{
	struct trace_record r = io_out();

	CHECK_STR(text(&r), "#3 tsc=0 IO_INSTRUCTION dir=out port=0x3f8 "
		  "size=1 data=0x68 rip=0x1049 bytes=ee insn=\"out dx, al\" "
		  "where=user cost=1200");
}

TEST(trace_json_io_out)
{
	struct trace_record r = io_out();

	CHECK_STR(json(&r), "{\"seq\":3,\"tsc\":0,\"reason\":\"IO_INSTRUCTION\","
		  "\"reason_nr\":30,\"qualification\":\"0x3f80000\",\"detail\":"
		  "{\"dir\":\"out\",\"port\":\"0x3f8\",\"size\":1,\"data\":"
		  "\"0x68\"},\"rip\":\"0x1049\",\"bits\":16,\"bytes\":\"ee\","
		  "\"insn\":\"out dx, al\",\"where\":\"user\",\"cost\":1200}");
}

TEST(trace_io_in_string_rep)
{
	/* REP INSD in 32-bit code: size 4, IN, string, REP, port 0x1f0. */
	struct trace_record r = {
		.seq = 1, .hw_exit_reason = 30, .flags = TRACE_HAS_IO,
		.qualification = (0x1f0 << 16) | (1 << 5) | (1 << 4) |
				 (1 << 3) | 3,
		.rip = 0x100000, .cpu_bits = 32, .insn_len = 2,
		.insn = { 0xf3, 0x6d },
	};

	r.u.io.data = 0xdeadbeef;
	CHECK_STR(text(&r), "#1 tsc=0 IO_INSTRUCTION dir=in port=0x1f0 "
		  "size=4 string=1 rep=1 data=0xdeadbeef rip=0x100000 "
		  "bytes=f36d insn=\"rep insd dword ptr es:[edi], dx\" "
		  "where=user cost=0");
}

TEST(trace_cr_access)
{
	/* MOV CR3, RAX in 64-bit code: 0f 22 d8 -> cr 3, type 0, reg 0. */
	struct trace_record r = {
		.seq = 9, .tsc = 123456, .hw_exit_reason = 28,
		.qualification = 3, .rip = 0xffffffff81000000ULL,
		.where = TRACE_KERNEL, .cpu_bits = 64, .insn_len = 3,
		.insn = { 0x0f, 0x22, 0xd8 },
	};

	CHECK_STR(text(&r), "#9 tsc=123456 CR_ACCESS cr=3 access=mov-to-cr "
		  "reg=rax rip=0xffffffff81000000 bytes=0f22d8 "
		  "insn=\"mov cr3, rax\" where=kernel cost=0");
	/* MOV R12, CR0 and LMSW. */
	r.qualification = (12 << 8) | (1 << 4) | 0;
	r.insn_len = 0;
	CHECK_CONTAINS(text(&r), "CR_ACCESS cr=0 access=mov-from-cr reg=r12 "
		       "rip=0xffffffff81000000 bytes=- insn=\"??\"");
	r.qualification = (0x1234ULL << 16) | (3 << 4);
	CHECK_CONTAINS(text(&r), "cr=0 access=lmsw src=0x1234 ");
}

TEST(trace_ept_violation_mmio)
{
	/* A 32-bit read of the xAPIC version: mov eax, [0xfee00030]. */
	struct trace_record r = {
		.seq = 4, .hw_exit_reason = 48, .cost = 77,
		.flags = TRACE_HAS_MMIO, .qualification = 0x1 | 0x80,
		.rip = 0x100010, .cpu_bits = 32, .insn_len = 5,
		.insn = { 0xa1, 0x30, 0x00, 0xe0, 0xfe },
	};

	r.u.mmio.gpa = 0xfee00030;
	r.u.mmio.len = 4;
	r.u.mmio.data = 0x00050014;
	CHECK_STR(text(&r), "#4 tsc=0 EPT_VIOLATION gpa=0xfee00030 access=r "
		  "perm=--- len=4 data=0x00050014 rip=0x100010 "
		  "bytes=a13000e0fe insn=\"mov eax, dword ptr [0xfee00030]\" "
		  "where=user cost=77");
	/* A kernel-handled one carries its GPA and permissions. */
	r.flags = TRACE_HAS_GPA;
	r.gpa = 0x5000;
	r.qualification = 0x2 | 0x8 | 0x20;
	CHECK_CONTAINS(text(&r), "EPT_VIOLATION gpa=0x5000 access=w "
		       "perm=r-x rip=");
}

TEST(trace_exception_page_fault)
{
	struct trace_record r = {
		.seq = 12, .hw_exit_reason = 0, .flags = TRACE_HAS_INTR_INFO,
		.qualification = 0x40000008, .rip = 0x100100,
		.intr_info = (1U << 31) | (1 << 11) | (3 << 8) | 14,
		.intr_error = 2, .cpu_bits = 64, .insn_len = 12,
		.insn = { 0x48, 0xc7, 0x04, 0x25, 0x08, 0x00, 0x00, 0x40,
			  0x01, 0x00, 0x00, 0x00 },
	};

	CHECK_STR(text(&r), "#12 tsc=0 EXCEPTION_NMI vector=14/#PF "
		  "type=hw-exception error=0x2 cr2=0x40000008 rip=0x100100 "
		  "bytes=48c704250800004001000000 "
		  "insn=\"mov qword ptr [0x40000008], 1\" where=user cost=0");
	/* #UD has no error code; an external interrupt has no mnemonic. */
	r.intr_info = (1U << 31) | (3 << 8) | 6;
	CHECK_CONTAINS(text(&r), "EXCEPTION_NMI vector=6/#UD "
		       "type=hw-exception rip=");
	r.intr_info = (1U << 31) | (0 << 8) | 0x20;
	CHECK_CONTAINS(text(&r), "vector=32 type=external rip=");
	/* Not valid: no details at all. */
	r.intr_info = 6;
	CHECK_CONTAINS(text(&r), "#12 tsc=0 EXCEPTION_NMI rip=");
}

TEST(trace_msr_hypercall_hlt)
{
	struct trace_record r = {
		.seq = 5, .hw_exit_reason = 31, .flags = TRACE_HAS_MSR,
		.rip = 0x2000, .cpu_bits = 64, .insn_len = 2,
		.insn = { 0x0f, 0x32 },
	};

	r.u.msr.index = 0xc0000082;
	r.u.msr.data = 0xffffffff81234560ULL;
	CHECK_STR(text(&r), "#5 tsc=0 MSR_READ msr=0xc0000082 "
		  "data=0xffffffff81234560 rip=0x2000 bytes=0f32 "
		  "insn=\"rdmsr\" where=user cost=0");

	r = (struct trace_record){
		.seq = 6, .hw_exit_reason = 18, .flags = TRACE_HAS_HYPERCALL,
		.rip = 0x100000, .cpu_bits = 32, .insn_len = 3,
		.insn = { 0x0f, 0x01, 0xc1 },
	};
	r.u.hypercall.nr = 3;
	r.u.hypercall.args[0] = 1;
	r.u.hypercall.args[3] = 4000;
	r.u.hypercall.ret = 4001;
	CHECK_STR(text(&r), "#6 tsc=0 VMCALL nr=0x3 args=0x1,0x0,0x0,0xfa0 "
		  "ret=0xfa1 rip=0x100000 bytes=0f01c1 insn=\"vmcall\" "
		  "where=user cost=0");

	r = (struct trace_record){ .seq = 7, .hw_exit_reason = 12,
				   .rip = 0x100c, .cpu_bits = 16,
				   .insn_len = 1, .insn = { 0xf4 } };
	CHECK_STR(text(&r), "#7 tsc=0 HLT rip=0x100c bytes=f4 insn=\"hlt\" "
		  "where=user cost=0");
}

TEST(trace_entry_failure_and_unknown_reasons)
{
	struct trace_record r = {
		.seq = 1, .hw_exit_reason = 0x80000021, .qualification = 0,
		.rip = 0xfff0,
	};

	CHECK_STR(text(&r), "#1 tsc=0 INVALID_GUEST_STATE entry_failed=1 "
		  "qual=0x0 rip=0xfff0 bytes=- insn=\"??\" where=user cost=0");
	r.hw_exit_reason = 99;
	r.qualification = 0x42;
	CHECK_CONTAINS(text(&r), "#1 tsc=0 UNKNOWN_99 qual=0x42 rip=");
	r.hw_exit_reason = 35;		/* a hole in the SDM's table */
	r.qualification = 0;
	CHECK_CONTAINS(text(&r), "#1 tsc=0 UNKNOWN_35 rip=");
	CHECK_CONTAINS(json(&r), "\"reason\":\"UNKNOWN_35\",\"reason_nr\":35,");
}

TEST(trace_disassembles_in_the_right_mode)
{
	/* b8 78 56 34 12: mov eax in 32-bit code, mov ax + garbage in 16. */
	static const uint8_t mov[] = { 0xb8, 0x78, 0x56, 0x34, 0x12 };
	static const uint8_t rex[] = { 0x48, 0x89, 0xd8 };
	char out[64];

	disasm_one(32, 0, mov, sizeof(mov), out, sizeof(out));
	CHECK_STR(out, "mov eax, 0x12345678");
	disasm_one(16, 0, mov, sizeof(mov), out, sizeof(out));
	CHECK_STR(out, "mov ax, 0x5678");
	disasm_one(64, 0, rex, sizeof(rex), out, sizeof(out));
	CHECK_STR(out, "mov rax, rbx");
	disasm_one(32, 0, rex, sizeof(rex), out, sizeof(out));
	CHECK_STR(out, "dec eax");
	disasm_one(64, 0, rex, 1, out, sizeof(out));	/* truncated */
	CHECK_STR(out, "??");
	disasm_one(0, 0, mov, sizeof(mov), out, sizeof(out));
	CHECK_STR(out, "??");
}

TEST(trace_line_is_truncated_safely)
{
	struct trace_record r = io_out();
	char small[16];
	size_t need;

	memset(small, 'x', sizeof(small));
	need = trace_format_text(&r, small, sizeof(small));
	CHECK_EQ(need, strlen(text(&r)));
	CHECK_EQ(strlen(small), sizeof(small) - 1);
	CHECK(!strncmp(small, "#3 tsc=0 IO_INS", sizeof(small) - 1));
}

TEST(trace_json_escapes)
{
	struct trace_record r = io_out();

	/* Capstone never prints quotes, but the escaper must cope. */
	r.hw_exit_reason = 10;
	r.flags = 0;
	r.qualification = 0;
	r.insn_len = 2;
	r.insn[0] = 0x0f;
	r.insn[1] = 0xa2;
	CHECK_CONTAINS(json(&r), "\"reason\":\"CPUID\",\"reason_nr\":10,"
		       "\"qualification\":\"0x0\",\"detail\":{},");
	CHECK_CONTAINS(json(&r), "\"insn\":\"cpuid\"");
}

TEST(trace_summary_table)
{
	struct trace_summary s = { 0 };
	struct trace_record r = io_out();
	struct capture c = { 0 };

	r.cost = 100;
	trace_summary_add(&s, &r);
	r.cost = 300;
	trace_summary_add(&s, &r);
	r.hw_exit_reason = 12;
	r.cost = 50;
	trace_summary_add(&s, &r);
	r.hw_exit_reason = 0x80000021;
	r.cost = 0;
	trace_summary_add(&s, &r);

	capture_start(&c);
	trace_summary_print_text(&s, c.f);
	capture_end(&c);
	CHECK_STR(c.buf,
		  "exit reason                   count       total cost    mean cost\n"
		  "HLT                               1               50           50\n"
		  "IO_INSTRUCTION                    2              400          200\n"
		  "ENTRY_FAILED_OR_OTHER             1                0            0\n"
		  "total                             4              450          112\n");
	capture_start(&c);
	trace_summary_print_json(&s, c.f);
	capture_end(&c);
	CHECK_STR(c.buf,
		  "{\"summary\":[{\"reason\":\"HLT\",\"reason_nr\":12,\"count\":1,"
		  "\"total_cost\":50,\"mean_cost\":50},{\"reason\":"
		  "\"IO_INSTRUCTION\",\"reason_nr\":30,\"count\":2,\"total_cost\":"
		  "400,\"mean_cost\":200},{\"reason\":\"ENTRY_FAILED_OR_OTHER\","
		  "\"reason_nr\":128,\"count\":1,\"total_cost\":0,\"mean_cost\":0}],"
		  "\"total\":{\"count\":4,\"total_cost\":450,\"mean_cost\":112}}\n");
}

TEST(exit_reason_names_come_from_the_uapi_table)
{
	CHECK_STR(exit_reason_name(0), "EXCEPTION_NMI");
	CHECK_STR(exit_reason_name(30), "IO_INSTRUCTION");
	CHECK_STR(exit_reason_name(48), "EPT_VIOLATION");
	CHECK_STR(exit_reason_name(75), "NOTIFY");
	CHECK_STR(exit_reason_text(12), "HLT");
	CHECK(exit_reason_name(35) == NULL);
	CHECK(exit_reason_name(76) == NULL);
	CHECK(exit_reason_name(100000) == NULL);
}

/*
 * What a trace shows of interrupts: the event the next entry injected
 * and its source, the xAPIC register of an EPT violation, the x2APIC
 * register of a WRMSR the kernel handled (no data: the ring has none).
 */
TEST(trace_interrupts_are_named)
{
	struct trace_record r = {
		.seq = 7, .hw_exit_reason = 32, .where = TRACE_KERNEL,
		.flags = TRACE_HAS_MSR | TRACE_MSR_NO_DATA | TRACE_HAS_INJECT,
		.inject_info = 0x80000030, .inject_source = VMXLAB_SRC_LAPIC,
	};

	r.u.msr.index = 0x80b;
	r.u.msr.is_write = 1;
	CHECK_CONTAINS(text(&r), "MSR_WRITE msr=0x80b apic=EOI inject=extint:0x30 from=lapic ");
	CHECK(!strstr(line, "data="));
	r.u.msr.index = 0x6e0;
	r.flags &= ~TRACE_HAS_INJECT;
	CHECK_CONTAINS(text(&r), "msr=0x6e0 apic=TSC_DEADLINE ");
	r = (struct trace_record){
		.seq = 8, .hw_exit_reason = 48, .where = TRACE_KERNEL,
		.flags = TRACE_HAS_GPA | TRACE_HAS_INJECT, .gpa = 0xfee00380,
		.qualification = 2, .inject_info = 0x80000202,
		.inject_source = VMXLAB_SRC_NMI,
	};
	CHECK_CONTAINS(text(&r), "gpa=0xfee00380 access=w perm=--- apic=TIMER_INITIAL inject=nmi:0x2 from=nmi ");
}
