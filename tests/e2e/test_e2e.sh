#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test_e2e.sh - real traffic from hosts in network namespaces through the
# XDP dataplane on router-side veths in this namespace.
set -u
. "$(dirname "$0")/../lib.sh"



test_overlapping_tenants_ping_iperf_isolated() {
	two_tenants || return 1
	local cap1 cap2 ctl
	cap1=$(mktemp); cap2=$(mktemp); ctl=$(mktemp)
	bg on blue1 timeout 20 tcpdump -i eth0 -nn -U -w "$cap1" 'ip or arp'
	bg on blue2 timeout 20 tcpdump -i eth0 -nn -U -w "$cap2" 'ip or arp'
	bg on red2 timeout 20 tcpdump -i eth0 -nn -U -w "$ctl" 'icmp'
	sleep 1.5
	check "red ping 10.0.1.2 -> 10.0.2.2" on red1 ping -c 3 -i 0.2 -W 2 10.0.2.2
	on red2 iperf3 -s -1 -D -p 5201 >/dev/null 2>&1
	sleep 0.5
	local out
	out=$(on red1 timeout 15 iperf3 -c 10.0.2.2 -p 5201 -t 2 -J 2>/dev/null)
	local bytes
	bytes=$(echo "$out" | grep -o '"bytes":[[:space:]]*[0-9]*' | tail -1 | grep -o '[0-9]*$')
	[ "${bytes:-0}" -gt 1000000 ] || fail "red iperf3 moved ${bytes:-0} bytes"
	sleep 1
	for p in "${CLEAN_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	CLEAN_PIDS=()
	local n1 n2 nc
	n1=$(tcpdump -r "$cap1" -nn 2>/dev/null | wc -l)
	n2=$(tcpdump -r "$cap2" -nn 2>/dev/null | wc -l)
	nc=$(tcpdump -r "$ctl" -nn 2>/dev/null | wc -l)
	[ "$nc" -ge 4 ] || fail "control capture in red2 saw $nc ICMP packets, want >= 4"
	[ "$n1" -eq 0 ] && [ "$n2" -eq 0 ] || fail "blue hosts saw red traffic ($n1, $n2 packets)"
	check "blue ping 10.0.1.2 -> 10.0.2.2" on blue1 ping -c 2 -i 0.2 -W 2 10.0.2.2
	[ "$(stat_of red forwarded)" -gt 100 ] || fail "red forwarded counter too low"
	rm -f "$cap1" "$cap2" "$ctl"
}

test_arp_resolved_by_datapath() {
	two_tenants || return 1
	check "ping without static neighbors" on red1 ping -c 2 -i 0.2 -W 2 10.0.2.2
	local n
	n=$(vnetctl neigh show red | grep -c reachable)
	[ "$n" -ge 2 ] || fail "want 2 learned neighbors, have $n"
	vnetctl neigh show red | grep -q permanent && fail "a static neighbor exists"
	[ "$(stat_of red arp_requests)" -ge 1 ] || fail "datapath sent no ARP request"
	[ "$(stat_of red arp_replies)" -ge 1 ] || fail "datapath answered no ARP request"
}

test_moved_interface_takes_traffic() {
	two_tenants || return 1
	check "red ping before move" reach red1 10.0.2.2
	# blue2's link moves to red, replacing red2's: blue2 now answers red1.
	vnetctl addr del red "$(R r2)" 10.0.2.1/24 || return 1
	vnetctl link set "$(R b2)" vnet red || return 1
	vnetctl addr show blue | grep -q "$(R b2)" && fail "address left behind in blue"
	vnetctl route show blue | grep -q "$(R b2)" && fail "route left behind in blue"
	vnetctl addr add red "$(R b2)" 10.0.2.1/24 || return 1
	on blue2 ip neigh flush all
	local before
	before=$(stat_of blue forwarded)
	check "red1 reaches the moved host" on red1 ping -c 2 -i 0.2 -W 2 10.0.2.2
	on blue2 ip -s link show eth0 | grep -q . || true
	[ "$(stat_of blue forwarded)" -eq "$before" ] || fail "blue still forwards"
	vnetctl neigh show red | grep -q "$(R b2)" || fail "red did not learn the moved host"
	reach blue1 10.0.2.2 && fail "blue still reaches its old host"
	return 0
}

