// SPDX-License-Identifier: GPL-2.0
/*
 * mbsetup - the start-up sequence of a typical multiboot test kernel,
 * one checked step at a time:
 *
 *   multiboot entry, own GDT, long mode, IDT   (mbsetup-start.S)
 *   the local APIC reset through IA32_APIC_BASE (EN off, then on)
 *   both 8259A PICs masked
 *   the APIC software-enabled through SVR, its ID and version read
 *   x2APIC enabled when CPUID.1:ECX[21] offers it; from then on the
 *   APIC is reached through MSRs 0x800-0x8ff only
 *   the number of CPUs from fw_cfg, and SMP start-up (nothing to start
 *   on one CPU)
 *   then one check of the APIC they do not make: TPR and CR8 agree
 *
 * Each step prints one line ending in ": ok" or FAILs the run.  No
 * interrupt is ever enabled or expected.  An exception nobody expected
 * prints where it happened and ends the run with debug-exit code 0x3f
 * (exit status 127), the code the kernels this imitates use for an
 * unhandled exception, so that a regression looks the same.  ELF32
 * multiboot image, 64-bit code.
 */
#include <stdbool.h>
#include <stdint.h>

#include "io.h"

#define MBSETUP_ABORT		0x3f

#define MBI_MEM			(1U << 0)

#define MSR_APIC_BASE		0x1b
#define APIC_BASE_BSP		(1ULL << 8)
#define APIC_BASE_EXTD		(1ULL << 10)	/* x2APIC mode */
#define APIC_BASE_EN		(1ULL << 11)
#define APIC_BASE_ADDR		0xfffff000ULL
#define MSR_EFER		0xc0000080
#define EFER_LMA		(1ULL << 10)

/* xAPIC register offsets (SDM Vol. 3A 11.4.1, Table 11-1). */
#define APIC_ID			0x020
#define APIC_VERSION		0x030
#define APIC_TPR		0x080
#define APIC_LDR		0x0d0
#define APIC_SVR		0x0f0
#define APIC_SVR_ENABLE		(1U << 8)

/* In x2APIC mode, register at offset o is MSR 0x800 + o / 16 (11.12.1.2). */
#define X2APIC_MSR(off)		(0x800 + ((off) >> 4))

#define PIC1_DATA		0x21
#define PIC2_DATA		0xa1

/* QEMU's fw_cfg, I/O interface: selector, then data one byte at a time. */
#define FW_CFG_SEL		0x510
#define FW_CFG_DATA		0x511
#define FW_CFG_SIGNATURE	0x00
#define FW_CFG_NB_CPUS		0x05

#define SEL_CODE64		0x10

#define NO_FAULT		(~0ULL)

struct mb_info {
	uint32_t flags, mem_lower, mem_upper;
};

/* What mbsetup-start.S's exception_common pushed, lowest address first. */
struct exc_frame {
	uint64_t r11, r10, r9, r8, rdi, rsi, rdx, rcx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};

/*
 * An expected fault: the RIP to resume at, set just before the
 * instruction that may fault, and the vector it raised.
 */
static volatile uint64_t fault_resume;
static volatile uint64_t fault_vector;

static const char *step = "entry";
static bool x2apic_on;

static const char *const exc_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
	"#DF", "vector 9", "#TS", "#NP", "#SS", "#GP", "#PF", "vector 15",
	"#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
};

/* ---- the processor --------------------------------------------------- */

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t val)
{
	__asm__ volatile("wrmsr"
			 : : "c"(msr), "a"((uint32_t)val),
			   "d"((uint32_t)(val >> 32)) : "memory");
}

/* RDMSR that may #GP: returns the vector it raised, or NO_FAULT. */
static uint64_t rdmsr_fault(uint32_t msr, uint64_t *val)
{
	uint32_t lo, hi;

	fault_vector = NO_FAULT;
	__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
			 "mov %%rax, %2\n\t"
			 "xor %%edx, %%edx\n\t"
			 "rdmsr\n"
			 "1:"
			 : "=a"(lo), "=&d"(hi), "=m"(fault_resume)
			 : "c"(msr) : "memory");
	fault_resume = 0;
	*val = (uint64_t)hi << 32 | lo;
	return fault_vector;
}

