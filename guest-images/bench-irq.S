/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench-irq - what the local APIC's interrupts cost, in emulated
 * instructions (TSC ticks), on the hypervisor's in-kernel APIC: vmxlab's
 * kmod/lapic.c, or KVM's with the split irqchip.  ELF32, protected mode,
 * paging off, the xAPIC page at 0xfee00000; bench-lib.S has the method.
 *
 *   irq-eoi        an EOI write with no vector in service (IF=0)
 *   irq-eoi-isr    an EOI write with one vector in service: timed with
 *                  RDTSC inside a self-IPI's handler, minus the same
 *                  handler's RDTSC pair around nothing
 *   irq-self-ipi   ICR write (Self shorthand, fixed) -> delivery ->
 *                  handler (flag, EOI) -> IRET; the sender spins on the
 *                  flag with IF=1
 *   irq-timer      one-shot timer, initial count 1 at divide-by-1 (one
 *                  1 GHz bus clock, 1 ns, a twentieth of an instruction
 *                  at Bochs' 50 MIPS) -> delivery -> handler -> EOI ->
 *                  IRET; the guest spins on the flag with IF=1, no HLT
 *   irq-hlt-wake   TSC-deadline timer armed HLT_DELAY ticks ahead, then
 *                  STI; HLT: ticks from the deadline (the programmed
 *                  delay's end) to the handler's first instruction, an
 *                  RDTSC.  That is (handler - HLT) - (deadline - HLT):
 *                  HLT to handler minus the programmed delay, exactly,
 *                  as the TSC-deadline timer counts in TSC ticks
 *                  (SDM Vol. 3A 11.5.4.1)
 *
 * The handlers are a few instructions of assembly: the numbers are the
 * hypervisor's path, not a guest kernel's.  All gates are 32-bit
 * interrupt gates (IF cleared on delivery, SDM 6.12.1).
 */
#include "bench-lib.S"

/* xAPIC registers (SDM Vol. 3A Table 11-1); apic_regs.h's 1U suffixes
 * are C, not assembler. */
#define APIC_EOI	(APIC_GPA + 0x0b0)
#define APIC_SVR	(APIC_GPA + 0x0f0)
#define APIC_ICR_LOW	(APIC_GPA + 0x300)
#define APIC_LVT_TIMER	(APIC_GPA + 0x320)
#define APIC_TMICT	(APIC_GPA + 0x380)
#define APIC_TDCR	(APIC_GPA + 0x3e0)
#define MSR_TSC_DEADLINE 0x6e0

/* ICR: destination shorthand 01b (self) in bits 19:18, level assert
 * (bit 14), edge, fixed; the write of the low half sends (SDM 11.6.1). */
#define ICR_SELF_FIXED	0x44000
#define LVT_MASKED	0x10000
#define LVT_ONESHOT	0		/* timer mode 00b, bits 18:17 */
#define LVT_TSC_DEADLINE 0x40000	/* timer mode 10b (SDM 11.5.4.1) */
#define TDCR_DIV1	0xb		/* DCR 1011b: divide by 1 (Fig. 11-10) */
#define SVR_ENABLE	0x100		/* software enable (SDM 11.4.7.2) */

#define V_TIMER		0x40
#define V_IPI		0x41
#define V_EOI_TIMED	0x42
#define V_EOI_BASE	0x43
#define V_WAKE		0x44
#define V_SPURIOUS	0xff

/*
 * 400 us at 50 MIPS: well past the HLT exit's way to sleep on both
 * hypervisors, and past KVM's halt polling (halt_poll_ns, 200 us by
 * default, never grows for a halt longer than that), so both wake a
 * sleeping vCPU.
 */
#define HLT_DELAY	20000

/* ---- the BENCH workloads (setup and instruction macros) ---- */

.macro NOSETUP
.endm
.macro OP_EOI
	movl	$0, APIC_EOI
.endm

.macro SETUP_FLAG
	movl	$0, irq_flag
.endm
/* Spin with IF=1 until a handler has set irq_flag. */
.macro WAIT_FLAG
.Lwait\@:
	cmpl	$0, irq_flag
	je	.Lwait\@
.endm
.macro OP_IPI
	movl	$(ICR_SELF_FIXED | V_IPI), APIC_ICR_LOW
	WAIT_FLAG
.endm
.macro OP_TIMER
	movl	$1, APIC_TMICT
	WAIT_FLAG
.endm

/*
 * SUM_MIN round, var: after BENCH_WARM calls of @round, @var = the
 * smallest, over BENCH_REPS batches, of what BENCH_N calls of @round
 * add to irq_sum.  @round keeps ESI.
 */
.macro SUM_MIN round, var
	mov	$BENCH_WARM, %esi
.Lwarm\@:
	call	\round
	dec	%esi
	jnz	.Lwarm\@
	movl	$0xffffffff, \var
	movl	$BENCH_REPS, bench_rep
.Lrep\@:
	movl	$0, irq_sum
	mov	$BENCH_N, %esi
.Lbatch\@:
	call	\round
	dec	%esi
	jnz	.Lbatch\@
	mov	irq_sum, %eax
	cmp	\var, %eax
	jae	.Lslower\@
	mov	%eax, \var
.Lslower\@:
	decl	bench_rep
	jnz	.Lrep\@
.endm

	.code32
	.text
	.globl	_start
_start:
	cli
	mov	$stack_top, %esp
	call	idt_init
	call	pic_mask
	mov	$1, %eax
	cpuid
	bt	$24, %ecx		/* CPUID.1:ECX.TSC-Deadline */
	jc	1f
	mov	$msg_no_deadline, %esi
	call	bench_puts
	FAIL
1:	/* While software-disabled every LVT stays masked (SDM 11.4.7.2). */
	movl	$(SVR_ENABLE | V_SPURIOUS), APIC_SVR
	movl	$TDCR_DIV1, APIC_TDCR

	BENCH	name_eoi, NOSETUP, OP_EOI

	sti
	SUM_MIN	round_eoi_timed, bench_best
	SUM_MIN	round_eoi_base, bench_base
	mov	$name_eoi_isr, %esi
	call	bench_report

	BENCH	name_ipi, SETUP_FLAG, OP_IPI

	movl	$(LVT_ONESHOT | V_TIMER), APIC_LVT_TIMER
	BENCH	name_timer, SETUP_FLAG, OP_TIMER

	cli
	movl	$(LVT_TSC_DEADLINE | V_WAKE), APIC_LVT_TIMER
	/* The LVT write before any WRMSR of IA32_TSC_DEADLINE (SDM
	 * 11.5.4.1: "by executing the MFENCE instruction"). */
	mfence
	SUM_MIN	hlt_round, bench_best
	movl	$0, bench_base		/* the handler's RDTSC is its end */
	mov	$name_hlt_wake, %esi
	call	bench_report
	cmpl	$0, hlt_early
	je	2f
	mov	$msg_early, %esi
	call	bench_puts
	mov	hlt_early, %eax
	call	bench_dec
	PUTC	'\n'
2:	movl	$LVT_MASKED, APIC_LVT_TIMER
	PASS

/* ---- rounds (SUM_MIN), IF=1 unless they say otherwise ---- */

/* A self-IPI to a handler that times its own EOI (or nothing). */
round_eoi_timed:
	movl	$0, irq_flag
	movl	$(ICR_SELF_FIXED | V_EOI_TIMED), APIC_ICR_LOW
	WAIT_FLAG
	ret
round_eoi_base:
	movl	$0, irq_flag
	movl	$(ICR_SELF_FIXED | V_EOI_BASE), APIC_ICR_LOW
	WAIT_FLAG
	ret

/*
 * Arm the TSC-deadline timer HLT_DELAY ahead with IF=0, then STI; HLT:
 * STI delays interrupts by one instruction (SDM Vol. 2B, STI), so the
 * timer cannot be taken before the HLT.  Adds to irq_sum the ticks from
 * max(deadline, the RDTSC before the HLT) to the handler's RDTSC.
 * Clobbers EAX, ECX, EDX (so may the handler).
 */
hlt_round:
	cli
	movl	$0, irq_flag
	rdtsc
	add	$HLT_DELAY, %eax
	adc	$0, %edx
	mov	%eax, hlt_deadline
	mov	$MSR_TSC_DEADLINE, %ecx
	wrmsr
	rdtsc
	mov	%eax, hlt_t0
1:	sti
	hlt
	cli
	cmpl	$0, irq_flag		/* only the timer's handler sets it */
	je	1b
	mov	hlt_deadline, %eax
	sub	hlt_t0, %eax		/* signed: deadline - t0 */
	jg	2f
	/* The deadline passed before the HLT: count from the HLT. */
	incl	hlt_early
	mov	hlt_t0, %eax
	jmp	3f
2:	mov	hlt_deadline, %eax
3:	mov	hlt_wake, %ecx
	sub	%eax, %ecx
	add	%ecx, irq_sum
	sti
	ret

/* ---- the IDT: 256 32-bit interrupt gates (SDM 6.11, Figure 6-2) ---- */

/* Every vector to its stub in `stubs` (unexpected), then ours. */
idt_init:
	mov	%cs, %ebx
	shl	$16, %ebx		/* the gate's selector, bits 31:16 */
	mov	$idt, %edi
	mov	$stubs, %edx
	mov	$256, %ecx
1:	mov	%edx, %eax
	and	$0xffff, %eax		/* offset 15:0 */
	or	%ebx, %eax
	mov	%eax, (%edi)
	mov	%edx, %eax
	and	$0xffff0000, %eax	/* offset 31:16 */
	or	$0x8e00, %eax		/* present, DPL 0, 32-bit intr gate */
	mov	%eax, 4(%edi)
	add	$8, %edi
	add	$16, %edx
	dec	%ecx
	jnz	1b
	mov	$V_TIMER, %eax
	mov	$h_flag, %edx
	call	set_gate
	mov	$V_IPI, %eax
	mov	$h_flag, %edx
	call	set_gate
	mov	$V_EOI_TIMED, %eax
	mov	$h_eoi_timed, %edx
	call	set_gate
	mov	$V_EOI_BASE, %eax
	mov	$h_eoi_base, %edx
	call	set_gate
	mov	$V_WAKE, %eax
	mov	$h_wake, %edx
	call	set_gate
	mov	$V_SPURIOUS, %eax
	mov	$h_spurious, %edx
	call	set_gate
	lidt	idt_desc
	ret

/* Gate EAX's offset := EDX; clobbers EDX, EDI. */
set_gate:
	lea	idt(, %eax, 8), %edi
	mov	%dx, (%edi)
	shr	$16, %edx
	mov	%dx, 6(%edi)
	ret

/* The 8259A pair initialised (vectors 0x20/0x28) and fully masked:
 * the local APIC alone interrupts (8259A datasheet ICW1-4, OCW1). */
pic_mask:
	mov	$0x11, %al
	out	%al, $0x20
	mov	$0x20, %al
	out	%al, $0x21
	mov	$0x04, %al
	out	%al, $0x21
	mov	$0x01, %al
	out	%al, $0x21
	mov	$0x11, %al
	out	%al, $0xa0
	mov	$0x28, %al
	out	%al, $0xa1
	mov	$0x02, %al
	out	%al, $0xa1
	mov	$0x01, %al
	out	%al, $0xa1
	mov	$0xff, %al
	out	%al, $0x21
	out	%al, $0xa1
	ret

/* ---- handlers: keep every register but those they name ---- */

/* Timer and self-IPI: flag, EOI, back. */
h_flag:
	movl	$1, irq_flag
	movl	$0, APIC_EOI
	iret

/* The EOI of the vector in service, timed; h_eoi_base times the same
 * RDTSC pair around nothing and sends its EOI afterwards. */
h_eoi_timed:
	push	%eax
	push	%ecx
	push	%edx
	rdtsc
	mov	%eax, %ecx
	movl	$0, APIC_EOI
	rdtsc
	sub	%ecx, %eax
	add	%eax, irq_sum
	movl	$1, irq_flag
	pop	%edx
	pop	%ecx
	pop	%eax
	iret
h_eoi_base:
	push	%eax
	push	%ecx
	push	%edx
	rdtsc
	mov	%eax, %ecx
	rdtsc
	sub	%ecx, %eax
	add	%eax, irq_sum
	movl	$0, APIC_EOI
	movl	$1, irq_flag
	pop	%edx
	pop	%ecx
	pop	%eax
	iret

/* The HLT wake-up's end: RDTSC first.  Clobbers EAX, EDX, which
 * hlt_round, the only code it interrupts, does not keep across HLT. */
h_wake:
	rdtsc
	mov	%eax, hlt_wake
	movl	$1, irq_flag
	movl	$0, APIC_EOI
	iret

/* The spurious vector gets no EOI (SDM 11.9). */
h_spurious:
	iret

/* 16 bytes a vector: pushl $vec (2 or 5 bytes), jmp (2 or 5). */
	.balign	16
stubs:
	.set	vec, 0
	.rept	256
	.balign	16
	pushl	$vec
	jmp	unexpected
	.set	vec, vec + 1
	.endr

unexpected:
	mov	$msg_unexpected, %esi
	call	bench_puts
	pop	%eax
	call	irq_hex
	PUTC	'\n'
	FAIL

	HEX_FN	irq_hex
	BENCH_FNS
	BENCH_DATA

	.section .rodata
name_eoi:	.asciz	"irq-eoi"
name_eoi_isr:	.asciz	"irq-eoi-isr"
name_ipi:	.asciz	"irq-self-ipi"
name_timer:	.asciz	"irq-timer"
name_hlt_wake:	.asciz	"irq-hlt-wake"
msg_no_deadline: .asciz	"bench-irq: no TSC-deadline timer (CPUID.1:ECX[24])\n"
msg_early:	.asciz	"bench-irq: deadline passed before the HLT, rounds: "
msg_unexpected:	.asciz	"bench-irq: unexpected vector 0x"
	.balign	4
idt_desc:
	.word	256 * 8 - 1
	.long	idt

	.data
	.balign	4
irq_flag:	.long	0
irq_sum:	.long	0
hlt_deadline:	.long	0
hlt_t0:		.long	0
hlt_wake:	.long	0
hlt_early:	.long	0

	.bss
	.balign	16
idt:	.skip	256 * 8
	.skip	4096
stack_top:
