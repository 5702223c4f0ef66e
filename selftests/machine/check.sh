#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh: what `make check` runs (after `make deps`).  Each step is one
# or more tests, printed as "ok N - name" / "not ok N - name" as they
# finish; the last line is "P passed, F failed" and the exit status is
# non-zero when F > 0.
#
#   build       module, userland, guest images, selftest programs
#   host        `make -C userland test` (+ selftests/host/Makefile `test`)
#               and `make bench-smoke`: each TAP "ok"/"not ok" line is a test
#   lint        checkpatch --strict, sparse (make checkpatch / make sparse)
#   docs        `make docs`: Documentation/ to HTML, zero Sphinx warnings;
#               Documentation/check-tour.sh: the tour's names exist
#               and Documentation/check-sdm.py: SDM citations in one edition
#   vmx         run-suite.sh vmx inside Bochs (one boot): each line of its
#               results block is a test, plus "the machine exited cleanly"
#               (no timeout, no kernel WARNING/BUG/Oops/panic on the console)
#   smp         run-suite.sh vmx SMP_PROGS (default safety_test and
#               host_progress_test) inside a second Bochs boot with 2 CPUs:
#               migration, CPU hotplug, the host's ticks beside a guest
#   shell       make shell driven through a pseudo-terminal
#               (selftests/machine/shell-test.py): the stepper typed at,
#               Ctrl-C, exit
#   novmx       run-suite.sh novmx inside QEMU TCG: the module must refuse
#   dkms        `dkms build` against the target kernel's headers, in a
#               throw-away dkms tree under build/
#
# Environment: EMU (emulator of the vmx lane: bochs or qemu-kvm),
# CHECK_STEPS (space-separated subset of the steps above, for development),
# VMX_TIMEOUT / SMP_TIMEOUT / NOVMX_TIMEOUT (seconds), VMX_CPUS (emulated CPUs of the vmx
# lane, default 1: SMP-only selftests skip; 2 costs a slower boot),
# KVER / KDIR.

# The whole script is one block: bash reads it completely before running
# it, so editing or updating the file during a long run is harmless.
{
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top"
build=${BUILD:-$top/build}
logs=$build/check
machine=$top/selftests/machine/vmxlab-machine
emu=${EMU:-bochs}
steps=${CHECK_STEPS:-build host lint docs vmx smp shell labs novmx dkms}
make_cmd=(make --no-print-directory)

rm -rf "$logs"
mkdir -p "$logs"

n=0
passed=0
failed=0
skipped=0

# report PASS|FAIL|SKIP NAME [DETAIL]
report() {
	n=$((n + 1))
	case "$1" in
	PASS) echo "ok $n - $2"; passed=$((passed + 1)) ;;
	SKIP) echo "ok $n - $2 # SKIP ${3:-}"; skipped=$((skipped + 1)) ;;
	*) echo "not ok $n - $2${3:+ # $3}"; failed=$((failed + 1)) ;;
	esac
}

want() {
	case " $steps " in *" $1 "*) return 0 ;; esac
	return 1
}

# run_logged NAME LOG CMD...: one test; CMD's output goes to LOG and is
# shown (its tail) only when it fails.
run_logged() {
	local name=$1 log=$2 t0 rc
	shift 2
	t0=$SECONDS
	"$@" >"$log" 2>&1 </dev/null
	rc=$?
	if [ $rc = 0 ]; then
		report PASS "$name ($((SECONDS - t0))s)"
	else
		tail -n 60 "$log" | sed 's/^/#   /'
		report FAIL "$name" "exit $rc, log: ${log#"$top"/}"
	fi
	return $rc
}

