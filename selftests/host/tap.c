// SPDX-License-Identifier: GPL-2.0
/* tap.c - runs the registered tests, one child process each. */
#include <stdarg.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"
#include "util.h"

#define MAX_TESTS	512

static const struct tap_test *tests[MAX_TESTS];
static unsigned ntests;
static bool failed;

void tap_register(const struct tap_test *t)
{
	if (ntests < MAX_TESTS)
		tests[ntests++] = t;
}

void tap_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	failed = true;
	printf("# %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

void capture_start(struct capture *c)
{
	free(c->buf);
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	msg_stream = c->f;
}

const char *capture_end(struct capture *c)
{
	msg_stream = NULL;
	fclose(c->f);
	c->f = NULL;
	return c->buf;
}

static int by_place(const void *a, const void *b)
{
	const struct tap_test *x = *(const struct tap_test **)a;
	const struct tap_test *y = *(const struct tap_test **)b;
	int c = strcmp(x->file, y->file);

	return c ? c : x->line - y->line;
}

/* Runs one test in a child; true when it passed. */
static bool run_one(const struct tap_test *t)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return false;
	}
	if (pid == 0) {
		failed = false;
		t->fn();
		fflush(stdout);
		_exit(failed ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) < 0)
		return false;
	if (WIFSIGNALED(status)) {
		printf("# %s: killed by signal %d\n", t->name,
		       WTERMSIG(status));
		return false;
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main(int argc, char **argv)
{
	unsigned i, pass = 0, fail = 0;

	qsort(tests, ntests, sizeof(tests[0]), by_place);
	printf("TAP version 13\n1..%u\n", ntests);
	for (i = 0; i < ntests; i++) {
		/* An optional argument selects tests by name substring. */
		if (argc > 1 && !strstr(tests[i]->name, argv[1])) {
			printf("ok %u - %s # SKIP not selected\n", i + 1,
			       tests[i]->name);
			continue;
		}
		if (run_one(tests[i])) {
			printf("ok %u - %s\n", i + 1, tests[i]->name);
			pass++;
		} else {
			printf("not ok %u - %s\n", i + 1, tests[i]->name);
			fail++;
		}
	}
	printf("host-tests: %u passed, %u failed\n", pass, fail);
	return fail ? 1 : 0;
}
