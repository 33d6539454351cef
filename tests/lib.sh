# SPDX-License-Identifier: BSD-2-Clause
# lib.sh - helpers for end-to-end tests: hosts in network namespaces joined
# by veth to router-side interfaces in this namespace, where the XDP
# dataplane runs. Every name carries RUNID so runs can go side by side;
# everything made is recorded and removed by cleanup (also from traps).

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VNETCTL=${VNETCTL:-$TOP/build/vnetctl}
RUNID=${RUNID:-$(( $$ % 100000 ))}
CLEAN_NS=()
CLEAN_IF=()
CLEAN_PIDS=()

vnetctl() { "$VNETCTL" "$@"; }

# Fresh pin directory for one test.
use_pin() {
	export VNET_PIN_DIR=/sys/fs/bpf/vt$RUNID-$1
}

ns_of() { echo "vt$RUNID-$1"; }

# mkhost NAME RIF ADDR/LEN GW: host NAME behind router-side interface RIF.
mkhost() {
	local name=$1 rif=$2 addr=$3 gw=$4 ns
	ns=$(ns_of "$name")
	ip netns add "$ns" || return 1
	CLEAN_NS+=("$ns")
	ip link add "$rif" type veth peer name eth0 netns "$ns" || return 1
	CLEAN_IF+=("$rif")
	sysctl -qw "net.ipv6.conf.$rif.disable_ipv6=1"
	ip link set "$rif" up
	ip -n "$ns" link set lo up
	ip -n "$ns" link set eth0 up
	ip -n "$ns" addr add "$addr" dev eth0
	[ -n "$gw" ] && ip -n "$ns" route add default via "$gw"
	# XDP_TX and redirects into a veth are dropped unless its peer runs XDP.
	ip -n "$ns" link set eth0 xdp obj "$TOP/build/xdp_pass.bpf.o" sec xdp || return 1
	# A veth hands TCP/UDP over with the checksum left to offload; XDP
	# forwards frames as they are, so hosts must send real checksums
	# (as any frame on a wire has).
	ip netns exec "$ns" ethtool -K eth0 tx off >/dev/null 2>&1
	return 0
}

# A veth pair with both ends here (to chain two vnets).
mklink() {
	ip link add "$1" type veth peer name "$2" || return 1
	CLEAN_IF+=("$1")
	sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1" "net.ipv6.conf.$2.disable_ipv6=1"
	ip link set "$1" up
	ip link set "$2" up
}

R() { echo "vt${RUNID}$1"; }	# router-side interface name (<= 15 chars)

# Two tenants, same subnets: 10.0.1.0/24 and 10.0.2.0/24 in each.
two_tenants() {
	local t
	vnetctl create name red >/dev/null && vnetctl create name blue >/dev/null || return 1
	for t in red blue; do
		mkhost ${t}1 "$(R ${t:0:1}1)" 10.0.1.2/24 10.0.1.1 || return 1
		mkhost ${t}2 "$(R ${t:0:1}2)" 10.0.2.2/24 10.0.2.1 || return 1
		vnetctl attach "$(R ${t:0:1}1)" && vnetctl attach "$(R ${t:0:1}2)" || return 1
		vnetctl link set "$(R ${t:0:1}1)" vnet $t && vnetctl link set "$(R ${t:0:1}2)" vnet $t || return 1
		vnetctl addr add $t "$(R ${t:0:1}1)" 10.0.1.1/24 || return 1
		vnetctl addr add $t "$(R ${t:0:1}2)" 10.0.2.1/24 || return 1
	done
}

# pbr_topology R: vnet pbr (2 FIBs) joining host src (10.0.1.2) and hosts
# via0 (10.0.2.2) and via1 (10.0.3.2), which both hold 10.9.9.9 and answer
# with TTLs 50 and 40 so that replies say which way a packet went. FIB 0
# reaches 10.9.9.0/24 via via0, FIB 1 via via1. R names the router sides.
pbr_topology() {
	local R=$1 i
	vnetctl create name pbr fibs 2 >/dev/null || return 1
	mkhost src "$("$R" s)" 10.0.1.2/24 10.0.1.1 && mkhost via0 "$("$R" y)" 10.0.2.2/24 10.0.2.1 &&
		mkhost via1 "$("$R" z)" 10.0.3.2/24 10.0.3.1 || return 1
	for i in s y z; do
		vnetctl attach "$("$R" $i)" && vnetctl link set "$("$R" $i)" vnet pbr || return 1
	done
	vnetctl addr add pbr "$("$R" s)" 10.0.1.1/24 && vnetctl addr add pbr "$("$R" y)" 10.0.2.1/24 &&
		vnetctl addr add pbr "$("$R" z)" 10.0.3.1/24 || return 1
	on via0 ip addr add 10.9.9.9/32 dev lo && on via0 sysctl -qw net.ipv4.ip_default_ttl=50
	on via1 ip addr add 10.9.9.9/32 dev lo && on via1 sysctl -qw net.ipv4.ip_default_ttl=40
	vnetctl route add pbr 10.9.9.0/24 via 10.0.2.2 && vnetctl route add pbr fib 1 10.9.9.0/24 via 10.0.3.2
}

