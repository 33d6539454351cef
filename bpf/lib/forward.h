/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * forward.h - the forwarding decision for a transit packet (FreeBSD
 * ip_forward): forwarding enabled, TTL, route type, egress in the same vnet,
 * MTU. Every refusal is the frame's fate, counted here; where RFC 1812 wants
 * an ICMP error and the vnet's settings allow it, the frame then becomes
 * that error.
 */
#ifndef VNET_FORWARD_H
#define VNET_FORWARD_H

#include "fib.h"
#include "icmp.h"
#include "fate.h"

static __always_inline int ip_forward(struct vnet_ctx *v, struct iphdr *iph,
				      const struct fib4_route *rt,
				      const struct vnet_iface **outp)
{
	const struct vnet_conf *conf = v->conf;
	const struct vnet_iface *out;

	if (!conf->ip_forwarding) {
		vnet_count_drop(v, VNET_DROP_not_forwarding);
		return V_DROP;
	}
	if (iph->ttl <= 1) {
		vnet_count_drop(v, VNET_DROP_ttl_exceeded);
		return icmp_error_or_drop(v, iph, conf->icmp_timxceed,
					  ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
	}
	if (!rt) {
		vnet_count_drop(v, VNET_DROP_no_route);
		return icmp_error_or_drop(v, iph, conf->icmp_unreach,
					  ICMP_DEST_UNREACH, ICMP_NET_UNREACH, 0);
	}
	if (rt->type == VNET_RT_BLACKHOLE) {
		vnet_count_drop(v, VNET_DROP_blackhole);
		return V_DROP;
	}
	if (rt->type == VNET_RT_UNREACHABLE) {
		vnet_count_drop(v, VNET_DROP_unreachable);
		return icmp_error_or_drop(v, iph, conf->icmp_unreach,
					  ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
	}
	out = fib_egress(v, rt);
	if (!out)
		return V_DROP;
	if (bpf_ntohs(iph->tot_len) > out->mtu) {
		vnet_count_drop(v, VNET_DROP_too_big);
		if (!(iph->frag_off & bpf_htons(0x4000)))	/* DF clear */
			return V_DROP;	/* XDP does not fragment */
		return icmp_error_or_drop(v, iph, conf->icmp_needfrag,
					  ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
					  out->mtu);
	}
	*outp = out;
	return V_FORWARD;
}

#endif
