// SPDX-License-Identifier: GPL-2.0
/*
 * vmx.c - the hardware contract, and VMX operation on and off.
 *
 * vmx_check_features() is the one place that says what vmxlab needs from
 * the processor.  It runs at module load and refuses, with one sentence,
 * anything vmxlab could not run on.  Its result, struct vmx_caps, holds
 * every control value the VMCS will use, so nothing later has to ask the
 * capability MSRs again.
 *
 * VMX operation is entered (VMXON) on every online CPU when the first VM is
 * created and left (VMXOFF) when the last VM goes away, so that kvm_intel
 * and vmxlab can take turns on one machine.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/tlbflush.h>
#include <asm/fpu/xcr.h>
#include <asm/fpu/xstate.h>

#include "vmxlab.h"
#include "checks.h"
#include "vmcs.h"
#include "vmx.h"
#include "vmx_bits.h"
#include "vmx_ops.h"

struct vmx_caps vmx_caps;
struct vmx_check_caps vmx_check_caps;

static DEFINE_PER_CPU(void *, vmxon_region);
static DEFINE_PER_CPU(bool, vmx_on);
static DEFINE_MUTEX(vmx_users_lock);
static unsigned int vmx_users;
static int vmx_hp_state = -1;

/*
 * One feature vmxlab cannot do without: which capability MSR word holds
 * it, the bit, and the name a user can look up.
 */
struct vmx_need {
	const char *name;
	u32 *word;		/* the adjusted control, or NULL for EPT caps */
	u64 bit;
};

/*
 * Choose a control value (SDM A.3.1): bits set in the low half of the
 * capability MSR must be 1 (allowed 0-settings), bits clear in the high
 * half must be 0 (allowed 1-settings).  vmxlab asks for @want and gets
 * what is allowed of it plus what is forced on it.
 */
static u32 adjust_control(u32 msr, u32 want)
{
	u32 must_be_one, may_be_one;

	rdmsr(msr, must_be_one, may_be_one);
	return (want & may_be_one) | must_be_one;
}

static bool cpu_is_intel_with_vmx(void)
{
	if (boot_cpu_data.x86_vendor != X86_VENDOR_INTEL) {
		pr_err("vmxlab needs an Intel CPU with VMX; this CPU is from another vendor (%s)\n",
		       boot_cpu_data.x86_vendor_id);
		return false;
	}
	/* SDM 24.6 "Discovering Support for VMX": CPUID.1:ECX.VMX[bit 5]. */
	if (!(cpuid_ecx(1) & BIT(5))) {
		pr_err("this CPU does not support Intel VMX (CPUID.1:ECX.VMX[bit 5] = 0)\n");
		return false;
	}
	return true;
}

/*
 * SDM 24.7 "Enabling and Entering VMX Operation": VMXON outside SMX needs
 * IA32_FEATURE_CONTROL locked with bit 2 set.  Firmware normally locks it;
 * if it did not, vmxlab sets and locks it on every CPU, as KVM does.
 */
static void feature_control_enable(void *unused)
{
	u64 fc;

	rdmsrl(MSR_IA32_FEAT_CTL, fc);
	if (!(fc & FEAT_CTL_LOCKED))
		wrmsrl(MSR_IA32_FEAT_CTL, fc | FEAT_CTL_LOCKED |
		       FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX);
}

static int feature_control_check(void)
{
	u64 fc;

	rdmsrl(MSR_IA32_FEAT_CTL, fc);
	if (!(fc & FEAT_CTL_LOCKED)) {
		on_each_cpu(feature_control_enable, NULL, 1);
		rdmsrl(MSR_IA32_FEAT_CTL, fc);
	}
	if (!(fc & FEAT_CTL_VMX_ENABLED_OUTSIDE_SMX)) {
		pr_err("VMX is disabled by the firmware (IA32_FEATURE_CONTROL is locked with VMX off); enable Intel VT-x in the BIOS setup\n");
		return -EOPNOTSUPP;
	}
	return 0;
}

