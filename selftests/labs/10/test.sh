# lab 10: your first timer interrupt.  The guest's local APIC timer, in
# periodic mode, interrupts it at vector 0x30; it halts between the ticks
# and passes after five.  What the trace must show: the five injections
# from the local APIC and no sixth, an EOI for each, served in the kernel,
# the timer armed once and stopped once, and the guest woken by a tick
# from a HLT that the module handled (a guest that spins instead of
# halting never exits for HLT).
out=/tmp/lab10.out
trace=/tmp/lab10.trace
"$LAB_LOADER" run --trace="$trace" --timeout 60 "$LAB_GUESTS/lab10.elf" >"$out" 2>&1
status=$?
show "$out"
grep -E 'apic=|inject=' "$trace" | head -n 16 | sed 's/^/#   /'
count() {	# count ERE: the trace's lines that match
	grep -cE -- "$1" "$trace"
}
injections=$(count 'inject=extint:0x30 from=lapic')
eois=$(count 'EPT_VIOLATION .*access=w .*apic=EOI .*where=kernel')
arms=$(count 'EPT_VIOLATION .*access=w .*apic=TIMER_INITIAL ')
halts=$(count '^#[0-9]+ tsc=[0-9]+ HLT .*where=kernel')
woken=$(count '^#[0-9]+ tsc=[0-9]+ HLT .*inject=extint:0x30 from=lapic')
check "the guest passes (exit status 33, got $status)" [ "$status" = 33 ]
check "it counts five ticks" has "$out" "lab10: 5 ticks"
check "five timer interrupts injected from the local APIC (trace: $injections)" \
	[ "$injections" = 5 ]
check "an EOI for each, served in the kernel (trace: $eois)" [ "$eois" -ge 5 ]
check "the timer armed once, periodic, and stopped (initial-count writes: $arms)" \
	[ "$arms" = 2 ]
check "the guest halts, HLT served in the kernel (trace: $halts)" [ "$halts" -ge 1 ]
check "a tick wakes it from HLT (trace: $woken)" [ "$woken" -ge 1 ]
finish
