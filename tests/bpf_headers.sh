#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# bpf_headers.sh DEPFILE... - fail when a BPF object's dependency list
# (clang -MD, or clang -M -MG) names a header from outside the kernel's
# UAPI headers, libbpf, libxdp, clang's own headers or the project.
#
# Why: the BPF target is not the host's, so glibc's headers reached from it
# ask for the 32-bit stubs (gnu/stubs-32.h), which only libc6-dev-i386
# installs. A machine that once had that package builds fine and hides the
# fault from CI; this check fails on every machine, with one line.
set -u
multiarch=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
resource=$(clang -print-resource-dir 2>/dev/null || echo /nonexistent)
allowed=(/usr/include/linux/ /usr/include/asm-generic/ "/usr/include/$multiarch/asm/"
	 /usr/include/bpf/ /usr/include/xdp/ "$resource/include/")
status=0
for dep in "$@"; do
	[ -r "$dep" ] || { echo "bpf_headers: cannot read $dep" >&2; exit 2; }
	# make syntax: "target: source header header \"; headers only
	for h in $(sed -e 's/\\$//' -e 's/^[^:]*://' "$dep" | tr -s ' \t' '\n' | grep -v '^$' | tail -n +2); do
		case $h in /*) ;; *) continue ;; esac	# the project's own, relative
		ok=0
		for a in "${allowed[@]}"; do
			[[ $h == "$a"* ]] && { ok=1; break; }
		done
		if [ $ok = 0 ]; then
			echo "bpf_headers: ${dep%.d} includes $h: BPF code may include only" \
			     "kernel UAPI, libbpf, libxdp and clang headers (no C library)" >&2
			status=1
			break
		fi
	done
done
exit $status
