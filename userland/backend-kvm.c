// SPDX-License-Identifier: GPL-2.0
/*
 * backend-kvm.c - running the same guests on /dev/kvm.
 *
 * KVM's exits are translated into vmxlab's run structure, with the VMX
 * exit reason vmxlab would report (I/O instruction, EPT violation, HLT,
 * triple fault, interrupt window), so the run loop and the trace cannot
 * tell the two apart.  The guest sees vmxlab's CPUID (hypervisor bit, no
 * VMX, x2APIC and TSC-deadline, "vmxlabvmxlab" at 0x40000000).  Not
 * available here: VMCALL exits (KVM serves VMCALL itself) and the guest
 * TSC.
 *
 * Interrupts: KVM's split irqchip (Documentation/virt/kvm/api.rst, 7.5
 * KVM_CAP_SPLIT_IRQCHIP), which is what vmxlab's uapi copies.  The local
 * APIC is KVM's; the loader's 8259A reaches it through KVM_INTERRUPT and
 * its IOAPIC through KVM_SIGNAL_MSI, exactly as with VMXLAB_INTERRUPT and
 * VMXLAB_SIGNAL_MSI.
 *
 * One answer KVM does not give: with its local APIC in the kernel, KVM
 * keeps a halted vCPU asleep in KVM_RUN and never returns KVM_EXIT_HLT,
 * even when the guest halted with interrupts disabled and nothing can
 * ever wake it; vmxlab returns VMXLAB_EXIT_HLT then.  A periodic probe
 * (a POSIX timer signalling the vCPU thread) makes KVM_RUN return now and
 * then, and a vCPU that KVM_GET_MP_STATE says is halted with RFLAGS.IF
 * = 0 and no NMI pending is reported as vmxlab would report it.
 *
 * Signals: the probe uses SIGRTMIN + 1 (the run loop has SIGINT, SIGTERM
 * and SIGALRM, the chipset's kick SIGUSR1).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/vmxlab_tables.h>

#include "backend.h"
#include "irq.h"
#include "util.h"

#define CPUID_MAX_ENTRIES	256
#define HV_LEAF			0x40000000U
#define RFLAGS_IF		(1ULL << 9)

/*
 * Routes reserved for the loader's IOAPIC pins (KVM_CAP_SPLIT_IRQCHIP's
 * args[0]): the 82093AA has 24.
 */
#define KVM_IOAPIC_ROUTES	24

/*
 * The halt probe: how often a vCPU thread in KVM_RUN is interrupted to
 * see whether the guest halted for good, i.e. how late at most such a
 * HLT is reported.  Each probe costs one return from KVM_RUN and one
 * KVM_GET_MP_STATE.
 */
#define HALT_PROBE_SIGNAL	(SIGRTMIN + 1)
#define HALT_PROBE_NS		(10 * 1000 * 1000)

/* glibc 2.36 names the thread of SIGEV_THREAD_ID only by its union. */
#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id	_sigev_un._tid
#endif

struct kvm_msi_route {
	uint32_t address_lo;
	uint32_t data;
};

struct kvm_be {
	int sys_fd, vm_fd, vcpu_fd;
	unsigned vcpu_id;
	struct kvm_run *krun;
	size_t krun_size;
	struct vmxlab_run run;		/* what the run loop sees */
	/* A string or REP I/O exit is handed out one element at a time. */
	unsigned io_index, io_count;
	/* The exit the run loop is answering (IN data, MMIO read data). */
	uint32_t pending;
	/* The last exit was a HLT this file made up (see halted_for_good). */
	bool halt_reported;

	/* The halt probe: a timer that signals the thread in run(). */
	timer_t probe;
	bool probe_armed;
	pid_t probe_tid;
	volatile sig_atomic_t probe_fired;

	/* Level-triggered interrupt messages KVM must report EOIs for. */
	pthread_mutex_t routes_lock;
	struct kvm_msi_route routes[KVM_IOAPIC_ROUTES];
	unsigned nroutes, next_route;
};

static struct kvm_be *priv(struct backend *be)
{
	return be->priv;
}

/*
 * Setting-up ioctls again after a signal: another VM's halt probe in
 * this thread (vmbench runs 16) may interrupt KVM_CREATE_VM, which then
 * fails with EINTR instead of being restarted.
 */
static int xioctl(int fd, unsigned long req, unsigned long arg)
{
	int r;

	do
		r = ioctl(fd, req, arg);
	while (r < 0 && errno == EINTR);
	return r;
}

