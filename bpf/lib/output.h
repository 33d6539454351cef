/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * output.h - the output path shared by transit and locally originated
 * packets: next hop, neighbor, MAC rewrite, TTL decrement (transit only),
 * transmit.
 */
#ifndef VNET_OUTPUT_H
#define VNET_OUTPUT_H

#include "csum.h"
#include "fib.h"
#include "resolve.h"

static __always_inline int ip_output(struct vnet_ctx *v, const struct fib4_route *rt,
				     const struct vnet_iface *out, bool transit)
{
	struct xdp_md *ctx = v->xdp;
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct nbr_entry *e;
	struct nbr4_key key;
	void *tbl;

	if ((void *)(iph + 1) > end)
		return vnet_drop(v, VNET_DROP_malformed);
	key.ifindex = rt->ifindex;
	key.addr = rt->gw ? rt->gw : iph->daddr;
	tbl = nbr4_table(v);
	if (!tbl)
		return vnet_drop(v, VNET_DROP_internal);
	e = nbr_lookup_usable(v, tbl, &key);
	if (!e) {
		vnet_count_drop(v, VNET_DROP_no_neighbor);
		return vnet_nbr_resolve(ctx, v->id, key.ifindex, key.addr, NULL);
	}
	if (transit)
		ip_decrease_ttl(iph);
	return nbr_send(v, eth, e, out, key.ifindex, transit, end - data);
}

/* Hand a packet for one of the vnet's addresses to its host stack. */
static __always_inline int hoststack_deliver(struct vnet_ctx *v)
{
	struct xdp_md *ctx = v->xdp;
	struct ethhdr *eth = (void *)(long)ctx->data;
	__u32 ifindex = v->conf->hs_ifindex;
	const struct vnet_iface *out;

	if ((void *)(eth + 1) > (void *)(long)ctx->data_end)
		return vnet_drop(v, VNET_DROP_malformed);
	out = bpf_map_lookup_elem(&vnet_ifaces, &ifindex);
	if (!out || out->vnet != v->id)
		return vnet_drop(v, VNET_DROP_wrong_vnet);
	vnet_delivered(v);
	__builtin_memcpy(eth->h_dest, v->conf->hs_mac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, out->mac, ETH_ALEN);
	return vnet_xmit(v, ifindex);
}

/*
 * The egress of a packet the vnet originates, along a route of type `type`
 * (0: none) via ifindex: its own addresses go to its host stack, unicast
 * routes to their interface if the packet (len bytes) fits. NULL: *act is
 * the verdict (dropped and counted, or delivered).
 */
static __always_inline const struct vnet_iface *
originate_egress(struct vnet_ctx *v, __u8 type, __u32 ifindex, __u32 len, int *act)
{
	const struct vnet_iface *out;

	*act = XDP_DROP;
	if (type == VNET_RT_LOCAL && v->conf->hs_ifindex) {
		*act = hoststack_deliver(v);
		return NULL;
	}
	if (type != VNET_RT_UNICAST) {
		vnet_count_drop(v, VNET_DROP_no_route);
		return NULL;
	}
	out = fib_egress_if(v, ifindex);
	/* No frag-needed to ourselves (yet): too big is dropped and counted. */
	if (out && len > out->mtu) {
		vnet_count_drop(v, VNET_DROP_too_big);
		return NULL;
	}
	return out;
}

/* Send a packet the vnet originates along rt (looked up for its destination). */
static __always_inline int ip_originate_via(struct vnet_ctx *v,
					    const struct fib4_route *rt)
{
	struct xdp_md *ctx = v->xdp;
	struct iphdr *iph = (void *)(long)ctx->data + sizeof(struct ethhdr);
	const struct vnet_iface *out;
	int act;

	if ((void *)(iph + 1) > (void *)(long)ctx->data_end)
		return vnet_drop(v, VNET_DROP_malformed);
	out = originate_egress(v, rt ? rt->type : 0, rt ? rt->ifindex : 0,
			       bpf_ntohs(iph->tot_len), &act);
	return out ? ip_output(v, rt, out, false) : act;
}

/* Route a packet the datapath built itself (echo reply, ICMP error, RST). */
static __always_inline int ip_originate(struct vnet_ctx *v)
{
	struct xdp_md *ctx = v->xdp;
	struct iphdr *iph = (void *)(long)ctx->data + sizeof(struct ethhdr);

	if ((void *)(iph + 1) > (void *)(long)ctx->data_end)
		return vnet_drop(v, VNET_DROP_malformed);
	return ip_originate_via(v, fib4_lookup(v, iph->daddr));
}

#endif
