/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * vnet_abi.h - everything the XDP datapath and the control plane must agree
 * on: limits, map names, and the key/value layouts of every map.
 *
 * This is the only header included by both sides. Its structs carry BTF (the
 * BPF object is built with -g), so `bpftool map dump` prints named fields for
 * the global maps and for every per-vnet map instance the control plane makes
 * from a template. Addresses are in network byte order everywhere.
 */
#ifndef VNET_ABI_H
#define VNET_ABI_H

#include <linux/types.h>

/* vnet IDs run 0..VNET_MAX-1; vnet 0 is the host (the Linux stack). */
#define VNET_MAX		4096
/* FIB numbers run 0..VNET_MAX_FIBS-1 in every vnet (FreeBSD's first limit). */
#define VNET_MAX_FIBS		16
/* Interface records and redirect targets are arrays indexed by ifindex. */
#define VNET_MAX_IFINDEX	65536
#define VNET_MAX_IFADDRS	16384
#define VNET_NAME_LEN		32

/* Per-vnet size limits: defaults, overridable at `vnetctl create`. */
#define VNET_DEF_ROUTES		65536	/* per FIB */
#define VNET_DEF_NEIGH		1024	/* as Linux's neigh gc_thresh3 */
#define VNET_MAX_ROUTES		16777216
#define VNET_MAX_NEIGH		1048576

/* Slot of a per-FIB map in its outer map. */
#define VNET_FIB_SLOT(vnet, fib)	((vnet) * VNET_MAX_FIBS + (fib))

/* ---- interfaces (global array vnet_ifaces, index: ifindex) ---- */

struct vnet_iface {
	__u32 vnet;		/* owning vnet; 0 = host (or unused): XDP_PASS */
	__u32 fib;		/* default FIB of packets received here */
	__u32 mtu;		/* L3 MTU of the device */
	__u32 addr4;		/* primary IPv4 address: source of ICMP errors */
	__u8  mac[6];
	__u16 flags;		/* VNET_IF_F_* */
};

#define VNET_IF_F_REGISTERED	0x1	/* attached to the dataplane */
#define VNET_IF_F_XDP_OWNED	0x2	/* program attached by vnetctl */
#define VNET_IF_F_EPAIR		0x4	/* one end of an epair made by vnetctl */
#define VNET_IF_F_HOSTSTACK	0x8	/* outer end of the vnet's host-stack veth */

/* ---- interface addresses (global map vnet_ifaddrs) ---- */

struct vnet_ifaddr_key {
	__u32 ifindex;
	__u32 addr4;
};

struct vnet_ifaddr {
	__u32 vnet;
	__u32 prefixlen;
	__u64 seq;		/* creation order: the oldest is primary */
};

/* ---- IPv4 FIB (template vnet_fib4, one LPM trie per vnet and FIB) ---- */

struct fib4_key {
	__u32 prefixlen;
	__u32 addr;
};

enum vnet_rt_type {
	VNET_RT_UNICAST = 1,	/* via gateway, or on-link when gw == 0 */
	VNET_RT_LOCAL,		/* one of the vnet's own addresses */
	VNET_RT_BLACKHOLE,	/* drop silently */
	VNET_RT_UNREACHABLE,	/* drop, ICMP host unreachable */
};

#define VNET_RTF_IFADDR		0x1	/* installed by an address, not by hand */

struct fib4_route {
	__u8  type;		/* enum vnet_rt_type */
	__u8  flags;		/* VNET_RTF_* */
	__u8  prefixlen;	/* of the matched prefix, for `route get` */
	__u8  pad;
	__u32 ifindex;		/* egress; 0 for blackhole/unreachable */
	__u32 gw;		/* next hop; 0 = the destination itself */
};