# count_tap PREFIX LOG RC: each top-level "ok"/"not ok" line of LOG is one
# test; a runner that failed without saying which test failed counts as
# one more failure.
count_tap() {
	local prefix=$1 log=$2 rc=$3 line name seen=0 before=$failed
	while IFS= read -r line; do
		case "$line" in
		"ok "*|"not ok "*) ;;
		*) continue ;;
		esac
		seen=$((seen + 1))
		name=${line#not }
		name=${name#ok }
		# drop the harness's own number, keep the description
		case "$name" in [0-9]*) name=${name#* } ;; esac
		name=${name#- }
		case "$line" in
		"not ok "*) report FAIL "$prefix: ${name%% # *}" ;;
		*"# SKIP"*|*"# skip"*) report SKIP "$prefix: ${name%% # *}" "${name#*# [Ss][Kk][Ii][Pp]}" ;;
		*) report PASS "$prefix: $name" ;;
		esac
	done <"$log"
	if [ "$rc" != 0 ] && [ "$failed" = "$before" ]; then
		tail -n 40 "$log" | sed 's/^/#   /'
		report FAIL "$prefix: runner exit status" "exit $rc, log: ${log#"$top"/}"
	elif [ "$seen" = 0 ] && [ "$rc" = 0 ]; then
		report PASS "$prefix (no TAP lines)"
	fi
}

has_target() {	# has_target DIR TARGET
	[ -f "$1/Makefile" ] || return 1
	make -C "$1" -q "$2" >/dev/null 2>&1
	[ $? != 2 ]
}

# machine_boot NAME EMU TIMEOUT CPUS SUITE-ARGS...: boot once, run
# run-suite.sh, print the console (prefixed), leave vmxlab-machine's
# status in $logs/NAME.rc.
machine_boot() {
	local name=$1 lane_emu=$2 tmo=$3 cpus=$4 console=$logs/$1-console.log
	shift 4
	echo "# $name: booting $lane_emu, $cpus cpu(s) (console below, log: ${console#"$top"/})"
	"$machine" --emu "$lane_emu" --cpus "$cpus" --timeout "$tmo" --log "$console" \
		--emu-log "$logs/$name-emu.log" \
		-- /vmxlab/selftests/run-suite.sh "$@" </dev/null 2>&1 |
		sed 's/^/#   | /'
	echo "${PIPESTATUS[0]}" >"$logs/$name.rc"
}

# machine_lane NAME EMU TIMEOUT CPUS SUITE-ARGS...: machine_boot, then
# count the suite's results block.
machine_lane() {
	machine_boot "$@"
	machine_count "$1" "$3"
}

# machine_count NAME TIMEOUT: the results of a machine_boot.
machine_count() {
	local name=$1 tmo=$2 console=$logs/$1-console.log rc block
	rc=$(cat "$logs/$name.rc" 2>/dev/null || echo 123)
	block=$logs/$name-results.txt
	sed -n '/^VMXLAB-SUITE-RESULTS-BEGIN/,/^VMXLAB-SUITE-RESULTS-END/p' "$console" |
		grep -E '^(not )?ok ' >"$block"
	if grep -q '^VMXLAB-SUITE-RESULTS-END' "$console"; then
		count_tap "$name" "$block" 0
	else
		report FAIL "$name: the suite printed its results" "see ${console#"$top"/}"
	fi
	case $rc in
	0|1) report PASS "$name: machine exited cleanly" ;;
	124) report FAIL "$name: machine exited cleanly" "timeout after ${tmo}s" ;;
	125) report FAIL "$name: machine exited cleanly" "kernel WARNING/BUG/Oops/panic" ;;
	*) report FAIL "$name: machine exited cleanly" "vmxlab-machine status $rc" ;;
	esac
	# A CI log shows little beyond the failing lines: repeat the kernel's
	# complaint (and the test that was running) right here.
	if [ "$rc" = 125 ] || grep -q '^not ok .*kernel log clean' "$block"; then
		kernel_complaint "$console"
	fi
}

