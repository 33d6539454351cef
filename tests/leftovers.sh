#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# leftovers.sh snapshot FILE | check FILE - what the suite may not leave
# behind: processes (iperf3 and the project's own), namespaces, bpffs
# entries, BPF maps and XDP attachments. `check` compares with the snapshot
# and judges only what is new since it (the machine may hold other things),
# printing one PASS or FAIL line for tests/run.sh.
set -u

state() {
	# zombies are not counted: a container's init may never reap them
	echo "# procs"; ps -eo pid=,stat=,comm= |
		awk '$2 !~ /^Z/ && $3 ~ /^(iperf3|vnetctl|vnetd|tcpdump|ping|bird|zebra|bgpd)$/ {print $1}' | sort
	echo "# netns"; ip netns list 2>/dev/null | awk '{print $1}' | sort
	echo "# bpffs"; ls -1 /sys/fs/bpf 2>/dev/null | sort
	echo "# maps"; bpftool map show 2>/dev/null | awk -F: '/^[0-9]+:/ {print $1}' | sort
	echo "# xdp"; ip -o link show 2>/dev/null | awk -F': ' '/ xdp/ {print $2}' | sort
}

section() { awk -v s="# $1" '/^# / {on = ($0 == s); next} on' "$2"; }

case ${1:-} in
snapshot)
	state > "$2" ;;
check)
	now=$(mktemp); trap 'rm -f "$now"' EXIT
	# maps of the last test may still be in their RCU grace period
	for i in $(seq 1 25); do
		state > "$now"
		[ -z "$(comm -13 <(section maps "$2") <(section maps "$now"))" ] && break
		sleep 0.2
	done
	bad=""
	for s in procs netns bpffs maps xdp; do
		new=$(comm -13 <(section $s "$2") <(section $s "$now") | tr '\n' ' ')
		[ -n "$new" ] && bad="$bad $s: $new;"
	done
	if [ -n "$bad" ]; then
		echo "FAIL suite_leaves_nothing_behind:$bad"
		exit 1
	fi
	echo "PASS suite_leaves_nothing_behind" ;;
*)
	echo "usage: leftovers.sh snapshot|check FILE" >&2; exit 2 ;;
esac
