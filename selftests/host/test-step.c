// SPDX-License-Identifier: GPL-2.0
/*
 * test-step.c - the stepper end to end against the scripted fake backend
 * (stops at exits, single steps, breakpoints, the guest's devices and its
 * end), and its displays: the walk printer, the VMCS diff, RFLAGS.
 */
#include <errno.h>
#include <stdlib.h>

#include <linux/vmxlab_tables.h>

#include "cli.h"
#include "fake-backend.h"
#include "pc.h"
#include "step.h"
#include "tap.h"
#include "walk.h"

static char *print_walk(const struct vmxlab_translation *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	walk_print(f, t);
	fclose(f);
	return buf;
}

TEST(walk_prints_every_level)
{
	struct vmxlab_translation t = {
		.gva = 0x401234, .guest_levels = 4, .gpa = 0x401234,
		.hpa = 0x12345234,
		.flags = VMXLAB_XLATE_GPA_VALID | VMXLAB_XLATE_HPA_VALID,
		.guest_entry_gpa = { 0x71000, 0x72000, 0x73010 },
		.guest_entry = { 0x72023, 0x73003, 0x4000e3 },
		.ept_entry = { 0x5000007, 0x5001007, 0x5002007, 0x12345037 },
	};

	CHECK_STR(print_walk(&t),
"walk 0x401234: 4-level paging\n"
"  guest PML4E[0]   at GPA 0x71000: 0x0000000000072023  P=1 RW=1 US=0 PS=0\n"
"  guest PDPTE[0]   at GPA 0x72000: 0x0000000000073003  P=1 RW=1 US=0 PS=0\n"
"  guest PDE[2]     at GPA 0x73010: 0x00000000004000e3  P=1 RW=1 US=0 PS=1"
"  (2 MiB page)\n"
"  GPA 0x401234\n"
"  EPT   PML4E[0]  : 0x0000000005000007  R=1 W=1 X=1\n"
"  EPT   PDPTE[0]  : 0x0000000005001007  R=1 W=1 X=1\n"
"  EPT   PDE[2]    : 0x0000000005002007  R=1 W=1 X=1\n"
"  EPT   PTE[1]    : 0x0000000012345037  R=1 W=1 X=1  type=WB\n"
"  HPA 0x12345234\n"
"GVA 0x401234 -> GPA 0x401234 -> HPA 0x12345234\n");
}

TEST(walk_stops_at_what_is_not_present)
{
	struct vmxlab_translation t = {
		.gva = 0x80001000, .guest_levels = 2,
		.guest_entry_gpa = { 0x9800, 0 },
		.guest_entry = { 0x00000006 },
	};
	char *s = print_walk(&t);

	CHECK_CONTAINS(s, "walk 0x80001000: 32-bit paging\n"
		       "  guest PDE[512]   at GPA 0x9800: 0x00000006  P=0 RW=1 "
		       "US=1 PS=0  not present\n"
		       "GVA 0x80001000 -> not mapped by the guest page tables");
	/* Paging off; EPT has a 1 GiB page, then nothing for the MMIO. */
	t = (struct vmxlab_translation){
		.gva = 0xfee00000, .gpa = 0xfee00000, .guest_levels = 0,
		.flags = VMXLAB_XLATE_GPA_VALID,
		.ept_entry = { 0x5000007, 0 },
	};
	s = print_walk(&t);
	CHECK_CONTAINS(s, "walk 0xfee00000: paging off: GPA = GVA\n"
		       "  GPA 0xfee00000\n"
		       "  EPT   PML4E[0]  : 0x0000000005000007  R=1 W=1 X=1\n"
		       "  EPT   PDPTE[3]  : 0x0000000000000000  R=0 W=0 X=0  "
		       "not present\n"
		       "GVA 0xfee00000 -> GPA 0xfee00000 -> not mapped by EPT");
	t.ept_entry[1] = 0x400000b7;	/* 1 GiB, WB, RWX */
	t.flags |= VMXLAB_XLATE_HPA_VALID;
	t.hpa = 0x7ee00000;
	s = print_walk(&t);
	CHECK_CONTAINS(s, "PDPTE[3]  : 0x00000000400000b7  R=1 W=1 X=1  "
		       "type=WB (1 GiB page)\n  HPA 0x7ee00000\n");
	CHECK(!strstr(s, "PDE["));
}

