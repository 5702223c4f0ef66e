/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmx_ops.h - the VMX instructions, one inline wrapper each.
 *
 * Every VMX instruction reports failure in RFLAGS (SDM 31.2 "Conventions"):
 * CF=1 is VMfailInvalid (no current VMCS), ZF=1 is VMfailValid (the reason
 * is in the VM-instruction error field).  The wrappers turn that into a
 * bool so callers cannot forget to look.  A fault (for instance VMREAD
 * after an emergency VMXOFF) is fixed up through the exception table and
 * reported as a failure too, never as an oops.
 */
#ifndef VMXLAB_VMX_OPS_H
#define VMXLAB_VMX_OPS_H

#include <linux/types.h>
#include <linux/bits.h>
#include <linux/bug.h>
#include <asm/asm.h>

#include <linux/vmxlab_tables.h>

#include "vmx_bits.h"

/*
 * A VMX instruction that faults (VMX turned off under us, for instance by
 * an emergency reboot) continues at the C label @label instead of
 * oopsing.  The jump sits out of line, so the normal path pays nothing.
 */
#define VMX_FIXUP(label)						\
	".pushsection .text.unlikely\n"				\
	"2: jmp %l[" #label "]\n"					\
	".popsection\n\t"						\
	_ASM_EXTABLE(1b, 2b)

static __always_inline bool vmxlab_vmxon(u64 phys)
{
	asm goto("1: vmxon %0\n\t"
			  "jbe %l[fail]\n\t"
			  VMX_FIXUP(fail)
			  : : "m"(phys) : "cc", "memory" : fail);
	return true;
fail:
	return false;
}

static __always_inline void vmxlab_vmxoff(void)
{
	asm goto("1: vmxoff\n\t"
			  VMX_FIXUP(fault)
			  : : : "cc", "memory" : fault);
fault:
	return;
}

static __always_inline bool vmcs_clear(u64 phys)
{
	asm goto("1: vmclear %0\n\t"
			  "jbe %l[fail]\n\t"
			  VMX_FIXUP(fail)
			  : : "m"(phys) : "cc", "memory" : fail);
	return true;
fail:
	return false;
}

static __always_inline bool vmcs_ptrld(u64 phys)
{
	asm goto("1: vmptrld %0\n\t"
			  "jbe %l[fail]\n\t"
			  VMX_FIXUP(fail)
			  : : "m"(phys) : "cc", "memory" : fail);
	return true;
fail:
	return false;
}

/*
 * VMREAD of an unsupported field fails with VM-instruction error 12; the
 * value is then 0.  Callers that need to know use vmcs_read_checked().
 */
static __always_inline bool vmcs_read_checked(unsigned long field, u64 *val)
{
	unsigned long v;

	asm_goto_output("1: vmread %[f], %[v]\n\t"
			  "jbe %l[fail]\n\t"
			  VMX_FIXUP(fail)
			  : [v] "=rm"(v) : [f] "r"(field) : "cc" : fail);
	*val = v;
	return true;
fail:
	*val = 0;
	return false;
}

static __always_inline u64 vmcs_read(unsigned long field)
{
	u64 v;

	vmcs_read_checked(field, &v);
	return v;
}

static __always_inline bool vmcs_write_checked(unsigned long field, u64 val)
{
	asm goto("1: vmwrite %[v], %[f]\n\t"
			  "jbe %l[fail]\n\t"
			  VMX_FIXUP(fail)
			  : : [v] "rm"((unsigned long)val), [f] "r"(field)
			  : "cc" : fail);
	return true;
fail:
	return false;
}

/*
 * A failing VMWRITE of a field vmxlab itself chose is a vmxlab bug; it is
 * reported once and shows up again as a failed VM entry, never silently.
 */
static __always_inline void vmcs_write(unsigned long field, u64 val)
{
	if (unlikely(!vmcs_write_checked(field, val)))
		pr_err_once("vmxlab: VMWRITE of field 0x%lx failed; this is a vmxlab bug\n",
			    field);
}

/* INVEPT types (SDM 31.3 "INVEPT"). */
#define INVEPT_SINGLE_CONTEXT	1
#define INVEPT_ALL_CONTEXT	2

static __always_inline bool vmxlab_invept(unsigned long type, u64 eptp)
{
	struct {
		u64 eptp, reserved;
	} desc = { eptp, 0 };

	asm goto("1: invept %0, %1\n\t"
			  "jbe %l[fail]\n\t"
			  VMX_FIXUP(fail)
			  : : "m"(desc), "r"(type) : "cc", "memory" : fail);
	return true;
fail:
	return false;
}

#endif /* VMXLAB_VMX_OPS_H */
