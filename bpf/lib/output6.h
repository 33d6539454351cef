/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * output6.h - the IPv6 output path shared by transit and locally
 * originated packets: next hop, neighbor (NDP), MAC rewrite, hop-limit
 * decrement (transit only; IPv6 has no header checksum), transmit.
 */
#ifndef VNET_OUTPUT6_H
#define VNET_OUTPUT6_H

#include "fib.h"
#include "nd.h"
#include "output.h"
#include "local.h"

static __always_inline int ip6_output(struct vnet_ctx *v, const struct fib6_route *rt,
				      const struct vnet_iface *out, bool transit)
{
	struct xdp_md *ctx = v->xdp;
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct ipv6hdr *ip6 = (void *)(eth + 1);
	struct nbr_entry *e;
	struct nbr6_key key;
	void *tbl;

	if ((void *)(ip6 + 1) > end)
		return vnet_drop(v, VNET_DROP_malformed);
	key.ifindex = rt->ifindex;
	if (in6_is_zero((const struct in6_addr *)rt->gw))
		__builtin_memcpy(key.addr, &ip6->daddr, 16);
	else
		__builtin_memcpy(key.addr, rt->gw, 16);
	tbl = nbr6_table(v);
	if (!tbl)
		return vnet_drop(v, VNET_DROP_internal);
	e = nbr_lookup_usable(v, tbl, &key);
	if (!e) {
		vnet_count_drop(v, VNET_DROP_no_neighbor);
		return vnet_nbr_resolve(ctx, v->id, key.ifindex, 0, &key);
	}
	if (transit)
		ip6->hop_limit--;
	return nbr_send(v, eth, e, out, key.ifindex, transit, end - data);
}

/* Send a packet the vnet originates along rt (looked up for its destination). */
static __always_inline int ip6_originate_via(struct vnet_ctx *v,
					     const struct fib6_route *rt)
{
	struct xdp_md *ctx = v->xdp;
	struct ipv6hdr *ip6 = (void *)(long)ctx->data + sizeof(struct ethhdr);
	const struct vnet_iface *out;
	int act;

	if ((void *)(ip6 + 1) > (void *)(long)ctx->data_end)
		return vnet_drop(v, VNET_DROP_malformed);
	out = originate_egress(v, rt ? rt->type : 0, rt ? rt->ifindex : 0,
			       IP6_HDR_LEN + bpf_ntohs(ip6->payload_len), &act);
	return out ? ip6_output(v, rt, out, false) : act;
}

/* Route a packet the datapath built itself (echo reply, ICMPv6 error, RST). */
static __always_inline int ip6_originate(struct vnet_ctx *v)
{
	struct xdp_md *ctx = v->xdp;
	struct ipv6hdr *ip6 = (void *)(long)ctx->data + sizeof(struct ethhdr);

	if ((void *)(ip6 + 1) > (void *)(long)ctx->data_end)
		return vnet_drop(v, VNET_DROP_malformed);
	return ip6_originate_via(v, fib6_lookup(v, &ip6->daddr));
}

/* To one of the vnet's addresses: echo is answered once its checksum is
 * right; the rest goes to the vnet's host stack, or is dropped and counted
 * without one. */
static __always_inline int local6_input(struct vnet_ctx *v, struct ipv6hdr *ip6,
					const struct ip6_info *info)
{
	void *end = (void *)(long)v->xdp->data_end;
	__u32 len = IP6_HDR_LEN + bpf_ntohs(ip6->payload_len) - info->l4_off;
	struct icmp6hdr *h = ip6_l4(ip6, info, end, sizeof(*h));

	if (info->proto != IPPROTO_ICMPV6 || info->frag || !v->conf->icmp_echo || !h ||
	    h->icmp6_type != ICMPV6_ECHO_REQUEST || h->icmp6_code)
		return local_to_hoststack(v);
	if (!icmp_msg_ok(v->xdp, h, len, ip6_pseudo_sum(ip6, len, IPPROTO_ICMPV6))) {
		vnet_count_drop(v, VNET_DROP_malformed);
		return V_DROP;
	}
	vnet_delivered(v);
	icmp6_echo_reply(v, ip6, h);
	return V_ORIGINATE;
}

#endif
