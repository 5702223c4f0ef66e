// SPDX-License-Identifier: GPL-2.0
/* test-cli.c - command-line parsing, in process. */
#include <stdarg.h>

#include "cli.h"
#include "tap.h"
#include "util.h"

/* Parses a NULL-terminated list of words after "vmxlab". */
static enum cli_result parse(struct options *o, struct capture *c, ...)
{
	static char *argv[64];
	enum cli_result r;
	va_list ap;
	int argc = 0;
	char *w;

	argv[argc++] = "vmxlab";
	va_start(ap, c);
	while ((w = va_arg(ap, char *)) && argc < 63)
		argv[argc++] = w;
	va_end(ap);
	argv[argc] = NULL;
	capture_start(c);
	r = cli_parse(argc, argv, o);
	capture_end(c);
	return r;
}

TEST(cli_defaults)
{
	struct capture c = { 0 };
	struct options o;

	CHECK_EQ(parse(&o, &c, "run", "img.bin", NULL), CLI_RUN);
	CHECK_STR(o.image, "img.bin");
	CHECK_EQ(o.mem, 16ULL << 20);
	CHECK(!o.have_load && !o.have_entry && !o.have_mode);
	CHECK(!o.trace && !o.quiet && !o.dry_run);
	CHECK_EQ(o.timeout, 0);
	CHECK_EQ(o.guest_argc, 0);
	CHECK_STR(o.backend, "vmxlab");
	CHECK_STR(c.buf, "");
}

TEST(cli_all_options)
{
	struct capture c = { 0 };
	struct options o;

	CHECK_EQ(parse(&o, &c, "run", "--mem", "64M", "--load", "0x2000",
		       "--entry", "0x2010", "--mode", "protected",
		       "--trace=t.txt", "--trace-format", "json",
		       "--timeout", "7", "--quiet", "--backend", "kvm",
		       "img.bin", "--", "a", "--not-an-option", NULL),
		 CLI_RUN);
	CHECK_EQ(o.mem, 64ULL << 20);
	CHECK(o.have_load && o.have_entry && o.have_mode);
	CHECK_EQ(o.load, 0x2000);
	CHECK_EQ(o.entry, 0x2010);
	CHECK_EQ(o.mode, MODE_PROTECTED);
	CHECK(o.trace && o.trace_json);
	CHECK_STR(o.trace_file, "t.txt");
	CHECK_EQ(o.timeout, 7);
	CHECK(o.quiet);
	CHECK_STR(o.backend, "kvm");
	CHECK_STR(o.image, "img.bin");
	CHECK_EQ(o.guest_argc, 2);
	CHECK_STR(o.guest_argv[0], "a");
	CHECK_STR(o.guest_argv[1], "--not-an-option");
}

TEST(cli_options_after_image_and_modules)
{
	struct capture c = { 0 };
	struct options o;

	CHECK_EQ(parse(&o, &c, "run", "k.elf", "--module", "a.txt",
		       "--module", "b.txt arg", "--trace", NULL), CLI_RUN);
	CHECK_STR(o.image, "k.elf");
	CHECK_EQ(o.nmodules, 2);
	CHECK_STR(o.modules[1], "b.txt arg");
	CHECK(o.trace);
	CHECK(o.trace_file == NULL);
}

struct bad_cli {
	const char *args[6];
	const char *msg;
};

static const struct bad_cli bad[] = {
	{ { NULL }, "usage: vmxlab run" },
	{ { "start", "x", NULL }, "unknown command 'start'" },
	{ { "run", NULL }, "no image given" },
	{ { "run", "--frobnicate", "x", NULL }, "unknown option '--frobnicate'" },
	{ { "run", "x", "--mem", NULL }, "option '--mem' needs a value" },
	{ { "run", "--mem", "16X", "x", NULL }, "--mem: '16X' is not a size" },
	{ { "run", "--mem", "512K", "x", NULL }, "at least 1 MiB" },
	{ { "run", "--mem", "4G", "x", NULL }, "at most 3 GiB" },
	{ { "run", "--mem", "1048577", "x", NULL }, "not a multiple of 4 KiB" },
	{ { "run", "--mode", "virtual86", "x", NULL },
	  "'virtual86' is not real, protected or long" },
	{ { "run", "--timeout", "0", "x", NULL }, "--timeout: '0'" },
	{ { "run", "--timeout", "5s", "x", NULL }, "--timeout: '5s'" },
	{ { "run", "--trace-format", "xml", "x", NULL }, "not text, json or perfetto" },
	{ { "run", "--load", "0x100000000", "x", NULL }, "below 4 GiB" },
	{ { "run", "--backend", "xen", "x", NULL }, "not vmxlab or kvm" },
	{ { "run", "a", "b", NULL }, "more than one image" },
};

TEST(cli_errors_are_usage_errors)
{
	struct capture c = { 0 };
	struct options o;
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *const *a = bad[i].args;

		CHECK_EQ(parse(&o, &c, a[0], a[1], a[2], a[3], a[4], a[5]),
			 CLI_USAGE);
		CHECK_CONTAINS(c.buf, bad[i].msg);
		CHECK_CONTAINS(c.buf, "usage: vmxlab run [options] IMAGE");
	}
}
