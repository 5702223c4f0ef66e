#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run-labs.sh: runs the lab tests INSIDE the emulated machine (busybox
# sh).  Started by check-solutions.sh (and run-lab.sh) on the host as
#
#   vmxlab-machine ... -- sh /labs/run-labs.sh check NN...
#   vmxlab-machine ... -- sh /labs/run-labs.sh tree NN...
#
# check: for each lab NN, its test must FAIL with the pristine tree
#   (/labs/pristine: vmxlab.ko, the vmxlab loader, NN/ with the lab's test
#   and guests) and PASS with the reference solution (/labs/solved/NN:
#   whichever of vmxlab.ko, vmxlab and the guests the solution changes;
#   the rest comes from /labs/pristine).
# tree: for each lab NN, its test must PASS with the module and loader
#   the machine carries (/vmxlab/kmod/vmxlab.ko, /vmxlab/userland/vmxlab)
#   and the lab's test and guests in /labs/tree/NN: a student's work.
#
# Between the two runs of a lab the module is unloaded and the other one
# loaded.  Output is TAP-like, and the results are printed again at the
# end as one block between VMXLAB-LABS-RESULTS-BEGIN and
# VMXLAB-LABS-RESULTS-END passed=P failed=F, with console logging turned
# down, for the host to count.  Exit status 0 when nothing failed.

mode=${1:-check}
[ $# -gt 0 ] && shift
L=/labs
RESULTS=/tmp/labs.results
MARK="vmxlab-labs: start mode=$mode"
# Per test run, in the machine's (emulated) seconds.
LAB_TIMEOUT=${LAB_TIMEOUT:-300}
n=0
passed=0
failed=0
: >"$RESULTS"

result() {	# result PASS|FAIL NAME [REASON]
	n=$((n + 1))
	if [ "$1" = PASS ]; then
		line="ok $n - $2"
		passed=$((passed + 1))
	else
		line="not ok $n - $2${3:+ # $3}"
		failed=$((failed + 1))
	fi
	echo "$line"
	echo "$line" >>"$RESULTS"
}

load() {	# load KO: vmxlab.ko from KO is the loaded module
	if grep -q '^vmxlab ' /proc/modules; then
		rmmod vmxlab || return 1
	fi
	insmod "$1"
}

pick() {	# pick FILE LAB: the solution's FILE if it has one, else pristine
	if [ -e "$L/solved/$2/$1" ]; then echo "$L/solved/$2/$1"; else echo "$L/pristine/$1"; fi
}

# run_test LAB KO LOADER GUESTS TESTS: the lab's test (TESTS/test.sh)
# with that module, loader and guests; its status.
run_test() {
	load "$2" || { echo "#   cannot load $2"; return 2; }
	LAB_LOADER=$3 LAB_GUESTS=$4 LAB_DIR=$5 \
		timeout -s KILL "$LAB_TIMEOUT" sh "$5/test.sh" >/tmp/lab.out 2>&1 </dev/null
	st=$?
	sed 's/^/#   /' /tmp/lab.out
	[ "$st" = 137 ] && echo "#   killed after ${LAB_TIMEOUT}s"
	return "$st"
}

echo "# vmxlab labs, mode $mode, kernel $(uname -r)"
echo "$MARK" >/dev/kmsg

for lab in "$@"; do
	case "$mode" in
	check)
		if [ ! -f "$L/pristine/$lab/test.sh" ]; then
			result FAIL "lab $lab: fails without the solution" "no test"
			continue
		fi
		echo "# ---- lab $lab, pristine tree: the test must fail"
		if run_test "$lab" "$L/pristine/vmxlab.ko" "$L/pristine/vmxlab" \
			"$L/pristine/$lab" "$L/pristine/$lab"; then
			result FAIL "lab $lab: fails without the solution" "it passed"
		else
			result PASS "lab $lab: fails without the solution"
		fi
		guests=$L/pristine/$lab
		[ -d "$L/solved/$lab/guests" ] && guests=$L/solved/$lab/guests
		echo "# ---- lab $lab, with the solution: the test must pass"
		if run_test "$lab" "$(pick vmxlab.ko "$lab")" "$(pick vmxlab "$lab")" \
			"$guests" "$L/pristine/$lab"; then
			result PASS "lab $lab: passes with the solution"
		else
			result FAIL "lab $lab: passes with the solution"
		fi
		;;
	tree)
		echo "# ---- lab $lab, the tree in /vmxlab: the test must pass"
		if run_test "$lab" /vmxlab/kmod/vmxlab.ko /vmxlab/userland/vmxlab \
			"$L/tree/$lab" "$L/tree/$lab"; then
			result PASS "lab $lab: passes"
		else
			result FAIL "lab $lab: passes"
		fi
		;;
	*)
		echo "usage: run-labs.sh check|tree LAB..." >&2
		exit 2
		;;
	esac
done
grep -q '^vmxlab ' /proc/modules && rmmod vmxlab

if dmesg | sed -n "/$MARK/,\$p" |
	grep -qE 'WARNING:|BUG:|Oops|general protection fault|kernel BUG at|Call Trace:|Kernel panic'; then
	result FAIL "kernel log clean (no WARNING/BUG/Oops)"
	dmesg | sed -n "/$MARK/,\$p" | tail -n 100 | sed 's/^/#   /'
else
	result PASS "kernel log clean (no WARNING/BUG/Oops)"
fi

sleep 1
read -r saved_printk _ </proc/sys/kernel/printk
echo 1 >/proc/sys/kernel/printk
echo "VMXLAB-LABS-RESULTS-BEGIN"
cat "$RESULTS"
echo "VMXLAB-LABS-RESULTS-END passed=$passed failed=$failed"
sleep 1
echo "$saved_printk" >/proc/sys/kernel/printk
[ "$failed" = 0 ]
