#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mk/deps.sh install|list: make sure the Debian packages in mk/debian-deps
# (and <dir>/debian-deps of the other parts of the tree) are installed.
# As root, install what is missing; otherwise print the one apt-get line
# to run and fail.  CI starts from a fresh Debian machine, so `make check`
# runs this first.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

pkgs=$(for f in "$top/mk/debian-deps" "$top"/{userland,guest-images,kmod,selftests/host,selftests/bench}/debian-deps; do
	if [ -f "$f" ]; then cat "$f"; fi
done |
	sed 's/#.*//' | tr -s ' \t' '\n\n' | sed '/^$/d' | sort -u)

if [ "${1:-install}" = list ]; then
	echo "$pkgs"
	exit 0
fi

missing=()
for p in $pkgs; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" != 0 ]; then
	echo "Missing Debian packages; as root run:" >&2
	echo "  $line" >&2
	exit 1
fi
echo "  DEPS    installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has no package lists yet; refresh once, then install.
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
