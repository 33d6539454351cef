#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# test_cli.sh - bad input: each command must fail with one line naming what
# was wrong, exit non-zero, print nothing on stdout, and leave every pinned
# map byte for byte as it was.
set -u
. "$(dirname "$0")/../lib.sh"


# Every map under the pin dir (but the counters): entries and a hash of
# their contents (tests/unit/snapshot.c), plus the file list.
# An empty or failed snapshot must not compare equal to another one.
snapshot() {
	local s
	s=$("$TOP/build/vnet_snapshot" "$VNET_PIN_DIR" 2>&1) && [ -n "$s" ] &&
		printf '%s\n' "$s" || echo "SNAPSHOT FAILED $RANDOM$RANDOM"
}

setup() {
	vnetctl create 1 name red fibs 2 >/dev/null && vnetctl create 2 name blue >/dev/null || return 1
	mkhost a "$(R a)" 10.0.1.2/24 10.0.1.1 && mkhost b "$(R b)" 10.0.2.2/24 10.0.2.1 &&
		mkhost c "$(R c)" 10.0.3.2/24 10.0.3.1 || return 1
	vnetctl attach "$(R a)" && vnetctl attach "$(R b)" && vnetctl attach "$(R c)" || return 1
	vnetctl link set "$(R a)" vnet red && vnetctl link set "$(R b)" vnet red fib 1 &&
		vnetctl link set "$(R c)" vnet blue || return 1
	vnetctl addr add red "$(R a)" 10.0.1.1/24 && vnetctl addr add red "$(R b)" 10.0.2.1/24 || return 1
	vnetctl route add red 10.8.0.0/16 via 10.0.1.2 && vnetctl neigh add red 10.0.1.7 lladdr \
		02:00:00:00:00:07 dev "$(R a)" || return 1
	# a tenant at its limits: 3 routes per FIB, 1 neighbor
	vnetctl create 3 name tiny routes 3 neighbors 1 rules 1 >/dev/null && mkhost d "$(R d)" 10.0.4.2/24 "" &&
		vnetctl attach "$(R d)" && vnetctl link set "$(R d)" vnet tiny || return 1
	vnetctl route add tiny 10.1.0.0/16 dev "$(R d)" && vnetctl route add tiny 10.2.0.0/16 blackhole &&
		vnetctl route add tiny 10.3.0.0/16 blackhole || return 1
	vnetctl neigh add tiny 10.1.0.1 lladdr 02:00:00:00:00:01 dev "$(R d)" || return 1
	vnetctl filter add tiny 100 allow ip from any to any >/dev/null || return 1
	# a FIB that a filter rule uses
	vnetctl create 4 name quad fibs 2 >/dev/null &&
		vnetctl filter add quad 100 setfib 1 ip from 10.0.0.0/8 to any >/dev/null || return 1
}

# bad "expected message part" ARGS...
SNAP=""
bad() {
	local want=$1; shift
	local out err rc before after lines
	# the state after a good refusal is the state before the next one
	before=${SNAP:-$(snapshot)}
	out=$(vnetctl "$@" 2>/tmp/vt$RUNID.err); rc=$?
	err=$(cat /tmp/vt$RUNID.err)
	after=$(snapshot)
	SNAP=$after
	lines=$(printf '%s\n' "$err" | grep -c .)
	local name="bad input: vnetctl $*"
	if [ $rc -eq 0 ]; then echo "FAIL $name: exit 0"
	elif [ "$lines" -ne 1 ]; then echo "FAIL $name: $lines lines on stderr: $err"
	elif [[ $err != vnetctl:*"$want"* ]]; then echo "FAIL $name: '$err' lacks '$want'"
	elif [ -n "$out" ]; then echo "FAIL $name: printed '$out'"
	elif [[ $before == *"SNAPSHOT FAILED"* || $after == *"SNAPSHOT FAILED"* ]]; then
		echo "FAIL $name: cannot snapshot the pinned state"
	elif [ "$before" != "$after" ]; then echo "FAIL $name: state changed"
		diff <(echo "$before") <(echo "$after") | head -5 | sed 's/^/   | /'
	else echo "PASS $name"
	fi
}

