// SPDX-License-Identifier: GPL-2.0
/*
 * explain.c - break one guest-state field, ask vmxlab which VM-entry rule
 * fails, then let the processor refuse the entry.  Documentation/explain.rst
 * and section 4.9 of Documentation/uapi.rst explain every step.
 *
 * Build, from the top of the tree:
 *   gcc -Wall -Wextra -Iuapi -o explain Documentation/examples/explain.c
 */
#include <err.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <linux/vmxlab.h>
#include <linux/vmxlab_checks.h>
#include <linux/vmxlab_tables.h>

static void explain(int vcpu)
{
	struct vmxlab_check_failure f[8];
	struct vmxlab_entry_check c = {
		.nmax = 8, .failures = (uintptr_t)f,
	};
	uint32_t i;

	if (ioctl(vcpu, VMXLAB_CHECK_ENTRY, &c) < 0)
		err(1, "VMXLAB_CHECK_ENTRY");
	printf("%u rule(s) fail\n", c.nfailed);
	for (i = 0; i < c.nfailed && i < c.nmax; i++)
		printf("  %s (SDM %s): %s; field %#x = %#llx, expected %#llx under mask %#llx\n",
		       vmxlab_check_names[f[i].rule],
		       vmxlab_check_sections[f[i].rule],
		       vmxlab_check_texts[f[i].rule], f[i].field,
		       (unsigned long long)f[i].actual,
		       (unsigned long long)f[i].expected,
		       (unsigned long long)f[i].mask);
}

int main(void)
{
	struct vmxlab_vmcs_field cr0 = { .encoding = VMCS_GUEST_CR0 };
	struct vmxlab_run *run;
	int sys, vm, vcpu;

	sys = open("/dev/vmxlab", O_RDWR | O_CLOEXEC);
	if (sys < 0)
		err(1, "/dev/vmxlab");
	if (ioctl(sys, VMXLAB_CHECK_CAP, VMXLAB_CAP_ENTRY_CHECK) <= 0)
		errx(1, "this vmxlab module has no VM-entry checker");
	vm = ioctl(sys, VMXLAB_CREATE_VM, 0);
	if (vm < 0)
		err(1, "VMXLAB_CREATE_VM");
	vcpu = ioctl(vm, VMXLAB_CREATE_VCPU, 0);
	if (vcpu < 0)
		err(1, "VMXLAB_CREATE_VCPU");
	run = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		err(1, "mmap run page");

	/* The reset state (real mode) is valid: nothing fails. */
	explain(vcpu);

	/* CR0.PG=1 with CR0.PE=0: paging without protected mode. */
	if (ioctl(vcpu, VMXLAB_GET_VMCS_FIELD, &cr0) < 0)
		err(1, "VMXLAB_GET_VMCS_FIELD");
	cr0.value |= 1ULL << 31;
	if (ioctl(vcpu, VMXLAB_SET_VMCS_FIELD, &cr0) < 0)
		err(1, "VMXLAB_SET_VMCS_FIELD");
	explain(vcpu);

	/* The processor agrees: the entry fails, and RUN counts the rules. */
	if (ioctl(vcpu, VMXLAB_RUN, 0) < 0)
		err(1, "VMXLAB_RUN");
	if (run->exit_reason != VMXLAB_EXIT_FAIL_ENTRY)
		errx(1, "the entry did not fail (exit %u)", run->exit_reason);
	printf("entry failed: hardware exit reason %#x, %u rule(s) fail\n",
	       run->hw_exit_reason, run->fail_entry.nr_failed_rules);
	return 0;
}
