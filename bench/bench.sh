#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# bench.sh - `make bench`: forwarding throughput side by side (this
# dataplane, a minimal XDP forwarder, the Linux kernel, the kernel with a
# VRF), per-packet cost, control-plane timings and memory, in one run.
# Writes a table on stdout and bench/results.json. --quick: small and fast;
# --test: also print PASS/FAIL lines for tests/run.sh.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
B=$TOP/build/bench
V=$TOP/build/vnetctl
export BENCH_OBJDIR=$TOP/build
QUICK=0 TEST=0
for a in "$@"; do
	case $a in
	--quick) QUICK=1 ;;
	--test) TEST=1 ;;
	*) echo "usage: bench.sh [--quick] [--test]" >&2; exit 2 ;;
	esac
done
[ "$(id -u)" -eq 0 ] || { echo "bench: needs root" >&2; exit 1; }
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf

if [ $QUICK = 1 ]; then
	ROUNDS=2 SECS=0.5 NROUTES=1000 NVNETS=64 CTL_N=20 BIGROUTES=20000 MEM_VNETS=100 NS_N=10
	COST_FLAGS=--quick
else
	ROUNDS=7 SECS=2 NROUTES=1000000 NVNETS=1024 CTL_N=200 BIGROUTES=1000000 MEM_VNETS=1000 NS_N=100
	COST_FLAGS=
fi
P=vb$(( $$ % 1000 ))		# prefix of every name made here
PIN=/sys/fs/bpf/$P-tput PIN_COST=/sys/fs/bpf/$P-cost PIN_CTL=/sys/fs/bpf/$P-ctl
WORK=$(mktemp -d)
KV=$WORK/kv
# A quick run never overwrites the recorded full results.
if [ $QUICK = 1 ]; then OUT=${BENCH_OUT:-$TOP/build/results-quick.json}
else OUT=${BENCH_OUT:-$TOP/bench/results.json}; fi
[ $TEST = 1 ] && OUT=$WORK/results.json
CMDS=()

rec() { echo "$1=$2" >> "$KV"; }
cmd() { CMDS+=("$*"); }
get() { grep "^$1=" "$KV" | tail -1 | cut -d= -f2; }
mac() { cat "/sys/class/net/$1/address"; }
mac_ns() { ip -n "$1" link show "$2" | awk '/link\/ether/ {print $2}'; }
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc -l; }
meminfo() { awk '/^(Slab|Percpu|VmallocUsed):/ {s += $2} END {print s}' /proc/meminfo; }

cleanup() {
	local i
	for i in Ag Ao Mg Mi Mo Cg Ci Co Xa; do ip link del "$P$i" 2>/dev/null; done
	for i in k v r; do ip netns del "$P$i" 2>/dev/null; done
	for i in $(seq 1 "${NS_MADE:-0}"); do ip netns del "$P-m$i" 2>/dev/null; done
	rm -rf "$PIN" "$PIN_COST" "$PIN_CTL" "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pair() {	# both ends here, up, quiet
	ip link add "$1" type veth peer name "$2" || exit 1
	ip link set "$1" up && ip link set "$2" up
	sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1" "net.ipv6.conf.$2.disable_ipv6=1"
}

