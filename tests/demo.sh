#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# demo.sh - two tenants with the same addresses, two hosts each, forwarded
# by the XDP dataplane (pings, iperf3, IPv6, tables, counters, a stateful
# filter in one tenant, a compiled FIB of 60,000 routes); then FreeBSD's
# three-jail example with epairs and host stacks (vnetctl exec, iperf3
# between vnets). Removes everything it made. Run by `make demo`.
set -u
. "$(dirname "$0")/lib.sh"
RUNID=demo
export VNET_PIN_DIR=/sys/fs/bpf/vnet-demo
DEMO_DIR=$(mktemp -d)
trap 'cleanup; rm -rf "$DEMO_DIR"' EXIT
trap 'cleanup; rm -rf "$DEMO_DIR"; exit 130' INT TERM
cleanup >/dev/null 2>&1	# a previous run that was killed

say() { printf '\n\033[1m# %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }
vnetctl() { "$VNETCTL" "$@"; }

say "Hosts: namespaces red1, red2, blue1, blue2; both tenants use 10.0.1.0/24 and 10.0.2.0/24"
mkhost red1 rd-red1 10.0.1.2/24 10.0.1.1 && mkhost red2 rd-red2 10.0.2.2/24 10.0.2.1 &&
mkhost blue1 rd-blue1 10.0.1.2/24 10.0.1.1 && mkhost blue2 rd-blue2 10.0.2.2/24 10.0.2.1 ||
	{ echo "demo: cannot create test hosts" >&2; exit 1; }

say "The dataplane: attach to the router-side interfaces (they start in vnet 0, the host)"
for i in rd-red1 rd-red2 rd-blue1 rd-blue2; do run vnetctl attach "$i" || exit 1; done

say "Two vnets, interfaces moved in, overlapping addresses"
run vnetctl create name red && run vnetctl create name blue || exit 1
for t in red blue; do
	run vnetctl link set rd-${t}1 vnet $t && run vnetctl link set rd-${t}2 vnet $t &&
	run vnetctl addr add $t rd-${t}1 10.0.1.1/24 && run vnetctl addr add $t rd-${t}2 10.0.2.1/24 ||
		exit 1
done
run vnetctl list
run vnetctl link show

say "Ping across each tenant (no static neighbors: the datapath does ARP)"
echo "# The first echo to a host not yet resolved is dropped while the datapath"
echo "# sends the ARP request (counted as no_neighbor); the rest go through."

printf '$ red1: ping -c 3 10.0.2.2\n'; on red1 ping -c 3 -i 0.2 10.0.2.2
printf '$ blue1: ping -c 3 10.0.2.2\n'; on blue1 ping -c 3 -i 0.2 10.0.2.2

say "TCP through the XDP router: iperf3 from red1 to red2"
on red2 iperf3 -s -1 -D >/dev/null 2>&1; sleep 0.5
on red1 iperf3 -c 10.0.2.2 -t 3 | grep -E 'sender|receiver'

say "IPv6 alike: both tenants also use 2001:db8:1::/64 and 2001:db8:2::/64 (NDP by the datapath)"
for t in red blue; do
	on ${t}1 ip -6 addr add 2001:db8:1::2/64 dev eth0 nodad && on ${t}1 ip -6 route add default via 2001:db8:1::1
	on ${t}2 ip -6 addr add 2001:db8:2::2/64 dev eth0 nodad && on ${t}2 ip -6 route add default via 2001:db8:2::1
	run vnetctl addr add $t rd-${t}1 2001:db8:1::1/64 && run vnetctl addr add $t rd-${t}2 2001:db8:2::1/64 ||
		exit 1
done
printf '$ red1: ping -6 -c 3 2001:db8:2::2\n'; on red1 ping -6 -c 3 -i 0.2 2001:db8:2::2
printf '$ blue1: traceroute -6 -n 2001:db8:2::2\n'; on blue1 traceroute -6 -n -w 1 -q 1 2001:db8:2::2

say "What red knows: routes, neighbors, counters"
run vnetctl route show red
run vnetctl neigh show red
run vnetctl route get red 10.0.2.2
printf '$ vnetctl stats red   (non-zero counters)\n'
vnetctl stats red | awk 'NR == 1 || $1 > 0'
printf '$ vnetctl stats blue  (non-zero counters)\n'
vnetctl stats blue | awk 'NR == 1 || $1 > 0'

say "A stateful filter in red only: red1's side may open flows, red2's may not"
run vnetctl filter add red 100 allow ip from 10.0.1.0/24 to any keep-state
run vnetctl filter add red 200 allow icmp from any to any icmptypes 0,8 in recv rd-red1
printf '$ red1: ping -c 2 10.0.2.2   (allowed: rule 100 keeps state, replies come back)\n'
on red1 ping -c 2 -i 0.2 10.0.2.2
printf '$ red2: ping -c 2 -W 1 10.0.1.2   (unsolicited from outside: rule 65535 denies)\n'
on red2 ping -c 2 -i 0.2 -W 1 10.0.1.2
printf '$ blue2: ping -c 2 10.0.1.2   (same addresses in blue: red'"'"'s rules do not apply)\n'
on blue2 ping -c 2 -i 0.2 10.0.1.2
run vnetctl filter show red
run vnetctl state show red

say "A real table: 60,000 routes into blue in one batch; by size, its FIB is compiled (DXR)"
awk 'BEGIN { for (i = 0; i < 60000; i++)
	printf "route add blue %d.%d.%d.0/24 via 10.0.2.2\n", 20 + int(i / 65536), int(i / 256) % 256, i % 256 }' \
	> "$DEMO_DIR/routes.batch"