/* UD2, caught: returns the vector it raised. */
static uint64_t ud2_fault(void)
{
	fault_vector = NO_FAULT;
	__asm__ volatile("lea 1f(%%rip), %%rax\n\t"
			 "mov %%rax, %0\n\t"
			 "ud2\n"
			 "1:"
			 : "=m"(fault_resume) : : "rax", "memory");
	fault_resume = 0;
	return fault_vector;
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b,
			 uint32_t *c, uint32_t *d)
{
	__asm__ volatile("cpuid"
			 : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			 : "a"(leaf), "c"(0));
}

static uint32_t cpuid_reg(uint32_t leaf, int which)
{
	uint32_t r[4];

	cpuid(leaf, &r[0], &r[1], &r[2], &r[3]);
	return r[which];
}

#define EAX	0
#define EBX	1
#define ECX	2
#define EDX	3

static inline uint64_t read_cr(int n)
{
	uint64_t v = 0;

	switch (n) {
	case 0:
		__asm__ volatile("mov %%cr0, %0" : "=r"(v));
		break;
	case 4:
		__asm__ volatile("mov %%cr4, %0" : "=r"(v));
		break;
	case 8:
		__asm__ volatile("mov %%cr8, %0" : "=r"(v));
		break;
	}
	return v;
}

static inline uint16_t read_cs(void)
{
	uint16_t cs;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	return cs;
}

/* ---- the local APIC, in whichever mode it is ------------------------- */

static volatile uint32_t *xapic_reg(uint32_t off)
{
	return (volatile uint32_t *)(uintptr_t)(APIC_GPA + off);
}

/*
 * Once x2APIC is on, the xAPIC page is no longer the APIC's (SDM
 * 11.12.1.2): every access goes through the MSRs.
 */
static uint32_t apic_read(uint32_t off)
{
	return x2apic_on ? (uint32_t)rdmsr(X2APIC_MSR(off)) : *xapic_reg(off);
}

static void apic_write(uint32_t off, uint32_t val)
{
	if (x2apic_on)
		wrmsr(X2APIC_MSR(off), val);
	else
		*xapic_reg(off) = val;
}

/* The APIC ID as the mode has it: 8 bits in 31:24, or all 32 bits. */
static uint32_t apic_id(void)
{
	uint32_t id = apic_read(APIC_ID);

	return x2apic_on ? id : id >> 24;
}

/* ---- output ---------------------------------------------------------- */

static void put_kv(const char *key, uint64_t v)
{
	puts_(key);
	put_hex(v);
}

static int fail(const char *what)
{
	puts_("mbsetup: ");
	puts_(step);
	puts_(": FAILED: ");
	puts_(what);
	putc_('\n');
	return GUEST_FAIL;
}

static void ok(void)
{
	puts_(": ok\n");
}

/* Called by exception_common (mbsetup-start.S) for vectors 0-31. */
void mbsetup_exception(struct exc_frame *f)
{
	const uint8_t *insn = (const uint8_t *)(uintptr_t)f->rip;

	if (fault_resume) {
		fault_vector = f->vector;
		f->rip = fault_resume;
		fault_resume = 0;
		return;
	}
	puts_("mbsetup: unhandled exception ");
	puts_(f->vector < 32 && exc_names[f->vector] ? exc_names[f->vector] :
	      "(reserved)");
	put_kv(" (vector ", f->vector);
	put_kv("), error code ", f->error);
	put_kv(", at rip ", f->rip);
	puts_(", during step: ");
	puts_(step);
	putc_('\n');
	/* A #GP of RDMSR (0f 32) or WRMSR (0f 30): which MSR is the story. */
	if (f->vector == 13 && insn[0] == 0x0f &&
	    (insn[1] == 0x32 || insn[1] == 0x30)) {
		puts_(insn[1] == 0x32 ? "mbsetup: the instruction was RDMSR" :
		      "mbsetup: the instruction was WRMSR");
		put_kv(" of MSR ", (uint32_t)f->rcx);
		putc_('\n');
	}
	guest_exit(MBSETUP_ABORT);
}

/* ---- the steps ------------------------------------------------------- */

static int check_multiboot(uint32_t magic, const struct mb_info *mbi)
{
	step = "multiboot";
	if (magic != MB_BOOT_MAGIC)
		return fail("EAX is not 0x2badb002 at entry");
	if (!(mbi->flags & MBI_MEM))
		return fail("no memory information (flag 0)");
	puts_("mbsetup: multiboot magic 0x2badb002, mem_upper ");
	put_dec(mbi->mem_upper);
	puts_(" KiB");
	ok();
	return 0;
}