# A kernel router in namespace NS: IN/OUT inside, their peers here.
kernel_router() {
	local ns=$1 g=$2 i=$3 o=$4 s=$5 table=$6
	ip netns add "$ns"
	ip link add "$g" type veth peer name "$i" netns "$ns"
	ip link add "$s" type veth peer name "$o" netns "$ns"
	ip link set "$g" up; ip link set "$s" up
	sysctl -qw "net.ipv6.conf.$g.disable_ipv6=1" "net.ipv6.conf.$s.disable_ipv6=1"
	ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.default.rp_filter=0
	# Routes in their own table: a VRF when the kernel has one, else the
	# policy rule a VRF installs (iif -> table), which this kernel can do.
	if [ -n "$table" ]; then
		if ip -n "$ns" link add vrf-bench type vrf table "$table" 2>/dev/null; then
			TABLE_KIND=vrf
			ip -n "$ns" link set vrf-bench up
			ip -n "$ns" link set "$i" master vrf-bench
			ip -n "$ns" link set "$o" master vrf-bench
		else
			TABLE_KIND="ip rule iif $i lookup $table (no CONFIG_NET_VRF)"
			ip -n "$ns" rule add iif "$i" lookup "$table" pref 100
		fi
	fi
	ip -n "$ns" link set "$i" up; ip -n "$ns" link set "$o" up; ip -n "$ns" link set lo up
	ip -n "$ns" addr add 10.0.1.1/24 dev "$i"
	ip -n "$ns" addr add 10.0.2.1/24 dev "$o"
	[ -n "$table" ] && [ "$TABLE_KIND" != vrf ] &&
		ip -n "$ns" route add 10.0.2.0/24 dev "$o" table "$table"
	ip -n "$ns" neigh add 10.0.2.2 lladdr "$(mac "$s")" dev "$o" nud permanent
	sed "s|.*|route add & via 10.0.2.2${table:+ table $table}|" "$WORK/routes" > "$WORK/ip-$ns"
	ip -n "$ns" -batch "$WORK/ip-$ns" || exit 1
	# frames redirected into a veth need an XDP program on the receiving end
	ip -n "$ns" link set "$i" xdp obj "$TOP/build/xdp_pass.bpf.o" sec xdp
}

echo "bench: $( [ $QUICK = 1 ] && echo quick || echo full ) run, $(nproc) cores, kernel $(uname -r)"
"$B" routes --n "$NROUTES" --ndst 4096 --routes "$WORK/routes" --dsts "$WORK/dsts" || exit 1
cmd "bench routes --n $NROUTES --ndst 4096"

# ---------------------------------------------------------- 1. throughput
echo "bench: building the chains (generator veth -> device under test -> sink veth)"
pair "${P}Ag" "${P}Ai"; pair "${P}Ao" "${P}As"
{
	echo "create 1 name bench routes $((NROUTES + 100))"
	for i in $(seq 2 "$NVNETS"); do echo "create $i name filler$i"; done
	echo "attach ${P}Ai"; echo "attach ${P}Ao"
	echo "link set ${P}Ai vnet bench"; echo "link set ${P}Ao vnet bench"
	echo "addr add bench ${P}Ai 10.0.1.1/24"; echo "addr add bench ${P}Ao 10.0.2.1/24"
	echo "neigh add bench 10.0.2.2 lladdr $(mac "${P}As") dev ${P}Ao"
	sed 's|.*|route add bench & via 10.0.2.2|' "$WORK/routes"
} > "$WORK/ours.batch"
"$V" -p "$PIN" -b "$WORK/ours.batch" >/dev/null || exit 1
cmd "vnetctl -b (create $NVNETS vnets; tested vnet: $NROUTES routes via 10.0.2.2, static neighbor)"
pair "${P}Mg" "${P}Mi"; pair "${P}Mo" "${P}Ms"
"$B" attach-min "${P}Mi" "${P}Mo" "$(mac "${P}Ms")" || exit 1
cmd "bench attach-min (parse, fixed MAC rewrite, TTL-1, devmap redirect)"
kernel_router "${P}k" "${P}Kg" "${P}Ki" "${P}Ko" "${P}Ks" ""
cmd "ip -batch: $NROUTES routes, net.ipv4.ip_forward=1, static neighbor"
kernel_router "${P}v" "${P}Vg" "${P}Vi" "${P}Vo" "${P}Vs" 100
cmd "ip -batch: $NROUTES routes in table 100, selected by: $TABLE_KIND"
rec tput.table_kind "$TABLE_KIND"