# kernel_complaint CONSOLE: the first WARNING/BUG/Oops of the run, with
# the test program that was running and the call trace.
kernel_complaint() {
	local at
	at=$(grep -anE '\] (WARNING:|BUG:|Oops|general protection fault|kernel BUG at|Kernel panic|Call Trace:)' "$1" |
		grep -avE 'RETBleed|fpu__init_system_xstate' | head -n1 | cut -d: -f1)
	[ -n "$at" ] || return 0
	echo "# the kernel's complaint (${1#"$top"/}, line $at), during:"
	head -n "$at" "$1" | grep -a '^# ---- ' | tail -n 1 | sed 's/^/#     /'
	head -n "$at" "$1" | grep -a '#  RUN ' | tail -n 1 | sed 's/^/#     /'
	sed -n "$at,$((at + 40))p" "$1" | sed 's/^/#   ! /'
}

# explain_vs_bochs CONSOLE EMULOG OUT: explain_test's corruptions (the
# first failed entries of the lane, run-suite.sh runs it first) next to
# the reason Bochs gives for each, for a reader to compare.
explain_vs_bochs() {
	local n
	n=$(grep -ac '# explain: case ' "$1")
	[ "$n" -gt 0 ] || return 0
	paste -d '\n' <(grep -a '# explain: case ' "$1" | sed 's/^.*# explain: /vmxlab: /') \
		<(grep -aE 'VMENTER FAIL|VMFAIL' "$2" | head -n "$n" |
		  sed 's/^.*\(VMENTER FAIL\|VMFAIL\)/bochs:  \1/') >"$3"
	echo "# explain: $n corruptions, vmxlab's rule next to Bochs's reason: ${3#"$top"/}"
	head -n 8 "$3" | sed 's/^/#   /'
}

echo "# vmxlab make check: KVER=${KVER:-auto} EMU=$emu steps: $steps"

if want build; then
	if [ -f kmod/Kbuild ]; then
		run_logged "build: kmod/vmxlab.ko" "$logs/build-module.log" "${make_cmd[@]}" module
	else
		report FAIL "build: kmod/vmxlab.ko" "kmod/Kbuild is missing"
	fi
	[ -f userland/Makefile ] &&
		run_logged "build: userland" "$logs/build-userland.log" "${make_cmd[@]}" userland
	[ -f guest-images/Makefile ] &&
		run_logged "build: guest-images" "$logs/build-guest-images.log" "${make_cmd[@]}" guest-images
	run_logged "build: in-machine selftests" "$logs/build-selftests.log" "${make_cmd[@]}" selftests
fi

if want host; then
	for d in userland selftests/host; do
		if has_target "$d" test; then
			echo "# host: make -C $d test"
			"${make_cmd[@]}" -C "$d" test >"$logs/host-${d//\//-}.log" 2>&1 </dev/null
			count_tap "host ${d}" "$logs/host-${d//\//-}.log" $?
		fi
	done
fi

# The bench harness on a recorded console log (no Bochs), so that
# `make bench` does not rot between runs.
if want host && [ -f selftests/bench/bench.py ]; then
	echo "# host: make bench-smoke"
	"${make_cmd[@]}" bench-smoke >"$logs/bench-smoke.log" 2>&1 </dev/null
	count_tap "bench" "$logs/bench-smoke.log" $?
fi

if want lint; then
	run_logged "lint: checkpatch --strict (kmod/, uapi/)" "$logs/checkpatch.log" "${make_cmd[@]}" checkpatch
	run_logged "lint: sparse + compiler warnings (C=2)" "$logs/sparse.log" "${make_cmd[@]}" sparse
fi

