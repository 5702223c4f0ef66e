/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench-lib.S - the timing harness of the bench-*.S guests (make bench,
 * Documentation/benchmarks.rst).  Included, not an image by itself.
 *
 * In Bochs the TSC advances by one per emulated instruction, host and
 * guest alike, so an RDTSC delta counts every instruction the round trip
 * costs: the guest's, the hypervisor's and the loader's.  A workload is
 * a SETUP sequence plus the instruction under test:
 *
 *   - a warm-up of BENCH_WARM round trips (caches, lazily built state);
 *   - BENCH_REPS batches of BENCH_N iterations of SETUP alone, timed
 *     with RDTSC: the empty-loop baseline (loop counter and SETUP);
 *   - BENCH_REPS batches of BENCH_N iterations of SETUP + the
 *     instruction, timed the same way;
 *   - the result is (fastest batch - fastest baseline batch) / BENCH_N,
 *     rounded, printed on COM1 as "bench: NAME VALUE\n" in decimal.
 *
 * The fastest batch, not the mean: the host's timer tick (every
 * 200,000 instructions at Bochs' 50 MIPS and HZ=250) lands in some
 * batches and would otherwise be charged to the round trip.
 *
 * Works in 16- and 32-bit code: only 32-bit registers and absolute
 * addresses below 64 KiB in real mode.  Clobbers everything.
 */
#include "lib.S"

#define BENCH_N		32
#define BENCH_REPS	24
#define BENCH_WARM	32

/* TIME_BATCH count, setup, insn: EAX = TSC ticks for @count runs of the
 * macros @setup and (if given) @insn. */
.macro TIME_BATCH count, setup, insn
	rdtsc
	mov	%eax, %edi
	mov	$\count, %esi
.Lbatch\@:
	\setup
	.ifnb	\insn
	\insn
	.endif
	dec	%esi
	jnz	.Lbatch\@
	rdtsc
	sub	%edi, %eax
.endm

/* MIN_OF reps, var, setup, insn: @var = the fastest of @reps batches. */
.macro MIN_OF reps, var, setup, insn
	movl	$0xffffffff, \var
	movl	$\reps, bench_rep
.Lrep\@:
	TIME_BATCH BENCH_N, \setup, \insn
	cmp	\var, %eax
	jae	.Lslower\@
	mov	%eax, \var
.Lslower\@:
	decl	bench_rep
	jnz	.Lrep\@
.endm

/*
 * BENCH name, setup, insn: measure one round trip of the instructions
 * of macro @insn (after those of macro @setup, whose cost the baseline
 * removes) and print the result.  @name is the label of a NUL-terminated
 * string.  @setup and @insn are names of argument-less macros.
 */
.macro BENCH name, setup, insn
	TIME_BATCH BENCH_WARM, \setup, \insn
	MIN_OF	BENCH_REPS, bench_base, \setup
	MIN_OF	BENCH_REPS, bench_best, \setup, \insn
	mov	$\name, %esi
	call	bench_report
.endm

/* BENCH_FNS: instantiate the helpers once, in the image's code mode. */
.macro BENCH_FNS
/* Prints "bench: " (E)SI " " ((best - base + N/2) / N) "\n". */
bench_report:
	push	%esi
	mov	$bench_prefix, %esi
	call	bench_puts
	pop	%esi
	call	bench_puts
	PUTC	' '
	mov	bench_best, %eax
	sub	bench_base, %eax
	jae	1f
	xor	%eax, %eax		/* cannot happen; never print garbage */
1:	add	$(BENCH_N / 2), %eax
	xor	%edx, %edx
	mov	$BENCH_N, %ecx
	div	%ecx
	call	bench_dec
	PUTC	'\n'
	ret

/* Prints EAX in decimal; clobbers EAX, ECX, EDX, EBX. */
bench_dec:
	mov	$10, %ecx
	xor	%ebx, %ebx
1:	xor	%edx, %edx
	div	%ecx
	push	%dx
	inc	%ebx
	test	%eax, %eax
	jnz	1b
2:	pop	%ax
	add	$'0', %al
	mov	$COM1, %dx
	out	%al, (%dx)
	dec	%ebx
	jnz	2b
	ret

	PUTS_FN bench_puts
.endm

/* BENCH_DATA: the variables and strings, in the image's data. */
.macro BENCH_DATA
	.section .rodata
bench_prefix:	.asciz	"bench: "
	.data
	.balign	4
bench_rep:	.long	0
bench_base:	.long	0
bench_best:	.long	0
	.text
.endm
