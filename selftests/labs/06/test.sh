# lab 06: single-step a guest and find its bug.  A scripted stepper
# session: stop only at a breakpoint on the guest's label `checkpoint`,
# look at the registers there, and run to the end.  At the checkpoint
# RBX must hold the table's checksum, 0x1cd0, and the guest must pass.
out=/tmp/lab06.out
at=$(awk '$3 == "checkpoint" { print "0x" $1 }' "$LAB_GUESTS/lab06.sym" | sed 's/^0x0*/0x/')
printf 'stop none\nbreak %s\ncontinue\nregs\ncontinue\n' "$at" |
	"$LAB_LOADER" step --timeout 120 "$LAB_GUESTS/lab06.elf" >"$out" 2>&1
status=$?
show "$out"
check "the stepper stops at the breakpoint on checkpoint ($at)" \
	grep -qE "^stop: breakpoint .*rip=0x0*${at#0x}\$" "$out"
check "at the checkpoint RBX is the checksum 0x1cd0" \
	grep -qE '^rax .*rbx 0x0000000000001cd0 ' "$out"
check "the guest still prints the hypervisor's name" has "$out" "lab06: running on vmxlabvmxlab"
check "the session ends with the guest's PASS (end: status 33, got $status)" \
	test "$status" = 33 -a -n "$(grep '^end: status 33' "$out")"
finish
