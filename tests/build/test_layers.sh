#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test_layers.sh - libvnet's layers include only downwards: core/ (0),
# link/ (1), net/ and filter/ (2, side by side, neither including the
# other), host/ (3), loader/ itself (4). An include upwards or sideways is
# a cycle waiting to happen; what a lower layer must have done above it is
# a hook (core/sysinit.c). Also holds the check against a file that breaks
# the rule on purpose.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP/loader"

rank() {	# layer of a path relative to loader/
	case $1 in
	../*) echo -1 ;;	# outside libvnet: bpf/vnet_abi.h
	libvnet.h|core/*) echo 0 ;;
	link/*) echo 1 ;;
	net/*|filter/*) echo 2 ;;
	host/*) echo 3 ;;
	*/*) echo 9 ;;		# a folder nobody placed: refused
	*) echo 4 ;;
	esac
}

# check FILE...: one line per include that goes up or sideways
check() {
	local f inc target rf rt
	for f in "$@"; do
		rf=$(rank "$f")
		while read -r inc; do
			# includes are relative to the file's folder, or to loader/
			if [ -e "$(dirname "$f")/$inc" ]; then
				target=$(realpath --relative-to=. "$(dirname "$f")/$inc")
			else
				target=$inc
			fi
			[ -e "$target" ] || continue	# generated (vnet.skel.h) or BPF's
			rt=$(rank "$target")
			if [ "$rt" -gt "$rf" ] ||
			   { [ "$rt" == "$rf" ] && [ "$rt" != 4 ] &&
			     [ "$(dirname "$target")" != "$(dirname "$f")" ] && [ "$target" != libvnet.h ]; }; then
				echo "$f includes $target (layer $rt from layer $rf)"
			fi
		done < <(sed -n 's/^#include "\(.*\)"/\1/p' "$f")
	done
}

result() { if [ -z "$2" ]; then echo "PASS $1"; else echo "FAIL $1: $2"; fi; }

bad=$(check $(find . -name '*.[ch]' -printf '%P\n' | sort))
result loader_layers_include_only_downwards "${bad:+$(head -3 <<<"$bad" | tr '\n' ';')}"

# the check itself: a core file that includes the network layer is caught
tmp=core/zz_layer_probe.c
printf '#include "../net/net.h"\n' > "$tmp"
bad=$(check "$tmp")
rm -f "$tmp"
[ -n "$bad" ] && result layer_check_catches_an_upward_include "" ||
	result layer_check_catches_an_upward_include "a core file including net/net.h passed"
