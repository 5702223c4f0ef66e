// SPDX-License-Identifier: GPL-2.0
/*
 * test-bios.c - the firmware tables of bios.c, found and parsed back the
 * way a guest does: xv6's mpinit() (MP spec 1.4 chapter 4) and Linux's
 * ACPI table code (ACPI 6.x 5.2.5.1: RSDP, then RSDT, then MADT).
 */
#include <stdlib.h>

#include "bios.h"
#include "tap.h"

static struct guest *guest(uint64_t size)
{
	struct guest *g = calloc(1, sizeof(*g));

	g->ram = calloc(1, size);
	g->ram_size = size;
	return g;
}

static unsigned rd8(const struct guest *g, uint64_t a)
{
	return g->ram[a];
}

static unsigned rd16(const struct guest *g, uint64_t a)
{
	return g->ram[a] | g->ram[a + 1] << 8;
}

static uint8_t sum(const struct guest *g, uint64_t a, uint64_t len)
{
	uint8_t s = 0;

	while (len--)
		s += g->ram[a++];
	return s;
}

/* xv6 mpsearch1(): a checksummed "_MP_" on a 16-byte boundary. */
static uint64_t mp_search1(const struct guest *g, uint64_t a, uint64_t len)
{
	uint64_t p;

	for (p = a; p < a + len; p += 16)
		if (!memcmp(g->ram + p, "_MP_", 4) && sum(g, p, 16) == 0)
			return p;
	return 0;
}

/*
 * MP spec 1.4 chapter 4 (xv6 mpsearch()): the EBDA's first KiB, or the
 * last KiB of base memory if there is no EBDA, then 0xF0000-0xFFFFF.
 */
static uint64_t mp_search(const struct guest *g)
{
	uint64_t p = (uint64_t)rd16(g, 0x40e) << 4, mp;

	if (p) {
		mp = mp_search1(g, p, 1024);
		if (mp)
			return mp;
	} else {
		p = rd16(g, 0x413) * 1024;
		mp = mp_search1(g, p - 1024, 1024);
		if (mp)
			return mp;
	}
	return mp_search1(g, 0xf0000, 0x10000);
}

struct mp_found {
	unsigned entries, cpus, buses, ioapics, ioints, lints;
	unsigned bsp, ioapic_id, ioapic_ver;
	uint32_t lapic, ioapic_addr;
	uint8_t pin_of_irq[16];		/* 0xff: none */
	bool lint0_extint, lint1_nmi;
};

/* xv6 mpconfig() and mpinit(), with every field checked. */
static bool mp_parse(const struct guest *g, struct mp_found *f)
{
	uint64_t mp = mp_search(g), conf, e, end;
	unsigned i;

	memset(f, 0, sizeof(*f));
	memset(f->pin_of_irq, 0xff, sizeof(f->pin_of_irq));
	if (!mp)
		return false;
	CHECK_EQ(mp, BIOS_MP_FLOATING);
	CHECK_EQ(rd8(g, mp + 8), 1);		/* length: 16 bytes */
	CHECK_EQ(rd8(g, mp + 9), 4);		/* spec 1.4 */
	CHECK_EQ(rd8(g, mp + 11), 0);		/* a table, not a default */
	CHECK_EQ(rd8(g, mp + 12), 0);		/* IMCRP 0: virtual wire */
	conf = guest_r32(g, mp + 4);
	CHECK_EQ(conf, BIOS_MP_CONFIG);
	if (memcmp(g->ram + conf, "PCMP", 4))
		return false;
	if (rd8(g, conf + 6) != 1 && rd8(g, conf + 6) != 4)
		return false;
	if (sum(g, conf, rd16(g, conf + 4)))
		return false;
	CHECK(!memcmp(g->ram + conf + 8, "VMXLAB  VMXLAB PC   ", 20));
	CHECK_EQ(rd16(g, conf + 40), 0);	/* no extended entries */
	f->lapic = guest_r32(g, conf + 36);
	f->entries = rd16(g, conf + 34);
	end = conf + rd16(g, conf + 4);
	e = conf + 44;
	for (i = 0; i < f->entries; i++) {
		switch (rd8(g, e)) {
		case 0:					/* processor */
			CHECK_EQ(rd8(g, e + 1), f->cpus);	/* APIC ID */
			CHECK_EQ(rd8(g, e + 2), 0x14);
			CHECK_EQ(rd8(g, e + 3) & 1, 1);		/* enabled */
			if (rd8(g, e + 3) & 2)
				f->bsp = rd8(g, e + 1);
			CHECK_EQ(guest_r32(g, e + 4) >> 8 & 0xf, 6);
			f->cpus++;
			e += 20;
			break;
		case 1:					/* bus */
			CHECK_EQ(rd8(g, e + 1), 0);
			CHECK(!memcmp(g->ram + e + 2, "ISA   ", 6));
			f->buses++;
			e += 8;
			break;
		case 2:					/* I/O APIC */
			f->ioapic_id = rd8(g, e + 1);
			f->ioapic_ver = rd8(g, e + 2);
			CHECK_EQ(rd8(g, e + 3), 1);		/* enabled */
			f->ioapic_addr = guest_r32(g, e + 4);
			f->ioapics++;
			e += 8;
			break;
		case 3:					/* I/O interrupt */
			CHECK_EQ(rd8(g, e + 1), 0);		/* INT */
			CHECK_EQ(rd16(g, e + 2), 0);
			CHECK_EQ(rd8(g, e + 4), 0);		/* ISA */
			CHECK(rd8(g, e + 5) < 16);
			CHECK_EQ(rd8(g, e + 6), f->ioapic_id);
			f->pin_of_irq[rd8(g, e + 5) & 15] = rd8(g, e + 7);
			f->ioints++;
			e += 8;
			break;
		case 4:					/* local interrupt */
			CHECK_EQ(rd8(g, e + 6), 0xff);		/* all */
			if (rd8(g, e + 1) == 3 && rd8(g, e + 7) == 0)
				f->lint0_extint = true;
			if (rd8(g, e + 1) == 1 && rd8(g, e + 7) == 1)
				f->lint1_nmi = true;
			f->lints++;
			e += 8;
			break;
		default:		/* xv6: "ismp = 0" */
			return false;
		}
	}
	CHECK_EQ(e, end);
	return true;
}

/* ACPI 6.x 5.2.5.1: the EBDA's first KiB, then 0xE0000-0xFFFFF. */
static uint64_t rsdp_search(const struct guest *g)
{
	uint64_t ebda = (uint64_t)rd16(g, 0x40e) << 4, p;

	if (ebda > 0x400)
		for (p = ebda; p < ebda + 1024; p += 16)
			if (!memcmp(g->ram + p, "RSD PTR ", 8) &&
			    sum(g, p, 20) == 0)
				return p;
	for (p = 0xe0000; p < 0x100000; p += 16)
		if (!memcmp(g->ram + p, "RSD PTR ", 8) && sum(g, p, 20) == 0)
			return p;
	return 0;
}

/* A valid table with signature @sig at @a: its length, or 0. */
static uint32_t acpi_table(const struct guest *g, uint64_t a,
			   const char *sig)
{
	uint32_t len = guest_r32(g, a + 4);

	if (memcmp(g->ram + a, sig, 4) || len < 36 || sum(g, a, len))
		return 0;
	CHECK(!memcmp(g->ram + a + 10, "VMXLAB", 6));
	return len;
}

struct madt_found {
	uint32_t lapic, flags;
	unsigned lapics, ioapics, isos, nmis, revision;
	unsigned ioapic_id;
	uint32_t ioapic_addr, gsi_base;
	unsigned iso_src, iso_gsi, iso_flags;
	unsigned nmi_uid, nmi_lint;
};

