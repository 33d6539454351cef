#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# deps.sh - install the Debian packages the build, tests, demo and
# benchmark need, only those missing; mount bpffs when it is not mounted.
set -eu
pkgs="make gcc libc6-dev linux-libc-dev clang llvm libbpf-dev libxdp-dev libelf-dev zlib1g-dev pkg-config
      bpftool xdp-tools iproute2 iputils-ping iperf3 tcpdump ethtool traceroute
      linux-perf procps jq bc util-linux"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	[ "$(id -u)" -eq 0 ] || { echo "deps: need root to install:$missing" >&2; exit 1; }
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
if [ "$(id -u)" -eq 0 ] && ! mountpoint -q /sys/fs/bpf; then
	mount -t bpf bpf /sys/fs/bpf
fi