corpus() {
	local A B C
	A=$(R a) B=$(R b) C=$(R c)
	bad "vnet 0 is the host" create 0
	bad "out of range" create 5000
	bad "taken by vnet 1" create name red
	bad "all digits" create name 123
	bad "has '/'" create name bad/name
	bad "fibs 17 out of range" create fibs 17
	bad "at least 1" create fibs 0
	bad "unknown option 'bogus'" create bogus 1
	bad "already exists" create 1
	bad "vnet 0 is the host" destroy 0
	bad "no vnet named 'nosuch'" destroy nosuch
	bad "vnet 77 does not exist" destroy 77
	bad "usage: adopt IFNAME" adopt
	bad "no interface named 'nosuchif0'" adopt nosuchif0
	bad "holds a dataplane state already" adopt "$A"
	bad "no interface named 'nosuchif0'" link set nosuchif0 vnet red
	bad "lo is not attached" link set lo vnet red
	bad "vnet 2 has no fib 1" link set "$A" vnet blue fib 1
	bad "vnet 1 has no fib 3" link set "$A" vnet red fib 3
	bad "no vnet named 'green'" link set "$A" vnet green
	bad "not an IPv4 or IPv6 prefix" addr add red "$A" 10.0.1.300/24
	bad "needs its prefix length" addr add red "$A" 10.0.9.1
	bad "prefix length: '33x' is not a number" addr add red "$A" 10.0.9.1/33x
	bad "out of range" addr add red "$A" 10.0.9.1/33
	bad "already an address of $A" addr add red "$A" 10.0.1.1/24
	bad "already an address of vnet 1" addr add red "$B" 10.0.1.1/24
	bad "is in vnet 2, not in vnet 1" addr add red "$C" 10.0.5.1/24
	bad "cannot be an interface address" addr add red "$A" 127.0.0.1/8
	bad "already exists in vnet 1 fib 0" addr add red "$A" 10.8.0.1/16
	bad "is not an address of" addr del red "$A" 10.0.1.9/24
	bad "not on a connected network" route add red 10.0.5.0/24 via 10.0.9.9
	bad "host bits set (did you mean 10.0.5.0/24?)" route add red 10.0.5.1/24 via 10.0.1.9
	bad "is in vnet 2, not in vnet 1" route add red 10.0.5.0/24 dev "$C"
	bad "missing via GW" route add red 10.0.5.0/24
	bad "has no fib 7" route add red fib 7 10.0.5.0/24 blackhole
	bad "fib 99 out of range" route show red fib 99
	bad "already exists in vnet 1 fib 0" route add red 10.0.1.0/24 blackhole
	bad "belongs to an address of $A" route del red 10.0.1.0/24
	bad "no route 10.99.0.0/16" route del red 10.99.0.0/16
	bad "vnet 0 is the host" route add 0 10.0.5.0/24 blackhole
	bad "is an address of vnet 1 itself" route add red 10.0.5.0/24 via 10.0.1.1
	bad "unexpected 'sideways'" route add red 10.0.5.0/24 sideways
	bad "no route to 192.0.2.1" route get red 192.0.2.1
	bad "not a MAC address" neigh add red 10.0.1.9 lladdr zz:zz dev "$A"
	bad "unicast MAC" neigh add red 10.0.1.9 lladdr 01:00:5e:00:00:01 dev "$A"
	bad "missing lladdr" neigh add red 10.0.1.9 dev "$A"
	bad "missing dev IFNAME" neigh add red 10.0.1.9 lladdr 02:00:00:00:00:09
	bad "no neighbor 10.0.1.99" neigh del red 10.0.1.99 dev "$A"
	bad "is in vnet 2, not in vnet 1" neigh add red 10.0.1.9 lladdr 02:00:00:00:00:09 dev "$C"
	bad "cannot be deleted" del-fib red 0
	bad "is the fib of $B" del-fib red 1
	bad "has no fib 9" del-fib red 9
	bad "vnet 0 is the host" add-fib 0
	bad "out of range (1-255)" sysctl red net.inet.ip.ttl=0
	bad "out of range (0-2)" sysctl red net.route.algo.inet.algo=3
	bad "out of range" sysctl red net.route.algo.inet.dxr_min=0
	bad "unknown sysctl 'nosuch.knob'" sysctl red nosuch.knob
	bad "not a number" sysctl red net.inet.ip.ttl=abc
	bad "no interface named 'nosuchif0'" attach nosuchif0
	bad "already attached" attach "$A"
	bad "not native or skb" attach "$A" mode turbo
	bad "unknown command 'frobnicate'" frobnicate
	bad "vnet 0 is the host" stats 0
	bad "absolute path" -p relative/dir list
	bad "no interface named 'nosuchif0'" reload nosuchif0
	bad "lo is not attached" reload lo
	bad "an epair joins two different vnets" epair create red red
	bad "no vnet named 'nosuch'" epair create red nosuch
	bad "must be 1 to 13 characters" epair create red blue name waytoolongname1
	bad "has '/'" epair create red blue name bad/x
	bad "already exists" epair create red blue name "vt$RUNID"
	bad "no epair named 'nosuch'" epair destroy nosuch
	bad "usage: epair create" epair frobnicate
	bad "usage: netns VNET on|off" netns red maybe
	bad "vnet 1 has no host stack" netns red off
	bad "vnet 0 is the host" netns 0 on
	bad "vnet 1 has no host stack (vnetctl netns 1 on)" exec red true
	bad "usage: exec VNET COMMAND" exec red
	bad "fib 0 of vnet 3 is full (limit 3 routes)" route add tiny 10.4.0.0/16 blackhole
	bad "neighbor table of vnet 3 is full (limit 1)" neigh add tiny 10.1.0.2 lladdr 02:00:00:00:00:02 dev "$(R d)"
	bad "fib 0 of vnet 3 is full (limit 3 routes)" addr add tiny "$(R d)" 10.0.4.1/24
	filter_corpus
	ipv6_corpus
}

