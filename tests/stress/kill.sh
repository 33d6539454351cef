#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# kill.sh [--short] - vnetctl killed (-9) at points spread over a long
# route batch on a compiled FIB, and over a destroy of a vnet with a host
# stack. After each kill the next command works, and: the compiled table
# answers every route's addresses as the trie does, with the route count
# right (fib_check); a destroyed vnet's maps, namespace and veths are gone.
# Full: 10 points each, a 100,000-route batch; short (make test): 3 points,
# 20,000 routes.
set -u
. "$(dirname "$0")/../lib.sh"

POINTS=10 ROUTES=100000
[ "${1:-}" == --short ] && POINTS=3 ROUTES=20000

# A batch that deletes the first half of the table and adds as many new routes.
make_batches() {
	local dir=$1 i
	for ((i = 0; i < ROUTES; i++)); do
		echo "route add k 10.$((i / 65536 + 16)).$((i / 256 % 256)).$((i % 256))/32 blackhole"
	done > "$dir/base"
	{
		head -$((ROUTES / 2)) "$dir/base" | sed -e 's/route add/route del/' -e 's/ blackhole//'
		for ((i = 0; i < ROUTES / 2; i++)); do
			echo "route add k 172.$((i / 65536 + 16)).$((i / 256 % 256)).$((i % 256))/32 blackhole"
		done
	} > "$dir/change"
	sed -n 's/^route add k \(172[^ ]*\).*/route del k \1/p' "$dir/change" > "$dir/undo"
}

# vnet 5 ("k") afresh, its FIB compiled, holding the base table; with an
# interface (a vnet without one is not in its slots: no packet reaches it).
fresh_k() {
	local x
	x=$(R b)
	vnetctl destroy 5 >/dev/null 2>&1
	ip link show "$x" >/dev/null 2>&1 || mklink "$x" "${x}p" || return 1
	vnetctl link show | grep -q "^$x " || vnetctl attach "$x" || return 1
	vnetctl create 5 name k routes $((ROUTES * 2)) >/dev/null &&
		vnetctl sysctl k net.route.algo.inet.algo=2 >/dev/null &&
		vnetctl link set "$x" vnet k && vnetctl -b "$1/base"
}

reg_flags() {
	bpftool -j map lookup pinned "$VNET_PIN_DIR/vnet_reg" key "$1" 0 0 0 | jq '.formatted.value.flags'
}

test_kill_route_batch() {
	local dir t0 full p t pid ok=0 cut=0 line
	dir=$(mktemp -d)
	make_batches "$dir"
	fresh_k "$dir" || return 1
	# how long the batch takes, to spread the kills over it
	t0=$(date +%s.%N)
	vnetctl -b "$dir/change" || return 1
	full=$(echo "$(date +%s.%N) - $t0" | bc)
	for p in $(seq 1 "$POINTS"); do
		fresh_k "$dir" || { fail "set-up for point $p"; continue; }
		t=$(echo "$full * $p / ($POINTS + 1)" | bc -l)
		vnetctl -b "$dir/change" >/dev/null 2>&1 &
		pid=$!
		sleep "$t"
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		# the journal (VNET_REG_RTDIRTY): the kill cut route changes short
		[ $(( $(reg_flags 5) & 4 )) != 0 ] && cut=$((cut + 1))
		vnetctl list >/dev/null || { fail "the command after a kill at $t s failed"; continue; }
		[ $(( $(reg_flags 5) & 4 )) == 0 ] || fail "journal still open after the next command"
		line=$("$TOP/build/fib_check" "$VNET_PIN_DIR" 5 0) && ok=$((ok + 1)) ||
			fail "after a kill at $(printf %.2f "$t") s: $line"
		ls "$VNET_PIN_DIR"/v5 | grep -q '_new$' && fail "an aside build's pin left"
	done
	printf 'kill: %d-route batch (%.2f s) killed at %d points (%d cut route changes short): %d consistent after the next command\n' \
		"$ROUTES" "$full" "$POINTS" "$cut" "$ok"
	printf 'kill: %s\n' "$line"
	rm -rf "$dir"
	return 0
}

test_kill_destroy() {
	local p t pid ids left hs ok=0 x
	hs="$(basename "$VNET_PIN_DIR")-6"
	x=$(R k)
	for p in $(seq 1 "$POINTS"); do
		vnetctl create 6 name d netns >/dev/null || { fail "create $p"; continue; }
		mklink "$x" "${x}p" && vnetctl attach "$x" && vnetctl link set "$x" vnet d &&
			vnetctl addr add d "$x" 10.6.0.1/24 && vnetctl route add d 10.66.0.0/16 via 10.6.0.2 ||
			{ fail "setup $p"; continue; }
		ids=$(vnet_map_ids 6)
		t=$(echo "0.03 * $p" | bc -l)
		vnetctl destroy 6 >/dev/null 2>&1 &
		pid=$!
		sleep "$t"
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		if vnetctl list | grep -qw d; then
			vnetctl destroy 6 || { fail "destroy after a kill at $t s"; continue; }
		fi
		left=$(maps_freed $ids) || { fail "maps left after a kill at $t s: $left"; continue; }
		ip netns list | grep -q "^$hs\b" && { fail "namespace left (kill at $t s)"; continue; }
		ip -o link | grep -qE "vh[0-9a-f]{4}6" && { fail "host stack veth left (kill at $t s)"; continue; }
		vnetctl detach "$x" >/dev/null 2>&1
		vnetctl link show | grep -q "$x" && { fail "interface still attached"; continue; }
		ip link del "$x" 2>/dev/null
		ok=$((ok + 1))
	done
	printf 'kill: destroy of a vnet with a host stack killed at %d points: %d left nothing\n' \
		"$POINTS" "$ok"
	return 0
}

run_tests