/* KVM_ENABLE_CAP on the VM (api.rst, 4.37 KVM_ENABLE_CAP). */
static int vm_enable_cap(struct kvm_be *k, uint32_t cap, uint64_t arg0)
{
	struct kvm_enable_cap c = { .cap = cap, .args = { arg0 } };

	return xioctl(k->vm_fd, KVM_ENABLE_CAP, (unsigned long)&c);
}

/*
 * The split irqchip: a local APIC per vCPU in KVM, the PIC and IOAPIC in
 * the loader.  It must be enabled before the first vCPU exists, which
 * is when KVM creates the vCPU's APIC (api.rst, 7.5 KVM_CAP_SPLIT_IRQCHIP).
 */
static int kvm_setup_irqchip(struct backend *be, struct kvm_be *k)
{
	if (ioctl(k->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SPLIT_IRQCHIP) <= 0) {
		error("the KVM of %s has no split irqchip "
		      "(KVM_CAP_SPLIT_IRQCHIP, Linux 4.4 and later), which "
		      "vmxlab's interrupt model needs", be->device);
		return -1;
	}
	if (vm_enable_cap(k, KVM_CAP_SPLIT_IRQCHIP, KVM_IOAPIC_ROUTES) < 0) {
		error("cannot enable KVM's split irqchip: %s", strerror(errno));
		return -1;
	}
	/*
	 * In x2APIC mode, vmxlab's APIC ID register holds the 32-bit ID and
	 * 0xff is an ID like any other; KVM by default shows the ID shifted
	 * to bits 31:24 in KVM_GET_LAPIC and delivers an interrupt message
	 * for destination 0xff to every x2APIC (api.rst, 7.7
	 * KVM_CAP_X2APIC_API).  Ask for vmxlab's behaviour; an old KVM
	 * without it still runs every guest that keeps to xAPIC.
	 */
	if (vm_enable_cap(k, KVM_CAP_X2APIC_API,
			  KVM_X2APIC_API_USE_32BIT_IDS |
			  KVM_X2APIC_API_DISABLE_BROADCAST_QUIRK) < 0)
		info("KVM_CAP_X2APIC_API is missing: x2APIC IDs in the APIC "
		     "dump are shifted, and 0xff is a broadcast");
	return 0;
}

static int kvm_create_vm_(struct backend *be)
{
	struct kvm_be *k = calloc(1, sizeof(*k));

	if (!k) {
		error("out of memory");
		return -1;
	}
	k->sys_fd = k->vm_fd = k->vcpu_fd = -1;
	pthread_mutex_init(&k->routes_lock, NULL);
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
	k->vm_fd = xioctl(k->sys_fd, KVM_CREATE_VM, 0);
	if (k->vm_fd < 0) {
		error("cannot create a KVM VM: %s", strerror(errno));
		return -1;
	}
	/* Intel without unrestricted guest needs these for real mode. */
	ioctl(k->vm_fd, KVM_SET_TSS_ADDR, 0xfffbd000UL);
	return kvm_setup_irqchip(be, k);
}

static bool kvm_has_cap(struct backend *be, unsigned cap)
{
	/*
	 * KVM runs real mode on every host it supports, and the split
	 * irqchip (kvm_setup_irqchip) is vmxlab's in-kernel local APIC.
	 */
	(void)be;
	return cap == VMXLAB_CAP_UNRESTRICTED_GUEST ||
	       cap == VMXLAB_CAP_IRQCHIP;
}

