/* SPDX-License-Identifier: GPL-2.0 */
/*
 * backend.h - what the loader needs from a hypervisor.
 *
 * vmxlab's own uapi structures are the common language: a backend for
 * another hypervisor (backend-kvm.c) translates to and from them, so the
 * run loop, the devices and the trace never know which one runs the guest.
 * Every operation returns 0 or -1 after printing one sentence, except
 * run(), which returns 0 or -errno so that the caller can tell a signal
 * (-EINTR) from a failure, and the debugging operations at the end of
 * struct backend_ops, which print nothing and return 0 or -errno: their
 * callers treat some errors as answers (ENOENT: the processor lacks the
 * field; ENOTTY: an older module without the exit ring).  A backend
 * without them returns -EOPNOTSUPP; backend_strerror() turns that into
 * "not supported by the kvm backend".
 */
#ifndef VMXLAB_BACKEND_H
#define VMXLAB_BACKEND_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/vmxlab.h>

struct backend;

struct backend_ops {
	const char *name;
	/* Opens the device and creates a VM. */
	int (*create_vm)(struct backend *be);
	/* True when capability @cap (VMXLAB_CAP_*) is present. */
	bool (*has_cap)(struct backend *be, unsigned cap);
	int (*set_memory)(struct backend *be, uint32_t slot, uint64_t gpa,
			  uint64_t size, void *hva);
	int (*create_vcpu)(struct backend *be, unsigned id);
	int (*get_regs)(struct backend *be, struct vmxlab_regs *regs);
	int (*set_regs)(struct backend *be, const struct vmxlab_regs *regs);
	int (*get_sregs)(struct backend *be, struct vmxlab_sregs *sregs);
	int (*set_sregs)(struct backend *be,
			 const struct vmxlab_sregs *sregs);
	/* Runs until the next exit userspace must handle. */
	int (*run)(struct backend *be);
	/* The run structure of the vCPU: why run() returned. */
	struct vmxlab_run *(*run_struct)(struct backend *be);
	/*
	 * Makes the current or the next run() return -EINTR soon.  Called
	 * from signal handlers, so it only stores to memory.
	 */
	void (*kick)(struct backend *be);
	void (*destroy)(struct backend *be);

	/*
	 * Interrupts, split irqchip (userland/irq.h): the local APIC is the
	 * hypervisor's, the PIC and IOAPIC the loader's.  Both return 0 or
	 * -errno and print nothing; they may be called from another thread
	 * than the one in run().  interrupt() queues ExtINT vector @vector
	 * (only when run->ready_for_interrupt_injection); signal_msi()
	 * sends an interrupt message (irq.h's MSI format) and returns the
	 * number of APICs that took it.
	 */
	int (*interrupt)(struct backend *be, uint8_t vector);
	int (*signal_msi)(struct backend *be, uint64_t addr, uint32_t data);
	/* The local APIC's register page (struct vmxlab_lapic_state). */
	int (*get_lapic)(struct backend *be, struct vmxlab_lapic_state *s);

	/* Debugging (vmxlab only); 0 or -errno, nothing printed. */
	int (*set_debug)(struct backend *be, const struct vmxlab_debug *dbg);
	int (*get_vmcs)(struct backend *be, uint32_t encoding,
			uint64_t *value);
	int (*set_vmcs)(struct backend *be, uint32_t encoding,
			uint64_t value);
	int (*translate)(struct backend *be, struct vmxlab_translation *t);
	/*
	 * Sizes the exit ring (VMXLAB_SET_RING) and maps it; *@ring stays
	 * valid until destroy().  @nrecords is a power of two.
	 */
	int (*set_ring)(struct backend *be, uint32_t nrecords, uint32_t flags,
			struct vmxlab_ring **ring);
	/*
	 * Runs the module's VM-entry checker (VMXLAB_CHECK_ENTRY): up to
	 * @max failing rules in @out, their total in *@nfailed.
	 */
	int (*check_entry)(struct backend *be, struct vmxlab_check_failure *out,
			   uint32_t max, uint32_t *nfailed);
};

struct backend {
	const struct backend_ops *ops;
	const char *device;	/* path of the device node */
	void *priv;
};

extern const struct backend_ops backend_vmxlab_ops;
extern const struct backend_ops backend_kvm_ops;

/* "vmxlab" or "kvm"; NULL for an unknown name. */
const struct backend_ops *backend_find(const char *name);

/*
 * The text for -@err from a debugging operation: "not supported by the kvm
 * backend" for -EOPNOTSUPP (or a missing operation), else strerror().
 */
const char *backend_strerror(const struct backend *be, int err);

/*
 * The debugging operations through these, so that a backend that leaves
 * one NULL (a test's fake) behaves like one that refuses it.
 */
static inline int be_set_debug(struct backend *be,
			       const struct vmxlab_debug *dbg)
{
	return be->ops->set_debug ? be->ops->set_debug(be, dbg) :
				    -EOPNOTSUPP;
}

static inline int be_get_vmcs(struct backend *be, uint32_t enc,
			      uint64_t *value)
{
	return be->ops->get_vmcs ? be->ops->get_vmcs(be, enc, value) :
				   -EOPNOTSUPP;
}

static inline int be_set_vmcs(struct backend *be, uint32_t enc,
			      uint64_t value)
{
	return be->ops->set_vmcs ? be->ops->set_vmcs(be, enc, value) :
				   -EOPNOTSUPP;
}

static inline int be_translate(struct backend *be,
			       struct vmxlab_translation *t)
{
	return be->ops->translate ? be->ops->translate(be, t) : -EOPNOTSUPP;
}

static inline int be_set_ring(struct backend *be, uint32_t nrecords,
			      uint32_t flags, struct vmxlab_ring **ring)
{
	return be->ops->set_ring ?
	       be->ops->set_ring(be, nrecords, flags, ring) : -EOPNOTSUPP;
}

/* Bytes to map for a ring of @nrecords records. */
size_t backend_ring_bytes(uint32_t nrecords);

#endif /* VMXLAB_BACKEND_H */