# The generator runs on CPU 0. Each device under test gets threaded NAPI
# on its ingress, pinned to CPU 1: it runs beside the generator instead of
# inside its softirqs, so the figure is the device's, not the generator's.
napi_cpu1() {	# IFNAME [NETNS]
	local exec=()
	[ -n "${2:-}" ] && exec=(ip netns exec "$2")
	"${exec[@]}" sh -c "echo 1 > /sys/class/net/$1/threaded" || return 1
	sleep 0.1
	for p in $(pgrep "^napi/$1"); do taskset -pc 1 "$p" >/dev/null; done
}
napi_cpu1 "${P}Ai" && napi_cpu1 "${P}Mi" && napi_cpu1 "${P}Ki" "${P}k" && napi_cpu1 "${P}Vi" "${P}v" ||
	{ echo "bench: cannot set threaded NAPI" >&2; exit 1; }
cmd "echo 1 > /sys/class/net/DUT_INGRESS/threaded; taskset -pc 1 napi/DUT_INGRESS; generator pinned to CPU 0"

echo "bench: throughput, $ROUNDS rounds x ${SECS}s per device, alternating"
"$B" throughput --seconds "$SECS" --rounds "$ROUNDS" --dsts "$WORK/dsts" \
	"ours,${P}Ag,${P}As,$(mac "${P}Ai")" "min,${P}Mg,${P}Ms,$(mac "${P}Mi")" \
	"kernel,${P}Kg,${P}Ks,$(mac_ns "${P}k" "${P}Ki")" \
	"vrf,${P}Vg,${P}Vs,$(mac_ns "${P}v" "${P}Vi")" >> "$KV" || exit 1
cmd "bench throughput --seconds $SECS --rounds $ROUNDS (BPF_F_TEST_XDP_LIVE_FRAMES generator, sink counts)"
"$V" -p "$PIN" -j stats bench > "$WORK/ours-stats.json"
rec tput.ours_forwarded_counter "$(jq .forwarded "$WORK/ours-stats.json")"
rec tput.ours_dropped_no_neighbor "$(jq .drops.no_neighbor "$WORK/ours-stats.json")"

if [ $QUICK = 0 ] && command -v perf >/dev/null; then
	echo "bench: profiling the dataplane chain (perf record -e cpu-clock)"
	(sleep 0.5; perf record -q -e cpu-clock -a -o "$WORK/perf.data" -- sleep 2 >/dev/null 2>&1) &
	"$B" throughput --seconds 3 --rounds 1 --dsts "$WORK/dsts" \
		"ours,${P}Ag,${P}As,$(mac "${P}Ai")" > /dev/null
	wait
	perf report -q -i "$WORK/perf.data" --stdio --sort sym 2>/dev/null |
		awk 'NF && $1 ~ /%/ {print $1, $NF}' | head -15 > "$WORK/profile"
	cmd "perf record -e cpu-clock -a -- sleep 2 (during a dataplane run); perf report --sort sym"
fi
for i in Ag Ao Mg Mo; do ip link del "$P$i"; done
ip netns del "${P}k"; ip netns del "${P}v"
rm -rf "$PIN"

# ------------------------------------------------------- 2. per-packet cost
echo "bench: per-packet cost (BPF_PROG_TEST_RUN, harness + tail call, minus parse-only)"
pair "${P}Ci" "${P}Cg"; pair "${P}Co" "${P}Cs"
"$B" cost --pin "$PIN_COST" --in "${P}Ci" --out "${P}Co" $COST_FLAGS >> "$KV" || exit 1
cmd "bench cost $COST_FLAGS (vnets 1/64/1024/4095, routes 10/10k/1M, hit and miss, 4096 random destinations)"
rm -rf "$PIN_COST"
echo "bench: filter cost (established flows behind 1 and 1,000 rules; rule walks)"
"$B" filter --pin "$PIN_COST" --in "${P}Ci" --out "${P}Co" $COST_FLAGS >> "$KV" || exit 1
cmd "bench filter $COST_FLAGS (UDP flows to 20.0.0.0/8; keep-state rule 1000 behind 0 or 999 rules, same states)"
rm -rf "$PIN_COST"
echo "bench: IPv6 forwarding beside IPv4 (per-packet cost)"
"$B" ip6 --pin "$PIN_COST" --in "${P}Ci" --out "${P}Co" $COST_FLAGS >> "$KV" || exit 1
cmd "bench ip6 $COST_FLAGS (10 and 10,000 routes of each family, 4096 destinations that hit)"
rm -rf "$PIN_COST"
ip link del "${P}Ci"; ip link del "${P}Co"

