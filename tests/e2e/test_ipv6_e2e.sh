#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test_ipv6_e2e.sh - IPv6 through the XDP dataplane with real clients:
# ping -6, iperf3 -6, traceroute -6, tenants with the same IPv6 prefixes,
# NDP done by the datapath, the filter on IPv6.
set -u
. "$(dirname "$0")/../lib.sh"


# v6host HOST ADDR/LEN GW: an IPv6 address (no DAD wait) and default route,
# once the host's link-local is past its duplicate-address detection (a
# host cannot solicit its neighbors before).
v6host() {
	local i
	on "$1" ip -6 addr add "$2" dev eth0 nodad &&
		on "$1" ip -6 route add default via "$3" || return 1
	for i in $(seq 1 40); do
		[ -z "$(on "$1" ip -6 addr show dev eth0 tentative)" ] && return 0
		sleep 0.1
	done
	return 0
}

# tenant NAME: NAME1 (2001:db8:1::2) and NAME2 (2001:db8:2::2) routed by vnet NAME.
tenant6() {
	local t=$1 a b
	a=$(R "${t:0:1}1") b=$(R "${t:0:1}2")
	vnetctl create name "$t" >/dev/null || return 1
	mkhost "${t}1" "$a" 10.0.1.2/24 10.0.1.1 && mkhost "${t}2" "$b" 10.0.2.2/24 10.0.2.1 || return 1
	v6host "${t}1" 2001:db8:1::2/64 2001:db8:1::1 && v6host "${t}2" 2001:db8:2::2/64 2001:db8:2::1 ||
		return 1
	vnetctl attach "$a" && vnetctl attach "$b" || return 1
	vnetctl link set "$a" vnet "$t" && vnetctl link set "$b" vnet "$t" || return 1
	vnetctl addr add "$t" "$a" 2001:db8:1::1/64 && vnetctl addr add "$t" "$b" 2001:db8:2::1/64
}

reach6() { on "$1" ping -6 -c 3 -i 0.2 -W 1 "$2" >/dev/null 2>&1; }
stat6() { vnetctl -j stats "$1" | jq ".inet6.$2"; }

test_overlapping_prefixes_ping_iperf_traceroute() {
	tenant6 red && tenant6 blue || return 1
	local cap out bytes hops
	cap=$(mktemp)
	bg on blue2 timeout 20 tcpdump -Q in -i eth0 -nn -U -w "$cap" 'ip6 and host 2001:db8:1::2' 2>/dev/null
	sleep 1.5
	reach6 red1 2001:db8:2::2 || fail "red: ping -6 across the vnet"
	on red2 iperf3 -s -1 -D -p 5201 >/dev/null 2>&1
	sleep 0.5
	out=$(on red1 timeout 15 iperf3 -6 -c 2001:db8:2::2 -p 5201 -t 2 -J 2>/dev/null)
	bytes=$(echo "$out" | jq '.end.sum_received.bytes // 0' 2>/dev/null)
	[ "${bytes:-0}" -gt 1000000 ] || fail "iperf3 -6 moved ${bytes:-0} bytes"
	hops=$(on red1 traceroute -6 -n -w 1 -q 1 2001:db8:2::2 2>/dev/null | awk 'NR > 1 {print $2}' |
	       tr '\n' ' ')
	[ "$hops" == "2001:db8:1::1 2001:db8:2::2 " ] || fail "traceroute -6 hops: $hops"
	sleep 1
	for p in "${CLEAN_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	CLEAN_PIDS=()
	[ "$(tcpdump -r "$cap" -nn 2>/dev/null | wc -l)" -eq 0 ] || fail "blue2 saw red's IPv6 traffic"
	reach6 blue1 2001:db8:2::2 || fail "blue: ping -6 (same prefixes) failed"
	[ "$(stat6 red forwarded)" -gt 100 ] || fail "red's IPv6 forwarded counter"
	[ "$(vnetctl -j stats red | jq .forwarded)" -lt 10 ] || fail "IPv6 counted as IPv4"
	vnetctl -6 neigh show red | grep -q "2001:db8:2::2 .*reachable" ||
		fail "neighbor not learned by the datapath's NDP"
	rm -f "$cap"
}