run vnetctl -b "$DEMO_DIR/routes.batch" || exit 1
printf '$ vnetctl route show blue | head -1\n'
vnetctl route show blue | head -1
on blue2 ip addr add 20.1.2.3/32 dev eth0
run on blue1 ping -c 3 -i 0.2 20.1.2.3 || exit 1
run vnetctl route get blue 20.1.2.3

say "Everything is in bpffs, readable with bpftool"
run bpftool map show pinned "$VNET_PIN_DIR/v1/fib0_in4"
run xdp-loader status rd-red1

say "Destroy red: its interfaces return to vnet 0, its maps are freed"
run vnetctl destroy red
run vnetctl destroy blue

say "FreeBSD's three jails: lefty - middy - righty, joined by epairs; middy forwards"
run vnetctl create 1 name lefty netns && run vnetctl create 2 name middy netns &&
	run vnetctl create 3 name righty netns || exit 1
run vnetctl sysctl 2 net.inet.ip.forwarding=1
run vnetctl epair create 1 2 name epair20 && run vnetctl epair create 2 3 name epair21 || exit 1
run vnetctl addr add 1 epair20a 192.0.2.1/30 && run vnetctl addr add 2 epair20b 192.0.2.2/30 &&
run vnetctl addr add 2 epair21a 192.0.2.5/30 && run vnetctl addr add 3 epair21b 192.0.2.6/30 &&
run vnetctl route add 1 default via 192.0.2.2 && run vnetctl route add 3 default via 192.0.2.5 ||
	exit 1
run vnetctl epair show
run vnetctl exec 2 ping -c 3 -i 0.2 192.0.2.1
run vnetctl exec 1 ping -c 3 -i 0.2 192.0.2.6
say "iperf3 server inside righty's host stack, client inside lefty's, through middy"
vnetctl exec 3 iperf3 -s -1 -D >/dev/null 2>&1; sleep 0.5
vnetctl exec 1 iperf3 -c 192.0.2.6 -t 3 | grep -E 'sender|receiver'
printf '$ vnetctl stats middy  (non-zero counters)\n'
vnetctl stats middy | awk 'NR == 1 || $1 > 0'
run vnetctl destroy lefty
run vnetctl destroy middy
run vnetctl destroy righty
run vnetctl list
say "Done; cleaning up namespaces, veths and pinned state"