/*
 * ---- compiled IPv4 FIBs (templates vnet_dxr4_N, at most one per vnet and FIB) ----
 *
 * DXR (Zec, "DXR: towards a billion routing lookups per second in software"):
 * the routes of a FIB flattened into address ranges. D is a direct table
 * indexed by the top 16 bits of the destination (20 in the large classes,
 * as FreeBSD's D20R: chunks 16 times shorter, fewer search steps); each
 * entry is either one next hop for its whole /16 (/20) (DXR_DIRECT) or the
 * word index of a chunk: a count word, then that many range words (start:
 * the low bits of the first address, nh: next-hop index), sorted, the
 * first starting at 0. D fills the first pages, the next hops follow. The
 * next-hop table holds struct fib4_route values (prefix length included, so
 * a lookup says which prefix matched, as the trie does); next hop 0 is "no
 * route". All of it lives in pages of one BPF array: a lookup reads one
 * page per step and a chunk never straddles two pages.
 *
 * Arrays of one size let the verifier inline their lookups (it cannot for
 * BPF_F_INNER_MAP, sizes varying), which is most of a lookup's cost here:
 * tables therefore come in DXR_CLASSES sizes, each with its outer map, and
 * vnet_dxr4cls says which one a FIB's table is in.
 */
#define DXR_CLASSES		9
#define DXR_CLASS_PAGES(c)	(6u << (c))	/* 384 KiB ... 96 MiB */
#define DXR_D20_CLASS		4		/* and up: 20-bit D (4 MiB) */
#define DXR_DBITS(c)		((c) >= DXR_D20_CLASS ? 20 : 16)
#define DXR_PAGE_SHIFT		14
#define DXR_PAGE_WORDS		(1u << DXR_PAGE_SHIFT)	/* 64 KiB pages */
#define DXR_PAGE_MASK		(DXR_PAGE_WORDS - 1)
#define DXR_D_PAGES(dbits)	((1u << (dbits)) >> DXR_PAGE_SHIFT)
#define DXR_NH_SHIFT		12	/* 4,096 next hops (16 bytes) per page */
#define DXR_NH_MAX		65536
#define DXR_DIRECT		0x80000000u
#define DXR_MAX_CHUNK		(DXR_PAGE_WORDS - 1)	/* ranges in one chunk */
#define DXR_SEARCH_STEPS	14	/* ceil(log2(DXR_MAX_CHUNK)) */

struct dxr_page {
	__u32 w[DXR_PAGE_WORDS];
};

/* Which lookup a FIB uses (net.route.algo.inet.algo). */
enum vnet_fib_algo {
	VNET_ALGO_AUTO = 0,	/* by size: see net.route.algo.inet.dxr_min */
	VNET_ALGO_TRIE,		/* LPM trie (FreeBSD's radix4) */
	VNET_ALGO_DXR,		/* compiled */
};

/* Route settings (global array vnet_rtconf, key: vnet ID). */
struct vnet_rtconf {
	__u32 algo4;		/* enum vnet_fib_algo */
	__u32 dxr_min;		/* auto: compile at this many IPv4 routes */
};

/*
 * Control-plane bookkeeping of each FIB (global array vnet_fibinfo, key:
 * FIB slot); the datapath reads only the compiled table itself.
 */
struct vnet_fibinfo {
	__u32 routes4;		/* IPv4 routes in the trie */
	__u32 nh_pages;		/* next-hop pages after the D table */
	__u32 nh_count;		/* next hops in use, 0 ("no route") included */
	__u32 tail;		/* next free range word (absolute index) */
	__u32 garbage;		/* range words no D entry refers to */
	__u32 chunks;		/* chunks with ranges (the rest are direct) */
	__u32 ranges;		/* range words in use */
	__u64 compiled_ns;	/* CLOCK_REALTIME of the last full compile */
	__u32 rebuilds;		/* full compiles since the FIB was made */
	__u32 updates;		/* chunks rewritten in place */
	__s32 error;		/* why the last compile failed (-errno), 0 */
	__u32 cls;		/* class of the table + 1 (its size); 0: not compiled */
};

/* ---- neighbors (template vnet_nbr4, one hash per vnet, shared by FIBs) ---- */

struct nbr4_key {
	__u32 ifindex;
	__u32 addr;
};

enum vnet_nud_state {
	VNET_NUD_INCOMPLETE = 1,	/* request sent, no answer yet (vnet_nbrpend) */
	VNET_NUD_REACHABLE,		/* learned; ages out after max_age */
	VNET_NUD_STATIC,		/* set by hand; never learned over */
};

