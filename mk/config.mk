# SPDX-License-Identifier: GPL-2.0
#
# Shared settings for the top-level Makefile and selftests/Makefile.
# TOP must be set (absolute path of the repository) before inclusion.

SHELL := /bin/bash
# A failing command anywhere in a pipe must fail the recipe (lint pipes
# kbuild's output through tee).
.SHELLFLAGS := -eo pipefail -c

BUILD ?= $(TOP)/build

# The target kernel is Debian 12's linux-image-amd64, whatever the build
# host runs: never `uname -r`.  Take the newest installed *-amd64 release
# that has headers (a build/ link under /lib/modules, or a
# /usr/src/linux-headers-* directory).  KVER= or KDIR= override.
#
# Both are recursive variables (=, not :=), looked up when a recipe uses
# them: on a fresh machine the headers arrive with `make deps`, which
# runs after this file is read, in the same make (make check).
KVER ?= $(shell { for d in /lib/modules/*-amd64; do \
			[ -e "$$d/build/Makefile" ] && basename "$$d"; done; \
		  for d in /usr/src/linux-headers-*-amd64; do \
			[ -e "$$d/Makefile" ] && basename "$$d" | sed 's/^linux-headers-//'; done; \
		} 2>/dev/null | sort -uV | tail -n1)
ifeq ($(origin KDIR),undefined)
KDIR = $(patsubst %/Makefile,%,$(firstword \
	$(wildcard /lib/modules/$(KVER)/build/Makefile \
		   /usr/src/linux-headers-$(KVER)/Makefile)))
endif

# Emulator for the VMX lane of `make check` and for `make demo`:
# bochs (default, tested), qemu-kvm (nested VMX on an Intel host, untested).
EMU ?= bochs
