#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test_dxr_e2e.sh - compiled FIBs (DXR) with real clients: forwarding
# through a compiled FIB, route changes taking effect at once, and a ping
# stream that loses nothing while the FIB is edited in place, rebuilt and
# switched between trie and compiled under it.
set -u
. "$(dirname "$0")/../lib.sh"


# vnet red: red1 (10.0.1.2) and red2 (10.0.2.2, also 10.77.1.5), 10.77.0.0/16
# via red2, 2,000 more routes around it, the FIB compiled.
compiled_tenant() {
	local a b i
	a=$(R r1) b=$(R r2)
	vnetctl create name red routes 100000 >/dev/null || return 1
	mkhost red1 "$a" 10.0.1.2/24 10.0.1.1 && mkhost red2 "$b" 10.0.2.2/24 10.0.2.1 || return 1
	on red2 ip addr add 10.77.1.5/32 dev eth0 || return 1
	vnetctl attach "$a" && vnetctl attach "$b" || return 1
	vnetctl link set "$a" vnet red && vnetctl link set "$b" vnet red || return 1
	vnetctl addr add red "$a" 10.0.1.1/24 && vnetctl addr add red "$b" 10.0.2.1/24 || return 1
	{
		echo "route add red 10.77.0.0/16 via 10.0.2.2"
		for i in $(seq 0 999); do
			echo "route add red 10.77.$((128 + i % 128)).$((i / 128 * 16))/28 blackhole"
			echo "route add red 10.$((100 + i % 100)).$((i / 100)).0/24 via 10.0.2.2"
		done
		echo "sysctl red net.route.algo.inet.algo=2"
	} > "$WORK_DIR/setup.batch"
	vnetctl -b "$WORK_DIR/setup.batch" >/dev/null
}

fibs() { vnetctl -j stats red | jq -r ".fibs[0].$1"; }
ctr() { stat_of red "$1"; }

test_forwarding_with_compiled_fib() {
	compiled_tenant || return 1
	[ "$(fibs lookup)" == dxr ] || fail "fib 0 uses $(fibs lookup), not dxr"
	vnetctl route show red | head -1 | grep -q "lookup: dxr" || fail "route show does not say dxr"
	reach red1 10.77.1.5 || fail "ping through the compiled FIB"
	vnetctl route add red 10.77.1.0/24 blackhole || return 1
	local bh
	bh=$(ctr blackhole)
	reach red1 10.77.1.5 && fail "ping passed a blackhole route just added"
	[ "$(ctr blackhole)" -gt "$bh" ] || fail "blackhole not counted"
	vnetctl route del red 10.77.1.0/24 || return 1
	reach red1 10.77.1.5 || fail "ping after the blackhole route was deleted"
	[ "$(fibs dxr_updates)" -ge 2 ] || fail "the changes were not made in place"
	return 0
}

test_route_changes_under_traffic() {
	compiled_tenant || return 1
	local out k i rebuilds updates
	reach red1 10.77.1.5 || fail "no ping before the changes"	# ARP resolved first
	rebuilds=$(fibs dxr_rebuilds) updates=$(fibs dxr_updates)
	out=$WORK_DIR/ping.out
	on red1 ping -i 0.005 -c 1200 -W 1 10.77.1.5 > "$out" 2>&1 &
	local ping=$!
	CLEAN_PIDS+=("$ping")
	for k in $(seq 1 12); do
		# edits beside the destination, in its own /16 and elsewhere:
		# in place, and rebuilds once the garbage outgrows the table
		{
			for i in $(seq 0 199); do
				echo "route add red 10.77.$((2 + i % 100)).$((k * 2 + i / 100))/32 blackhole"
				echo "route add red 10.$((100 + i % 100)).$((k * 2 + i / 100)).128/25 via 10.0.2.2"
			done
		} > "$WORK_DIR/add.batch"
		sed 's/^route add \(red [^ ]*\).*/route del \1/' "$WORK_DIR/add.batch" > "$WORK_DIR/del.batch"
		vnetctl -b "$WORK_DIR/add.batch" >/dev/null || fail "batch add $k"
		vnetctl route add red 10.77.1.4/30 via 10.0.2.2 || fail "single add $k"
		vnetctl route del red 10.77.1.4/30 || fail "single del $k"
		vnetctl -b "$WORK_DIR/del.batch" >/dev/null || fail "batch del $k"
		# and swaps between the trie and a fresh compile
		if [ $((k % 4)) == 0 ]; then
			vnetctl sysctl red net.route.algo.inet.algo=1 >/dev/null
			vnetctl sysctl red net.route.algo.inet.algo=2 >/dev/null
		fi
	done
	wait "$ping"
	grep -q " 0% packet loss" "$out" || fail "ping lost packets: $(grep loss "$out"); $(vnetctl -j stats red | jq -c "{received,forwarded,drops}")"
	[ "$(ctr no_route)" == 0 ] || fail "$(ctr no_route) packets found no route"
	[ "$(fibs dxr_rebuilds)" -gt "$rebuilds" ] || fail "no rebuild under traffic"
	[ "$(fibs dxr_updates)" -gt "$updates" ] || fail "no in-place update under traffic"
	[ "$(fibs lookup)" == dxr ] || fail "fib 0 left on $(fibs lookup)"
	return 0
}

WORK_DIR=$(mktemp -d)
run_tests
rm -rf "$WORK_DIR"