struct nbr_entry {
	__u8  mac[6];
	__u8  state;		/* enum vnet_nud_state */
	__u8  asked;		/* requests sent since last confirmation */
	__u64 confirmed_ns;	/* CLOCK_MONOTONIC_COARSE of last learn */
	__u64 probed_ns;	/* CLOCK_MONOTONIC_COARSE of last request */
};

/*
 * ---- neighbors being resolved (template vnet_nbrpend, an LRU hash per
 * vnet, both families; values: struct nbr_entry, state INCOMPLETE) ----
 *
 * The requests sent for each next hop not yet answered, rate-limited. They
 * are kept apart from the neighbor tables, and the table is an LRU, so
 * that traffic to many addresses nobody answers for (a scan of a connected
 * /64 from outside) only churns this table: it never fills the tables that
 * forwarding reads, and a new neighbor can always be resolved and learned.
 */
#define VNET_DEF_PENDING	256

struct nbr_pend_key {
	__u32 ifindex;
	__u32 family;		/* 4 or 6 */
	__u8  addr[16];		/* IPv4: the first 4 bytes, the rest zero */
};

/*
 * ---- IPv6 ----
 * Each IPv6 key or value begins like its IPv4 twin (a prefix length or an
 * ifindex, then the address; a route's gateway last), so the control
 * plane handles both families with one layout and the family's sizes.
 */

/* IPv6 FIB (template vnet_fib6, one LPM trie per vnet and FIB). */
struct fib6_key {
	__u32 prefixlen;
	__u8  addr[16];
};

struct fib6_route {
	__u8  type;		/* enum vnet_rt_type */
	__u8  flags;		/* VNET_RTF_* */
	__u8  prefixlen;
	__u8  pad;
	__u32 ifindex;
	__u8  gw[16];		/* next hop; all zero = the destination itself */
};

/* IPv6 neighbors (template vnet_nbr6, one hash per vnet; NDP's cache). */
struct nbr6_key {
	__u32 ifindex;
	__u8  addr[16];
};

/* IPv6 interface addresses (global map vnet_ifaddrs6; value vnet_ifaddr). */
struct vnet_ifaddr6_key {
	__u32 ifindex;
	__u8  addr[16];
};

/*
 * Per-interface IPv6 (global array vnet_ifaces6, index: ifindex): the
 * primary global address, source of ICMPv6 errors. The link-local address
 * is not stored: it is fe80::/64 + the modified EUI-64 of the MAC.
 */
struct vnet_iface6 {
	__u8  addr[16];		/* all zero: none, errors come from the link-local */
};

/* IPv6 settings (global array vnet_conf6, key: vnet ID). */
struct vnet_conf6 {
	__u8  forwarding;	/* net.inet6.ip6.forwarding */
	__u8  hlim;		/* net.inet6.ip6.hlim: hop limit of packets we originate */
	__u8  icmp6_errors;	/* (vnet) send ICMPv6 errors (rate-limited by icmplim) */
	__u8  pad;
};

/* IPv6 counters: struct vnet_stats again, in the per-CPU array vnet_stats6;
 * its arp_* counters count NDP (solicitations in, answered, sent, learned). */

/* ---- per-vnet settings (global array vnet_conf, key: vnet ID) ---- */

/*
 * The vnet's sysctls. Defaults (and the FreeBSD names) live in the control
 * plane's sysctl table; forwarding is on by default because a vnet here is a
 * router, not a jail's host.
 */
struct vnet_conf {
	__u8  ip_forwarding;	/* net.inet.ip.forwarding */
	__u8  ip_ttl;		/* net.inet.ip.ttl: TTL of packets we originate */
	__u8  icmp_echo;	/* net.inet.icmp.echo_reply */
	__u8  icmp_timxceed;	/* net.inet.icmp.time_exceeded */
	__u8  icmp_unreach;	/* net.inet.icmp.unreach */
	__u8  icmp_needfrag;	/* net.inet.icmp.needfrag */
	__u8  arp_glean;	/* net.link.ether.inet.glean */
	__u8  arp_maxtries;	/* net.link.ether.inet.maxtries */
	__u32 arp_max_age;	/* net.link.ether.inet.max_age, seconds */
	__u32 arp_wait;		/* net.link.ether.inet.wait, seconds */
	__u32 arp_rexmit_ms;	/* net.link.ether.inet.rexmit_ms */
	__u32 icmplim;		/* net.inet.icmp.icmplim: errors per second, 0 = no limit */
	/* Not sysctls: set by `vnetctl netns`. Local traffic XDP does not
	 * answer goes out of hs_ifindex to the host stack's MAC. */
	__u32 hs_ifindex;	/* 0: no host stack */
	__u8  hs_mac[6];
	__u16 pad;
};

