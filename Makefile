# SPDX-License-Identifier: GPL-2.0
#
# vmxlab top-level Makefile.  See README.md; `make help` lists targets.
#
# Kbuild reads ./Kbuild (not this file) when it builds the module, so this
# Makefile is only the front door for people and CI.

TOP := $(CURDIR)
.DEFAULT_GOAL := all
include mk/config.mk
include mk/linux-source.mk

VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(TOP)/dkms.conf)

# The other parts of the tree are written in parallel; build each one only
# once its Makefile exists so that `make` works at every step.
HAVE_KMOD := $(wildcard kmod/Kbuild)
HAVE_USERLAND := $(wildcard userland/Makefile)
HAVE_GUEST_IMAGES := $(wildcard guest-images/Makefile)

.PHONY: all print-kver kdir-check module userland guest-images selftests deps lint checkpatch \
	sparse check demo clean help kselftest-headers

all: module userland guest-images selftests

help:
	@echo "make [all]     build kmod/vmxlab.ko, userland, guest images, selftests"
	@echo "make check     every test: host units, lint, suite in Bochs, no-VMX lane, dkms"
	@echo "make demo      boot Bochs, load vmxlab.ko, run hello-real.bin with --trace"
	@echo "make shell     boot Bochs, load vmxlab.ko, a shell in it on this terminal"
	@echo "make lint      checkpatch --strict + sparse on kmod/ and uapi/"
	@echo "make bench     vmxlab vs KVM in one Bochs boot: build/bench/results.*"
	@echo "make stress    the fuzzers at 10x size and the leak checks, in Bochs"
	@echo "make check-debug  suite + short stress under a KASAN/lockdep/kmemleak kernel built here"
	@echo "make docs      Documentation/ to HTML in build/docs (sphinx-build -W)"
	@echo "make labs      the lab solutions: each lab test fails without, passes with (Bochs)"
	@echo "make lab-test LAB=NN  a lab's test on this tree, in Bochs"
	@echo "make deps      install the Debian packages the above need (root)"
	@echo "make clean"
	@echo "version $(VERSION); KVER=$(KVER) KDIR=$(KDIR) EMU=$(EMU)"

print-kver:
	@echo $(KVER)

kdir-check:
	@test -n "$(KDIR)" || { echo "No Debian *-amd64 kernel headers found: run 'make deps' (or set KVER=/KDIR=)." >&2; exit 1; }

module: kdir-check
ifneq ($(HAVE_KMOD),)
	$(MAKE) -C $(KDIR) M=$(TOP) modules
else
	@echo "  SKIP    module: kmod/Kbuild does not exist yet"
endif

userland:
ifneq ($(HAVE_USERLAND),)
	$(MAKE) -C userland
else
	@echo "  SKIP    userland: userland/Makefile does not exist yet"
endif

guest-images:
ifneq ($(HAVE_GUEST_IMAGES),)
	$(MAKE) -C guest-images
else
	@echo "  SKIP    guest-images: guest-images/Makefile does not exist yet"
endif

kselftest-headers: $(KSELFTEST_HEADERS)

selftests: kselftest-headers
	$(MAKE) -C selftests

# ------------------------------------------------------------------ deps
deps:
	@$(TOP)/mk/deps.sh install

