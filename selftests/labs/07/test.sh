# lab 07: break one VMCS field and predict the failure.  Two parts.
#
# Predictions: each case below is one field of lab07.setup as it was
# handed out, broken, written alone over the loader's --mode long state
# with the stepper's `set`.  `explain` (VMXLAB_CHECK_ENTRY) must name the
# rule lab07.predictions gives for the case (any one of the rules that
# fail, if several do), and `continue` must show the processor refusing
# the entry.
#
# The fix: lab07.setup as the student corrected it, given to the stepper
# before the first entry, must check clean with `explain`, every `set`
# must be accepted, and the guest must be entered and pass: it checks
# that each of the six things it asked for is there.
bin=$LAB_GUESTS/lab07.bin
setup=$LAB_GUESTS/lab07.setup
predictions=$LAB_GUESTS/lab07.predictions

# predicted N: the rule predicted for case N, without VMXLAB_CHECK_.
predicted() {
	sed 's/#.*//' "$predictions" 2>/dev/null |
		awk -v n="$1" '$1 == n { sub(/^VMXLAB_CHECK_/, "", $2); print $2; exit }'
}

while read -r nn field value; do
	out=/tmp/lab07-case$nn.out
	printf 'set %s %s\nexplain\nstop none\ncontinue\n' "$field" "$value" |
		"$LAB_LOADER" step --mode long --timeout 60 "$bin" >"$out" 2>&1
	show "$out"
	# explain's lines, "  - TEXT: FIELD = ... (SDM 27.3.1.x, RULE)"
	named=$(sed -n 's/^  - .*(SDM 27\.[0-9.]*, \([A-Z0-9_]*\))$/\1/p' "$out" | tr '\n' ' ')
	guess=$(predicted "$nn")
	check "case $nn ($field = $value): explain names ${named:-nothing}" \
		test -n "$named"
	check "case $nn: the processor refuses the entry" grep -q 'VM entry failed' "$out"
	check "case $nn: the prediction '${guess:-none}' is a rule that fails" \
		sh -c 'case " $2 " in *" $1 "*) exit 0 ;; esac; exit 1' - "${guess:-none}" "$named"
done <<'CASES'
1 GUEST_CR0 0x80050011
2 GUEST_CR4 0x620
3 GUEST_IA32_EFER 0x900
4 GUEST_FS_AR_BYTES 0xc013
5 GUEST_GS_AR_BYTES 0xc092
6 GUEST_RFLAGS 0x3000
CASES

out=/tmp/lab07.out
sets=$(grep -c '^[[:space:]]*set[[:space:]]' "$setup")
{
	sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$setup"
	printf 'explain\nstop none\ncontinue\n'
} | "$LAB_LOADER" step --mode long --timeout 120 "$bin" >"$out" 2>&1
status=$?
show "$out"
done_sets=$(grep -c '^GUEST_[A-Z0-9_]* = 0x' "$out")
check "every set of lab07.setup is accepted ($done_sets of $sets)" \
	test "$sets" -gt 0 -a "$done_sets" = "$sets"
check "explain finds no failing rule after lab07.setup" \
	grep -q "^no rule of the SDM's VM-entry checks fails" "$out"
check "the guest is entered" has "$out" "lab07: entered"
check "the guest has all six things it asked for" has "$out" "lab07: all six as asked"
check "the session ends with the guest's PASS (end: status 33, got $status)" \
	test "$status" = 33 -a -n "$(grep '^end: status 33' "$out")"
finish