static void vmx_in_use_message(void)
{
	pr_err("VMX is already in use by another hypervisor (CR4.VMXE is set); unload it first: usually kvm_intel, which since Linux 6.12 turns VMX on at module load unless kvm.enable_virt_at_load=0\n");
}

/* XCR0 bits a guest may enable: what the host enabled, minus PKRU. */
static void xcr0_caps(void)
{
	if (!boot_cpu_has(X86_FEATURE_XSAVE) || !(__read_cr4() & X86_CR4_OSXSAVE))
		return;
	vmx_caps.host_xcr0 = xgetbv(XCR_XFEATURE_ENABLED_MASK);
	/*
	 * PKRU is left out: it would apply to the host's user addresses
	 * while guest state is loaded, and vmxlab hides PKU from guests.
	 * AMX tiles too: they need XFD and per-task permission handling
	 * that vmxlab does not do (and CPUID hides AMX).
	 */
	vmx_caps.guest.xcr0 = vmx_caps.host_xcr0 &
				   ~(XFEATURE_MASK_PKRU | XFEATURE_MASK_XTILE);
}

static bool tpr_shadow = true;
module_param(tpr_shadow, bool, 0444);
MODULE_PARM_DESC(tpr_shadow,
		 "use the TPR shadow where the processor has it, so that MOV CR8 does not exit (default on)");

