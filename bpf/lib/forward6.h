/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * forward6.h - the forwarding decision for a transit IPv6 packet (FreeBSD
 * ip6_forward): forwarding enabled, scope, hop limit, route type, egress in
 * the same vnet, MTU (routers never fragment IPv6: "packet too big").
 * Every refusal is the frame's fate, counted here; where RFC 4443 wants an
 * error and the vnet's settings allow it, the frame then becomes that error.
 */
#ifndef VNET_FORWARD6_H
#define VNET_FORWARD6_H

#include "fib.h"
#include "icmp6.h"

static __always_inline int ip6_forward(struct vnet_ctx *v, struct ipv6hdr *ip6,
				       const struct ip6_info *info,
				       const struct fib6_route *rt,
				       const struct vnet_iface **outp)
{
	const struct vnet_iface *out;

	if (!v->conf6->forwarding) {
		vnet_count_drop(v, VNET_DROP_not_forwarding);
		return V_DROP;
	}
	if (in6_is_multicast(&ip6->daddr)) {
		vnet_count_drop(v, VNET_DROP_bcast_mcast);
		return V_DROP;
	}
	/* link-local addresses never leave their link */
	if (in6_is_linklocal(&ip6->saddr) || in6_is_linklocal(&ip6->daddr) ||
	    in6_is_zero(&ip6->saddr)) {
		vnet_count_drop(v, VNET_DROP_martian);
		return V_DROP;
	}
	if (ip6->hop_limit <= 1) {
		vnet_count_drop(v, VNET_DROP_ttl_exceeded);
		return icmp6_error_or_drop(v, ip6, info, ICMPV6_TIME_EXCEED,
					   ICMPV6_EXC_HOPLIMIT, 0);
	}
	if (!rt) {
		vnet_count_drop(v, VNET_DROP_no_route);
		return icmp6_error_or_drop(v, ip6, info, ICMPV6_DEST_UNREACH,
					   ICMPV6_NOROUTE, 0);
	}
	if (rt->type == VNET_RT_BLACKHOLE) {
		vnet_count_drop(v, VNET_DROP_blackhole);
		return V_DROP;
	}
	if (rt->type == VNET_RT_UNREACHABLE) {
		vnet_count_drop(v, VNET_DROP_unreachable);
		return icmp6_error_or_drop(v, ip6, info, ICMPV6_DEST_UNREACH,
					   ICMPV6_REJECT_ROUTE, 0);
	}
	out = fib_egress_if(v, rt->ifindex);
	if (!out)
		return V_DROP;
	if (IP6_HDR_LEN + bpf_ntohs(ip6->payload_len) > out->mtu) {
		vnet_count_drop(v, VNET_DROP_too_big);
		return icmp6_error_or_drop(v, ip6, info, ICMPV6_PKT_TOOBIG, 0, out->mtu);
	}
	*outp = out;
	return V_FORWARD;
}

#endif