static int kvm_set_memory(struct backend *be, uint32_t slot, uint64_t gpa,
			  uint64_t size, void *hva)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot, .guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = (uintptr_t)hva,
	};

	if (xioctl(priv(be)->vm_fd, KVM_SET_USER_MEMORY_REGION,
		   (unsigned long)&r) < 0) {
		error("cannot give the KVM VM memory: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * vmxlab's CPUID policy (kmod/cpuid.c) on top of what KVM supports
 * (api.rst, 4.46 KVM_GET_SUPPORTED_CPUID), so that a guest sees the same
 * features on both backends.
 */
static void cpuid_policy(struct kvm_be *k, struct kvm_cpuid_entry2 *e,
			 bool tsc_deadline)
{
	switch (e->function) {
	case 1:
		/* One logical processor; its initial APIC ID: the vCPU id. */
		e->ebx = (e->ebx & 0xffff) | 1U << 16 | k->vcpu_id << 24;
		/*
		 * ECX: no MONITOR(3), DS-CPL(4), VMX(5), SMX(6), EST(7),
		 * TM2(8), PDCM(15); hypervisor present (31).  x2APIC (21)
		 * and TSC-deadline (24) belong to KVM's local APIC, which
		 * implements both with the split irqchip; KVM reports the
		 * second through KVM_CAP_TSC_DEADLINE_TIMER, not in the
		 * supported CPUID.
		 */
		e->ecx &= ~(1U << 3 | 1U << 4 | 1U << 5 | 1U << 6 | 1U << 7 |
			    1U << 8 | 1U << 15);
		e->ecx |= 1U << 21 | 1U << 31;
		if (tsc_deadline)
			e->ecx |= 1U << 24;
		/*
		 * EDX: no MCE(7), MCA(14), DS(21), ACPI(22), HTT(28),
		 * TM(29), PBE(31).
		 */
		e->edx &= ~(1U << 7 | 1U << 14 | 1U << 21 | 1U << 22 |
			    1U << 28 | 1U << 29 | 1U << 31);
		break;
	case 6:
		/*
		 * Thermal and power management: only ARAT (EAX 2).  KVM's
		 * APIC timer is a host timer too and runs in every C-state.
		 */
		e->eax = 1U << 2;
		e->ebx = e->ecx = e->edx = 0;
		break;
	case 0xa:	/* architectural performance monitoring */
	case 0xb:	/* x2APIC topology */
	case 0x1f:	/* x2APIC topology, v2 */
		e->eax = e->ebx = e->ecx = e->edx = 0;
		break;
	}
}

static int kvm_set_cpuid(struct kvm_be *k)
{
	struct kvm_cpuid2 *c;
	struct kvm_cpuid_entry2 *e;
	unsigned i, n = 0;
	bool tsc_deadline;
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
	tsc_deadline = ioctl(k->sys_fd, KVM_CHECK_EXTENSION,
			     KVM_CAP_TSC_DEADLINE_TIMER) > 0;
	for (i = 0; i < c->nent; i++) {
		e = &c->entries[i];
		if ((e->function & 0xffffff00) == HV_LEAF)
			continue;	/* drop KVM's own signature leaves */
		cpuid_policy(k, e, tsc_deadline);
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

/* ---- the halt probe ---------------------------------------------------- */

/*
 * The probe's signal handler: only what the immediate_exit protocol
 * asks for (api.rst, 5. The kvm_run structure, immediate_exit).  If the
 * thread is in KVM_RUN, the signal itself makes it return -EINTR; if it
 * is about to enter, immediate_exit does.  SA_RESTART keeps it from
 * breaking the loader's own system calls between two runs.
 */
static void halt_probe_fired(int sig, siginfo_t *si, void *uc)
{
	struct kvm_be *k;

	(void)sig;
	(void)uc;
	if (si->si_code != SI_TIMER)
		return;		/* somebody else's signal */
	k = si->si_value.sival_ptr;
	k->probe_fired = 1;
	k->krun->immediate_exit = 1;
}

/* The calling thread's id, one system call per thread (run() asks often). */
static pid_t this_thread(void)
{
	static __thread pid_t tid;

	if (!tid)
		tid = (pid_t)syscall(SYS_gettid);
	return tid;
}

/*
 * Points the probe at the calling thread: the one that runs the vCPU
 * (SIGEV_THREAD_ID: no other thread is disturbed).  0 or -errno.
 */
static int halt_probe_start(struct kvm_be *k)
{
	struct itimerspec period = {
		.it_interval.tv_nsec = HALT_PROBE_NS,
		.it_value.tv_nsec = HALT_PROBE_NS,
	};
	struct sigevent sev;
	struct sigaction sa;
	sigset_t set;
	pid_t tid = this_thread();

	if (k->probe_armed && k->probe_tid == tid)
		return 0;
	if (k->probe_armed) {
		timer_delete(k->probe);
		k->probe_armed = false;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = halt_probe_fired;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(HALT_PROBE_SIGNAL, &sa, NULL) < 0)
		return -errno;
	sigemptyset(&set);
	sigaddset(&set, HALT_PROBE_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = HALT_PROBE_SIGNAL;
	sev.sigev_value.sival_ptr = k;
	sev.sigev_notify_thread_id = tid;
	if (timer_create(CLOCK_MONOTONIC, &sev, &k->probe) < 0)
		return -errno;
	if (timer_settime(k->probe, 0, &period, NULL) < 0) {
		int err = errno;

		timer_delete(k->probe);
		return -err;
	}
	k->probe_armed = true;
	k->probe_tid = tid;
	return 0;
}

/*
 * Did the guest halt for good?  vmxlab's rule (kmod/exits.c, and the SDM
 * on HLT): halted with RFLAGS.IF = 0, only an NMI could resume it, and
 * none is pending.  KVM's view: KVM_GET_MP_STATE says KVM_MP_STATE_HALTED
 * (api.rst, 4.38 KVM_GET_MP_STATE) and KVM_GET_VCPU_EVENTS has no NMI
 * pending or being injected (4.31).  Fills @regs.
 */
static bool halted_for_good(struct kvm_be *k, struct kvm_regs *regs)
{
	struct kvm_mp_state mp;
	struct kvm_vcpu_events ev;

	if (ioctl(k->vcpu_fd, KVM_GET_MP_STATE, &mp) < 0 ||
	    mp.mp_state != KVM_MP_STATE_HALTED)
		return false;
	if (ioctl(k->vcpu_fd, KVM_GET_REGS, regs) < 0 ||
	    (regs->rflags & RFLAGS_IF))
		return false;
	if (ioctl(k->vcpu_fd, KVM_GET_VCPU_EVENTS, &ev) < 0 ||
	    ev.nmi.pending || ev.nmi.injected)
		return false;
	return true;
}

/* ---- vCPU -------------------------------------------------------------- */

static int kvm_create_vcpu(struct backend *be, unsigned id)
{
	struct kvm_be *k = priv(be);
	int size, r;

	k->vcpu_id = id;
	k->vcpu_fd = xioctl(k->vm_fd, KVM_CREATE_VCPU, id);
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
	if (kvm_set_cpuid(k))
		return -1;
	/* This thread runs the vCPU, unless run() says otherwise later. */
	r = halt_probe_start(k);
	if (r) {
		error("cannot start the halt probe timer: %s", strerror(-r));
		return -1;
	}
	return 0;
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

/* Clears the out fields of the run structure for a new exit. */
static void clear_exit(struct vmxlab_run *r)
{
	memset((uint8_t *)r + offsetof(struct vmxlab_run, exit_reason), 0,
	       sizeof(*r) - offsetof(struct vmxlab_run, exit_reason));
}

/*
 * After every KVM_RUN, returned or interrupted: KVM refreshes these at
 * each return (api.rst, 5. The kvm_run structure), vmxlab too.
 */
static void copy_irq_state(struct kvm_be *k)
{
	k->run.ready_for_interrupt_injection =
		k->krun->ready_for_interrupt_injection;
	k->run.if_flag = k->krun->if_flag;
}

/*
 * A HLT exit as vmxlab reports it: at the HLT, which is one byte (F4).
 * KVM already completed the instruction and halted the vCPU, so its RIP
 * is the next instruction's: the HLT is at RIP - 1 (a HLT with prefixes
 * would be further back, but no compiler or guest here writes one).
 */
static void report_hlt(struct kvm_be *k, const struct kvm_regs *regs)
{
	struct vmxlab_run *r = &k->run;

	r->exit_reason = VMXLAB_EXIT_HLT;
	r->hw_exit_reason = VMX_EXIT_HLT;
	r->exit_instruction_len = 1;
	r->guest_rip = regs->rip - 1;
}

static void translate_exit(struct kvm_be *k)
{
	struct kvm_run *kr = k->krun;
	struct vmxlab_run *r = &k->run;
	struct kvm_regs regs;

	clear_exit(r);
	k->pending = kr->exit_reason;
	/*
	 * KVM has no exiting-RIP field; its RIP may already be past the
	 * instruction (I/O), which is close enough for a trace.
	 */
	memset(&regs, 0, sizeof(regs));
	if (ioctl(k->vcpu_fd, KVM_GET_REGS, &regs) == 0)
		r->guest_rip = regs.rip;
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
		/* Only without an in-kernel APIC; kept for older setups. */
		report_hlt(k, &regs);
		break;
	case KVM_EXIT_IRQ_WINDOW_OPEN:
		/*
		 * request_interrupt_window was set and the guest can take
		 * an external interrupt now: what VMX's interrupt-window
		 * exiting reports (SDM 26.2, exit reason 7).
		 */
		r->exit_reason = VMXLAB_EXIT_IRQ_WINDOW_OPEN;
		r->hw_exit_reason = VMX_EXIT_INTERRUPT_WINDOW;
		break;
	case KVM_EXIT_IOAPIC_EOI:
		/*
		 * The guest wrote EOI for a level-triggered vector of the
		 * loader's IOAPIC (api.rst, KVM_EXIT_IOAPIC_EOI).  vmxlab
		 * reports the instruction that did it: WRMSR of the x2APIC
		 * EOI register, or a write to the xAPIC page (an EPT
		 * violation at its EOI register, 0xb0).  KVM does not say
		 * which, but the APIC mode does (IA32_APIC_BASE.EXTD, bit
		 * 10, which KVM returns in run->apic_base).
		 */
		r->exit_reason = VMXLAB_EXIT_EOI;
		r->eoi.vector = kr->eoi.vector;
		if (kr->apic_base & (1ULL << 10)) {
			r->hw_exit_reason = VMX_EXIT_MSR_WRITE;
		} else {
			r->hw_exit_reason = VMX_EXIT_EPT_VIOLATION;
			r->exit_qualification = 2;	/* a write */
			r->guest_phys_addr = (kr->apic_base & ~0xfffULL) +
					     0xb0;
		}
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
	copy_irq_state(k);
}

static int kvm_run_(struct backend *be)
{
	struct kvm_be *k = priv(be);
	struct kvm_regs regs;
	int r;

	complete_pending(k);
	/* The rest of a string I/O instruction needs no trip to KVM. */
	if (k->pending == KVM_EXIT_IO && k->io_index + 1 < k->io_count) {
		k->io_index++;
		present_io(k);
		return 0;
	}
	k->pending = 0;
	/*
	 * After a HLT that was reported, vmxlab's next RUN goes on after
	 * it (PENDING_SKIP); KVM would leave the vCPU halted.  Wake it.
	 */
	if (k->halt_reported) {
		struct kvm_mp_state mp = { .mp_state = KVM_MP_STATE_RUNNABLE };

		if (ioctl(k->vcpu_fd, KVM_SET_MP_STATE, &mp) < 0)
			return -errno;
		k->halt_reported = false;
	}
	/* run() moved to another thread: the probe follows it. */
	if (k->probe_tid != this_thread()) {
		r = halt_probe_start(k);
		if (r)
			return r;
	}
	for (;;) {
		k->probe_fired = 0;
		k->krun->request_interrupt_window =
			k->run.request_interrupt_window;
		k->krun->immediate_exit = k->run.immediate_exit;
		r = ioctl(k->vcpu_fd, KVM_RUN, 0) < 0 ? -errno : 0;
		copy_irq_state(k);
		if (r == 0)
			break;
		/*
		 * A kick (immediate_exit set by kick(), as every stop
		 * signal's handler does) or an error goes to the caller.
		 * Any other signal, such as the probe of another VM in this
		 * thread (vmbench runs 16), only re-enters; the probe's own
		 * looks at the halt.
		 */
		if (r != -EINTR || k->run.immediate_exit)
			return r;
		if (!k->probe_fired)
			continue;
		if (halted_for_good(k, &regs)) {
			clear_exit(&k->run);
			report_hlt(k, &regs);
			copy_irq_state(k);
			k->halt_reported = true;
			return 0;
		}
	}
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

/* ---- interrupts (split irqchip) ---------------------------------------- */

/*
 * ExtINT from the loader's 8259A (api.rst, 4.16 KVM_INTERRUPT: with the
 * split irqchip it queues the vector for the local APIC's LINT0).  KVM
 * says EEXIST when one is still queued; vmxlab's uapi says EBUSY.
 */
static int kvm_interrupt_(struct backend *be, uint8_t vector)
{
	struct kvm_interrupt irq = { .irq = vector };

	if (ioctl(priv(be)->vcpu_fd, KVM_INTERRUPT, &irq) == 0)
		return 0;
	return errno == EEXIST ? -EBUSY : -errno;
}

/*
 * KVM reports the EOI of a level-triggered interrupt (KVM_EXIT_IOAPIC_EOI)
 * only for the vectors that an MSI route reserved for the IOAPIC pins
 * names: "Whenever the LAPIC receives an EOI for these routes, a
 * KVM_EXIT_IOAPIC_EOI vmexit will be reported" (api.rst, 7.5
 * KVM_CAP_SPLIT_IRQCHIP); KVM_SIGNAL_MSI alone leaves no trace.  vmxlab
 * needs none (its APIC remembers the trigger mode in TMR).  The loader's
 * IOAPIC does not say which pin a message is for, so each distinct
 * level-triggered message gets a route of its own, GSI 0-23 in turn,
 * before it is sent (4.52 KVM_SET_GSI_ROUTING, which replaces the whole
 * table).  The routes only tell KVM which vectors to watch: nothing is
 * ever delivered through them.  Edge-triggered messages need no EOI.
 * 0 or -errno.
 */
static int note_level_msi(struct kvm_be *k, uint32_t address_lo,
			  uint32_t data)
{
	struct {
		struct kvm_irq_routing table;
		struct kvm_irq_routing_entry e[KVM_IOAPIC_ROUTES];
	} rt;
	uint32_t key = data & ~MSI_DATA_LEVEL_ASSERT;
	unsigned i, slot;
	int r = 0;

	pthread_mutex_lock(&k->routes_lock);
	for (i = 0; i < k->nroutes; i++)
		if (k->routes[i].address_lo == address_lo &&
		    k->routes[i].data == key)
			goto out;
	if (k->nroutes < KVM_IOAPIC_ROUTES) {
		slot = k->nroutes++;
	} else {
		/* 24 pins, 24 routes: the oldest is one no pin still uses. */
		slot = k->next_route;
		k->next_route = (slot + 1) % KVM_IOAPIC_ROUTES;
	}
	k->routes[slot].address_lo = address_lo;
	k->routes[slot].data = key;

	memset(&rt, 0, sizeof(rt));
	rt.table.nr = k->nroutes;
	for (i = 0; i < k->nroutes; i++) {
		rt.e[i].gsi = i;
		rt.e[i].type = KVM_IRQ_ROUTING_MSI;
		rt.e[i].u.msi.address_lo = k->routes[i].address_lo;
		rt.e[i].u.msi.data = k->routes[i].data;
	}
	if (ioctl(k->vm_fd, KVM_SET_GSI_ROUTING, &rt.table) < 0)
		r = -errno;
out:
	pthread_mutex_unlock(&k->routes_lock);
	return r;
}

/*
 * An interrupt message from the loader's IOAPIC (api.rst, 4.71
 * KVM_SIGNAL_MSI).  Returns the number of local APICs that took it, as
 * VMXLAB_SIGNAL_MSI does.  KVM returns -1 (so errno EPERM) when no APIC
 * matched the destination, where vmxlab returns 0: translated.  A VM
 * ioctl, so any thread may call it while the vCPU runs.
 */
static int kvm_signal_msi(struct backend *be, uint64_t addr, uint32_t data)
{
	struct kvm_be *k = priv(be);
	struct kvm_msi msi = {
		.address_lo = (uint32_t)addr, .address_hi = addr >> 32,
		.data = data,
	};
	int r;

	if (data & MSI_DATA_TRIGGER_LEVEL) {
		r = note_level_msi(k, msi.address_lo, data);
		if (r)
			return r;
	}
	r = ioctl(k->vm_fd, KVM_SIGNAL_MSI, &msi);
	if (r < 0)
		return errno == EPERM ? 0 : -errno;
	return r;
}

/*
 * The APIC's register page (api.rst, 4.57 KVM_GET_LAPIC), which has
 * vmxlab's layout.  A vCPU ioctl: KVM serves it once KVM_RUN returns.
 */
_Static_assert(sizeof(struct kvm_lapic_state) ==
	       sizeof(struct vmxlab_lapic_state), "APIC page sizes differ");

static int kvm_get_lapic(struct backend *be, struct vmxlab_lapic_state *s)
{
	struct kvm_lapic_state l;

	if (ioctl(priv(be)->vcpu_fd, KVM_GET_LAPIC, &l) < 0)
		return -errno;
	memcpy(s->regs, l.regs, sizeof(s->regs));
	return 0;
}

static void kvm_destroy(struct backend *be)
{
	struct kvm_be *k = priv(be);

	if (!k)
		return;
	/* Deleting the timer also discards a signal it has queued. */
	if (k->probe_armed)
		timer_delete(k->probe);
	if (k->krun)
		munmap(k->krun, k->krun_size);
	if (k->vcpu_fd >= 0)
		close(k->vcpu_fd);
	if (k->vm_fd >= 0)
		close(k->vm_fd);
	if (k->sys_fd >= 0)
		close(k->sys_fd);
	pthread_mutex_destroy(&k->routes_lock);
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
	.interrupt = kvm_interrupt_,
	.signal_msi = kvm_signal_msi,
	.get_lapic = kvm_get_lapic,
};