test_route_via_ipv6_gateway() {
	tenant6 red || return 1
	on red2 ip -6 addr add 2001:db8:99::9/128 dev lo
	vnetctl route add red 2001:db8:99::/48 via 2001:db8:2::2 || return 1
	vnetctl -j route get red 2001:db8:99::9 | jq -e '.gateway == "2001:db8:2::2"' >/dev/null ||
		fail "route get"
	reach6 red1 2001:db8:99::9 || fail "no reply through the IPv6 gateway"
	vnetctl route del red 2001:db8:99::/48 || return 1
	on red1 ping -6 -c 1 -W 2 2001:db8:99::9 2>&1 | grep -qi "unreachable" ||
		fail "no ICMPv6 unreachable after the route went"
}

test_filter_applies_to_ipv6() {
	tenant6 red || return 1
	on red2 iperf3 -s -D -p 5201 >/dev/null 2>&1
	sleep 0.3
	vnetctl filter add red 100 allow icmp from any to any >/dev/null || return 1
	reach6 red1 2001:db8:2::2 && fail "allowing ICMPv4 allowed ICMPv6"
	vnetctl filter add red 200 allow ipv6-icmp from any to any >/dev/null || return 1
	reach6 red1 2001:db8:2::2 || fail "ipv6-icmp rule did not pass ping -6"
	on red1 timeout 3 bash -c 'exec 3<>/dev/tcp/2001:db8:2::2/5201' 2>/dev/null &&
		fail "TCP over IPv6 passed a set allowing only ICMP"
	vnetctl filter add red 300 allow tcp from 2001:db8:1::/64 to any keep-state >/dev/null || return 1
	on red1 timeout 3 bash -c 'exec 3<>/dev/tcp/2001:db8:2::2/5201' 2>/dev/null ||
		fail "TCP over IPv6 blocked by a matching IPv6 prefix rule"
}

# The vnet's host stack over IPv6: jexec-style ping out, a service in it
# reached from a host, router discovery handed to it (not answered in XDP).
test_hoststack_over_ipv6() {
	vnetctl create name red netns >/dev/null || return 1
	mkhost red1 "$(R r1)" 10.0.1.2/24 10.0.1.1 && v6host red1 2001:db8:1::2/64 2001:db8:1::1 ||
		return 1
	vnetctl attach "$(R r1)" && vnetctl link set "$(R r1)" vnet red &&
		vnetctl addr add red "$(R r1)" 2001:db8:1::1/64 || return 1
	vnetctl exec red ip -6 addr show dev vnet0 | grep -q "2001:db8:1::1/128" ||
		fail "the host stack lacks the vnet's IPv6 address"
	vnetctl exec red ping -6 -c 3 -i 0.2 -W 1 2001:db8:1::2 >/dev/null 2>&1 ||
		fail "vnetctl exec ping -6 from the host stack"
	vnetctl exec red iperf3 -s -1 -D -p 5202 >/dev/null 2>&1
	sleep 0.5
	local out bytes
	out=$(on red1 timeout 15 iperf3 -6 -c 2001:db8:1::1 -p 5202 -t 1 -J 2>/dev/null)
	bytes=$(echo "$out" | jq '.end.sum_received.bytes // 0' 2>/dev/null)
	[ "${bytes:-0}" -gt 1000000 ] || fail "iperf3 -6 to the host stack moved ${bytes:-0} bytes"
	vnetctl addr del red "$(R r1)" 2001:db8:1::1/64 || return 1
	vnetctl exec red ip -6 addr show dev vnet0 | grep -q "2001:db8:1::1" &&
		fail "address removed from the vnet stayed in its host stack"
	return 0
}

run_tests
