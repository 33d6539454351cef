#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test_faults.sh - what the dataplane's state must survive: interfaces
# deleted behind its back, vnetctl killed in the middle of an operation,
# a bpffs that refuses writes, a second pin directory on the same
# interfaces, XDP removed by another tool, commands refused halfway.
set -u
. "$(dirname "$0")/../lib.sh"

ifindex_of() { cat "/sys/class/net/$1/ifindex"; }

# An interface deleted with `ip link del` leaves its vnet with all it had;
# a new device created at the same ifindex is a stranger to the dataplane.
test_deleted_interface_leaves_its_vnet() {
	local x y idx out
	x=$(R x); y=$(R y)
	vnetctl create 3 name red >/dev/null || return 1
	mklink "$x" "${x}p" || return 1
	vnetctl attach "$x" && vnetctl link set "$x" vnet red && vnetctl addr add red "$x" 10.3.0.1/24 &&
		vnetctl route add red 10.33.0.0/16 via 10.3.0.2 || return 1
	idx=$(ifindex_of "$x")
	ip link del "$x"
	ip link add "$y" index "$idx" type veth peer name "${y}p" || return "$(fail "cannot reuse ifindex $idx")"
	CLEAN_IF+=("$y")
	[ "$(ifindex_of "$y")" == "$idx" ] || fail "new device got another ifindex"
	out=$(vnetctl link show; vnetctl addr show; vnetctl route show red)
	grep -qw "$idx" <<<"$(vnetctl link show)" && fail "link show lists the new device: $(vnetctl link show)"
	grep -q 10.3.0.1 <<<"$out" && fail "the old address survived"
	grep -q 10.33.0.0 <<<"$out" && fail "the route via the old interface survived"
	vnetctl attach "$y" || fail "attach of the new device"
	[ "$(vnetctl -j link show | jq ".[] | select(.ifindex == $idx) | .vnet")" == 0 ] ||
		fail "the new device is not in vnet 0"
	return 0
}

# A destroy killed at any point is finished by the next one; the host
# stack's namespace can be made again, whatever was left.
test_destroy_killed_then_netns_again() {
	local t ns pid
	ns="$(basename "$VNET_PIN_DIR")-7"
	for t in 0.02 0.05 0.1 0.2 0.4; do
		vnetctl create 7 name seven netns >/dev/null || return "$(fail "create at $t")"
		vnetctl destroy 7 >/dev/null 2>&1 &
		pid=$!
		sleep "$t"
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		vnetctl list | grep -qw seven && { vnetctl destroy 7 || fail "destroy after kill at $t"; }
		ip netns list | grep -q "^$ns\b" && fail "namespace left after destroy (kill at $t)"
	done
	# a namespace with the host stack's name, left by anything: reclaimed
	ip netns add "$ns" || return 1
	CLEAN_NS+=("$ns")
	vnetctl create 7 name seven netns >/dev/null || fail "create netns over a stale namespace"
	vnetctl exec 7 ip -o addr show dev vnet0 >/dev/null || fail "host stack not usable"
	return 0
}

# bpffs mounted read-only: a change is refused before anything moves; once
# writable, everything works (no stale pin blocks a create).
test_readonly_bpffs_refuses_changes() {
	local mnt=/tmp/vt$RUNID-bpffs err
	mkdir -p "$mnt" && mount -t bpf bpf "$mnt" || return "$(fail "cannot mount a bpffs")"
	export VNET_PIN_DIR=$mnt/p
	vnetctl create 3 name three >/dev/null || { umount "$mnt"; return 1; }
	mount -o remount,ro "$mnt"
	err=$(vnetctl destroy 3 2>&1) && fail "destroy succeeded on a read-only bpffs"
	[[ $err == *"refuses writes"* ]] || fail "unclear: $err"
	[ "$(wc -l <<<"$err")" == 1 ] || fail "more than one line: $err"
	vnetctl list | grep -qw three || fail "vnet 3 gone after a refused destroy"
	mount -o remount,rw "$mnt"
	vnetctl destroy 3 && vnetctl create 3 name three >/dev/null || fail "destroy/create once writable"
	# pins of a vnet that is not registered (a destroy cut short): removed
	mkdir -p "$VNET_PIN_DIR/v9"
	bpftool map create "$VNET_PIN_DIR/v9/nbr4" type hash key 8 value 24 entries 4 name stale
	vnetctl list >/dev/null
	[ -e "$VNET_PIN_DIR/v9" ] && fail "stale pins of vnet 9 left"
	vnetctl create 9 name nine >/dev/null || fail "create 9 over stale pins"
	for i in 3 9; do vnetctl destroy $i >/dev/null 2>&1; done
	rm -rf "$VNET_PIN_DIR"
	umount "$mnt"; rmdir "$mnt"
	return 0
}

