// SPDX-License-Identifier: GPL-2.0
/*
 * selfcheck.c - the VM-entry explainer (checks.c) on a vCPU's VMCS: the
 * number of failing rules for VMXLAB_EXIT_FAIL_ENTRY, VMXLAB_CHECK_ENTRY,
 * and the self-check that compares the explainer with the processor
 * (module parameter selfcheck).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vmxlab.h"
#include "checks.h"
#include "debugfs.h"
#include "selfcheck.h"
#include "vmcs.h"
#include "vmx.h"
#include "vmx_ops.h"

/*
 * The explainer's self-check, for the test suite: with selfcheck=1, the
 * first entry after the guest state changed (an ioctl, a CR0/CR4/EFER
 * write) is checked first, and the processor's verdict is compared with
 * the checker's.  A rule that fails on a state the processor enters is a
 * false alarm; a state it refuses (VM-instruction error 7 or 8, exit
 * reason 33) with no rule failing is a gap.  Both are counted in debugfs
 * (vmxlab/selfcheck) and logged.
 */
static bool selfcheck;
module_param(selfcheck, bool, 0644);
MODULE_PARM_DESC(selfcheck,
		 "compare the VM-entry checker with the processor after state changes (for tests)");

/* Before the entry, with interrupts off: what does the checker say? */
void vcpu_selfcheck_before(struct vmxlab_vcpu *vcpu)
{
	vcpu->check.recheck = false;
	vcpu->check.armed = READ_ONCE(selfcheck);
	if (vcpu->check.armed)
		vcpu->check.predicted = vcpu_entry_check(&vcpu->check.first, 1);
}

/*
 * After it (@r from vcpu_enter_guest()): did the processor agree?  Only
 * the entry matters, so the fast path, which re-enters only after exits
 * of a successful entry, needs no part in this.
 */
void vcpu_selfcheck_after(struct vmxlab_vcpu *vcpu, int r)
{
	const struct vmxlab_check_failure *first = &vcpu->check.first;
	bool refused, judged;
	u64 err = 0;

	vcpu->check.armed = false;
	if (r == 1) {
		/* VMfailValid: 7 and 8 are the controls and the host state. */
		err = vmcs_read(VMCS_VM_INSTRUCTION_ERROR);
		refused = true;
		judged = err == VMX_INSN_ERR_ENTRY_CONTROLS ||
			 err == VMX_INSN_ERR_ENTRY_HOST_STATE;
	} else {
		refused = r == 0 &&
			  (vcpu->exit_reason & VMX_EXIT_REASON_ENTRY_FAILED);
		/* Exit reasons 34 and 41 are not about the VMCS fields. */
		judged = !refused ||
			 VMX_EXIT_REASON_BASIC(vcpu->exit_reason) ==
			 VMX_EXIT_INVALID_GUEST_STATE;
	}
	if (!judged && !vcpu->check.predicted)
		return;
	atomic_long_inc(&vmxlab_counters.check_runs);
	if (vcpu->check.predicted && !refused) {
		atomic_long_inc(&vmxlab_counters.check_false_alarms);
		pr_warn_ratelimited("selfcheck: the processor entered a state in which rule %s fails (field %#x = %#llx)\n",
				    first->rule < VMXLAB_CHECK_COUNT ?
				    vmxlab_check_names[first->rule] : "?",
				    first->field, first->actual);
	} else if (!vcpu->check.predicted && refused) {
		atomic_long_inc(&vmxlab_counters.check_gaps);
		pr_warn_ratelimited("selfcheck: the processor refused an entry (%#x, error %llu) and no rule fails\n",
				    r == 1 ? 0 : vcpu->exit_reason, err);
	}
}

static u64 vcpu_check_read(const void *ctx, u32 encoding)
{
	u64 v;

	/* A field this processor lacks reads as 0, like the SDM's default. */
	vmcs_read_checked(encoding, &v);
	return v;
}

/*
 * Run vmxlab's copy of the VM-entry checks (SDM 27.2, 27.3) on the
 * current VMCS: the number of failing rules, the first @max in @out.
 */
unsigned int vcpu_entry_check(struct vmxlab_check_failure *out,
			      unsigned int max)
{
	const struct vmx_check_input in = {
		.read = vcpu_check_read,
		.caps = &vmx_check_caps,
	};

	return vmx_entry_check(&in, out, max);
}

/* VMXLAB_CHECK_ENTRY: the same, on demand, copied to userspace. */
int vcpu_explain(struct vmxlab_vcpu *vcpu, struct vmxlab_entry_check *c)
{
	unsigned int max = min_t(u32, c->nmax, VMXLAB_CHECK_COUNT);
	struct vmxlab_check_failure *out = NULL;
	int r;

	if (max) {
		out = kcalloc(max, sizeof(*out), GFP_KERNEL);
		if (!out)
			return -ENOMEM;
	}
	r = vcpu_access_begin(vcpu);
	if (r)
		goto out_free;
	/*
	 * The host-state area is filled when RUN makes the VMCS current:
	 * fill it now, so the checks see what the next entry would.
	 */
	vmcs_refresh_host_state(vcpu, smp_processor_id());
	c->nfailed = vcpu_entry_check(out, max);
	vcpu_access_end(vcpu);
	if (max && copy_to_user(u64_to_user_ptr(c->failures), out,
				min(max, c->nfailed) * sizeof(*out)))
		r = -EFAULT;
out_free:
	kfree(out);
	return r;
}
