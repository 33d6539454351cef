/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * resolve.h - a next hop with no usable neighbor entry, in either family
 * (FreeBSD's arpresolve and nd6_resolve): the packet that needed it is
 * dropped (no_neighbor, counted by the caller as its fate) and, when the
 * rate limit allows, its buffer becomes the ARP request or the neighbor
 * solicitation.
 *
 * One global function for both families: the verifier checks it once,
 * and its stack is its own, not the walk's (the walk's frame plus its
 * deepest callee's must fit in 512 bytes).
 */
#ifndef VNET_RESOLVE_H
#define VNET_RESOLVE_H

#include "neigh.h"
#include "nd.h"

/* The next hop (ifindex, addr4), or (key6) for IPv6 when key6 is set. */
__attribute__((noinline))
int vnet_nbr_resolve(struct xdp_md *ctx, __u32 vnet, __u32 ifindex, __u32 addr4,
		     const struct nbr6_key *key6)
{
	const struct vnet_iface *out;
	struct nbr_pend_key pk;
	struct vnet_ctx v;
	struct in6_addr t;

	if (!curvnet_of(&v, ctx, vnet, key6 != NULL))
		return XDP_DROP;
	out = bpf_map_lookup_elem(&vnet_ifaces, &ifindex);
	if (!out)
		return XDP_DROP;
	if (key6)
		nbr_pend_key_set(&pk, ifindex, key6->addr, 16);
	else
		nbr_pend_key_set(&pk, ifindex, &addr4, 4);
	if (!nbr_probe(&v, &pk))
		return XDP_DROP;
	if (!key6)
		return arp_send_request(&v, ifindex, out, addr4);
	__builtin_memcpy(&t, key6->addr, 16);
	return nd_send_solicit(&v, ifindex, out, &t);
}

#endif
