#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# reload.sh [--short] - `vnetctl reload` over and over while a tenant
# carries an iperf3 TCP stream and a ping every 10 ms: the pings lost, the
# stream's throughput, and every route, address, neighbor, rule, state and
# counter kept across reloads. Full: 50 reloads; short (make test): 5.
set -u
. "$(dirname "$0")/../lib.sh"

RELOADS=50
[ "${1:-}" == --short ] && RELOADS=5

# What a reload must keep (counters only grow, so they are compared apart).
state_of() {
	vnetctl route show red; vnetctl addr show red; vnetctl neigh show red |
		awk '{print $1, $2, $3}'
	vnetctl filter show red | cut -c1-6,31-
}

test_reload_under_load() {
	local before after plog ilog t0 secs fwd0 fwd1 loss
	two_tenants || return 1
	vnetctl filter add red 100 allow ip from any to any keep-state >/dev/null || return 1
	vnetctl route add red 10.77.0.0/16 via 10.0.2.2 || return 1
	reach red1 10.0.2.2 || return "$(fail "no traffic before")"
	before=$(state_of)
	fwd0=$(stat_of red forwarded)
	plog=$(mktemp); ilog=$(mktemp)
	on red2 iperf3 -s -1 -p 5211 >/dev/null 2>&1 &
	CLEAN_PIDS+=($!)
	sleep 0.3
	ip netns exec "$(ns_of red1)" ping -q -i 0.01 -W 1 10.0.2.2 > "$plog" 2>&1 &
	local ping=$!
	on red1 timeout $((RELOADS + 30)) iperf3 -c 10.0.2.2 -p 5211 -t $((RELOADS / 2 + 3)) -J > "$ilog" 2>/dev/null &
	local perf=$!
	t0=$(date +%s.%N)
	for i in $(seq 1 "$RELOADS"); do
		vnetctl reload >/dev/null || fail "reload $i failed"
		sleep 0.3
	done
	secs=$(echo "$(date +%s.%N) - $t0" | bc)
	wait "$perf"
	kill -INT "$ping"; wait "$ping"
	after=$(state_of)
	fwd1=$(stat_of red forwarded)
	loss=$(grep -o '[0-9.]*% packet loss' "$plog" | cut -d% -f1)
	printf 'reload: %d reloads in %.1f s under iperf3 (%s Mbit/s) and ping -i 0.01: %s (%s%% loss)\n' \
		"$RELOADS" "$secs" \
		"$(jq '.end.sum_received.bits_per_second / 1e6 | floor' "$ilog" 2>/dev/null)" \
		"$(grep -o '[0-9]* packets transmitted, [0-9]* received' "$plog")" "$loss"
	printf 'reload: routes, addresses, neighbors, rules %s; states %d; forwarded counter %s -> %s\n' \
		"$([ "$before" == "$after" ] && echo kept || echo CHANGED)" \
		"$(vnetctl state show red | grep -c .)" "$fwd0" "$fwd1"
	[ "$before" == "$after" ] || fail "state changed: $(diff <(echo "$before") <(echo "$after") | head -3 | tr '\n' ';')"
	[ "$fwd1" -gt "$fwd0" ] || fail "counters not kept"
	[ "$(vnetctl state show red | grep -c .)" -ge 1 ] || fail "no state kept"
	[ "$(echo "${loss:-100} == 0" | bc)" == 1 ] || fail "lost $loss% of pings"
	jq -e '.end.sum_received.bytes > 1000000' "$ilog" >/dev/null || fail "iperf3 stream broke"
	rm -f "$plog" "$ilog"
	return 0
}

run_tests
