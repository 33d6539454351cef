/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * maps.h - every map of the dataplane, pinned by name under the pin
 * directory so that the control plane, bpftool and a reloaded program all
 * see the same state.
 *
 * Global maps are keyed by ifindex or vnet ID. Per-vnet state lives in inner
 * maps, one kind each, all declared from one list (VNET_MAP_KINDS, at the
 * end of this file).
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

/* Recorded inner-map templates, by kind name; control plane only. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, VNET_TMPL_MAX);
	__type(key, struct vnet_tmpl_key);
	__type(value, struct vnet_tmpl);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} vnet_tmpl SEC(".maps");

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
 * The per-vnet maps: for each kind of VNET_MAP_KINDS (vnet_abi.h), its
 * template (the reference copy: FreeBSD's VNET_DEFINE) and its outer map,
 * where the control plane installs one copy per vnet, or per vnet and FIB
 * (slot VNET_FIB_SLOT). The datapath reaches a copy in one array lookup,
 * whatever the number of vnets. Copies of a BPF_F_INNER_MAP kind may
 * differ in size (a rule set is made to its rules); others are sized like
 * their template, which lets the verifier inline lookups in arrays (the
 * compiled FIBs come in nine classes for that).
 */
#define VNET_SLOTS_VNET		VNET_MAX
#define VNET_SLOTS_FIB		(VNET_MAX * VNET_MAX_FIBS)

#define VNET_MAP_KIND(name, mtype, key_t, value_t, max, flags, scope, ...)	\
struct name##_tmpl {							\
	__uint(type, BPF_MAP_TYPE_##mtype);				\
	__uint(max_entries, max);					\
	__uint(map_flags, flags);					\
	__type(key, key_t);						\
	__type(value, value_t);						\
};									\
struct {								\
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);			\
	__uint(max_entries, VNET_SLOTS_##scope);			\
	__type(key, __u32);						\
	__uint(pinning, LIBBPF_PIN_BY_NAME);				\
	__array(values, struct name##_tmpl);				\
} vnet_##name SEC(".maps");

VNET_MAP_KINDS(VNET_MAP_KIND)

/*
 * clang emits only forward declarations for types reached through an
 * inner-map definition (a pointer within a pointer), and libbpf needs their
 * sizes. This variable, in a section libbpf ignores, anchors the full key
 * and value types of every kind in BTF; the control plane's per-vnet
 * copies reference them too, which is what lets `bpftool map dump` print
 * their fields.
 */
#define VNET_BTF_ANCHOR(name, mtype, key_t, value_t, ...)	key_t name##_key; value_t name##_value;

struct vnet_inner_types {
	VNET_MAP_KINDS(VNET_BTF_ANCHOR)
};
struct vnet_inner_types vnet_btf_anchor SEC(".vnet_btf");

#endif