static int check_long_mode(void)
{
	step = "long mode";
	if (!(rdmsr(MSR_EFER) & EFER_LMA))
		return fail("EFER.LMA is 0");
	if (!(read_cr(0) & (1ULL << 31)) || !(read_cr(4) & (1ULL << 5)))
		return fail("CR0.PG or CR4.PAE is 0");
	if (read_cs() != SEL_CODE64)
		return fail("CS is not the 64-bit code segment");
	puts_("mbsetup: long mode: EFER.LMA=1, CR0.PG=1, CR4.PAE=1, CS=0x10");
	ok();
	return 0;
}

static int check_idt(void)
{
	step = "IDT";
	if (ud2_fault() != 6)
		return fail("ud2 did not reach the #UD handler");
	puts_("mbsetup: IDT: #UD from ud2 reached its handler");
	ok();
	return 0;
}

/*
 * Disable the APIC globally, then enable it again (SDM 11.4.3): a known
 * state whatever the boot loader left.  While IA32_APIC_BASE.EN = 0 the
 * processor has no APIC, and CPUID.1:EDX[9] says so.
 */
static int reset_apic(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE), off, on;

	step = "APIC reset";
	if ((base & APIC_BASE_ADDR) != APIC_GPA)
		return fail("IA32_APIC_BASE does not hold 0xfee00000");
	if (!(base & APIC_BASE_BSP))
		return fail("IA32_APIC_BASE.BSP is 0 on the only CPU");
	wrmsr(MSR_APIC_BASE, base & ~(APIC_BASE_EN | APIC_BASE_EXTD));
	off = rdmsr(MSR_APIC_BASE);
	if (off & APIC_BASE_EN)
		return fail("IA32_APIC_BASE.EN stayed 1");
	if (cpuid_reg(1, EDX) & (1U << 9))
		return fail("CPUID.1:EDX.APIC is 1 with the APIC disabled");
	wrmsr(MSR_APIC_BASE, off | APIC_BASE_EN);
	on = rdmsr(MSR_APIC_BASE);
	if (!(on & APIC_BASE_EN))
		return fail("IA32_APIC_BASE.EN stayed 0");
	if (!(cpuid_reg(1, EDX) & (1U << 9)))
		return fail("CPUID.1:EDX.APIC is 0 with the APIC enabled");
	put_kv("mbsetup: APIC reset through IA32_APIC_BASE: ", base);
	put_kv(" -> ", off);
	put_kv(" -> ", on);
	puts_(", CPUID.1:EDX.APIC follows EN");
	ok();
	return 0;
}

/* OCW1 masks every input; a read of the data port returns IMR (8259A). */
static int mask_pic(void)
{
	uint8_t m1, m2;

	step = "PIC";
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
	m1 = inb(PIC1_DATA);
	m2 = inb(PIC2_DATA);
	if (m1 != 0xff || m2 != 0xff)
		return fail("IMR does not read back 0xff");
	puts_("mbsetup: both 8259A PICs masked (IMR 0xff, 0xff)");
	ok();
	return 0;
}

/* SVR bit 8 is the software enable; 0xff the spurious vector (11.9). */
static int enable_apic(void)
{
	uint32_t svr, ver, id;

	step = "APIC enable";
	apic_write(APIC_SVR, APIC_SVR_ENABLE | 0xff);
	svr = apic_read(APIC_SVR);
	if ((svr & 0x1ff) != 0x1ff)
		return fail("SVR does not read back 0x1ff");
	ver = apic_read(APIC_VERSION);
	/* 0x10-0x15: an integrated APIC (SDM 11.4.8, Figure 11-7). */
	if ((ver & 0xff) < 0x10 || (ver & 0xff) > 0x15)
		return fail("the version register has no integrated APIC");
	id = apic_id();
	step = "APIC ID";
	if (id != cpuid_reg(1, EBX) >> 24)
		return fail("the APIC ID is not CPUID.1:EBX[31:24]");
	put_kv("mbsetup: APIC enabled through SVR: ", svr);
	put_kv(", version ", ver);
	put_kv(", ID ", id);
	puts_(" = CPUID.1:EBX[31:24]");
	ok();
	return 0;
}

/*
 * xAPIC -> x2APIC: set EXTD with EN still set, the only legal way in
 * (SDM 11.12.5, Figure 11-29).  The ID becomes 32 bits, LDR is derived
 * from it (11.12.10.2: cluster in 31:16, 1 << (ID & 15) in 15:0), the
 * rest of the state stays.  Until then the x2APIC MSRs #GP (11.12.1.2).
 */