ipv6_corpus() {
	local A
	A=$(R a)
	bad "prefix length 129 out of range (0-128)" route add red 2001:db8:5::/129 blackhole
	bad "has host bits set (did you mean 2001:db8:5::/64?)" route add red 2001:db8:5::1/64 blackhole
	bad "fe80::1 cannot be an interface address" addr add red "$A" fe80::1/64
	bad "ff02::1 cannot be an interface address" addr add red "$A" ff02::1/64
	bad "gateway 10.0.1.9 is not of the family of the prefix" route add red 2001:db8:5::/64 via 10.0.1.9
	bad "gateway 2001:db8:9::9 is not on a connected network" route add red 2001:db8:5::/64 via 2001:db8:9::9
	bad "ff02::1 cannot be a neighbor" neigh add red ff02::1 lladdr 02:00:00:00:00:09 dev "$A"
	bad "not an IPv4 or IPv6 address" neigh add red 2001:db8::zz lladdr 02:00:00:00:00:09 dev "$A"
	bad "filter: '2001:db8::/32': from and to are of two address families" filter add red allow ip from 10.0.0.0/8 to 2001:db8::/32
	bad "filter: '2001:db8::/129': prefix length must be 0 to 128" filter add red allow ip from 2001:db8::/129
	bad "out of range (1-255)" sysctl red net.inet6.ip6.hlim=0
}

