#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# churn.sh [--short] - vnets created and destroyed over and over (some
# with interfaces, addresses, routes, filter rules, a host stack) while a
# steady tenant forwards a ping stream. Afterwards the machine's BPF map
# count and kernel memory (Slab + Percpu + VmallocUsed) are back where they
# started, and the steady tenant lost nothing. Full: 10,000 cycles; short
# (make test): 300.
set -u
. "$(dirname "$0")/../lib.sh"

CYCLES=10000
[ "${1:-}" == --short ] && CYCLES=300

meminfo() { awk '/^(Slab|Percpu|VmallocUsed):/ {s += $2} END {print s}' /proc/meminfo; }
map_count() { bpftool map show 2>/dev/null | grep -c '^[0-9]*:'; }

# The count once maps freed by the last cycles (RCU) are gone.
settled_maps() {
	local a b i
	a=$(map_count)
	for i in $(seq 1 30); do
		sleep 0.2; b=$(map_count)
		[ "$a" -eq "$b" ] && break
		a=$b
	done
	echo "$a"
}

# One cycle of kind k: 0 bare; 1 with an interface, addresses, routes and
# rules; 2 with a host stack too.
cycle() {
	local i=$1 k=$2 x
	vnetctl create 100 name churn >/dev/null || return 1
	if [ "$k" -ge 1 ]; then
		x=$(R c)
		vnetctl attach "$x" && vnetctl link set "$x" vnet churn &&
			vnetctl addr add churn "$x" 10.9.$((i % 250)).1/24 &&
			vnetctl addr add churn "$x" 2001:db8:9::1/64 &&
			vnetctl route add churn 10.99.0.0/16 via 10.9.$((i % 250)).2 &&
			vnetctl filter add churn allow tcp from any to any keep-state >/dev/null || return 1
	fi
	if [ "$k" -ge 2 ]; then
		vnetctl netns churn on || return 1
	fi
	vnetctl destroy churn || return 1
	[ "$k" -ge 1 ] && { vnetctl detach "$(R c)" || return 1; }
	return 0
}

test_churn() {
	local maps0 mem0 maps1 mem1 log fails=0 i k start secs loss
	vnetctl create name steady >/dev/null || return 1
	mkhost s1 "$(R s1)" 10.0.1.2/24 10.0.1.1 && mkhost s2 "$(R s2)" 10.0.2.2/24 10.0.2.1 || return 1
	for i in s1 s2; do vnetctl attach "$(R $i)" && vnetctl link set "$(R $i)" vnet steady || return 1; done
	vnetctl addr add steady "$(R s1)" 10.0.1.1/24 && vnetctl addr add steady "$(R s2)" 10.0.2.1/24 || return 1
	mklink "$(R c)" "$(R c)p" || return 1
	reach s1 10.0.2.2 || return "$(fail "steady tenant does not forward")"
	# the state's own maps exist now; what churn makes must go again
	vnetctl create 100 >/dev/null && vnetctl destroy 100 || return 1
	maps0=$(settled_maps); mem0=$(meminfo)
	log=$(mktemp)
	ip netns exec "$(ns_of s1)" ping -q -i 0.01 -W 1 10.0.2.2 > "$log" 2>&1 &
	local pid=$!
	start=$(date +%s.%N)
	for i in $(seq 1 "$CYCLES"); do
		k=0
		[ $((i % 10)) == 0 ] && k=1
		[ $((i % 100)) == 0 ] && k=2
		cycle "$i" "$k" || { fails=$((fails + 1)); vnetctl destroy churn >/dev/null 2>&1;
				     vnetctl detach "$(R c)" >/dev/null 2>&1; }
	done
	secs=$(echo "$(date +%s.%N) - $start" | bc)
	kill -INT "$pid"; wait "$pid"
	maps1=$(settled_maps); mem1=$(meminfo)
	loss=$(grep -o '[0-9.]*% packet loss' "$log" | cut -d% -f1)
	printf 'churn: %d cycles in %.1f s (%d with interfaces, %d with host stacks), %d failed\n' \
		"$CYCLES" "$secs" $((CYCLES / 10)) $((CYCLES / 100)) "$fails"
	printf 'churn: BPF maps %d -> %d, kernel memory %d -> %d KiB (%+d), steady tenant: %s (%s%% loss)\n' \
		"$maps0" "$maps1" "$mem0" "$mem1" $((mem1 - mem0)) \
		"$(grep -o '[0-9]* packets transmitted, [0-9]* received' "$log")" "$loss"
	rm -f "$log"
	[ "$fails" == 0 ] || fail "$fails cycles failed"
	[ "$maps1" -le "$maps0" ] || fail "maps $maps0 -> $maps1"
	# freed memory returns to slab caches lazily: allow 2% or 4 MiB of slack
	[ $((mem1 - mem0)) -le $(( (mem0 / 50) > 4096 ? mem0 / 50 : 4096 )) ] ||
		fail "kernel memory grew by $((mem1 - mem0)) KiB"
	[ "$(echo "${loss:-100} <= 0.5" | bc)" == 1 ] || fail "steady tenant lost $loss%"
}

run_tests