test_fib_per_interface() {
	pbr_topology R || return 1
	reach src 10.9.9.9 || fail "fib 0: no reply"
	on src ping -c 1 -W 2 10.9.9.9 | grep -q 'ttl=49' || fail "fib 0 did not use via0"
	vnetctl link set "$(R s)" fib 1 || return 1
	reach src 10.9.9.9 || fail "fib 1: no reply"
	on src ping -c 1 -W 2 10.9.9.9 | grep -q 'ttl=39' || fail "fib 1 did not use via1"
	vnetctl link show pbr | grep "$(R s)" | awk '{print $4}' | grep -qx 1 || fail "link show fib"
}

test_traceroute_two_chained_vnets() {
	vnetctl create name left >/dev/null && vnetctl create name right >/dev/null || return 1
	mkhost h1 "$(R l)" 10.0.1.2/24 10.0.1.1 || return 1
	mkhost h2 "$(R r)" 10.0.2.2/24 10.0.2.1 || return 1
	mklink "$(R ca)" "$(R cb)" || return 1
	local i
	for i in l r ca cb; do vnetctl attach "$(R $i)" || return 1; done
	vnetctl link set "$(R l)" vnet left && vnetctl link set "$(R ca)" vnet left &&
	vnetctl link set "$(R r)" vnet right && vnetctl link set "$(R cb)" vnet right || return 1
	vnetctl addr add left "$(R l)" 10.0.1.1/24 && vnetctl addr add left "$(R ca)" 192.0.2.1/30 &&
	vnetctl addr add right "$(R r)" 10.0.2.1/24 && vnetctl addr add right "$(R cb)" 192.0.2.2/30 ||
		return 1
	vnetctl route add left 10.0.2.0/24 via 192.0.2.2 && vnetctl route add right 10.0.1.0/24 via 192.0.2.1 ||
		return 1
	reach h1 10.0.2.2 || fail "no path h1 -> h2"	# also warms ARP along the path
	local out
	out=$(on h1 traceroute -n -q 1 -w 2 -m 5 10.0.2.2 2>&1)
	echo "$out" | grep -qE '^ 1 +10\.0\.1\.1 ' || fail "hop 1 is not left's 10.0.1.1: $out"
	echo "$out" | grep -qE '^ 2 +192\.0\.2\.2 ' || fail "hop 2 is not right's 192.0.2.2: $out"
	echo "$out" | grep -qE '^ 3 +10\.0\.2\.2 ' || fail "hop 3 is not the host: $out"
	[ "$(stat_of left ttl_exceeded)" -ge 1 ] && [ "$(stat_of right ttl_exceeded)" -ge 1 ] ||
		fail "ttl_exceeded not counted in both vnets"
}

test_destroy_returns_interfaces_and_frees_maps() {
	vnetctl create name tmp >/dev/null || return 1	# state exists: count from here
	vnetctl destroy tmp || return 1
	mkhost d1 "$(R d)" 10.0.1.2/24 10.0.1.1 || return 1
	vnetctl attach "$(R d)" || return 1
	local id ids left
	id=$(vnetctl create name doomed fibs 3 routes 1000) || return 1
	vnetctl link set "$(R d)" vnet doomed fib 2 && vnetctl addr add doomed "$(R d)" 10.0.1.1/24 &&
		vnetctl route add doomed fib 1 10.5.0.0/16 via 10.0.1.2 || return 1
	check "traffic in doomed" reach d1 10.0.1.1
	ids=$(vnet_map_ids "$id")
	[ "$(wc -w <<<"$ids")" -ge 4 ] || fail "doomed has maps: $ids"
	vnetctl destroy doomed || return 1
	left=$(maps_freed $ids) || fail "maps of doomed left after destroy: $left"
	vnetctl link show | grep "$(R d)" | awk '{print $3}' | grep -qx 0 || fail "interface not back in vnet 0"
	vnetctl addr show | grep -q "$(R d)" && fail "address survived destroy"
	[ -e "$VNET_PIN_DIR/v1" ] || [ -e "$VNET_PIN_DIR/v2" ] && fail "pin directory left behind"
	vnetctl create name doomed >/dev/null || fail "name not freed"
	reach d1 10.0.1.1 && fail "vnet 0 interface still answered"
	return 0
}