# Bad rules: the message names the token at fault.
filter_corpus() {
	bad "filter: 'alow': expected an action" filter add red 100 alow ip from any to any
	bad "filter: 'frm': unknown word" filter add red 100 allow ip frm any
	bad "filter: '10.0.0.0/33': prefix length must be 0 to 32" filter add red allow tcp from 10.0.0.0/33 to any
	bad "filter: '10.0.0.300': expected an address" filter add red allow tcp from 10.0.0.300 to any
	bad "filter: '70000': ports run from 0 to 65535" filter add red allow tcp from any to any port 70000
	bad "filter: '90-80': the range runs backwards" filter add red allow tcp from any to any port 90-80
	bad "filter: 'setup/tcpflags': TCP flags need proto tcp" filter add red allow udp from any to any setup
	bad "filter: 'port': ports need proto tcp or udp" filter add red allow icmp from any to any port 22
	bad "filter: 'keep-state': keep-state goes with allow rules only" filter add red deny ip from any to any keep-state
	bad "setfib 1: vnet 2 has no fib 1" filter add blue setfib 1 ip from any to any
	bad "skipto 50 from rule 100: skipto only jumps forward" filter add red 100 skipto 50 ip from any to any
	bad "no interface 'nosuchif0'" filter add red allow ip from any to any via nosuchif0
	bad "filter: 'out': in and out exclude each other" filter add red allow ip from any to any in out
	bad "filter: 'syn,bogus': tcpflags takes" filter add red allow tcp from any to any tcpflags syn,bogus
	bad "filter: '8,300': icmptypes takes numbers" filter add red allow icmp from any to any icmptypes 8,300
	bad "filter: '70000': expected a number from 0 to 65534" filter add red 70000 allow ip
	bad "filter: '0': rule numbers run from 1 to 65534" filter add red 0 allow ip
	bad "filter: '16': expected a number from 0 to 15" filter add red allow ip from any to any fib 16
	bad "filter: 'via' needs an interface name" filter add red allow ip from any to any via
	bad "filter: 'proto' needs a protocol" filter add red allow proto
	bad "filter: 'gre2': expected a protocol" filter add red allow proto gre2 from any to any
	bad "vnet 1 has no rule 555" filter del red 555
	bad "rule number: 'abc' is not a number" filter del red abc
	bad "vnet 0 is the host" filter add 0 allow ip from any to any
	bad "filter show: unexpected 'extra'" filter show red extra
	bad "filter: unknown verb 'frob'" filter frob red
	bad "state: unknown verb 'frob'" state frob red
	bad "no vnet named 'nosuch'" state show nosuch
	bad "vnet 3 is at its limit of 1 rules" filter add tiny 200 deny ip from any to any
	bad "fib 1 of vnet 4 is used by filter rule 100" del-fib quad 1
	bad "rules 70000 out of range" create rules 70000
	bad "unknown sysctl 'net.inet.ip.fw.bogus'" sysctl red net.inet.ip.fw.bogus=1
	bad "out of range (0-1)" sysctl red net.inet.ip.fw.default_to_accept=2
}

# The corpus's "state unchanged" is only worth something if the snapshot
# sees changes: a new key, and a value changed in place.
test_snapshot_sees_changes() {
	setup || return 1
	local a b c
	a=$(snapshot)
	vnetctl route add red 10.60.0.0/16 blackhole || return 1
	b=$(snapshot)
	vnetctl sysctl red net.inet.ip.ttl=33 >/dev/null || return 1
	c=$(snapshot)
	[ "$a" != "$b" ] || fail "snapshot missed a new route"
	[ "$b" != "$c" ] || fail "snapshot missed a changed setting"
}

test_bad_input_corpus() {
	setup || return "$(fail "setup failed")"
	corpus
}

test_batch_error_names_line() {
	setup || return 1
	local f=/tmp/vt$RUNID.batch err
	printf 'create name green\n\n# comment\nroute add green 10.0.0.0/8 via 1.2.3.4\n' > "$f"
	err=$(vnetctl -b "$f" 2>&1 >/dev/null) && fail "batch with a bad line exited 0"
	[[ $err == *"$f:4: gateway 1.2.3.4 is not on a connected network"* ]] ||
		fail "batch error does not name the line: $err"
	rm -f "$f"
}

# The gateway resolution cached during a batch must not outlive the subnet.
test_batch_gateway_cache_invalidated() {
	setup || return 1
	local f=/tmp/vt$RUNID.batch err
	printf '%s\n' "route add red 10.50.0.0/16 via 10.0.2.2" \
		"addr del red $(R b) 10.0.2.1/24" "route add red 10.51.0.0/16 via 10.0.2.2" > "$f"
	err=$(vnetctl -b "$f" 2>&1 >/dev/null) && fail "stale gateway accepted"
	[[ $err == *"$f:3: gateway 10.0.2.2 is not on a connected network"* ]] ||
		fail "unexpected: $err"
	vnetctl route show red | grep -q 10.51.0.0 && fail "route via a vanished gateway added"
	rm -f "$f"
}

