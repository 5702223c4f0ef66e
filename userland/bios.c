// SPDX-License-Identifier: GPL-2.0
/*
 * bios.c - the BIOS data areas and the MP and ACPI tables, written into
 * guest RAM before the guest starts, so that a kernel booted without a
 * BIOS still finds its CPUs and interrupt controllers the usual way.
 *
 * The machine they describe is the one the loader models: a local APIC
 * per CPU at 0xfee00000, the 8259A pair on ISA IRQs 0-15, and one
 * 82093AA IOAPIC at 0xfec00000 whose pin n is ISA IRQ n, except that
 * the PIT (IRQ 0) is wired to pin 2, as on every PC since the APIC came
 * (pin 0 is where the 8259's INTR would go).
 */
#include <string.h>

#include "../kmod/apic_regs.h"
#include "bios.h"
#include "devices.h"
#include "util.h"

/* BDA equipment word: an x87 (bit 1), one serial port (bits 11:9). */
#define BDA_EQUIPMENT_VALUE	(1U << 1 | 1U << 9)
#define BASE_MEM_KB		(BIOS_EBDA >> 10)	/* 639 */

/* MP spec 1.4, 4.1: the floating pointer structure. */
#define MPF_SIZE		16
#define MPF_SPEC_REV		4	/* version 1.4 */

/* MP spec 1.4, 4.2 and 4.3: the configuration table and its entries. */
#define MPC_HEADER_SIZE		44
#define MPC_PROCESSOR		0	/* 20 bytes */
#define MPC_BUS			1	/* the rest 8 bytes each */
#define MPC_IOAPIC		2
#define MPC_IOINT		3
#define MPC_LINT		4
#define MPC_PROCESSOR_SIZE	20
#define MPC_ENTRY_SIZE		8
#define MPC_CPU_EN		0x01
#define MPC_CPU_BP		0x02
#define MPC_INT_INT		0	/* vectored, from the IOAPIC */
#define MPC_INT_NMI		1
#define MPC_INT_EXTINT		3	/* the 8259's INTR, vector by INTA */
#define MPC_ALL_APICS		0xff
#define MPC_ISA_IRQS		16
/* CPUID signature and features: family 6; FPU (bit 0), APIC (bit 9). */
#define MPC_CPU_SIGNATURE	0x00000600
#define MPC_CPU_FEATURES	(1U << 0 | 1U << 9)
#define MPC_MAX_SIZE		(MPC_HEADER_SIZE + \
				 BIOS_MAX_CPUS * MPC_PROCESSOR_SIZE + \
				 (2 + MPC_ISA_IRQS - 1 + 2) * MPC_ENTRY_SIZE)

/* ACPI 6.x, 5.2.5.3 and 5.2.6: the RSDP and the table header. */
#define RSDP_V1_SIZE		20
#define ACPI_HEADER_SIZE	36
#define RSDT_SIZE		(ACPI_HEADER_SIZE + 4)	/* one entry */
#define RSDT_REVISION		1

/* ACPI 6.x, 5.2.12: the MADT and the entry types used. */
#define MADT_REVISION		1	/* as ACPI 2.0 defines it */
#define MADT_PCAT_COMPAT	0x1
#define MADT_LAPIC		0
#define MADT_IOAPIC		1
#define MADT_ISO		2
#define MADT_LAPIC_NMI		4
#define MADT_LAPIC_SIZE		8
#define MADT_IOAPIC_SIZE	12
#define MADT_ISO_SIZE		10
#define MADT_LAPIC_NMI_SIZE	6
#define MADT_LAPIC_ENABLED	0x1
#define MADT_ALL_PROCESSORS	0xff
#define MADT_MAX_SIZE		(ACPI_HEADER_SIZE + 8 + \
				 BIOS_MAX_CPUS * MADT_LAPIC_SIZE + \
				 MADT_IOAPIC_SIZE + MADT_ISO_SIZE + \
				 MADT_LAPIC_NMI_SIZE)

#define OEM_ID			"VMXLAB"	/* ACPI: 6 bytes */
#define OEM_TABLE_ID		"VMXLAB  "	/* ACPI: 8 bytes */
#define MP_OEM_ID		"VMXLAB  "	/* MP: 8 bytes */
#define MP_PRODUCT_ID		"VMXLAB PC   "	/* MP: 12 bytes */
#define CREATOR_ID		"VMXL"

_Static_assert(BIOS_MP_CONFIG + MPC_MAX_SIZE <= BIOS_ACPI_RSDT,
	       "the MP configuration table runs into the RSDT");
