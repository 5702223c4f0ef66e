#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run-bench.sh - the part of `make bench` that runs INSIDE the emulated
# machine (busybox sh).  Runs every workload on vmxlab, unloads vmxlab,
# loads kvm_intel, runs the same workloads with `vmxlab run --backend kvm`,
# and prints one machine-readable line per result:
#
#   BENCH <backend> <name> <value>     a result (emulated instructions,
#                                      or KiB for the mem-* and ring-*)
#   BENCH-INFO <key> <text>            about the machine
#   BENCH-ERROR <backend> <what> ...   a workload that did not finish
#   BENCH-DONE                         the end
#
# bench.py (on the host) parses these.  Paths: the tree is under /vmxlab,
# vmbench at /vmxlab/bench/vmbench, the KVM modules (vmxlab-machine puts
# Debian's there) under /vmxlab/kvm/.

V=/vmxlab/userland/vmxlab
G=/vmxlab/guest-images
B=/vmxlab/bench/vmbench
K=/vmxlab/kvm
out=/tmp/bench.out
err=/tmp/bench.err

# guest BACKEND IMAGE SUFFIX [OPTIONS...]: the guest's "bench: NAME VALUE"
# lines become "BENCH BACKEND NAME<SUFFIX> VALUE".
guest() {
	be=$1 img=$2 suffix=$3
	shift 3
	"$V" run --quiet --timeout 600 --backend "$be" "$@" "$G/$img" \
		>"$out" 2>"$err"
	st=$?
	sed -n "s/^bench: \([a-z0-9-]*\) \([0-9]*\)\$/BENCH $be \1$suffix \2/p" "$out"
	if [ "$st" != 33 ]; then
		echo "BENCH-ERROR $be $img status $st: $(tail -n 3 "$err" | tr '\n' ' ')"
	fi
}

# tool BACKEND ARGS...: a vmbench measurement.
tool() {
	be=$1
	shift
	"$B" "$be" "$@" >"$out" 2>"$err"
	st=$?
	sed -n "s/^bench: \([a-z0-9-]*\) \([0-9]*\)\$/BENCH $be \1 \2/p" "$out"
	sed 's/^/BENCH-NOTE /' "$err"
	want=0
	[ "$1" = hlt ] && want=33	# the guest's PASS
	[ "$st" = "$want" ] || echo "BENCH-ERROR $be $* status $st"
}

workloads() {
	be=$1
	guest "$be" bench-cpuid.elf ""
	guest "$be" bench-cpuid.elf "-traced" --trace=/dev/null
	guest "$be" bench-vmcall.elf ""
	guest "$be" bench-pio.elf ""
	guest "$be" bench-mmio.elf ""
	guest "$be" bench-irq.elf ""
	tool "$be" hlt "$G/bench-hlt.bin"
	tool "$be" lifecycle 8
	tool "$be" map 4
	tool "$be" mem 16
	sieve "$be" sieve
	sieve "$be" sieve-2m --mem 2M
}

# sieve BACKEND NAME [OPTIONS...]: host TSC around a whole sieve.elf run.
sieve() {
	be=$1 name=$2
	shift 2
	"$B" - time "$name" "$V" run --quiet --backend "$be" "$@" \
		"$G/sieve.elf" >"$out" 2>"$err"
	st=$?
	sed -n "s/^bench: \([a-z0-9-]*\) \([0-9]*\)\$/BENCH $be \1 \2/p" "$out"
	[ "$st" = 33 ] || echo "BENCH-ERROR $be $name status $st"
}

echo "BENCH-INFO kernel $(uname -r)"
for f in /sys/devices/system/cpu/vulnerabilities/*; do
	[ -r "$f" ] && echo "BENCH-INFO ${f##*/} $(cat "$f")"
done

if insmod /vmxlab/kmod/vmxlab.ko; then
	workloads vmxlab
	rmmod vmxlab || echo "BENCH-ERROR vmxlab rmmod failed"
else
	echo "BENCH-ERROR vmxlab insmod failed"
fi

if insmod "$K/irqbypass.ko" && insmod "$K/kvm.ko" && insmod "$K/kvm-intel.ko"; then
	[ -e /dev/kvm ] || mknod /dev/kvm c 10 232
	# What shapes KVM's interrupt rows: APICv (EOI and interrupt
	# delivery without exits), the VMX-preemption timer, halt polling
	# and the timer advance (the irq-* rows, benchmarks.rst).
	for p in kvm_intel/parameters/enable_apicv \
		 kvm_intel/parameters/preemption_timer \
		 kvm_intel/parameters/flexpriority \
		 kvm/parameters/halt_poll_ns kvm/parameters/lapic_timer_advance_ns; do
		[ -r "/sys/module/$p" ] &&
			echo "BENCH-INFO ${p%%/*}.${p##*/} $(cat "/sys/module/$p")"
	done
	workloads kvm
else
	echo "BENCH-ERROR kvm insmod failed"
fi
echo "BENCH-DONE"
