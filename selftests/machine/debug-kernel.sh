#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh: what `make check-debug` runs (Documentation/debug-kernel.rst).
#
#   debug-kernel.sh build   kernel from Debian's linux-source-6.1 with KASAN,
#                           lockdep (PROVE_LOCKING), DEBUG_ATOMIC_SLEEP and
#                           kmemleak (x86_64_defconfig + debug-kernel.config)
#                           into build/debug-kernel/, its KVM modules, and
#                           vmxlab.ko built against it
#   debug-kernel.sh run     one Bochs boot of that kernel: run-suite.sh vmx,
#                           a short stress (the two fuzzers with another
#                           seed), a kmemleak scan; then every KASAN,
#                           lockdep, sleep-in-atomic, WARNING/BUG or
#                           kmemleak report on the console is a failed test
#   debug-kernel.sh         both
#
# Prints "ok N - ..." / "not ok N - ..." and ends with "P passed, F failed";
# exit status non-zero when F > 0.  Each kernel report (its first 40
# lines) is also written to build/debug-kernel/findings.txt.
#
# Environment: BUILD (default <repo>/build), DEBUG_JOBS (make -j, default
# 2), DEBUG_TIMEOUT (seconds for the Bochs run, default 5400),
# DEBUG_MEGS (emulated RAM, default 512), DEBUG_APPEND (more kernel
# command line; vmxlab-machine adds noxsave, see
# Documentation/debug-kernel.rst),
# DEBUG_IPS (Bochs instructions per emulated second, default 200000000),
# DEBUG_STRESS_CALLS /
# DEBUG_STRESS_CASES / DEBUG_STRESS_SEED (the stress fuzzers' size and
# seed), LINUX_SOURCE_TAR (default /usr/src/linux-source-6.1.tar.xz).

# The whole script is one block: bash reads it completely before running
# it, so editing the file during a long run is harmless.
{
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top"
build=${BUILD:-$top/build}
src=$build/debug-kernel-src
out=$build/debug-kernel
fragment=$top/selftests/machine/debug-kernel.config
tar=${LINUX_SOURCE_TAR:-$(ls /usr/src/linux-source-6.1.tar.xz /usr/src/linux-source-*.tar.xz 2>/dev/null | head -n1)}
jobs=${DEBUG_JOBS:-2}
modsrc=$out/vmxlab-module
findings=$out/findings.txt
logs=$out/logs
mkdir -p "$logs"

n=0
passed=0
failed=0

report() {	# report PASS|FAIL NAME [DETAIL]
	n=$((n + 1))
	case "$1" in
	PASS) echo "ok $n - $2"; passed=$((passed + 1)) ;;
	*) echo "not ok $n - $2${3:+ # $3}"; failed=$((failed + 1)) ;;
	esac
}

# step NAME LOG CMD...: one test; the tail of LOG when it fails
step() {
	local name=$1 log=$2 t0=$SECONDS rc
	shift 2
	"$@" >"$log" 2>&1 </dev/null
	rc=$?
	if [ $rc = 0 ]; then
		report PASS "$name ($((SECONDS - t0))s)"
	else
		tail -n 40 "$log" | sed 's/^/#   /'
		report FAIL "$name" "exit $rc, log: ${log#"$top"/}"
	fi
	return $rc
}

# ------------------------------------------------------------------ build
extract() {
	[ -f "$src/.vmxlab-stamp" ] && return 0
	[ -n "$tar" ] || { echo "no /usr/src/linux-source-*.tar.xz: make deps" >&2; return 1; }
	rm -rf "$src" && mkdir -p "$src" &&
		tar -xJf "$tar" -C "$src" --strip-components=1 &&
		touch "$src/.vmxlab-stamp"
}