_Static_assert(BIOS_ACPI_RSDT + RSDT_SIZE <= BIOS_ACPI_MADT,
	       "the RSDT runs into the MADT");
_Static_assert(BIOS_ACPI_MADT + MADT_MAX_SIZE <=
	       BIOS_TABLES + BIOS_TABLES_SIZE,
	       "the MADT runs out of the table area");

/* Both specs: all bytes of a structure add up to 0 (mod 256). */
static void put_checksum(const struct guest *g, uint64_t start, uint64_t len,
			 uint64_t at)
{
	uint8_t sum = 0;
	uint64_t i;

	guest_w8(g, at, 0);
	for (i = 0; i < len; i++)
		sum += g->ram[start + i];
	guest_w8(g, at, -sum);
}

static void put_bytes(const struct guest *g, uint64_t at, const char *s,
		      size_t n)
{
	memcpy(g->ram + at, s, n);
}

/*
 * The BDA fields the finders read: the EBDA segment and the base memory
 * size (MP spec 1.4 chapter 4, ACPI 6.x 5.2.5.1), and what every BIOS
 * fills in besides: COM1's port and the equipment list.  The EBDA
 * begins with its own size in KiB.
 */
static void write_bda(const struct guest *g)
{
	guest_w16(g, BDA_COM1_PORT, COM1_BASE);
	guest_w16(g, BDA_EBDA_SEGMENT, BIOS_EBDA >> 4);
	guest_w16(g, BDA_EQUIPMENT, BDA_EQUIPMENT_VALUE);
	guest_w16(g, BDA_BASE_MEM_KB, BASE_MEM_KB);
	guest_w8(g, BIOS_EBDA, BIOS_EBDA_SIZE >> 10);
}

/* MP spec 1.4, 4.3.4: ISA IRQ @irq arrives at IOAPIC pin @pin. */
static uint64_t put_ioint(const struct guest *g, uint64_t e, uint8_t ioapic,
			  uint8_t irq, uint8_t pin)
{
	guest_w8(g, e, MPC_IOINT);
	guest_w8(g, e + 1, MPC_INT_INT);
	guest_w16(g, e + 2, 0);		/* polarity, trigger: as the bus */
	guest_w8(g, e + 4, 0);		/* source bus: the ISA bus */
	guest_w8(g, e + 5, irq);
	guest_w8(g, e + 6, ioapic);
	guest_w8(g, e + 7, pin);
	return e + MPC_ENTRY_SIZE;
}

/* MP spec 1.4, 4.3.5: an interrupt on LINTIN@lint of every local APIC. */
static uint64_t put_lint(const struct guest *g, uint64_t e, uint8_t type,
			 uint8_t lint)
{
	guest_w8(g, e, MPC_LINT);
	guest_w8(g, e + 1, type);
	guest_w16(g, e + 2, 0);
	guest_w8(g, e + 4, 0);
	guest_w8(g, e + 5, 0);
	guest_w8(g, e + 6, MPC_ALL_APICS);
	guest_w8(g, e + 7, lint);
	return e + MPC_ENTRY_SIZE;
}

/*
 * MP spec 1.4 chapter 4: the floating pointer, in the BIOS ROM segment
 * (the third place the spec has the OS search), pointing to the
 * configuration table, whose entries are sorted by type (4.3).
 */