/* ---- per-vnet per-CPU counters (global arrays vnet_stats, vnet_stats6) ---- */

/*
 * Why a frame was dropped: one list, shared by the datapath (which counts
 * every drop through one exit, vnet_drop) and user space (vnetctl stats
 * prints these names). Append only: the position is the counter's slot.
 */
#define VNET_DROP_REASONS(X)						\
	X(malformed,	  "bad Ethernet, ARP, IP or ICMP header, length or checksum") \
	X(martian,	  "impossible source or destination address")	\
	X(bcast_mcast,	  "broadcast or multicast, not routed")		\
	X(not_for_us,	  "unicast frame for another MAC")		\
	X(unknown_proto,  "neither IPv4, IPv6 nor ARP")			\
	X(neigh_ignored,  "ARP or NDP message not for the vnet, or from off the link") \
	X(not_forwarding, "forwarding is off (net.inet.ip.forwarding)")	\
	X(no_route,	  "no route to the destination")		\
	X(blackhole,	  "a blackhole route")				\
	X(unreachable,	  "an unreachable route")			\
	X(ttl_exceeded,	  "TTL or hop limit expired")			\
	X(too_big,	  "larger than the egress MTU")			\
	X(wrong_vnet,	  "the route leads to another vnet's interface")	\
	X(no_neighbor,	  "next hop not resolved yet (ARP or NDP sent)")	\
	X(local_dropped,  "to the vnet's own address, and no host stack takes it") \
	X(filtered,	  "denied or rejected by the vnet's filter")	\
	X(ext_headers,	  "IPv6 extension headers longer or deeper than walked") \
	X(internal,	  "dataplane state missing (a map slot, a record)")

#define VNET_DROP_FIELD(name, text)	__u64 name;
#define VNET_DROP_ENUM(name, text)	VNET_DROP_##name,

struct vnet_drops {
	VNET_DROP_REASONS(VNET_DROP_FIELD)
};

enum vnet_drop {
	VNET_DROP_REASONS(VNET_DROP_ENUM)
	VNET_DROP_MAX
};

_Static_assert(sizeof(struct vnet_drops) == VNET_DROP_MAX * sizeof(__u64),
	       "one counter per drop reason");

/*
 * Every frame a vnet takes is counted in `received` and in exactly one
 * fate: forwarded, delivered, hoststack_out or one of the drops, so that
 * received = forwarded + delivered + hoststack_out + sum(drops). The
 * counters after the fates count events (requests sent, errors sent,
 * entries learned), of which a frame may cause several or none.
 */
struct vnet_stats {
	__u64 received;		/* frames taken by the vnet */
	__u64 received_bytes;
	/* fates */
	__u64 forwarded;	/* transit, routed out */
	__u64 forwarded_bytes;
	__u64 delivered;	/* to the vnet itself: answered here (echo, ARP,
				 * NDP), learned from, or given to its host stack */
	__u64 hoststack_out;	/* sent by the vnet's host stack, routed out */
	struct vnet_drops drops;
	/* events */
	__u64 arp_in;		/* ARP frames (NDP messages) received */
	__u64 arp_replies;	/* answers sent for our addresses */
	__u64 arp_requests;	/* requests sent to resolve next hops */
	__u64 arp_learned;
	__u64 neigh_full;	/* not learned: neighbor table at its limit */
	__u64 icmp_out;		/* echo replies and errors sent */
	__u64 icmp_no_source;	/* error not sent: ingress has no address */
	__u64 icmp_ratelimited;	/* error not sent: over net.inet.icmp.icmplim */
	__u64 answer_unsent;	/* a reply or error built, not sent (no route,
				 * neighbor or room back) */
};