int vmx_check_features(void)
{
	bool true_ctls;
	u64 basic;
	unsigned int i;
	const struct vmx_need needs[] = {
		{ "external-interrupt exiting", &vmx_caps.pin, PIN_EXT_INTR },
		{ "NMI exiting", &vmx_caps.pin, PIN_NMI },
		{ "VMX-preemption timer", &vmx_caps.pin, PIN_PREEMPTION_TIMER },
		{ "HLT exiting", &vmx_caps.proc, PROC_HLT },
		{ "unconditional I/O exiting", &vmx_caps.proc, PROC_UNCOND_IO },
		{ "MOV-DR exiting", &vmx_caps.proc, PROC_MOV_DR },
		{ "CR8-load exiting", &vmx_caps.proc, PROC_CR8_LOAD },
		{ "CR8-store exiting", &vmx_caps.proc, PROC_CR8_STORE },
		{ "secondary processor-based controls", &vmx_caps.proc,
		  PROC_SECONDARY },
		{ "EPT", &vmx_caps.proc2, PROC2_EPT },
		{ "unrestricted guest", &vmx_caps.proc2, PROC2_UNRESTRICTED },
		{ "host address-space size", &vmx_caps.exit, EXIT_HOST_64 },
		{ "save IA32_EFER on exit", &vmx_caps.exit, EXIT_SAVE_EFER },
		{ "save VMX-preemption timer value", &vmx_caps.exit,
		  EXIT_SAVE_PREEMPT_TIMER },
		{ "load IA32_EFER on exit", &vmx_caps.exit, EXIT_LOAD_EFER },
		{ "save IA32_PAT on exit", &vmx_caps.exit, EXIT_SAVE_PAT },
		{ "load IA32_PAT on exit", &vmx_caps.exit, EXIT_LOAD_PAT },
		{ "load IA32_EFER on entry", &vmx_caps.entry, ENTRY_LOAD_EFER },
		{ "load IA32_PAT on entry", &vmx_caps.entry, ENTRY_LOAD_PAT },
		{ "EPT 4-level page walk", NULL, EPT_CAP_WALK4 },
		{ "EPT write-back memory type", NULL, EPT_CAP_WB },
		{ "INVEPT", NULL, EPT_CAP_INVEPT },
		{ "INVEPT all-context", NULL, EPT_CAP_INVEPT_ALL },
	};

	if (!cpu_is_intel_with_vmx())
		return -EOPNOTSUPP;
	if (__read_cr4() & X86_CR4_VMXE) {
		vmx_in_use_message();
		return -EBUSY;
	}
	if (feature_control_check())
		return -EOPNOTSUPP;

	/* SDM A.1 "Basic VMX Information". */
	rdmsrl(MSR_IA32_VMX_BASIC, basic);
	vmx_caps.revision_id = basic & 0x7fffffff;
	vmx_caps.vmcs_size = (basic >> 32) & 0x1fff;
	if (((basic >> 50) & 0xf) != 6) {
		pr_err("this CPU wants a VMCS memory type other than write-back; vmxlab does not support it\n");
		return -EOPNOTSUPP;
	}
	if (basic & BIT_ULL(48)) {
		pr_err("this CPU limits VMX structures to 32-bit physical addresses; vmxlab does not support it\n");
		return -EOPNOTSUPP;
	}
	if (vmx_caps.vmcs_size > PAGE_SIZE) {
		pr_err("this CPU's VMCS is larger than a page; vmxlab does not support it\n");
		return -EOPNOTSUPP;
	}
	/* Bit 55: the TRUE_* MSRs report which default1 bits may be 0. */
	true_ctls = basic & BIT_ULL(55);

	vmx_caps.pin = adjust_control(true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS :
				      MSR_IA32_VMX_PINBASED_CTLS,
				      PIN_EXT_INTR | PIN_NMI | PIN_PREEMPTION_TIMER |
				      PIN_VIRTUAL_NMIS);
	vmx_caps.proc = adjust_control(true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
				       MSR_IA32_VMX_PROCBASED_CTLS,
				       PROC_HLT | PROC_MWAIT | PROC_RDPMC |
				       PROC_TSC_OFFSET |
				       PROC_CR8_LOAD | PROC_CR8_STORE |
				       PROC_MOV_DR | PROC_UNCOND_IO |
				       PROC_MONITOR | PROC_SECONDARY);
	/* What may be turned on later (the monitor trap flag, for one). */
	vmx_caps.proc_may_be_one = adjust_control(true_ctls ?
						  MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
						  MSR_IA32_VMX_PROCBASED_CTLS, ~0U);
	vmx_caps.proc2 = 0;
	if (vmx_caps.proc & PROC_SECONDARY)
		vmx_caps.proc2 = adjust_control(MSR_IA32_VMX_PROCBASED_CTLS2,
						PROC2_EPT | PROC2_UNRESTRICTED |
						PROC2_WBINVD | PROC2_RDTSCP |
						PROC2_INVPCID);
	vmx_caps.exit = adjust_control(true_ctls ? MSR_IA32_VMX_TRUE_EXIT_CTLS :
				       MSR_IA32_VMX_EXIT_CTLS,
				       EXIT_SAVE_DEBUG | EXIT_HOST_64 |
				       EXIT_SAVE_PAT | EXIT_LOAD_PAT |
				       EXIT_SAVE_EFER | EXIT_LOAD_EFER |
				       EXIT_SAVE_PREEMPT_TIMER);
	vmx_caps.entry = adjust_control(true_ctls ? MSR_IA32_VMX_TRUE_ENTRY_CTLS :
					MSR_IA32_VMX_ENTRY_CTLS,
					ENTRY_LOAD_DEBUG | ENTRY_LOAD_PAT |
					ENTRY_LOAD_EFER);
	/* "IA-32e mode guest" follows the guest's EFER.LMA, set per entry. */
	vmx_caps.entry &= ~ENTRY_IA32E_GUEST;

	if (vmx_caps.proc2 & PROC2_EPT)
		rdmsrl(MSR_IA32_VMX_EPT_VPID_CAP, vmx_caps.ept_vpid_cap);
	rdmsrl(MSR_IA32_VMX_MISC, vmx_caps.misc);
	vmx_caps.preemption_timer_shift = vmx_caps.misc & 0x1f;
	vmx_caps.invept_single = vmx_caps.ept_vpid_cap & EPT_CAP_INVEPT_SINGLE;

	for (i = 0; i < ARRAY_SIZE(needs); i++) {
		u64 have = needs[i].word ? *needs[i].word : vmx_caps.ept_vpid_cap;

		if (!(have & needs[i].bit)) {
			pr_err("this CPU lacks a VMX feature vmxlab needs: %s\n",
			       needs[i].name);
			return -EOPNOTSUPP;
		}
	}

	/*
	 * The TPR shadow (SDM 30.1, 30.3), where the processor has it and
	 * the tpr_shadow parameter allows: MOV CR8 reads and writes the
	 * virtual-APIC page (lapic.c's register page) without an exit,
	 * instead of CR8-load and CR8-store exiting.  A lab compares the
	 * exit counts with and without it.
	 */
	if (tpr_shadow && (vmx_caps.proc_may_be_one & PROC_TPR_SHADOW)) {
		vmx_caps.proc |= PROC_TPR_SHADOW;
		vmx_caps.proc &= ~(PROC_CR8_LOAD | PROC_CR8_STORE);
	}

	/* SDM A.7 and A.8: bits of CR0 and CR4 fixed in VMX operation. */
	rdmsrl(MSR_IA32_VMX_CR0_FIXED0, vmx_caps.cr0_fixed0);
	rdmsrl(MSR_IA32_VMX_CR0_FIXED1, vmx_caps.cr0_fixed1);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED0, vmx_caps.cr4_fixed0);
	rdmsrl(MSR_IA32_VMX_CR4_FIXED1, vmx_caps.cr4_fixed1);

	xcr0_caps();
	/*
	 * What a guest may write to CR4 and IA32_EFER (cr_rules.c): OSXSAVE
	 * only where the host has XSAVE on, NXE only where the host has NX.
	 */
	vmx_caps.guest.cr4 = VMXLAB_CR4_ALLOWED;
	if (!vmx_caps.host_xcr0)
		vmx_caps.guest.cr4 &= ~(u64)X86_CR4_OSXSAVE;
	vmx_caps.guest.efer = EFER_SCE | EFER_LME | EFER_LMA;
	if (boot_cpu_has(X86_FEATURE_NX))
		vmx_caps.guest.efer |= EFER_NX;
	vmx_caps.guest.maxphyaddr = boot_cpu_data.x86_phys_bits;
	/* The explainer judges a VMCS by the CPU's own limits (checks.c). */
	vmx_check_caps_read(&vmx_check_caps);
	pr_debug("VMCS revision %#x, controls pin %#x proc %#x proc2 %#x exit %#x entry %#x\n",
		 vmx_caps.revision_id, vmx_caps.pin, vmx_caps.proc,
		 vmx_caps.proc2, vmx_caps.exit, vmx_caps.entry);
	return 0;
}

