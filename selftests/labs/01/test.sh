# lab 01: trace your first exit.  The guest must print the hypervisor's
# CPUID signature and pass; its trace must show the CPUID exit, handled
# in the kernel, and one port-0x3f8 exit per character printed.
out=/tmp/lab01.out
trace=/tmp/lab01.trace
"$LAB_LOADER" run --trace --timeout 60 "$LAB_GUESTS/lab01.bin" >"$out" 2>"$trace"
status=$?
show "$out"
grep -E 'CPUID|HLT|port=0xf4' "$trace" | show
check "the guest passes (exit status 33, got $status)" [ "$status" = 33 ]
check "it prints the CPUID hypervisor signature" has "$out" "lab01: hypervisor vmxlabvmxlab"
check "the trace shows a CPUID exit handled in the kernel" \
	grep -qE '^#[0-9]+ .* CPUID .*where=kernel' "$trace"
chars=$(wc -c <"$out")
outs=$(grep -cE '^#[0-9]+ .* IO_INSTRUCTION dir=out port=0x3f8 .*where=user' "$trace")
check "one exit to the loader per character on COM1 ($chars characters, $outs exits)" \
	test "$chars" -gt 13 -a "$chars" = "$outs"
finish
