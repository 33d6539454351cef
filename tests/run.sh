#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# run.sh - the whole suite: datapath unit tests, CLI tests, end-to-end
# tests in namespaces, and the benchmark's quick mode when present.
# Each part prints PASS/FAIL/SKIP lines; this prints the closing count.
# T=GLOB (or `make test T=GLOB`) runs only the tests so named, in every
# part (tests are found by name); the parts that are one whole run (fuzz,
# stress, bench, the build checks) run only when the glob names the part.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"

if [ "$(id -u)" -ne 0 ]; then
	echo "tests need root (XDP, bpffs, namespaces)" >&2
	exit 1
fi
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf

parts=(tests/build/test_headers.sh tests/build/test_layers.sh build/test_datapath build/test_filter build/test_ipv6 build/test_dxr build/test_dxr_model build/test_hostile build/test_drops build/fuzz tests/cli/test_cli.sh tests/e2e/test_e2e.sh tests/e2e/test_filter_e2e.sh tests/e2e/test_ipv6_e2e.sh tests/e2e/test_dxr_e2e.sh tests/e2e/test_faults.sh
       "tests/stress/churn.sh --short" "tests/stress/writers.sh --short" "tests/stress/reload.sh --short"
       "tests/stress/kill.sh --short")
[ -x bench/bench.sh ] && parts+=("bench/bench.sh --quick --test")

# whole runs, by the name $T gives them
whole_run() {
	case $1 in
	build/fuzz) echo fuzz ;;
	tests/stress/*) echo "stress $(basename "${1%% *}" .sh)" ;;
	bench/*) echo bench ;;
	tests/build/*) basename "$1" .sh | sed 's/^test_//' ;;
	esac
}

log=$(mktemp)
before=$(mktemp)
trap 'rm -f "$log" "$before"' EXIT
tests/leftovers.sh snapshot "$before"
for p in "${parts[@]}"; do
	if [ -n "${T:-}" ] && names=$(whole_run "$p") && [ -n "$names" ]; then
		# shellcheck disable=SC2053 # $T is a glob
		match=0; for n in $names; do [[ $n == $T ]] && match=1; done
		[ $match == 1 ] || continue
	fi
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
if [ -n "${T:-}" ] && ! grep -qE '^(PASS|FAIL) ' "$log"; then
	echo "no test is named '$T'" >&2
	echo "0 passed, 0 failed, 0 skipped"
	exit 1
fi
echo "== what the suite leaves behind"
tests/leftovers.sh check "$before" | tee -a "$log"
passed=$(grep -c '^PASS ' "$log")
failed=$(grep -c '^FAIL ' "$log")
skipped=$(grep -c '^SKIP ' "$log")
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
