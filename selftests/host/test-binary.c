// SPDX-License-Identifier: GPL-2.0
/*
 * test-binary.c - the vmxlab binary itself ($VMXLAB): exit statuses and
 * messages of the command line, and --dry-run of real files.
 */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

static char output[65536];

/* Runs "$VMXLAB <args>" with stderr merged; returns the exit status. */
static int vmxlab(const char *args)
{
	const char *bin = getenv("VMXLAB");
	char cmd[1024];
	size_t n;
	FILE *p;
	int st;

	if (!bin)
		bin = "../../userland/vmxlab";
	snprintf(cmd, sizeof(cmd), "%s %s 2>&1 </dev/null", bin, args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(output, 1, sizeof(output) - 1, p);
	output[n] = '\0';
	/* Drain the rest, so the child never dies of SIGPIPE. */
	while (fread(cmd, 1, sizeof(cmd), p) > 0)
		;
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *tmpfile_with(const char *name, const void *data,
				size_t len)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/vmxlab-test-%d-%s", getpid(), name);
	f = fopen(path, "wb");
	fwrite(data, 1, len, f);
	fclose(f);
	return path;
}

TEST(binary_help_and_usage)
{
	CHECK_EQ(vmxlab("--help"), 0);
	CHECK_CONTAINS(output, "usage: vmxlab run [options] IMAGE");
	CHECK_CONTAINS(output, "--trace-format");
	CHECK_EQ(vmxlab("run --help"), 0);
	CHECK_EQ(vmxlab("--version"), 0);
	CHECK_CONTAINS(output, "(API version 1)");
	CHECK_EQ(vmxlab(""), 2);
	CHECK_EQ(vmxlab("run"), 2);
	CHECK_CONTAINS(output, "vmxlab: no image given\n");
	CHECK_EQ(vmxlab("run --bogus x.bin"), 2);
	CHECK_STR(output, "vmxlab: unknown option '--bogus'\nusage: vmxlab "
		  "run [options] IMAGE [-- GUEST ARGS...]; see vmxlab --help\n");
	CHECK_EQ(vmxlab("run --mem lots x.bin"), 2);
	CHECK_EQ(vmxlab("run --mode v86 x.bin"), 2);
}

TEST(binary_image_errors_exit_4)
{
	const char *p;

	CHECK_EQ(vmxlab("run /nonexistent/x.bin"), 4);
	CHECK_STR(output, "vmxlab: image /nonexistent/x.bin not found\n");
	CHECK_EQ(vmxlab("run /tmp"), 4);
	CHECK_CONTAINS(output, "is not a regular file");
	p = tmpfile_with("empty.bin", "", 0);
	CHECK_EQ(vmxlab(p), 2);		/* no "run": usage */
	{
		char args[300];

		snprintf(args, sizeof(args), "run %s", p);
		CHECK_EQ(vmxlab(args), 4);
		CHECK_CONTAINS(output, "is empty; vmxlab loads flat binaries, "
			       "ELF32, ELF64 and multiboot v1 images");
		unlink(p);
	}
}

TEST(binary_missing_device_sentence)
{
	char args[300];
	const char *p = tmpfile_with("hlt.bin", "\xf4", 1);

	snprintf(args, sizeof(args), "run --device /nonexistent/vmxlab %s", p);
	CHECK_EQ(vmxlab(args), 4);
	CHECK_STR(output, "vmxlab: /nonexistent/vmxlab not found: the vmxlab "
		  "module is not loaded; load it with: sudo insmod "
		  "kmod/vmxlab.ko\n");
	snprintf(args, sizeof(args), "run --quiet --device /dev/null %s", p);
	CHECK(vmxlab(args) == 4);
	CHECK_CONTAINS(output, "vmxlab: /dev/null does not answer vmxlab's ioctls");
	unlink(p);
}

TEST(binary_dry_run_shows_entry_state)
{
	char args[300];
	const char *p = tmpfile_with("flat.bin", "\xeb\xfe", 2);

	snprintf(args, sizeof(args), "run --dry-run --mode long --load 0x200000 %s",
		 p);
	CHECK_EQ(vmxlab(args), 0);
	CHECK_CONTAINS(output, "flat binary, entered in long mode at 0x200000");
	CHECK_CONTAINS(output, "loaded 0x00200000-0x00200001 the image");
	CHECK_CONTAINS(output, "cs   selector 0x0018 base 0x0 limit 0xffffffff "
		       "ar 0xa09b");
	CHECK_CONTAINS(output, "cr0 0x80010031 cr3 0x71000 cr4 0x20 efer 0x500");

	snprintf(args, sizeof(args), "run --dry-run --mem 256K %s", p);
	CHECK_EQ(vmxlab(args), 2);
	CHECK_CONTAINS(output, "--mem 256K is too small");
	snprintf(args, sizeof(args), "run --dry-run --module m.txt %s", p);
	CHECK_EQ(vmxlab(args), 4);
	CHECK_CONTAINS(output, "module m.txt not found");
	unlink(p);
}

/* The built guest images, when they exist (make -C guest-images). */
TEST(binary_dry_run_of_guest_images)
{
	if (access("../../guest-images/mbhello.elf", R_OK)) {
		printf("# guest images not built; nothing to check\n");
		return;
	}
	CHECK_EQ(vmxlab("run --dry-run ../../guest-images/hello-real.bin"), 0);
	CHECK_CONTAINS(output, "flat binary, entered in real mode at 0x1000");
	CHECK_EQ(vmxlab("run --dry-run ../../guest-images/hello-long.elf"), 0);
	CHECK_CONTAINS(output, "ELF64, entered in long mode at 0x100000");
	CHECK_EQ(vmxlab("run --dry-run --module ../../guest-images/"
			"mbhello-module.txt ../../guest-images/mbhello.elf "
			"-- a b"), 0);
	CHECK_CONTAINS(output, "multiboot, entered in protected mode");
	CHECK_CONTAINS(output, "rax 0x2badb002 rbx 0x77000");
	CHECK_CONTAINS(output, "a multiboot module");
}

/*
 * End to end where the host has KVM: the same loader, devices and run
 * loop as on /dev/vmxlab, with backend-kvm.c underneath.
 */
TEST(binary_runs_guests_on_kvm_when_available)
{
	char trace[64], args[256];
	size_t n;
	FILE *f;

	snprintf(trace, sizeof(trace), "/tmp/vmxlab-test-%d.trace", getpid());
	if (access("/dev/kvm", R_OK | W_OK) ||
	    access("../../guest-images/portio.bin", R_OK)) {
		printf("# no usable /dev/kvm or no guest images; nothing to "
		       "check\n");
		return;
	}
	CHECK_EQ(vmxlab("run --backend kvm ../../guest-images/hello-real.bin"),
		 33);
	CHECK_CONTAINS(output, "hello from real mode\n");
	CHECK_CONTAINS(output, "vmxlab: PASS");
	snprintf(args, sizeof(args), "run --backend kvm --trace=%s --quiet "
		 "../../guest-images/portio.bin", trace);
	CHECK_EQ(vmxlab(args), 33);
	f = fopen(trace, "r");
	CHECK(f != NULL);
	if (f) {
		n = fread(output, 1, sizeof(output) - 1, f);
		output[n] = '\0';
		fclose(f);
	}
	unlink(trace);
	CHECK_CONTAINS(output, "IO_INSTRUCTION dir=in port=0x3fc size=4 "
		       "data=0x12b06003");
	CHECK_CONTAINS(output, "\nIO_INSTRUCTION                  ");
	CHECK_EQ(vmxlab("run --backend kvm --timeout 1 "
			"../../guest-images/loop.bin"), 124);
	CHECK_CONTAINS(output, "vmxlab: timed out after 1 s");
	CHECK_EQ(vmxlab("run --backend kvm ../../guest-images/hlt.bin"), 0);
	CHECK_CONTAINS(output, "vmxlab: guest halted at rip");
}

TEST(binary_step_command_line)
{
	CHECK_EQ(vmxlab("--help"), 0);
	CHECK_CONTAINS(output, "vmxlab step [options] IMAGE");
	CHECK_CONTAINS(output, "perfetto");
	CHECK_EQ(vmxlab("step"), 2);
	CHECK_CONTAINS(output, "no image given");
	CHECK_EQ(vmxlab("step --trace ../../guest-images/hlt.bin"), 2);
	CHECK_CONTAINS(output, "--trace does not apply to step");
	CHECK_EQ(vmxlab("step --dry-run ../../guest-images/hlt.bin"), 0);
	CHECK_CONTAINS(output, "entered in real mode");
	CHECK_EQ(vmxlab("walk x"), 2);
	CHECK_CONTAINS(output, "the commands are 'run' and 'step'");
}

/* The stepper on KVM: refused in one sentence, before any command. */
TEST(binary_step_on_kvm_is_refused)
{
	if (access("/dev/kvm", R_OK | W_OK) ||
	    access("../../guest-images/hlt.bin", R_OK)) {
		printf("# no usable /dev/kvm or no guest images; nothing to "
		       "check\n");
		return;
	}
	CHECK_EQ(vmxlab("step --backend kvm ../../guest-images/hlt.bin"), 4);
	CHECK_CONTAINS(output, "vmxlab: the stepper needs VMXLAB_SET_DEBUG, "
		       "which is not supported by the kvm backend\n");
}