static void write_mp(const struct guest *g, unsigned ncpus)
{
	uint64_t t = BIOS_MP_CONFIG, e = t + MPC_HEADER_SIZE;
	uint8_t ioapic = ncpus;
	unsigned i, n = 0;

	for (i = 0; i < ncpus; i++, n++) {	/* 4.3.1 */
		guest_w8(g, e, MPC_PROCESSOR);
		guest_w8(g, e + 1, i);			/* local APIC ID */
		guest_w8(g, e + 2, LAPIC_VERSION_VALUE & 0xff);
		guest_w8(g, e + 3, MPC_CPU_EN | (i == 0 ? MPC_CPU_BP : 0));
		guest_w32(g, e + 4, MPC_CPU_SIGNATURE);
		guest_w32(g, e + 8, MPC_CPU_FEATURES);
		e += MPC_PROCESSOR_SIZE;
	}

	guest_w8(g, e, MPC_BUS);			/* 4.3.2 */
	guest_w8(g, e + 1, 0);				/* bus ID */
	put_bytes(g, e + 2, "ISA   ", 6);
	e += MPC_ENTRY_SIZE;
	n++;

	guest_w8(g, e, MPC_IOAPIC);			/* 4.3.3 */
	guest_w8(g, e + 1, ioapic);
	guest_w8(g, e + 2, IOAPIC_VERSION_VALUE & 0xff);
	guest_w8(g, e + 3, 0x01);			/* enabled */
	guest_w32(g, e + 4, IOAPIC_BASE_GPA);
	e += MPC_ENTRY_SIZE;
	n++;

	/*
	 * IRQ 2 is the cascade from the slave 8259 and reaches nothing on
	 * the IOAPIC; pin 2 is the PIT's instead.
	 */
	for (i = 0; i < MPC_ISA_IRQS; i++) {
		if (i == 2)
			continue;
		e = put_ioint(g, e, ioapic, i, i == 0 ? 2 : i);
		n++;
	}

	/*
	 * Virtual wire mode (3.6.2.2): the 8259's INTR is LINT0 of the
	 * local APICs, as ExtINT, and NMI is LINT1.
	 */
	e = put_lint(g, e, MPC_INT_EXTINT, 0);
	e = put_lint(g, e, MPC_INT_NMI, 1);
	n += 2;

	put_bytes(g, t, "PCMP", 4);			/* 4.2 */
	guest_w16(g, t + 4, e - t);			/* base table length */
	guest_w8(g, t + 6, MPF_SPEC_REV);
	put_bytes(g, t + 8, MP_OEM_ID, 8);
	put_bytes(g, t + 16, MP_PRODUCT_ID, 12);
	guest_w32(g, t + 28, 0);			/* no OEM table */
	guest_w16(g, t + 32, 0);
	guest_w16(g, t + 34, n);			/* entry count */
	guest_w32(g, t + 36, LAPIC_DEFAULT_BASE);
	guest_w16(g, t + 40, 0);			/* no extended table */
	guest_w8(g, t + 42, 0);
	put_checksum(g, t, e - t, t + 7);

	/*
	 * 4.1: one paragraph long.  Feature byte 1 = 0: the configuration
	 * table is present.  Feature byte 2 bit 7 (IMCRP) = 0: no IMCR at
	 * ports 0x22/0x23, virtual wire mode, so the OS has no register
	 * to flip when it moves from the 8259 to the APICs.
	 */
	put_bytes(g, BIOS_MP_FLOATING, "_MP_", 4);
	guest_w32(g, BIOS_MP_FLOATING + 4, t);
	guest_w8(g, BIOS_MP_FLOATING + 8, MPF_SIZE / 16);
	guest_w8(g, BIOS_MP_FLOATING + 9, MPF_SPEC_REV);
	put_checksum(g, BIOS_MP_FLOATING, MPF_SIZE, BIOS_MP_FLOATING + 10);
}

/* ACPI 6.x, 5.2.6: the common header, checksummed over @len bytes. */
static void put_acpi_header(const struct guest *g, uint64_t t,
			    const char *sig, uint32_t len, uint8_t rev)
{
	put_bytes(g, t, sig, 4);
	guest_w32(g, t + 4, len);
	guest_w8(g, t + 8, rev);
	put_bytes(g, t + 10, OEM_ID, 6);
	put_bytes(g, t + 16, OEM_TABLE_ID, 8);
	guest_w32(g, t + 24, 1);			/* OEM revision */
	put_bytes(g, t + 28, CREATOR_ID, 4);
	guest_w32(g, t + 32, 1);			/* creator revision */
	put_checksum(g, t, len, t + 9);
}

/*
 * ACPI 6.x, 5.2.12: the MADT.  PCAT_COMPAT, because the 8259 pair is
 * there too and an OS moving to the IOAPIC must mask it.  The one
 * interrupt source override is the PIT's move to GSI 2; its flags 0
 * say "as the bus": ISA, edge-triggered, active high.
 *
 * There is no FADT, hence no DSDT, no SCI and no override for IRQ 9:
 * the tables only name the interrupt hardware.  Linux parses the MADT
 * regardless (acpi_boot_init() runs before the ACPI namespace would be
 * loaded), and then runs without the ACPI interpreter.
 */