# ------------------------------------------------ memory of a namespace
# (first, while nothing of ours is being freed: deferred frees skew meminfo)
sleep 2
m0=$(meminfo)
for i in $(seq 1 "$NS_N"); do ip netns add "$P-m$i" && ip -n "$P-m$i" link set lo up; done
NS_MADE=$NS_N
m1=$(meminfo)
rec mem.netns_kernel_kib "$(echo "($m1 - $m0) / $NS_N" | bc -l)"
cmd "ip netns add x $NS_N, lo up; meminfo (Slab+Percpu+VmallocUsed) delta"
for i in $(seq 1 "$NS_N"); do ip netns del "$P-m$i"; done
NS_MADE=0

# ---------------------------------------------------------- 3. control plane
echo "bench: control plane"
"$B" ctl --pin "$PIN_CTL" --vnetctl "$V" --n "$CTL_N" >> "$KV" || exit 1
cmd "bench ctl --n $CTL_N (create/destroy medians: in process, as vnetctl commands, /bin/true)"
rm -rf "$PIN_CTL"

for i in $(seq 1 1000); do echo "create name b$i"; done > "$WORK/c1000"
sleep 2
m0=$(meminfo); t0=$(now)
"$V" -p "$PIN_CTL" -b "$WORK/c1000" >/dev/null || exit 1
rec ctl.create_1000_batch_s "$(since "$t0")"
m1=$(meminfo)
cmd "vnetctl -b FILE (1000 x create)"
rec mem.empty_vnet_kernel_kib "$(echo "($m1 - $m0) / 1000" | bc -l)"
bpftool map show -j | jq '[.[] | select(.name | test("^v[0-9]+_")) | .bytes_memlock] | add' \
	> "$WORK/memlock"
rec mem.empty_vnet_memlock_bytes "$(echo "$(cat "$WORK/memlock") / 1000" | bc -l)"
shared=$(bpftool map show -j | jq '[.[] | select(.name == "vnet_conf" or
	.name == "vnet_stats" or .name == "vnet_reg" or .name == "vnet_fib4" or
	.name == "vnet_nbr4") | .bytes_memlock] | add')
rec mem.per_vnet_share_of_global_bytes "$(echo "$shared / 4096" | bc -l)"
cmd "meminfo (Slab+Percpu+VmallocUsed) and bpftool map show memlock around the 1000 creates"
t0=$(now)
for i in $(seq 1 1000); do echo "destroy b$i"; done > "$WORK/d1000"
"$V" -p "$PIN_CTL" -b "$WORK/d1000" || exit 1
rec ctl.destroy_1000_idle_batch_s "$(since "$t0")"

# moving an interface: to an idle vnet (installs its slots), then to a live one
pair "${P}Xa" "${P}Xb"
"$V" -p "$PIN_CTL" attach "${P}Xa" && "$V" -p "$PIN_CTL" create name mv1 >/dev/null &&
	"$V" -p "$PIN_CTL" create name mv2 >/dev/null || exit 1
t0=$(now); "$V" -p "$PIN_CTL" link set "${P}Xa" vnet mv1; rec ctl.move_to_idle_vnet_ms "$(echo "$(since "$t0") * 1000" | bc -l)"
t0=$(now); "$V" -p "$PIN_CTL" link set "${P}Xa" vnet mv2; rec ctl.move_to_idle_vnet2_ms "$(echo "$(since "$t0") * 1000" | bc -l)"
t0=$(now); "$V" -p "$PIN_CTL" link set "${P}Xa" vnet mv1; rec ctl.move_to_live_vnet_ms "$(echo "$(since "$t0") * 1000" | bc -l)"
t0=$(now); "$V" -p "$PIN_CTL" destroy mv1; rec ctl.destroy_live_vnet_ms "$(echo "$(since "$t0") * 1000" | bc -l)"
cmd "vnetctl link set IF vnet V (to an idle vnet, to a live vnet); vnetctl destroy (live)"
"$V" -p "$PIN_CTL" detach "${P}Xa"

