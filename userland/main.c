// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - vmxlab run: load an image, build the VM, run it, report.
 *
 * The image is loaded into the loader's own buffer before the device is
 * opened, so every image problem is reported even where the module is
 * missing, and --dry-run works anywhere.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bios.h"
#include "bootstate.h"
#include "chipset.h"
#include "cli.h"
#include "image.h"
#include "pc.h"
#include "perfetto.h"
#include "runloop.h"
#include "step.h"
#include "util.h"

/* Reads a whole regular file; one sentence and -1 on failure. */
static int read_file(const char *path, const char *what, uint8_t **data,
		     size_t *size)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	size_t n;

	if (!f) {
		if (errno == ENOENT)
			error("%s %s not found", what, path);
		else
			error("cannot open %s %s: %s", what, path,
			      strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
		error("%s %s is not a regular file", what, path);
		fclose(f);
		return -1;
	}
	if ((uint64_t)st.st_size > GUEST_MEM_MAX) {
		error("%s %s is larger than the largest guest memory", what,
		      path);
		fclose(f);
		return -1;
	}
	*size = st.st_size;
	*data = malloc(*size ? *size : 1);
	if (!*data) {
		error("out of memory reading %s", path);
		fclose(f);
		return -1;
	}
	n = fread(*data, 1, *size, f);
	fclose(f);
	if (n != *size) {
		error("cannot read %s %s", what, path);
		return -1;
	}
	return 0;
}