static uint32_t write_madt(const struct guest *g, unsigned ncpus)
{
	uint64_t t = BIOS_ACPI_MADT, e = t + ACPI_HEADER_SIZE + 8;
	unsigned i;

	guest_w32(g, t + ACPI_HEADER_SIZE, LAPIC_DEFAULT_BASE);
	guest_w32(g, t + ACPI_HEADER_SIZE + 4, MADT_PCAT_COMPAT);

	for (i = 0; i < ncpus; i++) {			/* 5.2.12.2 */
		guest_w8(g, e, MADT_LAPIC);
		guest_w8(g, e + 1, MADT_LAPIC_SIZE);
		guest_w8(g, e + 2, i);			/* processor UID */
		guest_w8(g, e + 3, i);			/* APIC ID */
		guest_w32(g, e + 4, MADT_LAPIC_ENABLED);
		e += MADT_LAPIC_SIZE;
	}

	guest_w8(g, e, MADT_IOAPIC);			/* 5.2.12.3 */
	guest_w8(g, e + 1, MADT_IOAPIC_SIZE);
	guest_w8(g, e + 2, ncpus);			/* the MP table's ID */
	guest_w8(g, e + 3, 0);
	guest_w32(g, e + 4, IOAPIC_BASE_GPA);
	guest_w32(g, e + 8, 0);				/* GSI base */
	e += MADT_IOAPIC_SIZE;

	guest_w8(g, e, MADT_ISO);			/* 5.2.12.5 */
	guest_w8(g, e + 1, MADT_ISO_SIZE);
	guest_w8(g, e + 2, 0);				/* bus: ISA */
	guest_w8(g, e + 3, 0);				/* IRQ 0 */
	guest_w32(g, e + 4, 2);				/* GSI 2 */
	guest_w16(g, e + 8, 0);
	e += MADT_ISO_SIZE;

	guest_w8(g, e, MADT_LAPIC_NMI);			/* 5.2.12.7 */
	guest_w8(g, e + 1, MADT_LAPIC_NMI_SIZE);
	guest_w8(g, e + 2, MADT_ALL_PROCESSORS);
	guest_w16(g, e + 3, 0);				/* as the bus */
	guest_w8(g, e + 5, 1);				/* LINT1 */
	e += MADT_LAPIC_NMI_SIZE;

	put_acpi_header(g, t, "APIC", e - t, MADT_REVISION);
	return e - t;
}

/*
 * ACPI 6.x, 5.2.5: a revision 0 (ACPI 1.0) RSDP, 20 bytes on a 16-byte
 * boundary in 0xE0000-0xFFFFF, the BIOS ROM area the OS searches
 * (5.2.5.1), pointing to an RSDT (5.2.7) whose only entry is the MADT.
 */
static void write_acpi(const struct guest *g, unsigned ncpus)
{
	uint64_t r = BIOS_ACPI_RSDP;

	write_madt(g, ncpus);
	guest_w32(g, BIOS_ACPI_RSDT + ACPI_HEADER_SIZE, BIOS_ACPI_MADT);
	put_acpi_header(g, BIOS_ACPI_RSDT, "RSDT", RSDT_SIZE, RSDT_REVISION);

	put_bytes(g, r, "RSD PTR ", 8);
	put_bytes(g, r + 9, OEM_ID, 6);
	guest_w8(g, r + 15, 0);				/* revision */
	guest_w32(g, r + 16, BIOS_ACPI_RSDT);
	put_checksum(g, r, RSDP_V1_SIZE, r + 8);
}

/* Nothing but zeros: nothing has been loaded there. */
static bool area_free(const struct guest *g, uint64_t start, uint64_t len)
{
	uint64_t i;

	for (i = 0; i < len; i++)
		if (g->ram[start + i])
			return false;
	return true;
}

int bios_tables_write(const struct guest *g, unsigned ncpus)
{
	static const struct {
		uint64_t start, len;
		const char *what;
	} areas[] = {
		{ BIOS_BDA, BIOS_BDA_SIZE, "BIOS data area" },
		{ BIOS_EBDA, BIOS_EBDA_SIZE, "extended BIOS data area" },
		{ BIOS_TABLES, BIOS_TABLES_SIZE, "MP and ACPI tables" },
	};
	unsigned i;

	if (ncpus == 0 || ncpus > BIOS_MAX_CPUS) {
		error("the firmware tables describe 1 to %d CPUs, not %u",
		      BIOS_MAX_CPUS, ncpus);
		return -1;
	}
	if (g->ram_size < 1 * MiB) {
		error("the firmware tables need the first MiB of guest "
		      "memory, and there are only %llu KiB",
		      (unsigned long long)(g->ram_size >> 10));
		return -1;
	}
	for (i = 0; i < ARRAY_SIZE(areas); i++) {
		if (!area_free(g, areas[i].start, areas[i].len)) {
			info("the image occupies 0x%llx-0x%llx, where the %s "
			     "would go; the guest gets no firmware tables",
			     (unsigned long long)areas[i].start,
			     (unsigned long long)(areas[i].start +
						  areas[i].len - 1),
			     areas[i].what);
			return 1;
		}
	}
	write_bda(g);
	write_mp(g, ncpus);
	write_acpi(g, ncpus);
	return 0;
}