# x86_64_defconfig + the fragment, redone whenever the fragment changes.
configure() {
	mkdir -p "$out"
	if [ -f "$out/.config" ] && cmp -s "$fragment" "$out/.vmxlab-fragment"; then
		return 0
	fi
	make -C "$src" O="$out" x86_64_defconfig &&
		"$src/scripts/kconfig/merge_config.sh" -O "$out" -m "$out/.config" "$fragment" &&
		make -C "$src" O="$out" olddefconfig &&
		cp "$fragment" "$out/.vmxlab-fragment" || return 1
	# Say which requested values kconfig did not keep (a dependency
	# missing): those would silently weaken the lane.
	grep -E '^CONFIG_' "$fragment" | while IFS='=' read -r k v; do
		if [ "$v" = n ]; then
			grep -q "^$k=" "$out/.config" && echo "warning: $k is not off"
		else
			grep -qx "$k=$v" "$out/.config" || echo "warning: $k=$v not kept"
		fi
	done
	return 0
}

kernel() {
	nice -n 10 make -C "$src" O="$out" -j"$jobs" bzImage modules
}

# The module is built from a copy of its sources: building in place would
# replace kmod/vmxlab.ko, which the other lanes build for Debian's kernel.
module() {
	rm -rf "$modsrc" && mkdir -p "$modsrc/kmod" &&
		cp Kbuild "$modsrc/" &&
		cp kmod/Kbuild kmod/*.[chS] "$modsrc/kmod/" &&
		rm -f "$modsrc"/kmod/*.mod.c &&
		cp -r uapi "$modsrc/" &&
		nice -n 10 make -C "$out" M="$modsrc" -j"$jobs" modules || return 1
	mkdir -p "$out/kvm"
	cp "$out/virt/lib/irqbypass.ko" "$out/arch/x86/kvm/kvm.ko" \
		"$out/arch/x86/kvm/kvm-intel.ko" "$out/kvm/"
}

do_build() {
	step "debug kernel: extract linux-source" "$logs/extract.log" extract || return 1
	step "debug kernel: configure (x86_64_defconfig + debug-kernel.config)" \
		"$logs/config.log" configure || return 1
	grep '^warning:' "$logs/config.log" | sed 's/^/# /'
	step "debug kernel: build bzImage and modules" "$logs/build.log" kernel || return 1
	step "debug kernel: build vmxlab.ko against it" "$logs/module.log" module || return 1
	step "debug kernel: userland, guest images, selftests" "$logs/userland.log" \
		make --no-print-directory userland guest-images selftests
}

# ------------------------------------------------------------------ run
# The in-machine part: the suite, the stress, the kmemleak scan.  Its own
# results are printed as one block at the end with console logging
# turned down (kernel messages split lines on the serial console).
write_machine_script() {
	cat >"$out/debug-run.sh" <<-EOF
	#!/bin/sh
	# generated by selftests/machine/debug-kernel.sh
	STRESS_CALLS=${DEBUG_STRESS_CALLS:-10000}
	STRESS_CASES=${DEBUG_STRESS_CASES:-1000}
	STRESS_SEED=${DEBUG_STRESS_SEED:-0x5eed2}
	EOF
	cat >>"$out/debug-run.sh" <<-'EOF'
	R=/tmp/debug-results
	: >$R
	KML=/sys/kernel/debug/kmemleak
	res() {	# res NAME CMD...
		name=$1; shift
		t0=$(date +%s)
		if "$@"; then l="ok - $name"; else l="not ok - $name # status $?"; fi
		echo "$l ($(($(date +%s) - t0))s)" >>$R
		echo "$l"
	}
	echo "# tainted at boot: $(cat /proc/sys/kernel/tainted)"
	dmesg | grep -E 'KernelAddressSanitizer|Lock dependency validator|kmemleak' | sed 's/^/# /'
	dmesg | grep -E 'WARNING:|BUG:' | sed 's/\] /] at boot: /; s/^/# /'
	# What boot left unreferenced is the kernel's business, not the
	# module's: report it once, then forget it.
	if [ -w $KML ]; then
		echo scan >$KML; echo clear >$KML
	fi
	echo "VMXLAB-DEBUG-SUITE-BEGIN $(date +%s)"
	/vmxlab/selftests/run-suite.sh vmx
	st=$?
	echo "VMXLAB-DEBUG-SUITE-END $(date +%s) status=$st"
	echo "VMXLAB-DEBUG-STRESS-BEGIN $(date +%s)"
	if res "stress: insmod vmxlab.ko" insmod /vmxlab/kmod/vmxlab.ko; then
		res "stress: fuzz_ioctl_test calls=$STRESS_CALLS seed=$STRESS_SEED" \
			env VMXLAB_FUZZ_SEED=$STRESS_SEED VMXLAB_FUZZ_CALLS=$STRESS_CALLS \
			/vmxlab/selftests/fuzz_ioctl_test
		res "stress: fuzz_guest_test cases=$STRESS_CASES seed=$STRESS_SEED" \
			env VMXLAB_FUZZ_SEED=$STRESS_SEED VMXLAB_FUZZ_CASES=$STRESS_CASES \
			/vmxlab/selftests/fuzz_guest_test
		res "stress: rmmod vmxlab" rmmod vmxlab
	fi
	echo "VMXLAB-DEBUG-STRESS-END $(date +%s)"
	# kmemleak reports an object once it is 5 s old and unreferenced;
	# the write fails when kmemleak is off (its pool ran out at boot).
	sleep 6
	if res "kmemleak: scan" sh -c "echo scan >$KML"; then
		cat $KML >/tmp/kmemleak.txt
	fi
	sleep 1
	echo 1 >/proc/sys/kernel/printk
	echo "VMXLAB-DEBUG-RESULTS-BEGIN"
	cat $R
	echo "VMXLAB-DEBUG-RESULTS-END"
	echo "VMXLAB-DEBUG-KMEMLEAK-BEGIN"
	cat /tmp/kmemleak.txt 2>/dev/null
	echo "VMXLAB-DEBUG-KMEMLEAK-END"
	sleep 1
	EOF
}

# Report headers of the checkers (and of plain WARN/BUG/Oops).  Lines
# Debian's kernel prints under Bochs at boot too are not the module's.
report_re='\] (BUG: |WARNING: |INFO: |Oops|general protection fault|kernel BUG at|Kernel panic|UBSAN: )'
ignore_re='RETBleed|fpu__init_system_xstate'

# kernel_reports CONSOLE: one test per distinct report after the
# command started, one per kmemleak object; each excerpt to $findings.
kernel_reports() {
	local console=$1 start lines at head key seen='' count=0 leaks
	start=$(grep -an 'VMXLAB-MACHINE-START' "$console" | head -n1 | cut -d: -f1)
	start=${start:-1}
	: >"$findings"
	# Before the command: the kernel's own, shown but not counted.
	grep -anE "$report_re" "$console" | grep -avE "$ignore_re" |
		awk -F: -v s="$start" '$1 < s' | sed 's/^[0-9]*:/# at boot (not counted): /'
	lines=$(grep -anE "$report_re" "$console" | grep -avE "$ignore_re" |
		awk -F: -v s="$start" '$1 >= s { print $1 }')
	for at in $lines; do
		head=$(sed -n "${at}p" "$console" | sed -E 's/^.*\] //')
		# One test per kind of report: a KASAN report repeats for every
		# access, a WARN for every call.  Addresses and pids vary.
		key=$(echo "$head" | sed -E 's/0x[0-9a-f]+|[0-9]+/#/g')
		case "$seen" in *"|$key|"*) continue ;; esac
		seen="$seen|$key|"
		count=$((count + 1))
		{
			echo "==== report $count (console line $at): $head"
			sed -n "$at,$((at + 39))p" "$console"
			echo
		} >>"$findings"
		report FAIL "kernel report: $head" "see ${findings#"$top"/}"
	done
	[ "$count" = 0 ] && report PASS "no KASAN/lockdep/sleep-in-atomic/WARNING/BUG report after boot"
	leaks=$(sed -n '/^VMXLAB-DEBUG-KMEMLEAK-BEGIN/,/^VMXLAB-DEBUG-KMEMLEAK-END/p' "$console" |
		grep -a '^unreferenced object')
	if [ -n "$leaks" ]; then
		sed -n '/^VMXLAB-DEBUG-KMEMLEAK-BEGIN/,/^VMXLAB-DEBUG-KMEMLEAK-END/p' "$console" |
			sed '1d;$d' | head -n 200 |
			{ echo "==== kmemleak"; cat; echo; } >>"$findings"
		while IFS= read -r head; do
			report FAIL "kmemleak: $head" "see ${findings#"$top"/}"
		done <<<"$leaks"
	elif grep -aq '^VMXLAB-DEBUG-KMEMLEAK-END' "$console"; then
		report PASS "kmemleak: no unreferenced object after the suite and the stress"
	fi
}

do_run() {
	local console=$out/console.log block rc t0
	[ -f "$out/arch/x86/boot/bzImage" ] && [ -f "$modsrc/kmod/vmxlab.ko" ] || {
		report FAIL "debug kernel: run" "nothing built: debug-kernel.sh build"
		return 1
	}
	write_machine_script
	rm -f "$logs/times"
	echo "# booting Bochs with the debug kernel (console: ${console#"$top"/})"
	t0=$SECONDS
	# BOCHS_IPS: emulated seconds last 4x more instructions than in the
	# other lanes, for the checkers' slowdown: the harness's 30 s per
	# test and the suite's per-program limit stay meaningful.
	BOCHS_IPS=${DEBUG_IPS:-200000000} \
		VMLINUZ=$out/arch/x86/boot/bzImage VMXLAB_KVM_DIR=$out/kvm \
		MACHINE_MEGS=${DEBUG_MEGS:-512} MACHINE_APPEND="kasan_multi_shot ${DEBUG_APPEND:-}" \
		OOPS_GRACE=${DEBUG_TIMEOUT:-5400} \
		"$top/selftests/machine/vmxlab-machine" --timeout "${DEBUG_TIMEOUT:-5400}" \
		--module "$modsrc/kmod/vmxlab.ko" --log "$console" \
		--add "$out/debug-run.sh=/vmxlab/debug-run.sh" \
		-- 'sh /vmxlab/debug-run.sh' </dev/null 2>&1 |
		while IFS= read -r l; do
			# wall-clock time of each phase, for the documentation
			case "$l" in
			VMXLAB-MACHINE-START*) echo "boot $((SECONDS - t0))" >"$logs/times" ;;
			VMXLAB-DEBUG-SUITE-END*) echo "suite $((SECONDS - t0))" >>"$logs/times" ;;
			VMXLAB-DEBUG-STRESS-END*) echo "stress $((SECONDS - t0))" >>"$logs/times" ;;
			esac
			echo "#   | $l"
		done
	rc=${PIPESTATUS[0]}
	[ -f "$console" ] || : >"$console"	# killed before it was written
	echo "# wall seconds since Bochs started, at the end of: $(tr '\n' ' ' <"$logs/times" 2>/dev/null)total $((SECONDS - t0))"
	block=$out/suite-results.txt
	sed -n '/^VMXLAB-SUITE-RESULTS-BEGIN/,/^VMXLAB-SUITE-RESULTS-END/p' "$console" |
		grep -aE '^(not )?ok ' | sed -E 's/^(not )?ok [0-9]+ - /\1ok - /' >"$block"
	sed -n '/^VMXLAB-DEBUG-RESULTS-BEGIN/,/^VMXLAB-DEBUG-RESULTS-END/p' "$console" |
		grep -aE '^(not )?ok ' >>"$block"
	if ! grep -aq '^VMXLAB-SUITE-RESULTS-END' "$console"; then
		report FAIL "debug vmx: the suite printed its results" "see ${console#"$top"/}"
	fi
	if ! grep -aq '^VMXLAB-DEBUG-RESULTS-END' "$console"; then
		report FAIL "debug vmx: the stress printed its results" "see ${console#"$top"/}"
	fi
	while IFS= read -r l; do
		case "$l" in
		"not ok - "*) report FAIL "debug vmx: ${l#not ok - }" ;;
		*) report PASS "debug vmx: ${l#ok - }" ;;
		esac
	done <"$block"
	case $rc in
	0|1|125) ;;	# 125: a report, counted below
	124) report FAIL "debug vmx: machine finished" "timeout after ${DEBUG_TIMEOUT:-5400}s" ;;
	*) report FAIL "debug vmx: machine finished" "vmxlab-machine status $rc" ;;
	esac
	kernel_reports "$console"
}

case "${1:-all}" in
build) do_build ;;
run) do_run ;;
all) do_build && do_run ;;
*) echo "usage: debug-kernel.sh [build|run|all]" >&2; exit 2 ;;
esac
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
exit
}
