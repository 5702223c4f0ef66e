/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lab10 - your first timer interrupt
 * (Documentation/labs/10-timer-interrupt.rst).
 *
 * The local APIC's timer, in periodic mode, is to interrupt this guest
 * once a millisecond at vector 0x30; the guest halts between the ticks,
 * counts five, stops the timer and passes.  The frame is here; the five
 * TODOs are yours.  As it is, it ends in FAIL.
 *
 * An ELF32 image, entered in flat protected mode: CS is a 32-bit code
 * segment of base 0 (the loader's GDT), paging is off, RFLAGS.IF = 0,
 * and there is no IDT yet.
 */
#include "lib.S"

/*
 * The local APIC's registers, 32 bits each in the xAPIC page at
 * APIC_GPA (SDM Vol. 3A Table 11-1).  Access them with 32-bit MOVs only.
 */
#define APIC_EOI	(APIC_GPA + 0x0b0)
#define APIC_SVR	(APIC_GPA + 0x0f0)	/* spurious-interrupt vector */
#define APIC_LVT_TIMER	(APIC_GPA + 0x320)
#define APIC_TMICT	(APIC_GPA + 0x380)	/* initial count */
#define APIC_TMCCT	(APIC_GPA + 0x390)	/* current count */
#define APIC_TDCR	(APIC_GPA + 0x3e0)	/* divide configuration */

#define VECTOR		0x30	/* the timer's interrupt vector */
#define NTICKS		5	/* ticks to wait for */

	.code32
	.text
	.globl	_start
_start:
	cli
	mov	$stack_top, %esp
	mov	$hello, %esi
	call	puts

	/*
	 * TODO 1: the IDT.  Make entry VECTOR of `idt` (8 bytes each) a
	 * present 32-bit interrupt gate of DPL 0 to `tick`, in this code
	 * segment (SDM Vol. 3A 6.11, Figure 6-2), and load IDTR from
	 * `idtr` with LIDT.  `tick` is above 1 MiB: its two halves go in
	 * two places of the gate.
	 */

	/*
	 * TODO 2: the local APIC and its timer (SDM Vol. 3A 11.4.7.2,
	 * 11.5.1, 11.5.4, 11.9): software-enable the APIC (SVR bit 8,
	 * spurious vector 0xff), divide the 1 GHz bus clock by 16, LVT
	 * timer: periodic mode, unmasked, VECTOR; and last, the initial
	 * count for 1 ms, which starts the timer.
	 */

	/*
	 * TODO 3: wait until `ticks` reaches NTICKS, halting between the
	 * ticks.  Test `ticks` with interrupts disabled, and enable them
	 * with STI right before HLT (SDM Vol. 2B, STI).
	 */

	/*
	 * TODO 4: stop the timer (initial count 0), write the count of
	 * ticks as a digit into `tick_digit`, print `tick_msg` with puts,
	 * and end with PASS instead of the three lines below.
	 */

	mov	$unsolved, %esi
	call	puts
	FAIL

/*
 * tick: the handler of VECTOR.  The interrupt gate cleared IF on the way
 * in; IRET sets it back from the EFLAGS image on the stack.
 *
 * TODO 5: count the tick in `ticks`, tell the local APIC the interrupt is
 * served (a write of 0 to EOI, SDM Vol. 3A 11.8.5), return with IRET.
 * Keep every register as it was.
 */
	.globl	tick
tick:

	PUTS_FN puts

	.section .rodata
hello:	.asciz	"lab10: waiting for the local APIC timer\n"
unsolved: .asciz "lab10: not written yet (the TODOs in lab10.S)\n"
	.balign	4
/* LIDT's operand: the limit (size - 1), then the base. */
idtr:	.word	256 * 8 - 1
	.long	idt

	.data
tick_msg: .ascii "lab10: "
tick_digit: .ascii "?"
	.asciz	" ticks\n"

	.bss
	.balign	8
/*
 * 256 gates, all zero: not present.  A vector without a gate raises #NP,
 * which has none either: the guest triple-faults.
 */
idt:	.skip	256 * 8
	.globl	ticks
ticks:	.skip	4
	.balign	16
	.skip	4096
stack_top:
