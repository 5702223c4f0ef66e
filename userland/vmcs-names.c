// SPDX-License-Identifier: GPL-2.0
/*
 * vmcs-names.c - VMCS field names and encodings, both ways.
 *
 * The table (uapi/linux/vmxlab_tables.h) spells most fields as KVM does
 * (arch/x86/include/asm/vmx.h).  A user may also type the SDM's name
 * ("Exit reason", "Primary processor-based VM-execution controls"),
 * in any case, with spaces, hyphens or underscores.  So a name is
 * normalized first, then looked up in two tiers:
 *
 *  1. the name itself, or without a leading VMCS_, in the table or in the
 *     aliases below (the names that differ in more than a prefix);
 *  2. only if that finds nothing, the same with a leading VM_ added or
 *     removed, GUEST_ or HOST_ added, and IA32_ added or removed after
 *     GUEST_ or HOST_ ("EXIT_CONTROLS", "RFLAGS", "GUEST_EFER").
 *
 * A tier that finds two encodings refuses the name ("RIP": GUEST_RIP or
 * HOST_RIP?).  KVM's NAME_HIGH, the high half of a 64-bit field, is the
 * field's encoding plus one.
 */
#include <ctype.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "generated/vmxlab_names.h"
#include "util.h"
#include "vmcs-names.h"

#define NAME_MAX_LEN	80	/* longer input is never a field */
#define MAX_MATCHES	8
#define MAX_SUGGEST	3

/*
 * Normalized spellings (see normalize()) whose field is not found by a
 * prefix rule.  The encodings are the table's macros, so a wrong name
 * here does not compile.
 */
static const struct {
	const char *name;
	uint32_t encoding;
} aliases[] = {
	/* KVM's names that differ from the table's. */
	{ "POSTED_INTR_NV",		VMCS_POSTED_INTR_NOTIFICATION_VECTOR },
	{ "GUEST_PDPTR0",		VMCS_GUEST_PDPTE0 },
	{ "GUEST_PDPTR1",		VMCS_GUEST_PDPTE1 },
	{ "GUEST_PDPTR2",		VMCS_GUEST_PDPTE2 },
	{ "GUEST_PDPTR3",		VMCS_GUEST_PDPTE3 },
	{ "GUEST_INTR_SSP_TABLE",	VMCS_GUEST_INTR_SSP_TABLE_ADDR },
	{ "HOST_INTR_SSP_TABLE",	VMCS_HOST_INTR_SSP_TABLE_ADDR },
	/* The SDM's names (Vol. 3D, Appendix B), normalized. */
	{ "VIRTUAL_PROCESSOR_IDENTIFIER", VMCS_VIRTUAL_PROCESSOR_ID },
	{ "VPID",			VMCS_VIRTUAL_PROCESSOR_ID },
	{ "POSTED_INTERRUPT_NOTIFICATION_VECTOR",
	  VMCS_POSTED_INTR_NOTIFICATION_VECTOR },
	{ "GUEST_INTERRUPT_STATUS",	VMCS_GUEST_INTR_STATUS },
	{ "ADDRESS_OF_IO_BITMAP_A",	VMCS_IO_BITMAP_A },
	{ "ADDRESS_OF_IO_BITMAP_B",	VMCS_IO_BITMAP_B },
	{ "ADDRESS_OF_MSR_BITMAPS",	VMCS_MSR_BITMAP },
	{ "MSR_BITMAPS",		VMCS_MSR_BITMAP },
	{ "VM_EXIT_MSR_STORE_ADDRESS",	VMCS_VM_EXIT_MSR_STORE_ADDR },
	{ "VM_EXIT_MSR_LOAD_ADDRESS",	VMCS_VM_EXIT_MSR_LOAD_ADDR },
	{ "VM_ENTRY_MSR_LOAD_ADDRESS",	VMCS_VM_ENTRY_MSR_LOAD_ADDR },
	{ "VIRTUAL_APIC_ADDRESS",	VMCS_VIRTUAL_APIC_PAGE_ADDR },
	{ "APIC_ACCESS_ADDRESS",	VMCS_APIC_ACCESS_ADDR },
	{ "POSTED_INTERRUPT_DESCRIPTOR_ADDRESS",
	  VMCS_POSTED_INTR_DESC_ADDR },
	{ "VM_FUNCTION_CONTROLS",	VMCS_VM_FUNCTION_CONTROL },
	{ "EPTP",			VMCS_EPT_POINTER },
	{ "VMREAD_BITMAP_ADDRESS",	VMCS_VMREAD_BITMAP },
	{ "VMWRITE_BITMAP_ADDRESS",	VMCS_VMWRITE_BITMAP },
	{ "VIRTUALIZATION_EXCEPTION_INFORMATION_ADDRESS",
	  VMCS_VE_INFORMATION_ADDRESS },
	{ "XSS_EXITING_BITMAP",		VMCS_XSS_EXIT_BITMAP },
	{ "SUB_PAGE_PERMISSION_TABLE_POINTER", VMCS_SPP_TABLE_POINTER },
	{ "PIN_BASED_VM_EXECUTION_CONTROLS", VMCS_PIN_BASED_VM_EXEC_CONTROL },
	{ "PRIMARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS",
	  VMCS_CPU_BASED_VM_EXEC_CONTROL },
	{ "PROCESSOR_BASED_VM_EXECUTION_CONTROLS",
	  VMCS_CPU_BASED_VM_EXEC_CONTROL },
	{ "SECONDARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS",
	  VMCS_SECONDARY_VM_EXEC_CONTROL },
	{ "TERTIARY_PROCESSOR_BASED_VM_EXECUTION_CONTROLS",
	  VMCS_TERTIARY_VM_EXEC_CONTROL },
	{ "PRIMARY_VM_EXIT_CONTROLS",	VMCS_VM_EXIT_CONTROLS },
	{ "VM_ENTRY_INTERRUPTION_INFORMATION_FIELD",
	  VMCS_VM_ENTRY_INTR_INFO_FIELD },
	{ "VM_ENTRY_INSTRUCTION_LENGTH", VMCS_VM_ENTRY_INSTRUCTION_LEN },
	{ "EXIT_REASON",		VMCS_VM_EXIT_REASON },
	{ "VM_EXIT_INTERRUPTION_INFORMATION", VMCS_VM_EXIT_INTR_INFO },
	{ "VM_EXIT_INTERRUPTION_ERROR_CODE", VMCS_VM_EXIT_INTR_ERROR_CODE },
	{ "IDT_VECTORING_INFORMATION_FIELD", VMCS_IDT_VECTORING_INFO_FIELD },
	{ "VM_EXIT_INSTRUCTION_LENGTH",	VMCS_VM_EXIT_INSTRUCTION_LEN },
	{ "VM_EXIT_INSTRUCTION_INFORMATION", VMCS_VMX_INSTRUCTION_INFO },
	{ "GUEST_ES_ACCESS_RIGHTS",	VMCS_GUEST_ES_AR_BYTES },
	{ "GUEST_CS_ACCESS_RIGHTS",	VMCS_GUEST_CS_AR_BYTES },
	{ "GUEST_SS_ACCESS_RIGHTS",	VMCS_GUEST_SS_AR_BYTES },
	{ "GUEST_DS_ACCESS_RIGHTS",	VMCS_GUEST_DS_AR_BYTES },
	{ "GUEST_FS_ACCESS_RIGHTS",	VMCS_GUEST_FS_AR_BYTES },
	{ "GUEST_GS_ACCESS_RIGHTS",	VMCS_GUEST_GS_AR_BYTES },
	{ "GUEST_LDTR_ACCESS_RIGHTS",	VMCS_GUEST_LDTR_AR_BYTES },
	{ "GUEST_TR_ACCESS_RIGHTS",	VMCS_GUEST_TR_AR_BYTES },
	{ "GUEST_INTERRUPTIBILITY_STATE", VMCS_GUEST_INTERRUPTIBILITY_INFO },
	{ "GUEST_PENDING_DEBUG_EXCEPTIONS",
	  VMCS_GUEST_PENDING_DBG_EXCEPTIONS },
	{ "GUEST_IA32_INTERRUPT_SSP_TABLE_ADDR",
	  VMCS_GUEST_INTR_SSP_TABLE_ADDR },
	{ "HOST_IA32_INTERRUPT_SSP_TABLE_ADDR",
	  VMCS_HOST_INTR_SSP_TABLE_ADDR },
};

static bool is_sep(char c)
{
	return c == '_' || c == '-' || c == ' ' || c == '\t' || c == '/' ||
	       c == '.' || c == '"' || c == '\'';
}

/*
 * Uppercase, each run of separators (space, -, _, /, ., quotes) one '_',
 * none at either end; "I/O" is "IO" and a last word of digits joins the
 * word before it ("CR3-target value 0": CR3_TARGET_VALUE0).  False if
 * nothing is left or it does not fit.
 */
