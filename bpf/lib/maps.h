/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * maps.h - every map of the dataplane, pinned by name under the pin
 * directory so that the control plane, bpftool and a reloaded program all
 * see the same state.
 *
 * Global maps are keyed by ifindex or vnet ID. Per-vnet state lives in inner
 * maps: each outer map below declares the template (FreeBSD's VNET_DEFINE
 * reference copy) and the control plane instantiates one copy per vnet (or
 * per vnet and FIB) from it. The datapath reaches a copy in one array
 * lookup, whatever the number of vnets.
 */
#ifndef VNET_MAPS_H
#define VNET_MAPS_H

#include "parse.h"
#include "../vnet_abi.h"

/*
 * ifindex -> interface record: which vnet and FIB own a received frame. An
 * array (one direct load, where a hash cost ~15 ns per lookup, twice per
 * packet); an unused slot reads as vnet 0, so it passes. mmapped by the
 * control plane for scans.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VNET_MAX_IFINDEX);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct vnet_iface);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vnet_ifaces SEC(".maps");

/* Interface addresses; read by the control plane only. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, VNET_MAX_IFADDRS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct vnet_ifaddr_key);
	__type(value, struct vnet_ifaddr);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vnet_ifaddrs SEC(".maps");

/* Redirect targets, by ifindex: every attached interface. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	/* The kernel adds this flag itself and refuses it from user space; it is
	 * declared so that libbpf's pinned-map reuse check (vnetctl, xdp-loader)
	 * matches. state.c creates this map without it. */
	__uint(map_flags, BPF_F_RDONLY_PROG);
	__uint(max_entries, VNET_MAX_IFINDEX);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vnet_devmap SEC(".maps");

/* vnet ID -> settings (the vnet's sysctls). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VNET_MAX);
	__type(key, __u32);
	__type(value, struct vnet_conf);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vnet_conf SEC(".maps");

/* vnet ID -> per-CPU counters; one lookup per packet, no slot to install. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, VNET_MAX);
	__type(key, __u32);
	__type(value, struct vnet_stats);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vnet_stats SEC(".maps");

/* vnet ID -> ICMP error rate limiter (net.inet.icmp.icmplim). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VNET_MAX);
	__type(key, __u32);
	__type(value, struct vnet_ratelimit);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vnet_icmplim SEC(".maps");

/* vnet ID -> registry (name, FIBs, limits); control plane only. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VNET_MAX);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct vnet_reg);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vnet_reg SEC(".maps");

/* Recorded inner-map templates; control plane only. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VNET_TMPL_MAX);
	__type(key, __u32);
	__type(value, struct vnet_tmpl);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vnet_tmpl SEC(".maps");

/* Template: one IPv4 FIB. max_entries is the default route limit. */
struct fib4_tmpl {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, VNET_DEF_ROUTES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct fib4_key);
	__type(value, struct fib4_route);
};

/* (vnet, FIB) -> IPv4 FIB; slot VNET_FIB_SLOT(vnet, fib). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, VNET_MAX * VNET_MAX_FIBS);
	__type(key, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
	__array(values, struct fib4_tmpl);
} vnet_fib4 SEC(".maps");

/*
 * Templates: a compiled IPv4 FIB (DXR, see vnet_abi.h) of each size class,
 * made by the control plane for FIBs large enough to be worth it, and
 * mmapped by it to edit chunks in place: a new chunk goes to free space
 * first, then one 32-bit D store switches the /16 over, so a packet reads
 * the old chunk or the new one.
 */
#define DXR4_CLASS(c)							\
struct dxr4_tmpl_##c {							\
	__uint(type, BPF_MAP_TYPE_ARRAY);				\
	__uint(max_entries, DXR_CLASS_PAGES(c));			\
	__uint(map_flags, BPF_F_MMAPABLE);				\
	__type(key, __u32);						\
	__type(value, struct dxr_page);					\
};									\
struct {								\
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);			\
	__uint(max_entries, VNET_MAX * VNET_MAX_FIBS);			\
	__type(key, __u32);						\
	__uint(pinning, LIBBPF_PIN_BY_NAME);				\
	__array(values, struct dxr4_tmpl_##c);				\
} vnet_dxr4_##c SEC(".maps");

DXR4_CLASS(0)
DXR4_CLASS(1)
DXR4_CLASS(2)
DXR4_CLASS(3)
DXR4_CLASS(4)
DXR4_CLASS(5)
DXR4_CLASS(6)
DXR4_CLASS(7)
DXR4_CLASS(8)

/* (vnet, FIB) -> class of its compiled table + 1; 0: look up the trie. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VNET_MAX * VNET_MAX_FIBS);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vnet_dxr4cls SEC(".maps");

/* Route settings per vnet and bookkeeping per FIB: control plane only. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VNET_MAX);
	__type(key, __u32);
	__type(value, struct vnet_rtconf);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vnet_rtconf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VNET_MAX * VNET_MAX_FIBS);
	__type(key, __u32);
	__type(value, struct vnet_fibinfo);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vnet_fibinfo SEC(".maps");

/* Template: one ARP table. max_entries is the default neighbor limit. */
struct nbr4_tmpl {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, VNET_DEF_NEIGH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct nbr4_key);
	__type(value, struct nbr_entry);
};

