// SPDX-License-Identifier: GPL-2.0
/*
 * loader_test.c - the loader and the stepper against the real module,
 * with golden expectations: the exits of the hello guest in the trace,
 * single steps landing on known RIPs, a VMCS read equal to the RIP at a
 * stop, and a GVA walk that matches the loader's identity page tables;
 * and COM1's receiver fed from the loader's stdin, a terminal or a pipe,
 * with the uart-echo guest.
 *
 * Runs /vmxlab/userland/vmxlab on the images in /vmxlab/guest-images
 * (skipped where they are not in the machine).
 */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
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

/* uart-echo's banner, and its last line for "abc\n" then "quit\n". */
#define ECHO_BANNER	"uart-echo: echoing what it receives"
#define ECHO_DONE	"uart-echo: 2 lines, 9 characters echoed, \"quit\" received: ok"
#define ECHO_SECS	60	/* the loader's --timeout, and each wait's */

static int have_uart_echo(void)
{
	return have_loader() && !access(IMAGES "/uart-echo.elf", R_OK);
}

/* Occurrences of @needle in @hay. */
static int count_of(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/*
 * What the terminal shows: append what @fd has to @buf (NUL-terminated,
 * *@len bytes so far) until @want is in it from offset @from on, the
 * other end is gone (EIO or EOF: the loader exited), or @secs pass.
 * Returns 1 when @want was found.
 */
static int read_until(int fd, char *buf, size_t size, size_t *len,
		      size_t from, const char *want, int secs)
{
	time_t end = time(NULL) + secs;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (want && strstr(buf + from, want))
			return 1;
		if (time(NULL) >= end || *len + 1 >= size)
			return 0;
		if (poll(&pfd, 1, 1000) < 0 && errno != EINTR)
			return 0;
		if (!(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = read(fd, buf + *len, size - 1 - *len);
		if (n <= 0)
			return 0;
		*len += n;
		buf[*len] = 0;
	}
}

static int write_all(int fd, const char *s)
{
	size_t len = strlen(s);

	while (len) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		s += n;
		len -= n;
	}
	return 0;
}

/* One run of uart-echo with a terminal as stdin, stdout and stderr. */
struct pty_run {
	char out[8192];		/* everything the terminal showed */
	size_t len;
	int banner;		/* the guest listens */
	int echo_before_nl;	/* "abc" came back before "\n" was typed */
	int done;		/* the guest's last line */
	int status;		/* waitpid()'s; -1: it did not end */
	int restored;		/* ICANON and ECHO on again after the run */
	char why[128];		/* why there was no terminal */
};

static void uart_echo_on_pty(struct pty_run *r)
{
	size_t from = 0;
	struct termios t;
	const char *p;
	int master, i;
	pid_t pid;

	r->status = -1;
	/* The terminal as a login has it: canonical, echoing. */
	pid = forkpty(&master, NULL, NULL, NULL);
	if (pid < 0) {
		snprintf(r->why, sizeof(r->why), "forkpty: %s", strerror(errno));
		return;
	}
	if (!pid) {
		char secs[16];

		snprintf(secs, sizeof(secs), "%d", ECHO_SECS);
		if (chdir(IMAGES) == 0)
			execl(VMXLAB, "vmxlab", "run", "--timeout", secs,
			      "uart-echo.elf", (char *)NULL);
		_exit(127);
	}
	/*
	 * The guest prints its banner once it runs, after the loader made
	 * the terminal non-canonical and silent: type only then, or the
	 * terminal itself would echo what is typed.
	 */
	r->banner = read_until(master, r->out, sizeof(r->out), &r->len, 0,
			       ECHO_BANNER, ECHO_SECS);
	p = strstr(r->out, ECHO_BANNER);
	if (p)
		from = p - r->out + strlen(ECHO_BANNER);
	if (r->banner && !write_all(master, "abc")) {
		/* In canonical mode "abc" would wait for its newline. */
		r->echo_before_nl = read_until(master, r->out, sizeof(r->out),
					       &r->len, from, "abc", ECHO_SECS);
		if (!write_all(master, "\nquit\n"))
			r->done = read_until(master, r->out, sizeof(r->out),
					     &r->len, from, ECHO_DONE,
					     ECHO_SECS);
	}
	/* The rest, until the loader's end closes the terminal. */
	read_until(master, r->out, sizeof(r->out), &r->len, 0, NULL, 10);
	for (i = 0; i < 100; i++) {
		if (waitpid(pid, &r->status, WNOHANG) == pid)
			break;
		r->status = -1;
		usleep(100000);
	}
	if (r->status == -1) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	} else if (!tcgetattr(master, &t)) {
		/* The loader leaves the terminal as it found it. */
		r->restored = (t.c_lflag & (ICANON | ECHO)) == (ICANON | ECHO);
	}
	close(master);
}

/* Runs of a guest under Bochs take longer than the harness's 30 s. */
FIXTURE(uart) {};
FIXTURE_SETUP(uart) {}
FIXTURE_TEARDOWN(uart) {}

/*
 * Typed characters reach the guest's UART: the loader feeds its stdin to
 * COM1's receiver and, when stdin is a terminal, turns off the line
 * discipline's canonical mode (each key at once, not line by line) and
 * its echo (the guest echoes; the terminal must not as well).
 */
TEST_F_TIMEOUT(uart, typed_characters_through_a_pty, 300)
{
	struct pty_run *r;
	const char *banner;

	if (!have_uart_echo())
		SKIP(return, "no loader or uart-echo.elf in this machine");
	r = calloc(1, sizeof(*r));
	ASSERT_NE(NULL, r);
	uart_echo_on_pty(r);
	if (r->why[0]) {
		/*
		 * The machine mounts devpts at /dev/pts; without it, or in
		 * a kernel without UNIX98 ptys, there is no terminal to give.
		 */
		TH_LOG("%s", r->why);
		free(r);
		SKIP(return, "no pseudo-terminal in this machine");
	}
	EXPECT_TRUE(r->banner) TH_LOG("%s", r->out);
	EXPECT_TRUE(r->echo_before_nl) TH_LOG("%s", r->out);
	EXPECT_TRUE(r->done) TH_LOG("%s", r->out);
	EXPECT_TRUE(WIFEXITED(r->status) && WEXITSTATUS(r->status) == 33)
		TH_LOG("wait status %#x: %s", r->status, r->out);
	/* Once from the guest, and not a second time from the terminal. */
	banner = strstr(r->out, ECHO_BANNER);
	EXPECT_EQ(1, banner ? count_of(banner, "abc") : 0) TH_LOG("%s", r->out);
	EXPECT_TRUE(r->restored);
	free(r);
}

/* The same input through a pipe: no terminal to set up, then EOF. */
TEST_F_TIMEOUT(uart, piped_input, 300)
{
	char *out;
	int status;

	if (!have_uart_echo())
		SKIP(return, "no loader or uart-echo.elf in this machine");
	out = run("(printf 'abc\\nquit\\n' | " VMXLAB
		  " run --timeout 60 uart-echo.elf; echo \"status=$?\")",
		  &status);
	ASSERT_NE(NULL, out);
	EXPECT_NE(NULL, strstr(out, "abc")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, ECHO_DONE)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "status=33")) TH_LOG("%s", out);
	free(out);
}

TEST_HARNESS_MAIN
