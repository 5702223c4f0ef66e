// SPDX-License-Identifier: GPL-2.0
/*
 * vmxlab_test.c - see vmxlab_test.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vmxlab_test.h"

int tvm_create(struct tvm *t, size_t mem_size)
{
	struct vmxlab_memory_region mr = { 0 };
	int r;

	memset(t, 0, sizeof(*t));
	t->sys = t->vm = t->vcpu = -1;
	t->sys = open("/dev/vmxlab", O_RDWR | O_CLOEXEC);
	if (t->sys < 0)
		return -errno;
	t->vm = ioctl(t->sys, VMXLAB_CREATE_VM, 0);
	if (t->vm < 0)
		goto fail;
	t->mem_size = mem_size;
	t->mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t->mem == MAP_FAILED) {
		t->mem = NULL;
		goto fail;
	}
	mr.slot = 0;
	mr.guest_phys_addr = 0;
	mr.memory_size = mem_size;
	mr.userspace_addr = (uintptr_t)t->mem;
	if (ioctl(t->vm, VMXLAB_SET_MEMORY_REGION, &mr))
		goto fail;
	t->vcpu = ioctl(t->vm, VMXLAB_CREATE_VCPU, 0);
	if (t->vcpu < 0)
		goto fail;
	t->run = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED,
		      t->vcpu, 0);
	if (t->run == MAP_FAILED) {
		t->run = NULL;
		goto fail;
	}
	return 0;
fail:
	r = -errno;
	tvm_destroy(t);
	return r;
}

void tvm_destroy(struct tvm *t)
{
	if (t->run)
		munmap(t->run, 4096);
	if (t->vcpu >= 0)
		close(t->vcpu);
	if (t->vm >= 0)
		close(t->vm);
	if (t->sys >= 0)
		close(t->sys);
	if (t->mem)
		munmap(t->mem, t->mem_size);
	memset(t, 0, sizeof(*t));
	t->sys = t->vm = t->vcpu = -1;
}

void tvm_load_code(struct tvm *t, uint64_t gpa, const void *code, size_t len)
{
	memcpy(t->mem + gpa, code, len);
}

static int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

int tvm_get_regs(struct tvm *t, struct vmxlab_regs *r)
{
	return xioctl(t->vcpu, VMXLAB_GET_REGS, r);
}

int tvm_set_regs(struct tvm *t, const struct vmxlab_regs *r)
{
	return xioctl(t->vcpu, VMXLAB_SET_REGS, (void *)r);
}

int tvm_get_sregs(struct tvm *t, struct vmxlab_sregs *s)
{
	return xioctl(t->vcpu, VMXLAB_GET_SREGS, s);
}

int tvm_set_sregs(struct tvm *t, const struct vmxlab_sregs *s)
{
	return xioctl(t->vcpu, VMXLAB_SET_SREGS, (void *)s);
}

int tvm_get_vmcs(struct tvm *t, uint32_t encoding, uint64_t *value)
{
	struct vmxlab_vmcs_field f = { .encoding = encoding };
	int r = xioctl(t->vcpu, VMXLAB_GET_VMCS_FIELD, &f);

	if (!r)
		*value = f.value;
	return r;
}

int tvm_set_vmcs(struct tvm *t, uint32_t encoding, uint64_t value)
{
	struct vmxlab_vmcs_field f = { .encoding = encoding, .value = value };

	return xioctl(t->vcpu, VMXLAB_SET_VMCS_FIELD, &f);
}

static int set_entry(struct tvm *t, uint64_t rip, uint64_t rsp)
{
	struct vmxlab_regs r = { 0 };

	r.rip = rip;
	r.rsp = rsp;
	r.rflags = 2;
	return tvm_set_regs(t, &r);
}

int tvm_set_real(struct tvm *t, uint64_t rip)
{
	struct vmxlab_sregs s;
	int r = tvm_get_sregs(t, &s);

	if (r)
		return r;
	s.cs.selector = 0;
	s.cs.base = 0;
	r = tvm_set_sregs(t, &s);
	return r ? r : set_entry(t, rip, GUEST_STACK);
}

static void seg(struct vmxlab_segment *s, uint16_t sel, uint32_t ar)
{
	memset(s, 0, sizeof(*s));
	s->selector = sel;
	s->base = 0;
	s->limit = 0xffffffff;
	s->ar = ar;
}

/* A flat GDT in guest memory, so guest code may reload segments. */
static void write_gdt(struct tvm *t)
{
	uint64_t *gdt = (uint64_t *)(t->mem + GUEST_GDT);

	gdt[0] = 0;
	gdt[1] = 0x00cf9b000000ffffULL;	/* 32-bit code, 4 GiB */
	gdt[2] = 0x00cf93000000ffffULL;	/* data, 4 GiB */
	gdt[3] = 0x00af9b000000ffffULL;	/* 64-bit code */
	gdt[4] = 0x00008b0000000067ULL;	/* 32-bit busy TSS at 0 */
	gdt[5] = 0;
}

