// SPDX-License-Identifier: GPL-2.0
/*
 * loader_test.c - the loader and the stepper against the real module,
 * with golden expectations: the exits of the hello guest in the trace,
 * single steps landing on known RIPs, a VMCS read equal to the RIP at a
 * stop, and a GVA walk that matches the loader's identity page tables.
 *
 * Runs /vmxlab/userland/vmxlab on the images in /vmxlab/guest-images
 * (skipped where they are not in the machine).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <kselftest_harness.h>

#define VMXLAB "/vmxlab/userland/vmxlab"
#define IMAGES "/vmxlab/guest-images"

/* Run a shell command in IMAGES; return its whole stdout+stderr. */
static char *run(const char *cmd, int *status)
{
	char full[1024], *out = NULL;
	size_t len = 0;
	FILE *f;
	int c;

	snprintf(full, sizeof(full), "cd " IMAGES " && %s 2>&1", cmd);
	f = popen(full, "r");
	if (!f)
		return NULL;
	while ((c = fgetc(f)) != EOF) {
		out = realloc(out, len + 2);
		out[len++] = c;
	}
	if (out)
		out[len] = 0;
	*status = pclose(f);
	return out ? out : strdup("");
}

static int have_loader(void)
{
	return !access(VMXLAB, X_OK) && !access(IMAGES "/hello-real.bin", R_OK);
}

/*
 * hello-real prints "hello from real mode\n" (21 bytes) and
 * "hello-real: CR0.PE=0, CS=0: ok\n" (31 bytes) one OUT to COM1 each,
 * then passes with one OUT to port 0xf4: 53 I/O exits, in that order.
 * Asynchronous exits (interrupts, the preemption timer) are left out.
 */
TEST(trace_of_hello_matches_golden)
{
	char *out, *line;
	int status, n = 0, ok = 1;

	if (!have_loader())
		SKIP(return, "no loader or guest images in this machine");
	out = run(VMXLAB " run --quiet --trace=/tmp/hello.trace hello-real.bin"
		  " >/dev/null; cat /tmp/hello.trace", &status);
	ASSERT_NE(NULL, out);
	for (line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		char reason[64] = "";
		unsigned int port = 0;
		const char *p;

		if (line[0] != '#' || sscanf(line, "#%*u tsc=%*s %63s", reason) != 1)
			continue;
		if (!strcmp(reason, "EXTERNAL_INTERRUPT") ||
		    !strcmp(reason, "PREEMPTION_TIMER"))
			continue;
		p = strstr(line, "port=");
		if (p)
			sscanf(p, "port=%x", &port);
		if (strcmp(reason, "IO_INSTRUCTION") ||
		    port != (n < 52 ? 0x3f8U : 0xf4U)) {
			TH_LOG("exit %d: %s", n, line);
			ok = 0;
		}
		n++;
	}
	EXPECT_EQ(53, n);
	EXPECT_TRUE(ok);
	free(out);
}

TEST(step_lands_on_expected_rips)
{
	char *out;
	int status;

	if (!have_loader())
		SKIP(return, "no loader or guest images in this machine");
	/* cli (1 byte), xor %ax,%ax (2), mov %ax,%ds (2), mov %ax,%es (2) */
	out = run("printf 'step 4\\nquit\\n' | " VMXLAB " step hello-real.bin",
		  &status);
	ASSERT_NE(NULL, out);
	/* Each step but the last shows the next instruction's line... */
	EXPECT_NE(NULL, strstr(out, "0x1001:"));
	EXPECT_NE(NULL, strstr(out, "0x1003:"));
	EXPECT_NE(NULL, strstr(out, "0x1005:"));
	/* ...and the last one stops there. */
	EXPECT_NE(NULL, strstr(out, "stop: step "));
	EXPECT_NE(NULL, strstr(out, "rip=0x1007")) TH_LOG("%s", out);
	free(out);
}

TEST(stop_at_exit_and_read_guest_rip)
{
	char *out, *stop, *vmcs;
	unsigned long long stop_rip = 0, vmcs_rip = 1;
	int status;

	if (!have_loader())
		SKIP(return, "no loader or guest images in this machine");
	out = run("printf 'continue\\nvmcs GUEST_RIP\\nquit\\n' | " VMXLAB
		  " step hello-real.bin", &status);
	ASSERT_NE(NULL, out);
	/* The first exit of hello-real is its first OUT to COM1. */
	stop = strstr(out, "stop: exit IO_INSTRUCTION dir=out port=0x3f8");
	ASSERT_NE(NULL, stop) TH_LOG("%s", out);
	ASSERT_NE(NULL, strstr(stop, "rip="));
	sscanf(strstr(stop, "rip="), "rip=%llx", &stop_rip);
	vmcs = strstr(out, "GUEST_RIP (0x681e");
	ASSERT_NE(NULL, vmcs) TH_LOG("%s", out);
	sscanf(strstr(vmcs, "= "), "= %llx", &vmcs_rip);
	EXPECT_EQ(stop_rip, vmcs_rip);
	free(out);
}

TEST(walk_matches_identity_page_tables)
{
	char *out, *g;
	unsigned long long gva = 0, gpa = 1;
	int status;

	if (!have_loader() || access(IMAGES "/hello-long.elf", R_OK))
		SKIP(return, "no loader or guest images in this machine");
	/* The loader identity-maps the first 4 GiB for long mode. */
	out = run("printf 'walk 0x201234\\nquit\\n' | " VMXLAB
		  " step hello-long.elf", &status);
	ASSERT_NE(NULL, out);
	g = strstr(out, "GVA 0x201234 -> GPA ");
	ASSERT_NE(NULL, g) TH_LOG("%s", out);
	sscanf(g, "GVA %llx -> GPA %llx", &gva, &gpa);
	EXPECT_EQ(gva, gpa);
	EXPECT_NE(NULL, strstr(g, "-> HPA 0x"));
	EXPECT_NE(NULL, strstr(out, "PS=1"));	/* a 2 MiB page on the way */
	free(out);
}

/* Ctrl-C on a guest in a tight loop: the loader stops it, status 130. */
TEST(ctrl_c_stops_a_spinning_guest)
{
	char *out;
	int status;

	if (!have_loader() || access(IMAGES "/loop.bin", R_OK))
		SKIP(return, "no loader or guest images in this machine");
	out = run(VMXLAB " run loop.bin & pid=$!; sleep 3; kill -INT $pid; "
		  "wait $pid; echo \"status=$?\"", &status);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, "loop: spinning forever"));
	EXPECT_NE(NULL, strstr(out, "status=130")) TH_LOG("%s", out);
	free(out);
}

TEST_HARNESS_MAIN
