# lab 05: an MMIO device in a hole punched into RAM.  The text screen at
# 0xb8000 must be the loader's device (its accesses are EPT violations
# that reach the loader), and the loader prints the screen at the end.
out=/tmp/lab05.out
trace=/tmp/lab05.trace
"$LAB_LOADER" run --trace --timeout 60 "$LAB_GUESTS/lab05.elf" >"$out" 2>"$trace"
status=$?
show "$out"
grep -m3 'EPT_VIOLATION' "$trace" | show
check "the guest passes (exit status 33, got $status)" [ "$status" = 33 ]
check "screen cells read back" has "$out" "lab05: screen cells read back"
check "the loader prints row 0 of the screen" has "$out" "vga| lab05: hello, text screen"
check "the loader prints row 2 of the screen" has "$out" "vga| lab05: row 2, after an empty row"
check "and no empty row" test "$(grep -c '^vga|' "$out")" = 2
check "guest accesses to 0xb8000 are EPT violations (trace)" \
	grep -qE 'EPT_VIOLATION .*gpa=0xb8' "$trace"
check "the page after the screen is not MMIO (no exit at 0xb9000)" \
	sh -c "! grep -qE 'EPT_VIOLATION .*gpa=0xb9' '$trace'"
finish