/*
 * Enter VMX operation on this CPU.  Runs with interrupts off, from an IPI
 * or the CPU hotplug callback.
 */
static int vmx_on_this_cpu(void)
{
	void *region = this_cpu_read(vmxon_region);
	unsigned long cr0 = read_cr0();

	if (this_cpu_read(vmx_on))
		return 0;
	/* Someone else did VMXON here: two VMMs cannot share a CPU. */
	if (__read_cr4() & X86_CR4_VMXE)
		return -EBUSY;
	/* SDM 24.8 "Restrictions on VMX Operation": CR0 fixed bits. */
	if ((cr0 & vmx_caps.cr0_fixed0) != vmx_caps.cr0_fixed0 ||
	    (cr0 & ~vmx_caps.cr0_fixed1))
		return -EIO;

	cr4_set_bits(X86_CR4_VMXE);
	if (!vmxlab_vmxon(__pa(region))) {
		cr4_clear_bits(X86_CR4_VMXE);
		return -EIO;
	}
	/*
	 * Another VMM may have used the same EPT pointers before us; drop
	 * every EPT-tagged translation so none of its mappings survive
	 * (SDM 29.4.3.1 "Operations that invalidate cached mappings").
	 */
	vmxlab_invept(INVEPT_ALL_CONTEXT, 0);
	this_cpu_write(vmx_on, true);
	return 0;
}

static void vmx_off_this_cpu(void)
{
	if (!this_cpu_read(vmx_on))
		return;
	vmxlab_vmxoff();
	cr4_clear_bits(X86_CR4_VMXE);
	this_cpu_write(vmx_on, false);
}

static void vmx_on_ipi(void *failed)
{
	int r = vmx_on_this_cpu();

	if (r)
		atomic_cmpxchg((atomic_t *)failed, 0, r);
}