static void prot_sregs(struct tvm *t, struct vmxlab_sregs *s)
{
	write_gdt(t);
	seg(&s->cs, SEL_CODE32, 0xc09b);
	seg(&s->ds, SEL_DATA, 0xc093);
	s->es = s->fs = s->gs = s->ss = s->ds;
	memset(&s->tr, 0, sizeof(s->tr));
	s->tr.selector = SEL_TSS;
	s->tr.limit = 0x67;
	s->tr.ar = 0x8b;
	memset(&s->ldt, 0, sizeof(s->ldt));
	s->ldt.ar = VMXLAB_AR_UNUSABLE;
	s->gdt.base = GUEST_GDT;
	s->gdt.limit = 6 * 8 - 1;
	s->idt.base = GUEST_IDT;
	s->idt.limit = 0;
	s->cr0 = 0x11;	/* PE | ET */
	s->cr4 = 0;
	s->efer = 0;
}

int tvm_set_prot(struct tvm *t, uint64_t rip)
{
	struct vmxlab_sregs s;
	int r = tvm_get_sregs(t, &s);

	if (r)
		return r;
	prot_sregs(t, &s);
	r = tvm_set_sregs(t, &s);
	return r ? r : set_entry(t, rip, GUEST_STACK);
}

int tvm_set_long(struct tvm *t, uint64_t rip)
{
	uint64_t *pml4 = (uint64_t *)(t->mem + GUEST_PML4);
	uint64_t *pdpt = pml4 + 512, *pd = pml4 + 1024;
	struct vmxlab_sregs s;
	int i, r = tvm_get_sregs(t, &s);

	if (r)
		return r;
	/* Identity-map the first 4 GiB with 2 MiB pages: 4 PDs in a row. */
	memset(pml4, 0, 6 * 4096);
	pml4[0] = (GUEST_PML4 + 0x1000) | 3;
	for (i = 0; i < 4; i++)
		pdpt[i] = (GUEST_PML4 + 0x2000 + i * 0x1000) | 3;
	for (i = 0; i < 4 * 512; i++)
		pd[i] = ((uint64_t)i << 21) | 0x83;
	prot_sregs(t, &s);
	seg(&s.cs, SEL_CODE64, 0xa09b);
	s.cs.limit = 0xffffffff;
	s.cr3 = GUEST_PML4;
	s.cr4 = 0x20;			/* PAE */
	s.cr0 = 0x80010011;		/* PG | WP | ET | PE */
	s.efer = 0x500;			/* LMA | LME */
	r = tvm_set_sregs(t, &s);
	return r ? r : set_entry(t, rip, GUEST_STACK);
}

int tvm_run(struct tvm *t)
{
	return ioctl(t->vcpu, VMXLAB_RUN, 0) ? -errno : 0;
}

int tvm_run_to_exit(struct tvm *t)
{
	int r;

	for (;;) {
		r = tvm_run(t);
		if (r)
			return r;
		if (t->run->exit_reason == VMXLAB_EXIT_IO &&
		    t->run->io.port == 0xe9 &&
		    t->run->io.direction == VMXLAB_IO_OUT) {
			putchar((int)t->run->io.data);
			continue;
		}
		return 0;
	}
}

const char *tvm_exit_name(uint32_t e)
{
	static const char *const names[] = {
		"NONE", "IO", "MMIO", "HLT", "HYPERCALL", "TRIPLE_FAULT",
		"FAIL_ENTRY", "INTERNAL_ERROR", "MSR", "INTR",
	};

	return e < sizeof(names) / sizeof(names[0]) ? names[e] : "?";
}

void tvm_dump_exit(struct tvm *t)
{
	struct vmxlab_run *run = t->run;

	fprintf(stderr, "# exit %s hw_reason %#x qual %#llx rip %#llx\n",
		tvm_exit_name(run->exit_reason), run->hw_exit_reason,
		(unsigned long long)run->exit_qualification,
		(unsigned long long)run->guest_rip);
	if (run->exit_reason == VMXLAB_EXIT_INTERNAL_ERROR)
		fprintf(stderr, "# internal error %u: %s\n",
			run->internal.suberror, run->internal.msg);
	if (run->exit_reason == VMXLAB_EXIT_FAIL_ENTRY)
		fprintf(stderr, "# entry failure reason %#llx vm-instruction error %u\n",
			(unsigned long long)run->fail_entry.hardware_entry_failure_reason,
			run->fail_entry.vm_instruction_error);
}