# bulk routes: vnetctl -b vs ip -batch into a kernel table
"$B" routes --n "$BIGROUTES" --ndst 1 --routes "$WORK/big" --dsts /dev/null || exit 1
pair "${P}Cg" "${P}Ci"
"$V" -p "$PIN_CTL" attach "${P}Ci" >/dev/null
{
	echo "create name big routes $((BIGROUTES + 10))"
	echo "link set ${P}Ci vnet big"; echo "addr add big ${P}Ci 10.0.2.1/24"
} > "$WORK/big.pre"
"$V" -p "$PIN_CTL" -b "$WORK/big.pre" >/dev/null || exit 1
sed 's|.*|route add big & via 10.0.2.2|' "$WORK/big" > "$WORK/big.batch"
m0=$(meminfo); t0=$(now)
"$V" -p "$PIN_CTL" -b "$WORK/big.batch" || exit 1
rec ctl.routes_vnetctl_batch_s "$(since "$t0")"
m1=$(meminfo)
rec ctl.routes_n "$BIGROUTES"
id=$("$V" -p "$PIN_CTL" -j list | jq '.[] | select(.name == "big") | .id')
fibml=$(bpftool map show pinned "$PIN_CTL/v$id/fib0_in4" -j | jq .bytes_memlock)
rec mem.route_memlock_bytes "$(echo "$fibml / $BIGROUTES" | bc -l)"
rec mem.route_kernel_bytes "$(echo "($m1 - $m0) * 1024 / $BIGROUTES" | bc -l)"
cmd "vnetctl -b FILE ($BIGROUTES x route add big PREFIX via 10.0.2.2)"
"$V" -p "$PIN_CTL" detach "${P}Ci"
rm -rf "$PIN_CTL"
ip link del "${P}Ci" 2>/dev/null
ip netns add "${P}r"
ip -n "${P}r" link add d0 type veth peer name d1; ip -n "${P}r" link set d0 up
ip -n "${P}r" addr add 10.0.2.1/24 dev d0
sed 's|.*|route add & via 10.0.2.2 table 100|' "$WORK/big" > "$WORK/big.ip"
t0=$(now)
ip -n "${P}r" -batch "$WORK/big.ip" || exit 1
rec ctl.routes_ip_batch_s "$(since "$t0")"
cmd "ip -batch FILE ($BIGROUTES x route add PREFIX via 10.0.2.2 table 100)"
ip netns del "${P}r"