static void vmx_off_ipi(void *unused)
{
	vmx_off_this_cpu();
}

int vmx_get(void)
{
	atomic_t failed = ATOMIC_INIT(0);
	int r = 0;

	/*
	 * CPU hotplug callbacks run under the hotplug lock and take
	 * vmx_users_lock: take the hotplug lock first here too.
	 */
	cpus_read_lock();
	mutex_lock(&vmx_users_lock);
	if (vmx_users == 0) {
		on_each_cpu(vmx_on_ipi, &failed, 1);
		r = atomic_read(&failed);
		if (r) {
			on_each_cpu(vmx_off_ipi, NULL, 1);
			if (r == -EBUSY)
				vmx_in_use_message();
			else
				pr_err("VMXON failed on a CPU; VMX cannot be used now\n");
		}
	}
	if (!r)
		vmx_users++;
	mutex_unlock(&vmx_users_lock);
	cpus_read_unlock();
	return r;
}

void vmx_put(void)
{
	cpus_read_lock();
	mutex_lock(&vmx_users_lock);
	if (!WARN_ON(vmx_users == 0) && --vmx_users == 0)
		on_each_cpu(vmx_off_ipi, NULL, 1);
	mutex_unlock(&vmx_users_lock);
	cpus_read_unlock();
}

static void invept_ipi(void *eptp)
{
	u64 p = *(u64 *)eptp;

	if (!this_cpu_read(vmx_on))
		return;
	if (vmx_caps.invept_single)
		vmxlab_invept(INVEPT_SINGLE_CONTEXT, p);
	else
		vmxlab_invept(INVEPT_ALL_CONTEXT, 0);
}

/*
 * EPT-tagged translations may be cached on every CPU the VM ever ran on
 * (SDM 29.4.3), so a change that removes or narrows a mapping is followed
 * by INVEPT everywhere.  A running vCPU is pulled out of the guest by the
 * IPI itself.
 */
void vmx_invept_all_cpus(u64 eptp)
{
	on_each_cpu(invept_ipi, &eptp, 1);
}

/* CPU hotplug: a CPU that comes online while VMs exist enters VMX too. */
static int vmx_cpu_online(unsigned int cpu)
{
	int r = 0;

	mutex_lock(&vmx_users_lock);
	if (vmx_users) {
		local_irq_disable();
		r = vmx_on_this_cpu();
		local_irq_enable();
	}
	mutex_unlock(&vmx_users_lock);
	return r;
}

/*
 * No VMCS can be current on a CPU going offline: vmxlab makes a VMCS
 * current only with preemption off and clears it before preemption is
 * back on (run.c, vmcs.c), so leaving VMX operation is all there is to do.
 */
static int vmx_cpu_offline(unsigned int cpu)
{
	local_irq_disable();
	vmx_off_this_cpu();
	local_irq_enable();
	return 0;
}

int vmx_init(void)
{
	int cpu, r;

	for_each_possible_cpu(cpu) {
		struct page *page = alloc_pages_node(cpu_to_node(cpu),
						     GFP_KERNEL | __GFP_ZERO, 0);
		u32 *region;

		if (!page) {
			r = -ENOMEM;
			goto fail;
		}
		region = page_address(page);
		/* SDM 25.11.5: the VMXON region starts with the revision id. */
		region[0] = vmx_caps.revision_id;
		per_cpu(vmxon_region, cpu) = region;
	}
	r = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "vmxlab:online",
				      vmx_cpu_online, vmx_cpu_offline);
	if (r < 0)
		goto fail;
	vmx_hp_state = r;
	return 0;
fail:
	vmx_exit();
	return r;
}

void vmx_exit(void)
{
	int cpu;

	if (vmx_hp_state >= 0)
		cpuhp_remove_state_nocalls(vmx_hp_state);
	vmx_hp_state = -1;
	for_each_possible_cpu(cpu) {
		void *region = per_cpu(vmxon_region, cpu);

		if (region)
			free_page((unsigned long)region);
		per_cpu(vmxon_region, cpu) = NULL;
	}
}