static bool acpi_parse(const struct guest *g, struct madt_found *m)
{
	uint64_t rsdp = rsdp_search(g), rsdt, madt = 0, e, end;
	uint32_t len, i;

	memset(m, 0, sizeof(*m));
	if (!rsdp)
		return false;
	CHECK_EQ(rsdp, BIOS_ACPI_RSDP);
	CHECK_EQ(rd8(g, rsdp + 15), 0);		/* ACPI 1.0: RSDT only */
	rsdt = guest_r32(g, rsdp + 16);
	len = acpi_table(g, rsdt, "RSDT");
	if (!len)
		return false;
	CHECK_EQ(len, 40);
	for (i = 0; i < (len - 36) / 4; i++) {
		uint64_t t = guest_r32(g, rsdt + 36 + 4 * i);

		if (acpi_table(g, t, "APIC"))
			madt = t;
	}
	if (!madt)
		return false;
	m->revision = rd8(g, madt + 8);
	m->lapic = guest_r32(g, madt + 36);
	m->flags = guest_r32(g, madt + 40);
	end = madt + guest_r32(g, madt + 4);
	for (e = madt + 44; e < end; e += rd8(g, e + 1)) {
		CHECK(rd8(g, e + 1) >= 2);
		if (rd8(g, e + 1) < 2)
			return false;
		switch (rd8(g, e)) {
		case 0:
			CHECK_EQ(rd8(g, e + 1), 8);
			CHECK_EQ(rd8(g, e + 2), m->lapics);	/* UID */
			CHECK_EQ(rd8(g, e + 3), m->lapics);	/* APIC ID */
			CHECK_EQ(guest_r32(g, e + 4), 1);	/* enabled */
			m->lapics++;
			break;
		case 1:
			CHECK_EQ(rd8(g, e + 1), 12);
			m->ioapic_id = rd8(g, e + 2);
			m->ioapic_addr = guest_r32(g, e + 4);
			m->gsi_base = guest_r32(g, e + 8);
			m->ioapics++;
			break;
		case 2:
			CHECK_EQ(rd8(g, e + 1), 10);
			CHECK_EQ(rd8(g, e + 2), 0);		/* ISA */
			m->iso_src = rd8(g, e + 3);
			m->iso_gsi = guest_r32(g, e + 4);
			m->iso_flags = rd16(g, e + 8);
			m->isos++;
			break;
		case 4:
			CHECK_EQ(rd8(g, e + 1), 6);
			m->nmi_uid = rd8(g, e + 2);
			CHECK_EQ(rd16(g, e + 3), 0);
			m->nmi_lint = rd8(g, e + 5);
			m->nmis++;
			break;
		default:
			CHECK(!"an unexpected MADT entry type");
		}
	}
	CHECK_EQ(e, end);
	return true;
}

static void check_tables(unsigned ncpus)
{
	struct guest *g = guest(16 << 20);
	struct mp_found f;
	struct madt_found m;
	unsigned irq;

	CHECK_EQ(bios_tables_write(g, ncpus), 0);

	/* The BDA and EBDA. */
	CHECK_EQ(rd16(g, 0x400), 0x3f8);
	CHECK_EQ(rd16(g, 0x40e), 0x9fc0);
	CHECK_EQ(rd16(g, 0x410), 0x0202);	/* x87, one serial port */
	CHECK_EQ(rd16(g, 0x413), 639);
	CHECK_EQ(rd8(g, 0x9fc00), 1);		/* EBDA size, KiB */

	CHECK(mp_parse(g, &f));
	CHECK_EQ(f.lapic, 0xfee00000);
	CHECK_EQ(f.cpus, ncpus);
	CHECK_EQ(f.bsp, 0);
	CHECK_EQ(f.buses, 1);
	CHECK_EQ(f.ioapics, 1);
	CHECK_EQ(f.ioapic_id, ncpus);
	CHECK_EQ(f.ioapic_ver, 0x11);
	CHECK_EQ(f.ioapic_addr, 0xfec00000);
	CHECK_EQ(f.ioints, 15);
	CHECK_EQ(f.lints, 2);
	CHECK_EQ(f.entries, ncpus + 1 + 1 + 15 + 2);
	CHECK(f.lint0_extint);
	CHECK(f.lint1_nmi);
	CHECK_EQ(f.pin_of_irq[0], 2);		/* the PIT */
	CHECK_EQ(f.pin_of_irq[2], 0xff);	/* the cascade: none */
	for (irq = 1; irq < 16; irq++)
		if (irq != 2)
			CHECK_EQ(f.pin_of_irq[irq], irq);

	CHECK(acpi_parse(g, &m));
	CHECK_EQ(m.revision, 1);
	CHECK_EQ(m.lapic, 0xfee00000);
	CHECK_EQ(m.flags, 1);			/* PCAT_COMPAT */
	CHECK_EQ(m.lapics, ncpus);
	CHECK_EQ(m.ioapics, 1);
	CHECK_EQ(m.ioapic_id, ncpus);
	CHECK_EQ(m.ioapic_addr, 0xfec00000);
	CHECK_EQ(m.gsi_base, 0);
	CHECK_EQ(m.isos, 1);
	CHECK_EQ(m.iso_src, 0);
	CHECK_EQ(m.iso_gsi, 2);
	CHECK_EQ(m.iso_flags, 0);
	CHECK_EQ(m.nmis, 1);
	CHECK_EQ(m.nmi_uid, 0xff);
	CHECK_EQ(m.nmi_lint, 1);
	CHECK_EQ(guest_r32(g, BIOS_ACPI_MADT + 4), 72 + 8 * ncpus);
}

