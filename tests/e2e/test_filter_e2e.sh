#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test_filter_e2e.sh - the per-vnet filter with real clients: ping, TCP
# connects, iperf3, through the XDP dataplane on router-side veths.
set -u
. "$(dirname "$0")/../lib.sh"


# tenant NAME: hosts NAME1 (10.0.1.2) and NAME2 (10.0.2.2) routed by vnet NAME.
tenant() {
	local t=$1 a b
	a=$(R "${t:0:1}1") b=$(R "${t:0:1}2")
	vnetctl create name "$t" >/dev/null || return 1
	mkhost "${t}1" "$a" 10.0.1.2/24 10.0.1.1 && mkhost "${t}2" "$b" 10.0.2.2/24 10.0.2.1 || return 1
	vnetctl attach "$a" && vnetctl attach "$b" || return 1
	vnetctl link set "$a" vnet "$t" && vnetctl link set "$b" vnet "$t" || return 1
	vnetctl addr add "$t" "$a" 10.0.1.1/24 && vnetctl addr add "$t" "$b" 10.0.2.1/24
}

# tcp_open HOST ADDR PORT: a TCP connect that succeeds within 3 seconds.
tcp_open() {
	on "$1" timeout 3 bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null
}

# A TCP service on HOST:5201 for the whole test.
serve() { on "$1" iperf3 -s -D -p 5201 >/dev/null 2>&1; sleep 0.3; }

ping1() { on "$1" ping -c 2 -i 0.2 -W 1 "$2" >/dev/null 2>&1; }

test_icmp_blocked_then_passed_not_tcp() {
	tenant red || return 1
	serve red2
	reach red1 10.0.2.2 && tcp_open red1 10.0.2.2 5201 || fail "no traffic before any rule"
	# the first rule turns the filter on: rule 65535 denies
	vnetctl filter add red 100 count ip from any to any >/dev/null || return 1
	ping1 red1 10.0.2.2 && fail "ping forwarded with only the default deny"
	ping1 red1 10.0.1.1 && fail "ping to the vnet answered with only the default deny"
	vnetctl filter add red 200 allow icmp from any to any >/dev/null || return 1
	reach red1 10.0.2.2 || fail "ping blocked after allow icmp"
	ping1 red1 10.0.1.1 || fail "ping to the vnet's address blocked after allow icmp"
	tcp_open red1 10.0.2.2 5201 && fail "allowing ICMP let TCP through"
	vnetctl filter add red 300 allow tcp from any to any >/dev/null || return 1
	tcp_open red1 10.0.2.2 5201 || fail "TCP blocked after allow tcp (control)"
	[ "$(vnetctl -j filter show red | jq '.rules[] | select(.rule == 200) | .packets')" -gt 0 ] ||
		fail "rule 200 counted nothing"
}

test_keep_state_replies_back_unsolicited_dropped() {
	tenant red || return 1
	serve red1
	serve red2
	vnetctl filter add red 100 allow ip from 10.0.1.0/24 to any keep-state >/dev/null || return 1
	reach red1 10.0.2.2 || fail "ping from the inside: replies not let back"
	tcp_open red1 10.0.2.2 5201 || fail "TCP from the inside failed"
	local out bytes
	out=$(on red1 timeout 15 iperf3 -c 10.0.2.2 -p 5201 -t 2 -J 2>/dev/null)
	bytes=$(echo "$out" | jq '.end.sum_received.bytes // 0' 2>/dev/null)
	[ "${bytes:-0}" -gt 1000000 ] || fail "iperf3 through states moved ${bytes:-0} bytes"
	ping1 red2 10.0.1.2 && fail "unsolicited ping from outside passed"
	tcp_open red2 10.0.1.2 5201 && fail "unsolicited TCP from outside passed"
	# a connection held open shows as an established state of rule 100
	bg on red1 timeout 20 bash -c 'exec 3<>/dev/tcp/10.0.2.2/5201; sleep 15'
	sleep 1
	vnetctl -j state show red |
		jq -e 'map(select(.rule == 100 and .proto == "tcp" and .tcp == "established")) | length > 0' \
		>/dev/null || fail "no established TCP state listed"
	vnetctl filter del red 100 || return 1
	[ "$(vnetctl -j state show red | jq length)" -eq 0 ] || fail "rule 100's states outlived it"
}

# FreeBSD's policy-routing case: requests leave through FIB 1, and the
# replies come back because the state carries FIB 1 (FIB 0 cannot reach
# the client at all).
test_setfib_requests_fib1_replies_return() {
	pbr_topology R || return 1
	# FIB 0 blackholes the client; its neighbor entry is static, as ARP
	# from a blackholed sender is (rightly) not learned.
	vnetctl route add pbr 10.0.1.2/32 blackhole || return 1
	vnetctl neigh add pbr 10.0.1.2 lladdr "$(on src cat /sys/class/net/eth0/address)" dev "$(R s)" || return 1
	vnetctl filter add pbr 100 setfib 1 ip from 10.0.1.0/24 to any in recv "$(R s)" >/dev/null &&
		vnetctl filter add pbr 200 allow ip from any to any keep-state >/dev/null || return 1
	reach src 10.9.9.9 || fail "no reply through FIB 1"
	on src ping -c 1 -W 2 10.9.9.9 | grep -q 'ttl=39' || fail "request did not use FIB 1 (via1)"
	vnetctl -j state show pbr | jq -e '.[0].fib == 1' >/dev/null || fail "state lacks FIB 1"
	# the control: without states, replies take via1's interface FIB 0: blackhole
	vnetctl filter del pbr 200 && vnetctl filter add pbr 200 allow ip from any to any >/dev/null || return 1
	ping1 src 10.9.9.9 && fail "replies came back without the state's FIB"
	return 0
}

test_reject_rst_and_prohibited_seen_by_clients() {
	tenant red || return 1
	serve red2
	vnetctl filter add red 100 reject tcp from any to any dst-port 5201 >/dev/null &&
		vnetctl filter add red 200 reject icmp from any to any icmptypes 8 >/dev/null &&
		vnetctl sysctl red net.inet.ip.fw.default_to_accept=1 >/dev/null || return 1
	local err
	err=$(on red1 timeout 3 bash -c 'exec 3<>/dev/tcp/10.0.2.2/5201' 2>&1)
	[[ $err == *"Connection refused"* ]] || fail "client did not see a RST: ${err:-timeout}"
	on red1 ping -c 1 -W 2 10.0.2.2 | grep -qi 'packet filtered' ||
		fail "ping did not report 'Packet filtered'"
	[ "$(vnetctl -j stats red | jq .filter.rejected)" -ge 2 ] || fail "rejected not counted"
}

test_rules_of_one_tenant_never_touch_another() {
	tenant red && tenant blue || return 1
	vnetctl filter add red 100 deny ip from any to any >/dev/null || return 1
	ping1 red1 10.0.2.2 && fail "red not filtered"
	reach blue1 10.0.2.2 || fail "blue (same addresses) blocked by red's rules"
	vnetctl -j filter show blue | jq -e '.enable == false' >/dev/null || fail "blue's filter on"
}

run_tests
