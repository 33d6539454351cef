#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# run.sh - the whole suite: datapath unit tests, CLI tests, end-to-end
# tests in namespaces, and the benchmark's quick mode when present.
# Each part prints PASS/FAIL/SKIP lines; this prints the closing count.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"

if [ "$(id -u)" -ne 0 ]; then
	echo "tests need root (XDP, bpffs, namespaces)" >&2
	exit 1
fi
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf

parts=(tests/build/test_headers.sh tests/build/test_layers.sh build/test_datapath build/test_filter build/test_ipv6 build/test_dxr build/test_hostile build/fuzz tests/cli/test_cli.sh tests/e2e/test_e2e.sh tests/e2e/test_filter_e2e.sh tests/e2e/test_ipv6_e2e.sh tests/e2e/test_dxr_e2e.sh tests/e2e/test_faults.sh
       "tests/stress/churn.sh --short" "tests/stress/writers.sh --short" "tests/stress/reload.sh --short"
       "tests/stress/kill.sh --short")
[ -x bench/bench.sh ] && parts+=("bench/bench.sh --quick --test")

log=$(mktemp)
before=$(mktemp)
trap 'rm -f "$log" "$before"' EXIT
tests/leftovers.sh snapshot "$before"
for p in "${parts[@]}"; do
	echo "== $p"
	start=$(date +%s)
	part=$(mktemp)
	$p > "$part" 2>&1
	rc=$?
	grep -E '^(PASS|FAIL|SKIP) |^(fuzz|churn|writers|reload|kill): ' "$part"
	# A part that failed without saying which test did must not pass.
	if [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$part"; then
		echo "FAIL $p: exited $rc"; tail -5 "$part" | sed 's/^/   | /'
		echo "FAIL $p: exited $rc" >> "$part"
	fi
	cat "$part" >> "$log"
	rm -f "$part"
	echo "   ($(( $(date +%s) - start ))s)"
done
echo "== what the suite leaves behind"
tests/leftovers.sh check "$before" | tee -a "$log"
passed=$(grep -c '^PASS ' "$log")
failed=$(grep -c '^FAIL ' "$log")
skipped=$(grep -c '^SKIP ' "$log")
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