# Two pin directories: neither takes the other's program for its own.
test_two_pin_dirs_one_interface() {
	local p1=/sys/fs/bpf/vt$RUNID-pa/vnet p2=/sys/fs/bpf/vt$RUNID-pb/vnet x err n
	x=$(R x)
	mkhost h1 "$x" 10.4.0.2/24 "" || return 1
	VNET_PIN_DIR=$p1 vnetctl attach "$x" && VNET_PIN_DIR=$p1 vnetctl create name a >/dev/null &&
		VNET_PIN_DIR=$p1 vnetctl link set "$x" vnet a && VNET_PIN_DIR=$p1 vnetctl addr add a "$x" 10.4.0.1/24 ||
		return 1
	err=$(VNET_PIN_DIR=$p2 vnetctl attach "$x" 2>&1) && fail "a second pin directory attached"
	[[ $err == *"another pin directory"* ]] || fail "unclear: $err"
	VNET_PIN_DIR=$p2 vnetctl detach "$x" >/dev/null 2>&1
	n=$(VNET_PIN_DIR=$p2 vnetctl reload 2>&1)
	[[ $n == "reloaded 0 interfaces" ]] || fail "p2 reload: $n"
	check "p1's tenant still answers" on h1 ping -c 2 -i 0.2 -W 1 10.4.0.1
	VNET_PIN_DIR=$p1 vnetctl link show | grep "$x" | grep -q yes || fail "p1 lost its program"
	# the same vnet ID with a host stack in both: two namespaces
	VNET_PIN_DIR=$p1 vnetctl create 7 netns >/dev/null || fail "p1 create 7 netns"
	VNET_PIN_DIR=$p2 vnetctl create 7 netns >/dev/null || fail "p2 create 7 netns (name collision)"
	for p in $p1 $p2; do
		for i in 7 1; do VNET_PIN_DIR=$p vnetctl destroy $i >/dev/null 2>&1; done
	done
	VNET_PIN_DIR=$p1 vnetctl detach "$x"
	rm -rf "$(dirname "$p1")" "$(dirname "$p2")"
	return 0
}

# XDP removed by another tool: link show says so; attach puts it back,
# keeping the interface's vnet, addresses and routes.
test_xdp_removed_flagged_and_restored() {
	local x before err
	x=$(R x)
	vnetctl create name red >/dev/null || return 1
	mkhost h1 "$x" 10.5.0.2/24 10.5.0.1 || return 1
	vnetctl attach "$x" && vnetctl link set "$x" vnet red && vnetctl addr add red "$x" 10.5.0.1/24 &&
		vnetctl route add red 10.55.0.0/16 via 10.5.0.2 || return 1
	reach h1 10.5.0.1 || return "$(fail "no traffic before")"
	before=$(vnetctl route show red; vnetctl addr show red)
	ip link set dev "$x" xdp off
	vnetctl link show 2>/dev/null | grep "$x" | grep -q MISSING || fail "link show does not flag it"
	err=$(vnetctl link show 2>&1 >/dev/null)
	[[ $err == *"missing on $x"* ]] || fail "no warning: $err"
	reach h1 10.5.0.1 && fail "traffic without the program?"
	vnetctl attach "$x" || fail "attach did not put it back"
	[ "$before" == "$(vnetctl route show red; vnetctl addr show red)" ] || fail "routes or addresses changed"
	reach h1 10.5.0.1 || fail "no traffic after attach"
	return 0
}

