/* SPDX-License-Identifier: GPL-2.0 */
/* cli.h - the command line of vmxlab. */
#ifndef VMXLAB_CLI_H
#define VMXLAB_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "image.h"

/* Exit statuses of the loader itself: all even, see cli.c's help. */
#define STATUS_HALTED		0
#define STATUS_USAGE		2
#define STATUS_SETUP		4
#define STATUS_TRIPLE_FAULT	6
#define STATUS_ENTRY_FAILED	8
#define STATUS_INTERNAL		10
#define STATUS_UNEXPECTED	12
#define STATUS_TIMEOUT		124
#define STATUS_INTERRUPTED	130
#define STATUS_TERMINATED	143

/* Debug-exit values the guest images use (guest-images/README.md). */
#define GUEST_PASS_VALUE	0x10	/* status 33 */
#define GUEST_FAIL_VALUE	0x11	/* status 35 */

#define TIMEOUT_MAX		(24 * 3600)

enum command {
	CMD_RUN,	/* vmxlab run */
	CMD_STEP,	/* vmxlab step: the interactive stepper */
};

struct options {
	enum command command;
	const char *image;
	char **guest_argv;
	int guest_argc;
	uint64_t mem;
	bool have_load, have_entry, have_mode;
	uint64_t load, entry;
	enum cpu_mode mode;
	const char *modules[IMAGE_MAX_MODULES];
	unsigned nmodules;
	bool trace, trace_json;
	bool trace_perfetto;		/* --trace-format perfetto */
	const char *trace_file;		/* NULL: stderr */
	unsigned timeout;		/* seconds, 0: none */
	bool quiet, dry_run;
	const char *backend;
	const char *device;		/* NULL: the backend's default */
};

enum cli_result {
	CLI_RUN,	/* options are complete: run the guest */
	CLI_DONE,	/* --help or --version was printed: exit 0 */
	CLI_USAGE,	/* a message was printed: exit STATUS_USAGE */
};

enum cli_result cli_parse(int argc, char **argv, struct options *o);
void cli_help(FILE *out);

#endif /* VMXLAB_CLI_H */
