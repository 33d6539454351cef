#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# writers.sh [--short] - 8 vnetctl writers at once, each doing a random mix
# of operations on one shared vnet (routes, static neighbors, filter rules)
# and on a vnet of its own (create, destroy), on keys of its own, so that
# each writer knows which of its operations must succeed and which must
# fail. Every outcome is checked against that, every failure must be one
# line, no call may hang (a deadlock), and the final state must be exactly
# what the successful operations imply. Full: 1,000 operations each;
# short (make test): 60.
set -u
. "$(dirname "$0")/../lib.sh"

OPS=1000
[ "${1:-}" == --short ] && OPS=60
WRITERS=8

# writer W OUT: its operations; its verdicts and final model go to OUT.*
writer() {
	local w=$1 out=$2 x=$3 i op j rc err want key
	local -A routes=() neighs=() rules=()
	local own=0 bad=0 hung=0 ok=0 refused=0
	RANDOM=$((w * 7919))
	for i in $(seq 1 "$OPS"); do
		j=$((RANDOM % 24))
		op=$((RANDOM % 7))
		case $op in
		0|1) key="10.$((100 + w)).$j.0/24"
		     if [ $op == 0 ]; then set -- route add shared "$key" blackhole; want=${routes[$key]:-0}
		     else set -- route del shared "$key"; want=$((1 - ${routes[$key]:-0})); fi ;;
		2|3) key="10.50.$w.$((j + 1))"
		     if [ $op == 2 ]; then set -- neigh add shared "$key" lladdr "02:00:00:00:0$w:$(printf %02x $j)" dev "$x"
			  want=0	# add replaces: always succeeds
		     else set -- neigh del shared "$key" dev "$x"; want=$((1 - ${neighs[$key]:-0})); fi ;;
		4|5) key=$((w * 1000 + j + 1))
		     if [ $op == 4 ]; then set -- filter add shared "$key" deny udp from "10.$w.0.0/16" to any
			  want=0	# same number again: another rule, as ipfw
		     else set -- filter del shared "$key"; want=$((1 - ${rules[$key]:-0})); fi ;;
		6)   if [ $own == 0 ]; then set -- create $((100 + w)) name "own$w"; else set -- destroy "own$w"; fi
		     want=0 ;;
		esac
		err=$(timeout 60 "$VNETCTL" "$@" 2>&1 >/dev/null); rc=$?
		if [ $rc == 124 ]; then hung=$((hung + 1)); echo "hung: $*" >> "$out.log"; continue; fi
		# want 1: must fail; 0: must succeed
		if [ $rc == 0 ] && [ "$want" == 1 ]; then bad=$((bad + 1)); echo "succeeded, should fail: $*" >> "$out.log"; fi
		if [ $rc != 0 ]; then
			refused=$((refused + 1))
			[ "$want" == 1 ] || { bad=$((bad + 1)); echo "failed, should succeed: $* ($err)" >> "$out.log"; }
			[ "$(wc -l <<<"$err")" == 1 ] && [ -n "$err" ] ||
				{ bad=$((bad + 1)); echo "not one line: $* ($err)" >> "$out.log"; }
			continue
		fi
		ok=$((ok + 1))
		case $op in
		0) routes[$key]=1 ;; 1) routes[$key]=0 ;;
		2) neighs[$key]=1 ;; 3) neighs[$key]=0 ;;
		4) rules[$key]=$(( ${rules[$key]:-0} + 1 )) ;; 5) rules[$key]=0 ;;
		6) own=$((1 - own)) ;;
		esac
	done
	{
		for key in "${!routes[@]}"; do [ "${routes[$key]}" == 1 ] && echo "route $key"; done
		for key in "${!neighs[@]}"; do [ "${neighs[$key]}" == 1 ] && echo "neigh $key"; done
		for key in "${!rules[@]}"; do
			for ((i = 0; i < ${rules[$key]}; i++)); do echo "rule $key"; done
		done
		[ $own == 1 ] && echo "vnet own$w"
	} > "$out.model"
	echo "$ok $refused $bad $hung" > "$out.tally"
}

test_concurrent_writers() {
	local dir x w start secs want got ok=0 refused=0 bad=0 hung=0 a b c d
	x=$(R w)
	vnetctl create 50 name shared fibs 2 >/dev/null || return 1
	mklink "$x" "${x}p" && vnetctl attach "$x" && vnetctl link set "$x" vnet shared &&
		vnetctl addr add shared "$x" 10.50.0.1/16 || return 1
	dir=$(mktemp -d)
	start=$(date +%s.%N)
	for w in $(seq 1 $WRITERS); do writer "$w" "$dir/w$w" "$x" & done
	wait
	secs=$(echo "$(date +%s.%N) - $start" | bc)
	for w in $(seq 1 $WRITERS); do
		read -r a b c d < "$dir/w$w.tally" || { fail "writer $w left no tally"; continue; }
		ok=$((ok + a)); refused=$((refused + b)); bad=$((bad + c)); hung=$((hung + d))
	done
	want=$(cat "$dir"/w*.model | sort)
	got=$({
		vnetctl -j route show shared | jq -r '.[] | select(.dst | startswith("10.1")) | "route \(.dst)"'
		vnetctl -j neigh show shared | jq -r '.[] | select(.state == "permanent") | "neigh \(.dst)"'
		vnetctl -j filter show shared | jq -r '.rules[] | select(.rule != 65535) | "rule \(.rule)"'
		vnetctl -j list | jq -r '.[] | select(.name | startswith("own")) | "vnet \(.name)"'
	} | sort)
	printf 'writers: %d x %d operations in %.1f s: %d succeeded, %d refused as expected, %d wrong, %d hung\n' \
		$WRITERS "$OPS" "$secs" "$ok" "$((refused - bad))" "$bad" "$hung"
	printf 'writers: final state %d entries, what the successful operations imply %d, %s\n' \
		"$(grep -c . <<<"$got")" "$(grep -c . <<<"$want")" \
		"$([ "$want" == "$got" ] && echo equal || echo DIFFERENT)"
	[ "$bad" == 0 ] || fail "$bad wrong outcomes: $(cat "$dir"/w*.log | head -3 | tr '\n' ';')"
	[ "$hung" == 0 ] || fail "$hung calls hung"
	[ "$want" == "$got" ] || fail "state differs: $(diff <(echo "$want") <(echo "$got") | head -5 | tr '\n' ';')"
	for w in $(seq 1 $WRITERS); do vnetctl destroy "own$w" >/dev/null 2>&1; done
	rm -rf "$dir"
	return 0
}

run_tests