# A batch of route changes on a compiled FIB, killed: the next command
# leaves the compiled table equal to the trie (fib_check) and the count right.
test_killed_batch_repaired() {
	local f=/tmp/vt$RUNID.routes t pid i
	vnetctl create 4 name four routes 100000 >/dev/null || return 1
	vnetctl sysctl four net.route.algo.inet.algo=2 >/dev/null || return 1
	# an interface: a vnet without one is not in its slots yet
	mklink "$(R f)" "$(R f)p" && vnetctl attach "$(R f)" && vnetctl link set "$(R f)" vnet four ||
		return 1
	for i in $(seq 0 9999); do
		echo "route add four 10.$((i / 250)).$((i % 250)).0/24 blackhole"
	done > "$f"
	vnetctl -b "$f" || return 1
	sed -e 's/route add/route del/' -e 's/ blackhole//' "$f" | head -5000 > "$f.2"
	for i in $(seq 0 4999); do echo "route add four 172.$((i / 250 + 16)).$((i % 250)).0/24 blackhole"; done >> "$f.2"
	for t in 0.05 0.2 0.5; do
		vnetctl -b "$f.2" >/dev/null 2>&1 &
		pid=$!
		sleep "$t"
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		vnetctl list >/dev/null || fail "the command after the kill failed"
		"$TOP/build/fib_check" "$VNET_PIN_DIR" 4 0 >/dev/null ||
			fail "after a kill at $t s: $("$TOP/build/fib_check" "$VNET_PIN_DIR" 4 0)"
		# back to the full table for the next round
		vnetctl -b "$f" >/dev/null 2>&1
		sed -n 's/^route add four \(172[^ ]*\).*/route del four \1/p' "$f.2" > "$f.3"
		vnetctl -b "$f.3" >/dev/null 2>&1
	done
	rm -f "$f" "$f.2" "$f.3"
	return 0
}

