// SPDX-License-Identifier: GPL-2.0
/*
 * vmbench - the host-side measurements of `make bench`, on either backend
 * (Documentation/benchmarks.rst).  It drives the hypervisor through the
 * loader's own backends (userland/backend-*.c, compiled in), so vmxlab
 * and KVM are reached by the same code the loader uses.
 *
 *   vmbench BACKEND lifecycle [REPS]   host TSC from before the VM is
 *                                      created to after it is destroyed,
 *                                      the guest run to its first exit
 *   vmbench BACKEND map [REPS]         host TSC around giving a VM 64 MiB
 *   vmbench BACKEND mem [VMS]          kernel memory of one idle VM
 *   vmbench BACKEND hlt IMAGE          runs a flat real-mode image whose
 *                                      HLTs are resumed (bench-hlt.bin)
 *   vmbench - time LABEL CMD [ARGS]    host TSC around running CMD
 *
 * In Bochs the TSC counts emulated instructions, so every number is an
 * instruction count.  Results are lines "bench: NAME VALUE" on stdout;
 * the fastest of REPS runs is reported (the host's timer tick lands in
 * some of them).
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <x86intrin.h>

#include "backend.h"
#include "util.h"

#define GUEST_RAM	(1ULL << 20)
#define MAP_SIZE	(64ULL << 20)
#define ENTRY		0x1000
#define MAX_VMS		64
#define RING_RECORDS	1024	/* the loader's default (userland/ring.h) */

static const char *backend_name;
static const struct backend_ops *ops;

static void die(const char *what)
{
	fprintf(stderr, "vmbench: %s failed\n", what);
	exit(1);
}

static void *guest_ram(uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	/* Fault every page in now: only the hypervisor's work is timed. */
	memset(p, 0, size);
	return p;
}

/* Real mode at 0:ENTRY, the state userland/bootstate.c gives flat images. */
static void real_mode(struct vmxlab_regs *regs, struct vmxlab_sregs *sregs)
{
	struct vmxlab_segment code = { .limit = 0xffff, .ar = 0x009b };
	struct vmxlab_segment data = { .limit = 0xffff, .ar = 0x0093 };

	memset(regs, 0, sizeof(*regs));
	memset(sregs, 0, sizeof(*sregs));
	regs->rip = ENTRY;
	regs->rsp = ENTRY;
	regs->rflags = 0x2;
	sregs->cs = code;
	sregs->ds = sregs->es = sregs->fs = sregs->gs = sregs->ss = data;
	sregs->tr = (struct vmxlab_segment){ .limit = 0xffff, .ar = 0x008b };
	sregs->ldt = (struct vmxlab_segment){ .ar = VMXLAB_AR_UNUSABLE };
	sregs->gdt.limit = 0xffff;
	sregs->idt.limit = 0x3ff;
	sregs->cr0 = (1U << 4) | (1U << 5);	/* ET, NE */
	sregs->apic_base = 0xfee00900;
}

/* A VM with @ram at 0, one vCPU in real mode at ENTRY. */
static void vm_setup(struct backend *be, void *ram)
{
	struct vmxlab_regs regs;
	struct vmxlab_sregs sregs;

	be->ops = ops;
	be->device = strcmp(backend_name, "kvm") ? "/dev/vmxlab" : "/dev/kvm";
	be->priv = NULL;
	if (ops->create_vm(be) || ops->set_memory(be, 0, 0, GUEST_RAM, ram) ||
	    ops->create_vcpu(be, 0))
		die("creating the VM");
	real_mode(&regs, &sregs);
	if (ops->set_sregs(be, &sregs) || ops->set_regs(be, &regs))
		die("setting the registers");
}

/* Runs to the first exit, which must be the HLT at ENTRY. */
static void first_exit(struct backend *be)
{
	if (ops->run(be) || ops->run_struct(be)->exit_reason != VMXLAB_EXIT_HLT)
		die("running to the first exit (HLT)");
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *name, uint64_t *t, unsigned n)
{
	qsort(t, n, sizeof(*t), cmp_u64);
	printf("bench: %s %" PRIu64 "\n", name, t[0]);
	fprintf(stderr, "vmbench: %s %s: min %" PRIu64 " median %" PRIu64
		" max %" PRIu64 " of %u\n", backend_name, name, t[0],
		t[n / 2], t[n - 1], n);
}

