/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmxlab_test.h - a tiny library for vmxlab selftests: one VM with one
 * vCPU and flat guest memory, set up in real, protected or long mode.
 *
 * Guest code lives inside the test program, written with GUEST_CODE():
 *
 *	GUEST_CODE(out42, ".code16\n mov $0x42, %al\n out %al, $0x10\n hlt");
 *	tvm_load_code(&t, GUEST_ENTRY, GUEST(out42));
 *
 * Code is assembled into the test binary and copied into guest memory at
 * GUEST_ENTRY, so it must be position independent (relative jumps, fixed
 * data addresses such as GUEST_DATA).
 */
#ifndef VMXLAB_TEST_H
#define VMXLAB_TEST_H

#include <stddef.h>
#include <stdint.h>
#include <linux/vmxlab.h>

#define GUEST_CODE(name, code)						\
	extern const unsigned char name##_start[], name##_end[];	\
	asm(".pushsection .rodata.guest, \"a\"\n"			\
	    ".globl " #name "_start, " #name "_end\n"			\
	    #name "_start:\n" code "\n" #name "_end:\n"		\
	    ".code64\n.popsection\n")
#define GUEST(name) name##_start, (size_t)(name##_end - name##_start)

/* Guest-physical layout used by the helpers. */
#define GUEST_IVT	0x0000		/* real-mode interrupt vectors */
#define GUEST_ENTRY	0x1000		/* code, up to 0x2fff */
#define GUEST_IDT	0x3000		/* 256 16-byte gates */
#define GUEST_GDT	0x4000
#define GUEST_STACK	0x7000		/* grows down from here */
#define GUEST_PML4	0x9000		/* then PDPT, then 4 PDs: to 0xefff */
#define GUEST_DATA	0x20000		/* scratch data for tests */
#define GUEST_MMIO	0xd0000000ULL	/* no memory here: MMIO exits */

/* Flat GDT the helpers install: selectors. */
#define SEL_CODE32	0x08
#define SEL_DATA	0x10
#define SEL_CODE64	0x18
#define SEL_TSS		0x20

struct tvm {
	int sys;		/* /dev/vmxlab */
	int vm;
	int vcpu;
	struct vmxlab_run *run;
	uint8_t *mem;
	size_t mem_size;
};

/* All return 0 or -errno; tests ASSERT on them. */
int tvm_create(struct tvm *t, size_t mem_size);
void tvm_destroy(struct tvm *t);
void tvm_load_code(struct tvm *t, uint64_t gpa, const void *code, size_t len);
int tvm_set_real(struct tvm *t, uint64_t rip);
int tvm_set_prot(struct tvm *t, uint64_t rip);
int tvm_set_long(struct tvm *t, uint64_t rip);
int tvm_run(struct tvm *t);
int tvm_get_regs(struct tvm *t, struct vmxlab_regs *r);
int tvm_set_regs(struct tvm *t, const struct vmxlab_regs *r);
int tvm_get_sregs(struct tvm *t, struct vmxlab_sregs *s);
int tvm_set_sregs(struct tvm *t, const struct vmxlab_sregs *s);
/* One VMCS field by its SDM encoding (VMXLAB_GET/SET_VMCS_FIELD). */
int tvm_get_vmcs(struct tvm *t, uint32_t encoding, uint64_t *value);
int tvm_set_vmcs(struct tvm *t, uint32_t encoding, uint64_t value);

/* Run until an exit other than I/O to the debug print port 0xe9. */
int tvm_run_to_exit(struct tvm *t);
const char *tvm_exit_name(uint32_t exit_reason);
/* Print a run's unexpected exit, for failing tests. */
void tvm_dump_exit(struct tvm *t);

/* In a kselftest TEST: the run ended with @kind, or say what it was. */
#define EXPECT_EXIT(t, kind) do {					\
	if ((t)->run->exit_reason != (kind))				\
		tvm_dump_exit(t);					\
	ASSERT_EQ((kind), (t)->run->exit_reason);			\
} while (0)

#endif
