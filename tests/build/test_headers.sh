#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test_headers.sh - the BPF build needs no C library headers, and the guard
# that says so (tests/bpf_headers.sh) can fail.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP"
GUARD=tests/bpf_headers.sh
MULTIARCH=$(gcc -print-multiarch)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

result() { if [ -z "$2" ]; then echo "PASS $1"; else echo "FAIL $1: $2"; fi; }

# Every BPF source of the project has a dependency list from its build.
t_every_object_checked() {
	local src obj missing=""
	for src in bpf/*.bpf.c bench/*.bpf.c tests/*.bpf.c tests/unit/*.bpf.c; do
		case $src in
		bpf/*) obj=build/$(basename "$src" .c).o ;;
		bench/*) obj=build/bench_$(basename "$src" .c).o ;;
		*) obj=build/$(basename "$src" .c).o ;;
		esac
		[ -s "$obj.d" ] || missing="$missing $obj.d"
	done
	result every_bpf_object_has_a_checked_dependency_list "${missing:+missing$missing}"
}

t_project_is_clean() {
	local out
	out=$("$GUARD" build/*.bpf.o.d 2>&1) && result bpf_objects_include_no_libc_header "" ||
		result bpf_objects_include_no_libc_header "$out"
}

# A BPF source that reaches glibc (as linux/icmp.h does through linux/if.h)
# is named, whether or not this machine has the 32-bit stubs.
t_guard_names_libc() {
	local out rc
	printf '#include <linux/icmp.h>\nint x;\n' > "$WORK/bad.bpf.c"
	clang -target bpf -I"/usr/include/$MULTIARCH" -M -MG "$WORK/bad.bpf.c" \
		-MT "$WORK/bad.bpf.o" > "$WORK/bad.bpf.o.d" 2>/dev/null
	out=$("$GUARD" "$WORK/bad.bpf.o.d" 2>&1); rc=$?
	if [ $rc -eq 0 ]; then
		result guard_fails_on_a_libc_header "accepted a source that includes sys/socket.h"
	elif ! grep -q 'sys/socket.h\|features.h\|stubs' <<<"$out"; then
		result guard_fails_on_a_libc_header "did not name the header: $out"
	elif [ "$(wc -l <<<"$out")" -ne 1 ]; then
		result guard_fails_on_a_libc_header "more than one line: $out"
	else
		result guard_fails_on_a_libc_header ""
	fi
}

t_every_object_checked
t_project_is_clean
t_guard_names_libc
