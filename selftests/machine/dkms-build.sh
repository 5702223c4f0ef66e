#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-build.sh: `dkms build` this tree's module the way a distribution
# user would, but in a throw-away dkms tree under build/dkms so that
# nothing is written to /usr/src or /var/lib/dkms.  Used by make check.
#
# Environment: KVER (target kernel release; default: newest Debian
# *-amd64 with headers), KDIR (its headers).
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${BUILD:-$top/build}
cd "$top"

ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
[ -n "$ver" ] || { echo "dkms.conf has no PACKAGE_VERSION" >&2; exit 1; }
if [ -z "${KVER:-}" ]; then
	KVER=$(make -s --no-print-directory -C "$top" print-kver)
fi
[ -n "$KVER" ] || { echo "no Debian kernel headers installed" >&2; exit 1; }

tree=$build/dkms
src=$tree/source/vmxlab-$ver
rm -rf "$tree"
mkdir -p "$src" "$tree/tree"

# What dkms needs: the kbuild entry point, dkms.conf and the sources.
# In a git checkout take tracked and new (not ignored) files, so that
# build products of a local `make` never leak in.
paths=(Kbuild dkms.conf kmod uapi)
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$top" ls-files -co --exclude-standard -- "${paths[@]}" |
		tar -C "$top" -cf - -T - | tar -C "$src" -xf -
else
	cp -r "${paths[@]}" "$src/"
fi

opts=(-m vmxlab -v "$ver" --sourcetree "$tree/source" --dkmstree "$tree/tree")
kopts=(-k "$KVER")
[ -n "${KDIR:-}" ] && kopts+=(--kernelsourcedir "$KDIR")

# dkms signs what it builds, and by default first creates a machine-wide
# key pair in /var/lib/dkms.  dkms takes these two from the environment:
# keep the throw-away key in the throw-away tree.
export mok_signing_key=$tree/mok.key mok_certificate=$tree/mok.pub

dkms add "${opts[@]}"
status=0
dkms build "${opts[@]}" "${kopts[@]}" || status=$?
# dkms keeps the kbuild log in its tree: show it when the build failed.
if [ $status != 0 ]; then
	cat "$tree/tree/vmxlab/$ver/build/make.log" 2>/dev/null || true
	exit $status
fi
ko=$(find "$tree/tree/vmxlab/$ver/$KVER" -name 'vmxlab.ko*' | head -n1)
[ -n "$ko" ] || { echo "dkms build left no vmxlab.ko" >&2; exit 1; }
echo "dkms built ${ko#"$top"/}"
modinfo -F vermagic "$ko" 2>/dev/null || true
rm -rf "$tree"
