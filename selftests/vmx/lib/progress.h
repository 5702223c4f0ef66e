/* SPDX-License-Identifier: GPL-2.0 */
/*
 * progress.h - does the host still run its other tasks?  A sleeper
 * process pinned to one CPU counts its 10 ms sleeps while a guest runs
 * there.  CLOCK_MONOTONIC (the TSC) measures the time: it advances
 * whether or not the host's timer interrupts come, so a host whose ticks
 * wait behind a guest shows as a few sleeps a second instead of a
 * hundred.
 */
#ifndef VMXLAB_PROGRESS_H
#define VMXLAB_PROGRESS_H

#include <sys/types.h>

#define PROGRESS_SLEEP_MS	10

struct progress {
	pid_t pid;
	volatile unsigned long *sleeps;	/* shared with the sleeper */
	double t0;
};

/* Pin the caller to @cpu (sched_setaffinity); 0 or -errno. */
int pin_to_cpu(int cpu);
/* Monotonic seconds. */
double now_seconds(void);
/* Start a sleeper on @cpu; 0 or -errno. */
int progress_start(struct progress *p, int cpu);
/*
 * Stop it.  Returns the sleeps it completed; *expected is how many an
 * unloaded host completes in the same time.
 */
unsigned long progress_stop(struct progress *p, unsigned long *expected);

#endif