/* ---- ICMP error rate limit (global array vnet_icmplim, key: vnet ID) ---- */

/* One window per vnet, shared by its CPUs (errors are the slow path). */
struct vnet_ratelimit {
	__u64 window_ns;	/* CLOCK_MONOTONIC_COARSE start of this second */
	__u32 sent;		/* errors sent in it */
	__u32 pad;
};

/* ---- control-plane registry (global array vnet_reg, key: vnet ID) ---- */

#define VNET_REG_USED	0x1
#define VNET_REG_LIVE	0x2	/* slots installed in the outer maps */
#define VNET_REG_RTDIRTY 0x4	/* IPv4 route changes under way: set before a
				 * trie changes, cleared once the compiled FIBs
				 * and counts follow; found set, a crash cut the
				 * change short and the next command rebuilds */

struct vnet_reg {
	__u32 flags;
	__u32 fibs;		/* bitmask of existing FIBs */
	__u32 max_routes;	/* per FIB */
	__u32 max_neigh;
	__u64 created_ns;	/* CLOCK_REALTIME */
	char  name[VNET_NAME_LEN];
};

/* ---- filter: per-vnet ipfw (rules, rule counters, states) ---- */

#define VNET_DEF_RULES		1024	/* per vnet, the default rule not counted */
#define VNET_MAX_RULES		65534
#define VNET_DEF_STATES		16384	/* FreeBSD's net.inet.ip.fw.dyn_max */
#define VNET_MAX_STATES		4194304
#define FW_RULE_DEFAULT		65535	/* ipfw's last rule: the default policy */

enum fw_action {
	FW_ALLOW = 1,
	FW_DENY,	/* silent drop */
	FW_REJECT,	/* TCP: RST; otherwise ICMP administratively prohibited */
	FW_COUNT,	/* count, then go on with the next rule */
	FW_SETFIB,	/* choose the FIB of this packet's lookups, go on */
	FW_SKIPTO,	/* go on at the first rule numbered arg or more */
	FW_DEFAULT,	/* rule 65535: net.inet.ip.fw.default_to_accept */
};

#define FW_F_IN		0x001	/* only when the packet comes in */
#define FW_F_OUT	0x002	/* only when it goes out */
#define FW_F_KEEP_STATE	0x004
#define FW_F_ESTAB	0x008	/* TCP with ACK or RST (ipfw `established`) */
#define FW_F_FIB	0x010	/* the packet's FIB is fib */
#define FW_F_ICMPTYPES	0x020
#define FW_F_SPORT	0x040
#define FW_F_DPORT	0x080
#define FW_F_TCPFLAGS	0x100	/* tcp_set all set, tcp_clr all clear */

enum fw_if_match {
	FW_IF_ANY,
	FW_IF_RECV,	/* received on ifindex */
	FW_IF_XMIT,	/* leaving by ifindex (outbound pass only) */
	FW_IF_VIA,	/* the interface of this pass: recv inbound, xmit outbound */
};

/*
 * One rule (vnet_fwrules copy, index = position; the last is rule 65535).
 * Addresses are 4 words so that IPv6 prefixes fit the same rule; an IPv4
 * prefix uses word 0 and leaves the other masks 0.
 */
struct fw_rule {
	__u16 num;
	__u8  action;		/* enum fw_action */
	__u8  proto;		/* IP protocol; 0 = any */
	__u16 flags;		/* FW_F_* */
	__u16 arg;		/* setfib: FIB; skipto: rule number */
	__u16 jump;		/* skipto: index of the first rule numbered >= arg */
	__u8  family;		/* 0 = any, 4, 6 */
	__u8  if_match;		/* enum fw_if_match */
	__u32 ifindex;
	__u32 counter;		/* index in the vnet's rule counters */
	__u8  tcp_set, tcp_clr;	/* TCP flag bits, as in the header */
	__u8  fib;		/* FW_F_FIB */
	__u8  pad;
	__u16 sport[2], dport[2];	/* inclusive ranges, host order */
	__u64 icmp_types[4];	/* bit per ICMP type (FW_F_ICMPTYPES) */
	__u32 src[4], smask[4], dst[4], dmask[4];
};