static int lifecycle(unsigned reps)
{
	uint8_t *ram = guest_ram(GUEST_RAM);
	uint64_t t[64];
	unsigned i;

	ram[ENTRY] = 0xf4;	/* hlt */
	for (i = 0; i <= reps; i++) {
		struct backend be;
		uint64_t t0 = __rdtsc();

		vm_setup(&be, ram);
		first_exit(&be);
		ops->destroy(&be);
		if (i)		/* the first one warms up */
			t[i - 1] = __rdtsc() - t0;
	}
	report("create-destroy", t, reps);
	return 0;
}

static int map(unsigned reps)
{
	uint8_t *ram = guest_ram(GUEST_RAM);
	void *big = guest_ram(MAP_SIZE);
	uint64_t t[64];
	unsigned i;

	for (i = 0; i <= reps; i++) {
		struct backend be;
		uint64_t t0;

		vm_setup(&be, ram);
		t0 = __rdtsc();
		if (ops->set_memory(&be, 1, 1ULL << 32, MAP_SIZE, big))
			die("mapping 64 MiB");
		if (i)
			t[i - 1] = __rdtsc() - t0;
		ops->destroy(&be);
	}
	report("map-64m", t, reps);
	return 0;
}

/* Slab + KernelStack + PageTables + SecPageTables, and MemFree (KiB). */
struct meminfo {
	long long free, slab, stack, pt, secpt, vmalloc;
};

static void read_meminfo(struct meminfo *m)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char key[64];
	long long v;

	if (!f)
		die("reading /proc/meminfo");
	memset(m, 0, sizeof(*m));
	while (fscanf(f, "%63s %lld kB\n", key, &v) == 2) {
		if (!strcmp(key, "MemFree:"))
			m->free = v;
		else if (!strcmp(key, "Slab:"))
			m->slab = v;
		else if (!strcmp(key, "KernelStack:"))
			m->stack = v;
		else if (!strcmp(key, "PageTables:"))
			m->pt = v;
		else if (!strcmp(key, "SecPageTables:"))
			m->secpt = v;
		else if (!strcmp(key, "VmallocUsed:"))
			m->vmalloc = v;
	}
	fclose(f);
}

static long long accounted(const struct meminfo *m)
{
	return m->slab + m->stack + m->pt + m->secpt;
}

/*
 * @vms idle VMs (1 vCPU, 1 MiB, run to their first exit) at once, so
 * that the per-CPU page lists' batching averages out.  The guest RAM is
 * faulted in before the first reading: what is left is the kernel's.
 */
static int mem(unsigned vms)
{
	static struct backend be[MAX_VMS];
	struct meminfo a, b, c;
	uint8_t *ram[MAX_VMS];
	struct vmxlab_ring *ring;
	unsigned i;

	for (i = 0; i < vms; i++) {
		ram[i] = guest_ram(GUEST_RAM);
		ram[i][ENTRY] = 0xf4;
	}
	/* One VM first, created and destroyed: module-wide state settles. */
	vm_setup(&be[0], ram[0]);
	first_exit(&be[0]);
	ops->destroy(&be[0]);
	sync();
	read_meminfo(&a);
	for (i = 0; i < vms; i++) {
		vm_setup(&be[i], ram[i]);
		first_exit(&be[i]);
	}
	read_meminfo(&b);
	printf("bench: mem-kib %lld\n", (a.free - b.free) / vms);
	printf("bench: mem-slab-kib %lld\n", (accounted(&b) - accounted(&a)) /
	       vms);
	fprintf(stderr, "vmbench: %s mem for %u VMs: MemFree -%lld, Slab +%lld, "
		"KernelStack +%lld, PageTables +%lld, SecPageTables +%lld, "
		"VmallocUsed +%lld kB\n", backend_name, vms, a.free - b.free,
		b.slab - a.slab, b.stack - a.stack, b.pt - a.pt,
		b.secpt - a.secpt, b.vmalloc - a.vmalloc);
	/* vmxlab's exit ring, as the loader sizes it for --trace. */
	if (be_set_ring(&be[0], RING_RECORDS, 0, &ring) == 0) {
		for (i = 1; i < vms; i++)
			if (be_set_ring(&be[i], RING_RECORDS, 0, &ring))
				die("VMXLAB_SET_RING");
		read_meminfo(&c);
		printf("bench: ring-kib %lld\n", (b.free - c.free) / vms);
		fprintf(stderr, "vmbench: ring of %u records: %zu bytes; "
			"VmallocUsed +%lld kB for %u\n", RING_RECORDS,
			backend_ring_bytes(RING_RECORDS),
			c.vmalloc - b.vmalloc, vms);
	}
	for (i = 0; i < vms; i++)
		ops->destroy(&be[i]);
	return 0;
}

