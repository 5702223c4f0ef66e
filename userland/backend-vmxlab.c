// SPDX-License-Identifier: GPL-2.0
/* backend-vmxlab.c - the backend on /dev/vmxlab, the project's module. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "backend.h"
#include "util.h"

struct vmxlab_be {
	int sys_fd, vm_fd, vcpu_fd;
	struct vmxlab_run *run;
	size_t run_size;
	struct vmxlab_ring *ring;
	size_t ring_size;
};

static struct vmxlab_be *priv(struct backend *be)
{
	return be->priv;
}

static int open_device(const char *dev)
{
	int fd = open(dev, O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	if (errno == ENOENT)
		error("%s not found: the vmxlab module is not loaded; load it "
		      "with: sudo insmod kmod/vmxlab.ko", dev);
	else if (errno == EACCES || errno == EPERM)
		error("permission denied opening %s: run as root or get "
		      "read-write access to it", dev);
	else if (errno == ENODEV || errno == ENXIO)
		error("%s exists but no driver answers it: is the vmxlab "
		      "module loaded?", dev);
	else
		error("cannot open %s: %s", dev, strerror(errno));
	return -1;
}

static int vx_create_vm(struct backend *be)
{
	struct vmxlab_be *v = calloc(1, sizeof(*v));
	int ver;

	if (!v) {
		error("out of memory");
		return -1;
	}
	v->sys_fd = v->vm_fd = v->vcpu_fd = -1;
	be->priv = v;
	v->sys_fd = open_device(be->device);
	if (v->sys_fd < 0)
		return -1;
	ver = ioctl(v->sys_fd, VMXLAB_GET_API_VERSION, 0);
	if (ver < 0) {
		error("%s does not answer vmxlab's ioctls (%s); is it the "
		      "vmxlab device?", be->device, strerror(errno));
		return -1;
	}
	if (ver != VMXLAB_API_VERSION) {
		error("%s speaks API version %d but this loader needs version "
		      "%d; rebuild the loader and the module together",
		      be->device, ver, VMXLAB_API_VERSION);
		return -1;
	}
	v->vm_fd = ioctl(v->sys_fd, VMXLAB_CREATE_VM, 0);
	if (v->vm_fd < 0) {
		error("cannot create a VM: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static bool vx_has_cap(struct backend *be, unsigned cap)
{
	return ioctl(priv(be)->sys_fd, VMXLAB_CHECK_CAP, cap) > 0;
}

static int vx_set_memory(struct backend *be, uint32_t slot, uint64_t gpa,
			 uint64_t size, void *hva)
{
	struct vmxlab_memory_region r = {
		.slot = slot, .guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = (uintptr_t)hva,
	};

	if (ioctl(priv(be)->vm_fd, VMXLAB_SET_MEMORY_REGION, &r) < 0) {
		error("cannot give the VM %llu MiB of memory: %s",
		      (unsigned long long)(size >> 20), strerror(errno));
		return -1;
	}
	return 0;
}

static int vx_create_vcpu(struct backend *be, unsigned id)
{
	struct vmxlab_be *v = priv(be);
	int size;

	v->vcpu_fd = ioctl(v->vm_fd, VMXLAB_CREATE_VCPU, id);
	if (v->vcpu_fd < 0) {
		error("cannot create vCPU %u: %s", id, strerror(errno));
		return -1;
	}
	size = ioctl(v->sys_fd, VMXLAB_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct vmxlab_run)) {
		error("the module reports a run structure of %d bytes, "
		      "smaller than this loader's %zu", size,
		      sizeof(struct vmxlab_run));
		return -1;
	}
	v->run_size = size;
	v->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      v->vcpu_fd, 0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		error("cannot map the vCPU run structure: %s",
		      strerror(errno));
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

static int vx_get_regs(struct backend *be, struct vmxlab_regs *regs)
{
	return vcpu_ioctl(be, VMXLAB_GET_REGS, regs, "read the registers");
}

static int vx_set_regs(struct backend *be, const struct vmxlab_regs *regs)
{
	return vcpu_ioctl(be, VMXLAB_SET_REGS, (void *)regs,
			  "set the registers");
}

static int vx_get_sregs(struct backend *be, struct vmxlab_sregs *sregs)
{
	return vcpu_ioctl(be, VMXLAB_GET_SREGS, sregs,
			  "read the system registers");
}

static int vx_set_sregs(struct backend *be,
			const struct vmxlab_sregs *sregs)
{
	return vcpu_ioctl(be, VMXLAB_SET_SREGS, (void *)sregs,
			  "set the system registers");
}

static int vx_run(struct backend *be)
{
	if (ioctl(priv(be)->vcpu_fd, VMXLAB_RUN, 0) < 0)
		return -errno;
	return 0;
}

static struct vmxlab_run *vx_run_struct(struct backend *be)
{
	return priv(be)->run;
}

static void vx_kick(struct backend *be)
{
	struct vmxlab_be *v = priv(be);

	if (v && v->run)
		v->run->immediate_exit = 1;
}

/* The debugging ioctls: -errno, for the callers to interpret. */
static int vx_ioctl(struct backend *be, unsigned long req, void *arg)
{
	return ioctl(priv(be)->vcpu_fd, req, arg) < 0 ? -errno : 0;
}