# State pinned by an older build lacks maps added since: the next changing
# command adds them and keeps everything else.
test_upgrade_adds_missing_global_map() {
	setup || return 1
	local before
	# as the first build left it: no filter maps, vnet_tmpl without their templates
	rm "$VNET_PIN_DIR"/vnet_icmplim "$VNET_PIN_DIR"/vnet_fw* || return 1
	before=$(vnetctl route show red; vnetctl addr show)
	vnetctl -j filter show red | jq -e '.rules | length == 1' >/dev/null ||
		fail "read-only filter show on the old state"
	vnetctl sysctl red net.inet.icmp.icmplim=50 >/dev/null || fail "changing command failed"
	[ -e "$VNET_PIN_DIR/vnet_icmplim" ] && [ -e "$VNET_PIN_DIR/vnet_fwrules" ] ||
		fail "missing maps not recreated"
	vnetctl filter add blue allow tcp from any to any keep-state >/dev/null ||
		fail "filter on the upgraded state"
	bpftool map dump pinned "$VNET_PIN_DIR/v2/fwrules" | grep -q '"action": 1' ||
		fail "new per-vnet maps lack BTF"
	[ "$before" == "$(vnetctl route show red; vnetctl addr show)" ] || fail "state changed"
	vnetctl sysctl red net.inet.icmp.icmplim | grep -qx 'net.inet.icmp.icmplim: 50' ||
		fail "setting not kept"
}

# Every show/list command's -j output parses as JSON.
test_json_output_is_valid() {
	setup || return 1
	vnetctl epair create red blue name "j$RUNID" >/dev/null || return 1
	CLEAN_IF+=("j${RUNID}a")
	local cmd
	for cmd in "list" "link show" "link show red" "addr show" "addr show red" \
		"route show red" "route show red fib 1" "route get red 10.8.1.1" "neigh show red" \
		"sysctl red" "sysctl red net.inet.ip.ttl" "stats" "stats red" "epair show" \
		"filter show red" "filter show tiny" "state show red" "-6 route show red" \
		"-4 stats red" "-6 neigh show red"; do
		# shellcheck disable=SC2086
		vnetctl -j $cmd | jq -e . >/dev/null 2>&1 || fail "vnetctl -j $cmd: not JSON"
	done
	vnetctl -j list | jq -e '.[] | select(.name == "red") | .fibs == [0, 1]' >/dev/null ||
		fail "list JSON lacks red's FIBs"
}

# Numbers: given, or 100 past the last; a rule with a taken number goes
# after the rules with that number; del removes them all; flush leaves 65535.
test_filter_numbering_and_flush() {
	setup || return 1
	local got
	vnetctl filter add red allow tcp from any to any dst-port 22 >/dev/null &&
		vnetctl filter add red allow udp from any to any >/dev/null &&
		vnetctl filter add red 100 deny icmp from any to any >/dev/null || return 1
	got=$(vnetctl filter show red | awk '{print $1, $4}' | tr '\n' ' ')
	[ "$got" == "00100 allow 00100 deny 00200 allow 65535 deny " ] || fail "order: $got"
	vnetctl filter del red 100 || return 1
	got=$(vnetctl filter show red | awk '{print $1}' | tr '\n' ' ')
	[ "$got" == "00200 65535 " ] || fail "after del 100: $got"
	vnetctl filter flush red || return 1
	got=$(vnetctl filter show red)
	[[ $got == "65535 "*"deny ip from any to any" ]] || fail "after flush: $got"
	vnetctl sysctl red net.inet.ip.fw.enable | grep -q ': 1$' ||
		fail "flush turned the filter off"
}

# What show prints, add reads back to the same rule.
test_filter_show_reads_back() {
	setup || return 1
	local rule
	while read -r rule; do
		# shellcheck disable=SC2086
		vnetctl filter add red $rule >/dev/null || fail "add: $rule"
	done <<EOF_RULES
100 allow tcp from 10.0.0.0/8 to any dst-port 22 in keep-state
110 allow tcp from any src-port 1000-2000 to 10.1.2.3 setup
120 deny udp from 192.0.2.0/24 to any dst-port 53 out via $(R a)
130 count icmp from any to any icmptypes 0,3,8,11
140 setfib 1 ip from 10.9.0.0/16 to any recv $(R b)
150 skipto 300 tcp from any to any tcpflags syn,!ack,!rst
160 reject tcp from any to any established fib 1
170 allow 47 from any to any
EOF_RULES
	local first second
	first=$(vnetctl filter show red | cut -c31-)
	vnetctl create 9 name copy fibs 2 >/dev/null || return 1
	vnetctl filter show red | grep -v '^65535' | while read -r num _ _ text; do
		# shellcheck disable=SC2086
		vnetctl filter add copy "$num" $text >/dev/null || echo "re-add failed: $num $text"
	done | grep . && fail "show output does not read back"
	second=$(vnetctl filter show copy | cut -c31-)
	[ "$first" == "$second" ] || fail "round trip changed rules: $(diff <(echo "$first") <(echo "$second") | head -3)"
}