TEST(vmcs_diff_lists_changed_fields)
{
	struct vmcs_snapshot a = { 0 }, b = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	a.valid = b.valid = (1U << STEP_WATCH_FIELDS) - 1;
	a.val[0] = 0x1000;		/* GUEST_RIP */
	b.val[0] = 0x1005;
	a.val[2] = b.val[2] = 0x2;	/* RFLAGS: same */
	a.val[13] = 0;			/* VM_EXIT_REASON */
	b.val[13] = 30;
	a.val[4] = 0x1000;		/* CR3, unreadable now: skipped */
	b.valid &= ~(1U << 4);
	CHECK_EQ(vmcs_snapshot_diff(&a, &b, f), 2);
	CHECK_EQ(vmcs_snapshot_diff(&b, &b, f), 0);
	fclose(f);
	CHECK_STR(buf, "changed: GUEST_RIP 0x1000 -> 0x1005\n"
		  "changed: VM_EXIT_REASON 0x0 -> 0x1e\n");
	CHECK_EQ(step_watch[0], VMCS_GUEST_RIP);
	CHECK_EQ(step_watch[16], VMCS_GUEST_PHYSICAL_ADDRESS);
}

TEST(rflags_are_decoded)
{
	char buf[96];

	view_rflags(0x246, buf, sizeof(buf));
	CHECK_STR(buf, "[ PF ZF IF ]");
	view_rflags(0x3002, buf, sizeof(buf));
	CHECK_STR(buf, "[ IOPL=3 ]");
	view_rflags(0x10801, buf, sizeof(buf));
	CHECK_STR(buf, "[ CF OF RF ]");
}

/* A stepper over the fake, with code at 0x1000 in real mode. */
struct srig {
	struct fake fake;
	struct backend be;
	struct guest g;
	struct pc pc;
	struct vcpu_loop loop;
	struct stepper st;
	char *out, *console;
	size_t outlen, conlen;
	FILE *outf, *conf;
	struct capture msgs;
	int status;
};

static const uint8_t code[] = {
	0xb0, 0x41,		/* 0x1000 mov al, 0x41 */
	0xba, 0xf8, 0x03,	/* 0x1002 mov dx, 0x3f8 */
	0xee,			/* 0x1005 out dx, al */
	0x90,			/* 0x1006 nop */
	0xb0, 0x10,		/* 0x1007 mov al, 0x10 */
	0xe6, 0xf4,		/* 0x1009 out 0xf4, al */
};

static struct srig *srig(void)
{
	struct srig *r = calloc(1, sizeof(*r));

	r->be.ops = &fake_ops;
	r->be.priv = &r->fake;
	r->be.device = "fake";
	r->g.ram_size = 1 << 20;
	r->g.ram = calloc(1, r->g.ram_size);
	memcpy(r->g.ram + 0x1000, code, sizeof(code));
	r->conf = open_memstream(&r->console, &r->conlen);
	pc_init(&r->pc, r->conf, r->g.ram_size, NULL);
	r->loop.be = &r->be;
	r->loop.g = &r->g;
	r->loop.plat = &r->pc.plat;
	r->fake.sregs.cs.ar = 0x9b;
	r->fake.regs.rip = 0x1000;
	r->fake.regs.rflags = 0x2;
	fake_field(&r->fake, VMCS_GUEST_RFLAGS, 0x2, true);
	fake_field(&r->fake, VMCS_GUEST_CR0, 0x30, false);
	fake_field(&r->fake, VMCS_HOST_RIP, 0xffffffff81000000, false);
	runloop_stop_signal = 0;
	return r;
}

