#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lab-lib.sh - what every lab test (NN/test.sh) starts with; the Makefile
# glues it in front of each.  Busybox sh.  A test prints one
# "ok - what" / "not ok - what" line per check, and the output of the
# things it ran with a "#   " prefix, and exits 0 only if every check
# passed.
#
# Environment (run-labs.sh sets it; defaults suit a tree at /vmxlab):
#   LAB_LOADER  the vmxlab loader
#   LAB_GUESTS  directory of this lab's guest images
#   LAB_DIR     directory of this lab's test programs
LAB_LOADER=${LAB_LOADER:-/vmxlab/userland/vmxlab}
LAB_DIR=${LAB_DIR:-$(dirname "$0")}
LAB_GUESTS=${LAB_GUESTS:-$LAB_DIR}
lab_failed=0

# check WHAT CMD...: one check, whose verdict is CMD's status.
check() {
	what=$1
	shift
	if "$@"; then
		echo "ok - $what"
	else
		echo "not ok - $what"
		lab_failed=1
	fi
}

has() {		# has FILE STRING: FILE contains STRING
	grep -qF -- "$2" "$1"
}

lacks() {	# lacks FILE STRING
	! grep -qF -- "$2" "$1"
}

show() {	# show [FILE]: FILE (or stdin: the machine has no /dev/stdin), indented
	sed 's/^/#   /' ${1:+"$1"}
}

# kselftest PROG: run the kselftest program LAB_DIR/PROG, one check.
kselftest() {
	"$LAB_DIR/$1" >"/tmp/$1.out" 2>&1 </dev/null
	st=$?
	show "/tmp/$1.out"
	check "$1 passes (exit status $st)" test "$st" = 0
}

finish() {
	exit "$lab_failed"
}
