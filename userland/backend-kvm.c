// SPDX-License-Identifier: GPL-2.0
/*
 * backend-kvm.c - running the same guests on /dev/kvm.
 *
 * KVM's exits are translated into vmxlab's run structure, with the VMX
 * exit reason vmxlab would report (I/O instruction, EPT violation, HLT,
 * triple fault), so the run loop and the trace cannot tell the two apart.
 * The guest sees vmxlab's CPUID (hypervisor bit, no VMX, "vmxlabvmxlab"
 * at 0x40000000).  Not available here: VMCALL exits (KVM serves VMCALL
 * itself) and the guest TSC.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/vmxlab_tables.h>

#include "backend.h"
#include "util.h"

#define CPUID_MAX_ENTRIES	256
#define HV_LEAF			0x40000000U

struct kvm_be {
	int sys_fd, vm_fd, vcpu_fd;
	struct kvm_run *krun;
	size_t krun_size;
	struct vmxlab_run run;		/* what the run loop sees */
	/* A string or REP I/O exit is handed out one element at a time. */
	unsigned io_index, io_count;
	/* The exit the run loop is answering (IN data, MMIO read data). */
	uint32_t pending;
};

static struct kvm_be *priv(struct backend *be)
{
	return be->priv;
}


static int kvm_create_vm_(struct backend *be)
{
	struct kvm_be *k = calloc(1, sizeof(*k));

	if (!k) {
		error("out of memory");
		return -1;
	}
	k->sys_fd = k->vm_fd = k->vcpu_fd = -1;
	be->priv = k;
	k->sys_fd = open(be->device, O_RDWR | O_CLOEXEC);
	if (k->sys_fd < 0) {
		const char *dev = be->device;

		if (errno == ENOENT)
			error("%s not found: this machine has no KVM", dev);
		else if (errno == EACCES)
			error("permission denied opening %s: join the kvm "
			      "group or run as root", dev);
		else
			error("cannot open %s: %s", dev, strerror(errno));
		return -1;
	}
	if (ioctl(k->sys_fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		error("%s speaks an unexpected KVM API version", be->device);
		return -1;
	}
	k->vm_fd = ioctl(k->sys_fd, KVM_CREATE_VM, 0);
	if (k->vm_fd < 0) {
		error("cannot create a KVM VM: %s", strerror(errno));
		return -1;
	}
	/* Intel without unrestricted guest needs these for real mode. */
	ioctl(k->vm_fd, KVM_SET_TSS_ADDR, 0xfffbd000UL);
	return 0;
}

static bool kvm_has_cap(struct backend *be, unsigned cap)
{
	/* KVM runs real mode on every host it supports. */
	(void)be;
	return cap == VMXLAB_CAP_UNRESTRICTED_GUEST;
}

static int kvm_set_memory(struct backend *be, uint32_t slot, uint64_t gpa,
			  uint64_t size, void *hva)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot, .guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = (uintptr_t)hva,
	};

	if (ioctl(priv(be)->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0) {
		error("cannot give the KVM VM memory: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* vmxlab's CPUID policy on top of what KVM supports. */
static int kvm_set_cpuid(struct kvm_be *k)
{
	struct kvm_cpuid2 *c;
	struct kvm_cpuid_entry2 *e;
	unsigned i, n = 0;
	int ret = -1;

	c = calloc(1, sizeof(*c) + CPUID_MAX_ENTRIES * sizeof(*e));
	if (!c) {
		error("out of memory");
		return -1;
	}
	c->nent = CPUID_MAX_ENTRIES - 1;
	if (ioctl(k->sys_fd, KVM_GET_SUPPORTED_CPUID, c) < 0) {
		error("cannot read KVM's CPUID: %s", strerror(errno));
		goto out;
	}
	for (i = 0; i < c->nent; i++) {
		e = &c->entries[i];
		if ((e->function & 0xffffff00) == HV_LEAF)
			continue;	/* drop KVM's own signature leaves */
		if (e->function == 1) {
			e->ecx |= 1U << 31;	/* hypervisor present */
			e->ecx &= ~(1U << 5);	/* no VMX */
		}
		c->entries[n++] = *e;
	}
	e = &c->entries[n++];
	memset(e, 0, sizeof(*e));
	e->function = HV_LEAF;
	e->eax = HV_LEAF;
	memcpy(&e->ebx, "vmxl", 4);
	memcpy(&e->ecx, "abvm", 4);
	memcpy(&e->edx, "xlab", 4);
	c->nent = n;
	if (ioctl(k->vcpu_fd, KVM_SET_CPUID2, c) < 0) {
		error("cannot set the guest's CPUID: %s", strerror(errno));
		goto out;
	}
	ret = 0;
out:
	free(c);
	return ret;
}

static int kvm_create_vcpu(struct backend *be, unsigned id)
{
	struct kvm_be *k = priv(be);
	int size;

	k->vcpu_fd = ioctl(k->vm_fd, KVM_CREATE_VCPU, id);
	if (k->vcpu_fd < 0) {
		error("cannot create a KVM vCPU: %s", strerror(errno));
		return -1;
	}
	size = ioctl(k->sys_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size <= 0) {
		error("cannot size the KVM run structure: %s",
		      strerror(errno));
		return -1;
	}
	k->krun_size = size;
	k->krun = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       k->vcpu_fd, 0);
	if (k->krun == MAP_FAILED) {
		k->krun = NULL;
		error("cannot map the KVM run structure: %s",
		      strerror(errno));
		return -1;
	}
	return kvm_set_cpuid(k);
}

static int vcpu_ioctl(struct backend *be, unsigned long req, void *arg,
		      const char *what)
{
	if (ioctl(priv(be)->vcpu_fd, req, arg) < 0) {
		error("cannot %s: %s", what, strerror(errno));
		return -1;
	}
	return 0;
}

/* struct vmxlab_regs and struct kvm_regs have the same layout. */
_Static_assert(sizeof(struct vmxlab_regs) == sizeof(struct kvm_regs),
	       "register layouts differ");

static int kvm_get_regs(struct backend *be, struct vmxlab_regs *regs)
{
	struct kvm_regs r;

	if (vcpu_ioctl(be, KVM_GET_REGS, &r, "read the registers"))
		return -1;
	memcpy(regs, &r, sizeof(r));
	return 0;
}

static int kvm_set_regs(struct backend *be, const struct vmxlab_regs *regs)
{
	struct kvm_regs r;

	memcpy(&r, regs, sizeof(r));
	return vcpu_ioctl(be, KVM_SET_REGS, &r, "set the registers");
}

static void seg_to_kvm(const struct vmxlab_segment *s, struct kvm_segment *k)
{
	memset(k, 0, sizeof(*k));
	k->base = s->base;
	k->limit = s->limit;
	k->selector = s->selector;
	k->type = s->ar & 0xf;
	k->s = (s->ar >> 4) & 1;
	k->dpl = (s->ar >> 5) & 3;
	k->present = (s->ar >> 7) & 1;
	k->avl = (s->ar >> 12) & 1;
	k->l = (s->ar >> 13) & 1;
	k->db = (s->ar >> 14) & 1;
	k->g = (s->ar >> 15) & 1;
	k->unusable = (s->ar >> 16) & 1;
}

static void seg_from_kvm(const struct kvm_segment *k, struct vmxlab_segment *s)
{
	memset(s, 0, sizeof(*s));
	s->base = k->base;
	s->limit = k->limit;
	s->selector = k->selector;
	s->ar = k->type | k->s << 4 | k->dpl << 5 | k->present << 7 |
		k->avl << 12 | k->l << 13 | k->db << 14 | k->g << 15 |
		(uint32_t)k->unusable << 16;
}

static int kvm_get_sregs(struct backend *be, struct vmxlab_sregs *s)
{
	struct kvm_sregs k;

	if (vcpu_ioctl(be, KVM_GET_SREGS, &k, "read the system registers"))
		return -1;
	memset(s, 0, sizeof(*s));
	seg_from_kvm(&k.cs, &s->cs);
	seg_from_kvm(&k.ds, &s->ds);
	seg_from_kvm(&k.es, &s->es);
	seg_from_kvm(&k.fs, &s->fs);
	seg_from_kvm(&k.gs, &s->gs);
	seg_from_kvm(&k.ss, &s->ss);
	seg_from_kvm(&k.tr, &s->tr);
	seg_from_kvm(&k.ldt, &s->ldt);
	s->gdt.base = k.gdt.base;
	s->gdt.limit = k.gdt.limit;
	s->idt.base = k.idt.base;
	s->idt.limit = k.idt.limit;
	s->cr0 = k.cr0;
	s->cr2 = k.cr2;
	s->cr3 = k.cr3;
	s->cr4 = k.cr4;
	s->cr8 = k.cr8;
	s->efer = k.efer;
	s->apic_base = k.apic_base;
	return 0;
}

static int kvm_set_sregs(struct backend *be, const struct vmxlab_sregs *s)
{
	struct kvm_sregs k;

	memset(&k, 0, sizeof(k));
	seg_to_kvm(&s->cs, &k.cs);
	seg_to_kvm(&s->ds, &k.ds);
	seg_to_kvm(&s->es, &k.es);
	seg_to_kvm(&s->fs, &k.fs);
	seg_to_kvm(&s->gs, &k.gs);
	seg_to_kvm(&s->ss, &k.ss);
	seg_to_kvm(&s->tr, &k.tr);
	seg_to_kvm(&s->ldt, &k.ldt);
	k.gdt.base = s->gdt.base;
	k.gdt.limit = s->gdt.limit;
	k.idt.base = s->idt.base;
	k.idt.limit = s->idt.limit;
	k.cr0 = s->cr0;
	k.cr2 = s->cr2;
	k.cr3 = s->cr3;
	k.cr4 = s->cr4;
	k.cr8 = s->cr8;
	k.efer = s->efer;
	k.apic_base = s->apic_base;
	return vcpu_ioctl(be, KVM_SET_SREGS, &k, "set the system registers");
}

/* Hands the run loop's answer to the last exit back to KVM. */
static void complete_pending(struct kvm_be *k)
{
	struct kvm_run *kr = k->krun;
	struct vmxlab_run *r = &k->run;

	if (k->pending == KVM_EXIT_IO && kr->io.direction == KVM_EXIT_IO_IN)
		memcpy((uint8_t *)kr + kr->io.data_offset +
		       k->io_index * kr->io.size, &r->io.data, kr->io.size);
	else if (k->pending == KVM_EXIT_MMIO && !kr->mmio.is_write)
		memcpy(kr->mmio.data, &r->mmio.data, kr->mmio.len);
}

/* Presents element k->io_index of the current I/O exit. */
static void present_io(struct kvm_be *k)
{
	struct kvm_run *kr = k->krun;
	struct vmxlab_run *r = &k->run;
	bool in = kr->io.direction == KVM_EXIT_IO_IN;

	r->exit_reason = VMXLAB_EXIT_IO;
	r->hw_exit_reason = VMX_EXIT_IO_INSTRUCTION;
	/* The exit qualification VMX would give (SDM Table 28-5). */
	r->exit_qualification = (uint64_t)(kr->io.size - 1) |
				(in ? 1 << 3 : 0) |
				(kr->io.count > 1 ? 1 << 4 : 0) |
				(uint64_t)kr->io.port << 16;
	r->io.direction = in ? VMXLAB_IO_IN : VMXLAB_IO_OUT;
	r->io.size = kr->io.size;
	r->io.port = kr->io.port;
	r->io.data = 0;
	if (!in)
		memcpy(&r->io.data, (uint8_t *)kr + kr->io.data_offset +
		       k->io_index * kr->io.size, kr->io.size);
}

static void translate_exit(struct kvm_be *k)
{
	struct kvm_run *kr = k->krun;
	struct vmxlab_run *r = &k->run;

	memset((uint8_t *)r + offsetof(struct vmxlab_run, exit_reason), 0,
	       sizeof(*r) - offsetof(struct vmxlab_run, exit_reason));
	k->pending = kr->exit_reason;
	/*
	 * KVM has no exiting-RIP field; its RIP may already be past the
	 * instruction (I/O, HLT), which is close enough for a trace.
	 */
	{
		struct kvm_regs regs;

		if (ioctl(k->vcpu_fd, KVM_GET_REGS, &regs) == 0)
			r->guest_rip = regs.rip;
	}
	switch (kr->exit_reason) {
	case KVM_EXIT_IO:
		k->io_index = 0;
		k->io_count = kr->io.count;
		present_io(k);
		break;
	case KVM_EXIT_MMIO:
		r->exit_reason = VMXLAB_EXIT_MMIO;
		r->hw_exit_reason = VMX_EXIT_EPT_VIOLATION;
		r->exit_qualification = kr->mmio.is_write ? 2 : 1;
		r->mmio.phys_addr = kr->mmio.phys_addr;
		r->mmio.len = kr->mmio.len;
		r->mmio.is_write = kr->mmio.is_write;
		if (kr->mmio.is_write)
			memcpy(&r->mmio.data, kr->mmio.data, kr->mmio.len);
		break;
	case KVM_EXIT_HLT:
		r->exit_reason = VMXLAB_EXIT_HLT;
		r->hw_exit_reason = VMX_EXIT_HLT;
		break;
	case KVM_EXIT_SHUTDOWN:
		r->exit_reason = VMXLAB_EXIT_TRIPLE_FAULT;
		r->hw_exit_reason = VMX_EXIT_TRIPLE_FAULT;
		break;
	case KVM_EXIT_FAIL_ENTRY:
		r->exit_reason = VMXLAB_EXIT_FAIL_ENTRY;
		r->fail_entry.hardware_entry_failure_reason =
			kr->fail_entry.hardware_entry_failure_reason;
		r->hw_exit_reason = VMX_EXIT_REASON_ENTRY_FAILED |
			(uint32_t)kr->fail_entry.hardware_entry_failure_reason;
		break;
	case KVM_EXIT_INTR:
		r->exit_reason = VMXLAB_EXIT_INTR;
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		r->exit_reason = VMXLAB_EXIT_INTERNAL_ERROR;
		r->internal.suberror = kr->internal.suberror;
		snprintf(r->internal.msg, sizeof(r->internal.msg),
			 "KVM internal error, suberror %u",
			 kr->internal.suberror);
		break;
	default:
		r->exit_reason = VMXLAB_EXIT_INTERNAL_ERROR;
		r->internal.suberror = VMXLAB_INTERNAL_UNHANDLED_EXIT;
		snprintf(r->internal.msg, sizeof(r->internal.msg),
			 "KVM exit %u has no vmxlab equivalent",
			 kr->exit_reason);
		break;
	}
}

static int kvm_run_(struct backend *be)
{
	struct kvm_be *k = priv(be);

	complete_pending(k);
	/* The rest of a string I/O instruction needs no trip to KVM. */
	if (k->pending == KVM_EXIT_IO && k->io_index + 1 < k->io_count) {
		k->io_index++;
		present_io(k);
		return 0;
	}
	k->pending = 0;
	k->krun->immediate_exit = k->run.immediate_exit;
	if (ioctl(k->vcpu_fd, KVM_RUN, 0) < 0)
		return -errno;
	translate_exit(k);
	return 0;
}

static struct vmxlab_run *kvm_run_struct(struct backend *be)
{
	return &priv(be)->run;
}

static void kvm_kick(struct backend *be)
{
	struct kvm_be *k = priv(be);

	if (!k)
		return;
	k->run.immediate_exit = 1;
	if (k->krun)
		k->krun->immediate_exit = 1;
}

static void kvm_destroy(struct backend *be)
{
	struct kvm_be *k = priv(be);

	if (!k)
		return;
	if (k->krun)
		munmap(k->krun, k->krun_size);
	if (k->vcpu_fd >= 0)
		close(k->vcpu_fd);
	if (k->vm_fd >= 0)
		close(k->vm_fd);
	if (k->sys_fd >= 0)
		close(k->sys_fd);
	free(k);
	be->priv = NULL;
}

/*
 * vmxlab's debugging ioctls have no KVM equivalent with the same meaning
 * (VMCS fields, the exit ring), so they are refused; callers print
 * backend_strerror(): "not supported by the kvm backend".
 */
static int kvm_set_debug(struct backend *be, const struct vmxlab_debug *dbg)
{
	return -EOPNOTSUPP;
}

static int kvm_get_vmcs(struct backend *be, uint32_t encoding,
			uint64_t *value)
{
	return -EOPNOTSUPP;
}

static int kvm_set_vmcs(struct backend *be, uint32_t encoding,
			uint64_t value)
{
	return -EOPNOTSUPP;
}

static int kvm_translate(struct backend *be, struct vmxlab_translation *t)
{
	return -EOPNOTSUPP;
}

static int kvm_set_ring(struct backend *be, uint32_t nrecords,
			uint32_t flags, struct vmxlab_ring **ring)
{
	return -EOPNOTSUPP;
}

static int kvm_check_entry(struct backend *be,
			   struct vmxlab_check_failure *out, uint32_t max,
			   uint32_t *nfailed)
{
	return -EOPNOTSUPP;
}

const struct backend_ops backend_kvm_ops = {
	.name = "kvm",
	.create_vm = kvm_create_vm_,
	.has_cap = kvm_has_cap,
	.set_memory = kvm_set_memory,
	.create_vcpu = kvm_create_vcpu,
	.get_regs = kvm_get_regs,
	.set_regs = kvm_set_regs,
	.get_sregs = kvm_get_sregs,
	.set_sregs = kvm_set_sregs,
	.run = kvm_run_,
	.run_struct = kvm_run_struct,
	.kick = kvm_kick,
	.destroy = kvm_destroy,
	.set_debug = kvm_set_debug,
	.get_vmcs = kvm_get_vmcs,
	.set_vmcs = kvm_set_vmcs,
	.translate = kvm_translate,
	.set_ring = kvm_set_ring,
	.check_entry = kvm_check_entry,
};
