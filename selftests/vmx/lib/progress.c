// SPDX-License-Identifier: GPL-2.0
/*
 * progress.c - see progress.h.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

int pin_to_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? -errno : 0;
}

double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int progress_start(struct progress *p, int cpu)
{
	struct timespec nap = { 0, PROGRESS_SLEEP_MS * 1000000L };
	void *m;

	m = mmap(NULL, sizeof(*p->sleeps), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return -errno;
	p->sleeps = m;
	*p->sleeps = 0;
	p->t0 = now_seconds();
	p->pid = fork();
	if (p->pid < 0) {
		munmap(m, sizeof(*p->sleeps));
		return -errno;
	}
	if (p->pid == 0) {
		pin_to_cpu(cpu);
		for (;;) {
			nanosleep(&nap, NULL);
			(*p->sleeps)++;
		}
	}
	return 0;
}

unsigned long progress_stop(struct progress *p, unsigned long *expected)
{
	unsigned long n = *p->sleeps;
	double secs = now_seconds() - p->t0;

	kill(p->pid, SIGKILL);
	waitpid(p->pid, NULL, 0);
	munmap((void *)p->sleeps, sizeof(*p->sleeps));
	*expected = (unsigned long)(secs * 1000 / PROGRESS_SLEEP_MS);
	return n;
}
