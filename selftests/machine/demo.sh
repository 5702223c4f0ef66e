#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: what `make demo` runs.  Boot the emulated Intel machine, load
# vmxlab.ko, run hello-real.bin with --trace, show the guest's output and
# then the exit trace (the loader writes the trace to stderr; keeping it
# apart keeps the guest's text readable), and power off.
#
# The loader exits with the guest's debug-exit code; guest-images/
# expected.txt says which code means success for hello-real.bin.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$top"
image=hello-real.bin

for f in kmod/vmxlab.ko userland/vmxlab "guest-images/$image"; do
	if [ ! -e "$f" ]; then
		echo "make demo: $f has not been built (its part of the tree is missing or failed to build), so there is nothing to run." >&2
		exit 1
	fi
done
want=$(awk -F'|' -v img="$image" '$1 == img { print $2 }' guest-images/expected.txt 2>/dev/null || true)

cmd="insmod /vmxlab/kmod/vmxlab.ko || exit 1
echo '==== guest output (vmxlab run --trace /vmxlab/guest-images/$image)'
/vmxlab/userland/vmxlab run --trace /vmxlab/guest-images/$image 2>/tmp/trace
st=\$?
echo
echo '==== exit trace'
cat /tmp/trace
echo \"==== vmxlab exited with status \$st\"
exit \$st"

echo "make demo: booting Bochs (about 90 s before the guest runs)..."
status=0
"$top/selftests/machine/vmxlab-machine" --emu "${EMU:-bochs}" -- "$cmd" || status=$?
if [ -n "$want" ] && [ "$status" = "$want" ]; then
	echo "make demo: $image passed (exit status $status is its success code in guest-images/expected.txt)"
	exit 0
fi
echo "make demo: $image ended with status $status${want:+, expected $want}" >&2
exit 1