test_bpftool_dump_named_fields() {
	two_tenants || return 1
	reach red1 10.0.2.2
	local id fib nbr
	id=$(vnetctl -j list | grep -o '"id":[0-9]*,"name":"red"' | grep -o '[0-9]*' | head -1)
	fib=$(bpftool map dump pinned "$VNET_PIN_DIR/v$id/fib0_in4")
	nbr=$(bpftool map dump pinned "$VNET_PIN_DIR/v$id/nbr4")
	for f in '"prefixlen"' '"addr"' '"type"' '"ifindex"' '"gw"'; do
		echo "$fib" | grep -q "$f" || fail "FIB dump lacks $f"
	done
	for f in '"mac"' '"state"' '"confirmed_ns"'; do
		echo "$nbr" | grep -q "$f" || fail "ARP dump lacks $f"
	done
	bpftool map show pinned "$VNET_PIN_DIR/v$id/fib0_in4" | grep -q "name v${id}_fib0_in4" ||
		fail "FIB map name"
	bpftool map dump pinned "$VNET_PIN_DIR/vnet_stats" | grep -q '"forwarded"' || fail "stats dump"
}

test_xdp_loader_status_lists_program() {
	two_tenants || return 1
	local i
	for i in r1 r2 b1 b2; do
		xdp-loader status "$(R $i)" 2>/dev/null | grep -q vnet_xdp || fail "xdp-loader status $(R $i)"
	done
	vnetctl detach "$(R r1)" || return 1
	xdp-loader status "$(R r1)" 2>/dev/null | grep -q vnet_xdp && fail "still attached after detach"
	return 0
}

test_xdp_loader_load_then_register() {
	two_tenants || return 1	# creates the pinned state
	mkhost x1 "$(R x)" 10.0.3.2/24 10.0.3.1 || return 1
	xdp-loader load -m native -n vnet_xdp -p "$VNET_PIN_DIR" "$(R x)" "$TOP/build/vnet.bpf.o" \
		>/dev/null 2>&1 ||
		return "$(fail "xdp-loader load failed")"
	vnetctl attach "$(R x)" && vnetctl link set "$(R x)" vnet red &&
		vnetctl addr add red "$(R x)" 10.0.3.1/24 || return 1
	check "traffic through an xdp-loader attachment" on x1 ping -c 2 -i 0.2 -W 2 10.0.2.2
	vnetctl detach "$(R x)" || return 1
	xdp-loader status "$(R x)" 2>/dev/null | grep -q vnet_xdp && fail "detach left the program"
	return 0
}

test_reload_keeps_state_and_traffic() {
	two_tenants || return 1
	reach red1 10.0.2.2 || return "$(fail "no traffic before reload")"
	local before after ids_before ids_after log
	before=$(vnetctl route show red; vnetctl addr show; vnetctl link show | awk '{print $1,$3,$4,$7}')
	ids_before=$(ip -d link show "$(R r1)" | grep -o 'prog/xdp id [0-9]*')
	log=$(mktemp)
	on red1 ping -c 60 -i 0.05 -W 1 10.0.2.2 > "$log" 2>&1 &
	sleep 0.5
	vnetctl reload | grep -qx "reloaded 4 interfaces" || fail "reload did not do 4 interfaces"
	wait $!
	ids_after=$(ip -d link show "$(R r1)" | grep -o 'prog/xdp id [0-9]*')
	after=$(vnetctl route show red; vnetctl addr show; vnetctl link show | awk '{print $1,$3,$4,$7}')
	[ "$ids_before" != "$ids_after" ] || fail "program not replaced ($ids_after)"
	grep -q ' 0% packet loss' "$log" || fail "packets lost across the reload: $(grep loss "$log")"
	[ "$before" == "$after" ] || fail "state changed across the reload"
	rm -f "$log"
}

