# lab 04: a port-I/O random number generator in the loader.  The guest
# lab04.bin checks the device and passes; the loader must not list the
# device's ports among the unknown ones.
out=/tmp/lab04.out
"$LAB_LOADER" run --timeout 60 "$LAB_GUESTS/lab04.bin" >"$out" 2>&1
status=$?
show "$out"
check "the guest passes (exit status 33, got $status)" [ "$status" = 33 ]
for what in "CTRL reads the identifier" "xorshift32 from seed 1" \
	"16- and 8-bit reads" "same seed restarts" "seed 0 gives the host"; do
	check "lab04.bin: $what" has "$out" "$what"
done
check "ports 0x540 and 0x544 are not unknown to the loader" \
	sh -c "! grep -A3 'unknown I/O ports' '$out' | grep -qE '0x54[04]'"
finish
