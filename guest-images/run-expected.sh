#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# run-expected.sh - runs every guest image listed in expected.txt with
# vmxlab and checks its exit status and output.  POSIX sh (busybox ash
# is enough), TAP on stdout, exit status 1 if any image failed.
#
# Environment:
#   VMXLAB         the loader (default: ../userland/vmxlab)
#   BACKEND        vmxlab (default) or kvm; lines for other backends skip
#   GUEST_TIMEOUT  seconds allowed per image (default 60); an image's
#                  own --timeout comes later on the command line and wins
#   VERBOSE=1      show the output of every image, not only of failures

cd "$(dirname "$0")" || exit 1
VMXLAB=${VMXLAB:-../userland/vmxlab}
BACKEND=${BACKEND:-vmxlab}
GUEST_TIMEOUT=${GUEST_TIMEOUT:-60}
out=${TMPDIR:-/tmp}/vmxlab-guest.$$
trap 'rm -f "$out"' EXIT

total=$(grep -c '^[^#]' expected.txt)
echo "TAP version 13"
echo "1..$total"
n=0
failed=0
passed=0
skipped=0
while IFS='|' read -r image status backends options args expect; do
	case "$image" in ''|'#'*) continue ;; esac
	n=$((n + 1))
	case ",$backends," in
	*",all,"*|*",$BACKEND,"*) ;;
	*)
		echo "ok $n - $image # SKIP not expected to work on $BACKEND"
		skipped=$((skipped + 1))
		continue ;;
	esac
	if [ -n "$args" ]; then
		# shellcheck disable=SC2086 # options and args are word lists
		"$VMXLAB" run --backend "$BACKEND" --timeout "$GUEST_TIMEOUT" \
			$options "$image" -- $args >"$out" 2>&1 </dev/null
	else
		# shellcheck disable=SC2086
		"$VMXLAB" run --backend "$BACKEND" --timeout "$GUEST_TIMEOUT" \
			$options "$image" >"$out" 2>&1 </dev/null
	fi
	got=$?
	why=""
	[ "$got" = "$status" ] || why="exit status $got, expected $status"
	rest=$expect
	while [ -n "$rest" ]; do
		want=${rest%%;*}
		case "$rest" in *';'*) rest=${rest#*;} ;; *) rest="" ;; esac
		if ! grep -qF -- "$want" "$out"; then
			why="${why:+$why; }no '$want' in the output"
		fi
	done
	if [ -z "$why" ]; then
		echo "ok $n - $image"
		passed=$((passed + 1))
		[ -n "$VERBOSE" ] && sed 's/^/# /' "$out"
	else
		echo "not ok $n - $image: $why"
		failed=$((failed + 1))
		sed 's/^/# /' "$out"
	fi
done <expected.txt
echo "# $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
