/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * forward.h - the forwarding decision for a transit packet (FreeBSD
 * ip_forward): forwarding enabled, TTL, route type, egress in the same vnet,
 * MTU. Every refusal is counted; where RFC 1812 wants an ICMP error and the
 * vnet's settings allow it, the frame becomes that error.
 */
#ifndef VNET_FORWARD_H
#define VNET_FORWARD_H

#include "fib.h"
#include "icmp.h"
#include "verdict.h"

/*
 * At most net.inet.icmp.icmplim errors per second per vnet, as FreeBSD's
 * badport_bandlim: a scan of unrouted space must not turn the router into
 * an ICMP source. The window is shared by the vnet's CPUs; a reset racing
 * with a send only miscounts by a few. (Add, then read back: the fetch form
 * needs -mcpu=v3 from clang 14.)
 */
static __always_inline bool icmp_ratelimit_ok(struct vnet_ctx *v)
{
	__u32 lim = v->conf->icmplim, id = v->id;
	struct vnet_ratelimit *rl;
	__u64 now;

	if (!lim)
		return true;
	rl = bpf_map_lookup_elem(&vnet_icmplim, &id);
	if (!rl)
		return false;
	now = vnet_now();
	if (now - rl->window_ns >= 1000000000ULL) {
		rl->window_ns = now;
		rl->sent = 0;
	}
	__sync_fetch_and_add(&rl->sent, 1);
	if (rl->sent > lim) {
		v->st->icmp_ratelimited++;
		return false;
	}
	return true;
}

static __always_inline int icmp_error_or_drop(struct vnet_ctx *v, struct iphdr *iph,
					      bool enabled, __u8 type, __u8 code,
					      __u16 mtu)
{
	void *end = (void *)(long)v->xdp->data_end;

	if (!enabled || !icmp_error_allowed(iph, end) || !icmp_ratelimit_ok(v))
		return V_DROP;
	return icmp_error(v, type, code, mtu) ? V_DROP : V_ORIGINATE;
}

static __always_inline int ip_forward(struct vnet_ctx *v, struct iphdr *iph,
				      const struct fib4_route *rt,
				      const struct vnet_iface **outp)
{
	const struct vnet_conf *conf = v->conf;
	const struct vnet_iface *out;

	if (!conf->ip_forwarding) {
		v->st->not_forwarding++;
		return V_DROP;
	}
	if (iph->ttl <= 1) {
		v->st->ttl_exceeded++;
		return icmp_error_or_drop(v, iph, conf->icmp_timxceed,
					  ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
	}
	if (!rt) {
		v->st->no_route++;
		return icmp_error_or_drop(v, iph, conf->icmp_unreach,
					  ICMP_DEST_UNREACH, ICMP_NET_UNREACH, 0);
	}
	if (rt->type == VNET_RT_BLACKHOLE) {
		v->st->blackhole++;
		return V_DROP;
	}
	if (rt->type == VNET_RT_UNREACHABLE) {
		v->st->unreachable++;
		return icmp_error_or_drop(v, iph, conf->icmp_unreach,
					  ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, 0);
	}
	out = fib_egress(v, rt);
	if (!out)
		return V_DROP;
	if (bpf_ntohs(iph->tot_len) > out->mtu) {
		v->st->too_big++;
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