# reach HOST DST: ping until a reply; the first packet to a cold next hop is
# dropped while the datapath resolves it (as the design says), so one
# probe is not enough.
reach() { on "$1" ping -c 3 -i 0.2 -W 1 "$2" >/dev/null 2>&1; }

on() { local ns; ns=$(ns_of "$1"); shift; ip netns exec "$ns" "$@"; }

bg() { "$@" & CLEAN_PIDS+=($!); }

# stat_of VNET NAME: an IPv4 counter of the vnet (a fate, an event, or a
# drop reason).
stat_of() { vnetctl -j stats "$1" | jq ".$2 // .drops.$2"; }

# IDs of the maps pinned for vnet ID (a number) in this test's pin directory:
# what a test made, whatever else the machine holds.
vnet_map_ids() {
	local f
	for f in "$VNET_PIN_DIR/v$1"/*; do
		[ -e "$f" ] && bpftool -j map show pinned "$f" | jq .id
	done
}

# maps_freed ID...: true once none of these maps exists (freeing waits for
# RCU); else prints those still alive.
maps_freed() {
	local i id left
	for i in $(seq 1 25); do
		left=""
		for id in "$@"; do bpftool map show id "$id" >/dev/null 2>&1 && left="$left $id"; done
		[ -z "$left" ] && return 0
		sleep 0.2
	done
	echo "$left"
	return 1
}

cleanup() {
	local p i
	for p in "${CLEAN_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	if [ -n "${VNET_PIN_DIR:-}" ] && [ -d "$VNET_PIN_DIR" ]; then
		# vnets take their host stacks and epairs with them
		for i in $(vnetctl -j list 2>/dev/null | grep -o '"id":[0-9]*' | cut -d: -f2); do
			[ "$i" != 0 ] && vnetctl destroy "$i" >/dev/null 2>&1
		done
		for i in "${CLEAN_IF[@]}"; do vnetctl detach "$i" >/dev/null 2>&1; done
	fi
	for i in "${CLEAN_IF[@]}"; do ip link del "$i" 2>/dev/null; done
	# what a test started in a host (iperf3 -D, say) ends with the host
	for i in "${CLEAN_NS[@]}"; do
		ip netns pids "$i" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$i" 2>/dev/null
	done
	[ -n "${VNET_PIN_DIR:-}" ] && rm -rf "$VNET_PIN_DIR"
	CLEAN_NS=(); CLEAN_IF=(); CLEAN_PIDS=()
}

# ---- the test protocol: PASS/FAIL/SKIP lines read by tests/run.sh ----

T_FAIL=""
fail() { [ -z "$T_FAIL" ] && T_FAIL="$*"; return 1; }
check() { local what=$1; shift; "$@" >/dev/null 2>&1 || fail "$what"; }

# assert_eq GOT WANT WHAT: record a failure that shows both values.
assert_eq() {
	[ "$1" == "$2" ] || fail "$3: got '$1', want '$2'"
}

# run_tests [FN...]: each function runs with a fresh pin dir and cleanup.
# Without arguments, every test_* function of the calling file, in file
# order (tests are found by name: no list to keep). $T, when set, is a
# glob on the names (without test_): only those run.
run_tests() {
	local fn n=0 fns=("$@")
	[ ${#fns[@]} -gt 0 ] ||
		mapfile -t fns < <(sed -n 's/^\(test_[A-Za-z0-9_]*\)() *{.*/\1/p' "$0")
	trap 'cleanup; exit 130' INT TERM
	trap cleanup EXIT
	for fn in "${fns[@]}"; do
		n=$((n + 1))
		# shellcheck disable=SC2053 # $T is a glob
		if [ -n "${T:-}" ] && [[ ${fn#test_} != $T ]]; then continue; fi
		T_FAIL=""
		use_pin "$n"
		"$fn"
		local rc=$?
		cleanup
		if [ -n "$T_FAIL" ] || [ $rc -ne 0 ]; then
			echo "FAIL ${fn#test_}: ${T_FAIL:-returned $rc}"
		else
			echo "PASS ${fn#test_}"
		fi
	done
}