static void out_exit(struct srig *r, uint16_t port, uint64_t v, uint64_t rip)
{
	struct vmxlab_run run = { .exit_reason = VMXLAB_EXIT_IO,
				  .hw_exit_reason = VMX_EXIT_IO_INSTRUCTION,
				  .guest_rip = rip };

	run.exit_qualification = (uint64_t)port << 16;
	run.io.direction = VMXLAB_IO_OUT;
	run.io.size = 1;
	run.io.port = port;
	run.io.data = v;
	fake_add(&r->fake, 0, run);
}

static void session(struct srig *r, const char *script)
{
	FILE *in = fmemopen((void *)script, strlen(script), "r");

	r->outf = open_memstream(&r->out, &r->outlen);
	stepper_init(&r->st, &r->loop, in, r->outf, false);
	capture_start(&r->msgs);
	r->status = stepper_run(&r->st);
	capture_end(&r->msgs);
	fclose(r->outf);
	fflush(r->conf);
	fclose(in);
}

TEST(step_session_end_to_end)
{
	struct srig *r = srig();
	struct fake_step *st;

	/* RUN 0: the OUT exits; stopped before vmxlab handles it. */
	st = fake_stop(&r->fake, VMXLAB_STOP_EXIT, VMX_EXIT_IO_INSTRUCTION,
		       0x1005);
	st->run.exit_qualification = 0x3f80000;
	/* RUN 1 handles it (COM1), RUN 2 stops at the breakpoint. */
	out_exit(r, 0x3f8, 'A', 0x1005);
	fake_stop(&r->fake, VMXLAB_STOP_BREAKPOINT, VMX_EXIT_EXCEPTION_NMI,
		  0x1006);
	/* step, then step 2. */
	fake_stop(&r->fake, VMXLAB_STOP_STEP, VMX_EXIT_MONITOR_TRAP_FLAG,
		  0x1007);
	fake_stop(&r->fake, VMXLAB_STOP_STEP, VMX_EXIT_MONITOR_TRAP_FLAG,
		  0x1009);
	fake_stop(&r->fake, VMXLAB_STOP_STEP, VMX_EXIT_MONITOR_TRAP_FLAG,
		  0x100b);
	/* continue: the guest writes PASS to the debug exit. */
	out_exit(r, 0xf4, 0x10, 0x1009);
	fake_add(&r->fake, 0, (struct vmxlab_run){
		 .exit_reason = VMXLAB_EXIT_HLT });	/* never reached */
	session(r, "stop io_instruction\n"
		   "break 0x1006\n"
		   "breakpoints\n"
		   "c\n"
		   "continue\n"
		   "s\n"
		   "regs\n"
		   "step 2\n"
		   "vmcs guest_rip\n"
		   "vmcs 0x6804\n"
		   "set GUEST_RFLAGS 0x202\n"
		   "set HOST_RIP 0\n"
		   "x/4b 0x1000\n"
		   "xp/2i 0x1002\n"
		   "x/1g 0xffffc\n"
		   "bogus\n"
		   "delete 1\n"
		   "c\n"
		   "regs\n");
	CHECK_EQ(r->status, 33);
	CHECK_STR(r->console, "A");
	CHECK_EQ(r->fake.next, 7);
	/* What each RUN was armed with. */
	CHECK_EQ(r->fake.armed[0].flags, VMXLAB_DEBUG_STOP_EXITS |
		 VMXLAB_DEBUG_BREAKPOINTS);
	CHECK_EQ(r->fake.armed[0].stop_reasons[0], 1ULL << 30);
	CHECK_EQ(r->fake.armed[0].nbreakpoints, 1);
	CHECK_EQ(r->fake.armed[0].breakpoints[0], 0x1006);
	CHECK_EQ(r->fake.armed[3].flags, VMXLAB_DEBUG_SINGLESTEP);
	CHECK_EQ(r->fake.armed[5].flags, VMXLAB_DEBUG_SINGLESTEP);
	CHECK_EQ(r->fake.armed[6].flags, VMXLAB_DEBUG_STOP_EXITS);
	CHECK_EQ(r->fake.armed[6].nbreakpoints, 0);
	CHECK_STR(r->out,
"start: rip=0x1000\n"
"=> 0x1000:  b0 41                    mov al, 0x41\n"
"   0x1002:  ba f8 03                 mov dx, 0x3f8\n"
"   0x1005:  ee                       out dx, al\n"
"   0x1006:  90                       nop\n"
"stop at: IO_INSTRUCTION\n"
"breakpoint 1 at 0x1006\n"
"breakpoint 1 at 0x1006\n"
"stop: exit IO_INSTRUCTION dir=out port=0x3f8 size=1 rip=0x1005\n"
"=> 0x1005:  ee                       out dx, al\n"
"   0x1006:  90                       nop\n"
"   0x1007:  b0 10                    mov al, 0x10\n"
"   0x1009:  e6 f4                    out 0xf4, al\n"
"changed: GUEST_RIP 0x1000 -> 0x1005\n"
"changed: VM_EXIT_REASON 0x0 -> 0x1e\n"
"stop: breakpoint 1 EXCEPTION_NMI rip=0x1006\n"
"=> 0x1006:  90                       nop\n"
"   0x1007:  b0 10                    mov al, 0x10\n"
"   0x1009:  e6 f4                    out 0xf4, al\n"
"   0x100b:  00 00                    add byte ptr [bx + si], al\n"
"changed: GUEST_RIP 0x1005 -> 0x1006\n"
"changed: VM_EXIT_REASON 0x1e -> 0x0\n"
"stop: step MONITOR_TRAP_FLAG rip=0x1007\n"
"=> 0x1007:  b0 10                    mov al, 0x10\n"
"   0x1009:  e6 f4                    out 0xf4, al\n"
"   0x100b:  00 00                    add byte ptr [bx + si], al\n"
"   0x100d:  00 00                    add byte ptr [bx + si], al\n"
"changed: GUEST_RIP 0x1006 -> 0x1007\n"
"changed: VM_EXIT_REASON 0x0 -> 0x25\n"
"rax 0x0000000000000000  rbx 0x0000000000000000  rcx 0x0000000000000000  "
"rdx 0x0000000000000000\n"
"rsi 0x0000000000000000  rdi 0x0000000000000000  rsp 0x0000000000000000  "
"rbp 0x0000000000000000\n"
"r8  0x0000000000000000  r9  0x0000000000000000  r10 0x0000000000000000  "
"r11 0x0000000000000000\n"
"r12 0x0000000000000000  r13 0x0000000000000000  r14 0x0000000000000000  "
"r15 0x0000000000000000\n"
"rip 0x0000000000001007  rflags 0x00000002 [ ]\n"
"cs   0x0000 base 0x0000000000000000 limit 0x00000000 ar 0x0009b\n"
"ds   0x0000 base 0x0000000000000000 limit 0x00000000 ar 0x00000\n"
"es   0x0000 base 0x0000000000000000 limit 0x00000000 ar 0x00000\n"
"fs   0x0000 base 0x0000000000000000 limit 0x00000000 ar 0x00000\n"
"gs   0x0000 base 0x0000000000000000 limit 0x00000000 ar 0x00000\n"
"ss   0x0000 base 0x0000000000000000 limit 0x00000000 ar 0x00000\n"
"tr   0x0000 base 0x0000000000000000 limit 0x00000000 ar 0x00000\n"
"ldt  0x0000 base 0x0000000000000000 limit 0x00000000 ar 0x00000\n"
"gdt  base 0x0000000000000000 limit 0x0000\n"
"idt  base 0x0000000000000000 limit 0x0000\n"
"cr0 0x0000000000000000  cr2 0x0000000000000000  cr3 0x0000000000000000\n"
"cr4 0x0000000000000000  cr8 0x0000000000000000  efer 0x0000000000000000\n"
"   0x1009:  e6 f4                    out 0xf4, al\n"
"stop: step MONITOR_TRAP_FLAG rip=0x100b\n"
"=> 0x100b:  00 00                    add byte ptr [bx + si], al\n"
"   0x100d:  00 00                    add byte ptr [bx + si], al\n"
"   0x100f:  00 00                    add byte ptr [bx + si], al\n"
"   0x1011:  00 00                    add byte ptr [bx + si], al\n"
"changed: GUEST_RIP 0x1007 -> 0x100b\n"
"GUEST_RIP (0x681e, natural-width guest-state) = 0x100b\n"
"GUEST_RFLAGS = 0x202\n"
"0x1000: 0xb0 0x41 0xba 0xf8\n"
"   0x1002:  ba f8 03                 mov dx, 0x3f8\n"
"   0x1005:  ee                       out dx, al\n"
"deleted breakpoint 1 at 0x1006\n"
"end: status 33\n");
	CHECK_STR(r->msgs.buf,
"vmxlab: the processor has no VMCS field GUEST_CR4\n"
"vmxlab: field HOST_RIP is not writable from the stepper (teaching "
"allowlist)\n"
"vmxlab: guest address 0x100000 is not RAM (paging is off)\n"
"vmxlab: unknown command 'bogus'; type help for the commands\n"
"vmxlab: PASS (the guest wrote 0x10 to the debug-exit port; exit status "
"33)\n");
}