# Two vnets with a host each, no path between them yet.
two_islands() {
	vnetctl create name west >/dev/null && vnetctl create name east >/dev/null || return 1
	mkhost w1 "$(R w)" 10.0.1.2/24 10.0.1.1 && mkhost e1 "$(R e)" 10.0.2.2/24 10.0.2.1 || return 1
	vnetctl attach "$(R w)" && vnetctl attach "$(R e)" &&
	vnetctl link set "$(R w)" vnet west && vnetctl link set "$(R e)" vnet east &&
	vnetctl addr add west "$(R w)" 10.0.1.1/24 && vnetctl addr add east "$(R e)" 10.0.2.1/24
}

# epair EP: join west and east, addresses and routes over it.
join() {
	vnetctl epair create west east name "$1" >/dev/null || return 1
	CLEAN_IF+=("${1}a")
	vnetctl addr add west "${1}a" 192.0.2.1/30 && vnetctl addr add east "${1}b" 192.0.2.2/30 &&
	vnetctl route add west 10.0.2.0/24 via 192.0.2.2 &&
	vnetctl route add east 10.0.1.0/24 via 192.0.2.1
}

test_epair_is_the_only_path() {
	two_islands || return 1
	reach w1 10.0.2.2 && fail "west reached east with no epair"
	join "ep$RUNID" || return 1
	reach w1 10.0.2.2 || fail "no traffic over the epair"
	vnetctl epair show | grep -q "ep${RUNID}a *[0-9]* *ep${RUNID}b" || fail "epair show"
	vnetctl epair destroy "ep$RUNID" || return 1
	ip link show "ep${RUNID}a" >/dev/null 2>&1 && fail "veth left behind"
	vnetctl route show west | grep -q 192.0.2.2 && fail "route over the epair left behind"
	reach w1 10.0.2.2 && fail "west still reaches east"
	return 0
}

test_destroy_vnet_destroys_its_epairs() {
	two_islands || return 1
	local ids left
	join "ep$RUNID" || return 1
	reach w1 10.0.2.2 || fail "no traffic over the epair"
	ids=$(vnet_map_ids "$(vnetctl -j list | jq '.[] | select(.name == "west") | .id')")
	[ -n "$ids" ] || fail "west has no maps"
	vnetctl destroy west || return 1
	ip link show "ep${RUNID}a" >/dev/null 2>&1 && fail "west's end survived"
	ip link show "ep${RUNID}b" >/dev/null 2>&1 && fail "east's end survived"
	vnetctl link show east | grep -q "ep$RUNID" && fail "east still lists its end"
	vnetctl addr show east | grep -q 192.0.2.2 && fail "east kept the end's address"
	vnetctl route show east | grep -q 192.0.2.1 && fail "east kept the route over the epair"
	left=$(maps_freed $ids) || fail "maps of west left: $left"
}

test_epair_end_deleted_under_traffic() {
	two_islands || return 1
	join "ep$RUNID" || return 1
	reach w1 10.0.2.2 || return "$(fail "no traffic over the epair")"
	local ia ib pid
	ia=$(cat "/sys/class/net/ep${RUNID}a/ifindex"); ib=$(cat "/sys/class/net/ep${RUNID}b/ifindex")
	on w1 ping -q -i 0.01 -c 300 -W 1 10.0.2.2 >/dev/null 2>&1 &
	pid=$!
	sleep 0.5
	ip link del "ep${RUNID}b" || return 1	# both ends go, behind vnetctl's back
	wait $pid
	vnetctl link show >/dev/null || fail "vnetctl broken after the deletion"
	# both ends are gone from their vnets, with their addresses and routes
	vnetctl -j link show | jq -e ".[] | select(.ifindex == $ia or .ifindex == $ib)" >/dev/null &&
		fail "a deleted end is still listed"
	reach w1 10.0.2.2 && fail "traffic through a deleted cable"
	reach w1 10.0.1.1 || fail "west itself stopped answering"
	vnetctl route show west | grep -q 192.0.2.2 && fail "routes over the dead cable remain"
	vnetctl addr show | grep -q 192.0.2. && fail "addresses of the dead cable remain"
	return 0
}