TEST(bios_tables_one_cpu)
{
	check_tables(1);
}

TEST(bios_tables_four_cpus)
{
	check_tables(4);
}

TEST(bios_tables_most_cpus_fit)
{
	check_tables(BIOS_MAX_CPUS);
}

TEST(bios_mp_found_in_base_memory_without_ebda_segment)
{
	struct guest *g = guest(1 << 20);
	struct mp_found f;

	CHECK_EQ(bios_tables_write(g, 2), 0);
	/* Nothing in the EBDA: the F segment is where the search ends. */
	CHECK_EQ(mp_search1(g, 0x9fc00, 1024), 0);
	/* With the EBDA pointer gone, base memory is searched instead. */
	g->ram[0x40e] = g->ram[0x40f] = 0;
	CHECK(mp_parse(g, &f));
	CHECK_EQ(f.cpus, 2);
	/* A broken checksum hides the configuration table. */
	g->ram[BIOS_MP_CONFIG + 50] ^= 1;
	CHECK(!mp_parse(g, &f));
}

TEST(bios_refuses_bad_arguments)
{
	struct guest *g = guest(16 << 20);
	struct capture c = { 0 };

	capture_start(&c);
	CHECK_EQ(bios_tables_write(g, 0), -1);
	capture_end(&c);
	CHECK_STR(c.buf, "vmxlab: the firmware tables describe 1 to 16 CPUs, "
		  "not 0\n");
	capture_start(&c);
	CHECK_EQ(bios_tables_write(g, BIOS_MAX_CPUS + 1), -1);
	capture_end(&c);
	CHECK_CONTAINS(c.buf, "not 17\n");

	g->ram_size = 512 << 10;
	capture_start(&c);
	CHECK_EQ(bios_tables_write(g, 1), -1);
	capture_end(&c);
	CHECK_STR(c.buf, "vmxlab: the firmware tables need the first MiB of "
		  "guest memory, and there are only 512 KiB\n");
	g->ram_size = 16 << 20;
	CHECK_EQ(rd16(g, 0x40e), 0);		/* nothing was written */
	CHECK_EQ(sum(g, 0xf0000, 0x1000), 0);
}

TEST(bios_tables_only_where_the_image_left_zeros)
{
	static const uint64_t spots[] = { 0x4ff, 0x9fc00, 0xf0000, 0xf0fff };
	struct capture c = { 0 };
	unsigned i;

	for (i = 0; i < 4; i++) {
		struct guest *g = guest(16 << 20);

		g->ram[spots[i]] = 0xcc;
		capture_start(&c);
		CHECK_EQ(bios_tables_write(g, 1), 1);
		capture_end(&c);
		CHECK_CONTAINS(c.buf, "the guest gets no firmware tables");
		CHECK_EQ(g->ram[spots[i]], 0xcc);
		CHECK_EQ(rd16(g, 0x400), 0);
		CHECK_EQ(mp_search(g), 0);
		CHECK_EQ(rsdp_search(g), 0);
	}
	{
		struct guest *g = guest(16 << 20);

		g->ram[0xf0000] = 0xcc;
		capture_start(&c);
		bios_tables_write(g, 1);
		capture_end(&c);
		CHECK_STR(c.buf, "vmxlab: the image occupies 0xf0000-0xf0fff, "
			  "where the MP and ACPI tables would go; the guest "
			  "gets no firmware tables\n");
	}
	/* Images at 0x1000, in the boot area and at 1 MiB: no conflict. */
	{
		struct guest *g = guest(16 << 20);

		memset(g->ram + 0x1000, 0x90, 0x1000);
		memset(g->ram + 0x70000, 0x11, 0x10000);
		memset(g->ram + 0x100000, 0xf4, 0x1000);
		g->ram[0x3ff] = g->ram[0x500] = 0x55;	/* IVT, after BDA */
		g->ram[0x9fbff] = g->ram[0xa0000] = 0x55;
		g->ram[0xeffff] = g->ram[0xf1000] = 0x55;
		CHECK_EQ(bios_tables_write(g, 1), 0);
		CHECK_EQ(g->ram[0x1fff], 0x90);
		CHECK_EQ(g->ram[0x100000], 0xf4);
		CHECK_EQ(g->ram[0xf1000], 0x55);
		CHECK_EQ(mp_search(g), BIOS_MP_FLOATING);
	}
}