TEST(step_session_guest_ends_and_other_commands)
{
	struct srig *r = srig();

	r->fake.xlate = (struct vmxlab_translation){
		.gpa = 0x1000, .hpa = 0x7000, .flags = VMXLAB_XLATE_GPA_VALID |
		VMXLAB_XLATE_HPA_VALID, .ept_entry = { 7, 7, 7, 0x37 },
	};
	/* A step that runs into an exit stop ends the step early. */
	fake_stop(&r->fake, VMXLAB_STOP_STEP, VMX_EXIT_MONITOR_TRAP_FLAG,
		  0x1002);
	fake_stop(&r->fake, VMXLAB_STOP_EXIT, VMX_EXIT_CPUID, 0x1002);
	fake_add(&r->fake, 0, (struct vmxlab_run){
		 .exit_reason = VMXLAB_EXIT_TRIPLE_FAULT, .guest_rip = 0x1002 });
	session(r, "walk 0x1000\nvmcs all\nstop\nstop all\nstop\nstop none\nstop\n"
		   "step 5\nhelp quit\nc\nregs\n");
	CHECK_EQ(r->status, STATUS_TRIPLE_FAULT);
	CHECK_CONTAINS(r->out, "walk 0x1000: paging off: GPA = GVA\n");
	CHECK_CONTAINS(r->out, "GVA 0x1000 -> GPA 0x1000 -> HPA 0x7000\n");
	/* vmcs all: what the fake has, ENOENT skipped silently. */
	CHECK_CONTAINS(r->out, "\nGUEST_CR0 (0x6800, natural-width "
		       "guest-state) = 0x30\n");
	CHECK_CONTAINS(r->out, "HOST_RIP (0x6c16, natural-width host-state) "
		       "= 0xffffffff81000000\n");
	CHECK(!strstr(r->out, "GUEST_CR3"));
	/* The default leaves the host's asynchronous exits out. */
	CHECK_CONTAINS(r->out, "stop at: the guest's exits (all but "
		       "EXTERNAL_INTERRUPT and PREEMPTION_TIMER)\n"
		       "stop at: all exits\nstop at: all exits\n"
		       "stop at: no exits\nstop at: no exits\n   0x1002:");
	CHECK_CONTAINS(r->out, "stop: exit CPUID rip=0x1002\n");
	CHECK_CONTAINS(r->out, "quit (q)\n  leave the stepper\n");
	CHECK_CONTAINS(r->out, "end: status 6\n");
	/* The session ended with the guest: regs never ran. */
	CHECK(!strstr(r->out, "rax"));
	CHECK_EQ(r->fake.armed[2].flags, 0);	/* stop none: nothing */
	CHECK_CONTAINS(r->msgs.buf, "the guest triple-faulted at rip 0x1002");
}