static bool normalize(const char *s, char *out, size_t size)
{
	size_t n = 0, i;
	bool sep = false;
	char *p;

	for (; *s; s++) {
		if (is_sep(*s)) {
			sep = n > 0;
			continue;
		}
		if (n + 3 > size)
			return false;
		if (sep)
			out[n++] = '_';
		sep = false;
		out[n++] = toupper((unsigned char)*s);
	}
	out[n] = '\0';
	if (!n)
		return false;
	/* "I_O" as a whole word is the SDM's "I/O". */
	for (p = out; (p = strstr(p, "I_O")); p++) {
		if ((p == out || p[-1] == '_') && (p[3] == '_' || !p[3])) {
			memmove(p + 1, p + 2, strlen(p + 2) + 1);
			n--;
		}
	}
	/* A last word of digits: "EOI_EXIT_BITMAP_0" is EOI_EXIT_BITMAP0. */
	for (i = n; i > 0 && isdigit((unsigned char)out[i - 1]); i--)
		;
	if (i < n && i >= 2 && out[i - 1] == '_' &&
	    isalpha((unsigned char)out[i - 2]))
		memmove(out + i - 1, out + i, n - i + 1);
	return true;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Adds @enc to @m (distinct encodings); returns the count. */
static unsigned add_match(uint32_t *m, unsigned n, uint32_t enc)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (m[i] == enc)
			return n;
	if (n < MAX_MATCHES)
		m[n++] = enc;
	return n;
}

/* The table's field and the alias spelled exactly @s. */
static unsigned find_exact(const char *s, uint32_t *m, unsigned n)
{
	unsigned i;

	for (i = 0; i < VMXLAB_NR_VMCS_NAMES; i++)
		if (!strcmp(s, vmxlab_vmcs_names[i].name))
			n = add_match(m, n, vmxlab_vmcs_names[i].encoding);
	for (i = 0; i < ARRAY_SIZE(aliases); i++)
		if (!strcmp(s, aliases[i].name))
			n = add_match(m, n, aliases[i].encoding);
	return n;
}

/* Tier 2: @s with IA32_ added or removed after GUEST_ or HOST_. */
static unsigned find_ia32(const char *s, uint32_t *m, unsigned n)
{
	char buf[NAME_MAX_LEN + 16];
	size_t pre;

	n = find_exact(s, m, n);
	if (has_prefix(s, "GUEST_"))
		pre = 6;
	else if (has_prefix(s, "HOST_"))
		pre = 5;
	else
		return n;
	if (has_prefix(s + pre, "IA32_"))
		snprintf(buf, sizeof(buf), "%.*s%s", (int)pre, s, s + pre + 5);
	else
		snprintf(buf, sizeof(buf), "%.*sIA32_%s", (int)pre, s, s + pre);
	return find_exact(buf, m, n);
}

/* Tier 2: @s, GUEST_@s and HOST_@s, each with find_ia32(). */
static unsigned find_guest_host(const char *s, uint32_t *m, unsigned n)
{
	char buf[NAME_MAX_LEN + 16];

	n = find_ia32(s, m, n);
	if (has_prefix(s, "GUEST_") || has_prefix(s, "HOST_"))
		return n;
	snprintf(buf, sizeof(buf), "GUEST_%s", s);
	n = find_ia32(buf, m, n);
	snprintf(buf, sizeof(buf), "HOST_%s", s);
	return find_ia32(buf, m, n);
}

/* Tier 2: @s and @s with VM_ added or removed, each find_guest_host(). */
static unsigned find_prefixed(const char *s, uint32_t *m, unsigned n)
{
	char buf[NAME_MAX_LEN + 16];

	n = find_guest_host(s, m, n);
	if (has_prefix(s, "VM_")) {
		if (s[3])
			n = find_guest_host(s + 3, m, n);
		return n;
	}
	snprintf(buf, sizeof(buf), "VM_%s", s);
	return find_guest_host(buf, m, n);
}

/* The encodings normalized name @s stands for, in @m; their count. */
static unsigned find_name(const char *s, uint32_t *m)
{
	const char *bare = has_prefix(s, "VMCS_") ? s + 5 : NULL;
	char base[NAME_MAX_LEN + 1];
	size_t len = strlen(s);
	unsigned n, i, k;

	n = find_exact(s, m, 0);
	if (bare)
		n = find_exact(bare, m, n);
	if (n)
		return n;
	n = find_prefixed(s, m, 0);
	if (bare)
		n = find_prefixed(bare, m, n);
	if (n || len <= 5 || strcmp(s + len - 5, "_HIGH"))
		return n;
	/* KVM's FIELD_HIGH: the high 32 bits of a 64-bit field. */
	snprintf(base, sizeof(base), "%.*s", (int)(len - 5), s);
	n = find_name(base, m);
	for (i = k = 0; i < n; i++)
		if (VMCS_FIELD_WIDTH(m[i]) == VMCS_WIDTH_64 &&
		    !VMCS_FIELD_HIGH(m[i]))
			m[k++] = m[i] | 1;
	return k;
}

