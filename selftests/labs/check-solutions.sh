#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check-solutions.sh [LAB...]: the check behind `make labs` and the labs
# step of `make check`.  For each lab NN with a reference solution
# (Documentation/labs/solutions/NN-*.patch), on the committed tree (HEAD):
#
#   1. the solution applies (git apply) to a copy of the tree;
#   2. what it touches builds: the module (kmod/, uapi/), the loader
#      (userland/, uapi/), the lab's guests and data files
#      (selftests/labs/NN/);
#   3. inside ONE boot of the emulated machine (run-labs.sh check), the
#      lab's test fails with the pristine module, loader and guests, and
#      passes with the solution's.
#
# Output: progress as "# ..." lines, the machine's console as "#   | ...",
# then one TAP line per result ("ok N - lab NN: fails without the
# solution", "ok N - lab NN: passes with the solution", ...) and
# "P passed, F failed".  Exit status 0 when nothing failed.
#
# Work directory: $BUILD/labs (BUILD defaults to <repo>/build).
# LABS_WORKTREE=1 takes selftests/labs/ and Documentation/labs/ from the
# working tree instead of HEAD (to try uncommitted labs); everything else
# still comes from HEAD.  LABS_TIMEOUT: the machine's limit in seconds.

# The whole script is one block: bash reads it completely first.
{
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${BUILD:-$top/build}
work=$build/labs
stage=$work/stage
logs=$work/logs
machine=$top/selftests/machine/vmxlab-machine
t0=$SECONDS
unset BUILD
# git apply in a copy below the repository must not find the repository.
export GIT_CEILING_DIRECTORIES=$work

n=0
passed=0
failed=0
report() {	# report PASS|FAIL NAME [REASON]
	n=$((n + 1))
	if [ "$1" = PASS ]; then
		echo "ok $n - $2"
		passed=$((passed + 1))
	else
		echo "not ok $n - $2${3:+ # $3}"
		failed=$((failed + 1))
	fi
}
say() { echo "# labs: $*"; }

# extract DIR: the committed tree in DIR (and the working tree's labs).
extract() {
	rm -rf "$1" && mkdir -p "$1" &&
		git -C "$top" archive HEAD | tar -x -C "$1" || return 1
	if [ "${LABS_WORKTREE:-0}" = 1 ]; then
		(cd "$top" && git ls-files -co --exclude-standard -- \
			selftests/labs Documentation/labs | tar -c -T -) |
			tar -x -C "$1"
	fi
}

# logged LOG CMD...: CMD's output to LOG, its tail shown if it fails.
logged() {
	local log=$1
	shift
	"$@" >"$log" 2>&1 </dev/null && return 0
	tail -n 30 "$log" | sed 's/^/#   /'
	return 1
}

rm -rf "$stage" "$logs"
mkdir -p "$stage/pristine" "$stage/solved" "$logs"

say "the pristine tree (HEAD $(git -C "$top" rev-parse --short HEAD))"
pristine=$work/pristine
if ! extract "$pristine"; then
	report FAIL "extract HEAD"
	echo "$passed passed, $failed failed"
	exit 1
fi
mapfile -t patches < <(ls "$pristine"/Documentation/labs/solutions/[0-9][0-9]-*.patch 2>/dev/null)
labs=()
for p in "${patches[@]}"; do
	nn=${p##*/}
	nn=${nn%%-*}
	if [ $# -gt 0 ]; then
		case " $* " in *" $nn "*) ;; *) continue ;; esac
	fi
	labs+=("$nn")
done
if ! logged "$logs/pristine-build.log" make -C "$pristine" --no-print-directory module userland ||
	! logged "$logs/pristine-labs.log" make -C "$pristine/selftests/labs" \
		--no-print-directory BUILD="$build" OUT="$stage/pristine"; then
	report FAIL "the pristine tree builds" "see ${logs#"$top"/}"
	echo "$passed passed, $failed failed"
	exit 1
fi
cp "$pristine/kmod/vmxlab.ko" "$stage/pristine/vmxlab.ko"
cp "$pristine/userland/vmxlab" "$stage/pristine/vmxlab"
say "pristine build done ($((SECONDS - t0)) s)"

ready=()
for nn in "${labs[@]}"; do
	patch=$(ls "$pristine"/Documentation/labs/solutions/"$nn"-*.patch)
	tree=$work/$nn
	out=$stage/solved/$nn
	mkdir -p "$out"
	extract "$tree" || { report FAIL "lab $nn: the solution applies" "extract"; continue; }
	# The loader's objects, so that only what the solution touches is
	# compiled again (make goes by the files' times, which cp keeps).
	mkdir -p "$tree/build" && cp -a "$pristine/build/userland" "$tree/build/"
	# Their dependency files name the objects by absolute path: point
	# them at this tree, or a header the solution changes (pc.h, say)
	# would not recompile the files that include it.
	find "$tree/build/userland" -name '*.d' -exec \
		sed -i "s|$pristine/|$tree/|g" {} +
	if ! (cd "$tree" && logged "$logs/$nn-apply.log" git apply --whitespace=error-all "$patch"); then
		report FAIL "lab $nn: the solution applies" "see ${logs#"$top"/}/$nn-apply.log"
		continue
	fi
	files=$(cd "$tree" && git apply --numstat "$patch" | cut -f3)
	ok=1
	if grep -qE '^(kmod|uapi)/' <<<"$files"; then
		logged "$logs/$nn-module.log" make -C "$tree" --no-print-directory module &&
			cp "$tree/kmod/vmxlab.ko" "$out/vmxlab.ko" || ok=0
	fi
	if grep -qE '^(userland|uapi)/' <<<"$files"; then
		logged "$logs/$nn-userland.log" make -C "$tree" --no-print-directory userland &&
			cp "$tree/userland/vmxlab" "$out/vmxlab" || ok=0
	fi
	# The guests: images, symbols and data files (LAB_DATA), not objects.
	if grep -q "^selftests/labs/$nn/" <<<"$files"; then
		logged "$logs/$nn-guests.log" make -C "$tree/selftests/labs" --no-print-directory \
			BUILD="$build" OUT="$work/$nn-out" guests &&
			mkdir -p "$out/guests" &&
			find "$work/$nn-out/$nn" -maxdepth 1 -type f ! -name '*.o' ! -name '*.flat' \
				-exec cp {} "$out/guests/" \;
		[ -d "$out/guests" ] || ok=0
	fi
	if [ "$ok" = 0 ]; then
		report FAIL "lab $nn: the solution builds" "see ${logs#"$top"/}/$nn-*.log"
		continue
	fi
	say "lab $nn: solution applied and built: $(tr '\n' ' ' <<<"$files")"
	ready+=("$nn")
done
say "builds done ($((SECONDS - t0)) s)"

if [ ${#ready[@]} -gt 0 ]; then
	# Everything goes to the machine under /labs; a module loses its
	# debug info and a loader its symbols (Bochs reads the initramfs
	# through the BIOS: size is boot time).
	adds=()
	while IFS= read -r f; do
		case "$f" in
		*.ko) strip --strip-debug "$f" ;;
		*/vmxlab) strip "$f" ;;
		esac
		adds+=(--add "$f=/labs/${f#"$stage"/}")
	done < <(find "$stage" -type f | sort)
	adds+=(--add "$top/selftests/labs/run-labs.sh=/labs/run-labs.sh")
	console=$logs/console.log
	say "booting the emulated machine for labs ${ready[*]} (log: ${console#"$top"/})"
	# BUILD: a directory without selftests/, so that the machine does
	# not carry the vmx suite's programs as well.
	BUILD=$work/machine "$machine" --timeout "${LABS_TIMEOUT:-1200}" --log "$console" \
		"${adds[@]}" -- sh /labs/run-labs.sh check "${ready[@]}" </dev/null 2>&1 |
		sed 's/^/#   | /'
	rc=${PIPESTATUS[0]}
	if grep -q '^VMXLAB-LABS-RESULTS-END' "$console"; then
		while IFS= read -r line; do
			name=${line#not ok }
			name=${name#ok }
			name=${name#* - }
			case "$line" in
			"ok "*) report PASS "$name" ;;
			*) report FAIL "${name%% # *}" "$(sed -n 's/.* # //p' <<<"$name")" ;;
			esac
		done < <(sed -n '/^VMXLAB-LABS-RESULTS-BEGIN/,/^VMXLAB-LABS-RESULTS-END/p' "$console" |
			grep -E '^(not )?ok ')
	else
		report FAIL "the machine printed its results" "see ${console#"$top"/}"
	fi
	case $rc in
	0|1) report PASS "machine exited cleanly" ;;
	124) report FAIL "machine exited cleanly" "timeout" ;;
	125) report FAIL "machine exited cleanly" "kernel WARNING/BUG/Oops/panic" ;;
	*) report FAIL "machine exited cleanly" "vmxlab-machine status $rc" ;;
	esac
fi

say "took $((SECONDS - t0)) s"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
exit
}
