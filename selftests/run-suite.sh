#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run-suite.sh: the vmxlab test driver that runs INSIDE the emulated
# machine (busybox sh, no bash).  Started by selftests/machine/check.sh as
#
#   vmxlab-machine --emu bochs    -- /vmxlab/selftests/run-suite.sh vmx [PROG...]
#   vmxlab-machine --emu qemu-tcg -- /vmxlab/selftests/run-suite.sh novmx
#
# Lane "vmx" (a CPU with VMX: Bochs, or nested KVM): the module loads,
# /dev/vmxlab appears, every selftest program in /vmxlab/selftests/ passes
# (or only the PROGs named), every guest image gives its expected result
# (guest-images/run-expected.sh), the module unloads, the kernel log has no
# WARNING/BUG/Oops from the suite's start on.
# Lane "novmx" (QEMU TCG): loading the module fails and the kernel log
# says, in a vmxlab line, that the CPU has no VMX.
#
# Output is TAP-like: "ok N - name" / "not ok N - name"; everything else
# starts with "#".  Kernel messages can split lines on the serial console,
# so at the end the results are printed again as one block, with console
# logging turned down, between VMXLAB-SUITE-RESULTS-BEGIN and
# VMXLAB-SUITE-RESULTS-END passed=P failed=F skipped=S.  The host counts
# that block.  Exit status: 0 when nothing failed.

lane=${1:-vmx}
[ $# -gt 0 ] && shift

MOD=/vmxlab/kmod/vmxlab.ko
DEV=/dev/vmxlab
DIR=/vmxlab/selftests
# Per-program limit, in the machine's (emulated) seconds.
PROG_TIMEOUT=${PROG_TIMEOUT:-300}
RESULTS=/tmp/vmxlab-suite.results
MARK="vmxlab-suite: start lane=$lane"

n=0
passed=0
failed=0
skipped=0
: >"$RESULTS"

# result PASS|FAIL|SKIP NAME [REASON]
result() {
	n=$((n + 1))
	case "$1" in
	PASS) line="ok $n - $2"; passed=$((passed + 1)) ;;
	SKIP) line="ok $n - $2 # SKIP ${3:-}"; skipped=$((skipped + 1)) ;;
	*) line="not ok $n - $2${3:+ # $3}"; failed=$((failed + 1)) ;;
	esac
	echo "$line"
	echo "$line" >>"$RESULTS"
}

check() {	# check NAME CMD...: one test whose verdict is CMD's status
	name=$1
	shift
	if "$@"; then result PASS "$name"; else result FAIL "$name"; fi
}

# Kernel log lines since the suite's marker.
dmesg_since_mark() {
	dmesg | sed -n "/$MARK/,\$p"
}

bad_kernel_lines() {
	dmesg_since_mark | grep -E 'WARNING:|BUG:|Oops|general protection fault|kernel BUG at|Call Trace:|Kernel panic|UBSAN:|KASAN:'
}

# The explainer's self-check (selfcheck=1): every false alarm, a state the
# checker refuses and the processor entered, fails the suite, except where
# Bochs 2.7 itself leaves the SDM (Documentation/explain.rst, "Known
# disagreements with Bochs"): it does not check RIP bits 63:N
# (GUEST_RIP_CANON), checks CS.RPL = CS.DPL where the SDM asks CS.DPL =
# SS.DPL (GUEST_CS_DPL_NONCONF), and reads the pending debug exceptions field as 32
# bits, so it misses reserved bits 63:32 (GUEST_PENDING_DBG_RESERVED with
# nothing reserved in bits 31:0).  Each alarm is logged (ratelimited): all
# of them must be logged and known for the test to pass.
selfcheck_no_false_alarm() {	# selfcheck_no_false_alarm DEBUGFS-FILE
	alarms=$(sed -n 's/^false_alarms //p' "$1")
	[ "${alarms:-1}" = 0 ] && return 0
	known=0
	for v in $(dmesg_since_mark | sed -n 's/.*selfcheck: the processor entered a state in which rule \(GUEST_[A-Z0-9_]*\) fails (field 0x[0-9a-f]* = \(0x[0-9a-f]*\)).*/\1=\2/p'); do
		rule=${v%%=*}
		val=${v#*=}
		case "$rule" in
		GUEST_RIP_CANON | GUEST_CS_DPL_NONCONF) known=$((known + 1)) ;;
		GUEST_PENDING_DBG_RESERVED)
			low=$(printf '%s' "$val" | sed 's/^0x//; s/^.*\(........\)$/\1/')
			[ $((0x$low & 0xFFFFAFF0)) = 0 ] && known=$((known + 1)) ;;
		esac
	done
	echo "# self-check: $alarms false alarm(s), $known of them Bochs's known disagreements"
	[ "$known" = "$alarms" ]
}