/* Per-rule counters (vnet_fwcnt copy, index: fw_rule.counter). */
struct fw_counter {
	__u64 packets;
	__u64 bytes;
};

/*
 * A state (vnet_fwstate copy, an LRU hash). The key is the flow with its
 * lower (address, port) end first, so both directions find it in one
 * lookup; `init_a` says which end opened it. ICMP echo uses the identifier
 * as both ports.
 */
struct fw_state_key {
	__u32 a[4];
	__u32 b[4];
	__u16 pa, pb;
	__u8  proto;
	__u8  family;
	__u16 pad;
};

#define FW_TCP_SYN_A	0x01
#define FW_TCP_SYN_B	0x02
#define FW_TCP_FIN_A	0x04
#define FW_TCP_FIN_B	0x08
#define FW_TCP_RST	0x10

struct fw_state {
	__u64 expire_ns;	/* CLOCK_MONOTONIC_COARSE */
	__u64 packets;		/* approximate: updated without atomics */
	__u64 bytes;
	__u16 rule;		/* number of the keep-state rule */
	__u8  fib;		/* FIB of the flow when fib_set */
	__u8  fib_set;		/* a setfib rule chose it: both directions use it */
	__u8  tcp;		/* FW_TCP_* seen */
	__u8  init_a;		/* the a end sent the first packet */
	__u8  pad[2];
};

/* Filter settings and limits (global array vnet_fw, key: vnet ID). */
struct vnet_fw {
	__u8  enable;		/* net.inet.ip.fw.enable; the first rule sets it */
	__u8  default_accept;	/* net.inet.ip.fw.default_to_accept */
	__u8  stateful;		/* (control plane) some rule keeps state */
	__u8  pad;
	__u32 syn_lifetime;	/* net.inet.ip.fw.dyn_syn_lifetime, seconds */
	__u32 ack_lifetime;	/* net.inet.ip.fw.dyn_ack_lifetime */
	__u32 fin_lifetime;	/* net.inet.ip.fw.dyn_fin_lifetime */
	__u32 rst_lifetime;	/* net.inet.ip.fw.dyn_rst_lifetime */
	__u32 udp_lifetime;	/* net.inet.ip.fw.dyn_udp_lifetime */
	__u32 short_lifetime;	/* net.inet.ip.fw.dyn_short_lifetime */
	__u32 max_rules;	/* (control plane) limits, set at create */
	__u32 max_states;
};

/* Filter counters (global per-CPU array vnet_fwstats, key: vnet ID). */
struct vnet_fw_stats {
	__u64 passed;		/* allowed by a rule (or the default) */
	__u64 denied;
	__u64 rejected;		/* denied with a RST or ICMP error sent */
	__u64 state_hits;	/* took a state's verdict without the rules */
	__u64 states_created;
	__u64 states_expired;	/* found expired and removed */
	__u64 icmp_related;	/* ICMP errors passed by the state they quote */
	__u64 icmp_orphan;	/* ICMP errors dropped: no state for their quote */
	__u64 fragments;	/* non-first fragments: no ports, no states */
};

/*
 * ---- the per-vnet map kinds (FreeBSD's VNET_DEFINE), declared once ----
 *
 * X(name, type, key, value, max, flags, scope, limit, made, leaf, kname)
 *
 *   name   outer map vnet_<name>, copies' slots in it
 *   type   BPF_MAP_TYPE_<type> of the copies; key, value: their types
 *   max    entries of the template (limit TEMPLATE: of every copy)
 *   flags  map flags of the copies
 *   scope  VNET: a copy per vnet; FIB: a copy per FIB of the vnet
 *   limit  what sizes a copy: the vnet's NEIGH, ROUTES, RULES or STATES
 *          limit, or the TEMPLATE's size
 *   made   EAGER: at create (and add-fib); INET6: with the vnet's first
 *          IPv6 use; ON_DEMAND: by its subsystem (the filter, compiled FIBs)
 *   leaf   pin name in PIN/v<ID>/ (per FIB: fib<N>_<leaf>)
 *   kname  kernel map name, v<ID>_<kname> (per FIB: v<ID>_fib<N>_<kname>;
 *          at most 15 characters with vnet 4095 and FIB 15)
 *
 * The BPF side makes each template and outer map from this list
 * (bpf/lib/maps.h), the loader its table of kinds and its upgrade list
 * (loader/core/alloc.c, state.c); templates are recorded by name. Adding
 * a kind is one line here plus its subsystem's code. Setup makes eager
 * kinds in this order; teardown goes backwards.
 */