# ----------------------------------------------------------------- report
med() {	# median, min, max of tput.NAME.r*
	grep "^tput\.$1\.r" "$KV" | cut -d= -f2 | sort -n |
		awk '{a[NR]=$1} END {printf "%.0f %.0f %.0f\n", a[int((NR+1)/2)], a[1], a[NR]}'
}
read -r ours ours_lo ours_hi <<< "$(med ours)"
read -r minf min_lo min_hi <<< "$(med min)"
read -r kern kern_lo kern_hi <<< "$(med kernel)"
read -r vrf vrf_lo vrf_hi <<< "$(med vrf)"
# Ratios per round (the devices alternate within a round, under the same
# conditions), then their median: steadier than a ratio of medians here.
ratio() {
	for r in $(seq 0 $((ROUNDS - 1))); do
		echo "$(get "tput.ours.r$r") / $(get "tput.$1.r$r")" | bc -l
	done | sort -n | awk '{a[NR]=$1} END {printf "%.3f %.3f %.3f\n", a[int((NR+1)/2)], a[1], a[NR]}'
}
read -r r_min r_min_lo r_min_hi <<< "$(ratio min)"
read -r r_kern r_kern_lo r_kern_hi <<< "$(ratio kernel)"
rec tput.median.ours "$ours"; rec tput.median.min "$minf"
rec tput.median.kernel "$kern"; rec tput.median.vrf "$vrf"
rec tput.ratio_vs_min "$r_min"; rec tput.ratio_vs_kernel "$r_kern"
c() { get "cost.$1"; }
v1=$(c "v1.r$NROUTES.hit.dataplane"); [ -z "$v1" ] && v1=$(c "v1.r10000.hit.dataplane")
v4k=$(c "v4095.r10000.hit.dataplane"); v1k=$(c "v1.r10000.hit.dataplane")
ind=$(grep '^cost\..*\.indirection=' "$KV" | cut -d= -f2 | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
rec cost.indirection_median "$ind"
pct() { echo "($1 / $2 - 1) * 100" | bc -l; }

{
printf '\n%-46s %12s %22s\n' "Forwarding, 64 B UDP, 4096 destinations" "Mpps" "median (min-max)"
printf '%-46s %12.2f %10.2f-%-10.2f\n' "this dataplane ($NVNETS vnets, $NROUTES routes)" \
	"$(echo "$ours/1000000" | bc -l)" "$(echo "$ours_lo/1000000" | bc -l)" "$(echo "$ours_hi/1000000" | bc -l)"
printf '%-46s %12.2f %10.2f-%-10.2f\n' "minimal XDP forwarder" "$(echo "$minf/1000000" | bc -l)" \
	"$(echo "$min_lo/1000000" | bc -l)" "$(echo "$min_hi/1000000" | bc -l)"
printf '%-46s %12.2f %10.2f-%-10.2f\n' "Linux kernel forwarding ($NROUTES routes)" \
	"$(echo "$kern/1000000" | bc -l)" "$(echo "$kern_lo/1000000" | bc -l)" "$(echo "$kern_hi/1000000" | bc -l)"
printf '%-46s %12.2f %10.2f-%-10.2f\n' "Linux kernel, routes in table 100 (${TABLE_KIND%% (*})" "$(echo "$vrf/1000000" | bc -l)" \
	"$(echo "$vrf_lo/1000000" | bc -l)" "$(echo "$vrf_hi/1000000" | bc -l)"
printf '%-46s %12.2f %10.2f-%-10.2f (target >= 0.85)\n' "ratio per round: dataplane / minimal XDP" \
	"$r_min" "$r_min_lo" "$r_min_hi"
printf '%-46s %12.2f %10.2f-%-10.2f (target >= 4)\n' "ratio per round: dataplane / kernel" \
	"$r_kern" "$r_kern_lo" "$r_kern_hi"
printf '\nPer-packet cost, ns (program minus parse-only; best of 9 interleaved test runs, 4096 destinations)\n'
printf '%-10s %-9s %10s %10s %12s %10s\n' vnets routes hit miss indirection fwd_min
grep -o '^cost\.v[0-9]*\.r[0-9]*' "$KV" | sort -u -t. -k2.2n -k3.2n | while read -r k; do
	vv=${k#cost.v}; vv=${vv%%.*}; rr=${k##*.r}
	printf '%-10s %-9s %10s %10s %12s %10s\n' "$vv" "$rr" "$(get "$k.hit.dataplane")" \
		"$(get "$k.miss.dataplane")" "$(get "$k.hit.indirection")" "$(get "$k.hit.fwd_min")"
done
v4s=$(c "v4095.r10.hit.dataplane"); v1s=$(c "v1.r10.hit.dataplane")
if [ -n "$v4s" ] && [ -n "$v1s" ]; then
	rec cost.v4095_vs_v1_r10_pct "$(pct "$v4s" "$v1s")"
	printf '4095 vnets vs 1 vnet, 10 routes (the vnet machinery): %+.1f%%  (target within 5%%)\n' \
		"$(pct "$v4s" "$v1s")"
fi
if [ -n "$v4k" ] && [ -n "$v1k" ]; then
	rec cost.v4095_vs_v1_r10000_pct "$(pct "$v4k" "$v1k")"
	printf '4095 vnets vs 1 vnet, 10,000 routes (LPM-bound, +-30%% run to run here): %+.1f%%\n' \
		"$(pct "$v4k" "$v1k")"
fi
printf 'vnet indirection (median over all cases): %s ns  (target <= 5)\n' "$ind"
printf '\nFilter, ns per packet (program minus parse-only; best of the rounds)\n'
printf '  filter off: %s\n' "$(get filter.off)"
printf '  established flow, state decides:  64 flows: %s (1 rule) vs %s (1,000 rules);' \
	"$(get filter.est.f64.r1)" "$(get filter.est.f64.r1000)"
printf ' 4096 flows: %s vs %s\n' "$(get filter.est.f4096.r1)" "$(get filter.est.f4096.r1000)"
if [ -n "$(get filter.est.f4096.r1)" ]; then
	rec filter.est_r1000_vs_r1_pct "$(pct "$(get filter.est.f4096.r1000)" "$(get filter.est.f4096.r1)")"
	printf '  1,000 rules vs 1 for an established flow (4096 flows): %+.1f%%  (target: the same)\n' \
		"$(get filter.est_r1000_vs_r1_pct)"
fi
printf '  stateless, every packet walks the rules in and out: 1 rule %s, 1,000 rules %s\n' \
	"$(get filter.walk.r1)" "$(get filter.walk.r1000)"
printf '\nCompiled FIBs (DXR) vs the LPM trie, 1 vnet, ns per packet, destinations that hit\n'
printf '%-9s %12s %12s %16s %16s %12s\n' routes lookup_dxr lookup_trie dataplane_dxr dataplane_trie dxr_B/route
for r in 10 10000 1000000; do
	[ -n "$(get "cost.v1.r$r.hit.lookup_dxr")" ] || continue
	printf '%-9s %12s %12s %16s %16s %12s\n' "$r" "$(get "cost.v1.r$r.hit.lookup_dxr")" \
		"$(get "cost.v1.r$r.hit.lookup_trie")" "$(get "cost.v1.r$r.hit.dataplane_dxr")" \
		"$(get "cost.v1.r$r.hit.dataplane_trie")" "$(get "mem.dxr_bytes_per_route.$r")"
done
printf '  (lookup = bench_lookup - bench_curvnet: the lookup alone; targets <= 15 ns at 10,000, <= 30 at 1,000,000)\n'
for k in $(grep -o '^dxr\.compile_s\.[0-9]*' "$KV" | sort -u); do
	printf '  full compile of %s routes (trie dump + build + swap): %s s  (target <= 2)\n' "${k##*.}" "$(get "$k")"
done
printf '  one route on the largest FIB, ms to take effect (median / max): /24 add %s / %s, del %s / %s; /8 add %s / %s, del %s / %s  (target <= 10)\n' \
	"$(get dxr.update_p24_add_ms)" "$(get dxr.update_p24_add_max_ms)" "$(get dxr.update_p24_del_ms)" \
	"$(get dxr.update_p24_del_max_ms)" "$(get dxr.update_p8_add_ms)" "$(get dxr.update_p8_add_max_ms)" \
	"$(get dxr.update_p8_del_ms)" "$(get dxr.update_p8_del_max_ms)"
printf '\nIPv6 beside IPv4, ns per packet forwarded (program minus parse-only)\n'
printf '  10 routes: IPv4 %s, IPv6 %s' "$(get ip6.r10.v4)" "$(get ip6.r10.v6)"
[ -n "$(get ip6.r10000.v6)" ] &&
	printf ';  10,000 routes: IPv4 %s, IPv6 %s' "$(get ip6.r10000.v4)" "$(get ip6.r10000.v6)"
printf '\n'
printf '\nControl plane\n'
printf '  create one vnet: %.3f ms in process, %.3f ms as a command (/bin/true: %.3f ms)  (target <= 1)\n' \
	"$(get ctl.create_inproc_ms)" "$(get ctl.create_cmd_ms)" "$(get ctl.true_cmd_ms)"
printf '  destroy one idle vnet: %.3f ms in process, %.3f ms as a command\n' \
	"$(get ctl.destroy_inproc_ms)" "$(get ctl.destroy_cmd_ms)"
printf '  1000 vnets in one batch: %.3f s  (target <= 2)\n' "$(get ctl.create_1000_batch_s)"
printf '  %s routes: vnetctl -b %.2f s, ip -batch (kernel table) %.2f s  (target <= 5)\n' \
	"$BIGROUTES" "$(get ctl.routes_vnetctl_batch_s)" "$(get ctl.routes_ip_batch_s)"
printf '  move an interface: to an idle vnet %.1f ms, to a live vnet %.1f ms; destroy a live vnet %.1f ms\n' \
	"$(get ctl.move_to_idle_vnet_ms)" "$(get ctl.move_to_live_vnet_ms)" "$(get ctl.destroy_live_vnet_ms)"
printf '\nMemory\n'
printf '  empty vnet: %.1f KiB kernel (meminfo), %.0f B map memlock + %.0f B share of global arrays  (target <= 64 KiB)\n' \
	"$(get mem.empty_vnet_kernel_kib)" "$(get mem.empty_vnet_memlock_bytes)" "$(get mem.per_vnet_share_of_global_bytes)"
printf '  network namespace: %.1f KiB kernel (meminfo, same measure)\n' "$(get mem.netns_kernel_kib)"
printf '  per route: %.0f B memlock, %.0f B kernel (meminfo)\n' "$(get mem.route_memlock_bytes)" \
	"$(get mem.route_kernel_bytes)"
if [ -s "$WORK/profile" 2>/dev/null ]; then
	printf '\nProfile of the dataplane chain (cpu-clock, top symbols)\n'
	sed 's/^/  /' "$WORK/profile"
fi
} | tee "$WORK/table"

# results.json: every figure, the machine, the commands
jq -n --rawfile kv "$KV" --rawfile prof <(cat "$WORK/profile" 2>/dev/null) \
	--arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
	--arg cpu "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)" \
	--arg cores "$(nproc)" --arg kernel "$(uname -r)" \
	--arg mode "$( [ $QUICK = 1 ] && echo quick || echo full )" \
	--args '{date: $date, mode: $mode,
	  machine: {cpu: $cpu, cores: ($cores | tonumber), kernel: $kernel},
	  figures: ([$kv | split("\n")[] | select(length > 0) | split("=") |
		     {(.[0]): (.[1] | tonumber? // .)}] | add),
	  profile: [$prof | split("\n")[] | select(length > 0)],
	  commands: $ARGS.positional}' "${CMDS[@]}" > "$OUT" || exit 1
echo "bench: wrote $OUT"

if [ $TEST = 1 ]; then
	ok() { if eval "$2"; then echo "PASS bench: $1"; else echo "FAIL bench: $1"; fi; }
	ok "every device under test forwarded" \
		'[ "${ours:-0}" -gt 0 ] && [ "${minf:-0}" -gt 0 ] && [ "${kern:-0}" -gt 0 ] && [ "${vrf:-0}" -gt 0 ]'
	ok "the dataplane's own counter saw the traffic" '[ "$(get tput.ours_forwarded_counter)" -gt 0 ]'
	ok "per-packet cost measured" '[ -n "$(get cost.v1.r10.hit.dataplane)" ]'
	ok "filter cost measured" '[ -n "$(get filter.est.f4096.r1000)" ] && [ -n "$(get filter.walk.r1000)" ]'
	ok "IPv6 forwarding measured beside IPv4" '[ -n "$(get ip6.r10.v6)" ] && [ -n "$(get ip6.r10.v4)" ]'
	ok "control plane timed" '[ -n "$(get ctl.create_inproc_ms)" ] && [ -n "$(get ctl.routes_ip_batch_s)" ]'
	ok "compiled FIB and trie measured side by side" '[ -n "$(get cost.v1.r10000.hit.lookup_dxr)" ] && [ -n "$(get cost.v1.r10000.hit.lookup_trie)" ]'
	ok "results.json is valid JSON with figures" 'jq -e ".figures[\"tput.median.ours\"] > 0" "$OUT" >/dev/null'
fi