TEST(step_session_eof_quit_and_refusals)
{
	struct srig *r = srig();

	session(r, "regs\n");		/* EOF: status 0, the guest never ran */
	CHECK_EQ(r->status, 0);
	CHECK_EQ(r->fake.next, 0);
	r = srig();
	session(r, "quit\nc\n");
	CHECK_EQ(r->status, 0);
	CHECK_EQ(r->fake.next, 0);
	r = srig();
	r->fake.xlate_ret = -EFAULT;
	session(r, "walk 0x1000\nvmcs 0x7ffe\nset guest_cr0 1\nset 0x7ffe 1\n"
		   "delete 3\nbreak 1\nbreak 2\nbreak 3\nbreak 4\nbreak 5\n"
		   "break 4\n");
	CHECK_STR(r->msgs.buf,
"vmxlab: cannot translate 0x1000 (VMXLAB_TRANSLATE): Bad address\n"
"vmxlab: the processor has no VMCS field 0x7ffe\n"
"vmxlab: field GUEST_CR0 is not writable from the stepper (teaching "
"allowlist)\n"
"vmxlab: the processor has no VMCS field 0x7ffe\n"
"vmxlab: there is no breakpoint 3\n"
"vmxlab: all 4 breakpoints are in use; delete one first\n"
"vmxlab: breakpoint 4 is already at 0x4\n");
	/* A backend without the debug ioctls: one sentence, status 4. */
	r = srig();
	r->fake.debug_ret = -EOPNOTSUPP;
	r->be.ops = &backend_kvm_ops;
	session(r, "c\n");
	CHECK_EQ(r->status, STATUS_SETUP);
	CHECK_STR(r->msgs.buf, "vmxlab: the stepper needs VMXLAB_SET_DEBUG, "
		  "which is not supported by the kvm backend\n");
}

