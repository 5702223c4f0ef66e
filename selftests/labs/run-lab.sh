#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# run-lab.sh LAB...: a student's check.  Builds the working tree as it is
# (the module, the loader, the lab tests and guests) and runs the tests
# of the labs named (01, 02...) in one boot of the emulated machine, with
# this tree's module and loader; each must pass.  TAP on stdout, exit
# status 0 when every lab passed.  `make lab-test LAB="02 03"` runs it.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${BUILD:-$top/build}
out=$build/labs/tree
[ $# -gt 0 ] || { echo "usage: selftests/labs/run-lab.sh LAB... (01 02 ...)" >&2; exit 2; }
for nn in "$@"; do
	[ -f "$top/selftests/labs/$nn/test.sh" ] || { echo "run-lab.sh: no lab $nn" >&2; exit 2; }
done

make -C "$top" --no-print-directory module userland || exit 1
rm -rf "$out"
make -C "$top/selftests/labs" --no-print-directory BUILD="$build" OUT="$out" || exit 1
adds=()
for nn in "$@"; do
	for f in "$out/$nn"/*; do
		case "$f" in *.o|*.flat) continue ;; esac
		adds+=(--add "$f=/labs/tree/$nn/${f##*/}")
	done
done
adds+=(--add "$top/selftests/labs/run-labs.sh=/labs/run-labs.sh")
log=$build/labs/run-lab-console.log
BUILD=$build/labs/machine "$top/selftests/machine/vmxlab-machine" --log "$log" \
	"${adds[@]}" -- sh /labs/run-labs.sh tree "$@" </dev/null