/* Levenshtein distance; both strings at most NAME_MAX_LEN long. */
static unsigned distance(const char *a, const char *b)
{
	unsigned row[NAME_MAX_LEN + 1], i, j, diag, up;
	size_t la = strlen(a), lb = strlen(b);

	if (la > NAME_MAX_LEN || lb > NAME_MAX_LEN)
		return ~0u;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			row[j] = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < row[j])
				row[j] = up + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			diag = up;
		}
	}
	return row[lb];
}

/* @s without separators, at most NAME_MAX_LEN characters. */
static void squeeze(const char *s, char *out)
{
	size_t n = 0;

	for (; *s && n < NAME_MAX_LEN; s++)
		if (*s != '_')
			out[n++] = *s;
	out[n] = '\0';
}

struct suggestion {
	uint32_t encoding;
	unsigned score;		/* an edit distance */
	unsigned len;		/* length difference of the closest form */
};

/*
 * How close @key is to name @name, or to @name without GUEST_, HOST_ or
 * VM_: the edit distance, or 1 if @key (3 letters or more) is part of it
 * ("REASON", "exitqual"), separators aside.
 */
static struct suggestion closeness(const char *key, const char *name)
{
	static const char *const pre[] = { "", "GUEST_", "HOST_", "VM_" };
	char k[NAME_MAX_LEN + 1], f[NAME_MAX_LEN + 1];
	struct suggestion best = { .score = ~0u }, s;
	size_t lk = strlen(key), lf;
	unsigned i;

	squeeze(key, k);
	for (i = 0; i < ARRAY_SIZE(pre); i++) {
		const char *form = name + strlen(pre[i]);

		if (!has_prefix(name, pre[i]) || !*form)
			continue;
		lf = strlen(form);
		s.score = distance(key, form);
		squeeze(form, f);
		if (s.score > 1 && strlen(k) >= 3 && strstr(f, k))
			s.score = 1;
		s.len = lk > lf ? lk - lf : lf - lk;
		if (s.score < best.score ||
		    (s.score == best.score && s.len < best.len))
			best = s;
	}
	return best;
}

static void consider(struct suggestion *best, unsigned *n, const char *key,
		     const char *name, uint32_t enc)
{
	struct suggestion s = closeness(key, name);
	unsigned limit = strlen(key) / 3, i, j;

	s.encoding = enc;
	limit = limit < 1 ? 1 : limit > 3 ? 3 : limit;
	if (s.score > limit || !vmcs_name(enc))
		return;
	for (i = 0; i < *n && best[i].encoding != enc; i++)
		;
	if (i < *n) {
		if (best[i].score < s.score ||
		    (best[i].score == s.score && best[i].len <= s.len))
			return;
		/* Better for a field already listed: take it out. */
		memmove(&best[i], &best[i + 1], (*n - i - 1) * sizeof(*best));
		(*n)--;
	}
	/* Sorted by score, then by length difference, then first seen. */
	for (j = 0; j < *n; j++)
		if (s.score < best[j].score ||
		    (s.score == best[j].score && s.len < best[j].len))
			break;
	if (j == MAX_SUGGEST)
		return;
	if (*n == MAX_SUGGEST)
		(*n)--;
	memmove(&best[j + 1], &best[j], (*n - j) * sizeof(*best));
	best[j] = s;
	(*n)++;
}

/* Up to MAX_SUGGEST fields close to @key, the closest first. */
static unsigned suggest(const char *key, uint32_t *out)
{
	struct suggestion best[MAX_SUGGEST];
	unsigned n = 0, i, k;

	for (i = 0; i < VMXLAB_NR_VMCS_NAMES; i++)
		consider(best, &n, key, vmxlab_vmcs_names[i].name,
			 vmxlab_vmcs_names[i].encoding);
	for (i = 0; i < ARRAY_SIZE(aliases); i++)
		consider(best, &n, key, aliases[i].name, aliases[i].encoding);
	/* Nothing much worse than the best. */
	for (i = k = 0; i < n; i++)
		if (best[i].score <= best[0].score + 1)
			out[k++] = best[i].encoding;
	return k;
}

/* Appends to @err what fits, keeping it a whole sentence. */
static void append(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void append(char *err, size_t errlen, const char *fmt, ...)
{
	size_t used = strlen(err);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err + used, errlen - used, fmt, ap);
	va_end(ap);
}

