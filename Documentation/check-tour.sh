#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check-tour.sh [TOUR]: every file and every function that
# Documentation/tour.rst names in ``double backquotes`` exists, so that
# the reading order stays true as code moves (make check, docs step).
# A file is looked up in kmod/, then from the repository's top; a
# function, ``name()``, must be defined (or be a macro) in kmod/,
# uapi/, userland/ or guest-images/, or be one of the kernel's that the
# tour names on purpose (listed below).  Prints each missing name and
# exits 1 when there is one.
top=$(cd "$(dirname "$0")/.." && pwd)
tour=${1:-$top/Documentation/tour.rst}
cd "$top" || exit 2

# The kernel's and the CPU's own functions the tour mentions.
kernel_functions=" $(echo on_each_cpu account_locked_vm pin_user_pages_fast \
	synchronize_rcu fpu_swap_kvm_fpstate need_resched do_machine_check \
	switch_fpu_return copy_from_user copy_to_user kmap_local_page \
	mmap mutex_lock_killable) "

missing=0
for f in $(grep -o '``[A-Za-z0-9_./-]*\.[chS]``' "$tour" | tr -d '`' | sort -u); do
	[ -e "kmod/$f" ] || [ -e "$f" ] || {
		echo "tour names file $f, which does not exist"
		missing=1
	}
done
for fn in $(grep -o '``[A-Za-z_][A-Za-z0-9_]*()``' "$tour" | tr -d '`()' | sort -u); do
	case "$kernel_functions" in *" $fn "*) continue ;; esac
	grep -rqsE "^([a-z_].*[ *])?$fn\(|^#define $fn\b|^SYM_FUNC_START\($fn\)|^$fn:" \
		kmod uapi userland guest-images --include='*.[chS]' || {
		echo "tour names function $fn(), which is defined nowhere"
		missing=1
	}
done
exit $missing