# ------------------------------------------------------------------ lint
LINT_KMOD := $(filter-out %.mod.c,$(sort $(wildcard kmod/*.c kmod/*.h kmod/*.S)))
LINT_UAPI := $(sort $(wildcard uapi/*.h uapi/*/*.h))
LINT_DIR := $(BUILD)/lint

lint: checkpatch sparse

# --strict, no --ignore: every rule applies to this code.  --no-tree
# because the repository is not a kernel tree (only the checks that need
# one are skipped).  checkpatch knows uapi headers by their in-tree path
# include/uapi/ (BIT() and __packed do not exist for user space, so it
# does not ask for them there): it is run from $(LINT_DIR), where
# include/uapi and kmod are links into the repository, and the paths in
# its report are mapped back.
checkpatch: $(CHECKPATCH)
	@test -n "$(LINT_KMOD)$(LINT_UAPI)" || { echo "  SKIP    checkpatch: no kmod/ or uapi/ sources"; exit 0; }
	@echo "  CHECKPATCH --strict $(words $(LINT_KMOD) $(LINT_UAPI)) files"
	@mkdir -p $(LINT_DIR)/include && ln -sfn $(TOP)/uapi $(LINT_DIR)/include/uapi && \
		ln -sfn $(TOP)/kmod $(LINT_DIR)/kmod
	@cd $(LINT_DIR) && $(CHECKPATCH) --strict --no-tree --terse --show-types \
		--no-summary --color=never \
		-f $(LINT_KMOD) $(patsubst uapi/%,include/uapi/%,$(LINT_UAPI)) 2>&1 | \
		sed 's|^include/uapi/|uapi/|' >$(BUILD)/checkpatch.log || true
	@if [ -s $(BUILD)/checkpatch.log ]; then cat $(BUILD)/checkpatch.log; \
		echo "checkpatch: $$(wc -l <$(BUILD)/checkpatch.log) finding(s)" >&2; exit 1; fi

# C=2 runs sparse on every object whether or not it needs rebuilding.  Any
# "warning:" from the compiler or from sparse fails lint.
sparse: kdir-check
ifneq ($(HAVE_KMOD),)
	@mkdir -p $(BUILD)
	@echo "  SPARSE  kbuild C=2"
	@$(MAKE) -s -C $(KDIR) M=$(TOP) C=2 modules >$(BUILD)/sparse.log 2>&1 || { cat $(BUILD)/sparse.log; exit 1; }
	@if grep -E 'warning:|error:' $(BUILD)/sparse.log; then \
		echo "sparse: $$(grep -cE 'warning:|error:' $(BUILD)/sparse.log) warning(s)" >&2; exit 1; fi
else
	@echo "  SKIP    sparse: kmod/Kbuild does not exist yet"
endif

# ------------------------------------------------------------------ check
check: deps
	@KVER=$(KVER) KDIR=$(KDIR) EMU=$(EMU) BUILD=$(BUILD) $(TOP)/selftests/machine/check.sh

# ------------------------------------------------------------------ stress
# The fuzzers at ten times their `make check` size, then the leak and
# isolation checks, in one Bochs boot (issue #9).  Not part of make check.
STRESS_CALLS ?= 100000
STRESS_CASES ?= 10000
.PHONY: stress
stress: deps
	@$(MAKE) --no-print-directory all
	@$(TOP)/selftests/machine/vmxlab-machine --timeout 3000 -- \
		'insmod /vmxlab/kmod/vmxlab.ko && \
		 VMXLAB_FUZZ_CALLS=$(STRESS_CALLS) /vmxlab/selftests/fuzz_ioctl_test && \
		 VMXLAB_FUZZ_CASES=$(STRESS_CASES) /vmxlab/selftests/fuzz_guest_test && \
		 /vmxlab/selftests/reliability_test && rmmod vmxlab'

# ------------------------------------------------------------------ check-debug
# The suite and a short stress in Bochs under a kernel built here from
# linux-source-6.1 with KASAN, lockdep, DEBUG_ATOMIC_SLEEP and kmemleak
# (selftests/machine/debug-kernel.config), into $(BUILD)/debug-kernel/.
# Documentation/debug-kernel.rst.  Not part of make check (too slow).
.PHONY: check-debug
check-debug: deps
	@BUILD=$(BUILD) $(TOP)/selftests/machine/debug-kernel.sh

# ------------------------------------------------------------------ bench
# Documentation/benchmarks.rst.  bench-smoke: the harness on a recorded
# sample, no Bochs (TAP), part of `make check`.
.PHONY: bench bench-smoke
bench: deps
	@$(MAKE) --no-print-directory all
	@KVER=$(KVER) $(TOP)/selftests/bench/bench.sh

bench-smoke:
	@python3 $(TOP)/selftests/bench/bench.py selftest

# ------------------------------------------------------------------ docs
# Documentation/ to HTML in $(BUILD)/docs, any Sphinx warning an error.
# First the generated part: the table of exit reasons of exits.rst, from
# uapi/linux/vmxlab_tables.h and kmod/exits.c, into Documentation/_generated/
# (ignored by git).  The diagrams (Documentation/diagrams/*.dot) are
# rendered by sphinx.ext.graphviz (Debian: python3-sphinx, graphviz).
.PHONY: docs
DOCS_GEN := $(TOP)/Documentation/_generated
docs:
	@mkdir -p $(DOCS_GEN)
	@sh $(TOP)/Documentation/gen-exit-table.sh $(TOP)/uapi/linux/vmxlab_tables.h \
		$(TOP)/kmod/exits.c >$(DOCS_GEN)/exit-table.inc.tmp
	@cmp -s $(DOCS_GEN)/exit-table.inc.tmp $(DOCS_GEN)/exit-table.inc && \
		rm $(DOCS_GEN)/exit-table.inc.tmp || \
		mv $(DOCS_GEN)/exit-table.inc.tmp $(DOCS_GEN)/exit-table.inc
	@echo "  SPHINX  Documentation -> $(BUILD)/docs"
	@sphinx-build -W --keep-going -q -b html -d $(BUILD)/docs-doctrees \
		$(TOP)/Documentation $(BUILD)/docs

# ------------------------------------------------------------------ labs
# Documentation/labs/.  labs: every reference solution (solutions/*.patch)
# against HEAD, in one Bochs boot (also the labs step of make check).
# lab-test: the tests of the labs named in LAB, on the working tree.
.PHONY: labs lab-test
labs: deps
	@KVER=$(KVER) $(TOP)/selftests/labs/check-solutions.sh

lab-test: deps kselftest-headers
	@test -n "$(LAB)" || { echo 'usage: make lab-test LAB="02 03"' >&2; exit 2; }
	@KVER=$(KVER) $(TOP)/selftests/labs/run-lab.sh $(LAB)

# ------------------------------------------------------------------ demo
# deps first, then the build: prerequisites could run side by side
# under make -j, before the packages the build needs are there.
demo: deps
	@$(MAKE) --no-print-directory all
	@EMU=$(EMU) KVER=$(KVER) $(TOP)/selftests/machine/demo.sh

# ------------------------------------------------------------------ shell
# The emulated machine with vmxlab.ko loaded and a shell on this
# terminal (Documentation/machine.rst).  `exit` powers it off.
.PHONY: shell
shell: deps
	@$(MAKE) --no-print-directory all
	@KVER=$(KVER) $(TOP)/selftests/machine/vmxlab-machine --emu $(EMU) --interactive

# ------------------------------------------------------------------ clean
clean:
ifneq ($(HAVE_KMOD),)
	-$(MAKE) -C $(KDIR) M=$(TOP) clean
endif
ifneq ($(HAVE_USERLAND),)
	-$(MAKE) -C userland clean
endif
ifneq ($(HAVE_GUEST_IMAGES),)
	-$(MAKE) -C guest-images clean
endif
	rm -rf $(BUILD)