/* "<image> <arg> <arg>...", the multiboot command line. */
static char *build_cmdline(const struct options *o)
{
	size_t len = strlen(o->image) + 1;
	char *s;
	int i;

	for (i = 0; i < o->guest_argc; i++)
		len += strlen(o->guest_argv[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	strcpy(s, o->image);
	for (i = 0; i < o->guest_argc; i++) {
		strcat(s, " ");
		strcat(s, o->guest_argv[i]);
	}
	return s;
}

static int read_modules(const struct options *o, struct image_module *mods)
{
	unsigned i;

	for (i = 0; i < o->nmodules; i++) {
		const char *sp = strchr(o->modules[i], ' ');
		size_t n = sp ? (size_t)(sp - o->modules[i]) :
				strlen(o->modules[i]);
		char *path = strndup(o->modules[i], n);
		uint8_t *data;
		int ret;

		if (!path) {
			error("out of memory");
			return -1;
		}
		ret = read_file(path, "module", &data, &mods[i].size);
		free(path);
		if (ret)
			return -1;
		mods[i].data = data;
		mods[i].string = o->modules[i];
	}
	return 0;
}

static void print_seg(const char *name, const struct vmxlab_segment *s)
{
	printf("%-4s selector 0x%04x base 0x%" PRIx64 " limit 0x%x ar 0x%x\n",
	       name, s->selector, (uint64_t)s->base, s->limit, s->ar);
}

static void dry_run_report(const struct options *o, const struct boot_state *bs,
			   const struct vmxlab_regs *r,
			   const struct vmxlab_sregs *s)
{
	unsigned i;

	printf("image %s: %s, entered in %s mode at 0x%" PRIx64 "\n",
	       o->image, image_format_name(bs->format),
	       cpu_mode_name(bs->mode), bs->entry);
	for (i = 0; i < bs->nranges; i++)
		printf("loaded 0x%08" PRIx64 "-0x%08" PRIx64 " %s\n",
		       bs->ranges[i].start, bs->ranges[i].end - 1,
		       bs->ranges[i].what);
	printf("rip 0x%" PRIx64 " rsp 0x%" PRIx64 " rax 0x%" PRIx64
	       " rbx 0x%" PRIx64 " rflags 0x%" PRIx64 "\n", (uint64_t)r->rip,
	       (uint64_t)r->rsp, (uint64_t)r->rax, (uint64_t)r->rbx,
	       (uint64_t)r->rflags);
	print_seg("cs", &s->cs);
	print_seg("ds", &s->ds);
	print_seg("ss", &s->ss);
	print_seg("tr", &s->tr);
	printf("gdt base 0x%" PRIx64 " limit 0x%x\n", (uint64_t)s->gdt.base,
	       s->gdt.limit);
	printf("cr0 0x%" PRIx64 " cr3 0x%" PRIx64 " cr4 0x%" PRIx64
	       " efer 0x%" PRIx64 "\n", (uint64_t)s->cr0, (uint64_t)s->cr3,
	       (uint64_t)s->cr4, (uint64_t)s->efer);
}

static int setup_vm(struct backend *be, struct guest *g,
		    const struct boot_state *bs,
		    const struct vmxlab_regs *regs,
		    const struct vmxlab_sregs *sregs)
{
	if (be->ops->create_vm(be))
		return -1;
	if (bs->mode == MODE_REAL &&
	    !be->ops->has_cap(be, VMXLAB_CAP_UNRESTRICTED_GUEST)) {
		error("unsupported mode: this CPU cannot run real-mode guests "
		      "(no unrestricted guest); use --mode protected or long");
		return -1;
	}
	if (be->ops->set_memory(be, 0, 0, g->ram_size, g->ram) ||
	    be->ops->create_vcpu(be, 0) ||
	    be->ops->set_sregs(be, sregs) ||
	    be->ops->set_regs(be, regs))
		return -1;
	return 0;
}

static int step_session(struct vcpu_loop *loop, const struct options *o,
			uint64_t entry);
static int trace_open(struct vcpu_loop *loop, const struct options *o,
		      struct ring_reader *ring, struct perfetto *pf);
static void trace_close(struct vcpu_loop *loop, const struct options *o);

static int run(const struct options *o)
{
	struct image_module mods[IMAGE_MAX_MODULES];
	struct load_request req = { 0 };
	struct vcpu_loop loop = { 0 };
	struct chipset chip;
	struct ring_reader ring;
	struct perfetto pf;
	struct vmxlab_sregs sregs;
	struct vmxlab_regs regs;
	struct boot_state bs;
	struct backend be = { 0 };
	struct guest g;
	struct pc *pc;
	uint8_t *data;
	size_t size;
	int status;

	if (read_file(o->image, "image", &data, &size) ||
	    read_modules(o, mods))
		return STATUS_SETUP;
	g.ram_size = o->mem;
	g.ram = mmap(NULL, g.ram_size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (g.ram == MAP_FAILED) {
		error("cannot allocate %" PRIu64 " MiB of guest memory",
		      g.ram_size >> 20);
		return STATUS_SETUP;
	}

	req.path = o->image;
	req.data = data;
	req.size = size;
	req.have_load = o->have_load;
	req.have_entry = o->have_entry;
	req.have_mode = o->have_mode;
	req.load = o->load;
	req.entry = o->entry;
	req.mode = o->mode;
	req.cmdline = build_cmdline(o);
	req.modules = mods;
	req.nmodules = o->nmodules;
	if (!req.cmdline) {
		error("out of memory");
		return STATUS_SETUP;
	}
	if (image_load(&req, &g, &bs) || bios_tables_write(&g, 1) < 0)
		return STATUS_SETUP;
	boot_setup_cpu(&g, &bs, &regs, &sregs);
	if (o->dry_run) {
		dry_run_report(o, &bs, &regs, &sregs);
		return 0;
	}

	be.ops = !strcmp(o->backend, "kvm") ? &backend_kvm_ops :
					      &backend_vmxlab_ops;
	be.device = o->device ? o->device :
		    be.ops == &backend_kvm_ops ? "/dev/kvm" : "/dev/vmxlab";
	pc = calloc(1, sizeof(*pc));
	if (!pc || pc_init(pc, stdout, g.ram_size, NULL) ||
	    setup_vm(&be, &g, &bs, &regs, &sregs)) {
		be.ops->destroy(&be);
		return STATUS_SETUP;
	}

	loop.be = &be;
	loop.g = &g;
	loop.plat = &pc->plat;
	loop.timeout = o->timeout;
	/* The stepper reads its commands from stdin: the UART gets none. */
	if (chipset_init(&chip, pc, &be, o->command == CMD_STEP ? -1 :
			 STDIN_FILENO) || chipset_start(&chip)) {
		chipset_stop(&chip);
		be.ops->destroy(&be);
		return STATUS_SETUP;
	}
	loop.chip = &chip;
	if (o->command == CMD_STEP) {
		status = step_session(&loop, o, bs.entry);
		chipset_stop(&chip);
		be.ops->destroy(&be);
		return status;
	}
	status = trace_open(&loop, o, &ring, &pf);
	if (status) {
		chipset_stop(&chip);
		be.ops->destroy(&be);
		return status;
	}
	/* The chipset's lines only in the text trace: JSON stays JSON. */
	if (loop.trace && !loop.trace_json && !loop.perfetto) {
		pthread_mutex_lock(&chip.lock);
		chip.trace = loop.trace;
		pthread_mutex_unlock(&chip.lock);
	}
	info("running %s (%s, %s mode, entry 0x%" PRIx64 ") on %s",
	     o->image, image_format_name(bs.format), cpu_mode_name(bs.mode),
	     bs.entry, be.device);
	runloop_install_signals(&be, o->timeout);
	status = vcpu_loop_run(&loop);
	alarm(0);
	chipset_stop(&chip);
	fflush(stdout);

	if (!msg_quiet)
		platform_report_unknown(&pc->plat, stderr);
	if (loop.trace)
		trace_close(&loop, o);
	be.ops->destroy(&be);
	return status;
}

/* The stepper, reading commands from stdin; see step.h. */
static int step_session(struct vcpu_loop *loop, const struct options *o,
			uint64_t entry)
{
	struct stepper *st = calloc(1, sizeof(*st));
	int status;

	if (!st) {
		error("out of memory");
		return STATUS_SETUP;
	}
	info("stepping %s (entry 0x%" PRIx64 ") on %s; type help for the "
	     "commands", o->image, entry, loop->be->device);
	stepper_init(st, loop, stdin, stdout, isatty(STDIN_FILENO));
	runloop_install_signals(loop->be, o->timeout);
	status = stepper_run(st);
	alarm(0);
	fflush(stdout);
	free(st);
	return status;
}

/*
 * Opens the trace: the file, the exit ring (so kernel-handled exits show
 * too) and, for perfetto, the JSON array.
 */
static int trace_open(struct vcpu_loop *loop, const struct options *o,
		      struct ring_reader *ring, struct perfetto *pf)
{
	if (!o->trace)
		return 0;
	loop->trace_json = o->trace_json;
	loop->trace = o->trace_file ? fopen(o->trace_file, "w") : stderr;
	if (!loop->trace) {
		error("cannot write the trace to %s: %s", o->trace_file,
		      strerror(errno));
		return STATUS_SETUP;
	}
	vcpu_loop_enable_ring(loop, ring);
	if (o->trace_perfetto) {
		perfetto_begin(pf, loop->trace, perfetto_tsc_hz(), 0);
		loop->perfetto = pf;
	}
	return 0;
}

/* Whatever the ring still holds, then the summary. */
static void trace_close(struct vcpu_loop *loop, const struct options *o)
{
	vcpu_loop_flush_trace(loop);
	if (loop->perfetto) {
		perfetto_end(loop->perfetto);
		/* The JSON must stay one array: the table goes elsewhere. */
		if (loop->trace != stderr && !msg_quiet)
			trace_summary_print_text(&loop->summary, stderr);
	} else if (o->trace_json) {
		trace_summary_print_json(&loop->summary, loop->trace);
	} else {
		trace_summary_print_text(&loop->summary, loop->trace);
	}
	if (loop->trace != stderr)
		fclose(loop->trace);
}

int main(int argc, char **argv)
{
	struct options o;

	switch (cli_parse(argc, argv, &o)) {
	case CLI_DONE:
		return 0;
	case CLI_USAGE:
		return STATUS_USAGE;
	case CLI_RUN:
		break;
	}
	msg_quiet = o.quiet;
	return run(&o);
}