# Run one kselftest-harness program; its "ok"/"not ok" lines become our
# tests, named "<prog>: <test>".  A crash or a non-zero exit without any
# failing line is one more failed test.
run_prog() {	# run_prog PROG [NAME]
	prog=$1
	base=${2:-${prog##*/}}
	out=/tmp/suite-$base.out
	echo "# ---- $base"
	# Show the output as it comes (a hang shows where), and keep it.
	: >"$out"
	{
		timeout -s KILL "$PROG_TIMEOUT" "$prog" 2>&1 </dev/null
		echo $? >/tmp/suite-$base.status
	} | while IFS= read -r l; do
		echo "#   $l"
		echo "$l" >>"$out"
	done
	status=$(cat /tmp/suite-$base.status)
	before=$failed
	seen=0
	last=
	# The harness prints "#  RUN           fixture.name ..." before each
	# test, then "ok 3 fixture.name", "not ok 3 fixture.name" or, in 6.1,
	# "ok 3 # SKIP reason" without the name: take it from the RUN line.
	while IFS= read -r l; do
		case "$l" in
		"#  RUN "*)
			last=${l#"#  RUN"}
			last=${last#"${last%%[! ]*}"}
			last=${last% ...}
			continue ;;
		"ok "[0-9]*|"not ok "[0-9]*) ;;
		*) continue ;;
		esac
		seen=$((seen + 1))
		t=${l#not }
		t=${t#ok }
		t=${t#* }
		t=${t#- }
		name=${t%%#*}
		name=${name%"${name##*[! ]}"}
		[ -n "$name" ] || name=${last:-test $seen}
		case "$l" in
		"not ok "*) result FAIL "$base: $name" ;;
		*"# SKIP"*)
			why=${t#*# SKIP}
			result SKIP "$base: $name" "${why#"${why%%[! ]*}"}" ;;
		*) result PASS "$base: $name" ;;
		esac
	done <"$out"
	if [ "$status" = 137 ]; then
		result FAIL "$base: finished within ${PROG_TIMEOUT}s" "killed"
	elif [ "$status" -gt 128 ]; then
		result FAIL "$base: exits normally" "killed by signal $((status - 128))"
	elif [ "$status" != 0 ] && [ "$failed" = "$before" ]; then
		result FAIL "$base: exit status 0" "status $status"
	elif [ "$seen" = 0 ] && [ "$status" = 0 ]; then
		result PASS "$base"
	fi
}

# Anything listed in /vmxlab/selftests that is an executable file, except
# this script: those are the programs built by selftests/Makefile.
list_progs() {
	if [ $# -gt 0 ]; then
		for p in "$@"; do
			case "$p" in /*) echo "$p" ;; *) echo "$DIR/$p" ;; esac
		done
		return
	fi
	# explain_test first: its failed entries are then the first ones in
	# Bochs's log, where check.sh pairs them with its cases.
	[ -x "$DIR/explain_test" ] && echo "$DIR/explain_test"
	for p in "$DIR"/*; do
		[ -f "$p" ] && [ -x "$p" ] && [ "$p" != "$DIR/run-suite.sh" ] &&
			[ "$p" != "$DIR/explain_test" ] && echo "$p"
	done
}

echo "# vmxlab suite, lane $lane, kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) cpu(s)"
echo "VMXLAB-SUITE-BEGIN lane=$lane"
# The same marker in the kernel log: dmesg is checked from here on.
echo "$MARK" >/dev/kmsg

case "$lane" in
vmx)
	if [ ! -f "$MOD" ]; then
		result FAIL "insmod vmxlab.ko" "$MOD was not built"
	else
		# selfcheck=1: the VM-entry checker is compared with the
		# processor on every changed state the suite enters.
		check "insmod vmxlab.ko" insmod "$MOD" selfcheck=1
	fi
	check "$DEV is a character device" test -c "$DEV"
	for prog in $(list_progs "$@"); do
		run_prog "$prog"
	done
	# Every guest image against its expected output (guest-images/).
	if [ $# = 0 ] && [ -x /vmxlab/guest-images/run-expected.sh ]; then
		run_prog /vmxlab/guest-images/run-expected.sh guest-images
	fi
	sc=/sys/kernel/debug/vmxlab/selfcheck
	if [ -r "$sc" ]; then
		echo "# explainer self-check: $(tr '\n' ' ' <"$sc")"
		dmesg_since_mark | grep 'selfcheck:' | sort | uniq -c | head -n 20 | sed 's/^/#   /'
		check "explainer self-check: no rule fails on a state the processor entered" \
			selfcheck_no_false_alarm "$sc"
	fi
	if grep -q '^vmxlab ' /proc/modules; then
		check "rmmod vmxlab" rmmod vmxlab
		check "$DEV is gone after rmmod" test ! -e "$DEV"
	else
		result FAIL "rmmod vmxlab" "module not loaded"
	fi
	;;
novmx)
	if grep -qw vmx /proc/cpuinfo; then
		result FAIL "the CPU has no VMX" "this lane expects a CPU without VMX"
	fi
	if [ ! -f "$MOD" ]; then
		result FAIL "insmod vmxlab.ko is refused" "$MOD was not built"
	elif insmod "$MOD"; then
		result FAIL "insmod vmxlab.ko is refused" "it loaded"
		rmmod vmxlab
	else
		result PASS "insmod vmxlab.ko is refused"
	fi
	why=$(dmesg_since_mark | grep 'vmxlab:' | grep 'VMX' | tail -n1)
	[ -n "$why" ] && echo "# kernel says: $why"
	check "the kernel log says why (vmxlab: ... VMX ...)" test -n "$why"
	check "no $DEV without the module" test ! -e "$DEV"
	;;
*)
	echo "usage: run-suite.sh vmx|novmx [PROG...]" >&2
	exit 2
	;;
esac

if bad_kernel_lines >/dev/null; then
	result FAIL "kernel log clean (no WARNING/BUG/Oops) since the suite started"
	echo "# kernel log since the suite started:"
	dmesg_since_mark | tail -n 200 | sed 's/^/#   /'
else
	result PASS "kernel log clean (no WARNING/BUG/Oops) since the suite started"
fi

# Let pending console output drain, then keep the kernel off the console
# while the results block is printed.
sleep 1
read -r saved_printk _ </proc/sys/kernel/printk
echo 1 >/proc/sys/kernel/printk
echo "VMXLAB-SUITE-RESULTS-BEGIN"
cat "$RESULTS"
echo "VMXLAB-SUITE-RESULTS-END passed=$passed failed=$failed skipped=$skipped"
sleep 1
echo "$saved_printk" >/proc/sys/kernel/printk
[ "$failed" = 0 ]