#define VNET_DXR4_KIND(X, c)						\
	X(dxr4_##c, ARRAY, __u32, struct dxr_page, DXR_CLASS_PAGES(c), BPF_F_MMAPABLE, \
	  FIB, ROUTES, ON_DEMAND, "dxr4_" #c, "dx" #c)

#define VNET_MAP_KINDS(X)						\
	X(nbr4, HASH, struct nbr4_key, struct nbr_entry, VNET_DEF_NEIGH,	\
	  BPF_F_NO_PREALLOC, VNET, NEIGH, EAGER, "nbr4", "nbr4")		\
	X(fib4, LPM_TRIE, struct fib4_key, struct fib4_route, VNET_DEF_ROUTES, \
	  BPF_F_NO_PREALLOC, FIB, ROUTES, EAGER, "in4", "in4")		\
	X(nbr6, HASH, struct nbr6_key, struct nbr_entry, VNET_DEF_NEIGH,	\
	  BPF_F_NO_PREALLOC, VNET, NEIGH, INET6, "nbr6", "nbr6")		\
	X(fib6, LPM_TRIE, struct fib6_key, struct fib6_route, VNET_DEF_ROUTES, \
	  BPF_F_NO_PREALLOC, FIB, ROUTES, INET6, "in6", "in6")		\
	X(fwcnt, ARRAY, __u32, struct fw_counter, 1, BPF_F_INNER_MAP,	\
	  VNET, RULES, ON_DEMAND, "fwcnt", "fwcnt")				\
	X(fwstate, LRU_HASH, struct fw_state_key, struct fw_state, VNET_DEF_STATES, \
	  0, VNET, STATES, ON_DEMAND, "fwstate", "fwstate")			\
	X(fwrules, ARRAY, __u32, struct fw_rule, 1, BPF_F_INNER_MAP,	\
	  VNET, RULES, ON_DEMAND, "fwrules", "fwrules")			\
	X(nbrpend, LRU_HASH, struct nbr_pend_key, struct nbr_entry, VNET_DEF_PENDING, \
	  0, VNET, TEMPLATE, EAGER, "nbrpend", "nbrpend")			\
	VNET_DXR4_KIND(X, 0) VNET_DXR4_KIND(X, 1) VNET_DXR4_KIND(X, 2)	\
	VNET_DXR4_KIND(X, 3) VNET_DXR4_KIND(X, 4) VNET_DXR4_KIND(X, 5)	\
	VNET_DXR4_KIND(X, 6) VNET_DXR4_KIND(X, 7) VNET_DXR4_KIND(X, 8)

/* How many kinds there are, for the capacity checks below. */
#define VNET_KIND_ONE(...)	+ 1
#define VNET_MAP_KIND_COUNT	(0 VNET_MAP_KINDS(VNET_KIND_ONE))

/*
 * The reference copy of a per-vnet map kind (FreeBSD's VNET_DEFINE master
 * copy), recorded from the BPF object's inner-map templates when the state
 * is first created, so that a stateless vnetctl can instantiate copies
 * without re-opening the object. Key: the kind's name, so that kinds can
 * be added or reordered without confusing an older state's records.
 */
struct vnet_tmpl_key {
	char name[16];
};

struct vnet_tmpl {
	__u32 map_type;
	__u32 key_size;
	__u32 value_size;
	__u32 map_flags;
	__u32 btf_key_type_id;
	__u32 btf_value_type_id;
	__u32 max_entries;
	__u32 valid;
};

#define VNET_TMPL_MAX	64
_Static_assert(VNET_MAP_KIND_COUNT <= VNET_TMPL_MAX, "vnet_tmpl holds every kind's template");

#endif /* VNET_ABI_H */