static int enable_x2apic(void)
{
	uint32_t xid = apic_id(), xver = apic_read(APIC_VERSION);
	uint64_t v;
	uint32_t id, ldr;

	step = "x2APIC";
	if (!(cpuid_reg(1, ECX) & (1U << 21))) {
		puts_("mbsetup: CPUID.1:ECX[21] is 0: no x2APIC, "
		      "staying in xAPIC mode");
		ok();
		return 0;
	}
	if (rdmsr_fault(X2APIC_MSR(APIC_ID), &v) != 13)
		return fail("RDMSR 0x802 in xAPIC mode did not raise #GP");
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_EXTD);
	if (!(rdmsr(MSR_APIC_BASE) & APIC_BASE_EXTD))
		return fail("IA32_APIC_BASE.EXTD stayed 0");
	x2apic_on = true;
	id = apic_id();
	ldr = apic_read(APIC_LDR);
	if (id != xid)
		return fail("the x2APIC ID (MSR 0x802) is not the xAPIC ID");
	if (apic_read(APIC_VERSION) != xver)
		return fail("the version (MSR 0x803) changed");
	if (ldr != ((id >> 4) << 16 | 1U << (id & 15)))
		return fail("LDR (MSR 0x80d) is not derived from the ID");
	if ((apic_read(APIC_SVR) & 0x1ff) != 0x1ff)
		return fail("SVR (MSR 0x80f) lost its value");
	put_kv("mbsetup: x2APIC enabled (IA32_APIC_BASE ",
	       rdmsr(MSR_APIC_BASE));
	puts_(") after RDMSR 0x802 raised #GP in xAPIC mode");
	put_kv(": ID ", id);
	put_kv(", LDR ", ldr);
	puts_(", version and SVR kept");
	ok();
	return 0;
}

/* TPR[7:4] is CR8 in 64-bit mode (SDM 11.8.6). */
static int check_tpr(void)
{
	uint32_t tpr;
	uint64_t cr8;

	step = "TPR";
	apic_write(APIC_TPR, 0x20);
	tpr = apic_read(APIC_TPR);
	cr8 = read_cr(8);
	apic_write(APIC_TPR, 0);
	if (tpr != 0x20)
		return fail("TPR does not read back 0x20");
	if (cr8 != 2)
		return fail("CR8 is not TPR[7:4]");
	puts_(x2apic_on ? "mbsetup: TPR 0x20 through MSR 0x808" :
	      "mbsetup: TPR 0x20 through the xAPIC page");
	puts_(", CR8 = 2");
	ok();
	return 0;
}

static void fw_cfg_select(uint16_t key)
{
	__asm__ volatile("outw %0, %1" : : "a"(key), "Nd"(FW_CFG_SEL));
}

static uint32_t fw_cfg_read(unsigned bytes)
{
	uint32_t v = 0;
	unsigned i;

	/* Items are little-endian byte strings. */
	for (i = 0; i < bytes; i++)
		v |= (uint32_t)inb(FW_CFG_DATA) << (8 * i);
	return v;
}

static int smp_init(void)
{
	uint32_t sig, ncpus;

	step = "fw_cfg";
	fw_cfg_select(FW_CFG_SIGNATURE);
	sig = fw_cfg_read(4);
	if (sig != 0x554d4551)			/* "QEMU" */
		return fail("the fw_cfg signature is not QEMU");
	fw_cfg_select(FW_CFG_NB_CPUS);
	ncpus = fw_cfg_read(2);
	if (ncpus < 1)
		return fail("fw_cfg reports no CPU");
	puts_("mbsetup: fw_cfg signature QEMU, ");
	put_dec(ncpus);
	puts_(ncpus == 1 ? " CPU" : " CPUs");
	ok();

	step = "smp";
	puts_("mbsetup: smp: BSP has APIC ID ");
	put_dec(apic_id());
	puts_(ncpus == 1 ? ", no other CPU to start" :
	      ", starting the others is not part of this test");
	ok();
	return 0;
}

int mbsetup_main(uint32_t magic, uint32_t info)
{
	const struct mb_info *mbi = (const void *)(uintptr_t)info;

	if (check_multiboot(magic, mbi) || check_long_mode() || check_idt() ||
	    reset_apic() || mask_pic() || enable_apic() || enable_x2apic() ||
	    smp_init() || check_tpr())
		return GUEST_FAIL;
	puts_("mbsetup: ok\n");
	return GUEST_PASS;
}
