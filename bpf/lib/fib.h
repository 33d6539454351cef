/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fib.h - route lookup in one of the vnet's FIBs (setfib). A FIB is an LPM
 * trie instance per family in slot (vnet, fib) of vnet_fib4 / vnet_fib6;
 * an empty slot is an empty table.
 */
#ifndef VNET_FIB_H
#define VNET_FIB_H

#include "curvnet.h"

static __always_inline const struct fib4_route *
fib4_lookup(const struct vnet_ctx *v, __u32 daddr)
{
	__u32 slot = VNET_FIB_SLOT(v->id, v->fib);
	struct fib4_key key = { .prefixlen = 32, .addr = daddr };
	void *fib;

	fib = bpf_map_lookup_elem(&vnet_fib4, &slot);
	if (!fib)
		return NULL;
	return bpf_map_lookup_elem(fib, &key);
}

/* IPv6: the same, in the vnet's IPv6 FIB of the same number. */
static __always_inline const struct fib6_route *
fib6_lookup(const struct vnet_ctx *v, const void *daddr)
{
	__u32 slot = VNET_FIB_SLOT(v->id, v->fib);
	struct fib6_key key = { .prefixlen = 128 };
	void *fib;

	__builtin_memcpy(key.addr, daddr, 16);
	fib = bpf_map_lookup_elem(&vnet_fib6, &slot);
	if (!fib)
		return NULL;
	return bpf_map_lookup_elem(fib, &key);
}

/* The egress interface of a route, if it belongs to this vnet. */
static __always_inline const struct vnet_iface *
fib_egress_if(const struct vnet_ctx *v, __u32 ifindex)
{
	const struct vnet_iface *out;

	out = bpf_map_lookup_elem(&vnet_ifaces, &ifindex);
	if (!out || out->vnet != v->id) {
		v->st->wrong_vnet++;
		return NULL;
	}
	return out;
}

static __always_inline const struct vnet_iface *
fib_egress(const struct vnet_ctx *v, const struct fib4_route *rt)
{
	return fib_egress_if(v, rt->ifindex);
}

#endif