/* vnet -> ARP table, shared by all the vnet's FIBs (L2 split from L3). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, VNET_MAX);
	__type(key, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
	__array(values, struct nbr4_tmpl);
} vnet_nbr4 SEC(".maps");

/* Template: neighbors being resolved (vnet_abi.h says why apart, and LRU). */
struct nbrpend_tmpl {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, VNET_DEF_PENDING);
	__type(key, struct nbr_pend_key);
	__type(value, struct nbr_entry);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, VNET_MAX);
	__type(key, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
	__array(values, struct nbrpend_tmpl);
} vnet_nbrpend SEC(".maps");

/* ---- IPv6 ---- */

/* ifindex -> primary IPv6 address (the link-local is derived from the MAC). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VNET_MAX_IFINDEX);
	__type(key, __u32);
	__type(value, struct vnet_iface6);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vnet_ifaces6 SEC(".maps");

/* Interface IPv6 addresses; read by the control plane only. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, VNET_MAX_IFADDRS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct vnet_ifaddr6_key);
	__type(value, struct vnet_ifaddr);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vnet_ifaddrs6 SEC(".maps");

/* vnet ID -> IPv6 settings. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VNET_MAX);
	__type(key, __u32);
	__type(value, struct vnet_conf6);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vnet_conf6 SEC(".maps");

/* vnet ID -> per-CPU IPv6 counters (the IPv4 layout; arp_* count NDP). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, VNET_MAX);
	__type(key, __u32);
	__type(value, struct vnet_stats);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vnet_stats6 SEC(".maps");

/* Template: one IPv6 FIB; copies as many as the IPv4 FIBs. */
struct fib6_tmpl {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, VNET_DEF_ROUTES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct fib6_key);
	__type(value, struct fib6_route);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, VNET_MAX * VNET_MAX_FIBS);
	__type(key, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
	__array(values, struct fib6_tmpl);
} vnet_fib6 SEC(".maps");

/* Template: one NDP neighbor cache, shared by the vnet's FIBs. */
struct nbr6_tmpl {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, VNET_DEF_NEIGH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct nbr6_key);
	__type(value, struct nbr_entry);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, VNET_MAX);
	__type(key, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
	__array(values, struct nbr6_tmpl);
} vnet_nbr6 SEC(".maps");

/* vnet ID -> filter settings and limits. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VNET_MAX);
	__type(key, __u32);
	__type(value, struct vnet_fw);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vnet_fw SEC(".maps");

/* vnet ID -> per-CPU filter counters. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, VNET_MAX);
	__type(key, __u32);
	__type(value, struct vnet_fw_stats);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vnet_fwstats SEC(".maps");

/*
 * Template: one rule set, the default rule last. Each commit builds a new
 * copy sized to its rules and swaps it into the slot, so a packet walks
 * either the old set or the new one, never a mix (BPF_F_INNER_MAP lets the
 * copies differ in size).
 */
struct fwrules_tmpl {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_INNER_MAP);
	__type(key, __u32);
	__type(value, struct fw_rule);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, VNET_MAX);
	__type(key, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
	__array(values, struct fwrules_tmpl);
} vnet_fwrules SEC(".maps");

/*
 * Template: per-rule counters; they outlive rule-set swaps. Shared by the
 * CPUs and added to atomically: the kernel refuses BPF_F_INNER_MAP (copies
 * of different sizes) for per-CPU arrays, and only packets that walk the
 * rules (no state) count here.
 */
struct fwcnt_tmpl {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_INNER_MAP);
	__type(key, __u32);
	__type(value, struct fw_counter);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, VNET_MAX);
	__type(key, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
	__array(values, struct fwcnt_tmpl);
} vnet_fwcnt SEC(".maps");

/* Template: the state table. LRU: when full, the idlest state goes. */
struct fwstate_tmpl {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, VNET_DEF_STATES);
	__type(key, struct fw_state_key);
	__type(value, struct fw_state);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, VNET_MAX);
	__type(key, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
	__array(values, struct fwstate_tmpl);
} vnet_fwstate SEC(".maps");

/*
 * clang emits only forward declarations for types reached through an
 * inner-map definition (a pointer within a pointer), and libbpf needs their
 * sizes. This variable, in a section libbpf ignores, anchors the full types
 * in BTF; the control plane's per-vnet copies reference them too, which is
 * what lets `bpftool map dump` print their fields.
 */
struct vnet_inner_types {
	struct fib4_key fib4_key;
	struct fib4_route fib4_route;
	struct nbr4_key nbr4_key;
	struct nbr_entry nbr_entry;
	struct nbr_pend_key nbr_pend_key;
	struct fib6_key fib6_key;
	struct fib6_route fib6_route;
	struct nbr6_key nbr6_key;
	struct fw_rule fw_rule;
	struct fw_counter fw_counter;
	struct fw_state_key fw_state_key;
	struct fw_state fw_state;
	struct dxr_page dxr_page;
};
struct vnet_inner_types vnet_btf_anchor SEC(".vnet_btf");

#endif