static int vx_set_debug(struct backend *be, const struct vmxlab_debug *dbg)
{
	return vx_ioctl(be, VMXLAB_SET_DEBUG, (void *)dbg);
}

static int vx_get_vmcs(struct backend *be, uint32_t encoding,
		       uint64_t *value)
{
	struct vmxlab_vmcs_field f = { .encoding = encoding };
	int ret = vx_ioctl(be, VMXLAB_GET_VMCS_FIELD, &f);

	if (!ret)
		*value = f.value;
	return ret;
}

static int vx_set_vmcs(struct backend *be, uint32_t encoding,
		       uint64_t value)
{
	struct vmxlab_vmcs_field f = { .encoding = encoding, .value = value };

	return vx_ioctl(be, VMXLAB_SET_VMCS_FIELD, &f);
}

static int vx_translate(struct backend *be, struct vmxlab_translation *t)
{
	return vx_ioctl(be, VMXLAB_TRANSLATE, t);
}

static int vx_check_entry(struct backend *be,
			  struct vmxlab_check_failure *out, uint32_t max,
			  uint32_t *nfailed)
{
	struct vmxlab_entry_check c = {
		.nmax = max, .failures = (uintptr_t)out,
	};
	int ret = vx_ioctl(be, VMXLAB_CHECK_ENTRY, &c);

	if (!ret)
		*nfailed = c.nfailed;
	return ret;
}

static int vx_set_ring(struct backend *be, uint32_t nrecords, uint32_t flags,
		       struct vmxlab_ring **ring)
{
	struct vmxlab_ring_config cfg = { .nrecords = nrecords,
					  .flags = flags };
	struct vmxlab_be *v = priv(be);
	size_t size = backend_ring_bytes(nrecords);
	void *p;
	int ret;

	ret = vx_ioctl(be, VMXLAB_SET_RING, &cfg);
	if (ret)
		return ret;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu_fd,
		 VMXLAB_RING_OFFSET);
	if (p == MAP_FAILED)
		return -errno;
	if (v->ring)
		munmap(v->ring, v->ring_size);
	v->ring = p;
	v->ring_size = size;
	*ring = p;
	return 0;
}

/* Split irqchip: ExtINT from the loader's PIC, messages from its IOAPIC. */
static int vx_interrupt(struct backend *be, uint8_t vector)
{
	struct vmxlab_interrupt irq = { .irq = vector };

	return vx_ioctl(be, VMXLAB_INTERRUPT, &irq);
}

static int vx_signal_msi(struct backend *be, uint64_t addr, uint32_t data)
{
	struct vmxlab_msi msi = {
		.address_lo = (uint32_t)addr, .address_hi = addr >> 32,
		.data = data,
	};
	int r = ioctl(priv(be)->vm_fd, VMXLAB_SIGNAL_MSI, &msi);

	return r < 0 ? -errno : r;
}

static int vx_get_lapic(struct backend *be, struct vmxlab_lapic_state *s)
{
	return vx_ioctl(be, VMXLAB_GET_LAPIC, s);
}

static void vx_destroy(struct backend *be)
{
	struct vmxlab_be *v = priv(be);

	if (!v)
		return;
	if (v->ring)
		munmap(v->ring, v->ring_size);
	if (v->run)
		munmap(v->run, v->run_size);
	if (v->vcpu_fd >= 0)
		close(v->vcpu_fd);
	if (v->vm_fd >= 0)
		close(v->vm_fd);
	if (v->sys_fd >= 0)
		close(v->sys_fd);
	free(v);
	be->priv = NULL;
}

const struct backend_ops backend_vmxlab_ops = {
	.name = "vmxlab",
	.create_vm = vx_create_vm,
	.has_cap = vx_has_cap,
	.set_memory = vx_set_memory,
	.create_vcpu = vx_create_vcpu,
	.get_regs = vx_get_regs,
	.set_regs = vx_set_regs,
	.get_sregs = vx_get_sregs,
	.set_sregs = vx_set_sregs,
	.run = vx_run,
	.run_struct = vx_run_struct,
	.kick = vx_kick,
	.destroy = vx_destroy,
	.set_debug = vx_set_debug,
	.get_vmcs = vx_get_vmcs,
	.set_vmcs = vx_set_vmcs,
	.translate = vx_translate,
	.set_ring = vx_set_ring,
	.check_entry = vx_check_entry,
	.interrupt = vx_interrupt,
	.signal_msi = vx_signal_msi,
	.get_lapic = vx_get_lapic,
};