/* The `apic` command's view of a local APIC page (view_apic). */
TEST(apic_view_names_vectors_and_lvt)
{
	struct vmxlab_lapic_state st;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	uint32_t v;

	memset(&st, 0, sizeof(st));
	v = 0x00050014;
	memcpy(st.regs + 0x30, &v, 4);
	v = 0x1ff;
	memcpy(st.regs + 0xf0, &v, 4);
	v = 1U << (0x31 - 32);		/* IRR: vector 0x31 */
	memcpy(st.regs + 0x200 + 16, &v, 4);
	v = 1U << (0xec - 224);		/* ISR: vector 0xec */
	memcpy(st.regs + 0x100 + 7 * 16, &v, 4);
	v = 0x20040;			/* LVT timer: periodic, vector 0x40 */
	memcpy(st.regs + 0x320, &v, 4);
	v = 0x10700;			/* LINT0: ExtINT, masked */
	memcpy(st.regs + 0x350, &v, 4);
	v = 0xb;
	memcpy(st.regs + 0x3e0, &v, 4);
	view_apic(f, &st);
	fclose(f);
	CHECK_CONTAINS(text, "svr 0x1ff (enabled)");
	CHECK_CONTAINS(text, "irr  0x31\n");
	CHECK_CONTAINS(text, "isr  0xec\n");
	CHECK_CONTAINS(text, "tmr  -\n");
	CHECK_CONTAINS(text, "lvt timer   0x00020040 vector 0x40 periodic\n");
	CHECK_CONTAINS(text, "lvt lint0   0x00010700 vector 0x00 extint masked\n");
	CHECK_CONTAINS(text, "divide by 1\n");
	free(text);
}