# A command refused for any part of it changes nothing (MTU included).
test_refused_link_set_changes_nothing() {
	local x mtu args
	x=$(R x)
	vnetctl create name red >/dev/null || return 1
	mklink "$x" "${x}p" && vnetctl attach "$x" || return 1
	mtu=$(cat "/sys/class/net/$x/mtu")
	for args in "mtu 1400 vnet nosuch" "mtu 1400 vnet red fib 99" "mtu 1400 color blue" \
		    "mtu 1400 vnet" "vnet red mtu 20"; do
		# shellcheck disable=SC2086
		vnetctl link set "$x" $args 2>/dev/null && fail "accepted: link set $x $args"
		[ "$(cat "/sys/class/net/$x/mtu")" == "$mtu" ] || fail "kernel MTU changed by: $args"
		[ "$(vnetctl -j link show | jq ".[] | select(.ifname == \"$x\") | .mtu")" == "$mtu" ] ||
			fail "record MTU changed by: $args"
		[ "$(vnetctl -j link show | jq ".[] | select(.ifname == \"$x\") | .vnet")" == 0 ] ||
			fail "moved by: $args"
	done
	vnetctl link set "$x" mtu 1400 vnet red || fail "a valid link set"
	[ "$(cat "/sys/class/net/$x/mtu")" == 1400 ] || fail "valid MTU not applied"
	return 0
}

# Another build's map layouts: counters restart (said on stderr, with the
# tenant's state kept and the program moved onto the new map), a reader
# refuses rather than overrun, configuration in an unknown layout is
# refused with every pin left where it was.
pin_id() { bpftool -j map show pinned "$VNET_PIN_DIR/$1" | jq .id; }
test_changed_layouts() {
	local x stats conf err
	x=$(R x)
	vnetctl create 5 name five >/dev/null && vnetctl sysctl five net.inet.ip.ttl=33 >/dev/null || return 1
	mklink "$x" "${x}p" && vnetctl attach "$x" && vnetctl link set "$x" vnet five || return 1
	# counters of another size, as an older build pinned them
	rm "$VNET_PIN_DIR/vnet_stats"
	bpftool map create "$VNET_PIN_DIR/vnet_stats" type percpu_array key 4 value 8 \
		entries 4096 name vnet_stats || return 1
	stats=$(pin_id vnet_stats)
	vnetctl stats five >/dev/null 2>&1 && fail "a reader used counters of another layout"
	err=$(vnetctl sysctl five net.inet.ip.ttl=34 2>&1 >/dev/null) || fail "upgrade refused: $err"
	grep -q "vnet_stats changed its layout" <<<"$err" || fail "no note of the restart: $err"
	[ "$(pin_id vnet_stats)" != "$stats" ] || fail "the old counters are still pinned"
	vnetctl stats five >/dev/null || fail "stats after the restart"
	vnetctl sysctl five net.inet.ip.ttl | grep -q 34 || fail "setting lost"
	vnetctl reload >/dev/null || fail "reload onto the new counters"
	# configuration in a layout this build does not know: nothing moves
	rm "$VNET_PIN_DIR/vnet_conf"
	bpftool map create "$VNET_PIN_DIR/vnet_conf" type array key 4 value 4 \
		entries 4096 name vnet_conf || return 1
	conf=$(pin_id vnet_conf); stats=$(pin_id vnet_stats)
	rm "$VNET_PIN_DIR/vnet_stats"
	bpftool map create "$VNET_PIN_DIR/vnet_stats" type percpu_array key 4 value 8 \
		entries 4096 name vnet_stats || return 1
	stats=$(pin_id vnet_stats)
	err=$(vnetctl sysctl five net.inet.ip.ttl=35 2>&1) && fail "took an unknown configuration layout"
	[ "$(wc -l <<<"$err")" == 1 ] && grep -q "vnet_conf in a layout" <<<"$err" ||
		fail "not one clear line: $err"
	[ "$(pin_id vnet_conf)" == "$conf" ] && [ "$(pin_id vnet_stats)" == "$stats" ] ||
		fail "a refused open moved pins"
	return 0
}

# The bpffs under a running dataplane unmounted: traffic goes on, a fresh
# state beside it is refused (it would take edits that change nothing),
# and `adopt` takes the running state back: its vnets, routes and
# settings, edits that reach the packets again; an idle vnet comes back
# empty (its tables were freed with the pins).
test_unmounted_bpffs_adopted() {
	local mnt rc
	mnt=$(mktemp -d /tmp/vt$RUNID-bpffs.XXXX)
	mount -t bpf bpf "$mnt" || return 1
	unmounted_then_adopted "$mnt"
	rc=$?
	cleanup	# the interfaces first: a mount under a running program stays busy
	umount "$mnt" 2>/dev/null
	rmdir "$mnt"; rm -f "$mnt.err"
	return $rc
}

unmounted_then_adopted() {
	local mnt=$1 a b ns err out
	export VNET_PIN_DIR=$mnt/state
	a=$(R a); b=$(R b); ns=$(ns_of a)
	vnetctl create 3 name red >/dev/null && vnetctl create 4 name idle >/dev/null &&
		vnetctl sysctl red net.inet.ip.ttl=33 >/dev/null || return 1
	mkhost a "$a" 10.0.1.2/24 10.0.1.1 && mkhost b "$b" 10.0.2.2/24 10.0.2.1 || return 1
	vnetctl attach "$a" && vnetctl attach "$b" && vnetctl link set "$a" vnet red &&
		vnetctl link set "$b" vnet red && vnetctl addr add red "$a" 10.0.1.1/24 &&
		vnetctl addr add red "$b" 10.0.2.1/24 && vnetctl route add idle 10.9.0.0/16 blackhole ||
		return 1
	ip netns exec "$ns" ping -c 2 -W 1 -i 0.2 10.0.2.2 >/dev/null || return "$(fail "no ping before")"
	umount "$mnt" || return 1
	ip netns exec "$ns" ping -c 2 -W 1 -i 0.2 10.0.2.2 >/dev/null ||
		fail "forwarding stopped with the pins"
	mount -t bpf bpf "$mnt" || return 1
	err=$(vnetctl create 9 2>&1) && fail "a fresh state beside the orphan was made"
	grep -q "$a" <<<"$err" && grep -q adopt <<<"$err" || fail "refusal does not say why: $err"
	[ ! -e "$VNET_PIN_DIR/vnet_reg" ] || fail "the refused create left a state"
	out=$(vnetctl adopt "$a" 2>"$mnt.err") || fail "adopt: $(cat "$mnt.err")"
	grep -q "red.*live" <<<"$out" && grep -q "idle" <<<"$out" || fail "adopt lists: $out"
	grep -q "vnet 4 (idle) had no interface" "$mnt.err" || fail "no note of the idle vnet"
	[ "$(vnetctl sysctl red net.inet.ip.ttl)" == "net.inet.ip.ttl: 33" ] ||
		fail "setting lost: $(vnetctl sysctl red net.inet.ip.ttl)"
	vnetctl addr show red | grep -q 10.0.2.1/24 || fail "addresses lost"
	# an edit reaches the running program again
	vnetctl route add red 10.0.2.2/32 blackhole || fail "route add after adopt"
	ip netns exec "$ns" ping -c 1 -W 1 10.0.2.2 >/dev/null && fail "the new route does not apply"
	vnetctl route del red 10.0.2.2/32 || fail "route del after adopt"
	ip netns exec "$ns" ping -c 2 -W 1 -i 0.2 10.0.2.2 >/dev/null || fail "no ping after adopt"
	vnetctl route show idle | grep -q 10.9.0.0 && fail "the idle vnet's freed route is listed"
	vnetctl create 9 >/dev/null || fail "create after adopt"
	return 0
}

run_tests