/* The bench-hlt.bin loop: COM1 to stdout, HLT resumed, 0xf4 ends it. */
static int hlt(const char *image)
{
	uint8_t *ram = guest_ram(GUEST_RAM);
	struct backend be;
	struct vmxlab_run *run;
	int fd = open(image, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		die(image);
	n = read(fd, ram + ENTRY, GUEST_RAM - ENTRY);
	if (n <= 0)
		die(image);
	close(fd);
	vm_setup(&be, ram);
	run = ops->run_struct(&be);
	for (;;) {
		if (ops->run(&be))
			die("VMXLAB_RUN");
		switch (run->exit_reason) {
		case VMXLAB_EXIT_HLT:
			continue;
		case VMXLAB_EXIT_IO:
			if (run->io.direction == VMXLAB_IO_IN) {
				run->io.data = run->io.port == 0x3fd ? 0x60 : 0xff;
			} else if (run->io.port == 0x3f8) {
				putchar((int)(run->io.data & 0xff));
			} else if (run->io.port == 0xf4) {
				/* destroy() unmaps @run: read it first. */
				int st = (int)(((run->io.data << 1) | 1) & 0xff);

				fflush(stdout);
				ops->destroy(&be);
				return st;
			}
			continue;
		default:
			fprintf(stderr, "vmbench: unexpected exit %u at 0x%llx\n",
				run->exit_reason,
				(unsigned long long)run->guest_rip);
			return 1;
		}
	}
}

static int timed(const char *label, char **argv)
{
	uint64_t t0 = __rdtsc(), t1;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	t1 = __rdtsc();
	printf("bench: %s %" PRIu64 "\n", label, t1 - t0);
	fprintf(stderr, "vmbench: %s exited with status %d\n", argv[0],
		WIFEXITED(status) ? WEXITSTATUS(status) : 128);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

int main(int argc, char **argv)
{
	unsigned n;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 3) {
		fprintf(stderr, "usage: vmbench vmxlab|kvm lifecycle|map [REPS]"
			" | mem [VMS] | hlt IMAGE\n"
			"       vmbench - time LABEL CMD [ARGS...]\n");
		return 2;
	}
	backend_name = argv[1];
	if (!strcmp(argv[2], "time") && argc >= 5)
		return timed(argv[3], argv + 4);
	ops = backend_find(backend_name);
	if (!ops)
		die("finding the backend");
	n = argc > 3 ? (unsigned)atoi(argv[3]) : 8;
	if (!n || n > 64)
		n = 8;
	if (!strcmp(argv[2], "lifecycle"))
		return lifecycle(n);
	if (!strcmp(argv[2], "map"))
		return map(n);
	if (!strcmp(argv[2], "mem"))
		return mem(n);
	if (!strcmp(argv[2], "hlt") && argc == 4)
		return hlt(argv[3]);
	fprintf(stderr, "vmbench: unknown command %s\n", argv[2]);
	return 2;
}