# FreeBSD's example: lefty - middy - righty joined by epairs, middy forwards.
three_vnets() {
	vnetctl create 1 name lefty netns >/dev/null && vnetctl create 2 name middy netns >/dev/null &&
		vnetctl create 3 name righty netns >/dev/null || return 1
	vnetctl sysctl 2 net.inet.ip.forwarding=1 >/dev/null || return 1
	vnetctl epair create 1 2 name "e20$RUNID" >/dev/null &&
		vnetctl epair create 2 3 name "e21$RUNID" >/dev/null || return 1
	vnetctl addr add 1 "e20${RUNID}a" 192.0.2.1/30 && vnetctl addr add 2 "e20${RUNID}b" 192.0.2.2/30 &&
	vnetctl addr add 2 "e21${RUNID}a" 192.0.2.5/30 && vnetctl addr add 3 "e21${RUNID}b" 192.0.2.6/30 &&
	vnetctl route add 1 default via 192.0.2.2 && vnetctl route add 3 default via 192.0.2.5
}

test_three_vnets_jexec_ping_iperf3() {
	three_vnets || return "$(fail "setup")"
	vnetctl exec 2 ping -c 3 -i 0.2 -W 1 192.0.2.1 >/dev/null || fail "exec 2 ping 192.0.2.1"
	vnetctl exec 1 ping -c 3 -i 0.2 -W 1 192.0.2.6 >/dev/null || fail "lefty -> righty through middy"
	vnetctl exec 3 iperf3 -s -1 -D >/dev/null 2>&1
	sleep 0.5
	local bytes
	bytes=$(vnetctl exec 1 timeout 15 iperf3 -c 192.0.2.6 -t 2 -J 2>/dev/null |
		grep -o '"bytes":[[:space:]]*[0-9]*' | tail -1 | grep -o '[0-9]*$')
	[ "${bytes:-0}" -gt 1000000 ] || fail "iperf3 lefty -> righty moved ${bytes:-0} bytes"
	[ "$(stat_of middy forwarded)" -gt 100 ] || fail "middy did not forward"
	[ "$(stat_of righty delivered)" -gt 100 ] || fail "righty delivered nothing to its host stack"
}

test_hoststack_service_reachable_only_in_its_vnet() {
	two_tenants || return 1
	vnetctl netns red on || return 1
	vnetctl exec red iperf3 -s -D -p 5301 >/dev/null 2>&1
	sleep 0.5
	reach red1 10.0.1.1 >/dev/null
	on red1 timeout 8 iperf3 -c 10.0.1.1 -p 5301 -t 1 >/dev/null 2>&1 ||
		fail "TCP service in red's host stack unreachable from red"
	reach blue1 10.0.1.1 >/dev/null
	on blue1 timeout 5 iperf3 -c 10.0.1.1 -p 5301 -t 1 >/dev/null 2>&1 &&
		fail "blue reached red's service at the same address"
	[ "$(stat_of blue local_dropped)" -gt 0 ] || fail "blue did not count the refused connection"
	pkill -f "iperf3 -s -D -p 5301"
	return 0
}

test_destroy_under_traffic_leaves_nothing() {
	local ids left hs
	three_vnets || return "$(fail "setup")"
	ids=$(for i in 1 2 3; do vnet_map_ids $i; done)
	hs="$(basename "$VNET_PIN_DIR")-"	# the host stacks' namespaces
	ip netns list | grep -q "^$hs" || fail "no host-stack namespace named $hs*"
	vnetctl exec 1 ping -q -i 0.01 -c 500 192.0.2.6 >/dev/null 2>&1 &
	local pid=$!
	sleep 1
	vnetctl destroy middy || fail "destroy middy under traffic"
	vnetctl destroy lefty || fail "destroy lefty"
	wait $pid
	vnetctl destroy righty || fail "destroy righty"
	ip netns list | grep "^$hs" && fail "namespaces left: $(ip netns list | grep "^$hs")"
	ip -o link | grep -qE "e2[01]$RUNID|vh[0-9a-f]{4}[0-9]" && fail "veths left behind"
	left=$(maps_freed $ids) || fail "maps left: $left"
	return 0
}

test_interface_in_vnet0_untouched() {
	vnetctl create name v >/dev/null || return 1
	mkhost p1 "$(R p)" 10.0.7.2/24 "" || return 1
	ip addr add 10.0.7.1/24 dev "$(R p)"
	vnetctl attach "$(R p)" || return 1
	check "host stack still answers on an attached vnet-0 interface" on p1 ping -c 2 -i 0.2 -W 2 10.0.7.1
}

run_tests
