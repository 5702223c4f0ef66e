#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh: what `make bench` runs after `make deps all`.  Installs the
# packages of selftests/bench/debian-deps (as root; otherwise prints the
# apt-get line and fails, like mk/deps.sh), builds vmbench, and lets
# bench.py boot the emulated machine once and write build/bench/results.*.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

missing=()
for p in $(sed 's/#.*//' "$here/debian-deps"); do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "Missing Debian packages; as root run:" >&2
		echo "  apt-get install -y --no-install-recommends ${missing[*]}" >&2
		exit 1
	fi
	echo "  DEPS    installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
fi

make -s -C "$here"
exec python3 "$here/bench.py" run "$@"