if want docs; then
	run_logged "docs: make docs (sphinx-build -W)" "$logs/docs.log" "${make_cmd[@]}" docs
	run_logged "docs: every file and function the tour names exists" \
		"$logs/check-tour.log" Documentation/check-tour.sh
	run_logged "docs: every SDM citation is in the edition sdm.rst names" \
		"$logs/check-sdm.log" python3 Documentation/check-sdm.py
	# The uapi examples compile as they are printed in the docs (static,
	# so they can go into the emulated machine with --add).
	mkdir -p "$build/examples"
	for ex in Documentation/examples/*.c; do
		[ -f "$ex" ] || continue
		ex=${ex##*/}
		run_logged "docs: Documentation/examples/$ex compiles (-Wall -Wextra -Werror)" \
			"$logs/example-${ex%.c}.log" \
			gcc -Wall -Wextra -Werror -static -Iuapi -o "$build/examples/${ex%.c}" \
			"Documentation/examples/$ex"
	done
fi

# The 2-CPU lane (below) boots beside the vmx lane, in the background:
# each Bochs uses one host core.  Its console is shown when it is
# counted.
smp_pid=
if want smp && [ "$emu" = bochs ]; then
	echo "# smp: booting bochs with 2 cpus in the background (shown below when done)"
	machine_boot smp bochs "${SMP_TIMEOUT:-1500}" 2 vmx \
		${SMP_PROGS:-safety_test host_progress_test} >"$logs/smp-live.log" 2>&1 &
	smp_pid=$!
fi

if want vmx; then
	machine_lane vmx "$emu" "${VMX_TIMEOUT:-1200}" "${VMX_CPUS:-1}" vmx
	[ "$emu" = bochs ] && explain_vs_bochs "$logs/vmx-console.log" "$logs/vmx-emu.log" \
		"$logs/explain-vs-bochs.txt"
fi

# A second Bochs boot with 2 CPUs, for what one CPU cannot show: a vCPU
# thread moving between host CPUs, CPU hotplug with a live VM, VMXON and
# INVEPT on every CPU.  Only the programs that need it run here.
if [ -n "$smp_pid" ]; then
	wait "$smp_pid"
	cat "$logs/smp-live.log"
	machine_count smp "${SMP_TIMEOUT:-1500}"
fi

# make shell, typed at through a pseudo-terminal as a person would, in
# the background beside the labs (one Bochs each).
shell_pid=
if want shell && [ "$emu" = bochs ]; then
	echo "# shell: selftests/machine/shell-test.py in the background (terminal log: ${logs#"$top"/}/shell-terminal.log)"
	{
		python3 selftests/machine/shell-test.py --timeout "${SHELL_TIMEOUT:-900}" \
			--log "$logs/shell-terminal.log" </dev/null >"$logs/shell.log" 2>&1
		echo $? >"$logs/shell.rc"
	} &
	shell_pid=$!
fi

# The labs (Documentation/labs/): in one more Bochs boot, each lab's test
# must fail on the committed tree and pass with its reference solution
# (Documentation/labs/solutions/); check-solutions.sh builds the variants.
if want labs && [ -x selftests/labs/check-solutions.sh ]; then
	echo "# labs: selftests/labs/check-solutions.sh (log: ${logs#"$top"/}/labs.log)"
	BUILD=$build selftests/labs/check-solutions.sh </dev/null 2>&1 |
		tee "$logs/labs.log" | grep -avE '^((not )?ok |[0-9]+ passed, )'
	count_tap labs "$logs/labs.log" "${PIPESTATUS[0]}"
fi

if [ -n "$shell_pid" ]; then
	wait "$shell_pid"
	grep -aE '^(not )?ok ' "$logs/shell.log" >"$logs/shell-results.txt"
	count_tap shell "$logs/shell-results.txt" "$(cat "$logs/shell.rc")"
fi

if want novmx; then
	machine_lane novmx qemu-tcg "${NOVMX_TIMEOUT:-300}" 1 novmx
fi

if want dkms; then
	run_logged "dkms build against ${KVER:-the newest Debian headers}" "$logs/dkms.log" \
		"$top/selftests/machine/dkms-build.sh"
fi

[ "$skipped" != 0 ] && echo "# $skipped test(s) skipped, counted as neither passed nor failed"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
exit
}
