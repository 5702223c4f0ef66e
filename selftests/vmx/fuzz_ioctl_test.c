// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_ioctl_test.c - random sequences of every vmxlab ioctl, mmap and
 * close, with random and edge-case arguments, on several fds and from
 * several threads at once.
 *
 * What is asserted is only what must hold whatever the arguments:
 *
 *  - the process survives: the only signals it may get are the SIGSEGV
 *    and SIGBUS it provokes on purpose (a write to a read-only mapping of
 *    the run page, a page past the run page after mremap());
 *  - every call returns success or an errno Documentation/uapi.rst lists
 *    for that call (unexpected ones are collected and printed);
 *  - the few results that do not depend on arguments (the API version,
 *    the mmap size, the local APIC's version register) are right;
 *  - the interrupt ioctls keep their contract (uapi.rst 3.5, 4.10, 4.11):
 *    VMXLAB_SIGNAL_MSI refuses exactly the malformed messages and counts
 *    no more APICs than its delivery mode allows; VMXLAB_INTERRUPT
 *    refuses exactly a bad vector or reserved word, fails with ENXIO
 *    exactly when LINT0 does not take ExtINT, and with EBUSY while one is
 *    queued; VMXLAB_SET_LAPIC loads any page, and VMXLAB_GET_LAPIC gives
 *    it back but for the version, PPR, the current count and what the
 *    timer may have done since; RUN with immediate_exit returns EINTR,
 *    the interrupt-window exit comes only when asked for and with IF = 1,
 *    and ready_for_interrupt_injection = 1 means VMXLAB_INTERRUPT works
 *    (these checks need one thread: with several, others change the
 *    state between the calls);
 *  - afterwards the module still creates a VM and runs a guest.
 *
 * The sequence is a function of VMXLAB_FUZZ_SEED (default below) and the
 * number of calls of VMXLAB_FUZZ_CALLS (default 10000, split between a
 * single-threaded test, reproducible call for call, and a multi-threaded
 * one, where each thread's choices are reproducible but the interleaving
 * is not).  Set VMXLAB_FUZZ_VERBOSE=1 to print every call of the
 * single-threaded test before it is made, which gives the call sequence
 * leading to a kernel crash.
 *
 * Every VMXLAB_RUN is bounded: guest memory is filled with HLT so that
 * most guests stop at their first instruction, and a watchdog thread sends
 * SIGUSR1 to a thread whose RUN takes longer than RUN_LIMIT_MS, which
 * makes RUN return EINTR (section 4.1).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <kselftest_harness.h>

#include "lib/fuzz.h"
#include "lib/vmxlab_test.h"

#define DEFAULT_SEED	0x5eed1e55ULL
#define DEFAULT_CALLS	10000
#define MAX_THREADS	4
#define MAX_ENTS	48	/* fds the fuzzer keeps open at once */
#define MAX_MAPS	16	/* mappings one thread keeps */
#define POOL_PAGES	256	/* host memory behind guest slots: 1 MiB */
#define RUN_LIMIT_MS	30

/* ------------------------------------------------------------------ */
/* Deterministic randomness (lib/fuzz.h), at the edges               */

/* Values at the edges of what the checks look at. */
static const uint64_t edges[] = {
	0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 0x7f, 0x80, 0xff, 0x100,
	0xfff, 0x1000, 0x1001, 0x2000, 0xffff, 0x10000, 0xfffff, 0x100000,
	0x7fffffff, 0x80000000, 0xfffff000, 0xffffffff, 0x100000000ULL,
	VMXLAB_MAX_GPA - 0x1000, VMXLAB_MAX_GPA, VMXLAB_MAX_GPA + 0x1000,
	1ULL << 40, 1ULL << 47, 0x00007ffffffff000ULL, 0x0000800000000000ULL,
	0xffff800000000000ULL, 0xffffffff80000000ULL, 1ULL << 63,
	~0xfffULL, ~1ULL, ~0ULL,
};

static uint64_t rnd_val(struct rng *r)
{
	uint64_t v = edges[below(r, sizeof(edges) / sizeof(edges[0]))];

	switch (below(r, 6)) {
	case 0:
	case 1:
		return v;
	case 2:
		return below(r, 256);
	case 3:
		return rnd(r);
	case 4:
		return v ^ (1ULL << below(r, 64));
	default:
		return v + below(r, 9) - 4;
	}
}

/* ------------------------------------------------------------------ */
/* Shared state: the fds, guest memory, bad addresses                 */

enum kind { K_FREE, K_SYS, K_VM, K_VCPU };

struct ent {
	int kind;
	int fd;
	int has_ring;	/* SET_RING succeeded: how many bytes */
	unsigned long gen;	/* tells a reused fd number from the old fd */
};

static unsigned long ent_gen;

static struct ent ents[MAX_ENTS];
static pthread_mutex_t ents_lock = PTHREAD_MUTEX_INITIALIZER;
static int threaded;	/* fds may go stale under us */
static int verbose;
/* VMXLAB_FUZZ_TRUST_RING_HEADER=1: leave the kernel's ring fields alone. */
static int trust_ring_header;

static uint8_t *pool;		/* HLT-filled guest memory */
static uint8_t *ro_page;	/* PROT_READ */
static uint8_t *none_page;	/* PROT_NONE */
static uint8_t *hole;		/* a page that is not mapped */
static uint8_t *edge_buf;	/* a page whose successor is the hole */

/* Errno bookkeeping. */
enum op {
	OP_VERSION, OP_CREATE_VM, OP_CHECK_CAP, OP_MMAP_SIZE,
	OP_SET_MEM, OP_CREATE_VCPU, OP_SET_CPUID, OP_SET_MSRS,
	OP_RUN, OP_GET_REGS, OP_SET_REGS, OP_GET_SREGS, OP_SET_SREGS,
	OP_SET_DEBUG, OP_GET_VMCS, OP_SET_VMCS, OP_TRANSLATE, OP_SET_RING,
	OP_CHECK_ENTRY, OP_SIGNAL_MSI, OP_INTERRUPT, OP_GET_LAPIC,
	OP_SET_LAPIC, OP_UNKNOWN, OP_MMAP, OP_OPEN, NR_OPS
};

static const char *const op_names[NR_OPS] = {
	"GET_API_VERSION", "CREATE_VM", "CHECK_CAP", "GET_VCPU_MMAP_SIZE",
	"SET_MEMORY_REGION", "CREATE_VCPU", "SET_CPUID", "SET_USER_MSRS",
	"RUN", "GET_REGS", "SET_REGS", "GET_SREGS", "SET_SREGS",
	"SET_DEBUG", "GET_VMCS_FIELD", "SET_VMCS_FIELD", "TRANSLATE",
	"SET_RING", "CHECK_ENTRY", "SIGNAL_MSI", "INTERRUPT", "GET_LAPIC",
	"SET_LAPIC", "unknown ioctl", "mmap", "open",
};

/* errno bit sets: EOVERFLOW (75) does not fit in 64 bits. */
typedef unsigned __int128 errset;
#define B(e)	((errset)1 << (e))
/* Section 4's errors, for every vCPU ioctl but RUN. */
#define VCPU_COMMON	(B(ENOMEM) | B(EFAULT) | B(EIO))

/* The errnos Documentation/uapi.rst gives for each call. */
static const errset documented[NR_OPS] = {
	[OP_VERSION]	 = B(EINVAL),
	[OP_CREATE_VM]	 = B(EINVAL) | B(EBUSY) | B(EIO) | B(ENOMEM) |
			   B(EMFILE) | B(ENFILE),
	[OP_CHECK_CAP]	 = 0,
	[OP_MMAP_SIZE]	 = B(EINVAL),
	[OP_SET_MEM]	 = B(EFAULT) | B(EINVAL) | B(E2BIG) | B(EIO) |
			   B(EEXIST) | B(ENOENT) | B(ENOMEM),
	[OP_CREATE_VCPU] = B(EINVAL) | B(ENOMEM) | B(EEXIST) | B(EIO) |
			   B(EMFILE) | B(ENFILE),
	[OP_SET_CPUID]	 = B(EFAULT) | B(EINVAL) | B(E2BIG) | B(ENOMEM),
	[OP_SET_MSRS]	 = B(EFAULT) | B(EINVAL) | B(E2BIG) | B(ENOMEM),
	[OP_RUN]	 = B(EINVAL) | B(EIO) | B(EINTR) | B(ENOMEM),
	[OP_GET_REGS]	 = VCPU_COMMON,
	[OP_SET_REGS]	 = VCPU_COMMON | B(EINVAL),
	[OP_GET_SREGS]	 = VCPU_COMMON,
	[OP_SET_SREGS]	 = VCPU_COMMON | B(EINVAL),
	[OP_SET_DEBUG]	 = VCPU_COMMON | B(EINVAL) | B(E2BIG),
	[OP_GET_VMCS]	 = VCPU_COMMON | B(EINVAL) | B(ENOENT),
	[OP_SET_VMCS]	 = VCPU_COMMON | B(EINVAL) | B(EPERM) | B(ENOENT),
	[OP_TRANSLATE]	 = VCPU_COMMON | B(EINVAL),
	[OP_SET_RING]	 = B(EFAULT) | B(EINVAL) | B(EBUSY) | B(ENOMEM),
	[OP_CHECK_ENTRY] = VCPU_COMMON,
	[OP_SIGNAL_MSI]	 = B(EFAULT) | B(EINVAL),
	/*
	 * These three do not load the VMCS: no EIO (section 4's EINTR
	 * needs a fatal signal, which would end this process).
	 */
	[OP_INTERRUPT]	 = B(ENOMEM) | B(EFAULT) | B(EINVAL) | B(EBUSY) |
			   B(ENXIO),
	[OP_GET_LAPIC]	 = B(ENOMEM) | B(EFAULT),
	[OP_SET_LAPIC]	 = B(ENOMEM) | B(EFAULT),
	[OP_UNKNOWN]	 = B(ENOTTY),
	/*
	 * mmap(2) itself adds ENOMEM, and EOVERFLOW for an offset that
	 * wraps; no mmap handler (sys/VM fd): ENODEV.
	 */
	[OP_MMAP]	 = B(EINVAL) | B(ENODEV) | B(ENOMEM) | B(EOVERFLOW),
	[OP_OPEN]	 = B(EMFILE) | B(ENFILE) | B(ENOMEM),
};

static atomic_ulong calls;
static atomic_ulong unexpected;
static atomic_ulong deliberate_faults;
static atomic_ulong ok_by_op[NR_OPS];
static atomic_ulong fail_by_op[NR_OPS];
static atomic_ulong run_exits[16];
static atomic_ulong unexpected_errno[NR_OPS][128];

static void bad(const char *fmt, ...)
{
	va_list ap;
	static atomic_ulong printed;

	atomic_fetch_add(&unexpected, 1);
	/* The first few tell the story; the count says how bad it is. */
	if (atomic_fetch_add(&printed, 1) >= 40)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "# UNEXPECTED: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
}

/*
 * Record the result of a call of @op on an fd whose kind the caller
 * believed was @want (0: the call went to an fd of the wrong kind on
 * purpose).  EBADF and ENOTTY are right for a closed fd and for an fd of
 * another kind; with threads, any fd may have been closed (and its number
 * reused) by another thread between choosing it and using it.
 */
static void check(int op, long ret, int err, int kind_ok, uint64_t arg)
{
	errset allowed = documented[op];

	atomic_fetch_add(&calls, 1);
	if (ret >= 0) {
		atomic_fetch_add(&ok_by_op[op], 1);
		return;
	}
	atomic_fetch_add(&fail_by_op[op], 1);
	if (!kind_ok || threaded)
		allowed |= B(EBADF) | B(ENOTTY);
	if (err > 0 && err < 128 && (allowed & B(err)))
		return;
	/* Each (call, errno) pair is reported once, with its first argument. */
	if (atomic_fetch_add(&unexpected_errno[op][err > 0 && err < 128 ? err : 0], 1))
		atomic_fetch_add(&unexpected, 1);
	else
		bad("%s(arg %#llx) failed with errno %d (%s)%s", op_names[op],
		    (unsigned long long)arg, err, strerror(err),
		    kind_ok ? "" : " on an fd of another kind");
}

static void print_unexpected_errnos(void)
{
	unsigned long n;
	int op, e;

	for (op = 0; op < NR_OPS; op++)
		for (e = 0; e < 128; e++)
			if ((n = atomic_load(&unexpected_errno[op][e])))
				printf("#   unexpected: %s -> errno %d (%s): %lu times\n",
				       op_names[op], e, strerror(e), n);
	/* The harness ends a test with _exit(): flush what it printed. */
	fflush(stdout);
}

/* ------------------------------------------------------------------ */
/* Deliberate faults                                                  */

static __thread sigjmp_buf fault_jmp;
static __thread volatile int fault_armed;
static __thread void *volatile fault_addr;

/* The lines of /proc/self/maps around @addr, to explain a stray fault. */
static void dump_maps(void *addr)
{
	char line[256];
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi, a = (unsigned long)addr;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 &&
		    hi + 0x10000 > a && lo < a + 0x10000)
			fprintf(stderr, "#   %s", line);
	fclose(f);
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	if (fault_armed) {
		fault_armed = 0;
		fault_addr = si->si_addr;
		siglongjmp(fault_jmp, sig);
	}
	/*
	 * Not one we asked for: say where, then die of it, so that the test
	 * fails.  (stdio in a handler: we are about to die anyway.)
	 */
	fprintf(stderr, "# UNEXPECTED: signal %d (code %d) at %p\n", sig,
		si->si_code, si->si_addr);
	dump_maps(si->si_addr);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void on_usr1(int sig)
{
}

/*
 * Touch @len bytes at @p, reading, and writing if @write.  Returns the
 * signal it got, or 0.
 */
static int touch(volatile uint8_t *p, size_t len, int write, uint8_t v)
{
	int sig;
	size_t i;

	sig = sigsetjmp(fault_jmp, 1);
	if (sig)
		return sig;
	fault_armed = 1;
	for (i = 0; i < len; i += 1024) {
		(void)p[i];
		if (write)
			p[i] = v;
	}
	fault_armed = 0;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The watchdog that bounds every RUN                                 */

struct worker {
	pthread_t tid, self;
	atomic_int ready;
	struct rng rng;
	long ncalls;
	atomic_llong run_since;	/* ns, 0 when not in RUN */
	struct map {
		uint8_t *addr;
		size_t len;
		int fd;
		unsigned long gen;	/* the ent's generation at mmap time */
		int ring;
		int writable;
	} maps[MAX_MAPS];
	int nmaps;
};

static struct worker workers[MAX_THREADS];
static int nworkers;
static atomic_int stop_watchdog;

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *watchdog(void *arg)
{
	struct timespec tick = { 0, 2 * 1000 * 1000 };
	int i;

	while (!atomic_load(&stop_watchdog)) {
		long long t = now_ns();

		for (i = 0; i < nworkers; i++) {
			long long s = atomic_load(&workers[i].run_since);

			if (atomic_load(&workers[i].ready) && s &&
			    t - s > RUN_LIMIT_MS * 1000000LL)
				pthread_kill(workers[i].self, SIGUSR1);
		}
		nanosleep(&tick, NULL);
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Choosing fds and arguments                                         */

/* An fd of kind @kind from the table, or -1 if there is none. */
static int pick(struct rng *r, int kind, int *has_ring)
{
	int i, n = 0, fd = -1, start = below(r, MAX_ENTS);

	pthread_mutex_lock(&ents_lock);
	for (i = 0; i < MAX_ENTS; i++) {
		struct ent *e = &ents[(start + i) % MAX_ENTS];

		if (e->kind == kind) {
			fd = e->fd;
			if (has_ring)
				*has_ring = e->has_ring;
			if (++n > (int)below(r, 3))
				break;
		}
	}
	pthread_mutex_unlock(&ents_lock);
	return fd;
}

static void add_ent(int kind, int fd)
{
	int i;

	pthread_mutex_lock(&ents_lock);
	for (i = 0; i < MAX_ENTS; i++) {
		if (ents[i].kind == K_FREE) {
			ents[i].kind = kind;
			ents[i].fd = fd;
			ents[i].has_ring = 0;
			ents[i].gen = ++ent_gen;
			fd = -1;
			break;
		}
	}
	pthread_mutex_unlock(&ents_lock);
	/* Table full: the new fd goes at once. */
	if (fd >= 0)
		close(fd);
}

static void set_ring_size(int fd, int bytes)
{
	int i;

	pthread_mutex_lock(&ents_lock);
	for (i = 0; i < MAX_ENTS; i++)
		if (ents[i].kind == K_VCPU && ents[i].fd == fd)
			ents[i].has_ring = bytes;
	pthread_mutex_unlock(&ents_lock);
}

/* Close a random fd of the table, under the lock so nobody closes it twice. */
static void close_random(struct rng *r)
{
	int i, start = below(r, MAX_ENTS);

	pthread_mutex_lock(&ents_lock);
	for (i = 0; i < MAX_ENTS; i++) {
		struct ent *e = &ents[(start + i) % MAX_ENTS];

		if (e->kind != K_FREE) {
			close(e->fd);
			e->kind = K_FREE;
			break;
		}
	}
	pthread_mutex_unlock(&ents_lock);
}

static int count_kind(int kind)
{
	int i, n = 0;

	pthread_mutex_lock(&ents_lock);
	for (i = 0; i < MAX_ENTS; i++)
		n += ents[i].kind == kind;
	pthread_mutex_unlock(&ents_lock);
	return n;
}

/*
 * An argument pointer for a structure of @size bytes: usually a good
 * buffer (sometimes misaligned), sometimes an address the kernel must
 * refuse with EFAULT.  *@good says which.
 */
static void *arg_ptr(struct rng *r, void *buf, size_t size, int *good)
{
	static const uint64_t kernel[] = {
		0xffff888000000000ULL, 0xffffffff81000000ULL,
		0xffffc90000000000ULL, 0xfffffffffffff000ULL,
		0x8000000000000000ULL, 0x0000800000000000ULL - 8,
	};

	*good = 1;
	if (!chance(r, 7))
		return buf;
	*good = 0;
	switch (below(r, 8)) {
	case 0:
		return NULL;
	case 1:
		return (void *)(uintptr_t)below(r, 0x10000);
	case 2:
		return (void *)(uintptr_t)kernel[below(r, 6)];
	case 3:
		return hole + below(r, 4096);
	case 4:
		return none_page;
	case 5:
		/* The structure runs into the unmapped page. */
		if (size > 1) {
			uint8_t *p = edge_buf + 4096 - 1 - below(r, size - 1);

			memcpy(p, buf, edge_buf + 4096 - p);
			return p;
		}
		return hole;
	case 6:
		/* Readable zeros: fine to read from, EFAULT to write to. */
		return ro_page + 4096 - size;
	default:
		/* Misaligned but valid. */
		*good = 1;
		memmove(edge_buf + 1, buf, size < 4000 ? size : 4000);
		return edge_buf + 1;
	}
}

/*
 * Did the kernel see the structure at @buf?  A good pointer other than
 * @buf is the shared misaligned copy in edge_buf, which another thread
 * may overwrite meanwhile.
 */
static int arg_is_ours(int good, const void *p, const void *buf)
{
	return good && (p == buf || !threaded);
}

static long do_ioctl(int fd, unsigned long cmd, void *arg, int *err)
{
	long ret;

	errno = 0;
	ret = ioctl(fd, cmd, arg);
	*err = ret < 0 ? errno : 0;
	return ret;
}

static uint64_t rnd_int_arg(struct rng *r)
{
	return chance(r, 4) ? rnd_val(r) : 0;
}

/* ------------------------------------------------------------------ */
/* The operations                                                     */

static void op_sys(struct worker *w)
{
	struct rng *r = &w->rng;
	int fd = pick(r, K_SYS, NULL), err;
	uint64_t a;
	long ret;

	if (fd < 0 || chance(r, 16)) {
		fd = open("/dev/vmxlab", O_RDWR | O_CLOEXEC);
		check(OP_OPEN, fd, errno, 1, 0);
		if (fd >= 0)
			add_ent(K_SYS, fd);
		return;
	}
	switch (below(r, 5)) {
	case 0:
		a = rnd_int_arg(r);
		ret = do_ioctl(fd, VMXLAB_GET_API_VERSION, (void *)a, &err);
		check(OP_VERSION, ret, err, 1, a);
		if (a == 0 && ret >= 0 && ret != VMXLAB_API_VERSION)
			bad("GET_API_VERSION returned %ld", ret);
		break;
	case 1:
		a = chance(r, 2) ? below(r, 16) : rnd_val(r);
		ret = do_ioctl(fd, VMXLAB_CHECK_CAP, (void *)a, &err);
		check(OP_CHECK_CAP, ret, err, 1, a);
		/* The in-kernel local APIC, always there (section 2.3). */
		if (a == VMXLAB_CAP_IRQCHIP && ret >= 0 &&
		    (~ret & (VMXLAB_IRQCHIP_LAPIC | VMXLAB_IRQCHIP_TSC_DEADLINE)))
			bad("CHECK_CAP(IRQCHIP) returned %ld", ret);
		break;
	case 2:
		a = rnd_int_arg(r);
		ret = do_ioctl(fd, VMXLAB_GET_VCPU_MMAP_SIZE, (void *)a, &err);
		check(OP_MMAP_SIZE, ret, err, 1, a);
		if (a == 0 && ret >= 0 && ret != 4096)
			bad("GET_VCPU_MMAP_SIZE returned %ld", ret);
		break;
	default:
		if (count_kind(K_VM) >= 8)
			return;
		a = chance(r, 6) ? rnd_val(r) : 0;
		ret = do_ioctl(fd, VMXLAB_CREATE_VM, (void *)a, &err);
		check(OP_CREATE_VM, ret, err, 1, a);
		if (ret >= 0)
			add_ent(K_VM, ret);
		break;
	}
}

static void op_set_mem(struct worker *w, int fd)
{
	struct rng *r = &w->rng;
	struct vmxlab_memory_region mr = { 0 };
	uint64_t pages = 1 + below(r, 16);
	int good, err;
	void *p;
	long ret;

	mr.slot = chance(r, 8) ? rnd_val(r) : below(r, VMXLAB_MAX_MEM_SLOTS);
	mr.flags = chance(r, 8) ? rnd_val(r) : below(r, 2);
	/* Mostly low memory, where the guests run; now and then the edges. */
	mr.guest_phys_addr = chance(r, 4) ? (rnd_val(r) & (chance(r, 3) ? ~0ULL : ~0xfffULL))
					  : (uint64_t)below(r, 512) << 12;
	switch (below(r, 8)) {
	case 0:
		mr.memory_size = 0;	/* remove */
		break;
	case 1:
		mr.memory_size = rnd_val(r);
		break;
	default:
		mr.memory_size = pages << 12;
	}
	switch (below(r, 10)) {
	case 0:
		mr.userspace_addr = (uintptr_t)ro_page;
		break;
	case 1:
		mr.userspace_addr = (uintptr_t)hole;
		break;
	case 2:
		mr.userspace_addr = rnd_val(r);
		break;
	case 3:
		/* Runs past the end of the pool into whatever follows. */
		mr.userspace_addr = (uintptr_t)(pool + (POOL_PAGES - 1) * 4096);
		break;
	default:
		mr.userspace_addr = (uintptr_t)(pool +
				((uint64_t)below(r, POOL_PAGES - pages) << 12));
		if (chance(r, 20))
			mr.userspace_addr += 8;
	}
	if (mr.memory_size == 0 && chance(r, 2))
		mr.guest_phys_addr = mr.userspace_addr = mr.flags = 0;
	p = arg_ptr(r, &mr, sizeof(mr), &good);
	ret = do_ioctl(fd, VMXLAB_SET_MEMORY_REGION, p, &err);
	check(OP_SET_MEM, ret, err, 1, mr.slot);
}

/*
 * VMXLAB_SIGNAL_MSI (section 3.5): mostly well-formed messages to any
 * destination in any delivery mode, sometimes with one reserved or
 * malformed field.  With a readable argument the result follows from the
 * message alone: EINVAL exactly for a malformed one; otherwise a count,
 * at most one for lowest priority and none for SMI, INIT, start-up,
 * ExtINT and the reserved mode 3.
 */
static void op_msi(struct worker *w, int fd)
{
	struct rng *r = &w->rng;
	struct vmxlab_msi m = { 0 };
	unsigned int dm, i;
	int good, err, malformed;
	long ret;
	void *p;

	dm = below(r, 8);
	m.address_lo = 0xfee00000 | (chance(r, 4) ? 0xff : below(r, 20)) << 12 |
		       below(r, 2) << 2 | below(r, 2) << 3;
	m.data = below(r, 256) | dm << 8 | below(r, 2) << 14 | below(r, 2) << 15;
	switch (below(r, 10)) {
	case 0:
		m.address_lo ^= 1U << below(r, 32);
		break;
	case 1:
		m.data ^= 1U << below(r, 32);
		break;
	case 2:
		switch (below(r, 4)) {
		case 0:
			m.address_hi = rnd_val(r);
			break;
		case 1:
			m.flags = rnd_val(r);
			break;
		case 2:
			m.reserved[below(r, 4)] = rnd_val(r);
			break;
		default:
			m.address_lo = rnd(r);
			m.data = rnd(r);
		}
		break;
	default:
		break;
	}
	malformed = (m.address_lo & 0xfff00000) != 0xfee00000 ||
		    (m.address_lo & 0xff3) || m.address_hi || m.flags ||
		    (m.data & 0xffff3800);
	for (i = 0; i < 4; i++)
		malformed |= m.reserved[i] != 0;
	dm = (m.data >> 8) & 7;
	p = arg_ptr(r, &m, sizeof(m), &good);
	ret = do_ioctl(fd, VMXLAB_SIGNAL_MSI, p, &err);
	check(OP_SIGNAL_MSI, ret, err, 1, m.data);
	if (!arg_is_ours(good, p, &m))
		return;
	if (ret < 0) {
		if (err == EINVAL && !malformed)
			bad("SIGNAL_MSI refused a well-formed message: address %#x data %#x",
			    m.address_lo, m.data);
		if (err == EFAULT)
			bad("SIGNAL_MSI: EFAULT for a readable argument");
		return;
	}
	if (malformed)
		bad("SIGNAL_MSI accepted a malformed message: address %#x/%#x data %#x flags %#x reserved %#x %#x %#x %#x",
		    m.address_lo, m.address_hi, m.data, m.flags, m.reserved[0],
		    m.reserved[1], m.reserved[2], m.reserved[3]);
	else if (ret > VMXLAB_MAX_VCPUS || (dm == 1 && ret > 1) ||
		 ((dm == 2 || dm == 3 || dm >= 5) && ret))
		bad("SIGNAL_MSI with delivery mode %u (data %#x, address %#x) reached %ld APICs",
		    dm, m.data, m.address_lo, ret);
}

static void op_vm(struct worker *w)
{
	struct rng *r = &w->rng;
	int fd = pick(r, K_VM, NULL), good, err, i;
	uint64_t a;
	long ret;
	void *p;

	if (fd < 0) {
		op_sys(w);
		return;
	}
	switch (below(r, 9)) {
	case 0:
	case 1:
	case 2:
		op_set_mem(w, fd);
		break;
	case 7:
	case 8:
		op_msi(w, fd);
		break;
	case 3:
	case 4: {
		if (count_kind(K_VCPU) >= 24)
			return;
		a = chance(r, 5) ? rnd_val(r) : below(r, VMXLAB_MAX_VCPUS);
		ret = do_ioctl(fd, VMXLAB_CREATE_VCPU, (void *)a, &err);
		check(OP_CREATE_VCPU, ret, err, 1, a);
		if (ret >= 0)
			add_ent(K_VCPU, ret);
		break;
	}
	case 5: {
		struct {
			struct vmxlab_cpuid c;
			struct vmxlab_cpuid_entry e[VMXLAB_MAX_CPUID_ENTRIES + 2];
		} c;

		memset(&c, 0, sizeof(c));
		c.c.nent = chance(r, 6) ? rnd_val(r) : below(r, VMXLAB_MAX_CPUID_ENTRIES + 3);
		if (chance(r, 16))
			c.c.reserved = rnd_val(r);
		for (i = 0; i < VMXLAB_MAX_CPUID_ENTRIES + 2; i++) {
			c.e[i].function = chance(r, 2) ? below(r, 0x20) : rnd(r);
			c.e[i].index = below(r, 4);
			c.e[i].flags = chance(r, 20) ? rnd_val(r) : below(r, 2);
			c.e[i].eax = rnd(r);
			c.e[i].ebx = rnd(r);
			c.e[i].ecx = rnd(r);
			c.e[i].edx = rnd(r);
			c.e[i].reserved = chance(r, 40) ? rnd_val(r) : 0;
		}
		p = arg_ptr(r, &c, sizeof(c), &good);
		ret = do_ioctl(fd, VMXLAB_SET_CPUID, p, &err);
		check(OP_SET_CPUID, ret, err, 1, c.c.nent);
		break;
	}
	default: {
		struct vmxlab_user_msrs m;

		memset(&m, 0, sizeof(m));
		m.nmsrs = chance(r, 6) ? rnd_val(r) : below(r, VMXLAB_MAX_USER_MSRS + 2);
		if (chance(r, 16))
			m.reserved = rnd_val(r);
		for (i = 0; i < VMXLAB_MAX_USER_MSRS; i++)
			m.indices[i] = chance(r, 2) ? rnd(r) : 0xc0000080 + below(r, 4);
		p = arg_ptr(r, &m, sizeof(m), &good);
		ret = do_ioctl(fd, VMXLAB_SET_USER_MSRS, p, &err);
		check(OP_SET_MSRS, ret, err, 1, m.nmsrs);
		break;
	}
	}
}

static void mutate_seg(struct rng *r, struct vmxlab_segment *s)
{
	switch (below(r, 6)) {
	case 0:
		s->base = rnd_val(r);
		break;
	case 1:
		s->limit = rnd_val(r);
		break;
	case 2:
		s->selector = rnd_val(r);
		break;
	case 3:
		s->ar = chance(r, 3) ? rnd_val(r) : (rnd(r) & 0x1f0ff);
		break;
	case 4:
		s->reserved = rnd_val(r);
		break;
	default:
		s->reserved2 = rnd_val(r);
	}
}

/* Start from the vCPU's own state and change a few things. */
static void mutate_sregs(struct rng *r, struct vmxlab_sregs *s)
{
	int n = 1 + below(r, 4);
	struct vmxlab_segment *segs = &s->cs;
	__u64 *crs = &s->cr0;

	while (n--) {
		switch (below(r, 6)) {
		case 0:
		case 1:
			mutate_seg(r, &segs[below(r, 8)]);
			break;
		case 2:
			if (chance(r, 2)) {
				s->gdt.base = rnd_val(r);
				s->gdt.limit = rnd_val(r);
			} else {
				s->idt.base = rnd_val(r);
				s->idt.limit = rnd_val(r);
				if (chance(r, 10))
					s->idt.reserved[below(r, 3)] = 1;
			}
			break;
		case 3:
			/* cr0..cr8, efer, apic_base */
			crs[below(r, 7)] = chance(r, 2) ? rnd_val(r)
						       : (1ULL << below(r, 64));
			break;
		case 4:
			crs[below(r, 7)] ^= 1ULL << below(r, 32);
			break;
		default:
			/* A plausible long-mode switch, PAE paging, or real mode. */
			switch (below(r, 3)) {
			case 0:
				s->cr0 |= 0x80000001;
				s->cr4 |= 0x20;
				s->efer = 0x500;
				break;
			case 1:
				s->cr0 |= 0x80000001;
				s->cr4 |= 0x20;
				s->efer = 0;
				s->cr3 = below(r, 256) << 12;
				break;
			default:
				s->cr0 = 0x10;
				s->cr4 = 0;
				s->efer = 0;
			}
		}
	}
}

/* Real mode, CS = 0, RIP inside the low memory the slots usually cover. */
static void op_prepare(struct worker *w, int fd)
{
	struct rng *r = &w->rng;
	struct vmxlab_sregs s;
	struct vmxlab_regs g = { 0 };
	long ret;
	int err;

	ret = do_ioctl(fd, VMXLAB_GET_SREGS, &s, &err);
	check(OP_GET_SREGS, ret, err, 1, 0);
	if (ret < 0)
		return;
	s.cs.selector = 0;
	s.cs.base = 0;
	s.cs.limit = 0xffff;
	s.cs.ar = 0x9b;
	s.cr0 = 0x60000010;
	s.cr4 = 0;
	s.efer = 0;
	ret = do_ioctl(fd, VMXLAB_SET_SREGS, &s, &err);
	check(OP_SET_SREGS, ret, err, 1, 0);
	g.rip = below(r, 0x10000);
	g.rsp = 0x8000;
	/*
	 * Now and then IF = 1: HLT then sleeps in the kernel until an
	 * interrupt (queued, from an MSI, from the APIC's timer) wakes it,
	 * the interrupt window is asked for, or the watchdog's signal.
	 */
	g.rflags = chance(r, 4) ? 0x202 : 2;
	ret = do_ioctl(fd, VMXLAB_SET_REGS, &g, &err);
	check(OP_SET_REGS, ret, err, 1, 0);
}

/* The generation of the open fd @fd, or 0 if it is not in the table. */
static unsigned long fd_gen(int fd)
{
	unsigned long gen = 0;
	int i;

	pthread_mutex_lock(&ents_lock);
	for (i = 0; i < MAX_ENTS; i++)
		if (ents[i].kind != K_FREE && ents[i].fd == fd)
			gen = ents[i].gen;
	pthread_mutex_unlock(&ents_lock);
	return gen;
}

/*
 * A mapping of this very fd: after close(), the same number can come back
 * for another vCPU, whose run page an old mapping does not show.
 */
static struct map *find_map(struct worker *w, int fd, int ring)
{
	unsigned long gen = fd_gen(fd);
	int i;

	for (i = 0; i < w->nmaps; i++)
		if (w->maps[i].fd == fd && w->maps[i].gen == gen &&
		    w->maps[i].ring == ring && w->maps[i].writable)
			return &w->maps[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The local APIC: VMXLAB_INTERRUPT, VMXLAB_GET/SET_LAPIC             */

/* Registers of the xAPIC page (SDM Vol. 3A Table 11-1), uapi.rst 4.11. */
#define APIC_VERSION	0x030
#define APIC_TPR	0x080
#define APIC_PPR	0x0a0
#define APIC_ISR	0x100
#define APIC_TMR	0x180
#define APIC_IRR	0x200
#define APIC_LVT_TIMER	0x320
#define APIC_LVT_LINT0	0x350
#define APIC_LVT_ERROR	0x370
#define APIC_TMICT	0x380
#define APIC_TMCCT	0x390
#define APIC_TDCR	0x3e0
#define APIC_VERSION_VALUE 0x00050014	/* vmxlab's, whatever SET loads */
#define APIC_MASKED	(1U << 16)
#define APIC_BASE_EN	(1ULL << 11)	/* IA32_APIC_BASE: enabled */
/*
 * The module lets a periodic timer tick every 100 us; 24 vCPUs doing
 * that would swamp the emulated CPU, so the pages this fuzzer loads ask
 * for periods of 10 ms or more (the timer code is the same).
 */
#define MIN_PERIOD_NS	10000000ULL

static uint32_t apic_reg(const struct vmxlab_lapic_state *s, unsigned int off)
{
	uint32_t v;

	memcpy(&v, s->regs + off, 4);
	return v;
}

static void apic_set(struct vmxlab_lapic_state *s, unsigned int off, uint32_t v)
{
	memcpy(s->regs + off, &v, 4);
}

static unsigned int apic_timer_mode(const struct vmxlab_lapic_state *s)
{
	return (apic_reg(s, APIC_LVT_TIMER) >> 17) & 3;
}

/* Divide configuration register, bits 3 and 1:0 (SDM Figure 11-10). */
static unsigned int apic_divisor(const struct vmxlab_lapic_state *s)
{
	uint32_t d = apic_reg(s, APIC_TDCR), v = (d & 3) | ((d >> 1) & 4);

	return v == 7 ? 1 : 2U << v;
}

/*
 * PPR (SDM 11.8.3.1): TPR if its class is at least that of the highest
 * vector in service, else that class.
 */
static uint32_t apic_ppr(const struct vmxlab_lapic_state *s)
{
	uint32_t tpr = apic_reg(s, APIC_TPR) & 0xff;
	int i, isrv = 0;

	for (i = 7; i >= 0; i--) {
		uint32_t w = apic_reg(s, APIC_ISR + 16 * i);

		if (w) {
			isrv = i * 32 + 31 - __builtin_clz(w);
			break;
		}
	}
	return (tpr & 0xf0) >= ((uint32_t)isrv & 0xf0) ? tpr : (uint32_t)isrv & 0xf0;
}

/* What holds for every page VMXLAB_GET_LAPIC returns. */
static void check_lapic_page(const struct vmxlab_lapic_state *s, const char *when)
{
	if (apic_reg(s, APIC_VERSION) != APIC_VERSION_VALUE)
		bad("%s: version register %#x, not %#x", when,
		    apic_reg(s, APIC_VERSION), APIC_VERSION_VALUE);
	if (apic_reg(s, APIC_PPR) != apic_ppr(s))
		bad("%s: PPR %#x, but TPR %#x and ISR make it %#x", when,
		    apic_reg(s, APIC_PPR), apic_reg(s, APIC_TPR), apic_ppr(s));
}

/*
 * One thread, VMXLAB_SET_LAPIC of @in then VMXLAB_GET_LAPIC into @out
 * (section 4.11): the page comes back as loaded except the version and
 * PPR (checked above), the current count, which can only have run down
 * (or, periodic, been reloaded from the initial count), and what the
 * timer did meanwhile if it fired: its vector (or, for an illegal one,
 * the error vector) set in IRR and cleared in TMR.
 */
static void compare_lapic(const struct vmxlab_lapic_state *in,
			  const struct vmxlab_lapic_state *out)
{
	uint32_t tvec = apic_reg(in, APIC_LVT_TIMER) & 0xff;
	uint32_t evec = apic_reg(in, APIC_LVT_ERROR) & 0xff;
	uint32_t cur = apic_reg(in, APIC_TMCCT), div = apic_divisor(in);
	uint64_t most = cur;
	unsigned int off, reported = 0;

	if (!cur || apic_timer_mode(in) == 2) {
		most = 0;
	} else if (apic_timer_mode(in) == 1) {
		if (most < apic_reg(in, APIC_TMICT))
			most = apic_reg(in, APIC_TMICT);
		if (most < 100000 / div)	/* the module's shortest period */
			most = 100000 / div;
	}
	if (apic_reg(out, APIC_TMCCT) > most)
		bad("SET_LAPIC then GET_LAPIC: current count %#x, loaded %#x (timer %#x, initial %#x, divide %#x)",
		    apic_reg(out, APIC_TMCCT), cur, apic_reg(in, APIC_LVT_TIMER),
		    apic_reg(in, APIC_TMICT), apic_reg(in, APIC_TDCR));
	for (off = 0; off < sizeof(in->regs); off += 4) {
		uint32_t a = apic_reg(in, off), b = apic_reg(out, off), timer = 0;

		if (off == APIC_VERSION || off == APIC_PPR || off == APIC_TMCCT)
			continue;
		if (!(off & 15) && (tvec >> 5) == (off & 0x70) >> 4)
			timer |= 1U << (tvec & 31);
		if (!(off & 15) && (evec >> 5) == (off & 0x70) >> 4)
			timer |= 1U << (evec & 31);
		if (off >= APIC_IRR && off < APIC_IRR + 0x80 &&
		    !(a & ~b) && !(b & ~a & ~timer))
			continue;
		if (off >= APIC_TMR && off < APIC_TMR + 0x80 &&
		    !(b & ~a) && !(a & ~b & ~timer))
			continue;
		if (a != b && !reported++)
			bad("SET_LAPIC then GET_LAPIC: register %#x loaded as %#x reads %#x",
			    off, a, b);
	}
}

/* A page for VMXLAB_SET_LAPIC: noise, a changed snapshot, or zeros. */
static void rnd_lapic_page(struct rng *r, int fd, struct vmxlab_lapic_state *s)
{
	unsigned int i, n, off;
	uint32_t lvt, count;
	int err;

	memset(s, 0, sizeof(*s));
	switch (below(r, 5)) {
	case 0:
		for (i = 0; i < sizeof(s->regs); i++)
			s->regs[i] = rnd(r);
		break;
	case 1:
		break;
	default:
		/* From the vCPU's own page: closer to what a snapshot holds. */
		if (do_ioctl(fd, VMXLAB_GET_LAPIC, s, &err))
			memset(s, 0, sizeof(*s));
		n = 1 + below(r, 6);
		while (n--) {
			off = below(r, 64) * 16;
			apic_set(s, off, chance(r, 2) ? rnd_val(r) :
				 apic_reg(s, off) ^ 1U << below(r, 32));
		}
	}
	/* The timer: any mode, tiny to huge counts, any divider. */
	if (chance(r, 2)) {
		lvt = below(r, 256) | below(r, 4) << 17 |
		      (chance(r, 3) ? APIC_MASKED : 0);
		apic_set(s, APIC_LVT_TIMER, lvt);
		apic_set(s, APIC_TDCR, below(r, 16));
		apic_set(s, APIC_TMICT, chance(r, 2) ? below(r, 64) : rnd_val(r));
		apic_set(s, APIC_TMCCT, chance(r, 2) ? below(r, 64) : rnd_val(r));
	}
	if (apic_timer_mode(s) == 1) {
		count = apic_reg(s, APIC_TMICT);
		if ((uint64_t)count * apic_divisor(s) < MIN_PERIOD_NS)
			apic_set(s, APIC_TMICT, MIN_PERIOD_NS + (count & 0xffff));
	}
	/* Now and then LINT0 as the reset state of vCPU 0 has it: ExtINT. */
	if (chance(r, 4))
		apic_set(s, APIC_LVT_LINT0, 7 << 8);
}

static void op_get_lapic(struct worker *w, int fd)
{
	struct rng *r = &w->rng;
	struct vmxlab_lapic_state st;
	int good, err;
	long ret;
	void *p;

	memset(&st, 0, sizeof(st));
	p = arg_ptr(r, &st, sizeof(st), &good);
	ret = do_ioctl(fd, VMXLAB_GET_LAPIC, p, &err);
	check(OP_GET_LAPIC, ret, err, 1, 0);
	if (!arg_is_ours(good, p, &st))
		return;
	if (ret < 0) {
		if (err == EFAULT)
			bad("GET_LAPIC: EFAULT for a writable argument");
		return;
	}
	if (p != &st)
		memcpy(&st, p, sizeof(st));
	check_lapic_page(&st, "GET_LAPIC");
}

static void op_set_lapic(struct worker *w, int fd)
{
	struct rng *r = &w->rng;
	struct vmxlab_lapic_state in, out;
	int good, err;
	long ret;
	void *p;

	rnd_lapic_page(r, fd, &in);
	p = arg_ptr(r, &in, sizeof(in), &good);
	ret = do_ioctl(fd, VMXLAB_SET_LAPIC, p, &err);
	check(OP_SET_LAPIC, ret, err, 1, apic_reg(&in, APIC_LVT_TIMER));
	if (ret < 0) {
		if (arg_is_ours(good, p, &in) && err == EFAULT)
			bad("SET_LAPIC: EFAULT for a readable argument");
		return;
	}
	/* What was loaded (the kernel read it, so it is readable). */
	if (!threaded && p != &in)
		memcpy(&in, p, sizeof(in));
	ret = do_ioctl(fd, VMXLAB_GET_LAPIC, &out, &err);
	check(OP_GET_LAPIC, ret, err, 1, 0);
	if (ret < 0)
		return;
	check_lapic_page(&out, "GET_LAPIC after SET_LAPIC");
	if (!threaded)
		compare_lapic(&in, &out);
}

/*
 * Does LINT0 take ExtINT (section 4.10)?  Yes if the APIC is disabled in
 * IA32_APIC_BASE (LINT0 is then the INTR pin, SDM 11.4.3), else if LINT0
 * is unmasked and in ExtINT delivery mode.  -1: could not tell.
 */
static int lint0_takes_extint(int fd)
{
	struct vmxlab_lapic_state st;
	struct vmxlab_sregs sregs;
	uint32_t lint0;
	long ret;
	int err;

	ret = do_ioctl(fd, VMXLAB_GET_LAPIC, &st, &err);
	check(OP_GET_LAPIC, ret, err, 1, 0);
	if (ret < 0)
		return -1;
	check_lapic_page(&st, "GET_LAPIC");
	ret = do_ioctl(fd, VMXLAB_GET_SREGS, &sregs, &err);
	check(OP_GET_SREGS, ret, err, 1, 0);
	if (ret < 0)
		return -1;
	lint0 = apic_reg(&st, APIC_LVT_LINT0);
	return !(sregs.apic_base & APIC_BASE_EN) ||
	       (!(lint0 & APIC_MASKED) && ((lint0 >> 8) & 7) == 7);
}

/*
 * VMXLAB_INTERRUPT: EINVAL exactly for a vector above 255 or a reserved
 * word; with one thread, ENXIO exactly when LINT0 does not take ExtINT,
 * and after a success, EBUSY until a RUN has injected it.
 */
static void op_interrupt(struct worker *w, int fd)
{
	struct rng *r = &w->rng;
	struct vmxlab_interrupt irq = { 0 };
	int good, err, takes = -1;
	long ret;
	void *p;

	irq.irq = chance(r, 4) ? rnd_val(r) : below(r, 256);
	irq.reserved = chance(r, 16) ? rnd_val(r) : 0;
	if (!threaded)
		takes = lint0_takes_extint(fd);
	p = arg_ptr(r, &irq, sizeof(irq), &good);
	ret = do_ioctl(fd, VMXLAB_INTERRUPT, p, &err);
	check(OP_INTERRUPT, ret, err, 1, irq.irq);
	if (!arg_is_ours(good, p, &irq))
		return;
	if (irq.irq > 255 || irq.reserved) {
		if (ret >= 0 || err != EINVAL)
			bad("INTERRUPT(irq %#x, reserved %#x): %ld, errno %d, not EINVAL",
			    irq.irq, irq.reserved, ret, err);
		return;
	}
	if (ret < 0 && (err == EINVAL || err == EFAULT))
		bad("INTERRUPT(irq %#x) of a readable, valid argument: errno %d",
		    irq.irq, err);
	if ((takes == 0 && ret == 0) || (takes == 1 && ret < 0 && err == ENXIO))
		bad("INTERRUPT(irq %#x): %s although LINT0 %s ExtINT",
		    irq.irq, ret ? "ENXIO" : "success", takes ? "takes" : "refuses");
	if (ret == 0 && !threaded) {
		ret = do_ioctl(fd, VMXLAB_INTERRUPT, &irq, &err);
		check(OP_INTERRUPT, ret, err, 1, irq.irq);
		if (ret >= 0 || err != EBUSY)
			bad("a second INTERRUPT before RUN: %ld, errno %d, not EBUSY",
			    ret, err);
	}
}

static void op_run(struct worker *w, int fd)
{
	struct rng *r = &w->rng;
	struct map *m = find_map(w, fd, 0);
	struct map *rm = find_map(w, fd, 1);
	struct vmxlab_run *run = m ? (struct vmxlab_run *)m->addr : NULL;
	uint64_t a = chance(r, 20) ? rnd_val(r) : 0;
	int err, i, sig, imm = 0, window = 0, rsv = 0, filled;
	long ret;

	/*
	 * The mappings were readable when made (op_mmap checks), so a fault
	 * here is the module's doing: report it rather than die of it.
	 */
	sig = sigsetjmp(fault_jmp, 1);
	if (sig) {
		bad("signal %d touching a %s mapping of a vCPU fd before RUN",
		    sig, run ? "run-page or ring" : "ring");
		return;
	}
	fault_armed = 1;
	if (run) {
		/* Scribble on the run page: the kernel must not trust it. */
		if (chance(r, 8))
			for (i = 0; i < 40; i++)
				((uint8_t *)run)[below(r, 4096)] = rnd(r);
		/* Any non-zero byte means yes (section 5.1). */
		imm = chance(r, 8) ? 1 + below(r, 255) : 0;
		window = chance(r, 4) ? 1 + below(r, 255) : 0;
		run->immediate_exit = imm;
		run->request_interrupt_window = window;
		memset(run->reserved_in, 0, sizeof(run->reserved_in));
		if (chance(r, 32)) {
			run->reserved_in[below(r, 6)] = 1;
			rsv = 1;
		}
	}
	if (rm && chance(r, 2)) {
		struct vmxlab_ring *ring = (struct vmxlab_ring *)rm->addr;

		/* Drain it (userspace's part of the protocol) or not. */
		if (chance(r, 2))
			__atomic_store_n(&ring->tail,
					 __atomic_load_n(&ring->head, __ATOMIC_ACQUIRE),
					 __ATOMIC_RELEASE);
		else if (chance(r, 4))
			ring->tail = rnd_val(r);
	}
	fault_armed = 0;
	atomic_store(&w->run_since, now_ns());
	ret = do_ioctl(fd, VMXLAB_RUN, (void *)a, &err);
	atomic_store(&w->run_since, 0);
	check(OP_RUN, ret, err, 1, a);
	if (run && !threaded && !touch((uint8_t *)run, 1, 0, 0)) {
		uint32_t e = run->exit_reason;

		atomic_fetch_add(&run_exits[e < 15 ? e : 15], 1);
		if (ret == 0 && (e == VMXLAB_EXIT_NONE || e > VMXLAB_EXIT_EOI))
			bad("RUN returned 0 with exit_reason %u", e);
		if (ret < 0 && err == EINTR && e != VMXLAB_EXIT_INTR)
			bad("RUN failed with EINTR but exit_reason is %u", e);
		if (ret == 0 && e == VMXLAB_EXIT_STOP &&
		    (run->stop.kind < VMXLAB_STOP_EXIT ||
		     run->stop.kind > VMXLAB_STOP_INJECT))
			bad("RUN stopped with kind %u", run->stop.kind);
		/* Checked before entering, after completing (section 4.1). */
		if (!a && !rsv && imm && !(ret < 0 && (err == EINTR || err == EIO)))
			bad("RUN with immediate_exit %#x: %ld, errno %d, exit %u",
			    imm, ret, err, e);
		/* Only when asked for, and with IF = 1 (section 5.2). */
		if (ret == 0 && e == VMXLAB_EXIT_IRQ_WINDOW_OPEN &&
		    (!window || run->if_flag != 1))
			bad("IRQ_WINDOW_OPEN with request_interrupt_window %#x, if_flag %u",
			    window, run->if_flag);
		if (ret == 0 && e == VMXLAB_EXIT_EOI)
			for (i = 0; i < 7; i++)
				if (run->eoi.reserved[i])
					bad("EOI exit with reserved byte %d = %#x",
					    i, run->eoi.reserved[i]);
		/* Every return that ran the loop fills these (section 5.1). */
		filled = ret == 0 || (err == EINTR && e == VMXLAB_EXIT_INTR);
		if (filled && (run->if_flag > 1 || run->reserved_out ||
			       run->ready_for_interrupt_injection > run->if_flag))
			bad("RUN returned if_flag %u, ready_for_interrupt_injection %u, reserved_out %#x",
			    run->if_flag, run->ready_for_interrupt_injection,
			    run->reserved_out);
		/* Ready means VMXLAB_INTERRUPT is taken now (section 4.10). */
		if (filled && run->ready_for_interrupt_injection == 1 &&
		    chance(r, 2)) {
			struct vmxlab_interrupt irq = { .irq = below(r, 256) };

			ret = do_ioctl(fd, VMXLAB_INTERRUPT, &irq, &err);
			check(OP_INTERRUPT, ret, err, 1, irq.irq);
			if (ret < 0)
				bad("INTERRUPT after RUN said ready_for_interrupt_injection: errno %d",
				    err);
		}
	}
}

/* Encodings: the allowlist, its neighbours, and anything at all. */
static uint32_t rnd_encoding(struct rng *r)
{
	static const uint32_t known[] = {
		0x0800, 0x0802, 0x080e, 0x0810, 0x4800, 0x4812, 0x4814, 0x4822,
		0x4824, 0x4826, 0x4828, 0x482a, 0x482e, 0x2800, 0x2801, 0x2802,
		0x2804, 0x2806, 0x2807, 0x2808, 0x280a, 0x2810, 0x2812, 0x6800,
		0x6802, 0x6804, 0x6806, 0x6818, 0x681a, 0x681c, 0x681e, 0x6820,
		0x6822, 0x6824, 0x6826, 0x6828, 0x0c00, 0x2c00, 0x4c00, 0x6c00,
		0x6c14, 0x6c16, 0x0000, 0x2000, 0x201a, 0x4000, 0x4002, 0x4012,
		0x4016, 0x6000, 0x2400, 0x4400, 0x4402, 0x6400, 0x640a,
	};

	switch (below(r, 4)) {
	case 0:
	case 1:
		return known[below(r, sizeof(known) / sizeof(known[0]))];
	case 2:
		return below(r, 0x8000);
	default:
		return rnd_val(r);
	}
}

static uint64_t rnd_field_value(struct rng *r, uint32_t enc)
{
	/* Keep the guest's activity state mostly active: others never wake. */
	if (enc == 0x4826 && !chance(r, 8))
		return 0;
	return rnd_val(r);
}

static void op_mmap(struct worker *w, int fd, int has_ring)
{
	struct rng *r = &w->rng;
	int ring = has_ring ? chance(r, 2) : chance(r, 6);
	size_t len = 4096;
	off_t off = ring ? VMXLAB_RING_OFFSET : 0;
	int prot = PROT_READ | PROT_WRITE, flags = MAP_SHARED, sig, bad_map = 0;
	struct map *m;
	void *p;

	if (w->nmaps == MAX_MAPS)
		return;
	if (ring && has_ring)
		len = (1 + below(r, (has_ring >> 12) + 1)) << 12;
	if (chance(r, 5)) {
		bad_map = 1;
		switch (below(r, 6)) {
		case 0:
			len = (1 + below(r, 3)) << 12;
			break;
		case 1:
			off = (off_t)below(r, 8) << 12;
			break;
		case 2:
			flags = MAP_PRIVATE;
			break;
		case 3:
			prot = PROT_READ;
			bad_map = 2;
			break;
		case 4:
			len = below(r, 8192) + 1;
			break;
		default:
			off = (off_t)rnd_val(r) & ~0xfffULL;
		}
	}
	errno = 0;
	p = mmap(NULL, len, prot, flags, fd, off);
	atomic_fetch_add(&calls, 1);
	if (p == MAP_FAILED) {
		int err = errno;

		atomic_fetch_add(&fail_by_op[OP_MMAP], 1);
		/* EBADF/ENODEV/EACCES: an fd that went stale meanwhile. */
		if (!(err > 0 && err < 128 && (documented[OP_MMAP] & B(err))) &&
		    !(threaded && (err == EBADF || err == EACCES)))
			bad("mmap(len %zu, prot %d, flags %#x, off %#llx) of a vCPU fd: errno %d (%s)",
			    len, prot, flags, (unsigned long long)off, err,
			    strerror(err));
		return;
	}
	atomic_fetch_add(&ok_by_op[OP_MMAP], 1);
	m = &w->maps[w->nmaps++];
	m->addr = p;
	m->len = (len + 4095) & ~4095UL;
	m->fd = fd;
	m->gen = fd_gen(fd);
	m->ring = off == VMXLAB_RING_OFFSET;
	m->writable = prot & PROT_WRITE;
	/*
	 * A mapping that succeeded must be readable, and writable if asked
	 * for.  (A private ring mapping copies on write: also fine.)
	 */
	sig = touch(p, m->len, 0, 0);
	if (sig) {
		long at = (uint8_t *)fault_addr - (uint8_t *)p;

		bad("reading a fresh mapping (len %zu off %#llx flags %#x, ring of %d bytes by the table) got signal %d at +%#lx; again: signal %d",
		    len, (unsigned long long)off, flags, has_ring, sig, at,
		    touch(p, m->len, 0, 0));
		dump_maps(p);
	}
	if (bad_map == 2) {
		/* Deliberate: a write to a read-only mapping must fault. */
		sig = touch(p, 1, 1, 0);
		if (sig != SIGSEGV)
			bad("writing a PROT_READ run mapping got signal %d", sig);
		else
			atomic_fetch_add(&deliberate_faults, 1);
	}
}

/* munmap, mremap or scribble on one of this thread's mappings. */
static void op_map_change(struct worker *w)
{
	struct rng *r = &w->rng;
	struct map *m;
	int i, sig;
	void *p;

	if (!w->nmaps)
		return;
	i = below(r, w->nmaps);
	m = &w->maps[i];
	switch (below(r, 4)) {
	case 0:
		/*
		 * Grow a run-page mapping: the kernel has only one page to
		 * give, so the second must SIGBUS (deliberate), not show
		 * other memory.
		 */
		if (m->ring || m->len != 4096)
			break;
		p = mremap(m->addr, 4096, 8192, MREMAP_MAYMOVE);
		if (p == MAP_FAILED)
			break;
		m->addr = p;
		m->len = 8192;
		sig = touch((uint8_t *)p + 4096, 1, 0, 0);
		if (sig == SIGBUS || sig == SIGSEGV)
			atomic_fetch_add(&deliberate_faults, 1);
		else
			bad("page 1 of a grown run mapping is readable (signal %d)", sig);
		break;
	case 1:
		/*
		 * The kernel owns the ring header except @tail, but nothing
		 * stops userspace from writing the rest: it must not trust
		 * it.
		 */
		if (m->ring && m->writable && !trust_ring_header) {
			struct vmxlab_ring *ring = (void *)m->addr;

			sig = sigsetjmp(fault_jmp, 1);
			if (!sig) {
				fault_armed = 1;
				switch (below(r, 4)) {
						case 0:
					ring->nrecords = rnd_val(r);
					break;
				case 1:
					ring->flags = rnd_val(r);
					break;
				case 2:
					ring->head = rnd_val(r);
					break;
				default:
					ring->dropped = rnd_val(r);
				}
				fault_armed = 0;
			} else {
				bad("writing a ring header got signal %d", sig);
			}
			break;
		}
		/* fall through */
	default:
		munmap(m->addr, m->len);
		*m = w->maps[--w->nmaps];
	}
}

static void op_vcpu(struct worker *w)
{
	struct rng *r = &w->rng;
	int has_ring = 0, fd = pick(r, K_VCPU, &has_ring), good, err;
	union {
		struct vmxlab_regs regs;
		struct vmxlab_sregs sregs;
		struct vmxlab_debug dbg;
		struct vmxlab_vmcs_field f;
		struct vmxlab_translation x;
		struct vmxlab_ring_config ring;
		struct vmxlab_entry_check chk;
	} u;
	__u64 *q;
	unsigned int i;
	long ret;
	void *p;

	if (fd < 0) {
		op_vm(w);
		return;
	}
	memset(&u, 0, sizeof(u));
	switch (below(r, 24)) {
	case 0:
	case 1:
	case 2:
		op_run(w, fd);
		break;
	case 3:
		op_prepare(w, fd);
		break;
	case 4:
		p = arg_ptr(r, &u.regs, sizeof(u.regs), &good);
		ret = do_ioctl(fd, VMXLAB_GET_REGS, p, &err);
		check(OP_GET_REGS, ret, err, 1, 0);
		break;
	case 5:
		q = &u.regs.rax;
		for (i = 0; i < 18; i++)
			q[i] = rnd_val(r);
		u.regs.rip = below(r, 0x10000);
		u.regs.rflags = chance(r, 3) ? rnd_val(r) : ((rnd(r) & 0x3f7fd5) | 2);
		p = arg_ptr(r, &u.regs, sizeof(u.regs), &good);
		ret = do_ioctl(fd, VMXLAB_SET_REGS, p, &err);
		check(OP_SET_REGS, ret, err, 1, u.regs.rflags);
		break;
	case 6:
		p = arg_ptr(r, &u.sregs, sizeof(u.sregs), &good);
		ret = do_ioctl(fd, VMXLAB_GET_SREGS, p, &err);
		check(OP_GET_SREGS, ret, err, 1, 0);
		break;
	case 7:
	case 8:
		ret = do_ioctl(fd, VMXLAB_GET_SREGS, &u.sregs, &err);
		check(OP_GET_SREGS, ret, err, 1, 0);
		mutate_sregs(r, &u.sregs);
		p = arg_ptr(r, &u.sregs, sizeof(u.sregs), &good);
		ret = do_ioctl(fd, VMXLAB_SET_SREGS, p, &err);
		check(OP_SET_SREGS, ret, err, 1, u.sregs.cr0);
		break;
	case 9:
		u.dbg.flags = chance(r, 6) ? rnd_val(r) : below(r, 16);
		u.dbg.exception_bitmap = chance(r, 2) ? rnd(r) & ~0x40004U : rnd(r);
		u.dbg.stop_reasons[0] = chance(r, 2) ? rnd(r) : 1ULL << below(r, 64);
		u.dbg.stop_reasons[1] = rnd_val(r);
		u.dbg.nbreakpoints = chance(r, 6) ? rnd_val(r) : below(r, 6);
		u.dbg.reserved = chance(r, 16) ? rnd_val(r) : 0;
		for (i = 0; i < 4; i++)
			u.dbg.breakpoints[i] = chance(r, 2) ? below(r, 0x10000) : rnd_val(r);
		/* Zero without VMXLAB_DEBUG_STOP_INJECT, or EINVAL. */
		if ((u.dbg.flags & VMXLAB_DEBUG_STOP_INJECT) || chance(r, 16))
			for (i = 0; i < 4; i++)
				u.dbg.stop_vectors[i] = chance(r, 2) ? rnd(r) : rnd_val(r);
		if (chance(r, 16))
			u.dbg.reserved2[below(r, 4)] = rnd_val(r);
		p = arg_ptr(r, &u.dbg, sizeof(u.dbg), &good);
		ret = do_ioctl(fd, VMXLAB_SET_DEBUG, p, &err);
		check(OP_SET_DEBUG, ret, err, 1, u.dbg.flags);
		break;
	case 10:
		u.f.encoding = rnd_encoding(r);
		u.f.reserved = chance(r, 16) ? rnd_val(r) : 0;
		p = arg_ptr(r, &u.f, sizeof(u.f), &good);
		ret = do_ioctl(fd, VMXLAB_GET_VMCS_FIELD, p, &err);
		check(OP_GET_VMCS, ret, err, 1, u.f.encoding);
		break;
	case 11:
		u.f.encoding = rnd_encoding(r);
		u.f.reserved = chance(r, 16) ? rnd_val(r) : 0;
		u.f.value = rnd_field_value(r, u.f.encoding);
		p = arg_ptr(r, &u.f, sizeof(u.f), &good);
		ret = do_ioctl(fd, VMXLAB_SET_VMCS_FIELD, p, &err);
		check(OP_SET_VMCS, ret, err, 1, u.f.encoding);
		break;
	case 12:
		u.x.gva = chance(r, 2) ? below(r, 0x100000) : rnd_val(r);
		for (i = 0; i < 4; i++)
			u.x.reserved[i] = rnd(r);	/* output: not checked */
		p = arg_ptr(r, &u.x, sizeof(u.x), &good);
		ret = do_ioctl(fd, VMXLAB_TRANSLATE, p, &err);
		check(OP_TRANSLATE, ret, err, 1, u.x.gva);
		break;
	case 13:
		u.ring.nrecords = chance(r, 3) ? rnd_val(r) : 1U << below(r, 14);
		u.ring.flags = chance(r, 8) ? rnd_val(r) : below(r, 2);
		p = arg_ptr(r, &u.ring, sizeof(u.ring), &good);
		ret = do_ioctl(fd, VMXLAB_SET_RING, p, &err);
		check(OP_SET_RING, ret, err, 1, u.ring.nrecords);
		if (ret == 0)
			set_ring_size(fd, (64 + 128 * u.ring.nrecords + 4095) & ~4095);
		break;
	case 14:
	case 15:
		op_mmap(w, fd, has_ring);
		break;
	case 16:
		op_map_change(w);
		break;
	case 17: {
		static __thread struct vmxlab_check_failure f[8];

		u.chk.nmax = chance(r, 4) ? rnd_val(r) : below(r, 9);
		/* Room for 8, a bad pointer, or a buffer too small. */
		switch (below(r, 4)) {
		case 0:
			u.chk.failures = rnd_val(r);
			break;
		case 1:
			u.chk.failures = (uintptr_t)edge_buf + 4096 - sizeof(f[0]);
			break;
		default:
			u.chk.failures = (uintptr_t)f;
			if (u.chk.nmax > 8)
				u.chk.nmax = 8;
		}
		p = arg_ptr(r, &u.chk, sizeof(u.chk), &good);
		ret = do_ioctl(fd, VMXLAB_CHECK_ENTRY, p, &err);
		check(OP_CHECK_ENTRY, ret, err, 1, u.chk.nmax);
		break;
	}
	case 18:
		op_interrupt(w, fd);
		break;
	case 19:
		op_get_lapic(w, fd);
		break;
	case 20:
		op_set_lapic(w, fd);
		break;
	default:
		/* Back to a guest that halts at once, so RUNs stay short. */
		op_prepare(w, fd);
		op_run(w, fd);
	}
}

/* An ioctl number no fd knows, or a known one on the wrong kind of fd. */
static void op_wrong(struct worker *w)
{
	static const unsigned long cmds[] = {
		VMXLAB_GET_API_VERSION, VMXLAB_CREATE_VM, VMXLAB_CHECK_CAP,
		VMXLAB_GET_VCPU_MMAP_SIZE, VMXLAB_SET_MEMORY_REGION,
		VMXLAB_CREATE_VCPU, VMXLAB_SET_CPUID, VMXLAB_SET_USER_MSRS,
		VMXLAB_RUN, VMXLAB_GET_REGS, VMXLAB_SET_REGS, VMXLAB_GET_SREGS,
		VMXLAB_SET_SREGS, VMXLAB_SET_DEBUG, VMXLAB_GET_VMCS_FIELD,
		VMXLAB_SET_VMCS_FIELD, VMXLAB_TRANSLATE, VMXLAB_SET_RING,
		VMXLAB_CHECK_ENTRY, VMXLAB_SIGNAL_MSI, VMXLAB_INTERRUPT,
		VMXLAB_GET_LAPIC, VMXLAB_SET_LAPIC,
	};
	/* Which kind of fd each of cmds[] belongs to. */
	static const int owner[] = {
		K_SYS, K_SYS, K_SYS, K_SYS, K_VM, K_VM, K_VM, K_VM,
		K_VCPU, K_VCPU, K_VCPU, K_VCPU, K_VCPU, K_VCPU, K_VCPU,
		K_VCPU, K_VCPU, K_VCPU, K_VCPU, K_VM, K_VCPU, K_VCPU, K_VCPU,
	};
	struct rng *r = &w->rng;
	int kind = 1 + below(r, 3), fd = pick(r, kind, NULL), err;
	uint8_t buf[1024];
	unsigned long cmd;
	unsigned int i, n = sizeof(cmds) / sizeof(cmds[0]);
	long ret;

	if (fd < 0)
		return;
	memset(buf, 0, sizeof(buf));
	if (chance(r, 2)) {
		i = below(r, n);
		if (owner[i] == kind)
			return;
		cmd = cmds[i];
	} else {
		/* Random nr, direction and size in vmxlab's ioctl type. */
		cmd = _IOC(below(r, 4), VMXLAB_IO, below(r, 256),
			   chance(r, 2) ? below(r, 512) : rnd(r) & 0x3fff);
		for (i = 0; i < n; i++)
			if (cmds[i] == cmd)
				return;
	}
	ret = do_ioctl(fd, cmd, buf, &err);
	check(OP_UNKNOWN, ret, err, 0, cmd);
}

static void one_call(struct worker *w)
{
	struct rng *r = &w->rng;
	uint32_t x = below(r, 100);

	if (x < 6)
		op_sys(w);
	else if (x < 24)
		op_vm(w);
	else if (x < 88)
		op_vcpu(w);
	else if (x < 93)
		op_wrong(w);
	else if (x < 95)
		close_random(r);
	else if (x < 96)
		/* Guests write into their memory: put the HLTs back. */
		memset(pool, 0xf4, POOL_PAGES * 4096);
	else
		op_map_change(w);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	long i;

	/* Before any RUN: the watchdog signals this thread by w->self. */
	w->self = pthread_self();
	atomic_store(&w->ready, 1);
	for (i = 0; i < w->ncalls; i++) {
		if (verbose && !threaded)
			fprintf(stderr, "# call %ld (rng %#llx)\n", i,
				(unsigned long long)w->rng.s);
		one_call(w);
	}
	while (w->nmaps) {
		w->nmaps--;
		munmap(w->maps[w->nmaps].addr, w->maps[w->nmaps].len);
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Setup                                                              */

static void setup_memory(void)
{
	struct sigaction sa = { 0 };
	uint8_t *p;

	/*
	 * A PROT_NONE page after the pool: a slot running past its end
	 * must not pin (and let guests write) the test's own memory.
	 */
	pool = mmap(NULL, (POOL_PAGES + 1) * 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(pool + POOL_PAGES * 4096, 4096, PROT_NONE);
	/* Every instruction a guest finds here is HLT: RUNs stay short. */
	memset(pool, 0xf4, POOL_PAGES * 4096);
	p = mmap(NULL, 5 * 4096, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ro_page = p;
	none_page = p + 4096;
	edge_buf = p + 2 * 4096;
	hole = p + 3 * 4096;
	mprotect(ro_page, 4096, PROT_READ);
	mprotect(none_page, 4096, PROT_NONE);
	munmap(hole, 4096);

	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	memset(&sa, 0, sizeof(sa));
	/* No SA_RESTART: the point is to make RUN return EINTR. */
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
}

static const char *const exit_names[] = {
	"NONE", "IO", "MMIO", "HLT", "HYPERCALL", "TRIPLE_FAULT",
	"FAIL_ENTRY", "INTERNAL_ERROR", "MSR", "INTR", "STOP", "RING_FULL",
	"IRQ_WINDOW_OPEN", "EOI",
};

static void print_stats(const char *what, uint64_t seed)
{
	int i;

	printf("# %s: seed %#llx, %lu calls, %lu unexpected results, %lu deliberate faults\n",
	       what, (unsigned long long)seed, atomic_load(&calls),
	       atomic_load(&unexpected), atomic_load(&deliberate_faults));
	for (i = 0; i < NR_OPS; i++)
		printf("#   %-18s ok %6lu  failed %6lu\n", op_names[i],
		       atomic_load(&ok_by_op[i]), atomic_load(&fail_by_op[i]));
	if (!threaded) {
		printf("#   RUN exit reasons:");
		for (i = 0; i <= VMXLAB_EXIT_EOI; i++)
			printf(" %s=%lu", exit_names[i], atomic_load(&run_exits[i]));
		printf("\n");
	}
}

static void close_all(void)
{
	int i;

	for (i = 0; i < MAX_ENTS; i++) {
		if (ents[i].kind != K_FREE)
			close(ents[i].fd);
		ents[i].kind = K_FREE;
	}
}

static void fuzz(int nthreads, uint64_t seed, long ncalls)
{
	pthread_t wd;
	int i;

	setup_memory();
	threaded = nthreads > 1;
	verbose = env_u64("VMXLAB_FUZZ_VERBOSE", 0);
	trust_ring_header = env_u64("VMXLAB_FUZZ_TRUST_RING_HEADER", 0);
	nworkers = nthreads;
	for (i = 0; i < nthreads; i++) {
		workers[i].rng.s = seed * 0x100000001b3ULL + i + (threaded ? 1000 : 0);
		workers[i].ncalls = ncalls / nthreads;
	}
	pthread_create(&wd, NULL, watchdog, NULL);
	for (i = 0; i < nthreads; i++)
		pthread_create(&workers[i].tid, NULL, worker_main, &workers[i]);
	for (i = 0; i < nthreads; i++)
		pthread_join(workers[i].tid, NULL);
	atomic_store(&stop_watchdog, 1);
	pthread_join(wd, NULL);
	close_all();
}

FIXTURE(fuzz) {
	uint64_t seed;
	long calls;
};

FIXTURE_SETUP(fuzz)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

	self->seed = env_u64("VMXLAB_FUZZ_SEED", DEFAULT_SEED);
	self->calls = env_u64("VMXLAB_FUZZ_CALLS", DEFAULT_CALLS);
	/* Root in the machine; elsewhere pinning may hit the limit: ENOMEM. */
	setrlimit(RLIMIT_MEMLOCK, &rl);
}

FIXTURE_TEARDOWN(fuzz)
{
}

/* One thread: the same seed gives the same calls, in the same order. */
TEST_F_TIMEOUT(fuzz, one_thread, 600)
{
	fuzz(1, self->seed, self->calls / 2);
	print_stats("one thread", self->seed);
	print_unexpected_errnos();
	EXPECT_EQ(0, atomic_load(&unexpected));
	EXPECT_LE(self->calls / 2, (long)atomic_load(&calls));
}

/* 2 to 4 threads on the same fds, closing them under each other. */
TEST_F_TIMEOUT(fuzz, threads, 600)
{
	struct rng r = { self->seed };
	int n = 2 + below(&r, MAX_THREADS - 1);

	fuzz(n, self->seed, self->calls - self->calls / 2);
	printf("# %d threads\n", n);
	print_stats("threads", self->seed);
	print_unexpected_errnos();
	EXPECT_EQ(0, atomic_load(&unexpected));
}

GUEST_CODE(hello, ".code16\n mov $0x42, %al\n out %al, $0x10\n hlt");

/* After all that (run last: the harness runs tests in order) ... */
TEST(module_still_works)
{
	struct tvm t;

	ASSERT_EQ(0, tvm_create(&t, 1 << 16));
	tvm_load_code(&t, GUEST_ENTRY, GUEST(hello));
	ASSERT_EQ(0, tvm_set_real(&t, GUEST_ENTRY));
	ASSERT_EQ(0, tvm_run(&t));
	ASSERT_EQ(VMXLAB_EXIT_IO, t.run->exit_reason);
	EXPECT_EQ(0x10, t.run->io.port);
	EXPECT_EQ(0x42, t.run->io.data);
	ASSERT_EQ(0, tvm_run(&t));
	EXPECT_EQ(VMXLAB_EXIT_HLT, t.run->exit_reason);
	tvm_destroy(&t);
}

TEST_HARNESS_MAIN
