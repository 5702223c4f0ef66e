# SPDX-License-Identifier: GPL-2.0
#
# A few files from Debian's linux-source-6.1 tarball, extracted into
# $(BUILD)/linux-source at build time: checkpatch.pl (with its spelling
# and const-struct lists, which it looks for next to itself) and the
# kselftest harness headers.  They are never copied into the repository.

LINUX_SOURCE_TAR ?= $(firstword $(wildcard /usr/src/linux-source-6.1.tar.xz \
					    /usr/src/linux-source-*.tar.xz))
LINUX_SOURCE_DIR := $(BUILD)/linux-source
CHECKPATCH := $(LINUX_SOURCE_DIR)/scripts/checkpatch.pl
KSELFTEST_DIR := $(BUILD)/kselftest

LINUX_SOURCE_FILES := scripts/checkpatch.pl scripts/spelling.txt \
	scripts/const_structs.checkpatch \
	tools/testing/selftests/kselftest_harness.h \
	tools/testing/selftests/kselftest.h

# One tar run for all files: the archive must be decompressed end to end
# (~8 s) whatever is taken out of it.
$(LINUX_SOURCE_DIR)/.stamp:
	@test -n "$(LINUX_SOURCE_TAR)" || { echo "no /usr/src/linux-source-*.tar.xz: run 'make deps' (package linux-source-6.1)" >&2; exit 1; }
	@echo "  EXTRACT $(notdir $(LINUX_SOURCE_TAR)): checkpatch, kselftest harness"
	@rm -rf $(LINUX_SOURCE_DIR) && mkdir -p $(LINUX_SOURCE_DIR)
	@tar -xJf $(LINUX_SOURCE_TAR) -C $(LINUX_SOURCE_DIR) --strip-components=1 \
		--wildcards $(addprefix '*/',$(LINUX_SOURCE_FILES))
	@touch $@

$(CHECKPATCH): $(LINUX_SOURCE_DIR)/.stamp

$(KSELFTEST_DIR)/kselftest_harness.h $(KSELFTEST_DIR)/kselftest.h: $(LINUX_SOURCE_DIR)/.stamp
	@mkdir -p $(KSELFTEST_DIR)
	@cp $(LINUX_SOURCE_DIR)/tools/testing/selftests/$(notdir $@) $@

KSELFTEST_HEADERS := $(KSELFTEST_DIR)/kselftest_harness.h $(KSELFTEST_DIR)/kselftest.h
