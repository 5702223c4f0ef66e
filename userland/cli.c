// SPDX-License-Identifier: GPL-2.0
/* cli.c - parsing "vmxlab run [options] IMAGE [-- ARGS]". */
#include <getopt.h>
#include <inttypes.h>
#include <string.h>

#include <linux/vmxlab.h>

#include "cli.h"
#include "guest.h"
#include "util.h"

#define VMXLAB_VERSION "0.1"

void cli_help(FILE *out)
{
	fputs(
"usage: vmxlab run [options] IMAGE [-- GUEST ARGS...]\n"
"       vmxlab step [options] IMAGE [-- GUEST ARGS...]\n"
"       vmxlab --help | --version\n"
"\n"
"Runs IMAGE in a virtual machine on /dev/vmxlab.  IMAGE is a multiboot v1\n"
"kernel (entered in 32-bit protected mode, EAX=0x2BADB002, EBX=info), an\n"
"ELF32 executable (32-bit protected mode), an ELF64 executable (64-bit long\n"
"mode, first 4 GiB identity-mapped) or a flat binary.\n"
"\n"
"vmxlab step loads IMAGE the same way and reads debugger commands from\n"
"stdin (continue, step, break, regs, vmcs, set, x, walk...; type help).\n"
"\n"
"options:\n"
"  --mem SIZE            guest RAM, 1M..3G, suffixes K M G (default 16M)\n"
"  --load ADDR           flat: load address (default 0x1000)\n"
"  --entry ADDR          flat: entry address (default: the load address)\n"
"  --mode MODE           flat: real (default), protected or long\n"
"  --module 'FILE ARGS'  multiboot: add a module; its string is the whole\n"
"                        argument (repeatable)\n"
"  --trace[=FILE]        print every exit (default: to stderr)\n"
"  --trace-format FMT    text (default), json or perfetto (Chrome trace\n"
"                        JSON for ui.perfetto.dev); implies --trace\n"
"  --timeout SEC         stop the guest after SEC seconds\n"
"  --quiet               print errors only\n"
"  --backend NAME        vmxlab (default) or kvm\n"
"  --device PATH         device node (default /dev/vmxlab or /dev/kvm)\n"
"  --dry-run             load the image and show the entry state, do not run\n"
"  -h, --help            show this help\n"
"\n"
"Guest devices: COM1 16550 at 0x3f8 (to stdout), debug exit at 0xf4,\n"
"fw_cfg at 0x510, PICs, CMOS/RTC, xAPIC at 0xfee00000, scratch MMIO at\n"
"0xd0000000.  Loader messages go to stderr.\n"
"\n"
"exit status:\n"
"  (V << 1) | 1  the guest wrote V to the debug-exit port (33: PASS for\n"
"                V=0x10, 35: FAIL for V=0x11)\n"
"  0             the guest halted\n"
"  2             bad command line\n"
"  4             the VM could not be set up (device, image, memory)\n"
"  6             the guest triple-faulted\n"
"  8             VM entry failed\n"
"  10            internal error in the hypervisor\n"
"  12            an exit the loader cannot handle\n"
"  124           --timeout expired\n"
"  130           interrupted (Ctrl-C)\n", out);
}

enum {
	OPT_MEM = 256, OPT_LOAD, OPT_ENTRY, OPT_MODE, OPT_MODULE, OPT_TRACE,
	OPT_TRACE_FORMAT, OPT_TIMEOUT, OPT_BACKEND, OPT_DEVICE, OPT_DRY_RUN,
	OPT_VERSION,
};

static const struct option long_opts[] = {
	{ "mem", required_argument, NULL, OPT_MEM },
	{ "load", required_argument, NULL, OPT_LOAD },
	{ "entry", required_argument, NULL, OPT_ENTRY },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "module", required_argument, NULL, OPT_MODULE },
	{ "trace", optional_argument, NULL, OPT_TRACE },
	{ "trace-format", required_argument, NULL, OPT_TRACE_FORMAT },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "quiet", no_argument, NULL, 'q' },
	{ "backend", required_argument, NULL, OPT_BACKEND },
	{ "device", required_argument, NULL, OPT_DEVICE },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

static enum cli_result usage_error(void)
{
	FILE *f = msg_stream ? msg_stream : stderr;

	fputs("usage: vmxlab run [options] IMAGE [-- GUEST ARGS...]; "
	      "see vmxlab --help\n", f);
	return CLI_USAGE;
}

static bool check_mem(uint64_t mem, const char *arg)
{
	if (mem < GUEST_MEM_MIN) {
		error("--mem %s is too small: vmxlab needs at least 1 MiB",
		      arg);
		return false;
	}
	if (mem > GUEST_MEM_MAX) {
		error("--mem %s is too large: vmxlab gives at most 3 GiB, "
		      "below its MMIO devices", arg);
		return false;
	}
	if (mem & 0xfff) {
		error("--mem %s is not a multiple of 4 KiB", arg);
		return false;
	}
	return true;
}

/* One option; false after printing why it is wrong. */
static bool handle_opt(int c, const char *arg, const char *bad,
		       struct options *o, bool *done)
{
	uint64_t v;

