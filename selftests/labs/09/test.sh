# lab 09: long mode from scratch.  Run the guest under the stepper to its
# HLT and look at the state it reached: 64-bit mode with 4-level paging
# set up by the guest itself, and the higher-half mapping asked for.
out=/tmp/lab09.out
printf 'stop hlt\ncontinue\nregs\nwalk 0xffff800000000000\nwalk 0x3ff000\nquit\n' |
	"$LAB_LOADER" step --timeout 120 "$LAB_GUESTS/lab09.bin" >"$out" 2>&1
status=$?
show "$out"
efer=$(sed -n 's/^cr4 .* efer 0x\([0-9a-f]*\).*/\1/p' "$out" | head -n1)
cr0=$(sed -n 's/^cr0 0x\([0-9a-f]*\).*/\1/p' "$out" | head -n1)
cr4=$(sed -n 's/^cr4 0x\([0-9a-f]*\).*/\1/p' "$out" | head -n1)
csar=$(sed -n 's/^cs .* ar 0x\([0-9a-f]*\).*/\1/p' "$out" | head -n1)
check "the stepper stops at the guest's HLT" grep -q '^stop: exit HLT' "$out"
check "the guest says hello from long mode" has "$out" "lab09: hello from long mode"
check "EFER.LME and EFER.LMA are set (efer 0x$efer)" \
	test $(( 0x${efer:-0} & 0x500 )) = $(( 0x500 ))
check "CR0.PG and CR0.PE are set, CR4.PAE too (cr0 0x$cr0, cr4 0x$cr4)" \
	test $(( 0x${cr0:-0} & 0x80000001 )) = $(( 0x80000001 )) -a \
	$(( 0x${cr4:-0} & 0x20 )) = 32
check "CS is a 64-bit code segment (L=1, D=0; ar 0x$csar)" \
	test $(( 0x${csar:-0} & 0x6000 )) = $(( 0x2000 ))
check "0xffff800000000000 maps to guest-physical 0x200000" \
	grep -q '^GVA 0xffff800000000000 -> GPA 0x200000 ' "$out"
check "the first 4 MiB are identity-mapped (0x3ff000)" \
	grep -q '^GVA 0x3ff000 -> GPA 0x3ff000 ' "$out"
finish