static void field_text(char *buf, size_t len, uint32_t enc, bool encoding)
{
	const char *name = vmcs_name(enc);

	if (!name)	/* NAME_HIGH */
		snprintf(buf, len, "0x%04x", enc);
	else if (encoding)
		snprintf(buf, len, "%s (0x%04x)", name, enc);
	else
		snprintf(buf, len, "%s", name);
}

/*
 * Appends "A", "A or B" or "A, B or C" (field names, with or without
 * encodings) and then @end, with only as many names as fit in @err.
 */
static void list_fields(char *err, size_t errlen, const uint32_t *m,
			unsigned n, bool encoding, const char *end)
{
	size_t used = strlen(err) + strlen(end) + 1;
	size_t room = used < errlen ? errlen - used : 0;
	char one[64];
	unsigned i;

	for (i = 0; i < n; i++) {
		field_text(one, sizeof(one), m[i], encoding);
		if (strlen(one) + 4 > room)
			break;
		room -= strlen(one) + 4;
	}
	n = i ? i : 1;
	for (i = 0; i < n; i++) {
		field_text(one, sizeof(one), m[i], encoding);
		append(err, errlen, "%s%s", i == 0 ? "" :
		       i + 1 == n ? " or " : ", ", one);
	}
	append(err, errlen, "%s", end);
}

bool vmcs_resolve(const char *s, uint32_t *encoding, char *err,
		  size_t errlen)
{
	char key[NAME_MAX_LEN + 1];
	uint32_t m[MAX_MATCHES];
	unsigned n = 0;
	uint64_t v;

	if (err && errlen)
		err[0] = '\0';
	if (parse_u64(s, &v)) {
		/* Encodings are 15 bits wide (SDM 25.11.2); bit 15 is 0. */
		if (v <= 0x7fff) {
			*encoding = v;
			return true;
		}
		if (err)
			snprintf(err, errlen, "'%s' is not a VMCS encoding "
				 "(they go up to 0x7fff)", s);
		return false;
	}
	if (normalize(s, key, sizeof(key)))
		n = find_name(key, m);
	if (n == 1) {
		*encoding = m[0];
		return true;
	}
	if (!err || !errlen)
		return false;
	if (n > 1) {
		snprintf(err, errlen, "VMCS field '%.40s' is ambiguous: ", s);
		list_fields(err, errlen, m, n, true, "");
		return false;
	}
	n = 0;
	if (normalize(s, key, sizeof(key)))
		n = suggest(has_prefix(key, "VMCS_") && key[5] ? key + 5 : key,
			    m);
	if (!n) {
		snprintf(err, errlen, "unknown VMCS field '%.40s' (a name "
			 "such as GUEST_RIP or exit_reason, or an encoding "
			 "such as 0x681e)", s);
		return false;
	}
	snprintf(err, errlen, "unknown VMCS field '%.40s'; did you mean ", s);
	list_fields(err, errlen, m, n, false, "?");
	return false;
}

bool vmcs_lookup(const char *s, uint32_t *encoding)
{
	return vmcs_resolve(s, encoding, NULL, 0);
}

const char *vmcs_name(uint32_t encoding)
{
	unsigned i;

	for (i = 0; i < VMXLAB_NR_VMCS_NAMES; i++)
		if (vmxlab_vmcs_names[i].encoding == encoding)
			return vmxlab_vmcs_names[i].name;
	return NULL;
}

const char *vmcs_width_name(uint32_t encoding)
{
	static const char *const w[4] = {
		[VMCS_WIDTH_16] = "16-bit", [VMCS_WIDTH_64] = "64-bit",
		[VMCS_WIDTH_32] = "32-bit", [VMCS_WIDTH_NATURAL] =
		"natural-width",
	};

	return w[VMCS_FIELD_WIDTH(encoding)];
}

const char *vmcs_type_name(uint32_t encoding)
{
	static const char *const t[4] = {
		[VMCS_TYPE_CONTROL] = "control",
		[VMCS_TYPE_READ_ONLY] = "read-only",
		[VMCS_TYPE_GUEST] = "guest-state",
		[VMCS_TYPE_HOST] = "host-state",
	};

	return t[VMCS_FIELD_TYPE(encoding)];
}

unsigned vmcs_nr_fields(void)
{
	return VMXLAB_NR_VMCS_NAMES;
}

uint32_t vmcs_field_at(unsigned i)
{
	return i < VMXLAB_NR_VMCS_NAMES ? vmxlab_vmcs_names[i].encoding : 0;
}
