#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# run.sh - `make stress`: the stress scripts in full, with their figures,
# and the closing count (tests/run.sh runs their short forms).
set -u
cd "$(dirname "$0")/../.."
[ "$(id -u)" -eq 0 ] || { echo "stress: needs root" >&2; exit 1; }
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for s in churn writers reload kill; do
	echo "== $s"
	tests/stress/$s.sh 2>&1 | tee -a "$log" | grep -E '^(PASS|FAIL|SKIP) |^[a-z]+: '
done
echo "$(grep -c '^PASS ' "$log") passed, $(grep -c '^FAIL ' "$log") failed"
! grep -q '^FAIL ' "$log"