# The filter's maps exist only once used, and go with the vnet.
test_filter_maps_lazy_and_freed() {
	setup || return 1
	local base with ids left
	vnetctl create 8 name eight >/dev/null || return 1
	base=$(vnet_map_ids 8 | wc -l)
	[ -e "$VNET_PIN_DIR/v8/fwrules" ] && fail "a vnet without rules has a rule map"
	vnetctl filter add eight allow tcp from any to any keep-state >/dev/null || return 1
	ids=$(vnet_map_ids 8)
	with=$(wc -l <<<"$ids")
	[ "$with" -eq $((base + 3)) ] || fail "rules+counters+states: $base -> $with maps"
	vnetctl destroy eight || return 1
	left=$(maps_freed $ids) || fail "destroy left maps: $left"
}

# IPv6 maps come with a vnet's first IPv6 use (an IPv4-only vnet stays
# small and quick to move and destroy), on every FIB, and go with the vnet.
test_ipv6_maps_lazy_and_freed() {
	setup || return 1
	local ids left
	vnetctl create 7 name seven fibs 2 >/dev/null || return 1
	[ -e "$VNET_PIN_DIR/v7/nbr6" ] || [ -e "$VNET_PIN_DIR/v7/fib0_in6" ] &&
		fail "an IPv4-only vnet has IPv6 maps"
	vnetctl -6 route show seven | grep -q . && fail "IPv6 routes listed for a vnet without IPv6"
	vnetctl route add seven 2001:db8::/32 blackhole || return 1
	for m in nbr6 fib0_in6 fib1_in6; do
		[ -e "$VNET_PIN_DIR/v7/$m" ] || fail "first IPv6 route did not make $m"
	done
	vnetctl add-fib seven >/dev/null || return 1
	[ -e "$VNET_PIN_DIR/v7/fib2_in6" ] || fail "add-fib did not add the IPv6 FIB"
	ids=$(vnet_map_ids 7)
	vnetctl destroy seven || return 1
	left=$(maps_freed $ids) || fail "destroy left maps: $left"
}

# A batch of a thousand rules is one commit and all of them land.
test_filter_batch() {
	setup || return 1
	local f=/tmp/vt$RUNID.batch i n
	for i in $(seq 1 1000); do echo "filter add blue $i deny tcp from 192.0.2.$((i % 250)) to any"; done > "$f"
	vnetctl -b "$f" || fail "batch failed"
	n=$(vnetctl filter show blue | wc -l)
	[ "$n" -eq 1001 ] || fail "$n rules after the batch (want 1000 + 65535)"
	rm -f "$f"
}

test_no_state_is_clear() {
	local err
	export VNET_PIN_DIR=/sys/fs/bpf/vt$RUNID-none
	err=$(vnetctl list 2>&1) && fail "list without state exited 0"
	[[ $err == *"no dataplane state in $VNET_PIN_DIR"* ]] || fail "unclear: $err"
	[ -e "$VNET_PIN_DIR" ] && fail "a read-only command created state"
	return 0
}

test_create_rolls_back_when_a_map_cannot_be_made() {
	setup || return 1
	local before after err last made left
	# A directory where vnet 5's second FIB must be pinned (recovery removes
	# stale pins, not directories): creation fails after the neighbor
	# table and FIB 0 were made.
	mkdir -p "$VNET_PIN_DIR/v5/fib1_in4" || return 1
	before=$(snapshot)
	last=$(bpftool -j map show | jq 'map(.id) | max')
	err=$(vnetctl create 5 name five fibs 2 2>&1) && fail "create succeeded"
	[[ $err == *"cannot pin"*"fib1_in4"* ]] || fail "unexpected error: $err"
	after=$(snapshot)
	[ "$before" == "$after" ] || fail "half-created vnet left behind"
	made=$(bpftool -j map show | jq "map(select(.id > $last and (.name | startswith(\"v5_\")))) | map(.id) | .[]")
	left=$(maps_freed $made) || fail "maps of the failed create left: $left"
	vnetctl list | grep -qw five && fail "registry kept the name"
	rmdir "$VNET_PIN_DIR/v5/fib1_in4"
	vnetctl create 5 name five fibs 2 >/dev/null || fail "create after cleanup failed"
}