	switch (c) {
	case OPT_MEM:
		if (!parse_size(arg, &o->mem)) {
			error("--mem: '%s' is not a size (try 16M)", arg);
			return false;
		}
		return check_mem(o->mem, arg);
	case OPT_LOAD:
	case OPT_ENTRY:
		if (!parse_size(arg, &v) || v > UINT32_MAX) {
			error("--%s: '%s' is not an address below 4 GiB",
			      c == OPT_LOAD ? "load" : "entry", arg);
			return false;
		}
		if (c == OPT_LOAD) {
			o->load = v;
			o->have_load = true;
		} else {
			o->entry = v;
			o->have_entry = true;
		}
		return true;
	case OPT_MODE:
		if (!parse_cpu_mode(arg, &o->mode)) {
			error("--mode: '%s' is not real, protected or long",
			      arg);
			return false;
		}
		o->have_mode = true;
		return true;
	case OPT_MODULE:
		if (o->nmodules >= IMAGE_MAX_MODULES) {
			error("--module: at most %d modules",
			      IMAGE_MAX_MODULES);
			return false;
		}
		if (!arg[0]) {
			error("--module: the file name is empty");
			return false;
		}
		o->modules[o->nmodules++] = arg;
		return true;
	case OPT_TRACE:
		o->trace = true;
		o->trace_file = arg;
		return true;
	case OPT_TRACE_FORMAT:
		if (strcmp(arg, "text") && strcmp(arg, "json") &&
		    strcmp(arg, "perfetto")) {
			error("--trace-format: '%s' is not text, json or "
			      "perfetto", arg);
			return false;
		}
		o->trace = true;
		o->trace_json = !strcmp(arg, "json");
		o->trace_perfetto = !strcmp(arg, "perfetto");
		return true;
	case OPT_TIMEOUT:
		if (!parse_u64(arg, &v) || v == 0 || v > TIMEOUT_MAX) {
			error("--timeout: '%s' is not a number of seconds "
			      "from 1 to %d", arg, TIMEOUT_MAX);
			return false;
		}
		o->timeout = v;
		return true;
	case 'q':
		o->quiet = true;
		return true;
	case OPT_BACKEND:
		if (strcmp(arg, "vmxlab") && strcmp(arg, "kvm")) {
			error("--backend: '%s' is not vmxlab or kvm", arg);
			return false;
		}
		o->backend = arg;
		return true;
	case OPT_DEVICE:
		o->device = arg;
		return true;
	case OPT_DRY_RUN:
		o->dry_run = true;
		return true;
	case 'h':
		cli_help(stdout);
		*done = true;
		return true;
	case OPT_VERSION:
		printf("vmxlab %s (API version %d)\n", VMXLAB_VERSION,
		       VMXLAB_API_VERSION);
		*done = true;
		return true;
	case ':':
		error("option '%s' needs a value", bad);
		return false;
	default:
		error("unknown option '%s'", bad);
		return false;
	}
}

enum cli_result cli_parse(int argc, char **argv, struct options *o)
{
	int nopt, c, i, idx;
	bool done = false;

	memset(o, 0, sizeof(*o));
	o->mem = GUEST_MEM_DEFAULT;
	o->backend = "vmxlab";
	if (argc < 2)
		return usage_error();
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		cli_help(stdout);
		return CLI_DONE;
	}
	if (!strcmp(argv[1], "--version")) {
		handle_opt(OPT_VERSION, NULL, NULL, o, &done);
		return CLI_DONE;
	}
	if (!strcmp(argv[1], "step")) {
		o->command = CMD_STEP;
	} else if (strcmp(argv[1], "run")) {
		error("unknown command '%s'; the commands are 'run' and "
		      "'step'", argv[1]);
		return usage_error();
	}
	/* Everything after "--" belongs to the guest, untouched. */
	for (nopt = 2; nopt < argc && strcmp(argv[nopt], "--"); nopt++)
		;
	if (nopt < argc) {
		o->guest_argv = argv + nopt + 1;
		o->guest_argc = argc - nopt - 1;
	}

	optind = 0;	/* restart getopt: tests parse many command lines */
	opterr = 0;
	while ((c = getopt_long(nopt - 1, argv + 1, ":hq", long_opts,
				&idx)) != -1) {
		/* getopt sees argv + 1, so its optind - 1 is our optind. */
		const char *bad = argv[optind];

		if (!handle_opt(c, optarg, bad, o, &done))
			return usage_error();
		if (done)
			return CLI_DONE;
	}
	for (i = optind + 1; i < nopt; i++) {
		if (o->image) {
			error("more than one image given ('%s' and '%s'); "
			      "guest arguments go after '--'", o->image,
			      argv[i]);
			return usage_error();
		}
		o->image = argv[i];
	}
	if (!o->image) {
		error("no image given");
		return usage_error();
	}
	if (o->command == CMD_STEP && o->trace) {
		error("--trace does not apply to step, which shows each stop "
		      "itself");
		return usage_error();
	}
	return CLI_RUN;
}