# The lookup a FIB uses: said by route show and stats, switched by the
# setting (live vnet red: FIB 0 compiled, FIB 1 not), and freed with the vnet.
test_fib_lookup_setting() {
	setup || return 1
	local head ids left
	vnetctl route show red | head -1 | grep -q "^# fib 0 inet lookup: trie, 5 routes" ||
		fail "route show header: $(vnetctl route show red | head -1)"
	vnetctl sysctl red net.route.algo.inet.algo=2 >/dev/null || return 1
	head=$(vnetctl route show red | head -1)
	[[ $head == "# fib 0 inet lookup: dxr, 5 routes, compiled "* ]] || fail "after algo=2: $head"
	[ "$(vnetctl -j stats red | jq -r '[.fibs[].lookup] | join(",")')" == "dxr,dxr" ] ||
		fail "stats: $(vnetctl -j stats red | jq -c .fibs)"
	ls "$VNET_PIN_DIR"/v1/fib0_dxr4_* >/dev/null 2>&1 || fail "no compiled map pinned"
	vnetctl route add red 10.9.0.0/16 via 10.0.1.2 || return 1
	[ "$(vnetctl -j stats red | jq '.fibs[0].dxr_updates')" -ge 1 ] || fail "route add did not update the table"
	vnetctl sysctl red net.route.algo.inet.algo=1 >/dev/null || return 1
	ls "$VNET_PIN_DIR"/v1/fib*_dxr4_* >/dev/null 2>&1 && fail "compiled maps left after algo=1"
	vnetctl sysctl red net.route.algo.inet.algo=2 >/dev/null || return 1
	ids=$(vnet_map_ids 1)
	grep -q . <<<"$(ls "$VNET_PIN_DIR"/v1/fib*_dxr4_*)" || fail "no compiled map to free"
	vnetctl destroy red || return 1
	left=$(maps_freed $ids) || fail "destroy left maps: $left"
	ls "$VNET_PIN_DIR"/v1 >/dev/null 2>&1 && fail "pins of red left"
	return 0
}

# Auto: a batch crossing net.route.algo.inet.dxr_min compiles once, at its end.
test_fib_auto_batch_compiles_once() {
	setup || return 1
	local i
	vnetctl sysctl blue net.route.algo.inet.dxr_min=1000 >/dev/null || return 1
	for i in $(seq 0 1199); do
		echo "route add blue 10.$((100 + i / 250)).$((i % 250)).0/24 blackhole"
	done > "$WORK_DIR/r.batch"
	vnetctl -b "$WORK_DIR/r.batch" || return 1
	[ "$(vnetctl -j stats blue | jq -r '.fibs[0].lookup')" == dxr ] || fail "1,202 routes not compiled"
	[ "$(vnetctl -j stats blue | jq '.fibs[0].dxr_rebuilds')" == 1 ] ||
		fail "compiled $(vnetctl -j stats blue | jq '.fibs[0].dxr_rebuilds') times"
	[ "$(vnetctl route get blue 10.100.7.9 | head -1)" == "10.100.7.9 blackhole fib 0" ] ||
		fail "route get: $(vnetctl route get blue 10.100.7.9 | head -1)"
	sed 's/^route add \(blue [^ ]*\).*/route del \1/' "$WORK_DIR/r.batch" | head -800 > "$WORK_DIR/d.batch"
	vnetctl -b "$WORK_DIR/d.batch" || return 1
	[ "$(vnetctl -j stats blue | jq -r '.fibs[0].lookup')" == trie ] || fail "402 routes still compiled"
	return 0
}

WORK_DIR=$(mktemp -d)
run_tests
rm -f /tmp/vt$RUNID.err
rm -rf "$WORK_DIR"
